/**
 * Problems in a job file as plain data, and the one place that renders them
 * (after Zod: data first, rendering second). The loader collects every
 * problem of a file before it throws, so a user fixes them in one go.
 */
import { z } from 'zod';

/** A place in the YAML document: map keys and list indexes from the top. */
export type DocPath = readonly (string | number)[];

export interface Problem {
  file: string;
  /** 1-based; absent when the problem is the file as a whole. */
  line?: number;
  /** Rendered like `tables[0].transformers["info.actors[*]"]`; '' for the document itself. */
  path: string;
  message: string;
}

/** A problem before it has a file and a line: where in the document, and what. */
export interface PathIssue {
  path: DocPath;
  message: string;
  /** Point at the map key rather than at its value (unknown fields, bad attribute paths). */
  at?: 'key';
}

export class JobFileError extends Error {
  override name = 'JobFileError';
  readonly file: string;
  readonly problems: Problem[];

  constructor(file: string, problems: Problem[], options?: ErrorOptions) {
    super(renderProblems(problems), options);
    this.file = file;
    this.problems = problems;
  }
}

/** One problem per line: `jobs/x.yaml:12 tables[0].transformers.Email: unknown transformer "emial" (did you mean "email"?)`. */
export function renderProblems(problems: readonly Problem[]): string {
  return problems.map(renderProblem).join('\n');
}

export function renderProblem(problem: Problem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  return problem.path === '' ? `${where}: ${problem.message}` : `${where} ${problem.path}: ${problem.message}`;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `tables[0].transformers.Email`; keys that are not identifiers in brackets: `transformers["Address.Street"]`. */
export function renderPath(path: DocPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** ` (did you mean "email"?)` when a candidate is close to the name, else ''. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const suggestion = closest(name, candidates);
  return suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
}

/**
 * The candidate within edit distance 2 (transpositions count 1), or equal
 * ignoring case. Short names need a closer match so that "S" does not
 * suggest "N".
 */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const distance = candidate.toLowerCase() === name.toLowerCase() ? 0 : editDistance(name, candidate);
    const close = distance === 0 || (distance <= 2 && distance * 2 < Math.max(name.length, candidate.length));
    if (close && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Optimal string alignment distance: Levenshtein plus adjacent transpositions. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => rows[i]![j]!;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) distance = Math.min(distance, at(i - 2, j - 2) + 1);
      rows[i]![j] = distance;
    }
  }
  return at(a.length, b.length);
}

/** What a YAML value is, for "got ..." (never the value itself: it may be a secret). */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
    case 'bigint':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'object':
      return 'a mapping';
    default:
      return `a ${typeof value}`;
  }
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  bigint: 'a whole number',
  boolean: 'a boolean',
  object: 'a mapping',
  record: 'a mapping',
  map: 'a mapping',
  array: 'a list',
  tuple: 'a list',
  set: 'a list',
  null: 'null',
};

function expected(type: string): string {
  return EXPECTED[type] ?? type;
}

function listAlternatives(items: readonly string[]): string {
  const unique = [...new Set(items)];
  if (unique.length <= 1) return unique[0] ?? '';
  return `${unique.slice(0, -1).join(', ')} or ${unique.at(-1)}`;
}

export interface ZodIssueContext {
  /** The schema that produced the issues; it supplies the known keys for did-you-mean. */
  schema: z.ZodType;
  /** Where the validated value sits in the document. */
  prefix?: DocPath;
  /** What a key is called in messages. */
  noun?: 'field' | 'option';
  /** Added after unknown keys: ` for transformer "email"`. */
  owner?: string;
}

/**
 * Zod issues as document problems with messages for people: "expected a
 * string, got a number" rather than "Invalid input: expected string,
 * received number". Messages written in a schema (regex, refine) are kept.
 */
export function issuesFromZod(issues: readonly z.core.$ZodIssue[], context: ZodIssueContext): PathIssue[] {
  const prefix = context.prefix ?? [];
  const noun = context.noun ?? 'field';
  const out: PathIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment)))];
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(context.schema, issue.path);
      for (const key of issue.keys) {
        const owner = context.owner ?? '';
        const message =
          known.length === 0 && noun === 'option'
            ? `unknown option "${key}"${owner}, which takes no options`
            : `unknown ${noun} "${key}"${owner}${didYouMean(key, known)}`;
        out.push({ path: [...path, key], message, at: 'key' });
      }
      continue;
    }
    out.push({ path, message: issueMessage(issue, noun) });
  }
  return out;
}

function issueMessage(issue: z.core.$ZodIssue, noun: string): string {
  // A missing key reaches the schema as undefined; YAML itself never produces undefined.
  if (issue.input === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_union' || issue.code === 'invalid_value')) return `required ${noun} is missing`;
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${expected(issue.expected)}, got ${describeValue(issue.input)}`;
    case 'too_small': {
      const minimum = Number(issue.minimum);
      if (issue.origin === 'string') return minimum <= 1 ? 'must not be empty' : `must be at least ${minimum} characters long`;
      if (issue.origin === 'array' || issue.origin === 'set') return minimum <= 1 ? 'must not be empty' : `must have at least ${minimum} entries`;
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint')
        return issue.inclusive === false ? `must be greater than ${minimum}` : `must be at least ${minimum}`;
      return issue.message;
    }
    case 'too_big': {
      const maximum = Number(issue.maximum);
      if (issue.origin === 'string') return `must be at most ${maximum} characters long`;
      if (issue.origin === 'array' || issue.origin === 'set') return `must have at most ${maximum} entries`;
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint')
        return issue.inclusive === false ? `must be less than ${maximum}` : `must be at most ${maximum}`;
      return issue.message;
    }
    case 'invalid_value':
      return `expected ${listAlternatives(issue.values.map((value) => JSON.stringify(value) ?? String(value)))}, got ${describeValue(issue.input)}`;
    case 'invalid_union': {
      // A union of plain types (string | number | ...) that the value is none of.
      const types = issue.errors.map((branch) => (branch.length === 1 && branch[0]?.code === 'invalid_type' && branch[0].path.length === 0 ? branch[0].expected : undefined));
      if (issue.errors.length > 0 && types.every((type) => type !== undefined))
        return `expected ${listAlternatives(types.map(expected))}, got ${describeValue(issue.input)}`;
      return 'does not match any of the allowed forms';
    }
    default:
      return issue.message;
  }
}

/** The keys the object schema at `path` knows, for did-you-mean; [] when there is none. */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: z.ZodType | undefined = unwrap(schema);
  for (const segment of path) {
    if (current instanceof z.ZodObject) current = current.shape[String(segment)] as z.ZodType | undefined;
    else if (current instanceof z.ZodRecord) current = current.valueType as z.ZodType;
    else if (current instanceof z.ZodArray) current = current.element as z.ZodType;
    else return [];
    if (current === undefined) return [];
    current = unwrap(current);
  }
  return current instanceof z.ZodObject ? Object.keys(current.shape) : [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault || current instanceof z.ZodPrefault || current instanceof z.ZodReadonly || current instanceof z.ZodCatch)
      current = current.def.innerType as z.ZodType;
    else if (current instanceof z.ZodPipe) current = current.def.in as z.ZodType;
    else return current;
  }
}
