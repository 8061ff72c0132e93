/**
 * Temporal connection settings the way Temporal's own tools read them
 * (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS settings, the
 * profile file) through @temporalio/envconfig, and the client and worker
 * connections made from them. Every client encrypts payloads when codec
 * keys are configured (data-converter.ts), as the workers do.
 */
import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig, type ClientConnectConfig } from '@temporalio/envconfig';
import { NativeConnection } from '@temporalio/worker';
import { TASK_QUEUE } from '../../workflows/shared.ts';
import { dataConverterFromEnv } from './data-converter.ts';

/** DYNAMASK_TASK_QUEUE lets several deployments (or tests) share one Temporal namespace. */
export function taskQueueFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.DYNAMASK_TASK_QUEUE || TASK_QUEUE;
}

export interface TemporalTarget {
  connectionOptions: ClientConnectConfig['connectionOptions'];
  namespace: string;
}

/** Settings from the environment; an explicit address (the embedded stack) wins. */
export function temporalTarget(overrides: { address?: string; namespace?: string } = {}): TemporalTarget {
  const { connectionOptions, namespace } = loadClientConnectConfig();
  return {
    connectionOptions: { ...connectionOptions, ...(overrides.address ? { address: overrides.address } : {}) },
    namespace: overrides.namespace ?? namespace ?? 'default',
  };
}

export function describeTarget(target: TemporalTarget): string {
  return `${target.connectionOptions.address ?? 'localhost:7233'} (namespace ${target.namespace})`;
}

/** A client of the target; with codec keys in `env`, everything it sends is encrypted and everything it reads decrypted. */
export async function connectClient(target: TemporalTarget, env: NodeJS.ProcessEnv = process.env): Promise<Client> {
  // Keys first: a bad key file is the user's to fix, and needs no connection to say so.
  const dataConverter = await dataConverterFromEnv(env);
  const connection = await Connection.connect(target.connectionOptions as Parameters<typeof Connection.connect>[0]).catch((error: unknown) => {
    throw new Error(`cannot reach Temporal at ${describeTarget(target)}`, { cause: error });
  });
  return new Client({ connection, namespace: target.namespace, ...(dataConverter && { dataConverter }) });
}

export async function connectWorker(target: TemporalTarget): Promise<NativeConnection> {
  return NativeConnection.connect(target.connectionOptions).catch((error: unknown) => {
    throw new Error(`cannot reach Temporal at ${describeTarget(target)}`, { cause: error });
  });
}
