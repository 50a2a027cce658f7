#!/usr/bin/env node
// `npm audit --omit=dev` as a gate: fails on a high or critical advisory of a production dependency
// that .ci/audit-allow.json does not list (each entry: id, package, reason, date; optional `until`).
// When the audit service cannot be reached or answers an error, it says so and does not fail:
// the gate cannot tell, and a network hiccup must not pass for a clean bill either way.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const allowFile = new URL('./audit-allow.json', import.meta.url);
const allow = JSON.parse(readFileSync(allowFile, 'utf8'));
const today = new Date().toISOString().slice(0, 10);
for (const e of allow) {
  if (!e.id || !e.reason || !e.date) {
    console.error(`audit: every entry of .ci/audit-allow.json needs id, reason and date: ${JSON.stringify(e)}`);
    process.exit(1);
  }
}

let out;
// AUDIT_REPORT=<file>: read a saved `npm audit --json` answer instead of asking (to try the gate itself).
if (process.env.AUDIT_REPORT) out = readFileSync(process.env.AUDIT_REPORT, 'utf8');
else try {
  out = execFileSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
} catch (err) {
  // npm audit exits non-zero when it finds something, and when it cannot ask: the JSON tells which.
  out = err.stdout ?? '';
}
let report;
try {
  report = JSON.parse(out);
} catch {
  report = null;
}
if (!report || !report.vulnerabilities || report.error || report.message) {
  const why = report?.message ?? report?.error?.summary ?? (out.trim().slice(0, 300) || 'no answer');
  console.log(`audit: WARNING: could not audit the dependencies (${why}); not failing the build on that, check again when the registry's audit service answers`);
  process.exit(0);
}

const findings = [];
for (const [pkg, v] of Object.entries(report.vulnerabilities)) {
  for (const via of v.via) {
    if (typeof via !== 'object') continue; // a dependency of a vulnerable package: reported under that package
    if (!['high', 'critical'].includes(via.severity)) continue;
    const ghsa = String(via.url ?? '').match(/GHSA-[\w-]+/)?.[0];
    findings.push({ pkg, severity: via.severity, id: ghsa ?? String(via.source), source: String(via.source), title: via.title, url: via.url });
  }
}
const allowed = (f) => allow.find((e) => (e.id === f.id || e.id === f.source) && (!e.until || e.until >= today));
const blocking = findings.filter((f) => !allowed(f));
const counts = report.metadata?.vulnerabilities ?? {};
console.log(`audit: production dependencies: ${Object.entries(counts).map(([k, n]) => `${k} ${n}`).join(', ')}`);
for (const f of findings) console.log(`audit: ${allowed(f) ? 'allowed' : 'BLOCKING'} ${f.severity} ${f.pkg}: ${f.title} (${f.id}, ${f.url})${allowed(f) ? ` — ${allowed(f).reason}` : ''}`);
for (const e of allow) if (!findings.some((f) => e.id === f.id || e.id === f.source)) console.log(`audit: note: allow-list entry ${e.id} (${e.package ?? ''}) matches nothing any more; remove it`);
if (blocking.length) {
  console.log(`audit: ${blocking.length} high/critical advisory(ies) not in .ci/audit-allow.json: upgrade, or list each with its reason`);
  process.exit(1);
}
console.log('audit: no high or critical advisory outside the allow-list');
