// SPDX-License-Identifier: MIT
// concurrency.test.js - parallel creates, optimistic locking under races,
// unique values under races.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, api } = require('./lib/server');

let srv, a;
before(async () => {
    // more worker threads than cores: requests really overlap in the database
    srv = await startServer({ args: ['--threads', '8'] });
    a = api(srv.url);
});
after(async () => {
    if (srv) await srv.stop();
});

const tally = (rs) => rs.reduce((m, r) => ((m[r.status] = (m[r.status] || 0) + 1), m), {});

test('200 parallel creates all succeed with distinct ids', async () => {
    const before = (await a.all('departments')).length;
    const rs = await Promise.all(Array.from({ length: 200 }, (_, i) =>
        a.post('/api/v1/departments', { name: `并发部门${i}`, code: `PAR-${i}`, headcount: i })));
    assert.deepEqual(tally(rs), { 201: 200 }, rs.filter((r) => r.status !== 201).map((r) => r.text).slice(0, 3).join('\n'));
    const ids = rs.map((r) => r.body.id);
    assert.equal(new Set(ids).size, 200, 'distinct ids');
    for (const [i, r] of rs.entries()) {
        assert.equal(r.body.name, `并发部门${i}`, 'each response is its own record');
        assert.equal(r.headers.get('location'), `/api/v1/departments/${r.body.id}`);
    }
    const all = await a.all('departments');
    assert.equal(all.length, before + 200);
    const byId = new Map(all.map((d) => [d.id, d]));
    for (const [i, id] of ids.entries()) {
        assert.equal(byId.get(id).code, `PAR-${i}`);
        assert.equal(byId.get(id).headcount, i);
    }
});

test('20 parallel PATCHes with the same If-Match: exactly one 200, the rest 409', async () => {
    const d = (await a.post('/api/v1/departments', { name: 'race', headcount: 0 })).body;
    const rs = await Promise.all(Array.from({ length: 20 }, (_, i) =>
        a.patch(`/api/v1/departments/${d.id}`, { headcount: i + 1, name: `race ${i + 1}` }, { headers: { 'If-Match': '"1"' } })));
    assert.deepEqual(tally(rs), { 200: 1, 409: 19 });
    for (const r of rs.filter((x) => x.status === 409)) assert.equal(r.body.code, 'BUR-401');
    const win = rs.find((r) => r.status === 200).body;
    assert.equal(win.version, 2);
    const now = (await a.get(`/api/v1/departments/${d.id}`)).body;
    assert.equal(now.version, 2, 'one update applied');
    assert.equal(now.headcount, win.headcount);
    assert.equal(now.name, `race ${win.headcount}`, 'the winner\'s fields, not a mix');
});

test('parallel PATCHes of different records all succeed', async () => {
    const ds = await Promise.all(Array.from({ length: 30 }, (_, i) => a.post('/api/v1/departments', { name: `pp${i}` })));
    const rs = await Promise.all(ds.map((d, i) =>
        a.patch(`/api/v1/departments/${d.body.id}`, { headcount: i }, { headers: { 'If-Match': '"1"' } })));
    assert.deepEqual(tally(rs), { 200: 30 });
});

test('20 parallel creates of one unique code: one 201, the rest 409 BUR-403', async () => {
    const rs = await Promise.all(Array.from({ length: 20 }, (_, i) =>
        a.post('/api/v1/departments', { name: `same ${i}`, code: 'SAME-CODE' })));
    assert.deepEqual(tally(rs), { 201: 1, 409: 19 });
    for (const r of rs.filter((x) => x.status === 409)) {
        assert.equal(r.body.code, 'BUR-403');
        assert.deepEqual(r.body.errors.map((e) => e.field), ['code']);
    }
    assert.equal((await a.get('/api/v1/departments?code=SAME-CODE')).body.items.length, 1);
});

test('10 parallel DELETEs of one record: one 204, the rest 404 (five records at once)', async () => {
    const ds = await Promise.all(Array.from({ length: 5 }, (_, i) => a.post('/api/v1/departments', { name: `delete race ${i}` })));
    const rs = await Promise.all(ds.map((d) => Promise.all(Array.from({ length: 10 }, () => a.del(`/api/v1/departments/${d.body.id}`)))));
    for (const [i, r] of rs.entries()) {
        assert.deepEqual(tally(r), { 204: 1, 404: 9 }, `record ${ds[i].body.id}`);
        assert.equal((await a.get(`/api/v1/departments/${ds[i].body.id}`)).status, 404);
    }
});

test('a PATCH and a DELETE racing with the same If-Match: exactly one wins', async () => {
    const ds = await Promise.all(Array.from({ length: 60 }, (_, i) => a.post('/api/v1/departments', { name: `pd${i}` })));
    const rs = await Promise.all(ds.map((d) => Promise.all([
        a.patch(`/api/v1/departments/${d.body.id}`, { headcount: 7 }, { headers: { 'If-Match': '"1"' } }),
        a.del(`/api/v1/departments/${d.body.id}`, { headers: { 'If-Match': '"1"' } }),
    ])));
    for (const [i, [p, d]] of rs.entries()) {
        const wins = (p.status === 200) + (d.status === 204);
        assert.equal(wins, 1, `record ${ds[i].body.id}: PATCH ${p.status}, DELETE ${d.status}`);
        if (p.status === 200) assert.equal(d.status, 409);
        else assert.ok(p.status === 409 || p.status === 404, `PATCH ${p.status}`);
    }
});

test('readers during writes always see whole pages', async () => {
    const writes = Array.from({ length: 100 }, (_, i) => a.post('/api/v1/people', {
        name: `读写${i}`, department_id: 1, staff_no: `RW-${i}`,
    }));
    const reads = Array.from({ length: 40 }, () => a.get('/api/v1/departments?limit=500'));
    const rs = await Promise.all([...writes, ...reads]);
    const w = rs.slice(0, 100), r = rs.slice(100);
    assert.deepEqual(tally(w), { 201: 100 }, w.find((x) => x.status !== 201)?.text);
    assert.deepEqual(tally(r), { 200: 40 });
    for (const x of r) assert.ok(x.body.items.length >= 200);
});
