/** Text from a file to typed values, exactly: decimals by string arithmetic, dates in a time zone. */

/** Spaces that ERP exports put between thousands: ordinary, no-break, narrow no-break, thin. */
const GROUP_SPACES = /[\s\u00a0\u202f\u2009']/g;

export type DecimalResult = { ok: true; value: bigint } | { ok: false; reason: string };

/**
 * `"1 234,56"` with decimal `,` and scale 2 → 123456n. A thousands mark is the other of `.`/`,`
 * or a space; more decimals than `scale` is refused, never rounded.
 */
export function parseScaled(text: string, decimal: '.' | ',', scale: number): DecimalResult {
  let s = text.trim().replace(/\u2212/g, '-').replace(GROUP_SPACES, '');
  const group = decimal === ',' ? '.' : ',';
  let negative = false;
  if (s.startsWith('-')) {
    negative = true;
    s = s.slice(1);
  } else if (s.startsWith('+')) s = s.slice(1);
  const [intPart, frac = '', ...more] = s.split(decimal);
  if (more.length) return { ok: false, reason: `"${text}" is not a number` };
  // Thousands marks only between groups of three digits: "1.234,56" but not "1.2,5".
  if (intPart.includes(group) && !new RegExp(`^\\d{1,3}(\\${group}\\d{3})+$`).test(intPart)) return { ok: false, reason: `"${text}" is not a number` };
  const digits = intPart.split(group).join('');
  if (!/^\d+$/.test(digits) || !/^\d*$/.test(frac) || (s.endsWith(decimal) && !frac)) return { ok: false, reason: `"${text}" is not a number` };
  const fracTrimmed = frac.replace(/0+$/, '');
  if (fracTrimmed.length > scale) return { ok: false, reason: `"${text}" has more than ${scale} decimal place${scale === 1 ? '' : 's'}` };
  const value = BigInt(digits + fracTrimmed.padEnd(scale, '0'));
  return { ok: true, value: negative ? -value : value };
}

/** A decimal number (quantities): the same reading, as a JS number (the contract's `qty` is one). */
export function parseDecimal(text: string, decimal: '.' | ','): { ok: true; value: number } | { ok: false; reason: string } {
  const s = text.trim();
  const frac = s.split(decimal)[1] ?? '';
  const r = parseScaled(s, decimal, Math.min(frac.length, 12));
  if (!r.ok) return r;
  const scale = Math.min(frac.length, 12);
  return { ok: true, value: Number(r.value) / 10 ** scale };
}

/** Numbers as an XLSX stores them (`1234.56`, `-1.5E-3`), in plain notation. */
export function plainNumber(raw: string): string {
  if (!/e/i.test(raw)) return raw;
  const [mantissa, expText] = raw.toLowerCase().split('e');
  const exp = Number(expText);
  const negative = mantissa.startsWith('-');
  const [i, f = ''] = mantissa.replace(/^[-+]/, '').split('.');
  let digits = i + f;
  let point = i.length + exp;
  if (point <= 0) {
    digits = '0'.repeat(1 - point) + digits;
    point = 1;
  }
  if (point > digits.length) digits = digits.padEnd(point, '0');
  const out = `${digits.slice(0, point)}${point < digits.length ? '.' + digits.slice(point) : ''}`.replace(/^0+(?=\d)/, '');
  return (negative ? '-' : '') + out;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The UTC offset of an IANA zone at an instant, in minutes. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function offsetMinutes(zone: string, at: number): number {
  // Building a formatter costs far more than using one: one per zone.
  let f = formatters.get(zone);
  if (!f) formatters.set(zone, (f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })));
  const parts = f.formatToParts(new Date(at));
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((local - Math.floor(at / 1000) * 1000) / 60_000);
}

/**
 * A wall-clock time in a zone → the instant. A time that occurs twice (clocks go back) is the
 * earlier one; a time the clocks skip is read with the offset before the change (02:30 → 03:30).
 */
export function zonedToUtc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, zone: string): Date {
  const wall = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const before = offsetMinutes(zone, wall - 43_200_000);
  const after = offsetMinutes(zone, wall + 43_200_000);
  const valid = [wall - before * 60_000, wall - after * 60_000].filter((at) => wall - offsetMinutes(zone, at) * 60_000 === at);
  return new Date(valid.length ? Math.min(...valid) : wall - before * 60_000);
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

type Parts = { y: number; mo: number; d: number; h: number; mi: number; s: number; ms: number; offset: string | null };

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const DOTTED = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

const compiledFormats = new Map<string, { re: RegExp; tokens: string[] }>();

function fromFormat(text: string, format: string): Parts | null {
  let c = compiledFormats.get(format);
  if (!c) compiledFormats.set(format, (c = compileFormat(format)));
  const { re, tokens } = c;
  const m = re.exec(text);
  if (!m) return null;
  const p: Parts = { y: 0, mo: 1, d: 1, h: 0, mi: 0, s: 0, ms: 0, offset: null };
  tokens.forEach((t, i) => {
    const v = Number(m[i + 1]);
    if (t === 'YYYY') p.y = v;
    else if (t === 'YY') p.y = 2000 + v;
    else if (t === 'MM' || t === 'M') p.mo = v;
    else if (t === 'DD' || t === 'D') p.d = v;
    else if (t === 'HH' || t === 'H') p.h = v;
    else if (t === 'mm') p.mi = v;
    else if (t === 'ss') p.s = v;
    else if (t === 'SSS') p.ms = Number(m[i + 1].padEnd(3, '0'));
  });
  return p;
}

function compileFormat(format: string): { re: RegExp; tokens: string[] } {
  // DD, MM, YYYY, YY, HH, mm, ss, SSS; anything else must appear as is.
  const tokens: string[] = [];
  const re = format.replace(/YYYY|YY|DD|MM|HH|mm|ss|SSS|D|M|H|[.*+?^${}()|[\]\\]/g, (t) => {
    if (/^[.*+?^${}()|[\]\\]$/.test(t)) return `\\${t}`;
    tokens.push(t);
    return t === 'YYYY' ? '(\\d{4})' : t === 'SSS' ? '(\\d{1,3})' : t.length === 1 ? '(\\d{1,2})' : '(\\d{2})';
  });
  return { re: new RegExp(`^${re}$`), tokens };
}

function guess(text: string): Parts | null {
  let m = ISO.exec(text);
  if (m) return { y: +m[1], mo: +m[2], d: +m[3], h: +(m[4] ?? 0), mi: +(m[5] ?? 0), s: +(m[6] ?? 0), ms: Number((m[7] ?? '0').slice(0, 3).padEnd(3, '0')), offset: m[8] ?? null };
  m = DOTTED.exec(text);
  if (m) return { y: +m[3], mo: +m[2], d: +m[1], h: +(m[4] ?? 0), mi: +(m[5] ?? 0), s: +(m[6] ?? 0), ms: 0, offset: null };
  return null;
}

export type DateResult = { ok: true; value: string } | { ok: false; reason: string };

/**
 * A date or date-time from the file → ISO 8601 UTC. With `format`, the text must match it (an
 * ISO date with an offset is also taken); without, ISO or `DD.MM.YYYY[ HH:mm[:ss]]`. A date
 * without an offset is a wall-clock time in `zone`. Impossible dates (31.02) are refused.
 */
export function parseDate(text: string, zone: string, format?: string): DateResult {
  // ERP exports repeat the same dates row after row: remember the last few thousand readings.
  const key = `${zone}\u0000${format ?? ''}\u0000${text}`;
  const known = dateMemo.get(key);
  if (known) return known;
  const r = readDate(text, zone, format);
  if (dateMemo.size >= 10_000) dateMemo.clear();
  dateMemo.set(key, r);
  return r;
}

const dateMemo = new Map<string, DateResult>();

function readDate(text: string, zone: string, format?: string): DateResult {
  const t = text.trim();
  // With a format, ISO 8601 is still taken (an XLSX date cell arrives so, whatever the format).
  let p = format ? fromFormat(t, format) : null;
  if (!p && (!format || ISO.test(t))) p = guess(t);
  if (!p) {
    return { ok: false, reason: `"${text}" is not a date${format ? ` in the format ${format}` : ' (expected YYYY-MM-DD, DD.MM.YYYY or ISO 8601)'}` };
  }
  const daysIn = new Date(Date.UTC(p.y, p.mo, 0)).getUTCDate();
  if (p.mo < 1 || p.mo > 12 || p.d < 1 || p.d > daysIn || p.h > 23 || p.mi > 59 || p.s > 59 || p.y < 1900 || p.y > 2999) {
    return { ok: false, reason: `"${text}" is not a valid date` };
  }
  if (p.offset) {
    const o = p.offset.toUpperCase() === 'Z' ? '+00:00' : p.offset.length === 5 ? `${p.offset.slice(0, 3)}:${p.offset.slice(3)}` : p.offset;
    const iso = `${p.y}-${pad(p.mo)}-${pad(p.d)}T${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}.${pad(p.ms, 3)}${o}`;
    return { ok: true, value: new Date(iso).toISOString() };
  }
  return { ok: true, value: zonedToUtc(p.y, p.mo, p.d, p.h, p.mi, p.s, p.ms, zone).toISOString() };
}

const TRUE = new Set(['true', '1', 'yes', 'y', 'да', 'oui', 'ja', 'sí', 'si', 'x']);
const FALSE = new Set(['false', '0', 'no', 'n', 'нет', 'non', 'nein', '']);

export function parseBoolean(text: string): { ok: true; value: boolean } | { ok: false; reason: string } {
  const t = text.trim().toLowerCase();
  if (TRUE.has(t)) return { ok: true, value: true };
  if (FALSE.has(t)) return { ok: true, value: false };
  return { ok: false, reason: `"${text}" is not yes/no` };
}
