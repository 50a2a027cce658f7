import type { EventInput } from '../../src/contracts/events.js';
import type { RuleInput } from '../../src/contracts/rules.js';

/**
 * The request bodies of docs/recipes.md. The doc shows each of these as a ```json block after a
 * `<!-- fixture: <recipe>.<path> -->` marker, and recipes.test.ts checks the two are equal, so
 * what the doc tells people to POST is exactly what the tests run.
 */

/** One request of a recipe's setup: `{"POST /currencies": {…}}` — the method and path under /api/v1, then the body. */
export type SetupStep = Record<string, Record<string, unknown>>;

export type Recipe = {
  setup: SetupStep[];
  rules: Record<string, RuleInput>;
  batch: { events: EventInput[] };
};

const points: SetupStep = { 'POST /currencies': { code: 'points', name: 'Points', kind: 'points' } };

/** (a) Points per amount spent, shared 80/20 between the company and the employee who ordered. */
export const pointsSplit: Recipe = {
  setup: [
    { 'PATCH /program': { accountShare: 80 } },
    points,
    { 'POST /roles': { code: 'purchasing', name: 'Purchasing manager' } },
    { 'POST /accounts': { externalId: 'C-1001', name: 'Aqua Service SARL', type: 'dealer' } },
    { 'POST /accounts/ext:C-1001/members': { externalId: 'E-77', name: 'Anna Petit', role: 'purchasing' } },
  ],
  rules: {
    perEuro: {
      name: '1 point per euro, 80 % to the company, 20 % to the buyer',
      eventType: 'purchase',
      condition: { '==': [{ var: 'event.currency' }, 'EUR'] },
      effects: [{ currency: 'points', to: 'split', amount: { '/': [{ var: 'event.amount' }, 100] } }],
    },
  },
  batch: {
    events: [
      { id: 'INV-2026-000123', type: 'purchase', occurredAt: '2026-11-02T10:15:00Z', accountId: 'ext:C-1001', memberId: 'ext:E-77', amount: 125000, currency: 'EUR' },
      { id: 'INV-2026-000124', type: 'purchase', occurredAt: '2026-11-03T09:00:00Z', accountId: 'ext:C-1001', amount: 4999, currency: 'EUR' },
      { id: 'INV-2026-000125', type: 'purchase', occurredAt: '2026-11-04T14:30:00Z', accountId: 'ext:C-1001', memberId: 'ext:E-77', amount: 1999, currency: 'EUR' },
    ],
  },
};

/** (b) Etihad SuperSeller: miles to the travel agent who sold a business- or first-class ticket. */
export const etihadSuperSeller: Recipe = {
  setup: [
    { 'POST /currencies': { code: 'miles', name: 'SuperSeller miles', kind: 'points' } },
    { 'POST /roles': { code: 'agent', name: 'Travel agent' } },
    { 'POST /accounts': { externalId: 'AG-DXB-01', name: 'Falcon Travel LLC', type: 'agency', region: 'AE' } },
    { 'POST /accounts/ext:AG-DXB-01/members': { externalId: 'AGT-5521', name: 'Priya Nair', role: 'agent' } },
  ],
  rules: {
    premiumCabins: {
      name: 'SuperSeller: miles for business and first class',
      eventType: 'purchase',
      condition: { in: [{ var: 'event.attributes.cabin' }, ['business', 'first']] },
      effects: [{ currency: 'miles', to: 'member', amount: { '/': [{ var: 'event.amount' }, 1000] }, availableAfterDays: 14 }],
      target: { types: ['agency'] },
    },
  },
  batch: {
    events: [
      { id: 'TKT-607-2401', type: 'purchase', occurredAt: '2026-03-02T08:40:00Z', accountId: 'ext:AG-DXB-01', memberId: 'ext:AGT-5521', amount: 1240000, currency: 'AED', attributes: { cabin: 'business' } },
      { id: 'TKT-607-2402', type: 'purchase', occurredAt: '2026-03-03T11:05:00Z', accountId: 'ext:AG-DXB-01', memberId: 'ext:AGT-5521', amount: 215000, currency: 'AED', attributes: { cabin: 'economy' } },
      { id: 'TKT-607-2403', type: 'purchase', occurredAt: '2026-03-05T16:20:00Z', accountId: 'ext:AG-DXB-01', memberId: 'ext:AGT-5521', amount: 3100000, currency: 'AED', attributes: { cabin: 'first' } },
      { id: 'TKT-607-2404', type: 'purchase', occurredAt: '2026-03-05T17:00:00Z', accountId: 'ext:AG-DXB-01', amount: 980000, currency: 'AED', attributes: { cabin: 'business' } },
    ],
  },
};

/** (c) OfficeMax MaxPerks: 3 % back as store dollars (at most $100 a month) plus $1 per recycled cartridge. */
export const officeMaxPerks: Recipe = {
  setup: [
    { 'POST /currencies': { code: 'maxperks', name: 'MaxPerks dollars', kind: 'money', moneyCurrency: 'USD' } },
    { 'POST /event-types': { code: 'cartridge_recycled', name: 'Ink cartridge recycled' } },
    { 'POST /roles': { code: 'teacher', name: 'Teacher' } },
    { 'POST /accounts': { externalId: 'SCH-0042', name: 'Lincoln Elementary School', type: 'school' } },
    { 'POST /accounts/ext:SCH-0042/members': { externalId: 'T-1187', name: 'Maria Lopez', role: 'teacher' } },
  ],
  rules: {
    cashback: {
      name: 'MaxPerks: 3 % back in store dollars, at most $100 a month',
      eventType: 'purchase',
      condition: { '==': [{ var: 'event.currency' }, 'USD'] },
      effects: [{ currency: 'maxperks', to: 'member', amount: { '*': [{ var: 'event.amount' }, 0.03] }, cap: { per: 'month', scope: 'member', max: 10000 } }],
    },
    cartridges: {
      name: 'MaxPerks: $1 per recycled cartridge',
      eventType: 'cartridge_recycled',
      effects: [{ currency: 'maxperks', to: 'member', amount: { '*': [{ var: 'event.attributes.cartridges' }, 100] } }],
    },
  },
  batch: {
    events: [
      { id: 'ORD-88121', type: 'purchase', occurredAt: '2026-04-03T15:00:00Z', accountId: 'ext:SCH-0042', memberId: 'ext:T-1187', amount: 120000, currency: 'USD' },
      { id: 'ORD-88417', type: 'purchase', occurredAt: '2026-04-17T15:00:00Z', accountId: 'ext:SCH-0042', memberId: 'ext:T-1187', amount: 250000, currency: 'USD' },
      { id: 'RCY-5530', type: 'cartridge_recycled', occurredAt: '2026-04-20T10:00:00Z', accountId: 'ext:SCH-0042', memberId: 'ext:T-1187', attributes: { cartridges: 7 } },
      { id: 'ORD-89002', type: 'purchase', occurredAt: '2026-05-02T15:00:00Z', accountId: 'ext:SCH-0042', memberId: 'ext:T-1187', amount: 50000, currency: 'USD' },
    ],
  },
};

/** (d) A one-time bonus on an account's first deal. */
export const firstDealBonus: Recipe = {
  setup: [
    points,
    { 'POST /accounts': { externalId: 'C-2001', name: 'Nordbau GmbH', type: 'installer' } },
    { 'POST /accounts': { externalId: 'C-2002', name: 'Kraft Elektro KG', type: 'installer' } },
  ],
  rules: {
    welcome: {
      name: 'Welcome bonus: 500 points on the first deal',
      eventType: 'purchase',
      condition: { '==': [{ var: 'account.stats.purchases' }, 0] },
      effects: [{ currency: 'points', to: 'account', amount: 500 }],
    },
  },
  batch: {
    events: [
      { id: 'INV-7001', type: 'purchase', occurredAt: '2026-06-01T09:00:00Z', accountId: 'ext:C-2001', amount: 40000, currency: 'EUR' },
      { id: 'INV-7002', type: 'purchase', occurredAt: '2026-06-09T09:00:00Z', accountId: 'ext:C-2001', amount: 90000, currency: 'EUR' },
      { id: 'INV-7003', type: 'purchase', occurredAt: '2026-06-10T09:00:00Z', accountId: 'ext:C-2002', amount: 15000, currency: 'EUR' },
    ],
  },
};

/** (e) Cordiant: points to the dealer's employee for a distance-learning course passed. */
export const cordiantTraining: Recipe = {
  setup: [
    points,
    { 'POST /roles': { code: 'sales', name: 'Sales consultant' } },
    { 'POST /accounts': { externalId: 'D-3100', name: 'Shina Plus LLC', type: 'dealer' } },
    { 'POST /accounts/ext:D-3100/members': { externalId: 'S-410', name: 'Oleh Kravets', role: 'sales' } },
  ],
  rules: {
    coursePassed: {
      name: 'Distance-learning course passed',
      eventType: 'training_completed',
      condition: { '>=': [{ var: 'event.attributes.score' }, 80] },
      effects: [{ currency: 'points', to: 'member', amount: { if: [{ '==': [{ var: 'event.attributes.level' }, 'advanced'] }, 500, 200] } }],
    },
  },
  batch: {
    events: [
      { id: 'LMS-TYRE-101-S-410', type: 'training_completed', occurredAt: '2026-09-08T12:00:00Z', accountId: 'ext:D-3100', memberId: 'ext:S-410', attributes: { course: 'TYRE-101', level: 'basic', score: 92 } },
      { id: 'LMS-TYRE-301-S-410', type: 'training_completed', occurredAt: '2026-09-22T12:00:00Z', accountId: 'ext:D-3100', memberId: 'ext:S-410', attributes: { course: 'TYRE-301', level: 'advanced', score: 85 } },
      { id: 'LMS-TYRE-302-S-410', type: 'training_completed', occurredAt: '2026-09-29T12:00:00Z', accountId: 'ext:D-3100', memberId: 'ext:S-410', attributes: { course: 'TYRE-302', level: 'advanced', score: 64 } },
    ],
  },
};

/** (f) Double points for a pilot group only, for one quarter, within a lifetime budget. */
export const pilotDoublePoints: Recipe = {
  setup: [
    points,
    { 'POST /accounts': { externalId: 'C-P01', name: 'Alpha Plumbing Ltd', type: 'dealer', attributes: { pilotGroup: 'pilot-2026-q2' } } },
    { 'POST /accounts': { externalId: 'C-P02', name: 'Beta Heating Ltd', type: 'dealer', attributes: { pilotGroup: 'pilot-2026-q2' } } },
    { 'POST /accounts': { externalId: 'C-K01', name: 'Gamma Sanitary Ltd', type: 'dealer', attributes: { pilotGroup: 'control-2026-q2' } } },
  ],
  rules: {
    base: {
      name: '1 point per euro',
      eventType: 'purchase',
      effects: [{ currency: 'points', to: 'account', amount: { '/': [{ var: 'event.amount' }, 100] } }],
    },
    pilot: {
      name: 'Pilot Q2: double points',
      eventType: 'purchase',
      effects: [{ currency: 'points', to: 'account', amount: { '/': [{ var: 'event.amount' }, 100] } }],
      activeFrom: '2026-04-01T00:00:00Z',
      activeTo: '2026-07-01T00:00:00Z',
      target: { pilotGroup: 'pilot-2026-q2' },
      budget: { currency: 'points', max: 2000 },
    },
  },
  batch: {
    events: [
      { id: 'INV-P-101', type: 'purchase', occurredAt: '2026-04-10T10:00:00Z', accountId: 'ext:C-P01', amount: 80000, currency: 'EUR' },
      { id: 'INV-K-101', type: 'purchase', occurredAt: '2026-04-11T10:00:00Z', accountId: 'ext:C-K01', amount: 80000, currency: 'EUR' },
      { id: 'INV-P-201', type: 'purchase', occurredAt: '2026-05-05T10:00:00Z', accountId: 'ext:C-P02', amount: 150000, currency: 'EUR' },
      { id: 'INV-P-102', type: 'purchase', occurredAt: '2026-05-20T10:00:00Z', accountId: 'ext:C-P01', amount: 30000, currency: 'EUR' },
      { id: 'INV-P-103', type: 'purchase', occurredAt: '2026-07-02T10:00:00Z', accountId: 'ext:C-P01', amount: 10000, currency: 'EUR' },
    ],
  },
};

/** Every recipe by the name the doc's markers use (`<!-- fixture: officeMaxPerks.rules.cashback -->`). */
export const recipes = { pointsSplit, etihadSuperSeller, officeMaxPerks, firstDealBonus, cordiantTraining, pilotDoublePoints };
