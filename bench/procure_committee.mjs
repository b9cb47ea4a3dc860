// SPDX-License-Identifier: MIT
// bench/procure_committee.mjs - the committee's figures beside their goals
// (nothing asserted): a draw over a pool of 10,000 experts of one specialty
// with 50 bidders' recusal (500 relations with them, half still reaching
// into the 3 years), timed as the whole HTTP request of the draw step (the
// pool read, recusal, the hash, the seed, the order and the invitations in
// one transaction), on as many projects as runs; then the evaluation totals
// of 20 experts × 50 bids × 3 items (3,000 scores), timed as the report's
// recompute request (read, means, price scores, ranking, the write). Prints
// median, p99 and mean in ms. SQLite by default; BUREAU_TEST_DB=pg and
// BUREAU_TEST_PG_DIR as the API tests take them.
//
//   make bureau && node bench/procure_committee.mjs [runs, default 20]
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';

const require = createRequire(import.meta.url);
const { startServer, api, IS_PG, sqlite3Args } = require('../tests/api/lib/server.js');

const RUNS = Number(process.argv[2] || 20);
const POOL = 10000, BIDDERS = 50, MEMBERS = 20;
// the SQL on stdin: the bulk INSERTs are longer than an argument may be
const sql = (srv, text) => (IS_PG
  ? execFileSync('psql', [srv.dbUrl, '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1'], { input: text, encoding: 'utf8', maxBuffer: 1 << 26 })
  : execFileSync('sqlite3', sqlite3Args(srv.dbUrl), { input: `.timeout 10000\n${text};\n`, encoding: 'utf8', maxBuffer: 1 << 26 })).trim();
const stats = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return { median: s[Math.floor(s.length / 2)], p99: s[Math.min(s.length - 1, Math.floor(s.length * 0.99))], mean: s.reduce((x, y) => x + y, 0) / s.length };
};
const fmt = (x) => x.toFixed(1);

const srv = await startServer({ demo: false });
try {
  const admin = api(srv.url);
  const now = Math.floor(Date.now() / 1000);
  const dept = (await admin.post('/api/v1/departments', { name: '采购中心' })).body.id;
  const tenant = Number(sql(srv, 'SELECT MIN(id) FROM tenants'));
  const C = `${tenant}, 1, ${now}, ${now}`;
  const rows = (n, f) => Array.from({ length: n }, (_, i) => f(i)).join(', ');
  for (let k = 0; k < POOL; k += 2000)
    sql(srv, `INSERT INTO experts (tenant_id, version, created_at, updated_at, name, specialties, status) VALUES ${rows(2000, (i) => `(${C}, '专家${k + i}', 'goods.general,goods.it', 'active')`)}`);
  sql(srv, `INSERT INTO suppliers (tenant_id, version, created_at, updated_at, name, status) VALUES ${rows(BIDDERS, (i) => `(${C}, '供应商${i}', 'active')`)}`);
  const experts = sql(srv, 'SELECT id FROM experts ORDER BY id').split('\n').map(Number);
  const sups = sql(srv, 'SELECT id FROM suppliers ORDER BY id').split('\n').map(Number);
  // 500 relations with the bidders: half ongoing or recent, half long over
  sql(srv, `INSERT INTO expert_relations (tenant_id, version, created_at, updated_at, expert_id, supplier_id, kind, from_date, to_date) VALUES ${rows(500, (i) => `(${C}, ${experts[(i * 7919) % POOL]}, ${sups[i % BIDDERS]}, 'employment', '2010-01-01', ${i % 2 ? 'NULL' : "'2015-06-30'"})`)}`);
  const projects = [];
  for (let p = 0; p <= RUNS; p++) {
    const r = await admin.post('/api/v1/procurement_projects', { name: `基准项目${p}`, category: 'goods', budget_fen: 50000000, department_id: dept, method: 'public_tender', evaluation_method: 'comprehensive', price_weight_pct: 30, method_approval: '财政部门批复（基准）' });
    if (r.status !== 201) throw new Error(`project: ${r.status} ${r.text}`);
    projects.push(r.body.id);
    sql(srv, `UPDATE procurement_projects SET status = 'bidding', bid_deadline = ${now - 3600} WHERE id = ${r.body.id}`);
    sql(srv, `INSERT INTO bids (tenant_id, version, created_at, updated_at, project_id, supplier_id, status, price_fen, valid) VALUES ${rows(BIDDERS, (i) => `(${C}, ${r.body.id}, ${sups[i]}, 'opened', ${90000000 + i * 137000}, 1)`)}`);
  }
  const draws = [];
  for (let p = 0; p < RUNS; p++) {
    const r = await admin.post('/api/v1/expert_draws', { project_id: projects[p], specialty: 'goods.it', members_n: 5, reps_n: 1 });
    if (r.status !== 201) throw new Error(`draw: ${r.status} ${r.text}`);
    const t0 = process.hrtime.bigint();
    const d = await admin.post(`/api/v1/expert_draws/${r.body.id}/draw`, { witness: `bench ${p}` });
    draws.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (d.status !== 200) throw new Error(`draw: ${d.status} ${d.text}`);
    if (p === 0) console.log(`pool ${d.body.specialists_n} experts, ${d.body.bidders_n} bidders, ${d.body.recused_n} recused, ${d.body.pool_n} eligible`);
  }
  let s = stats(draws);
  console.log(`draw over ${POOL} experts with ${BIDDERS} bidders' recusal: median ${fmt(s.median)} ms, p99 ${fmt(s.p99)} ms, mean ${fmt(s.mean)} ms (goal < 50 ms; the whole request)`);

  // evaluation: 20 members × 50 bids × 3 items
  const ev = projects[RUNS];
  const dr = (await admin.post('/api/v1/expert_draws', { project_id: ev, specialty: 'goods.it', members_n: 21, reps_n: 1 })).body.id;
  sql(srv, `UPDATE procurement_projects SET status = 'evaluation' WHERE id = ${ev}`);
  sql(srv, `INSERT INTO expert_draw_members (tenant_id, version, created_at, updated_at, draw_id, project_id, seq, status, expert_id) VALUES ${rows(MEMBERS, (i) => `(${C}, ${dr}, ${ev}, ${i + 1}, 'confirmed', ${experts[i]})`)}`);
  for (const [name, max, kind] of [['技术', 40, 'technical'], ['服务', 20, 'technical'], ['商务', 10, 'commercial']])
    await admin.post('/api/v1/evaluation_items', { project_id: ev, kind, name, max_score: max });
  const members = sql(srv, `SELECT id FROM expert_draw_members WHERE project_id = ${ev} ORDER BY id`).split('\n').map(Number);
  const bids = sql(srv, `SELECT id FROM bids WHERE project_id = ${ev} ORDER BY id`).split('\n').map(Number);
  const items = sql(srv, `SELECT id, max_score FROM evaluation_items WHERE project_id = ${ev} ORDER BY id`).split('\n').map((l) => l.split('|').map(Number));
  const vals = [];
  members.forEach((m, a) => bids.forEach((b, k) => items.forEach(([it, max]) => vals.push(`(${C}, ${ev}, ${m}, ${b}, ${it}, ${Math.floor(max * (0.5 + ((a * 31 + k * 17) % 50) / 100))})`))));
  sql(srv, `INSERT INTO evaluation_scores (tenant_id, version, created_at, updated_at, project_id, member_id, bid_id, item_id, score) VALUES ${vals.join(', ')}`);
  const rep = await admin.post('/api/v1/procure/reports', { project_id: ev });
  if (rep.status !== 201) throw new Error(`report: ${rep.status} ${rep.text}`);
  const evals = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const r = await admin.post(`/api/v1/evaluation_reports/${rep.body.id}/recompute`, {});
    evals.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.status !== 200) throw new Error(`recompute: ${r.status} ${r.text}`);
  }
  s = stats(evals);
  console.log(`evaluation totals, ${MEMBERS} experts × ${BIDDERS} bids × ${items.length} items (${vals.length} scores): median ${fmt(s.median)} ms, p99 ${fmt(s.p99)} ms, mean ${fmt(s.mean)} ms (goal < 50 ms; the whole request)`);
} finally {
  await srv.stop();
}
