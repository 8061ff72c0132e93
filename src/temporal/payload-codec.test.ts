import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ApplicationFailure, defaultPayloadConverter, type Payload } from '@temporalio/common';
import { decodeFailure, encodeErrorToFailure } from '@temporalio/common/lib/internal-non-workflow/index.js';
import { loadDataConverter } from '@temporalio/common/lib/internal-non-workflow/data-converter-helpers.js';
import { Canaries, findCanaries, renderFindings, textsOf } from '../../test/support/canary.ts';
import type { CodecKey } from './codec-keys.ts';
import { dataConverterFromEnv, encryptingDataConverter } from './data-converter.ts';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING, METADATA_KEY_ID, PayloadCodecError } from './payload-codec.ts';

const key = (id: string): CodecKey => ({ id, key: new Uint8Array(randomBytes(32)) });
/** Payloads as plain JSON (bytes in hex), to compare whatever byte-array class protobufjs hands back. */
const plain = (payloads: Payload[]) =>
  payloads.map((payload) => ({
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([name, bytes]) => [name, Buffer.from(bytes).toString('hex')])),
    data: Buffer.from(payload.data ?? []).toString('hex'),
  }));
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');

/** Everything an observer of Temporal sees of a payload: metadata and data, as text, base64 and hex. */
function views(payloads: Payload[]): string {
  return payloads
    .flatMap((payload) => [...Object.entries(payload.metadata ?? {}), ['data', payload.data ?? new Uint8Array()] as const])
    .flatMap(([name, bytes]) => [name, Buffer.from(bytes).toString('latin1'), Buffer.from(bytes).toString('base64'), Buffer.from(bytes).toString('hex')])
    .join('\n');
}

describe('the AES-GCM payload codec', () => {
  const canaries = new Canaries();
  const secret = canaries.string('salt');
  const value = { salt: secret, cursor: { table: 'Users', n: 3 } };
  const original = () => [defaultPayloadConverter.toPayload(value), defaultPayloadConverter.toPayload(new Uint8Array(Buffer.from(secret)))];

  it('gives back the exact payloads it encoded, metadata and data', async () => {
    const codec = new AesGcmPayloadCodec([key('k1')]);
    const payloads = original();
    const decoded = await codec.decode(await codec.encode(payloads));
    expect(plain(decoded)).toEqual(plain(payloads));
    expect(defaultPayloadConverter.fromPayload(decoded[0]!)).toEqual(value);
  });

  it('shows Temporal only the encrypted encoding and the key id, and a fresh IV each time', async () => {
    const codec = new AesGcmPayloadCodec([key('k1')]);
    const [a, b] = await codec.encode([original()[0]!, original()[0]!]);
    expect(Object.keys(a!.metadata!)).toEqual(['encoding', METADATA_KEY_ID]);
    expect(text(a!.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(a!.metadata![METADATA_KEY_ID])).toBe('k1');
    expect(Buffer.from(a!.data!).subarray(0, 12).equals(Buffer.from(b!.data!).subarray(0, 12))).toBe(false);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('leaves no byte of the plaintext in what it encodes (as text, base64 or hex)', async () => {
    const codec = new AesGcmPayloadCodec([key('k1')]);
    const unencrypted = original();
    const encoded = await codec.encode(unencrypted);
    // The search finds the canary in the unencrypted payloads, so it would find it in the encrypted ones.
    expect(findCanaries(canaries, [{ where: 'plain', kind: 'plain', text: views(unencrypted) }]).length).toBeGreaterThan(0);
    const findings = findCanaries(canaries, [{ where: 'encoded', kind: 'encoded', text: views(encoded) }]);
    expect(findings, renderFindings(findings)).toEqual([]);
    for (const payload of encoded) {
      expect(Buffer.from(payload.data!).indexOf(Buffer.from(secret))).toBe(-1);
      expect(Buffer.from(payload.data!).indexOf(Buffer.from('json/plain'))).toBe(-1);
    }
  });

  it('detects any change to the IV, the ciphertext or the tag', async () => {
    const codec = new AesGcmPayloadCodec([key('k1')]);
    const [encoded] = await codec.encode([original()[0]!]);
    const length = encoded!.data!.length;
    for (const at of [0, 11, 12, Math.floor(length / 2), length - 17, length - 1]) {
      const data = new Uint8Array(encoded!.data!);
      data[at]! ^= 0x01;
      const error = await codec.decode([{ ...encoded!, data }]).catch((caught: unknown) => caught);
      expect(error, `byte ${at}`).toBeInstanceOf(PayloadCodecError);
      expect((error as PayloadCodecError).problem).toBe('authentication');
      expect((error as Error).message).toBe('a payload under key "k1" failed authentication: it was altered, or encrypted with another key under the same id');
    }
    const truncated = { ...encoded!, data: encoded!.data!.subarray(0, 20) };
    await expect(codec.decode([truncated])).rejects.toThrow('a payload under key "k1" is too short to be encrypted');
  });

  it('refuses a payload moved under another known key id', async () => {
    const k1 = key('k1');
    const k2 = key('k2');
    const [encoded] = await new AesGcmPayloadCodec([k1]).encode([original()[0]!]);
    const relabelled = { ...encoded!, metadata: { ...encoded!.metadata, [METADATA_KEY_ID]: new Uint8Array(Buffer.from('k2')) } };
    await expect(new AesGcmPayloadCodec([k2, k1]).decode([relabelled])).rejects.toThrow('a payload under key "k2" failed authentication');
  });

  it('rotates: the new key encrypts, the old one still decrypts', async () => {
    const old = key('2026-01');
    const next = key('2026-07');
    const before = await new AesGcmPayloadCodec([old]).encode(original());
    const rotated = new AesGcmPayloadCodec([next, old]);
    expect(plain(await rotated.decode(before))).toEqual(plain(original()));
    const after = await rotated.encode(original());
    expect(after.map((payload) => text(payload.metadata![METADATA_KEY_ID]))).toEqual(['2026-07', '2026-07']);
    expect(plain(await new AesGcmPayloadCodec([next]).decode(after))).toEqual(plain(original()));
  });

  it('names the unknown key id and the keys it has', async () => {
    const [encoded] = await new AesGcmPayloadCodec([key('2026-07')]).encode([original()[0]!]);
    const error = await new AesGcmPayloadCodec([key('2026-01'), key('2025-07')]).decode([encoded!]).catch((caught: unknown) => caught);
    expect((error as PayloadCodecError).problem).toBe('unknownKey');
    expect((error as Error).message).toBe(
      `a payload is encrypted under key "2026-07", which is not among this process's codec keys ("2026-01", "2025-07"); add it to the key file to read it`,
    );
  });

  it('passes payloads that are not encrypted through decode (histories from before encryption)', async () => {
    const payloads = original();
    expect(await new AesGcmPayloadCodec([key('k1')]).decode(payloads)).toEqual(payloads);
  });

  it('refuses keys of the wrong size and duplicate ids', () => {
    expect(() => new AesGcmPayloadCodec([])).toThrow('the payload codec needs at least one key');
    expect(() => new AesGcmPayloadCodec([{ id: 'a', key: new Uint8Array(16) }])).toThrow('codec key "a" is 16 bytes; AES-256 needs 32');
    expect(() => new AesGcmPayloadCodec([key('a'), key('a')])).toThrow('codec key id "a" appears twice');
  });
});

describe('the encrypting data converter', () => {
  it('is absent without keys: Temporal default, as today', async () => {
    expect(await dataConverterFromEnv({})).toBeUndefined();
  });

  it('encodes failure messages and stack traces, so the codec encrypts them too', async () => {
    const canaries = new Canaries();
    const secret = canaries.string('failure message');
    const keys = [key('k1')];
    const converter = loadDataConverter(encryptingDataConverter(keys));
    const failure = await encodeErrorToFailure(converter, ApplicationFailure.nonRetryable(`cannot copy ${secret}`, 'CopyFailed', { item: secret }));
    expect(failure.message).toBe('Encoded failure');
    const seen = findCanaries(canaries, [{ where: 'failure', kind: 'failure', text: textsOf(failure).join('\n') }]);
    expect(seen, renderFindings(seen)).toEqual([]);
    const decoded = await decodeFailure(converter.payloadCodecs, failure);
    expect(converter.failureConverter.failureToError(decoded, converter.payloadConverter).message).toBe(`cannot copy ${secret}`);
  });

  it('builds from the environment', async () => {
    const converter = await dataConverterFromEnv({ DYNAMASK_CODEC_KEY_DATA: `k1=${randomBytes(32).toString('base64')}` });
    expect(converter?.payloadCodecs).toHaveLength(1);
    expect(converter?.failureConverterPath).toMatch(/failure-converter\.ts$/);
  });
});
