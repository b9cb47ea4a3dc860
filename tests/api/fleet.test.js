// SPDX-License-Identifier: MIT
// fleet.test.js - official vehicles end to end on the demo district: the
// demo fleet (no overlaps, odometers climbing), plate formats, the whole
// lifecycle (file, approve, candidates, dispatch, slip, start, close; the
// notifications and the register), every conflict rule with nothing changed
// by a refusal (approving one's own, dispatching unapproved or cancelled
// requests, overlaps of vehicle and driver, a vehicle in repair, expired and
// wrong-class licences, too few seats, backwards odometers), 64 concurrent
// dispatches of one vehicle (exactly one wins) and of one driver, renewal
// eligibility at its boundaries with plans and dispose-before-replace, the
// monthly cost report against the rows, the expiry reminders (once per item
// and date), and who sees and does what.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, api, problem } = require('./lib/server');
const m = require('./lib/matrix');

const PW = 'Bureau-demo-2026';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let srv, admin, fleet, leader, staff, liaison, driver;
let offsetMin = 480;
const sql = (text) => m.sqlShell(srv, text).trim();
const rows = (text) => sql(text).split('\n').filter(Boolean).map((l) => l.split('|'));

// A local time in the tenant's zone, days from today at hh:mm, as RFC 3339.
function at(days, hh, mm = 0) {
    const now = Date.now() + offsetMin * 60000;
    const d = new Date(now);
    const base = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + days, hh, mm) - offsetMin * 60000;
    return new Date(base).toISOString().replace('.000Z', 'Z');
}

const localDate = (days) => at(days, 12).slice(0, 10);

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

let plateN = 0;
// A fresh plate: 粤B· and 5 characters (6 for new energy), unique in the run
// (this file's server has a database of its own, whose demo plates all start
// with a letter: a counter of digits is enough; a
// clock-based number once gave two vehicles the same plate).
function plate(nev = false) {
    plateN++;
    return nev ? `粤B·F${String(10000 + plateN)}` : `粤B·${String(90000 + plateN)}`;
}

async function vehicle(over = {}) {
    const r = await fleet.post('/api/v1/vehicles', {
        plate: plate(over.energy === 'electric'), class: 'other', brand: '比亚迪', model: '秦PLUS EV', seats: 5,
        energy: 'electric', registered_on: '2024-03-01', odometer_km: 30000, ...over,
    });
    assert.equal(r.status, 201, r.text);
    return r.body;
}

let personPool = null;
// A driver made for the test from a person who is not one yet.
async function newDriver(over = {}) {
    if (!personPool) {
        const taken = new Set((await admin.all('drivers')).map((d) => d.person_id));
        personPool = (await admin.all('people', { active: true })).filter((p) => !taken.has(p.id)).map((p) => p.id);
    }
    const r = await fleet.post('/api/v1/drivers', {
        person_id: personPool.shift(), licence_class: 'C1', licence_until: '2035-12-31', ...over,
    });
    assert.equal(r.status, 201, r.text);
    return r.body;
}

async function file(client, over = {}) {
    const r = await client.post('/api/v1/trip_requests', {
        purpose: '到街道开展安全检查', origin: '区行政中心', destination: '龙城街道', start_at: at(30, 9),
        end_at: at(30, 12), seats_needed: 2, ...over,
    });
    assert.equal(r.status, 201, r.text);
    return r.body;
}

async function approved(over = {}) {
    const rq = await file(staff, over);
    const a = await leader.post(`/api/v1/trip_requests/${rq.id}/approve`, {});
    assert.equal(a.status, 200, a.text);
    return a.body;
}

before(async () => {
    srv = await startServer({ demo: true, args: ['--jobs-interval', '1'] });
    admin = api(srv.url);
    fleet = api(srv.url, { username: 'fleet_manager', password: PW });
    leader = api(srv.url, { username: 'leader', password: PW });
    staff = api(srv.url, { username: 'staff', password: PW });
    liaison = api(srv.url, { username: 'liaison', password: PW });
    driver = api(srv.url, { username: 'driver', password: PW });
    offsetMin = (await admin.get('/api/v1/tenants/1')).body.utc_offset_min;
    for (const c of [fleet, leader, staff, liaison, driver]) await c.login();
});

after(async () => {
    if (srv) await srv.stop();
});

test('the demo fleet: vehicles of every class, drivers, a year of trips without overlaps', async () => {
    const vehicles = await admin.all('vehicles');
    assert.ok(vehicles.length >= 60 && vehicles.length <= 200, `${vehicles.length} vehicles`);
    const classes = new Set(vehicles.map((v) => v.class));
    for (const c of ['confidential', 'emergency', 'law_enforcement', 'special', 'other']) assert.ok(classes.has(c), `class ${c}`);
    const ev = vehicles.filter((v) => v.energy === 'electric').length;
    assert.ok(ev > vehicles.length / 5, `many electric: ${ev}`);
    const drivers = await admin.all('drivers');
    assert.ok(drivers.length >= 20, `${drivers.length} drivers`);
    const me = drivers.find((d) => d.user_id === driver.session.user.id);
    assert.ok(me, 'the demo user driver is a driver');
    const trips = Number(sql("SELECT COUNT(*) FROM trips WHERE status = 'closed'"));
    assert.ok(trips > 3000, `a year of trips: ${trips}`);
    // no vehicle and no driver on two dispatched or completed requests at once
    for (const col of ['vehicle_id', 'driver_id']) {
        const n = sql(`SELECT COUNT(*) FROM trip_requests a JOIN trip_requests b ON b.tenant_id = a.tenant_id AND b.${col} = a.${col} AND b.id > a.id WHERE a.status IN ('dispatched', 'completed') AND b.status IN ('dispatched', 'completed') AND a.start_at < b.end_at AND b.start_at < a.end_at`);
        assert.equal(n, '0', `overlapping requests by ${col}`);
    }
    // odometers climb trip after trip, and the register reads the last one
    const back = sql(`SELECT COUNT(*) FROM trips a JOIN trips b ON b.vehicle_id = a.vehicle_id AND b.started_at > a.started_at WHERE a.status = 'closed' AND b.status = 'closed' AND b.start_km < a.end_km`);
    assert.equal(back, '0', 'no trip starts below an earlier trip\'s end');
    const behind = sql(`SELECT COUNT(*) FROM vehicles v WHERE v.odometer_km < (SELECT MAX(end_km) FROM trips t WHERE t.vehicle_id = v.id AND t.status = 'closed')`);
    assert.equal(behind, '0');
    // the rules and standards every tenant starts with
    const rules = await admin.all('vehicle_renewal_rules');
    const e = rules.find((r) => r.energy_group === 'electric'), o = rules.find((r) => r.energy_group === 'other');
    assert.equal(e.min_years, 8);
    assert.equal(e.more_than, true);
    assert.equal(e.min_km, 200000);
    assert.match(e.source, /广东/);
    assert.equal(o.min_years, 8);
    assert.equal(o.confidence, 'low');
    assert.match(o.source, /未找到/);
    const std = await admin.all('vehicle_standards');
    assert.equal(std.length, 10);
    // the dashboard card: vehicles by status, requests waiting
    const sum = await fleet.get('/api/v1/summary/fleet');
    assert.equal(sum.status, 200, sum.text);
    const card = sum.body.cards.find((c) => c.id === 'fleet');
    assert.ok(card && card.kind === 'kpi', sum.text);
    assert.equal(card.available, vehicles.filter((v) => v.status === 'available').length);
    assert.equal(card.requests_submitted, Number(sql("SELECT COUNT(*) FROM trip_requests WHERE status = 'submitted'")));
    assert.equal(card.labels.available.zh, '在库可用');
    const conf = std.find((s) => s.class === 'confidential' && s.energy_group === 'other');
    assert.equal(conf.max_price_fen, 12000000);
    assert.equal(conf.max_displacement_l, 1.6);
});

test('plates: province, letter, middle dot, 5 characters (6 new energy) without I and O', async () => {
    // the dot may be left out and the letters typed in lower case: stored in the normal form
    const good = ['粤B·12345', '粤B·D12345', '京A·F1234', '新Z·A12B3', '琼E·DF1234', '粤B12345', '粤b·12345'];
    const bad = ['粤B·1234', '粤B·1234567', '港A·12345', '粤B·1234O', '粤B·I2345', '粤B·12 45', 'AB·12345', '粤1·12345', '粤B·1D2345', ''];
    for (const p of good) {
        const r = await fleet.post('/api/v1/vehicles', { plate: p, class: 'other', brand: '吉利', registered_on: '2025-01-01' });
        assert.equal(r.status, 201, `${p}: ${r.text}`);
        assert.match(r.body.plate, /^\p{Script=Han}[A-Z]·/u, p);
        assert.equal((await admin.del(`/api/v1/vehicles/${r.body.id}`)).status, 204);
    }
    const before = Number(sql('SELECT COUNT(*) FROM vehicles'));
    for (const p of bad) {
        const r = await fleet.post('/api/v1/vehicles', { plate: p, class: 'other', brand: '吉利', registered_on: '2025-01-01' });
        problem(assert, r, 422, 'BUR-201', ['plate']);
    }
    assert.equal(Number(sql('SELECT COUNT(*) FROM vehicles')), before, 'nothing stored');
    const v = await vehicle();
    const p = await fleet.patch(`/api/v1/vehicles/${v.id}`, { plate: '粤B·O0000' });
    problem(assert, p, 422, 'BUR-201', ['plate']);
    assert.equal((await admin.get(`/api/v1/vehicles/${v.id}`)).body.plate, v.plate);
    // the odometer never goes backwards in the register either
    problem(assert, await fleet.patch(`/api/v1/vehicles/${v.id}`, { odometer_km: 100 }), 422, 'BUR-201', ['odometer_km']);
    // a manager cannot set the status: the workflow moves it
    problem(assert, await fleet.patch(`/api/v1/vehicles/${v.id}`, { status: 'scrapped' }), 422, 'BUR-201', ['status']);
});

test('the lifecycle: file, approve, candidates, dispatch, slip, start, close', async () => {
    const v = await vehicle({ seats: 5 });
    const me = (await admin.all('drivers')).find((d) => d.user_id === driver.session.user.id);
    const rq = await file(staff, { start_at: at(3, 9), end_at: at(3, 12, 30), seats_needed: 3, passengers: '张三、李四、王五' });
    assert.equal(rq.status, 'submitted');
    assert.equal(rq.requester_id, staff.session.user.id);
    assert.ok(rq.department_id, 'the requester\'s department');
    // the requester edits it while submitted
    const ed = await staff.patch(`/api/v1/trip_requests/${rq.id}`, { destination: '龙城街道办事处' });
    assert.equal(ed.status, 200, ed.text);
    // approval: not by the requester's own role, by the leader
    problem(assert, await staff.post(`/api/v1/trip_requests/${rq.id}/approve`, {}), 403, 'BUR-302');
    const ap = await leader.post(`/api/v1/trip_requests/${rq.id}/approve`, { note: '同意' });
    assert.equal(ap.status, 200, ap.text);
    assert.equal(ap.body.status, 'approved');
    assert.equal(ap.body.approver_id, leader.session.user.id);
    assert.equal(ap.body.approve_note, '同意', 'the approval note is kept on the request');
    problem(assert, await staff.patch(`/api/v1/trip_requests/${rq.id}`, { destination: '别处' }), 409, 'BUR-408');
    let mine = await staff.get('/api/v1/me/notifications');
    assert.ok(mine.body.items.some((n) => n.record_id === rq.id && n.kind === 'fleet.approved'), mine.text);

    // candidates: free, big enough, in service; drivers whose licence fits and lasts
    const c = await fleet.get(`/api/v1/trip_requests/${rq.id}/candidates`);
    assert.equal(c.status, 200, c.text);
    assert.ok(c.body.vehicles.some((x) => x.id === v.id), 'our vehicle is proposed');
    for (const x of c.body.vehicles) {
        assert.ok(x.seats >= 3, `${x.plate} has ${x.seats} seats`);
        assert.ok(['available', 'on_trip'].includes(x.status));
    }
    assert.ok(c.body.drivers.some((d) => d.id === me.id), 'the demo driver is proposed');
    for (const d of c.body.drivers) assert.ok(d.licence_until >= rq.end_at.slice(0, 10), `${d.name}'s licence lasts`);
    problem(assert, await staff.get(`/api/v1/trip_requests/${rq.id}/candidates`), 403, 'BUR-302');

    const dp = await fleet.post(`/api/v1/trip_requests/${rq.id}/dispatch`, { vehicle_id: v.id, driver_id: me.id });
    assert.equal(dp.status, 200, dp.text);
    assert.equal(dp.body.status, 'dispatched');
    assert.equal(dp.body.vehicle_id, v.id);
    assert.equal(dp.body.driver_id, me.id);
    assert.equal(dp.body.driver_user_id, driver.session.user.id);
    mine = await staff.get('/api/v1/me/notifications');
    assert.ok(mine.body.items.some((n) => n.record_id === rq.id && n.kind === 'fleet.dispatched'), 'the requester is told');
    const told = await driver.get('/api/v1/me/notifications');
    assert.ok(told.body.items.some((n) => n.kind === 'fleet.trip'), 'the driver is told');

    // the slip
    const slip = await staff.get(`/api/v1/trip_requests/${rq.id}/slip`);
    assert.equal(slip.status, 200, slip.text);
    assert.equal(slip.body.vehicle.plate, v.plate);
    assert.equal(slip.body.driver.name, me.name);
    assert.equal(slip.body.request.id, rq.id);
    assert.ok(slip.body.no.endsWith(String(rq.id).padStart(6, '0')));
    assert.ok(slip.body.department && slip.body.approver && slip.body.dispatcher);
    assert.equal(slip.body.request.approve_note, '同意', 'the slip carries the approval note');
    assert.equal(slip.body.trip.status, 'planned');

    // the driver sees the trip and the request; records it
    const trips = await driver.get(`/api/v1/trips?request_id=${rq.id}`);
    assert.equal(trips.status, 200, trips.text);
    assert.equal(trips.body.items.length, 1);
    const trip = trips.body.items[0];
    assert.equal((await driver.get(`/api/v1/trip_requests/${rq.id}`)).status, 200);
    problem(assert, await driver.post(`/api/v1/trips/${trip.id}/start`, { start_km: 29999 }), 422, 'BUR-201', ['start_km']);
    // three days early: the driver is asked why (fleet_rules.test.js has the thresholds)
    const early = await driver.post(`/api/v1/trips/${trip.id}/start`, { start_km: 30010 });
    problem(assert, early, 422, 'BUR-201', ['reason']);
    assert.equal(early.body.errors[0].key, 'fleet.trip.confirm_early');
    const st = await driver.post(`/api/v1/trips/${trip.id}/start`, { start_km: 30010, reason: '会议提前' });
    assert.equal(st.status, 200, st.text);
    assert.equal(st.body.start_reason, '会议提前');
    assert.equal(st.body.status, 'in_progress');
    assert.equal((await admin.get(`/api/v1/vehicles/${v.id}`)).body.status, 'on_trip');
    problem(assert, await driver.post(`/api/v1/trips/${trip.id}/start`, { start_km: 30010 }), 409, 'BUR-408');
    problem(assert, await driver.post(`/api/v1/trips/${trip.id}/close`, { end_km: 30000 }), 422, 'BUR-201', ['end_km']);
    assert.equal((await admin.get(`/api/v1/trips/${trip.id}`)).body.status, 'in_progress', 'nothing changed');
    const cl = await driver.post(`/api/v1/trips/${trip.id}/close`, {
        end_km: 30096, fuel_l: 0, energy_kwh: 14.25, tolls_fen: 2500, parking_fen: 1000, note: '顺利', reason: '补录行程',
    });
    assert.equal(cl.status, 200, cl.text);
    assert.equal(cl.body.status, 'closed');
    assert.equal(cl.body.distance_km, 86);
    assert.equal(cl.body.energy_kwh, 14.25);
    const after = (await admin.get(`/api/v1/vehicles/${v.id}`)).body;
    assert.equal(after.status, 'available');
    assert.equal(after.odometer_km, 30096);
    assert.equal((await admin.get(`/api/v1/trip_requests/${rq.id}`)).body.status, 'completed');
    const costs = await admin.all('vehicle_costs', { trip_id: trip.id });
    assert.deepEqual(costs.map((x) => [x.kind, x.amount_fen]).sort(), [['parking', 1000], ['tolls', 2500]]);
    problem(assert, await driver.post(`/api/v1/trips/${trip.id}/close`, { end_km: 30100 }), 409, 'BUR-408');
    // every step is in the audit chain
    const hist = await admin.get(`/api/v1/trip_requests/${rq.id}/history`);
    assert.ok(hist.body.length >= 5, hist.text);
    // the next trip of this vehicle cannot start below the last reading
    const rq2 = await approved({ start_at: at(4, 9), end_at: at(4, 10) });
    const d2 = await newDriver();
    assert.equal((await fleet.post(`/api/v1/trip_requests/${rq2.id}/dispatch`, { vehicle_id: v.id, driver_id: d2.id })).status, 200);
    const t2 = (await admin.all('trips', { request_id: rq2.id }))[0];
    problem(assert, await fleet.post(`/api/v1/trips/${t2.id}/close`, { start_km: 30095, end_km: 30200 }), 422, 'BUR-201', ['start_km']);
    const c2 = await fleet.post(`/api/v1/trips/${t2.id}/close`, { start_km: 30096, end_km: 30120, reason: '补录' });
    assert.equal(c2.status, 200, c2.text);
});

test('approval and dispatch out of order, or by the wrong person, change nothing', async () => {
    // nobody approves their own request (the fleet manager may approve others')
    const own = await file(fleet);
    const r = await fleet.post(`/api/v1/trip_requests/${own.id}/approve`, {});
    problem(assert, r, 409, 'BUR-408');
    assert.equal(r.body.key, 'wf.own');
    assert.deepEqual(r.body.params, { action: 'approve' });
    problem(assert, await fleet.post(`/api/v1/trip_requests/${own.id}/reject`, { reason: 'x' }), 409, 'BUR-408');
    assert.equal((await admin.get(`/api/v1/trip_requests/${own.id}`)).body.status, 'submitted');
    problem(assert, await leader.post(`/api/v1/trip_requests/${own.id}/reject`, {}), 422, 'BUR-201', ['reason']);
    const rj = await leader.post(`/api/v1/trip_requests/${own.id}/reject`, { reason: '可合并出行' });
    assert.equal(rj.status, 200, rj.text);
    assert.equal(rj.body.status, 'rejected');
    problem(assert, await leader.post(`/api/v1/trip_requests/${own.id}/approve`, {}), 409, 'BUR-408');

    const v = await vehicle();
    const d = await newDriver();
    // dispatching an unapproved request
    const sub = await file(staff);
    const before = (await admin.get(`/api/v1/trip_requests/${sub.id}`)).body;
    problem(assert, await fleet.post(`/api/v1/trip_requests/${sub.id}/dispatch`, { vehicle_id: v.id, driver_id: d.id }), 409, 'BUR-408');
    assert.deepEqual((await admin.get(`/api/v1/trip_requests/${sub.id}`)).body, before);
    // a cancelled one
    const ok = await approved();
    const cn = await staff.post(`/api/v1/trip_requests/${ok.id}/cancel`, { reason: '会议取消' });
    assert.equal(cn.status, 200, cn.text);
    problem(assert, await fleet.post(`/api/v1/trip_requests/${ok.id}/dispatch`, { vehicle_id: v.id, driver_id: d.id }), 409, 'BUR-408');
    problem(assert, await staff.post(`/api/v1/trip_requests/${ok.id}/cancel`, {}), 409, 'BUR-408');
    // a dispatch names both, and nothing else
    const ap = await approved();
    problem(assert, await fleet.post(`/api/v1/trip_requests/${ap.id}/dispatch`, { vehicle_id: v.id }), 422, 'BUR-201', ['driver_id']);
    problem(assert, await fleet.post(`/api/v1/trip_requests/${ap.id}/dispatch`, { vehicle_id: 'x', driver_id: d.id }), 422, 'BUR-201', ['vehicle_id']);
    problem(assert, await fleet.post(`/api/v1/trip_requests/${ap.id}/dispatch`, { vehicle_id: v.id, driver_id: d.id, extra: 1 }), 422, 'BUR-201', ['extra']);
    problem(assert, await fleet.post(`/api/v1/trip_requests/${ap.id}/dispatch`, { vehicle_id: 99999999, driver_id: d.id }), 422, 'BUR-201', ['vehicle_id']);
    // the leader approves but does not dispatch; staff neither
    problem(assert, await leader.post(`/api/v1/trip_requests/${ap.id}/dispatch`, { vehicle_id: v.id, driver_id: d.id }), 403, 'BUR-302');
    problem(assert, await staff.post(`/api/v1/trip_requests/${ap.id}/dispatch`, { vehicle_id: v.id, driver_id: d.id }), 403, 'BUR-302');
    // a request ends after it starts
    const bad = await staff.post('/api/v1/trip_requests', { purpose: 'x', origin: 'a', destination: 'b', start_at: at(5, 12), end_at: at(5, 9) });
    problem(assert, bad, 422, 'BUR-201', ['end_at']);
});

test('overlaps, repairs, licences and seats: 409 or 422, nothing changed', async () => {
    const v = await vehicle(), v2 = await vehicle();
    const d1 = await newDriver(), d2 = await newDriver();
    const a = await approved({ start_at: at(10, 9), end_at: at(10, 12) });
    const b = await approved({ start_at: at(10, 11), end_at: at(10, 15) });
    const adj = await approved({ start_at: at(10, 12), end_at: at(10, 13) });
    assert.equal((await fleet.post(`/api/v1/trip_requests/${a.id}/dispatch`, { vehicle_id: v.id, driver_id: d1.id })).status, 200);
    // the same vehicle, or the same driver, at an overlapping time
    let r = await fleet.post(`/api/v1/trip_requests/${b.id}/dispatch`, { vehicle_id: v.id, driver_id: d2.id });
    problem(assert, r, 409, 'BUR-408');
    assert.equal(r.body.key, 'fleet.dispatch.vehicle_busy');
    assert.equal(r.body.params.plate, v.plate);
    r = await fleet.post(`/api/v1/trip_requests/${b.id}/dispatch`, { vehicle_id: v2.id, driver_id: d1.id });
    problem(assert, r, 409, 'BUR-408');
    assert.equal(r.body.key, 'fleet.dispatch.driver_busy');
    const still = (await admin.get(`/api/v1/trip_requests/${b.id}`)).body;
    assert.equal(still.status, 'approved');
    assert.equal(still.vehicle_id, null);
    assert.equal(Number(sql(`SELECT COUNT(*) FROM trips WHERE request_id = ${b.id}`)), 0);
    // candidates leave them out
    const c = (await fleet.get(`/api/v1/trip_requests/${b.id}/candidates`)).body;
    assert.ok(!c.vehicles.some((x) => x.id === v.id) && c.vehicles.some((x) => x.id === v2.id));
    assert.ok(!c.drivers.some((x) => x.id === d1.id) && c.drivers.some((x) => x.id === d2.id));
    // and say why: busy with request a, from its start to its end
    const why = (list, id) => list.find((x) => x.id === id);
    const busyV = why(c.unavailable.vehicles, v.id), busyD = why(c.unavailable.drivers, d1.id);
    for (const x of [busyV, busyD]) {
        assert.ok(x, `busy ones are listed apart: ${JSON.stringify(c.unavailable)}`);
        assert.equal(x.reason, 'busy');
        assert.equal(x.busy_with.request_id, a.id);
        assert.equal(Date.parse(x.busy_with.start_at), Date.parse(a.start_at));
        assert.equal(Date.parse(x.busy_with.end_at), Date.parse(a.end_at));
    }
    assert.equal(busyV.plate, v.plate);
    assert.ok(!why(c.unavailable.vehicles, v2.id) && !why(c.unavailable.drivers, d2.id), 'a candidate is not also unavailable');
    // back to back is no overlap
    assert.equal((await fleet.post(`/api/v1/trip_requests/${adj.id}/dispatch`, { vehicle_id: v.id, driver_id: d1.id })).status, 200);
    // cancelling frees both
    const cn = await fleet.post(`/api/v1/trip_requests/${a.id}/cancel`, { reason: '改期' });
    assert.equal(cn.status, 200, cn.text);
    assert.equal((await admin.all('trips', { request_id: a.id }))[0].status, 'cancelled');
    const driverCancelled = await admin.get(`/api/v1/trip_requests/${a.id}`);
    assert.equal(driverCancelled.body.status, 'cancelled');
    assert.equal((await fleet.post(`/api/v1/trip_requests/${b.id}/dispatch`, { vehicle_id: v.id, driver_id: d1.id })).status, 409, 'still the adjacent one until 13:00');
    const b2 = await approved({ start_at: at(10, 9), end_at: at(10, 11, 30) });
    assert.equal((await fleet.post(`/api/v1/trip_requests/${b2.id}/dispatch`, { vehicle_id: v.id, driver_id: d1.id })).status, 200, 'freed by the cancellation');

    // a vehicle in repair is not dispatched, nor proposed
    const rp = await fleet.post(`/api/v1/vehicles/${v2.id}/repair`, { note: '更换刹车片' });
    assert.equal(rp.status, 200, rp.text);
    assert.equal(rp.body.status, 'in_repair');
    const e = await approved({ start_at: at(11, 9), end_at: at(11, 10) });
    r = await fleet.post(`/api/v1/trip_requests/${e.id}/dispatch`, { vehicle_id: v2.id, driver_id: d2.id });
    problem(assert, r, 409, 'BUR-408');
    assert.equal(r.body.key, 'fleet.dispatch.vehicle_out');
    assert.equal(r.body.params.status, 'in_repair');
    const ce = (await fleet.get(`/api/v1/trip_requests/${e.id}/candidates`)).body;
    assert.ok(!ce.vehicles.some((x) => x.id === v2.id));
    assert.equal(ce.unavailable.vehicles.find((x) => x.id === v2.id).reason, 'in_repair');
    problem(assert, await fleet.post(`/api/v1/vehicles/${v2.id}/repair`, {}), 409, 'BUR-408');
    assert.equal((await fleet.post(`/api/v1/vehicles/${v2.id}/repaired`, {})).status, 200);
    // a vehicle with dispatched trips does not go to repair
    problem(assert, await fleet.post(`/api/v1/vehicles/${v.id}/repair`, {}), 409, 'BUR-408');

    // licences: expired before the trip ends, or of a class that may not drive it
    const f = await approved({ start_at: at(12, 9), end_at: at(12, 17), seats_needed: 12 });
    const bus = await vehicle({ plate: plate(), energy: 'diesel', seats: 15, automatic: false, displacement_l: 2.2, brand: '江铃', model: '全顺', over_standard_reason: '中型客车，承担会议保障' });
    const expired = await newDriver({ licence_class: 'B1', licence_until: localDate(11) });
    const c1 = await newDriver({ licence_class: 'C1' });
    const b1 = await newDriver({ licence_class: 'B1' });
    r = await fleet.post(`/api/v1/trip_requests/${f.id}/dispatch`, { vehicle_id: bus.id, driver_id: expired.id });
    problem(assert, r, 422, 'BUR-201', ['driver_id']);
    assert.match(r.body.errors[0].message, /licence/);
    r = await fleet.post(`/api/v1/trip_requests/${f.id}/dispatch`, { vehicle_id: bus.id, driver_id: c1.id });
    problem(assert, r, 422, 'BUR-201', ['driver_id']);
    assert.match(r.body.errors[0].message, /C1/);
    // too few seats
    problem(assert, await fleet.post(`/api/v1/trip_requests/${f.id}/dispatch`, { vehicle_id: v2.id, driver_id: b1.id }), 422, 'BUR-201', ['vehicle_id']);
    const cf = (await fleet.get(`/api/v1/trip_requests/${f.id}/candidates`)).body;
    assert.ok(cf.vehicles.every((x) => x.seats >= 12));
    assert.ok(!cf.drivers.some((x) => x.id === expired.id || x.id === c1.id));
    assert.ok(cf.drivers.some((x) => x.id === b1.id));
    assert.equal(cf.unavailable.vehicles.find((x) => x.id === v2.id).reason, 'seats');
    assert.equal(cf.unavailable.drivers.find((x) => x.id === expired.id).reason, 'licence_expired');
    assert.equal(cf.unavailable.drivers.find((x) => x.id === c1.id).reason, 'licence_class');
    for (const x of [...cf.unavailable.vehicles, ...cf.unavailable.drivers])
        assert.ok(['busy', 'seats', 'in_repair', 'to_scrap', 'licence_expired', 'licence_class', 'no_vehicle'].includes(x.reason), JSON.stringify(x));
    assert.ok(!cf.unavailable.vehicles.some((x) => x.status === 'scrapped'), 'scrapped cars are not listed at all');
    // no car big enough: no driver is proposed, and each free one says so
    assert.ok(!(await admin.all('vehicles')).some((x) => x.seats >= 60 && x.status !== 'scrapped'), 'no 60-seat coach in the demo');
    const huge = await approved({ start_at: at(14, 9), end_at: at(14, 10), seats_needed: 60 });
    const ch = (await fleet.get(`/api/v1/trip_requests/${huge.id}/candidates`)).body;
    assert.deepEqual([ch.vehicles.length, ch.drivers.length], [0, 0]);
    assert.equal(ch.unavailable.drivers.find((x) => x.id === b1.id).reason, 'no_vehicle');
    assert.equal((await admin.get(`/api/v1/trip_requests/${f.id}`)).body.status, 'approved', 'refusals changed nothing');
    const ok = await fleet.post(`/api/v1/trip_requests/${f.id}/dispatch`, { vehicle_id: bus.id, driver_id: b1.id });
    assert.equal(ok.status, 200, ok.text);
    // a C2 licence drives small automatic cars only
    const auto = await approved({ start_at: at(13, 9), end_at: at(13, 10) });
    const c2 = await newDriver({ licence_class: 'C2' });
    const manual = await vehicle({ energy: 'petrol', automatic: false, displacement_l: 1.5, brand: '吉利', model: '帝豪' });
    problem(assert, await fleet.post(`/api/v1/trip_requests/${auto.id}/dispatch`, { vehicle_id: manual.id, driver_id: c2.id }), 422, 'BUR-201', ['driver_id']);
    assert.equal((await fleet.post(`/api/v1/trip_requests/${auto.id}/dispatch`, { vehicle_id: v2.id, driver_id: c2.id })).status, 200);
});

// Runs n concurrent dispatch attempts; returns the statuses.
async function race(pairs) {
    const client = api(srv.url, { username: 'fleet_manager', password: PW });
    await client.login();
    return Promise.all(pairs.map(([rq, v, d]) => client.post(`/api/v1/trip_requests/${rq}/dispatch`, { vehicle_id: v, driver_id: d })));
}

test('64 concurrent dispatches of one vehicle for overlapping requests: exactly one wins', async () => {
    const v = await vehicle();
    const requests = [], drivers = [];
    for (let i = 0; i < 64; i++) {
        requests.push(await approved({ start_at: at(40, 8, i % 30), end_at: at(40, 11, i % 45) }));
        drivers.push(await newDriver());
    }
    const answers = await race(requests.map((rq, i) => [rq.id, v.id, drivers[i].id]));
    const ok = answers.filter((r) => r.status === 200);
    const refused = answers.filter((r) => r.status === 409);
    assert.equal(ok.length, 1, answers.map((r) => `${r.status} ${r.body && r.body.detail}`).join('\n'));
    assert.equal(refused.length, 63, answers.filter((r) => r.status !== 200 && r.status !== 409).map((r) => r.text).join('\n'));
    for (const r of refused) assert.equal(r.body.code, 'BUR-408');
    assert.equal(sql(`SELECT COUNT(*) FROM trip_requests WHERE vehicle_id = ${v.id} AND status = 'dispatched'`), '1');
    assert.equal(sql(`SELECT COUNT(*) FROM trips WHERE vehicle_id = ${v.id}`), '1');
    // and one driver for 16 vehicles
    const d = await newDriver();
    const rs = [], vs = [];
    for (let i = 0; i < 16; i++) {
        rs.push(await approved({ start_at: at(41, 9, i), end_at: at(41, 10, i) }));
        vs.push(await vehicle());
    }
    const ds = await race(rs.map((rq, i) => [rq.id, vs[i].id, d.id]));
    assert.equal(ds.filter((r) => r.status === 200).length, 1, ds.map((r) => `${r.status} ${r.text}`).join('\n'));
    assert.equal(ds.filter((r) => r.status === 409).length, 15);
    assert.equal(sql(`SELECT COUNT(*) FROM trip_requests WHERE driver_id = ${d.id} AND status = 'dispatched'`), '1');
});

test('renewal: eligibility at the boundaries, plans of eligible vehicles, dispose before replace', async () => {
    const Y = 2031;
    const mk = (over) => vehicle({ class: 'other', ...over });
    // electric: more than 8 years and at least 200,000 km (Guangdong)
    const evExact = await mk({ energy: 'electric', registered_on: `${Y - 8}-12-31`, odometer_km: 250000 });
    const evOver = await mk({ energy: 'electric', registered_on: `${Y - 8}-12-30`, odometer_km: 200000 });
    const evShort = await mk({ energy: 'electric', registered_on: `${Y - 8}-12-30`, odometer_km: 199999 });
    // the others: 8 years or more (the seeded common rule), mileage not needed
    const fuelExact = await mk({ energy: 'petrol', displacement_l: 1.5, registered_on: `${Y - 8}-12-31`, odometer_km: 10 });
    const fuelYoung = await mk({ energy: 'hybrid', displacement_l: 1.8, registered_on: `${Y - 7}-01-01`, odometer_km: 500000 });
    const leap = await mk({ energy: 'petrol', displacement_l: 1.5, registered_on: '2020-02-29', odometer_km: 10 });
    const list = async (y) => {
        const r = await fleet.get(`/api/v1/fleet/renewal?year=${y}`);
        assert.equal(r.status, 200, r.text);
        return new Map(r.body.items.map((x) => [x.vehicle_id, x]));
    };
    let el = await list(Y);
    assert.ok(!el.has(evExact.id), 'exactly 8 years is not more than 8');
    assert.ok(el.has(evOver.id), '8 years and a day, 200,000 km');
    assert.ok(!el.has(evShort.id), '199,999 km is short');
    assert.ok(el.has(fuelExact.id), '8 years on the day counts');
    assert.ok(!el.has(fuelYoung.id), '7 years, whatever the mileage');
    const x = el.get(evOver.id);
    assert.equal(x.years_in_use, 8);
    assert.equal(x.odometer_km, 200000);
    assert.equal(x.limits.new_energy.max_price_fen, 18000000);
    assert.equal(x.limits.fuel.max_displacement_l, 1.8);
    assert.equal(x.rule.min_km, 200000);
    // 2020-02-29 + 8 years = 2028-02-28 (a common year): eligible in 2028
    assert.ok((await list(2028)).has(leap.id));
    assert.ok(!(await list(2027)).has(leap.id));
    problem(assert, await fleet.get('/api/v1/fleet/renewal?year=abc'), 400, 'BUR-102');

    // the tenant's settings decide: 250,000 km makes evOver ineligible
    const rule = (await admin.all('vehicle_renewal_rules')).find((r) => r.energy_group === 'electric');
    assert.equal((await admin.patch(`/api/v1/vehicle_renewal_rules/${rule.id}`, { min_km: 250000 })).status, 200);
    el = await list(Y);
    assert.ok(!el.has(evOver.id));
    assert.equal((await admin.patch(`/api/v1/vehicle_renewal_rules/${rule.id}`, { min_km: 200000 })).status, 200);

    // a plan names only eligible vehicles
    const plan = await fleet.post('/api/v1/renewal_plans', { year: Y, name: `${Y}年度公务用车更新计划` });
    assert.equal(plan.status, 201, plan.text);
    const nItems = Number(sql('SELECT COUNT(*) FROM renewal_plan_items'));
    for (const v of [evExact, evShort, fuelYoung])
        problem(assert, await fleet.post('/api/v1/renewal_plan_items', { plan_id: plan.body.id, vehicle_id: v.id }), 422, 'BUR-201', ['vehicle_id']);
    assert.equal(Number(sql('SELECT COUNT(*) FROM renewal_plan_items')), nItems, 'nothing stored');
    const item = await fleet.post('/api/v1/renewal_plan_items', { plan_id: plan.body.id, vehicle_id: evOver.id, class: 'other', energy: 'electric', planned_price_fen: 15000000 });
    assert.equal(item.status, 201, item.text);
    assert.equal((await fleet.post('/api/v1/renewal_plan_items', { plan_id: plan.body.id, vehicle_id: fuelExact.id })).status, 201);

    // dispose before replace: the successor waits for the predecessor's disposal
    const repl = await vehicle({ registered_on: localDate(0) });
    problem(assert, await fleet.patch(`/api/v1/renewal_plan_items/${item.body.id}`, { replacement_id: repl.id }), 409, 'BUR-408', ['replacement_id']);
    problem(assert, await fleet.post('/api/v1/vehicles', { plate: plate(true), class: 'other', brand: '比亚迪', energy: 'electric', registered_on: localDate(0), replaces_id: evOver.id }), 409, 'BUR-408', ['replaces_id']);
    const ap = await fleet.post('/api/v1/vehicle_disposals', { vehicle_id: evOver.id, reason: '使用年限和里程均已达到更新条件', method: 'auction' });
    assert.equal(ap.status, 201, ap.text);
    assert.equal(ap.body.status, 'applied');
    assert.equal((await admin.get(`/api/v1/vehicles/${evOver.id}`)).body.status, 'to_scrap');
    problem(assert, await fleet.post('/api/v1/vehicle_disposals', { vehicle_id: evOver.id, reason: '重复申请' }), 409, 'BUR-408');
    problem(assert, await fleet.post(`/api/v1/vehicle_disposals/${ap.body.id}/approve`, {}), 409, 'BUR-408'); // own
    problem(assert, await leader.post(`/api/v1/vehicle_disposals/${ap.body.id}/dispose`, {}), 403, 'BUR-302');
    problem(assert, await fleet.post(`/api/v1/vehicle_disposals/${ap.body.id}/dispose`, {}), 409, 'BUR-408'); // not approved
    assert.equal((await leader.post(`/api/v1/vehicle_disposals/${ap.body.id}/approve`, {})).status, 200);
    problem(assert, await fleet.patch(`/api/v1/renewal_plan_items/${item.body.id}`, { replacement_id: repl.id }), 409, 'BUR-408');
    problem(assert, await fleet.post(`/api/v1/vehicle_disposals/${ap.body.id}/dispose`, { method: 'sold' }), 422, 'BUR-201', ['method']);
    const done = await fleet.post(`/api/v1/vehicle_disposals/${ap.body.id}/dispose`, { proceeds_fen: 2300000 });
    assert.equal(done.status, 200, done.text);
    assert.equal(done.body.status, 'disposed');
    assert.equal(done.body.method, 'auction');
    assert.equal((await admin.get(`/api/v1/vehicles/${evOver.id}`)).body.status, 'scrapped');
    const set = await fleet.patch(`/api/v1/renewal_plan_items/${item.body.id}`, { replacement_id: repl.id });
    assert.equal(set.status, 200, set.text);
    const succ = await fleet.post('/api/v1/vehicles', { plate: plate(true), class: 'other', brand: '比亚迪', energy: 'electric', registered_on: localDate(0), replaces_id: evOver.id });
    assert.equal(succ.status, 201, succ.text);
    // a disposed-of vehicle is no longer listed, nor planned again
    assert.ok(!(await list(Y)).has(evOver.id));
});

test('the monthly cost report equals the rows: km, costs by kind, cost per km, utilisation', async () => {
    const d = new Date(Date.now() + offsetMin * 60000);
    const prev = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1));
    const month = prev.toISOString().slice(0, 7);
    const next = new Date(Date.UTC(prev.getUTCFullYear(), prev.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
    const r = await fleet.get(`/api/v1/fleet/costs?month=${month}`);
    assert.equal(r.status, 200, r.text);
    const rep = r.body;
    assert.equal(rep.month, month);
    assert.ok(rep.working_days >= 16 && rep.working_days <= 23, `${rep.working_days} working days`);
    const from = Math.floor(prev.getTime() / 1000) - offsetMin * 60, to = Math.floor(Date.parse(next) / 1000) - offsetMin * 60;
    // costs from the rows
    const want = new Map();
    for (const [vid, kind, sum] of rows(`SELECT vehicle_id, kind, SUM(amount_fen) FROM vehicle_costs WHERE incurred_on >= '${month}-01' AND incurred_on < '${next}' GROUP BY vehicle_id, kind`)) {
        const w = want.get(Number(vid)) || { costs: {}, total: 0, km: 0, trips: 0, days: new Set() };
        w.costs[kind] = Number(sum);
        w.total += Number(sum);
        want.set(Number(vid), w);
    }
    for (const [vid, s, e, km] of rows(`SELECT vehicle_id, started_at, ended_at, distance_km FROM trips WHERE status = 'closed' AND started_at >= ${from} AND started_at < ${to}`)) {
        const w = want.get(Number(vid)) || { costs: {}, total: 0, km: 0, trips: 0, days: new Set() };
        w.km += Number(km);
        w.trips++;
        const off = offsetMin * 60;
        for (let day = Math.floor((Number(s) + off) / 86400); day <= Math.floor((Number(e) - 1 + off) / 86400); day++)
            if (day * 86400 - off < to) w.days.add(day);
        want.set(Number(vid), w);
    }
    assert.ok(want.size > 50, 'the demo month has activity');
    const got = new Map(rep.vehicles.map((v) => [v.vehicle_id, v]));
    let totalFen = 0, totalKm = 0;
    for (const [vid, w] of want) {
        const g = got.get(vid);
        assert.ok(g, `vehicle ${vid} in the report`);
        for (const [k, v] of Object.entries(w.costs)) assert.equal(g.costs[k], v, `vehicle ${vid} ${k}`);
        assert.equal(g.total_fen, w.total, `vehicle ${vid} total`);
        assert.equal(g.km, w.km, `vehicle ${vid} km`);
        assert.equal(g.trips, w.trips);
        assert.equal(g.days_used, w.days.size, `vehicle ${vid} days`);
        assert.equal(g.cost_per_km_fen, w.km ? Math.round(w.total / w.km) : null);
        // one decimal, half up from the exact fraction
        assert.equal(g.utilisation_pct, Math.floor((w.days.size * 2000 + rep.working_days) / (2 * rep.working_days)) / 10);
        totalFen += w.total;
        totalKm += w.km;
    }
    for (const g of rep.vehicles) if (!want.has(g.vehicle_id)) assert.equal(g.total_fen + g.km, 0);
    assert.equal(rep.total.total_fen, totalFen);
    assert.equal(rep.total.km, totalKm);
    const x = await fleet.fetch(`/api/v1/fleet/costs.xlsx?month=${month}`);
    assert.equal(x.status, 200);
    assert.match(x.headers.get('content-type'), /spreadsheetml/);
    const buf = Buffer.from(await x.arrayBuffer());
    assert.equal(buf.subarray(0, 2).toString(), 'PK');
    problem(assert, await fleet.get('/api/v1/fleet/costs?month=2026-13'), 400, 'BUR-102');
    problem(assert, await staff.get(`/api/v1/fleet/costs?month=${month}`), 403, 'BUR-302');
    assert.equal((await leader.get(`/api/v1/fleet/costs?month=${month}`)).status, 200);
});

test('a vehicle\'s figures by month equal its rows of each monthly report', async () => {
    // the busiest car of the demo year
    const [[vid]] = rows(`SELECT vehicle_id FROM trips WHERE status = 'closed' GROUP BY vehicle_id ORDER BY COUNT(*) DESC, vehicle_id LIMIT 1`);
    const id = Number(vid);
    const r = await fleet.get(`/api/v1/vehicles/${id}/figures`);
    assert.equal(r.status, 200, r.text);
    const f = r.body;
    assert.equal(f.vehicle_id, id);
    assert.equal(f.months.length, 12);
    const d = new Date(Date.now() + offsetMin * 60000);
    assert.equal(f.to, d.toISOString().slice(0, 7), 'up to this month');
    assert.equal(f.months[0].month, f.from);
    const sum = { total_fen: 0, km: 0, trips: 0, days_used: 0, working_days: 0 };
    for (const mo of f.months) {
        const rep = (await fleet.get(`/api/v1/fleet/costs?month=${mo.month}`)).body;
        const row = rep.vehicles.find((v) => v.vehicle_id === id);
        assert.ok(row, `${mo.month}: the car is in the report`);
        assert.equal(mo.working_days, rep.working_days, mo.month);
        for (const k of ['trips', 'km', 'days_used', 'utilisation_pct', 'total_fen', 'cost_per_km_fen'])
            assert.deepEqual(mo[k], row[k], `${mo.month} ${k}`);
        assert.deepEqual(mo.costs, row.costs, `${mo.month} costs by kind`);
        for (const k of Object.keys(sum)) sum[k] += mo[k];
    }
    assert.ok(sum.trips > 10 && sum.total_fen > 0, `a busy car: ${JSON.stringify(sum)}`);
    for (const k of Object.keys(sum)) assert.equal(f.total[k], sum[k], `total ${k}`);
    assert.equal(f.total.cost_per_km_fen, Math.round(sum.total_fen / sum.km));
    // the rows themselves, over the whole span
    const [[fen]] = rows(`SELECT COALESCE(SUM(amount_fen), 0) FROM vehicle_costs WHERE vehicle_id = ${id} AND incurred_on >= '${f.from}-01'`);
    assert.equal(f.total.total_fen, Number(fen));
    // one month, or an earlier span
    const one = (await fleet.get(`/api/v1/vehicles/${id}/figures?month=${f.months[3].month}&months=1`)).body;
    assert.deepEqual(one.months, [f.months[3]]);
    const two = (await fleet.get(`/api/v1/vehicles/${id}/figures?month=${f.months[5].month}&months=2`)).body;
    assert.deepEqual(two.months, f.months.slice(4, 6));
    // bad input and refusals
    for (const q of ['months=0', 'months=37', 'months=x', 'months=2.5'])
        problem(assert, await fleet.get(`/api/v1/vehicles/${id}/figures?${q}`), 400, 'BUR-102');
    problem(assert, await fleet.get(`/api/v1/vehicles/${id}/figures?month=2026-13`), 400, 'BUR-102');
    problem(assert, await fleet.get('/api/v1/vehicles/99999999/figures'), 404, 'BUR-107');
    problem(assert, await staff.get(`/api/v1/vehicles/${id}/figures`), 403, 'BUR-302');
    problem(assert, await driver.get(`/api/v1/vehicles/${id}/figures`), 403, 'BUR-302');
    assert.equal((await leader.get(`/api/v1/vehicles/${id}/figures`)).status, 200);
});

test('expiry reminders reach the fleet managers once per item and date', async () => {
    const v = await vehicle({ insurance_until: localDate(10), inspection_until: localDate(60) });
    const d = await newDriver({ licence_until: localDate(5) });
    await runJob('fleet.reminders');
    const seen = await fleet.get('/api/v1/me/notifications?limit=100');
    assert.equal(seen.status, 200, seen.text);
    const mine = (await admin.all('fleet_reminders')).filter((x) => x.vehicle_id === v.id || x.driver_id === d.id);
    assert.deepEqual(mine.map((x) => x.kind).sort(), ['insurance', 'licence']);
    const n = Number(sql(`SELECT COUNT(*) FROM notifications WHERE kind = 'fleet.expiry' AND user_id = ${fleet.session.user.id}`));
    assert.ok(n >= 2, `${n} notifications`);
    await runJob('fleet.reminders');
    assert.equal(Number(sql(`SELECT COUNT(*) FROM notifications WHERE kind = 'fleet.expiry' AND user_id = ${fleet.session.user.id}`)), n, 'no second reminder');
    // a renewed date that again falls due gets its own
    assert.equal((await fleet.patch(`/api/v1/vehicles/${v.id}`, { insurance_until: localDate(20) })).status, 200);
    await runJob('fleet.reminders');
    assert.equal(Number(sql(`SELECT COUNT(*) FROM notifications WHERE kind = 'fleet.expiry' AND user_id = ${fleet.session.user.id}`)), n + 1);
});

test('who sees what: a driver their trips, a liaison their departments\' requests, staff their own', async () => {
    // staff: their own requests only; no trips, no costs
    const mine = await staff.all('trip_requests');
    assert.ok(mine.length > 0);
    for (const r of mine) assert.equal(r.requester_id, staff.session.user.id);
    problem(assert, await staff.get('/api/v1/trips'), 403, 'BUR-302');
    problem(assert, await staff.get('/api/v1/vehicle_costs'), 403, 'BUR-302');
    problem(assert, await staff.post('/api/v1/vehicles', { plate: plate(), class: 'other', brand: 'x', registered_on: '2025-01-01' }), 403, 'BUR-302');
    const other = (await admin.all('trip_requests', { status: 'completed' })).find((r) => r.requester_id !== staff.session.user.id);
    problem(assert, await staff.get(`/api/v1/trip_requests/${other.id}`), 404, 'BUR-107');
    problem(assert, await staff.get(`/api/v1/trip_requests/${other.id}/slip`), 404, 'BUR-107');

    // liaison: their department subtree
    const me = (await admin.all('users', { username: 'liaison' }))[0];
    const person = (await admin.get(`/api/v1/people/${me.person_id}`)).body;
    const depts = await admin.all('departments');
    const sub = m.subtreeOf(depts, person.department_id);
    const seen = await liaison.all('trip_requests');
    for (const r of seen) assert.ok(sub.has(r.department_id), `request ${r.id} of department ${r.department_id}`);
    const all = await admin.all('trip_requests');
    assert.equal(seen.length, all.filter((r) => sub.has(r.department_id)).length);
    const filed = await file(liaison);
    assert.equal(filed.department_id, person.department_id);
    problem(assert, await liaison.post(`/api/v1/trip_requests/${filed.id}/approve`, {}), 403, 'BUR-302');

    // driver: the trips and requests they are dispatched to, nobody else's
    const trips = await driver.all('trips');
    assert.ok(trips.length > 0, 'the demo driver has trips');
    for (const t of trips) assert.equal(t.driver_user_id, driver.session.user.id);
    const foreign = (await admin.all('trips', { status: 'planned' })).find((t) => t.driver_user_id !== driver.session.user.id);
    problem(assert, await driver.get(`/api/v1/trips/${foreign.id}`), 404, 'BUR-107');
    problem(assert, await driver.post(`/api/v1/trips/${foreign.id}/start`, { start_km: 999999 }), 404, 'BUR-107');
    const reqs = await driver.all('trip_requests');
    for (const r of reqs) assert.equal(r.driver_user_id, driver.session.user.id);
    problem(assert, await driver.post('/api/v1/vehicles', {}), 403, 'BUR-302');
    assert.equal((await driver.get('/api/v1/vehicles?limit=1')).status, 200);
    // a role's hidden fields stay out of the slip too
    const done = (await admin.all('trip_requests', { status: 'dispatched' }))[0];
    let r = await admin.post('/api/v1/roles', {
        code: 'fleet_viewer', name: '派车单查看',
        permissions: { trip_requests: { read: 'tenant' } },
        hidden_fields: { trip_requests: ['contact_phone', 'passengers'], drivers: ['phone', 'licence_until'] },
    });
    assert.equal(r.status, 201, r.text);
    r = await admin.post('/api/v1/users', { username: 'fleet_viewer1', display_name: '查看', role_id: r.body.id });
    assert.equal(r.status, 201, r.text);
    const pw = 'Viewer-pass-2026-x';
    assert.equal((await admin.post(`/api/v1/users/${r.body.id}/reset_password`, { password: pw })).status, 200);
    const viewer = await m.signInChanging(srv.url, { username: 'fleet_viewer1', password: pw, newPassword: pw + '-2' });
    const vs = await viewer.get(`/api/v1/trip_requests/${done.id}/slip`);
    assert.equal(vs.status, 200, m.show(vs));
    assert.ok(!('contact_phone' in vs.body.request) && !('passengers' in vs.body.request));
    assert.ok(!('phone' in vs.body.driver) && !('licence_until' in vs.body.driver) && vs.body.driver.name);
    const full = await admin.get(`/api/v1/trip_requests/${done.id}/slip`);
    assert.ok('phone' in full.body.driver && 'contact_phone' in full.body.request);

    // the leader reads everything, writes nothing but approvals
    assert.equal((await leader.get('/api/v1/trips?limit=1')).status, 200);
    problem(assert, await leader.post('/api/v1/trip_requests', {}), 403, 'BUR-302');
});
