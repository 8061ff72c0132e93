/**
 * Reads the secret a reference names, on the worker: its environment,
 * Secrets Manager (GetSecretValue, optionally one key of a JSON
 * SecretString) or SSM Parameter Store (GetParameter of a SecureString,
 * WithDecryption). Values are cached for a short TTL and never logged; every
 * failure is a SecretError that names the reference and the problem, with
 * no part of the value (not even the JSON parser's message, which quotes
 * its input).
 */
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import type { ConnectionConfig } from '../../model/job.ts';
import {
  describeSecretRef,
  isSecretRef,
  regionOfArn,
  type SecretRef,
  type SecretSource,
  type SecretsManagerSecretRef,
  type SsmParameterRef,
} from '../../model/secret-ref.ts';
import { SecretCache } from './secret-cache.ts';
import { SecretError } from './secret-error.ts';
import { storeError } from './store-failure.ts';
import { SecretStoreClients, type StoreClientSettings } from './secret-store-clients.ts';

export const DEFAULT_SECRET_TTL_MS = 5 * 60_000;

export interface SecretResolverOptions {
  /** How long a value read from a store is reused; 0 reads the store every time. */
  ttlMs?: number;
  /** The worker's environment, for `{ env }` references. */
  env?: NodeJS.ProcessEnv;
  /** One line per store read, naming the reference only. */
  log?: (line: string) => void;
  now?: () => number;
}

export interface ResolveContext {
  /** The job's connections, for references that name one. */
  connections?: Record<string, ConnectionConfig>;
}

/** DYNAMASK_SECRET_TTL_SECONDS sets the cache time (default 300; 0 turns the cache off). */
export function secretResolverOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): SecretResolverOptions {
  const raw = env.DYNAMASK_SECRET_TTL_SECONDS;
  if (raw === undefined || raw === '') return { env };
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new Error(`DYNAMASK_SECRET_TTL_SECONDS=${raw}: expected a number of seconds, 0 or more`);
  }
  return { env, ttlMs: seconds * 1000 };
}

export class SecretResolver {
  readonly #cache: SecretCache;
  readonly #clients = new SecretStoreClients();
  readonly #env: NodeJS.ProcessEnv;
  readonly #log: (line: string) => void;
  readonly #ttlMs: number;

  constructor(options: SecretResolverOptions = {}) {
    this.#ttlMs = options.ttlMs ?? DEFAULT_SECRET_TTL_MS;
    this.#cache = new SecretCache({ ttlMs: this.#ttlMs, ...(options.now ? { now: options.now } : {}) });
    this.#env = options.env ?? process.env;
    this.#log = options.log ?? (() => {});
  }

  /** The secret's value; a literal (demos) is its own value. */
  async resolve(source: SecretSource, context: ResolveContext = {}): Promise<string> {
    if (!isSecretRef(source)) return source;
    if ('env' in source) return this.#fromEnv(source);
    const settings = this.#settings(source, context);
    const key = JSON.stringify([source, settings]);
    return this.#cache.get(key, async () => {
      const value = 'secretsManager' in source ? await this.#fromSecretsManager(source, settings) : await this.#fromSsm(source, settings);
      this.#log(`secrets: read ${describeSecretRef(source)}${this.#ttlMs > 0 ? ` (kept for ${Math.round(this.#ttlMs / 1000)}s)` : ''}`);
      return value;
    });
  }

  /** Forget cached values, so that the next resolve reads the stores again (a rotated secret). */
  clear(): void {
    this.#cache.clear();
  }

  destroy(): void {
    this.#cache.clear();
    this.#clients.destroy();
  }

  #fromEnv(ref: { env: string }): string {
    const value = this.#env[ref.env];
    if (value === undefined) throw new SecretError(ref, { code: 'notSet' });
    if (value === '') throw new SecretError(ref, { code: 'empty' });
    return value;
  }

  #settings(ref: SecretsManagerSecretRef | SsmParameterRef, context: ResolveContext): StoreClientSettings {
    let connection: ConnectionConfig = {};
    if (ref.connection !== undefined) {
      const named = context.connections?.[ref.connection];
      if (!named) throw new SecretError(ref, { code: 'unknownConnection', connection: ref.connection });
      connection = named;
    }
    const id = 'secretsManager' in ref ? ref.secretsManager : ref.ssm;
    const region = ref.region ?? regionOfArn(id) ?? connection.region;
    // The connection's endpoint is DynamoDB's: it says nothing about where the secret stores are.
    const { profile, roleArn, externalId } = connection;
    return { region, profile, roleArn, externalId };
  }

  async #fromSecretsManager(ref: SecretsManagerSecretRef, settings: StoreClientSettings): Promise<string> {
    const client = this.#clients.secretsManager(settings);
    const answer = await client.send(new GetSecretValueCommand({ SecretId: ref.secretsManager })).catch((error: unknown) => {
      throw storeError(ref, error);
    });
    if (answer.SecretString === undefined) {
      throw new SecretError(ref, { code: 'notString', kind: answer.SecretBinary ? 'binary data (SecretBinary)' : 'no SecretString' });
    }
    const value = ref.key === undefined ? answer.SecretString : pickKey(ref, ref.key, answer.SecretString);
    if (value === '') throw new SecretError(ref, { code: 'empty' });
    return value;
  }

  async #fromSsm(ref: SsmParameterRef, settings: StoreClientSettings): Promise<string> {
    const client = this.#clients.ssm(settings);
    const answer = await client.send(new GetParameterCommand({ Name: ref.ssm, WithDecryption: true })).catch((error: unknown) => {
      throw storeError(ref, error);
    });
    const parameter = answer.Parameter;
    if (!parameter) throw new SecretError(ref, { code: 'notFound' });
    if (parameter.Type !== 'SecureString') throw new SecretError(ref, { code: 'notSecureString', type: parameter.Type ?? 'untyped' });
    if (!parameter.Value) throw new SecretError(ref, { code: 'empty' });
    return parameter.Value;
  }
}

function pickKey(ref: SecretRef, key: string, secretString: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    // No cause: the parser's message quotes the text it could not parse.
    throw new SecretError(ref, { code: 'notJsonObject', key });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SecretError(ref, { code: 'notJsonObject', key });
  if (!Object.hasOwn(parsed, key)) throw new SecretError(ref, { code: 'missingKey', key });
  const value = (parsed as Record<string, unknown>)[key];
  if (typeof value !== 'string') throw new SecretError(ref, { code: 'notString', kind: kindOf(value) });
  return value;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
