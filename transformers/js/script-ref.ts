/**
 * How a JavaScript mapping travels in a Job: `{ js: "<code>" }` in the job
 * file becomes the TransformerRef `{ type: "js", options: { code } }`, and
 * `{ jsGenerate: "<code>" }` becomes `{ type: "jsGenerate", ... }`. The
 * registry knows neither name: the plan hands these refs to the sandbox.
 */
import type { TransformerRef } from '../../model/job.ts';

export type ScriptKind = 'js' | 'jsGenerate';
export const SCRIPT_KINDS: readonly ScriptKind[] = ['js', 'jsGenerate'];

export interface ScriptRef extends TransformerRef {
  type: ScriptKind;
  options: { code: string };
}

export function isScriptRef(ref: TransformerRef): ref is ScriptRef {
  return (ref.type === 'js' || ref.type === 'jsGenerate') && typeof ref.options.code === 'string';
}

export function scriptRef(kind: ScriptKind, code: string): ScriptRef {
  return { type: kind, options: { code } };
}

/** The arguments each kind receives, in order. */
export const SCRIPT_PARAMETERS: Readonly<Record<ScriptKind, readonly string[]>> = {
  js: ['value', 'item', 'path'],
  jsGenerate: ['item', 'path'],
};

/** What the editor schema and error messages say about each form. */
export const SCRIPT_DESCRIPTIONS: Readonly<Record<ScriptKind, string>> = {
  js: 'JavaScript that returns the new value: a function body (or one expression) receiving `value`, the read-only source `item` and `path`; runs in an isolated sandbox.',
  jsGenerate:
    'JavaScript that returns a value computed from the read-only source `item` (and `path`), whatever the attribute held; on a path of attribute names it also adds the attribute to items that lack it.',
};
