/**
 * "Nothing leaks": a source table whose items carry canaries (unique random
 * markers) everywhere a value can sit, key attributes included, is copied
 * by runs that succeed and runs that fail; then everything Temporal kept
 * (every history of every workflow of each run, children and
 * continued-as-new runs too, descriptions with search attributes, memo and
 * pending activities, results and failures) and everything the worker
 * logged at DEBUG is searched for the canaries, as they are and
 * base64- or hex-encoded. None may appear. The job's salt is a canary
 * too, read by the worker from its environment: the failing runs must not
 * carry it out either. (test/e2e/secret-salt.test.ts does the same for
 * salts from Secrets Manager and SSM, with payload encryption on.)
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { startRun } from '../../src/client/runs.ts';
import { createDynamoClient } from '../../src/dynamo/clients.ts';
import type { Item } from '../../model/item.ts';
import type { Job } from '../../model/job.ts';
import { parseJob } from '../../src/job/job-loader.ts';
import { dataConverterFromEnv } from '../../src/temporal/data-converter.ts';
import { recreateTable, seedTable, type TableSpec } from '../../src/local-stack/seed.ts';
import type { copyTable } from '../../workflows/copy-table.ts';
import { Canaries, findCanaries, renderFindings, textsOf, type Evidence } from '../support/canary.ts';
import { eventKind, runExecutions } from '../support/run-history.ts';
import { isAlive, killAllWorkers, spawnWorker, type WorkerProcess } from '../support/worker-process.ts';

const SOURCE = 'NoLeakSource';
const ITEMS = 40;
/** Items that carry a value of the wrong type for the failing jobs' transformers. */
const WRONG_TYPE_AT = [23, 31];

const KEY_SCHEMA: TableSpec = {
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'S' },
  ],
};

/** One item with a canary in every kind of place a value can be. */
function canaryItem(c: Canaries, index: number): Item {
  const wrongType = WRONG_TYPE_AT.includes(index);
  return {
    pk: { S: c.string('key attribute pk') },
    sk: { S: `order#${c.string('key attribute sk')}` },
    email: { S: `${c.string('S email')}@example.com` },
    name: { S: `Ada ${c.string('S name')} Lovelace` },
    note: { S: `call ${c.string('S note (unmapped: default)')} after 5` },
    rating: wrongType ? { N: c.number('N rating (wrong type)') } : { S: c.string('S rating') },
    amount: { N: c.number('N amount') },
    active: { BOOL: true },
    avatar: { B: c.bytes('B avatar') },
    tags: { SS: [c.string('SS tags'), c.string('SS tags')] },
    lucky: { NS: [c.number('NS lucky'), '7'] },
    profile: {
      M: {
        city: { S: c.string('M profile.city') },
        history: { L: [{ S: c.string('L profile.history[0]') }, { M: { where: { S: c.string('M in L profile.history[1].where') } } }] },
      },
    },
    // A map keyed by data, as DynamoDB items often are: its keys are values too.
    contacts: {
      M: {
        [c.string('map key contacts.*')]: { M: { phone: wrongType ? { N: c.number('N contacts.*.phone (wrong type)') } : { S: c.string('S contacts.*.phone') } } },
      },
    },
  };
}

function jobYaml(endpoint: string, name: string, destination: string, transformers: Record<string, string>, { table = '', strict = false } = {}): string {
  const mappings = Object.entries(transformers).map(([path, transformer]) => `      ${path}: ${transformer}`).join('\n');
  return `
name: ${name}
connections:
  local: { endpoint: "${endpoint}" }
source: local
destination: local
salt: { env: NO_LEAK_SALT }
strict: ${strict}
tables:
  - source: ${SOURCE}
    destination: ${destination}
${table}    transformers:
${mappings}
`;
}

/** Maps every planted value somewhere a transformer reads it; the failing jobs change one mapping. */
const MAPPINGS: Record<string, string> = {
  email: 'email',
  name: 'fullName',
  rating: 'redact',
  amount: '{ type: randomInt, min: 1, max: 100 }',
  avatar: 'hash',
  'profile.city': 'city',
  'contacts.*.phone': 'redact',
};

interface Scenario {
  name: string;
  job: string;
  destination: string;
  mappings: Record<string, string>;
  /** What the failure message must say, proving the run failed for the intended reason; absent for a run that succeeds. */
  fails?: RegExp;
  /** More lines of the table's entry (a way to read it). */
  table?: string;
  strict?: boolean;
}

/** Whole collections with replace: partition keys found in a Scan pass through sealed cursors, and the prune looks up keys and partitions. */
const WHOLE_COLLECTIONS = '    wholeCollections: true\n    where: "attribute_exists(email)"\n    mode: replace\n';

const SCENARIOS: Scenario[] = [
  { name: 'a run that succeeds', job: 'no-leak-ok', destination: 'NoLeakCopy', mappings: MAPPINGS },
  { name: 'a run of whole collections with mode replace that succeeds', job: 'no-leak-collections', destination: 'NoLeakCollections', mappings: MAPPINGS, table: WHOLE_COLLECTIONS },
  // Hashed keys have no inverse: the prune reads the selection again and compares digests of the destination keys.
  { name: 'a run with mode replace and hashed keys (the forward prune) that succeeds', job: 'no-leak-forward', destination: 'NoLeakForward', mappings: { ...MAPPINGS, pk: 'hash', sk: 'hash' }, table: '    mode: replace\n' },
  {
    name: 'a run of whole collections that fails on a value of the wrong type',
    job: 'no-leak-collections-bad-type',
    destination: 'NoLeakCollectionsBadType',
    mappings: { ...MAPPINGS, rating: 'lorem' },
    fails: /rating.*lorem.*got N/,
    table: WHOLE_COLLECTIONS,
  },
  {
    name: 'a run that fails on a value of the wrong type (onTypeMismatch: error)',
    job: 'no-leak-bad-type',
    destination: 'NoLeakBadType',
    mappings: { ...MAPPINGS, rating: 'lorem' },
    fails: /rating.*lorem.*got N/,
  },
  {
    name: 'a run that fails on a value of the wrong type inside a map keyed by data',
    job: 'no-leak-bad-type-map-key',
    destination: 'NoLeakBadTypeMapKey',
    mappings: { ...MAPPINGS, 'contacts.*.phone': 'lorem' },
    fails: /contacts.*phone.*lorem.*got N/,
  },
  {
    // V8 quotes the input in JSON.parse's message; dynamask must withhold it.
    name: 'a run that fails in a JavaScript transformer whose error would quote the value',
    job: 'no-leak-js-parse',
    destination: 'NoLeakJsParse',
    mappings: { ...MAPPINGS, note: `{ js: "return JSON.parse(value)" }` },
    fails: /note.*SyntaxError/,
  },
  {
    name: 'a run that fails in a JavaScript transformer that throws the value',
    job: 'no-leak-js-throw',
    destination: 'NoLeakJsThrow',
    mappings: { ...MAPPINGS, name: `{ js: "throw new Error('bad name: ' + value)" }` },
    fails: /name.*Error/,
  },
  {
    // Unnamed paths under a map keyed by data (contacts.<canary>.phone) and in lists: the failure names paths, keys masked.
    name: 'a strict run that fails on paths no mapping names',
    job: 'no-leak-strict',
    destination: 'NoLeakStrict',
    mappings: Object.fromEntries(Object.entries(MAPPINGS).filter(([path]) => path !== 'contacts.*.phone')),
    strict: true,
    fails: /strict: a page holds \d+ paths no mapping names \(.*contacts\.\*\.\*/,
  },
  {
    // The refusal names the path that grew and the key attributes; the item's key and values stay out.
    name: 'a run that fails on an item a script grew past 400 KB',
    job: 'no-leak-oversize',
    destination: 'NoLeakOversize',
    mappings: { ...MAPPINGS, note: `{ js: "return value + 'x'.repeat(420000)" }` },
    fails: /note grew most.*key attributes: pk, sk/,
  },
  { name: 'a run that fails on a missing destination', job: 'no-leak-missing', destination: 'NoLeakNoSuchTable', mappings: MAPPINGS, fails: /NoLeakNoSuchTable/ },
];

describe('no source value reaches Temporal or the logs', () => {
  const endpoint = inject('dynamoEndpoint');
  const dynamo = createDynamoClient({ endpoint });
  const canaries = new Canaries();
  const salt = canaries.string('the job salt, in the worker environment');
  const taskQueue = `e2e-no-leak-${Date.now()}`;
  let connection: Connection;
  let client: Client;
  let worker: WorkerProcess;
  let sourceItems: Item[];

  beforeAll(async () => {
    connection = await Connection.connect({ address: inject('temporalAddress') });
    // Encrypted when the suite runs with codec keys, as the worker then is.
    const dataConverter = await dataConverterFromEnv();
    client = new Client({ connection, namespace: inject('temporalNamespace'), ...(dataConverter && { dataConverter }) });
    sourceItems = Array.from({ length: ITEMS }, (_, i) => canaryItem(canaries, i));
    await seedTable(dynamo, SOURCE, sourceItems, KEY_SCHEMA);
    for (const { destination } of SCENARIOS.filter((s) => s.destination !== 'NoLeakNoSuchTable')) await recreateTable(dynamo, destination, KEY_SCHEMA);
    await recreateTable(dynamo, 'NoLeakContinued', KEY_SCHEMA);
    // A worker of its own whose every log record, core's included, is captured; one page per call, so many cursors cross Temporal.
    worker = spawnWorker({
      temporalAddress: inject('temporalAddress'),
      temporalNamespace: inject('temporalNamespace'),
      taskQueue,
      workflowBundlePath: inject('workflowBundlePath'),
      activities: { readPageLimit: 5, callBudgetMs: 0 },
      logLevel: 'DEBUG',
      env: { NO_LEAK_SALT: salt },
    });
    await worker.ready;
  });
  afterAll(async () => {
    await killAllWorkers();
    expect(worker && isAlive(worker.pid)).toBeFalsy();
    await connection?.close();
    dynamo.destroy();
  });

  it('the search finds a canary as it is, in base64 (a NextToken), in base64 inside base64 and in hex', () => {
    const probe = new Canaries();
    const plain = probe.string('plain');
    const token = probe.string('in a token');
    const nested = probe.number('nested');
    const hex = probe.string('hex');
    const nextToken = Buffer.from(JSON.stringify({ opIndexToExclusiveNextKey: { 0: { pk: { S: token } } } })).toString('base64');
    const evidence: Evidence[] = [
      { where: 'a', kind: 'probe', text: `message with ${plain} in it` },
      { where: 'b', kind: 'probe', text: `{"cursor":"${nextToken}"}` },
      { where: 'c', kind: 'probe', text: Buffer.from(`{"inner":"${Buffer.from(`n=${nested}`).toString('base64')}"}`).toString('base64url') },
      { where: 'd', kind: 'probe', text: `<${Buffer.from(`bytes of ${hex} here`).toString('hex')}>` },
      { where: 'e', kind: 'probe', text: 'nothing here but cnry and 913779' },
    ];
    expect(findCanaries(probe, evidence).map((f) => `${f.canary.label}@${f.where}`)).toEqual(['plain@a', 'in a token@b', 'nested@c', 'hex@d']);
  });

  it.each(SCENARIOS)('$name', async ({ job: name, destination, mappings, fails, table, strict }) => {
    const job = parseJob(jobYaml(endpoint, name, destination, mappings, { table, strict }), `${name}.yaml`, builtinRegistry);
    const handle = await startRun(client, job, { taskQueue });
    const outcome = await handle.result().then(
      (result) => ({ result }),
      (error: unknown) => ({ error }),
    );
    if (fails) {
      expect('error' in outcome, 'the run should fail').toBe(true);
      expect(textsOf((outcome as { error: unknown }).error).join('\n')).toMatch(fails);
    } else {
      expect(outcome).toMatchObject({ result: { tables: [{ read: ITEMS, written: ITEMS }] } });
    }
    const evidence = [...(await temporalEvidence(handle.workflowId)), ...textsOf(outcome).map((text) => ({ where: `the run's ${fails ? 'failure' : 'result'}`, kind: `run ${fails ? 'failure' : 'result'}`, text }))];
    // The evidence is real: the histories name the source table.
    expect(evidence.some((e) => e.text.includes(SOURCE))).toBe(true);
    expect(renderFindings(findCanaries(canaries, evidence)), 'canaries found in Temporal').toBe('');
  });

  it('references: selected keys, keys rendered into a template and dangling lookups stay in the activities (Scan with replace, GSI)', async () => {
    // Every other source item is referred to, as it is and as OWNER#<pk>; three references name no item, with canaries of their own.
    const referred = sourceItems.filter((_, i) => i % 2 === 0).map((item) => item['pk']!.S!);
    const owners = [...referred, ...[1, 2, 3].map((n) => canaries.string(`dangling owner ${n}`))];
    const refs: Item[] = owners.map((owner, i) => ({ refId: { S: canaries.string(`refId ${i}`) }, ownerPk: { S: owner }, ownerRef: { S: `OWNER#${owner}` }, note: { S: canaries.string(`ref note ${i}`) } }));
    const byRef: TableSpec = { KeySchema: [{ AttributeName: 'refId', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'refId', AttributeType: 'S' }] };
    const byOwner: TableSpec = {
      KeySchema: byRef.KeySchema,
      AttributeDefinitions: [...byRef.AttributeDefinitions!, { AttributeName: 'ownerRef', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [{ IndexName: 'ByOwner', KeySchema: [{ AttributeName: 'ownerRef', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    };
    await seedTable(dynamo, 'NoLeakRefs', refs, byRef);
    await seedTable(dynamo, 'NoLeakRefsByOwner', refs, byOwner);
    await recreateTable(dynamo, 'NoLeakRefSource', KEY_SCHEMA);
    await recreateTable(dynamo, 'NoLeakRefsCopy', byRef);
    await recreateTable(dynamo, 'NoLeakRefsByOwnerCopy', byOwner);
    // A stale destination item for the prune to find and delete.
    await seedTable(dynamo, 'NoLeakRefsCopy', [{ refId: { S: canaries.string('stale refId') } }], byRef);
    const text = [
      jobYaml(endpoint, 'no-leak-references', 'NoLeakRefSource', MAPPINGS, { table: '    where: "attribute_exists(email)"\n' }).trimEnd(),
      '  - source: NoLeakRefs',
      '    destination: NoLeakRefsCopy',
      '    mode: replace',
      '    references: { table: NoLeakSource, attribute: ownerPk }',
      '    transformers: { ownerPk: hash, ownerRef: hash, note: redact }',
      '  - source: NoLeakRefsByOwner',
      '    destination: NoLeakRefsByOwnerCopy',
      '    references: { table: NoLeakSource, attribute: ownerRef, template: "OWNER#{id}" }',
      '    transformers: { ownerPk: hash, ownerRef: hash, note: redact }',
    ].join('\n');
    const handle = await startRun(client, parseJob(text, 'no-leak-references.yaml', builtinRegistry), { taskQueue });
    const result = await handle.result();
    expect(result.tables.slice(1)).toMatchObject([
      { read: referred.length, written: referred.length, deleted: 1, dangling: 3 },
      { read: referred.length, written: referred.length },
    ]);
    const evidence = [...(await temporalEvidence(handle.workflowId)), ...textsOf(result).map((t) => ({ where: "the run's result", kind: 'run result', text: t }))];
    expect(evidence.some((e) => e.text.includes('NoLeakRefsByOwner'))).toBe(true);
    expect(renderFindings(findCanaries(canaries, evidence)), 'canaries found in Temporal').toBe('');
  });

  it('a cycle of references: the keys the walk finds (by Scans and by GSI Queries), and the dangling lookups, stay in the activities (replace)', async () => {
    // A0 (the root) <- B0 <- A1 <- B1 ... <- B5: every item reached by going round; a loop of its own (Ax, By) reached from nothing; Az refers to no item.
    const a = Array.from({ length: 6 }, (_, i) => canaries.string(`ring aId ${i}`));
    const b = Array.from({ length: 6 }, (_, i) => canaries.string(`ring bId ${i}`));
    const [ax, by, az, gone] = [canaries.string('ring aId x'), canaries.string('ring bId y'), canaries.string('ring aId z'), canaries.string('ring dangling bRef')];
    const aItems: Item[] = [
      ...a.map((aId, i) => ({ aId: { S: aId }, bRef: { S: i === 0 ? gone : b[i - 1]! }, ...(i === 0 ? { root: { S: 'yes' } } : {}), note: { S: canaries.string(`ring a note ${i}`) } })),
      { aId: { S: ax }, bRef: { S: by } },
      { aId: { S: az }, bRef: { S: gone } },
    ];
    const bItems: Item[] = [...b.map((bId, i) => ({ bId: { S: bId }, aRef: { S: a[i]! } })), { bId: { S: by }, aRef: { S: ax } }];
    const specOf = (key: string): TableSpec => ({ KeySchema: [{ AttributeName: key, KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }] });
    await seedTable(dynamo, 'NoLeakRingA', aItems, specOf('aId'));
    // B has a GSI on aRef: the walk reads it by a Query per selected key of A, the keys in the requests only.
    const byARef: TableSpec = {
      ...specOf('bId'),
      AttributeDefinitions: [...specOf('bId').AttributeDefinitions!, { AttributeName: 'aRef', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [{ IndexName: 'ByARef', KeySchema: [{ AttributeName: 'aRef', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    };
    await seedTable(dynamo, 'NoLeakRingB', bItems, byARef);
    await seedTable(dynamo, 'NoLeakRingACopy', [{ aId: { S: canaries.string('ring stale aId') } }], specOf('aId'));
    await recreateTable(dynamo, 'NoLeakRingBCopy', specOf('bId'));
    const text = [
      'name: no-leak-ring',
      `connections: { local: { endpoint: "${endpoint}" } }`,
      'source: local',
      'destination: local',
      'salt: { env: NO_LEAK_SALT }',
      'tables:',
      '  - source: NoLeakRingA',
      '    destination: NoLeakRingACopy',
      '    mode: replace',
      `    where: "root = 'yes'"`,
      '    references: { table: NoLeakRingB, attribute: bRef }',
      '    transformers: { bRef: hash, note: redact }',
      '  - source: NoLeakRingB',
      '    destination: NoLeakRingBCopy',
      '    references: { table: NoLeakRingA, attribute: aRef }',
      '    transformers: { aRef: hash }',
    ].join('\n');
    const handle = await startRun(client, parseJob(text, 'no-leak-ring.yaml', builtinRegistry), { taskQueue });
    const result = await handle.result();
    expect(result.tables).toMatchObject([
      { read: 6, written: 6, roots: 1, followed: 5, deleted: 1, dangling: 1 },
      { read: 6, written: 6, roots: 0, followed: 6 },
    ]);
    const evidence = [...(await temporalEvidence(handle.workflowId)), ...textsOf(result).map((t) => ({ where: "the run's result", kind: 'run result', text: t }))];
    expect(evidence.some((e) => e.text.includes('references round NoLeakRingA') && e.text.includes('by a Query of index ByARef'))).toBe(true);
    expect(renderFindings(findCanaries(canaries, evidence)), 'canaries found in Temporal').toBe('');
  });

  it('a table copy that continues as new carries no value into the next run', async () => {
    const job = parseJob(jobYaml(endpoint, 'no-leak-continued', 'NoLeakContinued', MAPPINGS), 'continued.yaml', builtinRegistry);
    const handle = await client.workflow.start<typeof copyTable>('copyTable', {
      taskQueue,
      workflowId: `no-leak-continued-${Date.now()}`,
      args: [{ ...copyTableInput(job), callsPerRun: 2 }],
    });
    await handle.result();
    const evidence = await temporalEvidence(handle.workflowId);
    const runs = new Set(evidence.map((e) => /run (\S+)/.exec(e.where)?.[1]));
    expect(runs.size, 'runs of the copy (continued as new)').toBeGreaterThan(2);
    expect(renderFindings(findCanaries(canaries, evidence)), 'canaries found in Temporal').toBe('');
  });

  it("the worker's log holds no canary", async () => {
    // The SDK buffers log records (100 ms) before it writes them; a worker shut down as on SIGTERM writes them all, then exits.
    await worker.kill('SIGTERM');
    expect(await worker.exited, 'a clean shutdown, the last records written').toEqual({ code: 0, signal: null });
    const lines = worker.output().split('\n');
    // The capture is real: DEBUG records of the runs, the failures among them.
    expect(lines.length).toBeGreaterThan(100);
    expect(worker.output()).toMatch(/got N/);
    const evidence = lines.map((text, i) => ({ where: `worker log line ${i + 1}`, kind: 'worker log', text }));
    expect(renderFindings(findCanaries(canaries, evidence)), 'canaries found in the worker log').toBe('');
  });

  /** Histories (event by event), descriptions and visibility records of every execution of a run. */
  async function temporalEvidence(workflowId: string): Promise<Evidence[]> {
    const evidence: Evidence[] = [];
    for (const { info, history, description } of await runExecutions(client, taskQueue, workflowId)) {
      const at = `${info.workflowId} run ${info.runId}`;
      for (const event of history.events ?? []) {
        const kind = `history event ${eventKind(event)}`;
        const where = `history of ${at}, event ${String(event.eventId)} ${eventKind(event)}`;
        for (const text of textsOf(event)) evidence.push({ where, kind, text });
      }
      for (const text of textsOf(description)) evidence.push({ where: `description of ${at}`, kind: 'description', text });
      for (const text of textsOf(info.raw)) evidence.push({ where: `visibility record of ${at}`, kind: 'visibility record (search attributes, memo)', text });
    }
    return evidence;
  }
});

function copyTableInput(job: Job) {
  return {
    jobName: job.name,
    table: job.tables[0]!,
    connections: job.connections,
    defaults: job.defaults,
    ...(job.salt !== undefined && { salt: job.salt }),
    sandbox: job.sandbox,
    keysAreSensitive: job.keysAreSensitive,
  };
}
