// SPDX-License-Identifier: MIT
// bench/procure_bids.mjs - the sealed bids' bench (bench/procure.sh): a demo district, a project
// moved by the lifecycle's steps and sealed 2-of-2 to the demo users staff and leader, 500 approved suppliers each with a bid
// sealed here (libsodium-wrappers, ~2 KB of technical response) written by SQL, the deadline
// moved past, then the opening timed (best of one: it happens once). Prints the figure beside
// its goal.
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import sodium from 'libsodium-wrappers';

const [bin, dir, adminPw] = process.argv.slice(2);
const db = path.join(dir, 'procure.db');
const N = 500;
const sq = (sql) => execFileSync('sqlite3', ['-cmd', `.load ${path.dirname(bin)}/bureau-collate`, db], { input: sql, encoding: 'utf8', maxBuffer: 1 << 28 });

await sodium.ready;
execFileSync('rm', ['-f', db, db + '-wal', db + '-shm']);
execFileSync(bin, ['init', '--db', db, '--demo'], { stdio: 'ignore', env: { ...process.env, BUREAU_ADMIN_PASSWORD: adminPw } });
const port = 20000 + Math.floor(Math.random() * 12000);
const srv = spawn(bin, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--quiet'], { stdio: 'ignore' });
const base = `http://127.0.0.1:${port}`;
try {
    for (let i = 0; i < 200; i++) { try { if ((await fetch(base + '/api/health')).ok) break; } catch { /* starting */ } await new Promise((r) => setTimeout(r, 50)); }
    const login = async (username, password) => {
        const r = await fetch(base + '/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
        const j = await r.json();
        const h = { cookie: r.headers.get('set-cookie').split(';')[0], 'x-csrf-token': j.csrf, 'content-type': 'application/json' };
        return { id: j.user.id, call: async (m, p, b) => { const x = await fetch(base + '/api/v1' + p, { method: m, headers: h, body: b && JSON.stringify(b) }); return { status: x.status, body: await x.json() }; } };
    };
    const pm = await login('procurement_manager', 'Bureau-demo-2026');
    const o1 = await login('staff', 'Bureau-demo-2026');
    const o2 = await login('leader', 'Bureau-demo-2026');
    // an agency purchase moved by the lifecycle's steps: submitted, approved, sealed, published, bidding
    const must = (r, what) => { if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`); return r.body; };
    const dept = must(await pm.call('GET', '/departments?limit=5'), 'departments').items[1].id;
    const p = must(await pm.call('POST', '/procurement_projects', { name: '开标性能测试', category: 'goods', budget_fen: 200000000, department_id: dept }), 'project');
    must(await pm.call('POST', `/procurement_projects/${p.id}/submit`, {}), 'submit');
    must(await o2.call('POST', `/procurement_projects/${p.id}/approve`, {}), 'approve');
    const seal = await pm.call('POST', `/procurement_projects/${p.id}/seal`, { k: 2, officials: [o1.id, o2.id] });
    if (seal.status !== 201) throw new Error(JSON.stringify(seal.body));
    must(await pm.call('POST', `/procurement_projects/${p.id}/publish`, {}), 'publish');
    const iso = (t) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');
    const dl = Math.floor(Date.now() / 1000) + 3600;
    must(await pm.call('POST', `/procurement_projects/${p.id}/open_bidding`, { documents_issued_at: iso(dl - 20 * 86400), bid_deadline: iso(dl) }), 'open_bidding');
    const shares = [(await o1.call('POST', `/bid_seals/${seal.body.id}/take`, {})).body.share, (await o2.call('POST', `/bid_seals/${seal.body.id}/take`, {})).body.share];
    const pk = sodium.from_base64(seal.body.public_key, sodium.base64_variants.ORIGINAL);
    const now = Math.floor(Date.now() / 1000);
    const tech = '技术响应：完全满足招标文件要求。'.repeat(60);
    let sql = 'BEGIN;\n';
    const maxId = Number(sq('SELECT COALESCE(MAX(id), 0) FROM suppliers;').trim());
    for (let i = 1; i <= N; i++) {
        const sid = maxId + i;
        const set = '0123456789ABCDEFGHJKLMNPQRTUWXY', w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
        const c17 = `91440300B${String(i).padStart(8, '0')}`;
        const r = 31 - ([...c17].reduce((s, ch, j) => s + set.indexOf(ch) * w[j], 0) % 31);
        sql += `INSERT INTO suppliers (id, tenant_id, version, created_at, updated_at, name, uscc, legal_rep, status) VALUES (${sid}, 1, 1, ${now}, ${now}, '性能测试供应商${i}', '${c17 + set[r === 31 ? 0 : r]}', '张三', 'approved');\n`;
        const env = JSON.stringify({ v: 1, project_id: p.id, supplier_id: sid, price_fen: 1000000 + i, technical: tech });
        const box = sodium.crypto_box_seal(sodium.from_string(env), pk);
        const sha = createHash('sha256').update(box).digest('hex');
        sql += `INSERT INTO bids (tenant_id, version, created_at, updated_at, project_id, supplier_id, status, submitted_at, cipher_sha256, cipher_bytes, cipher) VALUES (1, 1, ${now}, ${now}, ${p.id}, ${sid}, 'submitted', ${now}, '${sha}', ${box.length}, '${Buffer.from(box).toString('base64')}');\n`;
    }
    // the deadline passes (the bids were written by SQL above, as 500 suppliers' portals would)
    sql += `UPDATE procurement_projects SET bid_deadline = ${now - 1} WHERE id = ${p.id};\nCOMMIT;\n`;
    sq(sql);
    const t0 = process.hrtime.bigint();
    const r = await pm.call('POST', `/procurement_projects/${p.id}/open`, { shares });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 200 || r.body.valid !== N) throw new Error(`opening: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    console.log(`opening ${N} sealed bids (~${Math.round(tech.length * 3 / 1024)} KB each, SQLite): ${ms.toFixed(0)} ms   (goal < 1000 ms)`);
} finally {
    srv.kill();
}
