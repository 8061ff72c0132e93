/**
 * Whether a map key is data rather than a name from a schema: an email, a
 * phone number, an id, a number, a date, a prefixed key (`USER#42`), a
 * person's name, or anything with spaces. A map whose keys mostly look like
 * this folds into `*` (path-tree.ts), so one mapping covers every key and no
 * key (a source value) is written into a job file as a path.
 */
import { FIRST_NAMES } from './dictionaries.ts';
import { EMAIL, EPOCH, IPV4, ISO_DATE, OPAQUE_ID, PHONE, UUID, matchesShape } from './value-shapes.ts';

const NUMBER = /^-?[0-9]+(?:\.[0-9]+)?$/;
const PREFIXED_ID = /^[A-Za-z_]{1,32}[#|:][^#|:]*[0-9]/;
const HAS_DIGIT_RUN = /[0-9]{4,}/;

export function looksLikeDataKey(key: string): boolean {
  if (key.length === 0 || key.length > 64 || /\s/.test(key)) return true;
  if (NUMBER.test(key) || PREFIXED_ID.test(key) || HAS_DIGIT_RUN.test(key)) return true;
  if (/^\p{Lu}\p{Ll}+$/u.test(key) && FIRST_NAMES.has(key.toLowerCase())) return true;
  return [EMAIL, UUID, OPAQUE_ID, ISO_DATE, EPOCH, IPV4, PHONE].some((shape) => matchesShape(shape, key));
}
