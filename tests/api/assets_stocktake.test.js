// SPDX-License-Identifier: MIT
// assets_stocktake.test.js - stocktakes 盘点 end to end on the demo district:
// a department of the test's own with four assets of hand-chosen values,
// rooms and custodians; the session's start snapshots exactly them; scans
// (raw code, lower case, a label's URL) find one where the register says and
// one in another room; a second scan is the same line; an unknown code is an
// unregistered surplus line the UI offers to register, then registered as an
// asset; an asset of another department is recorded out of scope and cannot
// be confirmed; a disposed asset is answered as such; confirmation moves the
// asset in the register, audited; the finish turns the rest missing; the
// result's counts and original and net values (straight-line, half-up, as of
// this month) against an independent computation, in JSON and XLSX. Refusals
// (not in progress, bad codes, unknown members, missing rooms, edits after
// the start, no scope, a second session of the same scope, out of order)
// with their keys and nothing changed; who may do what: the demo liaison
// scans their own department's session and nobody else's, a liaison of
// another department is told there is no such session, staff may not scan,
// the liaison neither confirms nor registers.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, api, problem } = require('./lib/server');
const m = require('./lib/matrix');
const xlsx = require('./lib/xlsx');

const PW = 'Bureau-demo-2026';
let srv, admin, manager, liaison, staff, liaison2;
let offsetMin = 480;

// refusal with its key (the field's item when a field is named); its params
function refused(r, status, key, field) {
    const code = { 403: 'BUR-302', 404: 'BUR-107', 409: 'BUR-408', 422: 'BUR-201' }[status];
    problem(assert, r, status, code, field ? [field] : undefined);
    const item = field ? r.body.errors.find((e) => e.field === field) : r.body;
    assert.equal(item.key, key, m.show(r));
    return item.params || {};
}

// ---- an independent depreciation: straight line by the month, half up ----
const monthOf = (d) => Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7)) - 1;
function thisMonth() {
    const d = new Date(Date.now() + offsetMin * 60000).toISOString();
    return monthOf(d);
}
function netOf(original, acquired, years, asof = thisMonth()) {
    if (years <= 0 || original <= 0) return original;
    const n = BigInt(years * 12);
    let k = BigInt(asof - monthOf(acquired) + 1);
    if (k < 0n) k = 0n;
    if (k >= n) return 0;
    const a = BigInt(original) * k;
    const acc = (2n * a + n) / (2n * n); // half up (positive)
    return original - Number(acc);
}

const T = {}; // the test's own records

async function made(p, body, who = admin) {
    const r = await who.post(p, body);
    assert.equal(r.status, 201, `${p}: ${m.show(r)}`);
    return r.body;
}

before(async () => {
    srv = await startServer({ demo: true });
    admin = api(srv.url);
    manager = api(srv.url, { username: 'assets_manager', password: PW });
    liaison = api(srv.url, { username: 'liaison', password: PW });
    staff = api(srv.url, { username: 'staff', password: PW });
    for (const c of [manager, liaison, staff]) await c.login();
    offsetMin = (await admin.get('/api/v1/tenants/1')).body.utc_offset_min;
    const u = m.uniq();
    T.dept = await made('/api/v1/departments', { name: `盘点测试科-${u}` });
    T.p1 = await made('/api/v1/people', { name: `保管甲${u}`, department_id: T.dept.id });
    T.p2 = await made('/api/v1/people', { name: `保管乙${u}`, department_id: T.dept.id });
    const b = await made('/api/v1/buildings', { name: `盘点楼-${u}` });
    const f = await made('/api/v1/floors', { building_id: b.id, level: 1, name: '1F' });
    T.r1 = await made('/api/v1/rooms', { building_id: b.id, floor_id: f.id, number: '101', area_m2: 20, use_type: 'office' });
    T.r2 = await made('/api/v1/rooms', { building_id: b.id, floor_id: f.id, number: '102', area_m2: 20, use_type: 'office' });
    T.building = b;
    T.cls = (await admin.all('asset_classes', { code: 'A0202' }))[0];
    assert.ok(T.cls, 'the demo has the office equipment class A0202');
    const asset = (over) => made('/api/v1/assets', { name: '激光打印机', class_id: T.cls.id, department_id: T.dept.id, model: '奔图 P3301DN', ...over }, manager);
    T.a1 = await asset({ original_value_fen: 600000, acquired_on: '2024-05-01', custodian_id: T.p1.id, room_id: T.r1.id });
    T.a2 = await asset({ original_value_fen: 360000, acquired_on: '2023-01-15', custodian_id: T.p2.id, room_id: T.r1.id });
    T.a3 = await asset({ original_value_fen: 1200000, acquired_on: '2015-03-01', custodian_id: T.p1.id, room_id: T.r2.id });
    T.a4 = await asset({ original_value_fen: 99999, acquired_on: '2025-06-30', room_id: T.r2.id });
    for (const a of [T.a1, T.a2, T.a3, T.a4]) assert.equal(a.useful_years, 6, 'office equipment: six years');
    // the demo's own: the liaison's session in progress, an asset of another department, a disposed one
    T.demo = (await admin.all('stocktakes', { status: 'in_progress' }))[0];
    assert.ok(T.demo, 'the demo has a session in progress');
    T.other = (await admin.get(`/api/v1/assets?status=in_use&department_id[ne]=${T.dept.id}&limit=1&sort=-id`)).body.items[0];
    T.disposed = (await admin.get('/api/v1/assets?status=disposed&limit=1')).body.items[0];
    assert.ok(T.other && T.disposed);
    // a liaison of the test's department
    const roles = await admin.all('roles');
    const role = roles.find((r) => r.code === 'liaison');
    const usr = await made('/api/v1/users', { username: `liaison_${u}`, display_name: '联络员二', person_id: T.p2.id, role_id: role.id });
    const pw = 'Liaison-pass-2026-x';
    assert.equal((await admin.post(`/api/v1/users/${usr.id}/reset_password`, { password: pw })).status, 200);
    liaison2 = await m.signInChanging(srv.url, { username: `liaison_${u}`, password: pw, newPassword: pw + '-2' });
});

after(async () => {
    if (srv) await srv.stop();
});

const lines = async (st, q = {}) => admin.all('stocktake_lines', { stocktake_id: st, ...q });

test('the demo: a session in progress about 60 % scanned, and last year\'s finished with missing and surplus items', async () => {
    const d = T.demo;
    const all = await lines(d.id);
    const scanned = all.filter((l) => l.result !== 'pending');
    assert.equal(all.length, d.expected_count);
    assert.ok(all.length > 50, `${all.length} lines`);
    const share = scanned.length / all.length;
    assert.ok(share > 0.45 && share < 0.75, `${scanned.length} of ${all.length} scanned`);
    assert.ok(all.some((l) => l.result === 'moved'), 'a few found elsewhere');
    assert.equal(all.reduce((s, l) => s + l.original_value_fen, 0), d.expected_value_fen);
    const fin = (await admin.all('stocktakes', { status: 'finished' }))[0];
    assert.ok(fin, 'a finished session');
    assert.ok(fin.finished_at < `${new Date().getUTCFullYear()}`, fin.finished_at);
    const fl = await lines(fin.id);
    const missing = fl.filter((l) => l.result === 'missing');
    assert.ok(missing.length >= 1 && missing.length <= 5);
    assert.equal(fin.missing_count, missing.length);
    assert.equal(fin.missing_value_fen, missing.reduce((s, l) => s + l.original_value_fen, 0));
    const sur = fl.filter((l) => l.result === 'surplus');
    assert.equal(sur.length, 1);
    const a = (await admin.get(`/api/v1/assets/${sur[0].asset_id}`)).body;
    assert.equal(a.source, 'surplus');
});

test('a session: refused before its start, started with exactly the assets in scope, scans, confirmation, surplus, finish and the result', async (t) => {
    // refused drafts
    refused(await manager.post('/api/v1/stocktakes', { name: '无范围' }), 422, 'assets.stocktake.scope_required', 'department_id');
    refused(await manager.post('/api/v1/stocktakes', { name: '日期颠倒', department_id: T.dept.id, planned_start: '2026-05-10', planned_end: '2026-05-01' }), 422, 'field.after_start', 'planned_end');
    const st = await made('/api/v1/stocktakes', { name: `测试盘点-${m.uniq()}`, department_id: T.dept.id, planned_start: '2026-01-01', planned_end: '2026-12-31' }, manager);
    assert.equal(st.status, 'draft');
    T.st = st;
    // a draft takes no scans
    let p = refused(await manager.post(`/api/v1/stocktakes/${st.id}/scan`, { code: T.a1.code }), 409, 'assets.stocktake.not_in_progress');
    assert.equal(p.status, 'draft');
    assert.equal((await lines(st.id)).length, 0, 'nothing written');

    let r = await manager.post(`/api/v1/stocktakes/${st.id}/start`, {});
    assert.equal(r.status, 200, m.show(r));
    assert.equal(r.body.status, 'in_progress');
    assert.equal(r.body.expected_count, 4);
    assert.equal(r.body.expected_value_fen, 600000 + 360000 + 1200000 + 99999);
    assert.equal(r.body.started_by, manager.session.user.id);
    const ls = await lines(st.id);
    assert.deepEqual(ls.map((l) => l.asset_id).sort(), [T.a1.id, T.a2.id, T.a3.id, T.a4.id].sort());
    for (const l of ls) {
        const a = [T.a1, T.a2, T.a3, T.a4].find((x) => x.id === l.asset_id);
        assert.equal(l.result, 'pending');
        assert.equal(l.code, a.code);
        assert.equal(l.expected_room_id, a.room_id);
        assert.equal(l.expected_custodian_id, a.custodian_id);
        assert.equal(l.original_value_fen, a.original_value_fen);
        assert.equal(l.net_value_fen, netOf(a.original_value_fen, a.acquired_on, 6), `net of ${a.code}`);
        assert.equal(l.department_id, T.dept.id);
    }
    // a session is edited only as a draft; a second session of the same scope waits
    refused(await manager.patch(`/api/v1/stocktakes/${st.id}`, { name: '改名' }), 409, 'assets.stocktake.not_draft');
    const twin = await made('/api/v1/stocktakes', { name: `重复-${m.uniq()}`, department_id: T.dept.id }, manager);
    p = refused(await manager.post(`/api/v1/stocktakes/${twin.id}/start`, {}), 409, 'assets.stocktake.concurrent');
    assert.equal(p.other, st.name);
    assert.equal((await lines(twin.id)).length, 0);
    r = await manager.post(`/api/v1/stocktakes/${twin.id}/cancel`, { reason: '重复建立' });
    assert.equal(r.body.status, 'cancelled');
    assert.equal(r.body.cancel_reason, '重复建立');
    refused(await manager.post(`/api/v1/stocktakes/${twin.id}/start`, {}), 409, 'wf.out_of_order');

    await t.test('scans: found, found elsewhere, the same again, unknown, another department\'s, disposed', async () => {
        // found where the register says, typed in lower case with spaces
        let s = await liaison2.post(`/api/v1/stocktakes/${st.id}/scan`, { code: `  ${T.a1.code.toLowerCase()} `, room_id: T.r1.id, custodian_id: T.p1.id });
        assert.equal(s.status, 200, m.show(s));
        assert.equal(s.body.result, 'found');
        assert.equal(s.body.already, false);
        assert.equal(s.body.code, T.a1.code);
        assert.equal(s.body.line.result, 'found');
        assert.equal(s.body.line.scanned_by, liaison2.me.user.id);
        assert.equal(s.body.asset.name, '激光打印机');
        assert.equal(s.body.asset.model, '奔图 P3301DN');
        assert.equal(s.body.asset.department, T.dept.name);
        assert.equal(s.body.asset.custodian, T.p1.name);
        assert.match(s.body.asset.room, /101/);
        assert.equal(s.body.asset.original_value_fen, 600000);
        assert.equal(s.body.asset.net_value_fen, netOf(600000, '2024-05-01', 6));
        assert.deepEqual(s.body.progress, { scanned: 1, expected: 4 });
        // a label's URL, found in the other room
        s = await liaison2.post(`/api/v1/stocktakes/${st.id}/scan`, { code: `https://bureau.example.gov.cn/#/assets/${T.a2.code}`, room_id: T.r2.id });
        assert.equal(s.status, 200, m.show(s));
        assert.equal(s.body.result, 'moved');
        assert.equal(s.body.asset.expected.room_id, T.r1.id);
        assert.equal(s.body.asset.found.room_id, T.r2.id);
        assert.match(s.body.asset.found.room, /102/);
        assert.equal(s.body.asset.expected.custodian, T.p2.name);
        T.line2 = s.body.line;
        // again: the same line, not an error, nothing written
        const h0 = (await admin.get(`/api/v1/stocktake_lines/${T.line2.id}/history`)).body.length;
        s = await liaison2.post(`/api/v1/stocktakes/${st.id}/scan`, { code: T.a2.code, room_id: T.r2.id });
        assert.equal(s.status, 200, m.show(s));
        assert.equal(s.body.already, true);
        assert.equal(s.body.line.id, T.line2.id);
        assert.equal(s.body.line.version, T.line2.version);
        assert.equal((await admin.get(`/api/v1/stocktake_lines/${T.line2.id}/history`)).body.length, h0);
        assert.deepEqual(s.body.progress, { scanned: 2, expected: 4 });
        // an unknown code: an unregistered surplus line, offered for registration
        T.unknown = `ZCT-${m.uniq().toUpperCase()}`;
        s = await liaison2.post(`/api/v1/stocktakes/${st.id}/scan`, { code: T.unknown, room_id: T.r1.id });
        assert.equal(s.status, 200, m.show(s));
        assert.equal(s.body.result, 'unknown');
        assert.equal(s.body.code, T.unknown);
        assert.equal(s.body.line.result, 'surplus');
        assert.equal(s.body.line.asset_id, null);
        assert.equal(s.body.line.found_room_id, T.r1.id);
        T.unknownLine = s.body.line;
        s = await liaison2.post(`/api/v1/stocktakes/${st.id}/scan`, { code: T.unknown });
        assert.equal(s.body.result, 'unknown');
        assert.equal(s.body.already, true);
        assert.equal(s.body.line.id, T.unknownLine.id);
        // another department's asset found here: recorded, out of scope
        s = await manager.post(`/api/v1/stocktakes/${st.id}/scan`, { code: T.other.code, room_id: T.r2.id });
        assert.equal(s.status, 200, m.show(s));
        assert.equal(s.body.result, 'moved');
        assert.equal(s.body.line.out_of_scope, true);
        assert.equal(s.body.asset.department_id, T.other.department_id);
        T.otherLine = s.body.line;
        assert.deepEqual(s.body.progress, { scanned: 2, expected: 4 }, 'not one of the expected');
        // a disposed asset: answered, recorded nowhere
        const n0 = (await lines(st.id)).length;
        s = await manager.post(`/api/v1/stocktakes/${st.id}/scan`, { code: T.disposed.code });
        assert.equal(s.status, 200, m.show(s));
        assert.equal(s.body.result, 'disposed');
        assert.equal(s.body.asset.disposed_on, T.disposed.disposed_on);
        assert.equal((await lines(st.id)).length, n0);
    });

    await t.test('bad scans are refused with their keys and change nothing', async () => {
        const before = JSON.stringify(await lines(st.id));
        refused(await manager.post(`/api/v1/stocktakes/${st.id}/scan`, { code: 'ZC2024 000123' }), 422, 'assets.code.invalid', 'code');
        refused(await manager.post(`/api/v1/stocktakes/${st.id}/scan`, { code: 'https://bureau.example.gov.cn/' }), 422, 'assets.code.invalid', 'code');
        refused(await manager.post(`/api/v1/stocktakes/${st.id}/scan`, { code: 'X'.repeat(33) }), 422, 'assets.code.invalid', 'code');
        refused(await manager.post(`/api/v1/stocktakes/${st.id}/scan`, { code: 7 }), 422, 'assets.code.invalid', 'code');
        refused(await manager.post(`/api/v1/stocktakes/${st.id}/scan`, {}), 422, 'field.required', 'code');
        refused(await manager.post(`/api/v1/stocktakes/${st.id}/scan`, { code: T.a3.code, room_id: 987654321 }), 422, 'field.ref_missing', 'room_id');
        refused(await manager.post(`/api/v1/stocktakes/${st.id}/scan`, { code: T.a3.code, custodian_id: 987654321 }), 422, 'field.ref_missing', 'custodian_id');
        refused(await manager.post(`/api/v1/stocktakes/${st.id}/scan`, { code: T.a3.code, where: 'x' }), 422, 'field.unknown', 'where');
        problem(assert, await manager.post('/api/v1/stocktakes/987654321/scan', { code: T.a3.code }), 404, 'BUR-107');
        assert.equal(JSON.stringify(await lines(st.id)), before);
    });

    await t.test('who may scan, confirm and register', async () => {
        const before = JSON.stringify(await lines(st.id));
        // the demo liaison: not their department's session (404), their own is fine
        problem(assert, await liaison.post(`/api/v1/stocktakes/${st.id}/scan`, { code: T.a3.code }), 404, 'BUR-107');
        problem(assert, await liaison.get(`/api/v1/stocktakes/${st.id}`), 404, 'BUR-107');
        problem(assert, await liaison.get(`/api/v1/stocktakes/${st.id}/result`), 404, 'BUR-107');
        // the test's liaison: not the demo department's session
        const demoLines = JSON.stringify(await lines(T.demo.id));
        const pending = (await lines(T.demo.id, { result: 'pending' }))[0];
        problem(assert, await liaison2.post(`/api/v1/stocktakes/${T.demo.id}/scan`, { code: pending.code }), 404, 'BUR-107');
        assert.equal(JSON.stringify(await lines(T.demo.id)), demoLines, 'nothing changed');
        // staff never scan; the liaison neither confirms nor registers
        problem(assert, await staff.post(`/api/v1/stocktakes/${st.id}/scan`, { code: T.a3.code }), 403, 'BUR-302');
        problem(assert, await liaison2.post(`/api/v1/stocktakes/${st.id}/confirm`, { line_id: T.line2.id }), 403, 'BUR-302');
        problem(assert, await liaison2.post(`/api/v1/stocktakes/${st.id}/surplus`, { line_id: T.unknownLine.id, name: '文件柜', class_id: T.cls.id, original_value_fen: 1, acquired_on: '2020-01-01' }), 403, 'BUR-302');
        problem(assert, await liaison2.post(`/api/v1/stocktakes/${st.id}/finish`, {}), 403, 'BUR-302');
        assert.equal(JSON.stringify(await lines(st.id)), before);
        // the demo liaison scans a pending asset of their own department's session
        const s = await liaison.post(`/api/v1/stocktakes/${T.demo.id}/scan`, { code: pending.code });
        assert.equal(s.status, 200, m.show(s));
        assert.ok(['found', 'moved'].includes(s.body.result));
        assert.equal(s.body.line.id, pending.id);
        // and reads only their subtree's sessions and lines
        const mine = await liaison.all('stocktakes');
        assert.ok(mine.some((x) => x.id === T.demo.id) && !mine.some((x) => x.id === st.id));
        const ll = await liaison.all('stocktake_lines', { stocktake_id: st.id });
        assert.equal(ll.length, 0);
        const meta = await liaison.get('/api/v1/meta');
        assert.deepEqual([...meta.body.caller.can.stocktakes].sort(), ['export', 'read', 'scan']);
    });

    await t.test('confirmation moves the asset in the register, audited; all or nothing', async () => {
        // the out-of-scope line belongs to another department: refused, and the whole batch with it
        const line1 = (await lines(st.id, { asset_id: T.a1.id }))[0];
        let p = refused(await manager.post(`/api/v1/stocktakes/${st.id}/confirm`, { line_ids: [line1.id, T.otherLine.id] }), 409, 'assets.stocktake.other_department');
        assert.equal(p.code, T.other.code);
        assert.equal((await admin.get(`/api/v1/stocktake_lines/${line1.id}`)).body.confirmed, false, 'all or nothing');
        assert.equal((await admin.get(`/api/v1/assets/${T.other.id}`)).body.room_id, T.other.room_id);
        // not found yet; a line of another session
        const line3 = (await lines(st.id, { asset_id: T.a3.id }))[0];
        refused(await manager.post(`/api/v1/stocktakes/${st.id}/confirm`, { line_id: line3.id }), 409, 'assets.stocktake.not_found_yet');
        const demoLine = (await lines(T.demo.id))[0];
        refused(await manager.post(`/api/v1/stocktakes/${st.id}/confirm`, { line_id: demoLine.id }), 422, 'assets.stocktake.line_unknown', 'line_id');
        refused(await manager.post(`/api/v1/stocktakes/${st.id}/confirm`, {}), 422, 'field.required', 'line_id');
        // the moved printer goes to room 102
        const h0 = (await admin.get(`/api/v1/assets/${T.a2.id}/history`)).body.length;
        const r = await manager.post(`/api/v1/stocktakes/${st.id}/confirm`, { line_ids: [T.line2.id, line1.id] });
        assert.equal(r.status, 200, m.show(r));
        assert.equal(r.body.confirmed, 2);
        assert.ok(r.body.lines.every((l) => l.confirmed && l.confirmed_by === manager.session.user.id));
        const a2 = (await admin.get(`/api/v1/assets/${T.a2.id}`)).body;
        assert.equal(a2.room_id, T.r2.id);
        assert.equal(a2.custodian_id, T.p2.id, 'the custodian found was not given: kept');
        const h = (await admin.get(`/api/v1/assets/${T.a2.id}/history`)).body;
        assert.equal(h.length, h0 + 1);
        const last = h[h.length - 1];
        assert.equal(last.action, 'update');
        assert.equal(last.before.room_id, T.r1.id);
        assert.equal(last.after.room_id, T.r2.id);
        assert.equal(last.actor, 'assets_manager');
        // the found one changed nothing in the register
        assert.equal((await admin.get(`/api/v1/assets/${T.a1.id}`)).body.version, T.a1.version);
        // again: already confirmed, nothing written
        const again = await manager.post(`/api/v1/stocktakes/${st.id}/confirm`, { line_id: T.line2.id });
        assert.equal(again.body.confirmed, 0);
        assert.equal(again.body.already, 1);
        assert.equal((await admin.get(`/api/v1/assets/${T.a2.id}/history`)).body.length, h0 + 1);
    });

    await t.test('surplus: the unknown code registered as an asset on its line', async () => {
        // a code the register has is scanned, not registered
        refused(await manager.post(`/api/v1/stocktakes/${st.id}/surplus`, { code: T.a3.code, name: '文件柜', class_id: T.cls.id, original_value_fen: 1, acquired_on: '2020-01-01' }), 409, 'assets.stocktake.code_registered');
        // the asset's own rules still apply: nothing written
        refused(await manager.post(`/api/v1/stocktakes/${st.id}/surplus`, { line_id: T.unknownLine.id, name: '文件柜', class_id: T.cls.id, original_value_fen: 250000, acquired_on: '2999-01-01' }), 422, 'assets.asset.acquired_future', 'acquired_on');
        assert.equal((await admin.get(`/api/v1/stocktake_lines/${T.unknownLine.id}`)).body.asset_id, null);
        const r = await manager.post(`/api/v1/stocktakes/${st.id}/surplus`, { line_id: T.unknownLine.id, name: '文件柜', class_id: T.cls.id, original_value_fen: 250000, acquired_on: '2020-01-01', model: '钢制四门' });
        assert.equal(r.status, 201, m.show(r));
        assert.equal(r.body.line.id, T.unknownLine.id);
        assert.equal(r.body.line.result, 'surplus');
        assert.equal(r.body.line.confirmed, true);
        const a = (await admin.get(`/api/v1/assets/${r.body.line.asset_id}`)).body;
        assert.equal(a.code, T.unknown);
        assert.equal(a.source, 'surplus');
        assert.equal(a.department_id, T.dept.id);
        assert.equal(a.room_id, T.r1.id, 'where it was found');
        assert.equal(a.status, 'in_use');
        T.surplusAsset = a;
        const h = (await admin.get(`/api/v1/assets/${a.id}/history`)).body;
        assert.equal(h[0].action, 'create');
        assert.equal(h[0].actor, 'assets_manager');
        // a second registration of the same line is refused
        refused(await manager.post(`/api/v1/stocktakes/${st.id}/surplus`, { line_id: T.unknownLine.id, name: '文件柜', class_id: T.cls.id, original_value_fen: 1, acquired_on: '2020-01-01' }), 409, 'assets.stocktake.code_registered');
    });

    await t.test('finish: the rest missing, the figures against an independent computation, JSON and XLSX', async () => {
        const r = await manager.post(`/api/v1/stocktakes/${st.id}/finish`, { note: '年中盘点' });
        assert.equal(r.status, 200, m.show(r));
        const f = r.body;
        const other = (await admin.get(`/api/v1/assets/${T.other.id}`)).body;
        const net = (a) => netOf(a.original_value_fen, a.acquired_on, a.useful_years);
        assert.equal(f.status, 'finished');
        assert.equal(f.found_count, 1);
        assert.equal(f.moved_count, 2);
        assert.equal(f.missing_count, 2);
        assert.equal(f.missing_value_fen, 1200000 + 99999);
        assert.equal(net(T.a3), 0, 'fully depreciated since 2021');
        assert.equal(f.missing_net_fen, net(T.a3) + net(T.a4));
        assert.equal(f.surplus_count, 1);
        assert.equal(f.surplus_value_fen, 250000);
        const now = new Date(Date.now() + offsetMin * 60000).toISOString().slice(0, 7);
        assert.equal(f.asof_month, now);
        // the result
        const res = (await manager.get(`/api/v1/stocktakes/${st.id}/result`)).body;
        assert.deepEqual(res.counts, { found: 1, moved: 2, missing: 2, surplus: 1, pending: 0 });
        assert.equal(res.expected, 4);
        assert.equal(res.scanned, 2);
        assert.equal(res.unregistered, 0);
        assert.deepEqual(res.values.found, { original_fen: 600000, net_fen: net(T.a1) });
        assert.deepEqual(res.values.moved, { original_fen: 360000 + other.original_value_fen, net_fen: net(T.a2) + net(other) });
        assert.deepEqual(res.values.missing, { original_fen: 1299999, net_fen: net(T.a3) + net(T.a4) });
        assert.deepEqual(res.values.surplus, { original_fen: 250000, net_fen: net(T.surplusAsset) });
        assert.deepEqual(res.lines.missing.map((l) => l.code).sort(), [T.a3.code, T.a4.code].sort());
        assert.equal(res.lines.missing[0].name, '激光打印机');
        assert.deepEqual(res.lines.moved.map((l) => l.out_of_scope).sort(), [false, true]);
        // closed: no scans, no registrations
        refused(await manager.post(`/api/v1/stocktakes/${st.id}/scan`, { code: T.a3.code }), 409, 'assets.stocktake.not_in_progress');
        refused(await manager.post(`/api/v1/stocktakes/${st.id}/surplus`, { name: 'x', class_id: T.cls.id, original_value_fen: 1, acquired_on: '2020-01-01' }), 409, 'assets.stocktake.not_in_progress');
        refused(await manager.post(`/api/v1/stocktakes/${st.id}/finish`, {}), 409, 'wf.out_of_order');
        // the workbook: yuan with two decimals, dates as dates
        const x = await manager.fetch(`/api/v1/stocktakes/${st.id}/result.xlsx`);
        assert.equal(x.status, 200);
        assert.match(x.headers.get('content-disposition') || '', /stocktake-\d+-\d{8}\.xlsx/);
        const book = xlsx.read(Buffer.from(await x.arrayBuffer()));
        assert.deepEqual([...book.sheets.keys()], ['汇总', '账实相符', '位置或使用人变动', '盘亏', '盘盈']);
        const miss = book.sheets.get('盘亏');
        assert.equal(miss.rows.length, 1 + 2 + 1, 'heading, two lines, the total');
        const total = miss.rows[3];
        assert.equal(total[0].value, '合计');
        assert.equal(total[10].type, 'n');
        assert.equal(Number(total[10].value), 12999.99);
        assert.equal(total[10].format, '#,##0.00');
        const row = miss.rows.slice(1, 3).find((rr) => rr[0].value === T.a4.code);
        assert.equal(Number(row[10].value), 999.99);
        assert.equal(row[4].type, 'n');
        assert.equal(row[4].format, 'yyyy-mm-dd');
        assert.deepEqual(xlsx.serialToDate(Number(row[4].value)), { y: 2025, m: 6, d: 30, hh: 0, mm: 0, ss: 0 });
        const sum = book.sheets.get('汇总');
        const missRow = sum.rows.find((rr) => rr && rr[0] && rr[0].value === '盘亏');
        assert.equal(Number(missRow[1].value), 2);
        assert.equal(Number(missRow[2].value), 12999.99);
        // the liaison of the department reads the result too, and exports it
        const lr = await liaison2.get(`/api/v1/stocktakes/${st.id}/result`);
        assert.equal(lr.status, 200, m.show(lr));
        assert.equal((await liaison2.fetch(`/api/v1/stocktakes/${st.id}/result.xlsx`)).status, 200);
        problem(assert, await staff.get(`/api/v1/stocktakes/${st.id}/result`), 403, 'BUR-302');
    });
});

test('a room\'s session: what the room holds, whatever its department', async () => {
    const st = await made('/api/v1/stocktakes', { name: `房间盘点-${m.uniq()}`, room_id: T.r2.id }, manager);
    const r = await manager.post(`/api/v1/stocktakes/${st.id}/start`, {});
    assert.equal(r.status, 200, m.show(r));
    // after the confirmation above room 102 holds a2, a3 and a4 (and nothing disposed)
    const ls = await lines(st.id);
    assert.deepEqual(ls.map((l) => l.asset_id).sort(), [T.a2.id, T.a3.id, T.a4.id].sort());
    assert.equal(r.body.expected_count, 3);
    // a registration in a session without a department names one
    refused(await manager.post(`/api/v1/stocktakes/${st.id}/surplus`, { name: '椅子', class_id: T.cls.id, original_value_fen: 10000, acquired_on: '2022-01-01' }), 422, 'field.required', 'department_id');
    const s = await manager.post(`/api/v1/stocktakes/${st.id}/surplus`, { name: '椅子', class_id: T.cls.id, original_value_fen: 10000, acquired_on: '2022-01-01', department_id: T.dept.id, room_id: T.r2.id });
    assert.equal(s.status, 201, m.show(s));
    assert.match(s.body.line.code, /^ZC2022-\d{6}$/, 'a new code for an item without a label');
    assert.equal(s.body.asset.code, s.body.line.code);
    const c = await manager.post(`/api/v1/stocktakes/${st.id}/cancel`, { reason: '改为整体盘点' });
    assert.equal(c.body.status, 'cancelled');
    refused(await manager.post(`/api/v1/stocktakes/${st.id}/scan`, { code: T.a2.code }), 409, 'assets.stocktake.not_in_progress');
});

test('a building\'s session: the assets of its rooms; a room of another building refused', async () => {
    const otherBuildingRoom = (await admin.get(`/api/v1/rooms?building_id[ne]=${T.building.id}&limit=1`)).body.items[0];
    refused(await manager.post('/api/v1/stocktakes', { name: '楼宇与房间不符', building_id: T.building.id, room_id: otherBuildingRoom.id }), 422, 'assets.stocktake.room_not_in_building', 'room_id');
    const st = await made('/api/v1/stocktakes', { name: `楼宇盘点-${m.uniq()}`, building_id: T.building.id }, manager);
    const r = await manager.post(`/api/v1/stocktakes/${st.id}/start`, {});
    assert.equal(r.status, 200, m.show(r));
    // whatever the register has in rooms 101 and 102, and nothing else
    const inRooms = (await admin.all('assets', { 'room_id[in]': `${T.r1.id},${T.r2.id}`, 'status[ne]': 'disposed' })).map((a) => a.id).sort();
    assert.ok(inRooms.includes(T.a1.id) && inRooms.includes(T.surplusAsset.id));
    const ls = await lines(st.id);
    assert.deepEqual(ls.map((l) => l.asset_id).sort(), inRooms);
    assert.equal(r.body.expected_count, inRooms.length);
    // each line belongs to its asset's department (the session has none)
    assert.ok(ls.every((l) => l.department_id === T.dept.id));
    const res = (await manager.get(`/api/v1/stocktakes/${st.id}/result`)).body;
    assert.equal(res.stocktake.building_id, T.building.id);
    assert.equal(res.names.buildings[T.building.id], T.building.name);
    assert.match(res.names.rooms[T.r1.id], /101/);
    assert.equal(res.counts.pending, inRooms.length);
});
