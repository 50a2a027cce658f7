import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api } from '../../../api-client';
import { currentUser, login, logout, signInWithKey, type ConsoleUser, type SessionAnswer } from '../api/auth-api';
import { can, type Permission } from '../permissions';

export type Session =
  | { status: 'loading' }
  | { status: 'signedOut' }
  | { status: 'signedIn'; via: 'session'; user: ConsoleUser; permissions: readonly string[] }
  | { status: 'signedIn'; via: 'apiKey'; user: null; permissions: null };

type SessionApi = {
  session: Session;
  signIn(email: string, password: string): Promise<void>;
  signInKey(key: string): Promise<void>;
  signOut(): Promise<void>;
  can(permission: Permission): boolean;
};

const SessionContext = createContext<SessionApi | null>(null);

const signedIn = (me: SessionAnswer): Session => ({ status: 'signedIn', via: 'session', user: me.user, permissions: me.permissions });

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session>({ status: 'loading' });
  const queryClient = useQueryClient();

  useEffect(() => {
    let cancelled = false;
    (async () => {
      if (api.hasApiKey()) {
        try {
          await api.request('/program');
          if (!cancelled) setSession({ status: 'signedIn', via: 'apiKey', user: null, permissions: null });
          return;
        } catch {
          api.setApiKey(null);
        }
      }
      const me = await currentUser().catch(() => null);
      if (!cancelled) setSession(me ? signedIn(me) : { status: 'signedOut' });
    })();
    // An expired session anywhere sends the user back to the sign-in screen.
    api.onUnauthenticated(() => {
      if (!cancelled) setSession((s) => (s.status === 'signedIn' ? { status: 'signedOut' } : s));
    });
    return () => {
      cancelled = true;
    };
  }, []);

  const signIn = useCallback(async (email: string, password: string) => {
    const me = await login(email, password);
    queryClient.clear();
    setSession(signedIn(me));
  }, [queryClient]);

  const signInKey = useCallback(async (key: string) => {
    await signInWithKey(key);
    queryClient.clear();
    setSession({ status: 'signedIn', via: 'apiKey', user: null, permissions: null });
  }, [queryClient]);

  const signOut = useCallback(async () => {
    if (api.hasApiKey()) api.setApiKey(null);
    else await logout();
    queryClient.clear();
    setSession({ status: 'signedOut' });
  }, [queryClient]);

  const value = useMemo<SessionApi>(
    () => ({
      session,
      signIn,
      signInKey,
      signOut,
      can: (p) => session.status === 'signedIn' && can(session.permissions, p),
    }),
    [session, signIn, signInKey, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession outside SessionProvider');
  return ctx;
}
