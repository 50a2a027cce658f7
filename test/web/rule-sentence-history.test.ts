import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import en from '../../web/admin/locales/en.json' with { type: 'json' };
import fr from '../../web/admin/locales/fr.json' with { type: 'json' };
import { conditionSentence } from '../../web/admin/modules/rules/components/condition-sentence.js';
import { historyLines } from '../../web/portal/modules/home/components/entry-lines.js';

// The rule editor's sentence and the portal's one line per redemption (#21).
const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.init({ lng: 'en', resources: { en: { translation: en }, fr: { translation: fr } }, interpolation: { escapeValue: false } });
});
const nbsp = (s: string | null) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ');
const read = (logic: unknown, lng = 'en') =>
  nbsp(conditionSentence(logic, { t: i18n.getFixedT(lng), locale: lng, money: (field, v) => (field === 'event.amount' ? new Intl.NumberFormat(lng, { style: 'currency', currency: 'EUR' }).format(v / 100) : null) }));

describe('a condition read as a sentence', () => {
  it('reads the builder’s conditions in English and French, amounts as money', () => {
    const logic = { and: [{ '>=': [{ var: 'event.amount' }, 50000] }, { '==': [{ var: 'account.type' }, 'dealer'] }] };
    expect(read(logic)).toBe('When the amount is at least €500.00 and the account type is “dealer”.');
    expect(read(logic, 'fr')).toBe('Quand le montant est d’au moins 500,00 € et le type de compte est “dealer”.');
    expect(read({ or: [{ in: [{ var: 'account.tier' }, ['gold', 'silver']] }, { '!': { in: [{ var: 'member.role' }, ['intern']] } }] })).toBe('When the tier is “gold” or “silver” or the member\'s role is not “intern”.');
    expect(read({ '<=': [1, { var: 'account.stats.purchases' }, 3] })).toBe('When the account\'s purchases so far is between 1 and 3.');
    expect(read(null)).toBe('Every event of this type counts.');
  });

  it('answers null for what it cannot read (arithmetic, an empty value)', () => {
    expect(conditionSentence({ '>': [{ '*': [{ var: 'event.amount' }, 2] }, 5] }, { t: i18n.t, locale: 'en', money: () => null })).toBeNull();
    expect(conditionSentence({ '==': [{ var: 'account.type' }, ''] }, { t: i18n.t, locale: 'en', money: () => null })).toBeNull();
  });
});

describe('the portal history', () => {
  const e = (id: string, kind: string, bucket: 'available' | 'held', amount: number, redemptionId: string | null, at = `2026-11-0${id}T10:00:00Z`) => ({ id, at, currency: 'points', amount, bucket, kind, memo: '1 × Jacket', eventId: null, redemptionId });
  it('makes one line per redemption: the cost while reserved or delivered, nothing once cancelled', () => {
    const entries = [
      e('6', 'redeem', 'held', -2500, 'rdm_1'),
      e('5', 'release', 'available', 300, 'rdm_2'),
      e('4', 'release', 'held', -300, 'rdm_2'),
      e('3', 'earn', 'available', 900, null),
      e('2', 'hold', 'held', 2500, 'rdm_1'),
      e('1', 'hold', 'available', -2500, 'rdm_1'),
    ];
    const lines = historyLines(entries, [{ id: 'rdm_1', reward: { name: 'Team jacket' }, status: 'fulfilled' }]);
    expect(lines.map((l) => (l.type === 'entry' ? ['entry', l.entry.kind] : [l.id, l.amount, l.status, l.name]))).toEqual([
      ['rdm_1', -2500, 'fulfilled', 'Team jacket'],
      ['rdm_2', 0, 'cancelled', '1 × Jacket'],
      ['entry', 'earn'],
    ]);
  });
});
