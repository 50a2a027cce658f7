import { useCallback, useEffect, useState } from 'react';

export type Resource<T> = { data: T | undefined; error: unknown; loading: boolean; reload: () => void };

/** A GET and its state; `reload` fetches again (after a redemption or a transfer). */
export function useResource<T>(load: (() => Promise<T>) | null, deps: readonly unknown[] = []): Resource<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: null, loading: Boolean(load) });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!load) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error: unknown) => live && setState((s) => ({ data: s.data, error, loading: false })),
    );
    return () => {
      live = false;
    };
    // `load` is a new function each render; `deps` say when to fetch again.
  }, [tick, ...deps]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}
