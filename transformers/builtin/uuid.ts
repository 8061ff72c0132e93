import { z } from 'zod';
import { defineTransformer } from '../definition.ts';
import { seededValueFunction } from '../seeded-values.ts';
import { hexCase } from './_hex-case.ts';

const DASHLESS = /^[0-9a-f]{32}$/i;

export const uuid = defineTransformer({
  name: 'uuid',
  description:
    'Replaces the value with a random-format (version 4) UUID derived from the salt and the input, so equal inputs keep matching across items and tables. Upper case when the input is; without dashes when the input is 32 hex digits.',
  accepts: ['S', 'SS'],
  produces: 'same',
  uniqueness: 'not guaranteed',
  options: z.strictObject({}),
  sample: { input: (i) => ({ S: `3f2504e0-4f89-41d3-9a0c-0305e82c${String(i).padStart(4, '0')}` }) },
  make: (_options, context) =>
    seededValueFunction(context, {
      outputNoun: 'fake',
      derive(faker, input) {
        let out = faker.string.uuid();
        if (DASHLESS.test(input)) out = out.replaceAll('-', '');
        return hexCase(input) === 'upper' ? out.toUpperCase() : out;
      },
    }),
});
