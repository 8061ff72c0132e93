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
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { DeleteItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableFailureOf } from '../../model/failure.ts';
import type { Item } from '../../model/item.ts';
import { writeItems } from '../../src/dynamo/batch-writer.ts';
import { parseJob } from '../../src/job/job-loader.ts';
import { recreateTable } from '../../src/local-stack/seed.ts';
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
});
