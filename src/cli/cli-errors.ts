import { DomainError } from '../lib/domain-error.js';

/** The exit codes of `fealty`, shown in its help and in docs/cli.md. */
export const EXIT = { ok: 0, failure: 1, usage: 2, unreachable: 3 } as const;

export const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  the command failed: unknown program or key, database in use or unreachable, invalid configuration
  2  usage error: unknown command or option, missing or invalid argument
  3  fealty doctor: the database cannot be reached or opened`;

/** A failure the operator can act on, reported as its message alone (exit code 1 unless told). */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
  ) {
    super(message);
    this.name = 'CliFailure';
  }
}

/** One line for stderr; pg's connection errors are AggregateErrors with an empty message. */
export function describeError(err: unknown): string {
  if (err instanceof DomainError) return `${err.message} (${err.code})`;
  if (err instanceof AggregateError && !err.message) return describeError(err.errors[0]);
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}
