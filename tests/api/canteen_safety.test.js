// SPDX-License-Identifier: MIT
// canteen_safety.test.js - the food-safety records of RULES.md §5 on the
// demo district: a sample under 125 g refused with the figures and nothing
// written, kept 48 hours, discarded early only with a reason (an alert to
// the canteen managers); health certificates valid a year, alerted 30 days
// ahead and not 31, expired ones, by the list and by the daily job; delivery
// checks (licence, conformity certificate, an expired product) and the
// records' retention (6 months after the shelf life, 24 without one);
// inspections past their deadline and the rectify step; the dashboard card;
// staff write none of it; a second tenant sees nothing.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, api, problem } = require('./lib/server');
const m = require('./lib/matrix');

const PW = 'Bureau-demo-2026';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let srv, admin, cm, staff, leader, canteen, offsetMin = 480;
const sql = (text) => m.sqlShell(srv, text).trim();
// the audit entries of the module's collections (other modules' jobs write their own meanwhile)
const audits = () => Number(sql("SELECT COUNT(*) FROM audit_entries WHERE collection IN ('menus', 'meal_bookings', 'meal_ratings', 'canteens', 'food_deliveries', 'food_samples', 'health_certificates', 'food_inspections', 'canteen_settings')"));
const day = (d = 0) => new Date(Date.now() + offsetMin * 60000 + d * 86400000).toISOString().slice(0, 10);
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

// a year less a day, by the calendar (29 February: 28 February next year)
function certExpiry(d) {
    const [y, mo, dd] = d.split('-').map(Number);
    if (mo === 2 && dd === 29) return `${y + 1}-02-28`;
    return new Date(Date.UTC(y + 1, mo - 1, dd) - 86400000).toISOString().slice(0, 10);
}

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

before(async () => {
    srv = await startServer({ demo: true, args: ['--jobs-interval', '1'] });
    admin = api(srv.url);
    cm = api(srv.url, { username: 'canteen_manager', password: PW });
    staff = api(srv.url, { username: 'staff', password: PW });
    leader = api(srv.url, { username: 'leader', password: PW });
    for (const c of [cm, staff, leader]) await c.login();
    offsetMin = (await admin.get('/api/v1/tenants/1')).body.utc_offset_min;
    const code = `S${m.uniq().replace(/[^A-Za-z0-9]/g, '').slice(-10)}`;
    const r = await cm.post('/api/v1/canteens', { name: `留样测试食堂${code}`, code });
    assert.equal(r.status, 201, r.text);
    canteen = r.body;
});

after(async () => {
    if (srv) await srv.stop();
});

const alerts = async (c = cm, q = `?canteen_id=${canteen.id}`) => {
    const r = await c.get(`/api/v1/canteen/alerts${q}`);
    assert.equal(r.status, 200, r.text);
    return r.body.items;
};

test('a sample under 125 g is refused with the figures and nothing written; 125 g is kept 48 hours', async () => {
    const taken = Date.now() - 3600000;
    const body = { canteen_id: canteen.id, day: day(), meal: 'lunch', dish: '红烧肉', weight_g: 124, taken_at: iso(taken), taken_by: '王建国', fridge: '留样冰箱1号' };
    const n = audits(), rows = Number(sql('SELECT COUNT(*) FROM food_samples'));
    let r = await cm.post('/api/v1/food_samples', body);
    problem(assert, r, 422, 'BUR-201', ['weight_g']);
    const it = r.body.errors.find((x) => x.field === 'weight_g');
    assert.equal(it.key, 'canteen.sample.short');
    assert.deepEqual(it.params, { weight_g: 124, min_g: 125 });
    assert.equal(audits(), n, 'nothing audited');
    assert.equal(Number(sql('SELECT COUNT(*) FROM food_samples')), rows, 'nothing written');
    r = await cm.post('/api/v1/food_samples', { ...body, weight_g: 125 });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.status, 'kept');
    assert.equal(Date.parse(r.body.keep_until), Math.floor(taken / 1000) * 1000 + 48 * 3600000);
    assert.equal(audits(), n + 1, 'audited');
    // a changed minimum (the tenant's setting) applies
    const s = (await admin.all('canteen_settings', { name: 'sample_min_g' }))[0];
    assert.equal((await admin.patch(`/api/v1/canteen_settings/${s.id}`, { value: 150 })).status, 200);
    r = await cm.post('/api/v1/food_samples', { ...body, weight_g: 149 });
    problem(assert, r, 422, 'BUR-201', ['weight_g']);
    assert.deepEqual(r.body.errors.find((x) => x.field === 'weight_g').params, { weight_g: 149, min_g: 150 });
    assert.equal((await admin.patch(`/api/v1/canteen_settings/${s.id}`, { value: 125 })).status, 200);
});

test('a sample discarded before its 48 hours needs a reason and raises an alert to the canteen managers; after them, neither', async () => {
    const mk = async (hoursAgo, dish) => {
        const r = await cm.post('/api/v1/food_samples', { canteen_id: canteen.id, day: day(), meal: 'dinner', dish, weight_g: 130, taken_at: iso(Date.now() - hoursAgo * 3600000), taken_by: '李秀英' });
        assert.equal(r.status, 201, r.text);
        return r.body;
    };
    const early = await mk(47, `早处理${m.uniq()}`);
    const n = audits();
    let r = await cm.post(`/api/v1/food_samples/${early.id}/discard`, {});
    problem(assert, r, 422, 'BUR-201', ['reason']);
    assert.equal(r.body.errors[0].key, 'canteen.sample.early_reason');
    assert.equal(audits(), n);
    const before = Number(sql("SELECT COUNT(*) FROM notifications WHERE kind = 'canteen.sample.early'"));
    r = await cm.post(`/api/v1/food_samples/${early.id}/discard`, { reason: '冰箱故障，留样转移时破损' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.status, 'discarded');
    assert.equal(r.body.discarded_early, true);
    assert.equal(r.body.discard_reason, '冰箱故障，留样转移时破损');
    // told: every canteen manager but the one who did it (the demo's only one), so the admin's
    // own discard of another tells the manager
    const early2 = await mk(1, `早处理${m.uniq()}`);
    r = await admin.post(`/api/v1/food_samples/${early2.id}/discard`, { reason: '误操作' });
    assert.equal(r.status, 200, r.text);
    const told = Number(sql(`SELECT COUNT(*) FROM notifications WHERE kind = 'canteen.sample.early' AND record_id = ${early2.id} AND user_id = ${cm.session.user.id}`));
    assert.equal(told, 1, 'the canteen manager is told');
    assert.ok(Number(sql("SELECT COUNT(*) FROM notifications WHERE kind = 'canteen.sample.early'")) >= before + 1);
    const list = await alerts();
    const a = list.find((x) => x.record.id === early.id);
    assert.deepEqual(a, { kind: 'sample_early', key: 'canteen.alert.sample_early', params: { dish: early.dish, day: day(), meal: 'dinner', reason: '冰箱故障，留样转移时破损' }, canteen_id: canteen.id, record: { collection: 'food_samples', id: early.id }, due: day() });
    // kept its 48 hours: no reason needed, no alert
    const done = await mk(49, `到期${m.uniq()}`);
    const nn = Number(sql("SELECT COUNT(*) FROM notifications WHERE kind = 'canteen.sample.early'"));
    r = await cm.post(`/api/v1/food_samples/${done.id}/discard`, {});
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.discarded_early, false);
    assert.equal(Number(sql("SELECT COUNT(*) FROM notifications WHERE kind = 'canteen.sample.early'")), nn);
    assert.ok(!(await alerts()).some((x) => x.record.id === done.id));
    // once discarded, not again, and the record is not changed
    r = await cm.post(`/api/v1/food_samples/${done.id}/discard`, {});
    problem(assert, r, 409, 'BUR-408');
    r = await cm.patch(`/api/v1/food_samples/${done.id}`, { fridge: '2号' });
    problem(assert, r, 409, 'BUR-408');
});

test('health certificates: valid a year; alerted 30 days ahead, not 31; expired; the daily job tells the managers once a stage', async () => {
    let r = await cm.post('/api/v1/health_certificates', { canteen_id: canteen.id, worker_name: '张志强', certificate_no: `JK${m.uniq()}`.slice(0, 40), issued_on: '2026-03-01' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.expires_on, '2027-02-28');
    r = await cm.post('/api/v1/health_certificates', { canteen_id: canteen.id, worker_name: '刘海燕', certificate_no: `JK${m.uniq()}`.slice(0, 40), issued_on: '2024-02-29' });
    assert.equal(r.body.expires_on, '2025-02-28');
    r = await cm.post('/api/v1/health_certificates', { canteen_id: canteen.id, worker_name: '陈丽华', certificate_no: `JK${m.uniq()}`.slice(0, 40), issued_on: '2026-03-01', expires_on: '2027-03-01' });
    problem(assert, r, 422, 'BUR-201', ['expires_on']);
    assert.equal(r.body.errors[0].key, 'canteen.cert.validity');
    assert.deepEqual(r.body.errors[0].params, { max: '2027-02-28' });
    // an earlier expiry given is kept
    r = await cm.post('/api/v1/health_certificates', { canteen_id: canteen.id, worker_name: '陈丽华', certificate_no: `JK${m.uniq()}`.slice(0, 40), issued_on: '2026-03-01', expires_on: '2026-12-31' });
    assert.equal(r.body.expires_on, '2026-12-31');
    const mk = async (name, expires) => {
        const x = await cm.post('/api/v1/health_certificates', { canteen_id: canteen.id, worker_name: name, certificate_no: `JK${m.uniq()}`.slice(0, 40), issued_on: day(-300), expires_on: expires });
        assert.equal(x.status, 201, x.text);
        return x.body;
    };
    const c30 = await mk('三十天', day(30)), c31 = await mk('三十一天', day(31)), c0 = await mk('今天到期', day(0));
    const gone = (await cm.post('/api/v1/health_certificates', { canteen_id: canteen.id, worker_name: '已过期', certificate_no: `JK${m.uniq()}`.slice(0, 40), issued_on: day(-366) })).body;
    assert.equal(gone.expires_on, certExpiry(day(-366)));
    const list = await alerts();
    const of = (c) => list.find((x) => x.record.collection === 'health_certificates' && x.record.id === c.id);
    assert.deepEqual(of(c30), { kind: 'cert_expiring', key: 'canteen.alert.cert_expiring', params: { worker: '三十天', expires_on: day(30), days: 30 }, canteen_id: canteen.id, record: { collection: 'health_certificates', id: c30.id }, due: day(30) });
    assert.equal(of(c31), undefined, '31 days ahead: no alert yet');
    assert.equal(of(c0).kind, 'cert_expiring');
    assert.equal(of(c0).params.days, 0);
    assert.equal(of(gone).kind, 'cert_expired');
    assert.ok(of(gone).params.days < 0);
    // the job: a stage reached is written (audited) and told once
    const kinds = (id) => sql(`SELECT kind FROM notifications WHERE collection = 'health_certificates' AND record_id = ${id} ORDER BY id`);
    await runJob('canteen.certificates');
    const get = async (c) => (await cm.get(`/api/v1/health_certificates/${c.id}`)).body.alert_stage;
    assert.equal(await get(c30), 'expiring');
    assert.equal(await get(c31), 'valid');
    assert.equal(await get(gone), 'expired');
    assert.equal(kinds(c30.id), 'canteen.cert.expiring');
    assert.equal(kinds(c31.id), '');
    assert.equal(kinds(gone.id), 'canteen.cert.expired');
    await runJob('canteen.certificates');
    assert.equal(kinds(c30.id), 'canteen.cert.expiring', 'told once');
    // renewed: a new issue date moves the expiry and the stage starts again
    const cur = (await cm.get(`/api/v1/health_certificates/${c30.id}`)).body;
    r = await cm.patch(`/api/v1/health_certificates/${c30.id}`, { issued_on: day(0), expires_on: null });
    assert.equal(r.status, 200, r.text);
    assert.notEqual(r.body.expires_on, cur.expires_on);
    assert.equal(r.body.alert_stage, 'valid');
    // the demo: a few expiring, one expired
    const all = await alerts(cm, '');
    assert.ok(all.filter((x) => x.kind === 'cert_expiring').length >= 3);
    assert.ok(all.some((x) => x.kind === 'cert_expired'));
});

const delivery = (over = {}) => ({
    canteen_id: canteen.id, delivered_on: day(), supplier_name: '正大肉类食品有限公司', supplier_licence: 'SC10433010600123',
    supplier_contact: '经济开发区15号路', product: '猪肉(冷鲜)', spec: '散装', quantity: 25.5, unit: '公斤', batch: 'B20261201',
    production_date: day(-1), shelf_life_days: 5, certificate_no: 'HG-2026-0001', checked_by: '周德明', result: 'accepted', ...over,
});

test('deliveries: licence and certificate required, an expired product not accepted, the record kept 6 months after the shelf life (24 without) and not deleted before', async () => {
    const n = audits();
    let r = await cm.post('/api/v1/food_deliveries', delivery({ supplier_licence: null }));
    problem(assert, r, 422, 'BUR-201', ['supplier_licence']);
    r = await cm.post('/api/v1/food_deliveries', delivery({ certificate_no: null }));
    problem(assert, r, 422, 'BUR-201', ['certificate_no']);
    assert.equal(r.body.errors[0].key, 'canteen.delivery.certificate');
    // produced 10 days ago with 5 days' shelf life: its last day was 6 days ago
    r = await cm.post('/api/v1/food_deliveries', delivery({ production_date: day(-10) }));
    problem(assert, r, 422, 'BUR-201', ['production_date']);
    assert.equal(r.body.errors[0].key, 'canteen.delivery.expired');
    assert.deepEqual(r.body.errors[0].params, { expires_on: day(-6) });
    // its last day today: still accepted
    r = await cm.post('/api/v1/food_deliveries', delivery({ production_date: day(-4) }));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.expires_on, day());
    // a rejection of the expired product is recorded
    r = await cm.post('/api/v1/food_deliveries', delivery({ production_date: day(-10), result: 'rejected', note: '过期拒收' }));
    assert.equal(r.status, 201, r.text);
    assert.equal(audits(), n + 2);
    // hand-computed: produced 2026-03-01, 10 days → last day 03-10, kept until 09-10
    r = await cm.post('/api/v1/food_deliveries', delivery({ delivered_on: '2026-03-02', production_date: '2026-03-01', shelf_life_days: 10 }));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.expires_on, '2026-03-10');
    assert.equal(r.body.keep_until, '2026-09-10');
    const kept = r.body;
    // no shelf life (vegetables): 24 months after delivery
    r = await cm.post('/api/v1/food_deliveries', delivery({ product: '大白菜', production_date: null, shelf_life_days: null, delivered_on: '2025-08-31' }));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.expires_on, null);
    assert.equal(r.body.keep_until, '2027-08-31');
    const veg = r.body;
    // deleting before keep_until refused, nothing changed
    const m0 = audits();
    r = await cm.del(`/api/v1/food_deliveries/${veg.id}`);
    problem(assert, r, 409, 'BUR-408');
    assert.equal(r.body.key, 'canteen.delivery.retention');
    assert.equal(r.body.params.keep_until, '2027-08-31');
    assert.equal(audits(), m0);
    assert.equal((await cm.get(`/api/v1/food_deliveries/${veg.id}`)).status, 200);
    // after it (the record of March: kept until September, gone by) the record may go
    r = await cm.del(`/api/v1/food_deliveries/${kept.id}`);
    if (kept.keep_until < day()) assert.ok([200, 204].includes(r.status), r.text);
    else problem(assert, r, 409, 'BUR-408');
    // the demo's months of deliveries from the tendered suppliers
    const demo = await admin.all('food_deliveries');
    assert.ok(demo.length >= 100, `demo deliveries, got ${demo.length}`);
    assert.ok(new Set(demo.map((x) => x.supplier_name)).size >= 4);
});

test('inspections: a finding to rectify needs its deadline; past it an alert until the rectify step', async () => {
    let r = await cm.post('/api/v1/food_inspections', { canteen_id: canteen.id, day: day(-10), kind: 'regulator', inspector: '区市场监督管理局', findings: '防鼠板缺失', result: 'rectify' });
    problem(assert, r, 422, 'BUR-201', ['rectify_by']);
    r = await cm.post('/api/v1/food_inspections', { canteen_id: canteen.id, day: day(-10), kind: 'regulator', inspector: '区市场监督管理局', findings: '防鼠板缺失', result: 'rectify', rectify_by: day(-1) });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.status, 'open');
    const insp = r.body;
    r = await cm.post('/api/v1/food_inspections', { canteen_id: canteen.id, day: day(-3), inspector: '食品安全管理员', result: 'pass' });
    assert.equal(r.body.status, 'closed');
    const pass = r.body;
    r = await cm.post('/api/v1/food_inspections', { canteen_id: canteen.id, day: day(-1), inspector: '食品安全管理员', findings: '砧板标识不清', result: 'rectify', rectify_by: day(0) });
    const due = r.body;
    let list = await alerts();
    assert.deepEqual(list.find((x) => x.record.id === insp.id && x.record.collection === 'food_inspections'), { kind: 'inspection_overdue', key: 'canteen.alert.inspection_overdue', params: { inspector: '区市场监督管理局', day: day(-10), rectify_by: day(-1) }, canteen_id: canteen.id, record: { collection: 'food_inspections', id: insp.id }, due: day(-1) });
    assert.ok(!list.some((x) => x.record.collection === 'food_inspections' && [pass.id, due.id].includes(x.record.id)), 'due today is not overdue');
    r = await cm.post(`/api/v1/food_inspections/${insp.id}/rectify`, {});
    problem(assert, r, 422, 'BUR-201', ['reason']);
    r = await cm.post(`/api/v1/food_inspections/${insp.id}/rectify`, { reason: '已加装防鼠板' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.status, 'rectified');
    assert.ok(r.body.rectified_at);
    list = await alerts();
    assert.ok(!list.some((x) => x.record.collection === 'food_inspections' && x.record.id === insp.id));
    problem(assert, await cm.post(`/api/v1/food_inspections/${pass.id}/rectify`, { reason: 'x' }), 409, 'BUR-408');
});

test('the dashboard card counts the open alerts by kind, today\'s samples and menus', async () => {
    const all = await alerts(cm, '');
    const r = await cm.get('/api/v1/summary/canteen');
    assert.equal(r.status, 200, r.text);
    const card = r.body.cards.find((c) => c.id === 'safety');
    assert.ok(card, r.text);
    assert.equal(card.alerts, all.length);
    const by = {};
    for (const a of all) by[a.kind] = (by[a.kind] || 0) + 1;
    assert.deepEqual(card.alerts_by_kind, by);
    assert.equal(card.samples_today, (await admin.all('food_samples', { day: day() })).length);
    assert.equal(card.meals_today, (await admin.all('menus', { day: day(), published: true })).length);
    assert.equal(card.certs_expiring, (by.cert_expiring || 0) + (by.cert_expired || 0));
    const s = await staff.get('/api/v1/summary/canteen');
    assert.ok(!(s.body.cards || []).some((c) => c.id === 'safety'), 'not on a diner\'s dashboard');
});

test('staff write no food-safety record and see no alerts; the leader reads them', async () => {
    const bodies = {
        food_samples: { canteen_id: canteen.id, day: day(), meal: 'lunch', dish: '米饭', weight_g: 130, taken_at: iso(Date.now()), taken_by: '王' },
        food_deliveries: delivery(),
        health_certificates: { canteen_id: canteen.id, worker_name: '王', certificate_no: `JK${m.uniq()}`.slice(0, 40), issued_on: day() },
        food_inspections: { canteen_id: canteen.id, day: day(), inspector: '王', result: 'pass' },
    };
    for (const [coll, b] of Object.entries(bodies)) {
        problem(assert, await staff.post(`/api/v1/${coll}`, b), 403, 'BUR-302');
        problem(assert, await staff.get(`/api/v1/${coll}`), 403, 'BUR-302');
        problem(assert, await leader.post(`/api/v1/${coll}`, b), 403, 'BUR-302');
    }
    problem(assert, await staff.get('/api/v1/canteen/alerts'), 403, 'BUR-302');
    const sample = (await admin.all('food_samples', { status: 'kept' }))[0];
    problem(assert, await staff.post(`/api/v1/food_samples/${sample.id}/discard`, { reason: 'x' }), 403, 'BUR-302');
    assert.ok((await alerts(leader, '')).length >= 1);
});

test('a second tenant sees nothing of the food-safety records', async () => {
    const code = `f${m.uniq()}`.replace(/[^a-z0-9]/gi, '').slice(0, 16).toLowerCase();
    const t = await admin.post('/api/v1/tenants', { name: '又一区机关事务管理局', code });
    assert.equal(t.status, 201, t.text);
    await sleep(200);
    const pm = /admin password: (\S+)/.exec(srv.stderr.slice(-4000));
    const a2 = await m.signInChanging(srv.url, { username: 'admin', password: pm ? pm[1] : '', newPassword: 'Second-tenant-2026-pw', tenant: code });
    for (const coll of ['food_samples', 'food_deliveries', 'health_certificates', 'food_inspections']) {
        const r = await a2.get(`/api/v1/${coll}`);
        assert.equal(r.status, 200, r.text);
        assert.equal(r.body.items.length, 0, coll);
    }
    assert.deepEqual(await alerts(a2, ''), []);
    const sample = (await admin.all('food_samples', { status: 'kept' }))[0];
    assert.equal((await a2.post(`/api/v1/food_samples/${sample.id}/discard`, { reason: 'x' })).status, 404);
    const d = (await admin.all('food_deliveries'))[0];
    assert.equal((await a2.del(`/api/v1/food_deliveries/${d.id}`)).status, 404);
});
