/**
 * mode incremental on the real local stack: a baseline copy, writes made
 * while it copies, then a day of changes (inserts, modifies into, out of
 * and within a `where` subset, deletes, a key changed many times); after
 * the incremental run the destination equals, item for item, what a fresh
 * full copy of the same job gives, and the report counts the records. And
 * the fallbacks: no stream, KEYS_ONLY, a replaced stream, a changed
 * mapping, a vanished shard and a checkpoint past retention each give a
 * full copy that says why. A hashed key (no inverse) prunes the full copy
 * forward and its changes apply under the hashed keys. No item value
 * reaches any history.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutItemCommand, UpdateTableCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { WorkflowFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { jobFailureOf } from '../../model/failure.ts';
import type { Item } from '../../model/item.ts';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { runProgress, startRun } from '../../src/client/runs.ts';
import { parseJob } from '../../src/job/job-loader.ts';
import { writeItems } from '../../src/dynamo/batch-writer.ts';
import { recreateTable, seedTable } from '../../src/local-stack/seed.ts';
import type { StreamCheckpoint } from '../../model/stream-checkpoint.ts';
import { checkpointQuery, saveCheckpointSignal, streamCheckpointWorkflowId } from '../../workflows/stream-checkpoint.ts';
import { incrementalCopyTableEventsPerRun, STREAM_CHECKPOINT_EVENTS } from '../../workflows/history-bounds.ts';
import type { TableReport } from '../../workflows/shared.ts';
import { Canaries, findCanaries, renderFindings, textsOf, type Evidence } from '../support/canary.ts';
import { eventKind, historiesSoFar } from '../support/run-history.ts';
import { connectTestStack, scanAll, type TestStack } from '../support/stack.ts';
import { changeSource, contentOf, incrementalJobYaml, streamItems, streamSpec } from '../support/streams.ts';

const SOURCE = 'IncrSource';
const PAGE = 20;

// The cases side by side, each with tables and a job of its own: mostly waiting on streams, timers and the workflow's turns. Each uses its test's own expect.
describe.concurrent('mode incremental', () => {
  let stack: TestStack;
  const canaries = new Canaries();
  const job = (name: string, tables: Parameters<typeof incrementalJobYaml>[2]) => parseJob(incrementalJobYaml(stack.dynamoEndpoint, name, tables), `${name}.yaml`, builtinRegistry);
  const run = async (j: ReturnType<typeof job>) => {
    const handle = await startRun(stack.client, j, { taskQueue: stack.taskQueue });
    return { handle, result: await handle.result() };
  };
  /** A full copy of the same job into a table of its own: what the incremental destination must equal. */
  const freshCopy = async (name: string, source: string, extra?: string, transformers?: string) => {
    const destination = `${source}Fresh`;
    await recreateTable(stack.dynamo, destination);
    await run(job(`${name}-fresh`, [{ source, destination, mode: 'upsert', ...(extra && { extra }), ...(transformers && { transformers }) }]));
    return scanAll(stack.dynamo, destination);
  };

  beforeAll(async () => {
    stack = await connectTestStack('e2e-incremental', { readPageLimit: PAGE, callBudgetMs: 0, streamPageLimit: 7 });
  });
  afterAll(async () => stack?.close());

  it('copies in full first, then applies only the changes: the same destination as a fresh full copy, item for item', async ({ expect }) => {
    const items = streamItems(600, 'item', (i) => (i % 50 === 0 ? canaries.string(`info.secret of item ${i}`) : undefined));
    await seedTable(stack.dynamo, SOURCE, items, streamSpec());
    await recreateTable(stack.dynamo, 'IncrCopy');
    // What the baseline finds in the destination from before: pruned, as replace prunes.
    const j = job('incremental', [{ source: SOURCE, destination: 'IncrCopy' }]);

    // The baseline, with writes made while it copies: they are in the stream after its position.
    const handle = await startRun(stack.client, j, { taskQueue: stack.taskQueue });
    await expect.poll(async () => (await runProgress(stack.client.workflow, handle.workflowId))?.[0]?.written ?? 0, { timeout: 60_000, interval: 50 }).toBeGreaterThan(PAGE);
    const during = await changeSource(stack.dynamo, SOURCE, items, 'during');
    const baseline = (await handle.result()).tables[0]!;
    expect(baseline.stream?.fallback).toBe('first run: no checkpoint yet');
    expect(baseline.read).toBeGreaterThan(0);
    expect(baseline.records ?? 0, 'the changes made during the copy are applied after it').toBeGreaterThanOrEqual(during);
    expect(contentOf(await scanAll(stack.dynamo, 'IncrCopy'))).toEqual(contentOf(await freshCopy('incremental', SOURCE)));

    // A day of changes, then the incremental run.
    const now = await scanAll(stack.dynamo, SOURCE);
    const changes = await changeSource(stack.dynamo, SOURCE, now, 'later');
    const { handle: second, result } = await run(j);
    const table = result.tables[0]!;
    expect(table.stream?.fallback).toBeUndefined();
    expect(table.read, 'nothing scanned').toBe(0);
    expect(table.records).toBe(changes);
    expect(table.puts! + table.removes! + table.skipped!).toBe(changes);
    expect(table.skipped).toBeGreaterThan(0);
    expect(table.removes).toBeGreaterThan(0);
    expect(table.stream?.lagMs).toBe(0);
    expect(contentOf(await scanAll(stack.dynamo, 'IncrCopy'))).toEqual(contentOf(await freshCopy('incremental', SOURCE)));

    // Nothing changed: a run reads no record and writes nothing.
    const quiet = (await run(j)).result.tables[0]!;
    expect([quiet.records ?? 0, quiet.puts ?? 0, quiet.read]).toEqual([0, 0, 0]);

    // No item value in any history of these runs, nor in the checkpoint's.
    const evidence = [...(await evidenceOf(handle.workflowId)), ...(await evidenceOf(second.workflowId)), ...(await evidenceOf(streamCheckpointWorkflowId(j.name, j.tables[0]!)))];
    expect(evidence.some((e) => e.text.includes('shardId-'))).toBe(true);
    expect(renderFindings(findCanaries(canaries, evidence)), 'canaries found in Temporal').toBe('');
  }, 300_000);

  it('falls back to a full copy, saying why, when the stream cannot serve', async ({ expect }) => {
    const source = 'IncrFallback';
    const items = streamItems(120);
    const j = job('fallback', [{ source, destination: 'IncrFallbackCopy' }]);
    const checkpointId = streamCheckpointWorkflowId(j.name, j.tables[0]!);
    const next = async () => (await run(j)).result.tables[0]!;
    const subset = items.filter((item) => item.status!.S === 'active').length;
    const expectFull = (table: TableReport, reason: RegExp) => {
      expect(table.stream?.fallback).toMatch(reason);
      expect(table.written).toBe(subset);
    };
    await recreateTable(stack.dynamo, 'IncrFallbackCopy');

    await seedTable(stack.dynamo, source, items, { ...streamSpec(), StreamSpecification: undefined });
    expectFull(await next(), /no stream enabled/);
    expectFull(await next(), /no stream enabled/);

    await seedTable(stack.dynamo, source, items, streamSpec('KEYS_ONLY'));
    expectFull(await next(), /KEYS_ONLY, without the new image/);

    await seedTable(stack.dynamo, source, items, streamSpec());
    expectFull(await next(), /first run/);
    expect((await next()).stream?.fallback).toBeUndefined();

    // Disabled and enabled again: a new stream, whose positions the checkpoint does not have.
    await stack.dynamo.send(new UpdateTableCommand({ TableName: source, StreamSpecification: { StreamEnabled: false } }));
    await stack.dynamo.send(new UpdateTableCommand({ TableName: source, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }));
    await waitUntilTableExists({ client: stack.dynamo, maxWaitTime: 30 }, { TableName: source });
    expectFull(await next(), /stream was replaced/);

    // A mapping changed since the checkpoint.
    const changed = job('fallback', [{ source, destination: 'IncrFallbackCopy', extra: 'onTypeMismatch: passthrough' }]);
    expectFull((await run(changed)).result.tables[0]!, /mapping changed/);

    // Checkpoints made invalid by hand: a shard DynamoDB does not know, and one unread for longer than the retention.
    const good = await stack.client.workflow.getHandle(checkpointId).query(checkpointQuery);
    expect(good?.shards.length).toBeGreaterThan(0);
    const save = async (checkpoint: StreamCheckpoint) => {
      await stack.client.workflow.getHandle(checkpointId).signal(saveCheckpointSignal, { checkpoint });
      await expect.poll(async () => JSON.stringify(await stack.client.workflow.getHandle(checkpointId).query(checkpointQuery))).toBe(JSON.stringify(checkpoint));
    };
    await save({ ...good!, shards: [...good!.shards, { shardId: 'shardId-00000000000000000000-vanished', sinceMs: Date.now() }] });
    expectFull((await run(changed)).result.tables[0]!, /shard shardId-00000000000000000000-vanished of the checkpoint is gone/);
    const fresh = await stack.client.workflow.getHandle(checkpointId).query(checkpointQuery);
    await save({ ...fresh!, shards: fresh!.shards.map(({ sequenceNumber: _, ...s }) => ({ ...s, sinceMs: Date.now() - 2 * 24 * 3600_000 })) });
    expectFull((await run(changed)).result.tables[0]!, /older than the stream's 24-hour retention/);
    // Each fallback left a checkpoint that serves again.
    expect((await run(changed)).result.tables[0]!.stream?.fallback).toBeUndefined();
    expect(contentOf(await scanAll(stack.dynamo, 'IncrFallbackCopy'))).toEqual(contentOf(await freshCopy('fallback', source, 'onTypeMismatch: passthrough')));
  }, 300_000);

  it('applies rule sets, a templated key, JavaScript and defaults exactly as a full copy does', async ({ expect }) => {
    const source = 'IncrRules';
    const items = streamItems(90, 'rules');
    await seedTable(stack.dynamo, source, items, streamSpec());
    await recreateTable(stack.dynamo, 'IncrRulesCopy');
    const yaml = (name: string, destination: string, mode: string) =>
      [
        `name: ${name}`,
        `connections: { local: { endpoint: "${stack.dynamoEndpoint}" } }`,
        'source: local',
        'destination: local',
        'salt: incremental-test-salt',
        'defaults: { S: characterScramble, N: passthrough, SS: passthrough }',
        'parts: { n: permuteId }',
        'tables:',
        `  - source: ${source}`,
        `    destination: ${destination}`,
        `    mode: ${mode}`,
        `    where: "status = 'active'"`,
        '    transformers:',
        '      title: ["rules-{n}", "rulesnew-{n}"]',
        '      email: email',
        '      status: { js: "return value.toUpperCase()" }',
        '    rules:',
        '      - name: high',
        '        when: "info.n >= 45"',
        '        transformers: { email: { type: constant, value: "high@example.com" } }',
      ].join('\n');
    const j = parseJob(yaml('rules', 'IncrRulesCopy', 'incremental'), 'rules.yaml', builtinRegistry);
    expect((await run(j)).result.tables[0]!.stream?.fallback).toMatch(/first run/);
    await changeSource(stack.dynamo, source, items, 'rulesnew');
    const applied = (await run(j)).result.tables[0]!;
    expect(applied.stream?.fallback).toBeUndefined();
    expect(applied.removes).toBeGreaterThan(0);
    await recreateTable(stack.dynamo, 'IncrRulesFresh');
    await run(parseJob(yaml('rules-fresh', 'IncrRulesFresh', 'upsert'), 'rules-fresh.yaml', builtinRegistry));
    const copy = await scanAll(stack.dynamo, 'IncrRulesCopy');
    expect(contentOf(copy)).toEqual(contentOf(await scanAll(stack.dynamo, 'IncrRulesFresh')));
    // The keys are transformed (deletes found them), and both the rule set and the table's mapping took items.
    expect(copy.filter((item) => item.title!.S!.startsWith('rules-')).length).toBeGreaterThan(0);
    expect(copy.some((item) => item.title!.S === 'rules-00001')).toBe(false);
    expect(copy.some((item) => item.email!.S === 'high@example.com') && copy.some((item) => item.email!.S !== 'high@example.com')).toBe(true);
  }, 300_000);

  it('with a hashed key (no inverse): the full copy prunes forward, then the changes apply under the hashed keys, as a full copy gives them', async ({ expect }) => {
    const source = 'IncrHashed';
    const transformers = '{ email: email, info.secret: redact, title: hash }';
    const items = streamItems(120, 'hashed');
    await seedTable(stack.dynamo, source, items, streamSpec());
    await recreateTable(stack.dynamo, 'IncrHashedCopy');
    // For the forward prune to delete: an untransformed copy of a source item, and a hash-shaped title of nothing.
    const planted: Item[] = [{ ...items[0]!, planted: { BOOL: true } }, { year: items[1]!.year!, title: { S: 'a'.repeat(64) }, planted: { BOOL: true } }];
    await writeItems(stack.dynamo, 'IncrHashedCopy', planted);
    const j = job('hashed', [{ source, destination: 'IncrHashedCopy', transformers }]);
    const first = await run(j);
    expect(first.result.tables[0]).toMatchObject({ deleted: planted.length, stream: { fallback: 'first run: no checkpoint yet' } });
    const types = (await historiesSoFar(stack.client, first.handle.workflowId)).flatMap(({ history }) => (history.events ?? []).flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []));
    expect(types).toContain('pruneDestinationForward');
    expect(types).not.toContain('pruneDestination');
    expect(contentOf(await scanAll(stack.dynamo, 'IncrHashedCopy'))).toEqual(contentOf(await freshCopy('hashed', source, undefined, transformers)));

    await changeSource(stack.dynamo, source, await scanAll(stack.dynamo, source), 'hashednew');
    const applied = (await run(j)).result.tables[0]!;
    expect(applied.stream?.fallback).toBeUndefined();
    expect(applied.removes).toBeGreaterThan(0);
    expect(contentOf(await scanAll(stack.dynamo, 'IncrHashedCopy'))).toEqual(contentOf(await freshCopy('hashed', source, undefined, transformers)));
  }, 300_000);

  it('leaves out an item grown past 400 KB (oversizeItems: skip) and stops at an attribute no mapping names (strict), as a full copy does', async ({ expect }) => {
    const source = 'IncrStrict';
    const items = streamItems(40, 'strict');
    await seedTable(stack.dynamo, source, items, streamSpec());
    await recreateTable(stack.dynamo, 'IncrStrictCopy');
    // Every path named; a note that says "grow" comes out past DynamoDB's 400 KB.
    const transformers = `{ email: email, status: passthrough, info.n: passthrough, info.tags: passthrough, info.secret: redact, note: { js: "value === 'grow' ? 'x'.repeat(420000) : value" } }`;
    const tables = [{ source, destination: 'IncrStrictCopy', transformers, extra: 'strict: true\n    oversizeItems: skip' }];
    const j = job('strict', tables);
    expect((await run(j)).result.tables[0]!.stream?.fallback).toBe('first run: no checkpoint yet');

    const [kept, grown] = items.filter((item) => item.status!.S === 'active');
    await stack.dynamo.send(new PutItemCommand({ TableName: source, Item: { ...grown!, note: { S: 'grow' } } }));
    await stack.dynamo.send(new PutItemCommand({ TableName: source, Item: { ...items[1]!, title: { S: 'strict-new' }, status: { S: 'active' }, note: { S: 'grow' } } }));
    await stack.dynamo.send(new PutItemCommand({ TableName: source, Item: { ...kept!, note: { S: 'short' } } }));
    const applied = (await run(j)).result.tables[0]!;
    expect(applied.stream?.fallback).toBeUndefined();
    expect(applied.oversize, 'the grown items, one of them copied before').toBe(2);
    const copy = await scanAll(stack.dynamo, 'IncrStrictCopy');
    expect(copy.some((item) => item.title!.S === grown!.title!.S), 'its earlier copy deleted').toBe(false);
    expect(contentOf(copy)).toEqual(contentOf(await freshCopy('strict', source, 'strict: true\n    oversizeItems: skip', transformers)));

    await stack.dynamo.send(new PutItemCommand({ TableName: source, Item: { ...kept!, nickname: { S: 'not named' } } }));
    const error = await run(j).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    // A run's failure holds each failed table's record (model/failure.ts).
    const failures = jobFailureOf(((error as WorkflowFailedError).cause as ApplicationFailure).details?.[0])?.failures;
    expect(failures).toEqual([expect.objectContaining({ source, reason: 'UnnamedPath', path: 'nickname' })]);
    const after = await scanAll(stack.dynamo, 'IncrStrictCopy');
    expect(after.some((item) => item.nickname !== undefined), 'the page holding it was not written').toBe(false);
  }, 300_000);

  it('keeps each run of an incremental table and of its checkpoint under its stated bound while it continues as new', async ({ expect }) => {
    const source = 'IncrBounds';
    const items = streamItems(60, 'bounds');
    await seedTable(stack.dynamo, source, items, streamSpec());
    await recreateTable(stack.dynamo, 'IncrBoundsCopy');
    const j = job('bounds', [{ source, destination: 'IncrBoundsCopy' }]);
    const limits = { callsPerRun: 4 };
    const runWith = async () => {
      const handle = await startRun(stack.client, j, { taskQueue: stack.taskQueue, limits });
      return { handle, table: (await handle.result()).tables[0]! };
    };
    const baseline = await runWith();
    await changeSource(stack.dynamo, source, items, 'bounds-later');
    // Pages of 7 records, one page a call: the changes take more calls than a run may make.
    const applied = await runWith();
    expect(applied.table.stream?.fallback).toBeUndefined();
    expect(contentOf(await scanAll(stack.dynamo, 'IncrBoundsCopy'))).toEqual(contentOf(await freshCopy('bounds', source)));

    const runs = [...(await historiesSoFar(stack.client, baseline.handle.workflowId)), ...(await historiesSoFar(stack.client, applied.handle.workflowId))];
    const typeOf = (events: readonly { workflowExecutionStartedEventAttributes?: { workflowType?: { name?: string | null } | null } | null }[]) =>
      events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name;
    const lengths = (type: string) => runs.filter((r) => typeOf(r.history.events ?? []) === type).map((r) => r.history.events?.length ?? 0);
    const applyRuns = runs.filter((r) => typeOf(r.history.events ?? []) === 'copyTable' && r.history.events?.some((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'applyShardChanges'));
    expect(applyRuns.length, 'the apply phase continued as new').toBeGreaterThanOrEqual(3);
    expect(Math.max(...lengths('copyTable'))).toBeLessThanOrEqual(incrementalCopyTableEventsPerRun(limits.callsPerRun));
    expect(lengths('streamCheckpoint').length).toBeGreaterThan(0);
    expect(Math.max(...lengths('streamCheckpoint'))).toBeLessThanOrEqual(STREAM_CHECKPOINT_EVENTS);
  }, 300_000);

  /** Every event of every run of the workflow and its descendants (the checkpoint's workflow, which never closes, included). */
  async function evidenceOf(workflowId: string): Promise<Evidence[]> {
    const evidence: Evidence[] = [];
    for (const { workflowId: id, runId, history } of await historiesSoFar(stack.client, workflowId)) {
      for (const event of history.events ?? []) {
        for (const text of textsOf(event)) evidence.push({ where: `history of ${id} run ${runId}, event ${String(event.eventId)} ${eventKind(event)}`, kind: `history event ${eventKind(event)}`, text });
      }
    }
    return evidence;
  }
});

