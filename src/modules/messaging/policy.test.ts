import { describe, expect, it } from 'vitest';
import { quietUntil, startOfLocalDay } from './policy.js';

const night = { from: '21:00', to: '08:00' };

describe('quiet hours in the member\'s time zone', () => {
  it.each([
    // 20:30 UTC is 21:30 in Paris (winter, UTC+1): held until 08:00 Paris = 07:00 UTC.
    ['2026-01-15T20:30:00Z', 'Europe/Paris', '2026-01-16T07:00:00.000Z'],
    // The same instant is 00:00 in Tehran (UTC+3:30): held until 08:00 Tehran = 04:30 UTC.
    ['2026-01-15T20:30:00Z', 'Asia/Tehran', '2026-01-16T04:30:00.000Z'],
    // …and 15:30 in New York: no quiet hours.
    ['2026-01-15T20:30:00Z', 'America/New_York', null],
    // 07:59 in Kyiv (UTC+2) is still quiet, until 08:00.
    ['2026-01-16T05:59:00Z', 'Europe/Kyiv', '2026-01-16T06:00:00.000Z'],
    // 08:00 sharp is outside, 21:00 sharp inside.
    ['2026-01-16T06:00:00Z', 'Europe/Kyiv', null],
    ['2026-01-16T19:00:00Z', 'Europe/Kyiv', '2026-01-17T06:00:00.000Z'],
    // Paris' spring-forward night (29 March 2026, 02:00 → 03:00): 08:00 local is 06:00 UTC.
    ['2026-03-28T22:00:00Z', 'Europe/Paris', '2026-03-29T06:00:00.000Z'],
  ])('%s in %s', (at, tz, until) => {
    const r = quietUntil(new Date(at), tz, night);
    expect(r ? r.toISOString() : null).toBe(until);
  });

  it('ends on the minute, whatever milliseconds the moment carries', () => {
    expect(quietUntil(new Date('2026-01-15T20:30:00.999Z'), 'Asia/Tehran', night)?.toISOString()).toBe('2026-01-16T04:30:00.000Z');
  });

  it('a window inside one day, and none when absent or empty', () => {
    const lunch = { from: '12:00', to: '14:00' };
    expect(quietUntil(new Date('2026-01-15T12:30:00Z'), 'UTC', lunch)?.toISOString()).toBe('2026-01-15T14:00:00.000Z');
    expect(quietUntil(new Date('2026-01-15T14:30:00Z'), 'UTC', lunch)).toBeNull();
    expect(quietUntil(new Date('2026-01-15T22:00:00Z'), 'UTC', null)).toBeNull();
    expect(quietUntil(new Date('2026-01-15T22:00:00Z'), 'UTC', { from: '10:00', to: '10:00' })).toBeNull();
  });

  it('the local day starts at local midnight', () => {
    expect(startOfLocalDay(new Date('2026-01-15T20:30:00Z'), 'Asia/Tehran').toISOString()).toBe('2026-01-15T20:30:00.000Z');
    expect(startOfLocalDay(new Date('2026-01-15T20:29:00Z'), 'Asia/Tehran').toISOString()).toBe('2026-01-14T20:30:00.000Z');
    expect(startOfLocalDay(new Date('2026-01-15T10:00:00Z'), 'America/New_York').toISOString()).toBe('2026-01-15T05:00:00.000Z');
  });
});
