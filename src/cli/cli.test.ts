import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliHarness } from '../../test/support/cli.js';
import { createServices } from '../services.js';

// The real command, as an operator runs it: a child process through bin/fealty.mjs, on a fresh
// data dir (or, with DATABASE_URL, a scratch PostgreSQL database of its own).
const cli = cliHarness('cli', { timeout: 60_000 });
const { databaseUrl } = cli;
const fealty = (...args: string[]) => cli.run(args);
const withOpenDatabase = cli.withDatabase;

beforeAll(() => cli.setUp());
afterAll(() => cli.tearDown());

describe('fealty CLI', () => {
  let programId = '';
  let firstKey = '';

  it('prints help with exit code 0, and refuses an unknown command or option with exit code 2', async () => {
    const [help, subHelp, unknown, badOption] = await Promise.all([
      fealty('--help'),
      fealty('keys', 'revoke', '--help'),
      fealty('frobnicate'),
      fealty('program', 'list', '--colour'),
    ]);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toContain('Exit codes:');
    expect(subHelp.code).toBe(0);
    expect(subHelp.stdout).toContain('--program <id>');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toContain("unknown option '--colour'");
  });

  it('program create --json prints one JSON object whose key authenticates, on a fresh database', async () => {
    const run = await fealty('program', 'create', '--name', 'Acme partners', '--json');
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as { program: { id: string; name: string }; apiKey: string };
    expect(out).toEqual({ program: { id: expect.stringMatching(/^prg_/), name: 'Acme partners' }, apiKey: expect.stringMatching(/^fly_/) });
    programId = out.program.id;
    firstKey = out.apiKey;
    const who = await withOpenDatabase((db) => createServices(db).programs.authenticate(firstKey));
    expect(who?.programId).toBe(programId);
  });

  it('keys create, list (prefix only, never the key) and revoke; the revoked key no longer authenticates', async () => {
    const created = await fealty('keys', 'create', '--program', programId, '--name', 'shop', '--json');
    expect(created.code, created.stderr).toBe(0);
    const { key, apiKey } = JSON.parse(created.stdout) as { key: { id: string; prefix: string }; apiKey: string };
    expect(apiKey.startsWith(key.prefix)).toBe(true);

    const listed = await fealty('keys', 'list', '--program', programId, '--json');
    expect(listed.code, listed.stderr).toBe(0);
    const { keys } = JSON.parse(listed.stdout) as { keys: { id: string; name: string; prefix: string; revokedAt: string | null }[] };
    expect(keys.map((k) => k.name).sort()).toEqual(['first key', 'shop']);
    expect(listed.stdout).toContain(key.prefix);
    expect(listed.stdout).not.toContain(apiKey);
    expect(listed.stdout).not.toContain(firstKey);

    const revoked = await fealty('keys', 'revoke', '--program', programId, key.id, '--json');
    expect(revoked.code, revoked.stderr).toBe(0);
    expect((JSON.parse(revoked.stdout) as { key: { id: string; revokedAt: string | null } }).key).toMatchObject({ id: key.id, revokedAt: expect.any(String) });

    await withOpenDatabase(async (db) => {
      const { programs } = createServices(db);
      expect(await programs.authenticate(apiKey)).toBeNull();
      expect((await programs.authenticate(firstKey))?.programId).toBe(programId);
      const audit = await db.handle.pool.query<{ action: string }>(
        `select action from audit_log where program_id = $1 and actor_type = 'system' and actor_id = 'cli' order by action`,
        [programId],
      );
      expect(audit.rows.map((r) => r.action)).toEqual(['api_key.created', 'api_key.created', 'api_key.revoked', 'program.created']);
      if (!databaseUrl) {
        // PGlite is single-process: a command must refuse a data dir that is open elsewhere.
        const busy = await fealty('program', 'list');
        expect(busy.code).toBe(1);
        expect(busy.stderr).toContain('is in use by another process');
      }
    });
  });

  it('keys list for an unknown program exits 1 with a clear message', async () => {
    const run = await fealty('keys', 'list', '--program', 'prg_nope');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('No program with id "prg_nope"');
  });
});
