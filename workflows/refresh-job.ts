/**
 * One run of a job: a copyTable child per table, all at once, and a
 * progress query that answers for every table from the children's reports.
 */
import { ApplicationFailure, ChildWorkflowFailure, executeChild, setHandler, uuid4, workflowInfo } from '@temporalio/workflow';
import { copyTable } from './copy-table.ts';
import { progressQuery, tableProgressSignal, ZERO_COUNTS, type RefreshJobInput, type RefreshJobResult, type TableProgress } from './shared.ts';

export async function refreshJob({ job }: RefreshJobInput): Promise<RefreshJobResult> {
  const startedAtMs = Date.now();
  // Without a job salt, a random one per run: consistent within the run, unlinkable across runs.
  const salt = job.salt ?? uuid4();
  const progress: TableProgress[] = job.tables.map((t) => ({ source: t.source, destination: t.destination, status: 'pending', ...ZERO_COUNTS }));
  setHandler(progressQuery, () => progress);
  setHandler(tableProgressSignal, ({ tableIndex, progress: update }) => {
    if (progress[tableIndex]) progress[tableIndex] = update;
  });

  const { workflowId } = workflowInfo();
  const results = await Promise.allSettled(
    job.tables.map((table, tableIndex) => {
      progress[tableIndex]!.status = 'running';
      return executeChild(copyTable, {
        workflowId: `${workflowId}/${tableIndex}-${table.source}`,
        args: [{ jobName: job.name, table, connections: job.connections, defaults: job.defaults, salt, sandbox: job.sandbox, keysAreSensitive: job.keysAreSensitive, parent: { workflowId, tableIndex } }],
      });
    }),
  );

  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
  if (failures.length > 0) {
    const messages = failures.map((f) => (f instanceof ChildWorkflowFailure && f.cause ? f.cause.message : String(f)));
    throw ApplicationFailure.nonRetryable(`${failures.length} of ${job.tables.length} table(s) failed: ${messages.join('; ')}`, 'JobFailed');
  }
  return {
    job: job.name,
    tables: results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])),
    durationMs: Date.now() - startedAtMs,
  };
}
