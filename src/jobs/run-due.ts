import type { EvaluationResult } from '../modules/tiers/index.js';
import type { OnPostedMany, PostedDetails } from '../modules/ledger/index.js';
import type { DeliverReport } from '../modules/webhooks/index.js';
import type { DeliverReport as MessagesReport } from '../modules/messaging/index.js';
import type { Services } from '../services.js';
import { deliverCardUpdates } from '../modules/cards/index.js';
import { claimDay, releaseDay } from './job-runs.js';
import type { JobLog } from './job-types.js';

export type RunDueReport = {
  at: string;
  matured: { transactions: number; amount: number };
  expired: { transactions: number; amount: number };
  webhooks: DeliverReport;
  /** Once per UTC day: `points_expiring` messages queued for value expiring within each program's warning window. */
  expiring: { ran: boolean; programs: number; queued: number };
  /** Account health (#16), once per UTC day: purchase cycles and churn risk recomputed, then the account managers' digests queued. */
  health: { ran: boolean; programs: number; accounts: number; atRisk: number; lapsed: number; digests: number };
  /** Member messages: scheduled campaigns dispatched, then the outbox delivered. */
  messages: MessagesReport & { campaigns: number };
  /**
   * Once per UTC day: forgetting old idempotency keys, expired sessions and spent sign-in codes,
   * dropping the files of long-finished imports, and the tier evaluation (downgrades after grace, expired overrides).
   */
  maintenance: {
    ran: boolean;
    idempotencyKeysPurged: number;
    /** Console and portal sessions expired for more than SESSION_RETENTION_DAYS. */
    sessionsPurged: number;
    /** Portal one-time codes expired or used more than SESSION_RETENTION_DAYS ago. */
    signInCodesPurged: number;
    /** Imports finished more than IMPORT_FILE_RETENTION_DAYS ago whose stored file was deleted, and its bytes. */
    importFilesPurged: { imports: number; bytes: number };
    tiers: EvaluationResult | null;
  };
  /** Surveys (#16): relationship waves due, one reminder per unanswered invitation, follow-up tasks escalated. Each is marked once, so every run is safe. */
  surveys: { invited: number; reminded: number; escalated: number };
  /** Bulk grants (#14): grants left queued or running (a server stopped mid-run) run on; each recipient is granted once. */
  grants: { grants: number; granted: number };
  /** Jobs that failed this time; the others still ran, and the next run picks up what is left. */
  errors: { job: string; message: string }[];
};

const DAILY = 'daily-maintenance';
const EXPIRING = 'points-expiring';
const HEALTH = 'account-health';
const DAY_MS = 86_400_000;
/** Expired sessions and spent portal codes are kept this long after their expiry (or use), for support questions, then deleted. */
export const SESSION_RETENTION_DAYS = 1;
/** A finished import keeps its uploaded file this long (to preview it again or look into a failure), then only the record, counts and rejects stay. */
export const IMPORT_FILE_RETENTION_DAYS = 30;

const noMaintenance = (): RunDueReport['maintenance'] => ({ ran: false, idempotencyKeysPurged: 0, sessionsPurged: 0, signInCodesPurged: 0, importFilesPurged: { imports: 0, bytes: 0 }, tiers: null });

/** Publishes what a chunk of maturities or expiries posted, in the ledger's own transaction: one read of the subscriptions and one insert per program (webhooks.emitMany). */
export function publishPosted(s: Services, type: 'points.matured' | 'points.expired'): OnPostedMany {
  return async (tx, details) => {
    const byProgram = new Map<string, PostedDetails[]>();
    for (const d of details) {
      const list = byProgram.get(d.programId) ?? [];
      list.push(d);
      byProgram.set(d.programId, list);
    }
    for (const [programId, list] of byProgram) {
      const messages = list.map((d) => ({
          type,
          data: {
            transactionId: d.transactionId,
            wallet: d.owner.type === 'member' ? { memberId: d.owner.memberId } : { accountId: d.owner.accountId },
            accountId: d.owner.accountId,
            memberId: d.owner.type === 'member' ? d.owner.memberId : null,
            currency: d.currency,
            amount: Number(d.amount),
            at: d.at.toISOString(),
          },
          at: d.at,
        }));
      await s.webhooks.emitMany(tx, programId, messages);
      // The members whose points matured or expired hear of it too.
      await s.messaging.onEmitMany(tx, programId, messages);
    }
  };
}

const message = (err: unknown) => (err instanceof Error ? err.message || err.name : String(err));

/**
 * Runs every job that is due at `now`, in order: maturity of pending credits, expiry of lots
 * (both publish their webhook messages), webhook delivery, then the daily maintenance if today's
 * has not run yet. Every step is idempotent and safe next to another runner, so the scheduler,
 * `fealty jobs run-due` and a second server may all call this at once.
 */
export async function runDue(s: Services, now: Date): Promise<RunDueReport> {
  const report: RunDueReport = {
    at: now.toISOString(),
    matured: { transactions: 0, amount: 0 },
    expired: { transactions: 0, amount: 0 },
    webhooks: { claimed: 0, delivered: 0, retrying: 0, failed: 0 },
    expiring: { ran: false, programs: 0, queued: 0 },
    health: { ran: false, programs: 0, accounts: 0, atRisk: 0, lapsed: 0, digests: 0 },
    messages: { campaigns: 0, claimed: 0, sent: 0, held: 0, suppressed: 0, retrying: 0, failed: 0 },
    maintenance: noMaintenance(),
    surveys: { invited: 0, reminded: 0, escalated: 0 },
    grants: { grants: 0, granted: 0 },
    errors: [],
  };
  const step = async (job: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (err) {
      report.errors.push({ job, message: message(err) });
    }
  };

  await step('matured', async () => {
    const r = await s.ledger.matureDue(now, { onPostedMany: publishPosted(s, 'points.matured') });
    report.matured = { transactions: r.transactions, amount: Number(r.amount) };
  });
  await step('expired', async () => {
    const r = await s.ledger.expireDue(now, { onPostedMany: publishPosted(s, 'points.expired') });
    report.expired = { transactions: r.transactions, amount: Number(r.amount) };
  });
  // Warnings of value about to expire: daily; the messages' dedupe keys make a repeated run harmless.
  await step('expiring', async () => {
    const claim = await claimDay(s.database, EXPIRING, now);
    if (!claim) return;
    try {
      report.expiring = { ran: true, ...(await s.messaging.notifyExpiring(now)) };
      // Rewards whose window opened by itself since the last runs: new_offer to their audience (#12).
      await s.rewards.catalog.announceOpened(now);
      // MDF claims due in 7 days or 1 day: a reminder to the partner (#13).
      await s.claims.remindDue(now);
    } catch (err) {
      await releaseDay(s.database, EXPIRING, now, claim.previous);
      throw err;
    }
  });
  // Surveys (#16): before the messages, so that invitations and reminders go out in this same run;
  // before account health, so that the digests see today's escalations.
  await step('surveys', async () => {
    report.surveys = await s.surveys.runDaily(now);
  });
  // Account health (#16): before the messages step, so that the digests go out in this same run.
  await step('health', async () => {
    const claim = await claimDay(s.database, HEALTH, now);
    if (!claim) return;
    try {
      const r = await s.health.recompute(now);
      const d = await s.health.sendDigests(now);
      report.health = { ran: true, ...r, digests: d.queued };
    } catch (err) {
      await releaseDay(s.database, HEALTH, now, claim.previous);
      throw err;
    }
  });
  // Club events (#19): a reminder a day before each event to those going, once per event (its row says so).
  await step('club-reminders', async () => {
    await s.club.remindDue(now);
  });
  // After maturity and expiry, so that their messages go out in this same run.
  await step('webhooks', async () => {
    report.webhooks = await s.webhooks.deliverDue(now);
  });
  await step('messages', async () => {
    const campaigns = await s.campaigns.dispatchDue(now);
    report.messages = { campaigns, ...(await s.messaging.deliverDue(now)) };
  });
  // Virtual loyalty cards (#17): cards whose face changed get one update each, then the card outbox is delivered.
  await step('cards', async () => {
    await s.cards.syncAll();
    await deliverCardUpdates(s.cards, s.cards.targets);
  });
  await step('maintenance', async () => {
    const claim = await claimDay(s.database, DAILY, now);
    if (!claim) return;
    try {
      report.maintenance.ran = true;
      report.maintenance.idempotencyKeysPurged = await s.idempotency.purgeOlderThan(30);
      // Not audited: sessions and codes ending are not changes to a program (see docs/auth.md).
      const sessionsBefore = new Date(now.getTime() - SESSION_RETENTION_DAYS * DAY_MS);
      report.maintenance.sessionsPurged = await s.sessions.purgeExpired(sessionsBefore);
      report.maintenance.signInCodesPurged = await s.portal.purgeExpiredCodes(sessionsBefore);
      report.maintenance.importFilesPurged = await s.imports.purgeFiles(new Date(now.getTime() - IMPORT_FILE_RETENTION_DAYS * DAY_MS));
      report.maintenance.tiers = await s.tiers.reevaluate(now);
    } catch (err) {
      await releaseDay(s.database, DAILY, now, claim.previous);
      throw err;
    }
  });
  // Bulk grants (#14)
  await step('grants', async () => {
    report.grants = await s.grants.runPending();
  });
  return report;
}

/** Logs a run only when it did something or failed: one line a minute saying "nothing" is noise. */
export function logRun(log: JobLog, r: RunDueReport): void {
  for (const e of r.errors) log.error({ job: e.job, err: e.message }, `job ${e.job} failed`);
  const did = r.matured.transactions + r.expired.transactions + r.webhooks.claimed + r.messages.claimed + r.messages.campaigns + (r.maintenance.ran ? 1 : 0);
  if (did) {
    log.info(
      `jobs: ${r.matured.transactions} matured, ${r.expired.transactions} expired, ${r.webhooks.delivered}/${r.webhooks.claimed} webhooks delivered, ${r.messages.sent}/${r.messages.claimed} messages sent` +
        (r.maintenance.ran ? `, daily maintenance (${r.maintenance.idempotencyKeysPurged} idempotency keys, ${r.maintenance.sessionsPurged} sessions, ${r.maintenance.signInCodesPurged} sign-in codes, ${r.maintenance.importFilesPurged.imports} import files purged)` : ''),
    );
  }
}
