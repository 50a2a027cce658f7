import { useCallback, useState } from 'react';

/**
 * Server-side pagination over the API's cursors: the stack of cursors that led to this page,
 * so "previous" goes back without the server having to page backwards.
 */
export type CursorPages = { cursor: string | undefined; index: number; next(cursor: string): void; prev(): void; reset(): void };

export function useCursorPages(): CursorPages {
  const [stack, setStack] = useState<(string | undefined)[]>([undefined]);
  const next = useCallback((cursor: string) => setStack((s) => [...s, cursor]), []);
  const prev = useCallback(() => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)), []);
  const reset = useCallback(() => setStack([undefined]), []);
  return { cursor: stack[stack.length - 1], index: stack.length - 1, next, prev, reset };
}
