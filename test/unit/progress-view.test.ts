import { describe, expect, it } from 'vitest';
import { formatElapsed, formatTableLines, lineFromProgress, plainLogIntervalMs, ProgressView } from '../../src/cli/progress-view.ts';
import type { TableProgress, TableReport } from '../../workflows/shared.ts';

const T0 = 1_700_000_000_000;

function progress(overrides: Partial<TableProgress> = {}): TableProgress {
  return { source: 'Users', destination: 'UsersStaging', status: 'running', read: 0, written: 0, typeMismatches: 0, deleted: 0, startedAtMs: T0, ...overrides };
}

function report(overrides: Partial<TableReport> = {}): TableReport {
  return {
    source: 'Users',
    destination: 'UsersStaging',
    sourceConnection: 'prod',
    destinationConnection: 'staging',
    read: 0,
    written: 0,
    typeMismatches: 0,
    deleted: 0,
    durationMs: 0,
    readPlan: 'PartiQL paging',
    mode: 'upsert',
    ...overrides,
  };
}

/** A terminal that applies the two escape sequences the view uses, so tests see what a person sees. */
class FakeTerminal {
  lines: string[] = [];
  cursor = 0;
  raw = '';
  readonly isTTY = true;
  readonly columns: number;
  constructor(columns = 120) {
    this.columns = columns;
  }
  write(text: string): void {
    this.raw += text;
    const rewind = /^\x1b\[(\d+)F\x1b\[J/.exec(text);
    if (rewind) {
      this.cursor -= Number(rewind[1]);
      this.lines.length = this.cursor;
      text = text.slice(rewind[0].length);
    }
    for (const line of text.split('\n').slice(0, -1)) this.lines[this.cursor++] = line;
  }
}

describe('table lines', () => {
  it('show status, counts, rate, elapsed time and read plan, aligned across tables', () => {
    const now = T0 + 65_000;
    const lines = formatTableLines([
      lineFromProgress(progress({ read: 13000, written: 12999, readPlan: 'parallel Scan, 4 segments' }), now),
      lineFromProgress(progress({ source: 'Orders', destination: 'Orders', status: 'pending', startedAtMs: undefined }), now),
    ]);
    expect(lines).toEqual([
      'Users -> UsersStaging  running  13000 read  12999 written  200 items/s  1m05s  parallel Scan, 4 segments',
      'Orders -> Orders       pending      0 read      0 written    - items/s      -',
    ]);
  });

  it('add deleted and type-mismatch columns only when some table has any', () => {
    const now = T0 + 10_000;
    const lines = formatTableLines([
      lineFromProgress(progress({ read: 10, written: 10, deleted: 3 }), now),
      lineFromProgress(progress({ source: 'A', destination: 'B', read: 5, written: 5, typeMismatches: 2 }), now),
    ]);
    expect(lines).toEqual([
      'Users -> UsersStaging  running  10 read  10 written  3 deleted  0 type mismatches  1 items/s  10s',
      'A -> B                 running   5 read   5 written  0 deleted  2 type mismatches  1 items/s  10s',
    ]);
  });

  it('add a merged column when some table counts merges (a job that allows key collisions)', () => {
    const now = T0 + 10_000;
    const lines = formatTableLines([
      lineFromProgress(progress({ read: 500, written: 500, merged: 10 }), now),
      lineFromProgress(progress({ source: 'A', destination: 'B', read: 5, written: 5 }), now),
    ]);
    expect(lines).toEqual([
      'Users -> UsersStaging  running  500 read  500 written  10 merged  50 items/s  10s',
      'A -> B                 running    5 read    5 written          -   1 items/s  10s',
    ]);
  });

  it('add an oversize column when some table skips oversize items', () => {
    const now = T0 + 10_000;
    const lines = formatTableLines([
      lineFromProgress(progress({ read: 500, written: 498, oversize: 2 }), now),
      lineFromProgress(progress({ source: 'A', destination: 'B', read: 5, written: 5 }), now),
    ]);
    expect(lines).toEqual([
      'Users -> UsersStaging  running  500 read  498 written  2 oversize  50 items/s  10s',
      'A -> B                 running    5 read    5 written           -   1 items/s  10s',
    ]);
  });

  it('add the changes applied and the lag of incremental tables, marking a follower', () => {
    const now = T0 + 10_000;
    const lines = formatTableLines([
      lineFromProgress(progress({ read: 50, written: 50, records: 1534, puts: 1500, removes: 34, stream: { following: true, lagMs: 2_450 } }), now),
      lineFromProgress(progress({ source: 'Orders', destination: 'Orders', read: 5, written: 5, stream: { fallback: 'first run: no checkpoint yet' } }), now),
      lineFromProgress(progress({ source: 'Tags', destination: 'Tags' }), now),
    ]);
    expect(lines).toEqual([
      'Users -> UsersStaging  running  50 read  50 written  following: 1534 changes applied, lag 2.5s  5 items/s  10s',
      'Orders -> Orders       running   5 read   5 written                          0 changes applied  1 items/s  10s',
      'Tags -> Tags           running   0 read   0 written                                          -  0 items/s  10s',
    ]);
  });

  it('add a dangling column when some table counts dangling references (status shows the same lines)', () => {
    const now = T0 + 10_000;
    const lines = formatTableLines([lineFromProgress(progress({ source: 'Orders', destination: 'O', read: 40, written: 40, dangling: 3 }), now), lineFromProgress(progress({ read: 5, written: 5 }), now)]);
    expect(lines).toEqual([
      'Orders -> O            running  40 read  40 written  3 dangling  4 items/s  10s',
      'Users -> UsersStaging  running   5 read   5 written           -  1 items/s  10s',
    ]);
  });

  it('count a workflow clock ahead of the client as zero elapsed, and give a finished table no running clock', () => {
    expect(lineFromProgress(progress({ startedAtMs: T0 + 5_000 }), T0).elapsedMs).toBe(0);
    expect(lineFromProgress(progress({ status: 'completed' }), T0 + 5_000).elapsedMs).toBeUndefined();
  });

  it('format elapsed time in seconds, minutes and hours', () => {
    expect([0, 999, 42_000, 185_000, 3_723_000].map(formatElapsed)).toEqual(['0s', '0s', '42s', '3m05s', '1h02m03s']);
  });
});

describe('ProgressView on a terminal', () => {
  it('redraws its lines in place, one per table, and ends with the report', () => {
    let now = T0;
    const terminal = new FakeTerminal();
    const view = new ProgressView(terminal, { now: () => now });
    terminal.write('started dynamask/users/x\n');
    view.update([progress({ status: 'pending', startedAtMs: undefined }), progress({ source: 'Orders', destination: 'Orders', status: 'pending', startedAtMs: undefined })]);
    now += 2_000;
    view.update([progress({ read: 400, written: 400 }), progress({ source: 'Orders', destination: 'Orders', read: 100, written: 100 })]);
    expect(terminal.lines).toEqual([
      'started dynamask/users/x',
      'Users -> UsersStaging  running  400 read  400 written  200 items/s  2s',
      'Orders -> Orders       running  100 read  100 written   50 items/s  2s',
    ]);
    view.finish([report({ read: 1000, written: 1000, durationMs: 4_000 }), report({ source: 'Orders', destination: 'Orders', read: 100, written: 100, durationMs: 2_000 })]);
    expect(terminal.lines).toEqual([
      'started dynamask/users/x',
      'Users -> UsersStaging  completed  1000 read  1000 written  250 items/s  4s  PartiQL paging',
      'Orders -> Orders       completed   100 read   100 written   50 items/s  2s  PartiQL paging',
    ]);
  });

  it('cuts lines to the terminal width, since a wrapped line would break the redraw', () => {
    const terminal = new FakeTerminal(40);
    new ProgressView(terminal, { now: () => T0 + 1_000 }).update([progress({ readPlan: 'parallel Scan, 4 segments' })]);
    expect(terminal.lines).toEqual(['Users -> UsersStaging  running  0 read…']);
    expect(terminal.lines[0]!.length).toBe(39);
  });
});

describe('ProgressView as plain log lines', () => {
  it('logs a table on each status change, and otherwise at most once per interval while its counts move', () => {
    let now = T0;
    const written: string[] = [];
    const view = new ProgressView({ write: (text) => written.push(text), isTTY: false }, { now: () => now });
    const tick = (ms: number, p: Partial<TableProgress>) => {
      now += ms;
      view.update([progress(p)]);
    };
    tick(0, { status: 'pending', startedAtMs: undefined });
    tick(1_000, { read: 100, written: 100 }); // pending -> running
    tick(1_000, { read: 200, written: 200 }); // 1 s later: too soon
    tick(4_000, { read: 400, written: 400 }); // 5 s after the last line
    tick(5_000, { read: 400, written: 400 }); // counts did not move
    tick(1_000, { status: 'completed', read: 500, written: 500 });
    view.finish([report({ read: 500, written: 500, durationMs: 12_000 })]);
    expect(written).toEqual([
      'Users -> UsersStaging  pending  0 read  0 written  - items/s  -\n',
      'Users -> UsersStaging  running  100 read  100 written  100 items/s  1s\n',
      'Users -> UsersStaging  running  400 read  400 written  67 items/s  6s\n',
      'Users -> UsersStaging  completed  500 read  500 written  42 items/s  12s\n',
    ]);
    expect(written.join('')).not.toContain('\x1b');
  });

  it('spaces lines out as the run grows: a tenth of the run so far, from 5 s up to a minute', () => {
    expect([0, 30_000, 100_000, 300_000, 3_600_000].map(plainLogIntervalMs)).toEqual([5_000, 5_000, 10_000, 30_000, 60_000]);
  });
});
