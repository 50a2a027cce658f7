import { useQuery } from '@tanstack/react-query';
import { useSession } from '../../auth/components/session-provider';
import { fetchUsers } from '../api/users-api';

/** Console users' names by id (who did what, an account's manager); empty without `users:read`. */
export function useUserNames(): Map<string, string> {
  const { can } = useSession();
  const users = useQuery({ queryKey: ['users', 'names'], queryFn: () => fetchUsers(undefined), enabled: can('users:read'), staleTime: 5 * 60_000 });
  return new Map((users.data?.items ?? []).map((u) => [u.id, u.name]));
}
