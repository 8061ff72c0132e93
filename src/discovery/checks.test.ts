import { describe, expect, it } from 'vitest';
import { isCalendarDate, isIban, isPaymentCardNumber, isPlausibleEpoch, isValidSsn, passesLuhn } from './checks.ts';

describe('checks', () => {
  it('Luhn', () => {
    expect(['79927398713', '4111111111111111', '0', '18'].map(passesLuhn)).toEqual([true, true, true, true]);
    expect(['79927398710', '4111111111111112', '1', '19'].map(passesLuhn)).toEqual([false, false, false, false]);
  });

  it('payment cards need a network prefix and length as well as Luhn', () => {
    expect(isPaymentCardNumber('4111111111111111')).toBe(true);
    expect(isPaymentCardNumber('378282246310005')).toBe(true);
    // Luhn-valid, but no network issues 16 digits starting 1 or 9, nor Amex at 16.
    expect(isPaymentCardNumber('1234567812345670')).toBe(false);
    expect(isPaymentCardNumber('9999999999999995')).toBe(false);
    expect(isPaymentCardNumber('3782822463100056')).toBe(false);
  });

  it('IBAN: country length and mod 97', () => {
    expect(isIban('DE89370400440532013000')).toBe(true);
    expect(isIban('NO9386011117947')).toBe(true);
    expect(isIban('DE89370400440532013001')).toBe(false);
    expect(isIban('DE8937040044053201300')).toBe(false);
    expect(isIban('QQ89370400440532013000')).toBe(false);
  });

  it('SSN ranges', () => {
    expect(isValidSsn('123', '45', '6789')).toBe(true);
    expect(isValidSsn('899', '99', '9999')).toBe(true);
    for (const [area, group, serial] of [
      ['000', '12', '3456'],
      ['666', '12', '3456'],
      ['900', '12', '3456'],
      ['123', '00', '4567'],
      ['123', '45', '0000'],
      ['078', '05', '1120'],
    ] as const) {
      expect(isValidSsn(area, group, serial), `${area}-${group}-${serial}`).toBe(false);
    }
  });

  it('calendar dates', () => {
    expect(isCalendarDate(2024, 2, 29)).toBe(true);
    expect(isCalendarDate(2000, 2, 29)).toBe(true);
    expect(isCalendarDate(1900, 2, 29)).toBe(false);
    expect(isCalendarDate(2023, 4, 31)).toBe(false);
    expect(isCalendarDate(2023, 0, 1)).toBe(false);
  });

  it('epoch seconds and milliseconds from 2000 to 2100', () => {
    expect([946_684_800, 1_700_000_000, 4_102_444_800, 1_700_000_000_000].map(isPlausibleEpoch)).toEqual([true, true, true, true]);
    expect([946_684_799, 4_102_444_801, 2013, 100_234_987, 99_999_999_999].map(isPlausibleEpoch)).toEqual([false, false, false, false, false]);
  });
});
