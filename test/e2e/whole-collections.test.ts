/**
 * Whole item collections (`wholeCollections: true`) and seeds, through the
 * copyTable workflow on the single-table dataset, with
 * jobs/single-table.yaml's templates (every key rewritten part by part):
 *
 * - roots by a condition (a filtered parallel Scan, then a Query per
 *   collection): returned orders, several in some accounts, so roots of one
 *   collection span root pages; every item of their accounts is copied,
 *   once, and nothing else;
 * - roots by key (a Query per partition value) and by seeds, a partition
 *   with no root copying nothing;
 * - mode replace leaves exactly the whole subset after the subset changes,
 *   deleting planted keys, and the history holds no identifier.
 *
 * Pages of 5 items and a call budget of 0 make every page its own activity
 * call, so the sealed cursor (root page, partition, position) is resumed
 * from on every page. The expectations map destination keys back with the
 * permutation and the salt, not with the prune's own inverse.
 */
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../../model/item.ts';
import type { TableJob } from '../../model/job.ts';
import { writeItems } from '../../src/dynamo/batch-writer.ts';
import { parseJob } from '../../src/job/job-loader.ts';
import { recreateTable } from '../../src/local-stack/seed.ts';
import { seedSingleTable, SINGLE_TABLE_SPEC } from '../../src/local-stack/single-table-data.ts';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { createPermutation } from '../../transformers/fpe/index.ts';
import { transformerScope } from '../../transformers/seed-scope.ts';
import type { copyTable } from '../../workflows/copy-table.ts';
import type { CopyTableInput, TableReport } from '../../workflows/shared.ts';
import { connectTestStack, scanAll, type TestStack } from '../support/stack.ts';

const JOB = fileURLToPath(new URL('../../jobs/single-table.yaml', import.meta.url));
const SOURCE = 'WholeCollectionsSource';
const DESTINATION = 'WholeCollectionsCopy';
const SALT = 'whole-collections-salt';
const PAGE = 5;

const key = (item: Item) => `${item['pk']!.S}|${item['sk']!.S}`;
const permutation = createPermutation(SALT, transformerScope('permuteId', {}));
function sourceKeyOf(item: Item): string {
  const pk = item['pk']!.S!.replace(/^(ACCOUNT|TICKET)#([^#]+)$/, (_, kind: string, id: string) => `${kind}#${permutation.invert(id)}`);
  const sk = item['sk']!.S!.replace(/^ORDER#([^#]+)#([^#]+)$/, (_, date: string, id: string) => `ORDER#${date}#${permutation.invert(id)}`);
  return `${pk}|${sk}`;
}

describe('whole collections and seeds (the single-table dataset)', () => {
  let stack: TestStack;
  let base: Omit<CopyTableInput, 'table'> & { table: TableJob };
  let source: Item[];

  beforeAll(async () => {
    stack = await connectTestStack('e2e-whole-collections', { readPageLimit: PAGE, callBudgetMs: 0 });
    source = await seedSingleTable(stack.dynamo, SOURCE, { accounts: 40 });
    const text = (await readFile(JOB, 'utf8'))
      .replace('  - source: SingleTable\n    destination: SingleTableAnonymized\n', `  - source: ${SOURCE}\n    destination: ${DESTINATION}\n`)
      .replace('createTable: true\n', 'createTable: false\n');
    const job = parseJob(text, JOB, builtinRegistry, { DYNAMASK_LOCAL_ENDPOINT: stack.dynamoEndpoint, DYNAMASK_SALT: SALT });
    base = { jobName: job.name, table: job.tables[0]!, connections: job.connections, defaults: job.defaults, salt: job.salt!, sandbox: job.sandbox, keysAreSensitive: true };
  });
  afterAll(async () => stack?.close());

  const run = async (name: string, table: Partial<TableJob>, fresh = true) => {
    if (fresh) await recreateTable(stack.dynamo, DESTINATION, SINGLE_TABLE_SPEC);
    const handle = await stack.client.workflow.start<typeof copyTable>('copyTable', {
      taskQueue: stack.taskQueue,
      workflowId: `whole-collections-${name}-${randomUUID()}`,
      args: [{ ...base, table: { ...base.table, segments: 2, wholeCollections: true, ...table } }],
    });
    return { report: await handle.result(), history: JSON.stringify(await handle.fetchHistory(), (_, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : v)) };
  };

  /** The destination holds exactly the copies of these collections' items, each once, every key transformed. */
  async function expectCollections(partitions: Set<string>, current: Item[] = source): Promise<Item[]> {
    const expected = current.filter((item) => partitions.has(item['pk']!.S!));
    const copy = await scanAll(stack.dynamo, DESTINATION);
    const back = copy.map(sourceKeyOf);
    expect(back.sort()).toEqual(expected.map(key).sort());
    expect(copy.filter((item) => partitions.has(item['pk']!.S!))).toEqual([]);
    return expected;
  }

  it('roots by a condition: a filtered Scan finds them, and each of their collections is copied whole, once', async () => {
    const roots = source.filter((item) => item['type']!.S === 'order' && item['status']!.S === 'returned');
    const partitions = new Set(roots.map((item) => item['pk']!.S!));
    // Some account has more than one returned order, so its roots may fall on two root pages.
    expect(roots.length).toBeGreaterThan(partitions.size);
    const { report, history } = await run('condition', { where: "type = 'order' AND status = 'returned'" });
    const expected = await expectCollections(partitions);
    expect(report).toMatchObject({
      read: expected.length,
      written: expected.length,
      roots: roots.length,
      followed: expected.length - roots.length,
      collections: partitions.size,
      readPlan: 'whole collections: roots by parallel Scan, 2 segments, filter from where, then a Query on pk per collection',
    } satisfies Partial<TableReport>);
    // Sealed cursors and counts only: no account id, source or transformed, in the history.
    const ids = [...partitions].map((pk) => pk.split('#')[1]!);
    expect(ids.filter((id) => history.includes(id) || history.includes(permutation.permute(id)))).toEqual([]);
  });

  it('roots by key: a Query per partition value, and a partition with no root copies nothing', async () => {
    const accounts = source.filter((item) => item['sk']!.S === 'PROFILE').slice(0, 3).map((item) => item['pk']!.S!);
    const where = `pk IN ['${accounts.join("', '")}', 'ACCOUNT#nobody'] AND sk = 'PROFILE'`;
    const { report } = await run('key', { where });
    const expected = await expectCollections(new Set(accounts));
    expect(report).toMatchObject({ read: expected.length, roots: 3, followed: expected.length - 3, collections: 3 });
    expect(report.readPlan).toBe('whole collections: roots by Query on pk (4 partition values), sort key condition on sk, then a Query on pk per collection');
  });

  it('seeds: the given partitions, whole; with a where, those of them it holds for', async () => {
    const [a, b, c] = source.filter((item) => item['sk']!.S === 'PROFILE').map((item) => item['pk']!.S!);
    const whole = await run('seeds', { seeds: [a!, b!] });
    const both = await expectCollections(new Set([a!, b!]));
    expect(whole.report).toMatchObject({ read: both.length, roots: both.length, followed: 0, collections: 2 });
    expect(whole.report.readPlan).toBe('whole collections: roots by Query on pk (2 partition values), then a Query on pk per collection');

    // A where among the seeds: only the seeds' collections with a root it holds for.
    const planOf = (pk: string) => source.find((item) => item['pk']!.S === pk && item['sk']!.S === 'PROFILE')!['plan']!.S!;
    const plan = planOf(a!);
    const withWhere = await run('seeds-where', { seeds: [a!, b!, c!], where: `plan = '${plan}'` });
    const picked = new Set([a!, b!, c!].filter((pk) => planOf(pk) === plan));
    const expected = await expectCollections(picked);
    expect(withWhere.report).toMatchObject({ read: expected.length, roots: picked.size, collections: picked.size });
  });

  it('mode replace leaves exactly the whole subset when the roots change, planted keys deleted', async () => {
    const where = "type = 'order' AND status = 'shipped'";
    const first = await run('replace-1', { where, mode: 'replace' });
    const rootsOf = (items: Item[]) => new Set(items.filter((i) => i['type']!.S === 'order' && i['status']!.S === 'shipped').map((i) => i['pk']!.S!));
    await expectCollections(rootsOf(source));
    expect(first.report.deleted).toBe(0);

    // One selected account loses its shipped orders (its collection leaves the subset); one unselected account gets one (it joins).
    const before = rootsOf(source);
    const leaving = [...before][0]!;
    const joining = source.find((i) => i['sk']!.S === 'PROFILE' && !before.has(i['pk']!.S!))!['pk']!.S!;
    const changed = source.map((item) => (item['pk']!.S === leaving && item['status']?.S === 'shipped' ? { ...item, status: { S: 'placed' } } : item));
    const added: Item = { pk: { S: joining }, sk: { S: 'ORDER#2026-02-02#JOINSUBSET' }, type: { S: 'order' }, orderId: { S: 'JOINSUBSET' }, status: { S: 'shipped' } };
    await writeItems(stack.dynamo, SOURCE, [...changed.filter((item) => item['pk']!.S === leaving), added]);
    const current = [...changed, added];
    const planted: Item[] = [{ pk: { S: `ACCOUNT#${randomUUID()}` }, sk: { S: 'PROFILE' }, type: { S: 'account' } }];
    await writeItems(stack.dynamo, DESTINATION, planted);

    try {
      const second = await run('replace-2', { where, mode: 'replace' }, false);
      const after = rootsOf(current);
      expect(after.has(joining) && !after.has(leaving)).toBe(true);
      const expected = await expectCollections(after, current);
      const left = current.filter((item) => item['pk']!.S === leaving).length;
      expect(second.report).toMatchObject({ read: expected.length, written: expected.length, deleted: left + planted.length });
    } finally {
      await writeItems(stack.dynamo, SOURCE, source.filter((item) => item['pk']!.S === leaving));
      await stack.dynamo.send(new DeleteItemCommand({ TableName: SOURCE, Key: { pk: added['pk']!, sk: added['sk']! } }));
    }
  });

  it('mode replace with seeds leaves exactly the seeds\' partitions when the seeds change', async () => {
    const [a, b] = source.filter((item) => item['sk']!.S === 'PROFILE').map((item) => item['pk']!.S!);
    await run('replace-seeds-1', { seeds: [a!, b!], mode: 'replace', wholeCollections: undefined });
    await expectCollections(new Set([a!, b!]));
    const second = await run('replace-seeds-2', { seeds: [a!], mode: 'replace', wholeCollections: undefined }, false);
    await expectCollections(new Set([a!]));
    expect(second.report.deleted).toBe(source.filter((item) => item['pk']!.S === b).length);
  });
});

