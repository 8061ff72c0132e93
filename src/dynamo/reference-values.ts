/**
 * What a referring attribute holds for a referenced key, and back: the key
 * itself, or with a template (`USER#{id}`) the key as its one part.
 *
 * A reference's template has exactly one part, once (the loader checks it
 * with transformers/templates), so it is `prefix{part}suffix`, and the
 * semantics of template-syntax.ts come down to: the part is a non-empty
 * run holding none of the separators (the characters of the fixed text
 * other than ASCII letters and digits). src/dynamo may not import
 * transformers/, so that one case is written out here;
 * reference-values.test.ts holds it to matchTemplate and renderTemplate.
 *
 * A key that cannot stand for the part is one no value of the template
 * names, so both ways agree: a value names a key exactly when it is what
 * the key renders to. A value of another type than the key names nothing,
 * as in DynamoDB's own comparisons.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Item } from '../../model/item.ts';
import { encodeKey } from './json-key.ts';
import type { KeyType, ReferencesPlan } from './where/read-plan.ts';

type ReferenceShape = Pick<ReferencesPlan, 'template'>;

interface OnePartTemplate {
  prefix: string;
  suffix: string;
  /** UTF-16 code units, as template-syntax.ts counts them. */
  separators: Set<number>;
}

const templates = new Map<string, OnePartTemplate>();

function templateOf(text: string): OnePartTemplate {
  let template = templates.get(text);
  if (template === undefined) {
    const open = text.indexOf('{');
    const close = text.indexOf('}', open);
    if (open < 0 || close < 0) throw new RangeError('a reference template has one {part}');
    const prefix = text.slice(0, open);
    const suffix = text.slice(close + 1);
    const fixed = prefix + suffix;
    const separators = new Set<number>();
    for (let i = 0; i < fixed.length; i++) if (!/[A-Za-z0-9]/.test(fixed[i]!)) separators.add(fixed.charCodeAt(i));
    template = { prefix, suffix, separators };
    templates.set(text, template);
  }
  return template;
}

function isPart(template: OnePartTemplate, text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) if (template.separators.has(text.charCodeAt(i))) return false;
  return true;
}

/** The value a referring attribute holds for this referenced key; undefined when none can. */
export function referringValue(plan: ReferenceShape, key: AttributeValue): AttributeValue | undefined {
  if (plan.template === undefined) return key;
  const text = key.S ?? key.N;
  const template = templateOf(plan.template);
  if (text === undefined || !isPart(template, text)) return undefined;
  return { S: `${template.prefix}${text}${template.suffix}` };
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** The referenced key a referring value names, if it can name one at all (whether an item has it is for the table to say). */
export function namedKey(plan: ReferenceShape, value: AttributeValue, keyType: KeyType): AttributeValue | undefined {
  if (plan.template === undefined) {
    const typed = keyType === 'S' ? value.S : keyType === 'N' ? value.N : value.B;
    return typed === undefined ? undefined : value;
  }
  const template = templateOf(plan.template);
  const text = value.S;
  if (text === undefined || text.length <= template.prefix.length + template.suffix.length) return undefined;
  if (!text.startsWith(template.prefix) || !text.endsWith(template.suffix)) return undefined;
  const part = text.slice(template.prefix.length, text.length - template.suffix.length);
  if (!isPart(template, part)) return undefined;
  if (keyType === 'S') return { S: part };
  if (keyType === 'N' && NUMBER.test(part)) return { N: part };
  return undefined;
}

// A referring attribute of another type than the key never matches, as in DynamoDB's own comparisons.
export function referringValueId(value: Item[string]): string {
  try {
    return JSON.stringify(encodeKey({ v: value! })['v']);
  } catch {
    return '';
  }
}
