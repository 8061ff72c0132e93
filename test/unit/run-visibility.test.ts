import { describe, expect, it } from 'vitest';
import { runDetails, runSearchAttributes, runSummary } from '../../src/client/runs.ts';
import type { Job, TableJob } from '../../model/job.ts';

function table(overrides: Partial<TableJob>): TableJob {
  return {
    source: 'Users',
    destination: 'UsersStaging',
    sourceConnection: 'prod',
    destinationConnection: 'staging',
    consistentRead: false,
    onTypeMismatch: 'error',
    transformers: {},
    mode: 'upsert',
    createTable: false,
    segments: 'auto',
    ...overrides,
  };
}

function job(tables: TableJob[]): Job {
  return { name: 'staging-refresh', connections: {}, defaults: {}, tables, keysAreSensitive: true, sandbox: { memoryLimitMb: 64, timeoutMs: 1000 } };
}

const TWO = job([
  table({ where: "Status = 'active'\n  AND \"Plan\" <> 'free|trial'", transformers: { Email: { type: 'email', options: {} }, Name: { type: 'fullName', options: {} } }, mode: 'replace', createTable: true }),
  table({ source: 'Orders', destination: 'Orders', index: 'ByDate' }),
]);

describe('what a run shows in the Temporal UI', () => {
  it('sums up the job on one line: each source -> destination and its subset', () => {
    expect(runSummary(TWO)).toBe("staging-refresh: Users -> UsersStaging where `Status = 'active' AND \"Plan\" <> 'free|trial'`; Orders -> Orders");
  });

  it('keeps the summary within the server limit, however many tables', () => {
    const many = job(Array.from({ length: 100 }, (_, i) => table({ source: `Table${i}`, destination: `Table${i}Copy` })));
    const summary = runSummary(many);
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(300);
    expect(summary).toMatch(/^staging-refresh: Table0 -> Table0Copy; .*…$/);
    expect(summary).not.toContain('\n');
  });

  it('details the tables as a markdown table, pipes escaped', () => {
    expect(runDetails(TWO).split('\n')).toEqual([
      'Job **staging-refresh**, 2 table(s). Only cursors and counts pass through this workflow; items never do.',
      '',
      '| source | destination | subset | mode | mapped paths |',
      '| --- | --- | --- | --- | --- |',
      "| `Users` on prod | `UsersStaging` on staging | `Status = 'active' AND \"Plan\" <> 'free\\|trial'` | replace, created if missing | 2 |",
      '| `Orders` (index `ByDate`) on prod | `Orders` on staging | all items | upsert | 0 |',
    ]);
  });

  it('stops the details before the server limit and says how many tables it left out', () => {
    const many = job(Array.from({ length: 1000 }, (_, i) => table({ source: `Table${i}`, destination: `Table${i}Copy` })));
    const details = runDetails(many);
    expect(Buffer.byteLength(details)).toBeLessThanOrEqual(16_000);
    expect(details).toMatch(/\n\n… and \d+ more table\(s\)$/);
  });

  it('tags the run with its job and each source table once', () => {
    const attributes = runSearchAttributes(job([table({}), table({ destination: 'UsersArchive' }), table({ source: 'Orders' })]));
    expect(attributes.map((a) => [a.key.name, a.value])).toEqual([
      ['DynamaskJob', 'staging-refresh'],
      ['DynamaskTable', ['Users', 'Orders']],
    ]);
  });
});
