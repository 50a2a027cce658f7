import type { Config } from './config.js';
import { DEMO_PROGRAM } from './demo/demo-catalog.js';
import { loadDemo, type DemoOptions } from './demo/demo-data.js';
import type { Services } from './services.js';

const thousands = (n: number) => n.toLocaleString('en-US').replace(/,/g, ' ');

/** The demo program's public code: its members sign in at /portal/aquapure/. */
export const DEMO_PROGRAM_CODE = 'aquapure';

/** The demo's owner console user. */
export const DEMO_ADMIN_EMAIL = 'admin@aquapure.example';

/**
 * On a first start (no program yet): create the first program, with FEALTY_BOOTSTRAP_KEY
 * as its API key when given (a random one otherwise), and print how to use it. With the demo
 * on (the default) the program is a water-treatment supplier's partner club with partners,
 * staff and nine months of history, so a newcomer has something to look at straight away.
 */
export async function firstStart(services: Services, config: Pick<Config, 'bootstrapKey' | 'demo'> & Partial<Pick<Config, 'port' | 'adminPassword' | 'production'>>, demoOptions: DemoOptions = {}): Promise<void> {
  const demo = config.demo === 'on';
  // The demo's portal address is /portal/aquapure/, unless a program already has that code.
  const code = demo && !(await services.programs.findProgramByCode(DEMO_PROGRAM_CODE)) ? { code: DEMO_PROGRAM_CODE } : {};
  const { program, apiKey } = await services.programs.createProgram(
    demo ? { name: DEMO_PROGRAM.name, ...code, timeZone: DEMO_PROGRAM.timeZone, defaultLocale: DEMO_PROGRAM.defaultLocale, apiKey: config.bootstrapKey } : { name: 'My program', apiKey: config.bootstrapKey },
  );
  // Port 0 means "any free port": the real one is known only after listening, in the ready line.
  const base = `http://localhost:${config.port === 0 ? '<port>' : (config.port ?? 3000)}/api/v1`;
  const print = (lines: string[]) => process.stdout.write(lines.join('\n') + '\n');
  print(['', `  First start: created program ${program.id} ("${program.name}")${demo ? '; loading the demo data…' : ''}`]);
  const lines: string[] = [];
  if (demo) {
    try {
      const s = await loadDemo(services, program.id, demoOptions);
      lines.push(
        `  Demo data: ${s.accounts} partner companies, ${s.members} people, ${thousands(s.transactions)} ledger transactions (${thousands(s.postings)} postings) over 9 months, loaded in ${(s.ms / 1000).toFixed(1)} s`,
        '  (start with FEALTY_DEMO=off on an empty database for a blank program instead)',
      );
    } catch (err) {
      // The program and its key exist already: a failed demo must not hide the key, which is shown only here.
      lines.push(`  Demo data could not be loaded completely (${err instanceof Error ? err.message : String(err)}); the program works, its demo is partial.`);
    }
  }
  lines.push(...(await consoleLogin(services, program, demo, config, base.replace(/\/api\/v1$/, ''))));
  lines.push(
    config.bootstrapKey ? '  API key: the one in FEALTY_BOOTSTRAP_KEY' : `  API key (shown once, keep it): ${apiKey}`,
    demo
      ? `  Try: curl -H "Authorization: Bearer <key>" ${base}/accounts/ext:C-1001/wallets`
      : `  Try: curl -H "Authorization: Bearer <key>" ${base}/program`,
    '',
  );
  print(lines);
}

/**
 * The first console user, an owner, so the web console can be signed in to at once: its password
 * is FEALTY_ADMIN_PASSWORD, or a random one shown only here. With the demo, also who to sign in
 * as on the portal, by e-mail or by phone (outside production the one-time code goes to this log
 * until the messaging module's sender is wired in).
 */
async function consoleLogin(services: Services, program: { id: string; code: string }, demo: boolean, config: Partial<Pick<Config, 'adminPassword' | 'production'>>, origin: string): Promise<string[]> {
  const programId = program.id;
  const email = demo ? DEMO_ADMIN_EMAIL : 'admin@fealty.local';
  const ctx = { programId, actor: { type: 'system' as const, id: 'first-start' } };
  const { initialPassword } = await services.users.createUser(ctx, { email, name: demo ? 'AquaPure admin' : 'Admin', role: 'owner', ...(config.adminPassword ? { password: config.adminPassword } : {}) });
  const lines = [`  Console: ${origin}  login: ${email}  password: ${initialPassword ?? 'the one in FEALTY_ADMIN_PASSWORD'}`];
  if (demo) {
    const people = (await services.accounts.listAccountMembers(programId, 'ext:C-1001', { limit: 50 }).catch(() => ({ items: [] }))).items.filter((m) => m.status === 'active');
    const staff = people.filter((m) => m.email);
    const admin = staff.find((m) => m.partnerAdmin);
    const employee = staff.find((m) => !m.partnerAdmin);
    const byPhone = people.find((m) => !m.email && m.phone);
    if (admin || employee) {
      const who = [employee && `${employee.email} (employee)`, admin && `${admin.email} (partner admin)`, byPhone && `${byPhone.phone} (by phone)`].filter(Boolean).join(' or ');
      const code = config.production ? 'no code is sent until an e-mail/SMS sender is set up' : 'development only: the one-time code is printed in this log';
      lines.push(`  Portal: ${origin}/portal/${program.code}/ — sign in as ${who} (${code})`);
    }
  }
  return lines;
}
