import { describe, expect, it } from 'vitest';
import type { Item } from '../../model/item.ts';
import { walkRing, type RingReader, type RingWalkMember } from './ring-walk.ts';

/** Tables in memory, read in pages of two, counting the reads of each; with `attributes`, also by the value of each member's attribute, as a GSI Query would. */
function reader(tables: Item[][], attributes?: string[]): RingReader & { reads: number[]; asked: string[][] } {
  const reads = tables.map(() => 0);
  const asked: string[][] = tables.map(() => []);
  return {
    reads,
    asked,
    readAll: async (member, visit) => {
      reads[member]!++;
      const items = tables[member]!;
      for (let i = 0; i < items.length; i += 2) visit(items.slice(i, i + 2));
    },
    ...(attributes !== undefined && {
      readReferring: async (member: number, values: readonly Item[string][], visit: (items: readonly Item[]) => void) => {
        for (const value of values) {
          asked[member]!.push(value!.S ?? value!.N!);
          visit(tables[member]!.filter((item) => JSON.stringify(item[attributes[member]!]) === JSON.stringify(value)));
        }
      },
    }),
  };
}

const s = (S: string) => ({ S });
const keysOf = (selection: Awaited<ReturnType<typeof walkRing>>, member: number) => [...selection.keys[member]!.values()].map((v) => v.S ?? v.N).sort();
const where = (attribute: string, value: string) => (item: Item) => item[attribute]?.S === value;

describe('the walk round a cycle of references', () => {
  // users.teamId -> teams, teams.ownerId -> users
  const users: Item[] = [
    { userId: s('u1'), plan: s('enterprise'), teamId: s('t1') },
    { userId: s('u2'), plan: s('free'), teamId: s('t2') },
    { userId: s('u3'), plan: s('free'), teamId: s('t3') },
    { userId: s('u4'), plan: s('free'), teamId: s('t4') },
    { userId: s('u5'), plan: s('free') },
  ];
  const teams: Item[] = [
    { teamId: s('t1'), ownerId: s('u2') },
    { teamId: s('t2'), ownerId: s('u3') },
    { teamId: s('t3'), ownerId: s('u1') },
    { teamId: s('t4'), ownerId: s('nobody') },
  ];
  const ring: RingWalkMember[] = [
    { hashKey: 'userId', attribute: 'teamId', picks: where('plan', 'enterprise') },
    { hashKey: 'teamId', attribute: 'ownerId' },
  ];

  it('a ring of two: from the roots, round until a pass adds nothing', async () => {
    const tables = reader([users, teams]);
    const selection = await walkRing(ring, tables);
    // u1 (the root) owns t3, whose member u3 owns t2, whose member u2 owns t1, whose member u1 is selected already; t4's owner is no user.
    expect(keysOf(selection, 0)).toEqual(['u1', 'u2', 'u3']);
    expect(keysOf(selection, 1)).toEqual(['t1', 't2', 't3']);
    expect(selection.reads).toBe(tables.reads[0]! + tables.reads[1]!);
  });

  it('a ring of three', async () => {
    // a.b -> b, b.c -> c, c.a -> a; only c picks a root.
    const a: Item[] = [{ id: s('a1'), b: s('b1') }, { id: s('a2'), b: s('b9') }];
    const b: Item[] = [{ id: s('b1'), c: s('c2') }, { id: s('b2'), c: s('c1') }];
    const c: Item[] = [{ id: s('c1'), a: s('a2'), root: s('yes') }, { id: s('c2'), a: s('a1') }, { id: s('c3'), a: s('a3') }];
    const selection = await walkRing(
      [
        { hashKey: 'id', attribute: 'b' },
        { hashKey: 'id', attribute: 'c' },
        { hashKey: 'id', attribute: 'a', picks: where('root', 'yes') },
      ],
      reader([a, b, c]),
    );
    // c1 (the root) <- b2 (its c is c1); no a refers to b2, so the c's that refer to an a add nothing.
    expect([keysOf(selection, 0), keysOf(selection, 1), keysOf(selection, 2)]).toEqual([[], ['b2'], ['c1']]);
  });

  it('a ring of three that goes round twice', async () => {
    const a: Item[] = [{ id: s('a1'), b: s('b1') }, { id: s('a2'), b: s('b2') }];
    const b: Item[] = [{ id: s('b1'), c: s('c1') }, { id: s('b2'), c: s('c2') }];
    const c: Item[] = [{ id: s('c1'), a: s('a2'), root: s('yes') }, { id: s('c2'), a: s('a1') }, { id: s('c3'), a: s('a1') }];
    const selection = await walkRing(
      [
        { hashKey: 'id', attribute: 'b' },
        { hashKey: 'id', attribute: 'c' },
        { hashKey: 'id', attribute: 'a', picks: where('root', 'yes') },
      ],
      reader([a, b, c]),
    );
    // c1 -> b1 -> a1 -> c2, c3 -> b2 -> a2 -> c1 (had).
    expect([keysOf(selection, 0), keysOf(selection, 1), keysOf(selection, 2)]).toEqual([['a1', 'a2'], ['b1', 'b2'], ['c1', 'c2', 'c3']]);
  });

  it('stops when a pass adds nothing: no new items after the first pass from the roots', async () => {
    const roots: Item[] = [{ userId: s('u1'), plan: s('enterprise'), teamId: s('t1') }, { userId: s('u2'), plan: s('free'), teamId: s('t9') }];
    const lonely: Item[] = [{ teamId: s('t1'), ownerId: s('u1') }];
    const tables = reader([roots, lonely]);
    const selection = await walkRing(ring, tables);
    expect([keysOf(selection, 0), keysOf(selection, 1)]).toEqual([['u1'], ['t1']]);
    // Users for their roots (teams have nothing to follow yet), teams for u1's, users again for t1's, which adds nothing: done.
    expect(tables.reads).toEqual([2, 1]);
  });

  it('a table that refers to itself: employees.managerId -> employees, down from the root', async () => {
    const employees: Item[] = [
      { id: s('ceo'), title: s('CEO') },
      { id: s('e1'), managerId: s('ceo') },
      { id: s('e2'), managerId: s('e1') },
      { id: s('e3'), managerId: s('e2') },
      { id: s('x1'), managerId: s('x0') },
      { id: s('x2'), managerId: s('x1') },
    ];
    const tables = reader([employees]);
    const selection = await walkRing([{ hashKey: 'id', attribute: 'managerId', picks: where('title', 'CEO') }], tables);
    expect(keysOf(selection, 0)).toEqual(['ceo', 'e1', 'e2', 'e3']);
    // One read per level, and one that finds nothing new.
    expect(tables.reads).toEqual([5]);
  });

  it('follows a template reference: the attribute holds the key inside fixed text', async () => {
    const posts: Item[] = [{ postId: s('p1'), author: s('USER#u1'), featured: s('yes') }, { postId: s('p2'), author: s('USER#u2') }];
    const people: Item[] = [{ userId: s('u1'), favourite: s('POST#p2') }, { userId: s('u2'), favourite: s('POST#p1') }, { userId: s('u3'), favourite: s('p2') }];
    const selection = await walkRing(
      [
        { hashKey: 'postId', attribute: 'author', template: 'USER#{id}', picks: where('featured', 'yes') },
        { hashKey: 'userId', attribute: 'favourite', template: 'POST#{id}' },
      ],
      reader([posts, people]),
    );
    // p1 -> u2 (favourite POST#p1) -> p2 (author USER#u2) -> u1 (POST#p2); u3's favourite is not the template's.
    expect([keysOf(selection, 0), keysOf(selection, 1)]).toEqual([['p1', 'p2'], ['u1', 'u2']]);
  });

  it('holds number keys as numbers, and a value of another type refers to nothing', async () => {
    const a: Item[] = [{ n: { N: '1' }, ref: { N: '10' }, root: s('yes') }, { n: { N: '2' }, ref: s('10') }];
    const b: Item[] = [{ m: { N: '10' }, back: { N: '2' } }, { m: { N: '11' }, back: s('1') }];
    const selection = await walkRing(
      [
        { hashKey: 'n', attribute: 'ref', picks: where('root', 'yes') },
        { hashKey: 'm', attribute: 'back' },
      ],
      reader([a, b]),
    );
    // Only n 1 is a root; no b refers to it (m 11's back is the string '1'), so a's second item (ref the string '10') is never asked about.
    expect([keysOf(selection, 0), keysOf(selection, 1)]).toEqual([['1'], []]);
  });

  describe('members read through an index on their attribute', () => {
    it('a ring of two: the same fixpoint, the indexed member never read whole, each key followed once', async () => {
      const tables = reader([users, teams], ['teamId', 'ownerId']);
      const selection = await walkRing([ring[0]!, { ...ring[1]!, indexed: true }], tables);
      expect(keysOf(selection, 0)).toEqual(['u1', 'u2', 'u3']);
      expect(keysOf(selection, 1)).toEqual(['t1', 't2', 't3']);
      expect(tables.reads[1]).toBe(0);
      expect(tables.asked[1]!.sort()).toEqual(['u1', 'u2', 'u3']);
    });

    it('a member with a where of its own is read whole once, for its roots, then by key', async () => {
      const employees: Item[] = [
        { id: s('ceo'), title: s('CEO') },
        { id: s('e1'), managerId: s('ceo') },
        { id: s('e2'), managerId: s('e1') },
        { id: s('e3'), managerId: s('e2') },
        { id: s('x1'), managerId: s('x0') },
      ];
      const tables = reader([employees], ['managerId']);
      const selection = await walkRing([{ hashKey: 'id', attribute: 'managerId', picks: where('title', 'CEO'), indexed: true }], tables);
      expect(keysOf(selection, 0)).toEqual(['ceo', 'e1', 'e2', 'e3']);
      expect(tables.reads).toEqual([1]);
      expect(tables.asked[0]).toEqual(['ceo', 'e1', 'e2', 'e3']);
    });

    it('renders the keys it asks about into the template', async () => {
      const posts: Item[] = [{ postId: s('p1'), author: s('USER#u1'), featured: s('yes') }, { postId: s('p2'), author: s('USER#u2') }];
      const people: Item[] = [{ userId: s('u1'), favourite: s('POST#p2') }, { userId: s('u2'), favourite: s('POST#p1') }];
      const tables = reader([posts, people], ['author', 'favourite']);
      const selection = await walkRing(
        [
          { hashKey: 'postId', attribute: 'author', template: 'USER#{id}', picks: where('featured', 'yes'), indexed: true },
          { hashKey: 'userId', attribute: 'favourite', template: 'POST#{id}', indexed: true },
        ],
        tables,
      );
      expect([keysOf(selection, 0), keysOf(selection, 1)]).toEqual([['p1', 'p2'], ['u1', 'u2']]);
      expect(tables.asked[1]!.sort()).toEqual(['POST#p1', 'POST#p2']);
      expect(tables.reads).toEqual([1, 0]);
    });
  });
});
