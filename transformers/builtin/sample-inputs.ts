/**
 * Realistic inputs, and options where a transformer needs some, for every
 * built-in: the benchmark and the cross-process determinism test use them.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

export interface SampleInput {
  options?: Record<string, unknown>;
  /** The i-th distinct input. */
  input: (i: number) => AttributeValue;
}

export const SAMPLE_INPUTS: Record<string, SampleInput> = {
  passthrough: { input: (i) => ({ S: `value ${i}` }) },
  null: { input: (i) => ({ S: `value ${i}` }) },
  constant: { options: { value: 'x' }, input: (i) => ({ S: `value ${i}` }) },
  drop: { input: (i) => ({ S: `value ${i}` }) },
  email: { input: (i) => ({ S: `jane.doe${i}@example.com` }) },
  firstName: { input: (i) => ({ S: `Jane${i}` }) },
  lastName: { input: (i) => ({ S: `Doe${i}` }) },
  fullName: { input: (i) => ({ S: `Jane Doe ${i}` }) },
  username: { input: (i) => ({ S: `jdoe${i}` }) },
  phone: { input: (i) => ({ S: `+1 (555) 010-${String(i).padStart(4, '0')}` }) },
  ssn: { input: (i) => ({ S: `123-45-${String(i + 1).padStart(4, '0')}` }) },
  creditCard: { input: (i) => ({ S: `4111 1111 1111 ${String(i).padStart(4, '0')}` }) },
  iban: { input: () => ({ S: 'DE89370400440532013000' }) },
  streetAddress: { input: (i) => ({ S: `${i} Main Street` }) },
  city: { input: (i) => ({ S: `Springfield ${i}` }) },
  state: { input: (i) => ({ S: `State ${i}` }) },
  zipCode: { input: (i) => ({ S: String(10000 + i) }) },
  country: { input: (i) => ({ S: `Country ${i}` }) },
  fullAddress: { input: (i) => ({ S: `${i} Main Street, Springfield, IL 62704` }) },
  latitude: { input: (i) => ({ N: `${(i % 90) + 0.123456}` }) },
  longitude: { input: (i) => ({ N: `${(i % 180) - 0.654321}` }) },
  uuid: { input: (i) => ({ S: `3f2504e0-4f89-41d3-9a0c-0305e82c${String(i).padStart(4, '0')}` }) },
  ipv4: { input: (i) => ({ S: `10.0.${i % 256}.${(i * 7) % 256}` }) },
  ipv6: { input: (i) => ({ S: `2001:db8::${i.toString(16)}` }) },
  url: { input: (i) => ({ S: `https://example.com/users/${i}` }) },
  userAgent: { input: (i) => ({ S: `Mozilla/5.0 (X11; Linux x86_64) Agent/${i}` }) },
  randomInt: { options: { percent: 10 }, input: (i) => ({ N: String(1000 + i) }) },
  randomFloat: { options: { percent: 10 }, input: (i) => ({ N: `${i}.25` }) },
  dateShift: { input: (i) => ({ S: `2013-09-${String((i % 28) + 1).padStart(2, '0')}T00:00:00Z` }) },
  characterScramble: { input: (i) => ({ S: `Order #${i}, shipped to Jane Doe` }) },
  mask: { input: (i) => ({ S: `4111111111${String(i).padStart(6, '0')}` }) },
  hash: { input: (i) => ({ S: `customer-${i}` }) },
  redact: { input: (i) => ({ S: `secret ${i}` }) },
  lorem: { input: (i) => ({ S: `A re-creation of the rivalry number ${i}.` }) },
  categorical: { options: { values: ['red', 'green', 'blue'] }, input: (i) => ({ S: `colour ${i}` }) },
};
