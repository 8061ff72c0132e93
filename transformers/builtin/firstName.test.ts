import { faker } from '@faker-js/faker';
import { describe } from 'vitest';
import { describeFakeContract, distinctDraws } from '../../test/support/transformer-contract.ts';
import { firstName } from './firstName.ts';

describe('firstName', () => {
  describeFakeContract(firstName, {
    accepts: ['S', 'SS'],
    realisticInputs: () => distinctDraws((f) => f.person.firstName(), 200),
    pattern: /^[A-Z][\p{L}'-]*$/u,
    distinct: 0.5,
    selfFake: { candidates: faker.definitions.person.first_name.generic!, draw: (f) => f.person.firstName() },
  });
});
