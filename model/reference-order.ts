/**
 * The order a run starts its tables in: a stable topological order of the
 * job's tables in which an entry that another entry's references name
 * starts before it (a chain, users before their orders before their
 * shipments), and otherwise job order. The entries of a cycle of
 * references depend only on each other, so among themselves they keep job
 * order. Each table reads its selection from the source itself, so this is
 * about what a user sees first and about `tablesInFlight`, never about
 * what is selected.
 *
 * Pure, on the loaded job (which the loader checked: each reference names
 * one other entry, or the entry's own table).
 */
import type { TableJob } from './job.ts';

/** Table indexes in the order to start them; the identity for a job without references. */
export function dependencyOrder(tables: readonly Pick<TableJob, 'source' | 'references'>[]): number[] {
  const referenced = (from: number): number | undefined => {
    const name = tables[from]!.references?.table;
    if (name === undefined) return undefined;
    const others = tables.flatMap((table, i) => (i !== from && table.source === name ? [i] : []));
    return others.length === 1 ? others[0] : others.length === 0 && tables[from]!.source === name ? from : undefined;
  };
  const onRing = (start: number): boolean => {
    const seen = new Set<number>();
    for (let at = referenced(start); at !== undefined && !seen.has(at); at = referenced(at)) {
      if (at === start) return true;
      seen.add(at);
    }
    return false;
  };
  const order: number[] = [];
  const placed = new Set<number>();
  const place = (i: number): void => {
    if (placed.has(i)) return;
    placed.add(i);
    const next = referenced(i);
    if (next !== undefined && !onRing(i)) place(next);
    order.push(i);
  };
  tables.forEach((_, i) => place(i));
  return order;
}
