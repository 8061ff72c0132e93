/**
 * faker fills the templates its data is written in (a last name is
 * `{{person.last_name.generic}}`, a full name `{{person.firstName}}
 * {{person.lastName}}`) by parsing each expression again and compiling a
 * RegExp per key on every call: about 40% of a fake name's time, profiled.
 *
 * `withCachedTemplates` installs, on one Faker instance, `helpers.fake` and
 * `helpers.mustache` that take the same steps in the same order and so draw
 * the same random numbers, with the parsing and the RegExps done once. The
 * outputs do not change (a user's fakes must not change with a dynamask
 * release): faker-templates.test.ts draws every faker method the built-ins use
 * from a patched and a stock instance side by side. An expression this
 * cannot resolve ahead of time (a call, a function or a list part-way along
 * its path) goes to faker's own code.
 */
import type { Faker } from './faker-en.ts';

type Fake = (pattern: string | readonly string[]) => string;
type Mustache = (text: string | undefined, data: Record<string, string | ((substring: string, ...args: unknown[]) => string)>) => string;

/** What faker's `fake` looks for: `{{` and a lower-case letter. */
const EXPRESSION_START = /{{[a-z]/;
/** Dotted names only: anything else (calls, arguments) is left to faker. */
const DOTTED_NAMES = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/;

export function withCachedTemplates(faker: Faker): Faker {
  const helpers = faker.helpers as unknown as { fake: Fake; mustache: Mustache; arrayElement<T>(values: readonly T[]): T };
  const stockFake = helpers.fake;
  const entryPoints: readonly unknown[] = [faker, faker.definitions.raw];
  /** An expression's candidates after its last name (faker draws an element of each list among them per call), or null: faker's own. */
  const resolved = new Map<string, readonly unknown[] | null>();

  const fake: Fake = (pattern) => {
    let text = typeof pattern === 'string' ? pattern : helpers.arrayElement(pattern);
    for (;;) {
      const start = text.search(EXPRESSION_START);
      const end = text.indexOf('}}', start);
      if (start === -1 || end === -1) return text;
      const expression = text.substring(start + 2, end + 2).replace('}}', '').replace('{{', '');
      let candidates = resolved.get(expression);
      if (candidates === undefined) resolved.set(expression, (candidates = resolveAhead(expression, entryPoints)));
      // faker's fake replaces this expression and calls `fake` (this one) on the rest.
      if (candidates === null) return stockFake(text);
      // faker draws from every list among the candidates and keeps the first candidate.
      let first: unknown;
      for (const [index, candidate] of candidates.entries()) {
        const value = Array.isArray(candidate) ? helpers.arrayElement(candidate) : candidate;
        if (index === 0) first = value;
      }
      text = text.substring(0, start) + String(typeof first === 'function' ? (first as () => unknown)() : first) + text.substring(end + 2);
    }
  };

  const patterns = new Map<string, RegExp>();
  const mustache: Mustache = (text, data) => {
    if (text == null) return '';
    for (const key in data) {
      let pattern = patterns.get(key);
      if (pattern === undefined) patterns.set(key, (pattern = new RegExp(`{{${key}}}`, 'g')));
      const value = data[key]!;
      // A global RegExp's replace starts from 0 whatever its lastIndex, so one per key serves every call.
      text = typeof value === 'string' ? text.replace(pattern, value.replaceAll('$', '$$$$')) : text.replace(pattern, value);
    }
    return text;
  };

  helpers.fake = fake;
  helpers.mustache = mustache;
  return faker;
}

/**
 * faker's path walk without its draws: each name looks the property up on
 * every candidate still standing (faker and its raw definitions at first).
 * Null where faker would call a function or draw from a list before the
 * last name, or finds nothing: those stay faker's to evaluate (and to fail).
 */
function resolveAhead(expression: string, entryPoints: readonly unknown[]): readonly unknown[] | null {
  if (!DOTTED_NAMES.test(expression)) return null;
  const names = expression.split('.');
  let candidates = entryPoints;
  try {
    for (const [index, name] of names.entries()) {
      const next: unknown[] = [];
      for (const candidate of candidates) {
        if (typeof candidate === 'function') return null;
        if (typeof candidate !== 'object' || candidate === null) continue;
        const value = (candidate as Record<string, unknown>)[name];
        if (value != null) next.push(value);
      }
      if (next.length === 0) return null;
      if (index < names.length - 1 && next.some((value) => Array.isArray(value))) return null;
      candidates = next;
    }
  } catch {
    return null;
  }
  return candidates;
}
