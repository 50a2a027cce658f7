import type { TFunction } from 'i18next';

/**
 * A rule condition read aloud (#21): "the amount is at least €500 and the account type is dealer".
 * Reads what the builder writes (and/or groups of comparisons of one field with values, `in`
 * lists, `between`, their negations); anything richer answers null and stays in JsonLogic.
 */
export type SentenceParts = {
  t: TFunction;
  locale: string;
  /** Formats a number compared with a money field (minor units) as money; null: not a money field. */
  money: (field: string, value: number) => string | null;
};

type Node = unknown;
const isVar = (x: Node): x is { var: string } => !!x && typeof x === 'object' && !Array.isArray(x) && typeof (x as { var?: unknown }).var === 'string';
const opOf = (x: Node): [string, Node[]] | null => {
  if (!x || typeof x !== 'object' || Array.isArray(x)) return null;
  const keys = Object.keys(x);
  if (keys.length !== 1) return null;
  const raw = (x as Record<string, Node>)[keys[0]];
  return [keys[0], Array.isArray(raw) ? raw : [raw]];
};

const OPS: Record<string, string> = { '==': 'is', '===': 'is', '!=': 'isNot', '!==': 'isNot', '<': 'lessThan', '<=': 'atMost', '>': 'moreThan', '>=': 'atLeast' };
const FLIP: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

export function conditionSentence(logic: Node, p: SentenceParts): string | null {
  const { t, locale } = p;
  const field = (name: string) => t(`rules.sentence.fields.${name.replace(/\./g, '_')}`, { defaultValue: name });
  const value = (name: string, v: Node): string | null => {
    if (typeof v === 'number') return p.money(name, v) ?? new Intl.NumberFormat(locale).format(v);
    if (typeof v === 'string') return v === '' ? null : `“${v}”`;
    if (typeof v === 'boolean') return t(v ? 'rules.sentence.yes' : 'rules.sentence.no');
    return null;
  };
  const list = (items: string[], type: 'disjunction' | 'conjunction') => new Intl.ListFormat(locale, { type }).format(items);

  function clause(node: Node, negated = false): string | null {
    const o = opOf(node);
    if (!o) return null;
    const [op, args] = o;
    if (op === '!' && args.length === 1) return clause(args[0], !negated);
    if (op === 'and' || op === 'or') {
      if (negated) return null;
      const parts = args.map((a) => clause(a));
      if (!parts.length || parts.some((x) => x === null)) return null;
      const joined = list(parts as string[], op === 'and' ? 'conjunction' : 'disjunction');
      return parts.length > 1 ? t('rules.sentence.group', { clauses: joined }) : joined;
    }
    if (op === 'in' && args.length === 2 && isVar(args[0]) && Array.isArray(args[1])) {
      const name = args[0].var;
      const values = (args[1] as Node[]).map((v) => value(name, v));
      if (!values.length || values.some((v) => v === null)) return null;
      return t(negated ? 'rules.sentence.notIn' : 'rules.sentence.in', { field: field(name), values: list(values as string[], 'disjunction') });
    }
    if (op === '<=' && args.length === 3 && isVar(args[1])) {
      const name = args[1].var;
      const a = value(name, args[0]);
      const b = value(name, args[2]);
      if (a === null || b === null) return null;
      return t(negated ? 'rules.sentence.notBetween' : 'rules.sentence.between', { field: field(name), a, b });
    }
    if (OPS[op] && args.length === 2) {
      let [l, r] = args;
      let o2 = op;
      if (!isVar(l) && isVar(r)) {
        [l, r] = [r, l];
        o2 = FLIP[op] ?? op;
      }
      if (!isVar(l)) return null;
      const v = value(l.var, r);
      if (v === null) return null;
      let key = OPS[o2];
      if (negated) key = key === 'is' ? 'isNot' : key === 'isNot' ? 'is' : '';
      if (!key) return null;
      return t(`rules.sentence.${key}`, { field: field(l.var), value: v });
    }
    return null;
  }

  if (logic === null || logic === undefined) return t('rules.sentence.always');
  const s = clause(logic);
  if (s === null) return null;
  // The outermost group needs no brackets.
  const o = opOf(logic);
  const top = o && (o[0] === 'and' || o[0] === 'or') ? list((o[1].map((a) => clause(a)) as string[]), o[0] === 'and' ? 'conjunction' : 'disjunction') : s;
  return t('rules.sentence.when', { clauses: top });
}
