import { describe, expect, it } from 'vitest';
import type { Item } from '../../model/item.ts';
import { loadMovies } from '../local-stack/movie-data.ts';
import { FLAG_CONFIDENCE, detectPath, detectPaths, type Verdict } from './detect.ts';
import { discoverPaths } from './discover.ts';
import { LOOK_ALIKES, MEMOS, NUMBER_LOOK_ALIKES, PLANTED, SUGGESTED_TRANSFORMERS, fixture } from '../../test/fixtures/planted-pii.ts';

const S = (value: string) => ({ S: value });
const N = (value: string) => ({ N: value });

const flaggedOf = (verdicts: readonly Verdict[]) => Object.fromEntries(verdicts.filter((v) => v.flagged).map((v) => [v.path, v.recognizer]));

describe('detection on planted personal data', () => {
  const verdicts = detectPaths(discoverPaths(fixture()).paths);

  it('finds every planted kind under unhelpful names, and nothing else', () => {
    expect(flaggedOf(verdicts)).toEqual({
      contact: 'email',
      ph: 'phone',
      'wallet[*].n': 'creditCard',
      memo: 'freeText',
      who: 'fullName',
      acct: 'iban',
      gov: 'ssn',
      src: 'ipv4',
      ref: 'uuid',
      seen: 'epochTime',
      d: 'date',
      addr: 'fullAddress',
      'loc.lat': 'latitude',
      'loc.lng': 'longitude',
    });
  });

  it('suggests the matching built-in for each', () => {
    const suggested = Object.fromEntries(verdicts.filter((v) => v.flagged).map((v) => [v.path, v.suggests?.type]));
    expect(suggested).toEqual(SUGGESTED_TRANSFORMERS);
  });

  it('reports shares and what the free text contains', () => {
    const byPath = new Map(verdicts.map((v) => [v.path, v]));
    expect(byPath.get('contact')!.matches[0]).toEqual({ recognizer: 'email', kind: 'contact', share: 1, name: 'weak', confidence: 0.99 });
    expect(byPath.get('memo')!.matches[0]).toEqual({
      recognizer: 'freeText',
      kind: 'text',
      share: 0.25,
      name: 'weak',
      confidence: 0.7,
      contains: { email: 0.17, phone: 0.08 },
    });
    // A ten-digit order number is an epoch time by its value alone, but too weak a sign to flag.
    expect(byPath.get('orderNo')!.matches).toEqual([{ recognizer: 'epochTime', kind: 'time', share: 1, confidence: 0.45 }]);
    expect(byPath.get('orderNo')!.confidence).toBeLessThan(FLAG_CONFIDENCE);
    expect(byPath.get('seen')!.matches[0]).toMatchObject({ recognizer: 'epochTime', name: 'weak', confidence: 0.55 });
  });

  it('matches nothing at all on the look-alikes but the order numbers', () => {
    const quiet = [...Object.keys(LOOK_ALIKES).filter((name) => name !== 'exp' && name !== 'orderNo'), 'wallet[*].exp', ...Object.keys(NUMBER_LOOK_ALIKES)];
    const byPath = new Map(verdicts.map((v) => [v.path, v]));
    for (const path of quiet) expect(byPath.get(path)!.matches, path).toEqual([]);
  });

  it('never puts a value in a verdict', () => {
    const text = JSON.stringify(verdicts);
    const values = [...Object.values(PLANTED), MEMOS, ...Object.values(LOOK_ALIKES), ...Object.values(NUMBER_LOOK_ALIKES)].flat();
    // Short values and JSON's own words ("flagged": true) would match by accident.
    for (const value of values.filter((v) => v.length >= 4 && v !== 'true' && v !== 'false')) expect(text, value).not.toContain(value);
  });
});

describe('detection on movies', () => {
  it('flags the people, the image links and the release dates, not plots, titles or numbers', async () => {
    const verdicts = detectPaths(discoverPaths(await loadMovies(), { keys: { partitionKey: 'year', sortKey: 'title' } }).paths);
    expect(flaggedOf(verdicts)).toEqual({
      'info.actors[*]': 'fullName',
      'info.directors[*]': 'fullName',
      'info.image_url': 'url',
      'info.release_date': 'date',
    });
  });
});

function verdictFor(name: string, values: readonly Item[string][]): Verdict {
  const discovery = discoverPaths(values.map((value) => ({ [name]: value })));
  return detectPath(discovery.paths.find((path) => path.stats.path === name)!);
}

describe('weighing evidence', () => {
  it('flags a strong name alone, when the values are of a type its transformer takes', () => {
    const verdict = verdictFor('firstName', ['Xochitl', 'Zephyrine', 'Oluwaseun'].map(S));
    expect(verdict).toMatchObject({ flagged: true, recognizer: 'firstName', confidence: 0.6 });
    expect(verdictFor('firstName', [N('1'), N('2')]).flagged).toBe(false);
  });

  it('lets the values overrule the name', () => {
    expect(verdictFor('email', ['+1 415 555 2671', '(415) 555-2672', '+44 20 7946 0958'].map(S)).recognizer).toBe('phone');
  });

  it('takes a column of few names repeated for an enum, not for people', () => {
    const values = Array.from({ length: 40 }, (_, i) => S(['Taylor', 'Riley', 'Morgan'][i % 3]!));
    expect(verdictFor('plan', values).matches).toEqual([]);
    // The same names, each once: people.
    expect(verdictFor('plan', [S('Taylor'), S('Riley'), S('Morgan')]).recognizer).toBe('firstName');
  });

  it('counts a partial share at a discount and ignores one below the minimum', () => {
    const emails = (count: number, of: number) => Array.from({ length: of }, (_, i) => S(i < count ? `user${i}@example.com` : `guest ${i}`));
    expect(verdictFor('x', emails(10, 10))).toMatchObject({ flagged: true, confidence: 0.95 });
    expect(verdictFor('x', emails(5, 10))).toMatchObject({ flagged: true, confidence: 0.71 });
    expect(verdictFor('x', emails(2, 10)).matches).toEqual([]);
  });

  it('prefers a date of birth to a date when the name says so', () => {
    const verdict = verdictFor('dob', ['1990-04-12', '1985-11-30'].map(S));
    expect(verdict.matches.map((m) => [m.recognizer, m.confidence])).toEqual([
      ['birthDate', 0.99],
      ['date', 0.65],
    ]);
  });

  it('flags free text naming people, URLs or dates only where the name says it holds notes', () => {
    const tickets = Array.from({ length: 20 }, (_, i) => S(i % 2 === 0 ? `Customer Ada Smith called on 2026-03-0${(i % 9) + 1} about order ${i}` : `Parcel ${i} left the depot this morning`));
    expect(verdictFor('body', tickets)).toMatchObject({ recognizer: 'freeText', flagged: true });
    expect(verdictFor('body', tickets).matches[0]!.contains).toMatchObject({ fullName: expect.any(Number), date: expect.any(Number) });
    // The same text under a name that says nothing of notes: a plot, a description.
    expect(verdictFor('plot', tickets).matches.filter((m) => m.recognizer === 'freeText')).toEqual([]);
  });

  it('reads free text past the clipped length, but no whole-value shape in a clipped value', () => {
    const long = `${'lorem ipsum '.repeat(40)}write to ada@example.com ${'dolor '.repeat(2000)}`;
    const verdict = verdictFor('body', [S(long)]);
    expect(verdict).toMatchObject({ recognizer: 'freeText', flagged: true });
    const clippedEmailLike = verdictFor('x', [S(`${'a'.repeat(2000)}@example.com`)]);
    expect(clippedEmailLike.matches).toEqual([]);
  });
});
