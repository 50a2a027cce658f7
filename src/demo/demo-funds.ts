import sharp from 'sharp';
import type { RequestContext } from '../lib/context.js';
import type { Services } from '../services.js';

/** What this file reads of the demo plan (src/demo/demo-data.ts), typed here so the two files do not import each other. */
type PlanView = {
  now: Date;
  accounts: { externalId: string; parentId?: string | null; spec: { type: string }; members: { externalId: string; role: string; leftAt: Date | null }[] }[];
};

const DAY = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** A small proof image, different for each claim (the same file twice would be flagged as a duplicate). */
const proofImage = (n: number) =>
  sharp({ create: { width: 96, height: 64, channels: 3, background: { r: (40 * n) % 256, g: 150, b: 210 } } })
    .png()
    .toBuffer();
const proofPdf = (title: string) => Buffer.from(`%PDF-1.4\n% ${title}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`);

/**
 * The demo's channel-partner funds and claims (#13), through the services the API uses: a co-op
 * fund allocated to the dealers, MDF claims in each state (paid, to review with the BWT rule,
 * waiting for the partner, a draft soon due), and sales claims against a list of valid serials —
 * one approved, one verified and waiting for bulk approval, one flagged as a duplicate.
 * Deterministic: the plan's accounts and dates.
 */
export async function loadDemoFunds(services: Services, ctx: RequestContext, plan: PlanView): Promise<void> {
  const now = plan.now;
  const dealers = plan.accounts.filter((a) => a.spec.type === 'dealer' && !a.parentId && a.members.some((m) => !m.leftAt)).slice(0, 6);
  if (dealers.length < 3) return;
  const person = (a: PlanView['accounts'][number], roles: string[]) => (a.members.find((m) => !m.leftAt && roles.includes(m.role)) ?? a.members.find((m) => !m.leftAt))!.externalId;

  const fund = await services.funds.create(ctx, {
    name: 'Co-op marketing fund',
    currency: 'eur-credit',
    period: { from: new Date(now.getTime() - 120 * DAY).toISOString(), to: new Date(now.getTime() + 365 * DAY).toISOString() },
    budget: 5_000_000,
    allocation: { mode: 'fixed', amount: 300_000 },
    reimbursement: { shareBp: 5000, perManufacturer: true, capPerClaim: 200_000 },
    claimDueDays: 60,
  });
  for (const d of dealers) await services.funds.allocate(ctx, fund.id, { accountId: `ext:${d.externalId}`, amount: 300_000, memo: 'Co-op share of the year' }, `demo-fund-${d.externalId}`);

  const { claims } = services;
  const mdf = async (d: PlanView['accounts'][number], activity: { type: string; description: string; from: string; to?: string }, cost: number, shown: number) =>
    claims.create(ctx, { kind: 'mdf', accountId: `ext:${d.externalId}`, memberId: `ext:${person(d, ['owner', 'sales', 'purchasing'])}`, fundId: fund.id, activity, cost, manufacturersShown: shown });
  const at = (days: number) => isoDay(new Date(now.getTime() + days * DAY));

  // Paid: a €2,000 half page with only AquaPure products → €1,000.
  const paid = await mdf(dealers[0], { type: 'print_ad', description: 'Half page in the regional paper, AquaPure range only', from: at(-70) }, 200_000, 1);
  await claims.addDocument(ctx, paid.id, { fileName: 'ad-layout.png', bytes: await proofImage(1) });
  await claims.addDocument(ctx, paid.id, { fileName: 'invoice-print.pdf', bytes: proofPdf('print invoice 2026-114') });
  await claims.submit(ctx, paid.id);
  await claims.approve(ctx, paid.id, {});
  await claims.pay(ctx, paid.id, 'credit_note');

  // To review: a €1,600 trade-show stand shared with three other brands → 50 % ÷ 4 = €200.
  const show = await mdf(dealers[1], { type: 'trade_show', description: 'Stand at the spring building fair, with three other brands', from: at(-20) }, 160_000, 4);
  await claims.addDocument(ctx, show.id, { fileName: 'stand-photo.png', bytes: await proofImage(2) });
  await claims.submit(ctx, show.id);

  // Waiting for the partner: the reviewer asked for the invoice.
  const radio = await mdf(dealers[2], { type: 'radio', description: 'Two weeks of radio spots', from: at(-35) }, 90_000, 1);
  await claims.addDocument(ctx, radio.id, { fileName: 'radio-schedule.png', bytes: await proofImage(3) });
  await claims.submit(ctx, radio.id);
  await claims.requestInfo(ctx, radio.id, 'Please add the broadcaster’s invoice.');

  // A draft due soon: the activity ended 52 days ago, due 60 days after. (The claims above name no
  // end date, so they are not due: the demo stays loadable whatever today's date is.)
  await mdf(dealers[0], { type: 'flyer', description: 'Door-to-door flyers for the softener offer', from: at(-60), to: at(-52) }, 45_000, 1);

  // Sales claims: the supplier's list of serials it sold, then claims against it.
  await claims.addValidSerials(ctx, { serials: Array.from({ length: 24 }, (_, i) => ({ serial: `AQ-WT200-${String(1001 + i)}`, sku: 'WT-200' })) });
  const sale = (d: PlanView['accounts'][number], number: string, days: number, serials: string[], amount: number) =>
    claims.create(ctx, {
      kind: 'sale',
      accountId: `ext:${d.externalId}`,
      memberId: `ext:${person(d, ['sales', 'owner'])}`,
      invoice: { number, date: at(days), amount, currency: 'EUR', lines: [{ sku: 'WT-200', qty: serials.length, amount, serials }] },
    });
  const approved = await sale(dealers[0], 'FC-2026-0311', -30, ['AQ-WT200-1001', 'AQ-WT200-1002'], 238_000);
  await claims.addDocument(ctx, approved.id, { fileName: 'invoice-0311.pdf', bytes: proofPdf('invoice FC-2026-0311') });
  await claims.submit(ctx, approved.id);
  await claims.approve(ctx, approved.id, {});
  const verified = await sale(dealers[1], 'F-88412', -6, ['AQ-WT200-1003'], 119_000);
  await claims.addDocument(ctx, verified.id, { fileName: 'invoice-88412.pdf', bytes: proofPdf('invoice F-88412') });
  await claims.submit(ctx, verified.id);
  // The same invoice again, spelt differently, with a serial already claimed: flagged for the reviewer.
  const again = await sale(dealers[1], 'f 88412', -6, ['AQ-WT200-1003', 'XX-0000'], 121_500);
  await claims.submit(ctx, again.id);
}
