/**
 * OpenAPI-driven fuzzer: starts a Fealty server (PGlite, or PostgreSQL when DATABASE_URL is set),
 * reads the OpenAPI document it serves, and calls every operation with
 *  1. mutated invalid requests (wrong types, missing and unknown fields, out-of-range numbers, huge
 *     strings, NUL and lone surrogates, malformed JSON, bad ids, bad cursors and query values),
 *  2. the same operations without credentials or with a forged key,
 *  3. generated valid requests (openapi-sampler examples, fast-check values, the seeded objects' ids),
 * as the caller the route admits (the program's owner API key, a console owner, a portal member).
 * Checks: no 5xx, every 4xx a problem+json, every answer declared and matching its schema, invalid
 * and unauthenticated requests always refused, and after phases 1–2 every table's row count and every
 * balance exactly as before. A failure is shrunk by fast-check and printed as a curl line.
 *
 *   npm run fuzz -- [--seed N] [--cases N per operation and phase] [--seconds N total budget]
 */
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import sampler from 'openapi-sampler';
import { routeAccess } from '../../src/http/route-access.js';
import { seedProgram, type Caller, type Seed } from './seed.js';
import { startFuzzServer, stateOf } from './server.js';

type Schema = Record<string, any>;
type Param = { in: 'path' | 'query' | 'header'; name: string; required?: boolean; schema: Schema };
type Operation = { method: string; path: string; key: string; op: { parameters?: Param[]; requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> }; responses: Record<string, { content?: Record<string, { schema?: Schema }> }> } };
type Phase = 'invalid' | 'unauth' | 'valid';
/** One generated request. `raw`: a body sent as these exact bytes, not as JSON of `body`. */
type Case = { path: Record<string, string>; query: [string, string][]; headers: Record<string, string>; body?: unknown; raw?: string; contentType?: string; note: string; forgedAuth?: string };

const args = process.argv.slice(2);
const arg = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const SEED = arg('seed', Math.floor(Math.random() * 2 ** 31));
const CASES = arg('cases', 30);
const SECONDS = arg('seconds', 0);
const ONLY = (() => {
  const i = args.indexOf('--only');
  return i >= 0 ? new RegExp(args[i + 1]) : null;
})();
const TIMEOUT_MS = 10_000;
const SHRINK_CALLS = 200;

// ---------------------------------------------------------------- schemas → values

const NUL = 'a\u0000b';
const LONE = 'a\ud800b';
const WEIRD = ['', ' ', 'ä', '😀', '\u202e', '\uffff', 'null', 'true', '0', '-1', '1e309', "'; select 1;--", '<script>x</script>', '../../etc/passwd', '%00', '\\u0000', 'x'.repeat(300)];

function stringArb(s: Schema): fc.Arbitrary<string> {
  const min = s.minLength ?? 0;
  const max = Math.min(s.maxLength ?? 40, Math.max(min, 40));
  const fits = (v: string) => v.length >= min && v.length <= (s.maxLength ?? Infinity);
  // Never .filter() a generator to a rare shape (it would spin for ever): out-of-shape values become the schema's example.
  const example = String(sampler.sample(s as never) ?? 'a'.repeat(min));
  const fit = (a: fc.Arbitrary<string>) => a.map((v) => (fits(v) ? v : example));
  if (s.format === 'date-time') return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
  if (s.format === 'date') return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  if (s.format === 'email') return fit(fc.emailAddress());
  if (s.format === 'uri' || s.format === 'url') return fit(fc.webUrl());
  if (s.format === 'uuid') return fc.uuid();
  if (s.format === 'iana-time-zone') return fc.constantFrom('Europe/Kyiv', 'Europe/Paris', 'UTC', 'Asia/Tehran', 'America/New_York');
  if (s.pattern) {
    try {
      return fit(fc.stringMatching(new RegExp(s.pattern), { size: 'xsmall' }));
    } catch {
      /* a pattern JavaScript cannot read: plain strings */
    }
  }
  return fc.string({ minLength: min, maxLength: max, unit: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_ ') }, { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) }) }).map((v) => (fits(v) ? v : example));
}

function numberArb(s: Schema, integer: boolean): fc.Arbitrary<number> {
  let min: number = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + (integer ? 1 : 1e-3) : -1e6);
  let max: number = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - (integer ? 1 : 1e-3) : 1e6);
  if (integer) [min, max] = [Math.ceil(min), Math.floor(max)];
  // A range that holds no integer (or no number at all): the schema's own example, whatever it is.
  if (min > max) return fc.constant(sampler.sample(s as never) as number);
  const small = fc.integer({ min: Math.ceil(Math.max(min, -1000)), max: Math.floor(Math.min(max, 100_000)) });
  const base = integer
    ? fc.oneof({ weight: 4, arbitrary: Math.max(min, -1000) <= Math.min(max, 100_000) ? small : fc.constant(min) }, { weight: 1, arbitrary: fc.constantFrom(min, max) }, { weight: 1, arbitrary: fc.integer({ min: Math.max(min, Number.MIN_SAFE_INTEGER), max: Math.min(max, Number.MAX_SAFE_INTEGER) }) })
    : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
  const not = s.not?.enum as number[] | undefined;
  return not ? base.map((n) => (not.includes(n) ? (not.includes(1) ? 2 : 1) : n)) : base;
}

function valueArb(s: Schema | undefined, name: string | undefined, seed: Seed, depth = 0): fc.Arbitrary<unknown> {
  if (!s || depth > 6) return fc.constant(s ? sampler.sample(s as never, { skipReadOnly: true }) : {});
  const generic = genericArb(s, seed, depth);
  const known = name ? seed.fields[name] : undefined;
  return known?.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: generic }) : generic;
}

function genericArb(s: Schema, seed: Seed, depth: number): fc.Arbitrary<unknown> {
  if ('const' in s) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...(s.enum as unknown[]));
  const alts = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (alts) return fc.oneof(...alts.map((a) => valueArb({ ...s, anyOf: undefined, oneOf: undefined, ...a }, undefined, seed, depth + 1)));
  const type = Array.isArray(s.type) ? s.type : [s.type ?? (s.properties ? 'object' : 'string')];
  if (type.length > 1) return fc.oneof(...type.map((t: string) => genericArb({ ...s, type: t }, seed, depth)));
  switch (type[0]) {
    case 'string':
      return stringArb(s);
    case 'integer':
      return numberArb(s, true);
    case 'number':
      return numberArb(s, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(valueArb(s.items, undefined, seed, depth + 1), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 3, Math.max(s.minItems ?? 0, 3)) });
    case 'object': {
      const props = (s.properties ?? {}) as Record<string, Schema>;
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, v] of Object.entries(props)) model[k] = valueArb(v, k, seed, depth + 1);
      const rec = fc.record(model, { requiredKeys: (s.required ?? []).filter((k: string) => k in props) });
      if (s.additionalProperties && typeof s.additionalProperties === 'object' && !Object.keys(props).length) {
        return fc.dictionary(fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,10}$/), valueArb(s.additionalProperties, undefined, seed, depth + 1), { maxKeys: 3 });
      }
      return rec;
    }
    default:
      return fc.constant(sampler.sample(s as never, { skipReadOnly: true }));
  }
}

// ---------------------------------------------------------------- mutations

type Where = (string | number)[];
function pathsOf(v: unknown, at: Where = [], out: Where[] = []): Where[] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => pathsOf(x, [...at, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) pathsOf(x, [...at, k], out);
  return out;
}
function setAt(root: unknown, at: Where, value: unknown, remove = false): unknown {
  if (!at.length) return value;
  const copy = structuredClone(root) as any;
  let o = copy;
  for (const k of at.slice(0, -1)) o = o[k];
  const last = at[at.length - 1];
  if (remove) Array.isArray(o) ? o.splice(last as number, 1) : delete o[last];
  else o[last] = value;
  return copy;
}
const REPLACEMENTS: unknown[] = [null, true, 0, -1, 1.5, 1e308, -1e308, 9007199254740993, 2 ** 63, '', '0', 'x'.repeat(70_000), NUL, LONE, '\udc00', [], [[[]]], {}, { '': 1 }, Array(2000).fill(1)];
const RAW_BODIES = [
  '',
  '{',
  'nul\u0000l',
  '{"a":1,"a":2}',
  '{"__proto__":{"x":1}}',
  '{"constructor":{"prototype":{"x":1}}}',
  '['.repeat(3000) + ']'.repeat(3000),
  '{"a":'.repeat(100) + '1' + '}'.repeat(100),
  '"\\ud800"',
  '\ufeff{}',
  '1e999999',
  '{"x": NaN}',
];

/** A request body no valid request has: tests each candidate against the request schema too, so that a mutation that happens to be valid is not sent as invalid. */
function invalidBodyArb(schema: Schema | undefined, valid: fc.Arbitrary<unknown>, validate: (v: unknown) => boolean): fc.Arbitrary<Pick<Case, 'body' | 'raw' | 'contentType' | 'note'>> {
  const structural = valid.chain((v) =>
    fc.record({
      at: fc.constantFrom(...pathsOf(v)),
      how: fc.constantFrom('replace', 'remove', 'unknown', 'nul', 'lone'),
      with: fc.constantFrom(...REPLACEMENTS),
    }).map(({ at, how, with: w }) => {
      let body: unknown;
      let note: string;
      const cur = at.reduce<any>((o, k) => o?.[k], v);
      if (how === 'remove' && at.length) [body, note] = [setAt(v, at, undefined, true), `removed ${at.join('.')}`];
      else if (how === 'unknown' && cur && typeof cur === 'object' && !Array.isArray(cur)) [body, note] = [setAt(v, [...at, 'fuzzUnknown'], 1), `unknown field at ${at.join('.') || '(body)'}`];
      else if (how === 'nul' || how === 'lone') [body, note] = [setAt(v, at, typeof cur === 'string' ? `${cur}${how === 'nul' ? '\u0000' : '\ud800'}` : how === 'nul' ? NUL : LONE), `${how} in ${at.join('.') || '(body)'}`];
      else [body, note] = [setAt(v, at, w), `${at.join('.') || '(body)'} = ${JSON.stringify(w)?.slice(0, 40)}`];
      if (validate(body) && !/nul|lone/.test(how)) [body, note] = [[body], `${note}, wrapped in an array`];
      return { body, note };
    }),
  );
  const raw = fc.constantFrom(...RAW_BODIES).map((r) => ({ raw: r, note: `raw body ${JSON.stringify(r.slice(0, 30))}` }));
  const wrongType = valid.chain((v) => fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1').map((ct) => ({ raw: JSON.stringify(v), contentType: ct, note: `content-type ${ct}` })));
  const notUtf8 = fc.constant({ raw: '\u00ff', contentType: 'application/json', note: 'latin-1 byte, not UTF-8' });
  return schema ? fc.oneof({ weight: 6, arbitrary: structural }, { weight: 2, arbitrary: raw }, { weight: 1, arbitrary: wrongType }, { weight: 1, arbitrary: notUtf8 }) : fc.oneof(raw, notUtf8);
}

/** Query values that no valid request has, for one parameter. */
function badQueryValues(p: Param): string[] {
  const s = p.schema ?? {};
  // An invalid UTF-8 sequence in a query (`%ED%A0%80`) is read as U+FFFD by the query parser: a search for it, not a refusal.
  const out = [NUL];
  if (s.type === 'integer' || s.type === 'number') out.push('0x10', '1e2', 'abc', '1.5', ' 1', '+1', '', `${(s.minimum ?? 0) - 1}`, `${(s.maximum ?? 1e21) + 1}`, '99999999999999999999999');
  if (s.enum) out.push('not-a-member', String(s.enum[0]).toUpperCase() === String(s.enum[0]) ? 'x' : String(s.enum[0]).toUpperCase());
  if (s.maxLength !== undefined) out.push('x'.repeat(s.maxLength + 1));
  if (s.format === 'date-time') out.push('yesterday', '2026-02-30T00:00:00Z', '2026-01-01');
  if (s.pattern) out.push('Not Valid!');
  // Not base64url as the server writes it: refused by every list. (A well-formed cursor over an id is just "after this id".)
  if (p.name === 'cursor') out.push('====', '/'.repeat(40), '***', 'a b', 'AAA=');
  return [...new Set(out)];
}

// ---------------------------------------------------------------- requests

const kindOf = (path: string) => {
  const segs = path.split('/');
  return Object.fromEntries(
    segs.flatMap((seg, i) => {
      const m = seg.match(/^\{(.+)\}$/);
      if (!m) return [];
      const coll = segs.slice(0, i).reverse().find((x) => !x.startsWith('{'));
      return [[m[1], m[1].endsWith('Id') ? m[1] : `${coll}.${m[1]}`]];
    }),
  ) as Record<string, string>;
};

function callerFor(o: Operation, seed: Seed): Caller {
  const a = routeAccess(o.method.toUpperCase(), o.path.replace(/\{([^}]+)\}/g, ':$1'));
  if (!a || 'permission' in a) return seed.key;
  if ('session' in a) return seed.owner;
  if ('portal' in a) return seed.member;
  return { kind: 'nobody' };
}
const isPublic = (o: Operation) => {
  const a = routeAccess(o.method.toUpperCase(), o.path.replace(/\{([^}]+)\}/g, ':$1'));
  return !!a && 'public' in a;
};

const encodeSegment = (v: string) => (/^%|%[0-9A-F]{2}|%ZZ/.test(v) && !/[\u0000\ud800-\udfff]/.test(v) ? v : encodeURIComponent(v.replace(/[\ud800-\udfff]/g, '\ufffd'))).replace(/%EF%BF%BD/g, '%ED%A0%80');
function urlOf(base: string, o: Operation, c: Case): string {
  const path = o.path.replace(/\{([^}]+)\}/g, (_m, n: string) => encodeSegment(c.path[n] ?? 'nothing-here'));
  const q = c.query.map(([k, v]) => `${encodeSegment(k)}=${encodeSegment(v)}`).join('&');
  return `${base}${path}${q ? `?${q}` : ''}`;
}
function headersOf(c: Case, caller: Caller): Record<string, string> {
  const h: Record<string, string> = { ...c.headers };
  if (c.forgedAuth) h.authorization = c.forgedAuth;
  else if (caller.kind === 'key') h.authorization = `Bearer ${caller.key}`;
  else if (caller.kind === 'session') Object.assign(h, { cookie: caller.cookie, 'x-csrf-token': caller.csrf });
  if (c.raw !== undefined || c.body !== undefined) h['content-type'] = c.contentType ?? 'application/json';
  return h;
}
const payloadOf = (c: Case): string | Buffer | undefined => (c.raw === '\u00ff' ? Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]) : (c.raw ?? (c.body !== undefined ? JSON.stringify(c.body) : undefined)));

const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
function curlOf(base: string, o: Operation, c: Case, caller: Caller): string {
  const payload = payloadOf(c);
  const parts = ['curl -i', ...(DOT_SEGMENT.test(urlOf(base, o, c).slice(base.length)) ? ['--path-as-is'] : []), '-X', o.method.toUpperCase(), shq(urlOf(base, o, c)), ...Object.entries(headersOf(c, caller)).map(([k, v]) => `-H ${shq(`${k}: ${v}`)}`)];
  if (payload !== undefined) parts.push(Buffer.isBuffer(payload) ? `--data-binary $'${[...payload].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('')}'` : `--data-binary ${shq(payload.length > 400 ? `${payload.slice(0, 400)}…(${payload.length} chars)` : payload)}`);
  return parts.join(' ');
}

// ---------------------------------------------------------------- checks

const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
addFormats.default ? addFormats.default(ajv as never) : (addFormats as any)(ajv);
// The server's own format for time zones: a zone Intl knows (`Europe/Paris`, `UTC`).
ajv.addFormat('iana-time-zone', (v: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: v });
    return true;
  } catch {
    return false;
  }
});
let problemSchema: Schema;
const compiled = new Map<Schema, (v: unknown) => boolean>();
function validator(s: Schema): ((v: unknown) => boolean) & { errors?: unknown } {
  let f = compiled.get(s);
  if (!f) {
    const inline = JSON.parse(JSON.stringify(s).replace(/\{"\$ref":"#\/components\/schemas\/Problem"\}/g, JSON.stringify(problemSchema)));
    f = ajv.compile(inline);
    compiled.set(s, f);
  }
  return f as never;
}

type Answer = { status: number; type: string; text: string };
/** A `.` or `..` segment, which fetch (as any WHATWG URL) resolves away before sending. */
const DOT_SEGMENT = /\/(\.|%2e){1,2}(?=[/?]|$)/i;

async function send(base: string, o: Operation, c: Case, caller: Caller): Promise<Answer> {
  const url = urlOf(base, o, c);
  if (DOT_SEGMENT.test(url.slice(base.length))) return sendAsIs(base, url.slice(base.length), o.method.toUpperCase(), headersOf(c, caller), payloadOf(c));
  const res = await fetch(url, { method: o.method.toUpperCase(), headers: headersOf(c, caller), body: payloadOf(c) as BodyInit | undefined, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'manual' });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

/** The path sent as it is (node:http does not resolve dot segments), so that the server sees `/accounts/../members`. */
function sendAsIs(base: string, path: string, method: string, headers: Record<string, string>, body: string | Buffer | undefined): Promise<Answer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, path, method, headers, timeout: TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer in ${TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

function problemsOf(o: Operation, phase: Phase, a: Answer): string[] {
  const out: string[] = [];
  if (a.status >= 500) out.push(`server error ${a.status}`);
  if (phase === 'invalid' && (a.status < 400 || a.status >= 500)) out.push(`invalid request not refused (${a.status})`);
  if (phase === 'unauth' && a.status !== 401) out.push(`request without valid credentials answered ${a.status}, not 401`);
  const declared = o.op.responses[String(a.status)];
  if (!declared) out.push(`status ${a.status} is not declared`);
  if (a.status >= 400) {
    if (!a.type.startsWith('application/problem+json')) out.push(`${a.status} is ${a.type || 'without content type'}, not application/problem+json`);
    else {
      try {
        const body = JSON.parse(a.text);
        if (!validator(problemSchema)(body)) out.push(`problem body breaks the Problem schema: ${JSON.stringify((validator(problemSchema) as any).errors)}`);
        else if (body.status !== a.status) out.push(`problem says status ${body.status}, the answer is ${a.status}`);
      } catch {
        out.push('problem+json body is not JSON');
      }
    }
  } else if (declared?.content) {
    const ct = a.type.split(';')[0].trim();
    const entry = declared.content[ct];
    if (!entry) out.push(`${a.status} is ${ct}, declared ${Object.keys(declared.content).join(', ')}`);
    else if (entry.schema && ct.endsWith('json')) {
      const v = validator(entry.schema);
      let body: unknown;
      try {
        body = JSON.parse(a.text);
      } catch {
        out.push(`${a.status} body is not JSON`);
      }
      if (body !== undefined && !v(body)) out.push(`${a.status} body breaks its schema: ${JSON.stringify((v as any).errors).slice(0, 400)}`);
    }
  } else if (a.status === 204 && a.text) out.push('204 with a body');
  return out;
}

// ---------------------------------------------------------------- the run

function caseArb(o: Operation, phase: Phase, seed: Seed): fc.Arbitrary<Case> {
  const params = o.op.parameters ?? [];
  const kinds = kindOf(o.path);
  const jsonSchema = o.op.requestBody?.content?.['application/json']?.schema;
  const validBody = jsonSchema ? valueArb(jsonSchema, undefined, seed).map((v) => v) : fc.constant(undefined);
  const sample = jsonSchema ? sampler.sample(jsonSchema as never, { skipReadOnly: true }) : undefined;
  const body = jsonSchema ? fc.oneof({ weight: 1, arbitrary: fc.constant(sample) }, { weight: 4, arbitrary: validBody }) : validBody;
  const pathArb = fc.record(Object.fromEntries(params.filter((p) => p.in === 'path').map((p) => [p.name, fc.constantFrom(...(seed.params[kinds[p.name]]?.length ? seed.params[kinds[p.name]] : ['nothing-here']))]))) as fc.Arbitrary<Record<string, string>>;
  const queryArb = fc.tuple(...params.filter((p) => p.in === 'query').map((p) => (() => { const q = valueArb(p.schema, p.name, seed).map((v): [string, string] | undefined => [p.name, String(v)]); return p.required ? q : fc.option(q, { nil: undefined, freq: 2 }); })())).map((qs) => qs.filter((q): q is [string, string] => !!q));
  const headerArb = fc.record(Object.fromEntries(params.filter((p) => p.in === 'header').map((p) => [p.name, p.name === 'idempotency-key' ? fc.uuid() : valueArb(p.schema, p.name, seed).map(String)])), { requiredKeys: params.filter((p) => p.in === 'header' && p.required).map((p) => p.name) }) as fc.Arbitrary<Record<string, string>>;
  const valid = fc.record({ path: pathArb, query: queryArb, headers: headerArb, body }).map((c) => ({ ...c, note: 'valid' }) as Case);
  if (phase === 'valid') return valid;
  if (phase === 'unauth') return fc.tuple(valid, fc.constantFrom(undefined, 'Bearer fk_not_a_key_0123456789abcdef', 'Bearer ', 'Basic Zm9vOmJhcg==', `Bearer ${'x'.repeat(5000)}`)).map(([c, forged]) => ({ ...c, forgedAuth: forged, note: forged ? `forged authorization ${forged.slice(0, 30)}` : 'no credentials' }));

  const validate = jsonSchema ? validator(jsonSchema) : () => false;
  const mutations: fc.Arbitrary<Case>[] = [];
  if (o.op.requestBody) mutations.push(fc.tuple(valid, invalidBodyArb(jsonSchema, body, validate)).map(([c, m]) => ({ ...c, body: undefined, ...m })));
  const queryParams = params.filter((p) => p.in === 'query');
  // A GET may answer 200 to an unknown field only if the schema lets it; ours refuse them, so every route gets one.
  mutations.push(
    fc.tuple(valid, queryParams.length ? fc.constantFrom(...queryParams) : fc.constant(undefined), fc.nat()).map(([c, p, n]) => {
      // Routes that declare no query parameters ignore the query string; those that do refuse unknown fields.
      if (!p) return { ...c, query: [['cursor', NUL]], note: 'query with NUL' } as Case;
      if (n % 5 === 0) return { ...c, query: [...c.query, ['fuzzUnknown', 'x']], note: 'unknown query parameter' } as Case;
      const bad = badQueryValues(p);
      const v = bad[n % bad.length];
      return { ...c, query: [...c.query.filter(([k]) => k !== p.name), [p.name, v]], note: `query ${p.name}=${JSON.stringify(v.slice(0, 30))}` } as Case;
    }),
  );
  const pathParams = params.filter((p) => p.in === 'path');
  if (pathParams.length) {
    // A PUT creates what it names; Apple's PassKit web service is asked about devices Fealty may not
    // know (an unknown device has no passes: 204, as Apple specifies). There only names no object may have are invalid.
    const badIds = o.path.includes('/passkit/v1/devices/') ? [NUL, LONE, 'x'.repeat(3000), '%ZZ', '.', '..'] : o.method === 'put' ? [NUL, LONE, 'Not Valid!', 'x'.repeat(3000), '%ZZ'] : [NUL, LONE, 'nothing-here', 'ext:', 'ext:nothing-here', 'acc_00000000000000000000', "1' or '1'='1", '😀', 'x'.repeat(3000), '%ZZ', '..', '.', '-1', '0'];
    mutations.push(fc.tuple(valid, fc.constantFrom(...pathParams), fc.constantFrom(...badIds)).map(([c, p, v]) => ({ ...c, path: { ...c.path, [p.name]: v }, note: `path ${p.name}=${JSON.stringify(v.slice(0, 30))}` })));
  }
  const required = params.filter((p) => p.in === 'header' && p.required);
  if (required.length) mutations.push(fc.tuple(valid, fc.constantFrom(...required), fc.constantFrom(undefined, '', 'portal:stolen', 'x'.repeat(300))).map(([c, p, v]) => ({ ...c, headers: Object.fromEntries(Object.entries({ ...c.headers, [p.name]: v }).filter(([, x]) => x !== undefined)) as Record<string, string>, note: `header ${p.name}=${JSON.stringify(v)}` })));
  return fc.oneof(...mutations);
}

const seedFor = (phase: string, key: string) => createHash('sha256').update(`${SEED}:${phase}:${key}`).digest().readUInt32LE(0) | 0;

async function main() {
  const t0 = Date.now();
  const fz = await startFuzzServer();
  const base = fz.url;
  const failures: string[] = [];
  let sent = 0;
  try {
    const doc = (await (await fetch(`${base}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, Operation['op']>>; components: { schemas: { Problem: Schema } } };
    problemSchema = doc.components.schemas.Problem;
    const seed = await seedProgram(fz.server, base);
    let ops: Operation[] = Object.entries(doc.paths).flatMap(([path, m]) => Object.entries(m).map(([method, op]) => ({ method, path, key: `${method.toUpperCase()} ${path}`, op })));
    if (ONLY) ops = ops.filter((o) => ONLY.test(o.key));
    // Valid calls that end the fuzzer's own sessions or remove seeded objects go last.
    const last = (o: Operation) => (o.method === 'delete' ? 2 : /logout|revoke|cancel|reject|send/.test(o.path) ? 1 : 0);
    ops.sort((a, b) => last(a) - last(b));
    console.log(`fuzz: seed ${SEED}, ${ops.length} operations, ${CASES} cases per operation and phase${SECONDS ? `, ${SECONDS} s budget` : ''}, database ${fz.kind}, server ${base} (ready in ${((Date.now() - t0) / 1000).toFixed(1)} s)`);

    const before = await stateOf(fz.server);
    const budgets: Record<Phase, number> = { invalid: 0.45, unauth: 0.15, valid: 0.4 };
    const stats: Record<Phase, { cases: number; ms: number; statuses: Record<string, number> }> = { invalid: { cases: 0, ms: 0, statuses: {} }, unauth: { cases: 0, ms: 0, statuses: {} }, valid: { cases: 0, ms: 0, statuses: {} } };
    for (const phase of ['invalid', 'unauth', 'valid'] as Phase[]) {
      const started = Date.now();
      for (const o of ops) {
        if (phase === 'unauth' && isPublic(o)) continue;
        let caller = phase === 'unauth' ? ({ kind: 'nobody' } as Caller) : callerFor(o, seed);
        let lastProblems: string[] = [];
        let lastCase: Case | undefined;
        let failed = 0;
        const prop = fc.asyncProperty(caseArb(o, phase, seed), async (c) => {
          if (failed > SHRINK_CALLS) return true;
          let a: Answer;
          if (process.env.FUZZ_TRACE) console.log('send', JSON.stringify(c).slice(0, 300));
          try {
            a = await send(base, o, c, caller);
          } catch (err) {
            a = { status: 599, type: '', text: String(err) };
          }
          sent++;
          stats[phase].cases++;
          stats[phase].statuses[a.status] = (stats[phase].statuses[a.status] ?? 0) + 1;
          // A valid call may end the caller's own session (logout, a role change): sign in again.
          if (phase === 'valid' && a.status === 401 && caller.kind === 'session') {
            caller = await caller.relogin();
            return true;
          }
          const p = problemsOf(o, phase, a);
          if (p.length) {
            failed++;
            lastProblems = [...p, `answer: ${a.status} ${a.text.slice(0, 300)}`];
            lastCase = c;
            // A request that timed out is not shrunk: each try would wait as long again.
            if (a.status === 599) failed = SHRINK_CALLS + 1;
            return false;
          }
          return true;
        });
        const perOp = SECONDS ? (SECONDS * 1000 * budgets[phase]) / ops.length : undefined;
        const opStart = Date.now();
        let r = await fc.check(prop, { seed: seedFor(phase, o.key), numRuns: CASES, ...(perOp ? { interruptAfterTimeLimit: perOp, markInterruptAsFailure: false } : {}), endOnFailure: false });
        // The budget ran out before the first case answered (fast-check counts that as a failure): one case, without a limit, so every operation is tried.
        if (r.failed && r.interrupted && !lastCase) r = await fc.check(prop, { seed: seedFor(phase, o.key), numRuns: 1, endOnFailure: false });
        if (process.env.FUZZ_VERBOSE || Date.now() - opStart > 5000) console.log(`fuzz: [${phase}] ${o.key}: ${r.numRuns} cases in ${Date.now() - opStart} ms`);
        if (r.failed && lastCase) {
          const msg = [`✗ [${phase}] ${o.key} (${lastCase.note}; seed ${r.seed}, path ${r.counterexamplePath})`, ...lastProblems.map((x) => `    ${x}`), `    ${curlOf(base, o, lastCase, caller)}`].join('\n');
          failures.push(msg);
          console.log(msg);
        } else if (r.failed) {
          failures.push(`✗ [${phase}] ${o.key}: ${String(r.errorInstance ?? '') || `fast-check failure after ${r.numRuns} runs, ${r.numSkips} skipped${r.interrupted ? ', interrupted' : ''}`}`);
          console.log(failures.at(-1));
        }
      }
      stats[phase].ms = Date.now() - started;
      if (phase === 'unauth') {
        const after = await stateOf(fz.server);
        const changed = Object.keys({ ...before, ...after }).filter((k) => before[k] !== after[k]);
        if (changed.length) {
          const msg = `✗ rejected requests changed the data: ${changed.map((k) => `${k} ${before[k]} → ${after[k]}`).join(', ')}`;
          failures.push(msg);
          console.log(msg);
        } else console.log(`fuzz: state after the invalid and unauthenticated runs unchanged (${Object.keys(before).length} counts and sums: every table's rows, audit_log ${before['rows audit_log']}, wallet buckets, postings)`);
      }
    }
    for (const [phase, s] of Object.entries(stats)) {
      const statuses = Object.entries(s.statuses).map(([k, v]) => `${k}×${v}`).join(' ');
      console.log(`fuzz: ${phase}: ${s.cases} cases in ${(s.ms / 1000).toFixed(1)} s (${(s.cases / Math.max(s.ms / 1000, 0.001)).toFixed(0)}/s): ${statuses}`);
    }
  } finally {
    await fz.stop();
  }
  console.log(`fuzz: ${sent} requests in ${((Date.now() - t0) / 1000).toFixed(1)} s, seed ${SEED}: ${failures.length ? `${failures.length} failing operation(s)` : 'no failures'}`);
  process.exit(failures.length ? 1 : 0);
}

await main();
