import { z } from 'zod';
import { defineTransformer } from '../definition.ts';
import { transformerScope } from '../seed-scope.ts';
import { KeyedDigest } from '../keyed-digest.ts';
import { mappedValueFunction } from '../seeded-values.ts';

/** Bits of the digest each written character carries. */
const BITS_PER_CHARACTER = { hex: 4, base64: 6 } as const;

export const hash = defineTransformer({
  name: 'hash',
  description:
    'Replaces a string (S) or binary (B) with its HMAC-SHA-256 keyed by the job salt, as text (S; a set gives SS). ' +
    'The same input gives the same hash in every table of the job, so joins on hashed keys keep working; without the salt it cannot be recomputed.',
  accepts: ['S', 'SS', 'B', 'BS'],
  produces: 'S',
  uniqueness: {
    of: ({ encoding, length }) => (length === undefined || length * BITS_PER_CHARACTER[encoding] >= 128 ? 'preserved' : 'not guaranteed'),
    says: 'preserved at 128 bits or more (full length, or a `length` of at least 32 hex or 22 base64 characters); not guaranteed below',
  },
  options: z.strictObject({
    encoding: z.enum(['hex', 'base64']).default('hex').describe('How the digest is written: hex (64 characters) or base64 (44).'),
    length: z.int().min(8).max(64).optional().describe('Keep only the first this many characters (at least 8).'),
  }),
  sample: { input: (i) => ({ S: `customer-${i}` }) },
  make({ encoding, length }, context) {
    // The digest's key material besides the salt: the context's seed scope
    // without the options, which only choose how the digest is written. So a
    // value hashes to the same digest in every table and with every option
    // (a shorter hash is a prefix of the longer one), and joins on hashed
    // keys keep working.
    const keyed = new KeyedDigest(context.salt, transformerScope(context.name, {}));
    return mappedValueFunction(context, {
      output: 'S',
      map(input, type) {
        const digest = (type === 'B' ? keyed.digestBytes(Buffer.from(input, 'base64')) : keyed.digest(input)).toString(encoding);
        return length === undefined ? digest : digest.slice(0, length);
      },
    });
  },
});
