import { PERMISSIONS, type Permission } from '@contracts/permissions';

/**
 * Ready-made scope sets for the usual integrations; `all` sends no scopes (everything the creator
 * holds), `custom` lets the user tick permissions one by one.
 */
export const SCOPE_PRESETS = {
  erpFeed: ['events:write', 'accounts:write'],
  eventsOnly: ['events:write'],
  crmSync: ['accounts:read', 'accounts:write', 'events:read'],
  readOnly: PERMISSIONS.filter((p) => p.endsWith(':read') && p !== 'users:read'),
} as const satisfies Record<string, readonly Permission[]>;

export type ScopePreset = keyof typeof SCOPE_PRESETS | 'all' | 'custom';
export const PRESET_ORDER: readonly ScopePreset[] = ['all', 'erpFeed', 'eventsOnly', 'crmSync', 'readOnly', 'custom'];
