/**
 * The JSON Schema of job files, for editors: with the yaml-language-server a
 * job file that starts with
 *
 *   # yaml-language-server: $schema=../schema/job.schema.json
 *
 * gets completion, hover docs and checks as it is typed. It is built from
 * the loader's own zod schema (job-schema.ts) with one alternative per
 * transformer of the registry, so it cannot drift from what the loader
 * accepts; `npm run schema` writes it and a test fails when it is stale.
 * The loader still checks more than the schema can say (connection
 * references, attribute path syntax, destination versus source).
 */
import { z } from 'zod';
import { SCRIPT_DESCRIPTIONS, SCRIPT_KINDS } from '../../transformers/js/script-ref.ts';
import type { TransformerRegistry } from '../../transformers/registry.ts';
import { jobSchema } from './job-schema.ts';

/**
 * A transformer name alone, `{ type: name, ...options }` with that
 * transformer's options, or a script: `{ js: code }` or `{ jsGenerate: code }`.
 */
export function transformerRefSchema(registry: TransformerRegistry): z.ZodType {
  const definitions = registry.definitions;
  if (definitions.length === 0) return z.never();
  const names = definitions.map((definition) => z.literal(definition.name).describe(definition.description));
  const scripts = SCRIPT_KINDS.map((kind) => z.strictObject({ [kind]: z.string().min(1).describe(SCRIPT_DESCRIPTIONS[kind]) }));
  // Scripts last, so that the mappings keep their place at the head of the list.
  const mappings = [
    ...definitions.map((definition) => z.strictObject({ type: z.literal(definition.name).describe(definition.description), ...definition.options.shape })),
    ...scripts,
  ];
  const [firstMapping, ...otherMappings] = mappings;
  return z
    .union([
      ...names,
      ...(registry.get('null') ? [z.null().describe('YAML null: the null transformer.')] : []),
      otherMappings.length === 0 ? firstMapping! : z.xor([firstMapping!, ...otherMappings]),
    ])
    // An id makes it one definition that every use refers to, rather than eleven copies.
    .meta({ id: 'transformer', description: 'A transformer: its name alone, { type: <name>, ...options }, or JavaScript: { js: <code> } or { jsGenerate: <code> }.' });
}

/**
 * What a table's `transformers` maps a path to: a transformer, or templates
 * (a string holding `{`, a list of them, or the long form with `otherwise`
 * and `allowKeyCollisions`).
 */
export function mappingRefSchema(transformer: z.ZodType): z.ZodType {
  const template = z.string().regex(/\{/).describe('A template: fixed text and {parts}, such as "USER#{userId}"; each part goes through its transformer from `parts`.');
  const templates = z.array(z.string().min(1)).min(1).describe('Templates tried in order, such as ["PROFILE", "ORDER#{date}#{orderId}"]; a value must match one.');
  const longForm = z
    .strictObject({
      template: z.union([z.string().min(1).describe('One template, such as "USER#{userId}".'), templates]),
      otherwise: z
        .union([z.literal('error'), transformer])
        .optional()
        .describe('What a value that matches no template becomes: error (default), or a transformer\'s output (passthrough copies it).'),
      allowKeyCollisions: z.boolean().optional().describe('Allow this key mapping to map two keys to one; the run counts the items that merge.'),
    })
    .describe('Templates with options.');
  return z
    .union([transformer, template, templates, longForm])
    .meta({ id: 'mapping', description: 'A transformer, or template(s) whose {parts} go through the transformers of `parts`.' });
}

export function jobJsonSchema(registry: TransformerRegistry): Record<string, unknown> {
  const transformer = transformerRefSchema(registry);
  return z.toJSONSchema(jobSchema(transformer, mappingRefSchema(transformer)), {
    // What a user writes: fields with defaults are optional.
    io: 'input',
    // yaml-language-server and most editors know draft-07 best.
    target: 'draft-07',
    // An option schema may hold a check JSON Schema cannot express; the loader still runs it.
    unrepresentable: 'any',
    reused: 'inline',
  });
}

/** The file content of schema/job.schema.json. */
export function renderJobJsonSchema(registry: TransformerRegistry): string {
  return `${JSON.stringify(jobJsonSchema(registry), null, 2)}\n`;
}
