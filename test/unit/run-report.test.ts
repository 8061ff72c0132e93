import { describe, expect, it } from 'vitest';
import { formatSummary, runReportJson } from '../../src/cli/run-report.ts';
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
});
