import { isApiError } from '@shared/api/api-error';
import { api } from '../../../api-client';

export type PortalMember = { id: string; accountId: string; name: string; role: string; email: string | null; phone: string | null; locale: string | null; status: 'active' | 'inactive' | 'left'; partnerAdmin: boolean };
export type PortalAccount = { id: string; name: string; type: string; status: 'active' | 'suspended' | 'closed'; employeeIncentives: boolean };
export type PortalCurrency = { code: string; name: string; kind: 'points' | 'money' | 'stamps'; moneyCurrency: string | null; minorDigits: number | null };
/** Answer of verify and `GET /portal/me` (src/contracts/portal.ts, `portalSession`). */
export type PortalSession = { member: PortalMember; account: PortalAccount; partnerAdmin: boolean; locale?: string; currencies: PortalCurrency[]; csrfToken: string };

export const requestCode = (email: string) => api.request<{ status: string }>('/portal/auth/request', { method: 'POST', body: { email } });

export async function verifyCode(email: string, code: string): Promise<PortalSession> {
  const s = await api.request<PortalSession>('/portal/auth/verify', { method: 'POST', body: { email, code } });
  api.setCsrfToken(s.csrfToken);
  return s;
}

/** The current member, or null when nobody is signed in here. */
export async function currentMember(): Promise<PortalSession | null> {
  try {
    const s = await api.request<PortalSession>('/portal/me');
    api.setCsrfToken(s.csrfToken);
    return s;
  } catch (err) {
    if (isApiError(err) && [401, 403, 404].includes(err.status)) return null;
    throw err;
  }
}

export async function signOut(): Promise<void> {
  await api.request<void>('/portal/auth/logout', { method: 'POST', body: {} }).catch(() => undefined);
  api.setCsrfToken(null);
}
