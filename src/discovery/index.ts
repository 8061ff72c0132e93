/**
 * Finding personal data in schemaless items, for `dynamask init`: discover
 * every attribute path of a sample (lists folded into `[*]`, maps with data
 * for keys into `*`, per item type of a single-table design), then weigh
 * each path's name and sampled values against the recognizers.
 *
 * Pure: no I/O and no client. The sample of values a discovery holds is
 * source data and stays in the process; statistics and verdicts hold no
 * value and may be printed or written.
 */
export { PathDiscovery, discoverPaths, MAX_ITEM_TYPES, MIN_PREFIXED_SHARE, type Discovery, type DiscoveryOptions, type ItemTypeDiscovery } from './discover.ts';
export { detectPath, detectPaths, FLAG_CONFIDENCE, type RecognizerMatch, type Verdict } from './detect.ts';
export { itemTypeOf, keyPrefix, type ItemType, type KeyPrefix, type KeySchema } from './item-types.ts';
export { formatPattern, type DiscoveredPath, type PathStats } from './path-tree.ts';
export { RECOGNIZERS, type PiiKind, type Recognizer, type TransformerSuggestion } from './recognizers.ts';
export type { SampledValue } from './value-sample.ts';
