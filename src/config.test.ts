import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it.each([
    ['the embedded database', {}, 'on'],
    ['a PostgreSQL server', { DATABASE_URL: 'postgres://u@db:5432/fealty' }, 'off'],
    ['a PostgreSQL server, demo asked for', { DATABASE_URL: 'postgres://u@db:5432/fealty', FEALTY_DEMO: 'on' }, 'on'],
    ['the embedded database, demo turned off', { FEALTY_DEMO: 'off' }, 'off'],
  ])('demo data with %s: %s', (_name, env, demo) => {
    expect(loadConfig(env).demo).toBe(demo);
  });

  it.each([
    [undefined, false],
    ['off', false],
    ['on', true],
    ['2', 2],
    ['10.0.0.0/8, 127.0.0.1', '10.0.0.0/8, 127.0.0.1'],
  ])('FEALTY_TRUST_PROXY=%s → %s', (value, expected) => {
    expect(loadConfig(value === undefined ? {} : { FEALTY_TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it('refuses a metrics token too short to be a secret', () => {
    expect(() => loadConfig({ FEALTY_METRICS_TOKEN: 'short' })).toThrow(/FEALTY_METRICS_TOKEN/);
  });
});
