import type { RuleInput } from '../api/rules-api';

type Effect = RuleInput['effects'][number];

/**
 * An effect as the form edits it. The amount is JsonLogic on the wire; the common shapes get
 * plain inputs: a fixed number, "one per N of the amount" (100 = one point per euro when amounts
 * are in cents), a percentage of the amount (cashback), or any JsonLogic.
 */
export type EffectDraft = {
  currency: string;
  to: Effect['to'];
  mode: 'fixed' | 'perAmount' | 'percent' | 'custom';
  fixed: number | string;
  divisor: number | string;
  percent: number | string;
  custom: string;
  availableAfterDays: number | string;
  capOn: boolean;
  capPer: NonNullable<Effect['cap']>['per'];
  capScope: NonNullable<Effect['cap']>['scope'];
  capMax: number | string;
  perLine: unknown;
};

const AMOUNT = { var: 'event.amount' };
const isAmountVar = (v: unknown) => JSON.stringify(v) === JSON.stringify(AMOUNT);

export function newEffect(currency: string): EffectDraft {
  return { currency, to: 'split', mode: 'perAmount', fixed: 100, divisor: 100, percent: 1, custom: '', availableAfterDays: '', capOn: false, capPer: 'month', capScope: 'member', capMax: '', perLine: undefined };
}

export function effectToDraft(e: Effect): EffectDraft {
  const d: EffectDraft = { ...newEffect(e.currency), to: e.to, perLine: e.perLine, mode: 'custom', custom: JSON.stringify(e.amount) };
  const a = e.amount;
  if (typeof a === 'number') Object.assign(d, { mode: 'fixed', fixed: a });
  else if (a && typeof a === 'object' && !Array.isArray(a)) {
    const [op, args] = Object.entries(a)[0] ?? [];
    if (op === '/' && Array.isArray(args) && isAmountVar(args[0]) && typeof args[1] === 'number') Object.assign(d, { mode: 'perAmount', divisor: args[1] });
    if (op === '*' && Array.isArray(args) && isAmountVar(args[0]) && typeof args[1] === 'number') Object.assign(d, { mode: 'percent', percent: Math.round(args[1] * 100 * 1e6) / 1e6 });
  }
  if (e.availableAfterDays !== undefined) d.availableAfterDays = e.availableAfterDays;
  if (e.cap) Object.assign(d, { capOn: true, capPer: e.cap.per, capScope: e.cap.scope, capMax: e.cap.max });
  return d;
}

const num = (v: number | string): number => (typeof v === 'number' ? v : v.trim() === '' ? Number.NaN : Number(v));

/** The wire effect; an unparsable custom JSON is reported by path, before zod sees it. */
export function draftToEffect(d: EffectDraft): { effect: Effect; jsonError: boolean } {
  let amount: unknown;
  let jsonError = false;
  if (d.mode === 'fixed') amount = num(d.fixed);
  else if (d.mode === 'perAmount') amount = { '/': [AMOUNT, num(d.divisor)] };
  else if (d.mode === 'percent') amount = { '*': [AMOUNT, num(d.percent) / 100] };
  else {
    try {
      amount = JSON.parse(d.custom);
    } catch {
      jsonError = true;
      amount = null;
    }
  }
  const effect: Effect = { currency: d.currency, to: d.to, amount: amount as Effect['amount'] };
  if (d.perLine !== undefined && d.perLine !== null) effect.perLine = d.perLine as Effect['perLine'];
  if (String(d.availableAfterDays).trim() !== '') effect.availableAfterDays = num(d.availableAfterDays);
  if (d.capOn) effect.cap = { per: d.capPer, scope: d.capScope, max: num(d.capMax) };
  return { effect, jsonError };
}
