/**
 * The recognizers, as data: what each detects, the attribute names that
 * announce it, the value shapes that show it, and the built-in transformer
 * that replaces it. detect.ts weighs the evidence; nothing here decides.
 *
 * Names come in two strengths. A strong name is enough on its own
 * (`first_name` holds first names even when none is in the dictionary); a
 * weak one (`contact`, `ph`, `mail`) only adds to what the values show.
 * Value rules are standalone when the shape is rare outside personal data
 * (an email, a Luhn-valid card); the others (five digits, nine digits, a
 * decimal number) count only when the name agrees.
 *
 * The order is the order of preference when two recognizers are equally
 * sure: the more specific first (a card before a phone, a UUID before an
 * opaque id, a full address before a street line, a full name before a
 * first name).
 */
import { EMBEDDED_KINDS, embeddedKinds, isFreeText, WEAK_EMBEDDED_KINDS, weakEmbeddedKinds } from './embedded.ts';
import {
  CITY,
  COUNTRY,
  EMAIL,
  EPOCH,
  FIRST_NAME,
  FULL_ADDRESS,
  FULL_NAME,
  IBAN,
  IPV4,
  IPV6,
  ISO_DATE,
  JWT,
  LAST_NAME,
  OPAQUE_ID,
  PAYMENT_CARD,
  PHONE,
  PHONE_DIGITS,
  POSTCODE,
  POSTCODE_DIGITS,
  PRIVATE_KEY,
  SLASHED_DATE,
  SSN,
  SSN_DIGITS,
  STREET_ADDRESS,
  URL_SHAPE,
  USER_AGENT,
  US_STATE,
  UUID,
  degrees,
  type ValueShape,
} from './value-shapes.ts';

export type PiiKind = 'contact' | 'financial' | 'government id' | 'network' | 'identifier' | 'time' | 'person' | 'place' | 'secret' | 'text';

/** Scalar types a value rule reads; the elements of SS and NS count as S and N. */
export type ScalarType = 'S' | 'N';

export interface ValueRule {
  readonly shape: ValueShape;
  readonly types: readonly ScalarType[];
  /** False: the shape alone is too common; it counts only when the attribute's name agrees. */
  readonly standalone: boolean;
}

export interface NameRules {
  /** Enough on their own. Words separated by spaces match camelCase, snake_case and run-together forms. */
  readonly strong: readonly string[];
  /** Add to value evidence; never enough alone. */
  readonly weak: readonly string[];
}

export interface TransformerSuggestion {
  readonly type: string;
  readonly options?: Readonly<Record<string, unknown>>;
}

export interface Recognizer {
  readonly name: string;
  readonly detects: string;
  readonly kind: PiiKind;
  readonly names: NameRules;
  readonly values: readonly ValueRule[];
  /** How sure a match on most sampled values makes us: lower for shapes that non-personal data also takes. */
  readonly strength: number;
  /** Share of sampled values that must match; the default is detect.ts's MIN_VALUE_SHARE. */
  readonly minShare?: number;
  /** Types the suggested transformer takes, for a match on the name alone; by default those of the value rules, or S. */
  readonly types?: readonly ScalarType[];
  /** The sub-kinds a matching value holds, reported as evidence (free text: which kinds of data it contains). */
  readonly evidence?: (text: string) => readonly string[];
  /** Dictionary-based: a column of few distinct values repeated (an enum) is not this, whatever its words. */
  readonly dictionary?: boolean;
  readonly suggests: TransformerSuggestion;
}

const S: readonly ScalarType[] = ['S'];
const SN: readonly ScalarType[] = ['S', 'N'];

/** Free text that holds personal data: a shape of its own, since it looks inside the value. */
export const FREE_TEXT_WITH_PII: ValueShape = {
  maxLength: Number.POSITIVE_INFINITY,
  pattern: /\S \S/,
  validate: (text) => isFreeText(text) && embeddedKinds(text).size > 0,
};

/** Free text naming a person, or holding a URL or a date: counts only where the attribute's name says it holds notes (embedded.ts). */
export const FREE_TEXT_WITH_NAMES: ValueShape = {
  maxLength: Number.POSITIVE_INFINITY,
  pattern: /\S \S/,
  validate: (text) => isFreeText(text) && weakEmbeddedKinds(text).size > 0,
};

export const RECOGNIZERS: readonly Recognizer[] = [
  {
    name: 'email',
    detects: 'email addresses',
    kind: 'contact',
    names: { strong: ['email', 'email address', 'e mail', 'mail address'], weak: ['mail', 'contact', 'contact info', 'login'] },
    values: [{ shape: EMAIL, types: S, standalone: true }],
    strength: 0.95,
    suggests: { type: 'email' },
  },
  {
    name: 'creditCard',
    detects: 'payment card numbers (known network prefix and length, Luhn check digit)',
    kind: 'financial',
    names: {
      strong: ['credit card', 'card number', 'card no', 'cc number', 'cc num', 'ccn', 'debit card', 'pan', 'primary account number'],
      weak: ['card', 'cc', 'payment'],
    },
    values: [{ shape: PAYMENT_CARD, types: S, standalone: true }],
    strength: 0.95,
    suggests: { type: 'creditCard' },
  },
  {
    name: 'iban',
    detects: 'international bank account numbers (country length, mod-97 check digits)',
    kind: 'financial',
    names: { strong: ['iban', 'bank account', 'bank account number'], weak: ['account', 'account number', 'bank'] },
    values: [{ shape: IBAN, types: S, standalone: true }],
    strength: 0.95,
    suggests: { type: 'iban' },
  },
  {
    name: 'ssn',
    detects: 'US Social Security numbers (valid area, group and serial)',
    kind: 'government id',
    names: { strong: ['ssn', 'social security', 'social security number', 'social security no', 'ss number'], weak: ['tax id', 'tin'] },
    values: [
      { shape: SSN, types: S, standalone: true },
      { shape: SSN_DIGITS, types: S, standalone: false },
    ],
    strength: 0.9,
    suggests: { type: 'ssn' },
  },
  {
    name: 'phone',
    detects: 'phone numbers (E.164, North American and trunk-prefixed national formats)',
    kind: 'contact',
    names: {
      strong: ['phone', 'phone number', 'telephone', 'mobile', 'mobile number', 'cell phone', 'cellphone', 'fax', 'msisdn', 'whatsapp', 'phone no'],
      weak: ['ph', 'tel', 'cell', 'mob', 'contact', 'contact number', 'sms'],
    },
    values: [
      { shape: PHONE, types: S, standalone: true },
      { shape: PHONE_DIGITS, types: S, standalone: false },
    ],
    strength: 0.85,
    suggests: { type: 'phone' },
  },
  {
    name: 'ipv4',
    detects: 'IPv4 addresses',
    kind: 'network',
    names: { strong: ['ip', 'ip address', 'ipv4', 'client ip', 'remote ip', 'remote addr', 'source ip', 'ip addr'], weak: ['host', 'addr'] },
    values: [{ shape: IPV4, types: S, standalone: true }],
    strength: 0.8,
    suggests: { type: 'ipv4' },
  },
  {
    name: 'ipv6',
    detects: 'IPv6 addresses',
    kind: 'network',
    names: { strong: ['ipv6', 'ip6'], weak: ['ip', 'ip address', 'host', 'addr'] },
    values: [{ shape: IPV6, types: S, standalone: true }],
    strength: 0.9,
    suggests: { type: 'ipv6' },
  },
  {
    name: 'secret',
    detects: 'passwords, keys and tokens (JSON Web Tokens and PEM private keys by value)',
    kind: 'secret',
    names: {
      strong: [
        'password', 'passwd', 'pwd', 'secret', 'api key', 'apikey', 'access token', 'refresh token', 'auth token', 'id token', 'bearer token',
        'private key', 'client secret', 'session token', 'cvv', 'cvc', 'pin', 'otp', 'totp secret', 'passcode',
      ],
      weak: ['token', 'credential', 'credentials'],
    },
    values: [
      { shape: JWT, types: S, standalone: true },
      { shape: PRIVATE_KEY, types: S, standalone: true },
    ],
    types: SN,
    strength: 0.95,
    suggests: { type: 'redact' },
  },
  {
    name: 'nationalId',
    detects: 'passport, driving licence, tax and national identity numbers (by name only: their shapes vary by country)',
    kind: 'government id',
    names: {
      strong: [
        'passport', 'passport number', 'passport no', 'national id', 'national identity', 'national insurance', 'nino', 'tax id', 'tax number',
        'tin', 'driver license', 'drivers license', 'driving licence', 'driver licence', 'license number', 'licence number', 'nhs number',
        'personnummer', 'bsn', 'cpf', 'aadhaar', 'pesel', 'nif', 'nie', 'dni', 'steuer id',
      ],
      weak: [],
    },
    values: [],
    strength: 0.8,
    suggests: { type: 'characterScramble' },
  },
  {
    name: 'uuid',
    detects: 'UUIDs (identifiers that link records across tables and systems)',
    kind: 'identifier',
    names: { strong: [], weak: ['uuid', 'guid', 'id'] },
    values: [{ shape: UUID, types: S, standalone: true }],
    strength: 0.6,
    suggests: { type: 'uuid' },
  },
  {
    name: 'opaqueId',
    detects: 'opaque identifiers: hex digests, ObjectIds, ULIDs, base62 tokens',
    kind: 'identifier',
    names: { strong: [], weak: ['id', 'token', 'ref', 'reference', 'key'] },
    values: [{ shape: OPAQUE_ID, types: S, standalone: true }],
    strength: 0.55,
    suggests: { type: 'hash' },
  },
  {
    name: 'birthDate',
    detects: 'dates of birth',
    kind: 'person',
    names: { strong: ['dob', 'date of birth', 'birth date', 'birthdate', 'birthday', 'born', 'born on', 'birth'], weak: [] },
    values: [
      { shape: ISO_DATE, types: S, standalone: false },
      { shape: SLASHED_DATE, types: S, standalone: false },
      { shape: EPOCH, types: SN, standalone: false },
    ],
    strength: 0.9,
    suggests: { type: 'dateShift' },
  },
  {
    name: 'date',
    detects: 'calendar dates and date-times (ISO 8601, dd/mm/yyyy, mm/dd/yyyy)',
    kind: 'time',
    names: {
      strong: [],
      weak: ['date', 'time', 'timestamp', 'at', 'on', 'created', 'updated', 'modified', 'deleted', 'expires', 'expiry', 'since', 'until', 'when', 'day'],
    },
    values: [
      { shape: ISO_DATE, types: S, standalone: true },
      { shape: SLASHED_DATE, types: S, standalone: true },
    ],
    strength: 0.65,
    suggests: { type: 'dateShift' },
  },
  {
    name: 'epochTime',
    detects: 'epoch times, seconds or milliseconds, 2000 to 2100',
    kind: 'time',
    names: {
      strong: [],
      weak: ['time', 'timestamp', 'ts', 'epoch', 'at', 'created', 'updated', 'modified', 'deleted', 'expires', 'expiry', 'ttl', 'date', 'since', 'until', 'when', 'seen'],
    },
    values: [{ shape: EPOCH, types: SN, standalone: true }],
    // Ten-digit order numbers fall in the range too: without a name that speaks of time, an epoch match stays below the flag.
    strength: 0.45,
    suggests: { type: 'dateShift' },
  },
  {
    name: 'url',
    detects: 'URLs (profile links, avatars, callback addresses; paths and queries often carry ids)',
    kind: 'network',
    names: { strong: ['website', 'homepage', 'home page', 'profile url', 'avatar url', 'linkedin', 'facebook', 'twitter'], weak: ['url', 'uri', 'link', 'href', 'avatar', 'photo', 'picture', 'image'] },
    values: [{ shape: URL_SHAPE, types: S, standalone: true }],
    strength: 0.6,
    suggests: { type: 'url' },
  },
  {
    name: 'userAgent',
    detects: 'HTTP user agents (they narrow down a device)',
    kind: 'network',
    names: { strong: ['user agent', 'useragent', 'ua'], weak: ['browser', 'agent', 'client'] },
    values: [{ shape: USER_AGENT, types: S, standalone: true }],
    strength: 0.7,
    suggests: { type: 'userAgent' },
  },
  {
    name: 'fullAddress',
    detects: 'postal addresses on one line (street, town, postal code or state)',
    kind: 'place',
    names: {
      strong: ['address', 'full address', 'mailing address', 'postal address', 'home address', 'billing address', 'shipping address', 'delivery address', 'street address full'],
      weak: ['addr', 'location', 'residence'],
    },
    values: [{ shape: FULL_ADDRESS, types: S, standalone: true }],
    strength: 0.9,
    suggests: { type: 'fullAddress' },
  },
  {
    name: 'streetAddress',
    detects: 'street address lines (number, street, suffix)',
    kind: 'place',
    names: { strong: ['street', 'street address', 'address line', 'address 1', 'address line 1', 'address 2', 'address line 2', 'street line'], weak: ['addr', 'address', 'line 1'] },
    values: [{ shape: STREET_ADDRESS, types: S, standalone: true }],
    strength: 0.85,
    suggests: { type: 'streetAddress' },
  },
  {
    name: 'zipCode',
    detects: 'postal codes (UK and Canadian by value; ZIP and other digit codes by name)',
    kind: 'place',
    names: { strong: ['zip', 'zip code', 'zipcode', 'postcode', 'post code', 'postal code', 'postalcode', 'pin code', 'plz'], weak: ['postal'] },
    values: [
      { shape: POSTCODE, types: S, standalone: true },
      { shape: POSTCODE_DIGITS, types: S, standalone: false },
    ],
    strength: 0.75,
    suggests: { type: 'zipCode' },
  },
  {
    name: 'city',
    detects: 'city names',
    kind: 'place',
    names: { strong: ['city', 'town', 'city name', 'hometown', 'birthplace', 'place of birth'], weak: ['locality', 'municipality'] },
    values: [{ shape: CITY, types: S, standalone: true }],
    strength: 0.7,
    dictionary: true,
    suggests: { type: 'city' },
  },
  {
    name: 'state',
    detects: 'US state names',
    kind: 'place',
    names: { strong: ['us state', 'state name'], weak: ['state', 'province', 'region'] },
    values: [{ shape: US_STATE, types: S, standalone: true }],
    strength: 0.55,
    suggests: { type: 'state' },
  },
  {
    name: 'country',
    detects: 'country names',
    kind: 'place',
    names: { strong: ['country', 'nationality', 'citizenship', 'country of birth', 'country of residence'], weak: ['nation'] },
    values: [{ shape: COUNTRY, types: S, standalone: true }],
    strength: 0.55,
    suggests: { type: 'country' },
  },
  {
    name: 'latitude',
    detects: 'latitudes (by name, with values in -90..90)',
    kind: 'place',
    names: { strong: [], weak: ['lat', 'latitude', 'geo lat'] },
    values: [{ shape: degrees(90), types: SN, standalone: false }],
    strength: 0.8,
    suggests: { type: 'latitude' },
  },
  {
    name: 'longitude',
    detects: 'longitudes (by name, with values in -180..180)',
    kind: 'place',
    names: { strong: [], weak: ['lng', 'lon', 'long', 'longitude', 'geo lng'] },
    values: [{ shape: degrees(180), types: SN, standalone: false }],
    strength: 0.8,
    suggests: { type: 'longitude' },
  },
  {
    name: 'fullName',
    detects: "people's full names (mostly dictionary first and last names, capitalised like names)",
    kind: 'person',
    names: {
      strong: [
        'full name', 'fullname', 'customer name', 'contact name', 'person name', 'cardholder', 'card holder', 'cardholder name', 'account holder',
        'holder name', 'recipient name', 'patient name', 'employee name', 'legal name', 'real name', 'name on card',
      ],
      weak: ['name', 'display name', 'owner', 'recipient', 'author', 'contact', 'customer', 'signatory', 'spouse', 'guardian', 'emergency contact'],
    },
    values: [{ shape: FULL_NAME, types: S, standalone: true }],
    strength: 0.8,
    dictionary: true,
    suggests: { type: 'fullName' },
  },
  {
    name: 'firstName',
    detects: 'first names',
    kind: 'person',
    names: { strong: ['first name', 'firstname', 'given name', 'givenname', 'forename', 'fname', 'christian name', 'middle name'], weak: ['first', 'name'] },
    values: [{ shape: FIRST_NAME, types: S, standalone: true }],
    strength: 0.7,
    dictionary: true,
    suggests: { type: 'firstName' },
  },
  {
    name: 'lastName',
    detects: 'last names',
    kind: 'person',
    names: { strong: ['last name', 'lastname', 'surname', 'family name', 'familyname', 'lname', 'maiden name'], weak: ['last'] },
    values: [{ shape: LAST_NAME, types: S, standalone: true }],
    strength: 0.7,
    dictionary: true,
    suggests: { type: 'lastName' },
  },
  {
    name: 'username',
    detects: 'user names and handles (by name only)',
    kind: 'person',
    names: { strong: ['username', 'user name', 'login name', 'screen name', 'screenname', 'handle', 'nickname', 'gamertag'], weak: [] },
    values: [],
    strength: 0.75,
    suggests: { type: 'username' },
  },
  {
    name: 'freeText',
    detects: "free text that contains personal data: emails, phones, cards, SSNs, IBANs, IP addresses, UUIDs; and, where the attribute's name says it holds notes or messages, people's names, URLs and dates",
    kind: 'text',
    names: { strong: [], weak: ['notes', 'note', 'comment', 'comments', 'message', 'description', 'bio', 'remarks', 'body', 'text', 'memo', 'feedback'] },
    values: [
      { shape: FREE_TEXT_WITH_PII, types: S, standalone: true },
      { shape: FREE_TEXT_WITH_NAMES, types: S, standalone: false },
    ],
    strength: 0.8,
    // One note in a hundred with a phone number in it is a column of notes with phone numbers in them.
    minShare: 0.01,
    evidence: (text) => {
      const found = embeddedKinds(text);
      const weak = weakEmbeddedKinds(text);
      return [...EMBEDDED_KINDS.filter((kind) => found.has(kind)), ...WEAK_EMBEDDED_KINDS.filter((kind) => weak.has(kind))];
    },
    suggests: { type: 'lorem' },
  },
];

export function recognizerNamed(name: string): Recognizer {
  const recognizer = RECOGNIZERS.find((candidate) => candidate.name === name);
  if (recognizer === undefined) throw new Error(`no recognizer named ${name}`);
  return recognizer;
}
