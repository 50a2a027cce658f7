import { Worker } from 'node:worker_threads';
import { DEFAULT_IMPORT_LIMITS, FileLimitExceeded, FileUnreadable, type ImportLimits } from './imports.limits.js';
import type { Detected, FileMeta, ReadSettings, RowIn } from './imports.source.js';

/**
 * Files are read in worker threads, never on the server's event loop: a large or hostile file
 * costs a worker's time and memory (its heap capped by `workerMemoryMb`), while the server goes
 * on answering. A few workers are kept warm between readings; one that fails (out of memory, a
 * crash) is ended and replaced, taking nothing else with it.
 */

export type WorkerJob = { op: 'detect' | 'open' | 'count' | 'rows'; content: Uint8Array; settings: ReadSettings; limits: ImportLimits };
export type ToWorker = { type: 'job'; id: number; job: WorkerJob } | { type: 'more' | 'cancel'; id: number };
export type WorkerMessage =
  | { type: 'meta'; meta: FileMeta }
  | { type: 'rows'; rows: RowIn[] }
  | { type: 'done'; value: unknown }
  | { type: 'error'; kind: 'limit' | 'unreadable' | 'internal'; limit?: keyof ImportLimits; message: string };

/** A file opened with its reading settings: the header, and the rows read again on each call. */
export type Opened = FileMeta & {
  rows(): AsyncGenerator<RowIn>;
  /** The data rows, counted in a worker without sending them. */
  count(): Promise<number>;
};

export type FileReader = {
  detect(content: Buffer): Promise<Detected>;
  open(content: Buffer, settings: ReadSettings): Promise<Opened>;
};

// From source (the server runs TypeScript through tsx) the worker registers tsx's loader first,
// as bin/fealty.mjs does, whatever started this process (node --import tsx, the CLI, the tests).
const here = import.meta.url;
const fromSource = here.endsWith('.ts');
const WORKER = new URL(`./imports.worker${fromSource ? '.ts' : '.js'}`, here);
const BOOT = fromSource
  ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ register }) => { register(); return import(${JSON.stringify(WORKER.href)}); });`
  : null;

function slots(n: number) {
  let free = Math.max(1, n);
  const waiting: (() => void)[] = [];
  return {
    async take(): Promise<() => void> {
      if (free > 0) free--;
      else await new Promise<void>((r) => waiting.push(r));
      let given = false;
      return () => {
        if (given) return;
        given = true;
        const next = waiting.shift();
        if (next) next();
        else free++;
      };
    },
  };
}

type Job = { next(): Promise<WorkerMessage>; more(): void; cancel(): void };

/** Warm workers, at most `keep` idle; a job takes one (or a new one) and gives it back when it ends cleanly. */
function pool(limits: ImportLimits) {
  const idle: Worker[] = [];
  let ids = 0;
  const spawn = () =>
    new Worker(BOOT ?? WORKER, {
      eval: BOOT !== null,
      resourceLimits: { maxOldGenerationSizeMb: limits.workerMemoryMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(8, Math.floor(limits.workerMemoryMb / 8))) },
    });

  return {
    run(job: WorkerJob): Job {
      const worker = idle.pop() ?? spawn();
      worker.ref();
      const id = ++ids;
      const queue: WorkerMessage[] = [];
      let waiter: ((m: WorkerMessage) => void) | null = null;
      let ended = false;
      let cancelled = false;
      const finish = (healthy: boolean) => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (healthy && idle.length < limits.parallelReads) {
          worker.unref();
          idle.push(worker);
        } else void worker.terminate();
      };
      const push = (m: WorkerMessage, healthy: boolean) => {
        if (ended) return;
        if (m.type === 'done' || m.type === 'error') {
          ended = true;
          finish(healthy);
        }
        if (cancelled) return;
        if (waiter) {
          const w = waiter;
          waiter = null;
          w(m);
        } else queue.push(m);
      };
      const onMessage = (m: WorkerMessage & { job: number }) => {
        if (m.job === id) push(m, true);
      };
      const onError = (err: Error & { code?: string }) =>
        push(
          err.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? { type: 'error', kind: 'limit', limit: 'workerMemoryMb', message: `reading the file needs more than ${limits.workerMemoryMb.toLocaleString('en')} MiB of memory` }
            : { type: 'error', kind: 'internal', message: err.message },
          false,
        );
      const onExit = (code: number) => push({ type: 'error', kind: 'internal', message: `the file reader stopped (exit code ${code})` }, false);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage({ type: 'job', id, job } satisfies ToWorker);
      return {
        next: () => (queue.length ? Promise.resolve(queue.shift()!) : new Promise<WorkerMessage>((r) => (waiter = r))),
        more: () => worker.postMessage({ type: 'more', id } satisfies ToWorker),
        // The worker stops at its next batch and says `done`; it is then reused.
        cancel: () => {
          if (ended || cancelled) return;
          cancelled = true;
          worker.postMessage({ type: 'cancel', id } satisfies ToWorker);
        },
      };
    },
  };
}

function fail(m: Extract<WorkerMessage, { type: 'error' }>): never {
  if (m.kind === 'limit') throw new FileLimitExceeded(m.limit ?? 'maxInflatedBytes', m.message);
  if (m.kind === 'unreadable') throw new FileUnreadable(m.message);
  throw new Error(`reading the file failed: ${m.message}`);
}

export function createFileReader(limits: ImportLimits): FileReader {
  const reads = slots(limits.parallelReads);
  const workers = pool(limits);

  /** One bounded reading (detect, open, count): waits for a free slot, answers the worker's last word. */
  async function ask(op: 'detect' | 'open' | 'count', content: Buffer, settings: ReadSettings): Promise<{ meta?: FileMeta; value: unknown }> {
    const release = await reads.take();
    const w = workers.run({ op, content, settings, limits });
    try {
      let meta: FileMeta | undefined;
      for (;;) {
        const m = await w.next();
        if (m.type === 'meta') meta = m.meta;
        else if (m.type === 'done') return { meta, value: m.value };
        else if (m.type === 'error') fail(m);
      }
    } finally {
      w.cancel();
      release();
    }
  }

  return {
    async detect(content) {
      return (await ask('detect', content, { encoding: 'auto', delimiter: 'auto', decimalSeparator: 'auto', headerRow: 1 })).value as Detected;
    },

    async open(content, settings) {
      const { meta } = await ask('open', content, settings);
      return {
        ...meta!,
        async count() {
          return (await ask('count', content, settings)).value as number;
        },
        // Not behind a slot: an import streams its rows for as long as it runs, mostly waiting on the database.
        async *rows() {
          const w = workers.run({ op: 'rows', content, settings, limits });
          try {
            for (;;) {
              const m = await w.next();
              if (m.type === 'rows') {
                // Asked for before these are handed out: the worker reads the next batch meanwhile.
                w.more();
                yield* m.rows;
              } else if (m.type === 'done') return;
              else if (m.type === 'error') fail(m);
            }
          } finally {
            w.cancel();
          }
        },
      };
    },
  };
}

/** What a file holds before any mapping (the CLI's automatic mapping), read in a worker within the caps. */
export function detect(content: Buffer, limits: Partial<ImportLimits> = {}): Promise<Detected> {
  return createFileReader({ ...DEFAULT_IMPORT_LIMITS, ...limits }).detect(content);
}
