import { describe, expect, it } from 'vitest';
import { cronProblem } from './job-schema.ts';

describe('cronProblem', () => {
  it.each(['0 3 * * *', '*/15 * * * *', '0 0 1,15 * mon-fri', '30 2 * jan,jul SUN', '0 0-6/2 * * 7', '59 23 31 12 6'])('accepts %s', (cron) => {
    expect(cronProblem(cron)).toBeUndefined();
  });

  it.each([
    ['0 25 * * *', 'hour 25 is out of range 0-23'],
    ['60 * * * *', 'minute 60 is out of range 0-59'],
    ['0 0 0 * *', 'day of month 0 is out of range 1-31'],
    ['0 0 * 13 *', 'month 13 is out of range 1-12'],
    ['0 0 * * 8', 'day of week 8 is out of range 0-7'],
    ['0 0 * * funday', 'day of week "funday" is not a number or a name'],
    ['0 3 * *', 'expected a cron expression of 5 fields'],
    ['0 3 * * * *', 'got 6'],
    ['*/0 * * * *', 'step "/0"'],
    ['0 ? * * *', 'hour "?" is not a value'],
  ])('refuses %s', (cron, message) => {
    expect(cronProblem(cron)).toContain(message);
  });
});
