// SPDX-License-Identifier: MIT
// space.test.js - office space on the demo district: the buildings and the
// reports of the demo; a person's office area in single and shared rooms
// against the area standard of every administrative level (the level change
// listed before it is made; tests/api/space_rules.test.js has the rules of
// shared rooms, ranks of another level, suites and second offices); a rank change
// seen at once; overrides and who may give them; offices flagged for
// recovery when people leave or move; the adjustment workflow end to end,
// with two approvals racing for one room; who sees what; the XLSX ledger
// read back; bad input that changes nothing; repairs of a room that must
// name a procurement project.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer, api, problem } = require('./lib/server');
const m = require('./lib/matrix');

const PW = 'Bureau-demo-2026';
let srv, admin, sm, leader, liaison, staff;
let ranks = {}; // "level/code" -> rank
let bld, floorA, floorB, other; // a building of the test's own, two floors, another building
let seq = 0;
const uniq = () => `${Date.now().toString(36)}${(seq++).toString(36)}`;
const sql = (text) => m.sqlShell(srv, text);
const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);

function addMonths(day, n) {
    const [y, mo, d] = day.split('-').map(Number);
    const k = mo - 1 + n;
    const yy = y + Math.floor(k / 12), mm = (k % 12) + 1;
    const last = new Date(Date.UTC(yy, mm, 0)).getUTCDate();
    return `${yy}-${String(mm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

async function ok(r, status = 201) {
    assert.equal(r.status, status, `${r.status} ${r.text}`);
    return r.body;
}

async function room(area, extra = {}) {
    return ok(await sm.post('/api/v1/rooms', {
        building_id: bld.id, floor_id: floorA.id, number: `R${uniq()}`, area_m2: area, use_type: 'office', ...extra,
    }));
}

async function person(rank, extra = {}) {
    const dept = extra.department_id || 5;
    return ok(await admin.post('/api/v1/people', {
        name: `测试${uniq()}`, department_id: dept, rank_id: rank ? ranks[rank].id : null, ...extra,
    }));
}

async function assign(roomId, personId, extra = {}, client = sm) {
    return client.post('/api/v1/room_assignments', {
        room_id: roomId, person_id: personId, start_date: '2026-01-05', ...extra,
    });
}

async function view(floorId = floorA.id) {
    return ok(await sm.get(`/api/v1/space/floors/${floorId}/view`), 200);
}

function occupant(v, roomId, personId) {
    const r = v.rooms.find((x) => x.id === roomId);
    assert.ok(r, `room ${roomId} on the floor`);
    return r.occupants.find((o) => o.person_id === personId);
}

before(async () => {
    srv = await startServer({ demo: true });
    admin = api(srv.url);
    sm = api(srv.url, { username: 'space_manager', password: PW });
    leader = api(srv.url, { username: 'leader', password: PW });
    liaison = api(srv.url, { username: 'liaison', password: PW });
    staff = api(srv.url, { username: 'staff', password: PW });
    for (const r of await admin.all('ranks')) ranks[`${r.level}/${r.code}`] = r;
    bld = await ok(await sm.post('/api/v1/buildings', { name: `测试楼${uniq()}`, kind: 'office' }));
    floorA = await ok(await sm.post('/api/v1/floors', { building_id: bld.id, level: 1, name: '1F' }));
    floorB = await ok(await sm.post('/api/v1/floors', { building_id: bld.id, level: 2, name: '2F' }));
    other = (await admin.get('/api/v1/buildings?name=区机关办公大楼')).body.items[0];
});

after(async () => {
    if (srv) await srv.stop();
});

test('the demo district: buildings, rooms, assignments and the reports', async () => {
    const names = (await admin.all('buildings')).map((b) => b.name);
    for (const n of ['区政府大院', '区机关办公大楼', '区委大院']) assert.ok(names.includes(n), n);
    assert.ok(other && /海关/.test(other.note), 'the office tower was the customs building');
    const rooms = Number(sql('SELECT COUNT(*) FROM rooms').trim());
    assert.ok(rooms > 1000, `rooms: ${rooms}`);
    const over = await ok(await sm.get('/api/v1/space/over_standard'), 200);
    assert.equal(over.level, 'county');
    assert.ok(over.totals.assessed > 2000, JSON.stringify(over.totals));
    assert.ok(over.totals.people > 0 && over.totals.people < over.totals.assessed / 10, JSON.stringify(over.totals));
    const sum = over.people.reduce((s, p) => s + Math.round(p.excess_m2 * 100), 0);
    assert.equal(sum, Math.round(over.totals.excess_m2 * 100), 'the total is the sum of the excesses');
    const byDept = over.by_department.reduce((s, g) => s + g.people, 0);
    assert.equal(byDept, over.totals.people);
    for (const p of over.people) {
        assert.equal(p.area_m2, Math.round(p.room_area_m2 * 100 / p.occupants) / 100);
        assert.equal(Math.round((p.area_m2 - p.limit_m2) * 100), Math.round(p.excess_m2 * 100));
    }
    const vac = await ok(await sm.get('/api/v1/space/vacancies'), 200);
    assert.ok(vac.count > 0);
    const rec = await ok(await sm.get('/api/v1/space/recovery'), 200);
    assert.ok(rec.items.length > 0 && rec.overdue > 0, 'people who left still hold offices');
    const deps = await ok(await sm.get('/api/v1/space/departments'), 200);
    assert.ok(deps.items.length > 50);
    const pub = await ok(await sm.get('/api/v1/space/publicity'), 200);
    assert.ok(pub.count > 2000);
    const csv = await sm.get('/api/v1/space/publicity.csv');
    assert.equal(csv.status, 200);
    assert.ok(csv.text.startsWith('\ufeff楼宇,房间'), csv.text.slice(0, 40));
});

test('a person\'s office area: single rooms, shared rooms and the override', async () => {
    const head = await person('county/section_head');
    const r1 = await room(18);
    const a1 = await ok(await assign(r1.id, head.id));
    assert.equal(a1.department_id, head.department_id, 'the person\'s department by default');
    let o = occupant(await view(), r1.id, head.id);
    assert.equal(o.area_m2, 18);
    assert.equal(o.limit_m2, 18);
    assert.equal(o.over_standard, false);
    assert.equal((await sm.get(`/api/v1/rooms/${r1.id}`)).body.state, 'in_use', 'a vacant room taken is in use');

    // a shared room of 27 m²: the first two would each be over 9 m²
    const r2 = await room(27);
    const ps = [await person('county/below_section'), await person('county/below_section'), await person(null)];
    let r = await assign(r2.id, ps[0].id);
    problem(assert, r, 422, 'BUR-501', ['person_id']);
    assert.deepEqual(r.body.standard && [r.body.standard.area_m2, r.body.standard.limit_m2, r.body.standard.excess_m2, r.body.standard.occupants], [27, 9, 18, 1]);
    assert.equal(Number(sql(`SELECT COUNT(*) FROM room_assignments WHERE room_id = ${r2.id}`).trim()), 0, 'nothing written');
    await ok(await assign(r2.id, ps[0].id, { override_reason: '临时安排，待调整' }));
    r = await assign(r2.id, ps[1].id);
    problem(assert, r, 422, 'BUR-501', ['person_id']);
    assert.deepEqual([r.body.standard.area_m2, r.body.standard.excess_m2, r.body.standard.occupants], [13.5, 4.5, 2]);
    const a2 = await ok(await assign(r2.id, ps[1].id, { override_reason: '同上' }));
    assert.equal(a2.override_by, sm.session.user.id, 'the override names who gave it');
    // the third (no rank: the level's last row, 9 m²) brings everyone to 9 m²
    await ok(await assign(r2.id, ps[2].id));
    const v = await view();
    for (const p of ps) {
        o = occupant(v, r2.id, p.id);
        assert.equal(o.area_m2, 9);
        assert.equal(o.limit_m2, 9);
        assert.equal(o.over_standard, false);
    }
    // a deputy in 20 m²: over by 8, listed with the override's reason
    const dep = await person('county/deputy_section_head');
    const r3 = await room(20);
    await ok(await assign(r3.id, dep.id, { override_reason: '兼任党支部书记' }));
    const rep = await ok(await sm.get(`/api/v1/space/over_standard?building_id=${bld.id}`), 200);
    const mine = rep.people.find((p) => p.person_id === dep.id);
    assert.ok(mine, JSON.stringify(rep.people));
    assert.deepEqual([mine.area_m2, mine.limit_m2, mine.excess_m2, mine.override_reason], [20, 12, 8, '兼任党支部书记']);
    assert.equal(rep.people.length, 1, 'shared rooms at 9 m² each are within the standard');
    assert.equal(rep.totals.excess_m2, 8);
    assert.equal(rep.rooms.find((x) => x.room_id === r3.id).excess_m2, 8);
    assert.equal(rep.by_building.find((g) => g.building_id === bld.id).excess_m2, 8);
    // the override is an audited write
    const h = await ok(await admin.get(`/api/v1/room_assignments/${a2.id}/history`), 200);
    assert.ok(JSON.stringify(h).includes('同上'));
});

test('overrides only for a role allowed the override verb', async () => {
    const role = await ok(await admin.post('/api/v1/roles', {
        code: `asg_${uniq()}`, name: '分房员',
        permissions: { room_assignments: { read: 'tenant', create: 'tenant' }, rooms: { read: 'tenant' } }, hidden_fields: {},
    }));
    const u = await ok(await admin.post('/api/v1/users', { username: `fenfang${uniq()}`, display_name: '分房员', role_id: role.id }));
    await ok(await admin.post(`/api/v1/users/${u.id}/reset_password`, { password: 'Fenfang-Temp-2026x' }), 204).catch(() => {});
    const c = await m.signInChanging(srv.url, { username: u.username, password: 'Fenfang-Temp-2026x', newPassword: 'Fenfang-Real-2026y' });
    const p = await person('county/below_section');
    const r = await room(30);
    problem(assert, await assign(r.id, p.id, {}, c), 422, 'BUR-501', ['person_id']);
    problem(assert, await assign(r.id, p.id, { override_reason: '我说可以' }, c), 403, 'BUR-302');
    const a = await ok(await assign(r.id, p.id, { override_reason: '领导同意' }));
    problem(assert, await c.post(`/api/v1/room_assignments/${a.id}/override`, { reason: 'x' }), 403, 'BUR-302');
    // the leader may approve an over-standard office afterwards
    const lead = await leader.post(`/api/v1/room_assignments/${a.id}/override`, { reason: '局务会研究同意' });
    assert.equal(lead.status, 200, lead.text);
    assert.equal(lead.body.override_reason, '局务会研究同意');
    assert.equal(lead.body.override_by, leader.session.user.id);
});

test('every administrative level\'s table, read by rank in the tenant\'s own table only', async () => {
    const p = await person('county/section_head');
    const r = await room(40);
    await ok(await assign(r.id, p.id, { override_reason: '测试' }));
    const levels = { central: [54, 42, 24, 18, 12, 9], provincial: [54, 42, 30, 24, 18, 12, 9],
        municipal: [42, 30, 24, 18, 9], county: [30, 24, 18, 12, 9] };
    for (const [level, want] of Object.entries(levels)) {
        const rows = Object.values(ranks).filter((k) => k.level === level).sort((a, b) => a.sort_order - b.sort_order || a.id - b.id);
        assert.deepEqual(rows.map((k) => k.max_office_m2), want, `${level}: the seeded table`);
        // the level change lists what the person's limit would be with their rank mapped to each row
        for (const k of rows) {
            const pv = await ok(await admin.post('/api/v1/space/level_change', { admin_level: level, rank_map: { [p.rank_id]: k.id } }), 200);
            const mine = pv.changes.find((x) => x.person_id === p.id);
            if (level === 'county' && k.id === p.rank_id) { assert.equal(mine, undefined, 'nothing changes'); continue; }
            assert.ok(mine, `${level} ${k.code}`);
            assert.deepEqual([mine.limit_m2, mine.new_rank_id, mine.new_limit_m2, mine.other_tier], [18, k.id, k.max_office_m2, false], `${level} ${k.code}`);
        }
    }
    // a county 正科 in a municipal tenant: no limit there (no longer 24 m² by row position)
    const pv = await ok(await admin.post('/api/v1/space/level_change', { admin_level: 'municipal' }), 200);
    assert.equal(pv.applied, false);
    const mine = pv.changes.find((x) => x.person_id === p.id);
    assert.deepEqual([mine.rank, mine.limit_m2, mine.new_limit_m2, mine.other_tier], ['正科级', 18, null, true]);
    assert.ok(pv.unmapped.some((u) => u.rank_id === p.rank_id && u.people > 0));
    assert.equal((await admin.get('/api/v1/tenants/1')).body.admin_level, 'county', 'a preview changes nothing');
    // the tenant's own PATCH is refused while limits would change
    const refused = await admin.patch('/api/v1/tenants/1', { admin_level: 'municipal' });
    problem(assert, refused, 409, 'BUR-408', ['admin_level']);
    assert.equal(refused.body.key, 'space.level.preview_first');
    assert.equal(refused.body.params.count, pv.count, 'the count the preview lists');
    assert.equal((await admin.get('/api/v1/tenants/1')).body.admin_level, 'county');
    // a rank of another table for a person: 422 naming rank_id; the limit is read in the own table
    problem(assert, await admin.patch(`/api/v1/people/${p.id}`, { rank_id: ranks['provincial/division_head'].id }), 422, 'BUR-201', ['rank_id']);
    assert.equal((await admin.get(`/api/v1/people/${p.id}`)).body.rank_id, ranks['county/section_head'].id);
    // admins edit the table: the limit follows
    await ok(await admin.patch(`/api/v1/ranks/${ranks['county/section_head'].id}`, { max_office_m2: 20.5 }), 200);
    assert.equal(occupant(await view(), r.id, p.id).limit_m2, 20.5);
    await ok(await admin.patch(`/api/v1/ranks/${ranks['county/section_head'].id}`, { max_office_m2: 18 }), 200);
    assert.equal(occupant(await view(), r.id, p.id).limit_m2, 18);
});

test('a rank change is seen in the report at once and told to the space managers', async () => {
    const p = await person('county/section_head');
    const r = await room(18);
    const a = await ok(await assign(r.id, p.id));
    let rep = await ok(await sm.get(`/api/v1/space/over_standard?building_id=${bld.id}`), 200);
    assert.ok(!rep.people.some((x) => x.person_id === p.id));
    await ok(await admin.patch(`/api/v1/people/${p.id}`, { rank_id: ranks['county/deputy_section_head'].id }), 200);
    rep = await ok(await sm.get(`/api/v1/space/over_standard?building_id=${bld.id}`), 200);
    const mine = rep.people.find((x) => x.person_id === p.id);
    assert.ok(mine);
    assert.deepEqual([mine.area_m2, mine.limit_m2, mine.excess_m2], [18, 12, 6]);
    const bell = await ok(await sm.get('/api/v1/me/notifications?limit=50'), 200);
    assert.ok(bell.items.some((n) => n.kind === 'space.over_standard' && n.record_id === a.id), JSON.stringify(bell.items.slice(0, 3)));
});

test('recovery: leaving, moving and the configured period; closed by ending the assignment', async () => {
    const p1 = await person('county/below_section');
    const p2 = await person('county/below_section');
    const r = await room(18);
    const a1 = await ok(await assign(r.id, p1.id, { override_reason: '两人合用' }));
    const a2 = await ok(await assign(r.id, p2.id));
    await ok(await admin.patch(`/api/v1/people/${p1.id}`, { active: false }), 200);
    let list = await ok(await sm.get('/api/v1/space/recovery'), 200);
    let it = list.items.find((x) => x.assignment_id === a1.id);
    assert.ok(it, 'a leaver\'s office is on the list');
    assert.equal(it.recovery_reason, 'left');
    assert.equal(it.recovery_due, addMonths(today(), 1));
    // the period is a setting
    const s = (await sm.get('/api/v1/space_settings?name=recovery_months')).body.items[0];
    problem(assert, await sm.patch(`/api/v1/space_settings/${s.id}`, { value: 0 }), 422, 'BUR-201', ['value']);
    await ok(await sm.patch(`/api/v1/space_settings/${s.id}`, { value: 3 }), 200);
    await ok(await admin.patch(`/api/v1/people/${p2.id}`, { department_id: 6 }), 200);
    list = await ok(await sm.get('/api/v1/space/recovery'), 200);
    it = list.items.find((x) => x.assignment_id === a2.id);
    assert.equal(it.recovery_reason, 'moved');
    assert.equal(it.recovery_due, addMonths(today(), 3));
    await ok(await sm.patch(`/api/v1/space_settings/${s.id}`, { value: 1 }), 200);
    // closing: the assignment ends (history kept: no delete)
    const end = await ok(await sm.post(`/api/v1/room_assignments/${a1.id}/end`, {}), 200);
    assert.equal(end.end_date, today());
    problem(assert, await sm.post(`/api/v1/room_assignments/${a1.id}/end`, {}), 409, 'BUR-408');
    problem(assert, await admin.del(`/api/v1/room_assignments/${a1.id}`), 405, 'BUR-105');
    list = await ok(await sm.get('/api/v1/space/recovery'), 200);
    assert.ok(!list.items.some((x) => x.assignment_id === a1.id));
});

async function liaisonDept() {
    await liaison.get('/api/v1/session');
    const u = (await admin.get(`/api/v1/users/${liaison.session.user.id}`)).body;
    return (await admin.get(`/api/v1/people/${u.person_id}`)).body.department_id;
}

async function fileRequest(client, dept, extra = {}) {
    return ok(await client.post('/api/v1/space_requests', {
        department_id: dept, need: 'new_office', headcount: 3, reason: '新增编制人员需要办公室', preferred_building_id: bld.id, ...extra,
    }));
}

test('the adjustment workflow end to end', async () => {
    const dept = await liaisonDept();
    const q = await fileRequest(liaison, dept);
    assert.equal(q.status, 'submitted');
    assert.equal(q.requester_id, liaison.session.user.id);
    // the section lists the changes: one room ends, another starts
    const old = await room(30, { department_id: dept });
    const oldA = await ok(await sm.post('/api/v1/room_assignments', { room_id: old.id, department_id: dept, start_date: '2025-01-01' }));
    const fresh = await room(36);
    await ok(await sm.post('/api/v1/space_request_changes', { request_id: q.id, kind: 'end', assignment_id: oldA.id }));
    await ok(await sm.post('/api/v1/space_request_changes', { request_id: q.id, kind: 'start', room_id: fresh.id, department_id: dept, start_date: today() }));
    // the changes as the liaison sees them: each room, department and date named, though the
    // vacant room offered is not theirs to read
    problem(assert, await liaison.get(`/api/v1/rooms/${fresh.id}`), 404, 'BUR-107');
    const deptName = (await admin.get(`/api/v1/departments/${dept}`)).body.name;
    let cv = await ok(await liaison.get(`/api/v1/space_requests/${q.id}/changes`), 200);
    assert.deepEqual(cv.items.map((c) => c.kind), ['end', 'start']);
    const [endC, startC] = cv.items;
    assert.deepEqual([endC.assignment_id, endC.room_id, endC.department_id, endC.person_id], [oldA.id, old.id, dept, null]);
    assert.deepEqual(endC.room, { id: old.id, building: bld.name, floor: '1F', number: old.number, area_m2: 30, use_type: 'office' });
    assert.deepEqual(endC.assignment, { id: oldA.id, start_date: '2025-01-01', end_date: null });
    assert.equal(endC.department, deptName);
    assert.deepEqual(startC.room, { id: fresh.id, building: bld.name, floor: '1F', number: fresh.number, area_m2: 36, use_type: 'office' });
    assert.deepEqual([startC.department, startC.person, startC.start_date, startC.assignment], [deptName, null, today(), null]);
    problem(assert, await staff.get(`/api/v1/space_requests/${q.id}/changes`), 403, 'BUR-302');
    problem(assert, await liaison.get('/api/v1/space_requests/99999999/changes'), 404, 'BUR-107');
    problem(assert, await liaison.post(`/api/v1/space_requests/${q.id}/review`, {}), 403, 'BUR-302');
    problem(assert, await leader.post(`/api/v1/space_requests/${q.id}/approve`, {}), 409, 'BUR-408');
    await ok(await sm.post(`/api/v1/space_requests/${q.id}/review`, { note: '符合标准' }), 200);
    problem(assert, await liaison.patch(`/api/v1/space_requests/${q.id}`, { headcount: 4 }), 409, 'BUR-408');
    const ap = await ok(await leader.post(`/api/v1/space_requests/${q.id}/approve`, { note: '同意' }), 200);
    assert.equal(ap.status, 'approved');
    assert.equal(ap.decided_by, leader.session.user.id);
    assert.equal((await admin.get(`/api/v1/room_assignments/${oldA.id}`)).body.end_date, today());
    const made = (await admin.get(`/api/v1/room_assignments?room_id=${fresh.id}`)).body.items;
    assert.equal(made.length, 1);
    assert.equal(made[0].request_id, q.id);
    const ch = (await admin.get(`/api/v1/space_request_changes?request_id=${q.id}`)).body.items;
    assert.equal(ch.find((c) => c.kind === 'start').applied_assignment_id, made[0].id);
    cv = await ok(await liaison.get(`/api/v1/space_requests/${q.id}/changes`), 200);
    assert.equal(cv.items[1].applied_assignment_id, made[0].id);
    assert.equal(cv.items[0].assignment.end_date, today(), 'the ended assignment, as applied');
    // applying twice, editing the changes afterwards
    problem(assert, await leader.post(`/api/v1/space_requests/${q.id}/approve`, {}), 409, 'BUR-408');
    problem(assert, await sm.post('/api/v1/space_request_changes', { request_id: q.id, kind: 'start', room_id: old.id, department_id: dept, start_date: today() }), 409, 'BUR-408');
    assert.equal((await admin.get(`/api/v1/room_assignments?room_id=${fresh.id}`)).body.items.length, 1, 'nothing applied twice');
    // the timeline, readable by the liaison
    const tl = await ok(await liaison.get(`/api/v1/space_requests/${q.id}/timeline`), 200);
    assert.deepEqual(tl.items.map((e) => e.kind), ['submitted', 'reviewed', 'approved', 'applied']);
    // with the names of who did each step, which the liaison may not read from users
    problem(assert, await liaison.get('/api/v1/users?limit=1'), 403, 'BUR-302');
    const stepActors = [...new Set(tl.items.map((e) => e.actor_id).filter((x) => x != null))];
    assert.ok(stepActors.length >= 2, 'the liaison, the section and the leader acted');
    assert.deepEqual(Object.keys(tl.actors).map(Number).sort(), stepActors.sort());
    for (const a of stepActors) {
        const u = await ok(await admin.get(`/api/v1/users/${a}`), 200);
        assert.equal(tl.actors[String(a)], u.display_name || u.username);
    }
    const bell = await ok(await liaison.get('/api/v1/me/notifications?limit=20'), 200);
    assert.ok(bell.items.some((n) => n.kind === 'space.approved' && n.record_id === q.id));
    // rejection needs a reason
    const q2 = await fileRequest(liaison, dept, { need: 'more_space' });
    problem(assert, await leader.post(`/api/v1/space_requests/${q2.id}/reject`, {}), 422, 'BUR-201', ['reason']);
    const rj = await ok(await leader.post(`/api/v1/space_requests/${q2.id}/reject`, { reason: '现有面积已达标准' }), 200);
    assert.equal(rj.status, 'rejected');
    assert.equal(rj.decision_note, '现有面积已达标准');
    problem(assert, await sm.post(`/api/v1/space_requests/${q2.id}/review`, {}), 409, 'BUR-408');
    // nobody reviews or approves their own request
    const q3 = await fileRequest(sm, dept);
    problem(assert, await sm.post(`/api/v1/space_requests/${q3.id}/review`, {}), 409, 'BUR-408');
    const q4 = await fileRequest(admin, dept);
    await ok(await sm.post(`/api/v1/space_requests/${q4.id}/review`, {}), 200);
    problem(assert, await admin.post(`/api/v1/space_requests/${q4.id}/approve`, {}), 409, 'BUR-408');
    assert.equal((await admin.get(`/api/v1/space_requests/${q4.id}`)).body.status, 'reviewed', 'nothing changed');
});

test('two approvals racing for one room: one wins, the other gets 409', async () => {
    const target = await room(40, { use_type: 'meeting' });
    const qs = [];
    for (const dept of [5, 6]) {
        const q = await fileRequest(admin, dept, { need: 'meeting' });
        await ok(await sm.post('/api/v1/space_request_changes', { request_id: q.id, kind: 'start', room_id: target.id, department_id: dept, start_date: today() }));
        await ok(await sm.post(`/api/v1/space_requests/${q.id}/review`, {}), 200);
        qs.push(q);
    }
    for (let round = 0; round < 1; round++) {
        const rs = await Promise.all(qs.map((q) => leader.post(`/api/v1/space_requests/${q.id}/approve`, {})));
        const st = rs.map((r) => r.status).sort();
        assert.deepEqual(st, [200, 409], rs.map((r) => r.text).join('\n'));
        const lost = rs.find((r) => r.status === 409);
        problem(assert, lost, 409, 'BUR-408');
    }
    const asg = (await admin.get(`/api/v1/room_assignments?room_id=${target.id}`)).body.items;
    assert.equal(asg.length, 1, 'one department holds the room');
    const states = await Promise.all(qs.map(async (q) => (await admin.get(`/api/v1/space_requests/${q.id}`)).body.status));
    assert.deepEqual(states.sort(), ['approved', 'reviewed']);
});

test('who sees what: the liaison\'s department subtree, staff their department', async () => {
    const dept = await liaisonDept();
    const tree = new Set([dept]);
    const all = await admin.all('departments');
    for (let grew = true; grew;) {
        grew = false;
        for (const d of all) if (d.parent_id && tree.has(d.parent_id) && !tree.has(d.id)) { tree.add(d.id); grew = true; }
    }
    const mine = await liaison.all('rooms');
    assert.ok(mine.length > 0, 'the liaison\'s department has rooms');
    for (const r of mine) assert.ok(tree.has(r.department_id), `room ${r.id} of department ${r.department_id}`);
    const foreign = (await admin.get(`/api/v1/rooms?department_id[ne]=${dept}&department_id[null]=false&limit=200`)).body.items.find((r) => !tree.has(r.department_id));
    problem(assert, await liaison.get(`/api/v1/rooms/${foreign.id}`), 404, 'BUR-107');
    // requests: their own department's, not another's
    const ownQ = await fileRequest(liaison, dept);
    const otherQ = await fileRequest(admin, foreign.department_id);
    const seen = (await liaison.all('space_requests')).map((q) => q.id);
    assert.ok(seen.includes(ownQ.id));
    assert.ok(!seen.includes(otherQ.id));
    problem(assert, await liaison.get(`/api/v1/space_requests/${otherQ.id}`), 404, 'BUR-107');
    problem(assert, await liaison.get(`/api/v1/space_requests/${otherQ.id}/changes`), 404, 'BUR-107');
    problem(assert, await liaison.post('/api/v1/space_requests', { department_id: foreign.department_id, need: 'other', headcount: 1, reason: 'x' }), 403, 'BUR-302');
    problem(assert, await liaison.post('/api/v1/room_assignments', { room_id: mine[0].id, department_id: dept, start_date: today() }), 403, 'BUR-302');
    const rep = await ok(await liaison.get('/api/v1/space/over_standard'), 200);
    for (const p of rep.people) assert.ok(tree.has(p.department_id));
    // staff: rooms of their own department, read only
    await staff.get('/api/v1/session');
    const sp = (await admin.get(`/api/v1/people/${(await admin.get(`/api/v1/users/${staff.session.user.id}`)).body.person_id}`)).body;
    for (const r of await staff.all('rooms')) assert.equal(r.department_id, sp.department_id);
    problem(assert, await staff.post('/api/v1/rooms', { building_id: bld.id, floor_id: floorA.id, number: 'S1', area_m2: 10 }), 403, 'BUR-302');
    problem(assert, await staff.get('/api/v1/space_requests'), 403, 'BUR-302');
    assert.equal((await staff.get('/api/v1/buildings')).status, 200);
});

test('the ledger as XLSX: one sheet per building, read back and checked', async () => {
    const json = await ok(await sm.get('/api/v1/space/ledger'), 200);
    const res = await sm.fetch('/api/v1/space/ledger.xlsx');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /spreadsheetml/);
    const file = path.join(os.tmpdir(), `ledger-${uniq()}.xlsx`);
    fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const py = `
import json, re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
ss = [re.sub(r'<[^>]+>', '', s) for s in re.findall(r'<si>(.*?)</si>', z.read('xl/sharedStrings.xml').decode(), re.S)]
wb = z.read('xl/workbook.xml').decode()
out = []
for i, name in enumerate(re.findall(r'<sheet name="([^"]*)"', wb)):
    x = z.read('xl/worksheets/sheet%d.xml' % (i + 1)).decode()
    rows = []
    for row in re.findall(r'<row [^>]*>(.*?)</row>', x, re.S):
        cells = []
        for attrs, v in re.findall(r'<c ([^>]*?)(?:/>|>(.*?)</c>)', row, re.S):
            m = re.search(r'<v>(.*?)</v>', v or '')
            val = m.group(1) if m else None
            if val is not None and 't="s"' in attrs: val = ss[int(val)]
            elif val is not None: val = float(val)
            cells.append(val)
        rows.append(cells)
    out.append({'name': name, 'rows': rows})
print(json.dumps(out, ensure_ascii=False))
`;
    const sheets = JSON.parse(execFileSync('python3', ['-c', py, file], { encoding: 'utf8' }));
    fs.rmSync(file);
    assert.equal(sheets.length, json.buildings.length);
    for (let i = 0; i < sheets.length; i++) {
        const s = sheets[i], b = json.buildings[i];
        assert.ok(b.building.startsWith(s.name.replace(/\(\d+\)$/, '')), `${s.name} / ${b.building}`);
        assert.equal(s.rows[0][0], '单位');
        assert.equal(s.rows[0][1], '办公室(㎡)');
        assert.equal(s.rows.length, b.rows.length + 2, 'heading, a row per department, the total');
        const last = s.rows[s.rows.length - 1];
        assert.equal(last[0], '合计');
        assert.equal(Math.round(last[9] * 100), Math.round(b.area_m2 * 100), `${b.building}: total area`);
        assert.equal(last[10], b.rooms, `${b.building}: rooms`);
        for (let k = 0; k < b.rows.length; k++)
            assert.equal(Math.round(s.rows[k + 1][1] * 100), Math.round(b.rows[k].by_use.office * 100));
    }
    const tower = sheets.find((s) => s.name === '区机关办公大楼');
    assert.ok(tower && tower.rows.length > 20, 'the tower houses many departments');
});

test('bad input is refused and changes nothing', async () => {
    const count = () => sql('SELECT (SELECT COUNT(*) FROM rooms) || \'/\' || (SELECT COUNT(*) FROM room_assignments)').trim();
    const before = count();
    const base = { building_id: bld.id, floor_id: floorA.id, number: `B${uniq()}`, use_type: 'office' };
    problem(assert, await sm.post('/api/v1/rooms', { ...base, area_m2: 0 }), 422, 'BUR-201', ['area_m2']);
    problem(assert, await sm.post('/api/v1/rooms', { ...base, area_m2: -5 }), 422, 'BUR-201', ['area_m2']);
    problem(assert, await sm.post('/api/v1/rooms', { ...base, area_m2: 10000.01 }), 422, 'BUR-201', ['area_m2']);
    problem(assert, await sm.post('/api/v1/rooms', { ...base, area_m2: 12.345 }), 422, 'BUR-201', ['area_m2']);
    const otherFloor = (await admin.get(`/api/v1/floors?building_id=${other.id}&limit=1`)).body.items[0];
    problem(assert, await sm.post('/api/v1/rooms', { ...base, area_m2: 20, floor_id: otherFloor.id }), 422, 'BUR-201', ['floor_id']);
    const r = await room(20);
    problem(assert, await sm.patch(`/api/v1/rooms/${r.id}`, { floor_id: otherFloor.id }), 422, 'BUR-201', ['floor_id']);
    const p = await person('county/section_head');
    const r2 = await room(18);
    const mid = count();
    problem(assert, await assign(r.id, p.id, { start_date: '2026-03-01', end_date: '2026-02-28' }), 422, 'BUR-201', ['end_date']);
    const a = await ok(await assign(r.id, p.id, { start_date: '2026-01-01', end_date: '2026-06-30' }));
    problem(assert, await assign(r2.id, p.id, { start_date: '2026-06-30' }), 409, 'BUR-408');
    problem(assert, await assign(r2.id, p.id, { start_date: '2025-01-01', end_date: '2026-01-01' }), 409, 'BUR-408');
    await ok(await assign(r2.id, p.id, { start_date: '2026-07-01' }));
    // history is kept: the room of an assignment does not change
    problem(assert, await sm.patch(`/api/v1/room_assignments/${a.id}`, { room_id: r2.id }), 422, 'BUR-201', ['room_id']);
    problem(assert, await sm.patch(`/api/v1/room_assignments/${a.id}`, { end_date: '2025-12-31' }), 422, 'BUR-201', ['end_date']);
    // a meeting room goes to a department, not a person
    const meet = await room(40, { use_type: 'meeting' });
    const p2 = await person('county/below_section');
    problem(assert, await assign(meet.id, p2.id), 422, 'BUR-201', ['room_id']);
    problem(assert, await sm.post('/api/v1/room_assignments', { room_id: meet.id, start_date: today() }), 422, 'BUR-201', ['department_id']);
    const dm = await ok(await sm.post('/api/v1/room_assignments', { room_id: meet.id, department_id: 5, start_date: today() }));
    problem(assert, await sm.post('/api/v1/room_assignments', { room_id: meet.id, department_id: 6, start_date: today() }), 409, 'BUR-408');
    assert.ok(dm.id);
    const after = count().split('/').map(Number), was = mid.split('/').map(Number);
    assert.equal(after[1], was[1] + 3, 'only the accepted assignments were written');
    assert.equal(before.split('/')[1] <= was[1], true);
});

test('maintenance: a room\'s repairs, their cost per year, and the procurement rule', async () => {
    const r = await room(25);
    const type = (await admin.get('/api/v1/service_types?code=repair')).body.items[0];
    problem(assert, await staff.post('/api/v1/service_requests', { title: '门坏了', type_id: type.id, description: '门锁', room_id: 999999999 }), 422, 'BUR-201', ['room_id']);
    const q = await ok(await admin.post('/api/v1/service_requests', { title: '墙面渗水', type_id: type.id, description: '整面墙渗水', room_id: r.id, building: bld.name }));
    const team = (await admin.all('service_teams'))[0];
    await ok(await admin.post(`/api/v1/service_requests/${q.id}/assign`, { team_id: team.id }), 200);
    const wo = (await admin.get(`/api/v1/work_orders?request_id=${q.id}&sort=-id&limit=1`)).body.items[0];
    await ok(await admin.post(`/api/v1/work_orders/${wo.id}/accept`, {}), 200);
    await ok(await sm.post('/api/v1/room_repairs', { request_id: q.id, category: 'major' }));
    const refused = await admin.post(`/api/v1/work_orders/${wo.id}/complete`, { result: '已修复', cost_fen: 1200000 });
    problem(assert, refused, 422, 'BUR-501', ['procurement_ref']);
    assert.equal((await admin.get(`/api/v1/work_orders/${wo.id}`)).body.status, 'accepted', 'nothing changed');
    const rep = (await sm.get(`/api/v1/room_repairs?request_id=${q.id}`)).body.items[0];
    assert.equal(rep.room_id, r.id);
    await ok(await sm.patch(`/api/v1/room_repairs/${rep.id}`, { procurement_ref: 'LGCG-2026-0137' }), 200);
    await ok(await admin.post(`/api/v1/work_orders/${wo.id}/complete`, { result: '已修复', cost_fen: 1200000 }), 200);
    const mt = await ok(await sm.get(`/api/v1/space/rooms/${r.id}/maintenance`), 200);
    assert.equal(mt.total_cost_fen, 1200000);
    assert.equal(mt.items[0].category, 'major');
    assert.equal(mt.by_year[0].year, Number(today().slice(0, 4)));
    assert.equal(mt.by_year[0].cost_fen, 1200000);
    // a routine repair below the amount completes without a project
    const q2 = await ok(await admin.post('/api/v1/service_requests', { title: '灯不亮', type_id: type.id, description: '灯', room_id: r.id, building: bld.name }));
    await ok(await admin.post(`/api/v1/service_requests/${q2.id}/assign`, { team_id: team.id }), 200);
    const wo2 = (await admin.get(`/api/v1/work_orders?request_id=${q2.id}&sort=-id&limit=1`)).body.items[0];
    await ok(await admin.post(`/api/v1/work_orders/${wo2.id}/accept`, {}), 200);
    await ok(await admin.post(`/api/v1/work_orders/${wo2.id}/complete`, { result: '换灯管', cost_fen: 8000 }), 200);
    // a room that repairs name cannot be deleted
    problem(assert, await sm.del(`/api/v1/rooms/${r.id}`), 409, 'BUR-402');
});
