/**
 * Where YAML 1.2 (the core schema of the `yaml` package) reads a job file
 * differently from what its author meant, and what the loader does about it.
 *
 * - Keys are read as written. Every key of a job file is a name (a field, a
 *   connection, a DynamoDB type, an attribute path, an option), but YAML reads
 *   an unquoted `NULL`, `~`, `true`, `0x10` or `1.0` as null, a boolean or a
 *   number, which become other text on the way to JavaScript ("", "true",
 *   "16", "1"). So `defaults: { NULL: passthrough }` means the NULL type, and
 *   two keys are the same key only when their text is.
 * - Values keep YAML's reading: `true` and `3` are meant as a boolean and a
 *   number in most fields. Where a value is refused and another way of writing
 *   it would have been accepted (quoted, or `true` for YAML 1.1's `yes`), the
 *   message says how.
 * - A number that a JavaScript number cannot hold as written (`.inf`, `.nan`,
 *   `1e400`, more digits than a double keeps) is refused: no field takes it,
 *   and it would change on its way into the Job.
 * - An unquoted value starting with `*` is an alias (a cron expression is the
 *   usual victim), and YAML's complaints about it get the fix added.
 * - The merge key `<<` (YAML 1.1, dropped in 1.2) works: nobody means an
 *   attribute or field named `<<`.
 *
 * Messages never quote a value unless it is one of YAML's fixed words
 * (`null`, `yes`, `True`...): any other value may be a secret.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, visit, type Document, type Node, type ParsedNode, type Scalar } from 'yaml';
import { describeValue, type DocPath, type PathIssue } from '../../model/problems.ts';

/** Options for `parseDocument` that go with the rest of this module. */
export const YAML_OPTIONS = { uniqueKeys: sameKey, merge: true } as const;

/** Unquoted and untagged: the only scalars YAML types by how they look. */
function isPlain(node: unknown): node is Scalar & { source: string } {
  return isScalar(node) && node.type === 'PLAIN' && node.tag === undefined && typeof node.source === 'string';
}

/** A plain key that YAML read as null, a boolean or a number. */
function isTypedKey(key: unknown): key is Scalar & { source: string } {
  return isPlain(key) && (key.value === null || typeof key.value === 'boolean' || typeof key.value === 'number');
}

/** With `merge`, YAML reads a plain `<<` key as a symbol. */
function isMergeKey(key: unknown): key is Scalar {
  return isScalar(key) && typeof key.value === 'symbol' && key.value.description === '<<';
}

/**
 * For `uniqueKeys`: `1` and `"1"` are one key (JavaScript would keep only
 * the last), `1` and `1.0` are two. Merge keys may repeat, as YAML allows.
 */
function sameKey(a: ParsedNode, b: ParsedNode): boolean {
  const written = (key: Scalar): unknown => (isTypedKey(key) ? key.source : key.value);
  return a === b || (isScalar(a) && isScalar(b) && !isMergeKey(a) && written(a) === written(b));
}

/** Turns every plain key YAML typed back into its text, in place, before anything reads the document. */
export function readKeysAsWritten(doc: Document): void {
  visit(doc, {
    Pair(_, pair) {
      if (isTypedKey(pair.key)) pair.key.value = pair.key.source;
    },
  });
}

const DECIMAL = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** The significant digits of a decimal numeral, without sign, point, exponent or zeros at either end. */
function significantDigits(numeral: string): string {
  return numeral
    .replace(/^[-+]/, '')
    .replace(/[eE].*$/, '')
    .replace('.', '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
}

/** Whether the number YAML read from `source` is the number written there. */
function keepsItsDigits(source: string, value: number): boolean {
  if (DECIMAL.test(source)) return significantDigits(source) === significantDigits(value.toExponential());
  // 0x and 0o numerals are whole numbers.
  return Number.isSafeInteger(value);
}

/**
 * Numbers no field takes: infinity, NaN, and numbers that lost digits on the
 * way from the file. Other problems at the same paths are noise beside these.
 */
export function unkeptNumbers(doc: Document): PathIssue[] {
  const issues: PathIssue[] = [];
  walkValues(doc, (node, path) => {
    if (typeof node.value !== 'number') return;
    const source = typeof node.source === 'string' ? node.source : String(node.value);
    if (Number.isNaN(node.value)) issues.push({ path, message: 'YAML reads this as NaN (not a number), which no field takes; put it in quotes if it is text' });
    else if (!Number.isFinite(node.value)) issues.push({ path, message: 'YAML reads this number as infinity, which no field takes; put it in quotes if it is text' });
    else if (!keepsItsDigits(source, node.value))
      issues.push({ path, message: 'a JavaScript number cannot hold this number as written (15 to 17 significant digits fit); put it in quotes if it is text' });
  });
  return issues;
}

/** Every scalar value of the document with its path; an alias's target is visited where it is defined. */
function walkValues(doc: Document, at: (node: Scalar, path: DocPath) => void): void {
  const walk = (node: unknown, path: DocPath): void => {
    if (isAlias(node)) return;
    if (isMap(node)) {
      for (const pair of node.items) if (isPair(pair)) walk(pair.value, [...path, isScalar(pair.key) ? String(pair.key.value) : String(pair.key)]);
    } else if (isSeq(node)) node.items.forEach((item, index) => walk(item, [...path, index]));
    else if (isScalar(node)) at(node, path);
  };
  walk(doc.contents as Node | null, []);
}

/** What a refused value would have been, written another way, and how to say so. */
export interface OtherReading {
  path: DocPath;
  value: unknown;
  /** Added to the refusal: `put it in quotes: ...`. */
  hint: string;
}

/** YAML 1.1's booleans that 1.2 reads as strings, and what they meant. */
const YAML_1_1_BOOLEANS: Record<string, boolean> = Object.fromEntries(
  ['y', 'yes', 'on', 'n', 'no', 'off'].flatMap((word) => {
    const meaning = word.startsWith('y') || word === 'on';
    return [word, word[0]!.toUpperCase() + word.slice(1), word.toUpperCase()].map((spelling) => [spelling, meaning]);
  }),
);

/** YAML 1.1 allowed `_` between digits; 1.2 reads `1_000` as a string. */
const UNDERSCORED_NUMBER = /^[-+]?[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?$/;

/**
 * For each refused value at `paths` that YAML typed by its looks, the other
 * reading its author may have meant. The loader checks the job again with
 * these and gives a hint only where that would have been accepted.
 */
export function otherReadings(doc: Document, paths: readonly DocPath[]): OtherReading[] {
  const readings: OtherReading[] = [];
  for (const path of paths) {
    const node = doc.getIn(path, true);
    if (!isPlain(node)) continue;
    const { value, source } = node;
    if (typeof value === 'number') readings.push({ path, value: source, hint: 'put it in quotes: YAML reads it unquoted as a number' });
    else if (typeof value === 'boolean') readings.push({ path, value: source, hint: `put it in quotes: YAML reads ${source} unquoted as ${describeValue(value)}` });
    else if (value === null && source !== '')
      readings.push({ path, value: source, hint: `put it in quotes if you mean the word: YAML reads ${source} unquoted as ${describeValue(value)}` });
    // A string that is not its source came from ${ENV}: a substituted value is a string by design.
    else if (typeof value !== 'string' || value !== source) continue;
    else if (value in YAML_1_1_BOOLEANS) {
      const meaning = YAML_1_1_BOOLEANS[value]!;
      readings.push({ path, value: meaning, hint: `write ${meaning}: YAML 1.2 reads ${value} as a string` });
    } else if (value.includes('_') && UNDERSCORED_NUMBER.test(value))
      readings.push({ path, value: Number(value.replaceAll('_', '')), hint: 'write it without "_": YAML 1.2 reads a number with "_" as a string' });
  }
  return readings;
}

/** A YAML error's message, with the fix when the cause is an unquoted `*`. */
export function yamlErrorMessage(error: { code: string; message: string }): string {
  const alias = error.code === 'BAD_ALIAS' || (error.code === 'UNEXPECTED_TOKEN' && error.message.startsWith('Unexpected alias'));
  return `invalid YAML: ${error.message}${alias ? `; ${ALIAS_HINT}` : ''}`;
}

const ALIAS_HINT = 'a value that starts with "*" is an alias in YAML: put it in quotes';

/** A place in the file that YAML cannot read, and why. */
export interface YamlSpot {
  offset: number | undefined;
  message: string;
}

/**
 * Aliases with no anchor before them, and merge keys with nothing to merge:
 * what `toJS` would throw for, but at their line, and without naming the
 * alias (it may be a secret's text).
 */
export function aliasProblems(doc: Document): YamlSpot[] {
  const spots: YamlSpot[] = [];
  const mergeable = (node: unknown): boolean => isMap(isAlias(node) ? node.resolve(doc) : node);
  visit(doc, {
    Alias(_, alias) {
      if (alias.resolve(doc) === undefined) spots.push({ offset: alias.range?.[0], message: `invalid YAML: an alias to an anchor that is not defined; ${ALIAS_HINT}` });
    },
    Pair(_, pair) {
      if (!isMergeKey(pair.key)) return;
      const value = pair.value;
      if (mergeable(value) || (isSeq(value) && value.items.every(mergeable))) return;
      spots.push({ offset: pair.key.range?.[0], message: 'invalid YAML: the merge key "<<" takes a mapping, an alias of one (<<: *name), or a list of those' });
    },
  });
  return spots;
}
