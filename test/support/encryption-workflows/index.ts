/**
 * A workflow that carries a secret through every kind of payload Temporal
 * records (input, memo, signal, activity input and result, workflow result
 * or failure) and one whose activity holds a secret in its heartbeat
 * details, for the payload encryption test. Not dynamask's workflows:
 * those are being restructured, and this test is about the data converter.
 */
import { ApplicationFailure, condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';

export interface CarrySecretInput {
  secret: string;
  fail: boolean;
}

export interface EncryptionActivities {
  holdSecret(secret: string): Promise<string>;
  /** Heartbeats the secret as its details, then waits until the test has read them from the server. */
  heartbeatSecret(secret: string): Promise<void>;
}

export const releaseSignal = defineSignal<[string]>('release');

const { holdSecret, heartbeatSecret } = proxyActivities<EncryptionActivities>({ startToCloseTimeout: '60s', heartbeatTimeout: '30s', retry: { maximumAttempts: 1 } });

export async function carrySecret(input: CarrySecretInput): Promise<string> {
  let released: string | undefined;
  setHandler(releaseSignal, (value) => {
    released = value;
  });
  await condition(() => released !== undefined);
  const held = await holdSecret(`${input.secret}|${released}`);
  if (input.fail) throw ApplicationFailure.nonRetryable(`could not keep ${input.secret}`, 'KeepFailed', { secret: input.secret });
  return held;
}

export async function carryHeartbeat(secret: string): Promise<void> {
  await heartbeatSecret(secret);
}
