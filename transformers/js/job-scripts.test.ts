/**
 * `{ js }` and `{ jsGenerate }` in job files: what the loader accepts, the
 * problems `dynamask validate` reports (with the job file's line), and the
 * editor schema.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { JobFileError, loadJobFile, parseJob } from '../../src/job/job-loader.ts';
import { jobJsonSchema } from '../../src/job/json-schema.ts';
import { builtinRegistry } from '../builtin/index.ts';

const header = `name: scripts
connections:
  local: { endpoint: "http://localhost:8000" }
  other: { endpoint: "http://localhost:8001" }
source: local
destination: other
`;

const problemsOf = (text: string): string[] => {
  try {
    parseJob(text, 'job.yaml', builtinRegistry, {});
  } catch (error) {
    if (error instanceof JobFileError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected problems');
};

describe('job files with JavaScript', () => {
  it('load both forms as transformer refs, in mappings and defaults', () => {
    const job = parseJob(
      `${header}defaults:
  N: { js: "value" }
tables:
  - source: Movies
    transformers:
      Notes: { js: "return value.replace(/[0-9]/g, '#')" }
      Label: { jsGenerate: "item.title + ' ' + item.year" }
`,
      'job.yaml',
      builtinRegistry,
      {},
    );
    expect(job.tables[0]!.transformers).toEqual({
      Notes: { type: 'js', options: { code: "return value.replace(/[0-9]/g, '#')" } },
      Label: { type: 'jsGenerate', options: { code: "item.title + ' ' + item.year" } },
    });
    expect(job.defaults.N).toEqual({ type: 'js', options: { code: 'value' } });
  });

  it('report syntax errors at the line of the job file where they are, with every other problem', () => {
    expect(
      problemsOf(`${header}defaults:
  S: { js: "value.toUpperCase(" }
tables:
  - source: Movies
    transformers:
      Multi:
        js: |
          const x = value.trim();
          return x +;
      Both: { js: "1", jsGenerate: "2" }
      Extra: { js: "1", mode: strict }
      Empty: { js: "" }
      Number: { jsGenerate: 5 }
`),
    ).toEqual([
      'job.yaml:8 defaults.S.js: JavaScript syntax error at line 1 of the script: Unexpected end of input',
      "job.yaml:15 tables[0].transformers.Multi.js: JavaScript syntax error at line 2, column 11 of the script: Unexpected token ';'",
      'job.yaml:16 tables[0].transformers.Both: give one of "js" (a transform of the value) and "jsGenerate" (a value made from the item), not both',
      'job.yaml:17 tables[0].transformers.Extra.mode: unknown field "mode" beside "js": a script mapping holds only its code',
      'job.yaml:18 tables[0].transformers.Empty.js: expected JavaScript code, got an empty string',
      'job.yaml:19 tables[0].transformers.Number.jsGenerate: expected JavaScript code, got a number; put it in quotes: YAML reads it unquoted as a number',
    ]);
  });

  it('read `$${` as a template literal placeholder, since `${` is an environment variable', () => {
    const job = parseJob(`${header}tables:\n  - source: Movies\n    transformers:\n      Label: { jsGenerate: "\`$\${item.title}!\`" }\n`, 'job.yaml', builtinRegistry, {});
    expect(job.tables[0]!.transformers['Label']).toEqual({ type: 'jsGenerate', options: { code: '`${item.title}!`' } });
  });

  it('fail `dynamask validate` with exit code 2 before any run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dynamask-scripts-'));
    try {
      const file = join(dir, 'job.yaml');
      await writeFile(file, `${header}tables:\n  - source: Movies\n    transformers:\n      Notes: { js: "return value +" }\n`);
      await expect(loadJobFile(file, builtinRegistry, {})).rejects.toThrow(`${file}:10 tables[0].transformers.Notes.js: JavaScript syntax error at line 1 of the script: Unexpected end of input`);
      const cli = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
      const result = await promisify(execFile)(process.execPath, [cli, 'validate', file]).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => error,
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`${file}:10 tables[0].transformers.Notes.js: JavaScript syntax error`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    // Starting the CLI takes seconds on a busy machine.
  }, 60_000);
});

describe('the editor schema', () => {
  it('knows { js } and { jsGenerate } as transformers', () => {
    const schema = jobJsonSchema(builtinRegistry) as { definitions: { transformer: { anyOf: { oneOf?: Record<string, unknown>[] }[] } } };
    const mappings = schema.definitions.transformer.anyOf.at(-1)!.oneOf!;
    const scripts = mappings.filter((mapping) => !('type' in (mapping['properties'] as object)));
    expect(scripts).toEqual([
      expect.objectContaining({ properties: { js: expect.objectContaining({ type: 'string', minLength: 1 }) }, required: ['js'], additionalProperties: false }),
      expect.objectContaining({ properties: { jsGenerate: expect.objectContaining({ type: 'string', minLength: 1 }) }, required: ['jsGenerate'], additionalProperties: false }),
    ]);
  });
});
