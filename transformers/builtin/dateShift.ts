import type { Faker } from '@faker-js/faker';
import { z } from 'zod';
import { addDecimals, formatDecimal, parseDecimal } from '../../model/decimal.ts';
import { defineTransformer } from '../definition.ts';
import { randomBigIntExcept, seededValueFunction } from '../seeded-values.ts';

export const dateShift = defineTransformer({
  name: 'dateShift',
  description:
    'Moves a date by a random offset of up to ±maxDays (never zero), derived from the salt and the input, keeping its format: ' +
    'an ISO-8601 date or date-time in S (precision, separators and zone offset kept), or epoch seconds or milliseconds in N or S ' +
    '(told apart by size: from 10^11 on, milliseconds).',
  accepts: ['S', 'SS', 'N', 'NS'],
  produces: 'same',
  uniqueness: 'not guaranteed',
  options: z.strictObject({
    maxDays: z.int().min(1).max(36_500).default(30).describe('Largest shift in days, either way.'),
  }),
  sample: { input: (i) => ({ S: `2013-09-${String((i % 28) + 1).padStart(2, '0')}T00:00:00Z` }) },
  make(options, context) {
    return seededValueFunction(context, {
      expects: 'an ISO-8601 date or date-time, or epoch seconds or milliseconds',
      derive(faker, input, type) {
        return (type === 'S' ? shiftIsoDate(faker, input, options.maxDays) : undefined) ?? shiftEpoch(faker, input, options.maxDays);
      },
    });
  },
});

/**
 * `YYYY-MM-DD`, optionally followed by `T` (or `t`, or a space) and
 * `HH:MM`, `:SS`, a fraction of up to 9 digits after `.` or `,`, and a zone
 * (`Z`, `z`, `±HH`, `±HHMM`, `±HH:MM`).
 */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:([Tt ])(\d{2}):(\d{2})(?::(\d{2})(?:([.,])(\d{1,9}))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

const MINUTES_PER_DAY = 1440n;
const SECONDS_PER_DAY = 86_400n;

/**
 * Shifts in the input's own unit (a day for a date, a minute for HH:MM, a
 * second, or a 10^-n second for n fraction digits), so that the shift always
 * shows and the text keeps its shape. The zone is kept as written: the wall
 * time moves, the offset text stays.
 */
function shiftIsoDate(faker: Faker, input: string, maxDays: number): string | undefined {
  const match = ISO_DATE.exec(input);
  if (match === null) return undefined;
  const [, y, mo, d, separator, h, mi, s, fractionSeparator, fraction, zone] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  const hours = Number(h ?? 0);
  const minutes = Number(mi ?? 0);
  const seconds = Number(s ?? 0);
  if (hours > 23 || minutes > 59 || seconds > 59) return undefined;

  const fractionDigits = fraction?.length ?? 0;
  const perSecond = 10n ** BigInt(fractionDigits);
  const unitsPerDay = h === undefined ? 1n : s === undefined ? MINUTES_PER_DAY : SECONDS_PER_DAY * perSecond;
  const timeOfDay = h === undefined ? 0n : s === undefined ? BigInt(hours * 60 + minutes) : BigInt(hours * 3600 + minutes * 60 + seconds) * perSecond + BigInt(fraction ?? 0);
  const value = BigInt(daysFromCivil(year, month, day)) * unitsPerDay + timeOfDay;

  const maxUnits = BigInt(maxDays) * unitsPerDay;
  const offset = randomBigIntExcept(faker, -maxUnits, maxUnits, 0n);
  let shifted = value + offset;
  // Keep four-digit years: near year 0 or 9999 shift the other way.
  if (shifted < MIN_DAY * unitsPerDay || shifted >= (MAX_DAY + 1n) * unitsPerDay) shifted = value - offset;

  const days = floorDiv(shifted, unitsPerDay);
  let rest = shifted - days * unitsPerDay;
  const [newYear, newMonth, newDay] = civilFromDays(Number(days));
  let out = `${pad(newYear, 4)}-${pad(newMonth, 2)}-${pad(newDay, 2)}`;
  if (h === undefined) return out;
  if (s === undefined) return `${out}${separator}${pad(Number(rest / 60n), 2)}:${pad(Number(rest % 60n), 2)}${zone ?? ''}`;
  const fractionPart = rest % perSecond;
  rest /= perSecond;
  out += `${separator}${pad(Number(rest / 3600n), 2)}:${pad(Number((rest / 60n) % 60n), 2)}:${pad(Number(rest % 60n), 2)}`;
  if (fraction !== undefined) out += `${fractionSeparator}${fractionPart.toString().padStart(fractionDigits, '0')}`;
  return out + (zone ?? '');
}

/** From 10^11 on, an epoch is read as milliseconds (10^11 seconds is the year 5138; 10^11 ms is 1973). */
const MILLISECONDS_FROM = 100_000_000_000n;

/** Epoch seconds or milliseconds, shifted by whole units; a fraction, if any, keeps its places. */
function shiftEpoch(faker: Faker, input: string, maxDays: number): string | undefined {
  const epoch = parseDecimal(input);
  if (epoch === undefined) return undefined;
  const whole = epoch.units / 10n ** BigInt(epoch.scale);
  const perDay = (whole < 0n ? -whole : whole) >= MILLISECONDS_FROM ? SECONDS_PER_DAY * 1000n : SECONDS_PER_DAY;
  const maxUnits = BigInt(maxDays) * perDay;
  const offset = randomBigIntExcept(faker, -maxUnits, maxUnits, 0n);
  return formatDecimal(addDecimals(epoch, { units: offset, scale: 0 }));
}

/** Day numbers of 0000-01-01 and 9999-12-31. */
const MIN_DAY = BigInt(daysFromCivil(0, 1, 1));
const MAX_DAY = BigInt(daysFromCivil(9999, 12, 31));

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The inverse of `daysFromCivil`: [year, month, day]. */
function civilFromDays(days: number): [number, number, number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

function floorDiv(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d !== 0n && n < 0n ? q - 1n : q;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
