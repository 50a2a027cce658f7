import { PERMISSIONS } from '@contracts/permissions';
import type { Permission } from '../auth/permissions';

/**
 * Who sees the import screen and who may run imports: `imports:read` / `imports:write` once the
 * server declares them (src/contracts/permissions.ts); until then `events:write`, because an
 * import posts events through the same batch path.
 */
const pick = (wanted: string, fallback: Permission): Permission => ((PERMISSIONS as readonly string[]).includes(wanted) ? (wanted as Permission) : fallback);
export const IMPORTS_READ = pick('imports:read', 'events:write');
export const IMPORTS_WRITE = pick('imports:write', 'events:write');
