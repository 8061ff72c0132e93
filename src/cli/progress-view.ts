/**
 * How a run's tables look in the terminal while it goes: one line per table,
 * redrawn in place on a TTY and logged now and then otherwise. `dynamask
 * status` prints the same lines. Counts and names only, never item values.
 */
import type { TableProgress, TableReport, TableStatus } from '../../workflows/shared.ts';
import { itemsPerSecond } from './run-report.ts';

/** What one table's line shows, from a progress answer or a final report. */
export interface TableLine {
  source: string;
  destination: string;
  status: TableStatus;
  read: number;
  written: number;
  deleted: number;
  /** Items merged on their destination key; only counted where the job allows key collisions. */
  merged?: number;
  /** Items left out for their size; only counted where the table has oversizeItems: skip. */
  oversize?: number;
  /** Items referring to nothing; only counted where a references table is read by a Scan. */
  dangling?: number;
  typeMismatches: number;
  /** How long the table has been (or was) copying; absent while pending or not known. */
  elapsedMs?: number;
  readPlan?: string;
  /** mode incremental: the stream's changes applied so far and how far behind it is. */
  stream?: StreamLine;
}

export interface StreamLine {
  /** Stream records applied (put, deleted or skipped as outside the subset). */
  changes: number;
  /** Age of the oldest record not applied yet, as of the last call (0: caught up); absent before the first call. */
  lagMs?: number;
  /** Follows its stream until stopped (`dynamask follow`). */
  following?: true;
}

/**
 * `startedAtMs` is workflow time, so a client whose clock runs behind the
 * server's could see a negative elapsed time: it counts as zero.
 */
export function lineFromProgress(progress: TableProgress, nowMs: number): TableLine {
  const line: TableLine = {
    source: progress.source,
    destination: progress.destination,
    status: progress.status,
    read: progress.read,
    written: progress.written,
    deleted: progress.deleted,
    ...(progress.merged !== undefined ? { merged: progress.merged } : {}),
    ...(progress.oversize !== undefined ? { oversize: progress.oversize } : {}),
    ...(progress.dangling !== undefined ? { dangling: progress.dangling } : {}),
    typeMismatches: progress.typeMismatches,
  };
  // A finished table's progress carries no end time, so its elapsed time would keep growing.
  if (progress.startedAtMs !== undefined && progress.status === 'running') line.elapsedMs = Math.max(0, nowMs - progress.startedAtMs);
  if (progress.readPlan) line.readPlan = progress.readPlan;
  const stream = streamLineOf(progress.records, progress.stream);
  if (stream) line.stream = stream;
  return line;
}

function streamLineOf(records: number | undefined, stream: TableProgress['stream']): StreamLine | undefined {
  if (stream === undefined && records === undefined) return undefined;
  return { changes: records ?? 0, ...(stream?.lagMs !== undefined && { lagMs: stream.lagMs }), ...(stream?.following && { following: true as const }) };
}

/** 0.0s, 12.3s: the lag, as the report prints it. */
export function formatLag(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

export function lineFromReport(report: TableReport): TableLine {
  return {
    source: report.source,
    destination: report.destination,
    status: 'completed',
    read: report.read,
    written: report.written,
    deleted: report.deleted,
    ...(report.merged !== undefined ? { merged: report.merged } : {}),
    ...(report.oversize !== undefined ? { oversize: report.oversize } : {}),
    ...(report.dangling !== undefined ? { dangling: report.dangling } : {}),
    typeMismatches: report.typeMismatches,
    elapsedMs: report.durationMs,
    readPlan: report.readPlan,
    ...(report.mode === 'incremental' && { stream: streamLineOf(report.records ?? 0, report.stream)! }),
  };
}

/** 42s, 3m05s, 1h02m03s. */
export function formatElapsed(ms: number): string {
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  if (h > 0) return `${h}h${two(m)}m${two(s)}s`;
  if (m > 0) return `${m}m${two(s)}s`;
  return `${s}s`;
}

/**
 * One line per table, columns aligned across the tables. The deleted and
 * type-mismatch columns appear only when some table has any, so the common
 * case stays short.
 */
export function formatTableLines(lines: readonly TableLine[]): string[] {
  const showDeleted = lines.some((l) => l.deleted > 0);
  const showMismatches = lines.some((l) => l.typeMismatches > 0);
  const showMerged = lines.some((l) => l.merged !== undefined);
  const showOversize = lines.some((l) => l.oversize !== undefined);
  const showStream = lines.some((l) => l.stream !== undefined);
  const showDangling = lines.some((l) => l.dangling !== undefined);
  const rows = lines.map((l) => {
    const timed = l.elapsedMs !== undefined;
    const cells = [`${l.source} -> ${l.destination}`, l.status, `${l.read} read`, `${l.written} written`];
    if (showDeleted) cells.push(`${l.deleted} deleted`);
    if (showMerged) cells.push(l.merged === undefined ? '-' : `${l.merged} merged`);
    if (showOversize) cells.push(l.oversize === undefined ? '-' : `${l.oversize} oversize`);
    if (showDangling) cells.push(l.dangling === undefined ? '-' : `${l.dangling} dangling`);
    if (showMismatches) cells.push(`${l.typeMismatches} type mismatches`);
    if (showStream) cells.push(l.stream ? streamCell(l.stream) : '-');
    cells.push(timed ? `${itemsPerSecond(l.written, l.elapsedMs!)} items/s` : '- items/s', timed ? formatElapsed(l.elapsedMs!) : '-');
    cells.push(l.readPlan ?? '');
    return cells;
  });
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => r[i]!.length))) ?? [];
  // Names, status and read plan read left to right; counts line up on their digits.
  const leftAligned = (i: number, row: string[]) => i <= 1 || i === row.length - 1;
  return rows.map((row) => row.map((cell, i) => (leftAligned(i, row) ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd());
}

function streamCell(stream: StreamLine): string {
  const lag = stream.lagMs !== undefined ? `, lag ${formatLag(stream.lagMs)}` : '';
  return `${stream.following ? 'following: ' : ''}${stream.changes} changes applied${lag}`;
}

/**
 * How often a plain log repeats a table's line: one line per tenth of the
 * run so far, between every 5 seconds and every minute, so a short run in CI
 * shows movement and a long one does not flood the log.
 */
export function plainLogIntervalMs(runElapsedMs: number): number {
  return Math.min(60_000, Math.max(5_000, runElapsedMs / 10));
}

export interface ProgressOutput {
  write(text: string): void;
  /** Redraw in place (a terminal) rather than append log lines. */
  isTTY?: boolean;
  /** Terminal width: longer lines are cut, as a wrapped line would break the redraw. */
  columns?: number;
}

/**
 * Turns the answers of the progress query into output: a frame of lines
 * redrawn in place on a terminal; otherwise a table's line when its status
 * changes, and when its counts moved and the log interval has passed.
 */
export class ProgressView {
  readonly #out: ProgressOutput;
  readonly #now: () => number;
  readonly #startedAtMs: number;
  #drawnLines = 0;
  readonly #logged = new Map<number, { status: TableStatus; atMs: number; counts: string }>();
  /** Elapsed time of tables seen finished, frozen when first seen so (progress has no end time). */
  readonly #finishedElapsed = new Map<number, number>();

  constructor(out: ProgressOutput, options: { now?: () => number } = {}) {
    this.#out = out;
    this.#now = options.now ?? Date.now;
    this.#startedAtMs = this.#now();
  }

  /** The progress query's latest answer. */
  update(tables: readonly TableProgress[]): void {
    const now = this.#now();
    const lines = tables.map((table, i) => {
      const line = lineFromProgress(table, now);
      if (table.status === 'running' || table.startedAtMs === undefined) return line;
      const elapsedMs = this.#finishedElapsed.get(i) ?? Math.max(0, now - table.startedAtMs);
      this.#finishedElapsed.set(i, elapsedMs);
      return { ...line, elapsedMs };
    });
    this.#show(lines, now, false);
  }

  /** The run's final report: the last frame, with exact durations. */
  finish(tables: readonly TableReport[]): void {
    this.#show(tables.map(lineFromReport), this.#now(), true);
  }

  #show(lines: TableLine[], nowMs: number, final: boolean): void {
    const text = formatTableLines(lines);
    if (this.#out.isTTY) {
      const width = this.#out.columns && this.#out.columns > 1 ? this.#out.columns - 1 : undefined;
      const frame = text.map((line) => (width && line.length > width ? `${line.slice(0, width - 1)}…` : line));
      // Back to the first line of the previous frame, then clear to the end of the screen.
      const rewind = this.#drawnLines > 0 ? `\x1b[${this.#drawnLines}F\x1b[J` : '';
      this.#out.write(`${rewind}${frame.join('\n')}\n`);
      this.#drawnLines = frame.length;
      return;
    }
    const interval = plainLogIntervalMs(nowMs - this.#startedAtMs);
    lines.forEach((line, i) => {
      const counts = `${line.read}/${line.written}/${line.deleted}/${line.typeMismatches}/${line.oversize ?? '-'}/${line.stream?.changes ?? '-'}`;
      const last = this.#logged.get(i);
      const due = last === undefined || last.status !== line.status || (!final && last.counts !== counts && nowMs - last.atMs >= interval);
      if (!due) return;
      this.#out.write(`${text[i]}\n`);
      this.#logged.set(i, { status: line.status, atMs: nowMs, counts });
    });
  }
}
