/**
 * `npm run bench:references`: a referenced subset (the orders of 1% of the
 * users) read through the ByCustomer GSI, a Query per selected user,
 * against a parallel Scan of a copy of Orders without the index that keeps
 * the selected users' orders: items DynamoDB read (ScannedCount, Orders
 * and Users apart) and wall time, by the reader a copy uses
 * (readTablePage with a references plan), each segment's pages in turn and
 * the segments in parallel. Transforming and writing cost the same in both
 * cases, so they are left out. A third case is the Scan again, counting the
 * dangling references (the orders whose user does not exist): every order
 * of an unselected user is looked up by BatchGetItem, each distinct user
 * once per segment (a copy asks once per activity call), which is what the
 * count costs.
 *
 * Flags: --users N (default 20,000, about 5 orders each: ~100,000 orders),
 * --repeat N (default 2), --segments N (default 4), --out FILE.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createDynamoClient } from '../src/dynamo/clients.ts';
import type { RootPageCache } from '../src/dynamo/collection-reader.ts';
import { readTablePage, type ReadCursor } from '../src/dynamo/table-reader.ts';
import { planRead, readPlanSegments, describeReadPlan, type ReferencesPlan } from '../src/dynamo/where/index.ts';
import { startDynamoDbLocal } from '../src/local-stack/dynamodb-local.ts';
import { seedUsersOrders } from '../src/local-stack/users-orders-data.ts';
import { describeMachine } from './support/machine.ts';

const DEFAULT_OUT = fileURLToPath(new URL('./results/references.json', import.meta.url));
const { values: flags } = parseArgs({
  options: { users: { type: 'string', default: '20000' }, repeat: { type: 'string', default: '2' }, segments: { type: 'string', default: '4' }, out: { type: 'string', default: DEFAULT_OUT } },
});
const users = Number(flags.users);
const repeat = Number(flags.repeat);
const segments = Number(flags.segments);

const dynamo = await startDynamoDbLocal();
const scanned = new Map<string, number>();
let lookups = 0;
const client = createDynamoClient({ endpoint: dynamo.endpoint });
client.middlewareStack.add(
  (next, context) => async (args) => {
    const result = await next(args);
    if (context.commandName === 'BatchGetItemCommand') lookups++;
    const input = args.input as { TableName?: string };
    const output = (result.output ?? {}) as { ScannedCount?: number };
    if (input.TableName !== undefined && output.ScannedCount !== undefined && /Scan|Query/.test(context.commandName ?? '')) {
      scanned.set(input.TableName, (scanned.get(input.TableName) ?? 0) + output.ScannedCount);
    }
    return result;
  },
  { step: 'initialize', name: 'countScanned' },
);

try {
  const started = Date.now();
  const data = await seedUsersOrders(client, { users: 'BenchUsers', orders: 'BenchOrders', withoutIndex: 'BenchOrdersPlain' }, { users, ordersPerUser: 5 });
  console.error(`seeded ${data.users.length} users and ${data.orders.length} orders (twice) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  // 1% of the users, by a condition on their key: the same selection, read the same way, in both cases.
  const last = `U${String(Math.round(users / 100) - 1).padStart(7, '0')}~`;
  const where = `userId BETWEEN 'U0000000' AND '${last}'`;
  const selected = new Set(data.users.filter((u) => u['userId']!.S! <= last).map((u) => u['userId']!.S!));
  const expected = data.orders.filter((o) => selected.has(o['customerId']!.S!)).length;
  const parent = planRead({ table: 'BenchUsers', where, consistentRead: false, keys: { hash: { name: 'userId', type: 'S' } }, segments });
  const base = { table: '', consistentRead: false, attribute: 'customerId', parent, parentKey: 'userId' };
  const cases: { name: string; plan: ReferencesPlan }[] = [
    { name: 'GSI Query per selected user', plan: { ...base, kind: 'references', table: 'BenchOrders', via: { kind: 'index', index: 'ByCustomer' } } },
    { name: 'filtered parallel Scan', plan: { ...base, kind: 'references', table: 'BenchOrdersPlain', via: { kind: 'scan', segments } } },
    {
      name: 'filtered parallel Scan, counting dangling references',
      plan: { ...base, kind: 'references', table: 'BenchOrdersPlain', via: { kind: 'scan', segments }, dangling: { keyType: 'S', lookup: 'get' } },
    },
  ];
  const danglingExpected = data.orders.filter((o) => o['customerId']!.S!.startsWith('GONE')).length;

  const rows: { case: string; readPlan: string; run: number; ordersCopied: number; ordersRead: number; usersRead: number; dangling?: number; batchGetRequests: number; seconds: number }[] = [];
  for (let run = 1; run <= repeat; run++) {
    for (const { name, plan } of cases) {
      scanned.clear();
      lookups = 0;
      let dangling = 0;
      const t0 = performance.now();
      const counts = await Promise.all(
        Array.from({ length: readPlanSegments(plan) }, async (_, segment) => {
          const cache: RootPageCache = {};
          let cursor: ReadCursor | undefined;
          let kept = 0;
          do {
            const page = await readTablePage(client, plan, { segment, cache, ...(cursor !== undefined ? { cursor } : {}) });
            kept += page.items.length;
            dangling += page.selection?.dangling ?? 0;
            cursor = page.cursor;
          } while (cursor !== undefined);
          return kept;
        }),
      );
      const seconds = (performance.now() - t0) / 1000;
      const ordersCopied = counts.reduce((a, b) => a + b, 0);
      if (ordersCopied !== expected) throw new Error(`${name}: read ${ordersCopied} orders, expected ${expected}`);
      if (plan.dangling !== undefined && dangling !== danglingExpected) throw new Error(`${name}: counted ${dangling} dangling orders, expected ${danglingExpected}`);
      const counted = plan.dangling !== undefined ? { dangling } : {};
      rows.push({ case: name, readPlan: describeReadPlan(plan), run, ordersCopied, ordersRead: scanned.get(plan.table) ?? 0, usersRead: scanned.get('BenchUsers') ?? 0, ...counted, batchGetRequests: lookups, seconds: Number(seconds.toFixed(2)) });
      console.error(`run ${run}, ${name}: ${ordersCopied} orders; DynamoDB read ${scanned.get(plan.table)} orders, ${scanned.get('BenchUsers')} users; ${lookups} BatchGetItem requests; ${seconds.toFixed(2)} s`);
    }
  }
  const out = resolve(flags.out);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, JSON.stringify({ machine: await describeMachine(), users: data.users.length, orders: data.orders.length, selectedUsers: selected.size, expectedOrders: expected, segments, rows }, null, 2) + '\n');
  console.log(
    ['case | run | orders copied | orders read | users read | dangling | BatchGetItem requests | seconds', ...rows.map((r) => `${r.case} | ${r.run} | ${r.ordersCopied} | ${r.ordersRead} | ${r.usersRead} | ${r.dangling ?? '-'} | ${r.batchGetRequests} | ${r.seconds}`)].join('\n'),
  );
  console.log(`wrote ${relative(process.cwd(), out)}`);
} finally {
  client.destroy();
  await dynamo.stop();
}
