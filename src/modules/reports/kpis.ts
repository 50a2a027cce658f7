/**
 * The program's KPIs over a period, pure: from per-day, per-account, per-currency value flows,
 * the accounts' dimensions, who was active, purchase revenue, the program's cohorts of issued
 * value and what the wallets hold. Every definition is in docs/analytics.md. Rates are basis
 * points (integers), value bigint in the currency's unit.
 */

export const KPI_DIMENSIONS = ['type', 'segment', 'region', 'tier', 'currency'] as const;
export type KpiDimension = (typeof KPI_DIMENSIONS)[number];

export interface KpiAccount {
  id: string;
  type: string;
  segment: string | null;
  region: string | null;
  tier: string | null;
}

/** One day of one account's wallets (company and staff together) in one currency. */
export interface FlowRow {
  day: string;
  accountId: string;
  currency: string;
  /** Earned through rules (credits from the issuance wallet). */
  issued: bigint;
  /** Manual credits net of debits. */
  adjusted: bigint;
  /** Spent on rewards, cashback or rebate payouts (into the redemption wallet). */
  redeemed: bigint;
  /** Lapsed (into the expiry wallet). */
  expired: bigint;
  /** Taken back by returns and corrections, net. */
  reversed: bigint;
}

/** Value issued in one month (of one currency) and what of it was eventually redeemed or expired, by the lots it created. */
export interface CohortRow {
  month: string;
  currency: string;
  issued: bigint;
  redeemed: bigint;
  expired: bigint;
}

export interface CurrencyCost {
  /** The money the cost is counted in (ISO 4217), e.g. `EUR`. */
  moneyCurrency: string;
  /** Minor units of that money one thousand units of the currency cost the program (money currencies: 1000). */
  costPer1000: bigint;
}

export interface KpiInput {
  accounts: KpiAccount[];
  /** Accounts with an event, an earning or a redemption within the participation window ending at `to`. */
  activeAccountIds: Set<string>;
  flows: FlowRow[];
  /** Purchase revenue per account in the period, net of returns, minor units. */
  revenue: { accountId: string; currency: string; amount: bigint }[];
  cohorts: CohortRow[];
  /** What participants' wallets hold now (available + pending + held), per currency. */
  outstanding: Map<string, bigint>;
  /** The cost of each currency's unit; a currency not listed has no cost counted. */
  costs: Map<string, CurrencyCost>;
  by: KpiDimension | null;
}

export interface ValueKpi {
  currency: string;
  issued: bigint;
  adjusted: bigint;
  redeemed: bigint;
  expired: bigint;
  reversed: bigint;
  /** redeemed / (issued + adjusted − reversed), basis points; 0 when nothing was issued. */
  redemptionRateBp: number;
}

export interface MoneyKpi {
  moneyCurrency: string;
  revenue: bigint;
  /** Value redeemed in the period at its cost. */
  cost: bigint;
  /** cost / revenue, basis points; null without revenue. */
  costShareBp: number | null;
  /** revenue / enrolled accounts, minor units (rounded down). */
  revenuePerAccount: bigint;
}

export interface KpiSlice {
  slice: string;
  enrolled: number;
  active: number;
  /** active / enrolled, basis points. */
  participationBp: number;
  value: ValueKpi[];
  money: MoneyKpi[];
}

export interface LiabilityKpi {
  currency: string;
  outstanding: bigint;
  /** Σ redeemed / Σ (redeemed + expired) over the cohorts' resolved value; 10000 when none is resolved yet. */
  expectedRedemptionBp: number;
  /** 10000 − expectedRedemptionBp. */
  breakageBp: number;
  /** outstanding × expected redemption rate, rounded half up: what the program expects to pay out. */
  liability: bigint;
  /** liability at cost, when the currency has one. */
  liabilityAtCost: { moneyCurrency: string; amount: bigint } | null;
}

/** a / b in basis points, rounded half up; 0 when b is 0. */
export function bp(a: bigint, b: bigint): number {
  if (b === 0n) return 0;
  const neg = a < 0n !== b < 0n;
  const n = (abs(a) * 20000n + abs(b)) / (2n * abs(b));
  return Number(neg ? -n : n);
}
const abs = (x: bigint) => (x < 0n ? -x : x);
/** x × rateBp / 10000 rounded half up (x ≥ 0). */
const applyBp = (x: bigint, rateBp: number) => (x * BigInt(rateBp) * 2n + 10000n) / 20000n;

function sliceOf(a: KpiAccount | undefined, by: KpiDimension | null): string {
  if (!by || by === 'currency' || !a) return 'all';
  return a[by] ?? '(none)';
}

/** The expected redemption rate of a currency from its cohorts of issued value. */
export function expectedRedemption(cohorts: CohortRow[], currency: string): number {
  let redeemed = 0n;
  let resolved = 0n;
  for (const c of cohorts) {
    if (c.currency !== currency) continue;
    redeemed += c.redeemed;
    resolved += c.redeemed + c.expired;
  }
  return resolved > 0n ? bp(redeemed, resolved) : 10000;
}

export function computeLiability(input: Pick<KpiInput, 'cohorts' | 'outstanding' | 'costs'>): LiabilityKpi[] {
  const currencies = new Set([...input.outstanding.keys(), ...input.cohorts.map((c) => c.currency)]);
  return [...currencies].sort().map((currency) => {
    const outstanding = input.outstanding.get(currency) ?? 0n;
    const expectedRedemptionBp = expectedRedemption(input.cohorts, currency);
    const liability = applyBp(outstanding > 0n ? outstanding : 0n, expectedRedemptionBp);
    const cost = input.costs.get(currency);
    return {
      currency,
      outstanding,
      expectedRedemptionBp,
      breakageBp: 10000 - expectedRedemptionBp,
      liability,
      liabilityAtCost: cost ? { moneyCurrency: cost.moneyCurrency, amount: (liability * cost.costPer1000 * 2n + 1000n) / 2000n } : null,
    };
  });
}

export function computeKpis(input: KpiInput): { slices: KpiSlice[]; liability: LiabilityKpi[] } {
  const accountById = new Map(input.accounts.map((a) => [a.id, a]));
  const slices = new Map<string, { enrolled: number; active: number; value: Map<string, ValueKpi>; money: Map<string, MoneyKpi> }>();
  const slice = (key: string) => {
    let s = slices.get(key);
    if (!s) slices.set(key, (s = { enrolled: 0, active: 0, value: new Map(), money: new Map() }));
    return s;
  };
  const money = (s: ReturnType<typeof slice>, moneyCurrency: string) => {
    let m = s.money.get(moneyCurrency);
    if (!m) s.money.set(moneyCurrency, (m = { moneyCurrency, revenue: 0n, cost: 0n, costShareBp: null, revenuePerAccount: 0n }));
    return m;
  };

  if (input.by !== 'currency') {
    for (const a of input.accounts) {
      const s = slice(sliceOf(a, input.by));
      s.enrolled++;
      if (input.activeAccountIds.has(a.id)) s.active++;
    }
  }
  for (const f of input.flows) {
    const key = input.by === 'currency' ? f.currency : sliceOf(accountById.get(f.accountId), input.by);
    const s = slice(key);
    let v = s.value.get(f.currency);
    if (!v) s.value.set(f.currency, (v = { currency: f.currency, issued: 0n, adjusted: 0n, redeemed: 0n, expired: 0n, reversed: 0n, redemptionRateBp: 0 }));
    v.issued += f.issued;
    v.adjusted += f.adjusted;
    v.redeemed += f.redeemed;
    v.expired += f.expired;
    v.reversed += f.reversed;
    const cost = input.costs.get(f.currency);
    if (cost) money(s, cost.moneyCurrency).cost += (f.redeemed * cost.costPer1000 * 2n + 1000n) / 2000n;
  }
  for (const r of input.revenue) {
    const key = input.by === 'currency' ? r.currency : sliceOf(accountById.get(r.accountId), input.by);
    money(slice(key), r.currency).revenue += r.amount;
  }
  if (input.by === 'currency') {
    // Every account is enrolled in every currency's slice: participation is the program's.
    const active = input.accounts.filter((a) => input.activeAccountIds.has(a.id)).length;
    for (const s of slices.values()) {
      s.enrolled = input.accounts.length;
      s.active = active;
    }
  }

  const out: KpiSlice[] = [...slices.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, s]) => ({
      slice: key,
      enrolled: s.enrolled,
      active: s.active,
      participationBp: bp(BigInt(s.active), BigInt(s.enrolled)),
      value: [...s.value.values()]
        .sort((a, b) => (a.currency < b.currency ? -1 : 1))
        .map((v) => ({ ...v, redemptionRateBp: bp(v.redeemed, v.issued + v.adjusted - v.reversed) })),
      money: [...s.money.values()]
        .sort((a, b) => (a.moneyCurrency < b.moneyCurrency ? -1 : 1))
        .map((m) => ({ ...m, costShareBp: m.revenue > 0n ? bp(m.cost, m.revenue) : null, revenuePerAccount: s.enrolled > 0 ? m.revenue / BigInt(s.enrolled) : 0n })),
    }));
  return { slices: out, liability: computeLiability(input) };
}

/** `2026-03` + k months → `2026-03+k`. */
export function addMonths(month: string, k: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + k, 1));
  return d.toISOString().slice(0, 7);
}

export interface CohortView {
  /** The month the accounts joined (their first event, or their creation if earlier). */
  cohort: string;
  accounts: number;
  /** Per month since joining (0 = the joining month), the share of the cohort active: basis points. */
  retentionBp: number[];
  /** Per month since joining, the cohort's mean cumulative spend per account (minor units, rounded down). */
  cumulativeSpend: number[];
}

/**
 * Cohorts by month of joining: retention (active share by month since joining) and cumulative
 * spend per account, up to `lastMonth`. An account is active in a month with any event in it.
 */
export function cohortRetention(joined: Map<string, string>, activity: { accountId: string; month: string; spend: bigint }[], firstMonth: string, lastMonth: string): CohortView[] {
  const members = new Map<string, string[]>();
  for (const [id, month] of joined) if (month >= firstMonth && month <= lastMonth) members.set(month, [...(members.get(month) ?? []), id]);
  const byAccount = new Map<string, Map<string, { spend: bigint }>>();
  for (const a of activity) {
    let m = byAccount.get(a.accountId);
    if (!m) byAccount.set(a.accountId, (m = new Map()));
    const e = m.get(a.month) ?? { spend: 0n };
    e.spend += a.spend;
    m.set(a.month, e);
  }
  const out: CohortView[] = [];
  for (const cohort of [...members.keys()].sort()) {
    const ids = members.get(cohort)!;
    const retentionBp: number[] = [];
    const cumulativeSpend: number[] = [];
    let cumulative = 0n;
    for (let k = 0; addMonths(cohort, k) <= lastMonth; k++) {
      const month = addMonths(cohort, k);
      let active = 0;
      for (const id of ids) {
        const e = byAccount.get(id)?.get(month);
        if (e) {
          active++;
          cumulative += e.spend;
        }
      }
      retentionBp.push(bp(BigInt(active), BigInt(ids.length)));
      cumulativeSpend.push(Number(cumulative / BigInt(ids.length)));
    }
    out.push({ cohort, accounts: ids.length, retentionBp, cumulativeSpend });
  }
  return out;
}
