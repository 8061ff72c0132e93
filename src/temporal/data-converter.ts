/**
 * The data converter for the client and the worker: with codec keys
 * configured (codec-keys.ts), payloads go through the AES-GCM payload codec
 * and failures have their message and stack encoded, so the codec encrypts
 * those too. Without keys there is no data converter: Temporal's default,
 * today's behaviour.
 *
 * Both the client and the worker must use it (a worker without the keys
 * cannot read what an encrypting client sent), and the workflow bundle must
 * be built with the same failureConverterPath.
 */
import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import { codecKeysFromEnv, type CodecKey } from './codec-keys.ts';
import { AesGcmPayloadCodec } from './payload-codec.ts';

export const FAILURE_CONVERTER_PATH = fileURLToPath(new URL('./failure-converter.ts', import.meta.url));

export function encryptingDataConverter(keys: readonly CodecKey[]): DataConverter {
  return { payloadCodecs: [new AesGcmPayloadCodec(keys)], failureConverterPath: FAILURE_CONVERTER_PATH };
}

/** The encrypting data converter when the environment names codec keys; undefined (Temporal's default) when not. */
export async function dataConverterFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<DataConverter | undefined> {
  const keys = await codecKeysFromEnv(env);
  return keys ? encryptingDataConverter(keys) : undefined;
}
