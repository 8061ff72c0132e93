/**
 * `dynamask run --seed <table>=<value>`: seeds given on the command line,
 * for "this customer and everything of theirs" without editing the job.
 * They replace the seeds the job file gives that table (the command line
 * says what this run is about), and reach the workflow as the job's own
 * seeds do. Values are strings; seeds of a numeric partition key are
 * written in the job file.
 */
import type { Job, TableReference } from '../../model/job.ts';
import { JobFileError, type Problem } from '../../model/problems.ts';
import { MAX_SEEDS } from './job-schema.ts';

export function withCommandLineSeeds(job: Job, file: string, seeds: readonly string[]): Job {
  if (seeds.length === 0) return job;
  const problems: Problem[] = [];
  const byTable = new Map<string, string[]>();
  for (const [i, text] of seeds.entries()) {
    const at = text.indexOf('=');
    const table = at > 0 ? text.slice(0, at) : '';
    const value = at > 0 ? text.slice(at + 1) : '';
    // Placed by its position on the command line, never quoted: a seed is a key value.
    const where = { file, path: `--seed #${i + 1}` };
    if (table === '' || value === '') {
      problems.push({ ...where, message: 'expected <source table>=<partition key value>, such as --seed Users=U42' });
      continue;
    }
    if (!job.tables.some((t) => t.source === table)) {
      problems.push({ ...where, message: `no table of the job reads "${table}" (it reads ${job.tables.map((t) => `"${t.source}"`).join(', ')})` });
      continue;
    }
    byTable.set(table, [...(byTable.get(table) ?? []), value]);
  }
  for (const [table, values] of byTable) {
    if (values.length > MAX_SEEDS) problems.push({ file, path: '--seed', message: `${values.length} seeds for "${table}"; at most ${MAX_SEEDS}` });
    const entry = job.tables.find((t) => t.source === table)!;
    if (entry.index !== undefined) problems.push({ file, path: '--seed', message: `"${table}" is read from index "${entry.index}"; seeds are partition key values of the base table` });
    // An entry that picks items beside its references (a union, a root of a ring) takes new seeds; one that only follows has nothing for them to replace.
    if (entry.references !== undefined && entry.where === undefined && entry.seeds === undefined) {
      problems.push({ file, path: '--seed', message: `"${table}" follows references to "${entry.references.table}", which pick its items; seed the table at the start of the chain instead` });
    }
  }
  if (problems.length > 0) throw new JobFileError(file, problems);
  return {
    ...job,
    tables: job.tables.map((table) => {
      const mine = byTable.get(table.source);
      // A reference carries the selection of the table it follows (down its chain, or round its ring): it follows the new seeds too.
      const references = table.references === undefined ? {} : { references: reseeded(table.references, byTable) };
      return { ...table, ...(mine !== undefined ? { seeds: mine } : {}), ...references };
    }),
  };
}

function reseeded(reference: TableReference, byTable: ReadonlyMap<string, (string | number)[]>): TableReference {
  const { selection } = reference;
  const seeds = byTable.get(reference.table);
  return {
    ...reference,
    selection: {
      ...selection,
      ...(seeds !== undefined ? { seeds } : {}),
      ...(selection.references !== undefined ? { references: reseeded(selection.references, byTable) } : {}),
      ...(selection.ring !== undefined ? { ring: selection.ring.map((entry) => (byTable.has(entry.source) ? { ...entry, seeds: byTable.get(entry.source)! } : entry)) } : {}),
    },
  };
}
