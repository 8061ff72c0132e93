/**
 * The shapes of the strings each top-level attribute holds, counted over
 * every sampled item rather than a reservoir: what `init` needs to write a
 * key or a reference as templates (key-templates.ts), and to say what
 * share of the sample each template covers.
 *
 * A string is one of
 *   - a label, the whole value (`PROFILE`, as item-types.ts reads labels);
 *   - a label prefix and tokens: `ORDER#2026-01-05#K7Q2` is `ORDER#` and the
 *     runs between its `#`s, `2026-01-05` and `K7Q2` (the separator is the
 *     prefix's own, so a token holds none);
 *   - neither, counted by the reason.
 * Values of one prefix and one number of tokens make one shape; per token
 * position it counts the tokens that have a permuteId format
 * (transformers/fpe/formats.ts), that hold a digit or a `_`, keeps a
 * reservoir of them (for detection, and to see a constant label such as
 * `ITEM`), and, for the key attributes, how often a token equals another
 * attribute of the same item (`TICKET#<createdAt>` beside `createdAt`).
 *
 * The reservoirs are source values and stay in this process; the rest is
 * counts, attribute names and labels (which item types already write).
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Item } from '../../model/item.ts';
import { classify, classifyNumber, formatOfKey, type FormatName } from '../../transformers/fpe/formats.ts';
import { keyPrefix } from './item-types.ts';
import { hashText, ValueSample } from './value-sample.ts';

/** Shapes (labels and prefixed shapes together) tracked per attribute; beyond, the attribute is too varied to template. */
export const MAX_SHAPES = 32;
/** Tokens after a prefix; more make no shape. */
export const MAX_TOKENS = 8;
/**
 * Token positions tracked over the whole discovery: each keeps a reservoir
 * of up to SAMPLE_SIZE tokens, so this bounds the memory shapes take.
 */
export const MAX_COLUMNS = 1_000;
/** Attributes compared with a key's tokens, per token position. */
export const MAX_LINKS = 64;

export type MisfitReason = 'no label' | 'empty part' | 'too many parts';

export interface Link {
  /** Items where the other attribute held a string beside this token. */
  both: number;
  /** Of those, items where it was equal to the token. */
  equal: number;
}

export interface ColumnStats {
  count: number;
  /** Tokens with a permuteId format, and which. */
  formatted: number;
  readonly formats: Partial<Record<FormatName, number>>;
  withDigit: number;
  withUnderscore: number;
  /** Source values: never written, never printed. */
  readonly sample: ValueSample;
  /** Other attributes of the same item, by name; only for key attributes. */
  readonly links: Map<string, Link>;
}

export interface ShapeStats {
  /** The label and its separator: `ORDER#`. */
  readonly prefix: string;
  readonly separator: string;
  count: number;
  readonly columns: readonly ColumnStats[];
}

export interface AttributeShapes {
  readonly name: string;
  /** Strings seen (each element of a string set too). */
  strings: number;
  numbers: number;
  /** Numbers that are integers as permuteId reads them (no leading zeros, no fraction). */
  integers: number;
  /** Strings that have a permuteId format as a whole (identifiers without a prefix), whatever else they are. */
  formatted: number;
  /** Whole-value labels, with how many values were each. */
  readonly literals: Map<string, number>;
  readonly shapes: Map<string, ShapeStats>;
  readonly misfits: Partial<Record<MisfitReason, number>>;
  /** More shapes than MAX_SHAPES, or no room for their columns: not every string is accounted for. */
  overflow: boolean;
}

/** What a string is, read as a key value. */
export type ReadValue =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'prefixed'; readonly prefix: string; readonly separator: string; readonly tokens: readonly string[] }
  | { readonly kind: 'misfit'; readonly reason: MisfitReason };

export function readKeyValue(value: string): ReadValue {
  const prefix = keyPrefix('', value);
  if (prefix === undefined) return { kind: 'misfit', reason: 'no label' };
  if (prefix.whole) return { kind: 'literal', text: value };
  const separator = prefix.prefix.at(-1)!;
  const tokens = value.slice(prefix.prefix.length).split(separator);
  if (tokens.length > MAX_TOKENS) return { kind: 'misfit', reason: 'too many parts' };
  if (tokens.some((token) => token === '')) return { kind: 'misfit', reason: 'empty part' };
  return { kind: 'prefixed', prefix: prefix.prefix, separator, tokens };
}

export interface KeyShapesOptions {
  /** Attributes whose tokens are compared with the other attributes of their item: the keys of the table and its indexes. */
  readonly linked?: readonly string[];
}

export class KeyShapes {
  readonly #attributes = new Map<string, AttributeShapes>();
  readonly #linked: ReadonlySet<string>;
  #columns = 0;

  constructor(options: KeyShapesOptions = {}) {
    this.#linked = new Set(options.linked ?? []);
  }

  add(item: Item): void {
    let strings: Map<string, string> | undefined;
    for (const name in item) {
      const value = item[name]!;
      if (value.S !== undefined) this.#addString(name, value.S, () => (strings ??= stringsOf(item)));
      else if (value.SS !== undefined) for (const element of value.SS) this.#addString(name, element, undefined);
      else if (value.N !== undefined) this.#addNumber(name, value.N);
      else if (value.NS !== undefined) for (const element of value.NS) this.#addNumber(name, element);
    }
  }

  finish(): AttributeShapes[] {
    return [...this.#attributes.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  #attribute(name: string): AttributeShapes {
    let attribute = this.#attributes.get(name);
    if (attribute === undefined) {
      attribute = { name, strings: 0, numbers: 0, integers: 0, formatted: 0, literals: new Map(), shapes: new Map(), misfits: {}, overflow: false };
      this.#attributes.set(name, attribute);
    }
    return attribute;
  }

  #addNumber(name: string, text: string): void {
    const attribute = this.#attribute(name);
    attribute.numbers++;
    if (classifyNumber(text) !== undefined) attribute.integers++;
  }

  /** `strings` gives the item's string attributes by name, for links; undefined for a set's elements, which link to nothing. */
  #addString(name: string, text: string, strings: (() => Map<string, string>) | undefined): void {
    const attribute = this.#attribute(name);
    attribute.strings++;
    if (classify(text) !== undefined) attribute.formatted++;
    const read = readKeyValue(text);
    if (read.kind === 'misfit') {
      attribute.misfits[read.reason] = (attribute.misfits[read.reason] ?? 0) + 1;
      return;
    }
    if (read.kind === 'literal') {
      const known = attribute.literals.get(read.text);
      if (known !== undefined) attribute.literals.set(read.text, known + 1);
      else if (attribute.literals.size + attribute.shapes.size < MAX_SHAPES) attribute.literals.set(read.text, 1);
      else attribute.overflow = true;
      return;
    }
    const id = `${read.prefix}\u0000${read.tokens.length}`;
    let shape = attribute.shapes.get(id);
    if (shape === undefined) {
      if (attribute.literals.size + attribute.shapes.size >= MAX_SHAPES || this.#columns + read.tokens.length > MAX_COLUMNS) {
        attribute.overflow = true;
        return;
      }
      this.#columns += read.tokens.length;
      shape = { prefix: read.prefix, separator: read.separator, count: 0, columns: read.tokens.map(newColumn) };
      attribute.shapes.set(id, shape);
    }
    shape.count++;
    const others = strings !== undefined && this.#linked.has(name) ? strings() : undefined;
    read.tokens.forEach((token, i) => {
      const column = shape.columns[i]!;
      column.count++;
      const format = classify(token);
      if (format !== undefined) {
        column.formatted++;
        const formatName = formatOfKey(format);
        column.formats[formatName] = (column.formats[formatName] ?? 0) + 1;
      }
      if (/[0-9]/.test(token)) column.withDigit++;
      if (token.includes('_')) column.withUnderscore++;
      column.sample.add('S', token, hashText(token));
      if (others !== undefined) link(column, name, token, others);
    });
  }
}

function newColumn(): ColumnStats {
  return { count: 0, formatted: 0, formats: {}, withDigit: 0, withUnderscore: 0, sample: new ValueSample(), links: new Map() };
}

function stringsOf(item: Item): Map<string, string> {
  const out = new Map<string, string>();
  for (const name in item) {
    const value: AttributeValue = item[name]!;
    if (value.S !== undefined) out.set(name, value.S);
  }
  return out;
}

function link(column: ColumnStats, own: string, token: string, others: ReadonlyMap<string, string>): void {
  for (const [name, text] of others) {
    if (name === own) continue;
    let counts = column.links.get(name);
    if (counts === undefined) {
      if (column.links.size >= MAX_LINKS) continue;
      counts = { both: 0, equal: 0 };
      column.links.set(name, counts);
    }
    counts.both++;
    if (text === token) counts.equal++;
  }
}
