import { describe, expect, it } from 'vitest';
import type { Item } from '../../model/item.ts';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { buildPlan } from '../../transformers/plan.ts';
import { checkKeyMappings, keyCollisionsAllowed } from '../../transformers/key-safety.ts';
import { singleTableItems } from '../local-stack/single-table-data.ts';
import { parseJob } from '../job/job-loader.ts';
import { LOOK_ALIKES, MEMOS, NUMBER_LOOK_ALIKES, PLANTED, SUGGESTED_TRANSFORMERS, fixture } from '../../test/fixtures/planted-pii.ts';
import { detectPaths } from './detect.ts';
import { discoverPaths } from './discover.ts';
import { writeJob, type JobDraft } from './job-writer.ts';
import type { TableKeyRoles } from './key-roles.ts';
import { tableMappings, type MappingInput } from './table-mappings.ts';

const S = (value: string) => ({ S: value });
const N = (value: string) => ({ N: value });

const KEYS: TableKeyRoles = {
  schema: { partitionKey: 'pk', sortKey: 'sk' },
  keys: [
    { name: 'pk', type: 'S', primary: true, roles: ["the table's partition key"] },
    { name: 'sk', type: 'S', primary: true, roles: ["the table's sort key"] },
    { name: 'gsi1pk', type: 'S', primary: false, roles: ['the partition key of index byTier'] },
  ],
};

function customers(): Item[] {
  return fixture().map((item, i) => ({ pk: S(`CUSTOMER#c${i}`), sk: S('PROFILE'), gsi1pk: S(`TIER#${item.tier!.S}`), ...item }));
}

function input(items: Item[], keys: TableKeyRoles = KEYS): MappingInput {
  const discovery = discoverPaths(items, { keys: keys.schema, keyAttributes: keys.keys.map((key) => key.name) });
  return { keys, discovery, verdicts: detectPaths(discovery.paths) };
}

function draft(found: MappingInput, overrides: Partial<JobDraft> = {}): JobDraft {
  return {
    name: 'customers-staging',
    source: { name: 'local', connection: { region: 'us-east-1', endpoint: 'http://localhost:8000' } },
    destination: { name: 'local', connection: { region: 'us-east-1', endpoint: 'http://localhost:8000' } },
    salt: { value: '${DYNAMASK_SALT}', comment: ' the salt' },
    createTable: true,
    tables: [
      {
        source: 'Customers',
        destination: 'CustomersStaging',
        read: { items: found.discovery.items, readUnits: 3, pages: 1, segments: 4, complete: true, seconds: 0.1 },
        itemCount: found.discovery.items,
        discovery: found.discovery,
        mappings: tableMappings(found, builtinRegistry),
      },
    ],
    ...overrides,
  };
}

describe('the job init writes', () => {
  const found = input(customers());
  const text = writeJob(draft(found));
  const job = parseJob(text, 'customers.yaml', builtinRegistry, { DYNAMASK_SALT: 'test' });
  const mappings = job.tables[0]!.transformers;

  it('loads, maps each planted path to its transformer, and every other path to passthrough', () => {
    const flagged = Object.fromEntries(Object.entries(mappings).filter(([, ref]) => ref.type !== 'passthrough').map(([path, ref]) => [path, ref.type]));
    expect(flagged).toEqual({ ...SUGGESTED_TRANSFORMERS, pk: 'template' });
    const lookAlikes = [...Object.keys(LOOK_ALIKES).filter((name) => name !== 'exp'), 'wallet[*].exp', ...Object.keys(NUMBER_LOOK_ALIKES), 'gift', 'note'];
    for (const path of lookAlikes) expect(mappings[path], path).toEqual({ type: 'passthrough', options: {} });
    // Every path that holds values, and no container: the contents of wallet and loc are mapped instead.
    expect(Object.keys(mappings).sort()).toEqual([...Object.keys(SUGGESTED_TRANSFORMERS), ...lookAlikes, 'pk', 'sk', 'gsi1pk'].sort());
  });

  it('writes a key holding identifiers as a template, and keys of labels and words as passthrough, each with a comment pointing at the README', () => {
    expect(text).toContain('    parts:\n      customerId: permuteId # identifiers after CUSTOMER (hex); in pk\n');
    expect(text).toMatch(/^ {6}pk: "CUSTOMER#\{customerId\}" # key: the table's partition key; CUSTOMER#… 100% of 12 sampled values, rewritten part by part \(see README "Single-table designs"\) \| S, in 100% of items$/m);
    expect(text).toMatch(/^ {6}sk: passthrough # key: the table's sort key \(values PROFILE\), passed through \(see README "Single-table designs"\): its values hold only labels \(PROFILE 100%\), so templates would change nothing/m);
    expect(text).toMatch(/^ {6}gsi1pk: passthrough # key: the partition key of index byTier, passed through/m);
  });

  it('gives the evidence of each flagged path and the types and presence of the others', () => {
    expect(text).toMatch(/^ {6}contact: email # email: 100% of 12 sampled values, and the name \(weakly\); confidence 0\.99 \| S, in 100% of items$/m);
    expect(text).toMatch(/^ {6}memo: lorem # freeText: 25% of 12 sampled values \(holding (email in 17%, phone in 8%|phone in 8%, email in 17%)\), and the name \(weakly\); confidence 0\.70/m);
    expect(text).toMatch(/^ {6}orderNo: passthrough # S, in 100% of items; weakly like epochTime: 100% of 12 sampled values; confidence 0\.45 \(flagged from 0\.50\)$/m);
    expect(text).toMatch(/^ {6}gift: passthrough # BOOL, in 100% of items$/m);
  });

  it('says which item type the paths belong to, with its share of the sample', () => {
    expect(text).toContain('      # item type PROFILE (pk CUSTOMER#…, sk PROFILE): 100% of the sample (12 items)\n');
  });

  it('holds no sampled value', () => {
    const values = [...Object.values(PLANTED), MEMOS, ...Object.values(LOOK_ALIKES), ...Object.values(NUMBER_LOOK_ALIKES)].flat();
    for (const value of values.filter((v) => v.length >= 4 && v !== 'true' && v !== 'false')) expect(text, value).not.toContain(value);
  });

  it('writes the salt as given and a separate destination connection when there is one', () => {
    const other = writeJob(
      draft(found, {
        salt: { value: { env: 'DYNAMASK_SALT' }, comment: ' read by the worker' },
        destination: { name: 'staging', connection: { region: 'eu-west-1' } },
      }),
    );
    expect(other).toContain('salt: { env: DYNAMASK_SALT }\n');
    expect(other).toMatch(/^connections:\n {2}local:\n(?: {4}.*\n)+ {2}staging:\n {4}region: eu-west-1\nsource: local\ndestination: staging\n/m);
  });
});

describe('a single-table design', () => {
  const user = (id: string): Item => ({ PK: S(`USER#${id}`), SK: S(`USER#${id}`), email: S(`${id}@example.com`), since: S('2024-01-02') });
  const order = (id: string, no: string): Item => ({ PK: S(`USER#${id}`), SK: S(`ORDER#${no}`), total: N('19.90'), since: S('2024-01-03'), lines: { L: [{ M: { sku: S('SKU-1') } }] } });
  const keys: TableKeyRoles = { schema: { partitionKey: 'PK', sortKey: 'SK' }, keys: [{ name: 'PK', type: 'S', primary: true, roles: ["the table's partition key"] }, { name: 'SK', type: 'S', primary: true, roles: ["the table's sort key"] }] };
  const found = input([user('ada'), user('grace'), user('alan'), order('ada', '1'), order('ada', '2'), { PK: S('USER#ada'), SK: S('PROFILE'), tags: { L: [] } }], keys);
  const text = writeJob(draft(found));

  it('groups paths by the item types that hold them: each type alone, then those of several', () => {
    const lines = text.split('\n');
    const at = (needle: string) => lines.findIndex((line) => line.includes(needle));
    expect(at('# item type ORDER (PK USER#…, SK ORDER#…): 33% of the sample (2 items)')).toBeGreaterThan(at('      SK: '));
    expect(at('lines[*].sku: passthrough')).toBe(at('      # item type ORDER') + 1);
    expect(at('total: passthrough')).toBe(at('      # item type ORDER') + 2);
    expect(at('email: email')).toBe(at('      # item type USER (PK USER#…, SK USER#…): 50% of the sample (3 items)') + 1);
    expect(at('since: dateShift')).toBe(at('# in item types ORDER, USER') + 1);
    expect(at('# in item types ORDER, USER')).toBeGreaterThan(at('email: email'));
  });

  it('lists the item types in the table header, and containers only ever empty', () => {
    expect(text).toContain('  #   item type PROFILE (PK USER#…, SK PROFILE): 17% of the sample (1 item)\n');
    expect(text).toContain('  # Only ever empty in the sample, so nothing to map yet: tags.\n');
    expect(text).toMatch(/^ {6}PK: passthrough # key: the table's partition key \(values USER#…\), passed through \(see README "Single-table designs"\): its values hold only labels and parts kept as they are \(USER#… 100%\)/m);
    expect(text).toMatch(/^ {6}SK: \[ "ORDER#\{orderId\}", "PROFILE", "USER#\{userValue\}" \] # key: the table's sort key; ORDER#… 33%, PROFILE 17%, USER#… 50% of 6 sampled values/m);
  });

  it('loads', () => {
    expect(() => parseJob(text, 'x.yaml', builtinRegistry, { DYNAMASK_SALT: 'test' })).not.toThrow();
  });
});

describe('type mismatches', () => {
  it('null the values a flagged path holds in types its transformer does not take, and say so', () => {
    const items: Item[] = Array.from({ length: 10 }, (_, i) => ({ id: S(`id${i}`), contact: i === 9 ? { NULL: true } : S(`user${i}@example.com`) }));
    const keys: TableKeyRoles = { schema: { partitionKey: 'id' }, keys: [{ name: 'id', type: 'S', primary: true, roles: ["the table's partition key"] }] };
    const text = writeJob(draft(input(items, keys)));
    expect(text).toContain(['    # Some flagged paths also hold types their transformer does not take:', '    #   contact: NULL (not taken by email)', '    # Those values become NULL rather than fail the run or be copied.', '    onTypeMismatch: "null"'].join('\n'));
    expect(parseJob(text, 'x.yaml', builtinRegistry, { DYNAMASK_SALT: 'test' }).tables[0]!.onTypeMismatch).toBe('null');
  });
});

describe('keys of a single-table design, written as templates', () => {
  const keys: TableKeyRoles = {
    schema: { partitionKey: 'pk', sortKey: 'sk' },
    keys: [
      { name: 'pk', type: 'S', primary: true, roles: ["the table's partition key"] },
      { name: 'sk', type: 'S', primary: true, roles: ["the table's sort key"] },
      { name: 'GSI1PK', type: 'S', primary: false, roles: ['the partition key of index GSI1'] },
      { name: 'GSI1SK', type: 'S', primary: false, roles: ['the sort key of index GSI1'] },
    ],
  };
  const items = singleTableItems({ accounts: 80 });
  const discovery = discoverPaths(items, { keys: keys.schema, keyAttributes: keys.keys.map((key) => key.name) });
  const text = writeJob(draft({ keys, discovery, verdicts: detectPaths(discovery.paths) }));
  const job = parseJob(text, 'single.yaml', builtinRegistry, { DYNAMASK_SALT: 'test' });
  const table = job.tables[0]!;

  it('writes parts and templates as README "Single-table designs" does', () => {
    expect(text).toContain('    parts:\n      accountId: permuteId # identifiers after ACCOUNT (uuid); in pk, GSI1PK, GSI1SK, accountId, accountRef\n');
    expect(text).toMatch(/^ {6}ticketId: permuteId # identifiers after TICKET \(digits\); in pk, ticketId$/m);
    expect(text).toMatch(/^ {6}pk: \[ "ACCOUNT#\{accountId\}", "TICKET#\{ticketId\}" \] # key: the table's partition key; ACCOUNT#… \d+%, TICKET#… \d+% of [\d,]+ sampled values, rewritten part by part/m);
    expect(text).toMatch(/^ {6}sk: \[ "ORDER#\{orderDate\}#\{orderId\}", "PROFILE", "TICKET" \] # /m);
    expect(text).toMatch(/^ {6}GSI1PK: \{ template: \[ "ACCOUNT#\{accountId\}", "EMAIL#\{email\}" \], allowKeyCollisions: true \} # .*\{email\} goes through email, which can give two values one output/m);
    expect(text).toMatch(/^ {6}accountRef: "ACCOUNT#\{accountId\}" # a reference: /m);
    expect(text).toMatch(/^ {6}accountId: "\{accountId\}" # the identifier \{accountId\} alone: /m);
    expect(table.transformers.pk).toMatchObject({ type: 'template' });
  });

  it('passes the key check prepareTable makes, and never merges two items', () => {
    const check = checkKeyMappings({ transformers: table.transformers, defaults: job.defaults, keys: keys.keys, allowKeyCollisions: false }, builtinRegistry);
    expect(check).toEqual({ problems: [], countMerges: false });
    expect(keyCollisionsAllowed(table, ['pk', 'sk'])).toBe(false);
  });

  it('runs: every key rewritten, collections, the index and references still joining', () => {
    const plan = buildPlan({ transformers: table.transformers, defaults: job.defaults, keyAttributes: ['pk', 'sk'], salt: 'test', onTypeMismatch: table.onTypeMismatch }, builtinRegistry);
    const out = items.map((item) => plan.transformItem(item));
    const key = (item: Item) => `${item.pk!.S}\u0000${item.sk!.S}`;
    expect(new Set(out.map(key)).size).toBe(items.length);
    const sourcePks = new Set(items.map((item) => item.pk!.S));
    expect(out.filter((item) => sourcePks.has(item.pk!.S))).toEqual([]);
    // Items of one collection stay one collection, and no two collections become one.
    const collections = new Map<string, Set<string>>();
    items.forEach((item, i) => collections.set(item.pk!.S!, (collections.get(item.pk!.S!) ?? new Set()).add(out[i]!.pk!.S!)));
    expect([...collections.values()].every((set) => set.size === 1)).toBe(true);
    expect(new Set([...collections.values()].map((set) => [...set][0])).size).toBe(collections.size);
    const accounts = new Set(out.filter((item) => item.sk!.S === 'PROFILE').map((item) => item.pk!.S));
    for (const item of out) {
      if (item.accountRef !== undefined) expect(accounts.has(item.accountRef.S)).toBe(true);
      if (item.sk!.S === 'PROFILE') {
        expect(item.pk!.S).toBe(`ACCOUNT#${item.accountId!.S}`);
        expect(item.GSI1PK!.S).toBe(`EMAIL#${item.email!.S}`);
      }
      if (item.sk!.S!.startsWith('ORDER#')) expect(item.sk!.S!.endsWith(`#${item.orderId!.S}`)).toBe(true);
      if (item.sk!.S === 'TICKET') expect(item.GSI1SK!.S).toBe(`TICKET#${item.createdAt!.S}`);
    }
  });
});

describe('keys init cannot rewrite safely', () => {
  const keys: TableKeyRoles = { schema: { partitionKey: 'pk' }, keys: [{ name: 'pk', type: 'S', primary: true, roles: ["the table's partition key"] }] };
  const write = (items: Item[]) => writeJob(draft(input(items, keys)));

  it('pass a table key through when a part of it would go through a fake', () => {
    const items = Array.from({ length: 10 }, (_, i): Item => ({ pk: S(`EMAIL#user${i}@example.com`), email: S(`user${i}@example.com`) }));
    const text = write(items);
    expect(text).toMatch(/^ {6}pk: passthrough # key: the table's partition key \(values EMAIL#…\), passed through \(see README "Single-table designs"\): its part \{email\} \(the attribute email of the same item\) would go through email, which can give two values one output, and init never lets table keys merge items/m);
    expect(text).not.toContain('parts:');
  });

  it('pass a key through when its values carry no label', () => {
    const text = write(Array.from({ length: 10 }, (_, i): Item => ({ pk: S(`user-${i}`) })));
    expect(text).toMatch(/^ {6}pk: passthrough # key: .*: 100% of sampled values carry no label prefix/m);
  });

  it('give an integer N key permuteId', () => {
    const numeric: TableKeyRoles = { schema: { partitionKey: 'id' }, keys: [{ name: 'id', type: 'N', primary: true, roles: ["the table's partition key"] }] };
    const text = writeJob(draft(input(Array.from({ length: 10 }, (_, i): Item => ({ id: N(String(1000 + i)) })), numeric)));
    expect(text).toMatch(/^ {6}id: permuteId # key: the table's partition key; integers in all 10 sampled values: permuteId keeps each one's sign and number of digits, and never merges two/m);
  });
});
