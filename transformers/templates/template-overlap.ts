/**
 * Whether two templates can match one string, exactly (no false alarms):
 * the first-match rule of a mapping's templates is only safe, and a
 * mapping only one to one, when no string matches two of them.
 *
 * Each template is an automaton over the semantics of template-syntax.ts:
 * fixed text one character at a time, a part one or more characters that
 * are not its template's separators. Because the text after a part starts
 * with a separator, a part ends exactly where that text begins, and each
 * automaton is deterministic. The product of the two is searched breadth
 * first for a state where both accept; the path there is a witness.
 *
 * Characters that appear in neither template's fixed text behave alike in
 * both (no fixed text holds them and neither counts them as separators), so
 * one stands for them all: the alphabet is the fixed text's characters plus
 * that one.
 */
import { listTemplates, parseTemplate, type Template } from './template-syntax.ts';

/** A code unit in no fixed text: stands for every such character. */
const OTHER = -1;

/** A position of a template's automaton: token index and, in fixed text, the offset; in a part, whether it holds a character yet. */
type State = readonly [token: number, offset: number];

/**
 * A mapping's templates, parsed, once no string can match two of them: the
 * value function and its inverse both rely on that. Throws naming the two
 * and a string they share.
 */
export function parseDisjointTemplates(sources: readonly string[]): Template[] {
  const templates = sources.map(parseTemplate);
  for (const [i, a] of templates.entries()) {
    for (const b of templates.slice(i + 1)) {
      const witness = overlapWitness(a, b);
      if (witness !== undefined) throw new Error(`templates ${listTemplates([a.source, b.source])} both match some strings (such as ${JSON.stringify(witness)})`);
    }
  }
  return templates;
}

/** A string both templates match (the shortest), or undefined when there is none. */
export function overlapWitness(a: Template, b: Template): string | undefined {
  // The other characters first: witnesses then read as an example (`USER#x`) rather than a spelling puzzle.
  const alphabet = [OTHER, ...new Set([...literalCodes(a), ...literalCodes(b)])];
  const start = [closure(a, [0, 0]), closure(b, [0, 0])] as const;
  const key = (x: State[], y: State[]) => `${x.map(String).join(';')}|${y.map(String).join(';')}`;
  const parents = new Map<string, { from: string; symbol: number } | undefined>([[key(...start), undefined]]);
  const queue: (readonly [State[], State[]])[] = [start];
  while (queue.length > 0) {
    const [x, y] = queue.shift()!;
    const here = key(x, y);
    if (accepts(a, x) && accepts(b, y)) return witness(parents, here, alphabet);
    for (const symbol of alphabet) {
      const nextX = step(a, x, symbol);
      const nextY = step(b, y, symbol);
      if (nextX.length === 0 || nextY.length === 0) continue;
      const there = key(nextX, nextY);
      if (parents.has(there)) continue;
      parents.set(there, { from: here, symbol });
      queue.push([nextX, nextY]);
    }
  }
  return undefined;
}

function literalCodes(template: Template): number[] {
  const codes: number[] = [];
  for (const token of template.tokens) if (token.kind === 'literal') for (let i = 0; i < token.text.length; i++) codes.push(token.text.charCodeAt(i));
  return codes;
}

/** The state and, from a part that holds a character, the start of what follows it. */
function closure(template: Template, state: State): State[] {
  const [k, o] = state;
  const token = template.tokens[k];
  if (token?.kind === 'part' && o === 1) return [state, ...closure(template, [k + 1, 0])];
  return [state];
}

function accepts(template: Template, states: readonly State[]): boolean {
  return states.some(([k]) => k === template.tokens.length);
}

function step(template: Template, states: readonly State[], symbol: number): State[] {
  const out: State[] = [];
  const seen = new Set<string>();
  const add = (state: State) => {
    for (const s of closure(template, state)) {
      const id = String(s);
      if (!seen.has(id)) {
        seen.add(id);
        out.push(s);
      }
    }
  };
  for (const [k, o] of states) {
    const token = template.tokens[k];
    if (token === undefined) continue;
    if (token.kind === 'literal') {
      if (token.text.charCodeAt(o) !== symbol) continue;
      add(o + 1 < token.text.length ? [k, o + 1] : [k + 1, 0]);
    } else if (symbol === OTHER || !template.isSeparator(symbol)) {
      add([k, 1]);
    }
  }
  return out.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
}

function witness(parents: Map<string, { from: string; symbol: number } | undefined>, end: string, alphabet: readonly number[]): string {
  const other = otherCharacter(alphabet);
  const codes: string[] = [];
  for (let at = parents.get(end); at !== undefined; at = parents.get(at.from)) codes.push(at.symbol === OTHER ? other : String.fromCharCode(at.symbol));
  return codes.reverse().join('');
}

/** A readable character that no fixed text holds, to write the "any other character" of a witness. */
function otherCharacter(alphabet: readonly number[]): string {
  const used = new Set(alphabet);
  for (const c of 'xyzqwabcdefghijklmnoprstuv0123456789') if (!used.has(c.charCodeAt(0))) return c;
  return '\u00b7';
}
