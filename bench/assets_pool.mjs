// SPDX-License-Identifier: MIT
// bench/assets_pool.mjs - the public property pool's search (GET /api/v1/pool)
// over 10,000 pooled items: the demo district (20,000 assets, about 300 in the
// pool) with enough of its other assets handed in, in SQL, to make 10,000,
// then each query shape requested one after the other on a kept-alive
// connection as the assets manager: the first page, a common word, a word
// nothing matches (every pooled item read), a condition, a top class with its
// sub-classes, a category, a page deep in the cursor. Prints the median, p99
// and mean of each, in ms, and the goal (< 20 ms). SQLite by default; with
// BUREAU_TEST_DB=pg and BUREAU_TEST_PG_DIR as the API tests take them.
//
//   make bureau && node bench/assets_pool.mjs [requests per shape, default 400]
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';

const require = createRequire(import.meta.url);
const { startServer, api, IS_PG, sqlite3Args } = require('../tests/api/lib/server.js');

const N = Number(process.argv[2] || 400);
const TARGET = 10000;
const sql = (srv, text) => (IS_PG
  ? execFileSync('psql', [srv.dbUrl, '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', text], { encoding: 'utf8' })
  : execFileSync('sqlite3', sqlite3Args(srv.dbUrl, '.timeout 10000', text), { encoding: 'utf8' })).trim();

const srv = await startServer({ demo: true });
try {
  const have = Number(sql(srv, "SELECT COUNT(*) FROM pool_items WHERE status = 'in_pool'"));
  const more = TARGET - have;
  const now = Math.floor(Date.now() / 1000);
  // hand in the oldest assets in use or idle that are in no pool item and no disposal
  sql(srv, `CREATE TABLE bench_pick AS SELECT id, department_id FROM assets a WHERE tenant_id = 1 AND status IN ('in_use', 'idle') AND NOT EXISTS (SELECT 1 FROM pool_items p WHERE p.asset_id = a.id) AND NOT EXISTS (SELECT 1 FROM asset_disposal_items i WHERE i.asset_id = a.id) ORDER BY id LIMIT ${more}`);
  sql(srv, `UPDATE assets SET status = 'pooled' WHERE id IN (SELECT id FROM bench_pick)`);
  sql(srv, `INSERT INTO pool_items (tenant_id, version, created_at, updated_at, created_by, asset_id, department_id, condition, status, handed_in_at) SELECT 1, 1, ${now}, ${now}, 1, id, department_id, CASE id % 4 WHEN 0 THEN 'good' WHEN 1 THEN 'fair' WHEN 2 THEN 'poor' ELSE 'broken' END, 'in_pool', ${now} FROM bench_pick`);
  sql(srv, 'DROP TABLE bench_pick');
  sql(srv, IS_PG ? 'ANALYZE' : 'ANALYZE');
  const pooled = Number(sql(srv, "SELECT COUNT(*) FROM pool_items p JOIN assets a ON a.id = p.asset_id WHERE p.status = 'in_pool' AND a.status IN ('pooled', 'lent')"));

  const am = api(srv.url, { username: 'assets_manager', password: 'Bureau-demo-2026' });
  await am.login();
  const a02 = (await am.get('/api/v1/asset_classes?code=A02')).body.items[0].id;
  const cat = (await am.get('/api/v1/asset_categories?limit=100')).body.items.find((c) => c.name === '家具').id;
  const deep = await (async () => {
    let cur = null;
    for (let i = 0; i < 20; i++) {
      const r = await am.get(`/api/v1/pool?limit=100${cur ? `&cursor=${cur}` : ''}`);
      cur = r.body.next_cursor;
    }
    return cur;
  })();
  const shapes = [
    ['first page (24)', '/api/v1/pool'],
    ['q=椅 (a common word)', `/api/v1/pool?q=${encodeURIComponent('椅')}`],
    ['q matching nothing (every item read)', `/api/v1/pool?q=${encodeURIComponent('不存在的物品')}`],
    ['condition=good', '/api/v1/pool?condition=good'],
    ['class_id=A02 and its sub-classes', `/api/v1/pool?class_id=${a02}`],
    ['category_id (家具), available only', `/api/v1/pool?category_id=${cat}&available=1`],
    ['page 21 of 100 (cursor)', `/api/v1/pool?limit=100&cursor=${deep}`],
    ['pool/check class A02', `/api/v1/pool/check?class_id=${a02}`],
  ];
  const rows = [];
  for (const [name, path] of shapes) {
    for (let i = 0; i < 20; i++) await am.get(path); // warm
    const ms = [];
    for (let i = 0; i < N; i++) {
      const t0 = process.hrtime.bigint();
      const r = await am.get(path);
      ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (r.status !== 200) throw new Error(`${path}: ${r.status} ${r.text}`);
    }
    ms.sort((x, y) => x - y);
    const q = (p) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))];
    rows.push({ shape: name, median: q(0.5).toFixed(2), p99: q(0.99).toFixed(2), mean: (ms.reduce((s, x) => s + x, 0) / ms.length).toFixed(2) });
  }
  console.log(`pool search: ${pooled} items in the pool, ${N} requests a shape, ${IS_PG ? 'PostgreSQL' : 'SQLite'}, goal < 20 ms`);
  console.table(rows);
  const worst = Math.max(...rows.map((r) => Number(r.p99)));
  console.log(`worst p99 ${worst.toFixed(2)} ms: ${worst < 20 ? 'within' : 'OVER'} the 20 ms goal`);
} finally {
  await srv.stop({ verifyAudit: false });
}
