import { isApiError } from '@shared/api/api-error';
import { api } from '../../../api-client';

export type PortalMember = { id: string; accountId: string; name: string; role: string; email: string | null; phone: string | null; locale: string | null; status: 'active' | 'inactive' | 'left'; partnerAdmin: boolean };
export type PortalAccount = { id: string; name: string; type: string; status: 'active' | 'suspended' | 'closed'; employeeIncentives: boolean };
export type PortalCurrency = { code: string; name: string; kind: 'points' | 'money' | 'stamps'; moneyCurrency: string | null; minorDigits: number | null };
/** Answer of verify and `GET /portal/me` (src/contracts/portal.ts, `portalSession`). */
export type PortalSession = { member: PortalMember; account: PortalAccount; partnerAdmin: boolean; locale?: string; currencies: PortalCurrency[]; spendCurrency: string; csrfToken: string };

/** Where the code goes: an e-mail address or a phone number, as typed (the server normalises it). */
export type Contact = { email: string } | { phone: string };
/** A program the address is a member of, when a code opens several (`programChoice` in src/contracts/portal.ts). */
export type ProgramChoice = { code: string; name: string };
/** `GET /portal/programs/:code` (`portalProgram`). */
export type PortalProgram = { code: string; name: string; phoneCountry: string | null };

const withProgram = (program: string | null) => (program ? { program } : {});

export const requestCode = (contact: Contact, program: string | null) =>
  api.request<{ status: string }>('/portal/auth/request', { method: 'POST', body: { ...contact, ...withProgram(program) } });

/** Signs in, or answers the programs to choose from when the code opens several. */
export async function verifyCode(contact: Contact, code: string, program: string | null): Promise<PortalSession | { chooseProgram: ProgramChoice[] }> {
  const s = await api.request<PortalSession | { chooseProgram: ProgramChoice[] }>('/portal/auth/verify', { method: 'POST', body: { ...contact, code, ...withProgram(program) } });
  if ('csrfToken' in s) api.setCsrfToken(s.csrfToken);
  return s;
}

/** The program of a `/portal/<code>/` address, or null when no program has that code. */
export async function programOf(code: string): Promise<PortalProgram | null> {
  try {
    return await api.request<PortalProgram>(`/portal/programs/${encodeURIComponent(code)}`);
  } catch (err) {
    if (isApiError(err) && err.status === 404) return null;
    throw err;
  }
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
