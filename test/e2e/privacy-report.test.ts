/**
 * The privacy report of a run, through the CLI on the local stack: `run
 * --json`, `run`'s summary and `status` carry, per table and path, how many
 * values each transformer took, type mismatches, and the paths the job does
 * not name; exact on a small table, and without a value.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Item } from '../../model/item.ts';
import { recreateTable, seedTable } from '../../src/local-stack/seed.ts';
import { dynamaskInProcess as dynamask } from '../support/in-process-cli.ts';
import { connectTestStack, type TestStack } from '../support/stack.ts';

const SOURCE = 'PrivacyReportSource';
const DESTINATION = 'PrivacyReportCopy';
const SECRET_KEY = 'map-key-canary-5d1e@example.com';

/** 6 items: emails (one a number), names, statuses kept, two nicknames and a score no mapping names, notes in lists, a map keyed by data. */
function items(): Item[] {
  return Array.from({ length: 6 }, (_, i) => ({
    year: { N: String(2000 + i) },
    title: { S: `privacy-${i}` },
    email: i === 5 ? { N: '42' } : { S: `person${i}@example.com` },
    name: { S: `Person Number${i}` },
    status: { S: i % 2 ? 'active' : 'closed' },
    score: { N: String(i * 10) },
    notes: { L: Array.from({ length: i % 3 }, (_, n) => ({ S: `note ${n} of ${i}` })) },
    ...(i < 2 ? { nickname: { S: `nick-${i}` } } : {}),
    ...(i === 0 ? { prefs: { M: { [SECRET_KEY]: { S: 'on' } } } } : {}),
  }));
}

function report(output: string) {
  return JSON.parse(output.slice(output.indexOf('{\n'))) as { workflowId: string; tables: { privacy?: unknown }[] };
}

describe('the privacy report of a run', () => {
  let stack: TestStack;
  let dir: string;
  let job: string;
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    stack = await connectTestStack('e2e-privacy-report');
    dir = await mkdtemp(join(tmpdir(), 'dynamask-privacy-'));
    for (const [key, value] of Object.entries({ TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_NAMESPACE: inject('temporalNamespace'), DYNAMASK_TASK_QUEUE: stack.taskQueue })) {
      saved[key] = process.env[key];
      process.env[key] = value;
    }
    await seedTable(stack.dynamo, SOURCE, items());
    await recreateTable(stack.dynamo, DESTINATION);
    job = join(dir, 'privacy.yaml');
    await writeFile(
      job,
      [
        'name: privacy-report',
        `connections: { local: { endpoint: "${stack.dynamoEndpoint}" } }`,
        'source: local',
        'destination: local',
        'salt: privacy-salt',
        'tables:',
        `  - source: ${SOURCE}`,
        `    destination: ${DESTINATION}`,
        '    onTypeMismatch: "null"',
        '    transformers: { email: email, name: fullName, status: passthrough }',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await stack?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('counts per path and transformer, exactly, in run --json, the summary and status', async () => {
    const run = await dynamask(['run', '--json', job]);
    expect(run.code, run.output).toBe(0);
    const json = report(run.output);
    const expected = {
      paths: [
        { path: 'email', transformer: 'email', values: 5, typeMismatches: 1 },
        { path: 'name', transformer: 'fullName', values: 6, typeMismatches: 0 },
        { path: 'nickname', transformer: 'characterScramble', values: 2, typeMismatches: 0, unnamed: true },
        // Notes: 0 + 1 + 2 + 0 + 1 + 2 elements, each taken by the default for S.
        { path: 'notes[*]', transformer: 'characterScramble', values: 6, typeMismatches: 0, unnamed: true },
        { path: 'prefs.*', transformer: 'characterScramble', values: 1, typeMismatches: 0, unnamed: true },
        { path: 'score', values: 6, typeMismatches: 0, unnamed: true },
        { path: 'status', transformer: 'passthrough', values: 6, typeMismatches: 0 },
      ],
      unnamed: ['nickname', 'notes[*]', 'prefs.*', 'score'],
      truncated: false,
    };
    expect(json.tables[0]!.privacy).toEqual(expected);

    const status = await dynamask(['status', '--json', json.workflowId]);
    expect(status.code, status.output).toBe(0);
    expect(report(status.output).tables[0]!.privacy).toEqual(expected);
    const text = await dynamask(['status', json.workflowId]);
    expect(text.output).toContain('  privacy report:\n    PrivacyReportSource -> PrivacyReportCopy: values per path (counts only)\n');
    expect(text.output).toMatch(/^ {6}email +email +5 +1$/m);
    expect(text.output).toMatch(/^ {6}score +\(copied: no mapping, no default\) +6 +0$/m);
    expect(text.output).toMatch(/^ {6}paths the job does not name: nickname, notes\[\*\], prefs\.\*, score\s*$/m);

    for (const output of [run.output, status.output, text.output]) {
      for (const value of [SECRET_KEY, 'person0@example.com', 'Person Number1', 'nick-0', 'note 0 of 1']) expect(output).not.toContain(value);
    }
  });
});
