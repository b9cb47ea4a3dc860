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
    srv = await startServer();
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
