import { faker } from '@faker-js/faker';
import { describe } from 'vitest';
import { describeFakeContract, distinctDraws } from '../../test/support/transformer-contract.ts';
import { lastName } from './lastName.ts';

describe('lastName', () => {
  describeFakeContract(lastName, {
    accepts: ['S', 'SS'],
    realisticInputs: () => distinctDraws((f) => f.person.lastName(), 200),
    pattern: /^[A-Z][\p{L}' -]*$/u,
    distinct: 0.5,
    selfFake: { candidates: faker.definitions.person.last_name.generic!, draw: (f) => f.person.lastName() },
  });
});
