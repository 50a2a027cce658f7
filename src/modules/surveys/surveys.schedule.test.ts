import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestProgram } from '../../../test/support/app.js';

/**
 * Relationship waves every N months from a month's last day: the day is clamped to the end of the
 * target month in the program's time zone (Aug 31 + 6 months is Feb 28, not Mar 3), and the
 * schedule does not drift to the 28th afterwards (the next wave is Aug 31 again).
 */

let clock = new Date('2026-08-01T08:00:00Z');
let t: TestApp;
let p: TestProgram;

async function api(method: string, url: string, body?: unknown) {
  const r = await t.call(p, method, `/api/v1${url}`, body);
  if (r.statusCode >= 300) throw new Error(`${method} ${url} → ${r.statusCode}: ${r.body}`);
  return r.json();
}

beforeAll(async () => {
  t = await createTestApp({ now: () => clock });
  p = await t.newProgram();
  await api('POST', '/currencies', { code: 'points', name: 'Points', kind: 'points' });
  await api('PATCH', '/program', { timeZone: 'Europe/Paris' });
});
afterAll(() => t.close());

describe('survey schedule month arithmetic', () => {
  it('runs Aug 31, then Feb 28, then Aug 31 again, on the wall clock of the program', async () => {
    const nps = { id: 'rec', type: 'nps', text: { en: 'Recommend?' } };
    // 2026-08-31 08:00 in Paris (UTC+2).
    const s = await api('POST', '/surveys', { name: 'Half-yearly', kind: 'nps', mode: 'relationship', questions: [nps], schedule: { startsAt: '2026-08-31T06:00:00Z', everyMonths: 6 } });
    clock = new Date('2026-08-31T07:00:00Z');
    await t.services.surveys.runDaily(clock);
    // Feb 28 08:00 in Paris is 07:00 UTC (winter time).
    expect((await api('GET', `/surveys/${s.id}`)).nextRunAt).toBe('2027-02-28T07:00:00.000Z');
    clock = new Date('2027-02-28T08:00:00Z');
    await t.services.surveys.runDaily(clock);
    expect((await api('GET', `/surveys/${s.id}`)).nextRunAt).toBe('2027-08-31T06:00:00.000Z');
  });
});
