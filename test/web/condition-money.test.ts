import { describe, expect, it } from 'vitest';
import { builderToLogic, logicToBuilder } from '../../web/admin/modules/rules/components/condition-money.js';

// Conditions on amounts are typed in major units of the program's spend currency and stored
// exactly in minor units (#21): €500 is 50000 cents, ¥500 is 500, and a round trip changes nothing.
describe('money in the condition builder', () => {
  const stored = { and: [{ '>=': [{ var: 'event.amount' }, 50000] }, { '==': [{ var: 'account.type' }, 'dealer'] }] };

  it('shows stored cents as euros and stores what is typed back in cents, other fields untouched', () => {
    const q = logicToBuilder(stored, 2)!;
    expect(q.rules).toMatchObject([{ field: 'event.amount', value: '500' }, { field: 'account.type', value: 'dealer' }]);
    expect(builderToLogic(q, 2)).toEqual(stored);
  });

  it('converts decimals exactly, by string, with the currency’s own digits', () => {
    const typed = { combinator: 'and', rules: [{ field: 'event.amount', operator: '>=', value: '0.29' }] };
    expect(builderToLogic(typed, 2)).toEqual({ and: [{ '>=': [{ var: 'event.amount' }, 29] }] });
    expect(builderToLogic({ ...typed, rules: [{ ...typed.rules[0], value: '500' }] }, 0)).toEqual({ and: [{ '>=': [{ var: 'event.amount' }, 500] }] });
    expect(logicToBuilder({ and: [{ '>=': [{ var: 'account.stats.spend12m' }, 1250] }] }, 2)!.rules[0]).toMatchObject({ value: '12.5' });
  });

  it('converts both ends of a between', () => {
    const typed = { combinator: 'and', rules: [{ field: 'event.amount', operator: 'between', value: '100,200.5' }] };
    const logic = JSON.stringify(builderToLogic(typed, 2));
    expect(logic).toContain('10000');
    expect(logic).toContain('20050');
    expect(logic).not.toContain('200.5');
  });

  it('keeps what is not an amount for the validator to refuse, never a guessed number', () => {
    const typed = { combinator: 'and', rules: [{ field: 'event.amount', operator: '>=', value: '12.345' }] };
    expect(JSON.stringify(builderToLogic(typed, 2))).not.toContain('1234');
  });
});
