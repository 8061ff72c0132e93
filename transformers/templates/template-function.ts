/**
 * The value function of a template mapping: the first template the value
 * matches (template-match.ts) gives its parts, each part goes through its
 * transformer, and the fixed text stays. A value that matches none is an
 * error naming the path and the templates, or goes through `otherwise`.
 *
 * Why it is one to one when its parts are: every transformed part must be
 * non-empty and hold no separator of its template, or the value fails here,
 * so every output matches its own template and reads back to the
 * transformed parts. Two different inputs of one template differ in some
 * part, whose transformer keeps them apart; inputs of different templates
 * come out matching different templates, which no string matches both of
 * (checked here as in the loader); a value copied by `otherwise:
 * passthrough` matches none. So outputs meet only where a part's transformer
 * merges.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { TransformerRef } from '../../model/job.ts';
import { attributeType } from '../../model/item.ts';
import { formatPath, type Path } from '../../model/path.ts';
import { DROP, type ValueFunction } from '../definition.ts';
import { TemplateMismatchError, TransformTypeError } from '../errors.ts';
import { isPartText, matchTemplate, renderTemplate } from './template-match.ts';
import { parseDisjointTemplates } from './template-overlap.ts';
import type { TemplateOptions } from './template-ref.ts';
import { listTemplates, type Template } from './template-syntax.ts';

export const TEMPLATE_ACCEPTS = ['S', 'SS'] as const;

/** Builds (or reuses) the value function of a part's transformer. */
export type PartInstantiator = (ref: TransformerRef) => ValueFunction;

export function templateValueFunction(options: TemplateOptions, instantiate: PartInstantiator): ValueFunction {
  const templates = parseDisjointTemplates(options.templates);
  const compiled = templates.map((template) => ({
    template,
    parts: template.parts.map((name) => {
      const ref = options.parts[name];
      if (ref === undefined) throw new Error(`template ${JSON.stringify(template.source)} uses part {${name}}, which has no transformer`);
      return { name, type: ref.type, fn: instantiate(ref) };
    }),
  }));
  const otherwise = options.otherwise === 'error' ? undefined : { type: options.otherwise.type, fn: instantiate(options.otherwise) };
  const all = listTemplates(options.templates);

  const one = (value: string, path: Path): string => {
    for (const { template, parts } of compiled) {
      const texts = matchTemplate(template, value);
      if (texts === undefined) continue;
      const outputs = texts.map((text, i) => {
        const part = parts[i]!;
        const out = stringOf(part.fn({ S: text }, path), path, `part {${part.name}}'s transformer "${part.type}"`);
        if (!isPartText(template, out)) throw unreadable(template, part, path, out === '');
        return out;
      });
      return renderTemplate(template, outputs);
    }
    if (otherwise === undefined) throw new TemplateMismatchError(path, all);
    return stringOf(otherwise.fn({ S: value }, path), path, `otherwise's transformer "${otherwise.type}"`);
  };

  return (value: AttributeValue, path: Path) => {
    if (value.S !== undefined) return { S: value.S === '' ? '' : one(value.S, path) };
    if (value.SS !== undefined) {
      // Elements that come out alike merge, as sets do.
      const out = [...new Set(value.SS.map((element) => (element === '' ? '' : one(element, path))))];
      return { SS: out };
    }
    throw new TransformTypeError(path, 'template', TEMPLATE_ACCEPTS, attributeType(value));
  };
}

function stringOf(out: AttributeValue | typeof DROP, path: Path, what: string): string {
  if (out !== DROP && out.S !== undefined) return out.S;
  throw new Error(`${formatPath(path)}: ${what} gave ${out === DROP ? 'nothing' : attributeType(out)}; a template part needs a string`);
}

function unreadable(template: Template, part: { name: string; type: string }, path: Path, empty: boolean): Error {
  const separators = [...template.separators].map((code) => JSON.stringify(String.fromCharCode(code))).join(', ');
  const why = empty ? 'an empty string' : `a value holding a separator of the template (${separators})`;
  return new Error(
    `${formatPath(path)}: part {${part.name}} of template ${JSON.stringify(template.source)} became ${why} through transformer "${part.type}", so the result would not read back as the template (and could meet another); use a part transformer whose output has none`,
  );
}
