/**
 * How a table's subset is picked, beyond what the schema says of each
 * field: whole collections and seeds are read from the base table, and
 * whole collections need something that picks their roots; a reference
 * names another entry of the job, read through the same connection, that
 * picks its items by itself or follows references in turn (a chain), or
 * round a cycle (a ring), when some entry of the ring picks items by
 * itself for the walk round it to start from.
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
  for (const field of ['wholeCollections', 'index'] as const) {
    if (table[field] !== undefined && table[field] !== false) {
      issues.push({ path: [...at], message: `a table that follows references is read from its base table by them; ${field} beside references is not supported yet: leave one out` });
    }
  }
  const union = picksItself(table);
  if (union) {
    // A GSI Query per selected key finds only the referring items; the where's own would need a second read, and the items in both would come twice.
    for (const field of ['index', 'limit'] as const) {
      if (reference[field] !== undefined) issues.push({ path: [...at, field], message: `a table with a where or seeds beside references is read by one parallel Scan that keeps both kinds of item once; references.${field} needs a Query of a GSI per selected key, which cannot also yield the where's items without copying some twice: leave out references.${field}, or the where and seeds` });
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
  if (targets.length !== 1 && !(targets.length === 0 && reference.table === table.source)) {
    const why = targets.length === 0 ? `no other entry of tables reads "${reference.table}"${sources.length > 0 ? ` (they read ${sources.join(', ')})` : ''}` : `${targets.length} entries of tables read "${reference.table}"`;
    issues.push({ path: [...at, 'table'], message: `references.table names the source of one other entry of tables (or this entry's own), whose selection this table follows; ${why}` });
    return;
  }
  const target = targets[0] ?? table;
  const ring = referenceRing(tables, index);
  if (ring !== undefined) {
    const names = [...ring, ring[0]!].map((i) => String(asRecord(tables[i])!.source)).join(' -> ');
    const onRing = ring.includes(index);
    if (!ring.some((i) => picksItself(asRecord(tables[i])!))) {
      const how = !onRing ? `"${reference.table}" leads into a cycle of references` : ring.length === 1 ? 'references lead back to this table itself' : 'references go round in a cycle';
      const none = ring.length === 1 ? 'it picks no items by itself' : 'no table of it picks items by itself';
      issues.push({ path: [...at, 'table'], message: `${how} (${names}), and ${none}, so the walk round it has nothing to start from: give ${ring.length === 1 ? 'it' : 'one of them'} a where or seeds` });
    } else if (onRing) {
      for (const field of ['index', 'limit'] as const) {
        if (reference[field] !== undefined && !union) issues.push({ path: [...at, field], message: `a table on a cycle of references (${names}) is read by a parallel Scan each time round the walk; references.${field} needs a Query of a GSI per selected key, which the walk does not make: leave out references.${field}` });
      }
    }
  }
  if (target.wholeCollections === true) issues.push({ path: [...at, 'table'], message: `"${reference.table}" copies whole collections; references to them are not supported yet` });
  if ((target.sourceConnection ?? null) !== (table.sourceConnection ?? null)) {
    issues.push({ path: [...at, 'table'], message: `"${reference.table}" is read through another connection; a reference is read through this table's source connection` });
  }
}

/** A where or seeds: the entry picks items by itself, beside any it follows. */
function picksItself(table: Record<string, unknown>): boolean {
  return (typeof table.where === 'string' && table.where !== '') || Array.isArray(table.seeds);
}

/**
 * The entry whose selection this one's reference follows: the one other
 * entry that reads the referenced table, or, when none does and it names
 * the entry's own source, the entry itself (a ring of one). Undefined when
 * it names no single entry (refused on its own line).
 */
export function referencedIndex(tables: readonly unknown[], from: number): number | undefined {
  const entry = asRecord(tables[from]);
  const next: unknown = asRecord(entry?.references)?.table;
  if (typeof next !== 'string') return undefined;
  const matches = tables.flatMap((other, i) => (i !== from && asRecord(other)?.source === next ? [i] : []));
  if (matches.length === 0 && entry!.source === next) return from;
  return matches.length === 1 ? matches[0] : undefined;
}

/**
 * The entries of the cycle this entry's chain of references enters, in
 * the order the references go, starting where the chain meets it; or
 * undefined when the chain ends at an entry without references (or at a
 * reference that names no single entry, refused on its own line).
 */
export function referenceRing(tables: readonly unknown[], start: number): number[] | undefined {
  const seen: number[] = [];
  for (let at: number | undefined = start; at !== undefined; at = referencedIndex(tables, at)) {
    if (seen.includes(at)) return seen.slice(seen.indexOf(at));
    seen.push(at);
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
