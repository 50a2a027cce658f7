import { z } from 'zod';
import { queryInt } from './common.js';

/**
 * Filters of `GET /reports/dashboard`: how many calendar months (UTC) of value flows to answer,
 * the current month included. Example: `?months=12`
 */
export const dashboardQuery = z.object({ months: queryInt(1, 36).default(12) }).strict();

const activity = z.object({
  /** Active (not suspended, closed or left) in the program now. */
  total: z.number().int(),
  /** With an event, an earning or a redemption in the last 30 / 90 days. */
  last30: z.number().int(),
  last90: z.number().int(),
});

/**
 * One month of one currency. `issued`: earned through rules, net of returns; `adjusted`: manual
 * credits net of debits; `redeemed`: spent on rewards; `expired`: lapsed; `outstanding`: what
 * the wallets hold at the end of the month (available, pending and held), the program's liability.
 *
 * Example: `{"month": "2026-10", "currency": "points", "issued": 182000, "adjusted": 500, "redeemed": 64000, "expired": 3200, "outstanding": 911400}`
 */
export const dashboardMonth = z.object({
  month: z.string(),
  currency: z.string(),
  issued: z.number().int(),
  adjusted: z.number().int(),
  redeemed: z.number().int(),
  expired: z.number().int(),
  outstanding: z.number().int(),
});

/** The console's dashboard: participation, value flows by month, the top earning accounts. */
export const dashboardView = z.object({
  generatedAt: z.string(),
  accounts: activity,
  members: activity,
  months: z.array(dashboardMonth),
  /** Per currency, the five accounts that earned the most (company and staff wallets together) in the last 90 days. */
  topAccounts: z.array(z.object({ accountId: z.string(), externalId: z.string(), name: z.string(), currency: z.string(), earned: z.number().int() })),
  /**
   * Per currency, what participants owe now from returns of value they had already spent (the
   * program off `allowNegative`); their next earnings settle it first. The liability net of it is
   * `outstanding` − `debt`. Example: `[{"currency": "points", "amount": 1200}]`
   */
  debt: z.array(z.object({ currency: z.string(), amount: z.number().int() })).describe('what participants owe from returns of spent value, per currency'),
});

export type DashboardView = z.infer<typeof dashboardView>;
export type DashboardMonth = z.infer<typeof dashboardMonth>;
