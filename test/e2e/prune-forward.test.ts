/**
 * pruneDestinationForward against DynamoDB Local, run through the SDK's
 * MockActivityEnvironment: with the partition key hashed (no inverse), a
 * destination holding the copies of every source item plus stale ones ends
 * up holding exactly the copies of the subset, over small pages and two
 * segments; the source is only read and unchanged; heartbeats and the
 * result carry counts only; a read that fails partway through the
 * selection deletes nothing; tables it must not prune are refused before
 * it deletes anything.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import type { PruneForwardInput, PruneForwardResult } from '../../src/activities/contracts.ts';
import { PlanCache } from '../../src/activities/plan-cache.ts';
import { makePruneDestinationForward } from '../../src/activities/prune-forward.ts';
import { CursorSeal } from '../../src/activities/sealed-cursor.ts';
import { writeItems } from '../../src/dynamo/batch-writer.ts';
import { DynamoClients, createDynamoClient } from '../../src/dynamo/clients.ts';
import { describeTable } from '../../src/dynamo/table-info.ts';
import { tableReadPlan } from '../../src/dynamo/table-read-plan.ts';
import { recreateTable, type TableSpec } from '../../src/local-stack/seed.ts';
import { SecretResolver } from '../../src/secrets/secret-resolver.ts';
import type { Item } from '../../model/item.ts';
import type { TableJob, TransformerRef } from '../../model/job.ts';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { DEFAULT_SANDBOX_LIMITS } from '../../transformers/js/plan-scripts.ts';
import { buildPlan } from '../../transformers/plan.ts';
import { directConnections, directTableJob } from '../support/direct-activities.ts';
import { scanAll } from '../support/stack.ts';

const COMPOSITE: TableSpec = {
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'N' },
  ],
};
const SALT = 'prune-forward-salt';
const hash: TransformerRef = { type: 'hash', options: { encoding: 'hex' } };
const quiet = new DefaultLogger('ERROR');

/** 90 items over 9 partitions; every third one is 'old', so `status = 'active'` selects 60. */
const sourceItems = (): Item[] =>
  Array.from({ length: 90 }, (_, i) => ({
    pk: { S: `user-${String(i % 9).padStart(4, '0')}` },
    sk: { N: String(i) },
    status: { S: i % 3 === 0 ? 'old' : 'active' },
  }));
const keyText = (item: Item) => `${item['pk']!.S}|${item['sk']!.N}`;

describe('pruneDestinationForward', () => {
  let endpoint: string;
  let dynamo: DynamoDBClient;
  const sourceCommands = new Set<string>();
  let clients: DynamoClients;
  const deps = (over?: DynamoClients) => ({ clients: over ?? clients, registry: builtinRegistry, plans: new PlanCache(), seal: new CursorSeal('prune-forward test'), secrets: new SecretResolver(), readPageLimit: 7 });

  beforeAll(() => {
    endpoint = inject('dynamoEndpoint');
    dynamo = createDynamoClient({ endpoint });
    clients = new DynamoClients({ sourceGuard: { onCommand: (name) => sourceCommands.add(name) } });
  });
  afterAll(() => {
    dynamo?.destroy();
    clients?.destroy();
  });

  const tableJob = (source: string, destination: string, over: Partial<TableJob> = {}): TableJob =>
    directTableJob(source, destination, { transformers: { pk: hash }, mode: 'replace', segments: 2, where: "status = 'active'", ...over });
  /** What a copy of these items under the table's mappings writes, by the plan copyPages uses. */
  const copyOf = (table: TableJob, items: Item[]) => {
    const plan = buildPlan({ transformers: table.transformers, defaults: {}, keyAttributes: ['pk', 'sk'], salt: SALT }, builtinRegistry);
    return items.map((item) => plan.transformItem(item));
  };

  async function setUp(name: string) {
    const [src, dst] = [`${name}Source`, `${name}Dest`];
    const source = sourceItems();
    await recreateTable(dynamo, src, COMPOSITE);
    await recreateTable(dynamo, dst, COMPOSITE);
    await writeItems(dynamo, src, source);
    const table = tableJob(src, dst);
    // A previous run's copy of every source item, the untransformed items, and keys of nothing.
    const stale: Item[] = [...source.slice(0, 10), ...Array.from({ length: 12 }, (_, i) => ({ pk: { S: 'f'.repeat(63) + (i % 10) }, sk: { N: String(1000 + i) } }))];
    await writeItems(dynamo, dst, [...copyOf(table, source).map((item) => ({ ...item, copied: { BOOL: true } })), ...stale]);
    const input: PruneForwardInput = {
      table,
      connections: directConnections(endpoint),
      defaults: {},
      salt: SALT,
      keyAttributes: ['pk', 'sk'],
      readPlan: tableReadPlan(table, await describeTable(dynamo, src)).plan,
      sandbox: DEFAULT_SANDBOX_LIMITS,
      keysAreSensitive: true,
    };
    return { src, dst, source, stale, table, input, sourceBefore: (await scanAll(dynamo, src)).map(keyText).sort() };
  }

  it('leaves exactly the copies of the subset (2 segments, pages of 7), reads the source only, and tells counts only', async () => {
    const { src, dst, source, stale, table, input, sourceBefore } = await setUp('PruneFwd');
    expect(input.readPlan).toMatchObject({ kind: 'scan', segments: 2 });
    const subset = source.filter((item) => item['status']!.S === 'active');
    sourceCommands.clear();
    const env = new MockActivityEnvironment(undefined, { logger: quiet });
    const heartbeats: unknown[] = [];
    env.on('heartbeat', (details: unknown) => heartbeats.push(details));

    const result: PruneForwardResult = await env.run(makePruneDestinationForward(deps(), { pageLimit: 7 }), input);

    const left = await scanAll(dynamo, dst);
    expect(left.map(keyText).sort()).toEqual(copyOf(table, subset).map(keyText).sort());
    // Kept items are the destination's own: the prune deletes, it never rewrites.
    expect(left.every((item) => item['copied']?.BOOL === true)).toBe(true);
    expect(result).toEqual({ selected: subset.length, checked: source.length + stale.length, deleted: source.length - subset.length + stale.length });
    expect((await scanAll(dynamo, src)).map(keyText).sort()).toEqual(sourceBefore);
    expect([...sourceCommands]).toEqual(['ScanCommand']);
    expect(heartbeats.length).toBeGreaterThan(10);
    for (const details of [...heartbeats, result]) expect(Object.values(details as object).every((value) => typeof value === 'number')).toBe(true);
  });

  it('deletes nothing when reading the selection fails partway', async () => {
    const { dst, input } = await setUp('PruneFwdFail');
    const before = (await scanAll(dynamo, dst)).map(keyText).sort();
    // The source's fourth Scan page fails for good (a table deleted mid-read would do the same).
    const failing = new DynamoClients();
    const source = failing.source.bind(failing);
    let scans = 0;
    failing.source = (name, connection) => {
      const client = source(name, connection);
      if (!(client as { failing?: boolean }).failing) {
        (client as { failing?: boolean }).failing = true;
        client.middlewareStack.add(
          (next, context) => async (args) => {
            if (context.commandName === 'ScanCommand' && ++scans === 4) throw Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException', $fault: 'client' });
            return next(args);
          },
          { step: 'initialize', name: 'failFourthScan' },
        );
      }
      return client;
    };
    try {
      await expect(new MockActivityEnvironment(undefined, { logger: quiet }).run(makePruneDestinationForward(deps(failing), { pageLimit: 7 }), input)).rejects.toThrow(/ResourceNotFoundException: Requested resource not found/);
      expect(scans).toBe(4);
      expect((await scanAll(dynamo, dst)).map(keyText).sort()).toEqual(before);
    } finally {
      failing.destroy();
    }
  });

  it('refuses, before deleting anything, a table whose mode is upsert, whose key goes through a script, or that reads an index', async () => {
    const { dst, table, input } = await setUp('PruneFwdRefuse');
    const before = (await scanAll(dynamo, dst)).map(keyText).sort();
    const run = (over: Partial<TableJob>) => new MockActivityEnvironment(undefined, { logger: quiet }).run(makePruneDestinationForward(deps()), { ...input, table: { ...table, ...over } });
    await expect(run({ mode: 'upsert' })).rejects.toMatchObject({ nonRetryable: true, message: 'pruneDestinationForward runs only for mode replace, not upsert' });
    await expect(run({ transformers: { pk: { type: 'js', options: { code: 'return value' } } } })).rejects.toMatchObject({
      nonRetryable: true,
      message: expect.stringContaining("the mapping of key attribute pk in the table's mappings (a js script, which can read the clock) may give another key on another run"),
    });
    await expect(run({ index: 'byStatus' })).rejects.toMatchObject({ nonRetryable: true, message: expect.stringContaining('mode replace cannot read from index "byStatus"') });
    expect((await scanAll(dynamo, dst)).map(keyText).sort()).toEqual(before);
  });
});
