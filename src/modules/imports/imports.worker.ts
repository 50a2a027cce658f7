import { parentPort } from 'node:worker_threads';
import { FileLimitExceeded, FileUnreadable } from './imports.limits.js';
import type { ToWorker, WorkerJob, WorkerMessage } from './imports.parser.js';
import { detectSource, openSource, type RowIn } from './imports.source.js';

/**
 * A worker thread that reads import files (imports.parser.ts keeps a few): one job at a time,
 * `detect`, `open`, `count`, or the rows in batches, each batch sent once the one before is
 * taken, so an import that waits on the database holds two batches at most.
 */

const port = parentPort!;
const BATCH = 500;

let current: { id: number; credit: number; cancelled: boolean; wake: (() => void) | null } | null = null;
const send = (m: WorkerMessage) => port.postMessage({ ...m, job: current!.id });

port.on('message', (m: ToWorker) => {
  if (m.type === 'job') {
    current = { id: m.id, credit: 1, cancelled: false, wake: null };
    void run(m.job).finally(() => (current = null));
    return;
  }
  if (!current || m.id !== current.id) return;
  if (m.type === 'more') current.credit++;
  if (m.type === 'cancel') current.cancelled = true;
  current.wake?.();
  current.wake = null;
});

function granted(): Promise<void> {
  const c = current!;
  return c.credit > 0 || c.cancelled ? Promise.resolve() : new Promise<void>((r) => (c.wake = r));
}

async function rows(job: WorkerJob) {
  const content = Buffer.from(job.content.buffer, job.content.byteOffset, job.content.byteLength);
  if (job.op === 'detect') return send({ type: 'done', value: await detectSource(content, job.limits) });
  const file = await openSource(content, job.settings, job.limits);
  const { rows: _rows, ...meta } = file;
  send({ type: 'meta', meta });
  if (job.op === 'open') return send({ type: 'done', value: null });
  if (job.op === 'count') {
    let n = 0;
    for await (const _ of file.rows()) n++;
    return send({ type: 'done', value: n });
  }
  let batch: RowIn[] = [];
  const flush = async () => {
    await granted();
    if (current!.cancelled) return false;
    current!.credit--;
    send({ type: 'rows', rows: batch });
    batch = [];
    return true;
  };
  for await (const r of file.rows()) {
    batch.push(r);
    if (batch.length >= BATCH && !(await flush())) return send({ type: 'done', value: null });
  }
  if (batch.length) await flush();
  send({ type: 'done', value: null });
}

async function run(job: WorkerJob) {
  try {
    await rows(job);
  } catch (err) {
    if (err instanceof FileLimitExceeded) send({ type: 'error', kind: 'limit', limit: err.limit, message: err.message });
    else if (err instanceof FileUnreadable) send({ type: 'error', kind: 'unreadable', message: err.message });
    else send({ type: 'error', kind: 'internal', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
}
