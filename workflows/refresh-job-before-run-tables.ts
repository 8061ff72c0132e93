/**
 * refreshJob as it was before runTables (a copyTable child per table, all
 * at once, each reporting every call), kept word for word so that runs
 * started by workers of that version replay and finish on today's workers:
 * refreshJob takes this path when its history has no RUN_TABLES_PATCH
 * marker. Remove it, and the patch (deprecatePatch first), once no run of
 * that version can still be open.
 */
import { ApplicationFailure, executeChild, setCurrentDetails, setHandler, uuid4, workflowInfo } from '@temporalio/workflow';
import { ZERO_COUNTS } from '../model/counts.ts';
import { renderJobFailure, type JobFailure, type TableFailure } from '../model/failure.ts';
import { copyTable } from './copy-table.ts';
import { releaseJobLockSignal, takeLock } from './job-lock.ts';
import { DYNAMASK_JOB, DYNAMASK_TABLE } from './search-attributes.ts';
import { tableDetails } from './table-details.ts';
import { childTableFailure } from './table-failure.ts';
import {
  clipToBytes,
  progressQuery,
  SUMMARY_MAX_BYTES,
  tableProgressSignal,
  type RefreshJobInput,
  type RefreshJobResult,
  type TableProgress,
} from './shared.ts';

export async function refreshJobBeforeRunTables({ job }: RefreshJobInput): Promise<RefreshJobResult> {
  const startedAtMs = Date.now();
  const { workflowId } = workflowInfo();
  // Handlers first: `dynamask status` may ask before the lock is taken.
  const progress: TableProgress[] = job.tables.map((t) => ({ source: t.source, destination: t.destination, status: 'pending', ...ZERO_COUNTS }));
  const showDetails = () => setCurrentDetails(progress.map((p) => tableDetails(p, Date.now())).join('\n\n---\n\n'));
  setHandler(progressQuery, () => progress);
  setHandler(tableProgressSignal, ({ tableIndex, progress: update }) => {
    if (progress[tableIndex]) progress[tableIndex] = update;
    showDetails();
  });
  showDetails();
  const lock = await takeLock(job.name, workflowId);

  // Without a job salt, a random one per run: consistent within the run, unlinkable across runs.
  const salt = job.salt ?? uuid4();

  try {
    const results = await Promise.allSettled(
      job.tables.map((table, tableIndex) => {
        progress[tableIndex]!.status = 'running';
        return executeChild(copyTable, {
          workflowId: `${workflowId}/${tableIndex}-${table.source}`,
          staticSummary: clipToBytes(`${job.name}: ${table.source} -> ${table.destination}${table.where ? ` where ${table.where}` : ''}`, SUMMARY_MAX_BYTES),
          typedSearchAttributes: [
            { key: DYNAMASK_JOB, value: job.name },
            { key: DYNAMASK_TABLE, value: [table.source] },
          ],
          args: [
            {
              jobName: job.name,
              table,
              connections: job.connections,
              defaults: job.defaults,
              salt,
              sandbox: job.sandbox,
              keysAreSensitive: job.keysAreSensitive,
              parent: { workflowId, tableIndex },
            },
          ],
        });
      }),
    );

    const failures: TableFailure[] = [];
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') return;
      // The child's own record, or one from its last report when it ended from outside (terminated, timed out).
      const failure = childTableFailure(r.reason, job.tables[i]!, progress[i]!);
      progress[i] = { ...progress[i]!, status: 'failed', failure };
      failures.push(failure);
    });
    if (failures.length > 0) {
      showDetails();
      const failed: JobFailure = { job: job.name, tables: job.tables.length, failures };
      throw ApplicationFailure.create({ type: 'JobFailed', message: renderJobFailure(failed), nonRetryable: true, details: [failed] });
    }
    return {
      job: job.name,
      tables: results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])),
      durationMs: Date.now() - startedAtMs,
    };
  } finally {
    await lock.signal(releaseJobLockSignal).catch(() => undefined);
  }
}
