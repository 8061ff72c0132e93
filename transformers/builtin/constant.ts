import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import { defineTransformer } from '../definition.ts';

export const constant = defineTransformer({
  name: 'constant',
  description: 'Replaces the value with a fixed one: a string (S), a number (N), a boolean (BOOL) or null (NULL).',
  accepts: 'any',
  produces: 'any',
  uniqueness: 'lossy',
  options: z.strictObject({
    value: z.union([z.string(), z.number(), z.boolean(), z.null()]).describe('The value to write; its JSON type picks the DynamoDB type.'),
  }),
  dependsOnSalt: false,
  sample: { options: { value: 'x' }, input: (i) => ({ S: `value ${i}` }) },
  make({ value }) {
    const output: AttributeValue =
      value === null ? { NULL: true } : typeof value === 'string' ? { S: value } : typeof value === 'number' ? { N: String(value) } : { BOOL: value };
    // A fresh object per value: items must not share (and so alias) AttributeValues.
    return () => ({ ...output });
  },
});
