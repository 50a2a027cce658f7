import { describe, expect, it } from 'vitest';
import { periodKeyAt, periodOf, priorYearKey } from './rebates.periods.js';

describe('rebate periods, in the program’s time zone', () => {
  it('names the period of an instant', () => {
    // 31 December 23:30 UTC is already 1 January in Paris.
    expect(periodKeyAt('quarter', new Date('2026-12-31T23:30:00Z'), 'Europe/Paris')).toBe('2027-Q1');
    expect(periodKeyAt('quarter', new Date('2026-12-31T23:30:00Z'), 'UTC')).toBe('2026-Q4');
    expect(periodKeyAt('year', new Date('2026-06-01T00:00:00Z'), 'UTC')).toBe('2026');
  });

  it('gives the months and the instants of a period, and refuses a key of the other calendar', () => {
    expect(periodOf('quarter', '2026-Q4', 'Europe/Paris')).toEqual({ key: '2026-Q4', months: { from: '2026-10', to: '2026-12' }, from: new Date('2026-09-30T22:00:00Z'), to: new Date('2026-12-31T23:00:00Z') });
    expect(periodOf('year', '2026', 'UTC')).toEqual({ key: '2026', months: { from: '2026-01', to: '2026-12' }, from: new Date('2026-01-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') });
    expect(periodOf('quarter', '2026', 'UTC')).toBeNull();
    expect(periodOf('year', '2026-Q1', 'UTC')).toBeNull();
    expect(periodOf('quarter', '2026-Q5', 'UTC')).toBeNull();
    expect(priorYearKey('2026-Q4')).toBe('2025-Q4');
    expect(priorYearKey('2026')).toBe('2025');
  });
});
