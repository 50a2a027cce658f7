import { and, asc, desc, eq, gte, lt, lte, sql, type SQL } from 'drizzle-orm';
import { pgConstraint, pgErrorCode, type Db, type Tx } from '../../db/database.js';
import { tierError } from './tiers.errors.js';
import type { Bucket, Tier } from './tiers.ladder.js';
import { accountTierState, accumulativeDiscountSteps, tierChanges, tierLadders, tierMetricBuckets, tiers } from './tiers.tables.js';

export type TierRow = typeof tiers.$inferSelect;
export type StateRow = typeof accountTierState.$inferSelect;
export type StateChanges = Partial<Omit<typeof accountTierState.$inferInsert, 'accountId' | 'programId' | 'version' | 'updatedAt'>>;

export function toTier(r: TierRow): Tier {
  return {
    code: r.code,
    name: r.name,
    ladder: r.ladder,
    rank: r.rank,
    metric: r.metric,
    period: r.rollingMonths !== null ? { rollingMonths: r.rollingMonths } : { calendar: r.calendar ?? 'year' },
    min: r.min,
    discountBp: r.discountBp,
    multiplierMilli: r.multiplierMilli,
    perks: r.perks,
    graceDays: r.graceDays,
  };
}

function tierColumns(t: Tier) {
  return {
    name: t.name,
    ladder: t.ladder,
    rank: t.rank,
    metric: t.metric,
    rollingMonths: 'rollingMonths' in t.period ? t.period.rollingMonths : null,
    calendar: 'calendar' in t.period ? t.period.calendar : null,
    min: t.min,
    discountBp: t.discountBp,
    multiplierMilli: t.multiplierMilli,
    perks: t.perks,
    graceDays: t.graceDays,
  };
}

/** A concurrent change that slipped past the service's checks still cannot break the ladder. */
function translate(err: unknown): never {
  if (pgErrorCode(err) === '23505' && pgConstraint(err) === 'tiers_ladder_rank_uq') {
    throw tierError('TIER_INVALID', 'Another tier of this ladder has this rank.', [{ path: 'rank', message: 'already taken in this ladder' }]);
  }
  if (pgErrorCode(err) === '23505' && pgConstraint(err) === 'tiers_program_id_code_pk') {
    throw tierError('TIER_EXISTS', 'A tier with this code already exists.', [{ path: 'code', message: 'already exists' }]);
  }
  throw err;
}

/**
 * Serialises changes to a program's tier configuration until the transaction ends: two
 * concurrent changes would each pass the ladder checks on their own.
 */
export async function lockConfig(tx: Tx, programId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(7346253, hashtext(${programId}))`);
}

export async function listTiers(tx: Tx, programId: string): Promise<TierRow[]> {
  return tx.select().from(tiers).where(eq(tiers.programId, programId)).orderBy(asc(tiers.ladder), asc(tiers.rank));
}

export async function findTier(tx: Tx, programId: string, code: string): Promise<TierRow | undefined> {
  const [t] = await tx.select().from(tiers).where(and(eq(tiers.programId, programId), eq(tiers.code, code)));
  return t;
}

export async function insertTier(tx: Tx, programId: string, t: Tier): Promise<TierRow> {
  try {
    const [r] = await tx.insert(tiers).values({ programId, code: t.code, ...tierColumns(t) }).returning();
    return r;
  } catch (err) {
    return translate(err);
  }
}

export async function updateTier(tx: Tx, programId: string, t: Tier): Promise<TierRow> {
  try {
    const [r] = await tx.update(tiers).set({ ...tierColumns(t), updatedAt: new Date() }).where(and(eq(tiers.programId, programId), eq(tiers.code, t.code))).returning();
    return r;
  } catch (err) {
    return translate(err);
  }
}

type ConfigJson = {
  tiers: { code: string; name: string; ladder: string; rank: number; metric: Tier['metric']; rollingMonths: number | null; calendar: 'year' | 'quarter' | null; min: string; discountBp: number; multiplierMilli: number; perks: string[]; graceDays: number }[];
  ladders: { code: string; accountTypes: string[] }[];
  steps: { minSpend: string; discountBp: number }[];
};

function tierFromJson(t: ConfigJson['tiers'][number]): Tier {
  return {
    code: t.code,
    name: t.name,
    ladder: t.ladder,
    rank: t.rank,
    metric: t.metric,
    period: t.rollingMonths !== null ? { rollingMonths: t.rollingMonths } : { calendar: t.calendar ?? 'year' },
    min: BigInt(t.min),
    discountBp: t.discountBp,
    multiplierMilli: t.multiplierMilli,
    perks: t.perks,
    graceDays: t.graceDays,
  };
}

/** The program's whole tier configuration in one round trip: the write path of every event reads it. */
export async function configOf(tx: Tx, programId: string): Promise<{ tiers: Tier[]; ladders: { code: string; accountTypes: string[] }[]; steps: { minSpend: bigint; discountBp: number }[] }> {
  const res = await tx.execute<ConfigJson>(sql`
    select
      (select coalesce(json_agg(json_build_object('code', code, 'name', name, 'ladder', ladder, 'rank', rank, 'metric', metric,
          'rollingMonths', rolling_months, 'calendar', calendar, 'min', min::text, 'discountBp', discount_bp,
          'multiplierMilli', multiplier_milli, 'perks', perks, 'graceDays', grace_days) order by ladder, rank), '[]'::json)
        from tiers where program_id = ${programId}) as tiers,
      (select coalesce(json_agg(json_build_object('code', code, 'accountTypes', account_types) order by code), '[]'::json)
        from tier_ladders where program_id = ${programId}) as ladders,
      (select coalesce(json_agg(json_build_object('minSpend', min_spend::text, 'discountBp', discount_bp) order by min_spend), '[]'::json)
        from accumulative_discount_steps where program_id = ${programId}) as steps`);
  const r = res.rows[0];
  return {
    tiers: r.tiers.map(tierFromJson),
    ladders: r.ladders,
    steps: r.steps.map((st) => ({ minSpend: BigInt(st.minSpend), discountBp: st.discountBp })),
  };
}

export async function listLadders(tx: Tx, programId: string) {
  return tx.select().from(tierLadders).where(eq(tierLadders.programId, programId)).orderBy(asc(tierLadders.code));
}

export async function upsertLadder(tx: Tx, programId: string, code: string, accountTypes: string[]): Promise<void> {
  await tx
    .insert(tierLadders)
    .values({ programId, code, accountTypes })
    .onConflictDoUpdate({ target: [tierLadders.programId, tierLadders.code], set: { accountTypes, updatedAt: new Date() } });
}

export async function listSteps(tx: Tx, programId: string): Promise<{ minSpend: bigint; discountBp: number }[]> {
  return tx
    .select({ minSpend: accumulativeDiscountSteps.minSpend, discountBp: accumulativeDiscountSteps.discountBp })
    .from(accumulativeDiscountSteps)
    .where(eq(accumulativeDiscountSteps.programId, programId))
    .orderBy(asc(accumulativeDiscountSteps.minSpend));
}

export async function replaceSteps(tx: Tx, programId: string, steps: { minSpend: bigint; discountBp: number }[]): Promise<void> {
  await tx.delete(accumulativeDiscountSteps).where(eq(accumulativeDiscountSteps.programId, programId));
  if (steps.length) await tx.insert(accumulativeDiscountSteps).values(steps.map((s) => ({ programId, ...s })));
}

/** Recomputes every account's accumulative discount of the program after its table changed: one statement. */
export async function refreshAccumulative(tx: Tx, programId: string): Promise<void> {
  await tx.execute(sql`
    update account_tier_state s set
      accumulative_discount_bp = coalesce((select d.discount_bp from accumulative_discount_steps d
        where d.program_id = s.program_id and d.min_spend <= s.lifetime_spend order by d.min_spend desc limit 1), 0),
      version = s.version + 1, updated_at = now()
    where s.program_id = ${programId}`);
}

/** After a tier's discount changed: the accounts holding it (earned or by override) get the new one at once. */
export async function refreshTierDiscount(tx: Tx, programId: string, code: string, bp: number): Promise<void> {
  await tx.execute(sql`
    update account_tier_state set
      tier_discount_bp = case when tier_code = ${code} then ${bp} else tier_discount_bp end,
      override_tier_discount_bp = case when override_tier_code = ${code} then ${bp} else override_tier_discount_bp end,
      version = version + 1, updated_at = now()
    where program_id = ${programId} and (tier_code = ${code} or override_tier_code = ${code})`);
}

/**
 * Runs a statement as a named prepared statement on the transaction's connection: parsed and
 * planned once per connection instead of on every call (for the event's tier bookkeeping that
 * was three quarters of its time, on PGlite and PostgreSQL alike). Drizzle has no public call
 * for a named raw statement; this is what `.prepare(name)` of its query builders does. The
 * statement's text must be the same on every call (pg refuses one name for two texts).
 */
async function executeNamed<T>(tx: Tx, name: string, query: SQL): Promise<T[]> {
  const t = tx as unknown as {
    dialect: { sqlToQuery(q: SQL): unknown };
    session: { prepareQuery(q: unknown, fields: undefined, name: string, arrayMode: boolean): { execute(): Promise<{ rows: T[] }> } };
  };
  return (await t.session.prepareQuery(t.dialect.sqlToQuery(query), undefined, name, false).execute()).rows;
}

type StateJson = {
  accountId: string; programId: string; externalId: string; accountType: string; tierCode: string | null; tierSince: string | null; belowSince: string | null;
  tierDiscountBp: number; lifetimeSpend: string; accumulativeDiscountBp: number; overrideTierCode: string | null; overrideTierDiscountBp: number | null;
  overrideDiscountBp: number | null; overrideExpiresAt: string | null; overrideReason: string | null; overrideSince: string | null; version: number; updatedAt: string;
};
const toDate = (v: string | null) => (v === null ? null : new Date(v));

/**
 * An event's whole tier bookkeeping in one round trip (a prepared statement): counts its spend
 * in the account's state row (created on its first activity, locked until the transaction ends,
 * with the accumulative step it reaches now), then adds its share to its month's bucket — the bucket's insert reads
 * the state CTE's row, so the state row is always locked first and two events of one account
 * cannot deadlock — and returns the state, the program's tiers and ladders, and the account's
 * buckets from the earliest month any of the program's tiers looks at in `currentMonth`.
 *
 * The whole statement reads one snapshot, taken before it waited for the state row's lock:
 * if another transaction changed the account meanwhile (`fresh` false: the version it updated
 * is not the one its snapshot sees), that transaction's buckets of other months (and a tier
 * change committed meanwhile) may be missing here, and the caller must read them again.
 */
export async function recordActivity(
  tx: Tx,
  row: { programId: string; accountId: string; externalId: string; accountType: string },
  b: { month: string; spend: bigint; units: bigint; points: bigint },
  currentMonth: string,
): Promise<{ state: StateRow; fresh: boolean; tiers: Tier[]; ladders: { code: string; accountTypes: string[] }[]; buckets: Bucket[] }> {
  const spend = sql`${b.spend.toString()}::bigint`;
  const step = (total: SQL) =>
    sql`coalesce((select d.discount_bp from accumulative_discount_steps d where d.program_id = ${row.programId} and d.min_spend <= ${total} order by d.min_spend desc limit 1), 0)`;
  const cm = sql`${currentMonth}::text`;
  const stmt = sql`
    with st as (
      insert into account_tier_state as s (account_id, program_id, external_id, account_type, lifetime_spend, accumulative_discount_bp)
      values (${row.accountId}, ${row.programId}, ${row.externalId}, ${row.accountType}, ${spend}, ${step(spend)})
      on conflict (program_id, account_id) do update set
        account_type = excluded.account_type,
        lifetime_spend = s.lifetime_spend + excluded.lifetime_spend,
        accumulative_discount_bp = ${step(sql`s.lifetime_spend + excluded.lifetime_spend`)},
        version = s.version + 1,
        updated_at = ${new Date().toISOString()}::timestamptz
      returning s.*
    ),
    bk as (
      insert into tier_metric_buckets (program_id, account_id, month, spend, units, points)
      select st.program_id, st.account_id, ${b.month}, ${spend}, ${b.units.toString()}::bigint, ${b.points.toString()}::bigint from st
      on conflict (program_id, account_id, month) do update set
        spend = tier_metric_buckets.spend + excluded.spend,
        units = tier_metric_buckets.units + excluded.units,
        points = tier_metric_buckets.points + excluded.points
      returning month, spend, units, points
    ),
    fm as (
      select least(${cm}, min(case
        when rolling_months is not null then to_char(to_date(${cm}, 'YYYY-MM') - make_interval(months => rolling_months - 1), 'YYYY-MM')
        when calendar = 'quarter' then left(${cm}, 5) || lpad(((substr(${cm}, 6, 2)::int - 1) / 3 * 3 + 1)::text, 2, '0')
        else left(${cm}, 5) || '01' end)) as m
      from tiers where program_id = ${row.programId}
    )
    select
      (select json_build_object('accountId', account_id, 'programId', program_id, 'externalId', external_id, 'accountType', account_type,
          'tierCode', tier_code, 'tierSince', tier_since, 'belowSince', below_since, 'tierDiscountBp', tier_discount_bp,
          'lifetimeSpend', lifetime_spend::text, 'accumulativeDiscountBp', accumulative_discount_bp, 'overrideTierCode', override_tier_code,
          'overrideTierDiscountBp', override_tier_discount_bp, 'overrideDiscountBp', override_discount_bp, 'overrideExpiresAt', override_expires_at,
          'overrideReason', override_reason, 'overrideSince', override_since, 'version', version, 'updatedAt', updated_at) from st) as state,
      (select version from account_tier_state where program_id = ${row.programId} and account_id = ${row.accountId}) as seen,
      (select coalesce(json_agg(json_build_object('code', code, 'name', name, 'ladder', ladder, 'rank', rank, 'metric', metric,
          'rollingMonths', rolling_months, 'calendar', calendar, 'min', min::text, 'discountBp', discount_bp,
          'multiplierMilli', multiplier_milli, 'perks', perks, 'graceDays', grace_days) order by ladder, rank), '[]'::json)
        from tiers where program_id = ${row.programId}) as tiers,
      (select coalesce(json_agg(json_build_object('code', code, 'accountTypes', account_types) order by code), '[]'::json)
        from tier_ladders where program_id = ${row.programId}) as ladders,
      (select coalesce(json_agg(json_build_object('month', x.month, 'spend', x.spend::text, 'units', x.units::text, 'points', x.points::text) order by x.month), '[]'::json)
        from (
          select month, spend, units, points from bk
          union all
          -- The snapshot does not see the statement's own write: this month's bucket comes from the insert.
          select month, spend, units, points from tier_metric_buckets where program_id = ${row.programId} and account_id = ${row.accountId} and month <> ${b.month}
        ) x where x.month >= (select m from fm)) as buckets`;
  const [r] = await executeNamed<{ state: StateJson; seen: number | null; tiers: ConfigJson['tiers']; ladders: ConfigJson['ladders']; buckets: { month: string; spend: string; units: string; points: string }[] }>(
    tx,
    'tiers_record_activity',
    stmt,
  );
  const j = r.state;
  const state: StateRow = {
    ...j,
    tierSince: toDate(j.tierSince),
    belowSince: toDate(j.belowSince),
    lifetimeSpend: BigInt(j.lifetimeSpend),
    overrideExpiresAt: toDate(j.overrideExpiresAt),
    overrideSince: toDate(j.overrideSince),
    updatedAt: new Date(j.updatedAt),
  };
  // A new row (version 0) was inserted only if no other transaction had one; an update moves the version it saw by one.
  const fresh = r.seen === null ? state.version === 0 : state.version === Number(r.seen) + 1;
  return {
    state,
    fresh,
    tiers: r.tiers.map(tierFromJson),
    ladders: r.ladders,
    buckets: r.buckets.map((x) => ({ month: x.month, spend: BigInt(x.spend), units: BigInt(x.units), points: BigInt(x.points) })),
  };
}

/** The account's buckets from `fromMonth` on: a few rows, one per month with activity. */
export async function bucketsOf(tx: Tx, programId: string, accountId: string, fromMonth: string): Promise<Bucket[]> {
  return tx
    .select({ month: tierMetricBuckets.month, spend: tierMetricBuckets.spend, units: tierMetricBuckets.units, points: tierMetricBuckets.points })
    .from(tierMetricBuckets)
    .where(and(eq(tierMetricBuckets.programId, programId), eq(tierMetricBuckets.accountId, accountId), gte(tierMetricBuckets.month, fromMonth)))
    .orderBy(asc(tierMetricBuckets.month));
}

/** The account's state row, created empty on its first activity, locked until the transaction ends. */
export async function lockState(tx: Tx, row: { programId: string; accountId: string; externalId: string; accountType: string }): Promise<StateRow> {
  // An upsert that changes nothing still locks the row and returns it: one round trip for insert-or-lock.
  const [s] = await tx
    .insert(accountTierState)
    .values(row)
    .onConflictDoUpdate({ target: [accountTierState.programId, accountTierState.accountId], set: { version: sql`${accountTierState.version}` } })
    .returning();
  return s;
}

export async function findState(tx: Tx, programId: string, accountId: string): Promise<StateRow | undefined> {
  const [s] = await tx.select().from(accountTierState).where(and(eq(accountTierState.programId, programId), eq(accountTierState.accountId, accountId)));
  return s;
}

const discountColumns = {
  tierDiscountBp: accountTierState.tierDiscountBp,
  accumulativeDiscountBp: accountTierState.accumulativeDiscountBp,
  overrideTierCode: accountTierState.overrideTierCode,
  overrideTierDiscountBp: accountTierState.overrideTierDiscountBp,
  overrideDiscountBp: accountTierState.overrideDiscountBp,
  overrideExpiresAt: accountTierState.overrideExpiresAt,
};
export type DiscountRow = Pick<StateRow, keyof typeof discountColumns>;

function prepareDiscountLookups(db: Db) {
  const by = (column: typeof accountTierState.accountId | typeof accountTierState.externalId, name: string) =>
    db
      .select(discountColumns)
      .from(accountTierState)
      .where(and(eq(accountTierState.programId, sql.placeholder('programId')), eq(column, sql.placeholder('key'))))
      .prepare(name);
  return { byId: by(accountTierState.accountId, 'tiers_discount_by_id'), byExt: by(accountTierState.externalId, 'tiers_discount_by_ext') };
}
const discountLookups = new WeakMap<Db, ReturnType<typeof prepareDiscountLookups>>();

/**
 * The checkout lookup by server id or `ext:<externalId>`: one indexed read of the discount
 * columns, as a named prepared statement (planned once per connection, which halves its cost on
 * PGlite), on the pool rather than in a transaction: a single statement is atomic on its own, and
 * BEGIN/COMMIT around it would triple the round trips of the hottest read there is.
 */
export async function findDiscount(db: Db, programId: string, ref: string): Promise<DiscountRow | undefined> {
  let q = discountLookups.get(db);
  if (!q) discountLookups.set(db, (q = prepareDiscountLookups(db)));
  const [r] = ref.startsWith('ext:') ? await q.byExt.execute({ programId, key: ref.slice(4) }) : await q.byId.execute({ programId, key: ref });
  return r;
}

export async function updateState(tx: Tx, programId: string, accountId: string, changes: StateChanges): Promise<StateRow> {
  const [s] = await tx
    .update(accountTierState)
    .set({ ...changes, version: sql`${accountTierState.version} + 1`, updatedAt: new Date() })
    .where(and(eq(accountTierState.programId, programId), eq(accountTierState.accountId, accountId)))
    .returning();
  return s;
}

export async function insertChange(tx: Tx, c: { programId: string; accountId: string; fromTier: string | null; toTier: string | null; reason: string; at: Date }): Promise<void> {
  await tx.insert(tierChanges).values(c);
}

export async function listChanges(tx: Tx, programId: string, accountId: string, q: { limit: number; before?: bigint }) {
  const where = [eq(tierChanges.programId, programId), eq(tierChanges.accountId, accountId)];
  if (q.before !== undefined) where.push(lt(tierChanges.id, q.before));
  return tx.select().from(tierChanges).where(and(...where)).orderBy(desc(tierChanges.id)).limit(q.limit);
}

/**
 * The tier an account holds before an event, for the rules engine: an unexpired override's
 * tier, else the earned one, with that tier's multiplier. One indexed read joined to one tier.
 */
export async function currentTier(tx: Tx, programId: string, accountId: string, now: Date): Promise<{ code: string; multiplierMilli: number } | null> {
  const res = await tx.execute<{ code: string; multiplier_milli: number }>(sql`
    select t.code, t.multiplier_milli
    from account_tier_state s
    join tiers t on t.program_id = s.program_id and t.code = case
      when s.override_tier_code is not null and s.override_expires_at > ${now.toISOString()}::timestamptz then s.override_tier_code
      else s.tier_code end
    where s.program_id = ${programId} and s.account_id = ${accountId}`);
  const r = res.rows[0];
  return r ? { code: r.code, multiplierMilli: Number(r.multiplier_milli) } : null;
}

/**
 * The ids of the program's accounts holding a tier at `now` (an unexpired override's tier
 * counts; the earned tier it covers does not), as a subquery for the accounts list.
 */
export function accountsInTierSql(programId: string, code: string, now: Date): SQL {
  const at = now.toISOString();
  return sql`select account_id from account_tier_state where program_id = ${programId} and (
    (override_tier_code = ${code} and override_expires_at > ${at}::timestamptz)
    or (tier_code = ${code} and not (override_tier_code is not null and override_expires_at > ${at}::timestamptz)))`;
}

/** Every account's tier code at `now` (an unexpired override wins), as a subquery of `(account_id, code)`. */
export function accountTierCodesSql(programId: string, now: Date): SQL {
  const at = now.toISOString();
  return sql`select account_id, case when override_tier_code is not null and override_expires_at > ${at}::timestamptz then override_tier_code else tier_code end as code
    from account_tier_state where program_id = ${programId}`;
}

/** Per account, the sum of its buckets over the months [fromMonth, toMonth] (the volume rebates read). */
export async function volumeByAccount(tx: Tx, programId: string, w: { from: string; to: string }): Promise<{ accountId: string; spend: bigint; units: bigint }[]> {
  const rows = await tx
    .select({ accountId: tierMetricBuckets.accountId, spend: sql<string>`sum(${tierMetricBuckets.spend})::text`, units: sql<string>`sum(${tierMetricBuckets.units})::text` })
    .from(tierMetricBuckets)
    .where(and(eq(tierMetricBuckets.programId, programId), gte(tierMetricBuckets.month, w.from), lte(tierMetricBuckets.month, w.to)))
    .groupBy(tierMetricBuckets.accountId);
  return rows.map((r) => ({ accountId: r.accountId, spend: BigInt(r.spend), units: BigInt(r.units) }));
}
