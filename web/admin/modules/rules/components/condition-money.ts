import { formatQuery, type RuleGroupType } from 'react-querybuilder';
import { parseJsonLogic } from 'react-querybuilder/parseJsonLogic';
import { decimalToMinor, minorToDecimal } from '../../../../shared/format/format.js';

/** Fields that hold money in minor units: shown as money in the sentence, typed in major units of the spend currency (#21). */
export const MONEY_FIELDS = new Set(['event.amount', 'account.stats.spend12m', 'line.amount']);
const EMPTY: RuleGroupType = { combinator: 'and', rules: [] };

/** The builder's query as JsonLogic; an empty builder means "no condition" (null). */
export function toJsonLogic(q: RuleGroupType): unknown {
  if (!q.rules.length) return null;
  const out: unknown = formatQuery(q, { format: 'jsonlogic', parseNumbers: true });
  return out === false ? null : out;
}

type Rules = RuleGroupType['rules'];
/** Applies `f` to every value of a money field, in nested groups too, and to each part of a list ("100,200" for between). */
function mapMoney(q: RuleGroupType, f: (v: string) => string | number): RuleGroupType {
  const each = (v: unknown): unknown => (Array.isArray(v) ? v.map((x) => f(String(x).trim())) : typeof v === 'string' && v.includes(',') ? v.split(',').map((x) => f(x.trim())).join(',') : v === undefined || v === null || v === '' ? v : f(String(v)));
  const rules: Rules = q.rules.map((r) => (typeof r === 'string' ? r : 'rules' in r ? mapMoney(r, f) : MONEY_FIELDS.has(r.field) ? { ...r, value: each(r.value) } : r));
  return { ...q, rules };
}
/** Stored minor units → what the builder shows: "500" for 50000 cents, "12.5" for 1250. */
const toMajor = (digits: number) => (v: string) => (/^-?\d+$/.test(v) ? minorToDecimal(BigInt(v), digits).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '') : v);
/** What was typed → minor units, exactly (by string); text that is not an amount is kept for the validator to refuse. */
const toMinor = (digits: number) => (v: string) => {
  const minor = decimalToMinor(v, digits);
  return minor === null ? v : Number(minor);
};

/** The builder's query, money typed in major units, as the JsonLogic stored (minor units). */
export const builderToLogic = (q: RuleGroupType, digits: number) => toJsonLogic(mapMoney(q, toMinor(digits)));
/** Stored JsonLogic as the builder shows it (money in major units), or null when it is too rich for the builder. */
export function logicToBuilder(logic: unknown, digits: number): RuleGroupType | null {
  const q = parseCondition(logic);
  return q ? mapMoney(q, toMajor(digits)) : null;
}

/**
 * A condition the builder can show: parse it, and accept it only if it exports back to the same
 * JsonLogic; anything richer (arithmetic, `reduce` over lines…) stays in the JSON editor.
 */
function parseCondition(logic: unknown): RuleGroupType | null {
  if (logic === null || logic === undefined) return EMPTY;
  try {
    const q = parseJsonLogic(logic as Parameters<typeof parseJsonLogic>[0]);
    return JSON.stringify(toJsonLogic(q)) === JSON.stringify(logic) ? q : null;
  } catch {
    return null;
  }
}

