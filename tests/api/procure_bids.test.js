// SPDX-License-Identifier: MIT
// procure_bids.test.js - the sealed bids on the demo district: a project
// sealed to a key dealt into k-of-n officials' shares, each share taken once
// by its own official and never kept by the server; bids sealed here in Node
// with libsodium-wrappers (as the supplier's browser does) and a signed
// receipt verified against the published key; one standing bid per
// supplier, replacement and withdrawal before the deadline, a late bid
// refused; the opening refused before the deadline, with a wrong share,
// with too few shares, and a second time, changing nothing each time; the
// opening with k shares recording every bid's price (and an invalid one's
// reason) and moving the project to evaluation; a supplier sees only its own
// bids.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const sodium = require('libsodium-wrappers');
const { startServer, api, IS_PG } = require('./lib/server');
const m = require('./lib/matrix');

const PW = 'Bureau-demo-2026';
let srv, admin, pm, sup1, sup2, officials = [], supplier1, supplier2, project, seal;
const sql = (text) => m.sqlShell(srv, text).trim();
const B64 = () => sodium.base64_variants.ORIGINAL;
const audits = () => Number(sql("SELECT COUNT(*) FROM audit_entries WHERE collection IN ('bids', 'bid_seals', 'opening_officials', 'suppliers', 'procurement_projects')"));
const bidRows = () => sql('SELECT id, status, COALESCE(price_fen, -1), version FROM bids ORDER BY id');

async function ok(r, status = [200, 201]) {
    assert.ok([].concat(status).includes(r.status), m.show(r));
    return r.body;
}

// A supplier's portal login: a user with the supplier role, signed in.
async function supplierLogin(name) {
    const role = (await admin.all('roles', { code: 'supplier' }))[0];
    const u = await ok(await admin.post('/api/v1/users', { username: `sup${m.uniq().replace(/[^a-z0-9]/gi, '')}`, display_name: name, role_id: role.id }));
    const pw = 'Supplier-pass-2026!';
    await ok(await admin.post(`/api/v1/users/${u.id}/reset_password`, { password: pw }));
    const c = await m.signInChanging(srv.url, { username: u.username, password: pw, newPassword: pw + 'x' });
    return { client: c, user: u };
}

async function newSupplier(login, name) {
    const code = m.uscc(`91440300${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`);
    const s = await ok(await pm.post('/api/v1/suppliers', { name, uscc: code, legal_rep: '张三', contact: '李四', phone: '13800138000', user_id: login.user.id }));
    assert.equal(s.status, 'pending');
    const a = await ok(await pm.post(`/api/v1/suppliers/${s.id}/approve`, {}));
    assert.equal(a.status, 'approved');
    return a;
}

// A project through the lifecycle's own steps: created with its required
// fields (an agency purchase: it takes sealed bids), submitted by the
// procurement manager and approved by the leader; sealed by the caller, then
// published and opened for bids with its deadline dt seconds from now (the
// documents issued the legal bid period before it).
let dept, leader;
async function newProject() {
    const p = await ok(await pm.post('/api/v1/procurement_projects', { name: `密封投标测试${m.uniq()}`, category: 'goods', budget_fen: 200000000, department_id: dept }), 201);
    assert.equal(p.method, 'agency');
    assert.equal((await ok(await pm.post(`/api/v1/procurement_projects/${p.id}/submit`, {}))).status, 'submitted');
    const a = await ok(await leader.post(`/api/v1/procurement_projects/${p.id}/approve`, {}));
    assert.equal(a.status, 'approved');
    return a;
}
const iso = (s) => new Date(s * 1000).toISOString().replace('.000Z', 'Z');
async function publish(p) {
    const n = await ok(await pm.post(`/api/v1/procurement_projects/${p.id}/publish`, {}));
    assert.equal(n.status, 'notice_published');
    return n;
}
async function openBidding(p, dt) {
    const dl = Math.floor(Date.now() / 1000) + dt;
    const b = await ok(await pm.post(`/api/v1/procurement_projects/${p.id}/open_bidding`, { documents_issued_at: iso(dl - 20 * 86400), bid_deadline: iso(dl) }));
    assert.equal(b.status, 'bidding');
    assert.equal(Date.parse(b.bid_deadline), dl * 1000);
    return b;
}
async function openForBids(p, dt) {
    await publish(p);
    return openBidding(p, dt);
}

const seal64 = (obj, pkB64) => sodium.to_base64(sodium.crypto_box_seal(sodium.from_string(JSON.stringify(obj)), sodium.from_base64(pkB64, B64())), B64());
const envelope = (s, price, over = {}) => ({ v: 1, project_id: project.id, supplier_id: s.id, price_fen: price, technical: `技术响应 ${price}`, documents: [{ name: '报价单.txt', type: 'text/plain', data: Buffer.from('报价').toString('base64') }], ...over });

before(async () => {
    await sodium.ready;
    srv = await startServer({ demo: true });
    admin = api(srv.url);
    pm = api(srv.url, { username: 'procurement_manager', password: PW });
    await pm.login();
    for (const u of ['staff', 'leader', 'auditor']) {
        const c = api(srv.url, { username: u, password: PW });
        await c.login();
        const row = (await admin.all('users', { username: u }))[0];
        officials.push({ client: c, user: row });
    }
    leader = officials[1].client;
    dept = (await admin.get('/api/v1/departments?limit=5')).body.items[1].id;
    assert.ok(dept);
    sup1 = await supplierLogin('供应商甲');
    sup2 = await supplierLogin('供应商乙');
    supplier1 = await newSupplier(sup1, `甲科技有限公司${m.uniq()}`);
    supplier2 = await newSupplier(sup2, `乙贸易有限公司${m.uniq()}`);
});

after(async () => {
    if (srv) await srv.stop();
});

test('a supplier code with a wrong check character is refused', async () => {
    const good = m.uscc('91440300MA5F00001');
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const r = await pm.post('/api/v1/suppliers', { name: `错码公司${m.uniq()}`, uscc: bad, legal_rep: '王五' });
    assert.equal(r.status, 422, m.show(r));
    assert.ok(r.body.errors.some((e) => e.field === 'uscc'));
});

test('the qualification documents of a supplier are uploads of the writer, attached to it', async () => {
    const scan = Buffer.alloc(2048, 1);
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]).copy(scan);
    scan[2046] = 0xff;
    scan[2047] = 0xd9;
    const f = await pm.post('/api/v1/files/upload?name=licence.jpg', scan, { contentType: 'image/jpeg' });
    assert.equal(f.status, 201, m.show(f));
    const s = await ok(await pm.post('/api/v1/suppliers', { name: `资质公司${m.uniq()}`, uscc: m.uscc(`91440300${String(Date.now()).slice(-9)}`), legal_rep: '孙八', qualification_files: [f.body.id] }), 201);
    const file = (await admin.get(`/api/v1/files/${f.body.id}`)).body;
    assert.equal(file.collection, 'suppliers');
    assert.equal(file.record_id, s.id);
    // another's upload is refused, nothing written
    const theirs = await officials[0].client.post('/api/v1/files/upload?name=x.jpg', scan, { contentType: 'image/jpeg' });
    assert.equal(theirs.status, 201, m.show(theirs));
    const n = Number(sql('SELECT COUNT(*) FROM suppliers'));
    const r = await pm.post('/api/v1/suppliers', { name: `他人文件${m.uniq()}`, uscc: m.uscc(`91440300${String(Date.now() + 7).slice(-9)}`), legal_rep: '周九', qualification_files: [theirs.body.id] });
    assert.equal(r.status, 422, m.show(r));
    assert.equal(Number(sql('SELECT COUNT(*) FROM suppliers')), n);
});

test('sealing: k-of-n shares, each taken once by its own official, none kept by the server', async () => {
    project = await newProject();
    let r = await pm.post(`/api/v1/procurement_projects/${project.id}/seal`, { k: 4, officials: officials.map((o) => o.user.id) });
    assert.equal(r.status, 422, m.show(r));
    assert.equal(r.body.errors[0].key, 'procure.seal.k');
    r = await sup1.client.post(`/api/v1/procurement_projects/${project.id}/seal`, { k: 2, officials: officials.map((o) => o.user.id) });
    assert.equal(r.status, 403, m.show(r));
    seal = await ok(await pm.post(`/api/v1/procurement_projects/${project.id}/seal`, { k: 2, officials: officials.map((o) => o.user.id) }));
    assert.equal(seal.k, 2);
    assert.equal(seal.n, 3);
    assert.equal(sodium.from_base64(seal.public_key, B64()).length, 32);
    // someone else cannot take an official's share
    r = await sup1.client.post(`/api/v1/bid_seals/${seal.id}/take`, {});
    assert.equal(r.status, 404, m.show(r));
    r = await pm.post(`/api/v1/bid_seals/${seal.id}/take`, {});
    assert.equal(r.status, 404, m.show(r));
    for (const o of officials) {
        const s = await ok(await o.client.post(`/api/v1/bid_seals/${seal.id}/take`, {}));
        assert.match(s.share, /^PCS1-\d+-\d+-[0-9a-f]{64}-[0-9a-f]{4}$/);
        assert.match(s.qr_svg, /^<svg|^<\?xml/);
        o.share = s.share;
        r = await o.client.post(`/api/v1/bid_seals/${seal.id}/take`, {});
        assert.equal(r.status, 409, m.show(r));
        assert.equal(r.body.key, 'procure.share.taken');
    }
    // the database holds each share's hash, never the share
    const hashes = sql(`SELECT share_sha256 FROM opening_officials WHERE seal_id = ${seal.id} ORDER BY share_no`).split('\n');
    assert.equal(hashes.length, 3);
    const crypto = require('node:crypto');
    for (const o of officials) {
        const body = o.share.slice(0, o.share.lastIndexOf('-'));
        assert.ok(hashes.includes(crypto.createHash('sha256').update(body).digest('hex')));
        const hex = o.share.split('-')[3];
        assert.equal(Number(sql(`SELECT COUNT(*) FROM audit_entries WHERE CAST(after AS TEXT) LIKE '%${hex}%' OR CAST(before AS TEXT) LIKE '%${hex}%'`)), 0);
        if (!IS_PG) assert.ok(!fs.readFileSync(srv.dbUrl.replace(/^sqlite:\/\//, '')).includes(hex), 'share bytes in the database file');
        else assert.equal(sql(`SELECT COUNT(*) FROM (SELECT CAST(t.* AS TEXT) AS x FROM bid_seals t UNION ALL SELECT CAST(t.* AS TEXT) FROM opening_officials t UNION ALL SELECT CAST(t.* AS TEXT) FROM bids t) a WHERE x LIKE '%${hex}%'`), '0');
    }
    // sealed, the notice is published (the lifecycle's step refuses it unsealed)
    project = await publish(project);
});

let bid1, bid2;
test('bids sealed in Node: a signed receipt, one standing bid each, replacement and withdrawal audited', async () => {
    const n = audits();
    // the notice published, the bidding not yet opened: no bids taken
    let r = await sup1.client.post(`/api/v1/procurement_projects/${project.id}/bids`, { cipher: seal64(envelope(supplier1, 12345600), seal.public_key) });
    assert.equal(r.status, 409, m.show(r));
    assert.equal(r.body.key, 'procure.bid.closed');
    assert.equal(r.body.params.status, 'notice_published');
    assert.equal(audits(), n);
    // bidding opens, its deadline an hour away
    project = await openBidding(project, 3600);
    const n2 = audits();
    r = await sup1.client.post(`/api/v1/procurement_projects/${project.id}/bids`, { cipher: 'not base64!!' });
    assert.equal(r.status, 422, m.show(r));
    assert.equal(r.body.errors[0].key, 'procure.bid.cipher');
    assert.equal(audits(), n2);
    const c1 = seal64(envelope(supplier1, 12345600), seal.public_key);
    bid1 = await ok(await sup1.client.post(`/api/v1/procurement_projects/${project.id}/bids`, { cipher: c1 }), 201);
    const sha = require('node:crypto').createHash('sha256').update(Buffer.from(c1, 'base64')).digest('hex');
    assert.equal(bid1.cipher_sha256, sha);
    // the receipt: its text names the hash, its signature checks with the published key
    const keys = await ok(await api(srv.url).get('/api/v1/procure/receipt_keys?tenant=1', { auth: false }));
    assert.ok(keys.keys.some((k) => k.public_key === bid1.receipt.public_key));
    assert.match(bid1.receipt.text, new RegExp(`cipher_sha256: ${sha}\n`));
    assert.match(bid1.receipt.text, new RegExp(`bid: ${bid1.id}\n`));
    assert.ok(sodium.crypto_sign_verify_detached(sodium.from_base64(bid1.receipt.signature, B64()), sodium.from_string(bid1.receipt.text), sodium.from_base64(bid1.receipt.public_key, B64())));
    assert.ok(!sodium.crypto_sign_verify_detached(sodium.from_base64(bid1.receipt.signature, B64()), sodium.from_string(bid1.receipt.text.replace(sha, sha.replace(/^./, sha[0] === '0' ? '1' : '0'))), sodium.from_base64(bid1.receipt.public_key, B64())));
    // a second bid while one stands: refused, nothing written
    const rows = bidRows();
    r = await sup1.client.post(`/api/v1/procurement_projects/${project.id}/bids`, { cipher: c1 });
    assert.equal(r.status, 409, m.show(r));
    assert.equal(r.body.key, 'procure.bid.exists');
    assert.equal(bidRows(), rows);
    // replaced: the old one replaced, a new one with its own receipt
    const rep = await ok(await sup1.client.post(`/api/v1/bids/${bid1.id}/replace`, { cipher: seal64(envelope(supplier1, 11000000), seal.public_key) }), 201);
    assert.notEqual(rep.id, bid1.id);
    assert.equal(sql(`SELECT status FROM bids WHERE id = ${bid1.id}`), 'replaced');
    bid1 = rep;
    // supplier 2: a bid, withdrawn, then a new one
    const w = await ok(await sup2.client.post(`/api/v1/procurement_projects/${project.id}/bids`, { cipher: seal64(envelope(supplier2, 9900000), seal.public_key) }), 201);
    const wd = await ok(await sup2.client.post(`/api/v1/bids/${w.id}/withdraw`, {}));
    assert.equal(wd.status, 'withdrawn');
    r = await sup2.client.post(`/api/v1/bids/${w.id}/withdraw`, {});
    assert.equal(r.status, 409, m.show(r));
    bid2 = await ok(await sup2.client.post(`/api/v1/procurement_projects/${project.id}/bids`, { cipher: seal64(envelope(supplier2, 9800000), seal.public_key) }), 201);
    const actions = sql(`SELECT action FROM audit_entries WHERE collection = 'bids' AND record_id IN (${w.id}, ${bid1.id}) ORDER BY seq`).split('\n');
    assert.ok(actions.length >= 3, actions.join(','));
    // a supplier sees only its own bids, and never the ciphertext
    const mine = await sup2.client.all('bids', {});
    assert.ok(mine.length >= 2 && mine.every((b) => b.supplier_id === supplier2.id), JSON.stringify(mine.map((b) => b.supplier_id)));
    assert.ok(mine.every((b) => !('cipher' in b)));
    r = await sup2.client.get(`/api/v1/bids/${bid1.id}`);
    assert.equal(r.status, 404, m.show(r));
    r = await sup2.client.post(`/api/v1/bids/${bid1.id}/withdraw`, {});
    assert.equal(r.status, 404, m.show(r));
    const open = await ok(await sup2.client.get('/api/v1/procure/open_projects'));
    const it = open.items.find((p) => p.id === project.id);
    assert.equal(it.my_bid_id, bid2.id);
    assert.equal(it.public_key, seal.public_key);
    // a bidding project is not sealed again
    r = await pm.post(`/api/v1/procurement_projects/${project.id}/seal`, { k: 2, officials: officials.map((o) => o.user.id) });
    assert.equal(r.status, 409, m.show(r));
    assert.equal(r.body.key, 'procure.seal.state');
});

test('the opening: refused too early, with a wrong share, with too few; k shares open every bid once', async () => {
    const shares = officials.map((o) => o.share);
    const state = () => [bidRows(), sql(`SELECT status, version FROM bid_seals WHERE id = ${seal.id}`), sql(`SELECT status FROM procurement_projects WHERE id = ${project.id}`)].join('|');
    const other = await newProject();
    let before = state(), n = audits();
    let r = await pm.post(`/api/v1/procurement_projects/${project.id}/open`, { shares: shares.slice(0, 2) });
    assert.equal(r.status, 409, m.show(r));
    assert.equal(r.body.key, 'procure.opening.too_early');
    assert.ok(r.body.params && r.body.params.deadline, r.text);
    assert.equal(state(), before);
    // the deadline passes: a late bid is refused with the deadline
    sql(`UPDATE procurement_projects SET bid_deadline = ${Math.floor(Date.now() / 1000) - 1} WHERE id = ${project.id}`);
    r = await sup1.client.post(`/api/v1/bids/${bid1.id}/replace`, { cipher: seal64(envelope(supplier1, 1), seal.public_key) });
    assert.equal(r.status, 409, m.show(r));
    assert.equal(r.body.key, 'procure.bid.late');
    assert.ok(r.body.params.deadline);
    r = await sup2.client.post(`/api/v1/bids/${bid2.id}/withdraw`, {});
    assert.equal(r.body.key, 'procure.bid.late');
    before = state();
    // a share of another project's seal
    const os = await ok(await pm.post(`/api/v1/procurement_projects/${other.id}/seal`, { k: 2, officials: officials.map((o) => o.user.id) }));
    const foreign = (await ok(await officials[0].client.post(`/api/v1/bid_seals/${os.id}/take`, {}))).share;
    r = await pm.post(`/api/v1/procurement_projects/${project.id}/open`, { shares: [shares[0], foreign] });
    assert.equal(r.status, 422, m.show(r));
    assert.deepEqual(r.body.errors.map((e) => [e.field, e.key]), [['shares[1]', 'procure.share.wrong']]);
    // a mistyped share
    const typo = shares[1].replace(/-([0-9a-f])/, (x, d) => `-${d === 'a' ? 'b' : 'a'}`);
    r = await pm.post(`/api/v1/procurement_projects/${project.id}/open`, { shares: [shares[0], typo] });
    assert.equal(r.status, 422, m.show(r));
    assert.ok(['procure.share.typo', 'procure.share.format'].includes(r.body.errors[0].key), r.text);
    // too few: one share (twice is still one)
    r = await pm.post(`/api/v1/procurement_projects/${project.id}/open`, { shares: [shares[2], shares[2].toUpperCase()] });
    assert.equal(r.status, 422, m.show(r));
    assert.equal(r.body.errors[0].key, 'procure.opening.too_few_shares');
    assert.deepEqual(r.body.errors[0].params, { k: 2, count: 1 });
    r = await sup1.client.post(`/api/v1/procurement_projects/${project.id}/open`, { shares: shares.slice(0, 2) });
    assert.equal(r.status, 403, m.show(r));
    assert.equal(state(), before);
    // the other project's seal, its three officials and one share taken: nothing else
    assert.equal(audits(), n + 5);
    // k shares (typed with spaces and line breaks): every standing bid opened
    const spaced = shares[2].replace(/(.{16})/g, '$1 \n');
    const res = await ok(await pm.post(`/api/v1/procurement_projects/${project.id}/open`, { shares: [shares[0], spaced] }));
    assert.equal(res.status, 'evaluation');
    assert.equal(res.bids, 2);
    const byId = Object.fromEntries(res.items.map((b) => [b.id, b]));
    assert.equal(byId[bid1.id].price_fen, 11000000);
    assert.equal(byId[bid2.id].price_fen, 9800000);
    assert.ok(byId[bid1.id].valid);
    assert.equal(sql(`SELECT status FROM procurement_projects WHERE id = ${project.id}`), 'evaluation');
    assert.equal(sql(`SELECT status FROM bid_seals WHERE id = ${seal.id}`), 'opened');
    assert.equal(sql(`SELECT status || ':' || price_fen FROM bids WHERE id = ${bid2.id}`), 'opened:9800000');
    assert.equal(sql(`SELECT status FROM bids WHERE id = ${bid1.id - 0}`), 'opened');
    const moved = sql(`SELECT COUNT(*) FROM audit_entries WHERE collection = 'procurement_projects' AND record_id = ${project.id}`);
    assert.ok(Number(moved) >= 2);
    // a second opening
    before = state();
    r = await pm.post(`/api/v1/procurement_projects/${project.id}/open`, { shares: shares.slice(0, 2) });
    assert.equal(r.status, 409, m.show(r));
    assert.equal(r.body.key, 'procure.opening.done');
    assert.equal(state(), before);
    // the supplier now sees its own opened price
    const seen = await ok(await sup2.client.get(`/api/v1/bids/${bid2.id}`));
    assert.equal(seen.price_fen, 9800000);
});

test('a bid that opens to the wrong project or a bad price is recorded invalid with its reason', async () => {
    project = await newProject();
    const s = await ok(await pm.post(`/api/v1/procurement_projects/${project.id}/seal`, { k: 2, officials: officials.map((o) => o.user.id) }));
    await openForBids(project, 3600);
    const shares = [];
    for (const o of officials.slice(0, 2)) shares.push((await ok(await o.client.post(`/api/v1/bid_seals/${s.id}/take`, {}))).share);
    const b1 = await ok(await sup1.client.post(`/api/v1/procurement_projects/${project.id}/bids`, { cipher: seal64(envelope(supplier1, 500, { project_id: project.id + 1000 }), s.public_key) }), 201);
    const b2 = await ok(await sup2.client.post(`/api/v1/procurement_projects/${project.id}/bids`, { cipher: seal64(envelope(supplier2, -3), s.public_key) }), 201);
    sql(`UPDATE procurement_projects SET bid_deadline = ${Math.floor(Date.now() / 1000) - 1} WHERE id = ${project.id}`);
    const res = await ok(await pm.post(`/api/v1/procurement_projects/${project.id}/open`, { shares }));
    const byId = Object.fromEntries(res.items.map((b) => [b.id, b]));
    assert.equal(byId[b1.id].status, 'invalid');
    assert.match(byId[b1.id].invalid_reason, /another project/);
    assert.equal(byId[b2.id].status, 'invalid');
    assert.match(byId[b2.id].invalid_reason, /price/);
});

test('a supplier registers itself: pending with its own login, seen by itself only, bidding once approved', async () => {
    const anon = api(srv.url);
    const uname = `selfreg${m.uniq().replace(/[^a-z0-9]/gi, '')}`.slice(0, 40);
    const body = { name: `自助注册科技有限公司${m.uniq()}`, uscc: m.uscc(`9144030${String(Date.now()).slice(-10)}`), legal_rep: '赵六', phone: '13912345678', username: uname, password: 'Self-register-2026!' };
    let r = await anon.post('/api/v1/procure/register', { ...body, uscc: body.uscc.slice(0, 17) + (body.uscc[17] === '1' ? '2' : '1') }, { auth: false, csrf: false });
    assert.equal(r.status, 422, m.show(r));
    assert.ok(r.body.errors.some((e) => e.field === 'uscc'));
    assert.equal((await admin.all('users', { username: uname })).length, 0, 'no login left behind');
    r = await anon.post('/api/v1/procure/register', { ...body, password: 'short' }, { auth: false, csrf: false });
    assert.equal(r.status, 422, m.show(r));
    const offWorkers = async () => Number(/^bureau_hashed_off_workers_total (\d+)$/m
        .exec(await (await fetch(`${srv.url}/metrics`)).text())[1]);
    const off0 = await offWorkers();
    r = await anon.post('/api/v1/procure/register', body, { auth: false, csrf: false });
    assert.equal(r.status, 201, m.show(r));
    assert.equal(r.body.status, 'pending');
    assert.ok(await offWorkers() > off0, 'the registration hashed its password off the HTTP workers');
    const sid = r.body.id;
    r = await anon.post('/api/v1/procure/register', { ...body, uscc: m.uscc('91440300MA5G00002') }, { auth: false, csrf: false });
    assert.equal(r.status, 422, m.show(r));
    assert.equal(r.body.errors[0].key, 'field.unique');
    const c = await m.signInChanging(srv.url, { username: uname, password: body.password, newPassword: body.password + 'x' });
    const mine = await c.all('suppliers', {});
    assert.deepEqual(mine.map((s) => s.id), [sid]);
    assert.equal(mine[0].status, 'pending');
    const p = await newProject();
    const s = await ok(await pm.post(`/api/v1/procurement_projects/${p.id}/seal`, { k: 2, officials: officials.slice(0, 2).map((o) => o.user.id) }));
    await openForBids(p, 3600);
    const cipher = seal64({ v: 1, project_id: p.id, supplier_id: sid, price_fen: 100 }, s.public_key);
    r = await c.post(`/api/v1/procurement_projects/${p.id}/bids`, { cipher });
    assert.equal(r.status, 409, m.show(r));
    assert.equal(r.body.key, 'procure.supplier.not_approved');
    await ok(await pm.post(`/api/v1/suppliers/${sid}/approve`, {}));
    await ok(await c.post(`/api/v1/procurement_projects/${p.id}/bids`, { cipher }), 201);
});

// The demo against the lifecycle's demo projects: bids only on projects that
// take them (every method but self) and have opened their bidding; every such
// project past its bidding (or suspended after it) opened, with opened bids
// the committee's signed reports name as winners; the ones still bidding
// sealed, and their demo shares open them once the deadline passes.
test('the demo: bids on the projects that took bids, sealed ones open with their demo shares', async () => {
    const state = "CASE WHEN p.status = 'suspended' THEN p.suspended_from ELSE p.status END";
    const rows = sql(`SELECT p.id, p.method, ${state}, COALESCE(s.status, '-'), (SELECT COUNT(*) FROM bids b WHERE b.project_id = p.id), (SELECT COUNT(*) FROM bids b WHERE b.project_id = p.id AND b.status = 'opened' AND b.price_fen > 0), COALESCE(p.bid_deadline, 0) FROM procurement_projects p LEFT JOIN bid_seals s ON s.project_id = p.id WHERE p.tenant_id = 1 AND p.name NOT LIKE '密封投标测试%' ORDER BY p.id`).split('\n').map((l) => l.split('|'));
    const past = ['opening', 'evaluation', 'result_publicity', 'complaint_window', 'contract', 'performance', 'closed'];
    let opened = 0, sealed = [];
    for (const [id, method, st, seal, nb, nopen, dl] of rows) {
        const at = `project ${id} (${method}, ${st}, seal ${seal}, ${nb} bids)`;
        if (method === 'self') {
            assert.equal(Number(nb), 0, at);
            assert.equal(seal, '-', at);
        } else if (past.includes(st)) {
            assert.equal(seal, 'opened', at);
            assert.ok(Number(nb) >= 3 && Number(nopen) === Number(nb), at);
            opened++;
        } else if (st === 'bidding') {
            assert.equal(seal, 'sealed', at);
            assert.ok(Number(nb) >= 3 && Number(nopen) === 0 && Number(dl) > 0, at);
            sealed.push(Number(id));
        } else if (st === 'notice_published') {
            assert.equal(seal, 'sealed', at);
            assert.equal(Number(nb), 0, at);
        } else {
            assert.equal(Number(nb), 0, at);
        }
    }
    assert.ok(opened >= 10, `${opened} opened demo projects`);
    assert.ok(sealed.length >= 1, 'a demo project still bidding');
    // the committee's signed reports name opened bids of their own project, at their price
    const bad = sql("SELECT COUNT(*) FROM evaluation_reports r LEFT JOIN bids b ON b.id = r.winner_bid_id WHERE r.status = 'signed' AND (b.id IS NULL OR b.project_id <> r.project_id OR b.status <> 'opened' OR b.price_fen <> r.winner_price_fen)");
    assert.equal(bad, '0');
    // a sealed demo project opens with two of its demo shares once its deadline passes
    const pid = sealed[0];
    const sid = Number(sql(`SELECT id FROM bid_seals WHERE project_id = ${pid}`));
    const ds = await ok(await pm.get(`/api/v1/bid_seals/${sid}/demo_shares`));
    assert.equal(ds.k, 2);
    assert.equal(ds.shares.length, 3);
    let r = await pm.post(`/api/v1/procurement_projects/${pid}/open`, { shares: ds.shares.slice(1) });
    assert.equal(r.status, 409, m.show(r));
    assert.equal(r.body.key, 'procure.opening.too_early');
    sql(`UPDATE procurement_projects SET bid_deadline = ${Math.floor(Date.now() / 1000) - 1} WHERE id = ${pid}`);
    const nb = Number(sql(`SELECT COUNT(*) FROM bids WHERE project_id = ${pid} AND status = 'submitted'`));
    const res = await ok(await pm.post(`/api/v1/procurement_projects/${pid}/open`, { shares: ds.shares.slice(1) }));
    assert.equal(res.status, 'evaluation');
    assert.equal(res.bids, nb);
    const budget = Number(sql(`SELECT budget_fen FROM procurement_projects WHERE id = ${pid}`));
    for (const b of res.items) {
        assert.equal(b.status, 'opened', JSON.stringify(b));
        assert.ok(b.price_fen > budget * 0.7 && b.price_fen < budget, `${b.price_fen} against the budget ${budget}`);
    }
    // a real seal has no demo shares
    r = await pm.get(`/api/v1/bid_seals/${seal.id}/demo_shares`);
    assert.equal(r.status, 404, m.show(r));
});
