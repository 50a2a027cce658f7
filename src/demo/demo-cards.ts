import type { RequestContext } from '../lib/context.js';
import type { Services } from '../services.js';

/**
 * The demo's virtual cards (#17): one design of each kind in the brand's colours. Without wallet
 * credentials (the demo has none) the console shows their preview and explains what to upload;
 * passes are issued once an operator sets them. Deterministic: fixed names, colours and texts.
 */
export async function loadDemoCards(services: Services, ctx: RequestContext): Promise<void> {
  const texts = (en: string, fr: string) => ({ en: { title: en, terms: 'Points expire 24 months after they are earned.' }, fr: { title: fr } });
  const designs = [
    { kind: 'discount' as const, name: 'Partner discount card', colors: { background: '#0b3d91', foreground: '#ffffff', label: '#9ec5ff' }, fields: ['memberName' as const, 'company' as const, 'tier' as const, 'discount' as const], barcode: 'qr' as const, texts: texts('Partner discount', 'Remise partenaire') },
    { kind: 'accumulative' as const, name: 'Growing discount card', colors: { background: '#1b5e20', foreground: '#ffffff', label: '#c8e6c9' }, fields: ['memberName' as const, 'tier' as const, 'discount' as const, 'progress' as const], barcode: 'pdf417' as const, texts: texts('Growing discount', 'Remise cumulative') },
    { kind: 'cashback' as const, name: 'Points card', colors: { background: '#12355b', foreground: '#ffffff', label: '#ffd166' }, fields: ['memberName' as const, 'company' as const, 'personalBalance' as const, 'companyBalance' as const], barcode: 'qr' as const, currency: 'points', texts: texts('Points', 'Points') },
  ];
  for (const d of designs) await services.cards.designs.create(ctx, d);
  // The stamp card shows n/N of the demo's stamp currency: its stamp card is the service kit for ten stamps (the paper card's rule).
  let stamp = await services.rewards.stampCards.getCard(ctx.programId, 'stamps').catch(() => null);
  if (!stamp) {
    const { items } = await services.rewards.catalog.listRewards(ctx.programId, { limit: 500 });
    const kit = items.find((r) => r.name.startsWith('Free AquaPure service kit'));
    if (kit) stamp = await services.rewards.stampCards.setCard(ctx, 'stamps', { stampsPerCard: 10, rewardId: kit.id }).catch(() => null);
  }
  if (stamp) {
    await services.cards.designs.create(ctx, { kind: 'stamp', name: 'Coffee stamp card', colors: { background: '#4e342e', foreground: '#ffffff', label: '#ffcc80' }, fields: ['memberName', 'stamps'], barcode: 'aztec', currency: 'stamps', texts: texts('Coffee stamps', 'Tampons café') });
  }
}
