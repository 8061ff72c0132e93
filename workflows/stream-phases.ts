/**
 * An incremental table (mode incremental) after prepare. With a checkpoint
 * the stream can serve, only the apply phase runs (apply-phase.ts). Without
 * one (the first run, or when the stream cannot serve: none, no images,
 * replaced, trimmed, or the mapping changed; planStream says which), the
 * stream's position is taken first, then the table is copied in full and
 * pruned as `mode: replace` does (table-phases.ts), the position saved as
 * the checkpoint, and the changes made during the copy applied from it.
 * A stored checkpoint is cleared before a full copy starts, so that a copy
 * cut short leaves none to apply changes on top of a half-made destination.
 *
 * A stream position lost while applying (a shard trimmed, a checkpoint
 * past retention) means a full copy in the same run, for that reason.
 */
import type { TableCounts } from '../model/counts.ts';
import { applyPhase, planStream } from './apply-phase.ts';
import type { CopyTableInput, CopyTableResume } from './shared.ts';
import type { StreamResume } from './stream-status.ts';
import { loadCheckpoint, saveCheckpoint } from './stream-checkpoint.ts';
import { tableActivityInput } from './table-activity-input.ts';
import { runPhases, type PhaseRun } from './table-phases.ts';

export interface IncrementalRun extends Omit<PhaseRun, 'calls' | 'carry'> {
  /** The stream's state changed (a fallback's reason, the lag): for progress. */
  streamed(stream: StreamResume): void;
}

export async function runIncremental(run: IncrementalRun): Promise<StreamResume> {
  const { input, plan } = run;
  const tableInput = tableActivityInput(input, plan);
  const calls = { made: 0 };
  let stream: StreamResume = { ...input.resume?.stream, ...(input.follow && { following: true }) };
  let phase: CopyTableResume['phase'] | undefined = input.resume?.phase;
  let resume = input.resume;
  const resumeWith = (more: Partial<CopyTableResume>): CopyTableResume => ({
    phase: 'apply',
    segments: [],
    counts: run.counts(),
    startedAtMs: run.startedAtMs,
    prepared: plan,
    reports: run.reports(),
    stream,
    ...more,
  });
  let ready;

  if (phase === undefined) {
    const stored = await loadCheckpoint(input.jobName, input.table);
    const planned = await planStream({ ...tableInput, ...(stored && { checkpoint: stored }), atMs: Date.now() });
    if (planned.kind === 'full') {
      stream = { ...stream, fallback: planned.reason, ...(planned.position && { checkpoint: planned.position }) };
      if (stored) await saveCheckpoint(input.jobName, input.table, null);
      phase = 'copy';
    } else {
      stream = { ...stream, checkpoint: planned.checkpoint };
      ready = planned.ready;
      phase = 'apply';
    }
  }
  for (;;) {
    run.streamed(stream);
    if (phase === 'copy' || phase === 'prune') {
      const copyInput: CopyTableInput = { ...input, ...(resume && resume.phase !== 'apply' ? { resume } : { resume: undefined }) };
      await runPhases({ ...run, input: copyInput, calls, carry: () => ({ stream }) });
      if (!stream.checkpoint) return stream;
      // The baseline: every change from the position on is applied now, and by any run after this one.
      await saveCheckpoint(input.jobName, input.table, stream.checkpoint);
      phase = 'apply';
    }
    run.entering('apply');
    const outcome = await applyPhase({
      input,
      tableInput,
      checkpoint: stream.checkpoint!,
      ...(ready && { ready }),
      calls,
      progressed: async (counts: Partial<TableCounts>, lagMs: number) => {
        stream = { ...stream, lagMs };
        run.streamed(stream);
        await run.progressed(counts);
      },
      resume: (checkpoint) => resumeWith({ stream: { ...stream, checkpoint } }),
    });
    if (outcome.kind === 'done') return { ...stream, checkpoint: outcome.checkpoint };
    // Lost: a full copy now, from a new position.
    const fresh = await planStream({ ...tableInput, atMs: Date.now() });
    stream = { ...(input.follow && { following: true }), fallback: outcome.reason, ...(fresh.kind === 'full' && fresh.position && { checkpoint: fresh.position }) };
    await saveCheckpoint(input.jobName, input.table, null);
    phase = 'copy';
    resume = undefined;
    ready = undefined;
  }
}
