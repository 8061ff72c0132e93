/**
 * `{ js: <code> }` and `{ jsGenerate: <code> }` in a job file: checked here,
 * when the job is loaded, so that `validate` reports a script that does not
 * parse before any run.
 */
import type { DocPath, PathIssue } from '../../model/problems.ts';
import { describeValue } from '../../model/problems.ts';
import type { TransformerRef } from '../../model/job.ts';
import { SCRIPT_KINDS, scriptRef, type ScriptKind } from '../../transformers/js/script-ref.ts';
import { prepareScript, ScriptSyntaxError } from '../../transformers/js/script-source.ts';

/** A problem inside a script, at a line of the script rather than of its YAML value. */
export interface ScriptIssue extends PathIssue {
  scriptLine?: number;
}

/** The code must parse, as an expression or a function body. */
export function resolveScript(value: Record<string, unknown>, path: DocPath, issues: PathIssue[]): TransformerRef | undefined {
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
