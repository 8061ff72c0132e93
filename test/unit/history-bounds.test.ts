import { describe, expect, it } from 'vitest';
import {
  copyTableEventsPerRun,
  incrementalCopyTableEventsPerRun,
  STREAM_CHECKPOINT_EVENTS,
  PROGRESS_REPORTS_MAX,
  progressReportDue,
  REPORT_EVERY_MS,
  RUN_TABLES_EVENTS_PER_TABLE,
  RUN_TABLES_HISTORY_LIMIT,
  TABLES_IN_FLIGHT,
  type ReportState,
} from '../../workflows/history-bounds.ts';

/** Reports a table sends when a call ends every `callMs` for `durationMs`. */
function reportTimes(durationMs: number, callMs: number): number[] {
  const state: ReportState = { sent: 0, atMs: 0 };
  const times: number[] = [];
  for (let now = callMs; now <= durationMs; now += callMs) {
    if (!progressReportDue(state, 0, now)) continue;
    state.sent++;
    state.atMs = now;
    times.push(now);
  }
  return times;
}

describe('progress reports to the parent', () => {
  const DAY = 86_400_000;

  it('come at most every 30 s, then at most every tenth of the time so far', () => {
    const times = reportTimes(DAY, 10_000);
    expect(times[0]).toBe(REPORT_EVERY_MS);
    times.forEach((t, i) => {
      const previous = times[i - 1] ?? 0;
      expect(t - previous).toBeGreaterThanOrEqual(Math.max(REPORT_EVERY_MS, t / 10));
    });
  });

  it('grow with the logarithm of the duration: 72 in three days of a call every 10 s, against 25,920 calls', () => {
    expect(reportTimes(5 * 60_000, 10_000)).toHaveLength(10);
    expect(reportTimes(3 * DAY, 10_000)).toHaveLength(72);
    expect(reportTimes(6 * DAY, 10_000)).toHaveLength(79);
    // The bound history-bounds.ts states, whatever the pace of the calls.
    for (const [days, callMs] of [[1, 10_000], [3, 100], [3, 1_000], [10, 1_000]] as const) {
      expect(reportTimes(days * DAY, callMs).length).toBeLessThanOrEqual(10 + Math.log((days * DAY) / 300_000) / Math.log(1.1));
    }
  });

  it('stop at the cap, however long the copy', () => {
    expect(reportTimes(365 * DAY, 60_000)).toHaveLength(PROGRESS_REPORTS_MAX);
  });
});

describe('the stated bounds', () => {
  it('keep every run under Temporal warning of 10,240 events', () => {
    expect(copyTableEventsPerRun()).toBe(3_533);
    expect(RUN_TABLES_EVENTS_PER_TABLE).toBe(421);
    expect(incrementalCopyTableEventsPerRun()).toBe(3_692);
    expect(STREAM_CHECKPOINT_EVENTS).toBe(905);
    // The limit leaves room for a full set of tables in flight.
    expect(RUN_TABLES_HISTORY_LIMIT).toBeGreaterThan(TABLES_IN_FLIGHT * RUN_TABLES_EVENTS_PER_TABLE);
    expect(RUN_TABLES_HISTORY_LIMIT).toBeLessThan(10_240);
  });
});
