// SPDX-License-Identifier: MIT
// assets_pool.test.js - the public property pool 公物仓 and transfers 调拨 on
// the demo district: a department's liaison hands an idle asset in with its
// condition and a photo; the pool's gallery shows it (photo, condition, net
// book value, the purchase it saves) to whoever may browse the pool, with its
// search and filters; another department asks for it, the assets manager
// approves, and custody and books move in one step with a transfer row (the
// asset's history); loans are lent and returned, at most 90 days, reminded
// ahead and when overdue once each by the daily job; the flag before
// procurement; the demo pool; every refusal with its key and nothing changed;
// who may do what, and a second tenant sees nothing.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, api, problem } = require('./lib/server');
const m = require('./lib/matrix');

const PW = 'Bureau-demo-2026';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let srv, admin, am, leader, liaison, staff;
let cls, sub, cat, ldept, other, offsetMin = 480;
const sql = (text) => m.sqlShell(srv, text).trim();
const audits = () => Number(sql('SELECT COUNT(*) FROM audit_entries'));
const day = (d = 0) => new Date(Date.now() + offsetMin * 60000 + d * 86400000).toISOString().slice(0, 10);

async function waitFor(what, fn, timeoutMs = 20000) {
    const t0 = Date.now();
    for (;;) {
        const v = await fn();
        if (v) return v;
        if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
        await sleep(100);
    }
}

async function runJob(name) {
    const last = Number(sql(`SELECT COALESCE(MAX(id), 0) FROM bureau_job_runs WHERE name = '${name}'`));
    await waitFor(`a new run of ${name}`, () => {
        const done = sql(`SELECT status FROM bureau_job_runs WHERE name = '${name}' AND id > ${last} AND finished_at IS NOT NULL`);
        if (done) {
            assert.equal(done.split('\n')[0], 'ok', `${name} failed`);
            return true;
        }
        sql(`UPDATE bureau_jobs SET next_run_at = 0 WHERE name = '${name}'`);
        return false;
    });
}

function jpeg(n = 3000, seed = 7) {
    const b = Buffer.alloc(n, seed);
    Buffer.from([0xff, 0xd8, 0xff, 0xe0]).copy(b);
    return b;
}

let seq = 0;
async function asset(over = {}) {
    const r = await admin.post('/api/v1/assets', {
        name: `公物仓测试椅${++seq}-${m.uniq()}`, class_id: sub, category_id: cat, original_value_fen: 128000,
        acquired_on: '2022-06-01', department_id: other, status: 'idle', ...over,
    });
    assert.equal(r.status, 201, r.text);
    return r.body;
}

async function pooled(over = {}, condition = 'good') {
    const a = await asset(over);
    const r = await am.post(`/api/v1/assets/${a.id}/hand_in`, { condition, note: '九成新' });
    assert.equal(r.status, 200, r.text);
    return r.body;
}

async function ask(client, body, status = 201) {
    const r = await client.post('/api/v1/pool_requests', { kind: 'reuse', department_id: ldept, purpose: '新进人员办公使用', ...body });
    assert.equal(r.status, status, r.text);
    return r.body;
}

const get = async (id) => (await admin.get(`/api/v1/assets/${id}`)).body;

before(async () => {
    srv = await startServer({ demo: true, args: ['--jobs-interval', '1'] });
    admin = api(srv.url);
    am = api(srv.url, { username: 'assets_manager', password: PW });
    leader = api(srv.url, { username: 'leader', password: PW });
    liaison = api(srv.url, { username: 'liaison', password: PW });
    staff = api(srv.url, { username: 'staff', password: PW });
    for (const c of [am, leader, liaison, staff]) await c.login();
    offsetMin = (await admin.get('/api/v1/tenants/1')).body.utc_offset_min;
    cls = (await admin.all('asset_classes', { code: 'A05' }))[0].id;
    sub = (await admin.all('asset_classes', { code: 'A0501' }))[0].id;
    cat = (await admin.all('asset_categories')).find((c) => c.name === '家具').id;
    const lu = (await admin.get('/api/v1/users?username=liaison')).body.items[0];
    ldept = (await admin.get(`/api/v1/people/${lu.person_id}`)).body.department_id;
    other = (await admin.all('departments')).find((d) => d.id !== ldept && d.parent_id !== ldept && d.id !== 1).id;
});

after(async () => {
    if (srv) await srv.stop();
});

test('the demo pool: items handed in with conditions, reuses this year with their savings, pending requests, loans (one overdue), disposals', async () => {
    const items = await admin.all('pool_items', { status: 'in_pool' });
    assert.ok(items.length >= 250, `about 300 items in the pool, got ${items.length}`);
    assert.ok(new Set(items.map((x) => x.condition)).size >= 3, 'several conditions');
    const reqs = await admin.all('pool_requests');
    const reused = reqs.filter((x) => x.kind === 'reuse' && x.status === 'approved');
    assert.ok(reused.length >= 10, `a dozen reuses, got ${reused.length}`);
    assert.ok(reused.every((x) => x.saves_fen > 0));
    assert.ok(reqs.some((x) => x.status === 'pending'));
    const loans = reqs.filter((x) => x.kind === 'loan' && x.status === 'approved');
    assert.equal(loans.length, 3);
    assert.equal(loans.filter((x) => x.loan_until < day()).length, 1, 'one overdue');
    const disp = await admin.all('asset_disposals');
    assert.ok(disp.filter((x) => x.status === 'approved').length >= 2);
    assert.ok(disp.some((x) => x.status === 'approved' && x.type === 'donation'));
    assert.equal(disp.filter((x) => x.status === 'submitted').length, 1);
    assert.equal(disp.filter((x) => x.status === 'draft').length, 1);
    // consistent: every reused asset has its transfer, every lent asset its loan
    const tr = await admin.all('asset_transfers', { kind: 'reuse' });
    for (const r of reused) assert.ok(tr.some((t) => t.pool_request_id === r.id), `transfer of request ${r.id}`);
    for (const l of loans) assert.equal((await get(l.asset_id)).status, 'lent');
    // the dashboard's figures, counted again from the lists
    const year = day().slice(0, 4);
    const local = (iso) => new Date(Date.parse(iso) + offsetMin * 60000).toISOString().slice(0, 4);
    const thisYear = reused.filter((x) => local(x.decided_at) === year);
    const pooledNow = (await admin.all('assets', { status: 'pooled' })).map((x) => x.id);
    const sum = (await liaison.get('/api/v1/pool/summary')).body;
    assert.deepEqual(sum, {
        reused_value_year_fen: thisYear.reduce((t, x) => t + x.saves_fen, 0),
        reused_year: thisYear.length,
        pool_items: items.filter((x) => pooledNow.includes(x.asset_id)).length,
        loans_out: 3,
        loans_overdue: 1,
        disposals_awaiting: 1,
    });
    assert.ok(sum.reused_year >= 10);
    problem(assert, await staff.get('/api/v1/pool/summary'), 403, 'BUR-302');
    for (const d of disp.filter((x) => x.status === 'approved')) {
        const its = await admin.all('asset_disposal_items', { disposal_id: d.id });
        for (const it of its) assert.equal((await get(it.asset_id)).status, 'disposed');
    }
});

test('hand in with a photo; the gallery shows it with condition, net value and savings, to the liaison but not to staff', async () => {
    const a = await asset({ department_id: ldept, original_value_fen: 356000, acquired_on: '2021-01-05', name: `人体工学椅-${m.uniq()}` });
    const photo = await liaison.post('/api/v1/files/upload?name=chair.jpg', jpeg(), { contentType: 'image/jpeg' });
    assert.equal(photo.status, 201, photo.text);
    // an asset in use may be handed in; one under repair may not (it goes back in use first)
    const rep = await asset({ department_id: ldept, status: 'repair' });
    let r = await liaison.post(`/api/v1/assets/${rep.id}/hand_in`, { condition: 'fair' });
    problem(assert, r, 409, 'BUR-408');
    assert.equal(r.body.key, 'wf.out_of_order');
    r = await liaison.post(`/api/v1/assets/${a.id}/hand_in`, { note: '无' });
    problem(assert, r, 422, 'BUR-201', ['condition']);
    r = await liaison.post(`/api/v1/assets/${a.id}/hand_in`, { condition: 'fair', note: '扶手轻微磨损', photo: photo.body.id });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.status, 'pooled');
    assert.equal(r.body.condition, 'fair');
    // another department's asset is not the liaison's to hand in
    const theirs = await asset();
    r = await liaison.post(`/api/v1/assets/${theirs.id}/hand_in`, { condition: 'good' });
    assert.equal(r.status, 404, r.text);

    r = await liaison.get(`/api/v1/pool?q=${encodeURIComponent(a.name)}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.items.length, 1);
    const it = r.body.items[0];
    assert.equal(it.asset_id, a.id);
    assert.equal(it.condition, 'fair');
    assert.deepEqual(it.photos, [photo.body.id]);
    assert.equal(it.original_value_fen, 356000);
    // 家具: 15 years; from 2021-01 to this month inclusive, k/180 of the value
    const mon = (d) => Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7)) - 1;
    const k = mon(day()) - mon('2021-01-05') + 1;
    assert.equal(it.net_value_fen, 356000 - Math.floor((356000 * k * 2 + 180) / 360));
    assert.equal(it.department_id, ldept);
    assert.ok(it.department_name);
    assert.equal(it.status, 'pooled');
    // the photo is readable by whoever may browse the pool (another user than the uploader)
    r = await am.fetch(`/api/v1/files/${photo.body.id}/content`);
    assert.equal(r.status, 200);
    // staff do not browse the pool
    r = await staff.get('/api/v1/pool');
    problem(assert, r, 403, 'BUR-302');
    // filters: condition, class (with its sub-classes), category; bad ones refused
    const byCond = (await am.get(`/api/v1/pool?condition=fair&limit=100&q=${encodeURIComponent(a.name)}`)).body.items;
    assert.equal(byCond.length, 1);
    assert.equal((await am.get(`/api/v1/pool?condition=good&q=${encodeURIComponent(a.name)}`)).body.items.length, 0);
    assert.equal((await am.get(`/api/v1/pool?class_id=${cls}&q=${encodeURIComponent(a.name)}`)).body.items.length, 1, 'the top class finds its sub-class');
    assert.equal((await am.get(`/api/v1/pool?category_id=${cat}&q=${encodeURIComponent(a.name)}`)).body.items.length, 1);
    r = await am.get('/api/v1/pool?condition=shiny');
    problem(assert, r, 400, 'BUR-102');
    r = await am.get('/api/v1/pool?colour=red');
    problem(assert, r, 400, 'BUR-102');
    // codes found in either case, on both databases
    assert.equal((await am.get(`/api/v1/pool?q=${a.code.toLowerCase()}`)).body.items.length, 1);
    // the percent sign is searched for, not a wildcard
    assert.equal((await am.get('/api/v1/pool?q=%25')).body.items.length, 0);
    // paging: newest first, a cursor to the next page, no item twice
    const p1 = (await am.get('/api/v1/pool?limit=5')).body;
    assert.equal(p1.items.length, 5);
    const p2 = (await am.get(`/api/v1/pool?limit=5&cursor=${p1.next_cursor}`)).body;
    assert.ok(p2.items.every((x) => x.pool_item_id < p1.items[4].pool_item_id));
});

test('a reuse: the request shows the purchase it saves; approval moves custody and books in one step with its transfer row', async () => {
    const a = await pooled({ original_value_fen: 219900 });
    const people = await admin.all('people', { department_id: ldept });
    const n0 = audits();
    const q = await ask(liaison, { asset_id: a.id, custodian_id: people[0].id, saves_fen: 1 }, 422);
    assert.ok(q.errors.some((e) => e.field === 'saves_fen'), 'saves_fen is the server\'s');
    assert.equal(audits(), n0);
    const rq = await ask(liaison, { asset_id: a.id, custodian_id: people[0].id });
    assert.equal(rq.saves_fen, 219900);
    assert.equal(rq.asset_name, a.name, 'the item as asked for: the liaison cannot read the other department\'s register');
    assert.equal(rq.asset_code, a.code);
    const told = sql(`SELECT body FROM notifications WHERE kind = 'assets.pool_request' AND record_id = ${rq.id} AND user_id = ${am.session.user.id}`);
    assert.ok(told.includes(a.code) && told.includes('调剂使用'), `the assets manager is told: ${told}`);
    assert.equal((await liaison.get(`/api/v1/assets/${a.id}`)).status, 404);
    assert.equal(rq.status, 'pending');
    assert.equal(rq.requester_id, liaison.session.user.id);
    // a request for another department than the liaison's subtree is refused
    let r = await liaison.post('/api/v1/pool_requests', { asset_id: a.id, kind: 'reuse', department_id: other, purpose: 'x' });
    problem(assert, r, 403, 'BUR-302');
    // the liaison does not approve
    r = await liaison.post(`/api/v1/pool_requests/${rq.id}/approve`, {});
    problem(assert, r, 403, 'BUR-302');
    // nobody approves their own request
    const own = await ask(am, { asset_id: a.id });
    r = await am.post(`/api/v1/pool_requests/${own.id}/approve`, {});
    problem(assert, r, 409, 'BUR-408');
    assert.equal(r.body.key, 'wf.own');
    const before = await get(a.id);
    r = await am.post(`/api/v1/pool_requests/${rq.id}/approve`, { note: '同意调剂' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.status, 'approved');
    const after = await get(a.id);
    assert.equal(after.status, 'in_use');
    assert.equal(after.department_id, ldept);
    assert.equal(after.custodian_id, people[0].id);
    assert.equal(after.room_id, null);
    assert.equal(after.version, before.version + 1, 'one write of the asset');
    const tr = (await am.get(`/api/v1/asset_transfers?asset_id=${a.id}`)).body.items;
    assert.equal(tr.length, 1);
    assert.equal(tr[0].kind, 'reuse');
    assert.equal(tr[0].pool_request_id, rq.id);
    assert.equal(tr[0].from_department_id, other);
    assert.equal(tr[0].to_department_id, ldept);
    assert.equal(tr[0].by_id, am.session.user.id);
    // the liaison sees the history of the asset now in the department
    assert.equal((await liaison.get(`/api/v1/asset_transfers?asset_id=${a.id}`)).body.items.length, 1);
    // out of the pool; the other pending request cannot be approved any more
    assert.equal((await am.get(`/api/v1/pool?q=${encodeURIComponent(a.name)}`)).body.items.length, 0);
    assert.equal((await admin.all('pool_items', { asset_id: a.id }))[0].status, 'reused');
    r = await leader.post(`/api/v1/pool_requests/${own.id}/approve`, {});
    problem(assert, r, 409, 'BUR-408');
    assert.equal(r.body.key, 'assets.pool.taken');
    assert.equal(r.body.params.status, 'in_use');
    // asking for an asset not in the pool
    r = await liaison.post('/api/v1/pool_requests', { asset_id: a.id, kind: 'reuse', department_id: ldept, purpose: '再要' });
    problem(assert, r, 409, 'BUR-408');
    assert.equal(r.body.key, 'assets.pool.not_in_pool');
    assert.equal(Number(sql(`SELECT COUNT(*) FROM notifications WHERE kind = 'assets.approve' AND record_id = ${rq.id}`)), 1, 'the requester is told');
    // the requester cancels their own pending request; others do not
    const b = await pooled();
    const mine = await ask(liaison, { asset_id: b.id });
    r = await am.post(`/api/v1/pool_requests/${mine.id}/cancel`, {});
    problem(assert, r, 403, 'BUR-302');
    r = await liaison.post(`/api/v1/pool_requests/${mine.id}/cancel`, {});
    assert.equal(r.status, 200, r.text);
    assert.equal((await get(b.id)).status, 'pooled');
});

test('loans: a return date within 90 days, lent on approval, returned to the pool; a reuse is not returned', async () => {
    const a = await pooled({ name: `投影仪-${m.uniq()}` });
    const n0 = audits(), c0 = Number(sql('SELECT COUNT(*) FROM pool_requests'));
    let r = await liaison.post('/api/v1/pool_requests', { asset_id: a.id, kind: 'loan', department_id: ldept, purpose: '培训' });
    problem(assert, r, 422, 'BUR-201', ['loan_until']);
    assert.equal(r.body.errors[0].key, 'assets.pool.loan_until_required');
    r = await liaison.post('/api/v1/pool_requests', { asset_id: a.id, kind: 'loan', department_id: ldept, purpose: '培训', needed_from: day(1), loan_until: day(0) });
    assert.equal(r.body.errors[0].key, 'assets.pool.loan_before_start');
    // 90 days inclusive is the most
    r = await liaison.post('/api/v1/pool_requests', { asset_id: a.id, kind: 'loan', department_id: ldept, purpose: '培训', needed_from: day(0), loan_until: day(90) });
    assert.equal(r.body.errors[0].key, 'assets.pool.loan_too_long');
    assert.equal(r.body.errors[0].params.max, 90);
    assert.equal(audits(), n0);
    assert.equal(Number(sql('SELECT COUNT(*) FROM pool_requests')), c0);
    const ln = await ask(liaison, { asset_id: a.id, kind: 'loan', purpose: '年度培训班', needed_from: day(0), loan_until: day(89) });
    assert.equal(ln.saves_fen, null, 'a loan saves no purchase');
    r = await am.post(`/api/v1/pool_requests/${ln.id}/approve`, {});
    assert.equal(r.status, 200, r.text);
    assert.equal((await get(a.id)).status, 'lent');
    // shown as lent in the gallery, not among the available
    let g = (await am.get(`/api/v1/pool?q=${encodeURIComponent(a.name)}`)).body.items;
    assert.equal(g[0].status, 'lent');
    assert.equal((await am.get(`/api/v1/pool?available=1&q=${encodeURIComponent(a.name)}`)).body.items.length, 0);
    // a lent asset is not transferred or disposed of by hand
    r = await am.post('/api/v1/asset_transfers', { asset_id: a.id, to_department_id: ldept, reason: '直接调拨' });
    problem(assert, r, 409, 'BUR-408');
    assert.equal(r.body.key, 'assets.transfer.status');
    r = await am.post('/api/v1/asset_disposals', { type: 'scrap', reason: '报废', asset_ids: [a.id] });
    assert.equal(r.body.key, 'assets.disposal.lent');
    r = await am.post(`/api/v1/pool_requests/${ln.id}/return`, { note: '完好归还' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.status, 'returned');
    assert.equal((await get(a.id)).status, 'pooled');
    g = (await am.get(`/api/v1/pool?available=1&q=${encodeURIComponent(a.name)}`)).body.items;
    assert.equal(g.length, 1, 'back in the pool');
    const b = await pooled();
    const ru = await ask(liaison, { asset_id: b.id });
    assert.equal((await am.post(`/api/v1/pool_requests/${ru.id}/approve`, {})).status, 200);
    r = await am.post(`/api/v1/pool_requests/${ru.id}/return`, {});
    assert.equal(r.body.key, 'assets.pool.not_a_loan');
});

test('the loan reminders: ahead of the due date and once overdue, the borrower and the managers, once each', async () => {
    const soon = await pooled(), late = await pooled(), far = await pooled();
    const mk = async (a, from, until) => {
        const q = await ask(liaison, { asset_id: a.id, kind: 'loan', purpose: '活动借用', needed_from: day(from), loan_until: day(until) });
        const r = await am.post(`/api/v1/pool_requests/${q.id}/approve`, {});
        assert.equal(r.status, 200, r.text);
        return q;
    };
    const s = await mk(soon, 0, 3), l = await mk(late, -10, -1), f = await mk(far, 0, 4); // 3 days ahead by default
    const kinds = (id) => sql(`SELECT kind, user_id FROM notifications WHERE collection = 'pool_requests' AND record_id = ${id} AND kind LIKE 'assets.loan_%' ORDER BY id`);
    await runJob('assets.loan_reminders');
    const lu = liaison.session.user.id, mu = am.session.user.id;
    assert.deepEqual(kinds(s.id).split('\n').sort(), [`assets.loan_due|${lu}`, `assets.loan_due|${mu}`].sort());
    assert.deepEqual(kinds(l.id).split('\n').sort(), [`assets.loan_overdue|${lu}`, `assets.loan_overdue|${mu}`].sort());
    assert.equal(kinds(f.id), '', 'four days ahead: not yet');
    const rec = (await am.get(`/api/v1/pool_requests/${s.id}`)).body;
    assert.equal(rec.reminded_due, true);
    assert.equal(rec.reminded_overdue, false);
    const n = Number(sql("SELECT COUNT(*) FROM notifications WHERE kind LIKE 'assets.loan_%'"));
    await runJob('assets.loan_reminders');
    assert.equal(Number(sql("SELECT COUNT(*) FROM notifications WHERE kind LIKE 'assets.loan_%'")), n, 'once each');
    // the tenant's own setting: five days ahead reaches the far one
    await admin.post('/api/v1/asset_settings', { name: 'loan_remind_days', value: 5 });
    await runJob('assets.loan_reminders');
    assert.equal(kinds(f.id).split('\n').length, 2);
    await admin.post('/api/v1/asset_settings', { name: 'loan_remind_days', value: 3 });
});

test('transfers: the asset moves at once, its history grows, history is not edited, and the pool\'s assets are refused', async () => {
    const a = await asset({ status: 'in_use' });
    const people = await admin.all('people', { department_id: ldept });
    let r = await am.post('/api/v1/asset_transfers', { asset_id: a.id, to_department_id: ldept, to_custodian_id: people[0].id, reason: '人员调动随人调拨' });
    assert.equal(r.status, 201, r.text);
    const t1 = r.body;
    assert.equal(t1.from_department_id, other);
    assert.equal(t1.kind, 'transfer');
    assert.equal(t1.transferred_on, day());
    let x = await get(a.id);
    assert.equal(x.department_id, ldept);
    assert.equal(x.custodian_id, people[0].id);
    r = await am.post('/api/v1/asset_transfers', { asset_id: a.id, to_department_id: ldept, to_custodian_id: people[0].id, reason: '原地不动' });
    problem(assert, r, 409, 'BUR-408');
    assert.equal(r.body.key, 'assets.transfer.nothing');
    r = await am.post('/api/v1/asset_transfers', { asset_id: a.id, to_department_id: other, reason: '退回', transferred_on: day(-1) });
    assert.equal(r.status, 201, r.text);
    x = await get(a.id);
    assert.equal(x.department_id, other);
    assert.equal(x.custodian_id, null);
    const hist = (await am.get(`/api/v1/asset_transfers?asset_id=${a.id}&sort=id`)).body.items;
    assert.deepEqual(hist.map((h) => [h.from_department_id, h.to_department_id]), [[other, ldept], [ldept, other]]);
    const p = await pooled();
    const n0 = audits();
    r = await am.patch(`/api/v1/asset_transfers/${t1.id}`, { reason: '改写历史' });
    problem(assert, r, 409, 'BUR-408');
    assert.equal(r.body.key, 'assets.transfer.immutable');
    r = await am.del(`/api/v1/asset_transfers/${t1.id}`);
    assert.ok([403, 405, 409].includes(r.status), r.text);
    r = await am.post('/api/v1/asset_transfers', { asset_id: p.id, to_department_id: ldept, reason: '绕过公物仓' });
    problem(assert, r, 409, 'BUR-408');
    assert.equal(r.body.key, 'assets.transfer.status');
    assert.equal(r.body.params.status, 'pooled');
    assert.equal(audits(), n0, 'nothing written');
    // the liaison reads transfers into their department only, and makes none
    r = await liaison.post('/api/v1/asset_transfers', { asset_id: a.id, to_department_id: ldept, reason: '自行调入' });
    problem(assert, r, 403, 'BUR-302');
    const seen = (await liaison.get(`/api/v1/asset_transfers?asset_id=${a.id}`)).body.items;
    assert.deepEqual(seen.map((h) => h.id), [t1.id]);
});

test('the flag before procurement: usable items of a class or category in the pool, with a few of them', async () => {
    const cats = await admin.all('asset_categories');
    const books = cats.find((c) => c.name === '图书档案设备') || cats.find((c) => c.name !== '家具');
    const a = await pooled({ name: `会议桌-${m.uniq()}` }, 'good');
    let r = await liaison.get(`/api/v1/pool/check?class_id=${sub}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.available, true);
    assert.ok(r.body.count >= 1);
    assert.ok(r.body.items.length >= 1 && r.body.items.length <= 5);
    assert.ok(r.body.items.every((x) => ['good', 'fair'].includes(x.condition)));
    assert.ok(r.body.items.some((x) => x.asset_id === a.id), 'the newest usable item among them');
    // broken items do not count
    const nBefore = (await am.get(`/api/v1/pool/check?category_id=${books.id}`)).body.count;
    await pooled({ category_id: books.id, class_id: sub }, 'broken');
    assert.equal((await am.get(`/api/v1/pool/check?category_id=${books.id}`)).body.count, nBefore);
    await pooled({ category_id: books.id, class_id: sub }, 'fair');
    assert.equal((await am.get(`/api/v1/pool/check?category_id=${books.id}`)).body.count, nBefore + 1);
    r = await am.get('/api/v1/pool/check');
    problem(assert, r, 400, 'BUR-102');
    r = await staff.get(`/api/v1/pool/check?class_id=${sub}`);
    problem(assert, r, 403, 'BUR-302');
});

test('a second tenant sees nothing of the pool', async () => {
    const a = await pooled();
    const code = `p${m.uniq()}`.slice(0, 16);
    const t = await admin.post('/api/v1/tenants', { name: '又一区机关事务管理局', code });
    assert.equal(t.status, 201, t.text);
    await sleep(200);
    const pm = /admin password: (\S+)/.exec(srv.stderr.slice(-4000));
    const a2 = await m.signInChanging(srv.url, { username: 'admin', password: pm ? pm[1] : '', newPassword: 'Second-tenant-2026-pw', tenant: code });
    let r = await a2.get('/api/v1/pool');
    assert.equal(r.status, 200);
    assert.equal(r.body.items.length, 0);
    r = await a2.get('/api/v1/pool_items');
    assert.equal(r.body.items.length, 0);
    r = await a2.post(`/api/v1/assets/${a.id}/hand_in`, { condition: 'good' });
    assert.equal(r.status, 404);
    r = await a2.post('/api/v1/pool_requests', { asset_id: a.id, kind: 'reuse', department_id: 1, purpose: '跨租户' });
    assert.ok([404, 409, 422].includes(r.status), r.text);
    assert.equal((await get(a.id)).status, 'pooled');
    r = await a2.get(`/api/v1/pool/check?class_id=${sub}`);
    assert.equal(r.body.count, 0);
});
