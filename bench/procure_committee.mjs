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
const m = require('../tests/api/lib/matrix.js');

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
  // the bids part's suppliers: a valid USCC each (unique), the legal representative, approved
  sql(srv, `INSERT INTO suppliers (tenant_id, version, created_at, updated_at, name, uscc, legal_rep, status, approved_at) VALUES ${rows(BIDDERS, (i) => `(${C}, '供应商${i}', '${m.uscc(`91440300${String(700000000 + i)}`)}', '法人${i}', 'approved', ${now})`)}`);
  const experts = sql(srv, 'SELECT id FROM experts ORDER BY id').split('\n').map(Number);
  const sups = sql(srv, 'SELECT id FROM suppliers ORDER BY id').split('\n').map(Number);
  // 500 relations with the bidders: half ongoing or recent, half long over
  sql(srv, `INSERT INTO expert_relations (tenant_id, version, created_at, updated_at, expert_id, supplier_id, kind, from_date, to_date) VALUES ${rows(500, (i) => `(${C}, ${experts[(i * 7919) % POOL]}, ${sups[i % BIDDERS]}, 'employment', '2010-01-01', ${i % 2 ? 'NULL' : "'2015-06-30'"})`)}`);
  // a leader approves what admin submits; admin and the leader hold the seals' shares
  const roles = (await admin.get('/api/v1/roles?limit=100')).body;
  const lr = await admin.post('/api/v1/users', { username: 'bench_leader', display_name: '领导', role_id: (roles.items || roles).find((x) => x.code === 'leader').id });
  if (lr.status !== 201) throw new Error(`leader: ${lr.status} ${lr.text}`);
  await admin.post(`/api/v1/users/${lr.body.id}/reset_password`, { password: 'Bench-leader-2026' });
  const leader = await m.signInChanging(srv.url, { username: 'bench_leader', password: 'Bench-leader-2026', newPassword: 'Bench-leader-2026-x' });
  const officials = [Number(sql(srv, "SELECT id FROM users WHERE username = 'admin'")), lr.body.id];
  const iso = (t) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');
  const projects = [];
  for (let p = 0; p <= RUNS; p++) {
    const r = await admin.post('/api/v1/procurement_projects', { name: `基准项目${p}`, category: 'goods', budget_fen: 150000000, department_id: dept, method: 'public_tender', evaluation_method: 'comprehensive', price_weight_pct: 30, method_approval: '财政部门批复（基准）' });
    if (r.status !== 201) throw new Error(`project: ${r.status} ${r.text}`);
    const id = r.body.id;
    projects.push(id);
    // the lifecycle's steps to bidding with the bids part's seal; the 20-day bid period then moved back by SQL
    const issued = Math.floor(Date.now() / 1000);
    for (const [who, step, body] of [[admin, 'submit', {}], [leader, 'approve', {}], [admin, 'seal', { k: 2, officials }], [admin, 'publish', {}],
      [admin, 'open_bidding', { documents_issued_at: iso(issued), bid_deadline: iso(issued + 20 * 86400) }]]) {
      const x = await who.post(`/api/v1/procurement_projects/${id}/${step}`, body);
      if (x.status !== 200 && x.status !== 201) throw new Error(`${step}: ${x.status} ${x.text}`);
    }
    const back = 20 * 86400 + 3600;
    sql(srv, `UPDATE procurement_projects SET submitted_at = submitted_at - ${back}, approved_at = approved_at - ${back}, notice_published_at = notice_published_at - ${back}, documents_issued_at = documents_issued_at - ${back}, bid_deadline = bid_deadline - ${back} WHERE id = ${id}`);
    sql(srv, `INSERT INTO bids (tenant_id, version, created_at, updated_at, project_id, supplier_id, status, submitted_at, cipher_sha256, cipher_bytes) VALUES ${rows(BIDDERS, (i) => `(${C}, ${id}, ${sups[i]}, 'submitted', ${now - 7200}, '${(i % 10 + 'f').repeat(32)}', 600)`)}`);
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
  // the opening (the bids part's) by SQL: prices, valid, the seal opened, the project in evaluation
  sql(srv, `UPDATE bids SET status = 'opened', price_fen = 90000000 + 137000 * (id % ${BIDDERS}), valid = 1, opened_at = ${now} WHERE project_id = ${ev}`);
  sql(srv, `UPDATE bid_seals SET status = 'opened', opened_at = ${now}, opened_bids = ${BIDDERS} WHERE project_id = ${ev}`);
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
