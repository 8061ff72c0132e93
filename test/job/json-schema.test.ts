import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { jobJsonSchema, renderJobJsonSchema } from '../../src/job/json-schema.ts';
import { parseJob } from '../../src/job/job-loader.ts';
import { jobJsonSchemaFile } from '../../src/job/write-json-schema.ts';
import { testRegistry } from './fixtures/test-registry.ts';

type Json = Record<string, any>;

describe('jobJsonSchema', () => {
  const schema = jobJsonSchema(testRegistry) as Json;

  it('describes every transformer by name and as { type, ...options }', () => {
    const ref = schema.definitions.transformer as Json;
    const [names, mappings] = [ref.anyOf.slice(0, -1), ref.anyOf.at(-1)];
    expect(names.map((name: Json) => name.const)).toEqual(['passthrough', 'email', 'fullName', 'constant']);
    expect(names[1]).toEqual({ type: 'string', const: 'email', description: 'A fake email address.' });
    const email = mappings.oneOf.find((mapping: Json) => mapping.properties.type.const === 'email');
    expect(email).toEqual({
      type: 'object',
      properties: {
        type: { type: 'string', const: 'email', description: 'A fake email address.' },
        preserveDomain: { type: 'boolean', default: false },
      },
      required: ['type'],
      additionalProperties: false,
    });
    const constant = mappings.oneOf.find((mapping: Json) => mapping.properties.type.const === 'constant');
    expect(constant.required).toEqual(['type', 'value']);
  });

  it('uses that one definition for type defaults and parts, and in mappings beside templates', () => {
    expect(schema.properties.tables.items.properties.transformers.additionalProperties).toEqual({ $ref: '#/definitions/mapping' });
    const mapping = schema.definitions.mapping as Json;
    expect(mapping.anyOf[0]).toEqual({ $ref: '#/definitions/transformer' });
    expect(mapping.anyOf[1]).toMatchObject({ type: 'string', pattern: '\\{' });
    expect(mapping.anyOf[2]).toMatchObject({ type: 'array', items: { type: 'string' } });
    expect(Object.keys(mapping.anyOf[3].properties)).toEqual(['template', 'otherwise', 'allowKeyCollisions']);
    expect(schema.properties.parts.additionalProperties).toEqual({ $ref: '#/definitions/transformer' });
    expect(schema.properties.tables.items.properties.parts.additionalProperties).toEqual({ $ref: '#/definitions/transformer' });
    expect(Object.keys(schema.properties.defaults.properties)).toEqual(['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS']);
    // draft-07 ignores keywords beside $ref, so zod wraps an optional use in allOf.
    expect(schema.properties.defaults.properties.S).toEqual({ allOf: [{ $ref: '#/definitions/transformer' }] });
  });

  it('is strict and marks only what a user must write as required', () => {
    expect(schema.required).toEqual(['name', 'connections', 'tables']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.tables.items.required).toEqual(['source']);
    expect(schema.properties.tables.items.additionalProperties).toBe(false);
  });
});

describe('schema/job.schema.json', () => {
  it('is up to date with the built-in transformers (run `npm run schema` when this fails)', async () => {
    expect(await readFile(jobJsonSchemaFile, 'utf8')).toBe(renderJobJsonSchema(builtinRegistry));
  });
});

describe('parseJob with its default registry', () => {
  it('knows the built-in transformers', () => {
    const text = 'name: n\nconnections:\n  a: {}\n  b: { region: eu-west-1 }\nsource: a\ndestination: b\ntables:\n  - source: Users\n    transformers:\n      Email: email\n';
    expect(parseJob(text, 'x.yaml', undefined, {}).tables[0]!.transformers).toEqual({ Email: { type: 'email', options: { preserveDomain: false, preserveLength: false, excludedDomains: [] } } });
  });
});
