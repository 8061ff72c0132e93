/**
 * Nothing secret in Temporal, end to end: jobs whose salt is a reference
 * (the worker's environment, Secrets Manager, SSM, both served by moto) and
 * a job with no salt at all (the workers derive it from their cursor key)
 * run through the real CLI against a worker process, with payload
 * encryption on. The salts are canaries, and so is a literal in a `where`.
 *
 * Then: the copies were made with exactly those salts (the worker resolved
 * them), and no salt appears anywhere Temporal or a log keeps anything:
 * every event of every workflow the runs started, raw and decoded, their
 * descriptions (memo, search attributes, user metadata), the schedule of a
 * job applied from the CLI, the worker's log at DEBUG and every line the
 * CLI printed, as text, inside base64 and in hex. Fetched by a client
 * without the codec, every payload is binary/encrypted, and the `where`
 * literal is nowhere in the raw histories or descriptions.
 *
 * And the CLI's side of a literal salt: `validate` warns, `schedule apply`
 * refuses it unless the job sets allowLiteralSalt.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { Client, Connection } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { defaultPayloadConverter } from '@temporalio/common';
import type { Item } from '../../model/item.ts';
import { CursorSeal } from '../../src/activities/sealed-cursor.ts';
import { createDynamoClient } from '../../src/dynamo/clients.ts';
import { parseJob } from '../../src/job/job-loader.ts';
import type { MotoServer } from '../../src/local-stack/moto.ts';
import { recreateTable, seedTable } from '../../src/local-stack/seed.ts';
import { encryptingDataConverter } from '../../src/temporal/data-converter.ts';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING } from '../../src/temporal/payload-codec.ts';
import { buildPlan } from '../../transformers/plan.ts';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { Canaries, findCanaries, renderFindings, textsOf, type Evidence } from '../support/canary.ts';
import { isolateAwsEnv, startTestMoto } from '../support/moto.ts';
import { eventKind, runExecutions } from '../support/run-history.ts';
import { killAllWorkers, spawnWorker, type WorkerProcess } from '../support/worker-process.ts';
import { scanAll } from '../support/stack.ts';
import { REPORTS_BY_RATE_PATCH } from '../../workflows/copy-table.ts';
import { RUN_TABLES_PATCH } from '../../workflows/refresh-job.ts';

const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const SOURCE = 'SaltSource';
const canaries = new Canaries();
const ENV_SALT = canaries.string('salt in the worker environment');
const SM_SALT = canaries.string('salt in Secrets Manager');
const SSM_SALT = canaries.string('salt in SSM');
const CURSOR_KEY = canaries.string('cursor key of the workers');
const WHERE_LITERAL = canaries.string('literal of a where');
/** For the commands whose whole output is pinned: no SDK log lines. */
const QUIET = { DYNAMASK_LOG_LEVEL: 'ERROR' };
const codecKey = { id: 'e2e-salt', key: new Uint8Array(randomBytes(32)) };
const CODEC_KEY_DATA = `${codecKey.id}=${Buffer.from(codecKey.key).toString('base64')}`;

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function items(): Item[] {
  return Array.from({ length: 40 }, (_, i) => ({
    year: { N: String(1990 + (i % 20)) },
    title: { S: `salted-${i}` },
    name: { S: `Person Number ${i}` },
    code: { S: `c-${i}` },
  }));
}

/**
 * Every Payload-shaped object (metadata + data) in a history or description,
 * but search attributes: Temporal indexes them, so they are never encoded,
 * and dynamask puts job and table names there only.
 */
function payloadsIn(value: unknown, found: Payload[] = []): Payload[] {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return found;
  const candidate = value as { metadata?: unknown; data?: unknown };
  if (candidate.metadata && typeof candidate.metadata === 'object' && !(candidate.metadata instanceof Uint8Array) && (candidate.data == null || candidate.data instanceof Uint8Array)) {
    found.push(value as Payload);
    return found;
  }
  for (const [key, child] of Array.isArray(value) ? value.entries() : Object.entries(value)) if (key !== 'searchAttributes') payloadsIn(child, found);
  return found;
}

/** An item as text with its attributes in name order: a Scan does not keep the order they were written in. */
const canonical = (item: Item) => JSON.stringify(Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : 1))));

/** The workflows' patch names: the only text a patch marker holds. */
const PATCHES = [RUN_TABLES_PATCH, REPORTS_BY_RATE_PATCH];

const encodingOf = (payload: Payload) => Buffer.from(payload.metadata?.encoding ?? []).toString('utf8');

/** A secret that is not canary-shaped, searched as it is, in base64 and in hex. */
function occurrences(secret: string, evidence: readonly Evidence[]): string[] {
  const forms = [secret, Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('base64url'), Buffer.from(secret).toString('hex')];
  return evidence.filter((e) => forms.some((form) => e.text.includes(form))).map((e) => e.where);
}

describe('no salt reaches Temporal, the logs or the CLI; with the codec on, nothing readable does', () => {
  const dynamo = createDynamoClient({ endpoint: inject('dynamoEndpoint') });
  const namespace = inject('temporalNamespace');
  const taskQueue = `e2e-secret-salt-${Date.now()}`;
  const codec = new AesGcmPayloadCodec([codecKey]);
  let moto: MotoServer;
  let restoreEnv: () => Promise<void>;
  let connection: Connection;
  /** Decodes, as the CLI and the workers do. */
  let client: Client;
  /** Sees what the server keeps. */
  let plainClient: Client;
  let worker: WorkerProcess;
  let dir: string;
  let cliEnv: Record<string, string>;
  const cliOutput: Evidence[] = [];
  const temporal: Evidence[] = [];
  const runIds: string[] = [];

  function dynamask(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
    return new Promise((resolve) => {
      execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...cliEnv, ...env }, timeout: 180_000 }, (error, stdout, stderr) => {
        const outcome = { code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr };
        cliOutput.push({ where: `dynamask ${args.join(' ')} stdout`, kind: 'CLI output', text: stdout }, { where: `dynamask ${args.join(' ')} stderr`, kind: 'CLI output', text: stderr });
        resolve(outcome);
      });
    });
  }

  async function jobFile(name: string, salt: string | undefined, extra = ''): Promise<string> {
    const file = join(dir, `${name}.yaml`);
    const text = [
      `name: ${name}`,
      `connections: { local: { endpoint: "${inject('dynamoEndpoint')}" } }`,
      'source: local',
      'destination: local',
      ...(salt !== undefined ? [`salt: ${salt}`] : []),
      'defaults: { S: passthrough }',
      'tables:',
      `  - source: ${SOURCE}`,
      `    destination: ${name}-copy`,
      `    where: "code <> '${WHERE_LITERAL}'"`,
      '    transformers: { name: fullName }',
      extra,
    ].join('\n');
    await writeFile(file, text);
    return file;
  }

  /** What a copy made with this salt must hold. */
  async function expectedCopy(file: string, salt: string): Promise<string[]> {
    const { readFile } = await import('node:fs/promises');
    const job = parseJob(await readFile(file, 'utf8'), file, builtinRegistry, {});
    const table = job.tables[0]!;
    const plan = buildPlan(
      { transformers: table.transformers, defaults: job.defaults, keyAttributes: ['year', 'title'], salt, onTypeMismatch: table.onTypeMismatch, sandbox: job.sandbox, keysAreSensitive: true },
      builtinRegistry,
    );
    try {
      return (await plan.transformPage(items(), { typeMismatches: 0 })).map(canonical).sort();
    } finally {
      plan.dispose();
    }
  }

  const copyOf = async (table: string) => (await scanAll(dynamo, table)).map(canonical).sort();

  /** Runs a job file with the CLI and collects everything Temporal kept of the run, raw and decoded. */
  async function run(file: string): Promise<string> {
    const { code, stdout, stderr } = await dynamask(['run', '--json', file]);
    expect(code, stderr).toBe(0);
    const { workflowId } = JSON.parse(stdout) as { workflowId: string };
    runIds.push(workflowId);
    await collect(workflowId);
    return workflowId;
  }

  async function collect(workflowId: string): Promise<void> {
    // The codec client lists and describes (the lock's memo must decode); histories and `raw` are what the server sent.
    const executions = await runExecutions(client, taskQueue, workflowId);
    expect(executions.length).toBeGreaterThanOrEqual(3);
    for (const { info, history, description } of executions) {
      const at = `${info.workflowId} run ${info.runId}`;
      for (const event of history.events ?? []) {
        const where = `history of ${at}, event ${String(event.eventId)} ${eventKind(event)}`;
        temporal.push({ where, kind: 'raw history', text: textsOf(event).join('\n') });
        const decoded = await codec.decode(payloadsIn(event));
        temporal.push({ where: `${where} (decoded)`, kind: 'decoded history', text: textsOf(decoded).join('\n') });
      }
      temporal.push({ where: `description of ${at}`, kind: 'raw description', text: textsOf(description).join('\n') });
      temporal.push({ where: `description of ${at} (decoded)`, kind: 'decoded description', text: textsOf(await codec.decode(payloadsIn(description))).join('\n') });
      temporal.push({ where: `visibility record of ${at}`, kind: 'visibility record', text: textsOf(info.raw).join('\n') });
    }
  }

  beforeAll(async () => {
    moto = await startTestMoto();
    ({ restore: restoreEnv } = await isolateAwsEnv({ AWS_ENDPOINT_URL_SECRETS_MANAGER: moto.endpoint, AWS_ENDPOINT_URL_SSM: moto.endpoint, AWS_ENDPOINT_URL_STS: moto.endpoint }));
    const secretsManager = new SecretsManagerClient({});
    const ssm = new SSMClient({});
    await secretsManager.send(new CreateSecretCommand({ Name: 'dynamask/e2e/salt', SecretString: JSON.stringify({ salt: SM_SALT, other: 'unused' }) }));
    await ssm.send(new PutParameterCommand({ Name: '/dynamask/e2e/salt', Value: SSM_SALT, Type: 'SecureString' }));
    secretsManager.destroy();
    ssm.destroy();

    dir = await mkdtemp(join(tmpdir(), 'dynamask-secret-salt-'));
    connection = await Connection.connect({ address: inject('temporalAddress') });
    client = new Client({ connection, namespace, dataConverter: encryptingDataConverter([codecKey]) });
    plainClient = new Client({ connection, namespace });
    await seedTable(dynamo, SOURCE, items());
    cliEnv = {
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: namespace,
      DYNAMASK_TASK_QUEUE: taskQueue,
      DYNAMASK_CODEC_KEY_DATA: CODEC_KEY_DATA,
      DYNAMASK_LOG_LEVEL: 'DEBUG',
    };
    // An encrypting worker needs a bundle made with the encoding failure converter, as `dynamask bundle --encrypted` makes one.
    const bundlePath = join(dir, 'encrypted-bundle.js');
    const bundled = await dynamask(['bundle', '--encrypted', bundlePath], QUIET);
    expect(bundled.stderr).toContain(`wrote the workflow bundle to ${bundlePath}`);
    // The salt variable and the cursor key are the worker's; the CLI has neither.
    worker = spawnWorker({
      temporalAddress: inject('temporalAddress'),
      workflowBundlePath: bundlePath,
      temporalNamespace: namespace,
      taskQueue,
      logLevel: 'DEBUG',
      activities: { readPageLimit: 10 },
      env: { E2E_WORKER_SALT: ENV_SALT, DYNAMASK_CURSOR_KEY: CURSOR_KEY, DYNAMASK_CODEC_KEY_DATA: CODEC_KEY_DATA },
    });
    await worker.ready;
  });

  afterAll(async () => {
    await killAllWorkers();
    await connection?.close();
    dynamo.destroy();
    await restoreEnv?.();
    await moto?.stop();
  });

  it.each([
    ['the worker environment', 'salt-env', '{ env: E2E_WORKER_SALT }', ENV_SALT],
    ['a key of a Secrets Manager secret', 'salt-secrets-manager', '{ secretsManager: dynamask/e2e/salt, key: salt }', SM_SALT],
    ['an SSM SecureString', 'salt-ssm', '{ ssm: /dynamask/e2e/salt }', SSM_SALT],
  ])('copies with the salt from %s, resolved on the worker', async (_, name, reference, salt) => {
    const file = await jobFile(name, reference);
    await recreateTable(dynamo, `${name}-copy`);
    const validated = await dynamask(['validate', file], QUIET);
    expect(validated).toMatchObject({ code: 0, stderr: '' });
    await run(file);
    expect(await copyOf(`${name}-copy`)).toEqual(await expectedCopy(file, salt));
  });

  it("copies a job without a salt with the run's salt, derived by the worker from its cursor key and the run's ID", async () => {
    const file = await jobFile('salt-none', undefined);
    await recreateTable(dynamo, 'salt-none-copy');
    const workflowId = await run(file);
    const derived = new CursorSeal(CURSOR_KEY).runSalt(workflowId);
    expect(await copyOf('salt-none-copy')).toEqual(await expectedCopy(file, derived));
    expect(occurrences(derived, [...temporal, ...cliOutput, { where: 'worker log', kind: 'log', text: worker.output() }])).toEqual([]);
  });

  it('keeps only the reference in a schedule applied from the CLI', async () => {
    const file = await jobFile('salt-scheduled', '{ ssm: /dynamask/e2e/salt }', 'schedule: { cron: "0 3 * * *", paused: true }');
    const applied = await dynamask(['schedule', 'apply', file]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/dynamask\/salt-scheduled: created/);
    try {
      const handle = client.schedule.getHandle('dynamask/salt-scheduled');
      const described = await handle.describe();
      expect(described.action.type === 'startWorkflow' && described.action.args).toMatchObject([{ job: { salt: { ssm: '/dynamask/e2e/salt' } } }]);
      const raw = await plainClient.workflowService.describeSchedule({ namespace, scheduleId: 'dynamask/salt-scheduled' });
      const payloads = payloadsIn(raw);
      expect(payloads.length).toBeGreaterThanOrEqual(3);
      expect(payloads.map(encodingOf).filter((encoding) => encoding !== ENCRYPTED_ENCODING)).toEqual([]);
      temporal.push({ where: 'schedule description (raw)', kind: 'raw schedule', text: textsOf(raw).join('\n') });
      temporal.push({ where: 'schedule description (decoded)', kind: 'decoded schedule', text: textsOf(await codec.decode(payloads)).join('\n') });
    } finally {
      await client.schedule.getHandle('dynamask/salt-scheduled').delete();
    }
  });

  it('records nothing but ciphertext: every payload of every history and description is binary/encrypted, and no where literal is in the clear', () => {
    const raw = temporal.filter((e) => e.kind.startsWith('raw') || e.kind === 'visibility record');
    const decoded = temporal.filter((e) => e.kind.startsWith('decoded'));
    expect(raw.length).toBeGreaterThan(50);
    // The evidence is real: the runs' summaries and inputs, once decoded, hold the where literal and the references.
    expect(decoded.some((e) => e.text.includes(WHERE_LITERAL) && e.kind === 'decoded description')).toBe(true);
    expect(decoded.some((e) => e.text.includes('/dynamask/e2e/salt'))).toBe(true);
    const whereInTheClear = raw.filter((e) => findCanaries(canaries, [e]).some((f) => f.canary.text === WHERE_LITERAL));
    expect(whereInTheClear.map((e) => e.where)).toEqual([]);
    expect(raw.some((e) => e.text.includes(SOURCE))).toBe(true);
  });

  it('every payload the server kept for the runs is encrypted', async () => {
    for (const workflowId of runIds) {
      const executions = await runExecutions(client, taskQueue, workflowId);
      for (const { history, description } of executions) {
        // Patch markers are written by the SDK's core, which no codec reaches; they hold the patch's name alone.
        const patchMarkers = (history.events ?? []).filter((event) => event.markerRecordedEventAttributes?.markerName === 'core_patch');
        for (const marker of patchMarkers) {
          const data = payloadsIn(marker).map((payload) => JSON.parse(Buffer.from(payload.data ?? []).toString('utf8')) as unknown);
          expect(data.every((d) => JSON.stringify(Object.keys(d as object).sort()) === '["deprecated","id"]' && PATCHES.includes((d as { id: string }).id)), JSON.stringify(data)).toBe(true);
        }
        const events = (history.events ?? []).filter((event) => !patchMarkers.includes(event));
        const payloads = [...payloadsIn(events), ...payloadsIn(description)];
        expect(payloads.length).toBeGreaterThan(0);
        expect(payloads.map(encodingOf).filter((encoding) => encoding !== ENCRYPTED_ENCODING)).toEqual([]);
        // Without the key they read as nothing: the default converter cannot even tell their type.
        expect(() => defaultPayloadConverter.fromPayload(payloads[0]!)).toThrow();
      }
      // User metadata goes through the codec too: the run's summary and each child's, which name the where, are ciphertext.
      const summaries = executions
        .flatMap(({ history }) => history.events ?? [])
        .filter((event) => event.workflowExecutionStartedEventAttributes || event.startChildWorkflowExecutionInitiatedEventAttributes)
        .flatMap((event) => (event.userMetadata?.summary ? [event.userMetadata.summary as Payload] : []));
      expect(summaries.map(encodingOf).filter((encoding) => encoding !== ENCRYPTED_ENCODING)).toEqual([]);
      const texts = (await codec.decode(summaries)).map((payload) => defaultPayloadConverter.fromPayload<string>(payload));
      // The run's own (started event), the child's as the run started it, and the child's started event; the lock's names no where.
      expect(texts.filter((text) => text.includes(WHERE_LITERAL)).length, texts.join('\n')).toBeGreaterThanOrEqual(3);
    }
  });

  it("encrypts query answers too: a run's progress and the UI's current details", async () => {
    const workflowId = runIds[0]!;
    for (const queryType of ['progress', '__temporal_workflow_metadata']) {
      const answer = await plainClient.workflowService.queryWorkflow({ namespace, execution: { workflowId }, query: { queryType } });
      const payloads = (answer.queryResult?.payloads ?? []) as Payload[];
      expect(payloads.length, queryType).toBe(1);
      expect(payloads.map(encodingOf)).toEqual([ENCRYPTED_ENCODING]);
      const text = JSON.stringify(defaultPayloadConverter.fromPayload((await codec.decode(payloads))[0]!));
      expect(text, queryType).toContain(SOURCE);
      temporal.push({ where: `${queryType} query of ${workflowId} (decoded)`, kind: 'decoded query', text });
    }
  });

  it('no salt and no cursor key anywhere: histories raw and decoded, descriptions, the schedule, the worker log, the CLI output', async () => {
    // Give the SDK's log forwarding time to write the last records.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const log = worker.output().split('\n');
    expect(log.length).toBeGreaterThan(100);
    // The stores were read, and the log says so without the values.
    expect(worker.output()).toMatch(/secrets: read Secrets Manager secret "dynamask\/e2e\/salt" \(JSON key "salt"\)/);
    expect(worker.output()).toMatch(/secrets: read SSM parameter "\/dynamask\/e2e\/salt"/);
    // The worker ran the encrypted bundle it was given rather than bundling for itself.
    expect(worker.output()).not.toMatch(/made without --encrypted/);
    const evidence = [
      ...temporal,
      ...cliOutput,
      ...log.map((text, i) => ({ where: `worker log line ${i + 1}`, kind: 'worker log', text })),
    ];
    const secrets = new Set([ENV_SALT, SM_SALT, SSM_SALT, CURSOR_KEY]);
    const findings = findCanaries(canaries, evidence).filter((f) => secrets.has(f.canary.text));
    expect(findings, renderFindings(findings)).toEqual([]);
    // The search itself sees a salt in base64, so it could fail.
    expect(findCanaries(canaries, [{ where: 'control', kind: 'control', text: Buffer.from(`x${SM_SALT}`).toString('base64') }])).toHaveLength(1);
  });

  it('validate warns about a literal salt and passes; schedule apply refuses it unless the job accepts it', async () => {
    const literal = await jobFile('salt-literal', 'demo-salt-not-a-secret', 'schedule: { cron: "0 3 * * *", paused: true }');
    const validated = await dynamask(['validate', literal], QUIET);
    expect(validated.code).toBe(0);
    expect(validated.stdout).toBe(`${literal}: ok (job "salt-literal", 1 table(s))\n`);
    expect(validated.stderr).toBe(
      `warning: ${literal}:5 salt: a literal salt travels in every run's workflow input, where anyone who can read the Temporal namespace can read it ` +
        '(a ${NAME} is substituted where the job is loaded, so it is a literal too); for real jobs name where the workers read it, such as { env: DYNAMASK_SALT }\n',
    );

    const refused = await dynamask(['schedule', 'apply', literal], QUIET);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      `${literal}:5 salt: a literal salt would be stored in the schedule and in every run it starts, where anyone who can read the Temporal namespace can read it; ` +
        'name where the workers read it, such as { env: DYNAMASK_SALT }, or set allowLiteralSalt: true to accept that (demos)\n',
    );
    await expect(client.schedule.getHandle('dynamask/salt-literal').describe()).rejects.toThrow();

    const accepted = await jobFile('salt-literal', 'demo-salt-not-a-secret', 'allowLiteralSalt: true\nschedule: { cron: "0 3 * * *", paused: true }');
    const applied = await dynamask(['schedule', 'apply', accepted]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/dynamask\/salt-literal: created/);
    await client.schedule.getHandle('dynamask/salt-literal').delete();
  });
});
