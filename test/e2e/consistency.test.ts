/**
 * Joins survive anonymization: the same email in Users.Email and in
 * Orders.CustomerEmail becomes the same fake, and no real email is left.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { startRun } from '../../src/client/runs.ts';
import type { Item } from '../../model/item.ts';
import { parseJob } from '../../src/job/job-loader.ts';
import { recreateTable, seedTable } from '../../src/local-stack/seed.ts';
import { connectTestStack, scanAll, type TestStack } from '../support/stack.ts';

const keyedBy = (name: string) => ({
  KeySchema: [{ AttributeName: name, KeyType: 'HASH' as const }],
  AttributeDefinitions: [{ AttributeName: name, AttributeType: 'S' as const }],
});

const users: Item[] = Array.from({ length: 200 }, (_, i) => ({
  userId: { S: `u${i}` },
  Email: { S: `person.${i}@corp${i % 5}.example.com` },
  Name: { S: `Real Person ${i}` },
}));
const orders: Item[] = Array.from({ length: 600 }, (_, i) => ({
  orderId: { S: `o${i}` },
  CustomerEmail: { S: users[(i * 7) % users.length]!.Email!.S! },
  Total: { N: `${i}.99` },
}));

describe('consistency across tables', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await connectTestStack('e2e-consistency');
    await seedTable(stack.dynamo, 'CUsers', users, keyedBy('userId'));
    await seedTable(stack.dynamo, 'COrders', orders, keyedBy('orderId'));
    await recreateTable(stack.dynamo, 'CUsersStaging', keyedBy('userId'));
    await recreateTable(stack.dynamo, 'COrdersStaging', keyedBy('orderId'));
  });
  afterAll(async () => stack?.close());

  it('keeps every join between the two tables and leaves no original email', async () => {
    const job = parseJob(
      `
name: consistency
connections: { local: { endpoint: "${stack.dynamoEndpoint}" } }
source: local
destination: local
salt: join-salt
tables:
  - source: CUsers
    destination: CUsersStaging
    transformers: { Email: email, Name: fullName }
  - source: COrders
    destination: COrdersStaging
    transformers: { CustomerEmail: email }
`,
      'consistency.yaml',
      builtinRegistry,
    );
    await (await startRun(stack.client, job, { taskQueue: stack.taskQueue })).result();

    const stagedUsers = await scanAll(stack.dynamo, 'CUsersStaging');
    const stagedOrders = await scanAll(stack.dynamo, 'COrdersStaging');
    expect(stagedUsers).toHaveLength(users.length);
    expect(stagedOrders).toHaveLength(orders.length);

    const realEmailOf = new Map(users.map((u) => [u.userId!.S!, u.Email!.S!]));
    const fakeEmailOf = new Map(stagedUsers.map((u) => [u.userId!.S!, u.Email!.S!]));
    const userIdByFake = new Map(stagedUsers.map((u) => [u.Email!.S!, u.userId!.S!]));
    expect(userIdByFake.size).toBe(users.length);
    for (const order of stagedOrders) {
      const source = orders.find((o) => o.orderId!.S === order.orderId!.S)!;
      const joinedUser = users.find((u) => u.Email!.S === source.CustomerEmail!.S)!;
      // The order joins the same user after anonymization as before.
      expect(userIdByFake.get(order.CustomerEmail!.S!)).toBe(joinedUser.userId!.S);
      expect(order.Total).toEqual(source.Total);
    }

    const everything = JSON.stringify([stagedUsers, stagedOrders]);
    for (const email of realEmailOf.values()) expect(everything).not.toContain(email);
    for (const user of users) expect(everything).not.toContain(user.Name!.S!);
    expect([...fakeEmailOf.values()].every((e) => /^[^@\s]+@[^@\s]+\.[a-z]+$/i.test(e))).toBe(true);
  });
});
