/**
 * The workflow side of failures: what copyTable and refreshJob make of the
 * Temporal failures their activities and children end with, and how the
 * Temporal UI shows a failed table.
 */
import { ActivityFailure, ApplicationFailure, ChildWorkflowFailure, RetryState, TerminatedFailure, TimeoutFailure, TimeoutType } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { renderTableFailure, type TableFailure } from '../../model/failure.ts';
import type { TableJob } from '../../model/job.ts';
import { causeOf, childTableFailure, tableFailure } from '../../workflows/table-failure.ts';
import { tableDetails } from '../../workflows/table-details.ts';

const table = { source: 'Users', destination: 'UsersStaging' } as TableJob;
const counts = { read: 300, written: 200, typeMismatches: 4, deleted: 0 };
const cause = { reason: 'ScriptFailed' as const, message: 'tags[*] of the item with key id: the js mapping of "tags[*]" threw TypeError', path: 'tags[*]' };
const activity = (inner: Error) => new ActivityFailure('Activity task failed', 'copyPages', '1', RetryState.NON_RETRYABLE_FAILURE, 'worker', inner);
const child = (inner: Error) => new ChildWorkflowFailure('default', { workflowId: 'run/0-Users', runId: 'r' }, 'copyTable', RetryState.NON_RETRYABLE_FAILURE, inner);

describe('a table failure from what its activity failed with', () => {
  it('takes the cause record the activity put in its details, and adds the table, the phase and the counts', () => {
    const failure = tableFailure(table, 'copy', counts, activity(ApplicationFailure.create({ type: 'ScriptFailed', message: 'standalone text', nonRetryable: true, details: [cause] })));
    expect(failure).toEqual({ source: 'Users', destination: 'UsersStaging', phase: 'copy', counts: { read: 300, written: 200, deleted: 0 }, ...cause });
  });

  it('gives failures without a record a reason from their kind', () => {
    const heartbeat = activity(new TimeoutFailure('activity Heartbeat timeout', undefined, TimeoutType.HEARTBEAT));
    expect(causeOf(heartbeat)).toEqual({ reason: 'TimedOut', message: 'copyPages timed out (activity Heartbeat timeout)' });
    // A worker of an older version: its message, as it was.
    expect(causeOf(activity(ApplicationFailure.nonRetryable('table "Users": info.rating: bad', 'TransformFailed')))).toEqual({ reason: 'Unexpected', message: 'table "Users": info.rating: bad' });
  });
});

describe("a child's failure as refreshJob sees it", () => {
  const record: TableFailure = { source: 'Users', destination: 'UsersStaging', phase: 'prune', counts: { read: 9, written: 9, deleted: 2 }, reason: 'Unreachable', message: 'x' };

  it("is the child's own record", () => {
    const failed = child(ApplicationFailure.create({ type: 'TableFailed', message: renderTableFailure(record), nonRetryable: true, details: [record] }));
    expect(childTableFailure(failed, table, { phase: 'copy', ...counts })).toEqual(record);
  });

  it('is made from its last report when the child ended from outside', () => {
    expect(childTableFailure(child(new TerminatedFailure('Terminated')), table, { phase: 'copy', ...counts })).toEqual({
      source: 'Users',
      destination: 'UsersStaging',
      phase: 'copy',
      counts: { read: 300, written: 200, deleted: 0 },
      reason: 'Terminated',
      message: "the table's workflow was terminated",
    });
  });
});

describe("the Temporal UI's details of a table", () => {
  it('shows a failed table by its failure, as markdown that keeps paths literal', () => {
    const failure = tableFailure(table, 'copy', counts, activity(ApplicationFailure.create({ details: [cause] })));
    const details = tableDetails({ source: 'Users', destination: 'UsersStaging', status: 'failed', ...counts, startedAtMs: 0, finishedAtMs: 1000, readPlan: 'PartiQL paging', failure }, 2000);
    expect(details).toBe(
      'table "Users" -> "UsersStaging" failed while copying, after 300 items read and 200 written: tags\\[\\*\\] of the item with key id: the js mapping of "tags\\[\\*\\]" threw TypeError\n\nread: PartiQL paging',
    );
  });

  it('shows a running table by its counts and rate', () => {
    expect(tableDetails({ source: 'Users', destination: 'UsersStaging', status: 'running', ...counts, startedAtMs: 0 }, 2000)).toBe('**Users -> UsersStaging**: running\n\n300 read, 200 written, 100 items/s');
    const following = { source: 'Users', destination: 'UsersStaging', status: 'running' as const, ...counts, records: 12, puts: 9, removes: 2, skipped: 1, startedAtMs: 0 };
    expect(tableDetails({ ...following, stream: { following: true, lagMs: 1_200, fallback: 'first run: no checkpoint yet' } }, 2000)).toBe(
      '**Users -> UsersStaging**: running\n\n300 read, 200 written, 100 items/s\n\nfollowing its stream: 12 changes applied (9 puts, 2 deletes, 1 skipped), lag 1.2s\n\nfull copy: first run: no checkpoint yet',
    );
  });
});
