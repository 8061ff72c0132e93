/**
 * `strict` in job files: the job's value is each table's default, a
 * table's wins, and a bad value is reported at its line.
 */
import { describe, expect, it } from 'vitest';
import { JobFileError } from '../../model/problems.ts';
import { parseJob } from '../../src/job/job-loader.ts';
import { builtinRegistry } from '../../transformers/builtin/index.ts';

const FILE = 'jobs/app.yaml';
const job = (top: string, tables: string[]) =>
  [`name: app`, 'connections:', '  local: { endpoint: "http://localhost:8000" }', 'source: local', 'destination: local', ...(top ? [top] : []), 'tables:', ...tables].join('\n');
const parse = (text: string) => parseJob(text, FILE, builtinRegistry, {});

describe('strict', () => {
  it('is off unless said, set per table from the job, and a table may say otherwise', () => {
    expect(parse(job('', ['  - { source: Aaa, destination: AaaCopy }'])).tables[0]!.strict).toBeUndefined();
    const tables = parse(job('strict: true', ['  - { source: Aaa, destination: AaaCopy }', '  - source: Bbb', '    destination: BbbCopy', '    strict: false'])).tables;
    expect(tables.map((table) => table.strict)).toEqual([true, undefined]);
    expect(parse(job('', ['  - source: Aaa', '    destination: AaaCopy', '    strict: true'])).tables[0]!.strict).toBe(true);
  });

  it('takes a boolean only, and says where', () => {
    const refused = () => parse(job('strict: "on"', ['  - source: Aaa', '    destination: AaaCopy', '    strict: 1']));
    expect(refused).toThrow(JobFileError);
    expect(() => refused()).toThrow(['jobs/app.yaml:6 strict: expected a boolean, got a string', 'jobs/app.yaml:10 tables[0].strict: expected a boolean, got a number'].join('\n'));
  });
});
