/**
 * A seeded two-table dataset for references between tables:
 *
 *   Users    userId (hash)    plan (free | pro | enterprise), name, email
 *   Orders   orderId (hash)   customerId (a userId), createdAt, total;
 *            GSI ByCustomer on customerId + createdAt (every attribute projected)
 *
 *   Teams    teamId (hash)    ownerId (a userId), name; only when asked
 *            for (`teams`), and then Users have a teamId too
 *
 * One user in ten is on the enterprise plan; each user has 0 to
 * 2 * ordersPerUser orders, and a few orders point at a user that does not
 * exist (dangling references, as production tables have them). Teams and
 * the users' teamId come from a generator of their own, after the rest, so
 * the users and orders are the same with teams or without. The same seed
 * gives the same items on every machine.
 */
import { Faker, base, en } from '@faker-js/faker';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Item } from '../../model/item.ts';
import { seedTable, type TableSpec } from './seed.ts';

export const USERS_SPEC: TableSpec = {
  KeySchema: [{ AttributeName: 'userId', KeyType: 'HASH' }],
  AttributeDefinitions: [{ AttributeName: 'userId', AttributeType: 'S' }],
};

/** Orders with the ByCustomer GSI; ORDERS_NO_INDEX_SPEC is the same table without it. */
export const ORDERS_SPEC: TableSpec = {
  KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
  AttributeDefinitions: [
    { AttributeName: 'orderId', AttributeType: 'S' },
    { AttributeName: 'customerId', AttributeType: 'S' },
    { AttributeName: 'createdAt', AttributeType: 'S' },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: 'ByCustomer',
      KeySchema: [
        { AttributeName: 'customerId', KeyType: 'HASH' },
        { AttributeName: 'createdAt', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
};

export const ORDERS_NO_INDEX_SPEC: TableSpec = {
  KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
  AttributeDefinitions: [{ AttributeName: 'orderId', AttributeType: 'S' }],
};

export const TEAMS_SPEC: TableSpec = {
  KeySchema: [{ AttributeName: 'teamId', KeyType: 'HASH' }],
  AttributeDefinitions: [{ AttributeName: 'teamId', AttributeType: 'S' }],
};

export interface UsersOrdersOptions {
  users?: number;
  /** Teams to make: each user in four of five joins one, each team has an owner (one in ten a user that does not exist); absent: none, and no teamId. */
  teams?: number;
  /** Mean orders per user. */
  ordersPerUser?: number;
  seed?: number;
}

export interface UsersOrders {
  users: Item[];
  orders: Item[];
  /** Only with the `teams` option. */
  teams?: Item[];
}

export function usersOrdersItems(options: UsersOrdersOptions = {}): UsersOrders {
  const faker = new Faker({ locale: [en, base], seed: options.seed ?? 20260317 });
  const count = options.users ?? 200;
  const perUser = options.ordersPerUser ?? 3;
  const users: Item[] = [];
  const orders: Item[] = [];
  for (let u = 0; u < count; u++) {
    const userId = `U${String(u).padStart(7, '0')}${faker.string.alphanumeric({ length: 6, casing: 'upper' })}`;
    users.push({
      userId: { S: userId },
      plan: { S: u % 10 === 3 ? 'enterprise' : faker.helpers.arrayElement(['free', 'pro']) },
      name: { S: faker.person.fullName() },
      email: { S: faker.internet.email().toLowerCase() },
    });
    const n = faker.number.int({ min: 0, max: 2 * perUser });
    for (let o = 0; o < n; o++) orders.push(order(faker, orders.length, userId));
  }
  // Dangling: about one order in a hundred points at no user.
  for (let d = 0; d < Math.max(1, Math.round(orders.length / 100)); d++) orders.push(order(faker, orders.length, `GONE${String(d).padStart(6, '0')}`));
  if (options.teams === undefined) return { users, orders };
  return { ...withTeams(users, options.teams, (options.seed ?? 20260317) + 1), orders };
}

function withTeams(plain: Item[], count: number, seed: number): { users: Item[]; teams: Item[] } {
  const faker = new Faker({ locale: [en, base], seed });
  const teamIds = Array.from({ length: count }, (_, t) => `T${String(t).padStart(4, '0')}`);
  const users = plain.map((user) => (faker.number.int({ min: 0, max: 4 }) === 0 ? user : { ...user, teamId: { S: faker.helpers.arrayElement(teamIds) } }));
  const teams = teamIds.map((teamId, t) => ({
    teamId: { S: teamId },
    ownerId: { S: t % 10 === 9 ? `GONE${String(t).padStart(6, '0')}` : faker.helpers.arrayElement(plain)['userId']!.S! },
    name: { S: faker.company.name() },
  }));
  return { users, teams };
}

function order(faker: Faker, index: number, customerId: string): Item {
  return {
    orderId: { S: `O${String(index).padStart(8, '0')}` },
    customerId: { S: customerId },
    createdAt: { S: faker.date.between({ from: '2024-01-01', to: '2026-02-28' }).toISOString() },
    total: { N: faker.commerce.price({ min: 5, max: 900 }) },
  };
}

/** Loads Users and Orders (with ByCustomer; `withoutIndex` names a copy of Orders without it), and Teams when asked, dropping and recreating them. */
export async function seedUsersOrders(
  client: DynamoDBClient,
  tables: { users: string; orders: string; withoutIndex?: string; teams?: string },
  options: UsersOrdersOptions = {},
): Promise<UsersOrders> {
  const data = usersOrdersItems(options);
  await seedTable(client, tables.users, data.users, USERS_SPEC);
  await seedTable(client, tables.orders, data.orders, ORDERS_SPEC);
  if (tables.withoutIndex !== undefined) await seedTable(client, tables.withoutIndex, data.orders, ORDERS_NO_INDEX_SPEC);
  if (tables.teams !== undefined && data.teams !== undefined) await seedTable(client, tables.teams, data.teams, TEAMS_SPEC);
  return data;
}
