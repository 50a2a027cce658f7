import { formatterPerZone } from './time-zone.js';

const wallClock = formatterPerZone(
  (timeZone) =>
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }),
);

type Local = { year: number; month: number; day: number; hour: number; minute: number; second: number };

function localOf(at: Date, timeZone: string): Local {
  const p: Record<string, number> = {};
  for (const part of wallClock(timeZone).formatToParts(at)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute, second: p.second };
}

/** How far the zone's wall clock is ahead of UTC at this instant, in ms. */
function offsetAt(at: number, timeZone: string): number {
  const l = localOf(new Date(at), timeZone);
  return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second) - (at - (((at % 1000) + 1000) % 1000));
}

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * `at` plus `months` calendar months on the wall clock of `timeZone`, the day clamped to the end
 * of the target month: Aug 31 + 6 months is Feb 28 (29 in a leap year), not Mar 3, and the local
 * time of day is kept across a change of daylight saving time. The one month arithmetic of the
 * server: currency expiry (`expiry.months`) and anything else that adds months calls it.
 */
export function addMonths(at: Date, months: number, timeZone = 'UTC'): Date {
  const l = localOf(at, timeZone);
  const index = l.year * 12 + (l.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const day = Math.min(l.day, daysIn(year, month));
  const ms = at.getTime() % 1000;
  const wall = Date.UTC(year, month - 1, day, l.hour, l.minute, l.second) + (ms < 0 ? ms + 1000 : ms);
  // The instant whose wall clock reads `wall`; around a DST gap the offset after the change wins.
  let t = wall - offsetAt(wall, timeZone);
  const again = wall - offsetAt(t, timeZone);
  if (again !== t) t = again;
  return new Date(t);
}

/**
 * The instant the month `YYYY-MM` begins on the wall clock of `timeZone` (its first day at
 * 00:00 local time): calendar periods in a program's time zone start and end at these instants.
 */
export function monthStart(month: string, timeZone = 'UTC'): Date {
  const [year, m] = month.split('-').map(Number);
  const wall = Date.UTC(year, m - 1, 1);
  let t = wall - offsetAt(wall, timeZone);
  const again = wall - offsetAt(t, timeZone);
  if (again !== t) t = again;
  return new Date(t);
}

/** The calendar month holding `at` on the wall clock of `timeZone`: `[from, to)` (monthly limits, #14). */
export function monthBounds(at: Date, timeZone = 'UTC'): { from: Date; to: Date } {
  const l = localOf(at, timeZone);
  const next = l.month === 12 ? { year: l.year + 1, month: 1 } : { year: l.year, month: l.month + 1 };
  const ym = (y: number, m: number) => `${y}-${String(m).padStart(2, '0')}`;
  return { from: monthStart(ym(l.year, l.month), timeZone), to: monthStart(ym(next.year, next.month), timeZone) };
}
