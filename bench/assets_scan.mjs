#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// bench/assets_scan.mjs - a stocktake's scan-to-confirmation round trip, printed beside its goal
// (< 20 ms); nothing is asserted. On the demo district (SQLite, 20,000 assets) the assets
// manager starts a session over 区政府 and its sub-departments (thousands of lines), then, one
// label after another over one keep-alive connection, scans a pending asset as found in another
// room (POST /api/v1/stocktakes/{id}/scan: the session locked, the line and the asset looked up,
// the line written and audited, the answer with the asset's names and the progress) and
// confirms it (POST …/confirm: the asset moved in the register and the line confirmed, both
// audited). Prints the median, p90, p99 and max of the round trip and of each half, and the
// time each half spent in the server (its access log's us=).
//
//   node bench/assets_scan.mjs [N]        (default 1000 labels; BUREAU picks the binary,
//                                          BENCH_DIR keeps and reuses the database)
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const BUREAU = path.resolve(process.env.BUREAU || path.join(root, 'build/bureau'));
const N = Number(process.argv[2] || 1000);
const PW = 'Bench-Secret-2026';
const DEMO_PW = 'Bureau-demo-2026';
const keep = !!process.env.BENCH_DIR;
const W = keep ? process.env.BENCH_DIR : fs.mkdtempSync(path.join(os.tmpdir(), 'bench-scan-'));
fs.mkdirSync(W, { recursive: true });
const DB = path.join(W, 'assets-demo.db');
const env = { ...process.env, BUREAU_ADMIN_PASSWORD: PW };
const say = (s) => process.stderr.write(s + '\n');

if (!fs.existsSync(DB)) {
    say(`making the demo district in ${DB} …`);
    const r = spawnSync(BUREAU, ['init', '--db', DB, '--demo'], { env, stdio: 'ignore' });
    if (r.status !== 0) throw new Error('bureau init failed');
}
const port = 20000 + Math.floor(Math.random() * 12000);
// the access log's us= (time in the server) beside the client's round trip
const LOG = path.join(W, 'server.log');
const logFd = fs.openSync(LOG, 'w');
const srv = spawn(BUREAU, ['serve', '--db', DB, '--listen', `127.0.0.1:${port}`, '--threads', '2'], { env, stdio: ['ignore', 'ignore', logFd] });
const BASE = `http://127.0.0.1:${port}`;
const stop = () => { srv.kill('SIGTERM'); if (!keep) fs.rmSync(W, { recursive: true, force: true }); };
process.on('exit', stop);

for (let i = 0; i < 200; i++) {
    try { if ((await fetch(`${BASE}/api/health`)).ok) break; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 50));
}
const s = await fetch(`${BASE}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'assets_manager', password: DEMO_PW }) });
const { csrf } = await s.json();
const cookie = s.headers.get('set-cookie').split(';')[0];
const call = async (method, p, body) => {
    const r = await fetch(BASE + '/api/v1' + p, { method, headers: { Cookie: cookie, 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
    const j = await r.json();
    if (!r.ok) throw new Error(`${method} ${p}: ${r.status} ${JSON.stringify(j)}`);
    return j;
};

// the session: 区政府 and its sub-departments
const dept = (await call('GET', '/departments?name=' + encodeURIComponent('区政府'))).items[0];
const t0 = performance.now();
const st = await call('POST', '/stocktakes', { name: `压测盘点-${Date.now()}`, department_id: dept.id });
const started = await call('POST', `/stocktakes/${st.id}/start`, {});
const startMs = performance.now() - t0;
say(`session ${st.id}: ${started.expected_count} lines, started in ${startMs.toFixed(0)} ms`);
const lines = [];
for (let after = null; lines.length < N;) {
    const r = await call('GET', `/stocktake_lines?stocktake_id=${st.id}&result=pending&limit=500${after ? `&after=${after}` : ''}`);
    lines.push(...r.items);
    if (!r.next) break;
    after = r.next;
}
const rooms = [...new Set(lines.map((l) => l.expected_room_id).filter(Boolean))];
if (lines.length < N) say(`only ${lines.length} pending lines`);

const scanMs = [], confirmMs = [], tripMs = [];
for (const l of lines.slice(0, N)) {
    const elsewhere = rooms.find((r) => r !== l.expected_room_id);
    const a = performance.now();
    const sc = await call('POST', `/stocktakes/${st.id}/scan`, { code: l.code, room_id: elsewhere });
    const b = performance.now();
    await call('POST', `/stocktakes/${st.id}/confirm`, { line_id: sc.line.id });
    const c = performance.now();
    scanMs.push(b - a);
    confirmMs.push(c - b);
    tripMs.push(c - a);
}
const q = (v, p) => { const x = [...v].sort((m, n) => m - n); return x[Math.min(x.length - 1, Math.floor((p / 100) * x.length))]; };
const row = (name, v) => `${name.padEnd(28)} ${q(v, 50).toFixed(2).padStart(7)} ${q(v, 90).toFixed(2).padStart(7)} ${q(v, 99).toFixed(2).padStart(7)} ${Math.max(...v).toFixed(2).padStart(7)}`;
console.log(`stocktake of ${started.expected_count} assets, ${tripMs.length} labels, one connection (ms)`);
console.log(`${''.padEnd(28)} ${'p50'.padStart(7)} ${'p90'.padStart(7)} ${'p99'.padStart(7)} ${'max'.padStart(7)}`);
console.log(row('scan (moved)', scanMs));
console.log(row('confirm', confirmMs));
console.log(row('scan + confirm', tripMs));
const inServer = (what) => fs.readFileSync(LOG, 'utf8').split('\n')
    .filter((x) => x.includes(`path="/api/v1/stocktakes/${st.id}/${what}"`) && x.includes('status=200'))
    .map((x) => Number(/ us=(\d+)/.exec(x)[1]) / 1000);
console.log(row('in the server: scan', inServer('scan')));
console.log(row('in the server: confirm', inServer('confirm')));
console.log(`goal: scan-to-confirmation < 20 ms: ${q(tripMs, 99) < 20 ? 'ok (p99)' : q(tripMs, 50) < 20 ? 'ok (p50), p99 over' : 'MISSED'}`);
process.exit(0);
