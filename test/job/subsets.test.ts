import { describe, expect, it } from 'vitest';
import type { Job } from '../../model/job.ts';
import { parseJob } from '../../src/job/job-loader.ts';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { withCommandLineSeeds } from '../../src/job/command-line-seeds.ts';
import { refusalOf } from '../support/job-refusal.ts';

const FILE = 'jobs/subsets.yaml';
/** Lines 1-6; tables start on line 7. */
const HEADER = [
  'name: subsets',
  'connections:',
  '  local: { region: us-east-1, endpoint: "http://localhost:8000" }',
  'source: local',
  'destination: local',
  'defaults: { S: passthrough }',
].join('\n');

const parse = (tables: string): Job => parseJob(`${HEADER}\n${tables}`, FILE, builtinRegistry, {});
function refusal(tables: string): string {
  return refusalOf(() => parse(tables));
}

describe('job file: whole collections and seeds', () => {
  it('normalizes them, leaving them out when not asked for', () => {
    const job = parse(
      [
        'tables:',
        '  - source: SingleTable',
        '    destination: Copy',
        '    wholeCollections: true',
        '    seeds: ["ACCOUNT#1", "ACCOUNT#2"]',
        "    where: \"sk = 'PROFILE'\"",
        '  - source: Movies',
        '    destination: MoviesCopy',
        '    seeds: [2013, 2014]',
        '  - source: Plain',
        '    destination: PlainCopy',
      ].join('\n'),
    );
    expect(job.tables.map(({ wholeCollections, seeds }) => ({ wholeCollections, seeds }))).toEqual([
      { wholeCollections: true, seeds: ['ACCOUNT#1', 'ACCOUNT#2'] },
      { wholeCollections: undefined, seeds: [2013, 2014] },
      { wholeCollections: undefined, seeds: undefined },
    ]);
    expect('wholeCollections' in job.tables[2]! || 'seeds' in job.tables[2]!).toBe(false);
  });

  it('refuses what cannot pick a subset, each at its line, before anything runs', () => {
    const text = [
      'tables:',
      '  - source: SingleTable',
      '    destination: Copy1',
      '    wholeCollections: true',
      '  - source: SingleTable',
      '    destination: Copy2',
      '    index: GSI1',
      '    wholeCollections: true',
      "    where: \"a = 1\"",
      '    seeds: ["A"]',
      '  - source: SingleTable',
      '    destination: Copy3',
      '    seeds: []',
      '  - source: SingleTable',
      '    destination: Copy4',
      '    seeds: ["", true]',
      '  - source: SingleTable',
      '    destination: Copy5',
      '    wholeCollections: "yes"',
      "    where: \"a = 1\"",
    ].join('\n');
    expect(refusal(text)).toMatchInlineSnapshot(`
      "jobs/subsets.yaml:10 tables[0].wholeCollections: whole collections need a where or seeds to pick their roots; without one every item is a root: leave wholeCollections out
      jobs/subsets.yaml:14 tables[1].wholeCollections: whole collections are read from the base table by partition key, not from index "GSI1": leave out index or wholeCollections
      jobs/subsets.yaml:16 tables[1].seeds: seeds are partition key values of the base table, not of index "GSI1": leave out index or seeds
      jobs/subsets.yaml:19 tables[2].seeds: must not be empty
      jobs/subsets.yaml:22 tables[3].seeds[0]: must not be empty
      jobs/subsets.yaml:22 tables[3].seeds[1]: expected a string or a number, got a boolean; put it in quotes: YAML reads true unquoted as a boolean
      jobs/subsets.yaml:25 tables[4].wholeCollections: expected a boolean, got a string"
    `);
  });

  it('a reference carries the selection of the entry it names', () => {
    const job = parse(
      [
        'tables:',
        '  - source: Users',
        '    destination: UsersCopy',
        "    where: \"plan = 'enterprise'\"",
        '    seeds: ["U1"]',
        '  - source: Orders',
        '    destination: OrdersCopy',
        '    references: { table: Users, attribute: customerId, limit: 3 }',
      ].join('\n'),
    );
    expect(job.tables[1]!.references).toEqual({ table: 'Users', attribute: 'customerId', limit: 3, selection: { where: "plan = 'enterprise'", seeds: ['U1'], consistentRead: false } });
  });

  it('a reference through a template keeps it, and refuses one that is not one part once, at its line', () => {
    const tables = (template: string) =>
      ['tables:', '  - source: Users', '    destination: UsersCopy', '  - source: Orders', '    destination: OrdersCopy', `    references: { table: Users, attribute: author, template: ${template} }`].join('\n');
    expect(parse(tables('"USER#{id}"')).tables[1]!.references).toEqual({ table: 'Users', attribute: 'author', template: 'USER#{id}', selection: { consistentRead: false } });
    expect(refusal(tables('"USER#{id"'))).toMatchInlineSnapshot(`"jobs/subsets.yaml:12 tables[1].references.template: bad template "USER#{id": column 6: a "{" with no "}" after it"`);
    expect(refusal(tables('"USER#{id}#{id}"'))).toMatchInlineSnapshot(`"jobs/subsets.yaml:12 tables[1].references.template: references.template "USER#{id}#{id}" has 2 parts ({id}, {id}); it holds the referenced key as exactly one part, such as "USER#{id}""`);
    expect(refusal(tables('"USER#{org}#{id}"'))).toMatchInlineSnapshot(`"jobs/subsets.yaml:12 tables[1].references.template: references.template "USER#{org}#{id}" has 2 parts ({org}, {id}); it holds the referenced key as exactly one part, such as "USER#{id}""`);
    expect(refusal(tables('"USER"'))).toMatchInlineSnapshot(`"jobs/subsets.yaml:12 tables[1].references.template: references.template "USER" has no part; it holds the referenced key as exactly one part, such as "USER#{id}""`);
    expect(refusal(tables('""'))).toMatchInlineSnapshot(`"jobs/subsets.yaml:12 tables[1].references.template: must not be empty"`);
  });

  it('refuses references it cannot follow, at their lines', () => {
    const text = [
      'tables:',
      '  - source: Users',
      '    destination: UsersCopy',
      '    references: { table: Orders, attribute: userId }',
      '  - source: Orders',
      '    destination: OrdersCopy',
      "    where: \"a = 1\"",
      '    mode: replace',
      '    references: { table: Users, attribute: customerId, limit: 0 }',
      '  - source: Tickets',
      '    destination: TicketsCopy',
      '    references: { table: Nobody, attribute: "" }',
      '  - source: Returns',
      '    destination: ReturnsCopy',
      '    mode: incremental',
      '    references: { table: Users, attribute: userId }',
    ].join('\n');
    expect(refusal(text)).toMatchInlineSnapshot(`
      "jobs/subsets.yaml:14 tables[1].mode: mode replace keeps each item the references select, and with references.limit that depends on the other items of its key; not supported yet: leave out limit, or use mode upsert
      jobs/subsets.yaml:15 tables[1].references.limit: must be at least 1
      jobs/subsets.yaml:15 tables[1].references.limit: a table with a where or seeds beside references is read by one parallel Scan that keeps both kinds of item once; references.limit needs a Query of a GSI per selected key, which cannot also yield the where's items without copying some twice: leave out references.limit, or the where and seeds
      jobs/subsets.yaml:18 tables[2].references.attribute: must not be empty
      jobs/subsets.yaml:18 tables[2].references.table: references.table names the source of one other entry of tables (or this entry's own), whose selection this table follows; no other entry of tables reads "Nobody" (they read "Users", "Orders", "Returns")
      jobs/subsets.yaml:21 tables[3].mode: mode incremental cannot tell from a stream record whether it refers to a selected key; not supported yet for a table that follows references: use mode replace or upsert
      jobs/subsets.yaml:21 tables[3].mode: mode incremental needs a job salt: without one each run derives its own, and changes would be transformed unlike the copy they are applied to"
    `);
  });

  it('a chain of references carries each link down to the entry that selects by itself; --seed reaches its end', () => {
    const job = parse(
      [
        'tables:',
        '  - source: Shipments',
        '    destination: ShipmentsCopy',
        '    references: { table: Orders, attribute: orderId }',
        '  - source: Orders',
        '    destination: OrdersCopy',
        '    references: { table: Users, attribute: customerId, limit: 2 }',
        '  - source: Users',
        '    destination: UsersCopy',
        "    where: \"plan = 'enterprise'\"",
      ].join('\n'),
    );
    const users = { table: 'Users', attribute: 'customerId', limit: 2, selection: { where: "plan = 'enterprise'", consistentRead: false } };
    expect(job.tables[0]!.references).toEqual({ table: 'Orders', attribute: 'orderId', selection: { consistentRead: false, references: users } });
    expect(withCommandLineSeeds(job, FILE, ['Users=U7']).tables[0]!.references!.selection.references!.selection.seeds).toEqual(['U7']);
    expect(() => withCommandLineSeeds(job, FILE, ['Orders=O1'])).toThrow('jobs/subsets.yaml --seed: "Orders" follows references to "Users", which pick its items; seed the table at the start of the chain instead');
  });

  it('refuses a cycle of references at each of its entries, naming the way round', () => {
    const text = [
      'tables:',
      '  - source: Users',
      '    destination: UsersCopy',
      '    references: { table: Teams, attribute: userId }',
      '  - source: Teams',
      '    destination: TeamsCopy',
      '    references: { table: Members, attribute: teamId }',
      '  - source: Members',
      '    destination: MembersCopy',
      '    references: { table: Teams, attribute: memberId }',
    ].join('\n');
    expect(refusal(text)).toMatchInlineSnapshot(`
      "jobs/subsets.yaml:10 tables[0].references.table: "Teams" leads into a cycle of references (Teams -> Members -> Teams), and no table of it picks items by itself, so the walk round it has nothing to start from: give one of them a where or seeds
      jobs/subsets.yaml:13 tables[1].references.table: references go round in a cycle (Teams -> Members -> Teams), and no table of it picks items by itself, so the walk round it has nothing to start from: give one of them a where or seeds
      jobs/subsets.yaml:16 tables[2].references.table: references go round in a cycle (Members -> Teams -> Members), and no table of it picks items by itself, so the walk round it has nothing to start from: give one of them a where or seeds"
    `);
  });

  it('--seed on the command line replaces the seeds of its table, and of the references that follow it', () => {
    const job = parse(
      [
        'tables:',
        '  - source: Users',
        '    destination: UsersCopy',
        '    seeds: ["U1"]',
        '  - source: Orders',
        '    destination: OrdersCopy',
        '    references: { table: Users, attribute: customerId }',
      ].join('\n'),
    );
    const seeded = withCommandLineSeeds(job, FILE, ['Users=U7', 'Users=U=8']);
    expect(seeded.tables[0]!.seeds).toEqual(['U7', 'U=8']);
    expect(seeded.tables[1]!.references!.selection.seeds).toEqual(['U7', 'U=8']);
    expect(withCommandLineSeeds(job, FILE, [])).toBe(job);
    expect(() => withCommandLineSeeds(job, FILE, ['Accounts=A1', 'U1', 'Users='])).toThrow(
      [
        'jobs/subsets.yaml --seed #1: no table of the job reads "Accounts" (it reads "Users", "Orders")',
        'jobs/subsets.yaml --seed #2: expected <source table>=<partition key value>, such as --seed Users=U42',
        'jobs/subsets.yaml --seed #3: expected <source table>=<partition key value>, such as --seed Users=U42',
      ].join('\n'),
    );
  });
});


describe('job file: cycles of references and where beside references', () => {
  const ring = [
    'tables:',
    '  - source: Users',
    '    destination: UsersCopy',
    "    where: \"plan = 'enterprise'\"",
    '    references: { table: Teams, attribute: teamId }',
    '  - source: Teams',
    '    destination: TeamsCopy',
    '    segments: 2',
    '    references: { table: Users, attribute: ownerId }',
    '  - source: Orders',
    '    destination: OrdersCopy',
    '    references: { table: Users, attribute: customerId }',
  ];

  it('takes a ring with a where, carrying the ring from the referenced entry round, in each entry and the chains off it', () => {
    const job = parse(ring.join('\n'));
    const users = { source: 'Users', where: "plan = 'enterprise'", consistentRead: false, attribute: 'teamId', segments: 'auto' };
    const teams = { source: 'Teams', consistentRead: false, attribute: 'ownerId', segments: 2 };
    expect(job.tables[0]!.references).toEqual({ table: 'Teams', attribute: 'teamId', selection: { consistentRead: false, ring: [teams, users] } });
    expect(job.tables[1]!.references).toEqual({ table: 'Users', attribute: 'ownerId', selection: { where: "plan = 'enterprise'", consistentRead: false, ring: [users, teams] } });
    expect(job.tables[2]!.references).toEqual({ table: 'Users', attribute: 'customerId', selection: { where: "plan = 'enterprise'", consistentRead: false, ring: [users, teams] } });
    expect(job.tables[0]!.where).toBe("plan = 'enterprise'");
  });

  it('takes a table that refers to itself when it picks roots, and refuses one that does not', () => {
    const self = (pick: string) => ['tables:', '  - source: Employees', '    destination: EmployeesCopy', ...(pick ? [`    ${pick}`] : []), '    references: { table: Employees, attribute: managerId }'].join('\n');
    expect(parse(self('seeds: ["E1"]')).tables[0]!.references).toEqual({
      table: 'Employees',
      attribute: 'managerId',
      selection: { seeds: ['E1'], consistentRead: false, ring: [{ source: 'Employees', seeds: ['E1'], consistentRead: false, attribute: 'managerId', segments: 'auto' }] },
    });
    expect(refusal(self(''))).toMatchInlineSnapshot(`"jobs/subsets.yaml:10 tables[0].references.table: references lead back to this table itself (Employees -> Employees), and it picks no items by itself, so the walk round it has nothing to start from: give it a where or seeds"`);
  });

  it('refuses, at their lines, a union or a ring member read through a GSI or with a limit', () => {
    const text = [...ring.slice(0, 4), '    references: { table: Teams, attribute: teamId, index: ByTeam }', ...ring.slice(5, 8), '    references: { table: Users, attribute: ownerId, limit: 2 }', ...ring.slice(9)].join('\n');
    expect(refusal(text)).toMatchInlineSnapshot(`
      "jobs/subsets.yaml:11 tables[0].references.index: a table with a where or seeds beside references is read by one parallel Scan that keeps both kinds of item once; references.index needs a Query of a GSI per selected key, which cannot also yield the where's items without copying some twice: leave out references.index, or the where and seeds
      jobs/subsets.yaml:15 tables[1].references.limit: a table on a cycle of references (Teams -> Users -> Teams) is read by a parallel Scan each time round the walk; references.limit needs a Query of a GSI per selected key, which the walk does not make: leave out references.limit"
    `);
  });
});

describe('--seed on a ring', () => {
  it('replaces the seeds of an entry that picks items beside its references, in every copy of the ring', () => {
    const job = parse(
      [
        'tables:',
        '  - source: Users',
        '    destination: UsersCopy',
        '    seeds: ["U1"]',
        '    references: { table: Teams, attribute: teamId }',
        '  - source: Teams',
        '    destination: TeamsCopy',
        '    references: { table: Users, attribute: ownerId }',
      ].join('\n'),
    );
    const seeded = withCommandLineSeeds(job, FILE, ['Users=U7']);
    expect(seeded.tables[0]!.seeds).toEqual(['U7']);
    expect(seeded.tables[0]!.references!.selection.ring!.map((entry) => entry.seeds)).toEqual([undefined, ['U7']]);
    expect(seeded.tables[1]!.references!.selection.seeds).toEqual(['U7']);
    expect(seeded.tables[1]!.references!.selection.ring!.map((entry) => entry.seeds)).toEqual([['U7'], undefined]);
    expect(() => withCommandLineSeeds(job, FILE, ['Teams=T1'])).toThrow('"Teams" follows references to "Users", which pick its items');
  });
});
