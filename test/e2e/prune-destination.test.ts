/**
 * pruneDestination against DynamoDB Local, run through the SDK's
 * MockActivityEnvironment: a destination holding the source's items plus
 * stale ones ends up holding exactly the subset, over many small pages and
 * two segments, for a hash+range table (with and without a WHERE) and a
 * hash-only table with binary keys; the source is only read and unchanged;
 * no key value leaves the activity unsealed; a retried attempt resumes from
 * its heartbeat.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Info } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { makePruneDestination, replaceModeProblem, type PruneOptions } from '../../src/activities/prune-destination.ts';
import { SecretResolver } from '../../src/secrets/secret-resolver.ts';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { buildPlan } from '../../transformers/plan.ts';
import { templateRef } from '../../transformers/templates/index.ts';
import { CursorSeal } from '../../src/activities/sealed-cursor.ts';
import { writeItems } from '../../src/dynamo/batch-writer.ts';
import { DynamoClients, createDynamoClient } from '../../src/dynamo/clients.ts';
import type { Item } from '../../model/item.ts';
import type { TableJob } from '../../model/job.ts';
import type { PruneDestinationInput, PruneDestinationResult } from '../../src/activities/contracts.ts';
import { recreateTable, type TableSpec } from '../../src/local-stack/seed.ts';
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
const HASH_ONLY_BINARY: TableSpec = {
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'B' }],
};

/** Failures the tests provoke on purpose would otherwise print as worker warnings. */
const quiet = new DefaultLogger('ERROR');
const mockEnvironment = (info?: Partial<Info>) => new MockActivityEnvironment(info, { logger: quiet });

/** 90 items over 9 partitions; every third one is 'old', so `status = 'active'` selects 60. */
function compositeItems(): Item[] {
  return Array.from({ length: 90 }, (_, i) => ({
    pk: { S: `user-${String(i % 9).padStart(4, '0')}` },
    sk: { N: String(i) },
    status: { S: i % 3 === 0 ? 'old' : 'active' },
    email: { S: `person${i}@example.com` },
  }));
}

function binaryItems(): Item[] {
  return Array.from({ length: 60 }, (_, i) => ({
    id: { B: Uint8Array.from([0xd1, i, (i * 37) % 256, 0x00]) },
    status: { S: i % 4 === 0 ? 'old' : 'active' },
  }));
}

/** Keys no source item has, and items the source has but with a stale copy's attributes. */
function staleComposite(): Item[] {
  return Array.from({ length: 25 }, (_, i) => ({ pk: { S: `gone-${String(i).padStart(4, '0')}` }, sk: { N: String(1000 + i) }, email: { S: `stale${i}@example.com` } }));
}

function staleBinary(): Item[] {
  return Array.from({ length: 15 }, (_, i) => ({ id: { B: Uint8Array.from([0xee, i]) }, status: { S: 'active' } }));
}

describe('pruneDestination', () => {
  let endpoint: string;
  let dynamo: DynamoDBClient;
  const sourceCommands = new Set<string>();
  let clients: DynamoClients;
  const seal = new CursorSeal('prune-destination test');
  const secrets = new SecretResolver();
  const deps = (over: DynamoClients = clients) => ({ clients: over, seal, registry: builtinRegistry, secrets });

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
    directTableJob(source, destination, { transformers: { email: { type: 'email', options: {} } }, mode: 'replace', segments: 'auto', ...over });

  /** Every segment to its end, one activity call (and one fresh mock environment) per page, as the workflow would with a short budget. */
  async function pruneAll(table: TableJob, keyAttributes: string[], segments: number, options: PruneOptions, salt?: string) {
    const prune = makePruneDestination(deps(), { callBudgetMs: 0, ...options });
    const seen: unknown[] = [];
    const totals = { deleted: 0, checked: 0, calls: 0, checkedBySegment: [] as number[] };
    await Promise.all(
      Array.from({ length: segments }, async (_, segment) => {
        let cursor: string | undefined;
        do {
          const env = mockEnvironment();
          env.on('heartbeat', (details: unknown) => seen.push(details));
          const input: PruneDestinationInput = {
            table,
            connections: directConnections(endpoint),
            ...(salt !== undefined ? { salt } : {}),
            keyAttributes,
            segment,
            totalSegments: segments,
            ...(cursor !== undefined ? { cursor } : {}),
          };
          const result: PruneDestinationResult = await env.run(prune, input);
          seen.push(result);
          totals.deleted += result.deleted;
          totals.checked += result.checked;
          totals.checkedBySegment[segment] = (totals.checkedBySegment[segment] ?? 0) + result.checked;
          totals.calls++;
          cursor = result.cursor;
        } while (cursor !== undefined);
      }),
    );
    return { ...totals, seen };
  }

  async function setUp(name: string, schema: TableSpec, source: Item[], stale: Item[]) {
    const [src, dst] = [`${name}Source`, `${name}Dest`];
    await recreateTable(dynamo, src, schema);
    await recreateTable(dynamo, dst, schema);
    await writeItems(dynamo, src, source);
    // A previous run's copy of every source item, plus items the source no longer has.
    await writeItems(dynamo, dst, [...source.map((item) => ({ ...item, copied: { BOOL: true } })), ...stale]);
    return { src, dst, sourceBefore: await scanSorted(dynamo, src) };
  }

  const cases = [
    { name: 'PruneAll', label: 'hash+range, no where', schema: COMPOSITE, keys: ['pk', 'sk'], items: compositeItems, stale: staleComposite, where: undefined },
    { name: 'PruneActive', label: 'hash+range, where', schema: COMPOSITE, keys: ['pk', 'sk'], items: compositeItems, stale: staleComposite, where: "status = 'active'" },
    { name: 'PruneBinAll', label: 'hash-only binary, no where', schema: HASH_ONLY_BINARY, keys: ['id'], items: binaryItems, stale: staleBinary, where: undefined },
    { name: 'PruneBinActive', label: 'hash-only binary, where', schema: HASH_ONLY_BINARY, keys: ['id'], items: binaryItems, stale: staleBinary, where: "status = 'vip' OR status = 'active'" },
  ];

  for (const c of cases) {
    it(`leaves exactly the subset (${c.label}, 2 segments, pages of 7)`, async () => {
      const source = c.items();
      const stale = c.stale();
      const { src, dst, sourceBefore } = await setUp(c.name, c.schema, source, stale);
      const subset = c.where === undefined ? source : source.filter((item) => item.status?.S === 'active');
      sourceCommands.clear();

      const run = await pruneAll(tableJob(src, dst, c.where !== undefined ? { where: c.where } : {}), c.keys, 2, { pageLimit: 7 });

      const left = await scanSorted(dynamo, dst);
      expect(left.map(keyText)).toEqual(subset.map(keyText).sort());
      // Kept items are the destination's own: the prune deletes, it never rewrites.
      expect(left.every((item) => item.copied?.BOOL === true)).toBe(true);
      expect(run.deleted).toBe(source.length + stale.length - subset.length);
      expect(run.checked).toBe(source.length + stale.length);
      expect(run.checkedBySegment.every((n) => n > 0)).toBe(true);
      expect(run.calls).toBeGreaterThan((source.length + stale.length) / 7);

      expect(await scanSorted(dynamo, src)).toEqual(sourceBefore);
      expect([...sourceCommands].sort()).toEqual([c.where === undefined ? 'BatchGetItemCommand' : 'ExecuteStatementCommand']);
      // Cursors and heartbeats travel through Temporal: no key value in them, only sealed cursors and counts.
      const travelled = travelledText(run.seen);
      for (const item of [...source, ...stale]) {
        for (const value of keyValues(item, c.keys)) expect(travelled).not.toContain(value);
      }
    });
  }

  // pk through a template of a permuted part, sk (N) through permuteNumber: the copy's keys are none of the source's.
  const TRANSFORMED = {
    pk: templateRef({ templates: ['user-{n}'], parts: { n: { type: 'permuteId', options: {} } }, otherwise: 'error' }),
    sk: { type: 'permuteId', options: {} },
    email: { type: 'email', options: {} },
  };
  const SALT = 'prune-transformed-salt';
  /** What a copy with TRANSFORMED under SALT writes for these items, by the plan copyPages uses. */
  const transformedCopy = (items: Item[]) => {
    const plan = buildPlan({ transformers: TRANSFORMED, defaults: {}, keyAttributes: ['pk', 'sk'], salt: SALT }, builtinRegistry);
    return items.map((item) => plan.transformItem(item));
  };

  for (const where of [undefined, "status = 'active'"]) {
    it(`with transformed keys, leaves exactly the copies of the subset (${where === undefined ? 'no where' : 'where'}, 2 segments, pages of 7)`, async () => {
      const source = compositeItems();
      const subset = where === undefined ? source : source.filter((item) => item.status?.S === 'active');
      const name = where === undefined ? 'PruneMappedAll' : 'PruneMappedActive';
      const [src, dst] = [`${name}Source`, `${name}Dest`];
      await recreateTable(dynamo, src, COMPOSITE);
      await recreateTable(dynamo, dst, COMPOSITE);
      await writeItems(dynamo, src, source);
      const copies = transformedCopy(source).map((item) => ({ ...item, copied: { BOOL: true } }));
      // Left over from before: keys no source key maps to (no template matches "gone-…"), and copies made without transformed keys.
      const untransformed = source.slice(0, 12).map((item) => ({ ...item, untransformed: { BOOL: true } }));
      await writeItems(dynamo, dst, [...staleComposite(), ...untransformed]);
      await writeItems(dynamo, dst, copies);
      const sourceBefore = await scanSorted(dynamo, src);
      const held = (await scanAll(dynamo, dst)).length;
      sourceCommands.clear();

      const run = await pruneAll(tableJob(src, dst, { transformers: TRANSFORMED, ...(where !== undefined ? { where } : {}) }), ['pk', 'sk'], 2, { pageLimit: 7 }, SALT);

      const left = await scanSorted(dynamo, dst);
      const expected = transformedCopy(subset).map(keyText).sort();
      expect(expected.filter((key) => subset.some((item) => keyText(item) === key))).toEqual([]);
      expect(left.map(keyText)).toEqual(expected);
      expect(left.every((item) => item.copied?.BOOL === true)).toBe(true);
      expect(run.deleted).toBe(held - subset.length);
      expect(run.checked).toBe(held);
      expect(await scanSorted(dynamo, src)).toEqual(sourceBefore);
      expect([...sourceCommands].sort()).toEqual([where === undefined ? 'BatchGetItemCommand' : 'ExecuteStatementCommand']);
      const travelled = travelledText(run.seen);
      for (const item of [...source, ...copies, ...staleComposite()]) {
        for (const value of keyValues(item, ['pk'])) expect(travelled).not.toContain(value);
      }
    });
  }

  it('resumes a retried attempt from its last heartbeat, and a finished one does nothing more', async () => {
    const source = compositeItems();
    const stale = staleComposite();
    const { src, dst } = await setUp('PruneResume', COMPOSITE, source, stale);
    const table = tableJob(src, dst, { where: "status = 'active'" });
    const input: PruneDestinationInput = { table, connections: directConnections(endpoint), keyAttributes: ['pk', 'sk'], segment: 0, totalSegments: 1 };

    // First attempt: one page, then it "dies"; its last heartbeat is what Temporal keeps.
    const first = mockEnvironment();
    let checkpoint: unknown;
    first.on('heartbeat', (details: unknown) => (checkpoint = details));
    const partial: PruneDestinationResult = await first.run(makePruneDestination(deps(), { callBudgetMs: 0, pageLimit: 20 }), input);
    expect(partial.cursor).toBeDefined();
    expect(partial.checked).toBe(20);

    const retry = mockEnvironment({ heartbeatDetails: checkpoint });
    let scans = 0;
    const watched = new DynamoClients();
    const result: PruneDestinationResult = await retry.run(makePruneDestination(deps(countScans(watched, () => scans++)), { pageLimit: 20 }), input);
    expect(result.cursor).toBeUndefined();
    expect(result.checked).toBe(source.length + stale.length);
    expect(result.deleted).toBe(stale.length + source.filter((item) => item.status?.S !== 'active').length);
    // The first page is not scanned again: the other 95 keys take 5 pages.
    expect(scans).toBe(5);

    let finalCheckpoint: unknown;
    const again = mockEnvironment();
    again.on('heartbeat', (details: unknown) => (finalCheckpoint = details));
    await again.run(makePruneDestination(deps(), { pageLimit: 500 }), input);
    scans = 0;
    const done = await mockEnvironment({ heartbeatDetails: finalCheckpoint }).run(makePruneDestination(deps(countScans(watched, () => scans++))), input);
    const subsetSize = source.filter((item) => item.status?.S === 'active').length;
    expect(done).toEqual({ deleted: 0, checked: subsetSize });
    expect(scans).toBe(0);
    watched.destroy();
  });

  it('refuses, before deleting anything, a table whose mode is upsert, whose keys go through a mapping without an inverse, or whose WHERE is bad', async () => {
    const source = compositeItems();
    const { src, dst } = await setUp('PruneRefuse', COMPOSITE, source, staleComposite());
    const before = await scanSorted(dynamo, dst);
    const run = (table: TableJob) =>
      mockEnvironment().run(makePruneDestination(deps(), { pageLimit: 10 }), {
        table,
        connections: directConnections(endpoint),
        keyAttributes: ['pk', 'sk'],
        segment: 0,
        totalSegments: 1,
      });

    await expect(run(tableJob(src, dst, { mode: 'upsert' }))).rejects.toMatchObject({ nonRetryable: true, message: expect.stringContaining('mode replace') });
    await expect(run(tableJob(src, dst, { transformers: { pk: { type: 'hash', options: {} } } }))).rejects.toMatchObject({
      nonRetryable: true,
      message: expect.stringContaining('key attribute pk (transformer "hash") has no inverse'),
    });
    await expect(run(tableJob(src, dst, { where: 'status = = 1' }))).rejects.toMatchObject({
      nonRetryable: true,
      message: expect.stringContaining(`looking up keys in source "${src}"`),
    });
    await expect(run(tableJob(src, 'PruneNoSuchTable'))).rejects.toMatchObject({ nonRetryable: true, message: expect.stringContaining('table not found') });
    expect(await scanSorted(dynamo, dst)).toEqual(before);
  });
});

describe('replaceModeProblem', () => {
  const table = (over: Partial<TableJob>): TableJob => ({
    source: 'Users',
    destination: 'UsersStaging',
    sourceConnection: 'prod',
    destinationConnection: 'staging',
    consistentRead: false,
    onTypeMismatch: 'error',
    transformers: {},
    mode: 'replace',
    createTable: false,
    segments: 'auto',
    ...over,
  });
  const ref = (type: string) => ({ type, options: {} });

  it('accepts keys left alone, passed through, or only reached by wildcards and nested paths', () => {
    expect(replaceModeProblem(table({}), ['pk', 'sk'], builtinRegistry)).toBeUndefined();
    expect(replaceModeProblem(table({ transformers: { pk: ref('passthrough'), '*': ref('redact'), 'pk.x': ref('hash'), Email: ref('email') } }), ['pk', 'sk'], builtinRegistry)).toBeUndefined();
    expect(replaceModeProblem(table({ mode: 'upsert', transformers: { pk: ref('hash') }, index: 'byEmail' }), ['pk'], builtinRegistry)).toBeUndefined();
  });

  it('accepts keys mapped with an inverse: permuteId, and templates of such parts whose otherwise is error or passthrough', () => {
    const parts = { id: ref('permuteId'), day: ref('passthrough') };
    const transformers = { pk: templateRef({ templates: ['U#{id}', 'D#{day}#{id}'], parts, otherwise: ref('passthrough') }), sk: ref('permuteId'), Email: ref('email') };
    expect(replaceModeProblem(table({ transformers }), ['pk', 'sk'], builtinRegistry)).toBeUndefined();
  });

  it('names every key attribute whose mapping has no inverse, and the way out', () => {
    expect(replaceModeProblem(table({ transformers: { pk: ref('hash'), '"sk"': ref('randomInt'), Email: ref('email') } }), ['pk', 'sk'], builtinRegistry)).toBe(
      'mode replace maps each destination key back to its source key, but the mapping of key attributes pk (transformer "hash") and "sk" (transformer "randomInt") have no inverse; map key attributes with permuteId, passthrough or templates of such parts (otherwise: error or passthrough), or use mode upsert',
    );
    const email = templateRef({ templates: ['U#{mail}'], parts: { mail: ref('email') }, otherwise: 'error' });
    expect(replaceModeProblem(table({ transformers: { pk: email } }), ['pk'], builtinRegistry)).toBe(
      'mode replace maps each destination key back to its source key, but the mapping of key attribute pk (a template through part {mail} (transformer "email")) has no inverse; map key attributes with permuteId, passthrough or templates of such parts (otherwise: error or passthrough), or use mode upsert',
    );
  });

  it('refuses reading from an index', () => {
    expect(replaceModeProblem(table({ index: 'byStatus' }), ['pk'], builtinRegistry)).toBe(
      'mode replace cannot read from index "byStatus": the prune step checks destination keys against the base table; read the table itself, or use mode upsert',
    );
  });
});

/** Counts the destination Scans a DynamoClients' clients send. */
function countScans(clients: DynamoClients, count: () => void): DynamoClients {
  const destination = clients.destination.bind(clients);
  clients.destination = (name, connection, sources) => {
    const client = destination(name, connection, sources);
    if (!(client as { counted?: boolean }).counted) {
      (client as { counted?: boolean }).counted = true;
      client.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === 'ScanCommand') count();
          return next(args);
        },
        { step: 'initialize', name: 'countScans' },
      );
    }
    return client;
  };
  return clients;
}

async function scanSorted(dynamo: DynamoDBClient, table: string): Promise<Item[]> {
  return (await scanAll(dynamo, table)).sort((a, b) => keyText(a).localeCompare(keyText(b)));
}

/**
 * What heartbeats and results carried, with each sealed cursor's ciphertext
 * left out: random base64 holds a four-digit key like "1011" now and then.
 * Every cursor must be sealed (sealed-cursor.test.ts shows a sealed one
 * holds no plain text), so a cursor in the clear still fails the test.
 */
function travelledText(seen: unknown[]): string {
  const text = JSON.stringify(seen);
  for (const [, cursor] of text.matchAll(/"cursor":"([^"]*)"/g)) expect(cursor).toMatch(/^c1\.[A-Za-z0-9_-]+$/);
  return text.replace(/"cursor":"c1\.[A-Za-z0-9_-]+"/g, '"cursor":"c1.sealed"');
}

function keyValues(item: Item, keys: readonly string[]): string[] {
  return keys.map((name) => {
    const value = item[name]!;
    return value.B !== undefined ? Buffer.from(value.B).toString('base64') : (value.S ?? value.N!);
  }).filter((text) => text.length >= 4);
}

/** A sortable text of an item's key, whichever of the test tables it comes from. */
function keyText(item: Item): string {
  return ['pk', 'sk', 'id']
    .filter((name) => item[name] !== undefined)
    .map((name) => {
      const value = item[name]!;
      return value.B !== undefined ? `B:${Buffer.from(value.B).toString('hex')}` : value.S !== undefined ? `S:${value.S}` : `N:${value.N!.padStart(6, '0')}`;
    })
    .join('|');
}
