import { z } from 'zod';
import { defineTransformer } from '../definition.ts';
import { seededValueFunction } from '../seeded-values.ts';

const DOTTED_QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export const ipv4 = defineTransformer({
  name: 'ipv4',
  description:
    'Replaces an IPv4 address with a fake one in dotted-quad form, derived from the salt and the input. A value that is not a dotted-quad address gets a fully random one.',
  accepts: ['S', 'SS'],
  produces: 'same',
  uniqueness: 'not guaranteed',
  options: z.strictObject({
    preserveSubnet: z
      .int()
      .min(0)
      .max(31)
      .default(0)
      .describe('Leading bits of the input address to keep (24 keeps "192.168.7" of "192.168.7.20"); the rest are random.'),
  }),
  sample: { input: (i) => ({ S: `10.0.${i % 256}.${(i * 7) % 256}` }) },
  make(options, context) {
    const hostBits = 32 - options.preserveSubnet;
    const networkMask = hostBits === 32 ? 0 : (0xffffffff << hostBits) >>> 0;
    const maxHost = 2 ** hostBits - 1;
    return seededValueFunction(context, {
      outputNoun: 'fake',
      derive(faker, input) {
        const address = parseIpv4(input);
        const network = address === undefined ? 0 : (address & networkMask) >>> 0;
        const host = faker.number.int(address === undefined ? 0xffffffff : maxHost);
        return formatIpv4(network + host);
      },
    });
  },
});

function parseIpv4(text: string): number | undefined {
  const match = DOTTED_QUAD.exec(text);
  if (match === null) return undefined;
  let address = 0;
  for (let i = 1; i <= 4; i++) {
    const octet = Number(match[i]);
    if (octet > 255) return undefined;
    address = address * 256 + octet;
  }
  return address;
}

function formatIpv4(address: number): string {
  return `${address >>> 24}.${(address >>> 16) & 255}.${(address >>> 8) & 255}.${address & 255}`;
}
