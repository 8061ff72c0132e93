/**
 * How a table's subset is picked, beyond what the schema says of each
 * field: whole collections and seeds are read from the base table, and
 * whole collections need something that picks their roots; a reference
 * names another entry of the job, read through the same connection, that
 * picks its items by itself or follows references in turn (a chain), but
 * never round a cycle, where no entry would pick anything to start from.
 */
import type { PathIssue } from '../../model/problems.ts';
import { parseTemplate, TemplateSyntaxError } from '../../transformers/templates/index.ts';
import { asRecord } from './raw-values.ts';

export function checkSubsets(tables: unknown[], issues: PathIssue[]): void {
  for (const [index, raw] of tables.entries()) {
    const table = asRecord(raw);
    if (table === undefined) continue;
    const whole = table.wholeCollections === true;
    const seeded = Array.isArray(table.seeds);
    const picksRoots = (typeof table.where === 'string' && table.where !== '') || seeded;
    if (whole && !picksRoots) {
      issues.push({ path: ['tables', index, 'wholeCollections'], message: 'whole collections need a where or seeds to pick their roots; without one every item is a root: leave wholeCollections out' });
    }
    if (typeof table.index === 'string') {
      if (whole) issues.push({ path: ['tables', index, 'wholeCollections'], message: `whole collections are read from the base table by partition key, not from index "${table.index}": leave out index or wholeCollections` });
      if (seeded) issues.push({ path: ['tables', index, 'seeds'], message: `seeds are partition key values of the base table, not of index "${table.index}": leave out index or seeds` });
    }
    checkReference(tables, index, issues);
  }
}

function checkReference(tables: unknown[], index: number, issues: PathIssue[]): void {
  const table = asRecord(tables[index])!;
  const reference = asRecord(table.references);
  if (reference === undefined) return;
  const at = ['tables', index, 'references'];
  for (const field of ['where', 'seeds', 'wholeCollections', 'index'] as const) {
    if (table[field] !== undefined && table[field] !== false) {
      issues.push({ path: [...at], message: `a table that follows references takes its items from them; ${field} beside references is not supported yet: leave one out` });
    }
  }
  if (table.mode === 'replace' && reference.limit !== undefined) {
    issues.push({ path: ['tables', index, 'mode'], message: 'mode replace keeps each item the references select, and with references.limit that depends on the other items of its key; not supported yet: leave out limit, or use mode upsert' });
  }
  if (table.mode === 'incremental') {
    issues.push({ path: ['tables', index, 'mode'], message: "mode incremental cannot tell from a stream record whether it refers to a selected key; not supported yet for a table that follows references: use mode replace or upsert" });
  }
  if (typeof reference.template === 'string' && reference.template !== '') {
    const problem = referenceTemplateProblem(reference.template);
    if (problem) issues.push({ path: [...at, 'template'], message: problem });
  }
  if (typeof reference.table !== 'string') return;
  const targets = tables.flatMap((other, i) => (i !== index && asRecord(other)?.source === reference.table ? [asRecord(other)!] : []));
  const sources = tables.flatMap((other, i) => (i !== index && typeof asRecord(other)?.source === 'string' ? [`"${String(asRecord(other)!.source)}"`] : []));
  if (targets.length !== 1) {
    const why = targets.length === 0 ? `no other entry of tables reads "${reference.table}"${sources.length > 0 ? ` (they read ${sources.join(', ')})` : ''}` : `${targets.length} entries of tables read "${reference.table}"`;
    issues.push({ path: [...at, 'table'], message: `references.table names the source of one other entry of tables, whose selection this table follows; ${why}` });
    return;
  }
  const target = targets[0]!;
  const cycle = referenceCycle(tables, index);
  if (cycle !== undefined) {
    const how = cycle[0] === table.source ? 'references go round in a cycle' : `"${reference.table}" leads into a cycle of references`;
    issues.push({ path: [...at, 'table'], message: `${how} (${cycle.join(' -> ')}), so no table of it picks its items by itself; cycles are not supported yet: give one of them a where or seeds instead of references` });
  }
  if (target.wholeCollections === true) issues.push({ path: [...at, 'table'], message: `"${reference.table}" copies whole collections; references to them are not supported yet` });
  if ((target.sourceConnection ?? null) !== (table.sourceConnection ?? null)) {
    issues.push({ path: [...at, 'table'], message: `"${reference.table}" is read through another connection; a reference is read through this table's source connection` });
  }
}

/**
 * The sources around the cycle this entry's chain of references enters, or
 * undefined when the chain ends at an entry that selects by itself (or at
 * a reference that names no single entry, refused on its own line).
 */
function referenceCycle(tables: unknown[], start: number): string[] | undefined {
  const seen: number[] = [];
  for (let at: number | undefined = start; at !== undefined; ) {
    if (seen.includes(at)) return [...seen.slice(seen.indexOf(at)), at].map((i) => String(asRecord(tables[i])!.source));
    seen.push(at);
    const from: number = at;
    const next: unknown = asRecord(asRecord(tables[from])!.references)?.table;
    if (typeof next !== 'string') return undefined;
    const matches: number[] = tables.flatMap((other, i) => (i !== from && asRecord(other)?.source === next ? [i] : []));
    at = matches.length === 1 ? matches[0] : undefined;
  }
  return undefined;
}

/** A reference's template says where the referenced key stands in the attribute's text: one part, once. */
function referenceTemplateProblem(text: string): string | undefined {
  try {
    const template = parseTemplate(text);
    if (template.parts.length === 1) return undefined;
    const what = template.parts.length === 0 ? 'has no part' : `has ${template.parts.length} parts (${template.parts.map((p) => `{${p}}`).join(', ')})`;
    return `references.template ${JSON.stringify(text)} ${what}; it holds the referenced key as exactly one part, such as "USER#{id}"`;
  } catch (error) {
    if (error instanceof TemplateSyntaxError) return `bad template ${JSON.stringify(text)}: ${error.message}`;
    throw error;
  }
}
