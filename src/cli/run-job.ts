/**
 * Runs one job file against a Temporal target: registers the search
 * attributes a run carries if the namespace lacks them, refuses while another
 * run of the job holds its lock, shows progress on stderr, prints the summary
 * (or the JSON report) on stdout. Used by `dynamask run`, `dynamask follow`
 * and the demo.
 *
 * A follower (`dynamask follow`) runs until it is canceled. Interrupted
 * (Ctrl-C), this process detaches and the follower goes on on the task
 * queue's workers, since following is meant to outlive a terminal; with
 * `--worker` the worker is this process, so the follower is stopped first
 * (canceled, leaving its checkpoint) and its report printed.
 */
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import type { RefreshJobResult } from '../../workflows/shared.ts';
import { assertJobNotRunning, explainRunFailure, followRun, startRun } from '../client/runs.ts';
import { WorkflowFailedError } from '@temporalio/client';
import type { Job } from '../../model/job.ts';
import { JobFileError, loadJobFileWithWarnings, renderProblem } from '../job/job-loader.ts';
import { tableProblemsError } from '../job/table-problems.ts';
import { withCommandLineSeeds } from '../job/command-line-seeds.ts';
import { ProgressView, type ProgressOutput } from './progress-view.ts';
import { formatSummary, runReportJson } from './run-report.ts';
import { runFailure } from './status.ts';
import { connectClient, connectWorker, describeTarget, type TemporalTarget } from '../temporal/connection.ts';
import { ensureSearchAttributes } from '../temporal/search-attributes.ts';
import { createWorker } from '../worker/worker.ts';

export interface RunOptions {
  worker?: boolean;
  json?: boolean;
  /** `--seed <table>=<value>`, repeated. */
  seed?: string[];
  /** `dynamask follow`: every incremental table follows its stream until the run is stopped. */
  follow?: boolean;
  /** Ctrl-C, for a follower: detach, or with `worker`, stop it. */
  interrupt?: AbortSignal;
}

export interface RunOutcome {
  workflowId: string;
  result: RefreshJobResult;
}

/** A follower this process left running (interrupted without its worker): no result yet. */
export interface Detached {
  workflowId: string;
  detached: true;
}

export async function runJobFile(file: string, target: TemporalTarget, options: RunOptions & { follow?: false }, progressOut?: ProgressOutput): Promise<RunOutcome>;
export async function runJobFile(file: string, target: TemporalTarget, options: RunOptions, progressOut?: ProgressOutput): Promise<RunOutcome | Detached>;
export async function runJobFile(file: string, target: TemporalTarget, options: RunOptions, progressOut: ProgressOutput = process.stderr): Promise<RunOutcome | Detached> {
  const loaded = await loadJobFileWithWarnings(file, builtinRegistry);
  const job = withCommandLineSeeds(loaded.job, file, options.seed ?? []);
  if (options.follow) assertSomethingToFollow(job, file);
  const { warnings } = loaded;
  for (const warning of warnings) console.error(`warning: ${renderProblem(warning)}`);
  const client = await connectClient(target);
  let worker: Awaited<ReturnType<typeof createWorker>> | undefined;
  let workerConnection: Awaited<ReturnType<typeof connectWorker>> | undefined;
  let workerRun: Promise<void> | undefined;
  try {
    const attributes = await ensureSearchAttributes(client.connection, target.namespace);
    if (attributes.added.length > 0) console.error(`registered search attributes ${attributes.added.join(', ')} on namespace ${target.namespace}`);
    await assertJobNotRunning(client, job.name);
    if (options.worker) {
      workerConnection = await connectWorker(target);
      worker = await createWorker({ connection: workerConnection, namespace: target.namespace });
      workerRun = worker.run();
    }
    const handle = await startRun(client, job, { ...(options.follow && { follow: true }) });
    console.error(`started ${handle.workflowId} on ${describeTarget(target)}`);
    if (options.follow) {
      console.error(
        options.worker
          ? `following until stopped: Ctrl-C (or \`dynamask stop ${handle.workflowId}\`) stops it, leaving its checkpoint`
          : `following until stopped: \`dynamask stop ${handle.workflowId}\` stops it, leaving its checkpoint; Ctrl-C only detaches`,
      );
    }
    const view = new ProgressView(progressOut);
    const detach = new AbortController();
    const finished = followRun(handle, (tables) => view.update(tables), undefined, detach.signal).catch(async (error: unknown) => {
      throw (await jobFileProblems(file, job, error)) ?? (await explainRunFailure(client, job.name, handle.workflowId, error));
    });
    const interrupted = options.interrupt ? untilAborted(options.interrupt) : new Promise<'interrupted'>(() => undefined);
    if ((await Promise.race([finished, interrupted])) === 'interrupted') {
      if (!options.worker) {
        detach.abort();
        await finished.catch(() => undefined);
        console.error(`detached from ${handle.workflowId}: it goes on following; \`dynamask stop ${handle.workflowId}\` stops it`);
        return { workflowId: handle.workflowId, detached: true };
      }
      console.error(`stopping ${handle.workflowId}…`);
      await handle.cancel();
    }
    const result = await finished;
    view.finish(result.tables);
    console.log(options.json ? JSON.stringify(runReportJson(result, handle.workflowId), null, 2) : formatSummary(result));
    return { workflowId: handle.workflowId, result };
  } finally {
    if (worker) {
      worker.shutdown();
      await workerRun;
    }
    await workerConnection?.close();
    await client.connection.close();
  }
}

/** Following needs a table with a stream to follow; the other tables of the job are copied once, as a run copies them. */
function assertSomethingToFollow(job: Job, file: string): void {
  if (job.tables.some((t) => t.mode === 'incremental')) return;
  throw new JobFileError(file, [{ file, path: 'mode', message: 'dynamask follow needs a table with mode: incremental (it follows that table\'s stream); this job has none' }]);
}

function untilAborted(signal: AbortSignal): Promise<'interrupted'> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve('interrupted');
    signal.addEventListener('abort', () => resolve('interrupted'), { once: true });
  });
}

/**
 * A run refused only for what its job file says (a key mapping that can
 * merge keys, found by prepareTable, before anything of those tables was
 * written): the same kind of message as the loader's, at the file's lines,
 * and exit code 2. Undefined for any other failure.
 */
async function jobFileProblems(file: string, job: Job, error: unknown) {
  if (!(error instanceof WorkflowFailedError)) return undefined;
  const failures = runFailure(error).failures ?? [];
  if (failures.length === 0 || !failures.every((f) => f.reason === 'BadKeyMapping' && f.tableProblems !== undefined)) return undefined;
  const tables = failures.map((f) => ({
    tableIndex: Math.max(0, job.tables.findIndex((t) => t.source === f.source && t.destination === f.destination)),
    problems: f.tableProblems!,
  }));
  return tableProblemsError(file, tables);
}
