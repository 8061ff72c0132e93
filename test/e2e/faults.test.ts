/**
 * "Nothing is lost" under the faults DynamoDB and networks really produce:
 * every run goes through a fault-injecting proxy (test/support/fault-proxy.ts)
 * and must still leave the destination exactly as a run without faults does,
 * with read and written counts equal to the number of selected items.
 *
 * FAULT_SEED=<n> replays another fault sequence.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BatchWriteItemCommand, DescribeTableCommand, DynamoDBClient, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { startRun } from '../../src/client/runs.ts';
import type { Item } from '../../model/item.ts';
import { parseJob } from '../../src/job/job-loader.ts';
import { loadMovies } from '../../src/local-stack/movie-data.ts';
import { recreateTable, seedTable } from '../../src/local-stack/seed.ts';
import { ORDERS_NO_INDEX_SPEC, ORDERS_SPEC, seedUsersOrders, TEAMS_SPEC, USERS_SPEC, type UsersOrders } from '../../src/local-stack/users-orders-data.ts';
import { usersTeamsFixpoint } from '../support/ring-fixpoint.ts';
import { FAULT_KINDS, startFaultProxy, type FaultKind, type FaultProxy, type FaultRule, type FaultStats } from '../support/fault-proxy.ts';
import { retriedActivityAttempts, runExecutions } from '../support/run-history.ts';
import { connectTestStack, movieKey, scanAll, type TestStack } from '../support/stack.ts';
import { changeSource, contentOf, incrementalJobYaml, streamItems, streamSpec } from '../support/streams.ts';

const SEED = Number(process.env.FAULT_SEED ?? 20_240_607);
const SOURCE = 'FaultMovies';
const BASELINE = 'FaultMoviesBaseline';
/** Small pages: ~50 reads and ~150 batch writes per run, so every fault kind lands many times. */
const PAGE = 100;

const inSubset = (item: Item) => Number(item.year?.N) >= 2000;

/** The connection is named after the destination: the worker keeps one client per name, and each case has a proxy of its own. */
function jobYaml(endpoint: string, destination: string, { wholeCollections = false, strict = false } = {}): string {
  return `
name: faults-${destination}
connections:
  ${destination}: { endpoint: "${endpoint}" }
source: ${destination}
destination: ${destination}
salt: faults-salt
defaults: { S: passthrough, SS: passthrough }
tables:
  - source: ${SOURCE}
    destination: ${destination}
    where: '"year" >= 2000'${wholeCollections ? '\n    wholeCollections: true' : ''}
    transformers:
      info.actors[*]: fullName
      info.directors[*]: fullName
${strict ? '      info: passthrough # strict: every other path named, so the copy equals the baseline\n    strict: true\n' : ''}`;
}

const CASES: { name: string; rules: FaultRule[]; expect: FaultKind[]; activityRetries?: boolean; wholeCollections?: boolean; strict?: boolean }[] = [
  // Every throttle slows the SDK's adaptive retry mode down for a while (a run with 20 throttles takes ~35 s
  // instead of ~5 s here): low rates keep the runs short.
  { name: 'throttling (ThrottlingException)', rules: [{ kind: 'throttling', rate: 0.05 }], expect: ['throttling'] },
  { name: 'ProvisionedThroughputExceededException', rules: [{ kind: 'provisionedThroughput', rate: 0.05 }], expect: ['provisionedThroughput'] },
  { name: '500 InternalServerError', rules: [{ kind: 'internalError', rate: 0.2 }], expect: ['internalError'] },
  { name: 'connection reset mid-request', rules: [{ kind: 'resetMidRequest', rate: 0.15 }], expect: ['resetMidRequest'] },
  { name: 'connection reset mid-response (request applied, answer lost)', rules: [{ kind: 'resetMidResponse', rate: 0.15 }], expect: ['resetMidResponse'] },
  { name: 'partial UnprocessedItems', rules: [{ kind: 'unprocessedItems', rate: 0.5 }], expect: ['unprocessedItems'] },
  {
    name: 'a mix of everything',
    rules: [
      { kind: 'throttling', rate: 0.02 },
      { kind: 'provisionedThroughput', rate: 0.02 },
      { kind: 'internalError', rate: 0.05 },
      { kind: 'resetMidRequest', rate: 0.05 },
      { kind: 'resetMidResponse', rate: 0.05 },
      { kind: 'unprocessedItems', rate: 0.25, operations: ['BatchWriteItem'] },
    ],
    expect: [...FAULT_KINDS],
  },
  {
    // The roots (every movie from 2000 on) make up whole years, so the copy equals the baseline's, read by a Scan and then a Query per year.
    name: 'whole collections through a mix of everything',
    rules: [
      { kind: 'throttling', rate: 0.02 },
      { kind: 'internalError', rate: 0.05 },
      { kind: 'resetMidRequest', rate: 0.05 },
      { kind: 'resetMidResponse', rate: 0.05 },
      { kind: 'unprocessedItems', rate: 0.25, operations: ['BatchWriteItem'] },
    ],
    expect: ['internalError', 'resetMidRequest', 'resetMidResponse', 'unprocessedItems'],
    wholeCollections: true,
  },
  {
    // Strict mode checks each page before it is written: retried reads and writes must not change what it sees.
    name: 'a mix of everything, strict: true',
    rules: [
      { kind: 'internalError', rate: 0.05 },
      { kind: 'resetMidRequest', rate: 0.05 },
      { kind: 'resetMidResponse', rate: 0.05 },
      { kind: 'unprocessedItems', rate: 0.25, operations: ['BatchWriteItem'] },
    ],
    expect: ['internalError', 'resetMidRequest', 'resetMidResponse', 'unprocessedItems'],
    strict: true,
  },
  {
    // 40 failures in a row outlast the SDK's 8 attempts on each of the page's 4 batches in flight,
    // so an activity attempt fails and the next one resumes from its last heartbeat.
    name: 'an outage of BatchWriteItem longer than the SDK retries',
    rules: [{ kind: 'internalError', rate: 1, operations: ['BatchWriteItem'], window: { from: 40, count: 40 } }],
    expect: ['internalError'],
    activityRetries: true,
  },
];

describe('the fault proxy', () => {
  let proxy: FaultProxy;
  let dynamo: DynamoDBClient;
  const table = 'FaultProxySelfTest';

  beforeAll(async () => {
    proxy = await startFaultProxy({ target: inject('dynamoEndpoint'), seed: SEED });
    // One attempt: the test sees each fault as the SDK parses it.
    dynamo = new DynamoDBClient({ endpoint: proxy.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
    const direct = new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await recreateTable(direct, table);
    direct.destroy();
  });
  afterAll(async () => {
    dynamo?.destroy();
    await proxy?.close();
  });

  it('answers with the errors DynamoDB sends, as the SDK recognises them', async () => {
    const describeOnce = async (kind: FaultKind) => {
      proxy.configure([{ kind, rate: 1 }]);
      return dynamo.send(new DescribeTableCommand({ TableName: table })).then(
        () => undefined,
        (error: unknown) => error as Error & { $metadata?: { httpStatusCode?: number }; $retryable?: { throttling?: boolean }; code?: string },
      );
    };
    const throttled = await describeOnce('throttling');
    expect(throttled).toMatchObject({ name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    const overCapacity = await describeOnce('provisionedThroughput');
    expect(overCapacity).toMatchObject({ name: 'ProvisionedThroughputExceededException', $metadata: { httpStatusCode: 400 } });
    expect(await describeOnce('internalError')).toMatchObject({ name: 'InternalServerError', $metadata: { httpStatusCode: 500 } });
    expect(await describeOnce('resetMidRequest')).toBeInstanceOf(Error);
    expect(await describeOnce('resetMidResponse')).toBeInstanceOf(Error);
    expect(proxy.stats().injected.resetMidResponse).toBe(1);
  });

  it('writes part of a batch and hands the rest back as UnprocessedItems', async () => {
    proxy.configure([{ kind: 'unprocessedItems', rate: 1 }]);
    const items: Item[] = Array.from({ length: 25 }, (_, i) => ({ year: { N: '1' }, title: { S: `t${i}` } }));
    const output = await dynamo.send(new BatchWriteItemCommand({ RequestItems: { [table]: items.map((Item) => ({ PutRequest: { Item } })) } }));
    const unprocessed = (output.UnprocessedItems?.[table] ?? []).map((r) => r.PutRequest!.Item!.title!.S);
    expect(unprocessed.length).toBeGreaterThan(0);
    expect(unprocessed.length).toBe(proxy.stats().withheldItems);
    const stored = (await scanAll(dynamo, table)).map((item) => item.title!.S);
    // Exactly the items not handed back were written.
    expect([...stored, ...unprocessed].sort()).toEqual(items.map((item) => item.title!.S).sort());
    expect(stored.some((title) => unprocessed.includes(title))).toBe(false);
  });

  it('injects the same faults in the same order for the same seed', async () => {
    const pattern = async () => {
      proxy.configure([{ kind: 'internalError', rate: 0.5 }]);
      const outcomes: boolean[] = [];
      for (let i = 0; i < 24; i++) outcomes.push(await dynamo.send(new DescribeTableCommand({ TableName: table })).then(() => true, () => false));
      return outcomes;
    };
    const first = await pattern();
    expect(first).toContain(true);
    expect(first).toContain(false);
    expect(await pattern()).toEqual(first);
  });
});

// The cases run side by side, each through a proxy of its own (its faults drawn from its own
// per-operation sequences, so the same as when it runs alone) and with clients of its own.
describe.concurrent(`copying through injected faults (FAULT_SEED=${SEED})`, () => {
  let stack: TestStack;
  let selected: Item[];
  let expected: Map<string, unknown>;

  beforeAll(async () => {
    stack = await connectTestStack('e2e-faults', { readPageLimit: PAGE, callBudgetMs: 1_000 });
    const movies = await loadMovies();
    selected = movies.filter(inSubset);
    await seedTable(stack.dynamo, SOURCE, movies);

    // The same job without faults, straight to DynamoDB Local, is what every faulty run must equal.
    await recreateTable(stack.dynamo, BASELINE);
    const baseline = parseJob(jobYaml(stack.dynamoEndpoint, BASELINE), 'faults.yaml', builtinRegistry);
    const result = await (await startRun(stack.client, baseline, { taskQueue: stack.taskQueue })).result();
    expect(result.tables[0]).toMatchObject({ read: selected.length, written: selected.length });
    const copies = await scanAll(stack.dynamo, BASELINE);
    expected = new Map(copies.map((item) => [movieKey(item), canonical(item)]));
    expect([...expected.keys()].sort()).toEqual(selected.map(movieKey).sort());
  });
  afterAll(async () => {
    await stack?.close();
  });

  // Ten copies side by side through one worker, beside other end-to-end files: on a slow 2-core machine a case took 150 s of the default 180.
  it.for(CASES)('$name: every selected item exactly once, right content, right counts', { timeout: 360_000 }, async ({ name, rules, expect: kinds, activityRetries, wholeCollections, strict }, { expect, onTestFinished }) => {
    const destination = `FaultCopy${CASES.findIndex((c) => c.name === name)}`;
    await recreateTable(stack.dynamo, destination);
    const proxy = await startFaultProxy({ target: stack.dynamoEndpoint, seed: SEED, rules });
    onTestFinished(() => proxy.close());
    const job = parseJob(jobYaml(proxy.endpoint, destination, { wholeCollections, strict }), 'faults.yaml', builtinRegistry);
    expect(job.tables[0]!.strict).toBe(strict);
    const started = Date.now();
    const handle = await startRun(stack.client, job, { taskQueue: stack.taskQueue });
    const result = await handle.result();
    const elapsedMs = Date.now() - started;
    const stats = proxy.stats();
    const retried = retriedActivityAttempts(await runExecutions(stack.client, stack.taskQueue, handle.workflowId));
    console.log(`[faults] ${name}: ${elapsedMs} ms; ${describeStats(stats)}; activity attempts retried: ${retried}`);

    // The faults really happened, each kind many times.
    for (const kind of kinds) expect(stats.injected[kind], `${kind} injected`).toBeGreaterThan(kinds.length > 1 ? 0 : 4);
    if (activityRetries) expect(retried, 'activity attempts that failed and were retried').toBeGreaterThan(0);
    expect(result.tables).toEqual([expect.objectContaining({ source: SOURCE, destination, read: selected.length, written: selected.length })]);

    // Scan returns each stored item once, so equal key lists mean nothing missing and nothing extra.
    const copies = await scanAll(stack.dynamo, destination);
    expect(copies.map(movieKey).sort()).toEqual([...expected.keys()].sort());
    const wrong = copies.filter((item) => JSON.stringify(canonical(item)) !== JSON.stringify(expected.get(movieKey(item))));
    expect(wrong.map(movieKey), 'items whose content differs from the run without faults').toEqual([]);
  });
});

function describeStats(stats: FaultStats): string {
  const requests = Object.entries(stats.requests).map(([op, n]) => `${op} ${n}`).join(', ');
  const injected = Object.entries(stats.injectedByOperation).map(([key, n]) => `${key} ${n}`).join(', ');
  return `requests: ${requests}; injected: ${injected || 'none'}; items withheld: ${stats.withheldItems}`;
}

/** An item with its attributes in a fixed order and binary values as hex, for comparison. */
function canonical(value: AttributeValue | Item): unknown {
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) => {
      if (v instanceof Uint8Array) return `bytes:${Buffer.from(v).toString('hex')}`;
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) return Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)));
      return v;
    }),
  );
}

// mode incremental through the same faults: stream reads (DescribeStream, GetShardIterator, GetRecords) as well as writes.
// This block and the next run concurrently with the copies above, and their cases with each other (each case has its own
// tables and fault proxy, each block its own stack and task queue): the file then takes its longest case, not the sum
// of three blocks that mostly wait out the SDK's backoff.
describe.concurrent(`applying a stream's changes through injected faults (FAULT_SEED=${SEED})`, () => {
  let stack: TestStack;
  const source = 'FaultStreamed';

  beforeAll(async () => {
    stack = await connectTestStack('e2e-faults-incremental', { streamPageLimit: 10, callBudgetMs: 1_000 });
    await seedTable(stack.dynamo, source, streamItems(300, 'fault'), streamSpec());
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('ends with the destination a fresh full copy gives, every change applied once faults are retried', async () => {
    await recreateTable(stack.dynamo, 'FaultStreamedCopy');
    await recreateTable(stack.dynamo, 'FaultStreamedFresh');
    const proxy = await startFaultProxy({
      target: stack.dynamoEndpoint,
      seed: SEED,
      rules: [
        { kind: 'throttling', rate: 0.05 },
        { kind: 'internalError', rate: 0.1 },
        { kind: 'resetMidRequest', rate: 0.05 },
        { kind: 'resetMidResponse', rate: 0.05 },
        { kind: 'unprocessedItems', rate: 0.25, operations: ['BatchWriteItem'] },
      ],
    });
    try {
      const job = parseJob(incrementalJobYaml(proxy.endpoint, 'faults-incremental', [{ source, destination: 'FaultStreamedCopy' }]), 'faults-incremental.yaml', builtinRegistry);
      const run = async (j: typeof job) => (await (await startRun(stack.client, j, { taskQueue: stack.taskQueue })).result()).tables[0]!;
      expect((await run(job)).stream?.fallback).toMatch(/first run/);
      const changes = await changeSource(stack.dynamo, source, await scanAll(stack.dynamo, source), 'fault-later');
      const applied = await run(job);
      expect(applied.stream?.fallback).toBeUndefined();
      expect(applied.records).toBe(changes);
      const stats = proxy.stats();
      console.log(`[faults] incremental: ${describeStats(stats)}`);
      const streamFaults = Object.entries(stats.injectedByOperation).filter(([key]) => /^(GetRecords|GetShardIterator|DescribeStream)/.test(key));
      expect(streamFaults.length, 'faults injected into stream reads').toBeGreaterThan(0);
    } finally {
      await proxy.close();
    }
    const fresh = parseJob(incrementalJobYaml(stack.dynamoEndpoint, 'faults-incremental-fresh', [{ source, destination: 'FaultStreamedFresh', mode: 'upsert' }]), 'fresh.yaml', builtinRegistry);
    await (await startRun(stack.client, fresh, { taskQueue: stack.taskQueue })).result();
    expect(contentOf(await scanAll(stack.dynamo, 'FaultStreamedCopy'))).toEqual(contentOf(await scanAll(stack.dynamo, 'FaultStreamedFresh')));
  }, 300_000);
});

// References through the same faults: the referenced selection read again in every call, the Scan's lookups of
// dangling references (BatchGetItem) and the prune of mode replace (both ways: a hashed key prunes forward), as well
// as the GSI's Query per selected key.
describe.concurrent(`following references through injected faults (FAULT_SEED=${SEED})`, () => {
  let stack: TestStack;
  let data: UsersOrders;

  beforeAll(async () => {
    stack = await connectTestStack('e2e-faults-references', { readPageLimit: 40, callBudgetMs: 1_000 });
    data = await seedUsersOrders(stack.dynamo, { users: 'FaultRefUsers', orders: 'FaultRefOrders', withoutIndex: 'FaultRefOrdersPlain' }, { users: 150, ordersPerUser: 3, seed: 7 });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('copies exactly the selected users orders by Scan (with replace) and by GSI, and counts the dangling ones exactly', async () => {
    await recreateTable(stack.dynamo, 'FaultRefUsersCopy', USERS_SPEC);
    await recreateTable(stack.dynamo, 'FaultRefOrdersCopy', ORDERS_NO_INDEX_SPEC);
    await recreateTable(stack.dynamo, 'FaultRefOrdersGsiCopy', ORDERS_SPEC);
    // For the prune to find under faults too.
    await seedTable(stack.dynamo, 'FaultRefOrdersCopy', [{ orderId: { S: 'O99999999' }, customerId: { S: 'U0' } }], ORDERS_NO_INDEX_SPEC);
    const proxy = await startFaultProxy({
      target: stack.dynamoEndpoint,
      seed: SEED,
      rules: [
        { kind: 'throttling', rate: 0.02 },
        { kind: 'internalError', rate: 0.05 },
        { kind: 'resetMidRequest', rate: 0.05 },
        { kind: 'resetMidResponse', rate: 0.05 },
        { kind: 'unprocessedItems', rate: 0.25, operations: ['BatchWriteItem'] },
      ],
    });
    try {
      const text = [
        'name: faults-references',
        `connections: { faulty: { endpoint: "${proxy.endpoint}" } }`,
        'source: faulty',
        'destination: faulty',
        'salt: faults-salt',
        'defaults: { S: passthrough, N: passthrough }',
        'tables:',
        '  - source: FaultRefUsers',
        '    destination: FaultRefUsersCopy',
        `    where: "plan = 'enterprise'"`,
        '  - source: FaultRefOrdersPlain',
        '    destination: FaultRefOrdersCopy',
        '    mode: replace',
        '    segments: 2',
        '    references: { table: FaultRefUsers, attribute: customerId }',
        '  - source: FaultRefOrders',
        '    destination: FaultRefOrdersGsiCopy',
        '    references: { table: FaultRefUsers, attribute: customerId }',
      ].join('\n');
      const result = await (await startRun(stack.client, parseJob(text, 'faults-references.yaml', builtinRegistry), { taskQueue: stack.taskQueue })).result();
      const stats = proxy.stats();
      console.log(`[faults] references: ${describeStats(stats)}`);
      expect(Object.values(stats.injected).reduce((a, b) => a + b, 0), 'faults injected').toBeGreaterThan(10);

      const selected = new Set(data.users.filter((u) => u['plan']!.S === 'enterprise').map((u) => u['userId']!.S!));
      const expected = data.orders.filter((o) => selected.has(o['customerId']!.S!)).map((o) => o['orderId']!.S!).sort();
      const dangling = data.orders.filter((o) => o['customerId']!.S!.startsWith('GONE')).length;
      expect(result.tables.slice(1)).toMatchObject([
        { read: expected.length, written: expected.length, deleted: 1, dangling },
        { read: expected.length, written: expected.length },
      ]);
      for (const copy of ['FaultRefOrdersCopy', 'FaultRefOrdersGsiCopy']) {
        expect((await scanAll(stack.dynamo, copy)).map((o) => o['orderId']!.S!).sort(), copy).toEqual(expected);
      }
    } finally {
      await proxy.close();
    }
  }, 300_000);

  it('walks a cycle of references (users and their teams) to the same fixpoint, prune included, and counts the dangling ones exactly', async () => {
    const ring = await seedUsersOrders(stack.dynamo, { users: 'FaultRingUsers', orders: 'FaultRingOrders', teams: 'FaultRingTeams' }, { users: 120, ordersPerUser: 1, teams: 40, seed: 11 });
    await seedTable(stack.dynamo, 'FaultRingUsersCopy', [{ userId: { S: 'U-STALE' } }], USERS_SPEC);
    await recreateTable(stack.dynamo, 'FaultRingTeamsCopy', TEAMS_SPEC);
    const proxy = await startFaultProxy({
      target: stack.dynamoEndpoint,
      seed: SEED,
      rules: [
        { kind: 'throttling', rate: 0.02 },
        { kind: 'internalError', rate: 0.05 },
        { kind: 'resetMidRequest', rate: 0.05 },
        { kind: 'resetMidResponse', rate: 0.05 },
        { kind: 'unprocessedItems', rate: 0.25, operations: ['BatchWriteItem'] },
      ],
    });
    try {
      const text = [
        'name: faults-ring',
        `connections: { faulty: { endpoint: "${proxy.endpoint}" } }`,
        'source: faulty',
        'destination: faulty',
        'salt: faults-salt',
        'defaults: { S: passthrough, N: passthrough }',
        'tables:',
        '  - source: FaultRingUsers',
        '    destination: FaultRingUsersCopy',
        '    mode: replace',
        '    segments: 2',
        `    where: "plan = 'enterprise'"`,
        '    references: { table: FaultRingTeams, attribute: teamId }',
        '  - source: FaultRingTeams',
        '    destination: FaultRingTeamsCopy',
        '    references: { table: FaultRingUsers, attribute: ownerId }',
      ].join('\n');
      const result = await (await startRun(stack.client, parseJob(text, 'faults-ring.yaml', builtinRegistry), { taskQueue: stack.taskQueue })).result();
      const stats = proxy.stats();
      console.log(`[faults] ring: ${describeStats(stats)}`);
      expect(Object.values(stats.injected).reduce((a, b) => a + b, 0), 'faults injected').toBeGreaterThan(10);
      const expected = usersTeamsFixpoint({ users: ring.users, teams: ring.teams! }, (u) => u['plan']!.S === 'enterprise');
      const unowned = ring.teams!.filter((t) => t['ownerId']!.S!.startsWith('GONE')).length;
      expect(result.tables).toMatchObject([
        { written: expected.users.size, deleted: 1, dangling: 0 },
        { written: expected.teams.size, dangling: unowned },
      ]);
      expect(new Set((await scanAll(stack.dynamo, 'FaultRingUsersCopy')).map((u) => u['userId']!.S!))).toEqual(expected.users);
      expect(new Set((await scanAll(stack.dynamo, 'FaultRingTeamsCopy')).map((t) => t['teamId']!.S!))).toEqual(expected.teams);
    } finally {
      await proxy.close();
    }
  }, 300_000);

  it('prunes forward (a hashed key) through the same faults: exactly the transformed selection, the planted items deleted', async () => {
    await recreateTable(stack.dynamo, 'FaultFwdUsersCopy', USERS_SPEC);
    await recreateTable(stack.dynamo, 'FaultFwdOrdersCopy', ORDERS_NO_INDEX_SPEC);
    const planted: Item[] = [{ orderId: { S: 'O99999999' } }, { orderId: { S: 'f'.repeat(64) } }];
    await seedTable(stack.dynamo, 'FaultFwdOrdersCopy', planted, ORDERS_NO_INDEX_SPEC);
    const proxy = await startFaultProxy({
      target: stack.dynamoEndpoint,
      seed: SEED + 1,
      rules: [
        { kind: 'throttling', rate: 0.02 },
        { kind: 'internalError', rate: 0.05 },
        { kind: 'resetMidRequest', rate: 0.05 },
        { kind: 'resetMidResponse', rate: 0.05 },
        { kind: 'unprocessedItems', rate: 0.25, operations: ['BatchWriteItem'] },
      ],
    });
    try {
      const text = [
        'name: faults-forward-prune',
        `connections: { faulty: { endpoint: "${proxy.endpoint}" } }`,
        'source: faulty',
        'destination: faulty',
        'salt: faults-salt',
        'defaults: { S: passthrough, N: passthrough }',
        'tables:',
        '  - source: FaultRefUsers',
        '    destination: FaultFwdUsersCopy',
        `    where: "plan = 'enterprise'"`,
        '  - source: FaultRefOrdersPlain',
        '    destination: FaultFwdOrdersCopy',
        '    mode: replace',
        '    segments: 2',
        '    references: { table: FaultRefUsers, attribute: customerId }',
        '    transformers:',
        '      orderId: hash',
      ].join('\n');
      const result = await (await startRun(stack.client, parseJob(text, 'faults-forward-prune.yaml', builtinRegistry), { taskQueue: stack.taskQueue })).result();
      const stats = proxy.stats();
      console.log(`[faults] forward prune: ${describeStats(stats)}`);
      expect(Object.values(stats.injected).reduce((a, b) => a + b, 0), 'faults injected').toBeGreaterThan(10);

      // The destination keys computed here with the transformer and the salt.
      const options = builtinRegistry.validateOptions('hash', {});
      if (!options.ok) throw new Error('hash options');
      const hash = builtinRegistry.instantiate({ type: 'hash', options: options.options }, { salt: 'faults-salt' });
      const selected = new Set(data.users.filter((u) => u['plan']!.S === 'enterprise').map((u) => u['userId']!.S!));
      const expected = data.orders.filter((o) => selected.has(o['customerId']!.S!)).map((o) => (hash(o['orderId']!, ['orderId']) as { S: string }).S).sort();
      expect(result.tables[1]).toMatchObject({ read: expected.length, written: expected.length, deleted: planted.length });
      expect((await scanAll(stack.dynamo, 'FaultFwdOrdersCopy')).map((o) => o['orderId']!.S!).sort()).toEqual(expected);
    } finally {
      await proxy.close();
    }
  }, 300_000);
});
