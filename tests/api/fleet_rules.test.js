// SPDX-License-Identifier: MIT
// fleet_rules.test.js - the rules of official vehicles beyond the workflow,
// on the demo district: the class standards enforced when a vehicle is
// registered or changed and when a renewal is planned (the price at the limit
// and a fen over, 1.8 L and 1.81 L, a plug-in hybrid against the new-energy
// price, the tenant's own limits, an exception only with a reason from a role
// allowed to override, kept, audited and listed in the renewal report); a car
// still out past the end of its trip refused for a request that starts before
// it can be back (and said so among the candidates), one on time not; the
// plausibility of a trip (a start far from the plan, 46 km in no time, a
// distance far from the usual for the destination) asking for a reason that
// the trip keeps; the driver's card (the requester's phone, the dispatch
// note); drivers with an account proposed first. Every refusal changes
// nothing.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, api, problem } = require('./lib/server');
const m = require('./lib/matrix');

const PW = 'Bureau-demo-2026';
let srv, admin, fleet, leader, staff, driver;
const sql = (text) => m.sqlShell(srv, text).trim();
const count = (table) => Number(sql(`SELECT COUNT(*) FROM ${table}`));
const uniq = () => `${process.pid % 1000}${Date.now() % 100000}${Math.floor(Math.random() * 1000)}`;

// An instant minutes from now, as RFC 3339.
const fromNow = (min) => new Date(Math.floor((Date.now() + min * 60000) / 1000) * 1000).toISOString().replace('.000Z', 'Z');

let plateN = 0;
function plate(nev = false) {
    plateN++;
    return nev ? `粤B·F${String(20000 + plateN)}` : `粤B·${String(70000 + plateN)}`;
}

const car = (over = {}) => ({
    plate: plate(over.energy === 'electric' || over.energy === 'phev'), class: 'other', brand: '吉利', model: '帝豪', seats: 5,
    energy: 'petrol', displacement_l: 1.5, price_fen: 9000000, registered_on: '2024-03-01', odometer_km: 1000, ...over,
});

async function vehicle(over = {}) {
    const r = await fleet.post('/api/v1/vehicles', car(over));
    assert.equal(r.status, 201, r.text);
    return r.body;
}

let personPool = null;
async function newDriver(over = {}) {
    if (!personPool) {
        const taken = new Set((await admin.all('drivers')).map((d) => d.person_id));
        personPool = (await admin.all('people', { active: true })).filter((p) => !taken.has(p.id)).map((p) => p.id);
    }
    const r = await fleet.post('/api/v1/drivers', { person_id: personPool.shift(), licence_class: 'C1', licence_until: '2035-12-31', ...over });
    assert.equal(r.status, 201, r.text);
    return r.body;
}

async function approved(over = {}) {
    const f = await staff.post('/api/v1/trip_requests', {
        purpose: '业务检查', origin: '区行政中心', destination: '龙城街道', start_at: fromNow(60 * 24 * 20), end_at: fromNow(60 * 24 * 20 + 120),
        seats_needed: 1, ...over,
    });
    assert.equal(f.status, 201, f.text);
    const a = await leader.post(`/api/v1/trip_requests/${f.body.id}/approve`, {});
    assert.equal(a.status, 200, a.text);
    return a.body;
}

async function dispatch(rq, v, d, over = {}) {
    const r = await fleet.post(`/api/v1/trip_requests/${rq.id}/dispatch`, { vehicle_id: v.id, driver_id: d.id, ...over });
    assert.equal(r.status, 200, r.text);
    return (await admin.all('trips', { request_id: rq.id }))[0];
}

async function setting(name, value) {
    const row = (await admin.all('fleet_settings', { name })).sort((a, b) => b.id - a.id)[0];
    const r = await admin.patch(`/api/v1/fleet_settings/${row.id}`, { value });
    assert.equal(r.status, 200, r.text);
    return row.value;
}

before(async () => {
    srv = await startServer({ demo: true });
    admin = api(srv.url);
    fleet = api(srv.url, { username: 'fleet_manager', password: PW });
    leader = api(srv.url, { username: 'leader', password: PW });
    staff = api(srv.url, { username: 'staff', password: PW });
    driver = api(srv.url, { username: 'driver', password: PW });
    for (const c of [fleet, leader, staff, driver]) await c.login();
});

after(async () => {
    if (srv) await srv.stop();
});

test('the seeded settings and standards are the tenant\'s rows, each with its source', async () => {
    const settings = await admin.all('fleet_settings');
    const by = Object.fromEntries(settings.map((s) => [s.name, s.value]));
    assert.deepEqual(by, {
        start_window_min: 120, max_avg_kmh: 120, distance_ratio_pct: 200, distance_slack_km: 10, distance_min_trips: 3, overdue_hold_min: 120,
    });
    for (const s of settings) assert.ok(s.source && s.confidence, JSON.stringify(s));
    assert.match(settings.find((s) => s.name === 'max_avg_kmh').source, /第七十八条/);
    // a ratio under 100 % would call every distance unusual
    const ratio = settings.find((s) => s.name === 'distance_ratio_pct');
    problem(assert, await admin.patch(`/api/v1/fleet_settings/${ratio.id}`, { value: 99 }), 422, 'BUR-201', ['value']);
    assert.equal((await admin.get(`/api/v1/fleet_settings/${ratio.id}`)).body.value, 200);
    // the demo's over-standard cars carry the leadership's reason
    const demoOver = (await admin.all('vehicles')).filter((v) => v.over_standard_reason);
    assert.ok(demoOver.length > 0, 'some demo cars are over their standard');
    for (const v of demoOver) assert.ok(v.over_standard_by, `${v.plate} names who allowed it`);
});

test('class standards: the price at the limit and a fen over, 1.8 L and 1.81 L, plug-in hybrids, nothing stored when refused', async () => {
    // 其他公务用车: ≤ 180,000 yuan, ≤ 1.8 L
    const atLimit = await vehicle({ price_fen: 18000000, displacement_l: 1.8 });
    assert.equal(atLimit.price_fen, 18000000);
    assert.equal(atLimit.displacement_l, 1.8);
    assert.equal(atLimit.over_standard_reason, null);
    assert.equal(atLimit.over_standard_by, null);
    const n = count('vehicles');
    let r = await fleet.post('/api/v1/vehicles', car({ price_fen: 18000001, displacement_l: 1.8 }));
    problem(assert, r, 422, 'BUR-201', ['price_fen']);
    assert.equal(r.body.errors[0].key, 'fleet.standard.price');
    assert.deepEqual(r.body.errors[0].params, { price_fen: 18000001, limit_fen: 18000000, class: 'other', energy: 'petrol' });
    r = await fleet.post('/api/v1/vehicles', car({ price_fen: 18000000, displacement_l: 1.81 }));
    problem(assert, r, 422, 'BUR-201', ['displacement_l']);
    assert.equal(r.body.errors[0].key, 'fleet.standard.displacement');
    assert.deepEqual(r.body.errors[0].params, { displacement_l: 1.81, limit_l: 1.8, class: 'other', energy: 'petrol' });
    r = await fleet.post('/api/v1/vehicles', car({ price_fen: 25000000, displacement_l: 2.0 }));
    problem(assert, r, 422, 'BUR-201', ['price_fen', 'displacement_l']);
    assert.equal(count('vehicles'), n, 'nothing stored');

    // 机要通信: ≤ 120,000 yuan and 1.6 L; new energy ≤ 180,000 — a plug-in hybrid counts as new energy for the price
    const phev = await vehicle({ class: 'confidential', energy: 'phev', brand: '比亚迪', model: '秦PLUS DM-i', price_fen: 15000000, displacement_l: 1.5 });
    assert.equal(phev.over_standard_reason, null);
    r = await fleet.post('/api/v1/vehicles', car({ class: 'confidential', energy: 'hybrid', price_fen: 15000000, displacement_l: 1.5 }));
    problem(assert, r, 422, 'BUR-201', ['price_fen']);
    assert.deepEqual(r.body.errors[0].params, { price_fen: 15000000, limit_fen: 12000000, class: 'confidential', energy: 'hybrid' });
    r = await fleet.post('/api/v1/vehicles', car({ class: 'confidential', energy: 'phev', price_fen: 18000001, displacement_l: 1.5 }));
    problem(assert, r, 422, 'BUR-201', ['price_fen']);
    assert.equal(r.body.errors[0].params.limit_fen, 18000000);
    // its engine still keeps to the fuel displacement
    r = await fleet.post('/api/v1/vehicles', car({ class: 'confidential', energy: 'phev', price_fen: 15000000, displacement_l: 1.61 }));
    problem(assert, r, 422, 'BUR-201', ['displacement_l']);
    assert.equal(r.body.errors[0].params.limit_l, 1.6);
    // a battery-electric car: 180,000 yuan, no displacement
    await vehicle({ energy: 'electric', displacement_l: null, price_fen: 18000000, brand: '比亚迪', model: '秦PLUS EV' });
    problem(assert, await fleet.post('/api/v1/vehicles', car({ energy: 'electric', displacement_l: null, price_fen: 18000100 })), 422, 'BUR-201', ['price_fen']);
    assert.equal(count('vehicles'), n + 2);

    // a change that puts a registered car over is refused too; one that does not touch the figures is not
    problem(assert, await fleet.patch(`/api/v1/vehicles/${atLimit.id}`, { price_fen: 18000001 }), 422, 'BUR-201', ['price_fen']);
    problem(assert, await fleet.patch(`/api/v1/vehicles/${phev.id}`, { energy: 'hybrid' }), 422, 'BUR-201', ['price_fen']);
    assert.equal((await admin.get(`/api/v1/vehicles/${atLimit.id}`)).body.price_fen, 18000000);
    assert.equal((await fleet.patch(`/api/v1/vehicles/${atLimit.id}`, { note: '定点停放' })).status, 200);

    // the tenant's own limit decides: 200,000 yuan for other cars
    const std = (await admin.all('vehicle_standards', { class: 'other' })).find((s) => s.energy_group === 'other');
    assert.equal((await admin.patch(`/api/v1/vehicle_standards/${std.id}`, { max_price_fen: 20000000 })).status, 200);
    const dearer = await vehicle({ price_fen: 19500000 });
    assert.equal(dearer.over_standard_reason, null);
    assert.equal((await admin.patch(`/api/v1/vehicle_standards/${std.id}`, { max_price_fen: 18000000 })).status, 200);
    problem(assert, await fleet.post('/api/v1/vehicles', car({ price_fen: 19500000 })), 422, 'BUR-201', ['price_fen']);
});

test('an exception needs a reason from a role allowed to override: kept, audited, in the renewal report', async () => {
    // the fleet manager's role holds every verb of the module, "override" among them
    const over = await vehicle({ class: 'emergency', energy: 'diesel', seats: 15, automatic: false, brand: '江铃', model: '全顺', price_fen: 24500000, displacement_l: 2.2, over_standard_reason: '防汛应急中型客车，经局党组会议研究同意' });
    assert.equal(over.over_standard_reason, '防汛应急中型客车，经局党组会议研究同意');
    assert.equal(over.over_standard_by, fleet.session.user.id);
    const h = await admin.get(`/api/v1/vehicles/${over.id}/history`);
    assert.equal(h.status, 200, h.text);
    assert.ok(JSON.stringify(h.body).includes('防汛应急中型客车'), 'the reason is in the audit chain');
    // an empty reason is none
    problem(assert, await fleet.post('/api/v1/vehicles', car({ price_fen: 18000001, over_standard_reason: '' })), 422, 'BUR-201', ['price_fen']);

    // a role that registers vehicles but may not override
    const role = await admin.post('/api/v1/roles', {
        code: `veh_${uniq()}`, name: '车辆登记员', permissions: { vehicles: { read: 'tenant', create: 'tenant', update: 'tenant' } }, hidden_fields: {},
    });
    assert.equal(role.status, 201, role.text);
    const u = await admin.post('/api/v1/users', { username: `dengji${uniq()}`, display_name: '车辆登记员', role_id: role.body.id });
    assert.equal(u.status, 201, u.text);
    await admin.post(`/api/v1/users/${u.body.id}/reset_password`, { password: 'Dengji-Temp-2026x' });
    const clerk = await m.signInChanging(srv.url, { username: u.body.username, password: 'Dengji-Temp-2026x', newPassword: 'Dengji-Real-2026y' });
    const n = count('vehicles');
    problem(assert, await clerk.post('/api/v1/vehicles', car({ price_fen: 18000001 })), 422, 'BUR-201', ['price_fen']);
    const r = await clerk.post('/api/v1/vehicles', car({ price_fen: 18000001, over_standard_reason: '我说可以' }));
    problem(assert, r, 403, 'BUR-302');
    assert.equal(r.body.key, 'fleet.standard.override_role');
    assert.equal(count('vehicles'), n, 'nothing stored');
    // within the standard the clerk registers as before
    const ok = await clerk.post('/api/v1/vehicles', car({ price_fen: 18000000 }));
    assert.equal(ok.status, 201, ok.text);
    // nor may the clerk raise the over-standard car's price under the reason given before
    problem(assert, await clerk.patch(`/api/v1/vehicles/${over.id}`, { price_fen: 26000000 }), 403, 'BUR-302');
    assert.equal((await clerk.patch(`/api/v1/vehicles/${over.id}`, { note: '车库B区' })).status, 200);
    assert.equal((await admin.get(`/api/v1/vehicles/${over.id}`)).body.over_standard_by, fleet.session.user.id);

    // the renewal report lists the exceptions with their reasons
    const rep = await fleet.get('/api/v1/fleet/renewal?year=2031');
    assert.equal(rep.status, 200, rep.text);
    const x = rep.body.over_standard.vehicles.find((v) => v.vehicle_id === over.id);
    assert.deepEqual(x, {
        vehicle_id: over.id, plate: over.plate, class: 'emergency', energy: 'diesel', price_fen: 24500000, displacement_l: 2.2,
        over_standard_reason: '防汛应急中型客车，经局党组会议研究同意', over_standard_by: fleet.session.user.id,
    });
    const withReason = (await admin.all('vehicles')).filter((v) => v.over_standard_reason && v.status !== 'scrapped').map((v) => v.id).sort((a, b) => a - b);
    assert.deepEqual(rep.body.over_standard.vehicles.map((v) => v.vehicle_id), withReason);
});

test('a renewal plan item keeps to the standard of the new car: its class and energy, or those of the car it replaces', async () => {
    const Y = 2033;
    const old = await vehicle({ class: 'confidential', registered_on: '2020-01-01', price_fen: 9000000, displacement_l: 1.5 });
    const plan = await fleet.post('/api/v1/renewal_plans', { year: Y, name: `${Y}年度更新计划` });
    assert.equal(plan.status, 201, plan.text);
    const item = (over) => fleet.post('/api/v1/renewal_plan_items', { plan_id: plan.body.id, vehicle_id: old.id, ...over });
    const n = count('renewal_plan_items');
    // class and energy of the car it replaces: 机要通信, petrol → 120,000 yuan, 1.6 L
    let r = await item({ planned_price_fen: 12000001 });
    problem(assert, r, 422, 'BUR-201', ['planned_price_fen']);
    assert.deepEqual(r.body.errors[0].params, { price_fen: 12000001, limit_fen: 12000000, class: 'confidential', energy: 'petrol' });
    r = await item({ class: 'other', energy: 'petrol', planned_price_fen: 18000000, planned_displacement_l: 1.81 });
    problem(assert, r, 422, 'BUR-201', ['planned_displacement_l']);
    assert.deepEqual(r.body.errors[0].params, { displacement_l: 1.81, limit_l: 1.8, class: 'other', energy: 'petrol' });
    assert.equal(count('renewal_plan_items'), n, 'nothing stored');
    // a plug-in hybrid of 180,000 yuan replaces it within the new-energy limit
    const ok = await item({ energy: 'phev', planned_price_fen: 18000000, planned_displacement_l: 1.5 });
    assert.equal(ok.status, 201, ok.text);
    assert.equal(ok.body.over_standard_reason, null);
    // over, with a reason
    const old2 = await vehicle({ class: 'other', registered_on: '2020-02-01' });
    const ex = await fleet.post('/api/v1/renewal_plan_items', {
        plan_id: plan.body.id, vehicle_id: old2.id, class: 'other', energy: 'diesel', planned_price_fen: 21000000, planned_displacement_l: 2.0,
        over_standard_reason: '山区防汛需四驱车型',
    });
    assert.equal(ex.status, 201, ex.text);
    assert.equal(ex.body.over_standard_by, fleet.session.user.id);
    const rep = (await fleet.get(`/api/v1/fleet/renewal?year=${Y}`)).body;
    assert.deepEqual(rep.over_standard.plan_items, [{
        item_id: ex.body.id, vehicle_id: old2.id, class: 'other', energy: 'diesel', planned_price_fen: 21000000, planned_displacement_l: 2,
        over_standard_reason: '山区防汛需四驱车型', over_standard_by: fleet.session.user.id,
    }]);
});

test('a car still out past the end of its trip is not free for a request that starts before it is back', async () => {
    const v = await vehicle(), d = await newDriver(), d2 = await newDriver();
    // out since three hours ago, due back an hour ago, not back
    const late = await approved({ start_at: fromNow(-180), end_at: fromNow(-60) });
    const trip = await dispatch(late, v, d);
    const st = await fleet.post(`/api/v1/trips/${trip.id}/start`, { start_km: 1000, reason: '补录出车' });
    assert.equal(st.status, 200, st.text);
    assert.equal((await admin.get(`/api/v1/vehicles/${v.id}`)).body.status, 'on_trip');

    // a request in an hour: within the 120 minutes it is held
    const soon = await approved({ start_at: fromNow(60), end_at: fromNow(120) });
    const c = (await fleet.get(`/api/v1/trip_requests/${soon.id}/candidates`)).body;
    assert.ok(!c.vehicles.some((x) => x.id === v.id), 'not proposed');
    const why = c.unavailable.vehicles.find((x) => x.id === v.id);
    assert.equal(why.reason, 'overdue');
    assert.equal(why.overdue_with.request_id, late.id);
    assert.equal(Date.parse(why.overdue_with.end_at), Date.parse(late.end_at));
    const r = await fleet.post(`/api/v1/trip_requests/${soon.id}/dispatch`, { vehicle_id: v.id, driver_id: d2.id });
    problem(assert, r, 409, 'BUR-408');
    assert.equal(r.body.key, 'fleet.dispatch.vehicle_overdue');
    assert.equal(r.body.params.plate, v.plate);
    assert.equal(r.body.params.request, late.id);
    assert.match(r.body.params.due, /^\d{4}-\d\d-\d\d \d\d:\d\d$/);
    const still = (await admin.get(`/api/v1/trip_requests/${soon.id}`)).body;
    assert.deepEqual([still.status, still.vehicle_id], ['approved', null]);
    assert.equal(count(`trips WHERE request_id = ${soon.id}`), 0);

    // a request in three hours is left to the overlap rule: proposed and dispatched
    const later = await approved({ start_at: fromNow(180), end_at: fromNow(240) });
    const cl = (await fleet.get(`/api/v1/trip_requests/${later.id}/candidates`)).body;
    assert.ok(cl.vehicles.some((x) => x.id === v.id), 'proposed for later');
    await dispatch(later, v, d2);

    // the tenant's hold: 30 minutes lets the car take the request in an hour
    const was = await setting('overdue_hold_min', 30);
    assert.equal(was, 120);
    const cs = (await fleet.get(`/api/v1/trip_requests/${soon.id}/candidates`)).body;
    assert.ok(!cs.unavailable.vehicles.some((x) => x.id === v.id && x.reason === 'overdue'));
    await setting('overdue_hold_min', 120);

    // a car out on time (due back in an hour) takes the request right after its end
    const v2 = await vehicle(), d3 = await newDriver(), d4 = await newDriver();
    const onTime = await approved({ start_at: fromNow(-60), end_at: fromNow(60) });
    const t2 = await dispatch(onTime, v2, d3);
    assert.equal((await fleet.post(`/api/v1/trips/${t2.id}/start`, { start_km: 1000 })).status, 200, 'an hour late is within the window');
    const next = await approved({ start_at: onTime.end_at, end_at: fromNow(120) });
    const cn = (await fleet.get(`/api/v1/trip_requests/${next.id}/candidates`)).body;
    assert.ok(cn.vehicles.some((x) => x.id === v2.id), 'a car due back on time is proposed');
    await dispatch(next, v2, d4);

    // back at last: the overdue trip closes (with its reason for the hours) and the car is free
    const back = await fleet.post(`/api/v1/trips/${trip.id}/close`, { end_km: 1040, reason: '会议延长' });
    assert.equal(back.status, 200, back.text);
    const cb = (await fleet.get(`/api/v1/trip_requests/${soon.id}/candidates`)).body;
    assert.ok(cb.vehicles.some((x) => x.id === v.id), 'proposed once back');
});

test('plausible trips: a start far from the plan, an impossible speed, an unusual distance ask for a reason the trip keeps', async () => {
    const v = await vehicle({ odometer_km: 5000 }), d = await newDriver();
    // tomorrow's trip started today
    const tomorrow = await approved({ start_at: fromNow(60 * 24), end_at: fromNow(60 * 25) });
    const t1 = await dispatch(tomorrow, v, d, { note: '请提前到北门等候' });
    let r = await fleet.post(`/api/v1/trips/${t1.id}/start`, { start_km: 5000 });
    problem(assert, r, 422, 'BUR-201', ['reason']);
    assert.equal(r.body.errors[0].key, 'fleet.trip.confirm_early');
    const p = r.body.errors[0].params;
    assert.equal(p.window_min, 120);
    assert.ok(p.minutes >= 24 * 60 - 2 && p.minutes <= 24 * 60, JSON.stringify(p));
    assert.match(p.planned, /^\d{4}-\d\d-\d\d \d\d:\d\d$/);
    let t = (await admin.get(`/api/v1/trips/${t1.id}`)).body;
    assert.deepEqual([t.status, t.start_km, t.start_reason], ['planned', null, null], 'nothing changed');
    assert.equal((await admin.get(`/api/v1/vehicles/${v.id}`)).body.status, 'available');
    r = await fleet.post(`/api/v1/trips/${t1.id}/start`, { start_km: 5000, reason: '会议改到今天' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.start_reason, '会议改到今天');
    assert.equal(r.body.note, null, 'the reason is not the note');
    assert.equal(r.body.dispatch_note, '请提前到北门等候');
    // 46 km in no time
    r = await fleet.post(`/api/v1/trips/${t1.id}/close`, { end_km: 5046 });
    problem(assert, r, 422, 'BUR-201', ['reason']);
    assert.equal(r.body.errors[0].key, 'fleet.trip.confirm_speed');
    assert.deepEqual(r.body.errors[0].params, { distance_km: 46, minutes: 0, max_kmh: 120 });
    t = (await admin.get(`/api/v1/trips/${t1.id}`)).body;
    assert.deepEqual([t.status, t.end_km], ['in_progress', null], 'nothing changed');
    assert.equal((await admin.get(`/api/v1/vehicles/${v.id}`)).body.odometer_km, 5000);
    r = await fleet.post(`/api/v1/trips/${t1.id}/close`, { end_km: 5046, note: '顺利', reason: '忘记按出车，到达后补录' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.body.status, r.body.close_reason, r.body.note, r.body.start_reason], ['closed', '忘记按出车，到达后补录', '顺利', '会议改到今天']);
    const h = await admin.get(`/api/v1/trips/${t1.id}/history`);
    assert.ok(JSON.stringify(h.body).includes('忘记按出车'), 'the reason is audited');

    // three hours late
    const lateRq = await approved({ start_at: fromNow(-180), end_at: fromNow(-120) });
    const t2 = await dispatch(lateRq, v, d);
    r = await fleet.post(`/api/v1/trips/${t2.id}/start`, { start_km: 5046 });
    problem(assert, r, 422, 'BUR-201', ['reason']);
    assert.equal(r.body.errors[0].key, 'fleet.trip.confirm_late');
    // closed at once from the planned start (three hours ago): 0 km is plausible, no reason needed
    r = await fleet.post(`/api/v1/trips/${t2.id}/close`, { start_km: 5046, end_km: 5046 });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.close_reason, null);

    // a destination's usual distance: the median of its last closed trips (3 make one)
    const dest = `测试目的地${uniq()}`;
    let km = 5046, slot = -60 * 24 * 3;
    async function trip(dist, reason) {
        const rq = await approved({ destination: dest, start_at: fromNow(slot), end_at: fromNow(slot + 60) });
        slot += 120;
        const tr = await dispatch(rq, v, d);
        const body = { start_km: km, end_km: km + dist };
        if (reason) body.reason = reason;
        const res = await fleet.post(`/api/v1/trips/${tr.id}/close`, body);
        if (res.status === 200) km += dist;
        return [res, tr];
    }
    for (const dist of [18, 20, 25]) assert.equal((await trip(dist))[0].status, 200, 'no usual yet');
    // usual 20 km: 40 is twice, fine; 41 asks
    let [res, tr] = await trip(41);
    problem(assert, res, 422, 'BUR-201', ['reason']);
    assert.equal(res.body.errors[0].key, 'fleet.trip.confirm_distance');
    assert.deepEqual(res.body.errors[0].params, { distance_km: 41, usual_km: 20, destination: dest, trips: 3 });
    assert.equal((await admin.get(`/api/v1/trips/${tr.id}`)).body.status, 'planned');
    res = await fleet.post(`/api/v1/trips/${tr.id}/close`, { start_km: km, end_km: km + 40 });
    assert.equal(res.status, 200, res.text);
    km += 40;
    // usual now 22 (18, 20, 25, 40): 9 km is less than half and 13 off
    [res, tr] = await trip(9);
    problem(assert, res, 422, 'BUR-201', ['reason']);
    assert.equal(res.body.errors[0].params.usual_km, 22);
    [res] = await trip(9, '中途改派，提前返回');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.close_reason, '中途改派，提前返回');

    // the tenant's thresholds: 4 trips make a usual → still one; a factor of 5 → 41 km is fine
    await setting('distance_ratio_pct', 500);
    [res] = await trip(41);
    assert.equal(res.status, 200, res.text);
    await setting('distance_ratio_pct', 200);
});

test('the driver\'s card: the requester\'s phone, the passengers and the dispatch note; drivers with an account first', async () => {
    const me = (await admin.all('drivers')).find((d) => d.user_id === driver.session.user.id);
    const account = (await admin.get(`/api/v1/users/${staff.session.user.id}`)).body;
    const person = (await admin.get(`/api/v1/people/${account.person_id}`)).body;
    assert.ok(person.phone, 'the demo staff member has a phone');
    const v = await vehicle();
    const rq = await approved({ passengers: '张三、李四' });
    assert.equal(rq.contact_phone, person.phone, 'the requester\'s phone when they give none');
    const other = await approved({ contact_phone: '0755-28940000' });
    assert.equal(other.contact_phone, '0755-28940000', 'one they give is kept');
    const c = (await fleet.get(`/api/v1/trip_requests/${rq.id}/candidates`)).body;
    const firstWithout = c.drivers.findIndex((x) => x.user_id == null);
    const lastWith = c.drivers.map((x) => x.user_id != null).lastIndexOf(true);
    assert.ok(lastWith >= 0, 'a driver with an account is proposed');
    assert.ok(firstWithout === -1 || lastWith < firstWithout, 'those with an account come first');
    const trip = await dispatch(rq, v, me, { note: '带上会议材料' });
    // what the driver's card reads: the trip and its request, in the driver's own scope
    const t = (await driver.get(`/api/v1/trips/${trip.id}`)).body;
    assert.equal(t.dispatch_note, '带上会议材料');
    const r = (await driver.get(`/api/v1/trip_requests/${rq.id}`)).body;
    assert.deepEqual([r.contact_phone, r.passengers], [person.phone, '张三、李四']);
});
