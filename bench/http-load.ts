/**
 * One autocannon run in a process of its own, so that the load generator does not share the
 * server's event loop (it gets the machine's other core). argv[2]: the JSON config; stdout: the JSON result.
 */
import autocannon from 'autocannon';

type LoadConfig = { url: string; paths: string[]; headers: Record<string, string>; connections: number; durationSeconds: number };

const cfg = JSON.parse(process.argv[2]) as LoadConfig;
let next = 0;
const result = await autocannon({
  url: cfg.url,
  connections: cfg.connections,
  duration: cfg.durationSeconds,
  headers: cfg.headers,
  // Each request asks for another account, as checkouts across a customer base would.
  requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: cfg.paths[next++ % cfg.paths.length] }) }],
});
process.stdout.write(JSON.stringify({ rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, total: result.requests.total, non2xx: result.non2xx, errors: result.errors }));
