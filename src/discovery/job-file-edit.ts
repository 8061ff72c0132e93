/**
 * Adds mappings to a job file a person has written and commented, without
 * touching any line of it: `init --update --write`.
 *
 * First through the yaml package's Document API (parse, add pairs to each
 * table's `transformers`, print). Printing re-renders the whole document,
 * so it keeps the file only when the file is already in the printer's own
 * style; the result is taken only if every original line is still there,
 * unchanged and in order, and the only new lines are the added ones.
 * Otherwise the added lines are inserted as text: after the last mapping of
 * the table's `transformers` (at its indentation), or, when the table has
 * none, as a new `transformers:` after the table's last line. A flow-style
 * `transformers: { ... }` cannot take lines; then the error says what to add.
 */
import { Document, isMap, isSeq, parseDocument, YAMLMap, type Node, type Pair } from 'yaml';
import { mappingsNode } from './job-writer.ts';
import type { MappingGroup } from './table-mappings.ts';

export interface TableAddition {
  /** Index of the table in the file's `tables`. */
  readonly table: number;
  /** Comment lines above the added mappings. */
  readonly header: readonly string[];
  readonly groups: readonly MappingGroup[];
}

export class JobFileEditError extends Error {
  override name = 'JobFileEditError';
}

export interface EditResult {
  readonly text: string;
  readonly method: 'document' | 'text';
  readonly addedLines: number;
}

export function addMappings(text: string, additions: readonly TableAddition[]): EditResult {
  const pending = additions.filter((addition) => addition.groups.some((group) => group.entries.length > 0));
  if (pending.length === 0) return { text, method: 'document', addedLines: 0 };
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const expected = pending.flatMap(renderedLines);
  const viaDocument = throughDocument(text, pending);
  if (viaDocument !== undefined && addsOnly(text, viaDocument, eol, expected)) return { text: viaDocument, method: 'document', addedLines: countLines(viaDocument, eol) - countLines(text, eol) };
  const viaText = asText(text, pending, eol);
  if (!addsOnly(text, viaText, eol, expected)) throw new JobFileEditError('adding the mappings would change other lines of the file');
  return { text: viaText, method: 'text', addedLines: countLines(viaText, eol) - countLines(text, eol) };
}

function countLines(text: string, eol: string): number {
  return text.split(eol).length;
}

/** `after` is `before` with lines inserted, and those lines (blank ones and indentation aside) are the expected ones, in order. */
function addsOnly(before: string, after: string, eol: string, expected: readonly string[]): boolean {
  const inserted = insertedLines(before, after, eol);
  if (inserted === undefined) return false;
  const meaningful = (lines: readonly string[]) => lines.map((line) => line.trim()).filter((line) => line !== '' && line !== 'transformers:');
  return JSON.stringify(meaningful(inserted)) === JSON.stringify(meaningful(expected));
}

function tablesOf(doc: Document): YAMLMap[] {
  const tables = doc.get('tables', true);
  if (!isSeq(tables)) throw new JobFileEditError('the file has no "tables" list');
  return tables.items.map((table, index) => {
    if (!isMap(table)) throw new JobFileEditError(`tables[${index}] is not a mapping`);
    return table;
  });
}

function throughDocument(text: string, additions: readonly TableAddition[]): string | undefined {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new JobFileEditError(`the file is not valid YAML: ${doc.errors[0]!.message}`);
  const tables = tablesOf(doc);
  for (const addition of additions) {
    const table = tables[addition.table];
    if (table === undefined) throw new JobFileEditError(`the file has no tables[${addition.table}]`);
    let transformers = table.get('transformers', true) as Node | undefined;
    if (transformers === undefined || transformers === null) {
      transformers = new YAMLMap();
      table.set('transformers', transformers);
    }
    if (!isMap(transformers)) return undefined;
    (transformers as YAMLMap).items.push(...addedBlock(doc, addition).items);
  }
  return doc.toString({ lineWidth: 0 });
}

function addedBlock(doc: Document, addition: TableAddition): YAMLMap {
  const block = mappingsNode(doc, addition.groups);
  const first = block.items[0]!.key as Node;
  first.spaceBefore = true;
  first.commentBefore = [...addition.header.map((line) => ` ${line}`), ...(first.commentBefore !== undefined && first.commentBefore !== null ? [first.commentBefore] : [])].join('\n');
  return block;
}

/** The added mappings as lines at indentation 0, as the printer writes them. */
function renderedLines(addition: TableAddition): string[] {
  const doc = new Document({});
  const block = addedBlock(doc, addition);
  (block.items[0]!.key as Node).spaceBefore = false;
  doc.contents = block;
  return doc.toString({ lineWidth: 0 }).replace(/\n$/, '').split('\n');
}

function asText(text: string, additions: readonly TableAddition[], eol: string): string {
  const doc = parseDocument(text);
  const tables = tablesOf(doc);
  const inserts: { at: number; lines: string[] }[] = [];
  for (const addition of additions) {
    const table = tables[addition.table]!;
    const lines = renderedLines(addition);
    const transformers = table.get('transformers', true) as Node | undefined | null;
    if (isMap(transformers) && !transformers.flow && transformers.items.length > 0) {
      const indent = columnOf(text, (transformers.items[0]!.key as Node).range![0]);
      inserts.push({ at: lineEndAfter(text, lastOffset(transformers.items.at(-1)!)), lines: ['', ...lines].map((line) => (line === '' ? '' : ' '.repeat(indent) + line)) });
    } else if (transformers === undefined || transformers === null || (isMap(transformers) && !transformers.flow)) {
      if (transformers !== undefined && transformers !== null) throw new JobFileEditError(`tables[${addition.table}].transformers is empty: write the mappings under it by hand:\n${lines.join('\n')}`);
      const indent = columnOf(text, (table.items[0]!.key as Node).range![0]);
      inserts.push({ at: lineEndAfter(text, lastOffset(table.items.at(-1)!)), lines: [`${' '.repeat(indent)}transformers:`, ...lines.map((line) => (line === '' ? '' : ' '.repeat(indent + 2) + line))] });
    } else {
      throw new JobFileEditError(`tables[${addition.table}].transformers is written in flow style ({ ... }), which cannot take lines without being rewritten; add these by hand:\n${lines.join('\n')}`);
    }
  }
  let out = text;
  for (const insert of inserts.sort((a, b) => b.at - a.at)) {
    const needsBreak = insert.at > 0 && !out.slice(0, insert.at).endsWith('\n');
    out = out.slice(0, insert.at) + (needsBreak ? eol : '') + insert.lines.map((line) => line + eol).join('') + out.slice(insert.at);
  }
  return out;
}

/** Where a pair's text ends: its value's, or its key's when the value is empty. */
function lastOffset(pair: Pair): number {
  const value = pair.value as Node | null;
  const range = value?.range ?? (pair.key as Node).range!;
  return Math.max((pair.key as Node).range![1], range[1]) - 1;
}

/** The offset just past the end of the line that holds `offset`. */
function lineEndAfter(text: string, offset: number): number {
  const end = text.indexOf('\n', Math.max(0, offset));
  return end < 0 ? text.length : end + 1;
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/**
 * The lines `after` holds beyond `before`, when every line of `before` is
 * in `after` unchanged and in order; undefined otherwise. Matching is
 * greedy, which is exact for insertions that do not repeat the lines
 * around them.
 */
export function insertedLines(before: string, after: string, eol = '\n'): string[] | undefined {
  const a = before.split(eol);
  const inserted: string[] = [];
  let i = 0;
  for (const line of after.split(eol)) {
    if (i < a.length && line === a[i]) i++;
    else inserted.push(line);
  }
  return i === a.length ? inserted : undefined;
}
