/**
 * The keyed, collision-free, format-preserving permutation of identifiers:
 * `permute` maps each shape of formats.ts onto itself, one to one, so two
 * different identifiers never become one and every identifier keeps its
 * format, length, case and (for UUIDs) version and variant.
 *
 * A shape is a subset of its range's renderings, so a value is permuted by
 * walking the cycle of the range permutation until a rendering has the
 * value's shape again ("cycle-walking"); `invert` walks back the same way.
 * That restricts a permutation of the range to a permutation of the shape.
 *
 * Strings with no shape are never outputs (every output has the shape of
 * its input), so a caller that leaves them as they are keeps the whole
 * mapping one to one; anything else it does with them must stay out of the
 * shapes too.
 *
 * Like any random permutation it can leave a value as it was, with
 * probability 1/size (one in ten for a single digit); a caller that must
 * never return its input cannot get that from a bijection of tiny sets.
 *
 * Permuted values are remembered for a while (recent-values.ts): a
 * single-table item repeats its identifiers in several attributes.
 *
 * Everything that depends on the input value stays out of error messages.
 */
import { classify, classifyNumber, formatOfKey, shapeOfKey, type FormatName, type Shape } from './formats.ts';
import { deriveKeys } from './keys.ts';
import { RangePermutations } from './range-permutation.ts';
import { RecentValues } from './recent-values.ts';

export interface Permutation {
  /** The format `value` is permuted as, or undefined when it has none (see formats.ts). */
  format(value: string): FormatName | undefined;
  /** The permuted value; throws UnsupportedFormatError when `value` has no format. */
  permute(value: string): string;
  /** The value `permute` maps onto `value`. Only a holder of the salt can compute it. */
  invert(value: string): string;
  /**
   * For a number (an N attribute): an integer to another with the same sign
   * and count of digits, never a leading zero; throws UnsupportedFormatError
   * for anything but an integer so written. Numbers map apart from strings:
   * `permuteNumber('1234')` is not `permute('1234')`.
   */
  permuteNumber(text: string): string;
  invertNumber(text: string): string;
}

/** Why a string has no format; the message names the reason, never the value. */
export type UnsupportedReason = 'empty' | 'character' | 'dash' | 'uuid-case' | 'uuid-version' | 'number';

const STRING_FORMATS = '(formats: digits, hex, UUID, alphanumeric)';
const REASON_TEXT: Record<UnsupportedReason, string> = {
  empty: `it is empty ${STRING_FORMATS}`,
  character: `it has a character other than an ASCII letter or digit ${STRING_FORMATS}`,
  dash: `it has a dash and is not a UUID ${STRING_FORMATS}`,
  'uuid-case': `it is a UUID in mixed case ${STRING_FORMATS}`,
  'uuid-version': `it is a UUID of a version other than 1-8 or a variant other than RFC 9562 (the nil and max UUIDs among them) ${STRING_FORMATS}`,
  number: 'it is not an integer written without leading zeros (digits, a minus sign before them or not)',
};

export class UnsupportedFormatError extends Error {
  override name = 'UnsupportedFormatError';
  readonly reason: UnsupportedReason;

  constructor(reason: UnsupportedReason) {
    super(`cannot permute this value as an identifier: ${REASON_TEXT[reason]}`);
    this.reason = reason;
  }
}

/** Values remembered per generation (recent-values.ts): a megabyte or so of strings at most. */
const RECENT_VALUES = 4096;

/**
 * `salt`: the job salt, the only secret. `scope`: the transformer's scope
 * (`transformerScope(name, options)`), the tweak: the same scope must be
 * used wherever one identifier has to map alike.
 */
export function createPermutation(salt: string, scope: string): Permutation {
  const ranges = new RangePermutations(deriveKeys(salt), scope);
  const permuted = new RecentValues(RECENT_VALUES);
  const permutedNumbers = new RecentValues(RECENT_VALUES);

  const walk = (value: string, classifier: (value: string) => string | undefined, direction: 'forward' | 'backward'): string => {
    const key = classifier(value);
    if (key === undefined) throw new UnsupportedFormatError(classifier === classify ? unsupportedReason(value) : 'number');
    const shape: Shape = shapeOfKey(key);
    const range = ranges.get(shape);
    let x = shape.toInteger(value);
    for (;;) {
      x = range[direction](x);
      const out = shape.fromInteger(x);
      if (classifier(out) === key) return out;
    }
  };

  return {
    format(value) {
      const key = classify(value);
      return key === undefined ? undefined : formatOfKey(key);
    },
    permute(value) {
      let out = permuted.get(value);
      if (out === undefined) {
        out = walk(value, classify, 'forward');
        permuted.set(value, out);
      }
      return out;
    },
    invert: (value) => walk(value, classify, 'backward'),
    permuteNumber(text) {
      let out = permutedNumbers.get(text);
      if (out === undefined) {
        out = walk(text, classifyNumber, 'forward');
        permutedNumbers.set(text, out);
      }
      return out;
    },
    invertNumber: (text) => walk(text, classifyNumber, 'backward'),
  };
}

function unsupportedReason(value: string): UnsupportedReason {
  if (value.length === 0) return 'empty';
  if (/[^0-9A-Za-z-]/.test(value)) return 'character';
  if (!/^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/.test(value)) return 'dash';
  if (/[a-f]/.test(value) && /[A-F]/.test(value)) return 'uuid-case';
  return 'uuid-version';
}
