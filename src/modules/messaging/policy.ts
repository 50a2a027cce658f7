import type { QuietHours } from '../../contracts/messaging.js';
import { formatterPerZone } from '../../lib/time-zone.js';

const clockIn = formatterPerZone((timeZone) => new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }));

/** Seconds since local midnight of `at` in `timeZone`. */
function localSeconds(at: Date, timeZone: string): number {
  const parts = clockIn(timeZone).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  return get('hour') * 3600 + get('minute') * 60 + get('second');
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * When the quiet window that `at` falls in ends, or null outside one. `{from: "21:00", to: "08:00"}`
 * spans midnight; `from` is in the window, `to` is not. A DST change inside the window moves its
 * end by the hour the clocks moved, which the second pass corrects.
 */
export function quietUntil(at: Date, timeZone: string, q: QuietHours | null | undefined): Date | null {
  if (!q || q.from === q.to) return null;
  const now = localSeconds(at, timeZone);
  const from = minutesOf(q.from) * 60;
  const to = minutesOf(q.to) * 60;
  const inside = from < to ? now >= from && now < to : now >= from || now < to;
  if (!inside) return null;
  // From the start of `at`'s second: the window ends on the minute, whatever milliseconds `at` carries.
  let end = new Date(Math.floor(at.getTime() / 1000) * 1000 + (((to - now + 86_400) % 86_400) || 86_400) * 1000);
  const drift = localSeconds(end, timeZone) - to;
  if (drift !== 0 && Math.abs(drift) <= 7200) end = new Date(end.getTime() - drift * 1000);
  return end;
}

/** The instant the local day of `at` began in `timeZone` (what the daily frequency cap counts from). */
export function startOfLocalDay(at: Date, timeZone: string): Date {
  return new Date(Math.floor(at.getTime() / 1000) * 1000 - localSeconds(at, timeZone) * 1000);
}
