/**
 * The check of one source item against the destination item it became,
 * and the tallies across items. Per value of the source item, as
 * path-rules.ts judges it:
 *
 * - transformed, at least `minLength` characters: it must not be anywhere
 *   in the destination item: not at its own path, not at another, not in a
 *   key, and (strings and numbers) not inside a longer string, bounded by
 *   non-word characters (text-search.ts). Its digest goes into the
 *   cross-item set. Shorter values are counted and left: a two-letter state
 *   code or a digit meets its replacement by chance, and would fail every
 *   check;
 * - kept: it must be at its own path, equal (numbers by value, sets by
 *   element);
 * - unnamed: copied without the job saying so; where the destination still
 *   holds it, it counts as a survivor.
 *
 * A finding names the source path, the key attribute names of the item and
 * where the value was found; never a value, never a key value.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { numberKey, parseDecimal } from '../../model/decimal.ts';
import { attributeType, type AttributeType, type Item } from '../../model/item.ts';
import type { Path } from '../../model/path.ts';
import type { TransformerRef } from '../../model/job.ts';
import { DigestSet, itemTag, SHARED_ITEM } from './digest-set.ts';
import { safePattern, type PathRules, type TreatmentKind } from './path-rules.ts';
import { containsBounded, wordCount, wordRuns, type RunFilter } from './text-search.ts';

export type FoundHow = 'same path' | 'other path' | 'key' | 'inside text' | 'inside key' | 'copied, named by no mapping' | 'in another item';

export interface PathRow {
  readonly label: string;
  readonly kind: TreatmentKind;
  readonly transformer: string;
  readonly ref?: TransformerRef;
  /** Values weighed: transformed ones long enough to check, kept ones compared, unnamed ones seen. */
  values: number;
  /** Transformed values shorter than minLength, not searched for. */
  short: number;
  survivors: number;
  /** Kept values the destination does not hold equal. */
  changed: number;
}

export interface Finding {
  /** The source value's mapping (or path). */
  readonly path: string;
  /** Key attribute names of the item (never their values). */
  readonly keyAttributes: readonly string[];
  /** Where in the destination: a path with unnamed keys as `*`. */
  readonly foundAt: string;
  readonly how: FoundHow | 'differs' | 'missing';
  count: number;
}

export interface CheckOptions {
  readonly minLength: number;
  /** Values the cross-item set keeps at most; 0 turns the cross-item check off. */
  readonly crossItemValues: number;
}

/** Findings kept in detail; beyond, only counted. */
const MAX_FINDINGS = 1_000;
/** Word runs looked up across items: source values longer than this many words are only compared whole. */
const MAX_RUN_WORDS = 12;
const MAX_RUN_LENGTH = 4096;

interface Leaf {
  readonly path: Path;
  readonly type: AttributeType;
  /** The scalar's text (a set element's, for sets), base64 for binary; '' for BOOL and NULL. */
  readonly text: string;
  /** Equal values share it: numbers by value, strings as they are. */
  readonly value: string;
  /** What it equals: its value, and for a string that reads as a number, that number too. */
  readonly matches: readonly string[];
  readonly key: boolean;
}

export class ItemChecker {
  readonly rows = new Map<string, PathRow>();
  readonly findings: Finding[] = [];
  readonly #findingIndex = new Map<string, Finding>();
  findingsDropped = 0;
  items = 0;
  missing = 0;
  crossItemChecked = 0;
  readonly #rules: PathRules;
  readonly #keys: readonly string[];
  readonly #options: CheckOptions;
  readonly #digests: DigestSet | undefined;
  readonly #labels: string[] = [];
  readonly #labelIds = new Map<string, number>();
  readonly #lengths = new Uint8Array(MAX_RUN_LENGTH + 1);
  readonly #wordCounts = new Uint8Array(MAX_RUN_WORDS + 1);
  #maxWords = 0;

  constructor(rules: PathRules, keyAttributes: readonly string[], options: CheckOptions) {
    this.#rules = rules;
    this.#keys = keyAttributes;
    this.#options = options;
    this.#digests = options.crossItemValues > 0 ? new DigestSet(options.crossItemValues) : undefined;
  }

  get crossItem(): { values: number; full: boolean; bytes: number } | undefined {
    return this.#digests === undefined ? undefined : { values: this.#digests.size, full: this.#digests.full, bytes: this.#digests.bytes };
  }

  /** `destination`: the item the source item became, or undefined when the destination has none with its key. */
  check(source: Item, destination: Item | undefined, destinationKeyId: string): void {
    this.items++;
    if (destination === undefined) {
      this.missing++;
      this.#find({ path: '(item)', foundAt: '(item)', how: 'missing' });
      return;
    }
    const tag = itemTag(destinationKeyId);
    const out = leavesOf(destination, this.#keys);
    const byValue = new Map<string, Leaf[]>();
    const byPath = new Map<string, Leaf[]>();
    for (const leaf of out) {
      for (const value of leaf.matches) push(byValue, value, leaf);
      push(byPath, JSON.stringify(leaf.path), leaf);
    }
    const texts = out.filter((leaf) => leaf.type === 'S' || leaf.type === 'SS');
    for (const leaf of leavesOf(source, this.#keys)) {
      const treatment = this.#rules.treat(leaf.path, leaf.type);
      const row = this.#row(treatment.label, treatment.kind, treatment.transformer, treatment.ref);
      const pathId = JSON.stringify(leaf.path);
      const here = byPath.get(pathId) ?? [];
      if (treatment.kind === 'kept') {
        row.values++;
        if (!here.some((other) => other.value === leaf.value && other.type === leaf.type)) {
          row.changed++;
          this.#find({ path: treatment.label, foundAt: safePattern(leaf.path, this.#rules.knownNames), how: here.length === 0 ? 'missing' : 'differs' });
        }
        continue;
      }
      if (treatment.kind === 'unnamed') {
        row.values++;
        if (leaf.type !== 'BOOL' && leaf.type !== 'NULL' && here.some((other) => other.value === leaf.value)) {
          row.survivors++;
          this.#find({ path: treatment.label, foundAt: safePattern(leaf.path, this.#rules.knownNames), how: 'copied, named by no mapping' });
        }
        continue;
      }
      if (leaf.type === 'BOOL' || leaf.type === 'NULL') continue;
      if (leaf.text.length < this.#options.minLength) {
        row.short++;
        continue;
      }
      row.values++;
      const found = new Map<string, FoundHow>();
      for (const other of new Set(leaf.matches.flatMap((value) => byValue.get(value) ?? []))) {
        const at = JSON.stringify(other.path);
        found.set(at, at === pathId ? 'same path' : other.key ? 'key' : 'other path');
      }
      if (leaf.type !== 'B' && leaf.type !== 'BS') {
        for (const other of texts) {
          const at = JSON.stringify(other.path);
          if (!found.has(at) && other.text.length > leaf.text.length && containsBounded(other.text, leaf.text)) found.set(at, other.key ? 'inside key' : 'inside text');
        }
      }
      for (const [at, how] of found) {
        row.survivors++;
        this.#find({ path: treatment.label, foundAt: safePattern(JSON.parse(at) as Path, this.#rules.knownNames), how });
      }
      this.#remember(leaf, tag, treatment.label);
    }
  }

  /**
   * The second pass: one destination item against the source values of
   * every item. Only its kept and unnamed values are looked up, since a value a
   * transformer wrote that equals another item's source value is the
   * transformer's output (a first name drawn from the same dictionary), not a copy.
   */
  checkAcrossItems(destination: Item, destinationKeyId: string): void {
    if (this.#digests === undefined || this.#digests.size === 0) return;
    this.crossItemChecked++;
    const tag = itemTag(destinationKeyId);
    const filter: RunFilter = {
      words: (count) => count <= MAX_RUN_WORDS && this.#wordCounts[count] === 1,
      length: (count) => count <= MAX_RUN_LENGTH && this.#lengths[count] === 1,
      maxWords: this.#maxWords,
    };
    for (const leaf of leavesOf(destination, this.#keys)) {
      if (leaf.type === 'BOOL' || leaf.type === 'NULL') continue;
      if (this.#rules.treat(leaf.path, leaf.type).kind === 'transformed') continue;
      const seen = new Set<string>();
      const look = (text: string) => {
        if (seen.has(text)) return;
        seen.add(text);
        const hit = this.#digests!.get(text);
        if (hit === undefined || (hit.item === tag && hit.item !== SHARED_ITEM)) return;
        const label = this.#labels[hit.label]!;
        this.rows.get(label)!.survivors++;
        this.#find({ path: label, foundAt: safePattern(leaf.path, this.#rules.knownNames), how: 'in another item' });
      };
      for (const value of leaf.matches) look(value);
      if ((leaf.type === 'S' || leaf.type === 'SS') && leaf.text.length > this.#options.minLength) wordRuns(leaf.text, filter, (run) => matchesOf('S', run).forEach(look));
    }
  }

  #remember(leaf: Leaf, tag: number, label: string): void {
    if (this.#digests === undefined) return;
    let id = this.#labelIds.get(label);
    if (id === undefined) {
      id = this.#labels.push(label) - 1;
      this.#labelIds.set(label, id);
    }
    for (const value of leaf.matches) this.#digests.add(value, tag, id);
    if (leaf.type === 'S' || leaf.type === 'SS') {
      if (leaf.text.length <= MAX_RUN_LENGTH) this.#lengths[leaf.text.length] = 1;
      const words = wordCount(leaf.text);
      if (words <= MAX_RUN_WORDS) {
        this.#wordCounts[words] = 1;
        this.#maxWords = Math.max(this.#maxWords, words);
      }
    }
  }

  #row(label: string, kind: TreatmentKind, transformer: string, ref: TransformerRef | undefined): PathRow {
    let row = this.rows.get(label);
    if (row === undefined) {
      row = { label, kind, transformer, ...(ref !== undefined ? { ref } : {}), values: 0, short: 0, survivors: 0, changed: 0 };
      this.rows.set(label, row);
    }
    return row;
  }

  #find(finding: Omit<Finding, 'keyAttributes' | 'count'>): void {
    const id = `${finding.path}\u0000${finding.foundAt}\u0000${finding.how}`;
    const known = this.#findingIndex.get(id);
    if (known !== undefined) {
      known.count++;
      return;
    }
    if (this.findings.length >= MAX_FINDINGS) {
      this.findingsDropped++;
      return;
    }
    const entry: Finding = { ...finding, keyAttributes: this.#keys, count: 1 };
    this.findings.push(entry);
    this.#findingIndex.set(id, entry);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function numberValue(text: string): string {
  return `N:${numberKey(text)}`;
}

/** A string that reads as a number also matches the number. */
function matchesOf(type: 'S' | 'N' | 'B', text: string): string[] {
  if (type === 'N') return [numberValue(text)];
  if (type === 'B') return [`B:${text}`];
  return parseDecimal(text) === undefined ? [`S:${text}`] : [`S:${text}`, numberValue(text)];
}

function makeLeaf(path: Path, type: AttributeType, scalar: 'S' | 'N' | 'B', text: string, key: boolean): Leaf {
  const matches = matchesOf(scalar, text);
  return { path, type, text, value: matches[0]!, matches, key };
}

/** Every scalar of an item with its path; a set's elements each, at the set's path. */
function leavesOf(item: Item, keyAttributes: readonly string[]): Leaf[] {
  const out: Leaf[] = [];
  const visit = (path: Path, value: AttributeValue, key: boolean): void => {
    const type = attributeType(value);
    switch (type) {
      case 'S':
        out.push(makeLeaf(path, type, 'S', value.S!, key));
        break;
      case 'N':
        out.push(makeLeaf(path, type, 'N', value.N!, key));
        break;
      case 'B':
        out.push(makeLeaf(path, type, 'B', Buffer.from(value.B!).toString('base64'), key));
        break;
      case 'SS':
        for (const element of value.SS!) out.push(makeLeaf(path, type, 'S', element, key));
        break;
      case 'NS':
        for (const element of value.NS!) out.push(makeLeaf(path, type, 'N', element, key));
        break;
      case 'BS':
        for (const element of value.BS!) out.push(makeLeaf(path, type, 'B', Buffer.from(element).toString('base64'), key));
        break;
      case 'BOOL':
        out.push({ path, type, text: '', value: `BOOL:${value.BOOL}`, matches: [`BOOL:${value.BOOL}`], key });
        break;
      case 'NULL':
        out.push({ path, type, text: '', value: 'NULL', matches: ['NULL'], key });
        break;
      case 'M':
        for (const name in value.M!) visit([...path, name], value.M![name]!, false);
        break;
      case 'L':
        value.L!.forEach((element, index) => visit([...path, index], element, false));
        break;
    }
  };
  for (const name in item) visit([name], item[name]!, keyAttributes.includes(name));
  return out;
}
