/**
 * What an attribute's name says about its values. Names are split into
 * lower-case words (camelCase, snake_case, kebab-case, digits), and a rule
 * such as "e mail" matches whole words only, never a substring: `ph` must
 * not match `graph`, `lat` not `latest`, `dob` not `adobe`.
 */

/** Splits `customerEmail`, `e_mail`, `IPAddress`, `address1` into words. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])([0-9])/g, '$1 $2')
    .replace(/([0-9])([A-Za-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

/** Most names hold a handful of words; longer runs are not worth joining. */
const MAX_JOINED_WORDS = 4;

/**
 * Every run of consecutive words joined without spaces, with a plural `s`
 * or `es` also dropped: `e mail` gives `e`, `mail`, `email`; `phones`
 * gives `phones`, `phone`. A rule matches when its words, joined, are one
 * of these, so `emailAddress`, `email_address` and `emailaddress` match
 * the rule "email address" alike.
 */
export function nameCandidates(words: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (let start = 0; start < words.length; start++) {
    let joined = '';
    for (let end = start; end < Math.min(words.length, start + MAX_JOINED_WORDS); end++) {
      joined += words[end];
      out.add(joined);
      if (joined.length > 3 && joined.endsWith('s')) out.add(joined.slice(0, -1));
      if (joined.length > 4 && joined.endsWith('es')) out.add(joined.slice(0, -2));
    }
  }
  return out;
}

/**
 * Words that turn a name about personal data into one about something else:
 * `emailVerified`, `phoneCount`, `addressType`, `hasPhone`, `email_domain`.
 * Such an attribute holds a flag, a count or a category, not the data.
 */
export const METADATA_WORDS: ReadonlySet<string> = new Set([
  'verified', 'confirmed', 'validated', 'valid', 'status', 'state', 'count', 'counts', 'total', 'enabled', 'disabled', 'flag',
  'flags', 'sent', 'opt', 'optin', 'optout', 'opted', 'consent', 'subscribed', 'unsubscribed', 'bounced', 'bounce', 'type', 'types', 'kind',
  'category', 'template', 'templates', 'format', 'formats', 'preference', 'preferences', 'pref', 'frequency', 'is', 'has', 'domain',
  'provider', 'policy', 'label', 'source', 'method', 'length', 'len', 'visible', 'visibility', 'public', 'required', 'mask', 'masked',
  'hashed', 'encrypted', 'last4', 'changed', 'updated', 'attempts', 'retries', 'quota', 'limit', 'version', 'schema', 'expiry',
  'expiration', 'expires', 'issued', 'issuer',
]);

/**
 * Words that say nothing on their own (`line1`, `value`, `home`): for
 * `address.line1` or `phones.home` the enclosing map's name is the one that
 * tells, so detection looks one level up.
 */
export const GENERIC_WORDS: ReadonlySet<string> = new Set([
  'value', 'val', 'v', 'line', 'text', 'data', 'raw', 'number', 'no', 'nr', 'num', 'primary', 'secondary', 'main', 'other', 'home', 'work',
  'personal', 'business', 'office', 'default', 'current', 'previous', 'old', 'new', 'alt', 'alternate', 'backup', 'display', 'formatted',
  'full', 'local', 'original', 'normalized',
]);

export function isGenericName(words: readonly string[]): boolean {
  return words.every((word) => GENERIC_WORDS.has(word) || /^[0-9]+$/.test(word));
}

/** A rule's words joined, as `nameCandidates` produces them. */
export function ruleKey(rule: string): string {
  return rule.toLowerCase().replace(/[^a-z0-9]+/g, '');
}
