/**
 * Drift: the paths a fresh sample of a table holds that its job does not
 * name. A path is named when a mapping pattern of the table covers it
 * (model/path.ts: `info` covers `info.plot`, `contacts.*.phone` covers the
 * phone under every key), explicit passthrough included. The table's own
 * key attributes count as named, since a run passes them through unless a
 * mapping says otherwise; an index's key attributes do not.
 *
 * Only paths that hold values are weighed: a map or a list is named through
 * what it holds (table-mappings.ts), so a new attribute inside an old map
 * is new, and an empty list is nothing yet.
 */
import { formatPath, parsePathPattern, patternCoversPattern, type PathPattern } from '../../model/path.ts';
import type { TransformerRegistry } from '../../transformers/registry.ts';
import type { TableDiscovery } from './table-discovery.ts';
import { holdsValues, tableMappings, type MappingGroup } from './table-mappings.ts';

export interface TableDrift {
  /** Paths the job does not name, sorted. */
  readonly unnamed: readonly string[];
  /** The mappings init would write for them, with their evidence. */
  readonly groups: readonly MappingGroup[];
  readonly flagged: number;
}

export function tableDrift(mappings: Record<string, unknown>, found: TableDiscovery, registry: TransformerRegistry): TableDrift {
  const patterns: PathPattern[] = Object.keys(mappings).map((source) => parsePathPattern(source));
  const primary = new Set(found.keys.keys.filter((key) => key.primary).map((key) => formatPath([key.name])));
  const named = (path: string): boolean => primary.has(path) || patterns.some((pattern) => patternCoversPattern(pattern, parsePathPattern(path)));
  const candidates = new Set([
    ...found.discovery.paths.filter((path) => holdsValues(path.stats)).map((path) => path.stats.path),
    ...found.keys.keys.filter((key) => !key.primary).map((key) => formatPath([key.name])),
  ]);
  const unnamed = new Set([...candidates].filter((path) => !named(path)));
  const { groups } = tableMappings(found, registry, { include: (path) => unnamed.has(path) });
  const flagged = groups.flatMap((group) => group.entries).filter((entry) => entry.kind === 'flagged').length;
  return { unnamed: [...unnamed].sort(), groups, flagged };
}
