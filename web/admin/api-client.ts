import { createApiClient } from '@shared/api/client';

/** The console's one API client: the session cookie, or an API key kept for this tab only. */
export const api = createApiClient({ storageKey: 'fealty.console.apiKey' });
