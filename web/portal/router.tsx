import { useEffect, useState, type AnchorHTMLAttributes, type MouseEvent } from 'react';

/**
 * A few screens do not need a router library: the path under /portal, pushState and popstate.
 * Kept tiny because every kilobyte counts on a phone on a building site.
 * `/portal/<programCode>/…` is a program's own portal (sign-in to that program only); the code
 * stays in every link. The screens' names are reserved: no program has them as its code.
 */
const SCREENS = ['history', 'rewards', 'company', 'rebates', 'claims', 'inbox', 'club', 'surveys', 'courses'];
const inPath = /^\/portal\/([a-z0-9][a-z0-9-]{0,39})(?=\/|$)/.exec(window.location.pathname)?.[1];
/** The program code of the address, or null on the plain /portal/. */
export const PROGRAM_CODE: string | null = inPath && !SCREENS.includes(inPath) ? inPath : null;
const BASE = PROGRAM_CODE ? `/portal/${PROGRAM_CODE}` : '/portal';
const listeners = new Set<() => void>();

export function currentPath(): string {
  const p = window.location.pathname.startsWith(BASE) ? window.location.pathname.slice(BASE.length) : window.location.pathname;
  return p.replace(/\/+$/, '') || '/';
}

export function navigate(to: string): void {
  window.history.pushState(null, '', `${BASE}${to === '/' ? '/' : to}`);
  listeners.forEach((fn) => fn());
  window.scrollTo(0, 0);
}

export function usePath(): string {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const update = () => setPath(currentPath());
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return path;
}

export function Link({ to, onClick, ...rest }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  return (
    <a
      href={`${BASE}${to === '/' ? '/' : to}`}
      onClick={(e: MouseEvent<HTMLAnchorElement>) => {
        onClick?.(e);
        if (e.defaultPrevented || e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(to);
      }}
      {...rest}
    />
  );
}
