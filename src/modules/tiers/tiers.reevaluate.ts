import { sql } from 'drizzle-orm';
import { inTransaction, type Database, type Tx } from '../../db/database.js';
import type { RequestContext } from '../../lib/context.js';
import type { AuditService } from '../audit/index.js';
import type { ProgramsService } from '../programs/index.js';
import { addDays, DEFAULT_LADDER, monthOf, windowOf, type Tier } from './tiers.ladder.js';
import * as repo from './tiers.repo.js';

export type TierEmit = (tx: Tx, programId: string, type: string, data: Record<string, unknown>) => Promise<void>;
/** Emits several messages with one read of the subscriptions and one insert (webhooks.emitMany). */
export type TierEmitMany = (tx: Tx, programId: string, messages: { type: string; data: Record<string, unknown> }[]) => Promise<void>;
/** A tier at risk, for messaging's `notify` (#12): to the account's partner admins, once per grace period. */
export type TierAtRiskNotification = { trigger: 'tier_at_risk'; objectId: string; accountId: string; data: Record<string, unknown>; category: 'transactional' };
export type TierNotify = (tx: Tx, programId: string, ns: TierAtRiskNotification[]) => Promise<unknown>;
export type EvaluationResult = { programs: number; accounts: number; promoted: number; downgraded: number; graceStarted: number; overridesExpired: number };

/** Accounts per transaction: short enough that events on those accounts wait little for the job. */
const CHUNK = 20_000;

type Deps = { audit: AuditService; programs: ProgramsService; emit: TierEmit; emitMany?: TierEmitMany; notify?: TierNotify };

const systemCtx = (programId: string): RequestContext => ({ programId, actor: { type: 'system', id: 'tiers.reevaluate' } });

/** The programs with something to evaluate: a ladder, or an override that has run out. */
async function programsToEvaluate(tx: Tx, now: Date): Promise<string[]> {
  const res = await tx.execute<{ program_id: string }>(sql`
    select program_id from tiers
    union
    select program_id from account_tier_state where override_expires_at <= ${now.toISOString()}::timestamptz`);
  return res.rows.map((r) => r.program_id).sort();
}

/** Ends the overrides that have run out, each recorded with the tier it leaves and audited as the system's act. */
async function expireOverrides(database: Database, deps: Deps, programId: string, now: Date): Promise<number> {
  return inTransaction(database, async (tx) => {
    const res = await tx.execute<{ account_id: string }>(sql`
      select account_id from account_tier_state
      where program_id = ${programId} and override_expires_at <= ${now.toISOString()}::timestamptz
      order by account_id for update skip locked`);
    for (const { account_id: accountId } of res.rows) {
      const s = (await repo.findState(tx, programId, accountId))!;
      const before = { tier: s.overrideTierCode, discountBp: s.overrideDiscountBp, expiresAt: s.overrideExpiresAt?.toISOString() ?? null, reason: s.overrideReason };
      await repo.updateState(tx, programId, accountId, { overrideTierCode: null, overrideTierDiscountBp: null, overrideDiscountBp: null, overrideExpiresAt: null, overrideReason: null, overrideSince: null });
      if (s.overrideTierCode && s.overrideTierCode !== s.tierCode) {
        await repo.insertChange(tx, { programId, accountId, fromTier: s.overrideTierCode, toTier: s.tierCode, reason: 'override_expired', at: now });
        await deps.emit(tx, programId, 'tier.changed', { accountId, from: s.overrideTierCode, to: s.tierCode, reason: 'override_expired', at: now.toISOString() });
      }
      await deps.audit.record(tx, systemCtx(programId), { action: 'tier_override.expired', objectType: 'account', objectId: accountId, before, after: null });
    }
    return res.rows.length;
  });
}

type Changed = { action: string; account_id: string; old_eff: string | null; new_eff: string | null };

type LadderConfig = { windows: unknown[]; tiers: unknown[]; ladders: unknown[] };

/** The program's windows (`w`), tiers (`t`) and ladders by account type (`lt`) as the first CTEs of a statement. */
function ladderConfig(config: LadderConfig) {
  return sql`with w as (
      select * from jsonb_to_recordset(${JSON.stringify(config.windows)}::jsonb) as x(wi int, ladder text, metric text, from_month text, to_month text)
    ), t as (
      select * from jsonb_to_recordset(${JSON.stringify(config.tiers)}::jsonb) as x(code text, ladder text, rank int, wi int, min bigint, grace_days int, discount_bp int)
    ), lt as (
      select * from jsonb_to_recordset(${JSON.stringify(config.ladders)}::jsonb) as x(account_type text, ladder text)
    )`;
}

/**
 * One set-based statement over a range of the program's accounts: sums each ladder window over
 * the monthly buckets, finds the best tier reached, and promotes, starts a grace period, or
 * downgrades when the grace has run out, recording every change of the tier the account enjoys.
 * A row an event changed meanwhile (its version moved) is left alone: the event evaluated it.
 */
async function evaluateRange(tx: Tx, programId: string, now: Date, config: LadderConfig, after: string, upTo: string | null) {
  const at = sql`${now.toISOString()}::timestamptz`;
  const upper = upTo === null ? sql`` : sql`and st.account_id <= ${upTo}`;
  const res = await tx.execute<Changed>(sql`
    ${ladderConfig(config)}, s as (
      select st.account_id, st.tier_code, st.below_since, st.version, coalesce(lt.ladder, ${DEFAULT_LADDER}) as ladder,
        case when st.override_tier_code is not null and st.override_expires_at > ${at} then st.override_tier_code else st.tier_code end as eff
      from account_tier_state st left join lt on lt.account_type = st.account_type
      where st.program_id = ${programId} and st.account_id > ${after} ${upper}
    ), v as materialized (
      -- One index range scan per account and window (account, month between the window's ends),
      -- computed once: not inlined into the join with the tiers, which would repeat it per tier.
      select s.account_id, w.wi,
        coalesce((select sum(case w.metric when 'spend' then b.spend when 'units' then b.units else b.points end)
          from tier_metric_buckets b where b.program_id = ${programId} and b.account_id = s.account_id and b.month >= w.from_month and b.month <= w.to_month), 0) as value
      from s join w on w.ladder = s.ladder
    ), q as (
      select distinct on (v.account_id) v.account_id, t.code, t.rank, t.discount_bp
      from v join t on t.wi = v.wi and v.value >= t.min
      order by v.account_id, t.rank desc
    ), d as (
      select s.account_id, s.version, s.eff, q.code as q_code, q.discount_bp as q_bp,
        case
          when s.tier_code is not null and cur.code is null then 'ladder_changed'
          when q.code is not null and (cur.code is null or q.rank > cur.rank) then 'qualified'
          when cur.code is null then 'none'
          when q.rank = cur.rank then case when s.below_since is null then 'none' else 'recovered' end
          when coalesce(s.below_since, ${at}) + make_interval(days => cur.grace_days) <= ${at} then 'grace_expired'
          when s.below_since is null then 'grace_started'
          else 'none'
        end as action
      from s
      left join t cur on cur.code = s.tier_code and cur.ladder = s.ladder
      left join q on q.account_id = s.account_id
    ), upd as (
      update account_tier_state st set
        tier_code = case when d.action in ('ladder_changed', 'qualified', 'grace_expired') then d.q_code else st.tier_code end,
        tier_since = case when d.action in ('ladder_changed', 'qualified', 'grace_expired') then ${at} else st.tier_since end,
        tier_discount_bp = case when d.action in ('ladder_changed', 'qualified', 'grace_expired') then coalesce(d.q_bp, 0) else st.tier_discount_bp end,
        below_since = case when d.action = 'grace_started' then ${at} when d.action = 'none' then st.below_since else null end,
        version = st.version + 1,
        updated_at = now()
      from d
      where st.program_id = ${programId} and st.account_id = d.account_id and st.version = d.version and d.action <> 'none'
      returning st.account_id, d.action, d.eff as old_eff,
        case when st.override_tier_code is not null and st.override_expires_at > ${at} then st.override_tier_code else st.tier_code end as new_eff
    ), ins as (
      insert into tier_changes (program_id, account_id, from_tier, to_tier, reason, at)
      select ${programId}, account_id, old_eff, new_eff, action, ${at} from upd where old_eff is distinct from new_eff
    )
    select action, account_id, old_eff, new_eff from upd`);
  return res.rows;
}

type AtRisk = { account_id: string; tier_code: string; below_since: Date | string; grace_days: number; min: string; metric: string; value: string };

/**
 * The accounts of a range (as left by `evaluateRange`) that hold a tier they no longer reach and
 * will lose when the grace period ends: their tier's window value now against its threshold.
 * An account held up by an override is not at risk of noticing the drop, and is left out.
 */
async function atRiskInRange(tx: Tx, programId: string, now: Date, config: LadderConfig, after: string, upTo: string | null): Promise<AtRisk[]> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const upper = upTo === null ? sql`` : sql`and st.account_id <= ${upTo}`;
  const res = await tx.execute<AtRisk>(sql`
    ${ladderConfig(config)}, s as (
      select st.account_id, st.tier_code, st.below_since, coalesce(lt.ladder, ${DEFAULT_LADDER}) as ladder
      from account_tier_state st left join lt on lt.account_type = st.account_type
      where st.program_id = ${programId} and st.account_id > ${after} ${upper}
        and st.tier_code is not null and st.below_since is not null
        and not (st.override_tier_code is not null and st.override_expires_at > ${at})
    )
    select s.account_id, s.tier_code, s.below_since, cur.grace_days, cur.min::text as min, w.metric,
      coalesce((select sum(case w.metric when 'spend' then b.spend when 'units' then b.units else b.points end)
        from tier_metric_buckets b where b.program_id = ${programId} and b.account_id = s.account_id and b.month >= w.from_month and b.month <= w.to_month), 0)::text as value
    from s join t cur on cur.code = s.tier_code and cur.ladder = s.ladder join w on w.wi = cur.wi
    where s.below_since + make_interval(days => cur.grace_days) > ${at}
    order by s.account_id`);
  return res.rows;
}

/** `tier_at_risk` for each account at risk: keyed by the grace period's start, so the daily runs send it once per grace period. */
function atRiskNotifications(rows: AtRisk[], names: Map<string, string>): TierAtRiskNotification[] {
  return rows.map((r) => {
    const since = new Date(r.below_since);
    const left = BigInt(r.min) - BigInt(r.value);
    return {
      trigger: 'tier_at_risk',
      objectId: `${r.account_id}:${r.tier_code}:${since.toISOString()}`,
      accountId: r.account_id,
      category: 'transactional',
      data: {
        tier: {
          code: r.tier_code,
          name: names.get(r.tier_code) ?? r.tier_code,
          graceEndsAt: addDays(since, r.grace_days).toISOString(),
          metric: r.metric,
          min: Number(r.min),
          value: Number(r.value),
          remaining: left > 0n ? Number(left) : 0,
        },
      },
    };
  });
}

/** The next range boundary: the id `CHUNK` accounts after `after`, or null when fewer are left. */
async function boundaryAfter(tx: Tx, programId: string, after: string): Promise<string | null> {
  const res = await tx.execute<{ account_id: string }>(sql`
    select account_id from account_tier_state where program_id = ${programId} and account_id > ${after}
    order by account_id offset ${CHUNK - 1} limit 1`);
  return res.rows[0]?.account_id ?? null;
}

/**
 * The tier evaluation job: expires overrides, then re-evaluates every account with activity
 * against its ladder at `now` (rolling windows move, calendar periods reset), downgrading after
 * the grace period. Idempotent: a second run at the same `now` changes nothing.
 */
export async function reevaluateTiers(database: Database, deps: Deps, now: Date, opts: { programId?: string } = {}): Promise<EvaluationResult> {
  const result: EvaluationResult = { programs: 0, accounts: 0, promoted: 0, downgraded: 0, graceStarted: 0, overridesExpired: 0 };
  const programIds = opts.programId ? [opts.programId] : await inTransaction(database, (tx) => programsToEvaluate(tx, now));
  for (const programId of programIds) {
    result.programs++;
    result.overridesExpired += await expireOverrides(database, deps, programId, now);
    const { tiers, ladders, timeZone } = await inTransaction(database, async (tx) => ({
      tiers: (await repo.listTiers(tx, programId)).map(repo.toTier),
      ladders: await repo.listLadders(tx, programId),
      timeZone: (await deps.programs.getProgramIn(tx, programId)).timeZone,
    }));
    if (!tiers.length) continue;
    const config = evaluationConfig(tiers, ladders, monthOf(now, timeZone));
    const names = new Map(tiers.map((t) => [t.code, t.name]));
    let after = '';
    for (;;) {
      const done = await inTransaction(database, async (tx) => {
        const upTo = await boundaryAfter(tx, programId, after);
        const rows = await evaluateRange(tx, programId, now, config, after, upTo);
        const messages: { type: string; data: Record<string, unknown> }[] = [];
        for (const r of rows) {
          if (r.action === 'qualified') result.promoted++;
          else if (r.action === 'grace_expired' || r.action === 'ladder_changed') result.downgraded++;
          else if (r.action === 'grace_started') result.graceStarted++;
          if (r.old_eff !== r.new_eff) messages.push({ type: 'tier.changed', data: { accountId: r.account_id, from: r.old_eff, to: r.new_eff, reason: r.action, at: now.toISOString() } });
        }
        // One subscription read and one insert for the chunk's changes, not a query per changed account.
        if (deps.emitMany) await deps.emitMany(tx, programId, messages);
        else for (const m of messages) await deps.emit(tx, programId, m.type, m.data);
        // Accounts that will drop at the end of their grace period hear of it, with what keeps the tier (#12).
        if (deps.notify) {
          const risky = await atRiskInRange(tx, programId, now, config, after, upTo);
          if (risky.length) await deps.notify(tx, programId, atRiskNotifications(risky, names));
        }
        const counted = await tx.execute<{ n: number }>(sql`
          select count(*)::int as n from account_tier_state where program_id = ${programId} and account_id > ${after} ${upTo === null ? sql`` : sql`and account_id <= ${upTo}`}`);
        result.accounts += Number(counted.rows[0].n);
        after = upTo ?? after;
        return upTo === null;
      });
      if (done) break;
    }
  }
  return result;
}

/** The ladders as the statement reads them: one window per distinct (ladder, metric, months), tiers pointing at theirs. */
function evaluationConfig(tiers: Tier[], ladders: { code: string; accountTypes: string[] }[], month: string) {
  const windows: { wi: number; ladder: string; metric: string; from_month: string; to_month: string }[] = [];
  const tierRows = tiers.map((t) => {
    const win = windowOf(t.period, month);
    let w = windows.find((x) => x.ladder === t.ladder && x.metric === t.metric && x.from_month === win.from && x.to_month === win.to);
    if (!w) windows.push((w = { wi: windows.length, ladder: t.ladder, metric: t.metric, from_month: win.from, to_month: win.to }));
    return { code: t.code, ladder: t.ladder, rank: t.rank, wi: w.wi, min: t.min.toString(), grace_days: t.graceDays, discount_bp: t.discountBp };
  });
  const ladderRows = ladders.flatMap((l) => l.accountTypes.map((type) => ({ account_type: type, ladder: l.code })));
  return { windows, tiers: tierRows, ladders: ladderRows };
}
