import type { Faker } from '@faker-js/faker';
import { z } from 'zod';
import { defineTransformer } from '../definition.ts';
import { seededValueFunction } from '../seeded-values.ts';

/** `123-45-6789`, `123 45 6789` or `123456789`: the separator is kept. */
const SSN_SHAPE = /^\d{3}([- ]?)\d{2}\1\d{4}$/;

export const ssn = defineTransformer({
  name: 'ssn',
  description:
    'Replaces a US Social Security number with a fake one in the valid ranges (area not 000, 666 or 900-999; group not 00; ' +
    'serial not 0000), derived from the salt and the input. Keeps the input\'s separator ("-", " " or none) when it looks ' +
    'like an SSN, else writes AAA-GG-SSSS. An empty string stays empty.',
  accepts: ['S', 'SS'],
  produces: 'same',
  uniqueness: 'not guaranteed',
  options: z.strictObject({}),
  sample: { input: (i) => ({ S: `123-45-${String(i + 1).padStart(4, '0')}` }) },
  make(_options, context) {
    const fake = (faker: Faker, input: string): string => {
      const separator = SSN_SHAPE.exec(input)?.[1] ?? '-';
      const drawn = faker.number.int({ min: 1, max: 898 });
      const area = drawn >= 666 ? drawn + 1 : drawn; // 001-665, 667-899
      const group = faker.number.int({ min: 1, max: 99 });
      const serial = faker.number.int({ min: 1, max: 9999 });
      return [String(area).padStart(3, '0'), String(group).padStart(2, '0'), String(serial).padStart(4, '0')].join(separator);
    };
    return seededValueFunction(context, { outputNoun: 'fake', derive: fake });
  },
});
