/**
 * The checks behind the value recognizers: check digits, number ranges and
 * registries that a regular expression alone cannot express. Each takes a
 * string already known to have the right shape (the recognizer's pattern ran
 * first), so none needs to guard against long or odd input itself.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** Luhn (mod 10) over a string of digits: payment cards carry it as their last digit. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let digit = digits.charCodeAt(i) - 48;
    if (double) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * Issuer prefixes (IIN ranges) of the networks in wide use, with the lengths
 * each issues. A Luhn-valid number of a length and prefix no network uses is
 * far more likely an order or account number than a card.
 */
const CARD_NETWORKS: readonly { readonly from: number; readonly to: number; readonly digits: number; readonly lengths: readonly number[] }[] = [
  { from: 4, to: 4, digits: 1, lengths: [13, 16, 19] }, // Visa
  { from: 51, to: 55, digits: 2, lengths: [16] }, // Mastercard
  { from: 2221, to: 2720, digits: 4, lengths: [16] }, // Mastercard 2-series
  { from: 34, to: 34, digits: 2, lengths: [15] }, // American Express
  { from: 37, to: 37, digits: 2, lengths: [15] },
  { from: 6011, to: 6011, digits: 4, lengths: [16, 17, 18, 19] }, // Discover
  { from: 644, to: 649, digits: 3, lengths: [16, 17, 18, 19] },
  { from: 65, to: 65, digits: 2, lengths: [16, 17, 18, 19] },
  { from: 3528, to: 3589, digits: 4, lengths: [16, 17, 18, 19] }, // JCB
  { from: 300, to: 305, digits: 3, lengths: [14, 15, 16, 17, 18, 19] }, // Diners Club
  { from: 36, to: 36, digits: 2, lengths: [14, 15, 16, 17, 18, 19] },
  { from: 38, to: 39, digits: 2, lengths: [16, 17, 18, 19] },
  { from: 62, to: 62, digits: 2, lengths: [16, 17, 18, 19] }, // UnionPay
  { from: 2200, to: 2204, digits: 4, lengths: [16, 17, 18, 19] }, // Mir
  { from: 50, to: 50, digits: 2, lengths: [12, 13, 14, 15, 16, 17, 18, 19] }, // Maestro
  { from: 56, to: 69, digits: 2, lengths: [12, 13, 14, 15, 16, 17, 18, 19] },
];

/** True when 12 to 19 digits start with a known network's prefix, have a length it issues and pass Luhn. */
export function isPaymentCardNumber(digits: string): boolean {
  if (digits.length < 12 || digits.length > 19) return false;
  const known = CARD_NETWORKS.some(
    (network) => network.lengths.includes(digits.length) && inRange(Number(digits.slice(0, network.digits)), network.from, network.to),
  );
  return known && passesLuhn(digits);
}

function inRange(value: number, from: number, to: number): boolean {
  return value >= from && value <= to;
}

/** IBAN length per country (the SWIFT IBAN registry). */
const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28, CH: 21, CR: 22,
  CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FK: 18, FO: 18, FR: 27, GB: 22,
  GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30,
  KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20, MR: 27,
  MT: 31, MU: 30, NI: 28, NL: 18, NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33,
  SA: 24, SC: 31, SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29,
  VA: 22, VG: 24, XK: 20, YE: 30,
};

/** An IBAN without spaces, upper case: the country's length and ISO 7064 mod 97-10 check digits. */
export function isIban(compact: string): boolean {
  if (IBAN_LENGTHS[compact.slice(0, 2)] !== compact.length) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    // Letters count as two digits (A = 10 ... Z = 35); folding digit by digit keeps the number small.
    const value = code >= 65 ? code - 55 : code - 48;
    remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
  }
  return remainder === 1;
}

/**
 * US Social Security number rules since 2011 (randomized issuance): area not
 * 000, 666 or 900-999, group not 00, serial not 0000; and not the numbers
 * the SSA voided after they were printed in advertising.
 */
const VOIDED_SSNS = new Set(['078051120', '219099999', '457555462']);

export function isValidSsn(area: string, group: string, serial: string): boolean {
  const areaNumber = Number(area);
  if (areaNumber === 0 || areaNumber === 666 || areaNumber >= 900) return false;
  if (group === '00' || serial === '0000') return false;
  return !VOIDED_SSNS.has(area + group + serial);
}

/** Node's own address parsers: exact, and cheaper to trust than a hand-written IPv6 grammar. */
export { isIPv4, isIPv6 };

/** A calendar date that exists (29 February only in leap years). */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const days = [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return day <= days[month - 1]!;
}

/** Years a date in a business table plausibly falls in: birth dates go back further than events. */
export const EARLIEST_PLAUSIBLE_YEAR = 1900;
export const LATEST_PLAUSIBLE_YEAR = 2100;

/**
 * Epoch times from 2000-01-01 to 2100-01-01, in seconds or milliseconds. The
 * lower bound keeps counts, prices and most order numbers out; ten-digit
 * order numbers still fall inside, which is why an epoch match alone is weak
 * evidence (see the recognizer's strength).
 */
const EPOCH_SECONDS_FROM = 946_684_800;
const EPOCH_SECONDS_TO = 4_102_444_800;

export function isPlausibleEpoch(value: number): boolean {
  return (value >= EPOCH_SECONDS_FROM && value <= EPOCH_SECONDS_TO) || (value >= EPOCH_SECONDS_FROM * 1000 && value <= EPOCH_SECONDS_TO * 1000);
}
