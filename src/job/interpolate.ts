/**
 * `${NAME}` and `${NAME:-default}` in a job file, so that endpoints, salts
 * and external IDs stay out of the file. `$${` is a literal `${`.
 *
 * It runs on the parsed YAML document, scalar values only (never keys), so
 * that a problem keeps the line of its scalar and a value can never change
 * the document's structure (a variable holding "a: b" stays one string).
 * A substituted value is always a string, even where it looks like a number.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { DocPath, PathIssue } from '../../model/problems.ts';

export type Env = Readonly<Record<string, string | undefined>>;

export interface Interpolated {
  value: string;
  /** One message per reference that could not be substituted. */
  problems: string[];
}

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `${NAME:-default}` takes the default when NAME is unset or empty, as in the shell. */
export function interpolateString(text: string, env: Env): Interpolated {
  let value = '';
  const problems: string[] = [];
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0) {
      value += text.slice(i);
      break;
    }
    value += text.slice(i, dollar);
    if (text.startsWith('$${', dollar)) {
      value += '${';
      i = dollar + 3;
      continue;
    }
    if (!text.startsWith('${', dollar)) {
      value += '$';
      i = dollar + 1;
      continue;
    }
    const close = text.indexOf('}', dollar + 2);
    if (close < 0) {
      problems.push('"${" without a closing "}" (write "$${" for a literal "${")');
      value += text.slice(dollar);
      break;
    }
    const reference = text.slice(dollar + 2, close);
    const separator = reference.indexOf(':-');
    const name = separator < 0 ? reference : reference.slice(0, separator);
    const fallback = separator < 0 ? undefined : reference.slice(separator + 2);
    i = close + 1;
    if (!VARIABLE_NAME.test(name)) {
      problems.push(`"\${${reference}}" is not a variable reference: expected \${NAME} or \${NAME:-default} (write "$\${" for a literal "\${")`);
      value += text.slice(dollar, i);
      continue;
    }
    const set = env[name];
    if (set !== undefined && (set !== '' || fallback === undefined)) value += set;
    else if (fallback !== undefined) value += fallback;
    else problems.push(`environment variable ${name} is not set`);
  }
  return { value, problems };
}

/**
 * Substitutes in place every string scalar value of the document. A scalar
 * with a problem keeps its text, and the problems name its path; the loader
 * reports those and nothing else about that scalar.
 */
export function interpolateDocument(doc: Document, env: Env): PathIssue[] {
  const issues: PathIssue[] = [];
  const visit = (node: unknown, path: DocPath): void => {
    // An alias shares its anchor's node, which is visited where it is defined.
    if (isAlias(node)) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        visit(pair.value, [...path, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => visit(item, [...path, index]));
    } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('$')) {
      const result = interpolateString(node.value, env);
      if (result.problems.length === 0) node.value = result.value;
      for (const message of result.problems) issues.push({ path, message });
    }
  };
  visit(doc.contents as Node | null, []);
  return issues;
}
