import type { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildCli, runCli } from './cli.js';

/** Every command path in the tree, groups included: whatever is registered later is walked too. */
function commandPaths(command: Command, prefix: string[] = []): string[][] {
  return command.commands.flatMap((c) => {
    const path = [...prefix, c.name()];
    return [path, ...commandPaths(c, path)];
  });
}

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const code = await runCli(args);
    return { code, stdout: out.mock.calls.map((c) => String(c[0])).join(''), stderr: err.mock.calls.map((c) => String(c[0])).join('') };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('fealty --help', () => {
  const paths = commandPaths(buildCli());

  it('finds the operator commands in the tree', () => {
    const names = paths.map((p) => p.join(' '));
    expect(names).toEqual(expect.arrayContaining(['start', 'migrate', 'program create', 'keys create', 'jobs run-due', 'export ledger', 'doctor']));
  });

  it.each(paths.map((p) => [p.join(' '), p] as const))('`fealty %s --help` exits 0 and prints its usage and the exit codes', async (_name, path) => {
    const r = await run([...path, '--help']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`Usage: fealty ${path.join(' ')}`);
    expect(r.stdout).toContain('Exit codes:');
  });
});
