/**
 * Personal data inside free text: "call me on +44 20 7946 0958",
 * "card 4111 1111 1111 1111, exp 12/29". Each kind is found by a scan that
 * proposes candidates cheaply and the whole-value shape (value-shapes.ts)
 * that decides, so a candidate counts exactly when it would count alone.
 *
 * Two strengths, as for whole values (recognizers.ts). The kinds of
 * EMBEDDED_KINDS are rare in text that holds no personal data, so they
 * flag free text by themselves. Names of people ("Ada Lovelace"), URLs and
 * dates are everywhere in plots, product descriptions and release notes,
 * so WEAK_EMBEDDED_KINDS count only where the attribute's name says it
 * holds notes or messages (`memo`, `comment`, `body`): a support ticket's
 * body naming a customer is flagged, a film's plot naming its hero is not.
 * Place names alone are not looked for: too many are ordinary words
 * ("Reading", "Mobile", "Victoria").
 */
import { FIRST_NAMES, LAST_NAMES } from './dictionaries.ts';
import { EMAIL, IBAN, IPV4, IPV6, ISO_DATE, PAYMENT_CARD, PHONE, SLASHED_DATE, SSN, URL_SHAPE, UUID, matchesShape } from './value-shapes.ts';

export type EmbeddedKind = 'email' | 'phone' | 'creditCard' | 'ssn' | 'iban' | 'ipv4' | 'ipv6' | 'uuid';
export const EMBEDDED_KINDS: readonly EmbeddedKind[] = ['email', 'phone', 'creditCard', 'ssn', 'iban', 'ipv4', 'ipv6', 'uuid'];
export type WeakEmbeddedKind = 'fullName' | 'url' | 'date';
export const WEAK_EMBEDDED_KINDS: readonly WeakEmbeddedKind[] = ['fullName', 'url', 'date'];

/** Text counts as free text from this many words on; shorter strings are whole values (a name, an address line). */
export const FREE_TEXT_MIN_WORDS = 4;

/** Characters that may wrap a token in prose: "(ada@example.com)," or "<ada@example.com>." */
const WRAPPING = /^[("'<[{]+|[)"'>\]}.,;:!?]+$/g;

/**
 * Runs of digits with phone and card separators, at least 8 characters,
 * not inside a word. The run is greedy and the class does not overlap what
 * ends it except by one digit, so a scan costs a bounded amount per start.
 */
const NUMBER_RUN = /(?<![A-Za-z0-9+])(?:\+|\()?[0-9][0-9 ().-]{6,24}[0-9](?![A-Za-z0-9])/g;
const IBAN_RUN = /(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![A-Za-z0-9])/g;
const IPV4_RUN = /(?<![0-9.])[0-9]{1,3}(?:\.[0-9]{1,3}){3}(?![0-9]|\.[0-9])/g;
const IPV6_RUN = /(?<![0-9A-Fa-f:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![0-9A-Fa-f:])/g;
const UUID_RUN = /(?<![0-9A-Fa-f-])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![0-9A-Fa-f-])/g;
/** Two capitalised words side by side (the second a lookahead, so "Customer Ada Smith" tries both pairs); the dictionaries decide whether they are a first and a last name. */
const NAME_PAIR = /(?<![\p{L}'’-])(\p{Lu}\p{Ll}+) (?=(\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?)(?![\p{L}'’-]))/gu;
const URL_RUN = /\b(?:https?|ftp):\/\/[^\s<>"']+/gi;
const DATE_RUN = /(?<![0-9])(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{1,2}[/.][0-9]{1,2}[/.][0-9]{4})(?![0-9])/g;

export function isFreeText(text: string): boolean {
  let words = 1;
  for (let i = text.indexOf(' '); i >= 0 && words < FREE_TEXT_MIN_WORDS; i = text.indexOf(' ', i + 1)) words++;
  return words >= FREE_TEXT_MIN_WORDS;
}

/** The kinds of personal data the text holds somewhere inside it. */
export function embeddedKinds(text: string): Set<EmbeddedKind> {
  const found = new Set<EmbeddedKind>();
  if (hasEmbeddedEmail(text)) found.add('email');
  if (/[0-9]/.test(text)) {
    for (const [candidate] of text.matchAll(NUMBER_RUN)) {
      const trimmed = candidate.trim();
      if (matchesShape(PAYMENT_CARD, trimmed)) found.add('creditCard');
      else if (matchesShape(SSN, trimmed)) found.add('ssn');
      else if (matchesShape(PHONE, trimmed)) found.add('phone');
    }
    for (const [candidate] of text.matchAll(IBAN_RUN)) if (matchesShape(IBAN, candidate)) found.add('iban');
    for (const [candidate] of text.matchAll(IPV4_RUN)) if (matchesShape(IPV4, candidate)) found.add('ipv4');
  }
  if (text.includes(':')) for (const [candidate] of text.matchAll(IPV6_RUN)) if (matchesShape(IPV6, candidate)) found.add('ipv6');
  if (text.includes('-')) for (const [candidate] of text.matchAll(UUID_RUN)) if (matchesShape(UUID, candidate)) found.add('uuid');
  return found;
}

/** The kinds that count only where the attribute's name says it holds notes: names of people, URLs, dates. */
export function weakEmbeddedKinds(text: string): Set<WeakEmbeddedKind> {
  const found = new Set<WeakEmbeddedKind>();
  for (const [, first, last] of text.matchAll(NAME_PAIR)) {
    if (FIRST_NAMES.has(first!.toLowerCase()) && last!.toLowerCase().split('-').every((part) => LAST_NAMES.has(part))) {
      found.add('fullName');
      break;
    }
  }
  if (text.includes('://')) for (const [candidate] of text.matchAll(URL_RUN)) if (matchesShape(URL_SHAPE, candidate.replace(WRAPPING, ''))) found.add('url');
  if (/[0-9]/.test(text)) for (const [candidate] of text.matchAll(DATE_RUN)) if (matchesShape(ISO_DATE, candidate) || matchesShape(SLASHED_DATE, candidate)) found.add('date');
  return found;
}

function hasEmbeddedEmail(text: string): boolean {
  if (!text.includes('@')) return false;
  for (const token of text.split(/\s+/)) {
    if (token.length <= EMAIL.maxLength + 8 && token.includes('@') && matchesShape(EMAIL, token.replace(WRAPPING, ''))) return true;
  }
  return false;
}
