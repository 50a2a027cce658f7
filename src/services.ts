import type { Database } from './db/database.js';
import { DomainError } from './lib/domain-error.js';
import type { MessagingDeps } from './modules/messaging/index.js';
import { createAccountsService } from './modules/accounts/index.js';
import { createAuditService } from './modules/audit/index.js';
import { createEventsService } from './modules/events/index.js';
import { createIdempotencyService } from './modules/idempotency/index.js';
import { createImportsService, type ImportLimits } from './modules/imports/index.js';
import { createLedgerService } from './modules/ledger/index.js';
import { createCampaignsService, createMessagingService, messagingCodeSender } from './modules/messaging/index.js';
import { createPortalService, type SignInCodeSender } from './modules/portal/index.js';
import { createProgramsService } from './modules/programs/index.js';
import { createReportsService } from './modules/reports/index.js';
import { createRewardsService } from './modules/rewards/index.js';
import { createRulesService } from './modules/rules/index.js';
import { createSessionsService } from './modules/sessions/index.js';
import { createTiersService } from './modules/tiers/index.js';
import { createUsersService } from './modules/users/index.js';
import { createAdjustmentApprovalsService, createWalletsService } from './modules/wallets/index.js';
import { createClaimsService, createFundsService } from './modules/funds/index.js';
import { createDatabaseFileStore } from './modules/files/index.js';
import { createWebhooksService } from './modules/webhooks/index.js';
import { createRebatesService } from './modules/rebates/index.js';
import { createSpiffsService } from './modules/spiffs/index.js';
// Bulk grants (#14)
import { createGrantsService } from './modules/grants/index.js';
import { createHealthService, type HealthSignals } from './modules/health/index.js';
import { createClubService } from './modules/club/index.js';
import { createSurveysService } from './modules/surveys/index.js';
import { createCoursesService } from './modules/courses/index.js';
import { createCardsService } from './modules/cards/index.js';
import { createJoinService } from './modules/join/index.js';
import { createOffboardingService } from './modules/offboarding/index.js'; // offboarding (#14)
import { lockAccountEventsIn } from './modules/events/index.js'; // offboarding (#14)

/**
 * Composition of the domain services: each gets the database and the services it depends on.
 * `now` is the events service's clock: the time awards are credited at, from which their pending
 * and expiry dates follow. Tests fix it to replay a calendar deterministically.
 * `testEndpoints` (FEALTY_TEST_ENDPOINTS=on): the portal keeps the last one-time codes in memory for browser tests.
 * `codeSender`: how the portal's one-time codes reach members; default the messaging module's (a
 * `sign_in_code` message in the outbox), which falls back to the log, outside `production` only
 * (NODE_ENV=production), for a program with no way to deliver.

 * Messaging: `secretKey` seals channel secrets (none: channels with secrets are refused), `publicUrl` starts the links in
 * messages, `devMailbox` (default: with the embedded database, never in production) keeps e-mail in the development mailbox when no SMTP channel is set.
 */
export function createServices(
  database: Database,
  opts: {
    now?: () => Date;
    testEndpoints?: boolean;
    importLimits?: Partial<ImportLimits>;
    production?: boolean;
    codeSender?: SignInCodeSender;
    webhooksAllowPrivate?: boolean;
    secretKey?: Buffer | null;
    publicUrl?: string;
    messagingSend?: MessagingDeps['send'];
    pushAgent?: MessagingDeps['pushAgent'];
    devMailbox?: boolean;
    /** Largest proof file a claim takes (default 10 MB). */
    uploadLimitBytes?: number;
    /** Account health (#16): NPS and open tasks per account, from the surveys module once wired (default: none). */
    healthSignals?: HealthSignals;
    /** Join by QR (#17): zero bits of the join page's proof of work (default 16). */
    joinPowDifficulty?: number;
  } = {},
) {
  const audit = createAuditService(database);
  const programs = createProgramsService(database, { audit });
  // The outbox: the modules below emit into it in their own transactions.
  const webhooks = createWebhooksService(database, { audit, now: opts.now, allowPrivateTargets: opts.webhooksAllowPrivate });
  // Members hear of the same changes: each webhook message that is also a notification queues their messages, in the same transaction.
  const messaging = createMessagingService(database, {
    audit,
    programs,
    now: opts.now,
    secretKey: opts.secretKey ?? null,
    publicUrl: opts.publicUrl,
    send: opts.messagingSend,
    allowPrivateTargets: opts.webhooksAllowPrivate,
    pushAgent: opts.pushAgent,
    embedded: opts.devMailbox ?? (opts.production ? false : undefined),
    // A notification to an audience by tier (a reward's eligibility) reads the tiers module, made below; called only later.
    accountsInTier: (programId, code) => tiers.accountsInTier(programId, code),
  });
  const emit: typeof webhooks.emit = async (tx, programId, type, data, o) => {
    await webhooks.emit(tx, programId, type, data, o);
    await messaging.onEmit(tx, programId, type, data);
  };
  const emitMany: typeof webhooks.emitMany = async (tx, programId, messages) => {
    await webhooks.emitMany(tx, programId, messages);
    await messaging.onEmitMany(tx, programId, messages);
  };
  // Tiers read the same clock: a promotion is dated like the event's awards, an override expires on it.
  const tiers = createTiersService(database, { audit, programs, now: opts.now, emit, emitMany, notify: messaging.notify });
  // Offboarding (#14): a member's status change to `left` applies the program's policy (the service is made below; called only later).
  const accounts = createAccountsService(database, { audit, programs, accountsInTier: tiers.accountsInTier, onMemberStatusChange: (tx, ctx, b, a) => offboarding.onMemberStatusChangeIn(tx, ctx, b, a) });
  const ledger = createLedgerService(database, { programs });
  const idempotency = createIdempotencyService(database);
  // Rewards reads the same clock, so a stamp card filled by an event is dated like its stamps.
  const rewards = createRewardsService(database, { audit, programs, ledger, idempotency, now: opts.now, tierOf: tiers.tierOf, emit, notify: messaging.notify });
  const wallets = createWalletsService(database, { ledger, audit, idempotency, afterCredit: rewards.onStampsCredited });
  const funds = createFundsService(database, { ledger, audit, idempotency, programs });
  const rules = createRulesService(database, { audit, programs });
  // Account health (#16): purchase cycles kept on each purchase (the events' hook below), risk recomputed daily; digests through messaging.
  // Account health reads NPS and open follow-up tasks from the surveys (created below; read at call time).
  const surveySignals: HealthSignals = {
    npsByAccount: async (tx, programId, accountIds) => {
      const out = new Map<string, { value: number; n: number; ci95: [number, number] }>();
      for (const [id, v] of await surveys.npsByAccount(programId, accountIds, tx)) if (v.value !== null && v.ci95) out.set(id, { value: v.value, n: v.n, ci95: v.ci95 });
      return out;
    },
    openTasksByAccount: async (tx, programId, accountIds) => {
      const wanted = new Set(accountIds);
      const out = new Map<string, number>();
      for (const [id, tasks] of await surveys.openTasksByAccount(programId, tx)) if (wanted.has(id)) out.set(id, tasks.length);
      return out;
    },
    npsTrend: (tx, programId, accountId) => surveys.npsTrendIn(tx, programId, accountId),
    loop: (tx, programId, since, at) => surveys.loopDigestIn(tx, programId, since, at),
  };
  const health = createHealthService(database, { now: opts.now, signals: opts.healthSignals ?? surveySignals, messaging, publicUrl: opts.publicUrl });
  const events = createEventsService(database, { programs, accounts, rules, ledger, now: opts.now, afterCredit: rewards.onStampsCredited, tiers, emit, emitMany, afterPurchase: health.onPurchaseIn, afterEvent: async (tx, ctx, e) => void (await surveys.onEventIn(tx, ctx.programId, e)) });
  const sessions = createSessionsService(database);
  const users = createUsersService(database, { audit, programs, sessions });
  const portal = createPortalService(database, { accounts, programs, wallets, rewards, sessions, tiers, keepTestCodes: opts.testEndpoints, production: opts.production, codeSender: opts.codeSender ?? messagingCodeSender(messaging, { production: opts.production === true }) });
  const reports = createReportsService(database, { currencies: (programId) => programs.listCurrencies(programId), audit }); // analytics (#18): currencies for the cost of the program
  // File imports feed events through the same batch path as the API, and accounts and members through their service.
  const imports = createImportsService(database, { audit, programs, events, accounts }, { limits: opts.importLimits });
  // A campaign's `acted` reads who earned under its rule (events) or redeemed its reward (rewards); its audience filter reads tiers.
  const idOf = (p: Promise<{ id: string }>) => p.then((x) => x.id, (err: unknown) => (err instanceof DomainError && err.status === 404 ? null : Promise.reject(err)));
  const campaigns = createCampaignsService(database, {
    audit,
    messaging,
    accountsInTier: tiers.accountsInTier,
    accountTierCodes: tiers.accountTierCodes,
    offers: {
      earnedUnderRule: events.earnedUnderRule,
      redeemedReward: rewards.redemptions.redeemedReward,
      ruleId: (programId, ref) => idOf(rules.get(programId, ref)),
      rewardId: (programId, ref) => idOf(rewards.catalog.getReward(programId, ref)),
    },
  });
  // Claims hold and pay from fund wallets (ledger) and turn approved sales into events for the earning rules.
  const claims = createClaimsService(database, { ledger, audit, events, messaging, files: createDatabaseFileStore(), uploadLimitBytes: opts.uploadLimitBytes });
  // Volume rebates (#14): volumes from the tiers' monthly buckets (or the stored events with a line filter), payouts on the ledger.
  const rebates = createRebatesService(database, { ledger, audit, idempotency, programs, tiers, messaging, now: opts.now });
  // SPIFFs (#13): each writes its own earning rule; earnings are read from that rule's awards.
  const spiffs = createSpiffsService(database, { rules, audit, now: opts.now });
  // Club events and success stories (#19): attendance and published stories are events for the earning rules.
  const club = createClubService(database, { audit, events, messaging, idempotency, files: createDatabaseFileStore(), tierOf: tiers.tierOf, now: opts.now });
  // Four eyes on large adjustments (#21): requests are posted through the wallets' adjustment path; names of the people from users.
  const adjustmentApprovals = createAdjustmentApprovalsService(database, {
    wallets,
    audit,
    idempotency,
    programs,
    now: opts.now,
    actorName: (programId, a) => (a.type === 'user' ? users.getUser(programId, a.id).then((u) => u.name, () => null) : Promise.resolve(null)),
  });
  // Surveys (#16): invitations through messaging, rewards as `survey_completed` events.
  const surveys = createSurveysService(database, { audit, events, messaging, programs, publicUrl: opts.publicUrl, now: opts.now });
  // Courses (#19): lesson files in the file store, completions posted as training_completed events for the rules.
  const courses = createCoursesService(database, { audit, events, programs, files: createDatabaseFileStore(), tierOf: tiers.tierOf, publicUrl: opts.publicUrl, now: opts.now, uploadLimitBytes: opts.uploadLimitBytes });
  // Virtual loyalty cards (#17): what a card shows is read from wallets, tiers and stamp cards; credentials sealed with the server key.
  const cards = createCardsService(database, {
    audit,
    files: createDatabaseFileStore(),
    walletsOf: (programId, r) => wallets.walletsOf(programId, r),
    accountTier: async (programId, accountId) => {
      const t = await tiers.accountTier(programId, accountId);
      return { name: t.name, discountPercent: t.discountPercent, next: t.next ? { name: t.next.name, remaining: t.next.remaining } : null };
    },
    stampsPerCard: (programId, currency) => rewards.stampCards.getCard(programId, currency).then((c) => c.stampsPerCard, (err: unknown) => (err instanceof DomainError && err.status === 404 ? null : Promise.reject(err))),
    secretKey: opts.secretKey ?? null,
    publicUrl: opts.publicUrl,
    now: opts.now,
  });
  // Join by QR (#17): approval creates the member through the accounts service; the page offers the card when the program has a design.
  const join = createJoinService(database, {
    audit,
    programs,
    accounts,
    notify: messaging.notify,
    hasCardDesign: (programId) => cards.designs.list(programId).then((r) => r.items.length > 0),
    publicUrl: opts.publicUrl,
    now: opts.now,
    powDifficulty: opts.joinPowDifficulty,
  });
  // Bulk grants (#14): recipients from accounts (and tiers), each credit a ledger posting set of the batch path.
  const grants = createGrantsService(database, { ledger, audit, idempotency, programs, now: opts.now });
  // Offboarding (#14): a leaving member's balance by the program's policy, under the events' account lock.
  const offboarding = createOffboardingService({ audit, programs, ledger, lockAccount: lockAccountEventsIn, cancelOpenRedemptions: rewards.redemptions.cancelOpenOfMemberIn });
  return { database, audit, programs, accounts, ledger, idempotency, wallets, rules, events, rewards, tiers, sessions, users, portal, reports, webhooks, imports, messaging, campaigns, funds, claims, rebates, spiffs, health, club, adjustmentApprovals, surveys, courses, cards, join, grants, offboarding };
}

export type Services = ReturnType<typeof createServices>;
