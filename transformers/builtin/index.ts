/**
 * Every built-in transformer, listed explicitly: adding one is its file plus
 * one line here.
 */
import { createRegistry } from '../registry.ts';
import { constant } from './constant.ts';
import { drop } from './drop.ts';
import { email } from './email.ts';
import { firstName } from './firstName.ts';
import { fullName } from './fullName.ts';
import { lastName } from './lastName.ts';
import { nullTransformer } from './null.ts';
import { passthrough } from './passthrough.ts';

export const builtinTransformers = [passthrough, nullTransformer, constant, drop, email, firstName, lastName, fullName];

export const builtinRegistry = createRegistry(builtinTransformers);
