/** One bad field, as listed in problem+json `errors`. */
export type FieldError = { path: string; message: string };

/**
 * An expected failure. `code` comes from a module's closed list in `<domain>.errors.ts`;
 * the HTTP error handler maps it to a status through that module's status table.
 */
export class DomainError<C extends string = string> extends Error {
  constructor(
    readonly code: C,
    readonly status: number,
    message: string,
    readonly errors?: FieldError[],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Builds a typed `fail(code, detail, errors?)` from a module's code→status table. */
export function errorFactory<C extends string>(statusByCode: Record<C, number>) {
  return (code: C, detail: string, errors?: FieldError[]): DomainError<C> =>
    new DomainError(code, statusByCode[code], detail, errors);
}
