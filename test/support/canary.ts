/**
 * Canaries: unique random markers seeded into source items, and a search
 * that finds them in whatever came back out of Temporal and the logs, as
 * they are or encoded: inside a base64 token (a PartiQL NextToken is base64
 * JSON holding the last key), inside base64 inside that, or in hex.
 *
 * Every marker has a fixed shape, so one pass of one regular expression
 * over each view of the evidence finds them all, however many were planted.
 */
import { randomBytes } from 'node:crypto';

export interface Canary {
  /** Where it was planted, for the report (`key pk`, `map key contacts.*`). */
  readonly label: string;
  /** The marker exactly as planted: a string, or the digits of a number. */
  readonly text: string;
}

const STRING_PREFIX = 'cnry';
const NUMBER_PREFIX = '913779';
const MARKER = new RegExp(`${STRING_PREFIX}[0-9a-f]{16}|${NUMBER_PREFIX}[0-9]{9}`, 'g');

export class Canaries {
  readonly #byText = new Map<string, Canary>();

  /** A marker for a string value: letters and digits only, so no escaping changes it. */
  string(label: string): string {
    return this.#add(label, `${STRING_PREFIX}${randomBytes(8).toString('hex')}`);
  }

  /** A marker for a number: 15 digits, exact in a double, so it reads the same however a number is printed. */
  number(label: string): string {
    const digits = [...randomBytes(9)].map((b) => String(b % 10)).join('');
    return this.#add(label, `${NUMBER_PREFIX}${digits}`);
  }

  /** A marker for a binary value: the UTF-8 bytes of a string marker. */
  bytes(label: string): Uint8Array {
    return new Uint8Array(Buffer.from(this.string(label), 'utf8'));
  }

  get all(): readonly Canary[] {
    return [...this.#byText.values()];
  }

  get(text: string): Canary | undefined {
    return this.#byText.get(text);
  }

  #add(label: string, text: string): string {
    this.#byText.set(text, { label, text });
    return text;
  }
}

/** A piece of collected output: where it came from and its text. */
export interface Evidence {
  /** Exactly where (`history of <workflow> run <id>, event 12 activityTaskCompleted`). */
  where: string;
  /** The sort of place, for grouping findings (`history event activityTaskCompleted`, `worker log`). */
  kind: string;
  text: string;
}

export interface Finding {
  /** The canary found; a marker of canary shape that this set did not plant gets the label "unknown". */
  canary: Canary;
  where: string;
  kind: string;
  /** As is, or which decoding revealed it. */
  how: string;
  excerpt: string;
}

/** Every string and every byte array (as UTF-8) in a value, depth-first, keys included; for histories, descriptions and errors. */
export function textsOf(value: unknown): string[] {
  const parts: string[] = [];
  const seen = new WeakSet<object>();
  const walk = (node: unknown): void => {
    if (typeof node === 'string') parts.push(node);
    else if (typeof node === 'number' || typeof node === 'bigint') parts.push(String(node));
    else if (node instanceof Uint8Array) parts.push(Buffer.from(node).toString('utf8'));
    else if (node !== null && typeof node === 'object') {
      if (seen.has(node)) return;
      seen.add(node);
      if (node instanceof Error) {
        parts.push(node.name, node.message, node.stack ?? '');
        walk(node.cause);
      }
      if (Array.isArray(node)) node.forEach(walk);
      else if (node instanceof Map) [...node.entries()].forEach(walk);
      else Object.entries(node).forEach(([key, child]) => walk([key, child]));
    }
  };
  walk(value);
  return parts;
}

/** Where canaries turn up in the evidence; empty when nothing leaked. */
export function findCanaries(canaries: Canaries, evidence: readonly Evidence[]): Finding[] {
  const findings: Finding[] = [];
  for (const { where, kind, text } of evidence) {
    for (const [how, view] of decodedViews(text)) {
      for (const match of view.matchAll(MARKER)) {
        const at = match.index;
        findings.push({
          canary: canaries.get(match[0]) ?? { label: 'unknown', text: match[0] },
          where,
          kind,
          how,
          excerpt: view.slice(Math.max(0, at - 100), at + match[0].length + 60),
        });
      }
    }
  }
  return findings;
}

/** One line per planted place, sort of place and encoding, with a count and the first occurrence. */
export function renderFindings(findings: readonly Finding[]): string {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    const key = `${finding.canary.label} | ${finding.kind} | ${finding.how}`;
    groups.set(key, [...(groups.get(key) ?? []), finding]);
  }
  return [...groups.entries()]
    .map(([key, [first, ...more]]) => `- ${key}: ${1 + more.length}x, first in ${first!.where}: …${printable(first!.excerpt)}…`)
    .join('\n');
}

function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]+/g, '·');
}

/**
 * The text as is, then the decoded text of every base64 token in it (and of
 * base64 tokens inside those), then of every long hex run.
 */
function decodedViews(text: string): [string, string][] {
  const views: [string, string][] = [['as is', text]];
  let frontier = [text];
  for (let depth = 1; depth <= 2; depth++) {
    const decoded = frontier.flatMap((source) => (source.match(/[A-Za-z0-9+/_-]{16,}={0,2}/g) ?? []).map((token) => Buffer.from(token, 'base64').toString('latin1')));
    if (decoded.length === 0) break;
    views.push([depth === 1 ? 'inside a base64 token' : 'inside base64 inside base64', decoded.join('\n')]);
    frontier = decoded;
  }
  const hex = (text.match(/(?:[0-9a-fA-F]{2}){16,}/g) ?? []).map((run) => Buffer.from(run, 'hex').toString('latin1'));
  if (hex.length > 0) views.push(['in hex', hex.join('\n')]);
  return views;
}
