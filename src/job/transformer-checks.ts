/**
 * What a job maps to transformers: the defaults by DynamoDB type, and each
 * table's attribute paths. Paths must parse and name different attributes;
 * every reference goes through resolveTransformer.
 */
import { ATTRIBUTE_TYPES, type AttributeType } from '../../model/item.ts';
import type { TransformerRef } from '../../model/job.ts';
import { parsePathPattern, PathSyntaxError } from '../../model/path.ts';
import type { DocPath, PathIssue } from '../../model/problems.ts';
import type { TransformerRegistry } from '../../transformers/registry.ts';
import type { Parts } from './part-checks.ts';
import { asRecord } from './raw-values.ts';
import { resolveMapping } from './resolve-mapping.ts';
import { resolveTransformer } from './resolve-transformer.ts';
import type { Locate } from './yaml-positions.ts';

export function checkDefaults(value: unknown, registry: TransformerRegistry, issues: PathIssue[]): Partial<Record<AttributeType, TransformerRef>> {
  const defaults: Partial<Record<AttributeType, TransformerRef>> = {};
  for (const [type, refValue] of Object.entries(asRecord(value) ?? {})) {
    if (!isAttributeType(type)) continue;
    const ref = resolveTransformer(refValue, ['defaults', type], registry, issues);
    if (ref === undefined) continue;
    const accepts = registry.get(ref.type)?.accepts;
    if (accepts !== undefined && accepts !== 'any' && !accepts.includes(type))
      issues.push({ path: ['defaults', type], message: `transformer "${ref.type}" does not take ${type} values (it takes ${accepts.join(', ')})` });
    defaults[type] = ref;
  }
  return defaults;
}

/** Attribute paths parse, name different attributes, and map to known transformers with valid options, or to templates of known parts. */
export function checkTransformers(value: unknown, path: DocPath, registry: TransformerRegistry, locate: Locate, issues: PathIssue[], parts: Parts = new Map()): Record<string, TransformerRef> {
  const out: Record<string, TransformerRef> = {};
  const seen = new Map<string, string>();
  for (const [attributePath, refValue] of Object.entries(asRecord(value) ?? {})) {
    const refPath = [...path, attributePath];
    try {
      const canonical = JSON.stringify(parsePathPattern(attributePath).segments);
      const first = seen.get(canonical);
      if (first === undefined) seen.set(canonical, attributePath);
      else {
        const line = locate([...path, first], 'key');
        issues.push({ path: refPath, at: 'key', message: `duplicate path: the same attribute as ${first}${line === undefined ? '' : ` on line ${line}`}` });
      }
    } catch (error) {
      if (!(error instanceof PathSyntaxError)) throw error;
      issues.push({ path: refPath, at: 'key', message: `bad path: ${error.message}` });
    }
    const ref = resolveMapping(refValue, refPath, registry, parts, issues);
    if (ref !== undefined) out[attributePath] = ref;
  }
  return out;
}

function isAttributeType(name: string): name is AttributeType {
  return (ATTRIBUTE_TYPES as readonly string[]).includes(name);
}
