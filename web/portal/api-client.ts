import { createApiClient } from '@shared/api/client';

/** The portal signs in only with the session cookie: no API keys on a phone. */
export const api = createApiClient();
