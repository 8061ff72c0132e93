import { describe } from 'vitest';
import { describeFakeContract, distinctDraws } from '../../test/support/transformer-contract.ts';
import { username } from './username.ts';

describe('username', () => {
  describeFakeContract(username, {
    accepts: ['S', 'SS'],
    realisticInputs: () => distinctDraws((f) => f.internet.username(), 300),
    // Letters, digits, _ and . as faker writes them, and - from a double-barrelled last name.
    pattern: /^[\w.-]+$/,
    distinct: 0.95,
  });
});
