/**
 * Every built-in transformer, listed explicitly: adding one is its file plus
 * one line here. The order is the order of the README reference.
 */
import type { SampledDefinition } from '../definition.ts';
import { createRegistry } from '../registry.ts';
import { categorical } from './categorical.ts';
import { characterScramble } from './characterScramble.ts';
import { city } from './city.ts';
import { constant } from './constant.ts';
import { country } from './country.ts';
import { creditCard } from './creditCard.ts';
import { dateShift } from './dateShift.ts';
import { drop } from './drop.ts';
import { email } from './email.ts';
import { firstName } from './firstName.ts';
import { fullAddress } from './fullAddress.ts';
import { fullName } from './fullName.ts';
import { hash } from './hash.ts';
import { iban } from './iban.ts';
import { ipv4 } from './ipv4.ts';
import { ipv6 } from './ipv6.ts';
import { lastName } from './lastName.ts';
import { latitude } from './latitude.ts';
import { longitude } from './longitude.ts';
import { lorem } from './lorem.ts';
import { mask } from './mask.ts';
import { nullTransformer } from './null.ts';
import { passthrough } from './passthrough.ts';
import { permuteId } from './permuteId.ts';
import { phone } from './phone.ts';
import { randomFloat } from './randomFloat.ts';
import { randomInt } from './randomInt.ts';
import { redact } from './redact.ts';
import { ssn } from './ssn.ts';
import { state } from './state.ts';
import { streetAddress } from './streetAddress.ts';
import { url } from './url.ts';
import { userAgent } from './userAgent.ts';
import { username } from './username.ts';
import { uuid } from './uuid.ts';
import { zipCode } from './zipCode.ts';

/** Each brings a sample: the benchmark and the determinism test run every one. */
export const builtinTransformers: readonly SampledDefinition<any>[] = [
  // people and contact
  firstName,
  lastName,
  fullName,
  username,
  email,
  phone,
  ssn,
  creditCard,
  iban,
  // places
  streetAddress,
  city,
  state,
  zipCode,
  country,
  fullAddress,
  latitude,
  longitude,
  // identifiers and network
  permuteId,
  uuid,
  ipv4,
  ipv6,
  url,
  userAgent,
  // numbers and time
  randomInt,
  randomFloat,
  dateShift,
  // text and masking
  characterScramble,
  mask,
  hash,
  redact,
  lorem,
  categorical,
  // structural
  passthrough,
  nullTransformer,
  constant,
  drop,
];

export const builtinRegistry = createRegistry(builtinTransformers);
