import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import sharp from 'sharp';
import { z } from 'zod';
import { jsonOrCsv, page, problem } from '../../contracts/common.js';
import { toCsv } from '../../lib/csv.js';
import {
  approveInput,
  bulkApproveAnswer,
  bulkApproveInput,
  claimInput,
  claimsQuery,
  claimView,
  documentDecisionInput,
  payInput,
  portalClaimInput,
  rejectInput,
  requestInfoInput,
  validSerialsAnswer,
  validSerialsInput,
  type ClaimView,
} from '../../contracts/claims.js';
import { claimError } from './claims.errors.js';
import type { ClaimActor, ClaimsService } from './claims.service.js';
import { accountFundView } from './funds.contracts.js';
import type { FundsService } from './funds.service.js';

const params = z.object({ id: z.string().min(1).max(100) }).strict();
const documentParams = z.object({ id: z.string().min(1).max(100), documentId: z.string().min(1).max(100) }).strict();
const documentQuery = z.object({ thumbnail: z.enum(['true', 'false']).optional().describe('true: a JPEG at most 320 px wide (images only)') }).strict();
const fileNameQuery = z.object({ fileName: z.string().min(1).max(200).optional() }).strict();
const documentAnswer = z.object({ documentId: z.string(), sha256: z.string(), contentType: z.string(), sizeBytes: z.number().int() });
const errors = { 404: problem, 409: problem, 422: problem };
/** Media types a proof may be sent as; the bytes are sniffed anyway. */
const UPLOAD_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/heic', 'image/heif', 'application/pdf', 'application/octet-stream'];
const binary = { content: { 'application/octet-stream': { schema: z.string().describe('The file, as stored') } } };

function partnerOf(req: FastifyRequest): ClaimActor & { kind: 'partner' } {
  if (req.principal.type !== 'member') throw claimError('CLAIM_NOT_FOUND', 'Not a portal session.');
  return { kind: 'partner', accountId: req.principal.member.accountId, memberId: req.principal.member.id };
}

/** The payout export: one line per paid claim, what the ERP books as a credit note. */
function claimsCsv(items: ClaimView[]): string {
  return toCsv([
    ['claim', 'kind', 'status', 'account', 'account name', 'fund', 'currency', 'cost', 'approved', 'pay method', 'invoice', 'paid at'],
    ...items.map((c) => [c.id, c.kind, c.status, c.accountId, c.accountName, c.fundId ?? '', c.currency ?? '', c.cost ?? '', c.approvedAmount ?? '', c.payMethod ?? '', c.invoice?.number ?? '', c.paidAt ?? '']),
  ]);
}

async function sendDocument(reply: FastifyReply, file: { fileName: string; contentType: string; bytes: Buffer }, thumbnail: boolean) {
  reply.header('x-content-type-options', 'nosniff').header('cache-control', 'private, max-age=300');
  const safe = file.fileName.replace(/[^A-Za-z0-9._-]/g, '_');
  if (thumbnail) {
    if (!file.contentType.startsWith('image/')) throw claimError('CLAIM_FILE_REFUSED', 'Only images have thumbnails.', [{ path: 'thumbnail', message: 'not an image' }]);
    const small = await sharp(file.bytes, { limitInputPixels: 100_000_000 }).rotate().resize({ width: 320, withoutEnlargement: true }).jpeg({ quality: 75 }).toBuffer();
    return reply.header('content-type', 'image/jpeg').send(small);
  }
  return reply.header('content-type', file.contentType).header('content-disposition', `inline; filename="${safe}"`).send(file.bytes);
}

/** Claims over HTTP: the console's review queue and decisions, and the partner portal's own claims and funds. */
export function claimRoutes(claims: ClaimsService, funds: FundsService): FastifyPluginAsyncZod {
  return async (app) => {
    // Proofs arrive as the raw body; a file over the limit is a 413 before it is read whole.
    app.addContentTypeParser(UPLOAD_TYPES, { parseAs: 'buffer', bodyLimit: claims.uploadLimitBytes }, (_req, body, done) => done(null, body));
    const upload = (actor: (req: FastifyRequest) => ClaimActor) => async (req: FastifyRequest<{ Params: { id: string }; Querystring: { fileName?: string } }>, reply: FastifyReply) => {
      if (!Buffer.isBuffer(req.body)) throw claimError('CLAIM_FILE_REFUSED', 'Send the file itself as the body (image/* or application/pdf).', [{ path: 'body', message: 'not a file' }]);
      const r = await claims.addDocument(req.ctx, req.params.id, { fileName: req.query.fileName ?? 'proof', bytes: req.body }, actor(req));
      return reply.status(201).send(r);
    };
    const uploadSchema = (summary: string, tags: string[]) => ({
      tags,
      summary,
      params,
      querystring: fileNameQuery,
      body: z.any().describe('The file (image/* or application/pdf), at most the configured size (10 MB by default)'),
      response: { 201: documentAnswer, 404: problem, 409: problem, 413: problem, 415: problem, 422: problem },
    });

    // ── Console and API ──
    app.post('/claims', { schema: { tags: ['claims'], summary: 'Create a claim (MDF against a fund, or a sale with its invoice) as a draft; duplicates are flagged, an exact duplicate of a granted claim is a 409', body: claimInput, response: { 201: claimView, ...errors } } }, async (req, reply) =>
      reply.status(201).send(await claims.create(req.ctx, req.body)),
    );
    app.get('/claims', { schema: { tags: ['claims'], summary: 'Claims, newest first (the review queue: status=submitted); format=csv is the payout export', querystring: claimsQuery.extend({ format: z.enum(['json', 'csv']).optional() }), response: { 200: jsonOrCsv(page(claimView)), 404: problem } } }, async (req, reply) => {
      const { format, ...q } = req.query;
      const r = await claims.list(req.ctx.programId, q);
      if (format === 'csv') return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="claims-${q.status ?? 'all'}.csv"`).send(claimsCsv(r.items));
      return r;
    });
    app.get('/claims/:id', { schema: { tags: ['claims'], summary: 'One claim with its documents, flags and the amount the fund’s rule gives', params, response: { 200: claimView, 404: problem } } }, async (req) => claims.get(req.ctx.programId, req.params.id));
    app.post('/claims/:id/documents', { schema: uploadSchema('Attach a proof (ad layout, invoice, photo): the raw file as the body; only images and PDF, sniffed from the bytes', ['claims']) }, upload(() => ({ kind: 'review' })));
    app.get('/claims/:id/documents/:documentId', { schema: { tags: ['claims'], summary: 'A claim’s document, or its thumbnail', params: documentParams, querystring: documentQuery, response: { 200: binary, 404: problem, 415: problem } } }, async (req, reply) =>
      sendDocument(reply, await claims.document(req.ctx.programId, req.params.id, req.params.documentId), req.query.thumbnail === 'true'),
    );
    app.post('/claims/:id/documents/:documentId/decision', { schema: { tags: ['claims'], summary: 'The reviewer’s decision on one document', params: documentParams, body: documentDecisionInput, response: { 200: claimView, 404: problem, 422: problem } } }, async (req) =>
      claims.decideDocument(req.ctx, req.params.id, req.params.documentId, req.body.decision),
    );
    app.post('/claims/:id/submit', { schema: { tags: ['claims'], summary: 'Submit for review (draft or info_requested → submitted)', params, response: { 200: claimView, ...errors } } }, async (req) => claims.submit(req.ctx, req.params.id));
    app.post('/claims/:id/approve', { schema: { tags: ['claims'], summary: 'Approve (submitted → approved): MDF holds the amount (the rule’s, or less) on the fund wallet; a sale becomes the sale_claimed event', params, body: approveInput, response: { 200: claimView, ...errors } } }, async (req) =>
      claims.approve(req.ctx, req.params.id, req.body),
    );
    app.post('/claims/:id/reject', { schema: { tags: ['claims'], summary: 'Reject with a reason', params, body: rejectInput, response: { 200: claimView, ...errors } } }, async (req) => claims.reject(req.ctx, req.params.id, req.body.reason));
    app.post('/claims/:id/request-info', { schema: { tags: ['claims'], summary: 'Send back to the partner with a question (submitted → info_requested)', params, body: requestInfoInput, response: { 200: claimView, ...errors } } }, async (req) =>
      claims.requestInfo(req.ctx, req.params.id, req.body.message),
    );
    app.post('/claims/:id/pay', { schema: { tags: ['claims'], summary: 'Pay an approved MDF claim: the held value is spent; as store credit or as a credit-note line of the payout export', params, body: payInput.optional(), response: { 200: claimView, ...errors } } }, async (req) =>
      claims.pay(req.ctx, req.params.id, req.body?.method ?? 'credit_note'),
    );
    app.post('/claims/valid-serials', { schema: { tags: ['claims'], summary: 'Add serial numbers the supplier sold (optionally with their sku) to the list sales claims are verified against', body: validSerialsInput, response: { 200: validSerialsAnswer, 422: problem } } }, async (req) =>
      claims.addValidSerials(req.ctx, req.body),
    );
    app.post('/claims/bulk-approve', { schema: { tags: ['claims'], summary: 'Approve the good sales claims among those named (submitted, nothing flagged, every serial on the valid list); the others are skipped with the reason', body: bulkApproveInput, response: { 200: bulkApproveAnswer, 422: problem } } }, async (req) =>
      claims.bulkApprove(req.ctx, req.body.claimIds),
    );
    app.post('/claims/:id/cancel', { schema: { tags: ['claims'], summary: 'Cancel a claim not yet decided', params, response: { 200: claimView, ...errors } } }, async (req) => claims.cancel(req.ctx, req.params.id));

    // ── Partner portal: my company's funds and claims ──
    app.get('/portal/funds', { schema: { tags: ['portal'], summary: 'My company’s funds: allocated, reserved, claimed, paid, available', response: { 200: z.array(accountFundView) } } }, async (req) =>
      funds.accountFunds(req.ctx.programId, partnerOf(req).accountId),
    );
    app.get('/portal/claims', { schema: { tags: ['portal'], summary: 'My company’s claims, newest first', querystring: claimsQuery.omit({ accountId: true }), response: { 200: page(claimView) } } }, async (req) => claims.list(req.ctx.programId, req.query, partnerOf(req)));
    app.post('/portal/claims', { schema: { tags: ['portal'], summary: 'Start a claim for my company (a draft)', body: portalClaimInput, response: { 201: claimView, ...errors } } }, async (req, reply) => {
      const me = partnerOf(req);
      const input = claimInput.safeParse({ ...req.body, accountId: me.accountId, memberId: me.memberId });
      if (!input.success) throw claimError('CLAIM_INVALID', 'The claim is not valid.', input.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
      return reply.status(201).send(await claims.create(req.ctx, input.data, me));
    });
    app.get('/portal/claims/:id', { schema: { tags: ['portal'], summary: 'One of my company’s claims', params, response: { 200: claimView, 404: problem } } }, async (req) => claims.get(req.ctx.programId, req.params.id, partnerOf(req)));
    app.post('/portal/claims/:id/documents', { schema: uploadSchema('Attach a proof to my claim (a photo from the phone, a PDF)', ['portal']) }, upload(partnerOf));
    app.get('/portal/claims/:id/documents/:documentId', { schema: { tags: ['portal'], summary: 'A document of my claim, or its thumbnail', params: documentParams, querystring: documentQuery, response: { 200: binary, 404: problem, 415: problem } } }, async (req, reply) =>
      sendDocument(reply, await claims.document(req.ctx.programId, req.params.id, req.params.documentId, partnerOf(req)), req.query.thumbnail === 'true'),
    );
    app.post('/portal/claims/:id/submit', { schema: { tags: ['portal'], summary: 'Submit my claim for review', params, response: { 200: claimView, ...errors } } }, async (req) => claims.submit(req.ctx, req.params.id, partnerOf(req)));
    app.post('/portal/claims/:id/cancel', { schema: { tags: ['portal'], summary: 'Withdraw my claim before it is decided', params, response: { 200: claimView, ...errors } } }, async (req) => claims.cancel(req.ctx, req.params.id, partnerOf(req)));
  };
}
