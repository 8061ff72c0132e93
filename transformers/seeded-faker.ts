/**
 * Deterministic fakes: the output is a pure function of (salt, transformer
 * name, options, input value, attempt).
 *
 * `faker.seed(n)` re-initialises a Mersenne Twister (~35 µs a value), so each
 * transformer instance instead owns one `Faker` whose randomizer is a small
 * PRNG (sfc32) that reseeds for free from HMAC-SHA-256(salt, scope ‖ attempt ‖
 * input). Keying by the salt means that nobody without it can recompute
 * fakes to link them back to their inputs.
 */
import { createHmac } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { Faker, base, en, type Randomizer } from '@faker-js/faker';
import { attributeType, type AttributeType } from '../model/item.ts';
import type { TransformerContext, ValueFunction } from './definition.ts';
import { formatPath, type Path } from '../model/path.ts';
import { TransformTypeError } from './errors.ts';

interface ReseedableRandomizer extends Randomizer {
  /** Takes the state from the first 16 bytes (of the HMAC digest). */
  reseedFromBytes(bytes: Buffer): void;
}

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting RNG), 128-bit state.
 * Closures rather than methods: faker calls `next` detached from its object.
 */
function createSfc32Randomizer(): ReseedableRandomizer {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 1;
  const next32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  const setState = (a0: number, b0: number, c0: number, d0: number): void => {
    a = a0 | 0;
    b = b0 | 0;
    c = c0 | 0;
    d = d0 | 0;
    for (let i = 0; i < 12; i++) next32();
  };
  return {
    // A float in [0, 1) with 53 random bits, like faker's default randomizer.
    next: () => ((next32() >>> 5) * 67108864 + (next32() >>> 6)) / 9007199254740992,
    seed(seed) {
      const words = typeof seed === 'number' ? [seed] : seed;
      setState(words[0] ?? 0, words[1] ?? 0x9e3779b9, words[2] ?? 0x243f6a88, words[3] ?? 1);
    },
    reseedFromBytes(bytes) {
      setState(bytes.readUInt32LE(0), bytes.readUInt32LE(4), bytes.readUInt32LE(8), bytes.readUInt32LE(12));
    },
  };
}

/**
 * One `Faker` (locale en) per transformer instance. Not reentrant: the faker
 * `reseed` returns is only valid until the next call.
 */
export class SeededFaker {
  private readonly salt: string;
  private readonly scope: string;
  private readonly randomizer = createSfc32Randomizer();
  private readonly faker: Faker;

  /** `scope` separates transformers and options; see `transformerScope`. */
  constructor(salt: string, scope: string) {
    this.salt = salt;
    this.scope = scope;
    this.faker = new Faker({ locale: [en, base], randomizer: this.randomizer });
  }

  /** Reseeds from (salt, scope, attempt, input) and returns the faker to draw from. */
  reseed(input: string, attempt = 0): Faker {
    // scope is JSON (prefix-free) and `${attempt}:` ends at its colon, so the
    // concatenation cannot be read two ways.
    const digest = createHmac('sha256', this.salt).update(this.scope).update(`${attempt}:`).update(input).digest();
    this.randomizer.reseedFromBytes(digest);
    return this.faker;
  }
}

/**
 * The seed scope of a transformer instance: its name and its parsed options
 * (defaults filled in, keys sorted), so `{}` and `{ preserveDomain: false }`
 * give the same fakes and two transformers never share a stream.
 */
export function transformerScope(name: string, options: unknown): string {
  return JSON.stringify([name, sortKeys(options)]);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** Re-derivations tried before giving up on a value that differs from its input (and, in a set, from its siblings). */
export const MAX_ATTEMPTS = 100;

export interface FakeStringOptions {
  /** Transformer name: part of the seed and of error messages. */
  readonly name: string;
  /** Parsed options: part of the seed. */
  readonly options: unknown;
  readonly context: TransformerContext;
  /** Draws one fake for `input` from an already seeded faker. */
  readonly fake: (faker: Faker, input: string) => string;
}

const STRING_TYPES: readonly AttributeType[] = ['S', 'SS'];

/**
 * The value function shared by every faker-backed string transformer: S ->
 * S, SS -> SS (every element replaced, duplicates re-derived), and never the
 * input unchanged. An empty S stays empty: it holds nothing to anonymize, and
 * a made-up value would read as data that was never there. Definitions using
 * it should declare `accepts: ['S', 'SS']` and `produces: 'same'`.
 */
export function fakeStringValueFunction({ name, options, context, fake }: FakeStringOptions): ValueFunction {
  const seeded = new SeededFaker(context.salt, transformerScope(name, options));

  const derive = (input: string, path: Path, taken?: ReadonlySet<string>): string => {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const output = fake(seeded.reseed(input, attempt), input);
      if (output !== input && !taken?.has(output)) return output;
    }
    const from = taken === undefined ? 'the input' : 'its input element and the other fakes of its set';
    throw new Error(`${formatPath(path)}: transformer "${name}" found no fake distinct from ${from} after ${MAX_ATTEMPTS} attempts`);
  };

  return (value: AttributeValue, path: Path) => {
    if (value.S !== undefined) return value.S === '' ? value : { S: derive(value.S, path) };
    if (value.SS !== undefined) {
      // Resolve collisions in sorted order, so that the same set gives the
      // same fakes whatever order DynamoDB lists its elements in.
      const byInput = new Map<string, string>();
      const taken = new Set<string>();
      for (const element of [...value.SS].sort()) {
        // Sets hold no empty elements in DynamoDB; should one get here, it stays empty like a scalar.
        const output = element === '' ? '' : derive(element, path, taken);
        taken.add(output);
        byInput.set(element, output);
      }
      return { SS: value.SS.map((element) => byInput.get(element)!) };
    }
    throw new TransformTypeError(path, name, STRING_TYPES, attributeType(value));
  };
}
