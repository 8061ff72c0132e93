/**
 * `mode: replace` with transformed keys, through the copyTable workflow, on
 * the single-table dataset with jobs/single-table.yaml's templates (pk and
 * sk rewritten part by part with permuteId) and a `where`:
 *
 * 1. a first run copies the subset, every key rewritten;
 * 2. the source changes (items deleted, items moved out of the subset and
 *    into it, items added) and the destination gets items no source item
 *    maps to (a key of the right shape, one no template matches, a source
 *    key left as it is); a second run leaves exactly the subset: every
 *    destination item is the copy of a selected source item, and every
 *    selected source item's copy is there;
 * 3. a run that fails midway through its copy deletes nothing.
 *
 * The expectations map destination keys back with the permutation (fpe)
 * and the salt, and the templates written out as patterns here, so they do
 * not trust the prune's own inverse.
 *
 * The forward prune (prune-forward.ts), which prepareTable picks when the
 * inverse cannot serve, on tables of their own:
 *
 * 4. a partition key mapped with hash: a first run copies the subset; the
 *    where narrows, items leave the source and items no source item maps
 *    to are planted; a second run leaves exactly the keys computed forward
 *    here with the hash and the salt; a run that fails midway deletes
 *    nothing;
 * 5. jobs/single-table.yaml with its order rule set mapping `sk` through
 *    hash (so the table allows key collisions, and the merge count runs):
 *    planted items go, and after orders leave the source or the subset,
 *    exactly the subset is left.
 * Each run's history shows which prune ran (by activity type), and holds no
 * source key and no hashed one.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { DeleteItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableFailureOf } from '../../model/failure.ts';
import type { Item } from '../../model/item.ts';
import { writeItems } from '../../src/dynamo/batch-writer.ts';
import { parseJob } from '../../src/job/job-loader.ts';
import { recreateTable, seedTable } from '../../src/local-stack/seed.ts';
import { seedSingleTable, SINGLE_TABLE_SPEC } from '../../src/local-stack/single-table-data.ts';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { createPermutation } from '../../transformers/fpe/index.ts';
import { transformerScope } from '../../transformers/seed-scope.ts';
import type { copyTable } from '../../workflows/copy-table.ts';
import type { CopyTableInput } from '../../workflows/shared.ts';
import { connectTestStack, scanAll, type TestStack } from '../support/stack.ts';

const JOB = fileURLToPath(new URL('../../jobs/single-table.yaml', import.meta.url));
const SOURCE = 'ReplaceMappedSource';
const DESTINATION = 'ReplaceMappedCopy';
const SALT = 'replace-transformed-keys-salt';
/** Accounts, their orders and open tickets; closed tickets are left out. */
const WHERE = "status IS MISSING OR status <> 'closed'";
const PAGE = 25;

const key = (item: Item) => `${item['pk']!.S}|${item['sk']!.S}`;
const selected = (item: Item) => item['status']?.S !== 'closed';

// permuteId with no domain, as the job's parts use it, inverted with the salt.
const permutation = createPermutation(SALT, transformerScope('permuteId', {}));
/** The source key a destination key came from, by the job's templates: identifiers inverted, fixed text kept. */
function sourceKeyOf(item: Item): string {
  const pk = item['pk']!.S!.replace(/^(ACCOUNT|TICKET)#([^#]+)$/, (_, kind: string, id: string) => `${kind}#${permutation.invert(id)}`);
  const sk = item['sk']!.S!.replace(/^ORDER#([^#]+)#([^#]+)$/, (_, date: string, id: string) => `ORDER#${date}#${permutation.invert(id)}`);
  return `${pk}|${sk}`;
}

describe('mode: replace with transformed keys (the single-table dataset)', () => {
  let stack: TestStack;
  let input: (segments?: number) => CopyTableInput;
  let source: Item[];

  beforeAll(async () => {
    stack = await connectTestStack('e2e-replace-transformed-keys', { readPageLimit: PAGE, callBudgetMs: 0 });
    source = await seedSingleTable(stack.dynamo, SOURCE, { accounts: 60 });
    await recreateTable(stack.dynamo, DESTINATION, SINGLE_TABLE_SPEC);
    const text = (await readFile(JOB, 'utf8'))
      .replace('  - source: SingleTable\n    destination: SingleTableAnonymized\n', `  - source: ${SOURCE}\n    destination: ${DESTINATION}\n    mode: replace\n    where: "${WHERE}"\n`)
      .replace('createTable: true\n', 'createTable: false\n');
    expect(text).toContain('mode: replace');
    const job = parseJob(text, JOB, builtinRegistry, { DYNAMASK_LOCAL_ENDPOINT: stack.dynamoEndpoint, DYNAMASK_SALT: SALT });
    expect(job.salt).toBe(SALT);
    input = (segments = 2) => ({
      jobName: job.name,
      table: { ...job.tables[0]!, segments },
      connections: job.connections,
      defaults: job.defaults,
      salt: job.salt!,
      sandbox: job.sandbox,
      keysAreSensitive: true,
    });
  });
  afterAll(async () => stack?.close());

  const run = (name: string, segments?: number) =>
    stack.client.workflow.start<typeof copyTable>('copyTable', { taskQueue: stack.taskQueue, workflowId: `replace-transformed-${name}-${Date.now()}`, args: [input(segments)] });

  /** The destination holds exactly the copies of the source's subset: one each, none else, each with its source item's type and status. */
  async function expectExactlyTheSubset(current: Item[]): Promise<Item[]> {
    const copy = await scanAll(stack.dynamo, DESTINATION);
    const subset = new Map(current.filter(selected).map((item) => [key(item), item]));
    const back = copy.map(sourceKeyOf);
    expect(back.filter((k) => !subset.has(k))).toEqual([]);
    expect(new Set(back).size).toBe(copy.length);
    expect(copy.length).toBe(subset.size);
    // No key stayed as it was: every account and ticket id and every order id went through the permutation.
    expect(copy.filter((item) => subset.has(key(item)))).toEqual([]);
    copy.forEach((item, i) => {
      const origin = subset.get(back[i]!)!;
      expect(item['type'], back[i]).toEqual(origin['type']);
      expect(item['status'], back[i]).toEqual(origin['status']);
    });
    return copy;
  }

  /** Destination items no source item maps to: a well-formed key of each kind, a key no template matches, and a source key left untransformed. */
  function planted(current: Item[]): Item[] {
    const account = current.find((item) => item['sk']!.S === 'PROFILE')!;
    const items: Item[] = [
      { pk: { S: `ACCOUNT#${randomUUID()}` }, sk: { S: 'PROFILE' }, type: { S: 'account' }, planted: { BOOL: true } },
      { pk: { S: 'TICKET#31415926' }, sk: { S: 'TICKET' }, type: { S: 'ticket' }, planted: { BOOL: true } },
      { pk: { S: 'ORG#1' }, sk: { S: 'MEMBER#2' }, type: { S: 'org' }, planted: { BOOL: true } },
      { ...account, planted: { BOOL: true } },
    ];
    // Else one would be a copy after all, and the test would prove nothing about it.
    const sourceKeys = new Set(current.map(key));
    expect(items.filter((item) => sourceKeys.has(sourceKeyOf(item)))).toEqual([]);
    return items;
  }

  it('copies the subset, then after the source changes leaves exactly the new subset, deleting what no selected item maps to', async () => {
    const first = await run('first');
    const subset1 = source.filter(selected);
    expect(subset1.length).toBeLessThan(source.length);
    expect(await first.result()).toMatchObject({ mode: 'replace', read: subset1.length, written: subset1.length, deleted: 0 });
    await expectExactlyTheSubset(source);

    // The source changes: items deleted, moved out of the subset and into it, and added.
    const tickets = source.filter((item) => item['type']!.S === 'ticket');
    const accountWithOrders = source.find((item) => item['type']!.S === 'order')!['pk']!.S!;
    const deleted = [...source.filter((item) => item['pk']!.S === accountWithOrders), ...tickets.filter(selected).slice(0, 3)];
    const movedOut = tickets.filter(selected).slice(3, 8).map((item) => ({ ...item, status: { S: 'closed' } }));
    const movedIn = tickets.filter((item) => !selected(item)).slice(0, 3).map((item) => ({ ...item, status: { S: 'open' } }));
    const accountId = randomUUID();
    const added: Item[] = [
      { pk: { S: `ACCOUNT#${accountId}` }, sk: { S: 'PROFILE' }, type: { S: 'account' }, accountId: { S: accountId }, email: { S: 'new.person@example.com' }, GSI1PK: { S: 'EMAIL#new.person@example.com' }, GSI1SK: { S: `ACCOUNT#${accountId}` } },
      { pk: { S: `ACCOUNT#${accountId}` }, sk: { S: 'ORDER#2026-02-01#NEWORDER01' }, type: { S: 'order' }, orderId: { S: 'NEWORDER01' }, status: { S: 'placed' } },
      { pk: { S: 'TICKET#00000001' }, sk: { S: 'TICKET' }, type: { S: 'ticket' }, ticketId: { S: '00000001' }, status: { S: 'open' }, accountRef: { S: `ACCOUNT#${accountId}` } },
    ];
    expect(movedIn.length).toBe(3);
    const sourceKeys = new Set(source.map(key));
    expect(added.filter((item) => sourceKeys.has(key(item)))).toEqual([]);
    for (const item of deleted) await stack.dynamo.send(new DeleteItemCommand({ TableName: SOURCE, Key: { pk: item['pk']!, sk: item['sk']! } }));
    await writeItems(stack.dynamo, SOURCE, [...movedOut, ...movedIn, ...added]);
    const changed = new Map(source.map((item) => [key(item), item]));
    for (const item of deleted) changed.delete(key(item));
    for (const item of [...movedOut, ...movedIn, ...added]) changed.set(key(item), item);
    const current = [...changed.values()];
    const plants = planted(current);
    await writeItems(stack.dynamo, DESTINATION, plants);

    const second = await run('second');
    const subset2 = current.filter(selected);
    const report = await second.result();
    // Deleted: the copies of items that left the subset or the source, and every planted item.
    const gone = new Set(subset1.map(key));
    for (const item of subset2) gone.delete(key(item));
    expect(gone.size).toBe(deleted.filter(selected).length + movedOut.length);
    expect(report).toMatchObject({ read: subset2.length, written: subset2.length, deleted: gone.size + plants.length });
    const copy = await expectExactlyTheSubset(current);
    expect(copy.filter((item) => item['planted'] !== undefined)).toEqual([]);

    // Sealed cursors and counts only: no source identifier and no rewritten one in the run's history.
    const history = JSON.stringify(await second.fetchHistory(), (_, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : value));
    expect(history).toContain('pruneDestination');
    // UUIDs and order ids: long enough not to turn up in a timestamp by chance (ticket ids are 8 digits; dates are not identifiers).
    const identifiers = [...current, ...copy]
      .flatMap((item) => [item['pk']!.S!, item['sk']!.S!].flatMap((text) => text.split('#')))
      .filter((part) => part.length >= 10 && !/^\d{4}-\d\d-\d\d$/.test(part));
    expect(identifiers.length).toBeGreaterThan(400);
    expect(identifiers.filter((id) => history.includes(id))).toEqual([]);
  });

  it('deletes nothing when the run fails midway through its copy', async () => {
    const current = await scanAll(stack.dynamo, SOURCE);
    await writeItems(stack.dynamo, DESTINATION, planted(current));
    const before = (await scanAll(stack.dynamo, DESTINATION)).map(key).sort();
    // The account the copy reads last (one segment, in scan order) gets a number where its rule set's transformer takes strings: the run fails on a late page.
    const scanned: Item[] = [];
    let ExclusiveStartKey: Item | undefined;
    do {
      const page = await stack.dynamo.send(new ScanCommand({ TableName: SOURCE, ConsistentRead: true, ExclusiveStartKey }));
      scanned.push(...((page.Items ?? []) as Item[]));
      ExclusiveStartKey = page.LastEvaluatedKey as Item | undefined;
    } while (ExclusiveStartKey);
    const last = scanned.filter((item) => selected(item) && item.name?.S !== undefined).at(-1)!;
    await stack.dynamo.send(new PutItemCommand({ TableName: SOURCE, Item: { ...last, name: { N: '42' } } }));
    try {
      const error = await (await run('failed', 1)).result().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(WorkflowFailedError);
      const failure = tableFailureOf(((error as WorkflowFailedError).cause as ApplicationFailure).details?.[0]);
      expect(failure).toMatchObject({ source: SOURCE, destination: DESTINATION, phase: 'copy', reason: 'TransformFailed', path: 'name', counts: { deleted: 0 } });
      expect(failure!.counts.written).toBeGreaterThanOrEqual(PAGE * 4);
      // Everything stays, the planted items included: the prune never started.
      expect((await scanAll(stack.dynamo, DESTINATION)).map(key).sort()).toEqual(before);
    } finally {
      await stack.dynamo.send(new PutItemCommand({ TableName: SOURCE, Item: last }));
    }
  });

  /** A copyTable input for the first table of a job written here, with the salt and endpoint of this file. */
  const inputOf = (text: string, file: string, segments: number, over: Partial<CopyTableInput['table']> = {}): CopyTableInput => {
    const job = parseJob(text, file, builtinRegistry, { DYNAMASK_LOCAL_ENDPOINT: stack.dynamoEndpoint, DYNAMASK_SALT: SALT });
    return { jobName: job.name, table: { ...job.tables[0]!, segments, ...over }, connections: job.connections, defaults: job.defaults, salt: job.salt!, sandbox: job.sandbox, keysAreSensitive: true };
  };
  const start = (name: string, args: CopyTableInput) =>
    stack.client.workflow.start<typeof copyTable>('copyTable', { taskQueue: stack.taskQueue, workflowId: `replace-transformed-${name}-${Date.now()}`, args: [args] });
  /** The run's history as text, binary payloads decoded. */
  const historyText = async (handle: Awaited<ReturnType<typeof start>>) =>
    JSON.stringify(await handle.fetchHistory(), (_, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : value));
  /** The prune the run took, by the activity types its history scheduled. */
  const prunesOf = (history: string) => ({ forward: history.includes('"pruneDestinationForward"'), inverse: history.includes('"pruneDestination"') });

  describe('a partition key mapped with hash (deterministic, no inverse): the forward prune', () => {
    const HASH_SOURCE = 'ReplaceHashSource';
    const HASH_COPY = 'ReplaceHashCopy';
    const FILE = '/jobs/replace-hash.yaml';
    const spec = {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' as const },
        { AttributeName: 'sk', KeyType: 'RANGE' as const },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' as const },
        { AttributeName: 'sk', AttributeType: 'N' as const },
      ],
    };
    const jobText = (where: string) =>
      [
        'name: replace-hash',
        'connections:',
        '  local: { endpoint: "${DYNAMASK_LOCAL_ENDPOINT}" }',
        'source: local',
        'destination: local',
        'salt: ${DYNAMASK_SALT}',
        'tables:',
        `  - source: ${HASH_SOURCE}`,
        `    destination: ${HASH_COPY}`,
        '    mode: replace',
        `    where: "${where}"`,
        '    transformers:',
        '      pk: hash',
        '      name: fullName',
        '',
      ].join('\n');
    // Two items per user id (sk 1 and 2), every fifth closed.
    const users: Item[] = Array.from({ length: 240 }, (_, i) => ({
      pk: { S: `user-${i % 120}` },
      sk: { N: String(i < 120 ? 1 : 2) },
      status: { S: i % 5 === 0 ? 'closed' : 'active' },
      name: { S: `Person ${i}` },
    }));
    // The destination keys, computed forward here with the hash transformer and the salt, not by the prune.
    const options = builtinRegistry.validateOptions('hash', {});
    if (!options.ok) throw new Error('hash options');
    const hash = builtinRegistry.instantiate({ type: 'hash', options: options.options }, { salt: SALT });
    const destinationKeyOf = (item: Item) => `${(hash(item['pk']!, ['pk']) as { S: string }).S}|${item['sk']!.N}`;
    const keysOf = (items: Item[]) => items.map((item) => `${item['pk']!.S}|${item['sk']!.N}`).sort();

    beforeAll(async () => {
      await seedTable(stack.dynamo, HASH_SOURCE, users, spec);
      await recreateTable(stack.dynamo, HASH_COPY, spec);
    });

    it('copies the subset, then after the where and the source change leaves exactly the transformed new subset, planted items deleted', async () => {
      const first = await start('hash-first', inputOf(jobText("status <> 'closed'"), FILE, 2));
      const subset1 = users.filter((item) => item['status']!.S !== 'closed');
      expect(await first.result()).toMatchObject({ mode: 'replace', read: subset1.length, written: subset1.length, deleted: 0 });
      expect(keysOf(await scanAll(stack.dynamo, HASH_COPY))).toEqual(subset1.map(destinationKeyOf).sort());
      expect(prunesOf(await historyText(first))).toEqual({ forward: true, inverse: false });

      // The where narrows (sk 2 leaves), three selected items leave the source, and items no source item maps to are planted.
      const removed = subset1.filter((item) => item['sk']!.N === '1').slice(0, 3);
      for (const item of removed) await stack.dynamo.send(new DeleteItemCommand({ TableName: HASH_SOURCE, Key: { pk: item['pk']!, sk: item['sk']! } }));
      const plants: Item[] = [
        { pk: { S: createHash('sha256').update('nobody').digest('hex') }, sk: { N: '1' }, planted: { BOOL: true } },
        { pk: { S: 'user-1' }, sk: { N: '1' }, planted: { BOOL: true } },
        { pk: { S: (hash({ S: 'user-7' }, ['pk']) as { S: string }).S }, sk: { N: '3' }, planted: { BOOL: true } },
      ];
      await writeItems(stack.dynamo, HASH_COPY, plants);
      const removedKeys = new Set(removed.map(destinationKeyOf));
      const subset2 = subset1.filter((item) => item['sk']!.N === '1' && !removedKeys.has(destinationKeyOf(item)));

      const second = await start('hash-second', inputOf(jobText("status <> 'closed' AND sk = 1"), FILE, 2));
      expect(await second.result()).toMatchObject({ read: subset2.length, written: subset2.length, deleted: subset1.length - subset2.length + plants.length });
      const copy = await scanAll(stack.dynamo, HASH_COPY);
      expect(keysOf(copy)).toEqual(subset2.map(destinationKeyOf).sort());
      expect(copy.filter((item) => item['planted'] !== undefined)).toEqual([]);
      // Counts only: neither a source key nor a hashed one in the run's history.
      const history = await historyText(second);
      expect(prunesOf(history)).toEqual({ forward: true, inverse: false });
      expect(copy.map((item) => item['pk']!.S!).filter((key) => history.includes(key))).toEqual([]);
      expect(history).not.toMatch(/user-\d/);
    });

    it('deletes nothing when the run fails midway through its copy', async () => {
      await writeItems(stack.dynamo, HASH_COPY, [{ pk: { S: 'planted' }, sk: { N: '9' } }]);
      const before = keysOf(await scanAll(stack.dynamo, HASH_COPY));
      // The selected item one segment reads last gets a number where fullName takes strings: the run fails on a late page.
      // The where the last run left the destination with, so the pages written before the failure add no key.
      const where = "status <> 'closed' AND sk = 1";
      const scanned = await scanAll(stack.dynamo, HASH_SOURCE);
      const last = scanned.filter((item) => item['status']!.S !== 'closed' && item['sk']!.N === '1').at(-1)!;
      await stack.dynamo.send(new PutItemCommand({ TableName: HASH_SOURCE, Item: { ...last, name: { N: '42' } } }));
      try {
        const error = await (await start('hash-failed', inputOf(jobText(where), FILE, 1))).result().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(WorkflowFailedError);
        const failure = tableFailureOf(((error as WorkflowFailedError).cause as ApplicationFailure).details?.[0]);
        expect(failure).toMatchObject({ source: HASH_SOURCE, destination: HASH_COPY, phase: 'copy', reason: 'TransformFailed', path: 'name', counts: { deleted: 0 } });
        expect(failure!.counts.written).toBeGreaterThanOrEqual(PAGE * 2);
        expect(keysOf(await scanAll(stack.dynamo, HASH_COPY))).toEqual(before);
      } finally {
        await stack.dynamo.send(new PutItemCommand({ TableName: HASH_SOURCE, Item: last }));
      }
    });
  });

  describe("the single-table dataset with a rule set that maps a key its own way: the forward prune", () => {
    const RULES_SOURCE = 'ReplaceRuleKeySource';
    const RULES_COPY = 'ReplaceRuleKeyCopy';
    let current: Item[];
    let args: () => CopyTableInput;
    // Orders' sort keys go through hash in their rule set; everything else as jobs/single-table.yaml maps it.
    const options = builtinRegistry.validateOptions('hash', {});
    if (!options.ok) throw new Error('hash options');
    const hash = builtinRegistry.instantiate({ type: 'hash', options: options.options }, { salt: SALT });
    const hashed = (text: string) => (hash({ S: text }, ['sk']) as { S: string }).S;

    beforeAll(async () => {
      current = await seedSingleTable(stack.dynamo, RULES_SOURCE, { accounts: 40, seed: 7 });
      await recreateTable(stack.dynamo, RULES_COPY, SINGLE_TABLE_SPEC);
      const text = (await readFile(JOB, 'utf8'))
        .replace('  - source: SingleTable\n    destination: SingleTableAnonymized\n', `  - source: ${RULES_SOURCE}\n    destination: ${RULES_COPY}\n    mode: replace\n    allowKeyCollisions: true\n    where: "${WHERE}"\n`)
        .replace("        when: \"begins_with(sk, 'ORDER#')\"\n        transformers:\n", "        when: \"begins_with(sk, 'ORDER#')\"\n        transformers:\n          sk: hash\n")
        .replace('createTable: true\n', 'createTable: false\n');
      expect(text).toContain('          sk: hash\n');
      args = () => inputOf(text, JOB, 2);
    });

    /** The source key a destination key came from: orders' sort keys by the hashes of the source's, the rest as the templates give them. */
    function originOf(item: Item, orders: Map<string, string>): string {
      const sk = item['sk']!.S!;
      const [pk] = sourceKeyOf({ ...item, sk: { S: 'PROFILE' } }).split('|');
      return `${pk}|${/^[0-9a-f]{64}$/.test(sk) ? (orders.get(sk) ?? 'unknown') : sourceKeyOf(item).split('|')[1]}`;
    }

    async function expectExactly(items: Item[]): Promise<void> {
      const orders = new Map(items.filter((item) => item['type']!.S === 'order').map((item) => [hashed(item['sk']!.S!), item['sk']!.S!]));
      const subset = new Map(items.filter(selected).map((item) => [key(item), item]));
      const copy = await scanAll(stack.dynamo, RULES_COPY);
      const back = copy.map((item) => originOf(item, orders));
      expect(back.filter((k) => !subset.has(k))).toEqual([]);
      expect(new Set(back).size).toBe(copy.length);
      expect(copy.length).toBe(subset.size);
      copy.forEach((item, i) => expect(item['type'], back[i]).toEqual(subset.get(back[i]!)!['type']));
      // Every order's sort key went through its rule set's hash.
      expect(copy.filter((item) => item['type']!.S === 'order').every((item) => /^[0-9a-f]{64}$/.test(item['sk']!.S!))).toBe(true);
    }

    it('leaves exactly the subset, first over planted items, then after orders leave the source or the subset', async () => {
      const account = current.find((item) => item['type']!.S === 'account')!;
      const order = current.find((item) => item['type']!.S === 'order')!;
      await writeItems(stack.dynamo, RULES_COPY, [
        { pk: { S: `ACCOUNT#${randomUUID()}` }, sk: { S: createHash('sha256').update('no order').digest('hex') }, type: { S: 'order' } },
        { ...order, planted: { BOOL: true } },
        { pk: account['pk']!, sk: { S: 'PROFILE' }, type: { S: 'account' } },
      ]);
      const first = await start('rule-key-first', args());
      const subset1 = current.filter(selected);
      expect(await first.result()).toMatchObject({ read: subset1.length, written: subset1.length, deleted: 3, merged: 0 });
      await expectExactly(current);
      expect(prunesOf(await historyText(first))).toEqual({ forward: true, inverse: false });

      const orders = current.filter((item) => item['type']!.S === 'order');
      const deleted = orders.slice(0, 2);
      const movedOut = orders.slice(2, 5).map((item) => ({ ...item, status: { S: 'closed' } }));
      for (const item of deleted) await stack.dynamo.send(new DeleteItemCommand({ TableName: RULES_SOURCE, Key: { pk: item['pk']!, sk: item['sk']! } }));
      await writeItems(stack.dynamo, RULES_SOURCE, movedOut);
      const changed = new Map(current.map((item) => [key(item), item]));
      for (const item of deleted) changed.delete(key(item));
      for (const item of movedOut) changed.set(key(item), item);
      current = [...changed.values()];

      const second = await start('rule-key-second', args());
      const subset2 = current.filter(selected);
      expect(await second.result()).toMatchObject({ read: subset2.length, written: subset2.length, deleted: deleted.length + movedOut.length, merged: 0 });
      await expectExactly(current);
    });
  });
});
