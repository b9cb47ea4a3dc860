// SPDX-License-Identifier: MIT
// identifiers.test.js - Chinese identifiers and numbers on the demo district:
// a bad mobile, landline, plate (a new-energy D in the wrong place), resident
// ID number (wrong check character, Feb 30) or unified social credit code is
// refused with 422 naming the field and a format.* key, and nothing is
// written; accepted values are stored in one normal form (粤B12345 and
// 粤B·12345 are the same plate, so the unique plate refuses the other form; a
// filter finds it either way; CSV import normalises too); drivers' ID numbers
// are masked (4403**********104X) for roles without "unmask" on drivers - the
// leader, a custom role - in lists, records, history and CSV/XLSX exports, not
// filterable or writable by them, and shown in full to the fleet manager and
// to a role once it is granted "unmask".
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const zlib = require('node:zlib');
const fs = require('node:fs');
const path = require('node:path');
const { startServer, api, problem } = require('./lib/server');
const m = require('./lib/matrix');

const PW = 'Bureau-demo-2026';
const MASKED_ID = /^\d{4}\*{10}[\dX]{4}$/;
let srv, admin, fleet, leader, property;
let dept, person;

before(async () => {
    srv = await startServer({ demo: true });
    admin = api(srv.url);
    fleet = api(srv.url, { username: 'fleet_manager', password: PW });
    leader = api(srv.url, { username: 'leader', password: PW });
    property = api(srv.url, { username: 'property_manager', password: PW });
    const people = await admin.get('/api/v1/people?limit=1&sort=id');
    person = people.body.items[0];
    dept = person.department_id;
});

after(async () => {
    if (srv) await srv.stop();
});

// The field error of r for field: its key.
function keyOf(r, field) {
    const e = (r.body.errors || []).find((x) => x.field === field);
    assert.ok(e, `no error for ${field}: ${r.status} ${r.text}`);
    return e.key;
}

function refused(r, field, key) {
    problem(assert, r, 422, 'BUR-201', [field]);
    assert.equal(keyOf(r, field), key, r.text);
}

// The entries of a zip (stored or deflated), by name.
function unzip(buf) {
    let eocd = buf.length - 22;
    while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
    assert.ok(eocd >= 0, 'zip: no end of central directory');
    const out = new Map();
    let off = buf.readUInt32LE(eocd + 16);
    for (let k = buf.readUInt16LE(eocd + 10); k > 0; k--) {
        const method = buf.readUInt16LE(off + 10), csize = buf.readUInt32LE(off + 20);
        const nlen = buf.readUInt16LE(off + 28), xlen = buf.readUInt16LE(off + 30), clen = buf.readUInt16LE(off + 32);
        const lho = buf.readUInt32LE(off + 42);
        const name = buf.toString('utf8', off + 46, off + 46 + nlen);
        const start = lho + 30 + buf.readUInt16LE(lho + 26) + buf.readUInt16LE(lho + 28);
        const data = buf.subarray(start, start + csize);
        out.set(name, method === 8 ? zlib.inflateRawSync(data) : data);
        off += 46 + nlen + xlen + clen;
    }
    return out;
}

test('mobile numbers: 11 digits 1[3-9], normalised; 000000 refused naming the field', async () => {
    for (const bad of ['000000', '12812345678', '1381234567', '0755-83561234', 'call me']) {
        const r = await admin.post('/api/v1/people', { name: '格式测试', department_id: dept, phone: bad });
        refused(r, 'phone', 'format.mobile');
    }
    assert.equal(m.sqlShell(srv, "SELECT COUNT(*) FROM people WHERE name = '格式测试'").trim(), '0', 'nothing written');
    const r = await admin.post('/api/v1/people', { name: '格式测试', department_id: dept, phone: '+86 139 1234 5678' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.phone, '13912345678');
    const p = await admin.patch(`/api/v1/people/${r.body.id}`, { phone: '000000' });
    refused(p, 'phone', 'format.mobile');
    assert.equal((await admin.get(`/api/v1/people/${r.body.id}`)).body.phone, '13912345678', 'a refused PATCH changes nothing');
    // the demo district's phones are all valid mobiles
    const bad = (await admin.all('people')).filter((x) => x.phone !== null && !/^1[3-9]\d{9}$/.test(x.phone));
    assert.deepEqual(bad.map((x) => x.phone), []);
});

test('a value stored before its field had a format does not stop changes to the rest of the record', async () => {
    const r = await admin.post('/api/v1/people', { name: '旧号码', department_id: dept, phone: '13912345678' });
    assert.equal(r.status, 201, r.text);
    const reqs = (await admin.get('/api/v1/trip_requests?status=submitted&limit=1')).body.items;
    assert.equal(reqs.length, 1, 'the demo has a request waiting for approval');
    m.sqlShell(srv, `UPDATE people SET phone = '000000' WHERE id = ${r.body.id}; UPDATE trip_requests SET contact_phone = '000000' WHERE id = ${reqs[0].id};`);
    const p = await admin.patch(`/api/v1/people/${r.body.id}`, { post: '科员' });
    assert.equal(p.status, 200, p.text);
    assert.deepEqual([p.body.post, p.body.phone], ['科员', '000000'], 'kept as stored');
    const step = await admin.post(`/api/v1/trip_requests/${reqs[0].id}/approve`, {});
    assert.equal(step.status, 200, step.text);
    assert.equal(step.body.status, 'approved');
    // the old value itself is judged when it is sent again, and a new bad value always
    refused(await admin.patch(`/api/v1/people/${r.body.id}`, { phone: '000000' }), 'phone', 'format.mobile');
    refused(await admin.patch(`/api/v1/people/${r.body.id}`, { phone: '111' }), 'phone', 'format.mobile');
    assert.equal((await admin.get(`/api/v1/people/${r.body.id}`)).body.phone, '000000');
});

test('contact phones: a mobile or a landline with its area code', async () => {
    const types = await property.get('/api/v1/service_types?limit=1');
    const type_id = types.body.items[0].id;
    const body = { title: '空调不制冷', type_id, description: '三楼会议室', building: '区机关办公大楼' };
    for (const bad of ['000000', '83561234', '075-83561234', '0755-12345678']) {
        const r = await property.post('/api/v1/service_requests', { ...body, contact_phone: bad });
        refused(r, 'contact_phone', 'format.phone');
    }
    let r = await property.post('/api/v1/service_requests', { ...body, contact_phone: '(0755) 83561234转801' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.contact_phone, '0755-83561234-801');
    r = await property.post('/api/v1/service_requests', { ...body, contact_phone: '138 1234 5678' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.contact_phone, '13812345678');
    // fleet's trip requests too
    r = await admin.post('/api/v1/trip_requests', {
        purpose: '调研', origin: '区政府', destination: '坪山', start_at: '2030-01-15T09:00:00+08:00',
        end_at: '2030-01-15T12:00:00+08:00', contact_phone: '000000',
    });
    refused(r, 'contact_phone', 'format.phone');
});

test('plates: 粤B12345 and 粤B·12345 are one plate; new-energy D/F in place', async () => {
    const base = { class: 'other', brand: '比亚迪', registered_on: '2025-01-01' };
    let r = await fleet.post('/api/v1/vehicles', { ...base, plate: '粤b 77321' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.plate, '粤B·77321');
    const id = r.body.id;
    const mine = new Set([id]);
    // the unique plate refuses the other forms
    for (const other of ['粤B·77321', '粤B77321', '粤B・77321']) {
        r = await fleet.post('/api/v1/vehicles', { ...base, plate: other });
        assert.ok(r.status === 409 || r.status === 422, `${other}: ${r.status} ${r.text}`);
        assert.ok(r.body.errors.some((e) => e.field === 'plate'), r.text);
    }
    // a filter finds it in either form
    for (const q of ['粤B77321', '粤B·77321']) {
        const f = await fleet.get(`/api/v1/vehicles?plate=${encodeURIComponent(q)}`);
        assert.equal(f.status, 200, f.text);
        assert.deepEqual(f.body.items.map((v) => v.id), [id], q);
    }
    // new energy: D or F first (small) or last (large), 6 after the dot
    r = await fleet.post('/api/v1/vehicles', { ...base, energy: 'electric', plate: '粤BD77321' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.plate, '粤B·D77321');
    mine.add(r.body.id);
    r = await fleet.post('/api/v1/vehicles', { ...base, energy: 'electric', plate: '粤B·77321D', seats: 30 });
    assert.equal(r.status, 201, r.text);
    mine.add(r.body.id);
    for (const bad of ['粤B·7D7321', '粤B·773210', '粤B·D7732A']) {
        r = await fleet.post('/api/v1/vehicles', { ...base, energy: 'electric', plate: bad });
        refused(r, 'plate', 'format.plate.new_energy');
    }
    for (const bad of ['粤B·7732', '粤B·I7732', '港B·77321', 'B77321']) {
        r = await fleet.post('/api/v1/vehicles', { ...base, plate: bad });
        refused(r, 'plate', 'format.plate');
    }
    assert.equal(m.sqlShell(srv, "SELECT COUNT(*) FROM vehicles WHERE plate LIKE '%7732%'").trim(), '3');
    // the demo fleet's plates are in the normal form, new-energy ones with D or F
    const demo = (await admin.all('vehicles')).filter((v) => !mine.has(v.id));
    assert.ok(demo.some((v) => v.energy === 'electric') && demo.some((v) => v.energy === 'phev'));
    for (const v of demo) {
        assert.match(v.plate, /^\p{Script=Han}[A-Z]·([A-HJ-NP-Z0-9]{5}|[DF][A-HJ-NP-Z0-9]\d{4}|\d{5}[DF])$/u, v.plate);
        if (v.energy === 'electric') assert.match(v.plate, /·D/, `${v.plate} is pure electric`);
        if (v.energy === 'phev') assert.match(v.plate, /·F/, `${v.plate} is a plug-in hybrid`);
    }
});

test('CSV import normalises and refuses the same way', async () => {
    const csv = m.toCsv([{ plate: '粤B 66321', class: 'other', brand: '吉利', registered_on: '2025-01-01' }]);
    let r = await fleet.post('/api/v1/vehicles/import', csv, { contentType: 'text/csv' });
    assert.equal(r.status, 200, r.text);
    const got = await fleet.get(`/api/v1/vehicles?plate=${encodeURIComponent('粤B·66321')}`);
    assert.equal(got.body.items.length, 1, got.text);
    r = await fleet.post('/api/v1/vehicles/import', m.toCsv([{ plate: '粤B·6D6321', class: 'other', brand: '吉利', registered_on: '2025-01-01' }]),
        { contentType: 'text/csv' });
    assert.equal(r.status, 422, r.text);
    assert.ok(r.text.includes('format.plate.new_energy'), r.text);
});

test('resident ID numbers: check character, date of birth; x stored as X', async () => {
    const people = await admin.get('/api/v1/people?limit=100&sort=-id');
    const taken = new Set((await admin.all('drivers')).map((d) => d.person_id));
    const free = people.body.items.filter((p) => !taken.has(p.id));
    const body = (over) => ({ person_id: free[0].id, licence_class: 'C1', licence_until: '2030-01-01', ...over });
    let r = await fleet.post('/api/v1/drivers', body({ licence_no: '110105194912310021' }));
    refused(r, 'licence_no', 'format.id_number.check');
    r = await fleet.post('/api/v1/drivers', body({ licence_no: '440301199002301233' })); // Feb 30
    refused(r, 'licence_no', 'format.id_number.birth_date');
    r = await fleet.post('/api/v1/drivers', body({ licence_no: '4403011990010110' }));
    refused(r, 'licence_no', 'format.id_number');
    r = await fleet.post('/api/v1/drivers', body({ licence_no: '44030119900101104X', phone: '000000' }));
    refused(r, 'phone', 'format.phone');
    assert.equal(m.sqlShell(srv, `SELECT COUNT(*) FROM drivers WHERE person_id = ${free[0].id}`).trim(), '0');
    r = await fleet.post('/api/v1/drivers', body({ licence_no: '44030119900101104x', phone: '0755-83561234' }));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.licence_no, '44030119900101104X');
    // the demo drivers' numbers all check
    for (const d of await fleet.all('drivers'))
        assert.equal(m.idNumber(d.licence_no.slice(0, 17)), d.licence_no);
});

test('unified social credit codes of contractor companies', async () => {
    const base = { kind: 'contractor', company: '深圳市某某物业有限公司' };
    let r = await property.post('/api/v1/service_teams', { ...base, name: '测试班组1', credit_code: '91350100M000100Y44' });
    refused(r, 'credit_code', 'format.uscc.check');
    r = await property.post('/api/v1/service_teams', { ...base, name: '测试班组1', credit_code: '91350100I000100Y43' });
    refused(r, 'credit_code', 'format.uscc');
    r = await property.post('/api/v1/service_teams', { ...base, name: '测试班组1', credit_code: '91350100m000100y43' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.credit_code, '91350100M000100Y43');
    const demo = (await property.all('service_teams')).filter((t) => t.kind === 'contractor' && t.id !== r.body.id);
    assert.ok(demo.length >= 3);
    for (const t of demo) assert.equal(m.uscc(t.credit_code.slice(0, 17)), t.credit_code, t.name);
});

test('drivers\' ID numbers: masked for the leader, in full for the fleet manager', async () => {
    const full = await fleet.all('drivers');
    const d = full.find((x) => x.licence_no);
    assert.match(d.licence_no, /^\d{17}[\dX]$/);
    const masked = d.licence_no.slice(0, 4) + '*'.repeat(10) + d.licence_no.slice(14);
    // list
    const list = await leader.all('drivers');
    assert.equal(list.length, full.length);
    for (const x of list) if (x.licence_no) assert.match(x.licence_no, MASKED_ID);
    assert.equal(list.find((x) => x.id === d.id).licence_no, masked);
    // record
    let r = await leader.get(`/api/v1/drivers/${d.id}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.licence_no, masked);
    assert.equal((await fleet.get(`/api/v1/drivers/${d.id}`)).body.licence_no, d.licence_no);
    // CSV export
    const csvOf = async (c) => m.parseCsv((await (await c.fetch('/api/v1/drivers.csv')).text()));
    let rows = await csvOf(leader);
    let col = rows[0].indexOf('licence_no');
    assert.ok(col > 0, rows[0].join(','));
    let row = rows.find((x) => x[0] === String(d.id));
    assert.equal(row[col], masked);
    assert.ok(!rows.slice(1).some((x) => /^\d{17}[\dX]$/.test(x[col])), 'no full number in the leader\'s CSV');
    rows = await csvOf(fleet);
    col = rows[0].indexOf('licence_no');
    assert.equal(rows.find((x) => x[0] === String(d.id))[col], d.licence_no);
    // XLSX export
    const xlsxText = async (c) => {
        const res = await c.fetch('/api/v1/drivers.xlsx');
        assert.equal(res.status, 200);
        const z = unzip(Buffer.from(await res.arrayBuffer()));
        return [...z.entries()].filter(([k]) => k.startsWith('xl/')).map(([, v]) => v.toString('utf8')).join('\n');
    };
    let x = await xlsxText(leader);
    assert.ok(x.includes(masked) && !x.includes(d.licence_no), 'the leader\'s workbook holds the masked number only');
    x = await xlsxText(fleet);
    assert.ok(x.includes(d.licence_no), 'the fleet manager\'s workbook holds the number');
    // history: a change shows masked before and after
    const fresh = m.idNumber('44030519850615123');
    r = await fleet.patch(`/api/v1/drivers/${d.id}`, { licence_no: fresh });
    assert.equal(r.status, 200, r.text);
    r = await leader.get(`/api/v1/drivers/${d.id}/history`);
    assert.equal(r.status, 200, r.text);
    assert.ok(!r.text.includes(fresh) && !r.text.includes(d.licence_no), r.text.slice(0, 400));
    assert.ok(r.text.includes(fresh.slice(0, 4) + '*'.repeat(10) + fresh.slice(14)), r.text.slice(0, 400));
    r = await fleet.get(`/api/v1/drivers/${d.id}/history`);
    assert.ok(r.text.includes(fresh) && r.text.includes(d.licence_no));
    // not filterable, sortable or searchable by the leader
    r = await leader.get(`/api/v1/drivers?licence_no=${fresh}`);
    assert.equal(r.status, 400, r.text);
    r = await leader.get(`/api/v1/drivers?q=${fresh}`);
    assert.ok(r.status !== 200 || r.body.items.length === 0, r.text);
    // meta: what the UI needs to know
    const meta = (await leader.get('/api/v1/meta')).body;
    assert.deepEqual(meta.caller.masked.drivers, ['licence_no']);
    assert.ok(!(meta.caller.hidden.drivers || []).includes('licence_no'));
    const f = meta.collections.find((c) => c.name === 'drivers').fields.find((y) => y.name === 'licence_no');
    assert.equal(f.format, 'id_number');
    assert.equal(f.mask, true);
    assert.equal((await fleet.get('/api/v1/meta')).body.caller.masked.drivers, undefined);
});

test('a custom role without unmask may not write the masked number; with unmask it sees it', async () => {
    let r = await admin.post('/api/v1/roles', {
        code: 'driver_clerk', name: '驾驶员档案员',
        permissions: { drivers: { read: 'tenant', update: 'tenant', export: 'tenant' }, people: { read: 'tenant' } },
        hidden_fields: {},
    });
    assert.equal(r.status, 201, r.text);
    const role = r.body;
    r = await admin.post('/api/v1/users', { username: 'clerk_ids', display_name: '档案员', role_id: role.id });
    assert.equal(r.status, 201, r.text);
    const pw = 'Clerk-ids-2026-x';
    r = await admin.post(`/api/v1/users/${r.body.id}/reset_password`, { password: pw });
    assert.equal(r.status, 200, r.text);
    const clerk = await m.signInChanging(srv.url, { username: 'clerk_ids', password: pw, newPassword: pw + '-2' });
    const d = (await fleet.all('drivers')).find((x) => x.licence_no);
    r = await clerk.get(`/api/v1/drivers/${d.id}`);
    assert.equal(r.status, 200, m.show(r));
    assert.match(r.body.licence_no, MASKED_ID);
    // writing it is refused, naming it; other fields may change
    r = await clerk.patch(`/api/v1/drivers/${d.id}`, { licence_no: m.idNumber('44030719800101111') });
    assert.equal(r.status, 403, m.show(r));
    assert.equal(keyOf(r, 'licence_no'), 'field.masked');
    r = await clerk.patch(`/api/v1/drivers/${d.id}`, { phone: '13700001111' });
    assert.equal(r.status, 200, m.show(r));
    assert.match(r.body.licence_no, MASKED_ID, 'the answer is masked too');
    assert.equal((await fleet.get(`/api/v1/drivers/${d.id}`)).body.licence_no, d.licence_no, 'the number kept');
    // granted unmask: in full
    r = await admin.patch(`/api/v1/roles/${role.id}`, {
        permissions: { drivers: { read: 'tenant', update: 'tenant', export: 'tenant', unmask: 'tenant' }, people: { read: 'tenant' } },
    });
    assert.equal(r.status, 200, r.text);
    r = await clerk.get(`/api/v1/drivers/${d.id}`);
    assert.equal(r.body.licence_no, d.licence_no);
    const rows = m.parseCsv(await (await clerk.fetch('/api/v1/drivers.csv')).text());
    assert.ok(rows.slice(1).some((x) => x.includes(d.licence_no)));
});

test('the web form\'s checks (web/lib/idformat.js) agree with every vector of the C unit test', async () => {
    const { formatProblem } = await import(path.join(__dirname, '..', '..', 'web', 'lib', 'idformat.js'));
    const src = fs.readFileSync(path.join(__dirname, '..', 'unit', 't_idformat.c'), 'utf8');
    const names = { IDF_MOBILE: 'mobile', IDF_LANDLINE: 'landline', IDF_PHONE: 'phone', IDF_PLATE: 'plate', IDF_ID_NUMBER: 'id_number', IDF_USCC: 'uscc' };
    let n = 0;
    for (const [, kind, k, input, want] of src.matchAll(/(OK|BAD)\((IDF_\w+), "((?:[^"\\]|\\.)*)", "((?:[^"\\]|\\.)*)"\)/g)) {
        if (input.startsWith('44030120261208')) continue; // born after the unit test's fixed today
        const p = formatProblem(names[k], input);
        assert.equal(p ? p[0] : null, kind === 'OK' ? null : want, `${k} ${input}`);
        n++;
    }
    assert.ok(n > 90, `${n} vectors`);
});
