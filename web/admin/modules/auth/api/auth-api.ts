import { isApiError } from '@shared/api/api-error';
import { api } from '../../../api-client';

import type { z } from 'zod';
import type { sessionAnswer } from '@contracts/auth';

export type SessionAnswer = z.infer<typeof sessionAnswer>;
export type ConsoleUser = SessionAnswer['user'];

export async function login(email: string, password: string): Promise<SessionAnswer> {
  const res = await api.request<SessionAnswer>('/auth/login', { method: 'POST', body: { email, password } });
  api.setCsrfToken(res.csrfToken);
  return res;
}

/** The signed-in user, or null with no session (401) or no console users on this server yet (404). */
export async function currentUser(): Promise<SessionAnswer | null> {
  try {
    const res = await api.request<SessionAnswer>('/auth/me');
    api.setCsrfToken(res.csrfToken);
    return res;
  } catch (err) {
    if (isApiError(err) && (err.status === 401 || err.status === 404)) return null;
    throw err;
  }
}

export async function logout(): Promise<void> {
  await api.request<void>('/auth/logout', { method: 'POST', body: {} }).catch(() => undefined);
  api.setCsrfToken(null);
}

/** Checks an API key by reading the program it belongs to. */
export async function signInWithKey(key: string): Promise<void> {
  api.setApiKey(key);
  try {
    await api.request('/program');
  } catch (err) {
    api.setApiKey(null);
    throw err;
  }
}
