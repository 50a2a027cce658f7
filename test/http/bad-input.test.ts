import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestProgram } from '../support/app.js';
import { API, expectProblem, rowCounts } from './http-fixtures.js';

/**
 * Input → status → code, for what integrators get wrong: broken JSON, wrong types, unknown
 * fields, bad amounts, unknown references, missing headers, oversize bodies, bad keys. Each
 * row also checks the contract's promise that a rejected request changes nothing: every
 * table of the database has as many rows after it as before.
 */

let t: TestApp;
let p: TestProgram;
let revoked: TestProgram;

type Case = {
  name: string;
  method: string;
  path: string;
  /** An object is sent as JSON; a string is sent as it is (raw JSON text, broken JSON). */
  body?: unknown;
  headers?: Record<string, string>;
  /** Who calls: the program's key (default), no key, a revoked key, or a key that never existed. */
  as?: 'program' | 'none' | 'revoked' | 'unknown' | 'basic';
  status: number;
  code: string;
  /** The field at fault, as listed in `errors[].path`. */
  at?: string;
};

const key = (k: string) => ({ 'idempotency-key': k });
const adjustment = (over: Record<string, unknown>) => ({ accountId: 'ext:C-1', currency: 'points', amount: 100, reason: 'Goodwill', ...over });
const transfer = (over: Record<string, unknown>) => ({ from: { accountId: 'ext:C-1' }, to: { memberId: 'ext:M-1' }, currency: 'points', amount: 10, ...over });
const event = (over: Record<string, unknown>) => ({ id: 'BAD-EV', type: 'purchase', occurredAt: '2026-03-01T10:00:00Z', accountId: 'ext:C-1', amount: 1000, currency: 'EUR', ...over });
const account = (over: Record<string, unknown>) => ({ externalId: 'C-NEW', name: 'New Co', type: 'dealer', ...over });
const member = (over: Record<string, unknown>) => ({ externalId: 'M-NEW', name: 'New Person', role: 'sales', ...over });
const redemption = (over: Record<string, unknown>) => ({ accountId: 'ext:C-1', rewardId: 'ext:DRILL', qty: 1, ...over });
const b64 = (s: string) => Buffer.from(s).toString('base64url');
const rawAdjustment = (amountText: string) => `{"accountId":"ext:C-1","currency":"points","amount":${amountText},"reason":"Big one"}`;

const CASES: Case[] = [
  // Not JSON at all.
  { name: 'malformed JSON', method: 'POST', path: '/accounts', body: '{"externalId": "C-9", "name": ', status: 400, code: 'MALFORMED_JSON' },
  { name: 'trailing garbage after JSON', method: 'POST', path: '/adjustments', body: '{"accountId":"ext:C-1"} x', headers: key('bad-json-2'), status: 400, code: 'MALFORMED_JSON' },
  { name: 'an empty JSON body', method: 'POST', path: '/accounts', body: '', status: 400, code: 'MALFORMED_JSON' },
  { name: 'single quotes', method: 'PATCH', path: '/accounts/ext:C-1', body: "{'name': 'x'}", status: 400, code: 'MALFORMED_JSON' },
  { name: 'a __proto__ key (prototype poisoning)', method: 'PATCH', path: '/accounts/ext:C-1', body: '{"name":"x","__proto__":{"admin":true}}', status: 400, code: 'FORBIDDEN_JSON_KEY', at: '__proto__' },
  { name: 'a constructor.prototype key in attributes', method: 'PATCH', path: '/accounts/ext:C-1', body: '{"attributes":{"constructor":{"prototype":{"admin":true}}}}', status: 400, code: 'FORBIDDEN_JSON_KEY', at: 'attributes.constructor.prototype' },
  { name: 'a byte-order mark before the JSON', method: 'PATCH', path: '/accounts/ext:C-1', body: '\ufeff{}', status: 400, code: 'MALFORMED_JSON' },
  { name: 'a byte-order mark before the JSON, as bytes', method: 'POST', path: '/redemptions/rdm_nope/approve', body: Buffer.from('\xef\xbb\xbf{}', 'latin1'), status: 400, code: 'MALFORMED_JSON' },
  { name: 'a body not in UTF-8 (latin-1 é)', method: 'POST', path: '/accounts', body: Buffer.from('{"externalId":"C-\xe9","name":"x","type":"dealer"}', 'latin1'), status: 400, code: 'MALFORMED_JSON' },

  // Structure JSON.parse lets through: depth, duplicate keys, lone surrogates.
  { name: 'objects nested 2,000 deep (a 12 KB body)', method: 'POST', path: '/accounts', body: `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`, status: 400, code: 'JSON_TOO_DEEP' },
  { name: 'arrays nested 2,000 deep at sign-in', method: 'POST', path: '/auth/login', body: `${'['.repeat(2000)}${']'.repeat(2000)}`, as: 'none', status: 400, code: 'JSON_TOO_DEEP' },
  { name: 'attributes nested 65 deep', method: 'PATCH', path: '/accounts/ext:C-1', body: `{"attributes":${'{"a":'.repeat(64)}1${'}'.repeat(64)}}`, status: 400, code: 'JSON_TOO_DEEP' },
  { name: 'a key given twice', method: 'POST', path: '/adjustments', body: '{"accountId":"ext:C-1","currency":"points","amount":1,"amount":5,"reason":"Twice"}', headers: key('dup-1'), status: 400, code: 'DUPLICATE_JSON_KEY', at: 'amount' },
  { name: 'a key given twice in a nested object', method: 'PATCH', path: '/accounts/ext:C-1', body: '{"attributes":{"tier":"a","tier":"b"}}', status: 400, code: 'DUPLICATE_JSON_KEY', at: 'attributes.tier' },
  { name: 'a key given twice in an array item', method: 'POST', path: '/events', body: '{"id":"BAD-EV","type":"purchase","occurredAt":"2026-03-01T10:00:00Z","accountId":"ext:C-1","lines":[{"sku":"A"},{"sku":"B","sku":"C"}]}', status: 400, code: 'DUPLICATE_JSON_KEY', at: 'lines.1.sku' },
  { name: 'a lone high surrogate in a field', method: 'POST', path: '/accounts', body: '{"externalId":"C-\\ud800","name":"x","type":"dealer"}', status: 422, code: 'VALIDATION_FAILED', at: 'externalId' },
  { name: 'a lone low surrogate in an attribute name', method: 'PATCH', path: '/accounts/ext:C-1', body: '{"attributes":{"\\udc00x":1}}', status: 422, code: 'VALIDATION_FAILED', at: 'attributes.\udc00x' },

  // Wrong types.
  { name: 'a number for a string', method: 'POST', path: '/accounts', body: account({ externalId: 42 }), status: 422, code: 'VALIDATION_FAILED', at: 'externalId' },
  { name: 'an amount as a string', method: 'POST', path: '/adjustments', body: adjustment({ amount: '100' }), headers: key('bad-type-1'), status: 422, code: 'VALIDATION_FAILED', at: 'amount' },
  { name: 'a string for a boolean', method: 'PATCH', path: '/program', body: { allowNegative: 'yes' }, status: 422, code: 'VALIDATION_FAILED', at: 'allowNegative' },
  { name: 'a string for a list', method: 'POST', path: '/accounts/ext:C-1/members', body: member({ channels: 'email' }), status: 422, code: 'VALIDATION_FAILED', at: 'channels' },
  { name: 'an array for the body', method: 'POST', path: '/events', body: [event({})], status: 422, code: 'VALIDATION_FAILED', at: '(body)' },
  { name: 'null for the body', method: 'POST', path: '/transfers', body: 'null', headers: key('bad-type-2'), status: 422, code: 'VALIDATION_FAILED', at: '(body)' },
  { name: 'a date that is not ISO-8601', method: 'POST', path: '/events', body: event({ occurredAt: 'yesterday' }), status: 422, code: 'VALIDATION_FAILED', at: 'occurredAt' },
  { name: 'a wallet that is neither account nor member', method: 'POST', path: '/transfers', body: transfer({ to: { walletId: 'x' } }), headers: key('bad-type-3'), status: 422, code: 'VALIDATION_FAILED', at: 'to' },
  { name: 'a limit that is not a number', method: 'GET', path: '/accounts?limit=many', status: 422, code: 'VALIDATION_FAILED', at: 'query.limit' },
  { name: 'a limit over the maximum', method: 'GET', path: '/members?limit=501', status: 422, code: 'VALIDATION_FAILED', at: 'query.limit' },
  { name: 'a limit in hexadecimal', method: 'GET', path: '/accounts?limit=0x10', status: 422, code: 'VALIDATION_FAILED', at: 'query.limit' },
  { name: 'a limit in exponent notation', method: 'GET', path: '/events?limit=1e1', status: 422, code: 'VALIDATION_FAILED', at: 'query.limit' },
  { name: 'a limit with a fraction', method: 'GET', path: '/audit?limit=10.0', status: 422, code: 'VALIDATION_FAILED', at: 'query.limit' },
  { name: 'dashboard months in hexadecimal', method: 'GET', path: '/reports/dashboard?months=0xC', status: 422, code: 'VALIDATION_FAILED', at: 'query.months' },
  { name: 'a tier multiplier of 1e-11', method: 'POST', path: '/tiers', body: { code: 'tiny', name: 'Tiny', rank: 1, qualify: { metric: 'spend', period: { rollingMonths: 12 }, min: 1 }, benefits: { multiplier: 1e-11 } }, status: 422, code: 'VALIDATION_FAILED', at: 'benefits.multiplier' },
  { name: 'a tier multiplier with four decimals', method: 'POST', path: '/tiers', body: { code: 'tiny', name: 'Tiny', rank: 1, qualify: { metric: 'spend', period: { rollingMonths: 12 }, min: 1 }, benefits: { multiplier: 1.0001 } }, status: 422, code: 'VALIDATION_FAILED', at: 'benefits.multiplier' },
  { name: 'an e-mail domain label ending in "-"', method: 'POST', path: '/accounts/ext:C-1/members', body: member({ email: 'ana@acme-.example' }), status: 422, code: 'VALIDATION_FAILED', at: 'email' },
  { name: 'attributes nested 6 deep', method: 'PATCH', path: '/accounts/ext:C-1', body: { attributes: { a: { b: { c: { d: { e: { f: 1 } } } } } } }, status: 422, code: 'VALIDATION_FAILED', at: 'attributes' },
  { name: 'attributes over 16 KB', method: 'PATCH', path: '/members/ext:M-1', body: { attributes: { blob: 'x'.repeat(16 * 1024) } }, status: 422, code: 'VALIDATION_FAILED', at: 'attributes' },
  { name: 'event attributes over 16 KB', method: 'POST', path: '/events', body: event({ attributes: { blob: 'x'.repeat(16 * 1024) } }), status: 422, code: 'VALIDATION_FAILED', at: 'attributes' },
  { name: 'an events cursor that is not JSON', method: 'GET', path: `/events?cursor=${b64('garbage')}`, status: 422, code: 'VALIDATION_FAILED', at: 'query.cursor' },
  { name: 'an events cursor with a bad date', method: 'GET', path: `/events?cursor=${b64('{"createdAt":"1","id":"x"}')}`, status: 422, code: 'VALIDATION_FAILED', at: 'query.cursor' },
  { name: 'an events cursor of the wrong shape', method: 'GET', path: `/events?cursor=${b64('[1,2]')}`, status: 422, code: 'VALIDATION_FAILED', at: 'query.cursor' },
  { name: 'a tier-changes cursor that is not a number', method: 'GET', path: `/accounts/ext:C-1/tier-changes?cursor=${b64('abc')}`, status: 422, code: 'VALIDATION_FAILED', at: 'query.cursor' },
  { name: 'an audit cursor that is not a number', method: 'GET', path: `/audit?cursor=${b64('abc')}`, status: 422, code: 'VALIDATION_FAILED', at: 'query.cursor' },
  { name: 'an audit cursor beyond bigint', method: 'GET', path: `/audit?cursor=${b64('99999999999999999999')}`, status: 422, code: 'VALIDATION_FAILED', at: 'query.cursor' },
  { name: 'an entries cursor that is not a number', method: 'GET', path: `/accounts/ext:C-1/entries?cursor=${b64('1 or 1=1')}`, status: 422, code: 'VALIDATION_FAILED', at: 'query.cursor' },
  { name: 'an invalid time zone', method: 'PATCH', path: '/program', body: { timeZone: 'Mars/Olympus_Mons' }, status: 422, code: 'VALIDATION_FAILED', at: 'timeZone' },
  { name: 'a percentage over 100', method: 'PATCH', path: '/program', body: { accountShare: 101 }, status: 422, code: 'VALIDATION_FAILED', at: 'accountShare' },
  { name: 'a cursor that is not even base64url', method: 'GET', path: '/accounts?cursor=***', status: 422, code: 'VALIDATION_FAILED', at: 'query.cursor' },
  { name: 'an events cursor of padding only', method: 'GET', path: '/events?cursor=%3D%3D%3D%3D', status: 422, code: 'VALIDATION_FAILED', at: 'query.cursor' },
  { name: 'a rewards cursor with base64 padding', method: 'GET', path: '/rewards?cursor=AAA%3D', status: 422, code: 'VALIDATION_FAILED', at: 'query.cursor' },
  { name: 'a redemptions cursor in base64, not base64url', method: 'GET', path: '/redemptions?cursor=%2F%2Fabc', status: 422, code: 'VALIDATION_FAILED', at: 'query.cursor' },
  { name: 'a well-formed cursor over no id', method: 'GET', path: `/redemptions?cursor=${b64('\u0000\u0000')}`, status: 422, code: 'VALIDATION_FAILED', at: 'query.cursor' },
  { name: 'a rewards cursor with padding, under an unknown partner', method: 'GET', path: '/rewards?partnerId=ext:NOPE&cursor=%3D%3D%3D%3D', status: 422, code: 'VALIDATION_FAILED', at: 'query.cursor' },
  { name: 'a templates cursor with padding (a list of one page)', method: 'GET', path: '/templates?cursor=AAA%3D', status: 422, code: 'VALIDATION_FAILED', at: 'query.cursor' },
  { name: 'a members cursor with padding', method: 'GET', path: `/members?cursor=${b64('mbr_x')}%3D`, status: 422, code: 'VALIDATION_FAILED', at: 'query.cursor' },
  { name: 'an empty batch', method: 'POST', path: '/events/batch', body: { events: [] }, status: 422, code: 'VALIDATION_FAILED', at: 'events' },
  { name: 'a redemption from both wallets at once', method: 'POST', path: '/redemptions', body: redemption({ memberId: 'ext:M-1' }), headers: key('both-1'), status: 422, code: 'VALIDATION_FAILED', at: 'accountId' },
  { name: 'a required field missing', method: 'POST', path: '/accounts', body: { externalId: 'C-9', type: 'dealer' }, status: 422, code: 'VALIDATION_FAILED', at: 'name' },

  // Unknown fields are refused, by name.
  { name: 'an unknown field', method: 'POST', path: '/accounts', body: account({ colour: 'red' }), status: 422, code: 'VALIDATION_FAILED', at: 'colour' },
  { name: 'an unknown field on a write of value', method: 'POST', path: '/adjustments', body: adjustment({ note: 'extra' }), headers: key('unknown-1'), status: 422, code: 'VALIDATION_FAILED', at: 'note' },
  { name: 'an unknown nested field', method: 'POST', path: '/currencies', body: { code: 'miles', name: 'Miles', kind: 'points', expiry: { months: 12, days: 3 } }, status: 422, code: 'VALIDATION_FAILED', at: 'expiry.days' },
  { name: 'an unknown field in a patch', method: 'PATCH', path: '/members/ext:M-1', body: { nickname: 'Bob' }, status: 422, code: 'VALIDATION_FAILED', at: 'nickname' },
  { name: 'an unknown field in a wallet reference', method: 'POST', path: '/transfers', body: transfer({ from: { accountId: 'ext:C-1', note: 'x' } }), headers: key('unknown-2'), status: 422, code: 'VALIDATION_FAILED', at: 'from.note' },
  { name: 'an unknown query parameter', method: 'GET', path: '/accounts?colour=red', status: 422, code: 'VALIDATION_FAILED', at: 'query.colour' },

  // Amounts: integers only, within 2^53−1, positive where a direction is given by the route.
  { name: 'a fractional adjustment', method: 'POST', path: '/adjustments', body: adjustment({ amount: 1.5 }), headers: key('amt-1'), status: 422, code: 'VALIDATION_FAILED', at: 'amount' },
  { name: 'a zero adjustment', method: 'POST', path: '/adjustments', body: adjustment({ amount: 0 }), headers: key('amt-2'), status: 422, code: 'VALIDATION_FAILED', at: 'amount' },
  { name: 'an adjustment of 2^53+1 (raw JSON text)', method: 'POST', path: '/adjustments', body: rawAdjustment('9007199254740993'), headers: key('amt-3'), status: 422, code: 'VALIDATION_FAILED', at: 'amount' },
  { name: 'an adjustment of −(2^53+1) (raw JSON text)', method: 'POST', path: '/adjustments', body: rawAdjustment('-9007199254740993'), headers: key('amt-4'), status: 422, code: 'VALIDATION_FAILED', at: 'amount' },
  { name: 'an adjustment of exactly 2^53', method: 'POST', path: '/adjustments', body: rawAdjustment('9007199254740992'), headers: key('amt-5'), status: 422, code: 'VALIDATION_FAILED', at: 'amount' },
  { name: 'an adjustment of 1e400 (Infinity once parsed)', method: 'POST', path: '/adjustments', body: rawAdjustment('1e400'), headers: key('amt-6'), status: 422, code: 'VALIDATION_FAILED', at: 'amount' },
  { name: 'an adjustment of 2^53+1 written as 9.007199254740993e15', method: 'POST', path: '/adjustments', body: rawAdjustment('9.007199254740993e15'), headers: key('amt-7'), status: 422, code: 'VALIDATION_FAILED', at: 'amount' },
  { name: 'a negative transfer', method: 'POST', path: '/transfers', body: transfer({ amount: -5 }), headers: key('amt-8'), status: 422, code: 'VALIDATION_FAILED', at: 'amount' },
  { name: 'a zero transfer', method: 'POST', path: '/transfers', body: transfer({ amount: 0 }), headers: key('amt-9'), status: 422, code: 'VALIDATION_FAILED', at: 'amount' },
  { name: 'a fractional transfer', method: 'POST', path: '/transfers', body: transfer({ amount: 0.25 }), headers: key('amt-10'), status: 422, code: 'VALIDATION_FAILED', at: 'amount' },
  { name: 'a transfer beyond 2^53 (raw JSON text)', method: 'POST', path: '/transfers', body: '{"from":{"accountId":"ext:C-1"},"to":{"memberId":"ext:M-1"},"currency":"points","amount":9007199254740993}', headers: key('amt-11'), status: 422, code: 'VALIDATION_FAILED', at: 'amount' },
  { name: 'a negative event amount', method: 'POST', path: '/events', body: event({ amount: -1 }), status: 422, code: 'VALIDATION_FAILED', at: 'amount' },
  { name: 'a fractional event amount', method: 'POST', path: '/events', body: event({ amount: 10.5 }), status: 422, code: 'VALIDATION_FAILED', at: 'amount' },
  { name: 'an event amount beyond 2^53 (raw JSON text)', method: 'POST', path: '/events', body: '{"id":"BAD-EV","type":"purchase","occurredAt":"2026-03-01T10:00:00Z","accountId":"ext:C-1","amount":9007199254740993,"currency":"EUR"}', status: 422, code: 'VALIDATION_FAILED', at: 'amount' },
  { name: 'a negative line amount', method: 'POST', path: '/events', body: event({ lines: [{ sku: 'X', qty: 1, amount: -10 }] }), status: 422, code: 'VALIDATION_FAILED', at: 'lines.0.amount' },
  { name: 'a negative line quantity', method: 'POST', path: '/events', body: event({ lines: [{ sku: 'X', qty: -1, amount: 10 }] }), status: 422, code: 'VALIDATION_FAILED', at: 'lines.0.qty' },
  { name: 'a zero redemption quantity', method: 'POST', path: '/redemptions', body: redemption({ qty: 0 }), headers: key('amt-12'), status: 422, code: 'VALIDATION_FAILED', at: 'qty' },
  { name: 'a fractional redemption quantity', method: 'POST', path: '/redemptions', body: redemption({ qty: 1.5 }), headers: key('amt-13'), status: 422, code: 'VALIDATION_FAILED', at: 'qty' },
  { name: 'a negative reward cost', method: 'POST', path: '/rewards', body: { name: 'Mug', kind: 'gift', cost: { currency: 'points', amount: -1 } }, status: 422, code: 'VALIDATION_FAILED', at: 'cost.amount' },
  { name: 'a zero cap', method: 'POST', path: '/rules', body: { name: 'R', eventType: 'purchase', effects: [{ currency: 'points', to: 'account', amount: 1, cap: { per: 'month', scope: 'account', max: 0 } }] }, status: 422, code: 'VALIDATION_FAILED', at: 'effects.0.cap.max' },
  { name: 'a zero budget', method: 'POST', path: '/rules', body: { name: 'R', eventType: 'purchase', effects: [{ currency: 'points', to: 'account', amount: 1 }], budget: { currency: 'points', max: 0 } }, status: 422, code: 'VALIDATION_FAILED', at: 'budget.max' },

  // Unknown currencies.
  { name: 'an adjustment in an unknown currency', method: 'POST', path: '/adjustments', body: adjustment({ currency: 'doubloons' }), headers: key('cur-1'), status: 422, code: 'CURRENCY_UNKNOWN', at: 'currency' },
  { name: 'a transfer in an unknown currency', method: 'POST', path: '/transfers', body: transfer({ currency: 'doubloons' }), headers: key('cur-2'), status: 422, code: 'CURRENCY_UNKNOWN', at: 'currency' },
  { name: 'an event in a currency that is not ISO 4217', method: 'POST', path: '/events', body: event({ currency: 'ZZZ' }), status: 422, code: 'VALIDATION_FAILED', at: 'currency' },
  { name: 'a reward priced in an unknown currency', method: 'POST', path: '/rewards', body: { name: 'Mug', kind: 'gift', cost: { currency: 'doubloons', amount: 10 } }, status: 422, code: 'CURRENCY_UNKNOWN', at: 'cost.currency' },
  { name: 'a rule awarding an unknown currency', method: 'POST', path: '/rules', body: { name: 'R', eventType: 'purchase', effects: [{ currency: 'doubloons', to: 'account', amount: 1 }] }, status: 422, code: 'CURRENCY_UNKNOWN', at: 'effects.0.currency' },
  { name: 'a stamp card on an unknown currency', method: 'PUT', path: '/currencies/doubloons/stamp-card', body: { stampsPerCard: 5, rewardId: 'ext:DRILL' }, status: 404, code: 'STAMP_CARD_NOT_FOUND' },

  // Unknown objects named in a body: 422, with the field at fault.
  { name: 'an adjustment to an unknown account', method: 'POST', path: '/adjustments', body: adjustment({ accountId: 'ext:NOPE' }), headers: key('ref-1'), status: 422, code: 'WALLET_OWNER_UNKNOWN', at: 'accountId' },
  { name: 'an adjustment to an unknown member', method: 'POST', path: '/adjustments', body: adjustment({ accountId: undefined, memberId: 'mbr_nope' }), headers: key('ref-2'), status: 422, code: 'WALLET_OWNER_UNKNOWN', at: 'memberId' },
  { name: 'a transfer to an unknown member', method: 'POST', path: '/transfers', body: transfer({ to: { memberId: 'ext:NOPE' } }), headers: key('ref-3'), status: 422, code: 'WALLET_OWNER_UNKNOWN', at: 'to.memberId' },
  { name: 'a transfer from an unknown account', method: 'POST', path: '/transfers', body: transfer({ from: { accountId: 'ext:NOPE' } }), headers: key('ref-4'), status: 422, code: 'WALLET_OWNER_UNKNOWN', at: 'from.accountId' },
  { name: 'an event of an unknown account', method: 'POST', path: '/events', body: event({ accountId: 'ext:NOPE' }), status: 422, code: 'ACCOUNT_UNKNOWN', at: 'accountId' },
  { name: 'an event of an unknown member', method: 'POST', path: '/events', body: event({ memberId: 'ext:NOPE' }), status: 422, code: 'MEMBER_UNKNOWN', at: 'memberId' },
  { name: 'an event of a member of another account', method: 'POST', path: '/events', body: event({ accountId: 'ext:C-2', memberId: 'ext:M-1' }), status: 422, code: 'MEMBER_NOT_IN_ACCOUNT', at: 'memberId' },
  { name: 'a return of an unknown event', method: 'POST', path: '/events', body: event({ type: 'return', originalEventId: 'NOPE' }), status: 422, code: 'ORIGINAL_EVENT_UNKNOWN', at: 'originalEventId' },
  { name: 'a redemption from an unknown member', method: 'POST', path: '/redemptions', body: redemption({ accountId: undefined, memberId: 'ext:NOPE' }), headers: key('ref-5'), status: 422, code: 'REDEMPTION_OWNER_UNKNOWN', at: 'memberId' },
  { name: 'a redemption of an unknown reward', method: 'POST', path: '/redemptions', body: redemption({ rewardId: 'rwd_nope' }), headers: key('ref-6'), status: 422, code: 'REWARD_UNKNOWN', at: 'rewardId' },
  { name: 'an account under an unknown parent', method: 'POST', path: '/accounts', body: account({ parentId: 'ext:NOPE' }), status: 422, code: 'PARENT_NOT_FOUND', at: 'parentId' },
  { name: 'a member with an unknown role', method: 'POST', path: '/accounts/ext:C-1/members', body: member({ role: 'astronaut' }), status: 422, code: 'ROLE_UNKNOWN', at: 'role' },
  { name: 'an adjustment naming a member of another account', method: 'POST', path: '/adjustments', body: adjustment({ accountId: 'ext:C-2', memberId: 'ext:M-1' }), headers: key('ref-7'), status: 422, code: 'WALLET_OWNER_MISMATCH', at: 'memberId' },
  { name: 'a transfer to the same wallet', method: 'POST', path: '/transfers', body: transfer({ to: { accountId: 'ext:C-1' } }), headers: key('ref-8'), status: 422, code: 'TRANSFER_SAME_WALLET', at: 'to' },
  { name: 'a transfer to a member of another account', method: 'POST', path: '/transfers', body: transfer({ to: { memberId: 'ext:M-2' } }), headers: key('ref-9'), status: 422, code: 'TRANSFER_ACROSS_ACCOUNTS', at: 'to' },
  { name: 'a reward of an unknown partner', method: 'POST', path: '/rewards', body: { name: 'Mug', kind: 'gift', cost: { currency: 'points', amount: 10 }, partnerId: 'ext:NOPE' }, status: 422, code: 'PARTNER_UNKNOWN', at: 'partnerId' },

  // Unknown objects in the path: 404.
  { name: 'an unknown account by ext:', method: 'GET', path: '/accounts/ext:NOPE', status: 404, code: 'ACCOUNT_NOT_FOUND' },
  { name: 'an unknown account by id', method: 'PATCH', path: '/accounts/acc_nope', body: { name: 'x' }, status: 404, code: 'ACCOUNT_NOT_FOUND' },
  { name: 'members of an unknown account', method: 'POST', path: '/accounts/ext:NOPE/members', body: member({}), status: 404, code: 'ACCOUNT_NOT_FOUND' },
  { name: 'wallets of an unknown account', method: 'GET', path: '/accounts/ext:NOPE/wallets', status: 404, code: 'ACCOUNT_NOT_FOUND' },
  { name: 'entries of an unknown member', method: 'GET', path: '/members/ext:NOPE/entries', status: 404, code: 'MEMBER_NOT_FOUND' },
  { name: 'an unknown member', method: 'PATCH', path: '/members/mbr_nope', body: { name: 'x' }, status: 404, code: 'MEMBER_NOT_FOUND' },
  { name: 'an unknown event', method: 'GET', path: '/events/NOPE', status: 404, code: 'EVENT_NOT_FOUND' },
  { name: 'an unknown rule', method: 'PATCH', path: '/rules/rul_nope', body: { name: 'x' }, status: 404, code: 'RULE_NOT_FOUND' },
  { name: 'simulating a draft under an unknown rule', method: 'POST', path: '/rules/rul_nope/simulate', body: { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z', rule: { name: 'R', eventType: 'purchase', effects: [{ currency: 'points', to: 'account', amount: 1 }] } }, status: 404, code: 'RULE_NOT_FOUND' },
  { name: 'an unknown reward', method: 'GET', path: '/rewards/ext:NOPE', status: 404, code: 'REWARD_NOT_FOUND' },
  { name: 'an unknown redemption', method: 'POST', path: '/redemptions/rdm_nope/approve', body: {}, status: 404, code: 'REDEMPTION_NOT_FOUND' },
  { name: 'an unknown API key', method: 'DELETE', path: '/api-keys/key_nope', status: 404, code: 'API_KEY_NOT_FOUND' },
  { name: 'a path id longer than any id', method: 'GET', path: `/accounts/ext:${'x'.repeat(300)}`, status: 422, code: 'VALIDATION_FAILED', at: 'params.accountId' },
  { name: 'a path segment longer than the router takes', method: 'GET', path: `/accounts/${'x'.repeat(3000)}`, status: 414, code: 'URI_TOO_LONG' },
  { name: 'broken percent-encoding in the path', method: 'GET', path: '/accounts/%E0%A4%A', status: 400, code: 'BAD_URL' },

  // PostgreSQL stores no U+0000: refused at the edge rather than failing in a query.
  { name: 'a NUL character in a field', method: 'POST', path: '/accounts', body: account({ externalId: 'C-\u0000' }), status: 422, code: 'VALIDATION_FAILED', at: 'externalId' },
  { name: 'a NUL character in an attribute value', method: 'PATCH', path: '/members/ext:M-1', body: { attributes: { note: 'a\u0000b' } }, status: 422, code: 'VALIDATION_FAILED', at: 'attributes.note' },
  { name: 'a NUL character in an attribute name', method: 'PATCH', path: '/accounts/ext:C-1', body: { attributes: { 'a\u0000b': 1 } }, status: 422, code: 'VALIDATION_FAILED', at: 'attributes.a\u0000b' },
  { name: 'a NUL character in an event line', method: 'POST', path: '/events', body: event({ lines: [{ sku: 'X\u0000' }] }), status: 422, code: 'VALIDATION_FAILED', at: 'lines.0.sku' },
  { name: 'a NUL character in the path', method: 'GET', path: '/accounts/ext:C%00', status: 422, code: 'VALIDATION_FAILED', at: 'params.accountId' },
  { name: 'a NUL character in the query', method: 'GET', path: '/accounts?q=a%00', status: 422, code: 'VALIDATION_FAILED', at: 'query.q' },

  // Replays: the same key with another body.
  { name: 'an Idempotency-Key reused for another body', method: 'POST', path: '/adjustments', body: adjustment({ amount: 1, reason: 'Opening balance' }), headers: key('seed'), status: 409, code: 'IDEMPOTENCY_KEY_REUSED' },

  // Headers.
  { name: 'an adjustment without Idempotency-Key', method: 'POST', path: '/adjustments', body: adjustment({}), status: 422, code: 'IDEMPOTENCY_KEY_REQUIRED', at: 'headers.idempotency-key' },
  { name: 'a redemption without Idempotency-Key', method: 'POST', path: '/redemptions', body: redemption({}), status: 422, code: 'IDEMPOTENCY_KEY_REQUIRED', at: 'headers.idempotency-key' },
  { name: 'an Idempotency-Key over 255 characters', method: 'POST', path: '/adjustments', body: adjustment({}), headers: key('k'.repeat(256)), status: 422, code: 'VALIDATION_FAILED', at: 'headers.idempotency-key' },
  { name: 'an empty Idempotency-Key', method: 'POST', path: '/adjustments', body: adjustment({}), headers: key(''), status: 422, code: 'VALIDATION_FAILED', at: 'headers.idempotency-key' },
  { name: 'an oversize body (over 1 MiB)', method: 'POST', path: '/accounts', body: JSON.stringify(account({ attributes: { blob: 'x'.repeat(1024 * 1024) } })), status: 413, code: 'BODY_TOO_LARGE' },
  { name: 'text/plain', method: 'POST', path: '/accounts', body: JSON.stringify(account({})), headers: { 'content-type': 'text/plain' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'application/xml', method: 'POST', path: '/adjustments', body: '<adjustment/>', headers: { 'content-type': 'application/xml', 'idempotency-key': 'ct-1' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'JSON said to be latin-1', method: 'POST', path: '/accounts', body: JSON.stringify(account({})), headers: { 'content-type': 'application/json; charset=latin1' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'JSON said to be windows-1252, quoted', method: 'POST', path: '/accounts', body: JSON.stringify(account({})), headers: { 'content-type': 'application/json; charset="windows-1252"' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'form encoding', method: 'POST', path: '/accounts', body: 'externalId=C-9&name=x&type=dealer', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },

  // Keys.
  { name: 'no key', method: 'POST', path: '/adjustments', body: adjustment({}), headers: key('auth-1'), as: 'none', status: 401, code: 'UNAUTHENTICATED' },
  { name: 'no key on a read', method: 'GET', path: '/accounts', as: 'none', status: 401, code: 'UNAUTHENTICATED' },
  { name: 'a Basic header instead of Bearer', method: 'POST', path: '/accounts', body: account({}), as: 'basic', status: 401, code: 'UNAUTHENTICATED' },
  { name: 'a key that never existed', method: 'POST', path: '/accounts', body: account({}), as: 'unknown', status: 401, code: 'UNAUTHENTICATED' },
  { name: 'a revoked key', method: 'POST', path: '/adjustments', body: adjustment({}), headers: key('auth-2'), as: 'revoked', status: 401, code: 'UNAUTHENTICATED' },
  { name: 'a revoked key on a read', method: 'GET', path: '/accounts/ext:C-1', as: 'revoked', status: 401, code: 'UNAUTHENTICATED' },

  // File imports (the file itself is the body; a mapping that does not fit a file is tested in src/modules/imports).
  { name: 'an import upload sent as JSON', method: 'POST', path: '/imports?kind=events&fileName=f.csv', body: { csv: 'id\n1' }, status: 422, code: 'IMPORT_FILE_INVALID', at: 'body' },
  { name: 'an import of an unknown kind', method: 'POST', path: '/imports?kind=invoices&fileName=f.csv', body: {}, status: 422, code: 'VALIDATION_FAILED', at: 'query.kind' },
  { name: 'an import mapping with an unknown delimiter', method: 'POST', path: '/imports/imp_nope/preview', body: { mapping: { delimiter: '|', fields: {} } }, status: 422, code: 'VALIDATION_FAILED', at: 'mapping.delimiter' },
  { name: 'running an unknown import', method: 'POST', path: '/imports/imp_nope/run', body: { mapping: { fields: {} } }, status: 404, code: 'IMPORT_NOT_FOUND' },

  // Routes that do not exist.
  { name: 'an unknown route', method: 'GET', path: '/nope', status: 404, code: 'ROUTE_NOT_FOUND' },
  { name: 'an unknown sub-route', method: 'POST', path: '/accounts/ext:C-1/nope', body: {}, status: 404, code: 'ROUTE_NOT_FOUND' },
  { name: 'a method the route does not have', method: 'DELETE', path: '/accounts/ext:C-1', status: 405, code: 'METHOD_NOT_ALLOWED' },
  { name: 'a method no route of the path has', method: 'PUT', path: '/events', body: {}, status: 405, code: 'METHOD_NOT_ALLOWED' },
  { name: 'the API without its version', method: 'GET', path: '/../accounts', status: 404, code: 'ROUTE_NOT_FOUND' },
];

beforeAll(async () => {
  t = await createTestApp();
  p = await t.newProgram('Bad input');
  const ok = async (method: string, path: string, body: unknown, headers?: Record<string, string>) => {
    const r = await t.call(p, method, `${API}${path}`, body, headers);
    expect(r.statusCode, r.body).toBeLessThan(300);
    return r.json() as { id: string; apiKey: string };
  };
  await ok('POST', '/currencies', { code: 'points', name: 'Points', kind: 'points' });
  await ok('POST', '/roles', { code: 'sales', name: 'Sales' });
  await ok('POST', '/accounts', { externalId: 'C-1', name: 'One', type: 'dealer' });
  await ok('POST', '/accounts', { externalId: 'C-2', name: 'Two', type: 'dealer' });
  await ok('POST', '/accounts/ext:C-1/members', { externalId: 'M-1', name: 'Member', role: 'sales' });
  await ok('POST', '/accounts/ext:C-2/members', { externalId: 'M-2', name: 'Other member', role: 'sales' });
  await ok('POST', '/adjustments', adjustment({ amount: 5000, reason: 'Opening balance' }), key('seed'));
  await ok('POST', '/rewards', { externalId: 'DRILL', name: 'Drill', kind: 'gift', cost: { currency: 'points', amount: 100 } });
  const second = await ok('POST', '/api-keys', { name: 'Old ERP' });
  await ok('DELETE', `/api-keys/${second.id}`, undefined);
  revoked = { programId: p.programId, apiKey: second.apiKey };
});
afterAll(() => t.close());

function authFor(c: Case): { who: TestProgram | null; headers: Record<string, string> } {
  switch (c.as ?? 'program') {
    case 'program':
      return { who: p, headers: {} };
    case 'revoked':
      return { who: revoked, headers: {} };
    case 'unknown':
      return { who: { programId: p.programId, apiKey: 'fk_this_key_was_never_issued_0000' }, headers: {} };
    case 'basic':
      return { who: null, headers: { authorization: `Basic ${Buffer.from('user:pass').toString('base64')}` } };
    case 'none':
      return { who: null, headers: {} };
  }
}

/** A readable test title: long paths cut, NUL shown as \0. */
const short = (s: string) => (s.length > 60 ? `${s.slice(0, 40)}…(${s.length} chars)` : s).replace(/\u0000/g, '\\0');

describe('bad input', () => {
  it('names each case once', () => {
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  for (const c of CASES) {
    it(`${c.name}: ${c.method} ${short(c.path)} → ${c.status} ${c.code}${c.at ? ` at ${short(c.at)}` : ''}`, async () => {
      const before = await rowCounts(t.database);
      const { who, headers } = authFor(c);
      const res = await t.call(who, c.method, `${API}${c.path}`, c.body, { ...headers, ...c.headers });
      const problem = expectProblem(res, c.status, c.code);
      if (c.at) expect(problem.errors?.map((e) => e.path), res.body).toContain(c.at);
      expect(await rowCounts(t.database)).toEqual(before);
    });
  }

  it('reaches an account by the longest externalId the contract allows, in the path', async () => {
    // The edge of the "path id longer than any id" row: 200 characters, some of them percent-encoded.
    const externalId = `${'é'.repeat(60)}/${'x'.repeat(139)}`;
    expect(externalId.length).toBe(200);
    const created = await t.call(p, 'POST', `${API}/accounts`, account({ externalId }));
    expect(created.statusCode, created.body).toBe(201);
    const res = await t.call(p, 'GET', `${API}/accounts/${encodeURIComponent(`ext:${externalId}`)}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: (created.json() as { id: string }).id, externalId });
  });

  it('still takes text where a route reads a file: the fulfilment import as text/plain', async () => {
    // The other side of the text/plain row: only JSON routes refuse text.
    const res = await t.call(p, 'POST', `${API}/redemptions/fulfilment-import`, 'redemption_id\nrdm_nope\n', { 'content-type': 'text/plain' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ rows: 1, fulfilled: [], rejected: [{ row: 2, code: 'REDEMPTION_NOT_FOUND' }] });
  });

  it('takes JSON said to be UTF-8, by either spelling of the charset', async () => {
    // The other side of the latin-1 rows: only a charset other than UTF-8 is refused.
    for (const [i, charset] of ['utf-8', 'UTF8'].entries()) {
      const res = await t.call(p, 'POST', `${API}/accounts`, { externalId: `CS-${i}`, name: 'Charset', type: 'dealer' }, { 'content-type': `application/json; charset=${charset}` });
      expect(res.statusCode, res.body).toBe(201);
    }
  });

  it('accepts the largest amount the contract allows, 2^53−1, as a number', async () => {
    // The other side of the 2^53 rows: the limit itself must pass validation (and fail only on balance).
    const before = await rowCounts(t.database);
    const res = await t.call(p, 'POST', `${API}/adjustments`, rawAdjustment('-9007199254740991'), key('max-1'));
    expectProblem(res, 409, 'INSUFFICIENT_BALANCE');
    expect(await rowCounts(t.database)).toEqual(before);
  });
});
