/**
 * Job file -> Job, as a pipeline:
 *
 *   parse the YAML (syntax errors stop here: the structure is unreliable)
 *   -> read keys as written, refuse numbers that YAML changed (yaml-surprises.ts)
 *   -> substitute ${ENV} references (interpolate.ts)
 *   -> validate the shape (job-schema.ts)
 *   -> check what needs the registry or more than one field (job-checks.ts)
 *   -> normalize (normalize-job.ts).
 *
 * Every stage reports problems as data, a document path and a message
 * (model/problems.ts), and goes on where it can, so that a user sees every
 * problem of a file at once. Only here do the problems get their lines
 * (yaml-positions.ts) and, where YAML typed a refused value by its looks,
 * a hint on how to write it; they are thrown together, in line order, as
 * one JobFileError that renders them in one place.
 */
import { readFile } from 'node:fs/promises';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import type { Job } from '../../model/job.ts';
import { describeValue, issuesFromZod, JobFileError, renderPath, type DocPath, type PathIssue, type Problem } from '../../model/problems.ts';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import type { TransformerRegistry } from '../../transformers/registry.ts';
import { interpolateDocument, type Env } from './interpolate.ts';
import { checkJob } from './job-checks.ts';
import { jobSchema } from './job-schema.ts';
import { normalizeJob } from './normalize-job.ts';
import { LITERAL_SALT_WARNING } from './salt-checks.ts';
import { asRecord, withValuesAt } from './raw-values.ts';
import type { ScriptIssue } from './resolve-script.ts';
import { firstPerLine, locator, scriptLocator, yamlErrorLine } from './yaml-positions.ts';
import { aliasProblems, otherReadings, readKeysAsWritten, unkeptNumbers, YAML_OPTIONS, yamlErrorMessage } from './yaml-surprises.ts';

// The CLI catches JobFileError where it loads jobs.
export { JobFileError, renderProblem, renderProblems, type Problem } from '../../model/problems.ts';

/** Something a valid job does that its author should know about; `code` says what, for commands that refuse it. */
export interface JobWarning extends Problem {
  code: 'literalSalt';
}

export interface LoadedJob {
  job: Job;
  warnings: JobWarning[];
}

const schema = jobSchema(z.unknown());

export async function loadJobFile(file: string, registry: TransformerRegistry = builtinRegistry, env: Env = process.env): Promise<Job> {
  return (await loadJobFileWithWarnings(file, registry, env)).job;
}

/** The job and what the CLI should warn about (a literal salt), with their lines. */
export async function loadJobFileWithWarnings(file: string, registry: TransformerRegistry = builtinRegistry, env: Env = process.env): Promise<LoadedJob> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : error instanceof Error ? error.message : String(error);
    throw new JobFileError(file, [{ file, path: '', message: `cannot read the job file: ${reason}` }], { cause: error });
  }
  return parseJobWithWarnings(text, file, registry, env);
}

/** Pure: the same text, registry and environment give the same Job or the same problems. */
export function parseJob(text: string, file: string, registry: TransformerRegistry = builtinRegistry, env: Env = process.env): Job {
  return parseJobWithWarnings(text, file, registry, env).job;
}

export function parseJobWithWarnings(text: string, file: string, registry: TransformerRegistry = builtinRegistry, env: Env = process.env): LoadedJob {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, ...YAML_OPTIONS });
  const lineAt = (offset: number): number => lineCounter.linePos(offset).line;
  const fail = (problems: Problem[]): never => {
    throw new JobFileError(file, sortByLine(problems));
  };

  // A document with syntax errors has no reliable structure to validate.
  const yamlProblems = firstPerLine(
    [...doc.errors, ...doc.warnings].map((error): Problem => ({ file, line: yamlErrorLine(text, error, lineAt), path: '', message: yamlErrorMessage(error) })),
  );
  if (doc.errors.length > 0) fail(yamlProblems);
  const top = doc.contents;
  if (top === null) fail([{ file, path: '', message: 'the file is empty; a job is a mapping with "name", "connections" and "tables"' }]);
  if (!isMap(top)) {
    const got = isSeq(top) ? 'a list' : isScalar(top) ? describeValue(top.value) : 'something else';
    fail([{ file, line: top?.range ? lineAt(top.range[0]) : undefined, path: '', message: `expected a mapping with "name", "connections" and "tables" at the top level, got ${got}` }]);
  }
  const aliases = aliasProblems(doc).map(({ offset, message }): Problem => ({ file, line: offset === undefined ? undefined : lineAt(offset), path: '', message }));
  if (aliases.length > 0) fail(firstPerLine([...yamlProblems, ...aliases]));

  readKeysAsWritten(doc);
  const interpolationIssues = interpolateDocument(doc, env);
  const numberIssues = unkeptNumbers(doc);
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // Only too many aliases get here: aliasProblems caught the rest, and the parse itself succeeded.
    fail([{ file, path: '', message: `invalid YAML: ${error instanceof Error ? error.message : String(error)}` }]);
  }

  const locate = locator(doc, lineAt);
  const validate = (value: unknown) => {
    const parsed = schema.safeParse(value, { reportInput: true });
    const checked = checkJob(asRecord(value) ?? {}, registry, locate);
    return { parsed, checked, issues: [...(parsed.success ? [] : issuesFromZod(parsed.error.issues, { schema })), ...checked.issues] };
  };
  const { parsed, checked, issues } = validate(raw);

  // An unresolved ${VAR} left its text in place, and an unkept number is no number; other complaints about those values would be noise.
  const noise = new Set([...interpolationIssues, ...numberIssues].map((issue) => pathKey(issue.path)));
  const refused = issues.filter((issue) => !noise.has(pathKey(issue.path)));
  const all = [...interpolationIssues, ...numberIssues, ...withHints(refused, doc, raw, (value) => validate(value).issues)];
  const scriptLine = scriptLocator(doc, lineAt);
  const lineOf = (issue: PathIssue): number | undefined => {
    const inScript = (issue as ScriptIssue).scriptLine;
    return (inScript !== undefined ? scriptLine(issue.path, inScript) : undefined) ?? locate(issue.path, issue.at);
  };
  const problems = [...yamlProblems, ...all.map((issue): Problem => ({ file, line: lineOf(issue), path: renderPath(issue.path), message: issue.message }))];
  if (problems.length > 0 || !parsed.success) fail(problems);
  const job = normalizeJob(parsed.data!, checked, registry);
  const warnings: JobWarning[] = [];
  if (typeof job.salt === 'string') warnings.push({ code: 'literalSalt', file, line: locate(['salt']), path: 'salt', message: LITERAL_SALT_WARNING });
  return { job, warnings };
}

/**
 * A refused value that YAML typed by its looks (yaml-surprises.ts) gets a
 * hint when the job, checked again with the value read the other way, has
 * nothing more to say about it.
 */
function withHints(issues: PathIssue[], doc: Document, raw: unknown, issuesOf: (raw: unknown) => PathIssue[]): PathIssue[] {
  const paths = new Map(issues.filter((issue) => issue.at !== 'key').map((issue) => [pathKey(issue.path), issue.path]));
  const readings = otherReadings(doc, [...paths.values()]);
  if (readings.length === 0) return issues;
  const stillRefused = new Set(issuesOf(withValuesAt(raw, readings)).map((issue) => pathKey(issue.path)));
  const hints = new Map(readings.filter((reading) => !stillRefused.has(pathKey(reading.path))).map((reading) => [pathKey(reading.path), reading.hint]));
  return issues.map((issue) => {
    const hint = issue.at === 'key' ? undefined : hints.get(pathKey(issue.path));
    return hint === undefined ? issue : { ...issue, message: `${issue.message}; ${hint}` };
  });
}

function sortByLine(problems: Problem[]): Problem[] {
  return problems
    .map((problem, order) => ({ problem, order }))
    .sort((a, b) => (a.problem.line ?? 0) - (b.problem.line ?? 0) || a.order - b.order)
    .map(({ problem }) => problem);
}

function pathKey(path: DocPath): string {
  return JSON.stringify(path);
}
