import Fastify, { type FastifyInstance } from 'fastify';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompressDir } from './precompress.js';
import { registerWeb } from './serve-web.js';

/** A built web app in miniature: pages, a hashed script, a public file, a tiny file not worth compressing. */
const script = `export const greeting = ${JSON.stringify('bonjour '.repeat(400))};\n`;
let dir: string;
let app: FastifyInstance;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fealty-web-'));
  mkdirSync(join(dir, 'assets'));
  mkdirSync(join(dir, 'portal'));
  const page = (title: string) => `<!doctype html><html><head><title>${title}</title></head><body><div id="root"></div>${'<!-- padding -->'.repeat(40)}</body></html>`;
  writeFileSync(join(dir, 'index.html'), page('console'));
  writeFileSync(join(dir, 'portal', 'index.html'), page('portal'));
  writeFileSync(join(dir, 'assets', 'app-Ab12Cd34.js'), script);
  writeFileSync(join(dir, 'assets', 'logo-Ef56.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  writeFileSync(join(dir, 'portal', 'sw.js'), `self.addEventListener('fetch', () => {});${' '.repeat(600)}`);
  writeFileSync(join(dir, 'assets', 'tiny-0000.js'), '1');
  await precompressDir(dir);
  app = Fastify();
  await registerWeb(app, dir);
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('precompressing the build', () => {
  it('writes brotli and gzip copies of text files only, and only when they are smaller', () => {
    expect(existsSync(join(dir, 'assets', 'app-Ab12Cd34.js.br'))).toBe(true);
    expect(existsSync(join(dir, 'assets', 'app-Ab12Cd34.js.gz'))).toBe(true);
    expect(existsSync(join(dir, 'index.html.br'))).toBe(true);
    expect(existsSync(join(dir, 'assets', 'logo-Ef56.png.br'))).toBe(false);
    expect(existsSync(join(dir, 'assets', 'tiny-0000.js.br'))).toBe(false);
  });
});

describe('serving the built web app', () => {
  it.each([
    ['br, gzip', 'br'],
    ['gzip, deflate', 'gzip'],
    ['gzip;q=1, br;q=0.5', 'gzip'],
    ['identity', undefined],
    [undefined, undefined],
  ])('Accept-Encoding %s → Content-Encoding %s, the same script either way', async (accept, encoding) => {
    const res = await app.inject({ url: '/assets/app-Ab12Cd34.js', headers: accept ? { 'accept-encoding': accept } : {} });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe(encoding);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers.vary).toMatch(/accept-encoding/i);
    const body = encoding === 'br' ? brotliDecompressSync(res.rawPayload) : encoding === 'gzip' ? gunzipSync(res.rawPayload) : res.rawPayload;
    expect(body.toString()).toBe(script);
    if (encoding) expect(res.rawPayload.length).toBeLessThan(script.length / 10);
  });

  it('caches hashed assets for a year and revalidates pages and the service worker', async () => {
    const asset = await app.inject({ url: '/assets/app-Ab12Cd34.js', headers: { 'accept-encoding': 'br' } });
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    for (const url of ['/', '/portal/', '/accounts/acc_1', '/portal/history', '/portal/sw.js']) {
      const res = await app.inject({ url, headers: { 'accept-encoding': 'br, gzip' } });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe('no-cache');
    }
  });

  it('sends the pages compressed too, the deep links included', async () => {
    const res = await app.inject({ url: '/portal/rewards', headers: { 'accept-encoding': 'br, gzip' } });
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(brotliDecompressSync(res.rawPayload).toString()).toContain('<title>portal</title>');
  });

  it('serves a file that has no compressed copy as it is', async () => {
    const res = await app.inject({ url: '/assets/tiny-0000.js', headers: { 'accept-encoding': 'br, gzip' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body).toBe('1');
  });

  it('does not answer the compressed copies by their own names', async () => {
    const res = await app.inject({ url: '/assets/app-Ab12Cd34.js.br' });
    expect(res.statusCode).toBe(404);
  });
});
