/**
 * Deterministic fakes: the output is a pure function of (salt, seed scope
 * (the transformer's name and options, seed-scope.ts), input value, attempt).
 *
 * `faker.seed(n)` re-initialises a Mersenne Twister (~35 µs a value), so each
 * transformer instance instead owns one `Faker` whose randomizer is a small
 * PRNG (sfc32) that reseeds for free from HMAC-SHA-256(salt, scope ‖ attempt ‖
 * input) (keyed-digest.ts). Keying by the salt means that nobody without it can recompute
 * fakes to link them back to their inputs. Its templates are filled by
 * faker-templates.ts, which parses each one once.
 */
import { EN, Faker, type Randomizer } from './faker-en.ts';
import { withCachedTemplates } from './faker-templates.ts';
import { KeyedDigest } from './keyed-digest.ts';

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

/** The randomizer behind each SeededFaker's faker (indexDrawer). */
const randomizers = new WeakMap<Faker, Randomizer>();

/**
 * `n => faker.number.int(n - 1)`: the same draws from the same stream,
 * without faker's handling of options (an object destructured, integer
 * checks, a distributor) on every call, for transformers that draw once per
 * character. Any other faker gets faker.number.int itself.
 */
export function indexDrawer(faker: Faker): (n: number) => number {
  const randomizer = randomizers.get(faker);
  if (randomizer === undefined) return (n) => faker.number.int(n - 1);
  const { next } = randomizer;
  return (n) => Math.floor(next() * n);
}

/**
 * One `Faker` (locale en) per transformer instance. Not reentrant: the faker
 * `reseed` returns is only valid until the next call.
 */
export class SeededFaker {
  private readonly digest: KeyedDigest;
  private readonly randomizer = createSfc32Randomizer();
  private readonly faker: Faker;

  /** `scope` separates transformers and options: the context's `seedScope`. */
  constructor(salt: string, scope: string) {
    this.digest = new KeyedDigest(salt, scope);
    this.faker = withCachedTemplates(new Faker({ locale: EN, randomizer: this.randomizer }));
    randomizers.set(this.faker, this.randomizer);
  }

  /** Reseeds from (salt, scope, attempt, input) and returns the faker to draw from. */
  reseed(input: string, attempt = 0): Faker {
    // scope is JSON (prefix-free) and `${attempt}:` ends at its colon, so the
    // concatenation cannot be read two ways.
    this.randomizer.reseedFromBytes(this.digest.digest(`${attempt}:${input}`));
    return this.faker;
  }
}
