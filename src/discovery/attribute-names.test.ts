import { describe, expect, it } from 'vitest';
import { isGenericName, nameCandidates, nameWords } from './attribute-names.ts';
import { nameContexts } from './detect.ts';

describe('attribute names', () => {
  it.each([
    ['customerEmail', ['customer', 'email']],
    ['e_mail', ['e', 'mail']],
    ['IPAddress', ['ip', 'address']],
    ['address1', ['address', '1']],
    ['SSN', ['ssn']],
    ['date-of-birth', ['date', 'of', 'birth']],
    ['userID', ['user', 'id']],
    ['running_time_secs', ['running', 'time', 'secs']],
  ])('%s is %j', (name, words) => expect(nameWords(name)).toEqual(words));

  it('joins consecutive words and drops a plural, so rules match whole words only', () => {
    expect([...nameCandidates(['e', 'mail'])].sort()).toEqual(['e', 'email', 'mail']);
    expect(nameCandidates(['phones']).has('phone')).toBe(true);
    expect(nameCandidates(['addresses']).has('address')).toBe(true);
    expect(nameCandidates(['graph']).has('ph')).toBe(false);
  });

  it('look one level up when the last name says nothing', () => {
    expect(isGenericName(['line', '1'])).toBe(true);
    expect(nameContexts([{ kind: 'key', name: 'address' }, { kind: 'key', name: 'line1' }])).toEqual([['line', '1'], ['address']]);
    expect(nameContexts([{ kind: 'key', name: 'phones' }, { kind: 'anyKey' }, { kind: 'key', name: 'home' }])).toEqual([['home'], ['phones']]);
    expect(nameContexts([{ kind: 'key', name: 'info' }, { kind: 'key', name: 'actors' }, { kind: 'anyIndex' }])).toEqual([['actors']]);
  });
});
