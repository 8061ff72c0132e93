import { describe } from 'vitest';
import { describeFakeContract, distinctDraws } from '../../test/support/transformer-contract.ts';
import { fullName } from './fullName.ts';

describe('fullName', () => {
  describeFakeContract(fullName, {
    accepts: ['S', 'SS'],
    realisticInputs: () => distinctDraws((f) => f.person.fullName(), 200),
    pattern: /^\S+( \S+)+$/u,
    distinct: 0.5,
  });
});
