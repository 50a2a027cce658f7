/**
 * The fund's reimbursement rule, in integers: the supplier's share of the cost (basis points),
 * divided by the number of manufacturers shown when the fund shares per manufacturer (the BWT
 * rule), rounded half up to the minor unit, then capped per claim.
 *
 * BWT example, share 5000 bp, per manufacturer, cap 80000: cost 200000 with 1 manufacturer →
 * 100000, capped to 80000; with 4 manufacturers → 200000 × 5000 / (10000 × 4) = 25000.
 */
export function reimbursementFor(fund: { shareBp: number; perManufacturer: boolean; capPerClaim: bigint | null }, cost: bigint, manufacturersShown: number | null): bigint {
  const shown = fund.perManufacturer ? BigInt(Math.max(1, manufacturersShown ?? 1)) : 1n;
  const numerator = cost * BigInt(fund.shareBp);
  const denominator = 10000n * shown;
  const amount = (2n * numerator + denominator) / (2n * denominator);
  return fund.capPerClaim !== null && amount > fund.capPerClaim ? fund.capPerClaim : amount;
}
