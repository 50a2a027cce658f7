/**
 * Purchase cycles (#16): from an account's purchase dates, the intervals between purchases, their
 * median, 80th and 90th percentiles, the days since the last purchase and a status against the
 * account's own cycle. Pure functions: the service feeds them stored events, the backtest a
 * generated history.
 */
export const DAY_MS = 86_400_000;
/** Below this many purchases an account has no cycle of its own: its segment's (or account type's) is used. */
export const MIN_OWN_PURCHASES = 3;

export type CycleStatus = 'ok' | 'at_risk' | 'lapsed';
export type CycleSource = 'own' | 'segment' | 'type' | 'none';
export type Cycle = { medianDays: number; p80Days: number; p90Days: number };
export type PurchaseCycle = Cycle & {
  purchases: number;
  lastPurchaseAt: string | null;
  daysSinceLast: number | null;
  status: CycleStatus;
  source: CycleSource;
};

const round1 = (x: number) => Math.round(x * 10) / 10;

/** The p-quantile (0 ≤ p ≤ 1) of sorted values, linear between the closest ranks (R type 7); null for none. */
export function quantile(sorted: readonly number[], p: number): number | null {
  if (!sorted.length) return null;
  if (!(p >= 0 && p <= 1)) throw new RangeError('p must be between 0 and 1');
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (h - lo);
}

/** Intervals in days (one decimal) between consecutive purchases, whatever order the dates come in. */
export function intervalsOf(dates: readonly Date[]): number[] {
  const t = dates.map((d) => d.getTime()).sort((a, b) => a - b);
  const out: number[] = [];
  for (let i = 1; i < t.length; i++) out.push(round1((t[i] - t[i - 1]) / DAY_MS));
  return out;
}

/** Median, p80 and p90 of intervals; null with none. */
export function cycleOfIntervals(intervals: readonly number[]): Cycle | null {
  if (!intervals.length) return null;
  const s = [...intervals].sort((a, b) => a - b);
  return { medianDays: round1(quantile(s, 0.5)!), p80Days: round1(quantile(s, 0.8)!), p90Days: round1(quantile(s, 0.9)!) };
}

/** `ok` up to the 80th percentile, `at_risk` past it, `lapsed` past the 90th. */
export function statusOf(daysSinceLast: number | null, cycle: Cycle | null): CycleStatus {
  if (daysSinceLast === null || !cycle) return 'ok';
  if (daysSinceLast > cycle.p90Days) return 'lapsed';
  if (daysSinceLast > cycle.p80Days) return 'at_risk';
  return 'ok';
}

/**
 * The cycle of one account at `now`: its own from its intervals when it has at least
 * MIN_OWN_PURCHASES purchases, otherwise the fallback (its segment's or account type's), otherwise none.
 */
export function purchaseCycle(
  input: { purchases: number; lastPurchaseAt: Date | null; intervals: readonly number[] },
  now: Date,
  fallback?: { cycle: Cycle; source: 'segment' | 'type' } | null,
): PurchaseCycle {
  const own = input.purchases >= MIN_OWN_PURCHASES ? cycleOfIntervals(input.intervals) : null;
  const chosen = own ? { cycle: own, source: 'own' as const } : (fallback ?? null);
  const daysSinceLast = input.lastPurchaseAt ? Math.max(0, Math.floor((now.getTime() - input.lastPurchaseAt.getTime()) / DAY_MS)) : null;
  const cycle = chosen?.cycle ?? null;
  return {
    purchases: input.purchases,
    lastPurchaseAt: input.lastPurchaseAt?.toISOString() ?? null,
    daysSinceLast,
    medianDays: cycle?.medianDays ?? 0,
    p80Days: cycle?.p80Days ?? 0,
    p90Days: cycle?.p90Days ?? 0,
    status: statusOf(daysSinceLast, cycle),
    source: chosen?.source ?? 'none',
  };
}

/** A group's cycle (segment or account type): the pooled intervals of its accounts that have a cycle of their own. */
export function groupCycle(members: readonly { purchases: number; intervals: readonly number[] }[]): Cycle | null {
  return cycleOfIntervals(members.filter((m) => m.purchases >= MIN_OWN_PURCHASES).flatMap((m) => m.intervals));
}
