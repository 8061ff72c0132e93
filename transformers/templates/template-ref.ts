/**
 * How a template mapping travels in a Job: `pk: ["USER#{userId}", "ORG#{orgId}"]`
 * in the job file becomes the TransformerRef
 * `{ type: "template", options: { templates, parts, otherwise } }`, with each
 * part's transformer resolved from the job's (and the table's) `parts`, so
 * the Job carries all a plan needs. The registry knows no `template`: the
 * plan builds these itself (template-function.ts).
 */
import type { TransformerRef } from '../../model/job.ts';

export const TEMPLATE_TYPE = 'template';

export interface TemplateOptions {
  /** The templates as written, tried in order. */
  templates: string[];
  /** Each part name the templates use -> its transformer. */
  parts: Record<string, TransformerRef>;
  /** A value that matches no template: an error (default), or this transformer's output. */
  otherwise: 'error' | TransformerRef;
}

export interface TemplateRef extends TransformerRef {
  type: typeof TEMPLATE_TYPE;
  options: TemplateOptions & Record<string, unknown>;
}

export function isTemplateRef(ref: TransformerRef): ref is TemplateRef {
  return ref.type === TEMPLATE_TYPE && Array.isArray(ref.options.templates);
}

export function templateRef(options: TemplateOptions, allowKeyCollisions = false): TemplateRef {
  return { type: TEMPLATE_TYPE, options: { ...options }, ...(allowKeyCollisions ? { allowKeyCollisions: true as const } : {}) };
}
