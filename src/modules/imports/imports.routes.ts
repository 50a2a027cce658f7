import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { page, problem } from '../../contracts/common.js';
import { importListQuery, importPreview, importPreviewInput, importRunInput, importUploadQuery, importView, type ImportKind } from '../../contracts/imports.js';
import type { Permission } from '../../contracts/permissions.js';
import type { RequestContext } from '../../lib/context.js';
import { importError } from './imports.errors.js';
import type { ImportsService } from './imports.service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Uploads may be large ERP exports; every other route keeps the server's body limit. */
export const IMPORT_BODY_LIMIT = 100 * 1024 * 1024;

const params = z.object({ importId: z.string().min(1).max(100) });

/** What a kind of file writes: running it takes that permission on top of `imports:write`. */
const WRITES: Record<ImportKind, Permission> = { events: 'events:write', accounts: 'accounts:write', members: 'accounts:write' };

function mayWrite(ctx: RequestContext, kind: ImportKind) {
  // API keys and system work carry every permission (or none is checked).
  if (ctx.permissions && !ctx.permissions.has(WRITES[kind])) throw importError('IMPORT_KIND_FORBIDDEN', `Importing ${kind} needs the ${WRITES[kind]} permission.`);
}

export function importRoutes(imports: ImportsService): FastifyPluginAsyncZod {
  return async (app) => {
    // The file is the body, as it is; these parsers are scoped to this plugin's routes.
    // (Windows browsers often label a .csv file application/vnd.ms-excel.)
    app.addContentTypeParser(['text/csv', 'text/tab-separated-values', 'application/vnd.ms-excel', 'application/octet-stream', XLSX], { parseAs: 'buffer', bodyLimit: IMPORT_BODY_LIMIT }, (_req, body, done) => done(null, body));

    app.post(
      '/imports',
      {
        bodyLimit: IMPORT_BODY_LIMIT,
        schema: {
          tags: ['imports'],
          summary: 'Upload a CSV or XLSX file (the body, as text/csv, application/octet-stream or the XLSX type) of events, accounts or members; answers what was detected in it',
          querystring: importUploadQuery,
          response: { 201: importView, 403: problem, 415: problem, 422: problem },
        },
      },
      async (req, reply) => {
        mayWrite(req.ctx, req.query.kind);
        const content = Buffer.isBuffer(req.body) ? req.body : typeof req.body === 'string' ? Buffer.from(req.body) : null;
        if (!content) throw importError('IMPORT_FILE_INVALID', 'Send the file itself as the body (text/csv, application/octet-stream or the XLSX media type).', [{ path: 'body', message: 'not a file' }]);
        return reply.status(201).send(await imports.upload(req.ctx, { kind: req.query.kind, fileName: req.query.fileName, content }));
      },
    );
    app.get('/imports', { schema: { tags: ['imports'], summary: 'Imports, newest first', querystring: importListQuery, response: { 200: page(importView) } } }, async (req) =>
      imports.list(req.ctx.programId, req.query),
    );
    app.get('/imports/:importId', { schema: { tags: ['imports'], summary: 'An import: what was detected, the mapping, progress (rows, rows/s, ETA) and counts', params, response: { 200: importView, 404: problem } } }, async (req) =>
      imports.get(req.ctx.programId, req.params.importId),
    );
    app.post(
      '/imports/:importId/preview',
      { schema: { tags: ['imports'], summary: 'The first rows with a mapping applied, each with what would be rejected; writes nothing', params, body: importPreviewInput, response: { 200: importPreview, 404: problem, 409: problem, 422: problem } } },
      async (req) => imports.preview(req.ctx.programId, req.params.importId, req.body),
    );
    app.post(
      '/imports/:importId/run',
      {
        schema: {
          tags: ['imports'],
          summary: 'Run an uploaded import with a mapping in the background (202); `dryRun` validates everything and writes nothing but the report',
          params,
          body: importRunInput,
          response: { 202: importView, 403: problem, 404: problem, 409: problem, 422: problem },
        },
      },
      async (req, reply) => {
        const current = await imports.get(req.ctx.programId, req.params.importId);
        mayWrite(req.ctx, current.kind);
        return reply.status(202).send(await imports.start(req.ctx, req.params.importId, req.body));
      },
    );
    app.get(
      '/imports/:importId/rejects',
      { schema: { tags: ['imports'], summary: 'The rejected rows as CSV: row, column, field, reason, then the row as it was in the file', params } },
      async (req, reply) => {
        const csv = await imports.rejectsCsv(req.ctx.programId, req.params.importId);
        return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${req.params.importId}-rejects.csv"`).send(csv);
      },
    );
  };
}
