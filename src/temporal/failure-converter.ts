/**
 * The failure converter of an encrypting data converter: the default one
 * with `encodeCommonAttributes`, which moves each failure's message and
 * stack trace into an encoded payload (so the payload codec encrypts them
 * too) and leaves "Encoded failure" where Temporal shows the message.
 *
 * Loaded by path (DataConverter.failureConverterPath): the worker bundles it
 * into the workflow code, so it imports nothing but @temporalio/common.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
