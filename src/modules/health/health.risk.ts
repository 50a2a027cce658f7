import type { CycleStatus } from './health.cycles.js';

/**
 * The churn risk score (#16): 0–100, the sum of the weights of the reasons that hold, capped at
 * 100. Pure: the service gathers the signals, the backtest generates them.
 */
export type RiskReasonCode = 'lapsed' | 'overdue' | 'spend_drop' | 'spend_decline' | 'nps_detractor' | 'unopened_messages' | 'no_portal_visit' | 'tier_at_risk';
export type RiskReason = { code: RiskReasonCode; weight: number; detail: string };

export const RISK_WEIGHTS: Record<RiskReasonCode, number> = {
  /** Past the 90th percentile of its own cycle. */
  lapsed: 45,
  /** Past the 80th percentile (not the 90th). */
  overdue: 30,
  /** Spend of the last 3 months below half of the 3 before. */
  spend_drop: 25,
  /** Below 80 % of the 3 before (not below half). */
  spend_decline: 10,
  nps_detractor: 15,
  unopened_messages: 10,
  no_portal_visit: 5,
  tier_at_risk: 10,
};
/** An account at or above this score is at risk: its trailing 12-month spend counts as revenue at risk. */
export const AT_RISK_SCORE = 40;
/** Unopened messages count from this many sent (in the window) with none opened. */
export const UNOPENED_MIN_SENT = 3;

export type RiskSignals = {
  cycle: { status: CycleStatus; daysSinceLast: number | null; p80Days: number; p90Days: number };
  /** Minor units, integers. */
  spendLast3m: bigint;
  spendPrev3m: bigint;
  /** The account's NPS, when the surveys module gives one. */
  nps?: { value: number; n: number } | null;
  /** Messages sent to the account's members in the window, and how many of them were opened. */
  messages?: { sent: number; opened: number } | null;
  /** Whether any member of the account visited the portal in the window; null: the account has no members (not counted). */
  portalVisited?: boolean | null;
  /** The account is below its tier's threshold (its grace period runs). */
  tierAtRisk?: boolean;
};

export function churnRisk(s: RiskSignals): { score: number; reasons: RiskReason[] } {
  const reasons: RiskReason[] = [];
  const add = (code: RiskReasonCode, detail: string) => reasons.push({ code, weight: RISK_WEIGHTS[code], detail });
  if (s.cycle.status === 'lapsed') add('lapsed', `${s.cycle.daysSinceLast} days since the last purchase, past its 90th percentile (${s.cycle.p90Days} days)`);
  else if (s.cycle.status === 'at_risk') add('overdue', `${s.cycle.daysSinceLast} days since the last purchase, past its 80th percentile (${s.cycle.p80Days} days)`);
  if (s.spendPrev3m > 0n) {
    if (s.spendLast3m * 2n < s.spendPrev3m) add('spend_drop', `spend of the last 3 months ${s.spendLast3m} against ${s.spendPrev3m} the 3 before (less than half)`);
    else if (s.spendLast3m * 5n < s.spendPrev3m * 4n) add('spend_decline', `spend of the last 3 months ${s.spendLast3m} against ${s.spendPrev3m} the 3 before (less than 80 %)`);
  }
  if (s.nps && s.nps.n > 0 && s.nps.value < 0) add('nps_detractor', `NPS ${s.nps.value} on ${s.nps.n} answer(s)`);
  if (s.messages && s.messages.sent >= UNOPENED_MIN_SENT && s.messages.opened === 0) add('unopened_messages', `${s.messages.sent} messages in 90 days, none opened`);
  if (s.portalVisited === false) add('no_portal_visit', 'no portal visit by its members in 90 days');
  if (s.tierAtRisk) add('tier_at_risk', 'below its tier’s threshold (grace period running)');
  const score = Math.min(100, reasons.reduce((n, r) => n + r.weight, 0));
  return { score, reasons };
}

/** Precision and recall of predictions against outcomes (true = churned). */
export function precisionRecall(predicted: readonly boolean[], actual: readonly boolean[]): { precision: number; recall: number; tp: number; fp: number; fn: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  predicted.forEach((p, i) => {
    if (p && actual[i]) tp++;
    else if (p) fp++;
    else if (actual[i]) fn++;
  });
  return { precision: tp + fp ? tp / (tp + fp) : 0, recall: tp + fn ? tp / (tp + fn) : 0, tp, fp, fn };
}
