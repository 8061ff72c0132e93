/**
 * A payload codec that encrypts every payload dynamask sends to Temporal
 * (workflow and activity inputs and results, signals, queries, memos,
 * heartbeat details, and failure messages once the failure converter encodes
 * them): AES-256-GCM with a fresh 12-byte IV per payload, over the whole
 * original payload (its metadata and data, protobuf-encoded), so Temporal
 * sees neither the value nor its encoding.
 *
 * The encrypted payload has the shape of Temporal's encryption samples
 * (Go, Python, TypeScript): metadata `encoding: binary/encrypted` and
 * `encryption-key-id: <id>`, data `IV ‖ ciphertext ‖ tag`, so a codec server
 * from those samples with the same key can read it.
 *
 * Several keys decrypt and the first encrypts, so keys rotate without
 * making older histories unreadable. A payload without the encrypted
 * encoding passes through decode unchanged: histories written before
 * encryption was turned on still read.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, ValueError, type Payload, type PayloadCodec } from '@temporalio/common';
// A CommonJS module whose named exports Node's ESM loader cannot detect: take the namespace whole.
import proto from '@temporalio/proto';
import { KEY_BYTES, type CodecKey } from './codec-keys.ts';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const METADATA_KEY_ID = 'encryption-key-id';
const CIPHER = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const PayloadMessage = proto.temporal.api.common.v1.Payload;

export type PayloadCodecProblem = 'unknownKey' | 'authentication' | 'malformed';

/** Why a payload could not be decoded; names the key id, never key material or plaintext. */
export class PayloadCodecError extends ValueError {
  readonly problem: PayloadCodecProblem;

  constructor(problem: PayloadCodecProblem, message: string) {
    super(message);
    this.problem = problem;
  }
}

export class AesGcmPayloadCodec implements PayloadCodec {
  readonly #keys: ReadonlyMap<string, Uint8Array>;
  readonly #encryptingKeyId: string;

  /** The first key encrypts; all of them decrypt. */
  constructor(keys: readonly CodecKey[]) {
    const [first] = keys;
    if (!first) throw new Error('the payload codec needs at least one key');
    const byId = new Map<string, Uint8Array>();
    for (const { id, key } of keys) {
      if (key.length !== KEY_BYTES) throw new Error(`codec key "${id}" is ${key.length} bytes; AES-256 needs ${KEY_BYTES}`);
      if (byId.has(id)) throw new Error(`codec key id "${id}" appears twice`);
      byId.set(id, key);
    }
    this.#keys = byId;
    this.#encryptingKeyId = first.id;
  }

  get keyIds(): string[] {
    return [...this.#keys.keys()];
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const keyId = this.#encryptingKeyId;
    const key = this.#keys.get(keyId)!;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(CIPHER, key, iv, { authTagLength: TAG_BYTES });
      const plaintext = PayloadMessage.encode(payload).finish();
      const data = Buffer.concat([iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: { [METADATA_ENCODING_KEY]: utf8(ENCRYPTED_ENCODING), [METADATA_KEY_ID]: utf8(keyId) },
        data: new Uint8Array(data),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
      if (!encoding || text(encoding) !== ENCRYPTED_ENCODING) return payload;
      const keyIdBytes = payload.metadata?.[METADATA_KEY_ID];
      if (!keyIdBytes) throw new PayloadCodecError('malformed', `an encrypted payload has no ${METADATA_KEY_ID} in its metadata`);
      const keyId = text(keyIdBytes);
      const key = this.#keys.get(keyId);
      if (!key) {
        throw new PayloadCodecError(
          'unknownKey',
          `a payload is encrypted under key "${keyId}", which is not among this process's codec keys (${this.keyIds.map((id) => `"${id}"`).join(', ')}); add it to the key file to read it`,
        );
      }
      const data = payload.data ?? new Uint8Array();
      if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadCodecError('malformed', `a payload under key "${keyId}" is too short to be encrypted`);
      const decipher = createDecipheriv(CIPHER, key, data.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      let plaintext: Buffer;
      try {
        plaintext = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      } catch {
        throw new PayloadCodecError(
          'authentication',
          `a payload under key "${keyId}" failed authentication: it was altered, or encrypted with another key under the same id`,
        );
      }
      const original = PayloadMessage.decode(plaintext);
      return {
        metadata: original.metadata,
        data: original.data,
        ...(original.externalPayloads.length > 0 ? { externalPayloads: original.externalPayloads } : {}),
      };
    });
  }
}

function utf8(value: string): Uint8Array {
  return new TextEncoder().encode(value);
}

function text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}
