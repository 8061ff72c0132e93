/**
 * The inverse of a template mapping (template-function.ts), where its parts
 * have inverses: the one source string the mapping turns into a given
 * output, or undefined when none does.
 *
 * Why it is exact: an output of template T always matches T again (its
 * transformed parts are non-empty and hold no separator of T, or the
 * forward function fails), and no string matches two templates of a mapping
 * (parseDisjointTemplates). So the template an output matches is the one its
 * source matched, and each part's text is the image of the source's part:
 * inverting every part and writing T back gives the source. A source part
 * is non-empty and separator-free by how matching works, so an inverted
 * part that is not cannot have come from any source.
 *
 * A string that matches no template came, with `otherwise: passthrough`,
 * from itself (a copied value matches no template, and a transformed one
 * always matches its own); with `otherwise: error` from nothing. Any other
 * `otherwise` transformer has no inverse here: its output may match a
 * template and stand for a transformed value too.
 */
import type { TransformerRef } from '../../model/job.ts';
import type { InverseFunction } from '../definition.ts';
import { isPartText, matchTemplate, renderTemplate } from './template-match.ts';
import { parseDisjointTemplates } from './template-overlap.ts';
import type { TemplateOptions } from './template-ref.ts';

/** Builds the inverse of a part's transformer; the caller has checked it has one. */
export type PartInverter = (ref: TransformerRef) => InverseFunction;

/** Whether a template mapping's `otherwise` leaves it invertible: an error, or values copied as they are. */
export function otherwiseIsInvertible(options: Pick<TemplateOptions, 'otherwise'>): boolean {
  return options.otherwise === 'error' || options.otherwise.type === 'passthrough';
}

export function templateInverseFunction(options: TemplateOptions, invertPart: PartInverter): InverseFunction {
  if (!otherwiseIsInvertible(options)) throw new Error(`a template mapping whose otherwise is transformer "${(options.otherwise as TransformerRef).type}" has no inverse: its output may match a template`);
  const compiled = parseDisjointTemplates(options.templates).map((template) => ({
    template,
    parts: template.parts.map((name) => {
      const ref = options.parts[name];
      if (ref === undefined) throw new Error(`template ${JSON.stringify(template.source)} uses part {${name}}, which has no transformer`);
      return invertPart(ref);
    }),
  }));
  const copiesOthers = options.otherwise !== 'error';

  return (value) => {
    if (value.S === undefined) return undefined;
    // The forward function leaves an empty string empty.
    if (value.S === '') return value;
    for (const { template, parts } of compiled) {
      const texts = matchTemplate(template, value.S);
      if (texts === undefined) continue;
      const sources: string[] = [];
      for (const [i, text] of texts.entries()) {
        const source = parts[i]!({ S: text })?.S;
        if (source === undefined || !isPartText(template, source)) return undefined;
        sources.push(source);
      }
      return { S: renderTemplate(template, sources) };
    }
    return copiesOthers ? value : undefined;
  };
}
