/** A problem+json answer (RFC 9457) turned into an Error the screens can read field by field. */
export type FieldError = { path: string; message: string };

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string | undefined;
  readonly errors: FieldError[];
  readonly requestId: string | undefined;

  constructor(status: number, code: string, detail?: string, errors: FieldError[] = [], requestId?: string) {
    super(detail ?? code);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.errors = errors;
    this.requestId = requestId;
  }

  /** Field errors keyed by path (`effects.0.amount`); the first message wins. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.errors) if (!(e.path in out)) out[e.path] = e.message;
    return out;
  }
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError;
}
