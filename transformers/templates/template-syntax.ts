/**
 * Templates: strings of fixed text and named parts, such as
 * `ORDER#{date}#{orderId}`, that say which parts of a structured string are
 * identifiers and which stay as they are.
 *
 * Semantics (what matching must respect, here and in template-overlap.ts):
 * - A template's separators are the characters of its fixed text other than
 *   ASCII letters and digits (`#`, `|`, `:`, `/`, `-`, `.`, a space…).
 * - A part matches a non-empty run of characters that holds none of its
 *   template's separators: it runs up to the next separator, where the fixed
 *   text after it must begin; the last part runs to the end of the value (or
 *   to the fixed text that ends the template). So `ORDER#{orderId}` does not
 *   match `ORDER#1#ITEM#2`, which `ORDER#{orderId}#ITEM#{line}` does.
 * - Fixed text matches itself exactly, case included.
 * Matching is then deterministic, and it is what makes a template one to
 * one: a transformed value whose parts hold no separator reads back as the
 * same template with the transformed parts.
 *
 * Well-formed templates are never empty, name their parts with letters,
 * digits and `_`, never put two parts side by side, and start the text after
 * a part with a separator (a letter there would be taken by the part).
 */

export type TemplateToken = { readonly kind: 'literal'; readonly text: string } | { readonly kind: 'part'; readonly name: string };

export interface Template {
  /** As the job file wrote it. */
  readonly source: string;
  readonly tokens: readonly TemplateToken[];
  /** Part names in order of appearance (a name may appear more than once). */
  readonly parts: readonly string[];
  /** UTF-16 code units of the separators. */
  readonly separators: ReadonlySet<number>;
  /** Whether a code unit is a separator of this template. */
  isSeparator(code: number): boolean;
}

export class TemplateSyntaxError extends Error {
  override name = 'TemplateSyntaxError';
}

const PART_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Whether a mapping's text is a template rather than a transformer name: it holds a `{`. */
export function isTemplateText(text: string): boolean {
  return text.includes('{');
}

export function isSeparatorCharacter(code: number): boolean {
  const digit = code >= 48 && code <= 57;
  const letter = (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
  return !digit && !letter;
}

/** Parses a template; throws TemplateSyntaxError saying what is wrong and at which column (1-based). */
export function parseTemplate(source: string): Template {
  if (source.length === 0) throw new TemplateSyntaxError('a template is never empty');
  const tokens: TemplateToken[] = [];
  let literal = '';
  for (let i = 0; i < source.length; ) {
    const c = source[i]!;
    if (c === '}') throw new TemplateSyntaxError(`column ${i + 1}: a "}" with no "{" before it (a template cannot hold a brace of its own)`);
    if (c !== '{') {
      literal += c;
      i++;
      continue;
    }
    const close = source.indexOf('}', i + 1);
    const open = source.indexOf('{', i + 1);
    if (close < 0 || (open >= 0 && open < close)) throw new TemplateSyntaxError(`column ${i + 1}: a "{" with no "}" after it`);
    const name = source.slice(i + 1, close);
    if (name === '') throw new TemplateSyntaxError(`column ${i + 1}: "{}" names no part`);
    if (!PART_NAME.test(name)) throw new TemplateSyntaxError(`column ${i + 1}: part name "${name}" must be letters, digits and _, starting with a letter or _`);
    const previous = tokens.at(-1);
    if (literal !== '') {
      if (previous?.kind === 'part' && !isSeparatorCharacter(literal.charCodeAt(0))) throw afterPart(previous.name, literal, i - literal.length);
      tokens.push({ kind: 'literal', text: literal });
      literal = '';
    } else if (previous?.kind === 'part') {
      throw new TemplateSyntaxError(`column ${i + 1}: part {${name}} follows part {${previous.name}} with nothing between them; put fixed text with a separator (such as #) between parts`);
    }
    tokens.push({ kind: 'part', name });
    i = close + 1;
  }
  if (literal !== '') {
    const previous = tokens.at(-1);
    if (previous?.kind === 'part' && !isSeparatorCharacter(literal.charCodeAt(0))) throw afterPart(previous.name, literal, source.length - literal.length);
    tokens.push({ kind: 'literal', text: literal });
  }

  const separators = new Set<number>();
  for (const token of tokens) {
    if (token.kind !== 'literal') continue;
    for (let i = 0; i < token.text.length; i++) {
      const code = token.text.charCodeAt(i);
      if (isSeparatorCharacter(code)) separators.add(code);
    }
  }
  // ASCII separators by table: matching asks once per character of every part.
  const ascii = new Uint8Array(128);
  for (const code of separators) if (code < 128) ascii[code] = 1;
  return {
    source,
    tokens,
    parts: tokens.flatMap((token) => (token.kind === 'part' ? [token.name] : [])),
    separators,
    isSeparator: (code) => (code < 128 ? ascii[code] === 1 : separators.has(code)),
  };
}

function afterPart(part: string, literal: string, at: number): TemplateSyntaxError {
  return new TemplateSyntaxError(
    `column ${at + 1}: the text after part {${part}} starts with "${literal[0]}", a letter or digit, which the part would take as its own; start it with a separator (a character other than an ASCII letter or digit, such as #)`,
  );
}

/** `"USER#{userId}", "ORG#{orgId}"`: how messages name a mapping's templates. */
export function listTemplates(sources: readonly string[]): string {
  return sources.map((source) => JSON.stringify(source)).join(', ');
}
