import { describe, expect, it } from 'vitest';
import { accountNps, npsCategory, npsOf, periodKey, suggestKeywords } from './surveys.nps.js';
import { signLink, verifyLink } from './surveys.links.js';

const fill = (n: number, score: number) => Array.from({ length: n }, () => score);

describe('NPS arithmetic', () => {
  it('50 promoters, 30 passives, 20 detractors → NPS 30 ± 15.3', () => {
    const r = npsOf([...fill(50, 10), ...fill(30, 8), ...fill(20, 3)]);
    expect(r).toEqual({ n: 100, nps: 30, ci95: [14.7, 45.3], promoters: 50, passives: 30, detractors: 20 });
  });
  it('classifies 0–6, 7–8, 9–10', () => {
    expect([0, 6, 7, 8, 9, 10].map(npsCategory)).toEqual(['detractor', 'detractor', 'passive', 'passive', 'promoter', 'promoter']);
  });
  it('no answers: no score and no interval; three answers: a wide interval clamped to ±100', () => {
    expect(npsOf([])).toMatchObject({ n: 0, nps: null, ci95: null });
    const r = npsOf([10, 10, 0]);
    expect(r.nps).toBe(33.3);
    expect(r.ci95![0]).toBeLessThan(-50);
    expect(r.ci95![1]).toBe(100);
  });
  it('all promoters: NPS 100 with a zero-width interval', () => {
    expect(npsOf(fill(10, 9))).toMatchObject({ nps: 100, ci95: [100, 100] });
  });
});

describe('per-account methods', () => {
  // One person answered four times (10), two others once each (0 and 8, the 0 a decision maker).
  const answers = [
    { score: 10, personId: 'a', role: 'operator' },
    { score: 10, personId: 'a', role: 'operator' },
    { score: 10, personId: 'a', role: 'operator' },
    { score: 10, personId: 'a', role: 'operator' },
    { score: 0, personId: 'b', role: 'decision_maker' },
    { score: 8, personId: 'c', role: 'influencer' },
  ];
  it('all answers: 4 promoters, 1 passive, 1 detractor of 6 → 50', () => {
    expect(accountNps(answers, 'all').nps).toBe(50);
  });
  it('one average per person: 1 promoter, 1 passive, 1 detractor → 0', () => {
    expect(accountNps(answers, 'person_average')).toMatchObject({ n: 3, nps: 0 });
  });
  it('decision maker first: the one decision maker → −100; none answered → all answers', () => {
    expect(accountNps(answers, 'decision_maker_first')).toMatchObject({ n: 1, nps: -100 });
    expect(accountNps(answers.filter((a) => a.role !== 'decision_maker'), 'decision_maker_first')).toMatchObject({ n: 5, nps: 80 });
  });
});

describe('periods and themes', () => {
  it('months and quarters in UTC', () => {
    expect(periodKey(new Date('2026-11-30T23:59:59Z'), 'quarter')).toBe('2026-Q4');
    expect(periodKey(new Date('2026-01-01T00:00:00Z'), 'month')).toBe('2026-01');
  });
  it('suggests recurring words, counted once per answer', () => {
    expect(suggestKeywords(['Delivery was late, delivery late again', 'late delivery and the price', 'price is fine'])).toEqual([
      { word: 'delivery', count: 2 },
      { word: 'late', count: 2 },
      { word: 'price', count: 2 },
    ]);
  });
});

describe('signed links', () => {
  const key = Buffer.alloc(32, 7).toString('base64url');
  const at = new Date('2026-12-01T00:00:00Z');
  const token = signLink(key, { kind: 'i', invitationId: 'inv_1', expiresAt: new Date('2026-12-31T00:00:00Z') });
  it('verifies, refuses a tampered or expired link', () => {
    expect(verifyLink(key, token, at)).toMatchObject({ ok: true, claim: { kind: 'i', invitationId: 'inv_1' } });
    expect(verifyLink(key, token.replace('inv_1', 'inv_2'), at)).toEqual({ ok: false, reason: 'tampered' });
    expect(verifyLink(key, token.replace(/\.(\d+)\./, (_m, e) => `.${Number(e) + 999999}.`), at)).toEqual({ ok: false, reason: 'tampered' });
    expect(verifyLink(key, token, new Date('2027-01-01T00:00:00Z'))).toEqual({ ok: false, reason: 'expired' });
    expect(verifyLink(key, 'garbage', at)).toEqual({ ok: false, reason: 'malformed' });
    const open = signLink(key, { kind: 'o', surveyId: 'srv_1', accountId: 'acc_1', expiresAt: new Date('2026-12-31T00:00:00Z') });
    expect(verifyLink(key, open, at)).toMatchObject({ ok: true, claim: { kind: 'o', surveyId: 'srv_1', accountId: 'acc_1' } });
  });
});
