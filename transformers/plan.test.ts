import { readFileSync } from 'node:fs';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import type { AttributeType, Item } from '../model/item.ts';
import type { TransformerRef } from '../model/job.ts';
import { builtinRegistry } from './builtin/index.ts';
import { z } from 'zod';
import { defineTransformer } from './definition.ts';
import { TransformTypeError } from './errors.ts';
import { createRegistry } from './registry.ts';
import { buildPlan, type PlanInput } from './plan.ts';
import { templateRef } from './templates/index.ts';

const ref = (type: string, options: Record<string, unknown> = {}): TransformerRef => ({ type, options });

const plan = (input: Partial<PlanInput>) =>
  buildPlan({ transformers: {}, defaults: {}, keyAttributes: ['year', 'title'], salt: 'test-salt', ...input }, builtinRegistry);

/** Like an item of the AWS moviedata sample. */
const movie = (): Item => ({
  year: { N: '2013' },
  title: { S: 'Rush' },
  info: {
    M: {
      directors: { L: [{ S: 'Ron Howard' }] },
      rating: { N: '8.30' },
      actors: { L: [{ S: 'Daniel Bruhl' }, { S: 'Chris Hemsworth' }, { S: 'Olivia Wilde' }] },
      genres: { SS: ['Action', 'Biography'] },
      released: { BOOL: true },
      sequel: { NULL: true },
    },
  },
});

const info = (item: Item) => item['info']!.M!;
const strings = (value: AttributeValue | undefined) => value!.L!.map((element) => element.S!);

describe('buildPlan', () => {
  it('with no mappings and no defaults returns an equal item, numbers as exact text', () => {
    expect(plan({}).transformItem(movie())).toEqual(movie());
  });

  it('passes key attributes through even when defaults would change them', () => {
    const out = plan({ defaults: { S: ref('constant', { value: 'x' }), N: ref('constant', { value: 0 }) } }).transformItem(movie());
    expect(out['year']).toEqual({ N: '2013' });
    expect(out['title']).toEqual({ S: 'Rush' });
    expect(info(out)['rating']).toEqual({ N: '0' });
    expect(strings(info(out)['actors'])).toEqual(['x', 'x', 'x']);
  });

  it('does not let a wildcard reach key attributes', () => {
    const out = plan({ transformers: { '*': ref('null') } }).transformItem(movie());
    expect(out['year']).toEqual({ N: '2013' });
    expect(out['title']).toEqual({ S: 'Rush' });
    expect(out['info']).toEqual({ NULL: true });
  });

  it('applies a mapping that names a key attribute', () => {
    const out = plan({ transformers: { title: ref('constant', { value: 'Redacted' }) } }).transformItem(movie());
    expect(out['title']).toEqual({ S: 'Redacted' });
    expect(out['year']).toEqual({ N: '2013' });
  });

  it('refuses to drop a key attribute', () => {
    expect(() => plan({ transformers: { title: ref('drop') } })).toThrow('title: key attribute cannot be mapped to transformer "drop", which drops it');
  });

  it('lets the most specific mapping win, whatever the order they are written in', () => {
    const transformers = {
      info: ref('null'),
      'info.*': ref('constant', { value: 'any key' }),
      'info.rating': ref('constant', { value: 5 }),
    };
    const reversed = Object.fromEntries(Object.entries(transformers).reverse());
    for (const mapping of [transformers, reversed]) {
      const out = info(plan({ transformers: mapping }).transformItem(movie()));
      expect(out['rating']).toEqual({ N: '5' });
      expect(out['released']).toEqual({ S: 'any key' });
      // `info.*` names the actors list itself, and constant replaces it whole.
      expect(out['actors']).toEqual({ S: 'any key' });
    }
    // Longer beats shorter even when the longer one has wildcards.
    const out = info(plan({ transformers: { 'info.actors': ref('null'), '*.*[*]': ref('constant', { value: 'deep' }) } }).transformItem(movie()));
    expect(strings(out['actors'])).toEqual(['deep', 'deep', 'deep']);
  });

  it('applies a container mapping to every leaf inside it, like the wildcard form', () => {
    const container = info(plan({ transformers: { 'info.actors': ref('fullName') } }).transformItem(movie()));
    const wildcard = info(plan({ transformers: { 'info.actors[*]': ref('fullName') } }).transformItem(movie()));
    expect(container).toEqual(wildcard);
    const actors = strings(container['actors']);
    expect(actors).toHaveLength(3);
    actors.forEach((name, i) => expect(name).not.toBe(strings(info(movie())['actors'])[i]));
    expect(strings(container['directors'])).toEqual(['Ron Howard']);
  });

  it('matches wildcard keys and concrete indexes', () => {
    const out = info(plan({ transformers: { '*.actors[1]': ref('constant', { value: 'second' }) } }).transformItem(movie()));
    expect(strings(out['actors'])).toEqual(['Daniel Bruhl', 'second', 'Olivia Wilde']);
  });

  it('compacts a list that loses an element', () => {
    const out = info(plan({ transformers: { 'info.actors[1]': ref('drop') } }).transformItem(movie()));
    expect(strings(out['actors'])).toEqual(['Daniel Bruhl', 'Olivia Wilde']);
  });

  it('removes a container whose every leaf is dropped', () => {
    const out = plan({ transformers: { 'info.actors': ref('drop'), 'info.directors[*]': ref('drop') } }).transformItem(movie());
    expect(Object.keys(info(out))).toEqual(['rating', 'genres', 'released', 'sequel']);
  });

  it('applies defaults by leaf type to leaves no mapping covers', () => {
    const out = plan({
      transformers: { 'info.directors': ref('passthrough') },
      defaults: { S: ref('constant', { value: 's' }), BOOL: ref('null'), SS: ref('firstName') },
    }).transformItem(movie());
    expect(strings(info(out)['directors'])).toEqual(['Ron Howard']);
    expect(strings(info(out)['actors'])).toEqual(['s', 's', 's']);
    expect(info(out)['released']).toEqual({ NULL: true });
    expect(info(out)['genres']!.SS).toHaveLength(2);
    expect(info(out)['genres']!.SS).not.toContain('Action');
    expect(info(out)['rating']).toEqual({ N: '8.30' });
    expect(info(out)['sequel']).toEqual({ NULL: true });
  });

  it('refuses a default whose transformer does not accept its type', () => {
    expect(() => plan({ defaults: { N: ref('email') } })).toThrow('defaults.N: transformer "email" accepts S, SS; not N');
  });

  it('throws a TransformTypeError that names the path and types, never the value', () => {
    const run = () => plan({ transformers: { info: ref('email') } }).transformItem({ ...movie(), info: { M: { rating: { N: '31337.25' } } } });
    expect(run).toThrow(TransformTypeError);
    // `rating` is named nowhere in the job: as far as the plan knows, it could be data.
    expect(run).toThrow('info.*: transformer "email" accepts S, SS; got N');
    try {
      run();
    } catch (error) {
      expect(String(error)).not.toContain('31337');
      expect(JSON.stringify(error)).not.toContain('31337');
    }
  });

  it('names in errors only the map keys the job names: a key that is data shows as *', () => {
    const item: Item = { ...movie(), contacts: { M: { 'ada@example.com': { M: { phone: { N: '5550100' } } } } } };
    const run = () => plan({ transformers: { 'contacts.*.phone': ref('email') } }).transformItem(item);
    expect(run).toThrow('contacts.*.phone: transformer "email" accepts S, SS; got N');
    try {
      run();
    } catch (error) {
      expect(String(error)).not.toContain('ada@');
      expect((error as TransformTypeError).path).toBe('contacts.*.phone');
    }
  });

  it('leaves empty maps and lists under a value transformer as they are', () => {
    const item: Item = { ...movie(), info: { M: { actors: { L: [] }, extra: { M: {} } } } };
    expect(plan({ transformers: { info: ref('fullName') } }).transformItem(item)).toEqual(item);
  });

  it('gives the same input the same fake across items and attributes', () => {
    const p = plan({ transformers: { 'info.actors': ref('fullName'), 'info.directors': ref('fullName') } });
    const one = p.transformItem(movie());
    const two = p.transformItem({ ...movie(), info: { M: { directors: { L: [{ S: 'Chris Hemsworth' }] } } } });
    expect(strings(info(two)['directors'])[0]).toBe(strings(info(one)['actors'])[1]);
    const otherSalt = buildPlan({ transformers: { 'info.actors': ref('fullName') }, defaults: {}, keyAttributes: [], salt: 'other' }, builtinRegistry);
    expect(strings(info(otherSalt.transformItem(movie()))['actors'])).not.toEqual(strings(info(one)['actors']));
  });

  it('does not mutate its input', () => {
    const item = movie();
    plan({ transformers: { info: ref('null'), 'info.actors[0]': ref('drop') } }).transformItem(item);
    expect(item).toEqual(movie());
  });

  it('rebuilds the AWS moviedata sample exactly, changing only what is mapped', () => {
    const movies = (JSON.parse(readFileSync(new URL('../datasets/moviedata.json', import.meta.url), 'utf8')) as unknown[])
      .slice(0, 300)
      .map((m) => marshall(m, { removeUndefinedValues: true }) as Item);
    const identity = plan({ defaults: { S: ref('passthrough'), N: ref('passthrough') } });
    const actorsOnly = plan({ transformers: { 'info.actors': ref('fullName') } });
    for (const m of movies) {
      expect(identity.transformItem(m)).toEqual(m);
      const out = actorsOnly.transformItem(m);
      const { actors: before, ...restBefore } = info(m);
      const { actors: after, ...restAfter } = info(out);
      expect(restAfter).toEqual(restBefore);
      expect(out['year']).toEqual(m['year']);
      expect(out['title']).toEqual(m['title']);
      if (before === undefined) continue;
      const names = strings(after);
      expect(names).toHaveLength(before.L!.length);
      names.forEach((name, i) => expect(name).not.toBe(before.L![i]!.S));
    }
  });

  it('knows every type a default can be given for', () => {
    const types: AttributeType[] = ['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS'];
    const defaults = Object.fromEntries(types.map((type) => [type, ref('null')]));
    const out = plan({ defaults }).transformItem({ ...movie(), b: { B: new Uint8Array([1]) }, ns: { NS: ['1', '2'] }, empty: { M: {} } });
    expect(out['b']).toEqual({ NULL: true });
    expect(out['ns']).toEqual({ NULL: true });
    expect(out['empty']).toEqual({ NULL: true });
    expect(out['year']).toEqual({ N: '2013' });
  });

  it('replaces a container whole with a transformer that takes containers', () => {
    expect(plan({ transformers: { info: ref('null') } }).transformItem(movie())['info']).toEqual({ NULL: true });
    expect(plan({ transformers: { info: ref('drop') } }).transformItem(movie())).toEqual({ year: { N: '2013' }, title: { S: 'Rush' } });
    expect(info(plan({ transformers: { 'info.actors': ref('constant', { value: 'cast' }) } }).transformItem(movie()))['actors']).toEqual({ S: 'cast' });
  });

  it('opens a replaced container when another mapping names something inside it', () => {
    const out = info(plan({ transformers: { info: ref('null'), 'info.rating': ref('passthrough') } }).transformItem(movie()));
    expect(out['rating']).toEqual({ N: '8.30' });
    expect(out['released']).toEqual({ NULL: true });
    expect(out['actors']).toEqual({ NULL: true });
  });

  describe('onTypeMismatch', () => {
    const mixed = (): Item => ({ ...movie(), contact: { L: [{ S: 'a@example.com' }, { N: '42' }, { NULL: true }] } });
    const withPolicy = (onTypeMismatch?: 'error' | 'passthrough' | 'null') =>
      plan({ transformers: { contact: ref('email') }, ...(onTypeMismatch ? { onTypeMismatch } : {}) });

    it('fails by default, naming the path and types', () => {
      expect(() => withPolicy().transformItem(mixed())).toThrow('contact[1]: transformer "email" accepts S, SS; got N');
    });

    it('passes mismatched values through, or nulls them, and counts each case', () => {
      const counts = { typeMismatches: 0 };
      const through = withPolicy('passthrough').transformItem(mixed(), counts);
      expect(through['contact']!.L!.slice(1)).toEqual([{ N: '42' }, { NULL: true }]);
      expect(through['contact']!.L![0]!.S).not.toBe('a@example.com');
      expect(counts.typeMismatches).toBe(2);
      const nulled = withPolicy('null').transformItem(mixed(), counts);
      expect(nulled['contact']!.L!.slice(1)).toEqual([{ NULL: true }, { NULL: true }]);
      expect(counts.typeMismatches).toBe(4);
    });
  });

  it('keeps an empty string empty under a fake, but not under a fixed replacement', () => {
    const item = (): Item => ({ ...movie(), note: { S: '' } });
    expect(plan({ transformers: { note: ref('fullName') } }).transformItem(item())['note']).toEqual({ S: '' });
    expect(plan({ transformers: { note: ref('constant', { value: 'x' }) } }).transformItem(item())['note']).toEqual({ S: 'x' });
  });

  it('drops a set that its transformer empties, since DynamoDB refuses empty sets', () => {
    const emptying = createRegistry([
      defineTransformer({ name: 'emptySet', description: 'test', accepts: ['SS'], produces: 'same', options: z.strictObject({}), make: () => () => ({ SS: [] }) }),
    ]);
    const out = buildPlan({ transformers: { tags: ref('emptySet') }, defaults: {}, keyAttributes: [], salt: 's' }, emptying).transformItem({ id: { S: '1' }, tags: { SS: ['a'] } });
    expect(out).toEqual({ id: { S: '1' } });
  });

  describe('template mappings', () => {
    const parts = { userId: ref('permuteId'), orderId: ref('permuteId'), date: ref('passthrough') };
    const template = (...templates: string[]): TransformerRef => templateRef({ templates, parts, otherwise: 'error' });
    const single = (transformers: Record<string, TransformerRef>) =>
      buildPlan({ transformers, defaults: {}, keyAttributes: ['pk', 'sk'], salt: 'test-salt' }, builtinRegistry);
    const order = (): Item => ({
      pk: { S: 'USER#0012345678' },
      sk: { S: 'ORDER#2026-03-01#K7Q2M9XW' },
      GSI1PK: { S: 'USER#0012345678' },
      buyer: { M: { ref: { S: 'USER#0012345678' } } },
      items: { L: [{ S: 'ORDER#2026-03-01#K7Q2M9XW' }] },
    });

    it('rewrite key attributes part by part, alike in every attribute, nested ones included', () => {
      const out = single({
        pk: template('USER#{userId}'),
        sk: template('PROFILE', 'ORDER#{date}#{orderId}'),
        GSI1PK: template('USER#{userId}'),
        'buyer.ref': template('USER#{userId}'),
        'items[*]': template('ORDER#{date}#{orderId}'),
      }).transformItem(order());
      expect(out['pk']!.S).toMatch(/^USER#\d{10}$/);
      expect(out['pk']!.S).not.toBe('USER#0012345678');
      expect(out['GSI1PK']).toEqual(out['pk']);
      expect(out['buyer']!.M!['ref']).toEqual(out['pk']);
      expect(out['sk']!.S).toMatch(/^ORDER#2026-03-01#[A-Z0-9]{8}$/);
      expect(out['items']!.L![0]).toEqual(out['sk']);
    });

    it('refuse a key whose mapping changes its type', () => {
      const p = single({ pk: ref('constant', { value: 7 }) });
      expect(() => p.transformItem(order())).toThrow('pk: a key attribute keeps its type, but its mapping (constant) turned S into N');
    });

    it('name the mapping when its templates overlap', () => {
      expect(() => single({ pk: template('{userId}', 'USER#{userId}') })).toThrow('"pk": templates "{userId}", "USER#{userId}" both match some strings (such as "USER#x")');
    });
  });
});
