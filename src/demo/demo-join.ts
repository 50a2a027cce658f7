import type { RequestContext } from '../lib/context.js';
import type { Services } from '../services.js';

/**
 * Join by QR (#17): the demo's join page is on (`/api/v1/j/<code>`), requests through a company's
 * own link approve at once, and two people wait for a decision: one of C-1001's (its partner admin
 * sees it in the portal), one of C-1002's. Deterministic: fixed names and addresses.
 */
export async function loadDemoJoin(services: Services, ctx: RequestContext): Promise<void> {
  await services.join.putSettings(ctx, { enabled: true, autoApprove: { accountLinks: true, emailDomain: false } });
  await services.join.seedPending(ctx, [
    { accountRef: 'ext:C-1001', name: 'Marta Kovalenko', email: 'marta.kovalenko@demo-join.example', role: 'foreman', locale: 'uk' },
    { accountRef: 'ext:C-1002', name: 'Julien Moreau', email: 'julien.moreau@demo-join.example', role: 'sales', locale: 'fr' },
  ]);
}
