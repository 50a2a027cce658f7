import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importMapping } from '../contracts/imports.js';
import { createTestApp, type TestApp, type TestProgram } from '../../test/support/app.js';
import { runDue } from './run-due.js';

/**
 * The daily maintenance's purges: expired sessions and spent sign-in codes a day after their
 * end, the files of imports finished 30 days ago. Exactly what is due goes, the rest stays, and
 * the next day's run finds nothing left to do.
 */

let t: TestApp;
let p: TestProgram;
beforeAll(async () => {
  t = await createTestApp();
  p = await t.newProgram('Maintenance');
});
afterAll(async () => {
  await t.close();
});

const DAY = 86_400_000;
const NOW = new Date('2030-03-10T03:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const q = async <T extends Record<string, unknown>>(query: ReturnType<typeof sql>) => (await t.database.db.execute<T>(query)).rows;
const api = (method: string, url: string, body?: unknown) => t.call(p, method, `/api/v1${url}`, body);

const CSV = 'title line\r\nexternalId;name;type\r\nC-1;Acme;dealer\r\nC-2;;dealer\r\n';
const run = async (fileName: string) =>
  (
    await t.services.imports.runFile(
      { programId: p.programId, actor: { type: 'system', id: 'test' } },
      { kind: 'accounts', fileName, content: Buffer.from(CSV), mapping: importMapping.parse({ headerRow: 2, delimiter: ';', fields: { externalId: 'externalId', name: 'name', type: 'type' } }), dryRun: true, owner: `test:${fileName}` },
      { mayTakeOver: () => false },
    )
  ).view;

describe('daily maintenance purges', () => {
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const session = (id: string, expiresAt: string) =>
      t.database.db.execute(sql`insert into sessions (id_hash, program_id, subject_type, subject_id, csrf_token, expires_at) values (${id}, ${p.programId}, 'user', 'usr_x', 'csrf', ${expiresAt})`);
    await session('s-expired-2d', ago(2 * DAY));
    await session('s-expired-25h', ago(25 * 60 * 60 * 1000));
    await session('s-expired-12h', ago(12 * 60 * 60 * 1000));
    await session('s-live', ago(-DAY));
    const code = (id: string, expiresAt: string, usedAt: string | null) =>
      t.database.db.execute(sql`insert into portal_codes (id, program_id, member_id, address_hash, code_hash, expires_at, used_at) values (${id}, ${p.programId}, 'mem_x', 'addr', 'hash', ${expiresAt}, ${usedAt})`);
    await code('c-expired-2d', ago(2 * DAY), null);
    await code('c-used-2d', ago(2 * DAY - 5 * 60 * 1000), ago(2 * DAY));
    await code('c-expired-12h', ago(12 * 60 * 60 * 1000), null);
    await code('c-used-1h', ago(-5 * 60 * 1000), ago(60 * 60 * 1000));
    await code('c-live', ago(-5 * 60 * 1000), null);

    // Three finished imports (each with one rejected row: C-2 has no name) and one just uploaded.
    for (const name of ['old', 'recent', 'old-failed']) ids[name] = (await run(`${name}.csv`)).id;
    await t.database.db.execute(sql`update imports set finished_at = ${ago(31 * DAY)} where id = ${ids.old}`);
    await t.database.db.execute(sql`update imports set finished_at = ${ago(29 * DAY)} where id = ${ids.recent}`);
    await t.database.db.execute(sql`update imports set status = 'failed', finished_at = ${ago(40 * DAY)} where id = ${ids['old-failed']}`);
    const up = await t.app.inject({ method: 'POST', url: '/api/v1/imports?kind=accounts&fileName=new.csv', headers: { authorization: `Bearer ${p.apiKey}`, 'content-type': 'text/csv' }, payload: CSV });
    expect(up.statusCode, up.body).toBe(201);
    ids.uploaded = up.json().id;
    await t.database.db.execute(sql`update imports set created_at = ${ago(90 * DAY)} where id = ${ids.uploaded}`);
  });

  it('removes exactly what is due, and a second run does nothing', async () => {
    const rejectsBefore = await api('GET', `/imports/${ids.old}/rejects`);
    expect(rejectsBefore.statusCode).toBe(200);

    const first = await runDue(t.services, NOW);
    expect(first.errors).toEqual([]);
    expect(first.maintenance).toMatchObject({ ran: true, sessionsPurged: 2, signInCodesPurged: 2, importFilesPurged: { imports: 2, bytes: 2 * Buffer.byteLength(CSV) } });

    expect((await q<{ id_hash: string }>(sql`select id_hash from sessions where program_id = ${p.programId} order by id_hash`)).map((r) => r.id_hash)).toEqual(['s-expired-12h', 's-live']);
    expect((await q<{ id: string }>(sql`select id from portal_codes where program_id = ${p.programId} order by id`)).map((r) => r.id)).toEqual(['c-expired-12h', 'c-live', 'c-used-1h']);
    const files = await q<{ id: string; bytes: number; purged: boolean }>(sql`select id, octet_length(content) as bytes, file_purged_at is not null as purged from imports where program_id = ${p.programId}`);
    const byId = new Map(files.map((f) => [f.id, f]));
    expect(byId.get(ids.old)).toMatchObject({ bytes: 0, purged: true });
    expect(byId.get(ids['old-failed'])).toMatchObject({ bytes: 0, purged: true });
    expect(byId.get(ids.recent)).toMatchObject({ bytes: Buffer.byteLength(CSV), purged: false });
    expect(byId.get(ids.uploaded)).toMatchObject({ bytes: Buffer.byteLength(CSV), purged: false });

    // The import stays, says its file is gone, and its rejects CSV is what it was.
    const view = (await api('GET', `/imports/${ids.old}`)).json();
    expect(view).toMatchObject({ status: 'completed', filePurgedAt: expect.any(String), progress: { rejected: 1 } });
    expect((await api('GET', `/imports/${ids.recent}`)).json()).toMatchObject({ filePurgedAt: null });
    const rejectsAfter = await api('GET', `/imports/${ids.old}/rejects`);
    expect(rejectsAfter.statusCode).toBe(200);
    expect(rejectsAfter.body).toBe(rejectsBefore.body);
    expect(rejectsAfter.body).toContain('externalId');
    const preview = await api('POST', `/imports/${ids.old}/preview`, { mapping: { headerRow: 2, delimiter: ';', fields: { externalId: 'externalId', name: 'name', type: 'type' } } });
    expect(preview.statusCode).toBe(409);
    expect(preview.json()).toMatchObject({ code: 'IMPORT_FILE_PURGED' });
    const audit = await q<{ action: string; object_id: string }>(sql`select action, object_id from audit_log where program_id = ${p.programId} and action = 'import.file_purged' order by object_id`);
    expect(audit.map((a) => a.object_id).sort()).toEqual([ids.old, ids['old-failed']].sort());

    const next = await runDue(t.services, new Date(NOW.getTime() + DAY));
    expect(next.maintenance).toMatchObject({ ran: true, importFilesPurged: { imports: 0, bytes: 0 } });
    // Only what expired in between (the 12-hour-old session and code are now 36 hours old; the used code is 25 hours old).
    expect(next.maintenance).toMatchObject({ sessionsPurged: 1, signInCodesPurged: 2 });
    const again = await runDue(t.services, new Date(NOW.getTime() + DAY + 60_000));
    expect(again.maintenance).toMatchObject({ ran: false, sessionsPurged: 0, signInCodesPurged: 0, importFilesPurged: { imports: 0, bytes: 0 } });
    const sameDay = await t.services.imports.purgeFiles(new Date(NOW.getTime() - 30 * DAY));
    expect(sameDay).toEqual({ imports: 0, bytes: 0 });
  });

  it('works through a backlog in chunks', async () => {
    for (let i = 0; i < 7; i++) await t.database.db.execute(sql`insert into sessions (id_hash, program_id, subject_type, subject_id, csrf_token, expires_at) values (${`bulk-${i}`}, ${p.programId}, 'member', 'mem_x', 'csrf', ${ago(3 * DAY)})`);
    expect(await t.services.sessions.purgeExpired(new Date(NOW.getTime() - DAY), 3)).toBe(7);
    expect(await t.services.sessions.purgeExpired(new Date(NOW.getTime() - DAY), 3)).toBe(0);
  });
});
