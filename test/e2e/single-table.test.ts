/**
 * Single-table designs on the real local stack, through the CLI as a user
 * runs it (`dynamask run`, `validate --sample`, `status`), with one worker
 * in this process for the whole file.
 *
 * 1. jobs/single-table.yaml, as shipped, over the seeded single-table
 *    dataset: every item once, no source identifier left in any attribute
 *    (keys included), every item collection intact, every GSI key consistent
 *    with its item (and GSI1 finding it), every reference resolving. The
 *    check inverts the permutation with the salt (a path of fpe separate
 *    from the one that permuted), so it does not trust the copy's own plan.
 *    Its rule sets give each item type its own mappings: per item type,
 *    exactly what its rule set and the table map changed, and nothing
 *    else; `validate --sample` counts the items each rule set takes and
 *    says which took none; `preview` names each item's rule set.
 * 2. A key mapped by a transformer that can merge keys (500 ids through
 *    zipCode "####"), by the table or by a rule set, is refused before
 *    anything is written, as a job-file problem at its line, exit 2; allowed, the run reports exactly how many
 *    items merged. A key that matches none of its templates fails the run
 *    by path and templates, never by value.
 * 3. A table key passed through by the table and permuted by a rule set:
 *    each one to one, together not (a permuted id can land on an untouched
 *    one). Refused before anything is written, at the rule set's line, exit
 *    2; allowed, the run reports exactly the merges the test computes with
 *    the transformer itself.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeleteTableCommand, QueryCommand, ResourceNotFoundException, waitUntilTableNotExists } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Item } from '../../model/item.ts';
import { recreateTable, seedTable } from '../../src/local-stack/seed.ts';
import { seedSingleTable, SINGLE_TABLE_NAME } from '../../src/local-stack/single-table-data.ts';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { createPermutation } from '../../transformers/fpe/index.ts';
import { transformerScope } from '../../transformers/seed-scope.ts';
import { dynamaskInProcess } from '../support/in-process-cli.ts';
import { connectTestStack, scanAll, type TestStack } from '../support/stack.ts';

const JOB = fileURLToPath(new URL('../../jobs/single-table.yaml', import.meta.url));
const SALT = 'single-table-e2e-salt';
const DESTINATION = 'SingleTableAnonymized';
const COLLIDE_SOURCE = 'KeyCollisionSource';
const COLLIDE_COPY = 'KeyCollisionCopy';
const USERS = 500;


const dynamask = dynamaskInProcess;

/** What a run prints besides its outcome: where it started and its progress lines. */
const PROGRESS = [/^started dynamask\//, /^registered search attributes /, /^\S+ -> \S+ {2}(pending|running|failed|completed) /];
const messageLines = (output: string) =>
  output
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line !== '' && !PROGRESS.some((pattern) => pattern.test(line)));

/** The JSON report `run --json` prints on stdout (the last thing it prints). */
function report(output: string): { workflowId: string; tables: Record<string, unknown>[] } {
  return JSON.parse(output.slice(output.indexOf('{\n'))) as { workflowId: string; tables: Record<string, unknown>[] };
}

/** So that the run creates it (createTable: true), as a first run would. */
async function dropTable(stack: TestStack, table: string): Promise<void> {
  try {
    await stack.dynamo.send(new DeleteTableCommand({ TableName: table }));
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return;
    throw error;
  }
  await waitUntilTableNotExists({ client: stack.dynamo, maxWaitTime: 30 }, { TableName: table });
}

describe('single-table designs', () => {
  let stack: TestStack;
  let dir: string;
  const saved: Record<string, string | undefined> = {};
  const setEnv = (values: Record<string, string>) => {
    for (const [key, value] of Object.entries(values)) {
      if (!(key in saved)) saved[key] = process.env[key];
      process.env[key] = value;
    }
  };

  beforeAll(async () => {
    stack = await connectTestStack('e2e-single-table');
    dir = await mkdtemp(join(tmpdir(), 'dynamask-single-table-'));
    setEnv({
      DYNAMASK_LOCAL_ENDPOINT: stack.dynamoEndpoint,
      DYNAMASK_SALT: SALT,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: inject('temporalNamespace'),
      DYNAMASK_TASK_QUEUE: stack.taskQueue,
    });
  });

  afterAll(async () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await stack?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  describe('jobs/single-table.yaml over the single-table dataset', () => {
    let source: Item[];
    let copy: Item[];

    beforeAll(async () => {
      source = await seedSingleTable(stack.dynamo, SINGLE_TABLE_NAME);
      await dropTable(stack, DESTINATION);
      const { code, output } = await dynamask(['run', '--json', JOB]);
      expect(code, output).toBe(0);
      expect(report(output).tables[0]).toMatchObject({ read: source.length, written: source.length });
      expect(report(output).tables[0]).not.toHaveProperty('merged');
      copy = await scanAll(stack.dynamo, DESTINATION);
    });

    // The permutation the job's parts use (permuteId with no domain), inverted with the salt.
    const permutation = createPermutation(SALT, transformerScope('permuteId', {}));
    const unpermute = (id: string) => permutation.invert(id);
    /** The source key a destination key came from: identifiers inverted, fixed text kept. */
    const sourceKey = (item: Item): string => {
      const pk = item['pk']!.S!.replace(/^(ACCOUNT|TICKET)#(.+)$/, (_, kind: string, id: string) => `${kind}#${unpermute(id)}`);
      const sk = item['sk']!.S!.replace(/^ORDER#([^#]+)#(.+)$/, (_, date: string, id: string) => `ORDER#${date}#${unpermute(id)}`);
      return `${pk}|${sk}`;
    };
    const key = (item: Item) => `${item['pk']!.S}|${item['sk']!.S}`;

    it('holds every source item once, under a key that comes back to its source key', () => {
      expect(copy).toHaveLength(source.length);
      const sourceKeys = new Set(source.map(key));
      const back = copy.map(sourceKey);
      expect(new Set(back).size).toBe(copy.length);
      expect(back.filter((k) => !sourceKeys.has(k))).toEqual([]);
      // Every identifier changed; the prefixes and the order dates did not.
      expect(copy.filter((item) => sourceKeys.has(key(item)) && item['sk']!.S !== 'PROFILE' && item['sk']!.S !== 'TICKET')).toEqual([]);
      expect(new Set(copy.map((item) => item['pk']!.S!.split('#')[0]))).toEqual(new Set(['ACCOUNT', 'TICKET']));
    });

    it('leaves no source identifier anywhere, keys included', () => {
      const identifiers = new Set<string>();
      for (const item of source) {
        for (const name of ['accountId', 'orderId', 'ticketId', 'email', 'customerNumber', 'name', 'phone']) {
          const value = item[name]?.S;
          if (value !== undefined) identifiers.add(value);
        }
      }
      expect(identifiers.size).toBeGreaterThan(2500);
      // Every string of every destination item, and each of its tokens (ids sit between separators).
      const strings: string[] = [];
      const collect = (value: unknown): void => {
        if (typeof value === 'string') strings.push(value, ...value.split(/[#|\s]+/));
        else if (value !== null && typeof value === 'object') for (const child of Object.values(value)) collect(child);
      };
      copy.forEach(collect);
      const found = strings.filter((text) => identifiers.has(text));
      expect(found).toEqual([]);
      // UUIDs and emails are long enough to look for inside any text.
      const long = [...identifiers].filter((id) => id.length >= 20);
      const text = JSON.stringify(copy);
      expect(long.filter((id) => text.includes(id))).toEqual([]);
    });

    it('keeps every item collection together: a source partition is exactly one destination partition', () => {
      const partitions = (items: Item[], pkOf: (item: Item) => string) => {
        const out = new Map<string, Set<string>>();
        for (const item of items) {
          const pk = pkOf(item);
          if (!out.has(pk)) out.set(pk, new Set());
          out.get(pk)!.add(item['type']!.S! + (item['orderId']?.S !== undefined ? '' : `:${item['sk']!.S}`));
        }
        return out;
      };
      const sourcePartitions = new Map<string, number>();
      for (const item of source) sourcePartitions.set(item['pk']!.S!, (sourcePartitions.get(item['pk']!.S!) ?? 0) + 1);
      const destination = new Map<string, Item[]>();
      for (const item of copy) destination.set(item['pk']!.S!, [...(destination.get(item['pk']!.S!) ?? []), item]);
      expect(destination.size).toBe(sourcePartitions.size);
      for (const items of destination.values()) {
        const origins = new Set(items.map((item) => sourceKey(item).split('|')[0]!));
        expect(origins.size).toBe(1);
        expect(items.length).toBe(sourcePartitions.get([...origins][0]!));
      }
      expect(partitions(copy, (item) => item['pk']!.S!).size).toBe(sourcePartitions.size);
    });

    it('keeps every GSI key consistent with its item, and GSI1 finds each account by its new email', async () => {
      const accounts = copy.filter((item) => item['type']!.S === 'account');
      const tickets = copy.filter((item) => item['type']!.S === 'ticket');
      expect(accounts.length).toBeGreaterThan(300);
      for (const account of accounts) {
        expect(account['GSI1PK']).toEqual({ S: `EMAIL#${account['email']!.S}` });
        expect(account['GSI1SK']).toEqual(account['pk']);
        expect(account['pk']).toEqual({ S: `ACCOUNT#${account['accountId']!.S}` });
      }
      for (const ticket of tickets) {
        expect(ticket['GSI1PK']).toEqual(ticket['accountRef']);
        expect(ticket['GSI1SK']).toEqual({ S: `TICKET#${ticket['createdAt']!.S}` });
        expect(ticket['pk']).toEqual({ S: `TICKET#${ticket['ticketId']!.S}` });
      }
      for (const order of copy.filter((item) => item['type']!.S === 'order')) expect(order['sk']!.S!.endsWith(`#${order['orderId']!.S}`)).toBe(true);
      for (const account of accounts.slice(0, 20)) {
        const found = await stack.dynamo.send(
          new QueryCommand({ TableName: DESTINATION, IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :k', ExpressionAttributeValues: { ':k': account['GSI1PK']! } }),
        );
        expect(found.Items?.map((item) => item['pk'])).toContainEqual(account['pk']);
      }
    });

    it('keeps every reference resolving: each ticket names an account of the copy, the one its source named', () => {
      const accounts = new Set(copy.filter((item) => item['sk']!.S === 'PROFILE').map((item) => item['pk']!.S));
      const sourceRefs = new Map(source.filter((item) => item['type']!.S === 'ticket').map((item) => [`${item['pk']!.S}`, item['accountRef']!.S!]));
      const tickets = copy.filter((item) => item['type']!.S === 'ticket');
      expect(tickets.length).toBe(sourceRefs.size);
      for (const ticket of tickets) {
        expect(accounts.has(ticket['accountRef']!.S)).toBe(true);
        const back = `ACCOUNT#${unpermute(ticket['accountRef']!.S!.slice('ACCOUNT#'.length))}`;
        expect(back).toBe(sourceRefs.get(sourceKey(ticket).split('|')[0]!));
      }
    });

    describe('its rule sets', () => {
      /** What the table maps for every item type (keys, GSI keys, identifiers, references), checked above. */
      const TABLE_MAPPED = new Set(['pk', 'sk', 'GSI1PK', 'GSI1SK', 'accountId', 'orderId', 'ticketId', 'accountRef']);
      /** What each item type's rule set maps. `createdAt` is in accounts' and not in tickets'. */
      const RULE_MAPPED: Record<string, readonly string[]> = {
        account: ['email', 'name', 'phone', 'customerNumber', 'createdAt'],
        order: ['total'],
        ticket: ['subject', 'body'],
      };
      const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      /** What a command printed, without the space the capture leaves after each console line. */
      const printed = async (args: string[]) => {
        const { code, output } = await dynamask(args);
        return { code, output: output.split('\n').map((line) => line.trimEnd()).join('\n') };
      };
      it("changes exactly what its rule set and the table map in each item type's items, and nothing else", () => {
        const bySourceKey = new Map(source.map((item) => [`${item['pk']!.S}|${item['sk']!.S}`, item]));
        const unchanged: string[] = [];
        const changed: string[] = [];
        const types = new Map<string, number>();
        for (const item of copy) {
          const from = bySourceKey.get(sourceKey(item))!;
          const type = from['type']!.S!;
          types.set(type, (types.get(type) ?? 0) + 1);
          expect(Object.keys(item).sort()).toEqual(Object.keys(from).sort());
          for (const name of Object.keys(from)) {
            if (TABLE_MAPPED.has(name)) continue;
            const same = JSON.stringify(item[name]) === JSON.stringify(from[name]);
            if (RULE_MAPPED[type]!.includes(name)) {
              if (same) unchanged.push(`${type}.${name}`);
            } else if (!same) changed.push(`${type}.${name}`);
          }
        }
        expect([...types.keys()].sort()).toEqual(['account', 'order', 'ticket']);
        expect(unchanged).toEqual([]);
        expect(changed).toEqual([]);
      });

      it("gives each mapped value its rule set's transformer: totals within ±20%, sign-up dates within 30 days, tickets' text word for word", () => {
        const bySourceKey = new Map(source.map((item) => [`${item['pk']!.S}|${item['sk']!.S}`, item]));
        for (const item of copy) {
          const from = bySourceKey.get(sourceKey(item))!;
          const type = from['type']!.S;
          if (type === 'order') {
            const [before, after] = [Number(from['total']!.N), Number(item['total']!.N)];
            expect(Math.abs(after - before)).toBeLessThanOrEqual(before * 0.2 + 0.01);
          } else if (type === 'account') {
            const days = Math.abs(Date.parse(item['createdAt']!.S!) - Date.parse(from['createdAt']!.S!)) / 86_400_000;
            expect(days).toBeGreaterThan(0);
            expect(days).toBeLessThanOrEqual(30);
          } else {
            for (const name of ['subject', 'body']) expect(item[name]!.S!.split(/\s+/).length).toBe(from[name]!.S!.split(/\s+/).length);
          }
        }
      });

      it('validate --sample counts the items each rule set takes, all of them on the whole table', async () => {
        const count = (type: string) => source.filter((item) => item['type']!.S === type).length;
        const { code, output } = await printed(['validate', '--sample', String(source.length), JOB]);
        expect(code, output).toBe(0);
        const rows = [
          ['account', count('account'), "when begins_with(pk, 'ACCOUNT#') AND sk = 'PROFILE'"],
          ['order', count('order'), "when begins_with(sk, 'ORDER#')"],
          ['ticket', count('ticket'), "when type = 'ticket'"],
          ['(no rule set)', 0, "the table's mappings alone"],
        ] as const;
        expect(output).toContain(`${SINGLE_TABLE_NAME}: ${source.length} sampled item(s)`);
        expect(output).toContain('rule sets (each item takes the first whose condition holds), items of the sample:');
        for (const [name, n, what] of rows) expect(output, output).toMatch(new RegExp(`^ {6}${escape(name)} +${n}  ${escape(what)}$`, 'm'));
        expect(output).not.toContain('took none');
      });

      it('validate --sample says plainly that a rule set whose condition has a typo took no item', async () => {
        const file = join(dir, 'rule-typo.yaml');
        await writeFile(file, (await readFile(JOB, 'utf8')).replace(`when: "type = 'ticket'"`, `when: "type = 'tikcet'"`));
        const { code, output } = await printed(['validate', '--sample', String(source.length), file]);
        expect(code, output).toBe(0);
        const tickets = source.filter((item) => item['type']!.S === 'ticket').length;
        expect(output).toMatch(new RegExp(`^ {6}ticket +0  when type = 'tikcet'$`, 'm'));
        expect(output).toMatch(new RegExp(`^ {6}\\(no rule set\\) +${tickets}  the table's mappings alone$`, 'm'));
        expect(output).toContain(
          `    rule set "ticket" took none of the ${source.length} sampled item(s): its condition holds on none of them, which is often a typo in it (an attribute name, a prefix, quotes); check it, or sample more items`,
        );
      });

      it("preview names each item's rule set, and counts them", async () => {
        const { code, output } = await printed(['preview', '--limit', '12', JOB]);
        expect(code, output).toBe(0);
        const items = output.split('\n').filter((line) => /^item \d+ \(/.test(line));
        expect(items).toHaveLength(12);
        for (const line of items) expect(line).toMatch(/\), rule set "(account|order|ticket)"$/);
        expect(output).toMatch(/^rule sets \(each item takes the first whose condition holds\), items of the sample:$/m);
        expect(output).toMatch(/^ {2}\(no rule set\) +0  the table's mappings alone$/m);
      });
    });
  });

  describe('key mappings over 500 user ids', () => {
    const users = Array.from({ length: USERS }, (_, i): Item => ({ pk: { S: `user-${i}` }, n: { N: String(i) } }));
    const schema = { KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' as const }] };
    const job = (name: string, more = '') =>
      [
        `name: ${name}`,
        'connections:',
        '  local: { endpoint: "${DYNAMASK_LOCAL_ENDPOINT}" }',
        'source: local',
        'destination: local',
        'salt: { env: DYNAMASK_SALT }',
        'tables:',
        `  - source: ${COLLIDE_SOURCE}`,
        `    destination: ${COLLIDE_COPY}`,
        more,
        '    transformers:',
        '      pk: { type: zipCode, format: "####" }',
        '',
      ].join('\n');
    const refusal = (file: string) =>
      `${file}:12 tables[0].transformers.pk: pk is the table's hash key; its mapping (transformer "zipCode") does not keep distinct values distinct (lossy), so two source items could become one. ` +
      'Map it with permuteId, hash, passthrough or a template of such parts; or allow it with allowKeyCollisions: true on the table, and the run counts the items that merge';

    beforeAll(async () => {
      await seedTable(stack.dynamo, COLLIDE_SOURCE, users, schema);
    });

    it('is refused before anything is written, as a job-file problem at its line: run and validate --sample alike, exit 2', async () => {
      const file = join(dir, 'collide.yaml');
      await writeFile(file, job('key-collision-refused'));
      await recreateTable(stack.dynamo, COLLIDE_COPY, schema);
      for (const args of [['run', file], ['validate', '--sample', '5', file]]) {
        const { code, output } = await dynamask(args);
        const lines = messageLines(output);
        expect(lines.at(-1), output).toBe(refusal(file));
        expect(lines.slice(0, -1).filter((line) => !line.startsWith(`${file}: ok`)), output).toEqual([]);
        expect(code, output).toBe(2);
        expect(output).not.toMatch(/^\s+at /m);
      }
      expect(await scanAll(stack.dynamo, COLLIDE_COPY)).toHaveLength(0);
    });

    it("in a rule set is refused the same way, at the rule set's line: run and validate --sample alike, exit 2, nothing written", async () => {
      const file = join(dir, 'collide-rule.yaml');
      const rules = ['    rules:', '      - name: users', `        when: "begins_with(pk, 'user-')"`, '        transformers:', '          pk: { type: zipCode, format: "####" }', ''].join('\n');
      await writeFile(file, job('key-collision-rule-refused').replace('    transformers:\n      pk: { type: zipCode, format: "####" }\n', rules));
      await recreateTable(stack.dynamo, COLLIDE_COPY, schema);
      for (const args of [['run', file], ['validate', '--sample', '5', file]]) {
        const { code, output } = await dynamask(args);
        expect(messageLines(output).at(-1), output).toBe(refusal(file).replace(`${file}:12 tables[0].transformers.pk:`, `${file}:15 tables[0].rules[0].transformers.pk:`));
        expect(code, output).toBe(2);
      }
      expect(await scanAll(stack.dynamo, COLLIDE_COPY)).toHaveLength(0);
    });

    it('with a template that the keys do not match, fails the run naming the table, the path and the templates, never a value', async () => {
      const file = join(dir, 'no-match.yaml');
      await writeFile(
        file,
        job('template-no-match')
          .replace('      pk: { type: zipCode, format: "####" }', '      pk: ["USER#{id}", "ORG#{id}"]')
          .replace('tables:', 'parts: { id: permuteId }\ntables:'),
      );
      await recreateTable(stack.dynamo, COLLIDE_COPY, schema);
      const { code, output } = await dynamask(['run', file]);
      expect(messageLines(output).at(-1), output).toBe(
        `dynamask: run failed: table "${COLLIDE_SOURCE}" -> "${COLLIDE_COPY}" failed while copying, after 0 items read and 0 written: pk: the value matches none of the templates "USER#{id}", "ORG#{id}"; \`otherwise: passthrough\` would copy such values as they are`,
      );
      expect(output).not.toMatch(/user-\d/);
      expect(code, output).toBe(1);
      expect(await scanAll(stack.dynamo, COLLIDE_COPY)).toHaveLength(0);
    });

    it('is copied when the table allows it, and the run reports exactly how many items merged, in --json and status', async () => {
      const file = join(dir, 'collide-allowed.yaml');
      await writeFile(file, job('key-collision-allowed', '    allowKeyCollisions: true'));
      await recreateTable(stack.dynamo, COLLIDE_COPY, schema);
      const { code, output } = await dynamask(['run', '--json', file]);
      expect(code, output).toBe(0);
      const held = (await scanAll(stack.dynamo, COLLIDE_COPY)).length;
      // 500 ids into 10,000 four-digit codes: some meet (about 12 with any salt), and never all.
      expect(held).toBeLessThan(USERS);
      expect(held).toBeGreaterThan(USERS - 50);
      const { workflowId, tables } = report(output);
      expect(tables[0]).toMatchObject({ read: USERS, merged: USERS - held });
      const status = await dynamask(['status', '--json', workflowId]);
      expect(status.code, status.output).toBe(0);
      expect(JSON.parse(status.output.slice(status.output.indexOf('{')))).toMatchObject({ tables: [{ read: USERS, merged: USERS - held }] });
    });
  });

  describe('a table key mapped differently by a rule set and the table', () => {
    const SOURCE = 'KeyDifferSource';
    const COPY = 'KeyDifferCopy';
    const ITEMS = 500;
    // Three-digit ids: the rule set's permutation maps the low half onto 000-999, where the untouched high half lies too.
    const items = Array.from({ length: ITEMS }, (_, i): Item => ({ pk: { S: String(i).padStart(3, '0') }, n: { N: String(i) } }));
    const schema = { KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' as const }] };
    const job = (name: string, more = '') =>
      [
        `name: ${name}`,
        'connections:',
        '  local: { endpoint: "${DYNAMASK_LOCAL_ENDPOINT}" }',
        'source: local',
        'destination: local',
        'salt: { env: DYNAMASK_SALT }',
        'tables:',
        `  - source: ${SOURCE}`,
        `    destination: ${COPY}`,
        ...(more ? [more] : []),
        '    rules:',
        '      - name: low',
        '        when: "n < 250"',
        '        transformers:',
        '          pk: permuteId',
        '',
      ].join('\n');

    beforeAll(async () => {
      await seedTable(stack.dynamo, SOURCE, items, schema);
    });

    it("is refused before anything is written, at the rule set's mapping, naming the rule set, the key and the fix: run, validate --sample and preview alike, exit 2", async () => {
      const file = join(dir, 'differ.yaml');
      await writeFile(file, job('key-differ-refused'));
      await recreateTable(stack.dynamo, COPY, schema);
      for (const args of [['run', file], ['validate', '--sample', '5', file], ['preview', '--limit', '3', file]]) {
        const { code, output } = await dynamask(args);
        expect(messageLines(output).at(-1), output).toBe(
          `${file}:14 tables[0].rules[0].transformers.pk: pk is the table's hash key, mapped differently by rule set "low" (transformer "permuteId" {"format":"auto","otherwise":"error"}) and by the table's own mappings for items no rule set takes (passed through); ` +
            'each mapping keeps distinct values distinct, but together they do not (not guaranteed): an item of one could get the key of an item of another, so two source items could become one. ' +
            'Map pk the same way in every rule set and the table; or allow it with allowKeyCollisions: true on the table, and the run counts the items that merge',
        );
        expect(code, output).toBe(2);
        expect(output).not.toMatch(/^\s+at /m);
      }
      expect(await scanAll(stack.dynamo, COPY)).toHaveLength(0);
    });

    it('is copied when the table allows it, and the run reports exactly the merges the test computes', async () => {
      const file = join(dir, 'differ-allowed.yaml');
      await writeFile(file, job('key-differ-allowed', '    allowKeyCollisions: true'));
      await recreateTable(stack.dynamo, COPY, schema);
      const { code, output } = await dynamask(['run', '--json', file]);
      expect(code, output).toBe(0);
      // Forward, with the transformer itself: the low half's keys permuted, the high half's as they are.
      const options = builtinRegistry.validateOptions('permuteId', {});
      if (!options.ok) throw new Error('permuteId options');
      const permute = builtinRegistry.instantiate({ type: 'permuteId', options: options.options }, { salt: SALT });
      const keys = new Set(items.map((item, i) => (i < 250 ? (permute(item['pk']!, ['pk']) as { S: string }).S : item['pk']!.S!)));
      const merged = ITEMS - keys.size;
      // Some 62 of the 250 permuted ids land among the 250 untouched ones (with any salt), and never none.
      expect(merged).toBeGreaterThan(20);
      expect(report(output).tables[0]).toMatchObject({ read: ITEMS, merged });
      const copy = await scanAll(stack.dynamo, COPY);
      expect(copy).toHaveLength(keys.size);
      expect(new Set(copy.map((item) => item['pk']!.S!))).toEqual(keys);
    });
  });
});
