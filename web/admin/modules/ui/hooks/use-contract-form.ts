import { useCallback, useState } from 'react';
import type { z } from 'zod';
import { isApiError } from '@shared/api/api-error';

/** Zod issues (and the server's `errors`) keyed by dotted path, the same paths the API reports. */
export function issuesToErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of issues) {
    const key = i.path.map(String).join('.') || '(body)';
    if (!(key in out)) out[key] = i.message;
  }
  return out;
}

/**
 * Validates a form with the API's own contract schema before sending, then shows the server's
 * field errors at the same paths. `toBody` turns the form's values into the request body.
 */
export function useContractForm<V, S extends z.ZodType>(schema: S, initial: V, toBody: (v: V) => unknown) {
  const [values, setValues] = useState<V>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});

  const set = useCallback(<K extends keyof V>(key: K, value: V[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors((e) => {
      if (!(String(key) in e)) return e;
      const { [String(key)]: _gone, ...rest } = e;
      return rest;
    });
  }, []);

  /** The parsed body, or null with the errors shown. */
  const validate = useCallback((): z.infer<S> | null => {
    const parsed = schema.safeParse(toBody(values));
    if (parsed.success) {
      setErrors({});
      return parsed.data;
    }
    setErrors(issuesToErrors(parsed.error.issues));
    return null;
  }, [schema, toBody, values]);

  /** Puts a failed request's field errors next to the fields; true when there were some. */
  const showServerErrors = useCallback((err: unknown): boolean => {
    if (isApiError(err) && err.errors.length) {
      setErrors(err.fieldErrors());
      return true;
    }
    return false;
  }, []);

  return { values, setValues, set, errors, setErrors, validate, showServerErrors };
}
