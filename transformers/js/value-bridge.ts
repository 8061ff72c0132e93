/**
 * The host's half of the value bridge. The isolate (isolate-runtime.js)
 * turns AttributeValues into JavaScript values for a script and the
 * script's return into AttributeValue shapes; this side trusts none of it
 * and checks every value that comes back before it can reach a table:
 *
 * - exactly one type member, of the right JavaScript type;
 * - N is number text DynamoDB can store (at most 38 significant digits,
 *   magnitude 1E-130 to below 1E+126), written as plain decimal text:
 *   `1e21` becomes `1000000000000000000000`, `8.30` stays `8.30`;
 * - sets hold one type, lose duplicates (numbers compared by value, as
 *   DynamoDB does), and an empty set means "no value" (the attribute is
 *   dropped, since DynamoDB refuses empty sets).
 *
 * Problems are reported as a shape word (SHAPES in script-errors.ts), never
 * with the value.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { formatDecimal, normalizeDecimal, numberKey, parseDecimal, DYNAMODB_SIGNIFICANT_DIGITS } from '../../model/decimal.ts';
import { DROP, type Drop } from '../definition.ts';

/** A value came back that cannot be written; `shape` says what it was. */
export class ReturnShapeError extends Error {
  override name = 'ReturnShapeError';
  readonly shape: string;
  constructor(shape: string) {
    super(shape);
    this.shape = shape;
  }
}

/** DynamoDB nests maps and lists at most 32 levels deep. */
const MAX_DEPTH = 32;
const TYPE_MEMBERS = ['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS'] as const;

/**
 * A script's (or a helper's) encoded return -> an AttributeValue to write,
 * or DROP. In wire form (`wire`), binary values are base64 text.
 */
export function toAttributeValue(raw: unknown, wire = false): AttributeValue | Drop {
  if (isRecord(raw) && raw['drop'] === true && Object.keys(raw).length === 1) return DROP;
  return check(raw, 0, wire);
}

function check(raw: unknown, depth: number, wire: boolean): AttributeValue | Drop {
  if (!isRecord(raw)) throw new ReturnShapeError('invalid');
  const members = Object.keys(raw);
  const type = members[0] as (typeof TYPE_MEMBERS)[number];
  if (members.length !== 1 || !TYPE_MEMBERS.includes(type)) throw new ReturnShapeError('invalid');
  const member = raw[type];
  switch (type) {
    case 'S':
      if (typeof member !== 'string') throw new ReturnShapeError('invalid');
      return { S: member };
    case 'N':
      return { N: dynamoNumber(member) };
    case 'B':
      return { B: bytes(member, wire) };
    case 'BOOL':
      if (typeof member !== 'boolean') throw new ReturnShapeError('invalid');
      return { BOOL: member };
    case 'NULL':
      if (member !== true) throw new ReturnShapeError('invalid');
      return { NULL: true };
    case 'M': {
      if (!isRecord(member) || depth >= MAX_DEPTH) throw new ReturnShapeError(depth >= MAX_DEPTH ? 'tooDeep' : 'invalid');
      const M: Record<string, AttributeValue> = {};
      for (const key of Object.keys(member)) {
        const value = check(member[key], depth + 1, wire);
        if (value !== DROP) Object.defineProperty(M, key, { value, enumerable: true, writable: true, configurable: true });
      }
      return { M };
    }
    case 'L': {
      if (!Array.isArray(member) || depth >= MAX_DEPTH) throw new ReturnShapeError(depth >= MAX_DEPTH ? 'tooDeep' : 'invalid');
      const L: AttributeValue[] = [];
      for (const element of member) {
        const value = check(element, depth + 1, wire);
        if (value !== DROP) L.push(value);
      }
      return { L };
    }
    case 'SS': {
      const elements = setElements(member, (element) => typeof element === 'string');
      const SS = [...new Set(elements as string[])];
      return SS.length === 0 ? DROP : { SS };
    }
    case 'NS': {
      const elements = setElements(member, () => true).map(dynamoNumber);
      const byValue = new Map<string, string>();
      for (const text of elements) if (!byValue.has(numberKey(text))) byValue.set(numberKey(text), text);
      return byValue.size === 0 ? DROP : { NS: [...byValue.values()] };
    }
    case 'BS': {
      const elements = setElements(member, () => true).map((element) => bytes(element, wire));
      const byBytes = new Map<string, Uint8Array>();
      for (const bytes of elements) {
        const key = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
        if (!byBytes.has(key)) byBytes.set(key, bytes);
      }
      return byBytes.size === 0 ? DROP : { BS: [...byBytes.values()] };
    }
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function bytes(member: unknown, wire: boolean): Uint8Array {
  if (member instanceof Uint8Array) return member;
  if (wire && typeof member === 'string' && BASE64.test(member)) return new Uint8Array(Buffer.from(member, 'base64'));
  throw new ReturnShapeError('invalid');
}

function setElements(member: unknown, ok: (element: unknown) => boolean): unknown[] {
  if (!Array.isArray(member) || !member.every(ok)) throw new ReturnShapeError('invalid');
  return member;
}

/** Plain decimal text of a number DynamoDB can store, or ReturnShapeError. */
export function dynamoNumber(text: unknown): string {
  if (typeof text !== 'string') throw new ReturnShapeError('invalid');
  const decimal = parseDecimal(text);
  if (decimal === undefined) throw new ReturnShapeError('badNumber');
  if (decimal.units !== 0n) {
    const { units, scale } = normalizeDecimal(decimal);
    const digits = (units < 0n ? -units : units).toString();
    const significant = digits.replace(/0+$/, '').length;
    const exponent = digits.length - 1 - scale;
    if (significant > DYNAMODB_SIGNIFICANT_DIGITS) throw new ReturnShapeError('tooPrecise');
    if (exponent > 125 || exponent < -130) throw new ReturnShapeError('outOfRange');
  }
  return formatDecimal(decimal);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/**
 * The value with its binary parts as base64 text, for JSON; the value
 * itself when it holds none (most do not).
 */
export function toWire(value: AttributeValue): unknown {
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.BS !== undefined) return { BS: value.BS.map(base64) };
  if (value.M !== undefined) {
    const M = value.M;
    let out: Record<string, unknown> | undefined;
    for (const key of Object.keys(M)) {
      const child = M[key]!;
      const wire = toWire(child);
      if (wire === child && out === undefined) continue;
      out ??= copyUntil(M, key);
      Object.defineProperty(out, key, { value: wire, enumerable: true, writable: true, configurable: true });
    }
    return out === undefined ? value : { M: out };
  }
  if (value.L !== undefined) {
    const wires = value.L.map(toWire);
    return wires.every((wire, i) => wire === value.L![i]) ? value : { L: wires };
  }
  return value;
}

/** A value as it crosses in a page (WireValue, sandbox-protocol.ts): the text itself for S. */
export function toWireValue(value: AttributeValue): unknown {
  return value.S !== undefined ? value.S : toWire(value);
}

/** WireValue -> AttributeValue, trusted (the worker's own page); the opposite of toWireValue. */
export function fromWireValue(value: unknown): AttributeValue {
  return typeof value === 'string' ? { S: value } : fromWire(value);
}

/**
 * A script's result as it crosses (WireResult, sandbox-protocol.ts) -> an
 * AttributeValue to write, or DROP; a string is a string value and needs
 * no more checking.
 */
export function resultFromWire(raw: unknown): AttributeValue | Drop {
  return typeof raw === 'string' ? { S: raw } : toAttributeValue(raw, true);
}

/** An item in wire form: the item itself when it holds no binary value. */
export function itemToWire(item: Record<string, AttributeValue>): unknown {
  const wire = toWire({ M: item }) as { M: unknown };
  return wire.M;
}

/** The members of `source` before `key`, as they are. */
function copyUntil(source: Record<string, unknown>, key: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(source)) {
    if (name === key) break;
    Object.defineProperty(out, name, { value: source[name], enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Wire form -> AttributeValue, trusted (the worker's own page); the opposite of toWire. */
export function fromWire(value: unknown): AttributeValue {
  const checked = toAttributeValue(value, true);
  return checked === DROP ? { NULL: true } : checked;
}

/**
 * One text per value, whatever order DynamoDB lists map keys and set
 * elements in: what seeds a script's random() for its input.
 */
export function canonicalText(value: AttributeValue): string {
  return JSON.stringify(canonical(value));
}

function canonical(value: AttributeValue): unknown {
  if (value.N !== undefined) return { N: numberKey(value.N) };
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.M !== undefined) {
    const M = value.M;
    return { M: Object.keys(M).sort().map((key) => [key, canonical(M[key]!)]) };
  }
  if (value.L !== undefined) return { L: value.L.map(canonical) };
  if (value.SS !== undefined) return { SS: [...value.SS].sort() };
  if (value.NS !== undefined) return { NS: value.NS.map(numberKey).sort() };
  if (value.BS !== undefined) return { BS: value.BS.map(base64).sort() };
  return value;
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
