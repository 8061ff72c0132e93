/**
 * What a table's `transformers` maps a path to, as a job file writes it ->
 * the TransformerRef of the plan:
 *
 *   pk: "USER#{userId}"                       a template (a string holding `{`)
 *   sk: ["PROFILE", "ORDER#{date}#{orderId}"]  templates, tried in order
 *   ref: { template: "USER#{userId}", otherwise: passthrough, allowKeyCollisions: true }
 *   Name: fullName                             anything else: a transformer (resolve-transformer.ts)
 *
 * Templates are checked here as everything else is: their syntax, that every
 * part they use is defined (in `parts`), and that no two templates of one
 * mapping can match the same string. Each becomes a self-contained
 * `template` ref carrying the transformers of its parts, so the same part
 * with the same transformer gives the same output wherever it is used. Rule
 * sets (and anything else that maps paths) resolve their mappings here too.
 */
import type { TransformerRef } from '../../model/job.ts';
import { describeValue, didYouMean, type DocPath, type PathIssue } from '../../model/problems.ts';
import type { TransformerRegistry } from '../../transformers/registry.ts';
import {
  isTemplateText,
  listTemplates,
  overlapWitness,
  parseTemplate,
  templateRef,
  TemplateSyntaxError,
  type Template,
  type TemplateOptions,
} from '../../transformers/templates/index.ts';
import { checkPartTransformer, type Parts } from './part-checks.ts';
import { asRecord } from './raw-values.ts';
import { resolveTransformer } from './resolve-transformer.ts';

const LONG_FORM_FIELDS = ['template', 'otherwise', 'allowKeyCollisions'] as const;

export function resolveMapping(value: unknown, path: DocPath, registry: TransformerRegistry, parts: Parts, issues: PathIssue[]): TransformerRef | undefined {
  if (typeof value === 'string' && isTemplateText(value)) return resolveTemplates([value], [path], registry, parts, issues, {});
  if (Array.isArray(value)) return resolveTemplateList(value, path, registry, parts, issues, {});
  const record = asRecord(value);
  if (record !== undefined && 'template' in record && record.type === undefined) return resolveLongForm(record, path, registry, parts, issues);
  return resolveTransformer(value, path, registry, issues);
}

interface TemplateFlags {
  otherwise?: TemplateOptions['otherwise'];
  allowKeyCollisions?: boolean;
}

function resolveTemplateList(value: unknown[], path: DocPath, registry: TransformerRegistry, parts: Parts, issues: PathIssue[], flags: TemplateFlags): TransformerRef | undefined {
  if (value.length === 0) {
    issues.push({ path, message: 'expected one template or more, got an empty list' });
    return undefined;
  }
  const bad = value.findIndex((element) => typeof element !== 'string');
  if (bad >= 0) {
    issues.push({ path: [...path, bad], message: `expected a template (a string such as "USER#{userId}"), got ${describeValue(value[bad])}` });
    return undefined;
  }
  return resolveTemplates(value as string[], value.map((_, i) => [...path, i]), registry, parts, issues, flags);
}

function resolveLongForm(record: Record<string, unknown>, path: DocPath, registry: TransformerRegistry, parts: Parts, issues: PathIssue[]): TransformerRef | undefined {
  let ok = true;
  for (const key of Object.keys(record)) {
    if ((LONG_FORM_FIELDS as readonly string[]).includes(key)) continue;
    issues.push({ path: [...path, key], at: 'key', message: `unknown field "${key}" of a template mapping${didYouMean(key, LONG_FORM_FIELDS)}; it takes ${LONG_FORM_FIELDS.join(', ')}` });
    ok = false;
  }
  const flags: TemplateFlags = {};
  const { template, otherwise, allowKeyCollisions } = record;
  if (allowKeyCollisions !== undefined) {
    if (typeof allowKeyCollisions === 'boolean') flags.allowKeyCollisions = allowKeyCollisions;
    else {
      issues.push({ path: [...path, 'allowKeyCollisions'], message: `expected a boolean, got ${describeValue(allowKeyCollisions)}` });
      ok = false;
    }
  }
  if (otherwise === 'error') flags.otherwise = 'error';
  else if (otherwise !== undefined) {
    const ref = checkPartTransformer(otherwise, [...path, 'otherwise'], registry, issues, 'otherwise');
    if (ref === undefined) ok = false;
    else flags.otherwise = ref;
  }
  const templatePath = [...path, 'template'];
  let resolved: TransformerRef | undefined;
  if (typeof template === 'string') {
    resolved = resolveTemplates([template], [templatePath], registry, parts, issues, flags);
  } else if (Array.isArray(template)) {
    resolved = resolveTemplateList(template, templatePath, registry, parts, issues, flags);
  } else {
    issues.push({ path: templatePath, message: `expected a template or a list of them, got ${describeValue(template)}` });
  }
  return ok ? resolved : undefined;
}

/** `where[i]` is where `sources[i]` is written, for messages. */
function resolveTemplates(
  sources: string[],
  where: DocPath[],
  registry: TransformerRegistry,
  parts: Parts,
  issues: PathIssue[],
  flags: TemplateFlags,
): TransformerRef | undefined {
  const before = issues.length;
  let brokenPart = false;
  const templates: (Template | undefined)[] = sources.map((source, i) => {
    try {
      return parseTemplate(source);
    } catch (error) {
      if (!(error instanceof TemplateSyntaxError)) throw error;
      issues.push({ path: where[i]!, message: `bad template ${JSON.stringify(source)}: ${error.message}` });
      return undefined;
    }
  });

  const used: Record<string, TransformerRef> = {};
  for (const [i, template] of templates.entries()) {
    if (template === undefined) continue;
    for (const name of new Set(template.parts)) {
      const part = parts.get(name);
      if (part === undefined) {
        const known = [...parts.keys()];
        const listed = known.length === 0 ? 'the job defines no parts (top-level or table `parts:`)' : `the parts are ${known.map((k) => `"${k}"`).join(', ')}`;
        issues.push({ path: where[i]!, message: `unknown part {${name}} in template ${JSON.stringify(template.source)}${didYouMean(name, known)}; ${listed}` });
      } else if (part.ref !== undefined) {
        used[name] = part.ref;
      } else {
        // Its own problem is reported where the part is defined: one mistake, one message.
        brokenPart = true;
      }
    }
  }

  const valid = templates.flatMap((template, i) => (template === undefined ? [] : [{ template, at: where[i]! }]));
  for (const [i, { template: a }] of valid.entries()) {
    for (const { template: b, at } of valid.slice(i + 1)) {
      const witness = overlapWitness(a, b);
      if (witness === undefined) continue;
      issues.push({
        path: at,
        message: `templates ${listTemplates([a.source, b.source])} both match some strings (such as ${JSON.stringify(witness)}); each value must match one template at most`,
      });
    }
  }
  if (issues.length > before || brokenPart) return undefined;
  return templateRef({ templates: sources, parts: used, otherwise: flags.otherwise ?? 'error' }, flags.allowKeyCollisions === true);
}
