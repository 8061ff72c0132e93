/**
 * Finding personal data in schemaless items, for `dynamask init`: discover
 * every attribute path of a sample (lists folded into `[*]`, maps with data
 * for keys into `*`, per item type of a single-table design), then weigh
 * each path's name and sampled values against the recognizers.
 *
 * Then, for `init`: the mappings to write for a table (table-mappings.ts,
 * with the comments of path-notes.ts), the job file (job-writer.ts), the
 * paths a job does not name (drift.ts) and adding them to its file
 * (job-file-edit.ts).
 *
 * Pure but for table-discovery.ts, which reads the sample through the
 * read-only client it is given. The sample of values a discovery holds is
 * source data and stays in the process; statistics, verdicts, mappings and
 * comments hold no value and may be printed or written.
 */
export { PathDiscovery, discoverPaths, MAX_ITEM_TYPES, MIN_PREFIXED_SHARE, type Discovery, type DiscoveryOptions, type ItemTypeDiscovery } from './discover.ts';
export { detectPath, detectPaths, FLAG_CONFIDENCE, type RecognizerMatch, type Verdict } from './detect.ts';
export { itemTypeOf, keyPrefix, type ItemType, type KeyPrefix, type KeySchema } from './item-types.ts';
export { formatPattern, type DiscoveredPath, type PathStats } from './path-tree.ts';
export { RECOGNIZERS, type PiiKind, type Recognizer, type TransformerSuggestion } from './recognizers.ts';
export type { SampledValue } from './value-sample.ts';
export { keyRoles, type KeyRole, type TableKeyRoles } from './key-roles.ts';
export { DEFAULT_READ_UNITS, DEFAULT_SAMPLE_ITEMS, discoverTable, type SampleBudget, type SampleRead, type TableDiscovery } from './table-discovery.ts';
export { keyMapping, tableMappings, type MappingEntry, type MappingGroup, type TableMappings } from './table-mappings.ts';
export { writeJob, type JobDraft } from './job-writer.ts';
export { tableDrift, type TableDrift } from './drift.ts';
export { addMappings, JobFileEditError, type TableAddition } from './job-file-edit.ts';
