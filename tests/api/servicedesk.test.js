// SPDX-License-Identifier: MIT
// servicedesk.test.js - the service desk end to end on the demo district:
// the whole lifecycle (filing with a photo, routing, accept, waiting for the
// requester, complete, rate; the timeline and the notifications), the SLA
// clocks in working time across a weekend, public holidays and an adjusted
// working Saturday (checked against a calendar computed here), the clock
// pausing while waiting for the requester, breaches flagged and escalated
// exactly once, auto-close after 7 days, who sees what (requester, liaison,
// contractor, a section's own role), refused transitions and bad input that
// change nothing, a webhook of a status change, and the statistics.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const http = require('node:http');
const { startServer, api, problem } = require('./lib/server');
const m = require('./lib/matrix');
const xlsx = require('./lib/xlsx');

const PW = 'Bureau-demo-2026';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let srv, admin, staff, contractor, dispatcher, liaison;
let types = {}; // code -> type
let teams = {}; // name -> team

async function waitFor(what, fn, timeoutMs = 20000) {
    const t0 = Date.now();
    for (;;) {
        const v = await fn();
        if (v) return v;
        if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
        await sleep(100);
    }
}

const sql = (text) => m.sqlShell(srv, text);

// Runs a job now and waits until a run that started after this call has
// finished (a run already under way when it is called does not count; its
// end pushes the schedule on, so "due now" is said again until ours starts).
async function runJob(name) {
    const last = Number(sql(`SELECT COALESCE(MAX(id), 0) FROM bureau_job_runs WHERE name = '${name}'`).trim());
    await waitFor(`a new run of ${name}`, () => {
        const done = sql(`SELECT status FROM bureau_job_runs WHERE name = '${name}' AND id > ${last} AND finished_at IS NOT NULL`).trim();
        if (done) {
            assert.equal(done.split('\n')[0], 'ok', `${name} failed`);
            return true;
        }
        sql(`UPDATE bureau_jobs SET next_run_at = 0 WHERE name = '${name}'`);
        return false;
    });
}

function jpeg(n = 3000, seed = 5) {
    const b = Buffer.alloc(n, seed);
    Buffer.from([0xff, 0xd8, 0xff, 0xe0]).copy(b);
    return b;
}

async function file(client, body) {
    const r = await client.post('/api/v1/service_requests', body);
    assert.equal(r.status, 201, r.text);
    return r.body;
}

async function workOrderOf(client, requestId) {
    const r = await admin.get(`/api/v1/work_orders?request_id=${requestId}&sort=-id&limit=1`);
    assert.equal(r.status, 200, r.text);
    return r.body.items[0];
}

async function timeline(client, id) {
    const r = await client.get(`/api/v1/service_requests/${id}/timeline`);
    assert.equal(r.status, 200, r.text);
    return r.body.items;
}

// ---- the working calendar, computed here independently of the server ----

function calendarOracle(days, workHours, offsetMin = 480) {
    const exc = new Map(days.map((d) => [d.date, d.kind]));
    const periods = workHours.split(',').map((p) => p.split('-').map((hm) => {
        const [h, mi] = hm.split(':').map(Number);
        return h * 60 + mi;
    }));
    const off = offsetMin * 60;
    const dayOf = (t) => Math.floor((t + off) / 86400);
    const dateOf = (d) => new Date(d * 86400 * 1000).toISOString().slice(0, 10);
    const isWork = (d) => {
        const k = exc.get(dateOf(d));
        if (k) return k === 'workday';
        const wd = new Date(d * 86400 * 1000).getUTCDay();
        return wd >= 1 && wd <= 5;
    };
    const windows = (d) => periods.map(([a, b]) => [d * 86400 - off + a * 60, d * 86400 - off + b * 60]);
    return {
        isWork,
        dateOf,
        dayOf,
        addWorking(from, secs) {
            for (let d = dayOf(from); d < dayOf(from) + 800; d++) {
                if (!isWork(d)) continue;
                for (let [a, b] of windows(d)) {
                    a = Math.max(a, from);
                    if (b <= a) continue;
                    if (secs <= b - a) return a + secs;
                    secs -= b - a;
                }
            }
            throw new Error('no working time');
        },
        workingSeconds(from, to) {
            let sum = 0;
            for (let d = dayOf(from); d <= dayOf(to); d++) {
                if (!isWork(d)) continue;
                for (const [a, b] of windows(d)) sum += Math.max(0, Math.min(b, to) - Math.max(a, from));
            }
            return sum;
        },
    };
}

const secs = (iso) => Math.floor(Date.parse(iso) / 1000);

async function oracle() {
    const days = await admin.all('calendar_days');
    const t = (await admin.get('/api/v1/tenants/1')).body;
    return calendarOracle(days, t.work_hours, t.utc_offset_min);
}

before(async () => {
    srv = await startServer({ demo: true, args: ['--jobs-interval', '1'] });
    admin = api(srv.url);
    staff = api(srv.url, { username: 'staff', password: PW });
    contractor = api(srv.url, { username: 'contractor', password: PW });
    dispatcher = api(srv.url, { username: 'property_manager', password: PW });
    liaison = api(srv.url, { username: 'liaison', password: PW });
    for (const t of await admin.all('service_types')) types[t.code] = t;
    for (const t of await admin.all('service_teams')) teams[t.name] = t;
});

after(async () => {
    if (srv) await srv.stop();
});

test('the demo district has a catalogue, teams, rules and a year of requests', async () => {
    assert.equal(Object.keys(types).length, 12);
    assert.ok(teams['物业维修班'] && teams['空调维保组'] && teams['物业服务科']);
    const targets = await admin.all('sla_targets');
    assert.equal(targets.length, 48, '12 types × 4 urgencies');
    const all = await admin.get('/api/v1/service_requests?limit=1');
    assert.equal(all.status, 200);
    const n = Number(sql('SELECT COUNT(*) FROM service_requests').trim());
    assert.ok(n > 4000 && n < 9000, `a year of requests: ${n}`);
    const rated = Number(sql('SELECT COUNT(*) FROM service_requests WHERE score IS NOT NULL').trim());
    assert.ok(rated > n / 3, `most closed requests are rated: ${rated} of ${n}`);
});

test('the whole lifecycle: file with a photo, routed, accepted, waiting, completed, rated', async () => {
    const photo = await staff.post('/api/v1/files/upload?name=door.jpg', jpeg(), { contentType: 'image/jpeg' });
    assert.equal(photo.status, 201, photo.text);
    const rq = await file(staff, {
        title: '办公室门锁损坏', type_id: types.repair.id, urgency: 'high', description: '门锁转不动',
        building: '区委大院', room: '305', photos: [photo.body.id], contact_phone: '13800138000',
    });
    assert.equal(rq.status, 'assigned', 'routed by the repair rule');
    assert.equal(rq.team_id, teams['物业维修班'].id);
    assert.equal(rq.requester_id, staff.session.user.id);
    assert.ok(rq.department_id, 'the requester\'s department');
    assert.ok(rq.respond_due_at && rq.resolve_due_at);
    // the photo now belongs to the request: the team reads it, other staff do not
    const f = (await admin.get(`/api/v1/files/${photo.body.id}`)).body;
    assert.equal(f.collection, 'service_requests');
    assert.equal(f.record_id, rq.id);
    assert.equal((await contractor.fetch(`/api/v1/files/${photo.body.id}/content`)).status, 200);
    // the team is told
    const told = await contractor.get('/api/v1/me/notifications');
    assert.ok(told.body.items.some((n) => n.record_id === rq.id && n.kind === 'servicedesk.assigned'), told.text);

    const wo = await workOrderOf(contractor, rq.id);
    assert.equal(wo.status, 'open');
    problem(assert, await contractor.post(`/api/v1/work_orders/${wo.id}/complete`, { result: '修好了' }), 409, 'BUR-408');
    const acc = await contractor.post(`/api/v1/work_orders/${wo.id}/accept`, { note: '马上到' });
    assert.equal(acc.status, 200, acc.text);
    assert.equal(acc.body.status, 'accepted');
    let now = (await staff.get(`/api/v1/service_requests/${rq.id}`)).body;
    assert.equal(now.status, 'in_progress');
    assert.ok(now.responded_at);
    assert.equal(now.assignee_id, contractor.session.user.id);

    // waiting for the requester pauses the clock; their answer resumes it
    const hold = await contractor.post(`/api/v1/work_orders/${wo.id}/hold`, { reason: '请提供钥匙' });
    assert.equal(hold.status, 200, hold.text);
    now = (await staff.get(`/api/v1/service_requests/${rq.id}`)).body;
    assert.equal(now.status, 'waiting');
    assert.ok(now.hold_since);
    const answer = await staff.post(`/api/v1/service_requests/${rq.id}/comment`, { message: '钥匙在前台' });
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.status, 'in_progress');
    assert.equal((await admin.get(`/api/v1/work_orders/${wo.id}`)).body.status, 'accepted');

    const done = await contractor.post(`/api/v1/work_orders/${wo.id}/complete`, {
        result: '已更换门锁', parts: '门锁一把', cost_fen: 12000,
    });
    assert.equal(done.status, 200, done.text);
    assert.equal(done.body.cost_fen, 12000);
    now = (await staff.get(`/api/v1/service_requests/${rq.id}`)).body;
    assert.equal(now.status, 'resolved');
    const mine = await staff.get('/api/v1/me/notifications');
    assert.ok(mine.body.items.some((n) => n.record_id === rq.id && n.kind === 'servicedesk.completed'));

    const rated = await staff.post(`/api/v1/service_requests/${rq.id}/rate`, { score: 5, comment: '很及时' });
    assert.equal(rated.status, 200, rated.text);
    assert.equal(rated.body.status, 'closed');
    assert.equal(rated.body.close_reason, 'confirmed');
    assert.equal(rated.body.score, 5);
    const tl = await staff.get(`/api/v1/service_requests/${rq.id}/timeline`);
    const kinds = tl.body.items.map((e) => e.kind);
    assert.deepEqual(kinds, ['submitted', 'assigned', 'accepted', 'held', 'commented', 'resumed', 'completed', 'rated']);
    // who did what, by name; routing by a rule is the server's step and names the team
    const routed = tl.body.items[1];
    assert.equal(routed.actor_id, null);
    assert.match(routed.note, /物业维修班/);
    assert.equal(tl.body.items[0].actor_id, staff.session.user.id);
    assert.equal(typeof tl.body.actors[String(staff.session.user.id)], 'string');
    assert.equal(typeof tl.body.actors[String(contractor.session.user.id)], 'string');
    // the dispatcher sees a team's members by name (users themselves are not theirs to read)
    const members = await dispatcher.get(`/api/v1/service_teams/${teams['物业维修班'].id}/members`);
    assert.equal(members.status, 200, members.text);
    assert.ok(members.body.items.some((x) => x.user_id === contractor.session.user.id && x.name));
    problem(assert, await dispatcher.get('/api/v1/users'), 403, 'BUR-302');
    // every change is in the audit chain
    const hist = await admin.get(`/api/v1/service_requests/${rq.id}/history`);
    assert.ok(hist.body.length >= 6, hist.text);
});

test('SLA clocks count working time across a weekend, holidays and an adjusted working Saturday', async () => {
    // a type of our own: respond within 60, resolve within 2100 working minutes (five days)
    const tr = await admin.post('/api/v1/service_types', { code: 'sla_probe', name: '时限测试', category: 'other', needs_location: false });
    assert.equal(tr.status, 201, tr.text);
    for (const u of ['low', 'normal', 'high', 'urgent'])
        assert.equal((await admin.post('/api/v1/sla_targets', { type_id: tr.body.id, urgency: u, respond_minutes: 60, resolve_minutes: 2100 })).status, 201);
    // within the next five working days: two weekdays off, and the Saturday between worked
    let o = await oracle();
    const today = o.dayOf(Math.floor(Date.now() / 1000));
    const weekdays = [];
    let saturday = null;
    for (let d = today + 1; weekdays.length < 2 || saturday === null; d++) {
        const wd = new Date(d * 86400 * 1000).getUTCDay();
        if (wd >= 1 && wd <= 5 && weekdays.length < 2 && o.isWork(d)) weekdays.push(d);
        if (wd === 6 && saturday === null && d > today + 1) saturday = d;
    }
    const added = [];
    for (const d of weekdays) {
        const r = await admin.post('/api/v1/calendar_days', { date: o.dateOf(d), kind: 'off', name: '测试假日' });
        assert.equal(r.status, 201, r.text);
        added.push(r.body.id);
    }
    const sat = await admin.post('/api/v1/calendar_days', { date: o.dateOf(saturday), kind: 'workday', name: '测试调休' });
    if (sat.status === 201) added.push(sat.body.id);
    else problem(assert, sat, 409, 'BUR-403'); // already a listed day
    o = await oracle();
    const rq = await file(staff, { title: '时限', type_id: tr.body.id, description: '测试' });
    const filed = secs(rq.created_at);
    assert.equal(secs(rq.respond_due_at), o.addWorking(filed, 3600), 'respond by');
    assert.equal(secs(rq.resolve_due_at), o.addWorking(filed, 2100 * 60), 'resolve by');
    assert.equal(o.workingSeconds(filed, secs(rq.resolve_due_at)), 2100 * 60);
    // the span covers both days off, the worked Saturday and at least one weekend
    const span = [o.dayOf(filed), o.dayOf(secs(rq.resolve_due_at))];
    for (const d of [...weekdays, saturday]) assert.ok(d >= span[0] && d <= span[1], `day ${o.dateOf(d)} lies inside ${rq.created_at} … ${rq.resolve_due_at}`);

    // paused while waiting for the requester: what was left is kept, from the resumption
    await admin.post(`/api/v1/service_requests/${rq.id}/assign`, { team_id: teams['物业维修班'].id });
    const wo = await workOrderOf(contractor, rq.id);
    assert.equal((await contractor.post(`/api/v1/work_orders/${wo.id}/accept`, {})).status, 200);
    const before1 = (await admin.get(`/api/v1/service_requests/${rq.id}`)).body;
    assert.equal((await contractor.post(`/api/v1/work_orders/${wo.id}/hold`, { reason: '等待确认' })).status, 200);
    const held = (await admin.get(`/api/v1/service_requests/${rq.id}`)).body;
    await sleep(1100);
    assert.equal((await contractor.post(`/api/v1/work_orders/${wo.id}/resume`, {})).status, 200);
    const resumed = (await admin.get(`/api/v1/service_requests/${rq.id}`)).body;
    const ev = (await timeline(admin, rq.id)).filter((e) => e.kind === 'resumed').pop();
    const left = o.workingSeconds(secs(held.hold_since), secs(before1.resolve_due_at));
    assert.equal(secs(resumed.resolve_due_at), o.addWorking(secs(ev.created_at), left));
    for (const id of added) await admin.del(`/api/v1/calendar_days/${id}`);
});

test('a breach is flagged once per clock and escalated once to the team head', async () => {
    const rq = await file(staff, { title: '空调不制冷', type_id: types.air_conditioning.id, description: '很热', building: '区委大院' });
    const team = teams['空调维保组'];
    assert.equal(rq.team_id, team.id);
    const head = api(srv.url, { username: 'kongtiao01', password: PW });
    const count = async () => (await head.get('/api/v1/me/notifications?limit=100')).body.items
        .filter((n) => n.record_id === rq.id && n.kind === 'servicedesk.escalated').length;
    const past = Math.floor(Date.now() / 1000) - 120;
    sql(`UPDATE service_requests SET respond_due_at = ${past} WHERE id = ${rq.id}`);
    await runJob('servicedesk.sla');
    let now = (await admin.get(`/api/v1/service_requests/${rq.id}`)).body;
    assert.equal(now.respond_breached, true);
    assert.equal(now.resolve_breached, false);
    assert.ok(now.escalated_at);
    assert.equal(await count(), 1);
    await runJob('servicedesk.sla');
    await runJob('servicedesk.sla');
    sql(`UPDATE service_requests SET resolve_due_at = ${past} WHERE id = ${rq.id}`);
    await runJob('servicedesk.sla');
    await runJob('servicedesk.sla');
    now = (await admin.get(`/api/v1/service_requests/${rq.id}`)).body;
    assert.equal(now.resolve_breached, true);
    const kinds = (await timeline(admin, rq.id)).map((e) => e.kind);
    assert.equal(kinds.filter((k) => k === 'respond_breached').length, 1);
    assert.equal(kinds.filter((k) => k === 'resolve_breached').length, 1);
    assert.equal(kinds.filter((k) => k === 'escalated').length, 1);
    assert.equal(await count(), 1, 'no notification flood');
    // a request waiting for its requester is not late
    const w = await file(staff, { title: '等待中', type_id: types.repair.id, description: 'x', building: '区委大院' });
    const wo = await workOrderOf(contractor, w.id);
    await contractor.post(`/api/v1/work_orders/${wo.id}/accept`, {});
    await contractor.post(`/api/v1/work_orders/${wo.id}/hold`, { reason: '需要确认时间' });
    sql(`UPDATE service_requests SET resolve_due_at = ${past} WHERE id = ${w.id}`);
    await runJob('servicedesk.sla');
    assert.equal((await admin.get(`/api/v1/service_requests/${w.id}`)).body.resolve_breached, false);
});

test('unconfirmed requests close themselves after 7 days; reopening is only within the window', async () => {
    const rq = await file(staff, { title: '插座没电', type_id: types.electrical.id, description: '插座没电', building: '区委大院' });
    const wo = await workOrderOf(contractor, rq.id);
    await contractor.post(`/api/v1/work_orders/${wo.id}/accept`, {});
    await contractor.post(`/api/v1/work_orders/${wo.id}/complete`, { result: '已修复' });
    const late = Math.floor(Date.now() / 1000) - 8 * 86400;
    sql(`UPDATE service_requests SET resolved_at = ${late} WHERE id = ${rq.id}`);
    const v = (await admin.get(`/api/v1/service_requests/${rq.id}`)).body.version;
    problem(assert, await staff.post(`/api/v1/service_requests/${rq.id}/reopen`, { reason: '又坏了' }), 409, 'BUR-408');
    assert.equal((await admin.get(`/api/v1/service_requests/${rq.id}`)).body.version, v, 'nothing changed');
    await runJob('servicedesk.autoclose');
    const now = (await admin.get(`/api/v1/service_requests/${rq.id}`)).body;
    assert.equal(now.status, 'closed');
    assert.equal(now.close_reason, 'auto');
    assert.equal((await timeline(admin, rq.id)).pop().kind, 'closed');
    // still rated afterwards, once
    assert.equal((await staff.post(`/api/v1/service_requests/${rq.id}/rate`, { score: 4 })).status, 200);
    problem(assert, await staff.post(`/api/v1/service_requests/${rq.id}/rate`, { score: 5 }), 409, 'BUR-408');

    // within the window: reopened to the same team with a fresh work order
    const r2 = await file(staff, { title: '灯不亮', type_id: types.electrical.id, description: '灯不亮', building: '区委大院' });
    const w2 = await workOrderOf(contractor, r2.id);
    await contractor.post(`/api/v1/work_orders/${w2.id}/accept`, {});
    await contractor.post(`/api/v1/work_orders/${w2.id}/complete`, { result: '已更换灯管' });
    const re = await staff.post(`/api/v1/service_requests/${r2.id}/reopen`, { reason: '还是不亮' });
    assert.equal(re.status, 200, re.text);
    assert.equal(re.body.status, 'assigned');
    assert.equal(re.body.reopen_count, 1);
    const w3 = await workOrderOf(contractor, r2.id);
    assert.notEqual(w3.id, w2.id);
    assert.equal(w3.status, 'open');
});

test('who sees what: requester, liaison, contractor crew, a section\'s own role', async () => {
    const mineR = await file(staff, { title: '我的请求', type_id: types.repair.id, description: 'x', building: '区委大院' });
    const acR = await file(liaison, { title: '空调漏水', type_id: types.air_conditioning.id, description: 'x', building: '区委大院' });
    const meetR = await file(liaison, { title: '会议茶水', type_id: types.meeting_service.id, description: 'x', building: '区委大院' });
    // the requester: only their own
    const own = await staff.all('service_requests');
    assert.ok(own.length >= 1);
    assert.ok(own.every((x) => x.requester_id === staff.session.user.id), 'only own requests');
    problem(assert, await staff.get(`/api/v1/service_requests/${acR.id}`), 404, 'BUR-107');
    problem(assert, await staff.get(`/api/v1/service_requests/${acR.id}/timeline`), 404, 'BUR-107');
    problem(assert, await staff.get('/api/v1/work_orders'), 403, 'BUR-302');
    // the contractor's crew: only what its team holds
    const seen = await contractor.all('service_requests', { status: 'assigned' });
    assert.ok(seen.some((x) => x.id === mineR.id));
    assert.ok(seen.every((x) => x.team_id === teams['物业维修班'].id));
    problem(assert, await contractor.get(`/api/v1/service_requests/${acR.id}`), 404, 'BUR-107');
    const acWo = await workOrderOf(admin, acR.id);
    problem(assert, await contractor.post(`/api/v1/work_orders/${acWo.id}/accept`, {}), 404, 'BUR-107');
    assert.ok((await contractor.all('work_orders')).every((w) => w.team_id === teams['物业维修班'].id));
    // a section's own role: assigned scope, member of 会务接待组
    const role = await admin.post('/api/v1/roles', {
        code: 'meeting_section', name: '会务科',
        permissions: { 'module:servicedesk': { read: 'assigned', accept: 'assigned', complete: 'assigned', hold: 'assigned', resume: 'assigned', comment: 'assigned' } },
    });
    assert.equal(role.status, 201, role.text);
    const u = await admin.post('/api/v1/users', { username: 'huiwu_head', display_name: '会务科长', role_id: role.body.id });
    assert.equal(u.status, 201, u.text);
    assert.equal((await admin.post(`/api/v1/users/${u.body.id}/reset_password`, { password: 'Meeting-head-2026' })).status, 200);
    assert.equal((await admin.post('/api/v1/service_team_members', { team_id: teams['会务接待组'].id, user_id: u.body.id })).status, 201);
    const head = await m.signInChanging(srv.url, { username: 'huiwu_head', password: 'Meeting-head-2026', newPassword: 'Meeting-head-2027' });
    const hs = await head.all('service_requests', { status: 'assigned' });
    assert.ok(hs.some((x) => x.id === meetR.id));
    assert.ok(hs.every((x) => x.team_id === teams['会务接待组'].id));
    problem(assert, await head.get(`/api/v1/service_requests/${mineR.id}`), 404, 'BUR-107');
    // the liaison: the requests of their departments
    const ls = await liaison.all('service_requests', { status: 'assigned' });
    assert.ok(ls.some((x) => x.id === meetR.id));
    // the dispatcher sees and assigns everything; the requester may not assign
    problem(assert, await staff.post(`/api/v1/service_requests/${mineR.id}/assign`, { team_id: teams['空调维保组'].id }), 403, 'BUR-302');
    const moved = await dispatcher.post(`/api/v1/service_requests/${mineR.id}/assign`, { team_id: teams['空调维保组'].id, note: '改派空调组' });
    assert.equal(moved.status, 200, moved.text);
    assert.equal(moved.body.team_id, teams['空调维保组'].id);
    problem(assert, await contractor.get(`/api/v1/service_requests/${mineR.id}`), 404, 'BUR-107');
    // the earlier work order is cancelled, a new one is open for the new team
    const wos = (await admin.all('work_orders', { request_id: mineR.id })).sort((a, b) => a.id - b.id);
    assert.deepEqual(wos.map((w) => w.status), ['cancelled', 'open']);
});

test('refused: bad input and out-of-order steps change nothing', async () => {
    const count = () => Number(sql('SELECT COUNT(*) FROM service_requests').trim());
    const n0 = count();
    problem(assert, await staff.post('/api/v1/service_requests', { title: 'x', type_id: 999999, description: 'x' }), 422, 'BUR-201', ['type_id']);
    problem(assert, await staff.post('/api/v1/service_requests', { title: 'x', type_id: types.repair.id, description: 'x' }), 422, 'BUR-201', ['location']);
    problem(assert, await staff.post('/api/v1/service_requests', { title: 'x', type_id: types.other.id, description: 'x', urgency: 'now' }), 422, 'BUR-201', ['urgency']);
    problem(assert, await staff.post('/api/v1/service_requests', { type_id: types.other.id }), 422, 'BUR-201', ['title', 'description']);
    problem(assert, await staff.post('/api/v1/service_requests', { title: 'x', type_id: types.other.id, description: 'x', status: 'closed' }), 422, 'BUR-201', ['status']);
    // photos: not yours, not ids, too many
    const theirs = await liaison.post('/api/v1/files/upload', jpeg(2000, 8), { contentType: 'image/jpeg' });
    problem(assert, await staff.post('/api/v1/service_requests', { title: 'x', type_id: types.other.id, description: 'x', photos: [theirs.body.id] }), 422, 'BUR-201', ['photos']);
    problem(assert, await staff.post('/api/v1/service_requests', { title: 'x', type_id: types.other.id, description: 'x', photos: ['a'] }), 422, 'BUR-201', ['photos']);
    problem(assert, await staff.post('/api/v1/service_requests', { title: 'x', type_id: types.other.id, description: 'x', photos: [1, 2, 3, 4, 5, 6] }), 422, 'BUR-201', ['photos']);
    assert.equal(count(), n0, 'nothing filed');
    assert.equal((await admin.get(`/api/v1/files/${theirs.body.id}`)).body.collection, null);

    const rq = await file(staff, { title: '测试', type_id: types.repair.id, description: 'x', building: '区委大院' });
    const wo = await workOrderOf(contractor, rq.id);
    const v0 = (await admin.get(`/api/v1/service_requests/${rq.id}`)).body.version;
    const e0 = (await timeline(admin, rq.id)).length;
    problem(assert, await dispatcher.post(`/api/v1/service_requests/${rq.id}/assign`, { team_id: teams['空调维保组'].id, assignee_id: contractor.session.user.id || 1 }), 422, 'BUR-201', ['assignee_id']);
    problem(assert, await dispatcher.post(`/api/v1/service_requests/${rq.id}/assign`, { team_id: 999999 }), 422, 'BUR-201', ['team_id']);
    problem(assert, await dispatcher.post(`/api/v1/service_requests/${rq.id}/assign`, {}), 422, 'BUR-201', ['team_id']);
    problem(assert, await staff.post(`/api/v1/service_requests/${rq.id}/confirm`, {}), 409, 'BUR-408');
    problem(assert, await staff.post(`/api/v1/service_requests/${rq.id}/rate`, { score: 5 }), 409, 'BUR-408');
    problem(assert, await contractor.post(`/api/v1/work_orders/${wo.id}/complete`, { result: 'x' }), 409, 'BUR-408');
    problem(assert, await contractor.post(`/api/v1/work_orders/${wo.id}/resume`, {}), 409, 'BUR-408');
    problem(assert, await contractor.post(`/api/v1/work_orders/${wo.id}/hold`, { reason: 'x' }), 409, 'BUR-408');
    assert.equal((await admin.get(`/api/v1/service_requests/${rq.id}`)).body.version, v0);
    assert.equal((await timeline(admin, rq.id)).length, e0);

    await contractor.post(`/api/v1/work_orders/${wo.id}/accept`, {});
    problem(assert, await contractor.post(`/api/v1/work_orders/${wo.id}/accept`, {}), 409, 'BUR-408');
    problem(assert, await contractor.post(`/api/v1/work_orders/${wo.id}/complete`, {}), 422, 'BUR-201', ['result']);
    problem(assert, await contractor.post(`/api/v1/work_orders/${wo.id}/complete`, { result: 'x', cost_fen: 1.5 }), 422, 'BUR-201', ['cost_fen']);
    problem(assert, await staff.patch(`/api/v1/service_requests/${rq.id}`, { description: '改一下' }), 409, 'BUR-408');
    await contractor.post(`/api/v1/work_orders/${wo.id}/complete`, { result: '好了' });
    // ratings: range, who, twice
    for (const score of [0, 6, 4.5, '5', null]) problem(assert, await staff.post(`/api/v1/service_requests/${rq.id}/rate`, { score }), 422, 'BUR-201', ['score']);
    problem(assert, await admin.post(`/api/v1/service_requests/${rq.id}/rate`, { score: 5 }), 403, 'BUR-302');
    problem(assert, await dispatcher.post(`/api/v1/service_requests/${rq.id}/confirm`, {}), 403, 'BUR-302');
    assert.equal((await staff.post(`/api/v1/service_requests/${rq.id}/rate`, { score: 3, comment: '一般' })).status, 200);
    problem(assert, await staff.post(`/api/v1/service_requests/${rq.id}/rate`, { score: 5 }), 409, 'BUR-408');
    problem(assert, await staff.post(`/api/v1/service_requests/${rq.id}/cancel`, {}), 409, 'BUR-408');
    problem(assert, await staff.post(`/api/v1/service_requests/${rq.id}/reopen`, { reason: 'x' }), 409, 'BUR-408');
    problem(assert, await staff.post(`/api/v1/service_requests/${rq.id}/comment`, { message: 'x' }), 409, 'BUR-408');
    // requests are records: never deleted
    problem(assert, await admin.del(`/api/v1/service_requests/${rq.id}`), 405, 'BUR-105');
    problem(assert, await admin.post('/api/v1/work_orders', { request_id: rq.id, team_id: teams['物业维修班'].id }), 405, 'BUR-105');
});

test('a requester edits until the request is accepted, and cancels before it is resolved', async () => {
    const rq = await file(staff, { title: '会议室需要清洁', type_id: types.cleaning.id, description: '下午有会', building: '区委大院' });
    const ed = await staff.patch(`/api/v1/service_requests/${rq.id}`, { description: '下午三点有会' });
    assert.equal(ed.status, 200, ed.text);
    const c = await staff.post(`/api/v1/service_requests/${rq.id}/cancel`, { reason: '会议取消' });
    assert.equal(c.status, 200, c.text);
    assert.equal(c.body.status, 'cancelled');
    assert.equal(c.body.close_reason, 'cancelled');
    assert.equal((await workOrderOf(admin, rq.id)).status, 'cancelled');
    problem(assert, await staff.post(`/api/v1/service_requests/${rq.id}/rate`, { score: 1 }), 409, 'BUR-408');
});

test('a webhook hears every status change, signed', async () => {
    const got = [];
    const server = http.createServer((req, res) => {
        const chunks = [];
        req.on('data', (c) => chunks.push(c));
        req.on('end', () => {
            got.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
            res.end('ok');
        });
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    try {
        const secret = 'service-desk-hook-secret';
        const wh = await admin.post('/api/v1/webhooks', { name: '12345 热线', url: `http://127.0.0.1:${server.address().port}/hook`, secret, events: 'service_requests.update', active: true });
        assert.equal(wh.status, 201, wh.text);
        const rq = await file(staff, { title: '网络断开', type_id: types.network.id, description: '无法上网', building: '区委大院' });
        const team = teams['信息中心'];
        const crew = api(srv.url, { username: 'xinxi01', password: PW });
        const wo = await workOrderOf(crew, rq.id);
        assert.equal(wo.team_id, team.id);
        assert.equal((await crew.post(`/api/v1/work_orders/${wo.id}/accept`, {})).status, 200);
        const hit = await waitFor('the webhook', () => got.find((g) => {
            const b = JSON.parse(g.body);
            return b.id === rq.id && b.before && b.before.status === 'assigned' && b.after.status === 'in_progress';
        }));
        const want = 'sha256=' + crypto.createHmac('sha256', secret).update(`${hit.headers['x-bureau-timestamp']}.${hit.body}`).digest('hex');
        assert.equal(hit.headers['x-bureau-signature'], want);
        assert.equal(hit.headers['x-bureau-event'], 'service_requests.update');
        await admin.patch(`/api/v1/webhooks/${wh.body.id}`, { active: false });
    } finally {
        await new Promise((r) => server.close(r));
    }
});

test('statistics and the report count within the caller\'s scope', async () => {
    const from = new Date(Date.now() - 400 * 86400 * 1000).toISOString().slice(0, 10);
    const st = await admin.get(`/api/v1/servicedesk/stats?by=month&from=${from}`);
    assert.equal(st.status, 200, st.text);
    const total = Number(sql('SELECT COUNT(*) FROM service_requests').trim());
    assert.equal(st.body.groups.reduce((s, g) => s + g.count, 0), total);
    assert.ok(st.body.groups.length >= 12, 'a year of months');
    const keys = st.body.groups.map((g) => g.key);
    assert.deepEqual([...keys].sort(), keys, 'months in order');
    // satisfaction: the share of 4s and 5s among the rated
    const rated = Number(sql('SELECT COUNT(*) FROM service_requests WHERE score IS NOT NULL').trim());
    const happy = Number(sql('SELECT COUNT(*) FROM service_requests WHERE score >= 4').trim());
    const rep = await admin.get(`/api/v1/servicedesk/report?from=${from}`);
    assert.equal(rep.status, 200, rep.text);
    assert.equal(rep.body.total.count, total);
    assert.equal(rep.body.total.rated, rated);
    // one decimal, rounded half up from the exact fraction: in integers, (2000a + b) div 2b tenths
    const tenths = (a, b) => Math.floor((2000 * a + b) / (2 * b));
    assert.equal(rep.body.total.satisfaction_pct, tenths(happy, rated) / 10);
    const scoreSum = Number(sql('SELECT COALESCE(SUM(score), 0) FROM service_requests WHERE score IS NOT NULL').trim());
    assert.equal(rep.body.total.avg_score, Math.floor((20 * scoreSum + rated) / (2 * rated)) / 10);
    assert.ok(rep.body.total.respond_sla_pct > 50 && rep.body.total.respond_sla_pct <= 100);
    for (const k of ['by_month', 'by_type', 'by_team', 'by_building', 'by_department']) assert.ok(Array.isArray(rep.body[k]), k);
    const byTeam = await admin.get(`/api/v1/servicedesk/stats?by=team&from=${from}`);
    assert.ok(byTeam.body.groups.some((g) => g.label === '物业维修班'));
    // each group's label is its own (text groupings: the key itself), counts by the rows
    const byBuilding = await admin.get(`/api/v1/servicedesk/stats?by=building&from=${from}`);
    for (const g of byBuilding.body.groups) {
        assert.equal(g.label, g.key);
        if (g.key) assert.equal(g.count, Number(sql(`SELECT COUNT(*) FROM service_requests WHERE building = '${g.key}' AND created_at >= ${secs(from + 'T00:00:00+08:00')}`).trim()), g.key);
    }
    const counts = byTeam.body.groups.map((g) => g.count);
    assert.deepEqual(counts, [...counts].sort((a, b) => b - a), 'by volume');
    // the staff member counts only their own
    const mine = await staff.get(`/api/v1/servicedesk/report?from=${from}`);
    const own = Number(sql(`SELECT COUNT(*) FROM service_requests WHERE created_by = ${staff.session.user.id}`).trim());
    assert.equal(mine.body.total.count, own);
    // XLSX
    const x = await admin.fetch(`/api/v1/servicedesk/report.xlsx?from=${from}`);
    assert.equal(x.status, 200);
    assert.match(x.headers.get('content-type'), /spreadsheetml/);
    const xb = Buffer.from(await x.arrayBuffer());
    assert.equal(xb.subarray(0, 2).toString(), 'PK');
    // the workbook's figures are the JSON's, rounded the same way, shown with one decimal
    const book = xlsx.read(xb);
    const cols = { respond_sla_pct: 4, resolve_sla_pct: 5, mean_respond_min: 6, mean_resolve_min: 7, rated: 8, avg_score: 9, satisfaction_pct: 10 };
    const sum = book.sheets.get('概要').rows;
    assert.equal(sum[1][0].value, '合计');
    for (const [k, c] of Object.entries(cols)) {
        const cell = sum[1][c];
        if (rep.body.total[k] === null) {
            assert.equal(cell, undefined, k);
            continue;
        }
        assert.equal(cell.type, 'n', k);
        assert.equal(cell.value, rep.body.total[k], k);
        if (k.endsWith('_pct') || k === 'avg_score') assert.equal(cell.format, '0.0', k);
    }
    const teamSheet = book.sheets.get('按班组');
    assert.ok(teamSheet.rows.length > 2, 'teams in the workbook');
    for (const row of teamSheet.rows.slice(1)) {
        const g = rep.body.by_team.find((t) => (t.label ?? '(未指定)') === row[0].value);
        assert.ok(g, row[0].value);
        for (const k of ['satisfaction_pct', 'avg_score', 'resolve_sla_pct'])
            assert.equal(row[cols[k]]?.value ?? null, g[k], `${row[0].value} ${k}`);
    }
    // bad periods
    problem(assert, await admin.get('/api/v1/servicedesk/stats?from=2026-13-01'), 400, 'BUR-102', ['from']);
    problem(assert, await admin.get('/api/v1/servicedesk/stats?from=2026-05-01&to=2026-04-01'), 400, 'BUR-102', ['to']);
    problem(assert, await admin.get('/api/v1/servicedesk/stats?by=colour'), 400, 'BUR-102');
    problem(assert, await api(srv.url, { username: 'supplier', password: PW }).get('/api/v1/servicedesk/stats'), 403, 'BUR-302');
    // and the dashboard card
    const card = await admin.get('/api/v1/summary/servicedesk');
    assert.ok(card.body.cards.some((c) => c.kind === 'kpi' && typeof c.count === 'number'), card.text);
});
