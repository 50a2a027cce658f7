import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The real server as `npm start` runs it (`node --import tsx src/main.ts`), in a child process. */
export type ServerProcess = {
  proc: ChildProcess;
  /** http://127.0.0.1:<port> */
  base: string;
  output(): string;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL (kill -9) and wait until the process is gone. */
  kill(): Promise<void>;
};

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Starts the server with `env` on top of this process's environment (PORT 0 and HOST 127.0.0.1
 * unless given, no web app, demo off) and resolves once it prints its ready line.
 */
export async function startServerProcess(env: Record<string, string | undefined>, opts: { timeoutMs?: number } = {}): Promise<ServerProcess> {
  const full: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', FEALTY_DEMO: 'off', FEALTY_WEB: 'off', LOG_LEVEL: 'info', ...env };
  for (const [k, v] of Object.entries(full)) if (v === undefined) delete full[k];
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: repoRoot, env: full, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), opts.timeoutMs ?? 60_000);
    const check = () => {
      const m = out.match(/ready on (http:\/\/[^\s"]+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1].replace('localhost', '127.0.0.1'));
      }
    };
    proc.stdout!.on('data', check);
    proc.stderr!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  return {
    proc,
    base,
    output: () => out,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
  };
}
