/**
 * References between tables: `Orders` follows the selection of `Users`
 * (the orders whose customerId is a selected userId), through the whole
 * run (refreshJob: loader, prepare, copy), on the users/orders dataset:
 * through the ByCustomer GSI, through a parallel Scan of a copy of Orders
 * without it, with a limit per customer (newest first), and from seeds.
 * Every copied order's customer is copied, no order of an unselected
 * customer is, dangling orders are not (a Scan counts them), and the ids
 * still join after both tables map them with permuteId, also when an order
 * names its customer through a template (`USER#{id}`), and down a chain
 * (shipments of those orders: each link by a GSI and by a Scan). Pages of 5 items and a call budget of 0
 * make every page an activity call of its own.
 *
 * Cycles: users follow their teams and teams their owners (users): the
 * copies are the least fixpoint from the enterprise users, worked out here
 * in plain TypeScript from the seeded items, with orders hanging off the
 * ring, in mode replace too; a union (a where beside references, no ring);
 * and a table that refers to itself (employees and their managers).
 */
import { randomUUID } from 'node:crypto';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../../model/item.ts';
import { startRun } from '../../src/client/runs.ts';
import { parseJob } from '../../src/job/job-loader.ts';
import { recreateTable, seedTable, type TableSpec } from '../../src/local-stack/seed.ts';
import { ORDERS_NO_INDEX_SPEC, ORDERS_SPEC, seedUsersOrders, TEAMS_SPEC, USERS_SPEC, type UsersOrders } from '../../src/local-stack/users-orders-data.ts';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { createPermutation } from '../../transformers/fpe/index.ts';
import { transformerScope } from '../../transformers/seed-scope.ts';
import { usersTeamsFixpoint } from '../support/ring-fixpoint.ts';
import { runExecutions } from '../support/run-history.ts';
import { connectTestStack, scanAll, type TestStack } from '../support/stack.ts';

const SALT = 'references-salt';
const permutation = createPermutation(SALT, transformerScope('permuteId', {}));

describe('references between tables (users and orders)', () => {
  let stack: TestStack;
  /** Pages of 25: a reference read by a Scan reads its selection again each call, and a chain's selection is itself followed. */
  let widePages: TestStack;
  let data: UsersOrders;

  beforeAll(async () => {
    stack = await connectTestStack('e2e-references', { readPageLimit: 5, callBudgetMs: 0 });
    widePages = await connectTestStack('e2e-references-wide', { readPageLimit: 25, callBudgetMs: 0 });
    data = await seedUsersOrders(stack.dynamo, { users: 'RefUsers', orders: 'RefOrders', withoutIndex: 'RefOrdersPlain' }, { users: 120, ordersPerUser: 3 });
  });
  afterAll(async () => {
    await stack?.close();
    await widePages?.close();
  });

  async function run(users: string, orders: string, ordersTransformers = '{ customerId: permuteId }', ordersSpec = ORDERS_SPEC, recreate = true, on = stack) {
    if (recreate) {
      await recreateTable(stack.dynamo, 'RefUsersCopy', USERS_SPEC);
      await recreateTable(stack.dynamo, 'RefOrdersCopy', ordersSpec);
    }
    const text = [
      `name: references-${randomUUID().slice(0, 8)}`,
      `connections: { local: { endpoint: "${stack.dynamoEndpoint}" } }`,
      'source: local',
      'destination: local',
      `salt: ${SALT}`,
      'defaults: { S: passthrough }',
      'tables:',
      '  - source: RefUsers',
      '    destination: RefUsersCopy',
      ...users.split('\n').map((line) => `    ${line}`),
      '    transformers: { userId: permuteId, name: fullName, email: email }',
      `  - source: ${orders.split('\n')[0]}`,
      '    destination: RefOrdersCopy',
      ...orders.split('\n').slice(1).map((line) => `    ${line}`),
      `    transformers: ${ordersTransformers}`,
    ].join('\n');
    const job = parseJob(text, 'references.yaml', builtinRegistry);
    const result = await (await startRun(on.client, job, { taskQueue: on.taskQueue })).result();
    const usersCopy = await scanAll(stack.dynamo, 'RefUsersCopy');
    const ordersCopy = await scanAll(stack.dynamo, 'RefOrdersCopy');
    return { result, usersCopy, ordersCopy };
  }

  /** The orders copied are exactly the selected users' orders (with at most `limit` each, the newest), and each joins a copied user. */
  function expectOrdersOf(selected: Set<string>, copy: { usersCopy: Item[]; ordersCopy: Item[] }, limit?: number) {
    const byCustomer = new Map<string, Item[]>();
    for (const order of data.orders) {
      const id = order['customerId']!.S!;
      if (selected.has(id)) byCustomer.set(id, [...(byCustomer.get(id) ?? []), order]);
    }
    const expected = [...byCustomer.values()].flatMap((orders) =>
      limit === undefined ? orders : orders.sort((a, b) => b['createdAt']!.S!.localeCompare(a['createdAt']!.S!)).slice(0, limit),
    );
    expect(copy.ordersCopy.map((o) => o['orderId']!.S!).sort()).toEqual(expected.map((o) => o['orderId']!.S!).sort());
    // Anonymized keys still join: each copied order's customerId is a copied user's userId.
    const copiedUsers = new Set(copy.usersCopy.map((u) => u['userId']!.S!));
    expect(copy.ordersCopy.filter((o) => !copiedUsers.has(o['customerId']!.S!))).toEqual([]);
    expect(copy.ordersCopy.filter((o) => selected.has(o['customerId']!.S!))).toEqual([]);
    expect(new Set(copy.ordersCopy.map((o) => permutation.invert(o['customerId']!.S!)))).toEqual(new Set([...byCustomer.keys()]));
    return expected;
  }

  const enterprise = () => new Set(data.users.filter((u) => u['plan']!.S === 'enterprise').map((u) => u['userId']!.S!));

  it('through the GSI on customerId: a Query per selected user', async () => {
    const copy = await run(`where: "plan = 'enterprise'"`, 'RefOrders\nreferences: { table: RefUsers, attribute: customerId }');
    const expected = expectOrdersOf(enterprise(), copy);
    expect(expected.length).toBeGreaterThan(10);
    expect(copy.usersCopy.length).toBe(enterprise().size);
    expect(copy.result.tables[1]).toMatchObject({
      read: expected.length,
      written: expected.length,
      // Roots: the users whose orders were followed in.
      roots: enterprise().size,
      followed: expected.length,
      readPlan: 'references to RefUsers.userId selected by Scan, 1 segment, filter from where; Query of index ByCustomer on customerId per selected key',
    });
    // A Query per selected key never meets an order of no user: not counted, rather than counted as none.
    expect(copy.result.tables[1]!.dangling).toBeUndefined();
  });

  it('without a GSI: a parallel Scan keeps the orders of selected users, none dangling, and counts the dangling ones', async () => {
    const copy = await run(`where: "plan = 'enterprise'"`, 'RefOrdersPlain\nsegments: 3\nreferences: { table: RefUsers, attribute: customerId }');
    const expected = expectOrdersOf(enterprise(), copy);
    expect(copy.result.tables[1]).toMatchObject({ read: expected.length, written: expected.length, roots: enterprise().size, dangling: data.orders.filter((o) => o['customerId']!.S!.startsWith('GONE')).length });
    expect(copy.result.tables[1]!.dangling).toBeGreaterThan(0);
    expect(copy.result.tables[1]!.readPlan).toBe(
      'references to RefUsers.userId selected by parallel Scan, 3 segments, filter from where; parallel Scan, 3 segments keeping items whose customerId is a selected key (no GSI on customerId)',
    );
  });

  it('a limit per customer keeps the newest orders; seeds pick the users', async () => {
    const busy = [...new Set(data.orders.map((o) => o['customerId']!.S!))].filter((id) => !id.startsWith('GONE') && data.orders.filter((o) => o['customerId']!.S === id).length > 2).slice(0, 4);
    expect(busy.length).toBe(4);
    const copy = await run(`seeds: [${busy.map((id) => `"${id}"`).join(', ')}]`, 'RefOrders\nreferences: { table: RefUsers, attribute: customerId, limit: 2 }');
    const expected = expectOrdersOf(new Set(busy), copy, 2);
    expect(expected.length).toBe(8);
    expect(copy.usersCopy.length).toBe(4);
    expect(copy.result.tables[1]).toMatchObject({ roots: 4, followed: 8 });
    expect(copy.result.tables[1]!.readPlan).toBe(
      'references to RefUsers.userId selected by Query on userId (4 partition values); Query of index ByCustomer on customerId per selected key (at most 2, newest first)',
    );
  });

  it('mode replace leaves exactly the orders of the users selected now: stale and foreign orders deleted', async () => {
    const busy = [...new Set(data.orders.map((o) => o['customerId']!.S!))].filter((id) => !id.startsWith('GONE')).slice(0, 5);
    const seeds = (ids: string[]) => `seeds: [${ids.map((id) => `"${id}"`).join(', ')}]`;
    await run(seeds(busy.slice(0, 3)), 'RefOrders\nreferences: { table: RefUsers, attribute: customerId }');
    // An order the source never held, and the orders of users no longer selected, must go; a newly selected user's come.
    await stack.dynamo.send(new PutItemCommand({ TableName: 'RefOrdersCopy', Item: { orderId: { S: 'O99999999' }, customerId: { S: 'U0' }, createdAt: { S: '2025-01-01' } } }));
    const now = busy.slice(2, 5);
    const copy = await run(seeds(now), 'RefOrders\nmode: replace\nreferences: { table: RefUsers, attribute: customerId }', '{ customerId: permuteId }', ORDERS_SPEC, false);
    const expected = expectOrdersOf(new Set(now), copy);
    const before = data.orders.filter((o) => busy.slice(0, 2).includes(o['customerId']!.S!)).length;
    expect(copy.result.tables[1]).toMatchObject({ written: expected.length, deleted: before + 1, mode: 'replace' });
  });

  describe('through a template: an order names its customer as USER#<userId>', () => {
    const BY_REF_SPEC: TableSpec = {
      KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
      AttributeDefinitions: [
        { AttributeName: 'orderId', AttributeType: 'S' },
        { AttributeName: 'customerRef', AttributeType: 'S' },
        { AttributeName: 'createdAt', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'ByCustomerRef',
          KeySchema: [
            { AttributeName: 'customerRef', KeyType: 'HASH' },
            { AttributeName: 'createdAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    };
    let dangling: number;

    beforeAll(async () => {
      const byRef: Item[] = data.orders.map(({ customerId, ...order }) => ({ ...order, customerRef: { S: `USER#${customerId!.S!}` } }));
      // Outside the template altogether: names no user either.
      byRef.push({ orderId: { S: 'X0000001' }, customerRef: { S: 'TEAM#T1' }, createdAt: { S: '2025-05-05T00:00:00.000Z' }, total: { N: '1' } });
      dangling = byRef.filter((o) => !o['customerRef']!.S!.startsWith('USER#U')).length;
      await seedTable(stack.dynamo, 'RefOrdersByRef', byRef, BY_REF_SPEC);
      await seedTable(stack.dynamo, 'RefOrdersByRefPlain', byRef, ORDERS_NO_INDEX_SPEC);
    });

    /** Copied orders are the selected users' orders, and after permuteId on userId and on the template's part they still join. */
    function expectJoined(copy: { usersCopy: Item[]; ordersCopy: Item[] }) {
      const selected = enterprise();
      const expected = data.orders.filter((o) => selected.has(o['customerId']!.S!)).map((o) => o['orderId']!.S!);
      expect(copy.ordersCopy.map((o) => o['orderId']!.S!).sort()).toEqual(expected.sort());
      const copiedRefs = new Set(copy.usersCopy.map((u) => `USER#${u['userId']!.S!}`));
      expect(copy.ordersCopy.filter((o) => !copiedRefs.has(o['customerRef']!.S!))).toEqual([]);
      expect(new Set(copy.ordersCopy.map((o) => permutation.invert(o['customerRef']!.S!.slice('USER#'.length))))).toEqual(
        new Set(data.orders.filter((o) => selected.has(o['customerId']!.S!)).map((o) => o['customerId']!.S!)),
      );
      return expected;
    }

    const ordersLines = (table: string) => `${table}\nreferences: { table: RefUsers, attribute: customerRef, template: "USER#{id}" }\nparts: { id: permuteId }`;

    it('through the GSI on customerRef: a Query per rendered key', async () => {
      const copy = await run(`where: "plan = 'enterprise'"`, ordersLines('RefOrdersByRef'), '{ customerRef: "USER#{id}" }', BY_REF_SPEC);
      const expected = expectJoined(copy);
      expect(expected.length).toBeGreaterThan(10);
      expect(copy.result.tables[1]).toMatchObject({
        read: expected.length,
        written: expected.length,
        readPlan: 'references to RefUsers.userId selected by Scan, 1 segment, filter from where; Query of index ByCustomerRef on customerRef = USER#{id} per selected key',
      });
    });

    it('without a GSI: a Scan keeps the rendered keys, and counts the orders of no user, in the template or not', async () => {
      const copy = await run(`where: "plan = 'enterprise'"`, `${ordersLines('RefOrdersByRefPlain')}\nsegments: 2`, '{ customerRef: "USER#{id}" }', ORDERS_NO_INDEX_SPEC, true, widePages);
      const expected = expectJoined(copy);
      expect(copy.result.tables[1]).toMatchObject({ read: expected.length, written: expected.length, dangling });
      expect(dangling).toBeGreaterThan(1);
    });
  });

  describe('a chain: shipments follow the orders that follow the users', () => {
    const byOrder = (index: boolean): TableSpec => ({
      KeySchema: [{ AttributeName: 'shipmentId', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'shipmentId', AttributeType: 'S' }, ...(index ? [{ AttributeName: 'orderId', AttributeType: 'S' as const }] : [])],
      ...(index ? { GlobalSecondaryIndexes: [{ IndexName: 'ByOrder', KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' as const }], Projection: { ProjectionType: 'ALL' as const } }] } : {}),
    });
    let shipments: Item[];

    beforeAll(async () => {
      // Every other order shipped; three shipments of orders that never existed.
      shipments = data.orders.flatMap((o, i) => (i % 2 === 0 ? [{ shipmentId: { S: `S${o['orderId']!.S!}` }, orderId: o['orderId']!, carrier: { S: i % 4 === 0 ? 'ups' : 'dhl' } }] : []));
      for (const n of [1, 2, 3]) shipments.push({ shipmentId: { S: `SX${n}` }, orderId: { S: `O9999999${n}` }, carrier: { S: 'ups' } });
      await seedTable(stack.dynamo, 'RefShipments', shipments, byOrder(true));
      await seedTable(stack.dynamo, 'RefShipmentsPlain', shipments, byOrder(false));
    });

    async function runChain(orders: string, shipmentsTable: string) {
      await recreateTable(stack.dynamo, 'RefUsersCopy', USERS_SPEC);
      await recreateTable(stack.dynamo, 'RefOrdersCopy', ORDERS_SPEC);
      await recreateTable(stack.dynamo, 'RefShipmentsCopy', byOrder(true));
      const text = [
        `name: references-chain-${randomUUID().slice(0, 8)}`,
        `connections: { local: { endpoint: "${stack.dynamoEndpoint}" } }`,
        'source: local',
        'destination: local',
        `salt: ${SALT}`,
        'defaults: { S: passthrough }',
        'tables:',
        // The follower first: the job's order is not the chain's.
        `  - source: ${shipmentsTable}`,
        '    destination: RefShipmentsCopy',
        `    references: { table: ${orders}, attribute: orderId }`,
        // Two segments down the chain too: a Scan of shipments reads every segment of the orders' selection with one cache.
        '    segments: 2',
        '    transformers: { orderId: permuteId }',
        `  - source: ${orders}`,
        '    destination: RefOrdersCopy',
        '    references: { table: RefUsers, attribute: customerId }',
        '    transformers: { orderId: permuteId, customerId: permuteId }',
        '  - source: RefUsers',
        '    destination: RefUsersCopy',
        `    where: "plan = 'enterprise'"`,
        '    transformers: { userId: permuteId }',
      ].join('\n');
      const job = parseJob(text, 'references-chain.yaml', builtinRegistry);
      const result = await (await startRun(widePages.client, job, { taskQueue: widePages.taskQueue })).result();
      return { result, ordersCopy: await scanAll(stack.dynamo, 'RefOrdersCopy'), shipmentsCopy: await scanAll(stack.dynamo, 'RefShipmentsCopy') };
    }

    /** Exactly the shipments of the selected users' orders, each joining a copied order after permuteId on both sides. */
    function expectShipped(copy: { ordersCopy: Item[]; shipmentsCopy: Item[]; result: { tables: { roots?: number }[] } }) {
      const selected = enterprise();
      const orderIds = new Set(data.orders.filter((o) => selected.has(o['customerId']!.S!)).map((o) => o['orderId']!.S!));
      const expected = shipments.filter((s) => orderIds.has(s['orderId']!.S!)).map((s) => s['shipmentId']!.S!);
      expect(copy.shipmentsCopy.map((s) => s['shipmentId']!.S!).sort()).toEqual(expected.sort());
      expect(copy.ordersCopy.length).toBe(orderIds.size);
      const copiedOrders = new Set(copy.ordersCopy.map((o) => o['orderId']!.S!));
      expect(copy.shipmentsCopy.filter((s) => !copiedOrders.has(s['orderId']!.S!))).toEqual([]);
      // Each table's roots are the keys of the selection it follows: the selected orders, and the enterprise users.
      expect(copy.result.tables.map((t) => t.roots)).toEqual([orderIds.size, selected.size, undefined]);
      return expected;
    }

    // Each link read both ways, so that a GSI's Query and a Scan each follow a selection that is itself followed.
    it('a Scan of shipments follows orders queried by their GSI per selected user, and counts the shipments of no order', async () => {
      const copy = await runChain('RefOrders', 'RefShipmentsPlain');
      const expected = expectShipped(copy);
      expect(expected.length).toBeGreaterThan(10);
      expect(copy.result.tables[0]).toMatchObject({
        read: expected.length,
        written: expected.length,
        dangling: 3,
        readPlan:
          'references to RefOrders.orderId selected by (references to RefUsers.userId selected by parallel Scan, 2 segments, filter from where; Query of index ByCustomer on customerId per selected key); parallel Scan, 2 segments keeping items whose orderId is a selected key (no GSI on orderId)',
      });
      expect(copy.result.tables[1]!.dangling).toBeUndefined();
    });

    it('a Query of the shipments GSI per order follows orders found by a Scan', async () => {
      const copy = await runChain('RefOrdersPlain', 'RefShipments');
      const expected = expectShipped(copy);
      expect(copy.result.tables[0]).toMatchObject({
        read: expected.length,
        written: expected.length,
        readPlan:
          'references to RefOrdersPlain.orderId selected by (references to RefUsers.userId selected by parallel Scan, 2 segments, filter from where; parallel Scan, 2 segments keeping items whose customerId is a selected key (no GSI on customerId)); Query of index ByOrder on orderId per selected key',
      });
      expect(copy.result.tables[0]!.dangling).toBeUndefined();
      expect(copy.result.tables[1]!.dangling).toBe(data.orders.filter((o) => o['customerId']!.S!.startsWith('GONE')).length);
    });
  });

  describe('a cycle: users follow their teams, teams their owners', () => {
    let ring: UsersOrders & { teams: Item[] };
    const id = (item: Item, attribute: string) => item[attribute]?.S;

    beforeAll(async () => {
      const seeded = await seedUsersOrders(stack.dynamo, { users: 'RingUsers', orders: 'RingOrders', teams: 'RingTeams' }, { users: 120, ordersPerUser: 2, teams: 40, seed: 11 });
      ring = { ...seeded, teams: seeded.teams! };
    });

    const fixpoint = (roots: (user: Item) => boolean) => usersTeamsFixpoint(ring, roots);

    async function runRing(lines: { users?: string[]; mode?: 'replace'; recreate?: boolean; orders?: boolean } = {}) {
      if (lines.recreate !== false) {
        await recreateTable(stack.dynamo, 'RingUsersCopy', USERS_SPEC);
        await recreateTable(stack.dynamo, 'RingTeamsCopy', TEAMS_SPEC);
        await recreateTable(stack.dynamo, 'RingOrdersCopy', ORDERS_SPEC);
      }
      const text = [
        `name: references-ring-${randomUUID().slice(0, 8)}`,
        `connections: { local: { endpoint: "${stack.dynamoEndpoint}" } }`,
        'source: local',
        'destination: local',
        `salt: ${SALT}`,
        'defaults: { S: passthrough }',
        ...(lines.mode ? [`mode: ${lines.mode}`] : []),
        'tables:',
        // Orders first: they follow a member of the ring, which the job lists after them.
        ...(lines.orders === false ? [] : ['  - source: RingOrders', '    destination: RingOrdersCopy', '    references: { table: RingUsers, attribute: customerId }', '    transformers: { customerId: permuteId }']),
        '  - source: RingUsers',
        '    destination: RingUsersCopy',
        ...(lines.users ?? [`where: "plan = 'enterprise'"`]).map((line) => `    ${line}`),
        '    references: { table: RingTeams, attribute: teamId }',
        '    segments: 2',
        '    transformers: { userId: permuteId, name: fullName, email: email }',
        '  - source: RingTeams',
        '    destination: RingTeamsCopy',
        '    references: { table: RingUsers, attribute: ownerId }',
        '    transformers: { ownerId: permuteId }',
      ].join('\n');
      const job = parseJob(text, 'references-ring.yaml', builtinRegistry);
      const handle = await startRun(stack.client, job, { taskQueue: stack.taskQueue });
      const result = await handle.result();
      const copies = { users: await scanAll(stack.dynamo, 'RingUsersCopy'), teams: await scanAll(stack.dynamo, 'RingTeamsCopy'), orders: await scanAll(stack.dynamo, 'RingOrdersCopy') };
      return { result, workflowId: handle.workflowId, ...copies };
    }

    /** Every item of the fixpoint once, none outside it, and the copies still join after permuteId. */
    function expectFixpoint(copy: Awaited<ReturnType<typeof runRing>>, expected: { users: Set<string>; teams: Set<string> }, orders = true) {
      const users = copy.users.map((u) => permutation.invert(id(u, 'userId')!));
      expect(users.length).toBe(new Set(users).size);
      expect(new Set(users)).toEqual(expected.users);
      expect(new Set(copy.teams.map((t) => id(t, 'teamId')!))).toEqual(expected.teams);
      expect(copy.teams.length).toBe(expected.teams.size);
      const copiedUsers = new Set(copy.users.map((u) => id(u, 'userId')!));
      expect(copy.teams.filter((t) => !copiedUsers.has(id(t, 'ownerId')!))).toEqual([]);
      if (orders) {
        const expectedOrders = ring.orders.filter((o) => expected.users.has(id(o, 'customerId')!)).map((o) => id(o, 'orderId')!);
        expect(copy.orders.map((o) => id(o, 'orderId')!).sort()).toEqual(expectedOrders.sort());
        expect(copy.orders.filter((o) => !copiedUsers.has(id(o, 'customerId')!))).toEqual([]);
      }
    }

    const enterpriseUser = (u: Item) => id(u, 'plan') === 'enterprise';

    it('copies the least fixpoint from the enterprise users, every item once, and the orders of its users', async () => {
      const expected = fixpoint(enterpriseUser);
      const roots = ring.users.filter(enterpriseUser).length;
      // The walk has to go round more than once for this to test anything, and must not take everything.
      expect(expected.users.size).toBeGreaterThan(roots + 5);
      expect(expected.users.size).toBeLessThan(ring.users.length);
      const copy = await runRing();
      expectFixpoint(copy, expected);
      const [orders, users, teams] = copy.result.tables;
      expect(users).toMatchObject({
        source: 'RingUsers',
        written: expected.users.size,
        roots,
        followed: expected.users.size - roots,
        dangling: 0,
        readPlan:
          "references round RingUsers -> RingTeams -> RingUsers from RingUsers where plan = 'enterprise', walked until a pass adds nothing; parallel Scan, 2 segments keeping items whose where holds or whose teamId is a selected key",
      });
      // Teams pick nothing themselves: all followed in; a team whose owner is no user at all is dangling.
      const unowned = ring.teams.filter((t) => id(t, 'ownerId')!.startsWith('GONE')).length;
      expect(unowned).toBeGreaterThan(0);
      expect(teams).toMatchObject({ source: 'RingTeams', written: expected.teams.size, roots: 0, followed: expected.teams.size, dangling: unowned });
      expect(teams!.readPlan).toMatch(/^references round RingTeams -> RingUsers -> RingTeams from RingUsers where plan = 'enterprise', walked until a pass adds nothing; Scan, 1 segment keeping items whose ownerId is a selected key$/);
      expect(orders).toMatchObject({ source: 'RingOrders', roots: expected.users.size });
      // Started in dependency order (the users before the orders that follow them, the ring in job order); reported in job order.
      const started = (await runExecutions(stack.client, stack.taskQueue, copy.workflowId)).flatMap(({ history }) =>
        (history.events ?? []).flatMap((event) => {
          const child = event.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId;
          return child && /-Ring(Users|Teams|Orders)$/.test(child) ? [child.slice(child.lastIndexOf('/') + 1)] : [];
        }),
      );
      expect(started).toEqual(['1-RingUsers', '0-RingOrders', '2-RingTeams']);
      expect(orders!.readPlan).toMatch(/^references to RingUsers\.userId selected by \(references round RingUsers -> RingTeams -> RingUsers .*\); Query of index ByCustomer on customerId per selected key$/);
    });

    it('mode replace leaves exactly the fixpoint: stale users and teams, and items the source never held, deleted', async () => {
      const seeds = ring.users.filter((u) => !enterpriseUser(u) && id(u, 'teamId') !== undefined).slice(0, 2).map((u) => id(u, 'userId')!);
      await runRing({ orders: false });
      // A user and a team the source never held, and a whole other selection's worth left from the first run.
      await stack.dynamo.send(new PutItemCommand({ TableName: 'RingUsersCopy', Item: { userId: { S: 'U-STALE' }, plan: { S: 'enterprise' } } }));
      await stack.dynamo.send(new PutItemCommand({ TableName: 'RingTeamsCopy', Item: { teamId: { S: 'T-STALE' }, ownerId: { S: 'U-STALE' } } }));
      const expected = fixpoint((u) => seeds.includes(id(u, 'userId')!));
      const before = fixpoint(enterpriseUser);
      const copy = await runRing({ users: [`seeds: [${seeds.map((s) => `"${s}"`).join(', ')}]`], mode: 'replace', recreate: false, orders: false });
      expectFixpoint(copy, expected, false);
      const [users, teams] = copy.result.tables;
      const gone = (was: Set<string>, now: Set<string>) => [...was].filter((k) => !now.has(k)).length;
      expect(users).toMatchObject({ mode: 'replace', roots: seeds.length, deleted: gone(before.users, expected.users) + 1 });
      expect(teams).toMatchObject({ mode: 'replace', deleted: gone(before.teams, expected.teams) + 1 });
    });

    it('a union: users their where picks, and users of the teams that follow nothing but their seeds', async () => {
      await recreateTable(stack.dynamo, 'RingUsersCopy', USERS_SPEC);
      const teamSeeds = ring.teams.slice(0, 3).map((t) => id(t, 'teamId')!);
      const text = [
        `name: references-union-${randomUUID().slice(0, 8)}`,
        `connections: { local: { endpoint: "${stack.dynamoEndpoint}" } }`,
        'source: local',
        'destination: local',
        'defaults: { S: passthrough }',
        'tables:',
        '  - source: RingUsers',
        '    destination: RingUsersCopy',
        `    where: "plan = 'enterprise'"`,
        '    references: { table: RingTeams, attribute: teamId }',
        '  - source: RingTeams',
        '    destination: RingTeamsCopy',
        `    seeds: [${teamSeeds.map((t) => `"${t}"`).join(', ')}]`,
      ].join('\n');
      await recreateTable(stack.dynamo, 'RingTeamsCopy', TEAMS_SPEC);
      const result = await (await startRun(stack.client, parseJob(text, 'references-union.yaml', builtinRegistry), { taskQueue: stack.taskQueue })).result();
      const expected = ring.users.filter((u) => enterpriseUser(u) || teamSeeds.includes(id(u, 'teamId') ?? '')).map((u) => id(u, 'userId')!);
      const copied = (await scanAll(stack.dynamo, 'RingUsersCopy')).map((u) => id(u, 'userId')!);
      expect(copied.sort()).toEqual(expected.sort());
      const roots = ring.users.filter(enterpriseUser).length;
      expect(result.tables[0]).toMatchObject({ written: expected.length, roots, followed: expected.length - roots });
      expect(result.tables[0]!.readPlan).toBe(
        `references to RingTeams.teamId selected by Query on teamId (3 partition values); Scan, 1 segment keeping items where plan = 'enterprise' holds or whose teamId is a selected key`,
      );
    });
  });

  describe('a table that refers to itself: employees and their managers', () => {
    const EMPLOYEES_SPEC: TableSpec = { KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] };
    const e = (key: string, managerId?: string, title = 'engineer'): Item => ({ id: { S: key }, title: { S: title }, ...(managerId ? { managerId: { S: managerId } } : {}) });
    // Three levels under the CEO, a loop of managers inside the selection (c1 <-> c2) and one outside it (x1 <-> x2), and a report of no one.
    const employees = [e('ceo', undefined, 'CEO'), e('a1', 'ceo'), e('a2', 'ceo'), e('b1', 'a1'), e('b2', 'a2'), e('c1', 'b1'), e('c2', 'c1'), e('c1b', 'c2'), e('x1', 'x2'), e('x2', 'x1'), e('z1', 'nobody')];
    // c2's own manager is c1: c1 -> c2 -> c1b; none of x's.
    const expected = ['ceo', 'a1', 'a2', 'b1', 'b2', 'c1', 'c2', 'c1b'];

    const BY_MANAGER_SPEC: TableSpec = {
      ...EMPLOYEES_SPEC,
      AttributeDefinitions: [...EMPLOYEES_SPEC.AttributeDefinitions!, { AttributeName: 'managerId', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [{ IndexName: 'ByManager', KeySchema: [{ AttributeName: 'managerId', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
    };

    it.each([
      { how: 'by a Scan a level', table: 'RingEmployees', spec: EMPLOYEES_SPEC, walk: '' },
      { how: 'by a Query per new key of its GSI on managerId', table: 'RingEmployeesByManager', spec: BY_MANAGER_SPEC, walk: ' (RingEmployeesByManager by a Query of index ByManager per new key)' },
    ])('walks down from the roots to the fixpoint, every level once, loops of managers included ($how)', async ({ table, spec, walk }) => {
      await seedTable(stack.dynamo, table, employees, spec);
      await recreateTable(stack.dynamo, 'RingEmployeesCopy', EMPLOYEES_SPEC);
      const text = [
        `name: references-self-${randomUUID().slice(0, 8)}`,
        `connections: { local: { endpoint: "${stack.dynamoEndpoint}" } }`,
        'source: local',
        'destination: local',
        'defaults: { S: passthrough }',
        'tables:',
        `  - source: ${table}`,
        '    destination: RingEmployeesCopy',
        `    where: "title = 'CEO'"`,
        `    references: { table: ${table}, attribute: managerId }`,
      ].join('\n');
      const result = await (await startRun(stack.client, parseJob(text, 'references-self.yaml', builtinRegistry), { taskQueue: stack.taskQueue })).result();
      const copied = (await scanAll(stack.dynamo, 'RingEmployeesCopy')).map((item) => item['id']!.S!);
      expect(copied.sort()).toEqual([...expected].sort());
      expect(result.tables[0]).toMatchObject({ written: expected.length, roots: 1, followed: expected.length - 1, dangling: 1 });
      expect(result.tables[0]!.readPlan).toBe(
        `references round ${table} -> ${table} from ${table} where title = 'CEO', walked until a pass adds nothing${walk}; Scan, 1 segment keeping items whose where holds or whose managerId is a selected key`,
      );
    });
  });
});
