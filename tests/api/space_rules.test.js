// SPDX-License-Identifier: MIT
// space_rules.test.js - the office-area rules with hand-computed figures:
// a group moved into one shared office through the adjustment workflow,
// judged on the state the request's changes make together (26.00 m² for
// three is 8.67 m² each); the boundaries (27.00 m² for three is 9.00 m², at
// the limit; 27.03 m² is 9.01, 0.01 over); a direct assignment while the
// room's other assignments start the same day; ranks of another level's
// table (refused, never mapped by row position) and the level change that
// lists the people whose limits change before it is applied; leaders' rest
// rooms and toilets counted in their office area (a toilet of 6.00 m² and
// of 6.01 m²); second offices for concurrent posts with their deadline and
// the recovery reminders before and at it. Every refusal changes nothing.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, api, problem } = require('./lib/server');
const m = require('./lib/matrix');

const PW = 'Bureau-demo-2026';
let srv, admin, sm, leader;
const ranks = {}; // "level/code" -> rank
let bld, floor;
let seq = 0;
const uniq = () => `${Date.now().toString(36)}${(seq++).toString(36)}`;
const sql = (text) => m.sqlShell(srv, text).trim();
const dayOf = (ms) => new Date(ms + 8 * 3600e3).toISOString().slice(0, 10);
const today = () => dayOf(Date.now());
const tomorrow = () => dayOf(Date.now() + 86400e3);
const plusDays = (day, n) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86400e3).toISOString().slice(0, 10);

function addMonths(day, n) {
    const [y, mo, d] = day.split('-').map(Number);
    const k = mo - 1 + n;
    const yy = y + Math.floor(k / 12), mm = ((k % 12) + 12) % 12 + 1;
    const last = new Date(Date.UTC(yy, mm, 0)).getUTCDate();
    return `${yy}-${String(mm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

async function ok(r, status = 201) {
    assert.equal(r.status, status, `${r.status} ${r.text}`);
    return r.body;
}

async function room(area, extra = {}) {
    return ok(await sm.post('/api/v1/rooms', {
        building_id: bld.id, floor_id: floor.id, number: `Q${uniq()}`, area_m2: area, use_type: 'office', ...extra,
    }));
}

async function person(rank, extra = {}) {
    return ok(await admin.post('/api/v1/people', {
        name: `规则${uniq()}`, department_id: 5, rank_id: rank ? ranks[rank].id : null, ...extra,
    }));
}

function assign(roomId, personId, extra = {}, client = sm) {
    return client.post('/api/v1/room_assignments', { room_id: roomId, person_id: personId, start_date: '2026-01-05', ...extra });
}

const count = (where) => Number(sql(`SELECT COUNT(*) FROM room_assignments WHERE ${where}`));

async function occupants(roomId) {
    const v = await ok(await sm.get(`/api/v1/space/floors/${floor.id}/view`), 200);
    const r = v.rooms.find((x) => x.id === roomId);
    assert.ok(r, `room ${roomId} on the floor`);
    return r.occupants;
}

// A reviewed request with these changes.
async function request(changes) {
    const q = await ok(await admin.post('/api/v1/space_requests', { department_id: 5, need: 'swap', headcount: changes.length, reason: '集中办公' }));
    for (const c of changes) await ok(await sm.post('/api/v1/space_request_changes', { request_id: q.id, ...c }));
    await ok(await sm.post(`/api/v1/space_requests/${q.id}/review`, {}), 200);
    return q;
}

// Three 科级以下 staff, each in an office of their own since 2025.
async function threeStaff() {
    const out = [];
    for (let i = 0; i < 3; i++) {
        const p = await person('county/below_section');
        const own = await room(9);
        const a = await ok(await assign(own.id, p.id, { start_date: '2025-01-01' }));
        out.push({ p, a });
    }
    return out;
}

async function runJob(name) {
    const last = Number(sql(`SELECT COALESCE(MAX(id), 0) FROM bureau_job_runs WHERE name = '${name}'`));
    const t0 = Date.now();
    for (;;) {
        const done = sql(`SELECT status FROM bureau_job_runs WHERE name = '${name}' AND id > ${last} AND finished_at IS NOT NULL`);
        if (done) {
            assert.equal(done.split('\n')[0], 'ok', `${name} failed`);
            return;
        }
        if (Date.now() - t0 > 20000) throw new Error(`timed out waiting for ${name}`);
        sql(`UPDATE bureau_jobs SET next_run_at = 0 WHERE name = '${name}'`);
        await new Promise((res) => setTimeout(res, 150));
    }
}

before(async () => {
    srv = await startServer({ demo: true, args: ['--jobs-interval', '1'] });
    admin = api(srv.url);
    sm = api(srv.url, { username: 'space_manager', password: PW });
    leader = api(srv.url, { username: 'leader', password: PW });
    for (const r of await admin.all('ranks')) ranks[`${r.level}/${r.code}`] = r;
    bld = await ok(await sm.post('/api/v1/buildings', { name: `规则楼${uniq()}`, kind: 'office' }));
    floor = await ok(await sm.post('/api/v1/floors', { building_id: bld.id, level: 3, name: '3F' }));
});

after(async () => {
    if (srv) await srv.stop();
});

test('a group moved into one shared office: judged on the state the request makes together', async () => {
    const staff = await threeStaff();
    const shared = await room(26);
    const q = await request([
        ...staff.map(({ a }) => ({ kind: 'end', assignment_id: a.id, end_date: today() })),
        ...staff.map(({ p }) => ({ kind: 'start', room_id: shared.id, person_id: p.id, start_date: tomorrow() })),
    ]);
    const ap = await ok(await leader.post(`/api/v1/space_requests/${q.id}/approve`, { note: '同意集中办公' }), 200);
    assert.equal(ap.status, 'approved');
    assert.equal(count(`room_id = ${shared.id} AND request_id = ${q.id}`), 3);
    for (const { a } of staff) assert.equal((await admin.get(`/api/v1/room_assignments/${a.id}`)).body.end_date, today());
    // from tomorrow on: 26.00 / 3 = 8.67 m² each, within 9
    const v = await ok(await sm.get(`/api/v1/space/floors/${floor.id}/view?date=${tomorrow()}`), 200);
    const occ = v.rooms.find((x) => x.id === shared.id).occupants;
    assert.deepEqual(occ.map((o) => [o.area_m2, o.limit_m2, o.over_standard]), [[8.67, 9, false], [8.67, 9, false], [8.67, 9, false]]);
});

test('a request over the standard is refused naming the room and the final share, and changes nothing', async () => {
    const staff = (await threeStaff()).slice(0, 2);
    const shared = await room(26);
    const q = await request([
        ...staff.map(({ a }) => ({ kind: 'end', assignment_id: a.id, end_date: today() })),
        ...staff.map(({ p }) => ({ kind: 'start', room_id: shared.id, person_id: p.id, start_date: tomorrow() })),
    ]);
    const r = await leader.post(`/api/v1/space_requests/${q.id}/approve`, {});
    problem(assert, r, 422, 'BUR-501', ['person_id']);
    const s = r.body.standard;
    // 26.00 / 2 = 13.00 each: over 9.00 by 4.00 (not "26.00 shared by 1, over by 17.00")
    assert.deepEqual([s.room_id, s.room, s.room_area_m2, s.occupants, s.area_m2, s.limit_m2, s.excess_m2], [shared.id, shared.number, 26, 2, 13, 9, 4]);
    const item = r.body.errors.find((e) => e.field === 'person_id');
    assert.equal(item.key, 'space.standard.over');
    assert.deepEqual([item.params.room, item.params.occupants, item.params.area_m2, item.params.excess_m2], [shared.number, 2, '13.00', '4.00']);
    assert.ok(s.change_id > 0, 'the change named');
    assert.equal((await admin.get(`/api/v1/space_requests/${q.id}`)).body.status, 'reviewed', 'nothing changed');
    assert.equal(count(`room_id = ${shared.id}`), 0);
    for (const { a } of staff) assert.equal((await admin.get(`/api/v1/room_assignments/${a.id}`)).body.end_date, null);
});

test('boundaries: 27.00 m² for three is 9.00 each (at the limit), 27.03 m² is 9.01 (0.01 over)', async () => {
    const at = await room(27);
    const staffA = await threeStaff();
    const qa = await request(staffA.map(({ p }) => ({ kind: 'start', room_id: at.id, person_id: p.id, start_date: '2099-01-01' }))
        .concat(staffA.map(({ a }) => ({ kind: 'end', assignment_id: a.id, end_date: '2098-12-31' }))));
    await ok(await leader.post(`/api/v1/space_requests/${qa.id}/approve`, {}), 200);
    assert.equal(count(`room_id = ${at.id}`), 3);
    const over = await room(27.03);
    const staffB = await threeStaff();
    const qb = await request(staffB.map(({ p }) => ({ kind: 'start', room_id: over.id, person_id: p.id, start_date: '2099-01-01' }))
        .concat(staffB.map(({ a }) => ({ kind: 'end', assignment_id: a.id, end_date: '2098-12-31' }))));
    const r = await leader.post(`/api/v1/space_requests/${qb.id}/approve`, {});
    problem(assert, r, 422, 'BUR-501', ['person_id']);
    assert.deepEqual([r.body.standard.occupants, r.body.standard.area_m2, r.body.standard.limit_m2, r.body.standard.excess_m2], [3, 9.01, 9, 0.01]);
    assert.equal(count(`room_id = ${over.id}`), 0, 'nothing written');
    // a single office: 9.00 m² at the limit, 9.01 m² over by 0.01
    const p = await person('county/below_section');
    const nine = await room(9), more = await room(9.01);
    const refused = await assign(more.id, p.id);
    problem(assert, refused, 422, 'BUR-501', ['person_id']);
    assert.deepEqual([refused.body.standard.area_m2, refused.body.standard.excess_m2, refused.body.standard.occupants], [9.01, 0.01, 1]);
    assert.equal(count(`person_id = ${p.id}`), 0, 'nothing written');
    await ok(await assign(nine.id, p.id));
});

test('a direct assignment counts the room\'s other assignments that start the same day', async () => {
    const r = await room(26);
    const day = plusDays(today(), 10);
    const [a, b, c] = [await person('county/below_section'), await person('county/below_section'), await person('county/below_section')];
    await ok(await assign(r.id, a.id, { start_date: day, override_reason: '先行入驻' }));
    const refused = await assign(r.id, b.id, { start_date: day });
    problem(assert, refused, 422, 'BUR-501', ['person_id']);
    assert.deepEqual([refused.body.standard.room, refused.body.standard.occupants, refused.body.standard.area_m2, refused.body.standard.excess_m2], [r.number, 2, 13, 4]);
    assert.equal(count(`room_id = ${r.id}`), 1, 'nothing written');
    await ok(await assign(r.id, b.id, { start_date: day, override_reason: '同上' }));
    // the third brings the room to 8.67 m² each: no override needed
    const third = await ok(await assign(r.id, c.id, { start_date: day }));
    assert.equal(third.override_reason, null);
});

test('ranks of another level\'s table: refused, never mapped by position', async () => {
    // a person may not be given a rank of another table (the tenant is county level)
    let r = await admin.post('/api/v1/people', { name: `规则${uniq()}`, department_id: 5, rank_id: ranks['provincial/division_head'].id });
    problem(assert, r, 422, 'BUR-201', ['rank_id']);
    const item = r.body.errors.find((e) => e.field === 'rank_id');
    assert.deepEqual([item.key, item.params.rank, item.params.rank_level, item.params.level], ['org.person.rank_tier', '正处级', 'provincial', 'county']);
    // one who holds such a rank from before the rule: no limit, and no office until given a county rank
    const p = await person('county/section_head');
    sql(`UPDATE people SET rank_id = ${ranks['provincial/division_head'].id} WHERE id = ${p.id}`);
    const office = await room(12);
    r = await assign(office.id, p.id);
    problem(assert, r, 422, 'BUR-201', ['person_id']);
    assert.equal(r.body.errors[0].key, 'space.standard.rank_tier');
    assert.equal(count(`person_id = ${p.id}`), 0, 'nothing written');
    sql(`UPDATE people SET rank_id = ${ranks['county/section_head'].id} WHERE id = ${p.id}`);
    await ok(await assign(office.id, p.id));
    sql(`UPDATE people SET rank_id = ${ranks['provincial/division_head'].id} WHERE id = ${p.id}`);
    const [o] = await occupants(office.id);
    assert.deepEqual([o.rank, o.limit_m2, o.other_tier, o.over_standard], ['正处级', null, true, false]);
    sql(`UPDATE people SET rank_id = ${ranks['county/section_head'].id} WHERE id = ${p.id}`);
});

test('the level change lists the people whose limits change, then applies it with the ranks mapped', async () => {
    const p = await person('county/county_head');
    const map = {
        [ranks['county/county_head'].id]: ranks['municipal/mayor'].id,
        [ranks['county/deputy_county_head'].id]: ranks['municipal/vice_mayor'].id,
        [ranks['county/section_head'].id]: ranks['municipal/bureau_head'].id,
        [ranks['county/deputy_section_head'].id]: ranks['municipal/deputy_bureau_head'].id,
        [ranks['county/below_section'].id]: ranks['municipal/below_bureau'].id,
    };
    // refused maps: a target of another table, a key that is no rank; an unknown level; a role without the grants
    problem(assert, await admin.post('/api/v1/space/level_change', { admin_level: 'municipal', rank_map: { [ranks['county/section_head'].id]: ranks['county/county_head'].id } }), 422, 'BUR-201', ['rank_map']);
    problem(assert, await admin.post('/api/v1/space/level_change', { admin_level: 'municipal', rank_map: { x: 1 } }), 422, 'BUR-201', ['rank_map']);
    problem(assert, await admin.post('/api/v1/space/level_change', { admin_level: 'township' }), 422, 'BUR-201', ['admin_level']);
    problem(assert, await sm.post('/api/v1/space/level_change', { admin_level: 'municipal' }), 403, 'BUR-302');
    // the whole table mapped: 县级正职 30 m² → 市级正职 42 m²; nobody is left with a rank of another table
    const pv = await ok(await admin.post('/api/v1/space/level_change', { admin_level: 'municipal', rank_map: map }), 200);
    const mine = pv.changes.find((x) => x.person_id === p.id);
    assert.deepEqual([mine.rank, mine.limit_m2, mine.new_rank, mine.new_limit_m2, mine.other_tier], ['县级正职', 30, '市级正职', 42, false]);
    assert.deepEqual(pv.unmapped, [], 'every county rank held is mapped');
    const active = Number(sql('SELECT COUNT(*) FROM people WHERE active = 1'));
    assert.ok(pv.count > 0 && pv.count <= active && pv.count === pv.changes.length, `${pv.count} of ${active}`);
    // applied with one rank mapped: its holders re-ranked, the others listed as left with a rank of another table
    const one = { [ranks['county/county_head'].id]: ranks['municipal/mayor'].id };
    const pv1 = await ok(await admin.post('/api/v1/space/level_change', { admin_level: 'municipal', rank_map: one }), 200);
    assert.ok(pv1.unmapped.some((u) => u.rank_id === ranks['county/below_section'].id && u.people > 0));
    assert.ok(!pv1.unmapped.some((u) => u.rank_id === ranks['county/county_head'].id));
    const holders = Number(sql(`SELECT COUNT(*) FROM people WHERE rank_id = ${ranks['county/county_head'].id}`));
    const applied = await ok(await admin.post('/api/v1/space/level_change', { admin_level: 'municipal', rank_map: one, apply: true }), 200);
    assert.equal(applied.applied, true);
    assert.equal(applied.count, pv1.count, 'what was listed is what changed');
    assert.equal((await admin.get('/api/v1/tenants/1')).body.admin_level, 'municipal');
    assert.equal((await admin.get(`/api/v1/people/${p.id}`)).body.rank_id, ranks['municipal/mayor'].id);
    assert.equal(Number(sql(`SELECT COUNT(*) FROM people WHERE rank_id = ${ranks['municipal/mayor'].id}`)), holders);
    const h = await ok(await admin.get(`/api/v1/people/${p.id}/history`), 200);
    assert.ok(JSON.stringify(h).includes(String(ranks['municipal/mayor'].id)), 'the rank change is audited');
    // and back, the map reversed
    await ok(await admin.post('/api/v1/space/level_change', { admin_level: 'county', rank_map: { [ranks['municipal/mayor'].id]: ranks['county/county_head'].id }, apply: true }), 200);
    assert.equal((await admin.get('/api/v1/tenants/1')).body.admin_level, 'county');
    assert.equal((await admin.get(`/api/v1/people/${p.id}`)).body.rank_id, ranks['county/county_head'].id);
});

test('leaders\' rest rooms and toilets count in their office area', async () => {
    const head = await person('county/county_head');
    const office = await room(20), rest = await room(4, { use_type: 'rest' });
    await ok(await assign(office.id, head.id));
    await ok(await assign(rest.id, head.id));
    // a toilet of 6.01 m² is refused; 6.00 m² brings the area to 30.00, the 县级正职 limit
    const big = await room(6.01, { use_type: 'toilet' });
    let r = await assign(big.id, head.id);
    problem(assert, r, 422, 'BUR-201', ['room_id']);
    assert.deepEqual([r.body.errors[0].key, r.body.errors[0].params.area_m2, r.body.errors[0].params.max_m2], ['space.suite.toilet_area', '6.01', '6.00']);
    const toilet = await room(6, { use_type: 'toilet' });
    await ok(await assign(toilet.id, head.id));
    let [o] = await occupants(office.id);
    assert.deepEqual([o.area_m2, o.suite_m2, o.limit_m2, o.over_standard], [20, 10, 30, false]);
    // a second rest room: one at a time
    problem(assert, await assign((await room(3, { use_type: 'rest' })).id, head.id), 409, 'BUR-408', ['person_id']);
    // another head: 26.00 + 5.00 = 31.00, over 30.00 by 1.00
    const head2 = await person('county/county_head');
    const o2 = await room(26), t2 = await room(5, { use_type: 'toilet' });
    await ok(await assign(o2.id, head2.id));
    r = await assign(t2.id, head2.id);
    problem(assert, r, 422, 'BUR-501', ['person_id']);
    assert.equal(r.body.errors[0].key, 'space.standard.over_suite');
    assert.deepEqual([r.body.standard.area_m2, r.body.standard.suite_m2, r.body.standard.total_m2, r.body.standard.excess_m2], [26, 5, 31, 1]);
    assert.equal(count(`room_id = ${t2.id}`), 0, 'nothing written');
    await ok(await assign(t2.id, head2.id, { override_reason: '原有套间' }));
    [o] = await occupants(o2.id);
    assert.deepEqual([o.suite_m2, o.over_standard], [5, true]);
    const rep = await ok(await sm.get(`/api/v1/space/over_standard?building_id=${bld.id}`), 200);
    assert.equal(rep.people.find((x) => x.person_id === head2.id).excess_m2, 1);
    // who may have them: a 县级副职 a rest room but no toilet, a 正科级 neither
    const deputy = await person('county/deputy_county_head');
    problem(assert, await assign((await room(4, { use_type: 'toilet' })).id, deputy.id), 422, 'BUR-201', ['person_id']);
    await ok(await assign((await room(4, { use_type: 'rest' })).id, deputy.id));
    const chief = await person('county/section_head');
    r = await assign((await room(4, { use_type: 'rest' })).id, chief.id);
    problem(assert, r, 422, 'BUR-201', ['person_id']);
    assert.deepEqual([r.body.errors[0].key, r.body.errors[0].params.rank], ['space.suite.rest_rank', '正科级']);
    // a meeting room is still not a person's
    problem(assert, await assign((await room(30, { use_type: 'meeting' })).id, chief.id), 422, 'BUR-201', ['room_id']);
});

test('a second office for a concurrent post: approved, within the standard, vacated 2 months after the post ends, with reminders', async () => {
    const p = await person('county/below_section');
    const main = await room(9), second = await room(9), big = await room(12);
    await ok(await assign(main.id, p.id));
    problem(assert, await assign(second.id, p.id), 409, 'BUR-408', ['person_id']);
    let r = await assign(big.id, p.id, { concurrent_post: '兼任区应急办副主任' });
    problem(assert, r, 422, 'BUR-501', ['person_id']);
    assert.equal(r.body.errors[0].key, 'space.concurrent.over');
    assert.deepEqual([r.body.standard.room, r.body.standard.area_m2, r.body.standard.excess_m2, r.body.standard.second_office], [big.number, 12, 3, true]);
    problem(assert, await assign((await room(20, { use_type: 'meeting' })).id, p.id, { concurrent_post: '兼职' }), 422, 'BUR-201', ['room_id']);
    problem(assert, await assign(second.id, p.id, { concurrent_ends: today() }), 422, 'BUR-201', ['concurrent_ends']);
    const a = await ok(await assign(second.id, p.id, { concurrent_post: '兼任区应急办副主任' }));
    assert.equal(a.concurrent_by, sm.session.user.id, 'who approved it');
    problem(assert, await assign((await room(9)).id, p.id, { concurrent_post: '另一兼职' }), 409, 'BUR-408', ['person_id']);
    problem(assert, await sm.patch(`/api/v1/room_assignments/${a.id}`, { concurrent_ends: '2025-12-31' }), 422, 'BUR-201', ['concurrent_ends']);
    problem(assert, await sm.patch(`/api/v1/room_assignments/${a.id}`, { concurrent_post: null }), 422, 'BUR-201', ['concurrent_post']);
    // the post ends: the office comes back within 2 months; the reminder 14 days ahead, then at the deadline
    const ends = plusDays(addMonths(today(), -2), 5);
    let x = await ok(await sm.patch(`/api/v1/room_assignments/${a.id}`, { concurrent_ends: ends }), 200);
    assert.deepEqual([x.recovery_due, x.recovery_reason, x.recovery_reminded], [addMonths(ends, 2), 'concurrent', null]);
    const bell = async (kind) => (await ok(await sm.get('/api/v1/me/notifications?limit=100'), 200)).items.filter((n) => n.kind === kind && n.record_id === a.id).length;
    await runJob('space.reminders');
    assert.equal((await admin.get(`/api/v1/room_assignments/${a.id}`)).body.recovery_reminded, 'before');
    assert.equal(await bell('space.recovery_soon'), 1);
    await runJob('space.reminders');
    assert.equal(await bell('space.recovery_soon'), 1, 'once before the deadline');
    const list = await ok(await sm.get('/api/v1/space/recovery'), 200);
    assert.ok(list.items.some((i) => i.assignment_id === a.id && i.recovery_reason === 'concurrent'));
    // a new deadline (the post ended earlier): reminded again, at the deadline
    x = await ok(await sm.patch(`/api/v1/room_assignments/${a.id}`, { concurrent_ends: addMonths(today(), -2) }), 200);
    assert.equal(x.recovery_reminded, null);
    await runJob('space.reminders');
    assert.equal((await admin.get(`/api/v1/room_assignments/${a.id}`)).body.recovery_reminded, 'due');
    assert.equal(await bell('space.recovery_due'), 1);
    await runJob('space.reminders');
    assert.equal(await bell('space.recovery_due'), 1, 'once at the deadline');
    // the settings' bounds
    problem(assert, await sm.post('/api/v1/space_settings', { name: 'concurrent_months', value: 0 }), 422, 'BUR-201', ['value']);
    problem(assert, await sm.post('/api/v1/space_settings', { name: 'remind_days', value: 91 }), 422, 'BUR-201', ['value']);
});
