import { monthStart } from '../../lib/months.js';
import { periodKey } from '../rules/index.js';
import { shiftMonth, windowOf } from '../tiers/index.js';

/**
 * A rebate period: a calendar quarter (`2026-Q4`) or year (`2026`) in the program's time zone,
 * as months (the tiers' windows over monthly buckets) and as instants [from, to).
 * Keys come from the rules' `periodKey`, windows from the tiers' `windowOf`: one period arithmetic.
 */
export type Calendar = 'quarter' | 'year';
export type RebatePeriod = { key: string; months: { from: string; to: string }; from: Date; to: Date };

export function periodKeyAt(calendar: Calendar, at: Date, timeZone: string): string {
  return periodKey(calendar, at, timeZone, '');
}

/** The key's period, or null when the key is not of this calendar (`2026` for a quarterly rebate). */
export function periodOf(calendar: Calendar, key: string, timeZone: string): RebatePeriod | null {
  const m = /^(\d{4})(?:-Q([1-4]))?$/.exec(key);
  if (!m || (calendar === 'quarter') !== (m[2] !== undefined)) return null;
  const first = calendar === 'year' ? `${m[1]}-01` : `${m[1]}-${String((Number(m[2]) - 1) * 3 + 1).padStart(2, '0')}`;
  const months = windowOf({ calendar }, first);
  return { key, months, from: monthStart(months.from, timeZone), to: monthStart(shiftMonth(months.to, 1), timeZone) };
}

/** The same period a year earlier: the baseline of a growth rebate. */
export function priorYearKey(key: string): string {
  return `${Number(key.slice(0, 4)) - 1}${key.slice(4)}`;
}
