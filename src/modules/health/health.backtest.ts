import { createPrng } from '../../demo/prng.js';
import { DAY_MS, intervalsOf, purchaseCycle } from './health.cycles.js';
import { AT_RISK_SCORE, churnRisk, precisionRecall } from './health.risk.js';

/**
 * The churn backtest (#16): a generated purchase history of `accounts` accounts over 540 days —
 * steady buyers (short and long cycles), accounts that stop buying, and accounts whose purchases
 * thin out and shrink before they stop. The last 90 days are hidden: each account is scored on
 * what came before, and the score's prediction (at risk: score ≥ AT_RISK_SCORE) is compared with
 * what the hidden days show (churned: no purchase in them), next to the naive "no purchase for 90
 * days" rule. Deterministic for a seed.
 */
export type BacktestResult = {
  seed: number;
  accounts: number;
  churned: number;
  score: { precision: number; recall: number; flagged: number };
  naive: { precision: number; recall: number; flagged: number };
};

const DAYS = 540;
const HIDDEN = 90;

export function generateHistory(seed: number, accounts: number): { id: string; purchases: { at: Date; amount: bigint }[] }[] {
  const rng = createPrng(seed);
  const start = Date.UTC(2025, 0, 1);
  const cutoff = DAYS - HIDDEN;
  const out: { id: string; purchases: { at: Date; amount: bigint }[] }[] = [];
  for (let i = 0; i < accounts; i++) {
    const kind = rng.weighted([
      ['steady', 50],
      ['long', 10],
      ['stops', 20],
      ['fades', 20],
    ] as const);
    const cycle = kind === 'long' ? rng.int(50, 80) : rng.int(5, 40);
    const amount = rng.int(50, 500) * 1000;
    // When a leaver stops (around the cut), and when a fading account starts to slow down.
    const stopAt = kind === 'stops' ? rng.int(cutoff - 120, cutoff + 45) : kind === 'fades' ? rng.int(cutoff - 30, DAYS + 60) : Infinity;
    const fadeFrom = kind === 'fades' ? rng.int(cutoff - 200, cutoff - 60) : Infinity;
    const purchases: { at: Date; amount: bigint }[] = [];
    let day = rng.int(0, cycle);
    while (day < DAYS && day < stopAt) {
      const fading = day > fadeFrom ? 1 + (day - fadeFrom) / 60 : 1;
      purchases.push({ at: new Date(start + day * DAY_MS + rng.int(8, 17) * 3_600_000), amount: BigInt(Math.round((amount * (0.8 + rng.next() * 0.4)) / fading)) });
      day += Math.max(1, Math.round(cycle * fading * (0.7 + rng.next() * 0.6)));
    }
    out.push({ id: `BT-${String(i).padStart(4, '0')}`, purchases });
  }
  return out;
}

export function runBacktest(seed = 16, accounts = 500): BacktestResult {
  const history = generateHistory(seed, accounts);
  const start = Date.UTC(2025, 0, 1);
  const cut = new Date(start + (DAYS - HIDDEN) * DAY_MS);
  const d = (days: number) => cut.getTime() - days * DAY_MS;
  const predicted: boolean[] = [];
  const naive: boolean[] = [];
  const actual: boolean[] = [];
  for (const a of history) {
    const seen = a.purchases.filter((p) => p.at <= cut);
    if (!seen.length) continue;
    const cycle = purchaseCycle({ purchases: seen.length, lastPurchaseAt: seen[seen.length - 1].at, intervals: intervalsOf(seen.map((p) => p.at)) }, cut);
    const sum = (from: number, to: number) => seen.filter((p) => p.at.getTime() > d(from) && p.at.getTime() <= d(to)).reduce((n, p) => n + p.amount, 0n);
    const risk = churnRisk({ cycle, spendLast3m: sum(90, 0), spendPrev3m: sum(180, 90) });
    predicted.push(risk.score >= AT_RISK_SCORE);
    naive.push((cycle.daysSinceLast ?? 0) >= 90);
    actual.push(!a.purchases.some((p) => p.at > cut));
  }
  const s = precisionRecall(predicted, actual);
  const b = precisionRecall(naive, actual);
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return {
    seed,
    accounts: actual.length,
    churned: actual.filter(Boolean).length,
    score: { precision: r3(s.precision), recall: r3(s.recall), flagged: s.tp + s.fp },
    naive: { precision: r3(b.precision), recall: r3(b.recall), flagged: b.tp + b.fp },
  };
}
