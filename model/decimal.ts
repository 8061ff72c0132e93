/**
 * Exact decimal arithmetic on DynamoDB number text.
 *
 * DynamoDB numbers carry up to 38 significant digits, more than a float
 * holds, and a float printed back (`String(x)`) may come out as `1e-7` or
 * lose the last digits of a large integer. So number transformers read the
 * text into a bigint of units and a scale, compute on that, and write plain
 * decimal text with exactly the places they mean.
 */

/** The value `units / 10^scale`; `scale` (>= 0) is the number of decimal places. */
export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

export type Rounding = 'floor' | 'ceil' | 'halfEven';

/** The most significant digits DynamoDB stores in a number. */
export const DYNAMODB_SIGNIFICANT_DIGITS = 38;

const NUMBER_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Far beyond DynamoDB's range (1E-130 to 1E+126), yet small enough that
 * `10n ** exponent` stays cheap for text that was never a DynamoDB number.
 */
const MAX_EXPONENT = 400;

/**
 * Reads number text as DynamoDB and JSON write it: an optional sign, digits
 * with an optional fraction, an optional exponent (`-12.50`, `.5`, `1.5E3`).
 * The scale is the number of places the text shows (`8.30` has 2; `1.5E3`
 * has 0). Undefined for anything else, including surrounding spaces.
 */
export function parseDecimal(text: string): Decimal | undefined {
  const match = NUMBER_TEXT.exec(text);
  if (match === null) return undefined;
  const [, sign, whole = '', fraction = '', exponentText] = match;
  if (whole === '' && fraction === '') return undefined;
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  if (Math.abs(exponent) > MAX_EXPONENT) return undefined;
  let units = BigInt(whole + fraction);
  let scale = fraction.length - exponent;
  if (scale < 0) {
    units *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { units: sign === '-' ? -units : units, scale };
}

/** Plain decimal text with exactly `scale` places: never an exponent, never `-0`. */
export function formatDecimal({ units, scale }: Decimal): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const text = scale === 0 ? whole : `${whole}.${digits.slice(digits.length - scale)}`;
  return negative ? `-${text}` : text;
}

/** The exact decimal value of a finite float as JavaScript prints it (0.1 is 0.1, 1e21 is 1 followed by 21 zeros). */
export function decimalFromNumber(value: number): Decimal {
  if (!Number.isFinite(value)) throw new RangeError('not a finite number');
  return parseDecimal(String(value))!;
}

/** `decimal` with `places` decimal places, rounded as asked when places are dropped. */
export function rescale(decimal: Decimal, places: number, rounding: Rounding = 'halfEven'): Decimal {
  if (places >= decimal.scale) return { units: decimal.units * 10n ** BigInt(places - decimal.scale), scale: places };
  return { units: divide(decimal.units, 10n ** BigInt(decimal.scale - places), rounding), scale: places };
}

/** Whether `decimal` has no more than `places` places once trailing zeros are dropped. */
export function fitsPlaces(decimal: Decimal, places: number): boolean {
  return decimal.scale <= places || decimal.units % 10n ** BigInt(decimal.scale - places) === 0n;
}

/** Drops trailing fractional zeros: the one spelling of a value (`8.30` and `8.3` both become 8.3). */
export function normalizeDecimal({ units, scale }: Decimal): Decimal {
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale--;
  }
  return { units, scale };
}

/**
 * A text that equal numbers share (`8.30`, `8.3` and `83E-1` all give `8.3`),
 * for telling numbers of a set apart the way DynamoDB does. Text that is not
 * a number is its own key.
 */
export function numberKey(text: string): string {
  const decimal = parseDecimal(text);
  return decimal === undefined ? text : formatDecimal(normalizeDecimal(decimal));
}

export function addDecimals(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale);
  return { units: rescale(a, scale).units + rescale(b, scale).units, scale };
}

export function subtractDecimals(a: Decimal, b: Decimal): Decimal {
  return addDecimals(a, { units: -b.units, scale: b.scale });
}

export function multiplyDecimals(a: Decimal, b: Decimal): Decimal {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

export function compareDecimals(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const scale = Math.max(a.scale, b.scale);
  const x = rescale(a, scale).units;
  const y = rescale(b, scale).units;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** `[x - |x| * percent / 100, x + |x| * percent / 100]`, exactly. */
export function percentRange(x: Decimal, percent: Decimal): [Decimal, Decimal] {
  const magnitude = { units: x.units < 0n ? -x.units : x.units, scale: x.scale };
  const delta = multiplyDecimals(magnitude, { units: percent.units, scale: percent.scale + 2 });
  return [subtractDecimals(x, delta), addDecimals(x, delta)];
}

/**
 * Rounds (half to even) to at most `digits` significant digits, keeping the
 * scale; a value with more would be refused by DynamoDB.
 */
export function limitSignificantDigits(decimal: Decimal, digits = DYNAMODB_SIGNIFICANT_DIGITS): Decimal {
  const magnitude = decimal.units < 0n ? -decimal.units : decimal.units;
  const excess = magnitude.toString().length - digits;
  if (excess <= 0) return decimal;
  const unit = 10n ** BigInt(excess);
  return { units: divide(decimal.units, unit, 'halfEven') * unit, scale: decimal.scale };
}

/** `n / d` for d > 0, rounded as asked. */
function divide(n: bigint, d: bigint, rounding: Rounding): bigint {
  const quotient = n / d; // truncates toward zero
  const remainder = n % d;
  if (remainder === 0n) return quotient;
  if (rounding === 'floor') return n < 0n ? quotient - 1n : quotient;
  if (rounding === 'ceil') return n > 0n ? quotient + 1n : quotient;
  const twice = 2n * (remainder < 0n ? -remainder : remainder);
  const away = twice > d || (twice === d && quotient % 2n !== 0n);
  return away ? quotient + (n < 0n ? -1n : 1n) : quotient;
}
