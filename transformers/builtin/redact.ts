import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import { attributeType } from '../../model/item.ts';
import { defineTransformer } from '../definition.ts';
import type { Path } from '../../model/path.ts';
import { TransformTypeError } from '../errors.ts';

export const redact = defineTransformer({
  name: 'redact',
  description:
    'Replaces a scalar (S, N, B, BOOL, NULL) with a fixed text (S). A set becomes a one-element SS of that text, since a set cannot hold ' +
    'the same text twice. An empty S or B becomes an empty S: it held nothing to hide.',
  accepts: ['S', 'N', 'B', 'BOOL', 'NULL', 'SS', 'NS', 'BS'],
  produces: 'S',
  uniqueness: 'lossy',
  options: z.strictObject({
    text: z.string().min(1).default('[REDACTED]').describe('The text written in place of the value.'),
  }),
  dependsOnSalt: false,
  sample: { input: (i) => ({ S: `secret ${i}` }) },
  make({ text }, { name, accepts }) {
    return (value: AttributeValue, path: Path) => {
      const type = attributeType(value);
      if (accepts !== 'any' && !accepts.includes(type)) throw new TransformTypeError(path, name, accepts, type);
      if (value.SS !== undefined || value.NS !== undefined || value.BS !== undefined) return { SS: [text] };
      if (value.S === '' || value.B?.length === 0) return { S: '' };
      return { S: text };
    };
  },
});
