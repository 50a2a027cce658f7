import type { CardDesignView, CardFace, CardField } from '../../contracts/cards.js';

export type FaceField = { key: string; label: string; value: string | number; changeMessage?: string };

const pct = (p: number) => `${Number.isInteger(p) ? p : p.toFixed(1)}%`;

/**
 * The card's fields by kind, in the design's order; one implementation for the pass, the
 * Google object and the console preview. The primary field is what the kind is about: the
 * discount for discount cards, progress for accumulative, the balance for cashback, stamps n/N.
 */
export function faceFields(design: Pick<CardDesignView, 'kind' | 'fields'>, f: CardFace): { primary: FaceField; others: FaceField[] } {
  const unit = f.currency ? ` ${f.currency}` : '';
  const balance = (v: number) => `${v.toLocaleString('en')}${unit}`;
  const all: Record<CardField, FaceField | null> = {
    memberName: { key: 'memberName', label: 'Member', value: f.memberName },
    company: { key: 'company', label: 'Company', value: f.company },
    tier: f.tier ? { key: 'tier', label: 'Tier', value: f.tier, changeMessage: 'Your tier is now %@' } : null,
    discount: { key: 'discount', label: 'Discount', value: pct(f.discountPercent), changeMessage: 'Your discount is now %@' },
    personalBalance: { key: 'personalBalance', label: 'My balance', value: balance(f.personalBalance), changeMessage: 'Your balance is now %@' },
    companyBalance: { key: 'companyBalance', label: 'Company balance', value: balance(f.companyBalance), changeMessage: 'Your company’s balance is now %@' },
    progress: f.nextTier ? { key: 'progress', label: `To ${f.nextTier.name}`, value: f.nextTier.remaining.toLocaleString('en') } : null,
    stamps: f.stamps ? { key: 'stamps', label: 'Stamps', value: `${f.stamps.have}/${f.stamps.of}`, changeMessage: 'You now have %@ stamps' } : null,
  };
  const primaryKey: CardField = design.kind === 'discount' ? 'discount' : design.kind === 'accumulative' ? 'discount' : design.kind === 'cashback' ? 'personalBalance' : 'stamps';
  const primary = all[primaryKey] ?? all.personalBalance!;
  const others = design.fields.filter((k) => k !== primary.key).map((k) => all[k]).filter((x): x is FaceField => x !== null);
  if (design.kind === 'accumulative' && !design.fields.includes('progress') && all.progress) others.push(all.progress);
  return { primary, others };
}
