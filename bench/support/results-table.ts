/**
 * The copy benchmark's rows as a plain-text table for the terminal and as
 * markdown for the README.
 */

export interface CaseRow {
  name: string;
  items: number;
  seconds: number;
  itemsPerSecond: number;
  /** Against the best SDK copy of the same selection (bestSdk, or subsetBestSdk for subset cases). */
  vsBestSdk: number | undefined;
  vsNaiveSdk: number | undefined;
  workerPeakRssMiB?: number | undefined;
  note?: string | undefined;
}

const HEADERS = ['case', 'items', 'seconds', 'items/s', '÷ best SDK', '÷ naive SDK', 'worker peak RSS'] as const;

function cells(row: CaseRow): string[] {
  const ratio = (value: number | undefined) => (value === undefined ? '—' : value.toFixed(2));
  return [
    row.note ? `${row.name} (${row.note})` : row.name,
    row.items.toLocaleString('en-US'),
    row.seconds.toFixed(1),
    Math.round(row.itemsPerSecond).toLocaleString('en-US'),
    ratio(row.vsBestSdk),
    ratio(row.vsNaiveSdk),
    row.workerPeakRssMiB === undefined ? '—' : `${row.workerPeakRssMiB} MiB`,
  ];
}

export function renderTextTable(rows: readonly CaseRow[]): string {
  const table = [[...HEADERS], ...rows.map(cells)];
  const widths = HEADERS.map((_, column) => Math.max(...table.map((line) => line[column]!.length)));
  return table.map((line) => line.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ')).join('\n');
}

export function renderMarkdownTable(rows: readonly CaseRow[]): string {
  const lines = [`| ${HEADERS.join(' | ')} |`, `| --- |${' ---: |'.repeat(HEADERS.length - 1)}`];
  for (const row of rows) {
    const [name, ...rest] = cells(row);
    lines.push(`| \`${row.name}\`${name!.slice(row.name.length)} | ${rest.join(' | ')} |`);
  }
  return lines.join('\n');
}
