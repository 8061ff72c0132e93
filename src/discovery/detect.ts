/**
 * The verdict on one discovered path: which recognizers its name and its
 * sampled values point to, how much of the sample each matched, the
 * transformer to suggest, and how sure we are.
 *
 * A verdict holds recognizer names, shares and counts, never a value: it is
 * what `init` may write into a job file and print.
 *
 * Evidence is weighed per recognizer (constants below):
 *   - values alone: a standalone shape on at least MIN_VALUE_SHARE of the
 *     sample gives the recognizer's strength (times PARTIAL_SHARE_FACTOR
 *     below FULL_VALUE_SHARE), plus NAME_BOOST when the name agrees too;
 *   - name and values: with the name agreeing, shapes that need a name
 *     (five digits under `zip`) count as well;
 *   - a strong name alone, on values of a type the transformer takes:
 *     NAME_ONLY_CONFIDENCE (or the recognizer's strength, if lower).
 * A path is flagged when its best recognizer reaches FLAG_CONFIDENCE.
 */
import type { PatternSegment } from '../../model/path.ts';
import { METADATA_WORDS, isGenericName, nameCandidates, nameWords, ruleKey } from './attribute-names.ts';
import type { DiscoveredPath } from './path-tree.ts';
import { RECOGNIZERS, type PiiKind, type Recognizer, type ScalarType, type TransformerSuggestion } from './recognizers.ts';
import type { SampledValue } from './value-sample.ts';
import { matchesShape } from './value-shapes.ts';

export const FLAG_CONFIDENCE = 0.5;
export const MIN_VALUE_SHARE = 0.3;
export const FULL_VALUE_SHARE = 0.8;
export const PARTIAL_SHARE_FACTOR = 0.75;
export const NAME_BOOST = 0.1;
export const NAME_ONLY_CONFIDENCE = 0.6;
/** A name-only match needs this share of the sample in a type the suggested transformer takes. */
export const NAME_ONLY_TYPE_SHARE = 0.5;
export const MAX_CONFIDENCE = 0.99;
/** Enum-like: at least ENUM_MIN_VALUES values with at most this share distinct. Dictionary recognizers ignore such paths. */
export const ENUM_MIN_VALUES = 20;
export const ENUM_MAX_DISTINCT_SHARE = 0.1;

export type NameEvidence = 'strong' | 'weak';

export interface RecognizerMatch {
  readonly recognizer: string;
  readonly kind: PiiKind;
  /** Share of the sampled values that matched, 0 to 1 (0 for a match on the name alone). */
  readonly share: number;
  /** Whether, and how strongly, the attribute's name pointed here. */
  readonly name?: NameEvidence;
  readonly confidence: number;
  /** For free text: the share of sampled values holding each kind of data. */
  readonly contains?: Readonly<Record<string, number>>;
}

export interface Verdict {
  readonly path: string;
  /** Non-empty strings and numbers sampled (set elements each). */
  readonly sampled: number;
  readonly flagged: boolean;
  /** The best match's recognizer, transformer and confidence; absent when nothing matched. */
  readonly recognizer?: string;
  readonly suggests?: TransformerSuggestion;
  readonly confidence: number;
  /** Every recognizer with any evidence, most confident first. */
  readonly matches: readonly RecognizerMatch[];
}

export function detectPath(path: DiscoveredPath): Verdict {
  const sample = path.sample.filter((value) => value.text !== '');
  const names = nameContexts(path.segments);
  const { scalarValues, distinctValues, distinctAtLeast } = path.stats;
  const enumLike = !distinctAtLeast && scalarValues >= ENUM_MIN_VALUES && distinctValues <= scalarValues * ENUM_MAX_DISTINCT_SHARE;
  const matches: { match: RecognizerMatch; order: number }[] = [];
  RECOGNIZERS.forEach((recognizer, order) => {
    const match = weigh(recognizer, sample, names, enumLike);
    if (match !== undefined) matches.push({ match, order });
  });
  matches.sort((a, b) => b.match.confidence - a.match.confidence || a.order - b.order);
  const best = matches[0];
  const verdict: Verdict = {
    path: path.stats.path,
    sampled: sample.length,
    flagged: best !== undefined && best.match.confidence >= FLAG_CONFIDENCE,
    confidence: best?.match.confidence ?? 0,
    matches: matches.map(({ match }) => match),
  };
  if (best === undefined) return verdict;
  return { ...verdict, recognizer: best.match.recognizer, suggests: recognizerSuggestion(best.match.recognizer) };
}

/** Verdicts for every path that holds strings or numbers (containers and flags have nothing to detect). */
export function detectPaths(paths: readonly DiscoveredPath[]): Verdict[] {
  return paths.filter((path) => path.sample.length > 0).map(detectPath);
}

function recognizerSuggestion(name: string): TransformerSuggestion {
  return RECOGNIZERS.find((recognizer) => recognizer.name === name)!.suggests;
}

function weigh(recognizer: Recognizer, sample: readonly SampledValue[], names: readonly (readonly string[])[], enumLike: boolean): RecognizerMatch | undefined {
  const name = nameEvidence(recognizer, names);
  let standalone = 0;
  let any = 0;
  const contains = new Map<string, number>();
  if (!(recognizer.dictionary === true && enumLike)) {
    for (const value of sample) {
      const rule = recognizer.values.find(
        (candidate) =>
          candidate.types.includes(value.type) &&
          (candidate.standalone || name !== undefined) &&
          (!value.clipped || candidate.shape.maxLength === Number.POSITIVE_INFINITY) &&
          matchesShape(candidate.shape, value.text),
      );
      if (rule === undefined) continue;
      any++;
      if (rule.standalone) standalone++;
      for (const kind of recognizer.evidence?.(value.text) ?? []) contains.set(kind, (contains.get(kind) ?? 0) + 1);
    }
  }
  const minShare = recognizer.minShare ?? MIN_VALUE_SHARE;
  const total = sample.length;
  const standaloneShare = total === 0 ? 0 : standalone / total;
  const anyShare = total === 0 ? 0 : any / total;
  let confidence = 0;
  let share = 0;
  if (standalone > 0 && standaloneShare >= minShare) {
    share = name === undefined ? standaloneShare : anyShare;
    confidence = recognizer.strength * shareFactor(share) + (name === undefined ? 0 : NAME_BOOST);
  } else if (name !== undefined && any > 0 && anyShare >= minShare) {
    share = anyShare;
    confidence = recognizer.strength * shareFactor(share) + (name === 'strong' ? NAME_BOOST : 0);
  } else if (name === 'strong' && typeShare(recognizer, sample) >= NAME_ONLY_TYPE_SHARE) {
    share = anyShare;
    confidence = Math.min(NAME_ONLY_CONFIDENCE, recognizer.strength);
  }
  if (confidence === 0) return undefined;
  return {
    recognizer: recognizer.name,
    kind: recognizer.kind,
    share: round(share),
    ...(name !== undefined ? { name } : {}),
    confidence: round(Math.min(MAX_CONFIDENCE, confidence)),
    ...(contains.size > 0 ? { contains: Object.fromEntries([...contains].map(([kind, count]) => [kind, round(count / total)])) } : {}),
  };
}

function shareFactor(share: number): number {
  return share >= FULL_VALUE_SHARE ? 1 : PARTIAL_SHARE_FACTOR;
}

function typeShare(recognizer: Recognizer, sample: readonly SampledValue[]): number {
  if (sample.length === 0) return 0;
  const types: readonly ScalarType[] = recognizer.types ?? (recognizer.values.length > 0 ? [...new Set(recognizer.values.flatMap((rule) => rule.types))] : ['S']);
  return sample.filter((value) => types.includes(value.type)).length / sample.length;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * The words to match names against: the last named segment's, and, when
 * those say nothing (`line1`, `home`, `value`), the enclosing one's as well.
 */
export function nameContexts(segments: readonly PatternSegment[]): string[][] {
  const keys = segments.filter((segment) => segment.kind === 'key').map((segment) => segment.name);
  const last = keys.at(-1);
  if (last === undefined) return [];
  const words = nameWords(last);
  const contexts = [words];
  if (isGenericName(words) && keys.length >= 2) contexts.push(nameWords(keys.at(-2)!));
  return contexts;
}

const ruleWordsCache = new Map<string, { key: string; words: readonly string[] }>();

function ruleOf(rule: string): { key: string; words: readonly string[] } {
  let parsed = ruleWordsCache.get(rule);
  if (parsed === undefined) {
    parsed = { key: ruleKey(rule), words: rule.toLowerCase().split(/[^a-z0-9]+/) };
    ruleWordsCache.set(rule, parsed);
  }
  return parsed;
}

/** Strong wins over weak; a name with a metadata word the rule does not hold (`email_verified`, `card_last4`) matches neither. */
export function nameEvidence(recognizer: Recognizer, contexts: readonly (readonly string[])[]): NameEvidence | undefined {
  let found: NameEvidence | undefined;
  for (const words of contexts) {
    const candidates = nameCandidates(words);
    const matches = (rule: string): boolean => {
      const { key, words: ruleWords } = ruleOf(rule);
      return candidates.has(key) && ![...candidates].some((candidate) => METADATA_WORDS.has(candidate) && !ruleWords.includes(candidate));
    };
    if (recognizer.names.strong.some(matches)) return 'strong';
    if (recognizer.names.weak.some(matches)) found = 'weak';
  }
  return found;
}
