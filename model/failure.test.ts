import { describe, expect, it } from 'vitest';
import { jobFailureOf, renderJobFailure, renderTableFailure, tableFailureOf, type TableFailure } from './failure.ts';

const missing: TableFailure = {
  source: 'Movies',
  destination: 'MoviesCopy',
  phase: 'prepare',
  counts: { read: 0, written: 0, deleted: 0 },
  reason: 'TableNotFound',
  message: 'table "MoviesCopy" not found on connection "local" (createTable: true would create it)',
  connection: 'local',
};

const script: TableFailure = {
  source: 'Users',
  destination: 'UsersStaging',
  phase: 'copy',
  counts: { read: 1200, written: 1100, deleted: 0 },
  reason: 'ScriptFailed',
  message: 'info.rating of the item with key year, title: the js mapping of "info.rating" ran longer than sandbox.timeoutMs (100 ms)',
  path: 'info.rating',
};

const prune: TableFailure = {
  source: 'Orders',
  destination: 'OrdersStaging',
  phase: 'prune',
  counts: { read: 500, written: 500, deleted: 12 },
  reason: 'Unreachable',
  message: 'looking up keys in the source: connection "prod": cannot reach DynamoDB at the us-east-1 endpoint (ECONNRESET)',
  connection: 'prod',
};

describe('rendering a table failure', () => {
  it('names the table once, the phase, how far it got and why', () => {
    expect(renderTableFailure(missing)).toBe(
      'table "Movies" -> "MoviesCopy" failed while preparing, after 0 items read and 0 written: table "MoviesCopy" not found on connection "local" (createTable: true would create it)',
    );
    expect(renderTableFailure(script)).toBe(
      'table "Users" -> "UsersStaging" failed while copying, after 1200 items read and 1100 written: info.rating of the item with key year, title: the js mapping of "info.rating" ran longer than sandbox.timeoutMs (100 ms)',
    );
  });

  it('counts deletes while pruning', () => {
    expect(renderTableFailure(prune)).toBe(
      'table "Orders" -> "OrdersStaging" failed while pruning, after 500 items read, 500 written and 12 deleted: looking up keys in the source: connection "prod": cannot reach DynamoDB at the us-east-1 endpoint (ECONNRESET)',
    );
    expect(renderTableFailure({ ...prune, counts: { read: 500, written: 500, deleted: 0 } })).toContain('after 500 items read, 500 written and 0 deleted:');
  });
});

describe('rendering a job failure', () => {
  it('is the table line alone for a job of one table', () => {
    expect(renderJobFailure({ job: 'movies', tables: 1, failures: [missing] })).toBe(renderTableFailure(missing));
  });

  it('says how many tables failed when the job has more', () => {
    expect(renderJobFailure({ job: 'nightly', tables: 3, failures: [script] })).toBe(`1 of 3 tables failed: ${renderTableFailure(script)}`);
  });

  it('says each failed table once, one per line', () => {
    expect(renderJobFailure({ job: 'nightly', tables: 3, failures: [missing, prune] })).toBe(
      [
        '2 of 3 tables failed:',
        '  table "Movies" -> "MoviesCopy" failed while preparing, after 0 items read and 0 written: table "MoviesCopy" not found on connection "local" (createTable: true would create it)',
        '  table "Orders" -> "OrdersStaging" failed while pruning, after 500 items read, 500 written and 12 deleted: looking up keys in the source: connection "prod": cannot reach DynamoDB at the us-east-1 endpoint (ECONNRESET)',
      ].join('\n'),
    );
  });
});

describe('reading records back from failure details', () => {
  it('takes records as they travel (JSON) and refuses anything else', () => {
    const job = JSON.parse(JSON.stringify({ job: 'nightly', tables: 3, failures: [missing, script] }));
    expect(jobFailureOf(job)).toEqual({ job: 'nightly', tables: 3, failures: [missing, script] });
    expect(tableFailureOf(JSON.parse(JSON.stringify(prune)))).toEqual(prune);
    // What an older version put in details: the counts alone.
    expect(tableFailureOf({ read: 0, written: 0, typeMismatches: 0, deleted: 0 })).toBeUndefined();
    expect(tableFailureOf({ ...missing, reason: 'NoSuchReason' })).toBeUndefined();
    expect(tableFailureOf({ ...missing, phase: 'write' })).toBeUndefined();
    expect(tableFailureOf({ ...missing, counts: { read: 0, written: 0 } })).toBeUndefined();
    expect(jobFailureOf({ job: 'nightly', tables: 3, failures: [missing, { message: 'x' }] })).toBeUndefined();
    expect(jobFailureOf(undefined)).toBeUndefined();
  });
});
