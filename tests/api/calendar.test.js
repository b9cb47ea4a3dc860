// SPDX-License-Identifier: MIT
// calendar.test.js - the working calendar every module counts with: the
// national holidays and adjusted working days seeded into each tenant,
// editable; working hours on the tenant, checked on write.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, api, problem } = require('./lib/server');
const m = require('./lib/matrix');

let srv, a;

before(async () => {
    srv = await startServer({ args: ['--jobs-interval', '1'] });
    a = api(srv.url);
});

after(async () => {
    if (srv) await srv.stop();
});

test('the national holidays and adjusted working days are seeded', async () => {
    const days = await a.all('calendar_days', { sort: 'date' });
    assert.equal(days.length, 108, 'the notices for 2024, 2025 and 2026');
    const by = Object.fromEntries(days.map((d) => [d.date, d]));
    assert.equal(by['2026-10-01'].kind, 'off');
    assert.equal(by['2026-10-01'].name, '国庆节');
    assert.equal(by['2026-10-10'].kind, 'workday');
    assert.equal(by['2026-09-20'].kind, 'workday');
    assert.match(by['2026-10-10'].source, /国办发明电〔2025〕7号/);
    // filterable by date range and kind
    const oct = await a.get('/api/v1/calendar_days?date[gte]=2026-10-01&date[lt]=2026-11-01&kind=workday');
    assert.equal(oct.status, 200, oct.text);
    assert.deepEqual(oct.body.items.map((d) => d.date), ['2026-10-10']);
});

test('a tenant adds next year\'s days; one date appears once', async () => {
    const r = await a.post('/api/v1/calendar_days', { date: '2027-01-01', kind: 'off', name: '元旦' });
    assert.equal(r.status, 201, r.text);
    problem(assert, await a.post('/api/v1/calendar_days', { date: '2027-01-01', kind: 'workday' }), 409, 'BUR-403');
    problem(assert, await a.post('/api/v1/calendar_days', { date: '2027-02-30', kind: 'off' }), 422, 'BUR-201', ['date']);
    problem(assert, await a.post('/api/v1/calendar_days', { date: '2027-01-02', kind: 'holiday' }), 422, 'BUR-201', ['kind']);
    assert.equal((await a.del(`/api/v1/calendar_days/${r.body.id}`)).status, 204);
});

test('working hours: set on the tenant, refused when malformed', async () => {
    const t = (await a.get('/api/v1/tenants/1')).body;
    assert.equal(t.work_hours, '09:00-12:00,14:00-18:00');
    for (const bad of ['9-12', '09:00-12:00,11:00-13:00', '12:00-09:00', '09:00-12:00,', '25:00-26:00']) {
        const r = await a.patch('/api/v1/tenants/1', { work_hours: bad });
        problem(assert, r, 422, 'BUR-201', ['work_hours']);
    }
    assert.equal((await a.get('/api/v1/tenants/1')).body.version, t.version, 'nothing changed');
    const ok = await a.patch('/api/v1/tenants/1', { work_hours: '08:30-12:00,14:30-17:30' });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.work_hours, '08:30-12:00,14:30-17:30');
});

test('a new tenant starts with the national calendar', async () => {
    const before = srv.stderr.length;
    const r = await a.post('/api/v1/tenants', { name: '测试区机关事务管理局', code: 'cal-test' });
    assert.equal(r.status, 201, r.text);
    // its administrator's password is printed once in the server log
    let pm;
    for (let i = 0; i < 50 && !(pm = /admin password: (\S+)/.exec(srv.stderr.slice(before))); i++)
        await new Promise((res) => setTimeout(res, 20));
    assert.ok(pm, 'the new tenant\'s admin password is in the log');
    const other = await m.signInChanging(srv.url, { username: 'admin', password: pm[1], newPassword: 'Calendar-tenant-2026', tenant: 'cal-test' });
    const days = await other.all('calendar_days');
    assert.equal(days.length, 108);
    assert.ok(days.some((d) => d.date === '2026-10-10' && d.kind === 'workday'));
});

// ---- coverage: is this year, and from 1 November the next, entered? ----

test('coverage: the next year is missing from 1 November, not before; 元旦 entered covers it', async () => {
    const on = async (date) => {
        const r = await a.get(`/api/v1/calendar/coverage?date=${date}`);
        assert.equal(r.status, 200, r.text);
        return r.body;
    };
    let c = await on('2026-10-31');
    assert.equal(c.date, '2026-10-31');
    assert.deepEqual(c.years, [{ year: 2026, covered: true, needed: true }, { year: 2027, covered: false, needed: false }]);
    assert.deepEqual(c.missing, []);
    c = await on('2026-11-01');
    assert.deepEqual(c.years[1], { year: 2027, covered: false, needed: true });
    assert.deepEqual(c.missing, [2027]);
    assert.deepEqual((await on('2027-06-01')).missing, [2027], 'a year without its notice is missing all year');
    // a day off later in the year does not cover it; 元旦 does
    const feb = await a.post('/api/v1/calendar_days', { date: '2027-02-08', kind: 'off', name: '春节' });
    assert.equal(feb.status, 201, feb.text);
    assert.deepEqual((await on('2026-11-01')).missing, [2027]);
    const jan = await a.post('/api/v1/calendar_days', { date: '2027-01-01', kind: 'off', name: '元旦' });
    assert.equal(jan.status, 201, jan.text);
    c = await on('2026-11-01');
    assert.deepEqual(c.missing, []);
    assert.equal(c.years[1].covered, true);
    assert.deepEqual((await on('2027-11-01')).missing, [2028]);
    for (const d of [feb, jan]) assert.equal((await a.del(`/api/v1/calendar_days/${d.body.id}`)).status, 204);
    problem(assert, await a.get('/api/v1/calendar/coverage?date=2026-13-01'), 400, 'BUR-102');
    problem(assert, await a.get('/api/v1/calendar/coverage?year=2026'), 400, 'BUR-102');
});

// ---- a changed day: open requests' due times counted again ----

const epoch = (s) => Date.parse(s) / 1000;
const sql = (text) => m.sqlShell(srv, text);

test('a new holiday moves the due times of open requests, not of closed ones; audited, with the count', async () => {
    const hours = await a.patch('/api/v1/tenants/1', { work_hours: '09:00-12:00,14:00-18:00' });
    assert.equal(hours.status, 200, hours.text);
    const types = (await a.get('/api/v1/service_types?limit=100')).body.items;
    const type = types.find((t) => t.active);
    const target = (await a.get(`/api/v1/sla_targets?type_id=${type.id}&urgency=normal`)).body.items[0];
    // the figures computed by hand below (tests/unit/t_calendar.c has the same)
    assert.equal(target.respond_minutes, 240);
    assert.equal(target.resolve_minutes, 1260);
    const file = async (title) => {
        const r = await a.post('/api/v1/service_requests', { title, type_id: type.id, urgency: 'normal', description: '灯不亮', building: '1号楼', location: '三楼东侧' });
        assert.equal(r.status, 201, r.text);
        return r.body.id;
    };
    const open = await file('日历调整 · 在办'), closed = await file('日历调整 · 已关闭');
    // filed on Monday 15 February 2027 at 17:00: respond by Tuesday 12:00
    // (1 h + 3 h), resolve by Thursday 17:00 (1 + 7 + 7 + 6 h)
    const set = (id, extra = '') => sql(`UPDATE service_requests SET created_at = ${epoch('2027-02-15T17:00:00+08:00')}, ` +
        `respond_due_at = ${epoch('2027-02-16T12:00:00+08:00')}, resolve_due_at = ${epoch('2027-02-18T17:00:00+08:00')}${extra} WHERE id = ${id}`);
    set(open);
    set(closed, `, status = 'closed', close_reason = 'cancelled', closed_at = ${epoch('2027-02-15T17:30:00+08:00')}`);

    // Tuesday 16 February becomes a day off: each clock moves on a working day
    const r = await a.post('/api/v1/calendar_days', { date: '2027-02-16', kind: 'off', name: '调整测试' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.headers.get('bureau-moved'), '1', 'the answer says how many requests moved');
    let rq = (await a.get(`/api/v1/service_requests/${open}`)).body;
    assert.equal(rq.respond_due_at, '2027-02-17T12:00:00+08:00');
    assert.equal(rq.resolve_due_at, '2027-02-19T17:00:00+08:00');
    const cl = (await a.get(`/api/v1/service_requests/${closed}`)).body;
    assert.equal(cl.respond_due_at, '2027-02-16T12:00:00+08:00', 'a closed request keeps its due times');
    assert.equal(cl.resolve_due_at, '2027-02-18T17:00:00+08:00');

    // audited: the request's own entry, and the count on the day's history
    const hist = (await a.get(`/api/v1/service_requests/${open}/history`)).body;
    const upd = hist.filter((e) => e.action === 'update').pop();
    assert.equal(upd.before.resolve_due_at, '2027-02-18T17:00:00+08:00');
    assert.equal(upd.after.resolve_due_at, '2027-02-19T17:00:00+08:00');
    assert.equal((await a.get(`/api/v1/service_requests/${closed}/history`)).body.filter((e) => e.action === 'update').length, 0);
    const dayHist = (await a.get(`/api/v1/calendar_days/${r.body.id}/history`)).body;
    const re = dayHist.find((e) => e.action === 'recompute');
    assert.ok(re, JSON.stringify(dayHist));
    assert.deepEqual(re.after, { from: '2027-02-16', to: '2027-02-16', moved: 1 });
    // and the request's timeline says why
    const tl = (await a.get(`/api/v1/service_requests/${open}/timeline`)).body.items;
    const ev = tl.find((e) => e.kind === 'rescheduled');
    assert.ok(ev, JSON.stringify(tl));
    assert.match(ev.note, /2027-02-16/);
    assert.match(ev.note, /办结时限改为 2027-02-19 17:00/);

    // a new name only: nothing counted again
    const ren = await a.patch(`/api/v1/calendar_days/${r.body.id}`, { name: '改名' });
    assert.equal(ren.status, 200, ren.text);
    assert.equal(ren.headers.get('bureau-moved'), null);
    // the day worked again (removed): back where they were
    const del = await a.del(`/api/v1/calendar_days/${r.body.id}`);
    assert.equal(del.status, 204);
    assert.equal(del.headers.get('bureau-moved'), '1');
    rq = (await a.get(`/api/v1/service_requests/${open}`)).body;
    assert.equal(rq.respond_due_at, '2027-02-16T12:00:00+08:00');
    assert.equal(rq.resolve_due_at, '2027-02-18T17:00:00+08:00');
    // a Saturday off changes nothing: not counted at all
    const sat = await a.post('/api/v1/calendar_days', { date: '2027-02-20', kind: 'off' });
    assert.equal(sat.status, 201, sat.text);
    assert.equal(sat.headers.get('bureau-moved'), null);
    assert.equal((await a.get(`/api/v1/calendar_days/${sat.body.id}/history`)).body.filter((e) => e.action === 'recompute').length, 0);
    assert.equal((await a.del(`/api/v1/calendar_days/${sat.body.id}`)).status, 204);
});

// ---- the administrators told once per missing year ----

const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

async function runJob(name) {
    const last = Number(sql(`SELECT COALESCE(MAX(id), 0) FROM bureau_job_runs WHERE name = '${name}'`).trim());
    for (const t0 = Date.now(); ;) {
        const done = sql(`SELECT status FROM bureau_job_runs WHERE name = '${name}' AND id > ${last} AND finished_at IS NOT NULL`).trim();
        if (done) {
            assert.equal(done.split('\n')[0], 'ok', `${name} failed`);
            return;
        }
        if (Date.now() - t0 > 20000) throw new Error(`timed out waiting for ${name}`);
        sql(`UPDATE bureau_jobs SET next_run_at = 0 WHERE name = '${name}'`);
        await sleep(100);
    }
}

test('a missing year: the administrators are told once, not every day', async () => {
    // this year (in the tenant's zone, UTC+8) without 元旦: missing, whatever today is
    const year = new Date(Date.now() + 8 * 3600e3).getUTCFullYear();
    const jan1 = (await a.get(`/api/v1/calendar_days?date=${year}-01-01`)).body.items[0];
    if (jan1) assert.equal((await a.del(`/api/v1/calendar_days/${jan1.id}`)).status, 204);
    assert.ok((await a.get('/api/v1/calendar/coverage')).body.missing.includes(year));
    await runJob('org.calendar_coverage');
    await runJob('org.calendar_coverage');
    const mine = (await a.get('/api/v1/me/notifications?limit=100')).body.items.filter((n) => n.kind.startsWith('org.calendar_missing.'));
    const kinds = mine.map((n) => n.kind);
    assert.equal(kinds.filter((k) => k === `org.calendar_missing.${year}`).length, 1, JSON.stringify(kinds));
    assert.equal(new Set(kinds).size, kinds.length, 'no year twice');
    const n = mine.find((x) => x.kind === `org.calendar_missing.${year}`);
    assert.match(n.title, new RegExp(`${year} 年节假日安排尚未录入`));
    // the dashboard card of those who may add days
    const cards = (await a.get('/api/v1/summary/org')).body.cards;
    const card = cards.find((c) => c.kind === 'calendar_coverage');
    assert.ok(card, JSON.stringify(cards));
    assert.ok(card.missing.includes(year));
    // entered again: no card
    const back = await a.post('/api/v1/calendar_days', { date: `${year}-01-01`, kind: 'off', name: '元旦' });
    assert.equal(back.status, 201, back.text);
    const now = (await a.get('/api/v1/calendar/coverage')).body;
    if (!now.missing.length)
        assert.ok(!(await a.get('/api/v1/summary/org')).body.cards.some((c) => c.kind === 'calendar_coverage'));
});
