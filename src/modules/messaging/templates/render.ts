import { Liquid, type Template } from 'liquidjs';
import type { FieldError } from '../../../lib/domain-error.js';
import type { SystemMessage, Trigger } from '../../../contracts/messaging.js';

/**
 * One LiquidJS engine for every template. Program staff write templates, so the engine is the
 * safe one: no file system (no partials or layouts), own properties only (no prototype walk),
 * strict variables and filters (a typo is refused when saved, not sent blank), and bounded work.
 */
const engine = new Liquid({
  strictVariables: true,
  strictFilters: true,
  ownPropertyOnly: true,
  relativeReference: false,
  fs: { readFileSync: () => '', existsSync: () => false, exists: async () => false, readFile: async () => '', resolve: () => '', contains: async () => false, sep: '/' },
  parseLimit: 100_000,
  renderLimit: 1000,
  memoryLimit: 10_000_000,
});

const cache = new Map<string, Template[]>();
function parse(source: string): Template[] {
  let t = cache.get(source);
  if (!t) {
    t = engine.parse(source);
    if (cache.size > 2000) cache.clear();
    cache.set(source, t);
  }
  return t;
}

type LiquidFailure = Error & { token?: { getPosition?: () => [number, number] } };

/** A Liquid error as a field error with its line and column: `body: undefined variable member.nme (line 2, column 6)`. */
export function liquidFieldError(path: string, err: unknown): FieldError {
  const e = err as LiquidFailure;
  const pos = e.token?.getPosition?.();
  const message = (e.message ?? String(err)).replace(/, line:\d+, col:\d+$/, '');
  return { path, message: pos ? `${message} (line ${pos[0]}, column ${pos[1]})` : message };
}

export async function renderText(source: string, vars: Record<string, unknown>): Promise<string> {
  return engine.render(parse(source), vars) as Promise<string>;
}

/** Parses and renders with the sample variables of the message: the errors a save would refuse, none if it is fine. */
export async function checkTemplate(fields: { subject?: string | null; body: string }, sample: Record<string, unknown>): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  for (const [path, source] of [['subject', fields.subject], ['body', fields.body]] as const) {
    if (!source) continue;
    try {
      await renderText(source, sample);
    } catch (err) {
      errors.push(liquidFieldError(path, err));
    }
  }
  return errors;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const URL_RE = /https?:\/\/[^\s<>"']+/g;

/**
 * The HTML part of an e-mail from the rendered text: escaped, lines kept, links clickable
 * (each through `link`, the click tracker), and the open pixel at the end.
 */
export function htmlOf(text: string, opts: { link?: (url: string) => string; pixelUrl?: string; dir?: 'rtl' | 'ltr'; footer?: string }): string {
  const paragraphs = text.split(/\n{2,}/).map((p) => {
    let out = '';
    let last = 0;
    for (const m of p.matchAll(URL_RE)) {
      out += escapeHtml(p.slice(last, m.index));
      out += `<a href="${escapeHtml(opts.link ? opts.link(m[0]) : m[0])}">${escapeHtml(m[0])}</a>`;
      last = m.index! + m[0].length;
    }
    out += escapeHtml(p.slice(last));
    return `<p>${out.replace(/\n/g, '<br>')}</p>`;
  });
  const footer = opts.footer ? `<p style="font-size:12px;color:#666">${opts.footer}</p>` : '';
  const pixel = opts.pixelUrl ? `<img src="${escapeHtml(opts.pixelUrl)}" width="1" height="1" alt="" style="display:block">` : '';
  return `<!doctype html><html dir="${opts.dir ?? 'ltr'}"><body style="font-family:sans-serif">${paragraphs.join('')}${footer}${pixel}</body></html>`;
}

export const RTL_LOCALES = new Set(['fa', 'ar', 'he', 'ur']);

/** Sample variables of each message key, for previews and for checking a template names only what exists. */
export function sampleVariables(key: string, base: { programName: string }): Record<string, unknown> {
  const common = {
    member: { id: 'mem_sample', name: 'Anna Martin', role: 'foreman', locale: 'en' },
    account: { id: 'acc_sample', name: 'Acme Installers', type: 'installer', segment: 'gold-partners', region: 'north', tier: 'silver' },
    program: { name: base.programName },
    links: { portal: 'https://loyalty.example.com/portal/', unsubscribe: 'https://loyalty.example.com/api/v1/messaging/unsubscribe?t=sample' },
    tip: 'Filters of the WT range earn double until the end of the month.',
  };
  const byTrigger: Record<Trigger | SystemMessage, Record<string, unknown>> = {
    points_earned: { award: { amount: 1200, currency: 'points', pending: true, availableAt: '2026-11-16T10:15:00Z', eventId: 'INV-1001' } },
    points_matured: { award: { amount: 1200, currency: 'points' } },
    points_expired: { award: { amount: 300, currency: 'points' } },
    points_expiring: { expiring: { amount: 300, currency: 'points', expiresAt: '2026-12-31T23:00:00Z', days: 30 } },
    tier_changed: { tier: { from: 'silver', to: 'gold', up: true, reason: 'qualified' } },
    sign_in_code: { code: '482913', minutes: 10, expiresAt: '2026-11-16T10:25:00Z', programs: [base.programName] },
    redemption_status: { redemption: { id: 'red_sample', rewardId: 'rwd_sample', rewardName: 'Tool kit', from: 'requested', to: 'approved', qty: 1, reason: null } },
    claim_status: { claim: { id: 'clm_sample', kind: 'mdf', from: 'submitted', to: 'approved', approvedAmount: 25000, note: null } },
    // new offers and tiers at risk (#12)
    new_offer: { offer: { rewardId: 'rwd_sample', name: 'Tool kit', description: 'A 40-piece kit for the van.', category: 'tools', cost: { amount: 12000, currency: 'points' }, activeTo: '2026-12-31T23:00:00Z' } },
    tier_at_risk: { tier: { code: 'gold', name: 'Gold', graceEndsAt: '2026-12-15T00:00:00Z', remaining: 2500, metric: 'spend', min: 10000, value: 7500 } },
    // Volume rebates (#14)
    // MDF claims due soon (#13)
    claim_due: { claim: { id: 'clm_sample', activity: 'Spring print ad', dueDate: '2026-12-15', dueAt: '2026-12-15T00:00:00Z', daysLeft: 7 } },
    // Club events (#19)
    event_invitation: { promoted: false, event: { id: 'cev_sample', title: 'Installers’ breakfast', kind: 'breakfast', startsAt: '2026-12-10T07:00:00Z', startsText: '10 Dec 2026, 08:00 (Europe/Paris)', place: 'Hotel Lutetia, Paris', url: '', timeZone: 'Europe/Paris' } },
    event_reminder: { event: { id: 'cev_sample', title: 'Installers’ breakfast', kind: 'breakfast', startsAt: '2026-12-10T07:00:00Z', startsText: '10 Dec 2026, 08:00 (Europe/Paris)', place: 'Hotel Lutetia, Paris', url: '', timeZone: 'Europe/Paris' } },
    // Surveys (#16)
    survey_invitation: { survey: { id: 'srv_sample', name: 'Quarterly partner survey', url: 'https://loyalty.example.com/api/v1/s/i.inv_sample.1798761600.sig', expiresAt: '2026-12-31T23:00:00Z', reminder: false } },
    survey_followup: { followup: { note: 'We moved your deliveries to the morning slot.' } },
    rebate_settled: { rebate: { id: 'rbt_sample', name: 'Distributor quarterly rebate', period: '2026-Q4', final: true, amount: 64000, amountText: '640.00 EUR', total: 64000, currency: 'eur', rateBp: 300, basis: 2133333 } },
    // Account health (#16)
    // Rights inside a company (#14)
    approval_needed: { approval: { redemptionId: 'rdm_sample', rewardId: 'rwd_sample', rewardName: 'Tool kit', qty: 1, amount: 12000, currency: 'points', requester: { id: 'mem_sample2', name: 'Luc Bernard', role: 'sales' }, reason: 'over the limit of 5000 points per redemption' } },
    health_digest: { manager: { id: 'usr_sample', name: 'Claire Martin' }, digest: { date: '2026-12-03', atRisk: 2, revenueAtRisk: 1250000, openTasks: 1, newDetractors: 1, overdue: 1, link: 'https://fealty.example/at-risk', accounts: [{ accountId: 'acc_sample', name: 'Northwind Plumbing', score: 75, status: 'lapsed', reasons: 'lapsed, spend_drop', revenueAtRisk: 900000 }], detractors: [{ accountName: 'Southside Heating', score: 3, role: 'decision_maker', comment: 'Deliveries are late', surveyName: 'Quarterly partner survey' }], overdueTasks: [{ accountName: 'Eastgate Pipes', score: 4, status: 'open', openDays: 9, escalated: true }] } },
    survey_task_escalated: { manager: { id: 'usr_sample', name: 'Paul Girard' }, task: { id: 'tsk_sample', surveyName: 'Quarterly partner survey', accountId: 'acc_sample', accountName: 'Eastgate Pipes', score: 4, comment: 'Deliveries are late', assigneeId: 'usr_sample2', openDays: 9, link: 'https://fealty.example/surveys' } },
    // Join by QR (#17)
    join_approved: { join: { requestId: 'jrq_sample', portalUrl: 'https://loyalty.example.com/portal/aquapure/', card: true } },
    join_requested: { join: { requestId: 'jrq_sample', name: 'Luc Bernard', role: 'sales', via: 'account' } },
  };
  const own = (byTrigger as Record<string, Record<string, unknown>>)[key];
  return { ...common, ...(own ?? { campaign: { name: 'Sample campaign' }, offer: { ruleId: null, rewardId: null } }) };
}
