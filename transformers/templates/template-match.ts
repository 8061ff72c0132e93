/**
 * Matching a value against a template and writing one back, with the
 * semantics of template-syntax.ts: fixed text exactly, each part a
 * non-empty run without separators.
 */
import type { Template } from './template-syntax.ts';

/** The texts of the value's parts, in the template's order, or undefined when the value does not match. */
export function matchTemplate(template: Template, value: string): string[] | undefined {
  const parts: string[] = [];
  let at = 0;
  for (const token of template.tokens) {
    if (token.kind === 'literal') {
      if (!value.startsWith(token.text, at)) return undefined;
      at += token.text.length;
      continue;
    }
    let end = at;
    while (end < value.length && !template.isSeparator(value.charCodeAt(end))) end++;
    if (end === at) return undefined;
    parts.push(value.slice(at, end));
    at = end;
  }
  return at === value.length ? parts : undefined;
}

/** Whether a text can stand for a part of the template: non-empty, no separator. */
export function isPartText(template: Template, text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) if (template.isSeparator(text.charCodeAt(i))) return false;
  return true;
}

/** The template with its parts filled in, in order. */
export function renderTemplate(template: Template, parts: readonly string[]): string {
  let out = '';
  let next = 0;
  for (const token of template.tokens) out += token.kind === 'literal' ? token.text : parts[next++]!;
  return out;
}
