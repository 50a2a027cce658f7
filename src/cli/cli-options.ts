import type { Command } from 'commander';
import type { z } from 'zod';
import { EXIT } from './cli-errors.js';

const flag = (key: PropertyKey) => `--${String(key).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/**
 * Checks a command's options with a zod schema, as the HTTP routes check a body. A bad value
 * is a usage error (exit code 2) reported through commander, so it reads like its own errors.
 * Messages never repeat the value: it may be an API key.
 */
export function parseOptions<S extends z.ZodType>(command: Command, schema: S, options: unknown): z.output<S> {
  const parsed = schema.safeParse(options);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.length ? flag(i.path[0]) : 'options'}: ${i.message}`);
  return command.error(`error: ${problems.join('; ')}`, { exitCode: EXIT.usage, code: 'fealty.invalidOption' });
}
