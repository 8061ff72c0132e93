import { describe, expect, it } from 'vitest';
import { matchTemplate, parseTemplate, renderTemplate } from '../../transformers/templates/index.ts';
import { namedKey, referringValue } from './reference-values.ts';

describe('reference values', () => {
  it('without a template: the key itself, and only a value of the key type names one', () => {
    const plan = {};
    expect(referringValue(plan, { S: 'U1' })).toEqual({ S: 'U1' });
    expect(namedKey(plan, { S: 'U1' }, 'S')).toEqual({ S: 'U1' });
    expect(namedKey(plan, { N: '1' }, 'S')).toBeUndefined();
    expect(namedKey(plan, { N: '7' }, 'N')).toEqual({ N: '7' });
  });

  it('with a template: render and match agree with the templates of transformers/ on every case', () => {
    const cases = ['USER#{id}', '{id}#USER', 'org/{id}.v1', 'A{id}', 'user-{id}-x'];
    const texts = ['U1', 'u-1', 'a#b', 'a.b', '', '42', 'x/y', 'ß', 'long_1'];
    for (const source of cases) {
      const template = parseTemplate(source);
      const plan = { template: source };
      for (const text of texts) {
        const ours = referringValue(plan, { S: text });
        const theirs = matchTemplate(template, renderTemplate(template, [text]))?.[0] === text ? renderTemplate(template, [text]) : undefined;
        expect(ours?.S, `${source} with ${JSON.stringify(text)}`).toBe(theirs);
        const value = ours?.S ?? `${source.split('{')[0]}${text}`;
        const named = namedKey(plan, { S: value }, 'S');
        expect(named?.S, `${source} reading ${JSON.stringify(value)}`).toBe(matchTemplate(template, value)?.[0]);
      }
    }
  });

  it('with a template: a number key reads back as N, text that is no number names nothing, and a non-string never does', () => {
    const plan = { template: 'USER#{id}' };
    expect(referringValue(plan, { N: '42' })).toEqual({ S: 'USER#42' });
    expect(namedKey(plan, { S: 'USER#42' }, 'N')).toEqual({ N: '42' });
    expect(namedKey(plan, { S: 'USER#x42' }, 'N')).toBeUndefined();
    expect(namedKey(plan, { S: 'USER#' }, 'S')).toBeUndefined();
    expect(namedKey(plan, { S: 'TEAM#1' }, 'S')).toBeUndefined();
    expect(namedKey(plan, { N: '1' }, 'S')).toBeUndefined();
  });
});
