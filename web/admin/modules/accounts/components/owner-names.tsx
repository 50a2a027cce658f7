import { useAccount } from '../hooks/use-accounts';
import { useMember } from '../../members/hooks/use-members';

/** An account's name, read by id (cached: one read per account however often it appears). */
export function AccountName({ id, fallback }: { id: string; fallback: string }) {
  return <>{useAccount(id).data?.name ?? fallback}</>;
}

/** A member's name, read by id. */
export function MemberName({ id, fallback }: { id: string; fallback: string }) {
  return <>{useMember(id).data?.name ?? fallback}</>;
}
