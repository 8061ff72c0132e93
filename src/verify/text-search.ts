/**
 * Finding a source value inside a longer destination string, two ways:
 *
 * - within one item (item-check.ts): plain substring search, where the
 *   match must not run on into letters or digits on either side, so
 *   "John" is found in "call John." and in "John-Paul" but not in
 *   "Johnson" (a fake last name may contain a real first name by chance,
 *   and that is no leak);
 * - across items (digest-set.ts keeps digests, not values): the string's
 *   runs of whitespace-separated words, each also with surrounding
 *   punctuation trimmed, so "write to ada@example.com." yields
 *   "ada@example.com" and "Ada Lovelace" is found in "met Ada Lovelace
 *   today". Only runs whose length and word count some source value has
 *   are looked up.
 */

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Whether `needle` occurs in `text` with no letter or digit right before or after it. */
export function containsBounded(text: string, needle: string): boolean {
  if (needle.length === 0 || needle.length > text.length) return false;
  const first = WORD_CHAR.test(needle[0]!);
  const last = WORD_CHAR.test(needle[needle.length - 1]!);
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    const before = at > 0 ? text[at - 1]! : '';
    const after = at + needle.length < text.length ? text[at + needle.length]! : '';
    // A boundary matters only where the needle itself starts or ends with a word character.
    if ((!first || before === '' || !WORD_CHAR.test(before)) && (!last || after === '' || !WORD_CHAR.test(after))) return true;
  }
  return false;
}

/** Whitespace-separated words of a value: what `wordRuns` counts in. */
export function wordCount(text: string): number {
  const words = text.trim().split(/\s+/);
  return words[0] === '' ? 0 : words.length;
}

const TRIM = /^["'`([{<]+|["'`)\]}>.,;:!?]+$/g;

/** The shapes of the source values looked up, so runs of other shapes are never hashed. */
export interface RunFilter {
  /** Word counts some source value has. */
  words(count: number): boolean;
  /** Lengths some source value has. */
  length(count: number): boolean;
  readonly maxWords: number;
}

/** Each run of consecutive words of `text` (joined by one space), and the run with punctuation trimmed, that the filter lets through. */
export function wordRuns(text: string, filter: RunFilter, visit: (run: string) => void): void {
  const words = text.split(/\s+/).filter((word) => word !== '');
  for (let start = 0; start < words.length; start++) {
    let run = '';
    for (let count = 1; count <= filter.maxWords && start + count <= words.length; count++) {
      run = count === 1 ? words[start]! : `${run} ${words[start + count - 1]}`;
      if (!filter.words(count)) continue;
      if (filter.length(run.length)) visit(run);
      const trimmed = run.replace(TRIM, '');
      if (trimmed !== run && trimmed !== '' && filter.length(trimmed.length)) visit(trimmed);
    }
  }
}
