/**
 * Runs started by the previous version of the workflows (commit 0ccae42:
 * refreshJob starting every table's copyTable, each signalling it after
 * every call) must replay on this version, or a worker upgrade in the
 * middle of a run would stall it with a nondeterminism error. The fixture
 * holds the histories of one such run (two tables, one in replace mode), its
 * lock, and a copyTable that continued as new, as that version's worker
 * recorded them; their payloads are job text, cursors sealed with a test
 * key, and counts.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../../src/worker/worker.ts';

interface Recorded {
  name: string;
  workflowId: string;
  history: Record<string, unknown>;
}

describe('histories of the previous version', () => {
  it('replay on this version without a nondeterminism error', async () => {
    const recorded = JSON.parse(await readFile(new URL('./fixtures/histories-0ccae42.json', import.meta.url), 'utf8')) as Recorded[];
    expect(recorded.map((r) => r.name).sort()).toEqual(['copyTable', 'copyTable', 'copyTable continued as new', 'copyTable continued as new', 'jobLock', 'refreshJob']);
    const histories = recorded.map(({ workflowId, history }) => ({ workflowId, history: temporal.api.history.v1.History.fromObject(history) }));
    const results: { workflowId: string; error?: string }[] = [];
    for await (const result of Worker.runReplayHistories({ workflowsPath: WORKFLOWS_PATH, replayName: 'previous-version' }, histories)) {
      results.push({ workflowId: result.workflowId, ...(result.error ? { error: result.error.message } : {}) });
    }
    expect(results).toEqual(histories.map(({ workflowId }) => ({ workflowId })));
  }, 180_000);
});
