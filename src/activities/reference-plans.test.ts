import type { TableDescription } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import type { RingEntry, TableReference } from '../../model/job.ts';
import { followerPlan } from './reference-plans.ts';

const table = (name: string, hash: string, gsi?: { attribute: string; type: 'S' | 'N'; all?: true }): TableDescription => ({
  TableName: name,
  KeySchema: [{ AttributeName: hash, KeyType: 'HASH' }],
  AttributeDefinitions: [{ AttributeName: hash, AttributeType: 'S' }, ...(gsi ? [{ AttributeName: gsi.attribute, AttributeType: gsi.type }] : [])],
  ...(gsi ? { GlobalSecondaryIndexes: [{ IndexName: `By${gsi.attribute}`, KeySchema: [{ AttributeName: gsi.attribute, KeyType: 'HASH' }], Projection: { ProjectionType: gsi.all ? 'ALL' : 'KEYS_ONLY' } }] } : {}),
  TableSizeBytes: 0,
});

const users: RingEntry = { source: 'Users', where: "plan = 'enterprise'", consistentRead: false, attribute: 'teamId', segments: 2 };
const teams: RingEntry = { source: 'Teams', consistentRead: false, attribute: 'ownerId', segments: 'auto' };

function planOf(descriptions: Record<string, TableDescription>, self: Omit<RingEntry, 'attribute'> & { references: TableReference }) {
  return followerPlan(self, descriptions[self.source]!, async (name) => descriptions[name]!);
}

describe('the read plans of tables on a cycle of references', () => {
  it('a ring entry walks the ring from itself, with its where and seeds as one condition, and counts dangling references to the next', async () => {
    const plan = await planOf(
      { Users: table('Users', 'userId'), Teams: table('Teams', 'teamId') },
      { source: 'Users', where: "plan = 'enterprise'", seeds: ['U1'], consistentRead: false, segments: 2, references: { table: 'Teams', attribute: 'teamId', selection: { consistentRead: false, ring: [teams, users] } } },
    );
    expect(plan).toEqual({
      kind: 'ring',
      table: 'Users',
      consistentRead: false,
      members: [
        { table: 'Users', consistentRead: false, hashKey: 'userId', where: `"userId" IN ['U1'] AND (plan = 'enterprise')`, attribute: 'teamId', segments: 2 },
        { table: 'Teams', consistentRead: false, hashKey: 'teamId', attribute: 'ownerId', segments: 1 },
      ],
      dangling: { keyType: 'S', lookup: 'get' },
    });
  });

  it("reads a member by its GSI on the attribute only when the GSI's key is of the type the walk asks for, and never for consistent reads", async () => {
    const reference = { table: 'Users', attribute: 'ownerId', selection: { consistentRead: false, ring: [users, teams] } };
    const teamsFirst = (description: TableDescription, consistentRead = false) =>
      planOf({ Users: table('Users', 'userId'), Teams: description }, { source: 'Teams', consistentRead, segments: 1, references: reference });
    const members = async (description: TableDescription, consistentRead?: boolean) => ((await teamsFirst(description, consistentRead)) as { members: { index?: string }[] }).members.map((m) => m.index);
    expect(await members(table('Teams', 'teamId', { attribute: 'ownerId', type: 'S' }))).toEqual(['ByownerId', undefined]);
    expect(await members(table('Teams', 'teamId', { attribute: 'ownerId', type: 'N' }))).toEqual([undefined, undefined]);
    expect(await members(table('Teams', 'teamId', { attribute: 'ownerId', type: 'S' }), true)).toEqual([undefined, undefined]);
  });

  it('a table that follows a ring member has the walk as its parent; a union is read by a Scan whatever its GSIs', async () => {
    const orders = await planOf(
      { Users: table('Users', 'userId'), Teams: table('Teams', 'teamId'), Orders: table('Orders', 'orderId', { attribute: 'customerId', type: 'S', all: true }) },
      { source: 'Orders', consistentRead: false, segments: 1, references: { table: 'Users', attribute: 'customerId', selection: { where: users.where!, consistentRead: false, ring: [users, teams] } } },
    );
    expect(orders).toMatchObject({ kind: 'references', parent: { kind: 'ring', table: 'Users' }, parentKey: 'userId', via: { kind: 'index', index: 'BycustomerId' } });
    const union = await planOf(
      { Teams: table('Teams', 'teamId'), Users: table('Users', 'userId', { attribute: 'teamId', type: 'S', all: true }) },
      { source: 'Users', where: "plan = 'enterprise'", consistentRead: false, segments: 3, references: { table: 'Teams', attribute: 'teamId', selection: { seeds: ['T1'], consistentRead: false } } },
    );
    expect(union).toMatchObject({ kind: 'references', where: "plan = 'enterprise'", via: { kind: 'scan', segments: 3 }, parent: { kind: 'query' }, dangling: { keyType: 'S', lookup: 'get' } });
  });
});
