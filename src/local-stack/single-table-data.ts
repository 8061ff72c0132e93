/**
 * A seeded single-table dataset, the kind most production DynamoDB tables
 * are: one table, several item types told apart by key prefixes, and
 * identifiers repeated in keys, index keys and other items.
 *
 *   account   pk ACCOUNT#<uuid>           sk PROFILE                        GSI1PK EMAIL#<email>        GSI1SK ACCOUNT#<uuid>
 *   order     pk ACCOUNT#<uuid>           sk ORDER#<yyyy-mm-dd>#<order id>  (in its account's collection)
 *   ticket    pk TICKET#<8 digits>        sk TICKET                         GSI1PK ACCOUNT#<uuid>       GSI1SK TICKET#<created at>
 *
 * Accounts also hold their id, email, name, phone and a 10-digit customer
 * number; orders their order id (10 upper-case letters and digits); tickets
 * their ticket id and `accountRef = ACCOUNT#<uuid>`, the key of the account
 * they are about. GSI1 finds an account by email, and an account's tickets.
 * The same seed gives the same items on every machine.
 */
import { EN, Faker } from '../../transformers/faker-en.ts';
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Item } from '../../model/item.ts';
import { seedTable } from './seed.ts';

export const SINGLE_TABLE_NAME = 'SingleTable';

/** The table as CreateTable takes it, less its name: pk + sk, and GSI1 on GSI1PK + GSI1SK. */
export const SINGLE_TABLE_SPEC = {
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' as const },
    { AttributeName: 'sk', KeyType: 'RANGE' as const },
  ],
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' as const },
    { AttributeName: 'sk', AttributeType: 'S' as const },
    { AttributeName: 'GSI1PK', AttributeType: 'S' as const },
    { AttributeName: 'GSI1SK', AttributeType: 'S' as const },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: 'GSI1',
      KeySchema: [
        { AttributeName: 'GSI1PK', KeyType: 'HASH' as const },
        { AttributeName: 'GSI1SK', KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'ALL' as const },
    },
  ],
};

export interface SingleTableOptions {
  /** Accounts; each has 0 to 8 orders, and there are one and a half tickets per account. Default 400 (about 2,600 items). */
  accounts?: number;
  seed?: number;
}

const PLANS = ['free', 'pro', 'team'];
const ORDER_STATUS = ['placed', 'shipped', 'delivered', 'returned'];
const TICKET_STATUS = ['open', 'waiting', 'closed'];

export function singleTableItems(options: SingleTableOptions = {}): Item[] {
  const faker = new Faker({ locale: EN, seed: options.seed ?? 20260301 });
  const accounts = options.accounts ?? 400;
  const items: Item[] = [];
  const emails = new Set<string>();
  const orderIds = new Set<string>();
  const ticketIds = new Set<string>();
  const accountIds: string[] = [];
  const unique = (set: Set<string>, draw: () => string): string => {
    for (;;) {
      const value = draw();
      if (!set.has(value)) {
        set.add(value);
        return value;
      }
    }
  };
  const day = (from: string, to: string) => faker.date.between({ from, to }).toISOString();

  for (let a = 0; a < accounts; a++) {
    const accountId = faker.string.uuid();
    accountIds.push(accountId);
    const firstName = faker.person.firstName();
    const lastName = faker.person.lastName();
    const email = unique(emails, () => faker.internet.email({ firstName, lastName }).toLowerCase());
    const pk = `ACCOUNT#${accountId}`;
    items.push({
      pk: s(pk),
      sk: s('PROFILE'),
      type: s('account'),
      accountId: s(accountId),
      email: s(email),
      name: s(`${firstName} ${lastName}`),
      phone: s(faker.phone.number({ style: 'international' })),
      customerNumber: s(faker.string.numeric(10)),
      plan: s(faker.helpers.arrayElement(PLANS)),
      createdAt: s(day('2022-01-01', '2025-12-31')),
      GSI1PK: s(`EMAIL#${email}`),
      GSI1SK: s(pk),
    });
    const orders = faker.number.int({ min: 0, max: 8 });
    for (let o = 0; o < orders; o++) {
      const orderId = unique(orderIds, () => faker.string.alphanumeric({ length: 10, casing: 'upper' }));
      const date = day('2024-01-01', '2026-02-28').slice(0, 10);
      items.push({
        pk: s(pk),
        sk: s(`ORDER#${date}#${orderId}`),
        type: s('order'),
        orderId: s(orderId),
        total: { N: faker.commerce.price({ min: 5, max: 900 }) },
        currency: s('EUR'),
        status: s(faker.helpers.arrayElement(ORDER_STATUS)),
        lines: {
          L: Array.from({ length: faker.number.int({ min: 1, max: 3 }) }, () => ({
            M: { sku: s(faker.string.alphanumeric({ length: 8, casing: 'upper' })), qty: { N: String(faker.number.int({ min: 1, max: 4 })) } },
          })),
        },
      });
    }
  }

  const tickets = Math.round((accounts * 3) / 2);
  for (let t = 0; t < tickets; t++) {
    const ticketId = unique(ticketIds, () => faker.string.numeric({ length: 8, allowLeadingZeros: true }));
    const accountId = faker.helpers.arrayElement(accountIds);
    const createdAt = day('2025-01-01', '2026-02-28');
    items.push({
      pk: s(`TICKET#${ticketId}`),
      sk: s('TICKET'),
      type: s('ticket'),
      ticketId: s(ticketId),
      accountRef: s(`ACCOUNT#${accountId}`),
      subject: s(faker.lorem.sentence({ min: 3, max: 7 })),
      body: s(faker.lorem.paragraph()),
      status: s(faker.helpers.arrayElement(TICKET_STATUS)),
      createdAt: s(createdAt),
      GSI1PK: s(`ACCOUNT#${accountId}`),
      GSI1SK: s(`TICKET#${createdAt}`),
    });
  }
  return items;
}

/** Loads the dataset into a table of a DynamoDB Local, dropping and recreating it (demo stacks and tests only). */
export async function seedSingleTable(client: DynamoDBClient, table: string = SINGLE_TABLE_NAME, options: SingleTableOptions = {}): Promise<Item[]> {
  const items = singleTableItems(options);
  // The spec's indexes go through to CreateTable with its keys.
  await seedTable(client, table, items, SINGLE_TABLE_SPEC);
  return items;
}

function s(text: string): AttributeValue {
  return { S: text };
}
