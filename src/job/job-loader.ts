/**
 * Job file -> Job: parse the YAML, substitute ${ENV} references, validate the
 * shape (job-schema.ts), check what needs the registry or more than one field
 * (transformers and their options, attribute paths, connection references,
 * destination versus source), and normalize.
 *
 * Every problem of a file is collected before anything is thrown, each with
 * its line, and thrown together as one JobFileError.
 */
import { readFile } from 'node:fs/promises';
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair } from 'yaml';
import { z } from 'zod';
import { ATTRIBUTE_TYPES, type AttributeType } from '../../model/item.ts';
import { parsePathPattern, PathSyntaxError } from '../../model/path.ts';
import { SCRIPT_KINDS, scriptRef, type ScriptKind } from '../../transformers/js/script-ref.ts';
import { prepareScript, ScriptSyntaxError } from '../../transformers/js/script-source.ts';
import type { TransformerRegistry } from '../../transformers/registry.ts';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { whereProblem } from '../../model/condition/index.ts';
import { interpolateDocument, type Env } from './interpolate.ts';
import type { Job, ScheduleSpec, TableJob, TransformerRef } from '../../model/job.ts';
import { jobSchema, type JobInput } from './job-schema.ts';
import { describeValue, didYouMean, issuesFromZod, JobFileError, renderPath, type DocPath, type PathIssue, type Problem } from '../../model/problems.ts';

// The CLI catches JobFileError where it loads jobs.
export { JobFileError, renderProblems, type Problem } from '../../model/problems.ts';

const schema = jobSchema(z.unknown());

export async function loadJobFile(file: string, registry: TransformerRegistry = builtinRegistry, env: Env = process.env): Promise<Job> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : error instanceof Error ? error.message : String(error);
    throw new JobFileError(file, [{ file, path: '', message: `cannot read the job file: ${reason}` }], { cause: error });
  }
  return parseJob(text, file, registry, env);
}

/** Pure: the same text, registry and environment give the same Job or the same problems. */
export function parseJob(text: string, file: string, registry: TransformerRegistry = builtinRegistry, env: Env = process.env): Job {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const lineAt = (offset: number): number => lineCounter.linePos(offset).line;
  const fail = (problems: Problem[]): never => {
    throw new JobFileError(file, sortByLine(problems));
  };

  // A document with syntax errors has no reliable structure to validate.
  // One mistake often trips several YAML errors on its line; the first says it best.
  const yamlProblems = firstPerLine(
    [...doc.errors, ...doc.warnings].map((error): Problem => ({ file, line: yamlErrorLine(text, error, lineAt), path: '', message: `invalid YAML: ${error.message}` })),
  );
  if (doc.errors.length > 0) fail(yamlProblems);
  const top = doc.contents;
  if (top === null) fail([{ file, path: '', message: 'the file is empty; a job is a mapping with "name", "connections" and "tables"' }]);
  if (!isMap(top)) {
    const got = isSeq(top) ? 'a list' : isScalar(top) ? describeValue(top.value) : 'something else';
    fail([{ file, line: top?.range ? lineAt(top.range[0]) : undefined, path: '', message: `expected a mapping with "name", "connections" and "tables" at the top level, got ${got}` }]);
  }

  const interpolationIssues = interpolateDocument(doc, env);
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // Only alias trouble (too many, or unresolved) gets here; the parse itself succeeded.
    fail([{ file, path: '', message: `invalid YAML: ${error instanceof Error ? error.message : String(error)}` }]);
  }

  const locate = locator(doc, lineAt);
  const parsed = schema.safeParse(raw, { reportInput: true });
  const issues = parsed.success ? [] : issuesFromZod(parsed.error.issues, { schema });
  const checked = checkJob(asRecord(raw) ?? {}, registry, locate);
  issues.push(...checked.issues);

  // An unresolved ${VAR} left its text in place; other complaints about that value would be noise.
  const unresolved = new Set(interpolationIssues.map((issue) => pathKey(issue.path)));
  const all = [...interpolationIssues, ...issues.filter((issue) => !unresolved.has(pathKey(issue.path)))];
  const scriptLine = scriptLocator(doc, lineAt);
  const lineOf = (issue: PathIssue): number | undefined => {
    const inScript = (issue as ScriptIssue).scriptLine;
    return (inScript !== undefined ? scriptLine(issue.path, inScript) : undefined) ?? locate(issue.path, issue.at);
  };
  const problems = [...yamlProblems, ...all.map((issue): Problem => ({ file, line: lineOf(issue), path: renderPath(issue.path), message: issue.message }))];
  if (problems.length > 0 || !parsed.success) fail(problems);
  return normalize(parsed.data!, checked, registry);
}

/**
 * The parser notices an unclosed quote only where the file ends; the line
 * to fix is the last one before that with an odd number of those quotes.
 */
function yamlErrorLine(text: string, error: { code: string; message: string; pos: [number, number] }, lineAt: (offset: number) => number): number {
  const line = lineAt(error.pos[0]);
  const quote = error.code === 'MISSING_CHAR' ? /^Missing closing (["'])quote/.exec(error.message)?.[1] : undefined;
  if (quote === undefined) return line;
  const lines = text.split('\n');
  for (let i = Math.min(line, lines.length) - 1; i >= 0; i--) {
    if ((lines[i]!.split(quote).length - 1) % 2 === 1) return i + 1;
  }
  return line;
}

function firstPerLine(problems: Problem[]): Problem[] {
  const seen = new Set<number | undefined>();
  return problems.filter((problem) => !seen.has(problem.line) && seen.add(problem.line));
}

interface Checked {
  issues: PathIssue[];
  defaults: Partial<Record<AttributeType, TransformerRef>>;
  /** Per table index: path as written -> transformer. */
  transformers: Record<string, TransformerRef>[];
}

type Locate = (path: DocPath, at?: 'key') => number | undefined;

/** Where a table reads and writes, as far as the raw document says; undefined parts were reported elsewhere. */
interface TableEnds {
  path: DocPath;
  sourceConnection?: string;
  destinationConnection?: string;
  source?: string;
  destination?: string;
  explicitDestination: boolean;
}

/**
 * The checks the schema cannot make. They run on the raw document even when
 * the schema rejected it, so that all problems show up at once; anything of
 * the wrong shape here was already reported by the schema and is skipped.
 */
function checkJob(raw: Record<string, unknown>, registry: TransformerRegistry, locate: Locate): Checked {
  const issues: PathIssue[] = [];
  const defaults = checkDefaults(raw.defaults, registry, issues);
  const tables = Array.isArray(raw.tables) ? raw.tables : [];
  const transformers = tables.map((table, index) => checkTransformers(asRecord(table)?.transformers, ['tables', index, 'transformers'], registry, locate, issues));
  const ends = resolveConnections(raw, tables, issues);
  checkNeverWritesToSource(ends, asRecord(raw.connections) ?? {}, issues);
  checkWheres(tables, issues);
  return { issues, defaults, transformers };
}

/** A where must be one condition on the table read: no second statement, no clause of its own. */
function checkWheres(tables: unknown[], issues: PathIssue[]): void {
  for (const [index, table] of tables.entries()) {
    const where = asRecord(table)?.where;
    if (typeof where !== 'string' || where === '') continue;
    const problem = whereProblem(where);
    if (problem) issues.push({ path: ['tables', index, 'where'], message: problem });
  }
}

/**
 * What unmapped strings become when a job's `defaults` does not say: they are
 * scrambled (same length and character classes), never copied silently.
 * Other types are copied unless the job names a default for them.
 */
export const SHIPPED_DEFAULTS: Partial<Record<AttributeType, TransformerRef>> = {
  S: { type: 'characterScramble', options: {} },
  SS: { type: 'characterScramble', options: {} },
};

function shippedDefaults(registry: TransformerRegistry): Partial<Record<AttributeType, TransformerRef>> {
  // Registries without the transformer (small test registries) get none.
  return Object.fromEntries(Object.entries(SHIPPED_DEFAULTS).filter(([, ref]) => registry.get(ref.type) !== undefined));
}

function checkDefaults(value: unknown, registry: TransformerRegistry, issues: PathIssue[]): Partial<Record<AttributeType, TransformerRef>> {
  const defaults: Partial<Record<AttributeType, TransformerRef>> = {};
  for (const [type, refValue] of Object.entries(asRecord(value) ?? {})) {
    if (!isAttributeType(type)) continue;
    const ref = resolveTransformer(refValue, ['defaults', type], registry, issues);
    if (ref === undefined) continue;
    const accepts = registry.get(ref.type)?.accepts;
    if (accepts !== undefined && accepts !== 'any' && !accepts.includes(type))
      issues.push({ path: ['defaults', type], message: `transformer "${ref.type}" does not take ${type} values (it takes ${accepts.join(', ')})` });
    defaults[type] = ref;
  }
  return defaults;
}

/** Each table's connections: its own, else the top-level default; every name must be a connection. */
function resolveConnections(raw: Record<string, unknown>, tables: readonly unknown[], issues: PathIssue[]): TableEnds[] {
  const names = Object.keys(asRecord(raw.connections) ?? {});
  const checkName = (name: unknown, path: DocPath): string | undefined => {
    // Nothing to check against when `connections` itself is missing or broken: that is reported already.
    if (typeof name !== 'string' || name === '' || names.length === 0) return undefined;
    if (names.includes(name)) return name;
    const suggestion = didYouMean(name, names);
    const hint = suggestion !== '' ? suggestion : `; the connections are ${names.map((known) => `"${known}"`).join(', ')}`;
    issues.push({ path, message: `unknown connection "${name}"${hint}` });
    return undefined;
  };
  const fallback = { source: checkName(raw.source, ['source']), destination: checkName(raw.destination, ['destination']) };
  const lacking = { source: [] as string[], destination: [] as string[] };

  const ends: TableEnds[] = [];
  tables.forEach((value, index) => {
    const table = asRecord(value);
    if (table === undefined) return;
    const path: DocPath = ['tables', index];
    const connection = (end: 'source' | 'destination'): string | undefined => {
      const field = `${end}Connection`;
      if (table[field] !== undefined) return checkName(table[field], [...path, field]);
      if (raw[end] === undefined) lacking[end].push(renderPath(path));
      return fallback[end];
    };
    const source = typeof table.source === 'string' ? table.source : undefined;
    ends.push({
      path,
      sourceConnection: connection('source'),
      destinationConnection: connection('destination'),
      source,
      destination: table.destination === undefined ? source : typeof table.destination === 'string' ? table.destination : undefined,
      explicitDestination: table.destination !== undefined,
    });
  });

  // One problem for the top-level default rather than one per table.
  for (const end of ['source', 'destination'] as const) {
    const tableNames = lacking[end];
    if (tableNames.length === 0) continue;
    const field = `${end}Connection`;
    const which =
      tableNames.length === 1
        ? `${tableNames[0]} has no "${field}" of its own`
        : `${tableNames.slice(0, -1).join(', ')} and ${tableNames.at(-1)} have no "${field}" of their own`;
    issues.push({ path: [end], message: `required field is missing: ${which}` });
  }
  return ends;
}

/**
 * The source is only ever read: no table may write into a table this job
 * reads, its own or another's. Two connections with the same settings reach
 * the same tables, whatever their names.
 */
function checkNeverWritesToSource(ends: readonly TableEnds[], connections: Record<string, unknown>, issues: PathIssue[]): void {
  const sameConnection = (a: string, b: string): boolean => a === b || connectionKey(connections[a]) === connectionKey(connections[b]);
  for (const writer of ends) {
    const { destination, destinationConnection } = writer;
    if (destination === undefined || destinationConnection === undefined) continue;
    const reads = (reader: TableEnds): boolean =>
      reader.sourceConnection !== undefined && reader.source === destination && sameConnection(reader.sourceConnection, destinationConnection);
    // Its own source first: that is the likelier slip, and the clearer message.
    const reader = reads(writer) ? writer : ends.find(reads);
    if (reader === undefined) continue;
    const whose = reader === writer ? 'the source table' : `the source table of ${renderPath(reader.path)}`;
    const notes: string[] = [];
    if (reader.sourceConnection !== destinationConnection) notes.push(`connections "${reader.sourceConnection}" and "${destinationConnection}" have the same settings`);
    if (!writer.explicitDestination) notes.push('the destination table name defaults to the source name');
    issues.push({
      path: writer.explicitDestination ? [...writer.path, 'destination'] : writer.path,
      message: `destination is ${whose}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}; dynamask never writes to a source`,
    });
  }
}

/** Attribute paths parse, name different attributes, and map to known transformers with valid options. */
function checkTransformers(value: unknown, path: DocPath, registry: TransformerRegistry, locate: Locate, issues: PathIssue[]): Record<string, TransformerRef> {
  const out: Record<string, TransformerRef> = {};
  const seen = new Map<string, string>();
  for (const [attributePath, refValue] of Object.entries(asRecord(value) ?? {})) {
    const refPath = [...path, attributePath];
    try {
      const canonical = JSON.stringify(parsePathPattern(attributePath).segments);
      const first = seen.get(canonical);
      if (first === undefined) seen.set(canonical, attributePath);
      else {
        const line = locate([...path, first], 'key');
        issues.push({ path: refPath, at: 'key', message: `duplicate path: the same attribute as ${first}${line === undefined ? '' : ` on line ${line}`}` });
      }
    } catch (error) {
      if (!(error instanceof PathSyntaxError)) throw error;
      issues.push({ path: refPath, at: 'key', message: `bad path: ${error.message}` });
    }
    const ref = resolveTransformer(refValue, refPath, registry, issues);
    if (ref !== undefined) out[attributePath] = ref;
  }
  return out;
}

/** `fullName` or `{ type: email, preserveDomain: true }` -> `{ type, options }` with the options parsed (defaults applied). */
function resolveTransformer(value: unknown, path: DocPath, registry: TransformerRegistry, issues: PathIssue[]): TransformerRef | undefined {
  let type: string;
  let options: Record<string, unknown> = {};
  if (typeof value === 'string') {
    type = value;
  } else if (value === null) {
    // YAML reads `Field: null` as a null value; whoever wrote it means the null transformer.
    type = 'null';
  } else if (asRecord(value) !== undefined && (value as Record<string, unknown>).type === undefined && SCRIPT_KINDS.some((kind) => kind in (value as object))) {
    return resolveScript(value as Record<string, unknown>, path, issues);
  } else if (asRecord(value) !== undefined) {
    const { type: named, ...rest } = value as Record<string, unknown>;
    if (typeof named !== 'string') {
      issues.push({ path: [...path, 'type'], message: named === undefined ? 'required field is missing' : `expected a transformer name, got ${describeValue(named)}` });
      return undefined;
    }
    type = named;
    options = rest;
  } else {
    issues.push({ path, message: `expected a transformer name or a mapping with "type", got ${describeValue(value)}` });
    return undefined;
  }

  const definition = registry.get(type);
  if (definition === undefined) {
    issues.push({ path, message: `unknown transformer "${type}"${didYouMean(type, registry.definitions.map((known) => known.name))}` });
    return undefined;
  }
  const parsed = definition.options.safeParse(options, { reportInput: true });
  if (!parsed.success) {
    issues.push(...issuesFromZod(parsed.error.issues, { schema: definition.options, prefix: path, noun: 'option', owner: ` for transformer "${type}"` }));
    return undefined;
  }
  return { type, options: parsed.data as Record<string, unknown> };
}

/** A problem inside a script, at a line of the script rather than of its YAML value. */
interface ScriptIssue extends PathIssue {
  scriptLine?: number;
}

/**
 * `{ js: <code> }` or `{ jsGenerate: <code> }`: the code must parse (as an
 * expression or a function body), checked here so that `validate` reports
 * it before any run.
 */
function resolveScript(value: Record<string, unknown>, path: DocPath, issues: PathIssue[]): TransformerRef | undefined {
  const kinds = SCRIPT_KINDS.filter((kind) => kind in value);
  if (kinds.length > 1) {
    issues.push({ path, message: 'give one of "js" (a transform of the value) and "jsGenerate" (a value made from the item), not both' });
    return undefined;
  }
  const kind = kinds[0] as ScriptKind;
  let ok = true;
  for (const key of Object.keys(value)) {
    if (key === kind) continue;
    issues.push({ path: [...path, key], at: 'key', message: `unknown field "${key}" beside "${kind}": a script mapping holds only its code` });
    ok = false;
  }
  const code = value[kind];
  if (typeof code !== 'string' || code.trim() === '') {
    issues.push({ path: [...path, kind], message: `expected JavaScript code, got ${typeof code === 'string' ? 'an empty string' : describeValue(code)}` });
    return undefined;
  }
  try {
    prepareScript(code, kind);
  } catch (error) {
    if (!(error instanceof ScriptSyntaxError)) throw error;
    const issue: ScriptIssue = { path: [...path, kind], message: error.message, ...(error.line !== undefined ? { scriptLine: error.line } : {}) };
    issues.push(issue);
    return undefined;
  }
  return ok ? scriptRef(kind, code) : undefined;
}

/**
 * The file line of a script's line: a block scalar (`js: |`) starts on the
 * line after its indicator; a quoted or plain scalar folds its lines, so
 * its first line is the best there is.
 */
function scriptLocator(doc: Document, lineAt: (offset: number) => number): (path: DocPath, scriptLine: number) => number | undefined {
  return (path, scriptLine) => {
    const node = doc.getIn(path, true);
    if (!isScalar(node) || !node.range) return undefined;
    const first = lineAt(node.range[0]);
    return node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED' ? first + scriptLine : first;
  };
}

function normalize(input: JobInput, checked: Checked, registry: TransformerRegistry): Job {
  const tables = input.tables.map((table, index): TableJob => {
    // checkJob reported a table without a connection, so both are set here.
    const sourceConnection = table.sourceConnection ?? input.source!;
    const destinationConnection = table.destinationConnection ?? input.destination!;
    return {
      source: table.source,
      destination: table.destination ?? table.source,
      sourceConnection,
      destinationConnection,
      ...(table.index !== undefined && { index: table.index }),
      ...(table.where !== undefined && { where: table.where }),
      consistentRead: table.consistentRead,
      onTypeMismatch: table.onTypeMismatch,
      transformers: checked.transformers[index] ?? {},
      mode: table.mode ?? input.mode,
      createTable: table.createTable ?? input.createTable,
      segments: table.segments,
      ...(table.readRateLimit !== undefined && { readRateLimit: table.readRateLimit }),
      ...(table.writeRateLimit !== undefined && { writeRateLimit: table.writeRateLimit }),
    };
  });
  return {
    name: input.name,
    connections: input.connections,
    ...(input.salt !== undefined && { salt: input.salt }),
    defaults: { ...shippedDefaults(registry), ...checked.defaults },
    tables,
    keysAreSensitive: input.keysAreSensitive,
    sandbox: input.sandbox,
    ...(input.schedule !== undefined && { schedule: normalizeSchedule(input.schedule) }),
  };
}

function normalizeSchedule(schedule: NonNullable<JobInput['schedule']>): ScheduleSpec {
  const { cron, every, timezone, overlap, jitter, paused } = schedule;
  return {
    ...(cron !== undefined && { cron: typeof cron === 'string' ? [cron] : cron }),
    ...(every !== undefined && { every }),
    ...(timezone !== undefined && { timezone }),
    overlap,
    ...(jitter !== undefined && { jitter }),
    paused,
  };
}

/**
 * The line of a document path: of the key when asked (unknown fields), else
 * of the value; for a path that does not exist (a missing field), of the
 * deepest mapping or list that does.
 */
function locator(doc: Document, lineAt: (offset: number) => number): Locate {
  return (path, at) => {
    let node: unknown = doc.contents;
    let pair: Pair | undefined;
    let found = true;
    for (const segment of path) {
      if (isAlias(node)) node = node.resolve(doc);
      if (isMap(node)) {
        const match = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
        if (match === undefined) {
          found = false;
          break;
        }
        pair = match;
        if (match.value === null) {
          // `key:` with nothing after it: only the key has a place.
          node = undefined;
          continue;
        }
        node = match.value;
      } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
        pair = undefined;
        node = node.items[segment];
      } else {
        found = false;
        break;
      }
    }
    const keyNode = found && pair !== undefined && (at === 'key' || node === undefined) ? (pair.key as Node) : undefined;
    const range = keyNode?.range ?? (node as Node | undefined)?.range ?? (pair?.key as Node | undefined)?.range;
    return range === undefined || range === null ? undefined : lineAt(range[0]);
  };
}

function sortByLine(problems: Problem[]): Problem[] {
  return problems
    .map((problem, order) => ({ problem, order }))
    .sort((a, b) => (a.problem.line ?? 0) - (b.problem.line ?? 0) || a.order - b.order)
    .map(({ problem }) => problem);
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function isAttributeType(name: string): name is AttributeType {
  return (ATTRIBUTE_TYPES as readonly string[]).includes(name);
}

function pathKey(path: DocPath): string {
  return JSON.stringify(path);
}

function connectionKey(connection: unknown): string {
  const settings = asRecord(connection) ?? {};
  return JSON.stringify(['region', 'endpoint', 'profile', 'roleArn', 'externalId'].map((field) => settings[field] ?? null));
}
