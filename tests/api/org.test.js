// SPDX-License-Identifier: MIT
// org.test.js - CRUD on the organisation module: departments (a tree), people,
// the seeded rank table; versions, ETags, references.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, api, problem } = require('./lib/server');

let srv, a;
before(async () => {
    srv = await startServer();
    a = api(srv.url);
});
after(async () => {
    if (srv) await srv.stop();
});

const RFC3339_CN = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/;

async function dept(body) {
    const r = await a.post('/api/v1/departments', body);
    assert.equal(r.status, 201, r.text);
    return r.body;
}

test('departments: create gives 201, Location, ETag and the stored record with defaults', async () => {
    const r = await a.post('/api/v1/departments', { name: '区委办公室', code: 'D-001', kind: 'party' });
    assert.equal(r.status, 201, r.text);
    const d = r.body;
    assert.ok(Number.isInteger(d.id) && d.id > 0);
    assert.equal(r.headers.get('location'), `/api/v1/departments/${d.id}`);
    assert.equal(r.headers.get('etag'), '"1"');
    assert.equal(d.version, 1);
    assert.equal(d.name, '区委办公室');
    assert.equal(d.code, 'D-001');
    assert.equal(d.kind, 'party');
    assert.equal(d.parent_id, null);
    assert.equal(d.sort_order, 0);
    assert.equal(d.headcount, null);
    assert.equal(d.active, true);
    assert.match(d.created_at, RFC3339_CN);
    assert.match(d.updated_at, RFC3339_CN);
    assert.equal(d.tenant_id, undefined, 'tenant_id is never sent');
    // the Location can be fetched and gives the same record
    const g = await a.get(r.headers.get('location'));
    assert.equal(g.status, 200);
    assert.equal(g.headers.get('etag'), '"1"');
    assert.deepEqual(g.body, d);
    // a default kind when none is sent
    const d2 = await dept({ name: '区政府办公室' });
    assert.equal(d2.kind, 'government');
    assert.ok(d2.id > d.id);
});

test('departments: PATCH with If-Match, stale If-Match is 409, without If-Match applies', async () => {
    const d = await dept({ name: '财政局', code: 'CZJ', headcount: 40 });
    const url = `/api/v1/departments/${d.id}`;
    let r = await a.patch(url, { name: '区财政局' }, { headers: { 'If-Match': '"1"' } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.version, 2);
    assert.equal(r.headers.get('etag'), '"2"');
    assert.equal(r.body.name, '区财政局');
    assert.equal(r.body.code, 'CZJ', 'fields not in the patch are kept');
    assert.equal(r.body.headcount, 40);
    assert.equal(r.body.created_at, d.created_at);

    r = await a.patch(url, { name: 'stale' }, { headers: { 'If-Match': '"1"' } });
    problem(assert, r, 409, 'BUR-401');
    r = await a.get(url);
    assert.equal(r.body.name, '区财政局', 'a stale PATCH changes nothing');
    assert.equal(r.body.version, 2);

    r = await a.patch(url, { headcount: 41 });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.version, 3);
    assert.equal(r.body.headcount, 41);

    r = await a.patch(url, { headcount: null }, { headers: { 'If-Match': 'W/"3"' } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.headcount, null, 'null clears an optional field');
    assert.equal(r.body.version, 4);

    r = await a.patch(url, { headcount: 5 }, { headers: { 'If-Match': '*' } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.version, 5);
    r = await a.patch(url, { name: 'x' }, { headers: { 'If-Match': 'banana' } });
    problem(assert, r, 400, 'BUR-110');
    r = await a.patch(url, { name: null });
    problem(assert, r, 422, 'BUR-201', ['name']);
    r = await a.get(url);
    assert.equal(r.body.version, 5);
});

test('departments: DELETE is 204 then 404; a stale If-Match is refused', async () => {
    const d = await dept({ name: '临时机构' });
    const url = `/api/v1/departments/${d.id}`;
    let r = await a.del(url, { headers: { 'If-Match': '"7"' } });
    problem(assert, r, 409, 'BUR-401');
    r = await a.del(url, { headers: { 'If-Match': '"1"' } });
    assert.equal(r.status, 204);
    assert.equal(r.text, '');
    r = await a.get(url);
    problem(assert, r, 404, 'BUR-107');
    r = await a.del(url);
    problem(assert, r, 404, 'BUR-107');
    r = await a.patch(url, { name: 'x' });
    problem(assert, r, 404, 'BUR-107');
});

test('departments: delete refused with 409 while a person or a child department references it', async () => {
    const d = await dept({ name: '机关事务管理局' });
    const p = await a.post('/api/v1/people', { name: '张伟', department_id: d.id });
    assert.equal(p.status, 201, p.text);
    let r = await a.del(`/api/v1/departments/${d.id}`);
    problem(assert, r, 409, 'BUR-402');
    assert.equal((await a.get(`/api/v1/departments/${d.id}`)).status, 200, 'still there');
    assert.equal((await a.del(`/api/v1/people/${p.body.id}`)).status, 204);

    const child = await dept({ name: '综合科', parent_id: d.id });
    r = await a.del(`/api/v1/departments/${d.id}`);
    problem(assert, r, 409, 'BUR-402');
    assert.equal((await a.del(`/api/v1/departments/${child.id}`)).status, 204);
    r = await a.del(`/api/v1/departments/${d.id}`);
    assert.equal(r.status, 204, r.text);
});

test('departments: a tree cycle is refused with 422 on parent_id', async () => {
    const top = await dept({ name: '区委' });
    const mid = await dept({ name: '区委办', parent_id: top.id });
    const leaf = await dept({ name: '秘书科', parent_id: mid.id });
    let r = await a.patch(`/api/v1/departments/${top.id}`, { parent_id: leaf.id });
    problem(assert, r, 422, 'BUR-201', ['parent_id']);
    r = await a.patch(`/api/v1/departments/${top.id}`, { parent_id: top.id });
    problem(assert, r, 422, 'BUR-201', ['parent_id']);
    r = await a.patch(`/api/v1/departments/${mid.id}`, { parent_id: leaf.id });
    problem(assert, r, 422, 'BUR-201', ['parent_id']);
    r = await a.get(`/api/v1/departments/${top.id}`);
    assert.equal(r.body.parent_id, null);
    assert.equal(r.body.version, 1, 'nothing written');
    // a legal move: the leaf directly under the top
    r = await a.patch(`/api/v1/departments/${leaf.id}`, { parent_id: top.id });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.parent_id, top.id);
    // and the old middle may now go under the leaf
    r = await a.patch(`/api/v1/departments/${mid.id}`, { parent_id: leaf.id });
    assert.equal(r.status, 200, r.text);
});

test('references must name an existing record', async () => {
    let r = await a.post('/api/v1/departments', { name: 'orphan', parent_id: 987654 });
    problem(assert, r, 422, 'BUR-201', ['parent_id']);
    r = await a.post('/api/v1/people', { name: '李娜', department_id: 987654 });
    problem(assert, r, 422, 'BUR-201', ['department_id']);
    r = await a.post('/api/v1/people', { name: '李娜', department_id: 0 });
    problem(assert, r, 422, 'BUR-201', ['department_id']);
});

test('unique fields: a second use of a code is 409 BUR-403 naming the field', async () => {
    await dept({ name: '审计局', code: 'SJJ' });
    let r = await a.post('/api/v1/departments', { name: '审计局二', code: 'SJJ' });
    problem(assert, r, 409, 'BUR-403', ['code']);
    const d = await dept({ name: '统计局', code: 'TJJ' });
    r = await a.patch(`/api/v1/departments/${d.id}`, { code: 'SJJ' });
    problem(assert, r, 409, 'BUR-403', ['code']);
    // two departments without a code are fine
    await dept({ name: '无编码一' });
    await dept({ name: '无编码二' });
    const p1 = await a.post('/api/v1/people', { name: '王芳', department_id: d.id, staff_no: 'S0001' });
    assert.equal(p1.status, 201, p1.text);
    r = await a.post('/api/v1/people', { name: '王芳二', department_id: d.id, staff_no: 'S0001' });
    problem(assert, r, 409, 'BUR-403', ['staff_no']);
});

test('people: CRUD with references, dates and defaults', async () => {
    const d = await dept({ name: '人事科' });
    const ranks = await a.get('/api/v1/ranks?level=county&code=section_head');
    assert.equal(ranks.body.items.length, 1);
    const rank = ranks.body.items[0];
    let r = await a.post('/api/v1/people', {
        name: '刘洋', staff_no: 'LY-01', department_id: d.id, rank_id: rank.id,
        post: '科长', phone: '+86 138-0013-8000', joined_on: '2015-07-01',
    });
    assert.equal(r.status, 201, r.text);
    const p = r.body;
    assert.equal(r.headers.get('location'), `/api/v1/people/${p.id}`);
    assert.equal(p.department_id, d.id);
    assert.equal(p.rank_id, rank.id);
    assert.equal(p.joined_on, '2015-07-01');
    assert.equal(p.union_member, true);
    assert.equal(p.contract_staff, false);
    assert.equal(p.active, true);
    r = await a.get(`/api/v1/people/${p.id}`);
    assert.deepEqual(r.body, p);
    r = await a.patch(`/api/v1/people/${p.id}`, { active: false, rank_id: null, joined_on: '2016-02-29' },
                      { headers: { 'If-Match': '"1"' } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.active, false);
    assert.equal(r.body.rank_id, null);
    assert.equal(r.body.joined_on, '2016-02-29');
    assert.equal(r.body.post, '科长');
    r = await a.del(`/api/v1/people/${p.id}`);
    assert.equal(r.status, 204);
    assert.equal((await a.get(`/api/v1/people/${p.id}`)).status, 404);
});

test('ranks: 23 seeded, 5 at county level, decimals sent as numbers', async () => {
    const r = await a.get('/api/v1/ranks?limit=500');
    assert.equal(r.status, 200);
    const all = r.body.items;
    assert.equal(all.length, 23);
    assert.equal(r.body.next, null);
    const byLevel = {};
    for (const k of all) byLevel[k.level] = (byLevel[k.level] || 0) + 1;
    assert.deepEqual(byLevel, { central: 6, provincial: 7, municipal: 5, county: 5 });
    for (let i = 1; i < all.length; i++)
        assert.ok(all[i].sort_order >= all[i - 1].sort_order, 'ranks come in sort_order');
    const county = await a.get('/api/v1/ranks?level=county');
    assert.equal(county.body.items.length, 5);
    const sec = county.body.items.find((k) => k.code === 'section_head');
    assert.ok(sec);
    assert.equal(sec.name, '正科级');
    assert.equal(typeof sec.max_office_m2, 'number');
    assert.equal(sec.max_office_m2, 18);
    const head = county.body.items.find((k) => k.code === 'county_head');
    assert.equal(head.max_office_m2, 30);
    const minister = all.find((k) => k.level === 'central' && k.code === 'minister');
    assert.equal(minister.max_office_m2, 54);
    assert.match(minister.source, /2674/);
});

test('ranks: a decimal keeps two places; a third is refused', async () => {
    const r0 = await a.get('/api/v1/ranks?level=county&code=below_section');
    const k = r0.body.items[0];
    let r = await a.patch(`/api/v1/ranks/${k.id}`, { max_office_m2: 9.75 });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.max_office_m2, 9.75);
    r = await a.patch(`/api/v1/ranks/${k.id}`, { max_office_m2: 9.755 });
    problem(assert, r, 422, 'BUR-201', ['max_office_m2']);
    r = await a.patch(`/api/v1/ranks/${k.id}`, { max_office_m2: '9.5' });
    problem(assert, r, 422, 'BUR-201', ['max_office_m2']);
    r = await a.patch(`/api/v1/ranks/${k.id}`, { max_office_m2: -1 });
    problem(assert, r, 422, 'BUR-201', ['max_office_m2']);
    r = await a.patch(`/api/v1/ranks/${k.id}`, { max_office_m2: 12 });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.max_office_m2, 12);
    assert.match(r.text, /"max_office_m2":12(\.0+)?[,}]/);
});

test('ranks: level and code are unique together', async () => {
    let r = await a.post('/api/v1/ranks', { level: 'county', code: 'section_head', name: 'dup', max_office_m2: 18 });
    problem(assert, r, 409, 'BUR-403');
    r = await a.post('/api/v1/ranks', { level: 'municipal', code: 'section_head', name: '正科级(市)', max_office_m2: 18 });
    assert.equal(r.status, 201, r.text);
});

test('tenants: the one tenant is listed, cannot be deleted, and its UTC offset shapes datetimes', async () => {
    const ts = await a.get('/api/v1/tenants');
    assert.equal(ts.status, 200);
    assert.equal(ts.body.items.length, 1);
    const t = ts.body.items[0];
    assert.equal(t.utc_offset_min, 480);
    assert.equal(t.admin_level, 'county');
    problem(assert, await a.del(`/api/v1/tenants/${t.id}`), 405, 'BUR-105');
    const d = await dept({ name: '时区测试' });
    const instant = Date.parse(d.created_at);
    try {
        let r = await a.patch(`/api/v1/tenants/${t.id}`, { utc_offset_min: 0 });
        assert.equal(r.status, 200, r.text);
        r = await a.get(`/api/v1/departments/${d.id}`);
        assert.match(r.body.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        assert.equal(Date.parse(r.body.created_at), instant, 'the same instant');
        r = await a.patch(`/api/v1/tenants/${t.id}`, { utc_offset_min: -300 });
        assert.equal(r.status, 200, r.text);
        r = await a.get(`/api/v1/departments/${d.id}`);
        assert.match(r.body.created_at, /-05:00$/);
        assert.equal(Date.parse(r.body.created_at), instant);
        r = await a.patch(`/api/v1/tenants/${t.id}`, { utc_offset_min: 841 });
        problem(assert, r, 422, 'BUR-201', ['utc_offset_min']);
    } finally {
        const r = await a.patch(`/api/v1/tenants/${t.id}`, { utc_offset_min: 480 });
        assert.equal(r.status, 200, r.text);
    }
    assert.match((await a.get(`/api/v1/departments/${d.id}`)).body.created_at, RFC3339_CN);
});

test('tenant scoping (partial): the ranks seeded for a second tenant are invisible to the first', async () => {
    const mine = await a.all('ranks');
    const max = Math.max(...mine.map((k) => k.id));
    const t2 = await a.post('/api/v1/tenants', { name: '第二个机关事务管理局', code: 'second' });
    assert.equal(t2.status, 201, t2.text);
    // a caller sees only its own tenant row, not the new one (docs/security.md §10)
    const ts = await a.get('/api/v1/tenants');
    assert.equal(ts.status, 200, ts.text);
    assert.equal(ts.body.items.length, 1, ts.text);
    assert.notEqual(ts.body.items[0].id, t2.body.id);
    assert.notEqual(ts.body.items[0].code, 'second');
    problem(assert, await a.get(`/api/v1/tenants/${t2.body.id}`), 404, 'BUR-107');
    // tenant 2 got its own 23 ranks: ids max+1 … max+23 exist, but not for us
    const after = await a.all('ranks');
    assert.deepEqual(after.map((k) => k.id), mine.map((k) => k.id), 'the list is unchanged');
    for (let id = max + 1; id <= max + 23; id++) {
        problem(assert, await a.get(`/api/v1/ranks/${id}`), 404, 'BUR-107');
        problem(assert, await a.patch(`/api/v1/ranks/${id}`, { name: 'mine now' }), 404, 'BUR-107');
    }
    problem(assert, await a.del(`/api/v1/ranks/${max + 1}`), 404, 'BUR-107');
    const d = await dept({ name: '引用测试' });
    const p = await a.post('/api/v1/people', { name: '越界', department_id: d.id, rank_id: max + 1 });
    problem(assert, p, 422, 'BUR-201', ['rank_id']);
    // proof that those ids are taken: our next rank comes after them
    const k = await a.post('/api/v1/ranks', { level: 'county', code: 'clerk_probe', name: '探针', max_office_m2: 9 });
    assert.equal(k.status, 201, k.text);
    assert.ok(k.body.id > max + 23, `new rank id ${k.body.id} should follow tenant 2's ranks (max was ${max})`);
    assert.equal((await a.get(`/api/v1/ranks.csv?level=central`)).text.split('\r\n').filter(Boolean).length, 1 + 6);
});
