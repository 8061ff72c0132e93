/**
 * Which key attributes, references and identifiers `init` writes as
 * templates, from the shapes of every sampled value (key-shapes.ts), with
 * the job's `parts` they use. The README's "Single-table designs" is the
 * contract: fixed text stays, each identifier goes through its own
 * transformer, the same identifier gives the same output everywhere.
 *
 * A key attribute of type S is written as templates when every sampled
 * value is a label (`PROFILE`, written as itself) or a label prefix and
 * tokens (`ORDER#<date>#<id>`) whose every token position is one of:
 *   - an identifier: every token has a permuteId format and some hold a
 *     digit (a run of letters alone is a word: a tier, a status, a name).
 *     Part `<label>Id` (`ACCOUNT` gives `accountId`): permuteId, which
 *     never merges two values;
 *   - a constant label (`ITEM` in `ORDER#<id>#ITEM#<n>`): fixed text;
 *   - the value of another attribute of the same item, in every item
 *     (`EMAIL#<email>` beside `email`): that attribute's part, through the
 *     transformer detection gives the attribute, so the key keeps agreeing
 *     with its item;
 *   - what detection recognizes in the tokens alone: a date or a time is
 *     kept (it orders the collection, and dateShift moves each value on its
 *     own), words it takes for personal data are permuted, other data gets
 *     its recognizer's transformer; words it does not recognize are kept.
 * Anything else (a value without a label prefix, an empty part, tokens of
 * no format that nothing recognizes, more shapes than tracked) keeps the
 * attribute passed through, with the reason. A table key whose templates
 * would not keep distinct values distinct (a part through a fake) is passed
 * through too: init never lets table keys merge. An index key may: it
 * holds no items of its own, and a fake email in `EMAIL#{email}` is what
 * keeps the index finding each item by its new email; its mapping then
 * allows collisions and says why. A key whose templates would change
 * nothing (labels and kept parts only) is passed through, saying so.
 *
 * Then the same identifiers elsewhere: an attribute whose every value is a
 * prefix the table's own key templates use, with identifiers only
 * (`accountRef = ACCOUNT#<id>`), gets the same templates; an attribute
 * whose every value is an identifier of a permuteId format, equal in each
 * item to an identifier of a key template (or named like its part), is
 * that part alone (`"{accountId}"`). Both win over detection, and say so.
 *
 * N keys whose sampled values are all integers get permuteId (it keeps
 * their digit count); B keys are passed through.
 *
 * Everything returned is names, labels, counts and shares: templates are
 * written from labels (which item types already write) and part names.
 */
import type { TransformerRef } from '../../model/job.ts';
import { formatPath } from '../../model/path.ts';
import type { TransformerRegistry } from '../../transformers/registry.ts';
import { overlapWitness, parseTemplate } from '../../transformers/templates/index.ts';
import { nameWords } from './attribute-names.ts';
import { detectPath, type Verdict } from './detect.ts';
import { MAX_SHAPES, type AttributeShapes, type ColumnStats, type MisfitReason, type ShapeStats } from './key-shapes.ts';
import type { KeyRole, TableKeyRoles } from './key-roles.ts';
import { percent } from './path-notes.ts';
import type { DiscoveredPath } from './path-tree.ts';

export interface PartDefinition {
  readonly name: string;
  readonly transformer: TransformerRef;
  /** Why this transformer, and where the part stands: the comment beside it. */
  readonly comment: string;
}

export interface TemplateMapping {
  readonly templates: readonly string[];
  /** An index key whose parts include a fake: collisions are allowed on this mapping alone. */
  readonly allowKeyCollisions: boolean;
  readonly comment: string;
}

export type KeyDecision =
  | ({ readonly kind: 'templates' } & TemplateMapping)
  | { readonly kind: 'permuteId'; readonly comment: string }
  | { readonly kind: 'passthrough'; readonly reason: string };

export interface TemplatePlan {
  /** Every key attribute of the table and its indexes, by name. */
  readonly keys: ReadonlyMap<string, KeyDecision>;
  /** Other top-level attributes written as templates: references and identifiers alone. */
  readonly attributes: ReadonlyMap<string, TemplateMapping>;
  /** The parts the templates use, each once. */
  readonly parts: readonly PartDefinition[];
}

export interface TemplateInput {
  readonly keys: TableKeyRoles;
  readonly shapes: readonly AttributeShapes[];
  readonly verdicts: ReadonlyMap<string, Verdict>;
}

const PERMUTE: TransformerRef = { type: 'permuteId', options: {} };
const PASSTHROUGH: TransformerRef = { type: 'passthrough', options: {} };
const CONSTANT_LABEL = /^[A-Z][A-Z_]{0,31}$/;
const PART_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const README = 'README "Single-table designs"';

/** What a token position becomes, before part names are given out. */
type Role =
  | { readonly kind: 'fixed'; readonly text: string }
  | {
      readonly kind: 'part';
      /** Parts of one meaning are one part: identifiers after one label, one attribute's values. */
      readonly meaning: string;
      readonly name: string;
      readonly transformer: TransformerRef;
      /** For the part's comment: `identifiers after ACCOUNT# (uuid)`. */
      readonly what: string;
      readonly identifier?: { readonly label: string };
    };

interface Candidate {
  /** `ORDER#…` or the label: how comments name it. */
  readonly label: string;
  readonly count: number;
  /** Undefined for a label, which is its own template. */
  readonly roles?: readonly Role[];
  readonly prefix: string;
  readonly separator: string;
}

type Analysis = { readonly candidates: readonly Candidate[] } | { readonly reason: string };

export function planTemplates(input: TemplateInput, registry: TransformerRegistry): TemplatePlan {
  const shapes = new Map(input.shapes.map((shape) => [shape.name, shape]));
  const parts = new PartTable();
  const keys = new Map<string, KeyDecision>();
  const primary = input.keys.keys.filter((key) => key.primary);
  const others = input.keys.keys.filter((key) => !key.primary);
  // Labels the table's keys hold identifiers after, written or not: an index key may only rewrite those the table keys rewrite too.
  const primaryLabels = new Set<string>();
  for (const key of primary) {
    for (const shape of shapes.get(key.name)?.shapes.values() ?? []) primaryLabels.add(labelOf(shape.prefix));
  }

  for (const key of [...primary, ...others]) {
    const decision = decideKey(key, shapes.get(key.name), input, registry, parts, primary.includes(key) ? undefined : primaryLabels);
    keys.set(key.name, decision);
  }
  // References are to the table's own keys: identifiers of index keys alone do not count.
  const written = parts.identifiers(new Set(primary.map((key) => key.name)));

  const attributes = new Map<string, TemplateMapping>();
  const keyNames = new Set(input.keys.keys.map((key) => key.name));
  for (const shape of input.shapes) {
    if (keyNames.has(shape.name)) continue;
    const verdict = input.verdicts.get(formatPath([shape.name]));
    const mapping = referenceMapping(shape, written, parts, verdict) ?? identifierMapping(shape, input.shapes, keys, parts, verdict);
    if (mapping !== undefined) attributes.set(shape.name, mapping);
  }
  return { keys, attributes, parts: parts.definitions() };
}

function decideKey(key: KeyRole, shapes: AttributeShapes | undefined, input: TemplateInput, registry: TransformerRegistry, parts: PartTable, primaryLabels: ReadonlySet<string> | undefined): KeyDecision {
  if (key.type === 'B') return { kind: 'passthrough', reason: 'a binary key, which no template or permutation takes' };
  if (shapes === undefined || shapes.strings + shapes.numbers === 0) return { kind: 'passthrough', reason: 'no value of it in the sample' };
  if (key.type === 'N') {
    if (shapes.integers === shapes.numbers) return { kind: 'permuteId', comment: `integers in all ${count(shapes.numbers, 'sampled value')}: permuteId keeps each one's sign and number of digits, and never merges two` };
    return { kind: 'passthrough', reason: `${percent((shapes.numbers - shapes.integers) / shapes.numbers)} of sampled values are not integers, which permuteId takes` };
  }
  const analysis = analyzeKey(key, shapes, input);
  if ('reason' in analysis) return { kind: 'passthrough', reason: analysis.reason };
  const { candidates } = analysis;
  const roles = candidates.flatMap((candidate) => (candidate.roles ?? []).filter((role) => role.kind === 'part'));
  if (primaryLabels !== undefined) {
    const unwritten = roles.find((role) => role.identifier !== undefined && primaryLabels.has(role.identifier.label) && !parts.has(role.meaning));
    if (unwritten !== undefined) return { kind: 'passthrough', reason: `the table's keys pass ${unwritten.identifier!.label}… through, so its identifiers stay as they are here too` };
  }
  if (roles.every((role) => role.transformer.type === 'passthrough')) {
    return { kind: 'passthrough', reason: `its values hold only labels${roles.length > 0 ? ' and parts kept as they are' : ''} (${shareList(candidates, shapes.strings)}), so templates would change nothing` };
  }
  const merging = roles.filter((role) => registry.uniqueness(role.transformer) !== 'preserved');
  if (merging.length > 0 && key.primary) {
    const role = merging[0]!;
    return { kind: 'passthrough', reason: `its part ${role.what} would go through ${role.transformer.type}, which can give two values one output, and init never lets table keys merge items` };
  }
  const templates = candidates.map((candidate) => renderCandidate(candidate, parts));
  const witness = firstOverlap(templates);
  if (witness !== undefined) return { kind: 'passthrough', reason: `two of its templates would match one value (such as ${JSON.stringify(witness)})` };
  parts.commit(candidates, key.name);
  const evidence = `${shareList(candidates, shapes.strings)} of ${count(shapes.strings, 'sampled value')}`;
  const allow = merging.length > 0;
  const why = allow
    ? `; ${[...new Set(merging.map((role) => `{${parts.nameOf(role.meaning)}} goes through ${role.transformer.type}`))].join(', ')}, which can give two values one output, so a query of the index could find two items under one key: allowed, since an index merges no items`
    : '';
  return { kind: 'templates', templates, allowKeyCollisions: allow, comment: `${evidence}, rewritten part by part (see ${README})${why}` };
}

function analyzeKey(key: KeyRole, shapes: AttributeShapes, input: TemplateInput): Analysis {
  if (shapes.numbers > 0) return { reason: 'it holds numbers as well as strings' };
  if (shapes.overflow) return { reason: `its values take more than ${MAX_SHAPES} shapes` };
  const misfit = largestMisfit(shapes.misfits);
  if (misfit !== undefined) return { reason: `${percent(misfit.count / shapes.strings)} of sampled values ${MISFIT_TEXT[misfit.reason]}` };
  const candidates: Candidate[] = [...shapes.literals].map(([text, n]) => ({ label: text, count: n, prefix: text, separator: '' }));
  for (const shape of shapes.shapes.values()) {
    const roles = shapeRoles(shape, key.name, input);
    if (typeof roles === 'string') return { reason: roles };
    candidates.push({ label: `${shape.prefix}…`, count: shape.count, roles, prefix: shape.prefix, separator: shape.separator });
  }
  return { candidates: candidates.sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : (a.roles?.length ?? 0) - (b.roles?.length ?? 0))) };
}

const MISFIT_TEXT: Record<MisfitReason, string> = {
  'no label': 'carry no label prefix (capitals, digits and _, then #, | or :)',
  'empty part': 'have an empty part between separators',
  'too many parts': 'have more parts than init reads',
};

function largestMisfit(misfits: AttributeShapes['misfits']): { reason: MisfitReason; count: number } | undefined {
  let best: { reason: MisfitReason; count: number } | undefined;
  for (const [reason, n] of Object.entries(misfits) as [MisfitReason, number][]) if (n > 0 && (best === undefined || n > best.count)) best = { reason, count: n };
  return best;
}

/** The role of each token position of a shape of a key, or why the shape cannot be a template. */
function shapeRoles(shape: ShapeStats, attribute: string, input: TemplateInput): Role[] | string {
  let label = labelOf(shape.prefix);
  const roles: Role[] = [];
  const ordinals = new Map<string, number>();
  for (const column of shape.columns) {
    const constant = constantLabel(column);
    if (constant !== undefined) {
      roles.push({ kind: 'fixed', text: constant });
      label = constant;
      continue;
    }
    if (isIdentifierColumn(column)) {
      roles.push(identifierRole(label, column, ordinals));
      continue;
    }
    const linked = linkedAttribute(column, attribute, input.verdicts);
    if (linked !== undefined) {
      const verdict = input.verdicts.get(formatPath([linked]));
      const transformer = verdict?.flagged === true && verdict.suggests !== undefined ? { type: verdict.suggests.type, options: { ...verdict.suggests.options } } : PASSTHROUGH;
      roles.push({ kind: 'part', meaning: `attribute:${linked}`, name: PART_NAME.test(linked) ? linked : `${camel(label)}Value`, transformer, what: `{${linked}} (the attribute ${linked} of the same item)` });
      continue;
    }
    const verdict = detectPath(columnPath(label, column));
    const words = column.formatted === column.count;
    if (verdict.flagged && verdict.recognizer !== undefined) {
      const kind = verdict.matches[0]?.kind;
      const name = `${camel(label)}${capital(verdict.recognizer)}`;
      const what = `after ${label}${shape.separator} (${verdict.recognizer})`;
      if (kind === 'time') roles.push({ kind: 'part', meaning: `kept:${label}:${verdict.recognizer}`, name, transformer: PASSTHROUGH, what: `{${name}}: ${what}, kept: a time in a key orders its collection, and dateShift moves each value on its own` });
      else if (words) roles.push({ kind: 'part', meaning: `words:${label}:${verdict.recognizer}`, name, transformer: PERMUTE, what: `{${name}}: ${what}, permuted: permuteId hides them and keeps them distinct` });
      else roles.push({ kind: 'part', meaning: `data:${label}:${verdict.recognizer}`, name, transformer: { type: verdict.suggests!.type, options: { ...verdict.suggests!.options } }, what: `{${name}} (${what})` });
      continue;
    }
    if (words) {
      roles.push({ kind: 'part', meaning: `words:${label}`, name: `${camel(label)}Value`, transformer: PASSTHROUGH, what: `{${camel(label)}Value}: words after ${label}${shape.separator}, kept` });
      continue;
    }
    return `the parts after ${label}${shape.separator} have no identifier format (${percent(column.formatted / column.count)} do), and detection recognizes nothing in them`;
  }
  // The separators of a template are the characters of its fixed text other than letters and digits: `_` of a label is one.
  const fixedUnderscore = shape.prefix.includes('_') || roles.some((role) => role.kind === 'fixed' && role.text.includes('_'));
  if (fixedUnderscore) {
    const index = shape.columns.findIndex((column, i) => roles[i]!.kind === 'part' && column.withUnderscore > 0);
    if (index >= 0) return `the parts after ${labelOf(shape.prefix)}${shape.separator} hold _, which its fixed text makes a separator`;
    if (roles.some((role) => role.kind === 'part' && role.transformer.type !== 'permuteId' && role.transformer.type !== 'passthrough')) {
      return `its fixed text holds _, which a fake value could hold too`;
    }
  }
  return roles;
}

function identifierRole(label: string, column: ColumnStats, ordinals: Map<string, number>): Role {
  const ordinal = (ordinals.get(label) ?? 0) + 1;
  ordinals.set(label, ordinal);
  const name = `${camel(label)}Id${ordinal > 1 ? ordinal : ''}`;
  return { kind: 'part', meaning: `id:${label}:${ordinal}`, name, transformer: PERMUTE, what: `identifiers after ${label} (${formatsText(column)})`, identifier: { label } };
}

/** Every token has a permuteId format, and some hold a digit: words alone are not identifiers. */
function isIdentifierColumn(column: ColumnStats): boolean {
  return column.count > 0 && column.formatted === column.count && column.withDigit > 0;
}

/** The same label in every value (seen at least twice): fixed text. */
function constantLabel(column: ColumnStats): string | undefined {
  if (column.count < 2 || column.sample.distinct !== 1 || column.sample.distinctCapped) return undefined;
  const text = column.sample.values[0]?.text;
  return text !== undefined && CONSTANT_LABEL.test(text) ? text : undefined;
}

/** The attribute the token equals in every item that holds it: flagged ones first, then by name. */
function linkedAttribute(column: ColumnStats, own: string, verdicts: ReadonlyMap<string, Verdict>): string | undefined {
  const linked = [...column.links].filter(([name, link]) => name !== own && link.both === column.count && link.equal === link.both).map(([name]) => name);
  const flagged = (name: string) => verdicts.get(formatPath([name]))?.flagged === true;
  return linked.sort((a, b) => Number(flagged(b)) - Number(flagged(a)) || (a < b ? -1 : a > b ? 1 : 0))[0];
}

/** A token position as a path detection can weigh: its tokens, under the label as the name. */
function columnPath(label: string, column: ColumnStats): DiscoveredPath {
  return {
    segments: [{ kind: 'key', name: label }],
    stats: {
      path: label,
      items: column.count,
      presence: 1,
      values: column.count,
      types: { S: column.count },
      scalarValues: column.sample.seen,
      distinctValues: column.sample.distinct,
      distinctAtLeast: column.sample.distinctCapped,
    },
    sample: column.sample.values,
  };
}

/**
 * An attribute that refers to other items by their keys: every value a
 * prefix the table keys' templates use, followed by identifiers (or
 * constant labels) only.
 */
function referenceMapping(shapes: AttributeShapes, written: ReadonlyMap<string, string>, parts: PartTable, verdict: Verdict | undefined): TemplateMapping | undefined {
  if (shapes.strings === 0 || shapes.numbers > 0 || shapes.overflow || shapes.literals.size > 0 || shapes.shapes.size === 0) return undefined;
  if (Object.values(shapes.misfits).some((n) => n > 0)) return undefined;
  const candidates: Candidate[] = [];
  for (const shape of shapes.shapes.values()) {
    let label = labelOf(shape.prefix);
    const roles: Role[] = [];
    const ordinals = new Map<string, number>();
    for (const column of shape.columns) {
      const constant = constantLabel(column);
      if (constant !== undefined) {
        roles.push({ kind: 'fixed', text: constant });
        label = constant;
        continue;
      }
      if (column.formatted !== column.count) return undefined;
      const role = identifierRole(label, column, ordinals);
      if (role.kind !== 'part' || !written.has(role.meaning)) return undefined;
      roles.push(role);
    }
    if (!roles.some((role) => role.kind === 'part')) return undefined;
    if ((shape.prefix.includes('_') || roles.some((role) => role.kind === 'fixed' && role.text.includes('_'))) && shape.columns.some((column) => column.withUnderscore > 0)) return undefined;
    candidates.push({ label: `${shape.prefix}…`, count: shape.count, roles, prefix: shape.prefix, separator: shape.separator });
  }
  candidates.sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : (a.roles?.length ?? 0) - (b.roles?.length ?? 0)));
  const templates = candidates.map((candidate) => renderCandidate(candidate, parts));
  if (firstOverlap(templates) !== undefined) return undefined;
  parts.commit(candidates, shapes.name);
  const wins = verdict?.flagged === true ? `; detection took it for ${verdict.recognizer}, but every value refers to an item by its key, so the key's parts win` : '';
  return {
    templates,
    allowKeyCollisions: false,
    comment: `a reference: ${shareList(candidates, shapes.strings)} of ${count(shapes.strings, 'sampled value')}, the prefixes of the table's keys, so it goes through the same parts and still names its item${wins}`,
  };
}

/**
 * An identifier alone, such as `accountId` beside `pk = ACCOUNT#<accountId>`:
 * every value of a permuteId format, and equal to an identifier of a key
 * template in every item holding both, or named like its part.
 */
function identifierMapping(shapes: AttributeShapes, all: readonly AttributeShapes[], keys: ReadonlyMap<string, KeyDecision>, parts: PartTable, verdict: Verdict | undefined): TemplateMapping | undefined {
  if (shapes.strings === 0 || shapes.numbers > 0 || shapes.formatted !== shapes.strings) return undefined;
  // Per identifier part: where the attribute stood beside it, and whether it was equal there every time.
  const beside = new Map<string, { key: string; both: number; always: boolean }>();
  for (const key of all) {
    if (keys.get(key.name)?.kind !== 'templates') continue;
    for (const shape of key.shapes.values()) {
      for (const { column, meaning } of parts.meaningsAt(key.name, shape.prefix, shape.columns.length)) {
        const link = meaning === undefined ? undefined : shape.columns[column]!.links.get(shapes.name);
        if (meaning === undefined || link === undefined || link.equal === 0) continue;
        const known = beside.get(meaning);
        if (known === undefined) beside.set(meaning, { key: key.name, both: link.both, always: link.equal === link.both });
        else known.always &&= link.equal === link.both;
      }
    }
  }
  // Sometimes equal is no evidence: the same identifier by chance, or a value that is sometimes another.
  if ([...beside.values()].some((link) => !link.always)) return undefined;
  const linked = beside;
  const wins = verdict?.flagged === true ? `; detection took it for ${verdict.recognizer}, but the key's part wins, so it keeps naming the same item` : '';
  if (linked.size === 1) {
    const [meaning, { key, both }] = [...linked][0]!;
    const name = parts.nameOf(meaning);
    parts.use(meaning, shapes.name);
    return { templates: [`{${name}}`], allowKeyCollisions: false, comment: `the identifier {${name}} alone: equal to it in ${key} in all ${count(both, 'sampled item')} holding both${wins}` };
  }
  if (linked.size > 1) return undefined;
  const named = parts.identifierNamed(shapes.name);
  if (named === undefined) return undefined;
  parts.use(named.meaning, shapes.name);
  return { templates: [`{${named.name}}`], allowKeyCollisions: false, comment: `the identifier {${named.name}} alone: named like the part, and every one of ${count(shapes.strings, 'sampled value')} of a permuteId format${wins}` };
}

function renderCandidate(candidate: Candidate, parts: PartTable): string {
  if (candidate.roles === undefined) return candidate.label;
  let out = candidate.prefix;
  candidate.roles.forEach((role, i) => {
    if (i > 0) out += candidate.separator;
    out += role.kind === 'fixed' ? role.text : `{${parts.reserve(role)}}`;
  });
  return out;
}

function firstOverlap(templates: readonly string[]): string | undefined {
  const parsed = templates.map(parseTemplate);
  for (const [i, a] of parsed.entries()) for (const b of parsed.slice(i + 1)) {
    const witness = overlapWitness(a, b);
    if (witness !== undefined) return witness;
  }
  return undefined;
}

/** `ACCOUNT#… 77%, TICKET#… 23%`. */
function shareList(candidates: readonly Candidate[], total: number): string {
  return candidates.map((candidate) => `${candidate.label} ${percent(candidate.count / total)}`).join(', ');
}

function formatsText(column: ColumnStats): string {
  return Object.entries(column.formats)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([format, n]) => (n === column.count ? format : `${format} ${percent(n / column.count)}`))
    .join(', ');
}

function count(n: number, what: string): string {
  return `${n.toLocaleString('en-US')} ${what}${n === 1 ? '' : 's'}`;
}

/** `ORDER` of `ORDER#`. */
function labelOf(prefix: string): string {
  return prefix.slice(0, -1);
}

/** `ORDER_ITEM` -> `orderItem`. */
function camel(label: string): string {
  const words = nameWords(label);
  return words.map((word, i) => (i === 0 ? word : capital(word))).join('') || 'part';
}

function capital(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

interface Part {
  readonly meaning: string;
  readonly name: string;
  readonly transformer: TransformerRef;
  readonly what: string;
  readonly identifier: boolean;
  readonly uses: string[];
  committed: boolean;
}

/**
 * Parts by meaning, each with one name: reserved while a mapping is
 * written, kept when it is (a key passed through after all leaves no part).
 */
class PartTable {
  readonly #byMeaning = new Map<string, Part>();
  readonly #names = new Set<string>();
  /** `attribute\0prefix\0tokens` -> the meaning of each token position (undefined for fixed text). */
  readonly #positions = new Map<string, (string | undefined)[]>();

  has(meaning: string): boolean {
    return this.#byMeaning.get(meaning)?.committed === true;
  }

  reserve(role: Extract<Role, { kind: 'part' }>): string {
    const known = this.#byMeaning.get(role.meaning);
    if (known !== undefined) return known.name;
    let name = role.name;
    for (let n = 2; this.#names.has(name); n++) name = `${role.name}${n}`;
    this.#names.add(name);
    this.#byMeaning.set(role.meaning, { meaning: role.meaning, name, transformer: role.transformer, what: role.what, identifier: role.identifier !== undefined, uses: [], committed: false });
    return name;
  }

  commit(candidates: readonly Candidate[], attribute: string): void {
    for (const candidate of candidates) {
      if (candidate.roles === undefined) continue;
      const meanings = candidate.roles.map((role) => (role.kind === 'part' ? role.meaning : undefined));
      this.#positions.set(`${attribute}\u0000${candidate.prefix}\u0000${candidate.roles.length}`, meanings);
      for (const meaning of meanings) if (meaning !== undefined) this.use(meaning, attribute);
    }
    // Names reserved for a mapping that was not written go back.
    for (const [meaning, part] of this.#byMeaning) {
      if (!part.committed) {
        this.#byMeaning.delete(meaning);
        this.#names.delete(part.name);
      }
    }
  }

  use(meaning: string, attribute: string): void {
    const part = this.#byMeaning.get(meaning)!;
    part.committed = true;
    if (!part.uses.includes(attribute)) part.uses.push(attribute);
  }

  nameOf(meaning: string): string {
    return this.#byMeaning.get(meaning)!.name;
  }

  /** The meanings of a written shape's token positions. */
  meaningsAt(attribute: string, prefix: string, tokens: number): { column: number; meaning: string | undefined }[] {
    return (this.#positions.get(`${attribute}\u0000${prefix}\u0000${tokens}`) ?? []).map((meaning, column) => ({ column, meaning: meaning !== undefined && this.#byMeaning.get(meaning)?.identifier === true ? meaning : undefined }));
  }

  /** Written identifier parts used by these attributes, meaning -> name. */
  identifiers(usedBy: ReadonlySet<string>): Map<string, string> {
    return new Map([...this.#byMeaning.values()].filter((part) => part.committed && part.identifier && part.uses.some((use) => usedBy.has(use))).map((part) => [part.meaning, part.name]));
  }

  /** The written identifier part an attribute is named like (`account_id` like `accountId`). */
  identifierNamed(attribute: string): Part | undefined {
    const normal = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');
    return [...this.#byMeaning.values()].find((part) => part.committed && part.identifier && normal(part.name) === normal(attribute));
  }

  definitions(): PartDefinition[] {
    return [...this.#byMeaning.values()]
      .filter((part) => part.committed)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((part) => ({ name: part.name, transformer: part.transformer, comment: `${part.what}; in ${part.uses.join(', ')}` }));
  }
}
