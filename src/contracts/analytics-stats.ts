/**
 * Shared with the console (its sample-size calculator), hence in src/contracts: pure, no I/O.
 *
 * The program's statistics, pure: difference-in-differences with standard errors clustered by
 * account, the sample-size / minimum-detectable-effect calculator, seeded stratified
 * randomisation. No I/O, no clock: the same input gives the same answer (docs/analytics.md).
 */

/** A seeded pseudo-random generator (mulberry32): uniform in [0, 1), reproducible with the seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box–Muller) from a uniform generator. */
export function normalDraw(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** The standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError('p must be in (0, 1)');
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/**
 * Student's t quantile with `df` degrees of freedom (Hill's 1970 expansion around the normal
 * quantile; within 1e-3 of the tables from df = 3 on, and exact in the limit).
 */
export function tQuantile(p: number, df: number): number {
  if (!Number.isFinite(df) || df > 1e6) return normalQuantile(p);
  if (df < 1) throw new RangeError('df must be at least 1');
  const z = normalQuantile(p);
  const z2 = z * z;
  const g1 = (z2 + 1) * z / 4;
  const g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
  const g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
  const g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}

/** One observation of a panel: an account's value of the metric in one period (pre or post). */
export interface PanelRow {
  accountId: string;
  group: 'pilot' | 'control';
  period: 'pre' | 'post';
  value: number;
}

export interface GroupMeans {
  accounts: number;
  preMean: number;
  postMean: number;
}

export interface DidResult {
  pilot: GroupMeans;
  control: GroupMeans;
  /** (pilot post − pre) − (control post − pre), in the metric's unit. */
  did: number;
  /** The standard error clustered by account (CR1, small-sample corrected). */
  se: number;
  ci95: [number, number];
  /** `did` over the pilot's pre-period mean (0 when that mean is 0): the relative uplift. */
  relative: number;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0);

/**
 * Difference-in-differences per account. Each account's observations are averaged per period
 * (several months per period are fine; an account missing a period counts 0 there, the usual
 * convention for spend), then Δᵢ = postᵢ − preᵢ and `did` = mean Δ(pilot) − mean Δ(control).
 *
 * The standard error is the cluster-robust (by account) one of the two-way regression
 * yᵢₜ = αᵢ + λ·post + δ·post·pilot + ε, which for two periods reduces to the per-account changes:
 * Var(δ) = Σ_pilot (Δᵢ − Δ̄ₚ)² / nₚ² + Σ_control (Δᵢ − Δ̄꜀)² / n꜀², times the CR1 correction
 * G / (G − 1) with G accounts; the interval uses Student's t with G − 2 degrees of freedom.
 * An account's serial correlation between its periods is thereby accounted for.
 */
export function differenceInDifferences(rows: PanelRow[]): DidResult {
  const byAccount = new Map<string, { group: 'pilot' | 'control'; pre: number[]; post: number[] }>();
  for (const r of rows) {
    let a = byAccount.get(r.accountId);
    if (!a) byAccount.set(r.accountId, (a = { group: r.group, pre: [], post: [] }));
    else if (a.group !== r.group) throw new RangeError(`account ${r.accountId} is in both groups`);
    a[r.period].push(r.value);
  }
  const side = (group: 'pilot' | 'control') => {
    const accs = [...byAccount.values()].filter((a) => a.group === group);
    const pre = accs.map((a) => mean(a.pre));
    const post = accs.map((a) => mean(a.post));
    const delta = accs.map((_, i) => post[i]! - pre[i]!);
    return { means: { accounts: accs.length, preMean: mean(pre), postMean: mean(post) }, delta };
  };
  const p = side('pilot');
  const c = side('control');
  const dp = mean(p.delta);
  const dc = mean(c.delta);
  const did = dp - dc;
  const g = p.delta.length + c.delta.length;
  const ss = (xs: number[], m: number) => xs.reduce((s, x) => s + (x - m) ** 2, 0);
  let se = Number.NaN;
  let ci95: [number, number] = [Number.NaN, Number.NaN];
  if (p.delta.length >= 2 && c.delta.length >= 2) {
    const variance = (ss(p.delta, dp) / p.delta.length ** 2 + ss(c.delta, dc) / c.delta.length ** 2) * (g / (g - 1));
    se = Math.sqrt(variance);
    const t = tQuantile(0.975, g - 2);
    ci95 = [did - t * se, did + t * se];
  }
  return { pilot: p.means, control: c.means, did, se, ci95, relative: p.means.preMean ? did / p.means.preMean : 0 };
}

export interface PowerInput {
  /** Standard deviation of the outcome per account (for DiD: of the per-account change Δ). */
  sd: number;
  /** Two-sided significance level, default 0.05. */
  alpha?: number;
  /** Power, default 0.8. */
  power?: number;
  /** Control accounts per pilot account, default 1. */
  ratio?: number;
}

/**
 * Accounts needed in the pilot group (and `ratio` × that in control) to detect a difference
 * `effect` in means with a two-sided test: the textbook n₁ = (z₁₋α/₂ + z₁₋β)² σ² (1 + 1/k) / δ²,
 * rounded up. With k = 1 that is 2 (z₁₋α/₂ + z₁₋β)² σ² / δ² per group.
 */
export function sampleSize(input: PowerInput & { effect: number }): { pilot: number; control: number } {
  const { alpha = 0.05, power = 0.8, ratio = 1 } = input;
  if (!(input.effect !== 0 && input.sd > 0 && ratio > 0)) throw new RangeError('effect must be non-zero, sd and ratio positive');
  const z = normalQuantile(1 - alpha / 2) + normalQuantile(power);
  const pilot = Math.ceil(((z * z * input.sd * input.sd) * (1 + 1 / ratio)) / (input.effect * input.effect) - 1e-9);
  return { pilot, control: Math.ceil(pilot * ratio - 1e-9) };
}

/** The smallest difference in means detectable with `pilot` and `control` accounts: (z₁₋α/₂ + z₁₋β) σ √(1/n₁ + 1/n₂). */
export function minimumDetectableEffect(input: PowerInput & { pilot: number; control: number }): number {
  const { alpha = 0.05, power = 0.8 } = input;
  if (!(input.pilot > 0 && input.control > 0 && input.sd > 0)) throw new RangeError('group sizes and sd must be positive');
  return (normalQuantile(1 - alpha / 2) + normalQuantile(power)) * input.sd * Math.sqrt(1 / input.pilot + 1 / input.control);
}

/** The standard deviation of a per-account change over two periods from the level's σ and the accounts' period-to-period correlation ρ: σ√(2(1 − ρ)). */
export const changeSd = (sd: number, correlation: number) => sd * Math.sqrt(2 * (1 - correlation));

export interface Assignment {
  accountId: string;
  stratum: string;
  group: 'pilot' | 'control';
}

/**
 * Seeded stratified randomisation: within each stratum (e.g. `segment|type`), accounts sorted by
 * id (so the input order does not matter) are shuffled with the seed (Fisher–Yates) and dealt
 * alternately, the stratum's first pick drawn too; each stratum's groups differ by at most one.
 * The same accounts and seed always give the same groups.
 */
export function stratifiedRandomise(accounts: { accountId: string; stratum: string }[], seed: number): Assignment[] {
  const random = seededRandom(seed);
  const strata = new Map<string, string[]>();
  for (const a of accounts) strata.set(a.stratum, [...(strata.get(a.stratum) ?? []), a.accountId]);
  const out: Assignment[] = [];
  for (const stratum of [...strata.keys()].sort()) {
    const ids = [...new Set(strata.get(stratum))].sort();
    for (let i = ids.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    }
    const first = random() < 0.5 ? 0 : 1;
    ids.forEach((accountId, i) => out.push({ accountId, stratum, group: (i + first) % 2 === 0 ? 'pilot' : 'control' }));
  }
  return out;
}
