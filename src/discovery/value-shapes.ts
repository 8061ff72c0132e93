/**
 * Shapes of personal data in a whole value: a length bound, a regular
 * expression, and a check for what the expression cannot say (check digits,
 * ranges, dictionaries).
 *
 * The length bound is tested first, so no expression ever sees a long
 * string; the expressions are anchored and, where they repeat, repeat
 * classes that cannot overlap with what follows, so none backtracks more
 * than linearly (a 10 kB value costs no more than reading it).
 */
import {
  EARLIEST_PLAUSIBLE_YEAR,
  LATEST_PLAUSIBLE_YEAR,
  isCalendarDate,
  isIPv4,
  isIPv6,
  isIban,
  isPaymentCardNumber,
  isPlausibleEpoch,
  isValidSsn,
} from './checks.ts';
import {
  CITIES,
  COUNTRIES,
  FIRST_NAMES,
  LAST_NAMES,
  NAME_AFFIXES,
  NAME_PARTICLES,
  SECONDARY_UNITS,
  STREET_SUFFIXES,
  US_STATES,
} from './dictionaries.ts';

export interface ValueShape {
  readonly maxLength: number;
  readonly pattern: RegExp;
  readonly validate?: (text: string, match: RegExpExecArray) => boolean;
}

export function matchesShape(shape: ValueShape, text: string): boolean {
  if (text.length > shape.maxLength) return false;
  const match = shape.pattern.exec(text);
  return match !== null && (shape.validate === undefined || shape.validate(text, match));
}

// --- contact -----------------------------------------------------------------

const EMAIL_LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const TOP_LEVEL_DOMAIN = /^(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$/;

/** An address as people write it (RFC 5321's dot-atom; no quoted local parts, no IP literals). */
export const EMAIL: ValueShape = {
  maxLength: 254,
  pattern: /^([^\s@]{1,64})@([^\s@]{3,253})$/,
  validate: (_text, [, local, domain]) => {
    if (!EMAIL_LOCAL.test(local!)) return false;
    const labels = domain!.split('.');
    return labels.length >= 2 && labels.every((label) => DOMAIN_LABEL.test(label)) && TOP_LEVEL_DOMAIN.test(labels.at(-1)!);
  },
};

/**
 * A phone number written as one: international (`+` or `00` and 8 to 15
 * digits, E.164's limit), North American (`(415) 555-2671`, `415.555.2671`,
 * `1-415-555-2671`) or national with a trunk `0` and groups
 * (`020 7946 0958`, `01 23 45 67 89`). Bare digits without `+` are not
 * phones here: order numbers look just like them (see PHONE_DIGITS).
 */
export const PHONE: ValueShape = {
  maxLength: 24,
  pattern: /^[+(]?[0-9][0-9 ().-]{5,21}[0-9]$/,
  validate: (text) => {
    // Spaces may pad parentheses, "+1 (415) 555-2671"; any other run of two separators is not a phone number.
    const tight = text.replace(/ ?\( ?/g, '(').replace(/ ?\) ?/g, ')');
    if (/[ .-][ .()-]|[()][ .()-]/.test(tight)) return false;
    const open = tight.indexOf('(');
    const close = tight.indexOf(')');
    if (open !== tight.lastIndexOf('(') || close !== tight.lastIndexOf(')') || (open < 0) !== (close < 0) || close < open) return false;
    const groups = text.split(/[ .()-]+/).filter((group) => group !== '');
    const digits = groups.join('').replace(/^\+/, '');
    if (text.startsWith('+') || text.startsWith('00')) {
      const national = text.startsWith('00') ? digits.slice(2) : digits;
      return national.length >= 8 && national.length <= 15 && national[0] !== '0';
    }
    if (groups.length < 2 || /\./.test(text) && !/^\d{3}\.\d{3}\.\d{4}$/.test(text)) return false;
    const sizes = groups.map((group) => group.length).join(',');
    if (sizes === '3,3,4' || sizes === '1,3,3,4') {
      const [area, exchange] = sizes === '3,3,4' ? [groups[0]!, groups[1]!] : [groups[1]!, groups[2]!];
      return (sizes === '3,3,4' || groups[0] === '1') && area[0]! >= '2' && exchange[0]! >= '2';
    }
    return digits[0] === '0' && digits[1] !== '0' && digits.length >= 9 && digits.length <= 11 && groups.every((g) => g.length >= 2 && g.length <= 8);
  },
};

/** 10 to 15 bare digits: a phone only when the attribute's name says so. */
export const PHONE_DIGITS: ValueShape = { maxLength: 16, pattern: /^\+?[1-9][0-9]{9,14}$/ };

// --- money and government identifiers ---------------------------------------

/** 12 to 19 digits, optionally grouped by single spaces or dashes (one kind), of a known network and Luhn-valid. */
export const PAYMENT_CARD: ValueShape = {
  maxLength: 23,
  pattern: /^[0-9]+(?:([ -])[0-9]+)?(?:[ -][0-9]+)*$/,
  validate: (text, [, separator]) => {
    if (separator !== undefined && text.includes(separator === ' ' ? '-' : ' ')) return false;
    return isPaymentCardNumber(text.replace(/[ -]/g, ''));
  },
};

/** An IBAN, compact or printed in groups of four; country length and mod-97 check digits. */
export const IBAN: ValueShape = {
  maxLength: 42,
  pattern: /^[A-Za-z]{2}[0-9]{2}(?: ?[A-Za-z0-9]){11,30}$/,
  validate: (text) => isIban(text.replace(/ /g, '').toUpperCase()),
};

/** AAA-GG-SSSS or AAA GG SSSS within the valid ranges. */
export const SSN: ValueShape = {
  maxLength: 11,
  pattern: /^([0-9]{3})([- ])([0-9]{2})\2([0-9]{4})$/,
  validate: (_text, [, area, , group, serial]) => isValidSsn(area!, group!, serial!),
};

/** Nine bare digits in the valid ranges: an SSN only when the name says so (too many other numbers have nine digits). */
export const SSN_DIGITS: ValueShape = {
  maxLength: 9,
  pattern: /^([0-9]{3})([0-9]{2})([0-9]{4})$/,
  validate: (_text, [, area, group, serial]) => isValidSsn(area!, group!, serial!),
};

// --- network -----------------------------------------------------------------

export const IPV4: ValueShape = { maxLength: 15, pattern: /^[0-9]{1,3}(?:\.[0-9]{1,3}){3}$/, validate: (text) => isIPv4(text) };

/** At least three groups (or two, the last an IPv4 address), so that `::` and `::1` are not taken for someone's address. */
export const IPV6: ValueShape = {
  maxLength: 45,
  pattern: /^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*$/,
  validate: (text) => {
    if (!isIPv6(text)) return false;
    const groups = text.split(':').filter((group) => group !== '');
    return groups.length >= 3 || (groups.length === 2 && groups[1]!.includes('.'));
  },
};

export const URL_SHAPE: ValueShape = {
  maxLength: 2048,
  pattern: /^(?:https?|ftp):\/\/[^\s/?#]+(?:[/?#]\S*)?$/i,
  validate: (text) => {
    if (!URL.canParse(text)) return false;
    const host = new URL(text).hostname;
    return host.includes('.') || host === 'localhost';
  },
};

export const USER_AGENT: ValueShape = {
  maxLength: 1024,
  pattern: /^(?:Mozilla|Opera|Dalvik|curl|Wget|okhttp|python-requests|PostmanRuntime|Apache-HttpClient|Java|Go-http-client|axios|node-fetch)\/[0-9]/,
};

// --- identifiers --------------------------------------------------------------

/** 8-4-4-4-12 hex, or 32 hex digits with a version (1-8) and RFC 4122 variant where a UUID has them; never all zeros. */
export const UUID: ValueShape = {
  maxLength: 36,
  pattern: /^(?:[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}|[0-9A-Fa-f]{12}[1-8][0-9A-Fa-f]{3}[89ABab][0-9A-Fa-f]{15})$/,
  validate: (text) => /[1-9A-Fa-f]/.test(text),
};

/**
 * An opaque token of 16 to 64 characters: hex (an ObjectId, a digest), a
 * ULID, or base62/base64url with digits and both cases (nanoid, KSUID, API
 * ids). Such strings change character class every few characters; words,
 * camelCase names and SKUs (`SKU-12345-XL`) do not, which the class-change
 * count tells apart.
 */
export const OPAQUE_ID: ValueShape = {
  maxLength: 64,
  pattern: /^[A-Za-z0-9_-]{16,64}$/,
  validate: (text) => {
    const hex = /^(?:[0-9a-f]+|[0-9A-F]+)$/.test(text);
    const ulid = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/.test(text);
    const mixed = /[0-9]/.test(text) && /[a-z]/.test(text) && /[A-Z]/.test(text);
    if (!(/[0-9]/.test(text) && /[A-Za-z]/.test(text)) || !(hex || ulid || mixed)) return false;
    return classChanges(text) * 5 >= text.length;
  },
};

function classChanges(text: string): number {
  let changes = 0;
  let previous = -1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const cls = code >= 48 && code <= 57 ? 0 : code >= 97 && code <= 122 ? 1 : code >= 65 && code <= 90 ? 2 : 3;
    if (previous !== -1 && cls !== previous) changes++;
    previous = cls;
  }
  return changes;
}

/** A JSON Web Token: three base64url parts, the first two JSON objects (`eyJ` is `{"`). */
export const JWT: ValueShape = { maxLength: 8192, pattern: /^eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*$/ };

export const PRIVATE_KEY: ValueShape = { maxLength: 16384, pattern: /^-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/ };

// --- time ----------------------------------------------------------------------

/** ISO 8601 calendar dates and date-times (`2013-09-02`, `2013-09-02T00:00:00Z`, `2013-09-02 10:30:00.123+02:00`). */
export const ISO_DATE: ValueShape = {
  maxLength: 35,
  pattern: /^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.,][0-9]{1,9})?)?(?:Z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?$/,
  validate: (_text, [, year, month, day, hour, minute, second]) =>
    plausibleDate(Number(year), Number(month), Number(day)) &&
    (hour === undefined || (Number(hour) <= 23 && Number(minute) <= 59 && (second === undefined || Number(second) <= 60))),
};

/** `09/02/2013`, `2.9.2013`: valid as day-month or as month-day. */
export const SLASHED_DATE: ValueShape = {
  maxLength: 10,
  pattern: /^([0-9]{1,2})([/.])([0-9]{1,2})\2([0-9]{4})$/,
  validate: (_text, [, first, , second, year]) =>
    plausibleDate(Number(year), Number(first), Number(second)) || plausibleDate(Number(year), Number(second), Number(first)),
};

function plausibleDate(year: number, month: number, day: number): boolean {
  return year >= EARLIEST_PLAUSIBLE_YEAR && year <= LATEST_PLAUSIBLE_YEAR && isCalendarDate(year, month, day);
}

/** Seconds or milliseconds since 1970, from 2000 to 2100 (N, or digits in S). */
export const EPOCH: ValueShape = {
  maxLength: 20,
  pattern: /^[0-9]{9,13}(?:\.[0-9]{1,6})?$/,
  validate: (text) => isPlausibleEpoch(Number(text)),
};

// --- people --------------------------------------------------------------------

/** A word capitalised like a name: `Ada`, `O'Brien`, `McDonald`, `Smith-Jones`, `Zoë`; or an initial `J.`. */
const NAME_WORD = /^(?:\p{Lu}\p{Ll}*(?:['’-]?\p{Lu}\p{Ll}+)*|\p{Lu}\.?)$/u;
const UPPER_WORD = /^\p{Lu}+(?:['’-]\p{Lu}+)*$/u;

/** Lower-case words without a trailing `.`, the way the dictionaries hold them. */
const bare = (word: string): string => word.toLowerCase().replace(/\.$/, '');

export const FIRST_NAME: ValueShape = {
  maxLength: 30,
  pattern: /^\p{Lu}[\p{L}'’-]+$/u,
  validate: (text) => NAME_WORD.test(text) && FIRST_NAMES.has(text.toLowerCase()),
};

export const LAST_NAME: ValueShape = {
  maxLength: 40,
  pattern: /^\p{Lu}[\p{L}'’-]+$/u,
  validate: (text) => NAME_WORD.test(text) && text.toLowerCase().split('-').every((part) => LAST_NAMES.has(part)),
};

/**
 * Two to five words capitalised like a name (or all in capitals), with a
 * known first name first and at least half the words known names; titles,
 * suffixes and particles (`Dr.`, `Jr.`, `van`) aside. The lists are small,
 * so "Daniel Bruhl" counts on `Daniel`; "Blue Cotton Shirt" and "New York"
 * do not start with a first name.
 */
export const FULL_NAME: ValueShape = {
  maxLength: 60,
  pattern: /^\p{Lu}[\p{L}'’.-]*(?: [\p{L}][\p{L}'’.-]*){1,5}$/u,
  validate: (text) => {
    const words = text.split(' ');
    const upper = words.every((word) => UPPER_WORD.test(word.replace(/\.$/, '')));
    const core = words.filter((word) => !NAME_AFFIXES.has(bare(word)) && !NAME_PARTICLES.has(word.toLowerCase()));
    if (core.length < 2 || core.length > 4) return false;
    if (!core.every((word) => (upper ? UPPER_WORD.test(word.replace(/\.$/, '')) || /^\p{Lu}\.$/u.test(word) : NAME_WORD.test(word)))) return false;
    const first = bare(core[0]!).split('-')[0]!;
    if (!FIRST_NAMES.has(first) && !/^\p{L}$/u.test(first)) return false;
    const known = core.filter((word) => /^\p{Lu}\.?$/u.test(word) || bare(word).split('-').some((part) => FIRST_NAMES.has(part) || LAST_NAMES.has(part))).length;
    return known * 2 >= core.length && !core.slice(1).every((word) => /^\p{Lu}\.?$/u.test(word));
  },
};

// --- places --------------------------------------------------------------------

const TITLE_WORDS = /^\p{Lu}[\p{L}'’.-]*(?: (?:\p{Lu}[\p{L}'’.-]*|of|and|the|de|du|la|le|del|el))*$/u;

/** A city name from the dictionary, optionally with a state code: `Springfield`, `Aliso Viejo`, `Austin, TX`. */
export const CITY: ValueShape = {
  maxLength: 40,
  pattern: /^\p{Lu}[\p{L} '’.-]*(?:, [A-Z]{2})?$/u,
  validate: (text) => {
    const name = text.replace(/, [A-Z]{2}$/, '');
    return TITLE_WORDS.test(name) && CITIES.has(name.toLowerCase());
  },
};

export const US_STATE: ValueShape = {
  maxLength: 20,
  pattern: /^\p{Lu}[\p{L} ]*$/u,
  validate: (text) => US_STATES.has(text.toLowerCase()),
};

export const COUNTRY: ValueShape = {
  maxLength: 60,
  pattern: /^\p{Lu}[\p{L} '’.,&()-]*$/u,
  validate: (text) => COUNTRIES.has(text.toLowerCase()),
};

const BUILDING_NUMBER = /^[0-9]{1,6}[A-Za-z]?(?:-[0-9]{1,4})?$/;
const DIRECTION = /^(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West|Northeast|Northwest|Southeast|Southwest)\.?$/;
const STREET_WORD = /^(?:\p{Lu}[\p{L}'’.-]*|[0-9]{1,4}(?:st|nd|rd|th)|of|the|de|la)$/u;

/**
 * `<number> <words> <suffix>` with an optional direction and unit:
 * "123 Main St", "7031 Heidi Mill", "42 W 5th Ave Apt. 3", "10 Downing Street".
 * The words between number and suffix are capitalised and at most five.
 */
export const STREET_ADDRESS: ValueShape = {
  maxLength: 100,
  pattern: /^[0-9]{1,6}[A-Za-z]?(?:-[0-9]{1,4})? +\S/,
  validate: (text) => isStreetLine(text.split(/ +/)),
};

function isStreetLine(words: readonly string[]): boolean {
  if (words.length < 3 || !BUILDING_NUMBER.test(words[0]!)) return false;
  for (let i = 2; i < words.length && i <= 7; i++) {
    if (!STREET_SUFFIXES.has(bare(words[i]!)) || !/^\p{Lu}/u.test(words[i]!)) continue;
    if (!words.slice(1, i).every((word) => STREET_WORD.test(word) || DIRECTION.test(word))) continue;
    if (isStreetTail(words.slice(i + 1))) return true;
  }
  return false;
}

/** What may follow the suffix: a direction, then a unit ("Apt. 4B", "Suite 210", "#5"). */
function isStreetTail(words: readonly string[]): boolean {
  let rest = words;
  if (rest.length > 0 && DIRECTION.test(rest[0]!)) rest = rest.slice(1);
  if (rest.length === 0) return true;
  if (rest.length === 1) return /^#[0-9A-Za-z-]{1,6}$/.test(rest[0]!);
  return rest.length === 2 && SECONDARY_UNITS.has(bare(rest[0]!)) && /^#?[0-9A-Za-z-]{1,6}$/.test(rest[1]!);
}

const POSTCODE_PART = /(?:^| )(?:[0-9]{5}(?:-[0-9]{4})?|[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}|[A-Z][0-9][A-Z] [0-9][A-Z][0-9]|[0-9]{4,6})$/;

/**
 * A street line, then comma-separated parts ending in a postal code or a
 * state: "7031 Heidi Mill, Sigmundtown, ND 11893",
 * "221B Baker Street, London NW1 6XE".
 */
export const FULL_ADDRESS: ValueShape = {
  maxLength: 200,
  pattern: /^[0-9]{1,6}[A-Za-z]?(?:-[0-9]{1,4})? [^,]{3,100}(?:, ?[^,]{2,60}){1,4}$/,
  validate: (text) => {
    const parts = text.split(/, ?/);
    if (!isStreetLine(parts[0]!.split(/ +/))) return false;
    const last = parts.at(-1)!;
    const lastWords = last.split(' ');
    return POSTCODE_PART.test(last) || US_STATES.has(last.toLowerCase()) || /^[A-Z]{2}$/.test(lastWords.at(-1)!) || COUNTRIES.has(last.toLowerCase());
  },
};

/** UK and Canadian postcodes: distinctive enough on their own. */
export const POSTCODE: ValueShape = {
  maxLength: 8,
  pattern: /^(?:[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}|[A-Z][0-9][A-Z] [0-9][A-Z][0-9])$/,
};

/** US ZIP (and ZIP+4) and 4 to 6 digit codes: a postal code only when the name says so. */
export const POSTCODE_DIGITS: ValueShape = { maxLength: 10, pattern: /^(?:[0-9]{5}-[0-9]{4}|[0-9]{4,6})$/ };

/** A decimal number of degrees with at least two decimals, between `-limit` and `limit` (N, or such text in S). */
export function degrees(limit: number): ValueShape {
  return {
    maxLength: 24,
    pattern: /^-?[0-9]{1,3}\.[0-9]{2,15}$/,
    validate: (text) => Math.abs(Number(text)) <= limit,
  };
}
