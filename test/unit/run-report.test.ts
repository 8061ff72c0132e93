import { describe, expect, it } from 'vitest';
import { formatSummary, streamLine, runReportJson } from '../../src/cli/run-report.ts';
import type { RefreshJobResult, TableReport } from '../../workflows/shared.ts';

const USERS: TableReport = {
  source: 'Users',
  destination: 'UsersStaging',
  sourceConnection: 'prod',
  destinationConnection: 'staging',
  read: 12000,
  written: 12000,
  typeMismatches: 0,
  deleted: 17,
  durationMs: 4_000,
  readPlan: 'parallel Scan, 4 segments',
  mode: 'replace',
};
const ORDERS: TableReport = { ...USERS, source: 'Orders', destination: 'Orders', read: 50, written: 50, typeMismatches: 3, deleted: 0, durationMs: 500, readPlan: 'PartiQL paging', mode: 'upsert' };
const RESULT: RefreshJobResult = { job: 'staging-refresh', tables: [USERS, ORDERS], durationMs: 4_250 };

describe('run report', () => {
  it('adds a stream line per incremental table: records, puts, deletes, skipped, lag, and why it copied in full', () => {
    const applied: TableReport = { ...USERS, mode: 'incremental', read: 0, written: 0, deleted: 0, records: 10, puts: 6, removes: 3, skipped: 1, stream: { lagMs: 1_500 } };
    const full: TableReport = { ...USERS, mode: 'incremental', records: 2, puts: 2, removes: 0, skipped: 0, stream: { lagMs: 0, fallback: 'first run: no checkpoint yet' } };
    expect(formatSummary({ ...RESULT, tables: [applied, full] }).split('\n').slice(2)).toEqual([
      'Users -> UsersStaging      0        0        0                0      4.0        0  parallel Scan, 4 segments',
      'Users -> UsersStaging  12000    12000       17                0      4.0     3000  parallel Scan, 4 segments',
      'Users -> UsersStaging stream: 10 records read, 6 puts, 3 deletes, 1 skipped (outside the subset), lag 1.5s',
      'Users -> UsersStaging stream: 2 records read, 2 puts, 0 deletes, 0 skipped (outside the subset), lag 0.0s; full copy: first run: no checkpoint yet',
    ]);
    expect(runReportJson({ ...RESULT, tables: [applied, full, ORDERS] }, 'w').tables.map((t) => t.stream)).toEqual([
      { records: 10, puts: 6, deletes: 3, skipped: 1, lagMs: 1_500 },
      { records: 2, puts: 2, deletes: 0, skipped: 0, lagMs: 0, fallback: 'first run: no checkpoint yet' },
      undefined,
    ]);
  });

  it("says a stopped follower's lag is the one it stopped with", () => {
    const stopped: TableReport = { ...USERS, mode: 'incremental', records: 7, puts: 7, removes: 0, skipped: 0, stream: { lagMs: 0, following: true } };
    expect(streamLine(stopped)).toBe('Users -> UsersStaging stream: 7 records read, 7 puts, 0 deletes, 0 skipped (outside the subset), lag 0.0s when it stopped following');
  });

  it('adds roots, items followed in and collections where a table copies whole collections', () => {
    const accounts: TableReport = { ...ORDERS, source: 'SingleTable', destination: 'Copy', read: 40, written: 40, typeMismatches: 0, roots: 6, followed: 34, collections: 5, readPlan: 'whole collections: roots by Query on pk (5 partition values), then a Query on pk per collection' };
    const lines = formatSummary({ ...RESULT, tables: [accounts, ORDERS] }).split('\n');
    expect(lines.slice(1)).toEqual([
      'table                read  roots  followed  collections  written  deleted  type mismatches  seconds  items/s  read plan',
      'SingleTable -> Copy    40      6        34            5       40        -                0      0.5       80  whole collections: roots by Query on pk (5 partition values), then a Query on pk per collection',
      'Orders -> Orders       50      -         -            -       50        -                3      0.5      100  PartiQL paging',
    ]);
    expect(runReportJson({ ...RESULT, tables: [accounts] }, 'w').tables[0]).toMatchObject({ roots: 6, followed: 34, collections: 5 });
    expect('roots' in runReportJson(RESULT, 'w').tables[0]!).toBe(false);
  });

  it('adds dangling references where a table follows references by a Scan, and a dash elsewhere', () => {
    const orders: TableReport = { ...ORDERS, read: 30, written: 30, typeMismatches: 0, roots: 0, followed: 30, collections: 0, dangling: 4, readPlan: 'references to Users.userId selected by Scan, 1 segment; Scan, 1 segment keeping items whose customerId is a selected key (no GSI on customerId)' };
    const lines = formatSummary({ ...RESULT, tables: [USERS, orders] }).split('\n');
    expect(lines.slice(1)).toEqual([
      'table                   read  roots  followed  collections  dangling  written  deleted  type mismatches  seconds  items/s  read plan',
      'Users -> UsersStaging  12000      -         -            -         -    12000       17                0      4.0     3000  parallel Scan, 4 segments',
      'Orders -> Orders          30      0        30            0         4       30        -                0      0.5       60  references to Users.userId selected by Scan, 1 segment; Scan, 1 segment keeping items whose customerId is a selected key (no GSI on customerId)',
    ]);
    expect(runReportJson({ ...RESULT, tables: [orders] }, 'w').tables[0]).toMatchObject({ followed: 30, dangling: 4 });
    expect('dangling' in runReportJson(RESULT, 'w').tables[0]!).toBe(false);
  });

  it('summarizes each table with deleted items (a dash for upsert) and its read plan', () => {
    expect(formatSummary(RESULT).split('\n')).toEqual([
      'staging-refresh: 2 table(s) copied in 4.3s',
      'table                   read  written  deleted  type mismatches  seconds  items/s  read plan',
      'Users -> UsersStaging  12000    12000       17                0      4.0     3000  parallel Scan, 4 segments',
      'Orders -> Orders          50       50        -                3      0.5      100  PartiQL paging',
    ]);
  });

  it('gives --json a fixed shape: job, workflow ID, duration, and per table counts, rate, read plan and mode', () => {
    const json = runReportJson(RESULT, 'dynamask/staging-refresh/2025-01-01T03:00:00.000Z');
    expect(JSON.parse(JSON.stringify(json))).toEqual({
      job: 'staging-refresh',
      workflowId: 'dynamask/staging-refresh/2025-01-01T03:00:00.000Z',
      durationMs: 4_250,
      tables: [
        {
          source: 'Users',
          destination: 'UsersStaging',
          sourceConnection: 'prod',
          destinationConnection: 'staging',
          mode: 'replace',
          readPlan: 'parallel Scan, 4 segments',
          read: 12000,
          written: 12000,
          deleted: 17,
          typeMismatches: 0,
          durationMs: 4_000,
          itemsPerSecond: 3000,
        },
        {
          source: 'Orders',
          destination: 'Orders',
          sourceConnection: 'prod',
          destinationConnection: 'staging',
          mode: 'upsert',
          readPlan: 'PartiQL paging',
          read: 50,
          written: 50,
          deleted: 0,
          typeMismatches: 3,
          durationMs: 500,
          itemsPerSecond: 100,
        },
      ],
    });
  });

  it('shows the merged count of tables that count merges, in the summary and the JSON', () => {
    const keys: TableReport = { ...ORDERS, source: 'Keys', destination: 'KeysCopy', read: 500, written: 500, typeMismatches: 0, merged: 10 };
    const result: RefreshJobResult = { ...RESULT, tables: [keys, ORDERS] };
    expect(formatSummary(result).split('\n').slice(1)).toEqual([
      'table             read  written  deleted  merged  type mismatches  seconds  items/s  read plan',
      'Keys -> KeysCopy   500      500        -      10                0      0.5     1000  PartiQL paging',
      'Orders -> Orders    50       50        -       -                3      0.5      100  PartiQL paging',
    ]);
    const json = runReportJson(result, 'id');
    expect(json.tables[0]).toMatchObject({ read: 500, written: 500, merged: 10 });
    expect(json.tables[1]).not.toHaveProperty('merged');
  });

  it('shows the oversize count of tables that skip oversize items, in the summary and the JSON', () => {
    const big: TableReport = { ...ORDERS, source: 'Docs', destination: 'DocsCopy', read: 500, written: 498, typeMismatches: 0, oversize: 2 };
    const result: RefreshJobResult = { ...RESULT, tables: [big, ORDERS] };
    expect(formatSummary(result).split('\n').slice(1)).toEqual([
      'table             read  written  deleted  oversize  type mismatches  seconds  items/s  read plan',
      'Docs -> DocsCopy   500      498        -         2                0      0.5      996  PartiQL paging',
      'Orders -> Orders    50       50        -         -                3      0.5      100  PartiQL paging',
    ]);
    const json = runReportJson(result, 'id');
    expect(json.tables[0]).toMatchObject({ read: 500, written: 498, oversize: 2 });
    expect(json.tables[1]).not.toHaveProperty('oversize');
  });

  it('keeps whatever else the workflow result grows out of the JSON', () => {
    const table = { ...USERS, internalCursor: 'x' };
    const grown: RefreshJobResult = { ...RESULT, tables: [table] };
    expect(Object.keys(runReportJson(grown, 'id').tables[0]!)).not.toContain('internalCursor');
  });

  it('adds the privacy report: per path and transformer the values taken and type mismatches, and the unnamed paths; counts only', () => {
    const users: TableReport = {
      ...USERS,
      paths: [
        { path: 'email', transformer: 'email', values: 11_990, typeMismatches: 10 },
        { path: 'status', transformer: 'passthrough', values: 12_000, typeMismatches: 0 },
        { path: 'nickname', transformer: 'characterScramble', values: 40, typeMismatches: 0, unnamed: true },
        { path: 'prefs.*', values: 3, typeMismatches: 0, unnamed: true },
      ],
    };
    const result: RefreshJobResult = { ...RESULT, tables: [users, ORDERS] };
    expect(formatSummary(result).split('\n').slice(4)).toEqual([
      'privacy report:',
      '  Users -> UsersStaging: values per path (counts only)',
      '    path      transformer                       values  type mismatches',
      '    email     email                              11990               10',
      '    nickname  characterScramble (default)           40                0',
      '    prefs.*   (copied: no mapping, no default)       3                0',
      '    status    passthrough (kept)                 12000                0',
      '    paths the job does not name: nickname, prefs.*',
    ]);
    expect(runReportJson(result, 'w').tables[0]!.privacy).toEqual({ paths: [users.paths![0], users.paths![2], users.paths![3], users.paths![1]], unnamed: ['nickname', 'prefs.*'], truncated: false });
    expect(runReportJson(result, 'w').tables[1]!.privacy).toBeUndefined();
  });
});
