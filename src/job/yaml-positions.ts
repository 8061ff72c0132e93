/**
 * Lines of the YAML document: where a document path is, where a line of a
 * script is, and where a YAML syntax error really is. Problems carry paths;
 * these turn them into the lines a user goes to.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node, type Pair } from 'yaml';
import type { DocPath, Problem } from '../../model/problems.ts';

export type Locate = (path: DocPath, at?: 'key') => number | undefined;

/**
 * The line of a document path: of the key when asked (unknown fields), else
 * of the value; for a path that does not exist (a missing field), of the
 * deepest mapping or list that does.
 */
export function locator(doc: Document, lineAt: (offset: number) => number): Locate {
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

/**
 * The file line of a script's line: a block scalar (`js: |`) starts on the
 * line after its indicator; a quoted or plain scalar folds its lines, so
 * its first line is the best there is.
 */
export function scriptLocator(doc: Document, lineAt: (offset: number) => number): (path: DocPath, scriptLine: number) => number | undefined {
  return (path, scriptLine) => {
    const node = doc.getIn(path, true);
    if (!isScalar(node) || !node.range) return undefined;
    const first = lineAt(node.range[0]);
    return node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED' ? first + scriptLine : first;
  };
}

/**
 * The parser notices an unclosed quote only where the file ends; the line
 * to fix is the last one before that with an odd number of those quotes.
 */
export function yamlErrorLine(text: string, error: { code: string; message: string; pos: [number, number] }, lineAt: (offset: number) => number): number {
  const line = lineAt(error.pos[0]);
  const quote = error.code === 'MISSING_CHAR' ? /^Missing closing (["'])quote/.exec(error.message)?.[1] : undefined;
  if (quote === undefined) return line;
  const lines = text.split('\n');
  for (let i = Math.min(line, lines.length) - 1; i >= 0; i--) {
    if ((lines[i]!.split(quote).length - 1) % 2 === 1) return i + 1;
  }
  return line;
}

/** One mistake often trips several YAML errors on its line; the first says it best. */
export function firstPerLine(problems: Problem[]): Problem[] {
  const seen = new Set<number | undefined>();
  return problems.filter((problem) => !seen.has(problem.line) && seen.add(problem.line));
}
