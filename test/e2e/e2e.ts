import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

/**
 * The browser tests of the console and the partner portal, against a real server (embedded
 * database, demo data, test endpoints on). Each step prints ✓ or ✗; the last line is the
 * "N passed, N failed" count CI reads. Screenshots of the main screens land in test-results/.
 */

const PORT = 3400 + Math.floor(Math.random() * 500);
const BASE = `http://127.0.0.1:${PORT}`;
const KEY = `e2e-key-${Date.now()}-0123456789abcdef`;
// The demo's owner (src/first-start.ts), with the password the server is started with: what the README tells people to do.
const OWNER = { email: 'admin@aquapure.example', password: 'e2e-owner-password' };
const RESULTS = 'test-results';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let passed = 0;
let failed = 0;
/** The page a failing step is on: its screenshot goes next to the others. */
let current: Page | null = null;
const started = Date.now();

async function step(name: string, fn: () => Promise<void>): Promise<boolean> {
  const t0 = Date.now();
  try {
    await fn();
    passed++;
    console.log(`  ✓ ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    return true;
  } catch (err) {
    failed++;
    await current?.screenshot({ path: join(RESULTS, `failed-${failed}.png`) }).catch(() => undefined);
    console.log(`  ✗ ${name}\n    ${err instanceof Error ? (err.stack ?? err.message).split('\n').slice(0, 4).join('\n    ') : String(err)}`);
    return false;
  }
}

function check(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

async function api<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(`${BASE}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * What the browser refused under the server's Content-Security-Policy (src/http/security-headers.ts),
 * on any page of any context: the console and the portal must live within it, so the run fails on one.
 */
const cspViolations: string[] = [];
function watchCsp(b: Browser): void {
  const newContext = b.newContext.bind(b);
  b.newContext = async (...args: Parameters<Browser['newContext']>) => {
    const ctx = await newContext(...args);
    ctx.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(`${m.page()?.url() ?? '?'}: ${m.text()}`);
    });
    return ctx;
  };
}

const digits = (s: string | null) => Number((s ?? '').replace(/[^\d-]/g, ''));
const shot = (page: Page, name: string) => page.screenshot({ path: join(RESULTS, `${name}.png`), fullPage: false });

function startServer(dataDir: string): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(PORT), HOST: '127.0.0.1', FEALTY_BOOTSTRAP_KEY: KEY, FEALTY_TEST_ENDPOINTS: 'on', FEALTY_JOBS: 'off', FEALTY_DEMO: 'on', FEALTY_ADMIN_PASSWORD: OWNER.password, LOG_LEVEL: 'warn', DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout?.on('data', (d: Buffer) => process.env.E2E_VERBOSE && process.stdout.write(d));
  child.stderr?.on('data', (d: Buffer) => process.env.E2E_VERBOSE && process.stderr.write(d));
  return child;
}

/** Signs in to the console as the demo's owner (or with the bootstrap API key when the owner could not be made). */
async function signInToConsole(page: Page, asOwner: boolean): Promise<void> {
  await page.goto(`${BASE}/`);
  if (asOwner) {
    await page.getByLabel('E-mail').fill(OWNER.email);
    await page.locator('input[type=password]').fill(OWNER.password);
  } else {
    await page.getByRole('button', { name: 'Sign in with an API key instead' }).click();
    await page.getByLabel('API key').fill(KEY);
  }
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('navigation').waitFor();
}

/** Signs a person in to the program's portal by e-mail with the test mailbox's code, then picks English as a person would. */
async function signInByEmail(page: Page, programCode: string, email: string): Promise<void> {
  await page.goto(`${BASE}/portal/${programCode}/`);
  await page.getByLabel('Work e-mail', { exact: true }).fill(email);
  await page.getByRole('button', { name: 'Send me a code' }).click();
  await page.getByLabel('6-digit code', { exact: true }).waitFor();
  const { code } = (await (await fetch(`${BASE}/api/v1/portal/auth/test-code?email=${encodeURIComponent(email)}&program=${programCode}`)).json()) as { code: string };
  await page.getByLabel('6-digit code', { exact: true }).fill(code);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.locator('h1.hello').waitFor();
  // The member's own language arrives with their profile; pick English only once it has been applied.
  await page.waitForLoadState('networkidle');
  await page.locator('select.lang').selectOption('en');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
}

async function waitForHealth(child: ChildProcess): Promise<void> {
  // The demo loads on first start: 20 s on an idle machine, several times that on a busy one.
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${BASE}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the server did not become healthy in 300 s');
}

type Member = { id: string; name: string; email: string | null; phone: string | null; locale: string | null; partnerAdmin: boolean; status: string; accountId: string };

/** The portal's budget for its first load, compressed, as a phone on a weak network receives it (docs/web.md). */
const PORTAL_FIRST_LOAD_BUDGET = 120_000;
/** A 1×1 PNG: what a phone's camera sends, as small as it gets. */
const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
/** The console's sign-in screen: not a phone app, but it should not creep back up either. */
const CONSOLE_FIRST_LOAD_BUDGET = 400_000;

type LoadedResponse = { url: string; bytes: number; encoding: string | null; cacheControl: string | null; type: string };

/**
 * Opens a page in a fresh browser context (empty cache, no service worker) that accepts brotli and
 * gzip, and sums what came over the wire until the network is idle: CDP's encodedDataLength per
 * response (headers and compressed body, as received).
 */
async function firstLoad(browser: Browser, url: string, viewport: { width: number; height: number }): Promise<{ bytes: number; responses: LoadedResponse[] }> {
  const ctx = await browser.newContext({ viewport, extraHTTPHeaders: { 'accept-encoding': 'br, gzip' }, serviceWorkers: 'block' });
  try {
    const page = await ctx.newPage();
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Network.enable');
    const seen = new Map<string, Omit<LoadedResponse, 'bytes'>>();
    const responses: LoadedResponse[] = [];
    cdp.on('Network.responseReceived', (e) => {
      const h = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
      seen.set(e.requestId, { url: e.response.url, encoding: h['content-encoding'] ?? null, cacheControl: h['cache-control'] ?? null, type: e.type });
    });
    cdp.on('Network.loadingFinished', (e) => {
      const r = seen.get(e.requestId);
      if (r) responses.push({ ...r, bytes: e.encodedDataLength });
    });
    await page.goto(url, { waitUntil: 'networkidle' });
    return { bytes: responses.reduce((n, r) => n + r.bytes, 0), responses };
  } finally {
    await ctx.close();
  }
}

async function main(): Promise<void> {
  rmSync(RESULTS, { recursive: true, force: true });
  mkdirSync(RESULTS, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'fealty-e2e-'));
  console.log(`e2e: server on ${BASE} (data in ${dataDir})`);
  const server = startServer(dataDir);
  let browser: Browser | undefined;
  try {
    await waitForHealth(server);
    console.log(`e2e: server ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    // Fixtures through the API: a console owner, staff with e-mails, a reward, events to simulate on.
    const owner = await step('API: the demo has its console owner (created here on an older demo)', async () => {
      const res = await fetch(`${BASE}/api/v1/users`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ ...OWNER, name: 'E2E Owner', role: 'owner' }) });
      // 409: the demo made this user already.
      check(res.ok || res.status === 409, `POST /users → ${res.status} ${await res.text()}`);
    });
    const staff = (await api<{ items: Member[] }>('GET', '/members?accountId=ext:C-1001&limit=50')).items.filter((m) => m.email && m.status === 'active');
    const admin = staff.find((m) => m.partnerAdmin);
    const employee = staff.find((m) => !m.partnerAdmin);
    check(admin && employee, 'the demo account C-1001 has a partner admin and an employee with e-mails');
    await api('POST', '/adjustments', { memberId: employee.id, currency: 'points', amount: 5000, reason: 'E2E: points to redeem' }, { 'idempotency-key': 'e2e-adjust-1' });
    // Store credit (a money currency, in cents) on the company wallet: the portal must show it as euros.
    await api('POST', '/adjustments', { accountId: 'ext:C-1001', currency: 'eur-credit', amount: 76115, reason: 'E2E: store credit' }, { 'idempotency-key': 'e2e-adjust-2' });
    const reward = await api<{ id: string; name: string }>('POST', '/rewards', { name: 'E2E site thermos', kind: 'gift', category: 'site', cost: { currency: 'points', amount: 1200 }, stock: 50 });
    const day = 86_400_000;
    await api('POST', '/events/batch', {
      events: [1, 2, 3].map((i) => ({ id: `E2E-PAST-${i}`, type: 'purchase', occurredAt: new Date(Date.now() - i * 7 * day).toISOString(), accountId: 'ext:C-1001', amount: 100000 * i, currency: 'EUR' })),
    });

    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
    watchCsp(browser);

    await step(`weight: the portal's first load is at most ${PORTAL_FIRST_LOAD_BUDGET / 1000} kB compressed, its assets brotli and cached for a year`, async () => {
      const portal = await firstLoad(browser!, `${BASE}/portal/`, { width: 390, height: 844 });
      const consoleLoad = await firstLoad(browser!, `${BASE}/`, { width: 1366, height: 860 });
      const kB = (n: number) => `${(n / 1000).toFixed(1)} kB`;
      console.log(`    first load over the wire: portal ${kB(portal.bytes)} in ${portal.responses.length} responses, console ${kB(consoleLoad.bytes)} in ${consoleLoad.responses.length}`);
      check(portal.bytes <= PORTAL_FIRST_LOAD_BUDGET, `the portal's first load is ${kB(portal.bytes)}, over its budget of ${kB(PORTAL_FIRST_LOAD_BUDGET)}`);
      check(consoleLoad.bytes <= CONSOLE_FIRST_LOAD_BUDGET, `the console's first load is ${kB(consoleLoad.bytes)}, over its budget of ${kB(CONSOLE_FIRST_LOAD_BUDGET)}`);
      for (const load of [portal, consoleLoad]) {
        const assets = load.responses.filter((r) => new URL(r.url).pathname.startsWith('/assets/'));
        check(assets.length >= 3, `the page loaded its scripts and styles (${assets.length})`);
        for (const a of assets) {
          check(a.encoding === 'br', `${a.url} came as ${a.encoding ?? 'uncompressed'}, not brotli`);
          check(a.cacheControl === 'public, max-age=31536000, immutable', `${a.url} is cached with "${a.cacheControl}"`);
        }
        const html = load.responses.find((r) => r.type === 'Document');
        check(html?.cacheControl === 'no-cache' && html.encoding === 'br', `the page itself is compressed and revalidated: ${JSON.stringify(html)}`);
      }
      // A client that accepts only gzip gets gzip; one that accepts nothing, the plain file.
      const script = portal.responses.find((r) => /\/assets\/.*\.js$/.test(r.url));
      check(script, 'the portal loads a script');
      const gz = await fetch(script.url, { headers: { 'accept-encoding': 'gzip' } });
      check(gz.headers.get('content-encoding') === 'gzip' && /accept-encoding/i.test(gz.headers.get('vary') ?? ''), `gzip only → ${gz.headers.get('content-encoding')}, vary ${gz.headers.get('vary')}`);
      const plain = await fetch(script.url, { headers: { 'accept-encoding': 'identity' } });
      check(plain.headers.get('content-encoding') === null && (await plain.text()).length > 0, 'identity → the plain file');
    });
    const desktop: BrowserContext = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale: 'en-GB', acceptDownloads: true });
    const page = await desktop.newPage();
    page.setDefaultTimeout(10_000);
    current = page;

    await step('console: sign in with e-mail and password', async () => {
      await page.goto(`${BASE}/`);
      if (owner) {
        await page.getByLabel('E-mail').fill(OWNER.email);
        await page.locator('input[type=password]').fill(OWNER.password);
      } else {
        await page.getByRole('button', { name: 'Sign in with an API key instead' }).click();
        await page.getByLabel('API key').fill(KEY);
      }
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    });

    await step('console: dashboard shows activity and charts', async () => {
      await page.getByTestId('stat-accounts-30').waitFor();
      await page.locator('.recharts-bar-rectangle').first().waitFor();
      check(digits(await page.getByTestId('stat-members-90').locator('p').nth(1).textContent()) > 0, 'active members in 90 days');
      check(/ of [\d,]+ members$/.test((await page.getByTestId('stat-members-90').locator('p').nth(2).textContent()) ?? ''), 'the share says of how many members');
      const earned = (await page.getByTestId('top-account-earned').first().textContent()) ?? '';
      check(/^[\d,]+ AquaPoints$/.test(earned), `a top account's earnings carry their unit: "${earned}"`);
      await page.getByText('Issued, redeemed and expired by month (AquaPoints)').waitFor();
      await shot(page, 'console-dashboard');
    });

    await step('console: accounts search with server-side pagination', async () => {
      await page.getByRole('link', { name: 'Accounts' }).click();
      await page.getByLabel('Search').fill('Hydro');
      // Its branches link to it in their parent column too: the first link is its own row's.
      await page.getByRole('link', { name: 'HydroDistrib France SAS' }).first().waitFor();
      const { total } = await api<{ total: number }>('GET', '/accounts?q=hydro&limit=1');
      await page.getByTestId('accounts-total').filter({ hasText: new RegExp(`^${total} accounts?$`) }).waitFor();
    });

    await step('console: accounts filtered by picked type and region, with total, parent, tier and balance, exported as CSV', async () => {
      await page.getByLabel('Search').fill('');
      // The type is picked from the values in use, each with its count; no typing, no case to get right.
      await page.getByRole('textbox', { name: 'Type' }).click();
      await page.getByRole('option', { name: /^distributor \(\d+\)$/ }).click();
      await page.getByRole('textbox', { name: 'Region' }).click();
      await page.getByRole('option', { name: /^DE-BY \(\d+\)$/ }).click();
      const api_ = await api<{ items: { name: string; parentId: string | null }[]; total: number }>('GET', '/accounts?type=Distributor&region=de-by&limit=100');
      check(api_.total >= 3 && api_.items.some((a) => a.parentId), `the API matches type and region whatever their case: ${api_.total}`);
      await page.getByTestId('accounts-total').filter({ hasText: `${api_.total} accounts` }).waitFor();
      check((await page.getByTestId('account-row').count()) === api_.total, 'one row per matching account');
      // Branches name their parent; every row shows its tier and its balance in the program's main currency.
      const branch = page.getByTestId('account-row').filter({ hasText: 'Niederlassung München' });
      await branch.getByRole('link', { name: 'Wassertechnik Huber GmbH' }).waitFor();
      await page.getByRole('columnheader', { name: 'Balance (AquaPoints)' }).waitFor();
      await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=account-balance-cell]')].every((c) => /\d/.test(c.textContent ?? '')));
      await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=account-tier-cell]')].every((c) => (c.textContent ?? '').trim() !== ''));
      await shot(page, 'console-accounts');
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('accounts-export').click()]);
      const csv = await readFile((await download.path()) ?? '', 'utf8');
      const lines = csv.replace(/^\ufeff/, '').trim().split('\r\n');
      check(lines[0].startsWith('id,externalId,name,type,segment,region,parentExternalId'), `the CSV header: ${lines[0]}`);
      check(lines.length === api_.total + 1 && lines.slice(1).every((l) => l.includes(',distributor,') && l.includes(',DE-BY,')), `the CSV has the filtered accounts: ${lines.length - 1}`);
    });

    await step('console: an account shows its parent and its branches', async () => {
      await page.getByTestId('account-row').filter({ hasText: 'Wassertechnik Huber GmbH' }).getByRole('link', { name: 'Wassertechnik Huber GmbH' }).first().click();
      await page.getByRole('tab', { name: /^Branches \(2\)$/ }).click();
      const branches = page.getByTestId('account-branches');
      await branches.getByRole('link', { name: 'Wassertechnik Huber — Niederlassung Nürnberg' }).click();
      await page.getByTestId('account-parent').getByRole('link', { name: 'Wassertechnik Huber GmbH' }).click();
      await page.getByRole('tab', { name: /^Branches/ }).click();
      await page.getByRole('link', { name: 'Open the branches in the accounts list' }).click();
      await page.getByTestId('parent-filter').filter({ hasText: 'Branches of Wassertechnik Huber GmbH' }).waitFor();
      await page.getByTestId('accounts-total').filter({ hasText: /^2 accounts$/ }).waitFor();
      await shot(page, 'console-account-branches');
    });

    let simulated = false;
    await step('console: create a rule with the condition builder and simulate it', async () => {
      await page.getByRole('link', { name: 'Earning rules' }).click();
      await page.getByRole('link', { name: 'New rule' }).click();
      await page.getByLabel('Name').fill('E2E: 1 point per euro on orders of €500 or more');
      const builder = page.getByTestId('condition-builder');
      await builder.getByRole('button', { name: '+ Condition' }).click();
      // The new condition starts on the first field (event amount): "at least 500", typed in euros (the spend currency, #21).
      await builder.locator('.rule-operators input').click();
      await page.getByRole('option', { name: 'at least' }).click();
      await builder.locator('.rule-value input').fill('500');
      // The condition reads as a sentence, in money; its JsonLogic (in cents) is behind the Advanced switch (#21).
      await page.getByTestId('condition-sentence').filter({ hasText: 'the amount is at least €500' }).waitFor();
      // Mantine's switch: the input is visually hidden under its label.
      await page.getByLabel('Advanced (JsonLogic)', { exact: true }).check({ force: true });
      const logic = await page.getByTestId('condition-jsonlogic').textContent();
      check(logic?.includes('">="') && logic.includes('50000') && logic.includes('event.amount'), `JsonLogic export: ${logic}`);
      await page.getByRole('button', { name: 'Simulate' }).click();
      const result = page.getByTestId('simulation-result');
      await result.waitFor();
      const matched = digits(await page.getByTestId('simulation-matched').textContent());
      check(matched >= 2, `the simulation matched the posted past orders (${matched})`);
      check(digits(await page.getByTestId('simulation-cost-points').textContent()) > 0, 'the simulation shows a cost in points');
      simulated = true;
      await result.scrollIntoViewIfNeeded();
      await shot(page, 'console-rule-simulation');
    });

    await step('console: save the rule as active', async () => {
      check(simulated, 'simulated first');
      await page.getByRole('textbox', { name: 'Status' }).click();
      await page.getByRole('option', { name: 'Active' }).click();
      await page.getByRole('button', { name: 'Save rule' }).click();
      await page.getByText('Saved.').waitFor();
      check(/\/rules\/rul_/.test(page.url()), `the editor moved to the saved rule (${page.url()})`);
    });

    await step("console: posting an event through the API changes the account's wallet", async () => {
      const account = await api<{ id: string }>('GET', '/accounts/ext:C-1001');
      await page.goto(`${BASE}/accounts/${account.id}`);
      const available = page.getByTestId('wallet-points-available');
      await available.waitFor();
      const before = digits(await available.textContent());
      await api('POST', '/events', { id: `E2E-LIVE-${Date.now()}`, type: 'purchase', occurredAt: new Date().toISOString(), accountId: 'ext:C-1001', amount: 250000, currency: 'EUR' });
      await page.reload();
      await available.waitFor();
      const after = digits(await available.textContent());
      check(after === before + 2500, `points available ${before} → ${after}, expected +2500`);
      await shot(page, 'console-account');
    });

    await step('console: event detail shows the evaluation trace', async () => {
      await page.getByRole('tab', { name: 'Events' }).click();
      await page.locator('a', { hasText: 'E2E-LIVE-' }).first().click();
      await page.getByTestId('trace-step').first().waitFor();
      await page.getByText('Matched').first().waitFor();
      await shot(page, 'console-event-trace');
    });

    await step('console: create a reward in the catalog', async () => {
      await page.goto(`${BASE}/rewards`);
      await page.getByRole('button', { name: 'New reward' }).click();
      const dialog = page.getByRole('dialog');
      // The first "Name" is the reward's; translation rows have their own further down.
      await dialog.getByLabel('Name').first().fill('E2E console jacket');
      await dialog.getByLabel('Description', { exact: true }).fill('Warm, orange, with the logo');
      await dialog.getByLabel('Cost').fill('1500');
      await dialog.getByLabel('Stock').fill('10');
      await dialog.getByLabel('Valid for (days)').fill('30');
      // A translation: the demo program speaks French, so the row proposes the first other language the console ships.
      await dialog.getByRole('button', { name: 'Add a language' }).click();
      const row = dialog.getByTestId('reward-text-0');
      check((await row.getByLabel('Language').inputValue()) === 'en', 'the new translation row proposes English');
      await row.getByLabel('Language').fill('de');
      await row.getByLabel('Name').fill('E2E Baustellenjacke');
      // A bad image address is refused by the API's own schema, next to the field, before sending.
      const images = dialog.getByLabel('Images');
      await images.fill('not-a-url');
      await images.press('Enter');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.getByText('must be an http(s) URL').waitFor();
      await shot(page, 'console-reward-form');
      await images.press('Backspace');
      await images.fill('https://cdn.example/jacket.jpg');
      await images.press('Enter');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByRole('cell', { name: 'E2E console jacket', exact: true }).waitFor();
      type Made = { name: string; stock: number | null; cost: { amount: number }; description: string | null; texts: Record<string, { name: string }>; images: string[]; validityDays: number | null };
      const items = (await api<{ items: Made[] }>('GET', '/rewards?limit=100')).items;
      const made = items.find((r) => r.name === 'E2E console jacket');
      check(
        made && made.stock === 10 && made.cost.amount === 1500 && made.description === 'Warm, orange, with the logo' && made.texts.de?.name === 'E2E Baustellenjacke' && made.images.join() === 'https://cdn.example/jacket.jpg' && made.validityDays === 30,
        `the reward was created with every field: ${JSON.stringify(made)}`,
      );
    });

    await step('console: import a CSV of events — upload, map, preview, run, report', async () => {
      // A 1C-style export: semicolons, decimal commas, DD.MM.YYYY dates, French headers; row 4 has a bad date.
      const stamp = Date.now();
      const csv = ['Facture;Date;Client;Montant', `E2E-IMP-${stamp}-1;02.11.2026;C-1001;1 234,50`, `E2E-IMP-${stamp}-2;03.11.2026;C-1001;99,90`, `E2E-IMP-${stamp}-3;31.02.2026;C-1001;10,00`].join('\r\n');
      await page.goto(`${BASE}/imports`);
      await page.getByRole('heading', { name: 'File imports' }).waitFor();
      await page.locator('input[type=file]').setInputFiles({ name: 'e2e-invoices.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
      await page.getByRole('button', { name: 'Upload' }).click();
      await page.getByRole('heading', { name: /Mapping/ }).waitFor();
      // The headers were guessed: Facture → id, Date → occurredAt, Client → accountId, Montant → amount (scale 2).
      check((await page.getByRole('textbox', { name: 'Source of amount' }).inputValue()).startsWith('Montant'), 'Montant is guessed as the amount');
      await page.getByRole('textbox', { name: 'Date format of occurredAt' }).fill('DD.MM.YYYY');
      await page.getByRole('textbox', { name: 'Prefix of accountId' }).fill('ext:');
      await page.getByRole('textbox', { name: 'Source of currency' }).click();
      await page.getByRole('option', { name: 'A constant value' }).click();
      await page.getByRole('textbox', { name: 'Constant value of currency' }).fill('EUR');
      await page.getByRole('button', { name: 'Preview' }).click();
      const preview = page.getByTestId('import-preview');
      await preview.waitFor();
      check((await preview.getByTestId('preview-row').count()) === 3, 'the preview shows the three rows');
      check((await preview.locator('[data-ok=no]').count()) === 1, 'one row (the 31st of February) is flagged');
      check((await preview.getByText('€1,234.50').count()) === 1, '1 234,50 with scale 2 is shown as money: €1,234.50');
      check((await preview.locator('td[title="123450"]').count()) === 1, 'and stored exactly as 123450 minor units');
      // A dry run first: every row checked, nothing written.
      await page.getByLabel('Dry run: check every row, write nothing').check({ force: true });
      await page.getByRole('button', { name: 'Check the whole file' }).click();
      await page.getByTestId('import-report').filter({ hasText: 'nothing was written' }).waitFor({ timeout: 30_000 });
      check((await page.getByTestId('import-processed').textContent()) === '2', 'the dry run finds two valid rows');
      let missing = false;
      await api('GET', `/events/E2E-IMP-${stamp}-1`).catch(() => (missing = true));
      check(missing, 'the dry run wrote no event');
      // Then for real: the same file uploaded again by the console, with the same mapping.
      await page.getByRole('button', { name: 'Import this file for real' }).click();
      await page.getByRole('button', { name: 'Run the import' }).waitFor();
      check((await page.getByRole('textbox', { name: 'Date format of occurredAt' }).inputValue()) === 'DD.MM.YYYY', 'the mapping of the dry run is carried over');
      await page.getByRole('button', { name: 'Run the import' }).click();
      await page.getByTestId('import-report').filter({ hasText: 'Import completed' }).waitFor({ timeout: 30_000 });
      check((await page.getByTestId('import-processed').textContent()) === '2', 'two rows imported');
      check((await page.getByTestId('import-rejected').textContent()) === '1', 'one row rejected');
      await page.getByTestId('download-rejects').waitFor();
      await page.getByTestId('import-progress').scrollIntoViewIfNeeded();
      await shot(page, 'console-import');
      const ev = await api<{ id: string; amount: number | null }>('GET', `/events/E2E-IMP-${stamp}-1`);
      check(ev.amount === 123450, `the imported event has its amount in cents: ${JSON.stringify(ev)}`);
    });

    await step('console: Persian switches the layout to right-to-left', async () => {
      await page.goto(`${BASE}/`);
      await page.locator('header select').selectOption('fa');
      await page.waitForFunction(() => document.documentElement.dir === 'rtl');
      await page.getByTestId('stat-accounts-30').waitFor();
      await shot(page, 'console-dashboard-fa');
      await page.locator('header select').selectOption('en');
    });

    // The portal on a phone.
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'en-GB' });
    const mobile = await phone.newPage();
    mobile.setDefaultTimeout(10_000);
    current = mobile;

    const programCode = (await api<{ code: string }>('GET', '/program')).code;
    /** Signs in at the program's own portal address, by e-mail or by phone, and answers the page's language after sign-in. */
    async function portalSignIn(contact: { email: string } | { phone: string }): Promise<string> {
      await mobile.goto(`${BASE}/portal/${programCode}/`);
      await mobile.getByRole('heading', { name: /^Sign in to / }).waitFor();
      if ('phone' in contact) {
        await mobile.getByRole('button', { name: 'Phone', exact: true }).click();
        await mobile.getByLabel('Mobile number', { exact: true }).fill(contact.phone);
      } else await mobile.getByLabel('Work e-mail', { exact: true }).fill(contact.email);
      await mobile.getByRole('button', { name: 'Send me a code' }).click();
      await mobile.getByLabel('6-digit code', { exact: true }).waitFor();
      const query = 'phone' in contact ? `phone=${encodeURIComponent(contact.phone)}` : `email=${encodeURIComponent(contact.email)}`;
      const { code } = await (await fetch(`${BASE}/api/v1/portal/auth/test-code?${query}&program=${programCode}`)).json() as { code: string };
      await mobile.getByLabel('6-digit code', { exact: true }).fill(code);
      await mobile.getByRole('button', { name: 'Sign in', exact: true }).click();
      // Signed in: the home screen greets the member (a member may have no wallet yet).
      await mobile.locator('h1.hello').waitFor();
      await mobile.waitForLoadState('networkidle');
      const lang = await mobile.evaluate(() => document.documentElement.lang);
      // The rest of the run reads English labels: pick English the way a person would.
      await mobile.locator('select.lang').selectOption('en');
      return lang;
    }

    await step('portal (390×844): an employee signs in with a one-time code and sees the balance', async () => {
      const lang = await portalSignIn({ email: employee.email ?? '' });
      const own = employee.locale?.split('-')[0];
      if (own && ['en', 'fr', 'fa'].includes(own)) check(lang === own, `after sign-in the portal speaks the member's own language (${employee.locale}), not the browser's: ${lang}`);
      check(mobile.url().includes(`/portal/${programCode}/`), `the program's code stays in the address: ${mobile.url()}`);
      check(digits(await mobile.getByTestId('balance-points-available').textContent()) >= 5000, 'the balance includes the 5000 points adjusted');
      // The program calls its points "AquaPoints": so does the member's balance.
      const label = (await mobile.getByTestId('balance-points').locator('.label').textContent()) ?? '';
      check(label === 'AquaPoints', `the balance is named by the currency's name: "${label}"`);
      await mobile.getByTestId('balance-points-pending').waitFor();
      const manifest = await mobile.evaluate(() => document.querySelector('link[rel=manifest]')?.getAttribute('href'));
      check(manifest === '/portal/manifest.webmanifest', 'the portal links its web app manifest');
      await shot(mobile, 'portal-phone-home');
    });

    await step('portal: the employee redeems a reward', async () => {
      await mobile.getByRole('link', { name: 'Rewards' }).click();
      const card = mobile.getByTestId('reward').filter({ hasText: reward.name });
      await card.getByRole('button', { name: 'Redeem' }).click();
      await card.getByRole('button', { name: 'Yes, redeem' }).click();
      await mobile.getByRole('status').filter({ hasText: reward.name }).waitFor();
      await shot(mobile, 'portal-phone-rewards');
      const mine = await api<{ items: { rewardId: string; memberId: string | null }[] }>('GET', `/redemptions?memberId=${employee.id}`);
      check(mine.items.some((r) => r.rewardId === reward.id), 'the redemption is on the server');
    });

    await step('portal: a partner admin allocates company points to an employee', async () => {
      await mobile.getByRole('button', { name: 'Sign out' }).click();
      await portalSignIn({ email: admin.email ?? '' });
      await mobile.getByRole('link', { name: 'Company' }).click();
      await mobile.getByTestId('staff-member').first().waitFor();
      const before = (await api<{ currency: string; available: number }[]>('GET', `/members/${employee.id}/wallets`)).find((w) => w.currency === 'points')?.available ?? 0;
      const colleague = mobile.getByLabel('Colleague', { exact: true });
      const offered = await colleague.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
      check(offered.includes(employee.id) && !offered.includes(admin.id), `the admin is not offered themself: ${offered.join(', ')}`);
      await colleague.selectOption(employee.id);
      await mobile.getByLabel('Currency', { exact: true }).selectOption('points');
      await mobile.getByLabel('Amount (AquaPoints)', { exact: true }).fill('150');
      await mobile.getByRole('button', { name: 'Give points' }).click();
      // Nothing moves before the admin says yes to exactly this.
      const confirmBox = mobile.getByTestId('allocate-confirm');
      await confirmBox.filter({ hasText: `Give 150 AquaPoints from the company wallet to ${employee.name}?` }).waitFor();
      const meanwhile = (await api<{ currency: string; available: number }[]>('GET', `/members/${employee.id}/wallets`)).find((w) => w.currency === 'points')?.available ?? 0;
      check(meanwhile === before, 'nothing moved before the confirmation');
      await shot(mobile, 'portal-phone-give-confirm');
      await confirmBox.getByRole('button', { name: 'Yes, give' }).click();
      await mobile.getByRole('status').filter({ hasText: employee.name }).waitFor();
      const after = (await api<{ currency: string; available: number }[]>('GET', `/members/${employee.id}/wallets`)).find((w) => w.currency === 'points')?.available ?? 0;
      check(after === before + 150, `employee points ${before} → ${after}, expected +150`);
      // Money (store credit in cents) shows as money in the phone's locale, not as raw minor units.
      const credit = (await mobile.getByTestId('company-eur-credit').textContent()) ?? '';
      check(/^€[\d,]+\.\d\d\s*$/.test(credit), `store credit shows as euros with cents: ${credit}`);
      await shot(mobile, 'portal-phone-company');
    });

    await step('portal: a foreman without e-mail signs in by phone', async () => {
      const people = (await api<{ items: Member[] }>('GET', '/members?limit=200')).items;
      const foreman = people.find((m) => !m.email && m.phone && m.status === 'active');
      check(foreman, 'the demo has a member with only a phone number');
      await mobile.getByRole('button', { name: 'Sign out' }).click();
      await portalSignIn({ phone: foreman!.phone ?? '' });
      check(((await mobile.locator('h1.hello').textContent()) ?? '').includes(foreman!.name.split(' ')[0]), `signed in as ${foreman!.name}`);
      await shot(mobile, 'portal-phone-by-phone');
    });

    // Marketing funds (#13): a dealer's employee claims an ad from the phone, with a photo from a file input.
    await step('portal: a dealer claims an ad against its marketing fund with a photo', async () => {
      const funds = (await api<{ items: { id: string }[] }>('GET', '/funds')).items;
      check(funds.length > 0, 'the demo has a marketing fund');
      const allocations = await api<{ accountId: string }[]>('GET', `/funds/${funds[0].id}/allocations`);
      let claimant: Member | undefined;
      for (const a of allocations) {
        claimant = (await api<{ items: Member[] }>('GET', `/members?accountId=${a.accountId}&status=active&limit=50`)).items.find((m) => m.email);
        if (claimant) break;
      }
      check(claimant, 'a member of a funded dealer has an e-mail');
      await mobile.getByRole('button', { name: 'Sign out' }).click();
      await portalSignIn({ email: claimant!.email ?? '' });
      await mobile.getByRole('link', { name: /marketing fund/i }).click();
      await mobile.getByRole('heading', { name: 'New claim' }).waitFor();
      await mobile.getByLabel('What you did', { exact: true }).fill('Shop window poster, e2e');
      await mobile.getByLabel('What it cost (EUR)', { exact: true }).fill('640.00');
      await mobile.getByLabel('Proof: a photo or PDF of the ad or invoice', { exact: true }).setInputFiles({ name: 'poster.png', mimeType: 'image/png', buffer: Buffer.from(PNG_1PX, 'base64') });
      await mobile.getByRole('button', { name: 'Send the claim' }).click();
      await mobile.getByText('Sent. We will tell you when it is reviewed.').waitFor();
      const mine = (await api<{ items: { status: string; cost: number | null; activity: { description: string } | null; documents: unknown[] }[] }>('GET', `/claims?accountId=${claimant!.accountId}&limit=50`)).items;
      const sent = mine.find((c) => c.activity?.description === 'Shop window poster, e2e');
      check(sent?.status === 'submitted' && sent.cost === 64_000 && sent.documents.length === 1, `the claim is submitted for €640.00 with its photo: ${JSON.stringify(sent)}`);
      await shot(mobile, 'portal-phone-claim');
    });
    // Surveys (#16): the signed answer page on a 390 px phone, in Persian (right to left), no sign-in.
    await step('survey (390×844, RTL): a partner\'s customer answers the open survey link in Persian', async () => {
      const surveys = (await api<{ items: { id: string; name: string }[] }>('GET', '/surveys')).items;
      const survey = surveys.find((x) => x.name === 'Quarterly partner NPS');
      check(survey, 'the demo has its quarterly NPS survey');
      const accounts = (await api<{ items: { id: string }[] }>('GET', '/accounts?limit=1')).items;
      const link = await api<{ token: string }>('POST', `/surveys/${survey!.id}/links`, { accountId: accounts[0].id, days: 7 });
      const before = (await api<{ n: number }>('GET', `/surveys/${survey!.id}/results`)).n;
      await mobile.goto(`${BASE}/api/v1/s/${link.token}?lang=fa`);
      check((await mobile.evaluate(() => document.documentElement.dir)) === 'rtl', 'the Persian page is right to left');
      const wide = await mobile.evaluate(() => document.documentElement.scrollWidth);
      check(wide <= 390, `the page fits the phone without scrolling sideways: ${wide} px`);
      await mobile.locator('fieldset[data-question=recommend] .scale label').nth(3).click();
      await mobile.locator('textarea[name=q_why]').fill('تحویل‌ها دیر است');
      await shot(mobile, 'survey-phone-rtl');
      await mobile.locator('button[type=submit]').click();
      await mobile.locator('[data-done=thanks]').waitFor();
      const after = await api<{ n: number; byPeriod: unknown[] }>('GET', `/surveys/${survey!.id}/results`);
      check(after.n === before + 1, `one more answer: ${before} → ${after.n}`);
      const tampered = await fetch(`${BASE}/api/v1/s/${link.token.slice(0, -2)}xx`);
      check(tampered.status === 404 && (await tampered.text()).includes('LINK_INVALID'), 'a tampered link shows the error page');
    });
    // Join by QR (#17): the program's public join page on a 390 px phone, the proof of work solved in the browser.
    await step('join (390×844): a foreman registers on the join page; bad input and a duplicate get clear errors', async () => {
      await mobile.goto(`${BASE}/api/v1/j/${programCode}?lang=en`);
      const wide = await mobile.evaluate(() => document.documentElement.scrollWidth);
      check(wide <= 390, `the page fits the phone without scrolling sideways: ${wide} px`);
      const button = await mobile.getByRole('button', { name: 'Register' }).boundingBox();
      check(button && button.height >= 48, `the button is a 48 px target: ${button?.height}`);
      // Nothing filled in: the form comes back with each problem named.
      await mobile.getByRole('button', { name: 'Register' }).click();
      await mobile.getByRole('alert').filter({ hasText: 'Enter your name.' }).waitFor();
      check(await mobile.getByText('Tick the box to agree.').first().isVisible(), 'the consent is asked for');
      await mobile.getByLabel('Your name').fill('Dana E2E Foreman');
      await mobile.getByLabel('E-mail').fill('dana.e2e@site.example');
      await mobile.getByLabel('Your role').selectOption({ label: 'Installer / site foreman' });
      await mobile.getByLabel('Company code').fill('C-1001');
      await mobile.getByRole('checkbox', { name: /I agree/ }).check();
      await shot(mobile, 'join-phone');
      await mobile.getByRole('button', { name: 'Register' }).click();
      await mobile.locator('[data-join=pending]').waitFor({ timeout: 30_000 });
      check(await mobile.getByRole('link', { name: 'Sign in to the portal' }).isVisible(), 'the portal sign-in is offered');
      // The same person again: a clear duplicate error, not a second request.
      await mobile.getByRole('link', { name: 'Register someone else' }).click();
      await mobile.getByLabel('Your name').fill('Dana E2E Foreman');
      await mobile.getByLabel('E-mail').fill('dana.e2e@site.example');
      await mobile.getByLabel('Your role').selectOption({ label: 'Installer / site foreman' });
      await mobile.getByLabel('Company code').fill('C-1001');
      await mobile.getByRole('checkbox', { name: /I agree/ }).check();
      await mobile.getByRole('button', { name: 'Register' }).click();
      await mobile.getByRole('alert').filter({ hasText: 'already waits for approval' }).waitFor({ timeout: 30_000 });
      const pending = (await api<{ items: { name: string }[] }>('GET', '/join-requests?status=pending&limit=500')).items.filter((r) => r.name === 'Dana E2E Foreman');
      check(pending.length === 1, `one pending request: ${pending.length}`);
    });
    await phone.close();
    // Console steps of later features: the desktop session signed in above.
    current = page;

    // Club events (#19): an organiser checks a ticket in at the door by typing its code (no camera in the browser test).
    await step('console: an organiser checks a ticket in with the manual code', async () => {
      const startsAt = new Date(Date.now() + 3_600_000).toISOString();
      const endsAt = new Date(Date.now() + 3 * 3_600_000).toISOString();
      const ev = await api<{ id: string }>('POST', '/club-events', { title: 'E2E installers’ breakfast', kind: 'breakfast', startsAt, endsAt, timeZone: 'Europe/Paris', place: 'Paris', capacity: 5 });
      const rsvp = await api<{ status: string; ticket?: { token: string } }>('POST', `/club-events/${ev.id}/rsvp`, { memberId: employee.id, answer: 'yes' });
      check(rsvp.status === 'going' && rsvp.ticket, `the employee is going with a ticket: ${JSON.stringify(rsvp)}`);
      await page.goto(`${BASE}/club/events/${ev.id}/check-in`);
      await page.getByLabel('Ticket code').fill(rsvp.ticket!.token);
      await page.getByRole('button', { name: 'Check in', exact: true }).click();
      await page.getByTestId('check-in-ok').waitFor();
      check(((await page.getByTestId('check-in-ok').textContent()) ?? '').includes(employee.name), `welcomed ${employee.name}`);
      await shot(page, 'console-club-check-in');
      // The same ticket again: refused, and the event counts one attendee.
      await page.getByRole('button', { name: 'Check in', exact: true }).click();
      await page.getByText('Already checked in').waitFor();
      const after = await api<{ attended: number }>('GET', `/club-events/${ev.id}`);
      check(after.attended === 1, `one attendee, not ${after.attended}`);
    });
    // Program analytics (#18)
    await step("console: analytics shows KPI cards and the demo pilot's uplift with its interval", async () => {
      await page.getByRole('link', { name: 'Analytics' }).click();
      await page.getByRole('heading', { name: 'Program analytics' }).waitFor();
      await page.getByTestId('kpi-participation').waitFor();
      await page.getByRole('button', { name: 'Compare' }).click();
      await page.getByTestId('pilot-did').waitFor();
      const did = (await page.getByTestId('pilot-did').locator('p').nth(1).textContent()) ?? '';
      check(/^€[\d,]+\.\d\d$/.test(did.trim()), `the uplift per account is money: "${did}"`);
      await page.getByText('Pilot and control: mean per account by month').waitFor();
      await shot(page, 'console-analytics');
    });

    // Join by QR (#17): the program approves the phone's registration in the console, with a confirmation.
    await step('console: join requests — approve the registration from the phone', async () => {
      await page.goto(`${BASE}/join`);
      await page.getByRole('heading', { name: 'Join by QR' }).waitFor();
      await page.getByTestId('join-qr').first().waitFor();
      const row = page.locator('tr[data-request="Dana E2E Foreman"]');
      await row.getByRole('button', { name: 'Approve' }).click();
      await page.getByTestId('join-confirm-approve').click();
      await row.waitFor({ state: 'detached' });
      await shot(page, 'console-join');
      const approved = (await api<{ items: { name: string; memberId: string | null }[] }>('GET', '/join-requests?status=approved&limit=500')).items.find((r) => r.name === 'Dana E2E Foreman');
      check(approved?.memberId, `the request made a member: ${JSON.stringify(approved)}`);
      const m = await api<{ name: string; role: string }>('GET', `/members/${approved!.memberId}`);
      check(m.name === 'Dana E2E Foreman' && m.role === 'foreman', `the member: ${JSON.stringify(m)}`);
    });

    // Account health and surveys (#16): the account page's health panel, the NPS dashboard, the list by risk.
    await step('console: an account with a detractor shows its health panel (NPS trend, tasks); the survey results chart NPS by period, role and segment', async () => {
      const open = (await api<{ items: { accountId: string }[] }>('GET', '/tasks?status=open')).items;
      check(open.length > 0, 'the demo has open follow-up tasks');
      await page.goto(`${BASE}/accounts/${open[0].accountId}`);
      await page.getByTestId('account-health').waitFor();
      await page.getByTestId('health-nps-trend').waitFor();
      const nps = (await page.getByTestId('health-nps').textContent()) ?? '';
      check(/n = \d+, 95 % interval/.test(nps), `the NPS shows its n and interval: "${nps}"`);
      await page.getByTestId('account-tasks').getByRole('button', { name: 'Contacted', exact: true }).first().waitFor();
      await page.goto(`${BASE}/surveys`);
      await page.getByRole('button', { name: 'Results' }).first().click();
      for (const id of ['nps-over-time', 'nps-by-role', 'nps-by-segment', 'survey-themes']) await page.getByTestId(id).waitFor();
      const n = (await page.getByTestId('survey-results').textContent()) ?? '';
      check(/n = \d+/.test(n), `the results show n: "${n.slice(0, 80)}"`);
      await page.goto(`${BASE}/at-risk`);
      await page.getByTestId('at-risk-list').locator('tbody tr').first().waitFor();
    });

    await desktop.close();

    // Administering the program from the console (#21): an adjustment picked by the account's name.
    const adminCtx = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale: 'en-GB' });
    const adminPage = await adminCtx.newPage();
    adminPage.setDefaultTimeout(10_000);
    current = adminPage;
    await step('console: an adjustment picked by the account name, and Adjust on the account page', async () => {
      await signInToConsole(adminPage, owner);
      const target = await api<{ id: string; name: string; externalId: string }>('GET', '/accounts/ext:C-1001');
      const balance = async () => (await api<{ currency: string; available: number }[]>('GET', `/accounts/${target.id}/wallets`)).find((w) => w.currency === 'points')?.available ?? 0;
      const before = await balance();
      await adminPage.goto(`${BASE}/adjustments`);
      const picker = adminPage.getByTestId('adjustment-owner');
      await picker.click();
      await picker.fill(target.name.slice(0, 6));
      await adminPage.getByRole('option', { name: new RegExp(`${target.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} · ${target.externalId}`) }).click();
      await adminPage.getByLabel('Amount', { exact: false }).fill('25');
      await adminPage.getByLabel('Reason', { exact: false }).fill('E2E: picked by name');
      await adminPage.getByRole('button', { name: 'Post adjustment' }).click();
      await adminPage.getByRole('status').filter({ hasText: target.name }).waitFor();
      check((await balance()) === before + 25, `the account picked by name got the 25 points (${before} → ${await balance()})`);
      await shot(adminPage, 'console-adjustment-by-name');
      // The account page's Adjust opens the same form with the account already picked, by name.
      await adminPage.goto(`${BASE}/accounts/${target.id}`);
      await adminPage.getByTestId('account-adjust').click();
      await adminPage.waitForURL(/\/adjustments\?account=/);
      await adminPage.waitForFunction((name) => (document.querySelector('[data-testid=adjustment-owner]') as HTMLInputElement | null)?.value.includes(name), target.name);
    });
    await adminCtx.close();

    // Courses (#19): a member takes a course on a 390 px phone and passes the quiz.
    await step('portal (390×844): a member takes a course and passes the quiz', async () => {
      const course = await api<{ id: string }>('POST', '/courses', {
        title: 'E2E safety basics',
        lessons: [{ id: 'one', title: 'Gloves', body: '**Always** wear gloves on site.' }],
        quiz: { questions: [{ id: 'q1', text: 'What do you wear on site?', options: ['Sandals', 'Gloves'], correct: [1] }, { id: 'q2', text: 'Which are tools? (two)', options: ['Wrench', 'Banana', 'Level'], correct: [0, 2] }], passPercent: 100, attemptsAllowed: 2 },
      });
      const ctx = await browser!.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'en-GB' });
      const page = await ctx.newPage();
      page.setDefaultTimeout(10_000);
      current = page;
      await signInByEmail(page, programCode, employee.email ?? '');
      await page.goto(`${BASE}/portal/${programCode}/courses/${course.id}`);
      await page.getByRole('heading', { name: 'E2E safety basics' }).waitFor();
      await page.getByTestId('lesson-one').getByRole('button', { name: 'I have read this lesson' }).click();
      await page.getByTestId('lesson-one').getByText('Read').waitFor();
      await page.getByTestId('question-q1').getByLabel('Gloves').check();
      await page.getByTestId('question-q2').getByLabel('Wrench').check();
      await page.getByTestId('question-q2').getByLabel('Level').check();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      check(width <= 390, `the course player fits the phone's width: ${width}px`);
      await page.getByRole('button', { name: 'Submit my answers' }).click();
      await page.getByTestId('quiz-result').filter({ hasText: 'Passed!' }).waitFor();
      await page.getByTestId('certificate-link').waitFor();
      await shot(page, 'portal-phone-course-passed');
      const after = await api<{ completions: number }>('GET', `/courses/${course.id}`);
      check(after.completions === 1, `the course is completed once: ${after.completions}`);
      await ctx.close();
    });

    // Rights inside a company (#14): the demo left one company-wallet redemption waiting for C-1001's partner admin.
    await step("portal (390×844): the partner admin approves a colleague's company-wallet redemption under Approvals", async () => {
      const waiting = (await api<{ items: { id: string }[] }>('GET', '/redemptions?status=pending_approval&accountId=ext:C-1001')).items;
      check(waiting.length >= 1, `the demo has a redemption waiting for C-1001's approval: ${waiting.length}`);
      const ctx = await browser!.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'en-GB' });
      const page = await ctx.newPage();
      page.setDefaultTimeout(10_000);
      current = page;
      await signInByEmail(page, programCode, admin.email ?? '');
      await page.goto(`${BASE}/portal/${programCode}/company`);
      const first = page.getByTestId('approvals').getByTestId('approval').first();
      await first.waitFor();
      await shot(page, 'portal-phone-approvals');
      await first.getByRole('button', { name: 'Approve', exact: true }).click();
      await page.getByTestId('approvals').getByRole('status').filter({ hasText: 'Approved:' }).waitFor();
      const after = await api<{ status: string }>('GET', `/redemptions/${waiting[waiting.length - 1].id}`);
      check(after.status !== 'pending_approval', `the oldest waiting redemption is decided: ${after.status}`);
      await ctx.close();
    });

    // Offboarding (#14): "Mark as left" says what the policy does with the balance, then the entries show the move.
    await step('console: a member is marked as left and their balance moves to the company wallet', async () => {
      const ctx = await browser!.newContext({ viewport: { width: 1366, height: 860 }, locale: 'en-GB' });
      const page = await ctx.newPage();
      await signInToConsole(page, owner);
      const points = async (path: string) => (await api<{ currency: string; available: number }[]>('GET', path)).find((w) => w.currency === 'points')?.available ?? 0;
      // A person with points of their own, so that leaving moves something.
      let who: { id: string; accountId: string } | undefined;
      for (const m of (await api<{ items: { id: string; accountId: string; partnerAdmin: boolean }[] }>('GET', '/members?limit=100&status=active')).items) {
        // Not one of C-1001's people: the portal steps sign them in.
        if (!m.partnerAdmin && !staff.some((s) => s.id === m.id) && (await points(`/members/${m.id}/wallets`)) > 0) {
          who = m;
          break;
        }
      }
      if (!who) throw new Error('no active member with points in the demo');
      const mine = await points(`/members/${who.id}/wallets`);
      const company = await points(`/accounts/${who.accountId}/wallets`);
      await page.goto(`${BASE}/members/${who.id}`);
      await page.getByTestId('member-mark-left').click();
      await page.getByTestId('mark-left-confirm').getByText('move to the company wallet').waitFor();
      await shot(page, 'console-member-mark-left');
      await page.getByTestId('mark-left-submit').click();
      // The member page's history shows what happened on leaving.
      await page.getByText('Member left: balance moved to the company wallet').first().waitFor({ timeout: 10_000 });
      check((await api<{ status: string }>('GET', `/members/${who.id}`)).status === 'left', 'the member is left');
      check((await points(`/members/${who.id}/wallets`)) === 0 && (await points(`/accounts/${who.accountId}/wallets`)) >= company + mine, `the balance moved (${mine} → company ${company})`);
      await ctx.close();
    });

    // Accessibility in six languages (#20): the console dashboard and the portal home in each language, screenshot and axe (WCAG 2 A and AA), no serious or critical violation.
    await step('a11y: console dashboard and portal home in en, fr, fa, uk, hi, tl — axe finds no serious or critical violation', async () => {
      const problems: string[] = [];
      const audit = async (page: Page, name: string, lang: string) => {
        const html = await page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));
        check(html.lang === lang, `${name}: <html lang> is ${html.lang}, not ${lang}`);
        check(html.dir === (lang === 'fa' ? 'rtl' : 'ltr'), `${name}: <html dir> is ${html.dir} in ${lang}`);
        await shot(page, name);
        const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
        for (const v of violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) {
          problems.push(`${name}: ${v.id} (${v.impact}) at ${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join(' | ')}${v.nodes.length > 5 ? ` and ${v.nodes.length - 5} more` : ''}`);
        }
      };
      const languages = ['en', 'fr', 'fa', 'uk', 'hi', 'tl'];
      const consoleCtx = await browser!.newContext({ viewport: { width: 1366, height: 860 }, locale: 'en-GB' });
      const consolePage = await consoleCtx.newPage();
      consolePage.setDefaultTimeout(15_000);
      current = consolePage;
      await signInToConsole(consolePage, owner);
      for (const lang of languages) {
        await consolePage.goto(`${BASE}/`);
        await consolePage.getByTestId('stat-accounts-30').waitFor();
        await consolePage.locator('header select').selectOption(lang);
        await consolePage.waitForFunction((l) => document.documentElement.lang === l, lang);
        await consolePage.locator('.recharts-bar-rectangle').first().waitFor();
        await consolePage.waitForLoadState('networkidle');
        await audit(consolePage, `console-dashboard-${lang}`, lang);
      }
      await consolePage.locator('header select').selectOption('en');
      await consoleCtx.close();
      const phoneCtx = await browser!.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'en-GB' });
      const phonePage = await phoneCtx.newPage();
      phonePage.setDefaultTimeout(15_000);
      current = phonePage;
      await signInByEmail(phonePage, programCode, employee.email ?? '');
      for (const lang of languages) {
        await phonePage.locator('select.lang').selectOption(lang);
        await phonePage.waitForFunction((l) => document.documentElement.lang === l, lang);
        await phonePage.getByTestId('balance-points-available').waitFor();
        await phonePage.waitForLoadState('networkidle');
        await audit(phonePage, `portal-home-${lang}`, lang);
      }
      await phonePage.locator('select.lang').selectOption('en');
      await phoneCtx.close();
      if (problems.length) console.log(`    axe:\n      ${problems.join('\n      ')}`);
      check(problems.length === 0, `axe found ${problems.length} serious or critical violation(s) (listed above)`);
    });

    // Courses (#19): the console's builder makes a course required for a role by a due date.
    await step('console: the course builder makes a course required for foremen by a date', async () => {
      const ctx = await browser!.newContext({ viewport: { width: 1366, height: 860 }, locale: 'en-GB' });
      const page = await ctx.newPage();
      page.setDefaultTimeout(10_000);
      current = page;
      await signInToConsole(page, owner);
      await page.goto(`${BASE}/courses`);
      await page.getByRole('button', { name: 'New course' }).click();
      await page.getByTestId('course-title').fill('E2E required course');
      await page.getByLabel('Lesson 1: title').fill('Ladders');
      await page.getByLabel('Question 1', { exact: true }).fill('Do you check the ladder first?');
      await page.getByLabel('Options', { exact: true }).fill('No\nYes');
      await page.getByLabel('Yes', { exact: true }).check();
      await page.getByRole('button', { name: 'Add a required role' }).click();
      await page.getByTestId('course-required-role-0').fill('foreman');
      await page.getByTestId('course-required-due-0').fill('2030-06-30');
      await page.getByRole('button', { name: 'Create the course' }).click();
      await page.getByText('Required for foreman by').first().waitFor();
      const made = (await api<{ title: string; requiredFor: { role: string; dueAt: string }[] }[]>('GET', '/courses')).find((c) => c.title === 'E2E required course');
      check(made?.requiredFor.length === 1 && made.requiredFor[0].role === 'foreman' && made.requiredFor[0].dueAt.startsWith('2030-06-30T23:59:59'), `required for foremen by 30 June 2030: ${JSON.stringify(made?.requiredFor)}`);
      await shot(page, 'console-course-required');
      await ctx.close();
    });

    await step('security: no page of the console or the portal broke the Content-Security-Policy', async () => {
      check(cspViolations.length === 0, `${cspViolations.length} refused by the CSP:\n    ${[...new Set(cspViolations)].slice(0, 10).join('\n    ')}`);
    });

    // The two screenshots the README shows.
    mkdirSync('docs/screenshots', { recursive: true });
    for (const name of ['console-dashboard', 'portal-phone-home']) {
      try {
        copyFileSync(join(RESULTS, `${name}.png`), join('docs/screenshots', `${name}.png`));
      } catch {
        // a failed step left no screenshot; the failure is already counted
      }
    }
  } finally {
    await browser?.close().catch(() => undefined);
    if (server.pid) {
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    await new Promise((r) => setTimeout(r, 1000));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main()
  .catch((err: unknown) => {
    failed++;
    console.log(`  ✗ e2e run: ${err instanceof Error ? err.message : String(err)}`);
  })
  .finally(() => {
    console.log(`e2e: ${((Date.now() - started) / 1000).toFixed(0)} s, screenshots in ${RESULTS}/`);
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
  });
