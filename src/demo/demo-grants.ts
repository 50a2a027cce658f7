import type { RequestContext } from '../lib/context.js';
import type { Services } from '../services.js';

/**
 * The demo's bulk grant: a thank-you of 500 points to every installer company, run to its end,
 * so the console's Grants screen shows a completed grant with its recipients (suspended or closed
 * accounts among them listed as excluded, with the reason).
 */
export async function loadDemoGrants(services: Services, ctx: RequestContext, now: Date): Promise<void> {
  // Expiring a year after the demo's today, so two loads of the same seed hold the same lots.
  const expiresAt = new Date(now.getTime() + 365 * 86_400_000).toISOString();
  await services.grants.create(ctx, { recipients: 'accounts', select: { types: ['installer'] }, currency: 'points', amount: 500, memo: 'Spring thank-you to our installers', expiresAt }, 'demo-grant-installers');
  await services.grants.idle();
}
