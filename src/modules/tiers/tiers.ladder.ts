import type { FieldError } from '../../lib/domain-error.js';
import { formatterPerZone } from '../../lib/time-zone.js';
import { periodKey } from '../rules/index.js';

/**
 * The pure part of tiers: periods and windows over monthly buckets, which tier an account
 * qualifies for, ladder validation, what it takes to keep a tier, and the best discount.
 * No database and no clock: the service and the evaluation job pass everything in.
 */

export type Metric = 'spend' | 'units' | 'points';
export type Period = { rollingMonths: number } | { calendar: 'year' | 'quarter' };
export const DEFAULT_LADDER = 'default';

export type Tier = {
  code: string;
  name: string;
  ladder: string;
  rank: number;
  metric: Metric;
  period: Period;
  min: bigint;
  discountBp: number;
  multiplierMilli: number;
  perks: string[];
  graceDays: number;
};

export type Bucket = { month: string; spend: bigint; units: bigint; points: bigint };
export type Window = { from: string; to: string };

const DAY = 86_400_000;

/** `YYYY-MM` of an instant in the program's time zone. */
export function monthOf(at: Date, timeZone: string): string {
  return periodKey('month', at, timeZone, '');
}

export function shiftMonth(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return d.toISOString().slice(0, 7);
}

/** The months a period covers when `month` is the current one (both ends included). */
export function windowOf(period: Period, month: string): Window {
  if ('rollingMonths' in period) return { from: shiftMonth(month, -(period.rollingMonths - 1)), to: month };
  const [y, m] = month.split('-').map(Number);
  if (period.calendar === 'year') return { from: `${y}-01`, to: `${y}-12` };
  const first = Math.floor((m - 1) / 3) * 3 + 1;
  const from = `${y}-${String(first).padStart(2, '0')}`;
  return { from, to: shiftMonth(from, 2) };
}

/** The first month in which the window no longer is what it is in `month`: a rolling window drops a month, a calendar one resets. */
export function nextChange(period: Period, month: string): string {
  return shiftMonth(windowOf(period, month).to, 1);
}

export function sumIn(buckets: Bucket[], metric: Metric, w: Window): bigint {
  let v = 0n;
  for (const b of buckets) if (b.month >= w.from && b.month <= w.to) v += b[metric];
  return v;
}

export function valueFor(tier: Pick<Tier, 'metric' | 'period'>, buckets: Bucket[], month: string): bigint {
  return sumIn(buckets, tier.metric, windowOf(tier.period, month));
}

/** The best tier of the ladder whose threshold the account reaches in `month`, or null. */
export function qualifyingTier(ladder: Tier[], buckets: Bucket[], month: string): Tier | null {
  let best: Tier | null = null;
  for (const t of ladder) if (valueFor(t, buckets, month) >= t.min && (!best || t.rank > best.rank)) best = t;
  return best;
}

/** The ladder an account type climbs: the one listing the type, else `default`. */
export function ladderOf(accountType: string, ladders: { code: string; accountTypes: string[] }[]): string {
  return ladders.find((l) => l.accountTypes.includes(accountType))?.code ?? DEFAULT_LADDER;
}

export function samePeriod(a: Period, b: Period): boolean {
  return 'rollingMonths' in a ? 'rollingMonths' in b && a.rollingMonths === b.rollingMonths : 'calendar' in b && a.calendar === b.calendar;
}

export function describePeriod(p: Period): string {
  return 'rollingMonths' in p ? `${p.rollingMonths} rolling month${p.rollingMonths === 1 ? '' : 's'}` : `the calendar ${p.calendar}`;
}

/**
 * Checks the ladder `changed` belongs to, as it would be after the change: ranks unique, and
 * among tiers that qualify on the same metric over the same period, thresholds strictly rising
 * with rank (two tiers with one threshold, or a higher tier below a lower one, would overlap).
 */
export function ladderErrors(all: Tier[], changed: Tier): FieldError[] {
  const errors: FieldError[] = [];
  const ladder = all.filter((t) => t.ladder === changed.ladder);
  const twin = ladder.find((t) => t.code !== changed.code && t.rank === changed.rank);
  if (twin) errors.push({ path: 'rank', message: `rank ${changed.rank} is already taken by tier "${twin.code}" in ladder "${changed.ladder}"` });
  const comparable = ladder.filter((t) => t.code !== changed.code && t.metric === changed.metric && samePeriod(t.period, changed.period));
  const below = comparable.filter((t) => t.rank < changed.rank).sort((a, b) => b.rank - a.rank)[0];
  const above = comparable.filter((t) => t.rank > changed.rank).sort((a, b) => a.rank - b.rank)[0];
  const on = `${changed.metric} over ${describePeriod(changed.period)}`;
  if (below && changed.min <= below.min) {
    errors.push({ path: 'qualify.min', message: `must be more than ${below.min} (tier "${below.code}", rank ${below.rank}, on ${on}): thresholds rise with rank` });
  }
  if (above && changed.min >= above.min) {
    errors.push({ path: 'qualify.min', message: `must be less than ${above.min} (tier "${above.code}", rank ${above.rank}, on ${on}): thresholds rise with rank` });
  }
  return errors;
}

/** The wall clock in a time zone, to the second. */
const clockFormatIn = formatterPerZone((timeZone) => new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }));

/** Milliseconds of the time zone's offset from UTC at an instant. */
function offsetAt(t: number, timeZone: string): number {
  const parts = clockFormatIn(timeZone).formatToParts(new Date(t));
  const get = (k: string) => Number(parts.find((p) => p.type === k)!.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - Math.floor(t / 1000) * 1000;
}

/** The instant a month starts in the program's time zone. */
export function monthStart(month: string, timeZone: string): Date {
  const [y, m] = month.split('-').map(Number);
  const guess = Date.UTC(y, m - 1, 1);
  let t = guess - offsetAt(guess, timeZone);
  // Across a DST change the offset at the guess and at the answer differ: take the answer's.
  const again = offsetAt(t, timeZone);
  if (again !== guess - t) t = guess - again;
  return new Date(t);
}

export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * DAY);
}

/**
 * What keeps `tier`: when the account would lose it if it did nothing more (the first window
 * change that takes it below the threshold, or the end of a running grace period), and how much
 * more of the metric, counted in the window current at that date, it needs by then.
 */
export function keepBy(tier: Tier, buckets: Bucket[], now: Date, timeZone: string, belowSince: Date | null): { by: Date; remaining: bigint } {
  const month = monthOf(now, timeZone);
  let by: Date;
  if (belowSince) {
    by = addDays(belowSince, tier.graceDays);
  } else if (valueFor(tier, buckets, month) < tier.min) {
    // Already below, and no evaluation has started the grace period yet: the next one will.
    by = addDays(now, tier.graceDays);
  } else {
    let change = nextChange(tier.period, month);
    // A rolling window falls below at most `rollingMonths` changes from now (every bucket has left it by then).
    for (let i = 0; i < 61 && valueFor(tier, buckets, change) >= tier.min; i++) change = nextChange(tier.period, change);
    by = addDays(monthStart(change, timeZone), tier.graceDays);
  }
  const left = tier.min - valueFor(tier, buckets, monthOf(by, timeZone));
  return { by, remaining: left > 0n ? left : 0n };
}

export type DiscountParts = {
  tierBp: number;
  accumulativeBp: number;
  /** Present while an override lasts. */
  override: { tierBp: number | null; discountBp: number | null } | null;
};

/** The best applicable discount; on a tie an override wins, then the tier. No discount at all has no source. */
export function bestDiscount(p: DiscountParts): { bp: number; source: 'tier' | 'accumulative' | 'override' | null } {
  const tierBp = p.override?.tierBp ?? p.tierBp;
  const candidates: [number, 'tier' | 'accumulative' | 'override'][] = [
    [p.override?.discountBp ?? 0, 'override'],
    [tierBp, 'tier'],
    [p.accumulativeBp, 'accumulative'],
  ];
  let best = candidates[0];
  for (const c of candidates) if (c[0] > best[0]) best = c;
  return best[0] > 0 ? { bp: best[0], source: best[1] } : { bp: 0, source: null };
}

/** The accumulative step reached by a cumulative spend (steps sorted by minSpend). */
export function accumulativeBp(steps: { minSpend: bigint; discountBp: number }[], lifetimeSpend: bigint): number {
  let bp = 0;
  for (const s of steps) if (lifetimeSpend >= s.minSpend) bp = s.discountBp;
  return bp;
}

export const percentToBp = (p: number): number => Math.round(p * 100);
export const bpToPercent = (bp: number): number => bp / 100;
export const multiplierToMilli = (m: number): number => Math.round(m * 1000);
