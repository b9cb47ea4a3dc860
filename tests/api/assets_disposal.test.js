// SPDX-License-Identifier: MIT
// assets_disposal.test.js - disposals 处置 of fixed assets on the demo
// district: a batch's totals snapshotted (original and net book value,
// computed here independently), submit → the assets await disposal, approval
// not by the submitter, the value bands of the tenant's settings at their
// boundaries (hand-computed: 5万元 and 20万元 by default, then the tenant's
// own), the finance approval number above what the bureau approves itself,
// approval disposing of the assets that day (status, disposed_on, out of the
// register's live totals), reject and cancel restoring each asset's status
// before, and every refusal with its key and figures and nothing changed
// (records and the audit log): twice-disposed, one's own approval, an
// unknown type, missing recipient, appraisal and approval refs; who may do
// what; a second tenant sees nothing.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, api, problem } = require('./lib/server');
const m = require('./lib/matrix');

const PW = 'Bureau-demo-2026';
let srv, admin, am, leader, liaison, staff, auditor;
let cls, cat, dept, offsetMin = 480;
const sql = (text) => m.sqlShell(srv, text).trim();
const audits = () => Number(sql('SELECT COUNT(*) FROM audit_entries'));
const today = () => new Date(Date.now() + offsetMin * 60000).toISOString().slice(0, 10);

// straight-line monthly depreciation, written again from the standard
// (政府会计准则第3号: from the month acquired, no salvage value, k/n of the
// value rounded half up)
function netValue(orig, acquired, years, asof) {
    if (!years) return orig;
    const mon = (d) => Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7)) - 1;
    const n = years * 12;
    const k = Math.min(n, Math.max(0, mon(asof) - mon(acquired) + 1));
    const acc = k >= n ? orig : Math.floor((orig * k * 2 + n) / (2 * n));
    return orig - acc;
}

let seq = 0;
async function asset(over = {}) {
    const r = await admin.post('/api/v1/assets', {
        name: `处置测试资产${++seq}-${m.uniq()}`, class_id: cls, category_id: cat, original_value_fen: 480000,
        acquired_on: '2020-03-10', department_id: dept, status: 'in_use', ...over,
    });
    assert.equal(r.status, 201, r.text);
    return r.body;
}

async function batch(client, body, status = 201) {
    const r = await client.post('/api/v1/asset_disposals', { type: 'scrap', reason: '超过使用年限，无法修复', ...body });
    assert.equal(r.status, status, r.text);
    return r.body;
}

const get = async (id) => (await admin.get(`/api/v1/assets/${id}`)).body;
const state = async (ids) => Promise.all(ids.map(async (id) => {
    const a = await get(id);
    return [a.status, a.disposed_on, a.version];
}));

before(async () => {
    srv = await startServer({ demo: true });
    admin = api(srv.url);
    am = api(srv.url, { username: 'assets_manager', password: PW });
    leader = api(srv.url, { username: 'leader', password: PW });
    liaison = api(srv.url, { username: 'liaison', password: PW });
    staff = api(srv.url, { username: 'staff', password: PW });
    auditor = api(srv.url, { username: 'auditor', password: PW });
    for (const c of [am, leader, liaison, staff, auditor]) await c.login();
    offsetMin = (await admin.get('/api/v1/tenants/1')).body.utc_offset_min;
    cls = (await admin.all('asset_classes', { code: 'A0201' }))[0].id;
    const cats = await admin.all('asset_categories');
    cat = cats.find((c) => c.name === '计算机设备').id;
    assert.equal(cats.find((c) => c.id === cat).years, 6);
    const lu = (await admin.get('/api/v1/users?username=liaison')).body.items[0];
    dept = (await admin.get(`/api/v1/people/${lu.person_id}`)).body.department_id;
    assert.ok(dept);
});

after(async () => {
    if (srv) await srv.stop();
});

test('a scrap batch: totals snapshotted, submitted, approved by another: the assets are disposed of that day', async () => {
    const a = await asset({ original_value_fen: 480000, acquired_on: '2020-03-10' });
    const b = await asset({ original_value_fen: 725033, acquired_on: '2023-11-30', status: 'idle' });
    const d = await batch(am, { asset_ids: [a.id, b.id] });
    const t = today();
    const netA = netValue(480000, '2020-03-10', 6, t), netB = netValue(725033, '2023-11-30', 6, t);
    assert.equal(d.status, 'draft');
    assert.equal(d.item_count, 2);
    assert.equal(d.original_total_fen, 1205033);
    assert.equal(d.net_total_fen, netA + netB);
    assert.equal(d.department_id, dept, 'the first asset\'s department');
    assert.equal(d.band, 'manager', '12,050.33 yuan is below 50,000');
    const items = (await am.get(`/api/v1/asset_disposal_items?disposal_id=${d.id}&sort=id`)).body.items;
    assert.deepEqual(items.map((x) => [x.asset_id, x.original_value_fen, x.net_value_fen, x.status_before]),
        [[a.id, 480000, netA, 'in_use'], [b.id, 725033, netB, 'idle']]);
    // a draft leaves the assets as they are
    assert.deepEqual((await state([a.id, b.id])).map((s) => s[0]), ['in_use', 'idle']);

    let r = await am.post(`/api/v1/asset_disposals/${d.id}/submit`, {});
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.status, 'submitted');
    assert.equal(r.body.submitted_by, am.session.user.id);
    assert.deepEqual((await state([a.id, b.id])).map((s) => s[0]), ['awaiting_disposal', 'awaiting_disposal']);
    // the approvers are told
    const told = Number(sql(`SELECT COUNT(*) FROM notifications WHERE kind = 'assets.submit' AND record_id = ${d.id} AND user_id = ${leader.session.user.id}`));
    assert.equal(told, 1, 'the leader is told of the submitted batch');

    // not by the submitter
    const n0 = audits();
    r = await am.post(`/api/v1/asset_disposals/${d.id}/approve`, {});
    problem(assert, r, 409, 'BUR-408');
    assert.equal(r.body.key, 'wf.own');
    assert.equal(audits(), n0, 'nothing written');

    r = await leader.post(`/api/v1/asset_disposals/${d.id}/approve`, { note: '同意报废' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.status, 'approved');
    assert.equal(r.body.disposed_on, t);
    assert.equal(r.body.decided_by, leader.session.user.id);
    for (const s of await state([a.id, b.id])) assert.deepEqual(s.slice(0, 2), ['disposed', t]);
    // out of the register's live totals: the department's assets not disposed of
    const live = await admin.all('assets', { department_id: dept, 'status[ne]': 'disposed' });
    assert.ok(!live.some((x) => x.id === a.id || x.id === b.id), 'disposed assets leave the live register');
    const sum = live.reduce((s, x) => s + x.original_value_fen, 0);
    const all = await admin.all('assets', { department_id: dept });
    assert.equal(all.reduce((s, x) => s + x.original_value_fen, 0) - sum,
        all.filter((x) => x.status === 'disposed').reduce((s, x) => s + x.original_value_fen, 0));
    // approved is final
    r = await leader.post(`/api/v1/asset_disposals/${d.id}/reject`, { reason: '改主意' });
    problem(assert, r, 409, 'BUR-408');
    assert.equal(r.body.key, 'wf.out_of_order');
    r = await am.post(`/api/v1/asset_disposals/${d.id}/cancel`, {});
    assert.equal(r.body.key, 'wf.out_of_order');
    // a disposed asset's record is closed to edits, and it cannot be disposed of again
    r = await am.patch(`/api/v1/assets/${a.id}`, { note: '再改' });
    problem(assert, r, 409, 'BUR-408');
    assert.equal(r.body.key, 'assets.asset.disposed');
    const nd = Number(sql('SELECT COUNT(*) FROM asset_disposals')), na = audits();
    r = await am.post('/api/v1/asset_disposals', { type: 'scrap', reason: '再次报废', asset_ids: [a.id] });
    problem(assert, r, 409, 'BUR-408');
    assert.equal(r.body.key, 'assets.disposal.disposed');
    assert.equal(r.body.params.code, a.code);
    assert.equal(r.body.params.disposed_on, t);
    assert.equal(Number(sql('SELECT COUNT(*) FROM asset_disposals')), nd);
    assert.equal(audits(), na);
    // the batch's timeline names the steps
    const hist = (await am.get(`/api/v1/asset_disposals/${d.id}/history`)).body;
    assert.ok(JSON.stringify(hist).includes('approved'), 'audited');
});

test('an asset in one open disposal only: a second batch is refused with the asset and the other batch; nothing changed', async () => {
    const a = await asset(), b = await asset();
    const first = await batch(am, { asset_ids: [a.id] });
    const before = await state([a.id, b.id]);
    const nd = Number(sql('SELECT COUNT(*) FROM asset_disposals')), ni = Number(sql('SELECT COUNT(*) FROM asset_disposal_items')), na = audits();
    let r = await am.post('/api/v1/asset_disposals', { type: 'scrap', reason: '重复', asset_ids: [b.id, a.id] });
    problem(assert, r, 409, 'BUR-408');
    assert.equal(r.body.key, 'assets.disposal.already');
    assert.equal(r.body.params.code, a.code);
    assert.equal(Number(r.body.params.disposal), first.id);
    // the same asset twice in one batch
    r = await am.post('/api/v1/asset_disposals', { type: 'scrap', reason: '重复', asset_ids: [b.id, b.id] });
    problem(assert, r, 422, 'BUR-201', ['asset_ids']);
    // an unknown asset
    r = await am.post('/api/v1/asset_disposals', { type: 'scrap', reason: '不存在', asset_ids: [99999999] });
    problem(assert, r, 422, 'BUR-201', ['asset_ids']);
    assert.equal(Number(sql('SELECT COUNT(*) FROM asset_disposals')), nd);
    assert.equal(Number(sql('SELECT COUNT(*) FROM asset_disposal_items')), ni);
    assert.equal(audits(), na);
    assert.deepEqual(await state([a.id, b.id]), before);
    // once the first is cancelled, the asset may go into another
    r = await am.post(`/api/v1/asset_disposals/${first.id}/cancel`, { reason: '改为调剂' });
    assert.equal(r.status, 200, r.text);
    await batch(am, { asset_ids: [a.id] });
});

test('eight batches of one asset at once: exactly one is made', async () => {
    const a = await asset();
    const rs = await Promise.all(Array.from({ length: 8 }, () => am.post('/api/v1/asset_disposals', { type: 'scrap', reason: '并发', asset_ids: [a.id] })));
    assert.deepEqual(rs.map((r) => r.status).sort(), [201, 409, 409, 409, 409, 409, 409, 409], rs.map((r) => r.text).join('\n'));
    assert.ok(rs.filter((r) => r.status === 409).every((r) => r.body.key === 'assets.disposal.already'));
    assert.equal(Number(sql(`SELECT COUNT(*) FROM asset_disposal_items WHERE asset_id = ${a.id}`)), 1);
});

test('refused input: unknown type, a recipient, an appraisal for sales and exchanges; nothing changed', async () => {
    const a = await asset();
    const nd = Number(sql('SELECT COUNT(*) FROM asset_disposals')), na = audits();
    let r = await am.post('/api/v1/asset_disposals', { type: 'sell_off', reason: '未知方式', asset_ids: [a.id] });
    problem(assert, r, 422, 'BUR-201', ['type']);
    const item = r.body.errors.find((e) => e.field === 'type');
    assert.equal(item.key, 'field.enum');
    r = await am.post('/api/v1/asset_disposals', { type: 'sale', reason: '公开转让', asset_ids: [a.id], recipient: '某回收公司' });
    problem(assert, r, 422, 'BUR-201', ['appraisal_ref']);
    assert.equal(r.body.errors.find((e) => e.field === 'appraisal_ref').key, 'assets.disposal.appraisal_required');
    r = await am.post('/api/v1/asset_disposals', { type: 'exchange', reason: '置换', asset_ids: [a.id] });
    problem(assert, r, 422, 'BUR-201', ['recipient', 'appraisal_ref']);
    r = await am.post('/api/v1/asset_disposals', { type: 'donation', reason: '对口帮扶', asset_ids: [a.id] });
    problem(assert, r, 422, 'BUR-201', ['recipient']);
    assert.equal(r.body.errors.find((e) => e.field === 'recipient').key, 'assets.disposal.recipient_required');
    r = await am.post('/api/v1/asset_disposals', { type: 'scrap', asset_ids: [a.id] });
    problem(assert, r, 422, 'BUR-201', ['reason']);
    r = await am.post('/api/v1/asset_disposals', { type: 'scrap', reason: '无资产', asset_ids: [] });
    problem(assert, r, 422, 'BUR-201', ['asset_ids']);
    r = await am.post('/api/v1/asset_disposals', { type: 'scrap', reason: '只读', asset_ids: [a.id], status: 'approved' });
    problem(assert, r, 422, 'BUR-201', ['status']);
    assert.equal(Number(sql('SELECT COUNT(*) FROM asset_disposals')), nd);
    assert.equal(audits(), na);
    assert.equal((await get(a.id)).status, 'in_use');
    // with them: accepted
    const d = await batch(am, { type: 'sale', asset_ids: [a.id], recipient: '深圳市某再生资源公司', appraisal_ref: '深评报字〔2026〕第018号' });
    assert.equal(d.type, 'sale');
    // a draft may be edited, but not its assets; a submitted one not at all
    r = await am.patch(`/api/v1/asset_disposals/${d.id}`, { reason: '公开挂牌转让' });
    assert.equal(r.status, 200, r.text);
    r = await am.patch(`/api/v1/asset_disposals/${d.id}`, { asset_ids: [a.id, 1] });
    problem(assert, r, 422, 'BUR-201', ['asset_ids']);
    r = await am.patch(`/api/v1/asset_disposals/${d.id}`, { appraisal_ref: null });
    problem(assert, r, 422, 'BUR-201', ['appraisal_ref']);
    assert.equal((await am.post(`/api/v1/asset_disposals/${d.id}/submit`, {})).status, 200);
    r = await am.patch(`/api/v1/asset_disposals/${d.id}`, { reason: '再改' });
    problem(assert, r, 409, 'BUR-408');
    assert.equal(r.body.key, 'assets.disposal.not_draft');
});

// Submits a batch of one asset of value fen as the assets manager.
async function submitted(fen) {
    const a = await asset({ original_value_fen: fen });
    const d = await batch(am, { asset_ids: [a.id] });
    const r = await am.post(`/api/v1/asset_disposals/${d.id}/submit`, {});
    assert.equal(r.status, 200, r.text);
    return { a, d: r.body };
}

test('value bands at their boundaries (defaults 50,000.00 and 200,000.00 yuan)', async () => {
    // 49,999.99 yuan: the assets manager's band, approved by another manager or a leader
    let { a, d } = await submitted(4999999);
    assert.equal(d.band, 'manager');
    let r = await admin.post(`/api/v1/asset_disposals/${d.id}/approve`, {});
    assert.equal(r.status, 200, r.text);
    assert.equal((await get(a.id)).status, 'disposed');

    // exactly 50,000.00: a leader's; the assets manager (not the submitter) is refused with the figures
    ({ a, d } = await submitted(5000000));
    assert.equal(d.band, 'leader');
    const na = audits();
    r = await admin.post(`/api/v1/asset_disposals/${d.id}/approve`, {});
    problem(assert, r, 403, 'BUR-302');
    assert.equal(r.body.key, 'assets.disposal.leader_required');
    assert.equal(r.body.params.total, '50000.00');
    assert.equal(r.body.params.threshold, '50000.00');
    assert.equal(audits(), na, 'nothing written');
    assert.equal((await get(a.id)).status, 'awaiting_disposal');
    r = await leader.post(`/api/v1/asset_disposals/${d.id}/approve`, {});
    assert.equal(r.status, 200, r.text);

    // exactly 200,000.00: still the bureau's own (a leader, no finance number)
    ({ a, d } = await submitted(20000000));
    assert.equal(d.band, 'leader');
    r = await leader.post(`/api/v1/asset_disposals/${d.id}/approve`, {});
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.approval_doc, null);

    // 200,000.01: the finance department's approval number is required
    ({ a, d } = await submitted(20000001));
    assert.equal(d.band, 'finance');
    r = await leader.post(`/api/v1/asset_disposals/${d.id}/approve`, {});
    problem(assert, r, 422, 'BUR-201', ['approval_doc']);
    const it = r.body.errors.find((e) => e.field === 'approval_doc');
    assert.equal(it.key, 'assets.disposal.approval_doc_required');
    assert.equal(it.params.total, '200000.01');
    assert.equal(it.params.max, '200000.00');
    assert.equal((await get(a.id)).status, 'awaiting_disposal');
    r = await leader.post(`/api/v1/asset_disposals/${d.id}/approve`, { approval_doc: '深财资〔2026〕31号' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.approval_doc, '深财资〔2026〕31号');
    assert.equal((await get(a.id)).status, 'disposed');
});

test('the tenant\'s own thresholds apply: 1,000.00 and 3,000.00 yuan', async () => {
    for (const [name, value] of [['disposal_leader_from_fen', 100000], ['disposal_self_max_fen', 300000]]) {
        const r = await admin.post('/api/v1/asset_settings', { name, value });
        assert.equal(r.status, 201, r.text);
    }
    try {
        let { d } = await submitted(99999);
        assert.equal(d.band, 'manager');
        ({ d } = await submitted(100000));
        assert.equal(d.band, 'leader');
        let r = await admin.post(`/api/v1/asset_disposals/${d.id}/approve`, {});
        assert.equal(r.body.key, 'assets.disposal.leader_required');
        assert.equal(r.body.params.threshold, '1000.00');
        // two assets, 1,500.00 + 1,500.01 = 3,000.01 > 3,000.00: the batch's total decides
        const a = await asset({ original_value_fen: 150000 }), b = await asset({ original_value_fen: 150001 });
        const two = await batch(am, { asset_ids: [a.id, b.id], approval_doc: '深财资〔2026〕40号' });
        assert.equal(two.original_total_fen, 300001);
        assert.equal(two.band, 'finance');
        assert.equal((await am.post(`/api/v1/asset_disposals/${two.id}/submit`, {})).status, 200);
        r = await leader.post(`/api/v1/asset_disposals/${two.id}/approve`, {});
        assert.equal(r.status, 200, 'the number given with the batch is enough: ' + r.text);
    } finally {
        for (const [name, value] of [['disposal_leader_from_fen', 5000000], ['disposal_self_max_fen', 20000000]])
            await admin.post('/api/v1/asset_settings', { name, value });
    }
});

test('reject and cancel put each asset back to its status before', async () => {
    const a = await asset({ status: 'in_use' }), b = await asset({ status: 'repair' }), c = await asset({ status: 'idle' });
    const d = await batch(am, { asset_ids: [a.id, b.id, c.id] });
    assert.equal((await am.post(`/api/v1/asset_disposals/${d.id}/submit`, {})).status, 200);
    let r = await leader.post(`/api/v1/asset_disposals/${d.id}/reject`, {});
    problem(assert, r, 422, 'BUR-201', ['reason']);
    r = await leader.post(`/api/v1/asset_disposals/${d.id}/reject`, { reason: '尚可修复使用' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.decision_note, '尚可修复使用');
    assert.deepEqual((await state([a.id, b.id, c.id])).map((s) => s[0]), ['in_use', 'repair', 'idle']);
    assert.equal(Number(sql(`SELECT COUNT(*) FROM notifications WHERE kind = 'assets.reject' AND record_id = ${d.id}`)), 1, 'the submitter is told');

    const e = await batch(am, { asset_ids: [a.id, c.id] });
    assert.equal((await am.post(`/api/v1/asset_disposals/${e.id}/submit`, {})).status, 200);
    r = await am.post(`/api/v1/asset_disposals/${e.id}/cancel`, {});
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.status, 'cancelled');
    assert.deepEqual((await state([a.id, c.id])).map((s) => s[0]), ['in_use', 'idle']);
    // an edit may not set a disposal's statuses on an asset
    r = await am.patch(`/api/v1/assets/${a.id}`, { status: 'disposed' });
    assert.equal(r.body.key, 'assets.asset.status_by_action');
});

test('who may: a liaison asks for its own department\'s disposals but does not decide; staff nothing; the auditor reads; a second tenant sees nothing', async () => {
    const a = await asset();
    // the liaison's department asks: a batch of its own assets, filed and submitted by the liaison
    let r = await liaison.post('/api/v1/asset_disposals', { type: 'scrap', reason: '联络员申请报废', asset_ids: [a.id] });
    assert.equal(r.status, 201, r.text);
    const asked = r.body;
    assert.equal(asked.department_id, dept);
    r = await liaison.post(`/api/v1/asset_disposals/${asked.id}/submit`, {});
    assert.equal(r.status, 200, r.text);
    assert.equal((await get(a.id)).status, 'awaiting_disposal');
    r = await liaison.get(`/api/v1/asset_disposal_items?disposal_id=${asked.id}`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.items.map((x) => x.asset_id), [a.id]);
    r = await liaison.post(`/api/v1/asset_disposals/${asked.id}/approve`, {});
    problem(assert, r, 403, 'BUR-302');
    r = await am.post(`/api/v1/asset_disposals/${asked.id}/approve`, {});
    assert.equal(r.status, 200, r.text);
    assert.equal((await get(a.id)).status, 'disposed');
    // another department's asset is as unknown to the liaison as one that does not exist
    // (the liaison's department's parent, or another top department: never in its subtree)
    const all = await admin.all('departments');
    const mine = all.find((x) => x.id === dept);
    const other = mine.parent_id ? all.find((x) => x.id === mine.parent_id) : all.find((x) => !x.parent_id && x.id !== dept);
    const b = await asset({ department_id: other.id });
    const n0 = audits();
    r = await liaison.post('/api/v1/asset_disposals', { type: 'scrap', reason: '别的单位的', asset_ids: [b.id] });
    problem(assert, r, 422, 'BUR-201', ['asset_ids']);
    assert.equal(r.body.errors[0].key, 'assets.disposal.asset_unknown');
    r = await liaison.post('/api/v1/asset_disposals', { type: 'scrap', reason: '别的单位的', asset_ids: [b.id], department_id: other.id });
    assert.ok([403, 422].includes(r.status), r.text);
    assert.equal(audits(), n0);
    assert.equal((await get(b.id)).status, 'in_use');
    r = await staff.get('/api/v1/asset_disposals');
    problem(assert, r, 403, 'BUR-302');
    const { d } = await submitted(10000);
    r = await liaison.post(`/api/v1/asset_disposals/${d.id}/approve`, {});
    problem(assert, r, 403, 'BUR-302');
    r = await auditor.post(`/api/v1/asset_disposals/${d.id}/approve`, {});
    problem(assert, r, 403, 'BUR-302');
    assert.equal((await auditor.get(`/api/v1/asset_disposals/${d.id}`)).status, 200);
    assert.equal((await leader.get(`/api/v1/asset_disposals/${d.id}`)).status, 200);
    r = await admin.post('/api/v1/asset_disposal_items', { disposal_id: d.id, asset_id: a.id, original_value_fen: 1, net_value_fen: 1 });
    assert.ok([403, 405].includes(r.status), `items are the server's: ${r.status}`);

    // a second tenant
    const code = `t${m.uniq()}`.slice(0, 16);
    const t = await admin.post('/api/v1/tenants', { name: '另一区机关事务管理局', code });
    assert.equal(t.status, 201, t.text);
    await new Promise((res) => setTimeout(res, 200));
    const pm = /admin password: (\S+)/.exec(srv.stderr.slice(-4000));
    const a2 = await m.signInChanging(srv.url, { username: 'admin', password: pm ? pm[1] : '', newPassword: 'Second-tenant-2026-pw', tenant: code });
    r = await a2.get('/api/v1/asset_disposals');
    assert.equal(r.status, 200);
    assert.equal(r.body.items.length, 0);
    r = await a2.get(`/api/v1/asset_disposals/${d.id}`);
    assert.equal(r.status, 404);
    r = await a2.post(`/api/v1/asset_disposals/${d.id}/approve`, {});
    assert.equal(r.status, 404);
    r = await a2.post('/api/v1/asset_disposals', { type: 'scrap', reason: '跨租户', asset_ids: [b.id] });
    problem(assert, r, 422, 'BUR-201', ['asset_ids']);
    assert.equal((await get(b.id)).status, 'in_use');
});

test('a loss write-off of a stocktake: its missing items (盘亏) become the batch; not before it is finished', async () => {
    const d = await admin.post('/api/v1/departments', { name: `盘亏核销科${m.uniq()}`, code: `PK${m.uniq()}`.slice(0, 16), kind: 'party' });
    assert.equal(d.status, 201, d.text);
    const a = [];
    for (const v of [123456, 200000, 99999]) a.push(await asset({ department_id: d.body.id, original_value_fen: v, acquired_on: '2021-07-15' }));
    let r = await admin.post('/api/v1/stocktakes', { name: `盘点${m.uniq()}`, department_id: d.body.id });
    assert.equal(r.status, 201, r.text);
    const st = r.body;
    r = await admin.post(`/api/v1/stocktakes/${st.id}/start`, {});
    assert.equal(r.status, 200, r.text);
    // in progress: no write-off yet, nothing made
    const before = audits();
    r = await admin.post('/api/v1/asset_disposals', { type: 'write_off', reason: '盘亏核销', stocktake_id: st.id });
    problem(assert, r, 409, 'BUR-408');
    assert.equal(r.body.key, 'assets.stocktake.not_finished');
    assert.equal(audits(), before);
    r = await admin.post(`/api/v1/stocktakes/${st.id}/scan`, { code: a[1].code });
    assert.equal(r.status, 200, r.text);
    r = await admin.post(`/api/v1/stocktakes/${st.id}/finish`, {});
    assert.equal(r.status, 200, r.text);
    // the two not found are the batch, valued as the books have them today
    const b = await batch(admin, { type: 'write_off', reason: '盘亏核销', stocktake_id: st.id });
    assert.deepEqual([...b.asset_ids].sort((x, y) => x - y), [a[0].id, a[2].id].sort((x, y) => x - y));
    assert.equal(b.item_count, 2);
    assert.equal(b.original_total_fen, 123456 + 99999);
    const cat6 = await admin.get(`/api/v1/assets/${a[0].id}`);
    const years = cat6.body.useful_years;
    assert.equal(b.net_total_fen, netValue(123456, '2021-07-15', years, today()) + netValue(99999, '2021-07-15', years, today()));
    assert.equal(b.stocktake_id, st.id);
});
