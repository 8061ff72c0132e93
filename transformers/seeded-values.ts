/**
 * Value functions for transformers that work on one scalar at a time: S, N
 * and B, and their sets SS, NS and BS element by element. Both take the
 * name and the accepted types from the context the registry builds, so
 * messages and type checks always speak for the definition itself.
 *
 * `seededValueFunction` is the form for transformers with randomness (fakes
 * of every kind): each element is derived from a faker seeded by (salt, seed
 * scope, attempt, element), never comes back unchanged unless the
 * transformer says so, and a set keeps its size. `mappedValueFunction` is
 * the form for transformers without randomness (mask, hash).
 *
 * Both leave an empty S or B empty: it holds nothing to anonymize, and a
 * made-up value would read as data that was never there.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Faker } from '@faker-js/faker';
import { attributeType, type AttributeType } from '../model/item.ts';
import { numberKey } from '../model/decimal.ts';
import type { TransformerContext, ValueFunction } from './definition.ts';
import { TransformTypeError, TransformValueError } from './errors.ts';
import { formatPath, type Path } from '../model/path.ts';
import { SeededFaker } from './seeded-faker.ts';

/** Re-derivations tried before giving up on a value that differs from its input (and, in a set, from its siblings). */
export const MAX_ATTEMPTS = 100;

/** The type of one element: a scalar's own type, or a set's element type. */
export type ScalarType = 'S' | 'N' | 'B';

/**
 * What tells two elements of a set apart: DynamoDB compares numbers by value
 * (`8.3` and `8.30` are one number), strings and binaries by content (B
 * elements travel as base64 text here).
 */
export function valueKey(type: ScalarType, text: string): string {
  return type === 'N' ? numberKey(text) : text;
}

export interface SeededValuesOptions {
  /**
   * Completes "cannot read this S value as …" for an element `derive`
   * rejects by returning undefined.
   */
  readonly expects?: string;
  /**
   * One output element for `input` (number text for N, base64 for B) from a
   * faker seeded by (salt, scope, attempt, input); undefined when the input
   * is not something the transformer reads. `taken` holds the keys
   * (`valueKey`) of the outputs already chosen for other elements of the
   * same set, for transformers that can steer clear of them.
   */
  derive(faker: Faker, input: string, type: ScalarType, attempt: number, taken: ReadonlySet<string>): string | undefined;
  /**
   * By default an output equal to its input is derived again with the next
   * attempt. True when `derive` itself avoids its input whenever it has
   * another choice and returns it only when it has none (a range holding
   * only the input, a one-value list).
   */
  readonly allowUnchanged?: boolean;
  /**
   * An output that duplicates another element's in a set: derived again
   * with the next attempt (default, so the set keeps its size), or merged
   * with it (the set shrinks) for transformers with few possible outputs.
   */
  readonly setDuplicates?: 'rederive' | 'merge';
  /** What messages call an output: `fake` for made-up text (names, addresses, numbers of a kind); `value` unless said. */
  readonly outputNoun?: 'fake' | 'value';
}

const NOTHING_TAKEN: ReadonlySet<string> = new Set();

/**
 * The value function of a seeded element-wise transformer: scalar -> same
 * type, set -> set of the same type with every element derived, resolved in
 * sorted order so the order DynamoDB lists a set's elements in does not
 * change the outputs. Types outside the definition's `accepts` throw
 * TransformTypeError. Definitions using it declare `produces: 'same'`.
 */
export function seededValueFunction(context: TransformerContext, spec: SeededValuesOptions): ValueFunction {
  const { name } = context;
  const { derive, allowUnchanged = false, setDuplicates = 'rederive', outputNoun = 'value' } = spec;
  const expects = spec.expects ?? 'a value it transforms';
  const seeded = new SeededFaker(context.salt, context.seedScope);

  const one = (input: string, type: ScalarType, path: Path, taken: ReadonlySet<string> | undefined): string => {
    const inputKey = valueKey(type, input);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const output = derive(seeded.reseed(input, attempt), input, type, attempt, taken ?? NOTHING_TAKEN);
      if (output === undefined) throw new TransformValueError(path, name, type, expects);
      const key = valueKey(type, output);
      if (key === inputKey && !allowUnchanged) continue;
      if (setDuplicates === 'rederive' && taken?.has(key)) continue;
      return output;
    }
    const from = taken === undefined ? 'the input' : `its input element and the other ${outputNoun}s of its set`;
    throw new Error(`${formatPath(path)}: transformer "${name}" found no ${outputNoun} distinct from ${from} after ${MAX_ATTEMPTS} attempts`);
  };

  return elementwise(name, elementTypes(context), 'same', one);
}

export interface MappedValuesOptions {
  /** 'S': every scalar becomes S and every set SS (a hash of B); 'same' (default): the input's type. */
  readonly output?: 'same' | 'S';
  /** The output for one element (number text for N, base64 for B): a pure function of it. */
  map(input: string, type: ScalarType): string;
}

/**
 * The value function of a deterministic element-wise transformer. Elements
 * of a set that map to the same output merge, so such a set shrinks (a
 * deterministic map has no other choice to offer).
 */
export function mappedValueFunction(context: TransformerContext, { output = 'same', map }: MappedValuesOptions): ValueFunction {
  return elementwise(context.name, elementTypes(context), output, (input, type) => map(input, type));
}

/** The definition's types: an element-wise transformer names the ones it takes. */
function elementTypes({ name, accepts }: TransformerContext): readonly AttributeType[] {
  if (accepts === 'any') throw new Error(`transformer "${name}" works element by element, so it must list the types it accepts rather than 'any'`);
  return accepts;
}

type One = (input: string, type: ScalarType, path: Path, taken: ReadonlySet<string> | undefined) => string;

function elementwise(name: string, accepts: readonly AttributeType[], output: 'same' | 'S', one: One): ValueFunction {
  const scalar = (text: string, type: ScalarType): AttributeValue => {
    const to = output === 'S' ? 'S' : type;
    if (to === 'S') return { S: text };
    if (to === 'N') return { N: text };
    return { B: fromBase64(text) };
  };
  const set = (texts: string[], type: ScalarType): AttributeValue => {
    const to = output === 'S' ? 'S' : type;
    if (to === 'S') return { SS: texts };
    if (to === 'N') return { NS: texts };
    return { BS: texts.map(fromBase64) };
  };

  const elements = (inputs: readonly string[], type: ScalarType, path: Path): string[] => {
    const outType = output === 'S' ? 'S' : type;
    const byInput = new Map<string, string>();
    const taken = new Set<string>();
    for (const input of [...inputs].sort()) {
      // Sets hold no empty elements in DynamoDB; should one get here, it stays empty like a scalar.
      const out = input === '' ? '' : one(input, type, path, taken);
      taken.add(valueKey(outType, out));
      byInput.set(input, out);
    }
    // In input order; outputs that are one value (a merge) appear once.
    const seen = new Set<string>();
    const outputs: string[] = [];
    for (const input of inputs) {
      const out = byInput.get(input)!;
      const key = valueKey(outType, out);
      if (seen.has(key)) continue;
      seen.add(key);
      outputs.push(out);
    }
    return outputs;
  };

  return (value: AttributeValue, path: Path) => {
    const type = attributeType(value);
    if (!accepts.includes(type)) throw new TransformTypeError(path, name, accepts, type);
    if (value.S !== undefined) return scalar(value.S === '' ? '' : one(value.S, 'S', path, undefined), 'S');
    if (value.N !== undefined) return scalar(one(value.N, 'N', path, undefined), 'N');
    if (value.B !== undefined) return scalar(value.B.length === 0 ? '' : one(toBase64(value.B), 'B', path, undefined), 'B');
    if (value.SS !== undefined) return set(elements(value.SS, 'S', path), 'S');
    if (value.NS !== undefined) return set(elements(value.NS, 'N', path), 'N');
    if (value.BS !== undefined) return set(elements(value.BS.map(toBase64), 'B', path), 'B');
    // A definition listed a type (BOOL, NULL, M, L) that no element-wise transformer can handle.
    throw new TransformTypeError(path, name, accepts.filter(isElementwiseType), type);
  };
}

function isElementwiseType(type: AttributeType): boolean {
  return type === 'S' || type === 'N' || type === 'B' || type === 'SS' || type === 'NS' || type === 'BS';
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/**
 * A uniform integer in [lo, hi] (lo <= hi), however wide the range: up to
 * 2^53 values from one draw, beyond that from 32-bit draws with 64 spare
 * bits, which keeps the modulo bias below 2^-64.
 */
export function randomBigInt(faker: Faker, lo: bigint, hi: bigint): bigint {
  const span = hi - lo + 1n;
  if (span <= 0n) throw new RangeError('empty range');
  if (span <= 2n ** 53n) return lo + BigInt(faker.number.int({ min: 0, max: Number(span - 1n) }));
  const words = Math.ceil(span.toString(2).length / 32) + 2;
  let random = 0n;
  for (let i = 0; i < words; i++) random = (random << 32n) | BigInt(faker.number.int(0xffff_ffff));
  return lo + (random % span);
}

/**
 * A uniform integer in [lo, hi] other than `except`, in one draw; `except`
 * itself only when the range holds nothing else.
 */
export function randomBigIntExcept(faker: Faker, lo: bigint, hi: bigint, except: bigint | undefined): bigint {
  if (except === undefined || except < lo || except > hi || lo === hi) return randomBigInt(faker, lo, hi);
  const drawn = randomBigInt(faker, lo, hi - 1n);
  return drawn >= except ? drawn + 1n : drawn;
}
