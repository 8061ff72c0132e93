import { describe, expect, it } from 'vitest';
import { lineFromProgress, lineFromReport } from '../../src/cli/progress-view.ts';
import { ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import { RetryState } from '@temporalio/common';
import { formatStatus, runFailure, runStatusJson, type RunStatus } from '../../src/cli/status.ts';
import type { JobFailure } from '../../model/failure.ts';
import type { TableReport } from '../../workflows/shared.ts';

const START = new Date('2025-01-01T03:00:00.000Z');
const ID = 'dynamask/users/2025-01-01T03:00:00.000Z';
const REPORT: TableReport = {
  source: 'Users',
  destination: 'UsersStaging',
  sourceConnection: 'prod',
  destinationConnection: 'staging',
  read: 900,
  written: 900,
  typeMismatches: 0,
  deleted: 0,
  durationMs: 3_000,
  readPlan: 'PartiQL paging',
  mode: 'upsert',
};

const JOB_FAILURE: JobFailure = {
  job: 'users',
  tables: 3,
  failures: [
    {
      source: 'Users',
      destination: 'UsersStaging',
      phase: 'copy',
      counts: { read: 10, written: 0, deleted: 0 },
      reason: 'NoCredentials',
      message: 'writing the destination: connection "staging": no AWS credentials from profile "staging"',
      connection: 'staging',
    },
    {
      source: 'Orders',
      destination: 'OrdersStaging',
      phase: 'prepare',
      counts: { read: 0, written: 0, deleted: 0 },
      reason: 'TableNotFound',
      message: 'table "OrdersStaging" not found on connection "staging" (createTable: true would create it)',
      connection: 'staging',
    },
  ],
};

/** As refreshJob fails; the client hands the details back decoded. */
const jobFailed = (job: JobFailure) => ApplicationFailure.create({ type: 'JobFailed', message: 'the rendering at the time', nonRetryable: true, details: [job] });

describe('dynamask status output', () => {
  it('shows a running run with the progress lines of `dynamask run`', () => {
    const now = START.getTime() + 12_000;
    const status: RunStatus = {
      workflowId: ID,
      job: 'users',
      state: 'running',
      startTime: START,
      tables: [lineFromProgress({ source: 'Users', destination: 'UsersStaging', status: 'running', read: 600, written: 600, typeMismatches: 0, deleted: 0, startedAtMs: now - 10_000 }, now)],
    };
    expect(formatStatus(status, now)).toBe(`${ID}: running for 12s\n  Users -> UsersStaging  running  600 read  600 written  60 items/s  10s`);
    expect(runStatusJson(status, now)).toEqual({
      workflowId: ID,
      job: 'users',
      status: 'running',
      startTime: '2025-01-01T03:00:00.000Z',
      durationMs: 12_000,
      tables: [{ source: 'Users', destination: 'UsersStaging', status: 'running', read: 600, written: 600, deleted: 0, typeMismatches: 0, durationMs: 10_000, itemsPerSecond: 60 }],
    });
  });

  it('says so when a run has not reported progress yet', () => {
    const status: RunStatus = { workflowId: ID, job: 'users', state: 'running', startTime: START, tables: [] };
    expect(formatStatus(status, START.getTime() + 1_000)).toBe(`${ID}: running for 1s\n  (starting: no progress yet)`);
  });

  it('shows a completed run from its report, its JSON a superset of `run --json`', () => {
    const status: RunStatus = {
      workflowId: ID,
      job: 'users',
      state: 'completed',
      startTime: START,
      closeTime: new Date(START.getTime() + 3_500),
      tables: [lineFromReport(REPORT)],
      report: { job: 'users', tables: [REPORT], durationMs: 3_200 },
    };
    expect(formatStatus(status)).toBe(`${ID}: completed in 3s\n  Users -> UsersStaging  completed  900 read  900 written  300 items/s  3s  PartiQL paging`);
    const json = runStatusJson(status);
    expect(json).toMatchObject({ status: 'completed', durationMs: 3_200, closeTime: '2025-01-01T03:00:03.500Z' });
    expect(json.tables).toEqual([{ status: 'completed', source: 'Users', destination: 'UsersStaging', sourceConnection: 'prod', destinationConnection: 'staging', mode: 'upsert', readPlan: 'PartiQL paging', read: 900, written: 900, deleted: 0, typeMismatches: 0, durationMs: 3_000, itemsPerSecond: 300 }]);
  });

  it('shows a failed run with its reason, rendered from the records it carries', () => {
    const { text, failures } = runFailure(new WorkflowFailedError('Workflow execution failed', jobFailed(JOB_FAILURE), RetryState.NON_RETRYABLE_FAILURE));
    const status: RunStatus = { workflowId: ID, job: 'users', state: 'failed', startTime: START, closeTime: new Date(START.getTime() + 65_000), tables: [], failure: text, ...(failures ? { failures } : {}) };
    expect(formatStatus(status)).toBe(
      [
        `${ID}: failed after 1m05s: 2 of 3 tables failed:`,
        '  table "Users" -> "UsersStaging" failed while copying, after 10 items read and 0 written: writing the destination: connection "staging": no AWS credentials from profile "staging"',
        '  table "Orders" -> "OrdersStaging" failed while preparing, after 0 items read and 0 written: table "OrdersStaging" not found on connection "staging" (createTable: true would create it)',
      ].join('\n'),
    );
    expect(runStatusJson(status)).toMatchObject({ status: 'failed', durationMs: 65_000, tables: [], failure: status.failure, failures: JOB_FAILURE.failures });
  });

  it('shows the message of a failed run that carries no records (an older version, the job lock)', () => {
    const old = ApplicationFailure.nonRetryable('1 of 1 table(s) failed: table "Users" -> "UsersStaging" failed after 10 items read and 0 written: access denied', 'JobFailed');
    // The SDK wraps a workflow's own failure in layers without a message.
    const wrapped = new WorkflowFailedError('Workflow execution failed', new ApplicationFailure('', undefined, false, undefined, old), RetryState.NON_RETRYABLE_FAILURE);
    expect(runFailure(wrapped)).toEqual({ text: old.message });
    const status: RunStatus = { workflowId: ID, job: 'users', state: 'failed', startTime: START, closeTime: new Date(START.getTime() + 65_000), tables: [], failure: runFailure(wrapped).text };
    expect(formatStatus(status)).toBe(`${ID}: failed after 1m05s: 1 of 1 table(s) failed: table "Users" -> "UsersStaging" failed after 10 items read and 0 written: access denied`);
    expect(runStatusJson(status)).not.toHaveProperty('failures');
  });
});
