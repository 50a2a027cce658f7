import { useDirection } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api } from '../../../api-client';
import { currentUser, login, logout, signInWithKey, type ConsoleUser, type SessionAnswer } from '../api/auth-api';
import { can, type Permission } from '../permissions';
import { chosenLanguage, directionOf, isLanguage, switchLanguage } from '@shared/i18n/i18n';

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

/**
 * The console speaks the user's own locale (`uk-UA` → Ukrainian) when they set one and it ships
 * that language; a user who set none keeps the device's language (not the program's: a French
 * program's English-speaking manager should not get French because the members speak it).
 */
function useUserLanguage() {
  const { setDirection } = useDirection();
  // Through a ref: the session effect runs once, whatever Mantine hands back on each render.
  const direction = useRef(setDirection);
  direction.current = setDirection;
  return useCallback((me: SessionAnswer) => {
    if (!me.user.ownLocale) return;
    const lang = me.user.ownLocale.split('-')[0].toLowerCase();
    if (!isLanguage(lang)) return;
    void switchLanguage(lang).then(() => direction.current(directionOf(lang)));
  }, []);
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session>({ status: 'loading' });
  const queryClient = useQueryClient();
  const showUserLanguage = useUserLanguage();

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
      // Back on a signed-in browser: a language picked on this device stays, else the user's own.
      if (me && !cancelled && !chosenLanguage()) showUserLanguage(me);
      if (!cancelled) setSession(me ? signedIn(me) : { status: 'signedOut' });
    })();
    // An expired session anywhere sends the user back to the sign-in screen.
    api.onUnauthenticated(() => {
      if (!cancelled) setSession((s) => (s.status === 'signedIn' ? { status: 'signedOut' } : s));
    });
    return () => {
      cancelled = true;
    };
  }, [showUserLanguage]);

  const signIn = useCallback(async (email: string, password: string) => {
    const me = await login(email, password);
    queryClient.clear();
    // The device's language until the user is known; from now on their own locale.
    showUserLanguage(me);
    setSession(signedIn(me));
  }, [queryClient, showUserLanguage]);

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
