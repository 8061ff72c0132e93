/**
 * A checked WHERE condition -> the same condition as a DynamoDB condition
 * expression (FilterExpression or KeyConditionExpression), or the reason it
 * cannot be made one exactly.
 *
 * Exact means: the expression is true for an item exactly when PartiQL's
 * WHERE is. PartiQL has three-valued logic (a comparison on a missing or NULL
 * attribute is unknown, and NOT unknown stays unknown), a condition
 * expression has two values (`a <> 1` is true when `a` is missing). DynamoDB
 * Local evaluates PartiQL the two-valued way, but that is an emulator and the
 * PartiQL standard says otherwise, so only what both readings agree on is
 * translated:
 * - positive conditions (=, <, <=, >, >=, BETWEEN, IN, begins_with,
 *   contains, attribute_type, size comparisons, AND, OR): unknown and false
 *   both drop the item, so the two logics select the same items;
 * - conditions that are never unknown (IS [NOT] MISSING, IS [NOT] BOOLEAN and
 *   the other type tests, attribute_exists, attribute_not_exists), also under
 *   NOT;
 * - NOT, <>, NOT IN, NOT BETWEEN on a key attribute of the table or index
 *   read, compared with a value of its declared type: every item holds it,
 *   so nothing is unknown.
 * Everything else (NOT or <> on other attributes, NULL literals, IS NULL,
 * arithmetic, comparing two attributes) keeps PartiQL, with the reason.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { pathText, type ComparisonOperator, type Expr, type ExprOf, type PathStep } from '../../../model/condition/ast.ts';

export type KeyType = 'S' | 'N' | 'B';

export interface KeyAttribute {
  name: string;
  type: KeyType;
}

/** The key schema of what is read: the table's, or the index's when an index is read. */
export interface ReadKeys {
  hash: KeyAttribute;
  range?: KeyAttribute;
}

/** Thrown inside the translation; planRead turns it into a PartiQL plan with this reason. */
export class Untranslatable extends Error {
  override name = 'Untranslatable';
}

/** Names and values of one expression (or of a KeyConditionExpression and FilterExpression sent together). */
export class ExpressionParts {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, AttributeValue> = {};
  readonly #placeholders = new Map<string, string>();
  #valueCount = 0;

  name(name: string): string {
    let placeholder = this.#placeholders.get(name);
    if (placeholder === undefined) {
      placeholder = `#n${this.#placeholders.size}`;
      this.#placeholders.set(name, placeholder);
      this.names[placeholder] = name;
    }
    return placeholder;
  }

  path(steps: readonly PathStep[]): string {
    let out = '';
    for (const step of steps) {
      if (typeof step === 'number') out += `[${step}]`;
      else out += out === '' ? this.name(step) : `.${this.name(step)}`;
    }
    return out;
  }

  value(value: AttributeValue): string {
    const placeholder = `:v${this.#valueCount++}`;
    this.values[placeholder] = value;
    return placeholder;
  }
}

/** The AttributeValue a literal stands for; Untranslatable when it is not a plain value or holds NULL. */
export function literalValue(node: Expr): AttributeValue {
  switch (node.kind) {
    case 'string':
      return { S: node.value };
    case 'number':
      return { N: node.text };
    case 'boolean':
      return { BOOL: node.value };
    case 'null':
      throw new Untranslatable('where compares with NULL, which PartiQL may treat as unknown where a FilterExpression matches NULL values');
    case 'list':
      return { L: node.items.map(literalValue) };
    case 'set': {
      if (node.items.every((item) => item.kind === 'string')) return { SS: node.items.map((item) => item.value) };
      if (node.items.every((item) => item.kind === 'number')) return { NS: node.items.map((item) => item.text) };
      throw new Untranslatable('where holds a set that is neither strings nor numbers');
    }
    case 'map': {
      const M: Record<string, AttributeValue> = {};
      for (const { key, value } of node.entries) {
        if (key.kind !== 'string') throw new Untranslatable('where holds a map with a key that is not a string');
        Object.defineProperty(M, key.value, { value: literalValue(value), enumerable: true, writable: true, configurable: true });
      }
      return { M };
    }
    default:
      throw new Untranslatable(`where uses ${describe(node)} where a value is expected`);
  }
}

function isLiteral(node: Expr): boolean {
  return ['string', 'number', 'boolean', 'null', 'list', 'set', 'map'].includes(node.kind);
}

function describe(node: Expr): string {
  switch (node.kind) {
    case 'path':
      return pathText(node.steps);
    case 'arithmetic':
      return `arithmetic (${node.op})`;
    case 'sign':
      return `a sign (${node.op}) on something other than a number`;
    case 'call':
      return `${node.name}()`;
    default:
      return `a ${node.kind} expression`;
  }
}

const NEGATED: Record<ComparisonOperator, ComparisonOperator> = { '=': '<>', '<>': '=', '<': '>=', '<=': '>', '>': '<=', '>=': '<' };

/** Flips `5 < x` to `x > 5`, so the attribute is on the left. */
const MIRRORED: Record<ComparisonOperator, ComparisonOperator> = { '=': '=', '<>': '<>', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

const IS_TYPE_TO_ATTRIBUTE_TYPE: Record<string, string> = {
  BOOLEAN: 'BOOL',
  BLOB: 'B',
  STRING: 'S',
  NUMERIC: 'N',
  STRUCT: 'M',
  TUPLE: 'M',
  LIST: 'L',
};

export class ConditionTranslator {
  readonly #parts: ExpressionParts;
  readonly #keys: ReadKeys;

  constructor(parts: ExpressionParts, keys: ReadKeys) {
    this.#parts = parts;
    this.#keys = keys;
  }

  /** Expression text true exactly when `node` is TRUE in PartiQL; throws Untranslatable. */
  condition(node: Expr): string {
    return this.#translate(node, false);
  }

  #translate(node: Expr, negated: boolean): string {
    switch (node.kind) {
      case 'and':
      case 'or': {
        // De Morgan holds in three-valued logic too: NOT (a AND b) is NOT a OR NOT b.
        const joiner = (node.kind === 'and') !== negated ? ' AND ' : ' OR ';
        return node.operands.map((operand) => this.#group(operand, negated)).join(joiner);
      }
      case 'not':
        return this.#translate(node.operand, !negated);
      case 'compare':
        return this.#compare(node, negated);
      case 'between':
        return this.#between(node, negated !== node.negated);
      case 'in':
        return this.#in(node, negated !== node.negated);
      case 'is':
        return this.#is(node, negated !== node.negated);
      case 'call':
        return this.#call(node, negated);
      default:
        throw new Untranslatable(`where uses ${describe(node)} as a condition`);
    }
  }

  /** An operand of AND or OR, in parentheses when it is itself an AND or OR (NOT (a AND b) becomes one too). */
  #group(node: Expr, negated: boolean): string {
    const text = this.#translate(node, negated);
    let inner = node;
    while (inner.kind === 'not') inner = inner.operand;
    return inner.kind === 'and' || inner.kind === 'or' ? `(${text})` : text;
  }

  /** The attribute side of a comparison: a path, or size(path). */
  #operand(node: Expr): { text: string; path: readonly PathStep[] } {
    if (node.kind === 'path') return { text: this.#parts.path(node.steps), path: node.steps };
    if (node.kind === 'call' && node.name === 'size' && node.args[0]?.kind === 'path') {
      return { text: `size(${this.#parts.path(node.args[0].steps)})`, path: [] };
    }
    if (node.kind === 'compare' || node.kind === 'is' || node.kind === 'between' || node.kind === 'in' || node.kind === 'call') {
      throw new Untranslatable('where compares a condition with a value');
    }
    throw new Untranslatable(`where uses ${describe(node)}, which a FilterExpression cannot compute`);
  }

  /**
   * Whether NOT of a condition on `path` against `values` is exact: `path` is a
   * key attribute, present in every item read, and the values have its type.
   */
  #negatable(path: readonly PathStep[], values: readonly AttributeValue[]): boolean {
    const key = this.#key(path);
    return key !== undefined && values.every((value) => Object.keys(value)[0] === key.type);
  }

  #key(path: readonly PathStep[]): KeyAttribute | undefined {
    if (path.length !== 1 || typeof path[0] !== 'string') return undefined;
    return [this.#keys.hash, this.#keys.range].find((key) => key?.name === path[0]);
  }

  #refuseNegation(what: string, path: readonly PathStep[]): never {
    const name = path.length > 0 ? pathText(path) : 'an attribute';
    throw new Untranslatable(`where uses ${what} on ${name}, which PartiQL may treat differently from a FilterExpression when it is missing or NULL`);
  }

  #compare(node: ExprOf<'compare'>, negated: boolean): string {
    const leftLiteral = isLiteral(node.left);
    const rightLiteral = isLiteral(node.right);
    if (leftLiteral && rightLiteral) throw new Untranslatable('where compares two values with each other');
    if (!leftLiteral && !rightLiteral) {
      for (const side of [node.left, node.right]) {
        if (side.kind !== 'path' && !(side.kind === 'call' && side.name === 'size')) this.#operand(side);
      }
      throw new Untranslatable('where compares two attributes, which DynamoDB PartiQL refuses or evaluates its own way');
    }
    const [attribute, literal, op] = leftLiteral ? [node.right, node.left, MIRRORED[node.op]] : [node.left, node.right, node.op];
    const operand = this.#operand(attribute);
    const value = literalValue(literal);
    // NOT (a <> v) is a = v in either logic; NOT (a < v) and a <> v keep items without `a` only in two-valued logic.
    if (negated !== (op === '<>') && !this.#negatable(operand.path, [value])) {
      this.#refuseNegation(negated ? `NOT (${op})` : '<>', operand.path);
    }
    return `${operand.text} ${negated ? NEGATED[op] : op} ${this.#parts.value(value)}`;
  }

  #between(node: ExprOf<'between'>, negated: boolean): string {
    const operand = this.#operand(node.value);
    const low = literalValue(node.low);
    const high = literalValue(node.high);
    const lowText = this.#parts.value(low);
    const highText = this.#parts.value(high);
    if (!negated) return `${operand.text} BETWEEN ${lowText} AND ${highText}`;
    if (!this.#negatable(operand.path, [low, high])) this.#refuseNegation('NOT BETWEEN', operand.path);
    return `(${operand.text} < ${lowText} OR ${operand.text} > ${highText})`;
  }

  #in(node: ExprOf<'in'>, negated: boolean): string {
    const operand = this.#operand(node.value);
    const values = node.items.map(literalValue);
    const list = `${operand.text} IN (${values.map((value) => this.#parts.value(value)).join(', ')})`;
    if (!negated) return list;
    if (!this.#negatable(operand.path, values)) this.#refuseNegation('NOT IN', operand.path);
    return `NOT (${list})`;
  }

  #is(node: ExprOf<'is'>, negated: boolean): string {
    if (node.value.kind !== 'path') throw new Untranslatable(`where tests IS ${node.type} on something that is not an attribute`);
    const path = this.#parts.path(node.value.steps);
    if (node.type === 'MISSING') return negated ? `attribute_exists(${path})` : `attribute_not_exists(${path})`;
    const type = IS_TYPE_TO_ATTRIBUTE_TYPE[node.type];
    if (type === undefined) {
      throw new Untranslatable(`where uses IS ${negated ? 'NOT ' : ''}${node.type}; PartiQL may count a missing attribute as NULL, a FilterExpression does not`);
    }
    const test = `attribute_type(${path}, ${this.#parts.value({ S: type })})`;
    return negated ? `NOT ${test}` : test;
  }

  #call(node: ExprOf<'call'>, negated: boolean): string {
    const [first, second] = node.args;
    if (first?.kind !== 'path') throw new Untranslatable(`where calls ${node.name} on something that is not an attribute`);
    const path = this.#parts.path(first.steps);
    switch (node.name) {
      case 'attribute_exists':
      case 'attribute_not_exists': {
        const exists = (node.name === 'attribute_exists') !== negated;
        return `${exists ? 'attribute_exists' : 'attribute_not_exists'}(${path})`;
      }
      case 'begins_with':
      case 'contains':
      case 'attribute_type': {
        const value = literalValue(second!);
        // attribute_type's argument is a type name, not a value of the attribute's type.
        const exact = node.name === 'attribute_type' ? this.#key(first.steps) !== undefined : this.#negatable(first.steps, [value]);
        if (negated && !exact) this.#refuseNegation(`NOT ${node.name}`, first.steps);
        const call = `${node.name}(${path}, ${this.#parts.value(value)})`;
        return negated ? `NOT ${call}` : call;
      }
      default:
        throw new Untranslatable(`where uses ${node.name}() as a condition`);
    }
  }
}
