/**
 * The history bounds of workflows/history-bounds.ts, by simulation: a job of
 * many tables copied one item per activity call (thousands of calls), with
 * small run limits so that every continueAsNew path runs many times. Every
 * run of every workflow the job made is fetched from Temporal, following
 * continue-as-new chains, and each must stay under the bound its workflow
 * type states; the destinations must be exact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import type { CopyPagesInput, CopyPagesResult } from '../../src/activities/contracts.ts';
import { runProgress, startRun } from '../../src/client/runs.ts';
import type { Item } from '../../model/item.ts';
import { parseJob } from '../../src/job/job-loader.ts';
import { recreateTable, seedTable } from '../../src/local-stack/seed.ts';
import {
  copyTableEventsPerRun,
  JOB_LOCK_EVENTS,
  PHASE_REPORTS,
  REFRESH_JOB_EVENTS,
  REPORT_EVERY_MS,
} from '../../workflows/history-bounds.ts';
import { copyTableWorkflowId, tablesWorkflowId, type RunLimits, type TableProgress } from '../../workflows/shared.ts';
import { dataConverterFromEnv } from '../../src/temporal/data-converter.ts';
import { eventKind } from '../support/run-history.ts';
import { connectTestStack, movieKey, scanAll, type TestStack } from '../support/stack.ts';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const SMALL_TABLES = 6;
const SMALL_ITEMS = 100;
const BIG_ITEMS = 1_500;
/** Every segment's calls run one after another: many segments keep the test short. */
const SEGMENTS = 16;
/**
 * One item per copyPages call: every item is a call (and each segment one
 * more, for its empty last page). A history limit this small lets one
 * table run at a time, so the runner continues as new every few tables.
 */
const LIMITS = { tablesInFlight: 4, historyLimit: 460, callsPerRun: 80 } satisfies RunLimits;

const items = (table: string, count: number): Item[] =>
  Array.from({ length: count }, (_, i) => ({ year: { N: String(1900 + (i % 100)) }, title: { S: `${table} ${i}` }, n: { N: String(i) } }));

interface Run {
  workflowId: string;
  runId: string;
  type: string;
  events: HistoryEvent[];
}

/** Every run of the workflow from `firstRunId` on, following continueAsNew. */
async function chain(client: Client, workflowId: string, firstRunId: string): Promise<Run[]> {
  const runs: Run[] = [];
  for (let runId: string | undefined = firstRunId; runId; ) {
    const events: HistoryEvent[] = (await client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
    const type = events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ?? 'unknown';
    runs.push({ workflowId, runId, type, events });
    runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return runs;
}

/** The run and everything it started, each with every run of its chain. */
async function allRuns(client: Client, workflowId: string, runId: string): Promise<Run[]> {
  const own = await chain(client, workflowId, runId);
  const all = [...own];
  for (const run of own) {
    for (const event of run.events) {
      const child = event.childWorkflowExecutionStartedEventAttributes?.workflowExecution;
      if (child?.workflowId && child.runId) all.push(...(await allRuns(client, child.workflowId, child.runId)));
    }
  }
  return all;
}

/** Reads payloads as the history holds them, decrypted when the suite runs with a codec key, as the client is. */
async function historyDecoder(): Promise<<T>(payload: Payload) => Promise<T>> {
  const codecs = [...((await dataConverterFromEnv())?.payloadCodecs ?? [])].reverse();
  return async <T>(payload: Payload): Promise<T> => {
    let decoded = payload;
    for (const codec of codecs) [decoded] = (await codec.decode([decoded])) as [Payload];
    return defaultPayloadConverter.fromPayload<T>(decoded);
  };
}

/**
 * The copyPages calls of one table's chain of runs whose activeSegments is
 * not what the workflow knew when it scheduled them: the segments less those
 * whose last call (no cursor back) completed before the workflow task that
 * scheduled the call. Done segments carry over continueAsNew. Also the
 * counts the calls were given.
 */
async function activeSegmentsOf(chainRuns: readonly Run[], totalSegments: number): Promise<{ mismatches: string[]; told: Set<number | undefined> }> {
  const decode = await historyDecoder();
  const done = new Set<number>();
  let known = new Set<number>();
  const mismatches: string[] = [];
  const told = new Set<number | undefined>();
  for (const run of chainRuns) {
    const segmentOf = new Map<string, number>();
    for (const event of run.events) {
      if (event.workflowTaskStartedEventAttributes) known = new Set(done);
      const scheduled = event.activityTaskScheduledEventAttributes;
      if (scheduled?.activityType?.name === 'copyPages') {
        const input = await decode<CopyPagesInput>(scheduled.input!.payloads![0]!);
        segmentOf.set(String(event.eventId), input.segment);
        told.add(input.activeSegments);
        const expected = totalSegments - known.size;
        if (input.activeSegments !== expected) mismatches.push(`${run.runId} event ${event.eventId}: segment ${input.segment} got activeSegments ${input.activeSegments}, expected ${expected}`);
      }
      const completed = event.activityTaskCompletedEventAttributes;
      if (completed && segmentOf.has(String(completed.scheduledEventId))) {
        const result = await decode<CopyPagesResult>(completed.result!.payloads![0]!);
        if (result.cursor === undefined) done.add(segmentOf.get(String(completed.scheduledEventId))!);
      }
    }
  }
  return { mismatches, told };
}

const count = (runs: Run[], what: (e: HistoryEvent) => unknown) => runs.reduce((n, r) => n + r.events.filter(what).length, 0);

describe('history stays bounded over thousands of calls and many tables', () => {
  let stack: TestStack;
  const sources = [...Array.from({ length: SMALL_TABLES }, (_, i) => `BoundsSmall${i}`), 'BoundsBig'];
  const sourceItems = new Map<string, Item[]>();

  beforeAll(async () => {
    stack = await connectTestStack(`e2e-history-bounds-${Date.now()}`, { readPageLimit: 1, callBudgetMs: 0 });
    for (const source of sources) {
      const rows = items(source, source === 'BoundsBig' ? BIG_ITEMS : SMALL_ITEMS);
      sourceItems.set(source, rows);
      await seedTable(stack.dynamo, source, rows);
      await recreateTable(stack.dynamo, `${source}Copy`);
    }
  });
  afterAll(async () => stack?.close());

  it('keeps every run of every workflow under its stated bound, and copies every item exactly once', async () => {
    const tables = sources.map((s) => `  - { source: ${s}, destination: ${s}Copy, segments: ${SEGMENTS} }`).join('\n');
    const yaml = `name: history-bounds\nconnections: { local: { endpoint: "${stack.dynamoEndpoint}" } }\nsource: local\ndestination: local\nsalt: s\ndefaults: { S: passthrough, N: passthrough }\ntables:\n${tables}\n`;
    const job = parseJob(yaml, 'history-bounds.yaml', builtinRegistry);
    const startedAt = Date.now();
    const handle = await startRun(stack.client, job, { taskQueue: stack.taskQueue, limits: LIMITS });

    // While it goes, clients see a table's own live counts, ahead of what its reports told the run.
    let seen: { live: TableProgress; reported: TableProgress } | undefined;
    const big = sources.length - 1;
    while (!seen) {
      const [live, reported] = await Promise.all([
        runProgress(stack.client.workflow, handle.workflowId),
        stack.client.workflow.getHandle(tablesWorkflowId(handle.workflowId)).query<TableProgress[]>('progress').catch(() => undefined),
      ]);
      if (live?.[big]?.status === 'running' && reported?.[big] && live[big].written > reported[big].written) seen = { live: live[big], reported: reported[big] };
      else if (live?.[big]?.status === 'completed' || live?.[big]?.status === 'failed' || Date.now() - startedAt > 300_000) {
        throw new Error(`no live progress seen for the big table: ${JSON.stringify(live?.[big])}`);
      }
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(seen.live.written).toBeGreaterThan(seen.reported.written);

    const result = await handle.result();
    const wallMs = Date.now() - startedAt;

    for (const source of sources) {
      const expected = sourceItems.get(source)!;
      expect(result.tables.find((t) => t.source === source), source).toMatchObject({ read: expected.length, written: expected.length });
      const copied = await scanAll(stack.dynamo, `${source}Copy`);
      expect(copied.map(movieKey).sort(), source).toEqual(expected.map(movieKey).sort());
      const byKey = new Map(copied.map((item) => [movieKey(item), item]));
      expect(expected.filter((item) => byKey.get(movieKey(item))?.n?.N !== item.n!.N).map(movieKey), source).toEqual([]);
    }

    const description = await handle.describe();
    const runs = await allRuns(stack.client, handle.workflowId, description.runId);
    const ofType = (type: string) => runs.filter((r) => r.type === type);
    // The bounds leave out workflow tasks that a loaded or dying worker let time out or fail: each costs at most 3 events again.
    const retried = (events: readonly HistoryEvent[]) => events.filter((e) => e.workflowTaskTimedOutEventAttributes || e.workflowTaskFailedEventAttributes).length;
    const lengths = (type: string) => ofType(type).map((r) => r.events.length - 3 * retried(r.events));
    const kinds = (type: string) => ofType(type).map((r) => r.events.map((e) => eventKind(e)).join(' '));
    const calls = count(runs, (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'copyPages');
    const reports = count(ofType('runTables'), (e) => e.workflowExecutionSignaledEventAttributes);
    const bigRuns = runs.filter((r) => r.workflowId === copyTableWorkflowId(handle.workflowId, big, 'BoundsBig'));
    console.log(
      `[history-bounds] ${calls} copyPages calls in ${(wallMs / 1000).toFixed(1)} s; events per run: ` +
        ['refreshJob', 'jobLock', 'runTables', 'copyTable'].map((t) => `${t} ${ofType(t).length} run(s), max ${Math.max(...lengths(t))}`).join('; ') +
        `; reports received by runTables: ${reports}; runs of the big table: ${bigRuns.length}`,
    );

    expect(calls).toBeGreaterThanOrEqual(SMALL_TABLES * SMALL_ITEMS + BIG_ITEMS);
    expect(ofType('refreshJob')).toHaveLength(1);
    expect(Math.max(...lengths('refreshJob')), kinds('refreshJob').join('\n')).toBeLessThanOrEqual(REFRESH_JOB_EVENTS);
    expect(ofType('jobLock')).toHaveLength(1);
    expect(Math.max(...lengths('jobLock')), kinds('jobLock').join('\n')).toBeLessThanOrEqual(JOB_LOCK_EVENTS);
    // The tables' runner continued as new, and no run of it passed its limit.
    expect(ofType('runTables').length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...lengths('runTables'))).toBeLessThanOrEqual(LIMITS.historyLimit);
    expect(ofType('copyTable').filter((r) => r.runId === r.events[0]?.workflowExecutionStartedEventAttributes?.firstExecutionRunId)).toHaveLength(sources.length);
    expect(bigRuns.length).toBeGreaterThanOrEqual(BIG_ITEMS / LIMITS.callsPerRun);
    expect(Math.max(...lengths('copyTable'))).toBeLessThanOrEqual(copyTableEventsPerRun(LIMITS.callsPerRun));
    // The table's write concurrency and rate limits go to the segments still copying: each call is told how many those were.
    const bigChain = bigRuns.filter((r) => r.type === 'copyTable');
    const shares = await activeSegmentsOf(bigChain, SEGMENTS);
    expect(shares.mismatches).toEqual([]);
    expect(shares.told.size).toBeGreaterThan(1);
    // Not one report per call: phase changes, and a progress report per REPORT_EVERY_MS at most.
    expect(reports).toBeLessThanOrEqual(sources.length * (PHASE_REPORTS + Math.ceil(wallMs / REPORT_EVERY_MS)));
    expect(reports).toBeLessThan(calls / 20);
  }, 420_000);
});
