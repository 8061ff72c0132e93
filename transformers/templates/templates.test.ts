import { describe, expect, it } from 'vitest';
import type { TransformerRef } from '../../model/job.ts';
import { builtinRegistry } from '../builtin/index.ts';
import type { ValueFunction } from '../definition.ts';
import { isPartText, matchTemplate, overlapWitness, parseTemplate, renderTemplate, templateInverseFunction, templateValueFunction, type TemplateOptions } from './index.ts';

const permuteId: TransformerRef = { type: 'permuteId', options: {} };
const passthrough: TransformerRef = { type: 'passthrough', options: {} };
const instantiate = (ref: TransformerRef): ValueFunction => builtinRegistry.instantiate(ref, { salt: 'salt-1' });
const fnOf = (options: Partial<TemplateOptions> & Pick<TemplateOptions, 'templates'>) =>
  templateValueFunction({ parts: { userId: permuteId, orgId: permuteId, orderId: permuteId, date: passthrough, email: { type: 'email', options: {} } }, otherwise: 'error', ...options }, instantiate);
const s = (fn: ValueFunction, value: string, path: (string | number)[] = ['pk']) => (fn({ S: value }, path) as { S: string }).S;

describe('parseTemplate', () => {
  it('splits fixed text and parts, and takes the separators from the fixed text', () => {
    const t = parseTemplate('ORDER#{date}#{orderId}');
    expect(t.tokens).toEqual([
      { kind: 'literal', text: 'ORDER#' },
      { kind: 'part', name: 'date' },
      { kind: 'literal', text: '#' },
      { kind: 'part', name: 'orderId' },
    ]);
    expect(t.parts).toEqual(['date', 'orderId']);
    expect([...t.separators].map((c) => String.fromCharCode(c))).toEqual(['#']);
    expect(parseTemplate('PROFILE').tokens).toEqual([{ kind: 'literal', text: 'PROFILE' }]);
    expect(parseTemplate('{email}').separators.size).toBe(0);
    expect([...parseTemplate('v{major}.{minor}|x').separators].map((c) => String.fromCharCode(c))).toEqual(['.', '|']);
  });

  it.each([
    ['', 'a template is never empty'],
    ['USER#{userId', 'column 6: a "{" with no "}" after it'],
    ['USER#{a{b}', 'column 6: a "{" with no "}" after it'],
    ['USER}#{id}', 'column 5: a "}" with no "{" before it (a template cannot hold a brace of its own)'],
    ['USER#{}', 'column 6: "{}" names no part'],
    ['USER#{user id}', 'column 6: part name "user id" must be letters, digits and _, starting with a letter or _'],
    ['{a}{b}', 'column 4: part {b} follows part {a} with nothing between them; put fixed text with a separator (such as #) between parts'],
    [
      'USER#{id}x#{n}',
      'column 10: the text after part {id} starts with "x", a letter or digit, which the part would take as its own; start it with a separator (a character other than an ASCII letter or digit, such as #)',
    ],
    ['{id}json', 'column 5: the text after part {id} starts with "j"'],
  ])('refuses %j: %s', (source, message) => {
    expect(() => parseTemplate(source)).toThrow(message);
  });
});

describe('matchTemplate', () => {
  const order = parseTemplate('ORDER#{date}#{orderId}');
  it('gives the parts of a value: each a non-empty run up to the next separator, the last to the end', () => {
    expect(matchTemplate(order, 'ORDER#2026-03-01#K7Q2M9XW')).toEqual(['2026-03-01', 'K7Q2M9XW']);
    expect(matchTemplate(parseTemplate('EMAIL#{email}'), 'EMAIL#ada.l-b@example.com')).toEqual(['ada.l-b@example.com']);
    expect(matchTemplate(parseTemplate('{id}.json'), 'abc.json')).toEqual(['abc']);
  });

  it('matches nothing else: other fixed text, an empty part, a separator inside a part, text left over', () => {
    for (const value of ['ORDER#2026-03-01', 'ORDER##K7', 'ORDER#2026#K7#ITEM#1', 'order#2026#K7', 'XORDER#2026#K7', 'ORDER#2026#']) {
      expect(matchTemplate(order, value), value).toBeUndefined();
    }
    expect(matchTemplate(parseTemplate('ORDER#{orderId}'), 'ORDER#1#ITEM#2')).toBeUndefined();
    expect(matchTemplate(parseTemplate('PROFILE'), 'PROFILES')).toBeUndefined();
  });

  it('writes a value back from its parts', () => {
    expect(renderTemplate(order, ['2026-03-01', 'X1'])).toBe('ORDER#2026-03-01#X1');
    expect(isPartText(order, 'a-b')).toBe(true);
    expect(isPartText(order, 'a#b')).toBe(false);
    expect(isPartText(order, '')).toBe(false);
  });
});

describe('overlapWitness', () => {
  const overlap = (a: string, b: string) => overlapWitness(parseTemplate(a), parseTemplate(b));
  it('finds the shortest string two templates both match', () => {
    expect(overlap('{id}', 'USER#{id}')).toBe('USER#x');
    expect(overlap('USER#{id}', 'USER#{other}')).toBe('USER#x');
    expect(overlap('USER#{id}', '{kind}#{id}')).toBe('USER#x');
    expect(overlap('PROFILE', '{x}')).toBe('PROFILE');
    expect(overlap('PROFILE', 'PROFILE')).toBe('PROFILE');
    // "A{x}" has no separator, so its part takes ".B" too.
    expect(overlap('A{x}', '{y}.B')).toBe('A.B');
    // "-" separates in the first, not in the second: "a-b" is one part there.
    expect(overlap('{a}-{b}', '{c}')).toBe('x-x');
    // Each template has its own separators: "#" splits only the second, "-" only the first.
    expect(overlap('{a}-{b}', '{c}#{d}')).toBe('x-#x');
  });

  it('finds none where no string matches both', () => {
    expect(overlap('USER#{userId}', 'ORG#{orgId}')).toBeUndefined();
    expect(overlap('ORDER#{orderId}', 'ORDER#{orderId}#ITEM#{line}')).toBeUndefined();
    expect(overlap('PROFILE', 'ORDER#{date}#{orderId}')).toBeUndefined();
    expect(overlap('USER#{id}', 'USER#{id}#PROFILE')).toBeUndefined();
    expect(overlap('A#{a}', 'B#{b}')).toBeUndefined();
    expect(overlap('PROFILE', 'PROFILE#{x}')).toBeUndefined();
  });
});

describe('templateValueFunction', () => {
  it('transforms the parts and keeps the rest; the same part gives the same output in every template and mapping', () => {
    const pk = fnOf({ templates: ['USER#{userId}', 'ORG#{orgId}'] });
    const sk = fnOf({ templates: ['PROFILE', 'ORDER#{date}#{orderId}', 'MEMBER#{userId}'] });
    const author = fnOf({ templates: ['USER#{userId}'] });
    const id = '550e8400-e29b-41d4-a716-446655440000';
    const out = s(pk, `USER#${id}`);
    expect(out).toMatch(/^USER#[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(out).not.toBe(`USER#${id}`);
    expect(s(author, `USER#${id}`)).toBe(out);
    expect(s(sk, `MEMBER#${id}`)).toBe(`MEMBER#${out.slice('USER#'.length)}`);
    expect(s(sk, 'PROFILE')).toBe('PROFILE');
    const order = s(sk, 'ORDER#2026-03-01#K7Q2M9XW');
    expect(order).toMatch(/^ORDER#2026-03-01#[A-Z0-9]{8}$/);
    expect(order).not.toBe('ORDER#2026-03-01#K7Q2M9XW');
    // A part alone is the identifier in an attribute of its own.
    expect(s(fnOf({ templates: ['{userId}'] }), id)).toBe(out.slice('USER#'.length));
  });

  it('is one to one over a mix of templates when its parts are', () => {
    const fn = fnOf({ templates: ['USER#{userId}', 'USER#{userId}#ORDER#{orderId}', 'ORG#{orgId}'], otherwise: passthrough });
    const inputs: string[] = [];
    for (let i = 0; i < 300; i++) {
      inputs.push(`USER#${String(i).padStart(3, '0')}`, `USER#${String(i % 17).padStart(3, '0')}#ORDER#A${i}`, `ORG#${i}`, `OTHER#${i}`);
    }
    const outputs = inputs.map((input) => s(fn, input));
    expect(new Set(outputs).size).toBe(inputs.length);
    // Values no template matches come through `otherwise: passthrough` unchanged.
    expect(s(fn, 'OTHER#7')).toBe('OTHER#7');
  });

  it('refuses a value that matches no template, naming the path and the templates but never the value', () => {
    const fn = fnOf({ templates: ['USER#{userId}', 'ORG#{orgId}'] });
    expect(() => fn({ S: 'TEAM#secret-42' }, ['pk'])).toThrow(
      'pk: the value matches none of the templates "USER#{userId}", "ORG#{orgId}"; `otherwise: passthrough` would copy such values as they are',
    );
    let message = '';
    try {
      fn({ S: 'TEAM#secret-42' }, ['pk']);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toContain('secret');
  });

  it('fails a part whose output holds a separator, which would not read back', () => {
    const fn = templateValueFunction(
      { templates: ['{first} {last}'], parts: { first: { type: 'firstName', options: {} }, last: passthrough }, otherwise: 'error' },
      instantiate,
    );
    // Some first names hold a space ("Mary Ann"); a plain one reads back.
    const outputs = Array.from({ length: 400 }, (_, i) => {
      try {
        return s(fn, `Name${i} Smith`);
      } catch (error) {
        return (error as Error).message;
      }
    });
    const failures = outputs.filter((out) => out.startsWith('pk: part'));
    for (const failure of failures) {
      expect(failure).toBe(
        'pk: part {first} of template "{first} {last}" became a value holding a separator of the template (" ") through transformer "firstName", so the result would not read back as the template (and could meet another); use a part transformer whose output has none',
      );
    }
    expect(outputs.filter((out) => !out.startsWith('pk: part')).every((out) => / Smith$/.test(out))).toBe(true);
  });

  it('maps every element of a set, leaves an empty string empty, and refuses other types', () => {
    const fn = fnOf({ templates: ['USER#{userId}'] });
    const out = fn({ SS: ['USER#001', 'USER#002'] }, ['members']) as { SS: string[] };
    expect(out.SS).toEqual([s(fn, 'USER#001'), s(fn, 'USER#002')]);
    expect(fn({ S: '' }, ['pk'])).toEqual({ S: '' });
    expect(() => fn({ N: '1' }, ['pk'])).toThrow('pk: transformer "template" accepts S, SS; got N');
  });

  it('refuses templates that can match one string, and parts without a transformer', () => {
    expect(() => fnOf({ templates: ['{userId}', 'USER#{userId}'] })).toThrow('templates "{userId}", "USER#{userId}" both match some strings (such as "USER#x")');
    expect(() => fnOf({ templates: ['TEAM#{teamId}'] })).toThrow('template "TEAM#{teamId}" uses part {teamId}, which has no transformer');
  });
});

describe('templateInverseFunction', () => {
  const salt = 'salt-1';
  const parts = { userId: permuteId, orgId: permuteId, orderId: permuteId, date: passthrough };
  const inverseOf = (ref: TransformerRef) => builtinRegistry.instantiateInverse(ref, { salt })!;
  const pair = (templates: string[], otherwise: TemplateOptions['otherwise'] = 'error') => {
    const options = { templates, parts, otherwise };
    return { fn: templateValueFunction(options, instantiate), back: templateInverseFunction(options, inverseOf) };
  };
  const back = (inverse: ReturnType<typeof templateInverseFunction>, value: string) => inverse({ S: value })?.S;

  it('gives back every input of templates with several parts, each part inverted on its own', () => {
    const { fn, back: inverse } = pair(['USER#{userId}', 'USER#{userId}#ORDER#{date}#{orderId}', 'ORG#{orgId}#USER#{userId}', 'PROFILE']);
    const inputs = ['PROFILE'];
    for (let i = 0; i < 200; i++) {
      const user = `550e8400-e29b-41d4-a716-${String(446655440000 + i).padStart(12, '0')}`;
      inputs.push(`USER#${user}`, `USER#${user}#ORDER#2026-03-${String((i % 28) + 1).padStart(2, '0')}#K7Q2M${String(i).padStart(3, '0')}X`, `ORG#${String(i).padStart(5, '0')}#USER#${user}`);
    }
    const outputs = inputs.map((input) => s(fn, input));
    expect(new Set(outputs).size).toBe(inputs.length);
    expect(outputs.map((out) => back(inverse, out))).toEqual(inputs);
  });

  it('gives back what otherwise: passthrough copied, and says nothing gives what matches no template without it', () => {
    const copied = pair(['USER#{userId}', 'ORG#{orgId}'], passthrough);
    for (const value of ['OTHER#7', 'USER#', 'USER#a#b', 'TEAM']) {
      expect(s(copied.fn, value)).toBe(value);
      expect(back(copied.back, value)).toBe(value);
    }
    expect(back(copied.back, s(copied.fn, 'USER#0042'))).toBe('USER#0042');
    const strict = pair(['USER#{userId}', 'ORG#{orgId}']);
    expect(back(strict.back, 'OTHER#7')).toBeUndefined();
    expect(back(strict.back, 'USER#a#b')).toBeUndefined();
  });

  it("says nothing gives a value whose part no input of the part's transformer gives", () => {
    const uuidOnly: TransformerRef = { type: 'permuteId', options: { format: 'uuid', otherwise: 'error' } };
    const inverse = templateInverseFunction({ templates: ['USER#{userId}'], parts: { userId: uuidOnly }, otherwise: 'error' }, inverseOf);
    expect(back(inverse, 'USER#0042')).toBeUndefined();
    expect(back(inverse, 'USER#550e8400-e29b-41d4-a716-446655440000')).toMatch(/^USER#[0-9a-f]{8}-[0-9a-f]{4}-4/);
  });

  it('leaves an empty string empty, gives nothing for other types, and refuses an otherwise other than error or passthrough', () => {
    const { back: inverse } = pair(['USER#{userId}']);
    expect(inverse({ S: '' })).toEqual({ S: '' });
    expect(inverse({ N: '1' })).toBeUndefined();
    expect(() => templateInverseFunction({ templates: ['USER#{userId}'], parts, otherwise: { type: 'hash', options: {} } }, inverseOf)).toThrow(
      'a template mapping whose otherwise is transformer "hash" has no inverse: its output may match a template',
    );
    expect(() => templateInverseFunction({ templates: ['{userId}', 'USER#{userId}'], parts, otherwise: 'error' }, inverseOf)).toThrow('both match some strings');
  });
});
