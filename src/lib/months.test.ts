import { describe, expect, it } from 'vitest';
import { addMonths, monthStart } from './months.js';

describe('addMonths', () => {
  it.each([
    ['2026-08-31T10:00:00.000Z', 6, 'UTC', '2027-02-28T10:00:00.000Z'],
    ['2027-08-31T10:00:00.000Z', 6, 'UTC', '2028-02-29T10:00:00.000Z'],
    ['2026-01-31T00:00:00.000Z', 1, 'UTC', '2026-02-28T00:00:00.000Z'],
    ['2026-03-31T12:30:15.250Z', 1, 'UTC', '2026-04-30T12:30:15.250Z'],
    ['2026-05-15T08:00:00.000Z', 12, 'UTC', '2027-05-15T08:00:00.000Z'],
    ['2026-12-31T23:00:00.000Z', 2, 'UTC', '2027-02-28T23:00:00.000Z'],
    ['2026-05-31T10:00:00.000Z', -3, 'UTC', '2026-02-28T10:00:00.000Z'],
    // 2026-08-31 23:30 in Paris (UTC+2) is already Aug 31 locally; six months on is Feb 28 23:30 at UTC+1.
    ['2026-08-31T21:30:00.000Z', 6, 'Europe/Paris', '2027-02-28T22:30:00.000Z'],
    // 2026-08-31 22:30Z is Sep 1 in Tehran (UTC+3:30): six months later is Mar 1 there, not clamped.
    ['2026-08-31T22:30:00.000Z', 6, 'Asia/Tehran', '2027-02-28T22:30:00.000Z'],
    // The last day of August in New York, at 20:00 local (EDT), lands on Feb 28 at 20:00 EST.
    ['2026-09-01T00:00:00.000Z', 6, 'America/New_York', '2027-03-01T01:00:00.000Z'],
    ['2026-03-01T07:30:00.000Z', 1, 'America/New_York', '2026-04-01T06:30:00.000Z'],
  ])('%s + %i months in %s → %s', (at, months, zone, expected) => {
    expect(addMonths(new Date(at), months, zone).toISOString()).toBe(expected);
  });
});

describe('monthStart', () => {
  it.each([
    ['2026-10', 'UTC', '2026-10-01T00:00:00.000Z'],
    ['2026-10', 'Europe/Paris', '2026-09-30T22:00:00.000Z'],
    ['2027-01', 'Europe/Paris', '2026-12-31T23:00:00.000Z'],
    ['2026-04', 'America/New_York', '2026-04-01T04:00:00.000Z'],
    ['2026-04', 'Asia/Tehran', '2026-03-31T20:30:00.000Z'],
  ])('%s in %s begins at %s', (month, zone, expected) => {
    expect(monthStart(month, zone).toISOString()).toBe(expected);
  });
});
