/**
 * The encrypting data converter between a real client, a real worker and
 * the Temporal dev server: what the server records (history, memo, the
 * failure, a running activity's heartbeat details) holds no plaintext of a
 * canary, every payload in it is binary/encrypted, the client still reads its result, and the codec server
 * decodes the recorded payloads as the Temporal UI would ask it to.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { heartbeat } from '@temporalio/activity';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { NativeConnection, Worker, type LogLevel } from '@temporalio/worker';
import { startCodecServer, type CodecServer } from '../../src/temporal/codec-server.ts';
import { encryptingDataConverter } from '../../src/temporal/data-converter.ts';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING } from '../../src/temporal/payload-codec.ts';
import { installWorkerLogger } from '../../src/worker/worker-logger.ts';
import { Canaries, findCanaries, renderFindings, textsOf } from '../support/canary.ts';
import type { CarrySecretInput, EncryptionActivities } from '../support/encryption-workflows/index.ts';

// Errors only, one line each, as the other end-to-end tests' workers log.
installWorkerLogger((process.env.DYNAMASK_LOG_LEVEL as LogLevel | undefined) ?? 'ERROR');

const WORKFLOWS = fileURLToPath(new URL('../support/encryption-workflows/index.ts', import.meta.url));
const TASK_QUEUE = `e2e-encryption-${randomUUID()}`;
const keys = [{ id: 'e2e-2026', key: new Uint8Array(randomBytes(32)) }];

/** Every Payload-shaped object in a value (metadata + data), wherever it sits in a history. */
function payloadsIn(value: unknown, found: Payload[] = []): Payload[] {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return found;
  const candidate = value as { metadata?: unknown; data?: unknown };
  if (candidate.metadata && typeof candidate.metadata === 'object' && (candidate.data === undefined || candidate.data instanceof Uint8Array)) {
    found.push(value as Payload);
    return found;
  }
  for (const child of Array.isArray(value) ? value : Object.values(value)) payloadsIn(child, found);
  return found;
}

const encodingOf = (payload: Payload) => Buffer.from(payload.metadata?.encoding ?? []).toString('utf8');

describe('payload encryption with a real client, worker and Temporal server', () => {
  const canaries = new Canaries();
  let connection: Connection;
  let workerConnection: NativeConnection;
  let client: Client;
  let plainClient: Client;
  let worker: Worker;
  let running: Promise<void>;
  let codecServer: CodecServer;
  /** Lets heartbeatSecret return once the test has read its details from the server. */
  let heartbeatRead: () => void = () => {};

  beforeAll(async () => {
    const address = inject('temporalAddress');
    const namespace = inject('temporalNamespace');
    const dataConverter = encryptingDataConverter(keys);
    connection = await Connection.connect({ address });
    client = new Client({ connection, namespace, dataConverter });
    plainClient = new Client({ connection, namespace });
    workerConnection = await NativeConnection.connect({ address });
    const activities: EncryptionActivities = {
      async holdSecret(secret) {
        heartbeat({ holding: secret });
        return `held ${secret}`;
      },
      async heartbeatSecret(secret) {
        const read = new Promise<void>((resolve) => (heartbeatRead = resolve));
        heartbeat({ holding: secret });
        await read;
      },
    };
    worker = await Worker.create({ connection: workerConnection, namespace, taskQueue: TASK_QUEUE, workflowsPath: WORKFLOWS, activities, dataConverter });
    running = worker.run();
    codecServer = await startCodecServer({ codec: new AesGcmPayloadCodec(keys) });
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await workerConnection?.close();
    await connection?.close();
    await codecServer?.close();
  });

  async function run(fail: boolean) {
    const secret = canaries.string(fail ? 'input of a failing run' : 'input');
    const signal = canaries.string(fail ? 'signal of a failing run' : 'signal');
    const memo = canaries.string(fail ? 'memo of a failing run' : 'memo');
    const handle = await client.workflow.start('carrySecret', {
      taskQueue: TASK_QUEUE,
      workflowId: `encryption-${randomUUID()}`,
      args: [{ secret, fail } satisfies CarrySecretInput],
      memo: { note: memo },
    });
    await handle.signal('release', signal);
    const outcome = await handle.result().then(
      (result: string) => ({ result }),
      (error: unknown) => ({ error }),
    );
    const history = await plainClient.workflow.getHandle(handle.workflowId).fetchHistory();
    // Raw, as the server keeps it: the client's describe() would try to decode the memo (and fail on ciphertext without the codec).
    const description = await client.workflowService.describeWorkflowExecution({ namespace: inject('temporalNamespace'), execution: { workflowId: handle.workflowId } });
    return { secret, signal, outcome, history, description };
  }

  it('records only ciphertext: input, memo, signal, activity input and result, workflow result', async () => {
    const { secret, signal, outcome, history, description } = await run(false);
    expect(outcome).toEqual({ result: `held ${secret}|${signal}` });

    const memo = description.workflowExecutionInfo?.memo?.fields?.note;
    expect(memo && encodingOf(memo)).toBe(ENCRYPTED_ENCODING);
    const recorded = payloadsIn(history);
    expect(recorded.length).toBeGreaterThanOrEqual(5);
    expect(recorded.map(encodingOf).filter((encoding) => encoding !== ENCRYPTED_ENCODING)).toEqual([]);
    const evidence = [
      { where: 'history', kind: 'history', text: textsOf(history).join('\n') },
      { where: 'describe', kind: 'describe', text: textsOf(description).join('\n') },
    ];
    const findings = findCanaries(canaries, evidence);
    expect(findings, renderFindings(findings)).toEqual([]);
  });

  it('encodes the failure message and details; the encrypting client reads them back', async () => {
    const { secret, outcome, history } = await run(true);
    const error = (outcome as { error: unknown }).error;
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(((error as WorkflowFailedError).cause as Error).message).toBe(`could not keep ${secret}`);

    const failed = history.events?.find((event) => event.workflowExecutionFailedEventAttributes)?.workflowExecutionFailedEventAttributes;
    expect(failed?.failure?.message).toBe('Encoded failure');
    const findings = findCanaries(canaries, [{ where: 'history', kind: 'history', text: textsOf(history).join('\n') }]);
    expect(findings, renderFindings(findings)).toEqual([]);
  });

  it('encrypts a running activity\'s heartbeat details as the server holds them', async () => {
    const secret = canaries.string('heartbeat details');
    const handle = await client.workflow.start('carryHeartbeat', { taskQueue: TASK_QUEUE, workflowId: `encryption-heartbeat-${randomUUID()}`, args: [secret] });
    const namespace = inject('temporalNamespace');
    // Raw, as the server keeps them: the first heartbeat goes out at once, the server shows it in the pending activity.
    let details: Payload[] = [];
    const pendingDetails = async () => {
      const described = await client.workflowService.describeWorkflowExecution({ namespace, execution: { workflowId: handle.workflowId } });
      return described.pendingActivities?.[0]?.heartbeatDetails?.payloads ?? [];
    };
    await expect.poll(async () => (details = (await pendingDetails()) as Payload[]).length, { timeout: 20_000, interval: 200 }).toBe(1);
    heartbeatRead();
    await handle.result();
    expect(details.map(encodingOf)).toEqual([ENCRYPTED_ENCODING]);
    const findings = findCanaries(canaries, [{ where: 'heartbeat details', kind: 'describe', text: textsOf(details).join('\n') }]);
    expect(findings, renderFindings(findings)).toEqual([]);
    // The key reads them back: the details are the secret's, only encrypted.
    const [decoded] = await new AesGcmPayloadCodec(keys).decode(details);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual({ holding: secret });
  });

  it('lets the codec server decode the recorded payloads, as the UI asks it to', async () => {
    const { secret, history } = await run(false);
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    const input = started?.input?.payloads ?? [];
    expect(input.map(encodingOf)).toEqual([ENCRYPTED_ENCODING]);
    const body = {
      payloads: input.map((payload) => ({
        metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([name, bytes]) => [name, Buffer.from(bytes).toString('base64')])),
        data: Buffer.from(payload.data ?? []).toString('base64'),
      })),
    };
    const response = await fetch(`${codecServer.url}/decode`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-namespace': inject('temporalNamespace') }, body: JSON.stringify(body) });
    expect(response.status).toBe(200);
    const [decoded] = ((await response.json()) as { payloads: { metadata: Record<string, string>; data: string }[] }).payloads;
    const payload: Payload = {
      metadata: Object.fromEntries(Object.entries(decoded!.metadata).map(([name, value]) => [name, new Uint8Array(Buffer.from(value, 'base64'))])),
      data: new Uint8Array(Buffer.from(decoded!.data, 'base64')),
    };
    expect(defaultPayloadConverter.fromPayload(payload)).toEqual({ secret, fail: false });
  });
});
