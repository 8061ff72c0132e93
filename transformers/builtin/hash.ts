import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { AttributeType } from '../../model/item.ts';
import { defineTransformer } from '../definition.ts';
import { transformerScope } from '../seeded-faker.ts';
import { mappedValueFunction } from '../seeded-values.ts';

/**
 * The digest's key material besides the salt. It leaves the options out:
 * they only choose how the digest is written, so a value hashes to the same
 * digest in every table and with every option (a shorter hash is a prefix
 * of the longer one), and joins on hashed keys keep working.
 */
const SCOPE = transformerScope('hash', {});

const ACCEPTS: readonly AttributeType[] = ['S', 'SS', 'B', 'BS'];

export const hash = defineTransformer({
  name: 'hash',
  description:
    'Replaces a string (S) or binary (B) with its HMAC-SHA-256 keyed by the job salt, as text (S; a set gives SS). ' +
    'The same input gives the same hash in every table of the job, so joins on hashed keys keep working; without the salt it cannot be recomputed.',
  accepts: ACCEPTS,
  produces: 'S',
  options: z.strictObject({
    encoding: z.enum(['hex', 'base64']).default('hex').describe('How the digest is written: hex (64 characters) or base64 (44).'),
    length: z.int().min(8).max(64).optional().describe('Keep only the first this many characters (at least 8).'),
  }),
  make({ encoding, length }, context) {
    return mappedValueFunction({
      name: 'hash',
      accepts: ACCEPTS,
      output: 'S',
      map(input, type) {
        const bytes = type === 'B' ? Buffer.from(input, 'base64') : Buffer.from(input, 'utf8');
        const digest = createHmac('sha256', context.salt).update(SCOPE).update(bytes).digest(encoding);
        return length === undefined ? digest : digest.slice(0, length);
      },
    });
  },
});
