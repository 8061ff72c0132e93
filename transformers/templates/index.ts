/**
 * Templates: transform the identifiers inside structured strings
 * (`ORDER#{date}#{orderId}`) and keep the rest. Syntax and semantics in
 * template-syntax.ts; matching, overlap, the value function and its inverse
 * beside it.
 */
export { isTemplateText, listTemplates, parseTemplate, TemplateSyntaxError, type Template, type TemplateToken } from './template-syntax.ts';
export { isPartText, matchTemplate, renderTemplate } from './template-match.ts';
export { overlapWitness, parseDisjointTemplates } from './template-overlap.ts';
export { isTemplateRef, templateRef, TEMPLATE_TYPE, type TemplateOptions, type TemplateRef } from './template-ref.ts';
export { TEMPLATE_ACCEPTS, templateValueFunction, type PartInstantiator } from './template-function.ts';
export { otherwiseIsInvertible, templateInverseFunction, type PartInverter } from './template-inverse.ts';
