/**
 * What `verify` prints: per table a line on what was read, a row per path
 * (transformer, uniqueness, values checked, survivors, changed), and the
 * findings grouped by where they were found; `--json` the same as data.
 * Findings carry paths and key attribute names only, so nothing rendered
 * here holds a value.
 */
import type { TableVerification } from './verify-table.ts';

export interface JobVerification {
  readonly job: string;
  readonly ok: boolean;
  readonly tables: readonly TableVerification[];
}

const SHOWN_FINDINGS = 20;

export function renderVerification(result: JobVerification): string {
  const out: string[] = [];
  for (const table of result.tables) {
    const what = table.sampled ? `a sample of ${table.items} selected item(s)` : `all ${table.items} selected item(s)`;
    out.push(`${table.source} -> ${table.destination}: ${what} (${table.selection}), ${table.items - table.missing} found in the destination, ${table.missing} missing; keys ${table.keys.transformed ? 'recomputed with the job\'s key mappings' : 'passed through'}`);
    out.push(`  in ${table.seconds.toFixed(1)} s: ${table.passSeconds.pairs.toFixed(1)} s item by item, ${table.passSeconds.acrossItems.toFixed(1)} s across items`);
    const header = ['path', 'transformer', 'uniqueness', 'values', 'short', 'survivors', 'changed'];
    const rows = table.rows.map((row) => [
      row.label,
      row.kind === 'unnamed' ? '(none: copied as it is)' : row.transformer === 'key' ? 'key (passed through)' : row.transformer,
      row.uniqueness ?? '-',
      String(row.values),
      row.kind === 'transformed' ? String(row.short) : '-',
      row.kind === 'kept' ? '-' : String(row.survivors),
      row.kind === 'kept' ? String(row.changed) : '-',
    ]);
    out.push(...columns([header, ...rows]).map((line) => `  ${line}`));
    if (table.crossItem !== undefined) {
      const { destinationItems, values, full, bytes } = table.crossItem;
      const size = bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
      out.push(`  across items: ${values} source value(s) looked for in the kept values of ${destinationItems} destination item(s) (${size} of digests${full ? '; the set was full, later values were not added' : ''})`);
    }
    const shown = table.findings.slice(0, SHOWN_FINDINGS);
    for (const finding of shown) {
      const item = `item keys ${finding.keyAttributes.join(', ')}`;
      const times = finding.count === 1 ? '' : `, ${finding.count} times`;
      if (finding.how === 'missing' && finding.path === '(item)') out.push(`  missing: the destination has no item for ${finding.count} source item(s) (${item})`);
      else if (finding.how === 'missing' || finding.how === 'differs') out.push(`  changed: ${finding.path} (${item}) is ${finding.how === 'missing' ? 'missing' : 'different'} at ${finding.foundAt}${times}`);
      else out.push(`  survivor: a value of ${finding.path} (${item}) found ${where(finding.how, finding.foundAt)}${times}`);
    }
    const more = table.findings.length - shown.length + table.findingsDropped;
    if (more > 0) out.push(`  ... and ${more} more finding(s) (--json lists ${table.findings.length})`);
  }
  const survivors = result.tables.reduce((sum, table) => sum + table.survivors, 0);
  const changed = result.tables.reduce((sum, table) => sum + table.changed, 0);
  const missing = result.tables.reduce((sum, table) => sum + table.missing, 0);
  out.push(`verify ${result.job}: ${survivors} survivor(s), ${changed} changed, ${missing} missing: ${result.ok ? 'ok' : 'FAILED'}`);
  return out.join('\n');
}

function where(how: string, at: string): string {
  switch (how) {
    case 'same path':
      return `still at ${at}`;
    case 'other path':
      return `at ${at}`;
    case 'key':
      return `in key ${at}`;
    case 'inside text':
      return `inside ${at}`;
    case 'inside key':
      return `inside key ${at}`;
    case 'in another item':
      return `in another destination item, at ${at}`;
    default:
      return `at ${at}: no mapping names it and no default takes its type, so it was copied`;
  }
}

function columns(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const numeric = (i: number) => i >= 3;
  return rows.map((row) => row.map((cell, i) => (numeric(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd());
}

