// SPDX-License-Identifier: MIT
// booking.test.js - service centre bookings end to end on the demo district:
// the demo centre (the ten rooms, a meeting room a building, a year of
// bookings that never go over a capacity), booking and cancelling with the
// availability following, every refusal with its key, field and figures and
// nothing changed (the past, the window, closed days of the working
// calendar, hours crossing the closing time, slots, capacity, quota, roles,
// departments, the cancellation cut-off), the approval flow, check-in with
// the code (by the service centre and by a door device), no-shows by the step
// and by the job and counted against the quota, weekly series with and
// without skipping conflicts, 64 concurrent bookings of the last places
// (exactly capacity succeed), and who sees and does what.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, api, problem } = require('./lib/server');
const m = require('./lib/matrix');

const PW = 'Bureau-demo-2026';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let srv, admin, pm, staff, liaison, leader, auditor, fleetm;
let offsetMin = 480;
const sql = (text) => m.sqlShell(srv, text).trim();
const HOLD = "('pending', 'confirmed', 'checked_in')";

// The local midnight of today + days, as UTC milliseconds.
function midnight(days) {
    const d = new Date(Date.now() + offsetMin * 60000);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + days) - offsetMin * 60000;
}
// A local time days from today at hh:mm, as RFC 3339 (UTC).
const at = (days, hh, mm = 0) => iso(midnight(days) + (hh * 60 + mm) * 60000);
const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');
const localDate = (ms) => new Date(ms + offsetMin * 60000).toISOString().slice(0, 10);
// 1 Monday … 7 Sunday of local day today + days
const weekday = (days) => ((new Date(midnight(days) + offsetMin * 60000).getUTCDay() + 6) % 7) + 1;
const sec = (s) => Math.floor(Date.parse(s) / 1000);

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

let resN = 0;
// A resource of the test's own: open round the clock every day unless over says otherwise.
async function resource(over = {}) {
    const r = await pm.post('/api/v1/resources', {
        name: `测试场地${++resN}-${m.uniq()}`, kind: 'court', capacity: 1, slot_min: 60, hours: '1-7 00:00-24:00',
        closed_days: 'open_always', window_days: 30, cancel_hours: 2, ...over,
    });
    assert.equal(r.status, 201, r.text);
    return r.body;
}

async function book(client, res, start, end, over = {}) {
    return client.post('/api/v1/bookings', { resource_id: res.id, start_at: start, end_at: end, ...over });
}

async function booked(client, res, start, end, over = {}) {
    const r = await book(client, res, start, end, over);
    assert.equal(r.status, 201, r.text);
    return r.body;
}

const count = (where = '1 = 1') => Number(sql(`SELECT COUNT(*) FROM bookings WHERE ${where}`));

before(async () => {
    srv = await startServer({ demo: true, args: ['--jobs-interval', '1'] });
    admin = api(srv.url);
    pm = api(srv.url, { username: 'property_manager', password: PW });
    staff = api(srv.url, { username: 'staff', password: PW });
    liaison = api(srv.url, { username: 'liaison', password: PW });
    leader = api(srv.url, { username: 'leader', password: PW });
    auditor = api(srv.url, { username: 'auditor', password: PW });
    fleetm = api(srv.url, { username: 'fleet_manager', password: PW });
    offsetMin = (await admin.get('/api/v1/tenants/1')).body.utc_offset_min;
    for (const c of [pm, staff, liaison, leader, auditor, fleetm]) await c.login();
});

after(async () => {
    if (srv) await srv.stop();
});

test('the demo centre: ten rooms, a meeting room a building, a year of bookings within every capacity', async () => {
    const res = await admin.all('resources');
    const names = res.map((r) => r.name);
    for (const n of ['成果展示室', '书吧', '报告厅', '职工之家（健身房）', '医务室', '理发室', '洗车点', '网球场', '篮球场', '物业活动室'])
        assert.ok(names.includes(n), `the centre's ${n}`);
    const meeting = res.filter((r) => r.kind === 'meeting_room');
    assert.ok(meeting.length >= 4, 'meeting rooms');
    // each a meeting room of the register (space), one per building, its largest
    const rooms = await Promise.all(meeting.map(async (r) => (await admin.get(`/api/v1/rooms/${r.room_id}`)).body));
    assert.ok(rooms.every((x) => x.use_type === 'meeting'), JSON.stringify(rooms.map((x) => x.use_type)));
    assert.equal(new Set(rooms.map((x) => x.building_id)).size, rooms.length, 'one a building');
    for (const x of rooms) {
        const same = await admin.all('rooms', { building_id: x.building_id, use_type: 'meeting' });
        assert.equal(Math.max(...same.map((y) => y.area_m2)), x.area_m2, `the largest of building ${x.building_id}`);
    }
    const by = Object.fromEntries(res.map((r) => [r.name, r]));
    assert.equal(by['网球场'].capacity, 1);
    assert.equal(by['网球场'].slot_min, 60);
    assert.equal(by['职工之家（健身房）'].capacity, 20);
    assert.equal(by['理发室'].slot_min, 30);
    assert.equal(by['理发室'].capacity, 2);
    assert.equal(by['报告厅'].approval, true);
    const n = count();
    assert.ok(n > 5000, `a year of bookings: ${n}`);
    const span = sql('SELECT MAX(start_at) - MIN(start_at) FROM bookings');
    assert.ok(Number(span) > 300 * 86400, `over a year: ${span} s`);
    // at no booking's start are more places taken than the resource holds
    const over = sql(`SELECT COUNT(*) FROM bookings a JOIN resources r ON r.tenant_id = a.tenant_id AND r.id = a.resource_id
        WHERE a.status IN ${HOLD} AND (SELECT SUM(b.party_size) FROM bookings b WHERE b.tenant_id = a.tenant_id AND
        b.resource_id = a.resource_id AND b.status IN ${HOLD} AND b.start_at <= a.start_at AND b.end_at > a.start_at) > r.capacity`);
    assert.equal(over, '0', 'bookings over a capacity');
    // the past is checked in, cancelled or a no-show; nothing held past its end waits for approval
    const stale = count(`status IN ('pending', 'confirmed') AND end_at < ${Math.floor(Date.now() / 1000) - 3600}`);
    assert.equal(stale, 0);
    assert.ok(count("status = 'no_show'") > 0 && count("status = 'cancelled'") > 0 && count("status = 'pending'") > 0);
    // the dashboard card, against the rows
    const s = await pm.get('/api/v1/summary/booking');
    assert.equal(s.status, 200, s.text);
    const card = s.body.cards.find((c) => c.id === 'booking');
    assert.ok(card, s.text);
    const t0 = midnight(0) / 1000;
    assert.equal(card.today, count(`start_at >= ${t0} AND start_at < ${t0 + 86400} AND status IN ${HOLD}`));
    assert.equal(card.pending, count(`status = 'pending' AND start_at >= ${t0}`));
    assert.equal(card.labels.pending.zh, '待审批');
    const staffCards = await staff.get('/api/v1/summary/booking');
    assert.ok(!staffCards.body.cards.some((c) => c.id === 'booking'), 'staff see no centre-wide card');
});

test('book, see it in my bookings and in the availability, cancel, and the place is free again', async () => {
    const res = await resource({ capacity: 3 });
    const day = 3;
    const avail = async () => {
        const r = await staff.get(`/api/v1/resources/${res.id}/availability?from=${localDate(midnight(day))}&to=${localDate(midnight(day))}`);
        assert.equal(r.status, 200, r.text);
        return r.body.days[0];
    };
    let d = await avail();
    assert.equal(d.open, true);
    assert.equal(d.slots.length, 24);
    assert.ok(d.slots.every((s) => s.free === 3));
    const b = await booked(staff, res, at(day, 10), at(day, 12), { party_size: 2, purpose: '羽毛球' });
    assert.equal(b.status, 'confirmed');
    assert.equal(b.booker_id, staff.session.user.id);
    assert.match(b.check_in_code, /^[2-9A-HJ-NP-Z]{12}$/);
    assert.equal(b.party_size, 2);
    const other = await booked(liaison, res, at(day, 11), at(day, 12));
    d = await avail();
    assert.deepEqual(d.slots.slice(9, 13).map((s) => s.free), [3, 1, 0, 3]);
    assert.equal(sec(d.slots[10].start), sec(at(day, 10)));
    // my bookings: my own only
    const mine = await staff.get(`/api/v1/bookings?resource_id=${res.id}`);
    assert.deepEqual(mine.body.items.map((x) => x.id), [b.id]);
    assert.equal((await staff.get(`/api/v1/bookings/${other.id}`)).status, 404);
    // the code is the booker's: the centre sees it, leadership and audit do not
    assert.equal((await pm.get(`/api/v1/bookings/${b.id}`)).body.check_in_code, b.check_in_code);
    for (const c of [leader, auditor]) {
        const g = await c.get(`/api/v1/bookings/${b.id}`);
        assert.equal(g.status, 200, g.text);
        assert.ok(!('check_in_code' in g.body));
    }
    // the place is fixed: another time is another booking
    problem(assert, await staff.patch(`/api/v1/bookings/${b.id}`, { start_at: at(day, 14), end_at: at(day, 16) }), 409, 'BUR-408');
    assert.equal((await staff.patch(`/api/v1/bookings/${b.id}`, { purpose: '羽毛球训练' })).status, 200);
    const c = await staff.post(`/api/v1/bookings/${b.id}/cancel`, { reason: '临时有会' });
    assert.equal(c.status, 200, c.text);
    assert.equal(c.body.status, 'cancelled');
    assert.equal(c.body.cancel_reason, '临时有会');
    d = await avail();
    assert.deepEqual(d.slots.slice(9, 13).map((s) => s.free), [3, 3, 2, 3]);
    problem(assert, await staff.post(`/api/v1/bookings/${b.id}/cancel`, {}), 409, 'BUR-408');
    // closed days are said so; a range too long is refused
    const closed = await resource({ hours: '1-5 09:00-17:00' });
    const week = await staff.get(`/api/v1/resources/${closed.id}/availability?from=${localDate(midnight(1))}&to=${localDate(midnight(7))}`);
    assert.equal(week.body.days.length, 7);
    for (const x of week.body.days) {
        const wd = ((new Date(`${x.date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
        assert.equal(x.open, wd <= 5, `${x.date} weekday ${wd}`);
        if (x.open) assert.equal(x.slots.length, 8);
    }
    problem(assert, await staff.get(`/api/v1/resources/${closed.id}/availability?from=2027-01-01&to=2027-06-01`), 400, 'BUR-102');
});

test('every refusal: its key, field and figures, and nothing changed', async () => {
    const res = await resource({ hours: '1-7 08:00-22:00', window_days: 10, cancel_hours: 48 });
    const before = count();
    const refuse = async (r, status, code, key, field) => {
        problem(assert, r, status, code, field ? [field] : undefined);
        const item = field ? r.body.errors.find((e) => e.field === field) : r.body;
        assert.equal(item.key, key, r.text);
        return item.params || {};
    };
    // the past
    await refuse(await book(staff, res, at(-1, 10), at(-1, 11)), 422, 'BUR-201', 'booking.past', 'start_at');
    // beyond the window: 10 days ahead is the last
    let p = await refuse(await book(staff, res, at(11, 10), at(11, 11)), 422, 'BUR-201', 'booking.window', 'start_at');
    assert.equal(p.days, 10);
    await booked(staff, res, at(10, 10), at(10, 11));
    // an interval crossing the closing time, and one starting before the opening
    p = await refuse(await book(staff, res, at(2, 21), at(2, 23)), 422, 'BUR-201', 'booking.hours', 'end_at');
    assert.deepEqual([p.opens, p.closes, p.date], ['08:00', '22:00', localDate(midnight(2))]);
    await refuse(await book(staff, res, at(2, 7), at(2, 9)), 422, 'BUR-201', 'booking.hours', 'start_at');
    // off the slot, or not whole slots
    p = await refuse(await book(staff, res, at(2, 10, 30), at(2, 11, 30)), 422, 'BUR-201', 'booking.slot', 'start_at');
    assert.equal(p.slot_min, 60);
    await refuse(await book(staff, res, at(2, 10), at(2, 10, 30)), 422, 'BUR-201', 'booking.slot', 'end_at');
    // ends before it starts; more people than it holds
    await refuse(await book(staff, res, at(2, 11), at(2, 10)), 422, 'BUR-201', 'field.after_start', 'end_at');
    p = await refuse(await book(staff, res, at(2, 10), at(2, 11), { party_size: 2 }), 422, 'BUR-201', 'booking.party', 'party_size');
    assert.equal(p.capacity, 1);
    // taken
    const first = await booked(liaison, res, at(3, 10), at(3, 12));
    p = await refuse(await book(staff, res, at(3, 11), at(3, 13)), 409, 'BUR-408', 'booking.capacity');
    assert.deepEqual([p.capacity, p.taken, p.asked, p.resource], [1, 1, 1, res.name]);
    // closed: a weekday-only resource on the weekend
    const weekdays = await resource({ hours: '1-5 09:00-17:00' });
    const sat = [1, 2, 3, 4, 5, 6, 7].find((d) => weekday(d) === 6);
    p = await refuse(await book(staff, weekdays, at(sat, 10), at(sat, 11)), 422, 'BUR-201', 'booking.closed', 'start_at');
    assert.equal(p.date, localDate(midnight(sat)));
    // closed: a public holiday of the working calendar (a weekday entered as a day off)
    const hol = [8, 9, 10, 11, 12, 13, 14].find((d) => weekday(d) <= 5 &&
        sql(`SELECT COUNT(*) FROM calendar_days WHERE date = '${localDate(midnight(d))}'`) === '0');
    const cd = await admin.post('/api/v1/calendar_days', { date: localDate(midnight(hol)), kind: 'off', name: '测试假日' });
    assert.equal(cd.status, 201, cd.text);
    const workdays = await resource({ hours: '1-5 09:00-17:00', closed_days: 'workdays_only' });
    const holidays = await resource({ hours: '1-7 09:00-17:00', closed_days: 'holidays' });
    const always = await resource({ hours: '1-7 09:00-17:00', closed_days: 'open_always' });
    await refuse(await book(staff, workdays, at(hol, 10), at(hol, 11)), 422, 'BUR-201', 'booking.closed', 'start_at');
    await refuse(await book(staff, holidays, at(hol, 10), at(hol, 11)), 422, 'BUR-201', 'booking.closed', 'start_at');
    const ok = await booked(staff, always, at(hol, 10), at(hol, 11));
    // a role not allowed, a department not allowed
    const drivers = await resource({ roles: 'driver,property_manager' });
    p = await refuse(await book(staff, drivers, at(2, 10), at(2, 11)), 403, 'BUR-302', 'booking.role', 'resource_id');
    assert.equal(p.role, 'staff');
    assert.equal((await book(pm, drivers, at(2, 10), at(2, 11))).status, 201);
    const depts = await admin.all('departments');
    const mine = staff.session.user;
    const meRec = (await admin.get(`/api/v1/users/${mine.id}`)).body;
    const person = (await admin.get(`/api/v1/people/${meRec.person_id}`)).body;
    const elsewhere = depts.find((d) => d.id !== person.department_id && d.parent_id && d.parent_id !== person.department_id);
    const deptRes = await resource({ department_id: elsewhere.id });
    await refuse(await book(staff, deptRes, at(2, 10), at(2, 11)), 403, 'BUR-302', 'booking.department', 'resource_id');
    const ownDept = await resource({ department_id: person.department_id });
    assert.equal((await book(staff, ownDept, at(2, 10), at(2, 11))).status, 201);
    // the cut-off: 48 hours before the start
    const soon = await booked(staff, res, at(1, 20), at(1, 21));
    p = await refuse(await staff.post(`/api/v1/bookings/${soon.id}/cancel`, {}), 409, 'BUR-408', 'booking.cutoff');
    assert.equal(p.hours, 48);
    assert.equal((await staff.get(`/api/v1/bookings/${soon.id}`)).body.status, 'confirmed');
    // … the service centre may still cancel (a court closed for rain)
    assert.equal((await pm.post(`/api/v1/bookings/${soon.id}/cancel`, { reason: '场地维修' })).status, 200);
    // an inactive resource
    await pm.patch(`/api/v1/resources/${res.id}`, { active: false });
    await refuse(await book(staff, res, at(4, 10), at(4, 11)), 422, 'BUR-201', 'booking.inactive', 'resource_id');
    // opening hours that cannot be read
    const bad = await pm.post('/api/v1/resources', { name: `坏时间-${m.uniq()}`, hours: '1-8 09:00-17:00' });
    await refuse(bad, 422, 'BUR-201', 'booking.hours_format', 'hours');
    await refuse(await pm.post('/api/v1/resources', { name: `坏时间-${m.uniq()}`, hours: '1-5 17:00-09:00' }), 422, 'BUR-201', 'booking.hours_format', 'hours');
    // what was written: the bookings made above, and nothing of the refusals
    assert.equal(count(), before + 6, 'only the accepted bookings');
    assert.equal(count(`id = ${first.id} AND status = 'confirmed'`), 1);
    assert.equal(ok.status, 'confirmed');
});

test('approval: pending until the service centre approves; not by the booker, not by staff', async () => {
    const res = await resource({ approval: true, capacity: 1 });
    const b = await booked(staff, res, at(5, 14), at(5, 15));
    assert.equal(b.status, 'pending');
    // a pending booking holds its place
    problem(assert, await book(liaison, res, at(5, 14), at(5, 15)), 409, 'BUR-408');
    problem(assert, await staff.post(`/api/v1/bookings/${b.id}/approve`, {}), 403, 'BUR-302');
    const own = await booked(pm, res, at(6, 14), at(6, 15));
    const self = await pm.post(`/api/v1/bookings/${own.id}/approve`, {});
    problem(assert, self, 409, 'BUR-408');
    assert.equal(self.body.key, 'wf.own');
    problem(assert, await pm.post(`/api/v1/bookings/${b.id}/reject`, {}), 422, 'BUR-201', ['reason']);
    const a = await pm.post(`/api/v1/bookings/${b.id}/approve`, { note: '同意' });
    assert.equal(a.status, 200, a.text);
    assert.equal(a.body.status, 'confirmed');
    assert.equal(a.body.approver_id, pm.session.user.id);
    // the booker is told
    const notes = await staff.get('/api/v1/me/notifications');
    assert.ok(notes.body.items.some((n) => n.title === '预约已批准'), notes.text);
    const r = await leader.post(`/api/v1/bookings/${own.id}/reject`, { reason: '时间冲突' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.status, 'rejected');
    // a rejected booking frees its place
    assert.equal((await book(liaison, res, at(6, 14), at(6, 15))).status, 201);
    // the approval queue: pending bookings by start
    const q = await pm.get('/api/v1/bookings?status=pending&sort=start_at&limit=500');
    assert.ok(q.body.items.every((x) => x.status === 'pending'));
});

test('check-in with the code at the door (the centre, a device token) and no-shows', async () => {
    const res = await resource({ slot_min: 5, capacity: 2 });
    // the next 5-minute slot starts within 5 minutes: check-in is open
    const next = Math.ceil((Date.now() + 1000) / 300000) * 300000;
    const b = await booked(staff, res, iso(next), iso(next + 600000));
    const wrong = await pm.post(`/api/v1/bookings/${b.id}/check_in`, { code: 'AAAAAAAAAAAA' });
    problem(assert, wrong, 422, 'BUR-201', ['code']);
    assert.equal(wrong.body.errors[0].key, 'booking.code');
    problem(assert, await staff.post(`/api/v1/bookings/${b.id}/check_in`, { code: b.check_in_code }), 403, 'BUR-302');
    // a door reader with a device token
    const roles = await admin.all('roles');
    const device = roles.find((r) => r.code === 'device');
    const t = await admin.post('/api/v1/api_tokens', { name: `门禁-${m.uniq()}`, role_id: device.id });
    assert.equal(t.status, 201, t.text);
    const door = api(srv.url, { token: t.body.token });
    const ci = await door.post(`/api/v1/bookings/${b.id}/check_in`, { code: b.check_in_code });
    assert.equal(ci.status, 200, ci.text);
    assert.equal(ci.body.status, 'checked_in');
    assert.ok(ci.body.checked_in_at);
    problem(assert, await door.get('/api/v1/bookings'), 403, 'BUR-302');
    // too early: check-in opens 15 minutes before the start
    const later = await booked(staff, res, at(2, 10), at(2, 11));
    const early = await pm.post(`/api/v1/bookings/${later.id}/check_in`, { code: later.check_in_code });
    problem(assert, early, 409, 'BUR-408');
    assert.equal(early.body.key, 'booking.check_in_early');
    // a no-show cannot be recorded before the grace period has passed
    const ns = await pm.post(`/api/v1/bookings/${later.id}/no_show`, {});
    problem(assert, ns, 409, 'BUR-408');
    assert.equal(ns.body.key, 'booking.no_show_early');
    assert.equal(ns.body.params.minutes, 15);
    // the job: a confirmed booking started longer ago than the grace is a no-show
    const c2 = await booked(liaison, res, iso(next), iso(next + 300000));
    const startedAt = Math.floor(Date.now() / 1000) - 20 * 60;
    sql(`UPDATE bookings SET start_at = ${startedAt}, end_at = ${startedAt + 300} WHERE id = ${c2.id}`);
    await runJob('booking.no_shows');
    const g = (await pm.get(`/api/v1/bookings/${c2.id}`)).body;
    assert.equal(g.status, 'no_show');
    assert.ok(g.no_show_at);
    assert.equal((await staff.get(`/api/v1/bookings/${b.id}`)).body.status, 'checked_in', 'a checked-in booking stays');
    // the change is audited
    const h = await pm.get(`/api/v1/bookings/${c2.id}/history`);
    assert.equal(h.status, 200, h.text);
    assert.ok(JSON.stringify(h.body).includes('no_show'), h.text);
});

test('the weekly quota counts no-shows, not cancellations, Monday to Sunday', async () => {
    const res = await resource({ quota_per_week: 2, window_days: 30 });
    // a week wholly ahead: next week's Monday … Sunday
    const mon = [1, 2, 3, 4, 5, 6, 7].find((d) => weekday(d) === 1);
    const a = await booked(staff, res, at(mon, 9), at(mon, 10));
    const b = await booked(staff, res, at(mon + 2, 9), at(mon + 2, 10));
    const q = await book(staff, res, at(mon + 6, 23), at(mon + 6, 24));
    problem(assert, q, 409, 'BUR-408');
    assert.equal(q.body.key, 'booking.quota');
    assert.deepEqual([q.body.params.limit, q.body.params.used], [2, 2]);
    // the Monday after is another week
    assert.equal((await book(staff, res, at(mon + 7, 0), at(mon + 7, 1))).status, 201);
    // someone else has their own quota
    assert.equal((await book(liaison, res, at(mon + 6, 23), at(mon + 6, 24))).status, 201);
    // a cancellation gives the place back
    assert.equal((await staff.post(`/api/v1/bookings/${b.id}/cancel`, {})).status, 200);
    const c = await booked(staff, res, at(mon + 3, 9), at(mon + 3, 10));
    // a no-show does not: (as if a's week had come and gone without them)
    sql(`UPDATE bookings SET status = 'no_show' WHERE id = ${a.id}`);
    const q2 = await book(staff, res, at(mon + 4, 9), at(mon + 4, 10));
    problem(assert, q2, 409, 'BUR-408');
    assert.deepEqual([q2.body.key, q2.body.params.used], ['booking.quota', 2]);
    assert.ok(c.id);
});

test('a weekly series: refused whole on a conflict, or booked with the conflicts skipped date by date', async () => {
    const res = await resource({ hours: '1-7 08:00-20:00', window_days: 30 });
    const d0 = 2;
    const blocker = await booked(liaison, res, at(d0 + 14, 9), at(d0 + 14, 10));
    const n0 = count(), s0 = Number(sql('SELECT COUNT(*) FROM booking_series'));
    const body = { resource_id: res.id, start_at: at(d0, 9), end_at: at(d0, 10), weeks: 4, purpose: '周例会' };
    const no = await staff.post('/api/v1/bookings/series', body);
    problem(assert, no, 409, 'BUR-408', [localDate(midnight(d0 + 14))]);
    assert.equal(no.body.key, 'booking.series.conflicts');
    assert.deepEqual([no.body.params.n, no.body.params.weeks], [1, 4]);
    const item = no.body.errors.find((e) => e.field === localDate(midnight(d0 + 14)));
    assert.equal(item.key, 'booking.capacity');
    assert.equal(item.params.taken, 1);
    assert.equal(no.body.dates.length, 4);
    assert.equal(count(), n0, 'nothing booked');
    assert.equal(Number(sql('SELECT COUNT(*) FROM booking_series')), s0, 'no series kept');
    // with skip_conflicts: three booked, one skipped with its reason; a date past the window too
    const yes = await staff.post('/api/v1/bookings/series', { ...body, weeks: 6, skip_conflicts: true });
    assert.equal(yes.status, 201, yes.text);
    const st = yes.body.dates.map((x) => `${x.date} ${x.status} ${x.reason ? x.reason.key : x.booking_id ? 'id' : ''}`);
    assert.deepEqual(yes.body.dates.map((x) => x.status), ['booked', 'booked', 'skipped', 'booked', 'booked', 'skipped'], st.join('\n'));
    assert.equal(yes.body.dates[2].reason.key, 'booking.capacity');
    assert.equal(yes.body.dates[5].reason.key, 'booking.window');
    assert.equal(yes.body.dates[5].reason.params.days, 30);
    assert.deepEqual([yes.body.booked, yes.body.skipped], [4, 2]);
    const ids = yes.body.dates.filter((x) => x.booking_id).map((x) => x.booking_id);
    for (const id of ids) {
        const g = (await staff.get(`/api/v1/bookings/${id}`)).body;
        assert.equal(g.series_id, yes.body.series_id);
        assert.equal(g.status, 'confirmed');
        assert.equal(g.purpose, '周例会');
        assert.match(g.check_in_code, /^[2-9A-HJ-NP-Z]{12}$/);
    }
    assert.equal(new Set(ids.map((id) => sql(`SELECT check_in_code FROM bookings WHERE id = ${id}`))).size, 4, 'a code of its own each');
    const rec = (await staff.get(`/api/v1/booking_series/${yes.body.series_id}`)).body;
    assert.deepEqual([rec.booked, rec.skipped, rec.weeks], [4, 2, 6]);
    assert.equal(rec.outcome.length, 6);
    assert.equal(count(`series_id = ${yes.body.series_id}`), 4);
    // until a date: the same weekday up to and including it
    const until = await staff.post('/api/v1/bookings/series', { resource_id: res.id, start_at: at(d0, 15), end_at: at(d0, 16), until: localDate(midnight(d0 + 14)), skip_conflicts: true });
    assert.equal(until.status, 201, until.text);
    assert.equal(until.body.dates.length, 3);
    // bad bodies
    problem(assert, await staff.post('/api/v1/bookings/series', { resource_id: res.id, start_at: at(d0, 9), end_at: at(d0, 10) }), 422, 'BUR-201', ['weeks']);
    problem(assert, await staff.post('/api/v1/bookings/series', { ...body, weeks: 49 }), 422, 'BUR-201', ['weeks']);
    problem(assert, await staff.post('/api/v1/bookings/series', { ...body, colour: 'red' }), 422, 'BUR-201', ['colour']);
    // the series' dates keep the quota
    const q = await resource({ hours: '1-7 08:00-20:00', window_days: 40, quota_per_week: 1 });
    await booked(staff, q, at(d0 + 7, 12), at(d0 + 7, 13));
    const qs = await staff.post('/api/v1/bookings/series', { resource_id: q.id, start_at: at(d0, 9), end_at: at(d0, 10), weeks: 3 });
    problem(assert, qs, 409, 'BUR-408');
    const qi = qs.body.errors.find((e) => e.key === 'booking.quota');
    assert.ok(qi, qs.text);
    assert.ok(blocker.id);
});

// Runs n bookings of one slot at once from several signed-in clients; returns the answers.
async function race(res, n, start, end) {
    const clients = [staff, liaison, pm, fleetm];
    return Promise.all(Array.from({ length: n }, (_, i) => book(clients[i % clients.length], res, start, end)));
}

for (const cap of [1, 3]) {
    test(`64 concurrent bookings of one slot of capacity ${cap}: exactly ${cap} succeed`, async () => {
        const res = await resource({ capacity: cap });
        const answers = await race(res, 64, at(4, 15), at(4, 16));
        const ok = answers.filter((r) => r.status === 201);
        const refused = answers.filter((r) => r.status === 409);
        assert.equal(ok.length, cap, answers.map((r) => `${r.status} ${r.body && r.body.detail}`).join('\n'));
        assert.equal(refused.length, 64 - cap, answers.filter((r) => r.status !== 201 && r.status !== 409).map((r) => r.text).join('\n'));
        for (const r of refused) {
            assert.equal(r.body.key, 'booking.capacity');
            assert.equal(r.body.params.taken, cap);
        }
        assert.equal(count(`resource_id = ${res.id} AND status IN ${HOLD}`), cap);
    });
}

test('who sees and does what', async () => {
    const res = await resource();
    problem(assert, await staff.post('/api/v1/resources', { name: `员工建-${m.uniq()}` }), 403, 'BUR-302');
    problem(assert, await auditor.post('/api/v1/resources', { name: `审计建-${m.uniq()}` }), 403, 'BUR-302');
    problem(assert, await auditor.post('/api/v1/bookings', { resource_id: res.id, start_at: at(2, 10), end_at: at(2, 11) }), 403, 'BUR-302');
    const b = await booked(liaison, res, at(2, 10), at(2, 11));
    // staff see their own bookings only; the centre, leadership and audit see all
    const all = await staff.all('bookings');
    assert.ok(all.every((x) => x.booker_id === staff.session.user.id), 'own only');
    problem(assert, await staff.post(`/api/v1/bookings/${b.id}/cancel`, {}), 404, 'BUR-107');
    assert.equal((await leader.get(`/api/v1/bookings/${b.id}`)).status, 200);
    assert.equal((await auditor.get(`/api/v1/bookings/${b.id}`)).status, 200);
    problem(assert, await auditor.post(`/api/v1/bookings/${b.id}/cancel`, {}), 403, 'BUR-302');
    // bookings are never deleted: cancelled
    problem(assert, await admin.del(`/api/v1/bookings/${b.id}`), 405, 'BUR-105');
    // series are written by the series route only
    problem(assert, await admin.post('/api/v1/booking_series', { resource_id: res.id }), 405, 'BUR-105');
    // the tenant's settings: the centre changes the grace
    const s = await pm.post('/api/v1/booking_settings', { name: 'no_show_min', value: 20 });
    assert.equal(s.status, 201, s.text);
    problem(assert, await staff.post('/api/v1/booking_settings', { name: 'no_show_min', value: 0 }), 403, 'BUR-302');
});

test('tenants: another bureau sees none of these bookings and cannot book these resources', async () => {
    const res = await resource();
    const b = await booked(staff, res, at(2, 10), at(2, 11));
    const code = `bk-${m.uniq()}`;
    const from = srv.stderr.length;
    const t = await admin.post('/api/v1/tenants', { name: '另一区机关事务管理局', code });
    assert.equal(t.status, 201, t.text);
    await waitFor('the new admin password', () => /admin password: (\S+)/.test(srv.stderr.slice(from)));
    const pw = /admin password: (\S+)/.exec(srv.stderr.slice(from))[1];
    const a2 = await m.signInChanging(srv.url, { username: 'admin', password: pw, newPassword: 'Other-bureau-2026-pw', tenant: code });
    // the new tenant starts with its own settings and nothing else of the module
    const settings = await a2.get('/api/v1/booking_settings');
    assert.equal(settings.status, 200, m.show(settings));
    assert.deepEqual(settings.body.items.map((x) => [x.name, x.value]), [['no_show_min', 15]]);
    assert.equal((await a2.get('/api/v1/bookings')).body.items.length, 0);
    assert.equal((await a2.get('/api/v1/resources')).body.items.length, 0);
    assert.equal((await a2.get(`/api/v1/bookings/${b.id}`)).status, 404);
    assert.equal((await a2.get(`/api/v1/resources/${res.id}/availability`)).status, 404);
    assert.equal((await a2.post(`/api/v1/bookings/${b.id}/cancel`, {})).status, 404);
    const n = count();
    const x = await a2.post('/api/v1/bookings', { resource_id: res.id, start_at: at(2, 12), end_at: at(2, 13) });
    assert.equal(x.status, 422, m.show(x));
    assert.ok(x.body.errors.some((e) => e.field === 'resource_id'), m.show(x));
    const s = await a2.post('/api/v1/bookings/series', { resource_id: res.id, start_at: at(2, 12), end_at: at(2, 13), weeks: 2 });
    assert.equal(s.status, 422, m.show(s));
    assert.equal(s.body.errors[0].key, 'booking.resource_unknown');
    assert.equal(count(), n, 'nothing booked across tenants');
    assert.equal((await staff.get(`/api/v1/bookings/${b.id}`)).body.status, 'confirmed');
});
