// SPDX-License-Identifier: MIT
// vouchers.test.js - the union's service vouchers end to end on the demo
// district: a year of demo batches; issuing a batch to a department's union
// members, idempotent (issuing again issues only a member added since), each
// voucher audited; the holder's wallet with signed codes and QR images (the
// holder's only); 64 concurrent redemptions of one voucher (exactly one
// succeeds, the rest told when and where); forged, altered, malformed and
// other-tenant codes refused with nothing changed; expired and not-yet-valid
// vouchers refused, the expiry job; who may redeem (the centre, a device
// token that can do nothing else; never staff); tenant isolation; the
// statistics by month and service in JSON and XLSX; a booking's QR image.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, api, problem, pool } = require('./lib/server');
const m = require('./lib/matrix');
const xlsx = require('./lib/xlsx');
const crypto = require('node:crypto');

const PW = 'Bureau-demo-2026';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let srv, admin, pm, staff, liaison, auditor, device;
let offsetMin = 480;
const sql = (text) => m.sqlShell(srv, text).trim();
const num = (text) => Number(sql(text));

const localDay = (days = 0) => new Date(Date.now() + offsetMin * 60000 + days * 86400000).toISOString().slice(0, 10);
const thisMonth = () => localDay().slice(0, 7);

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
    const last = num(`SELECT COALESCE(MAX(id), 0) FROM bureau_job_runs WHERE name = '${name}'`);
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

// The refusal's key (the first field's when fields are named).
function refused(r, status, key, field) {
    problem(assert, r, status, status === 409 ? 'BUR-408' : 'BUR-201', field ? [field] : undefined);
    const item = field ? r.body.errors.find((e) => e.field === field) : r.body;
    assert.equal(item.key, key, m.show(r));
    return item.params || {};
}

let staffDept, staffPerson;
// A department of the test's own under staff's, with n union members (and one who is not).
async function dept(n) {
    const d = await admin.post('/api/v1/departments', { name: `工会小组-${m.uniq()}`, parent_id: staffDept });
    assert.equal(d.status, 201, d.text);
    const people = [];
    for (let i = 0; i < n; i++) people.push(await person(d.body.id, true));
    await person(d.body.id, false);
    return { id: d.body.id, people };
}
async function person(department_id, union_member) {
    const p = await admin.post('/api/v1/people', { name: `会员${m.uniq()}`, department_id, union_member });
    assert.equal(p.status, 201, p.text);
    return p.body.id;
}

async function batch(over = {}) {
    const b = await pm.post('/api/v1/voucher_batches', { service: 'haircut', month: thisMonth(), per_person: 2, ...over });
    assert.equal(b.status, 201, b.text);
    return b.body;
}

// The code of one of staff's unused vouchers (issued to staff's department for the test).
let staffBatch;
async function staffCode(pick = 0) {
    const w = await staff.get('/api/v1/vouchers/mine');
    assert.equal(w.status, 200, w.text);
    const mine = w.body.items.filter((v) => v.batch_id === staffBatch.id && v.status === 'issued');
    assert.ok(mine.length > pick, w.text);
    return mine[pick];
}

before(async () => {
    srv = await startServer({ demo: true, args: ['--jobs-interval', '1'] });
    admin = api(srv.url);
    pm = api(srv.url, { username: 'property_manager', password: PW });
    staff = api(srv.url, { username: 'staff', password: PW });
    liaison = api(srv.url, { username: 'liaison', password: PW });
    auditor = api(srv.url, { username: 'auditor', password: PW });
    offsetMin = (await admin.get('/api/v1/tenants/1')).body.utc_offset_min;
    for (const c of [pm, staff, liaison, auditor]) await c.login();
    staffPerson = num("SELECT person_id FROM users WHERE tenant_id = 1 AND username = 'staff'");
    assert.ok(staffPerson, 'the staff demo user stands for a person');
    staffDept = (await admin.get(`/api/v1/people/${staffPerson}`)).body.department_id;
    // staff's own batch: car washes for staff's department
    sql(`UPDATE people SET union_member = 1, active = 1 WHERE id = ${staffPerson}`);
    staffBatch = await batch({ service: 'car_wash', department_id: staffDept, per_person: 3 });
    const i = await pm.post(`/api/v1/voucher_batches/${staffBatch.id}/issue`, {});
    assert.equal(i.status, 200, i.text);
    // a service point's scanner
    const roles = await admin.all('roles');
    const t = await admin.post('/api/v1/api_tokens', { name: `洗车点扫码-${m.uniq()}`, role_id: roles.find((r) => r.code === 'device').id });
    assert.equal(t.status, 201, t.text);
    device = api(srv.url, { token: t.body.token });
});

after(async () => {
    if (srv) await srv.stop();
});

test('the demo: a year of monthly haircut and car-wash batches, two each a member, redeemed or expired', async () => {
    const months = sql("SELECT DISTINCT month FROM voucher_batches WHERE service IN ('haircut', 'car_wash') AND created_by IS NOT NULL ORDER BY month").split('\n');
    assert.ok(months.length >= 12, months.join(' '));
    assert.ok(months.includes(thisMonth()));
    const past = num(`SELECT COUNT(*) FROM vouchers WHERE expires_on < '${thisMonth()}-01' AND status = 'issued'`);
    assert.equal(past, 0, 'no past voucher still unused');
    const redeemed = num("SELECT COUNT(*) FROM vouchers WHERE status = 'redeemed'");
    const expired = num("SELECT COUNT(*) FROM vouchers WHERE status = 'expired'");
    assert.ok(redeemed > 1000 && expired > 200, `${redeemed} redeemed, ${expired} expired`);
    assert.equal(num("SELECT COUNT(*) FROM vouchers WHERE status = 'redeemed' AND (redeemed_at IS NULL OR resource_id IS NULL)"), 0);
    // the dashboard card: this month's redemptions
    const s = await pm.get('/api/v1/summary/booking');
    const card = s.body.cards.find((c) => c.id === 'booking');
    assert.ok(card, s.text);
    const d = new Date(Date.now() + offsetMin * 60000);
    const m0 = (Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) - offsetMin * 60000) / 1000;
    assert.equal(card.vouchers_redeemed_month, num(`SELECT COUNT(*) FROM vouchers WHERE status = 'redeemed' AND redeemed_at >= ${m0}`));
    assert.equal(card.labels.vouchers_redeemed_month.zh, '本月核销服务券');
});

test('issuing: every union member in scope, idempotent, a member added later gets only theirs, each voucher audited', async () => {
    const d = await dept(3);
    const b = await batch({ department_id: d.id });
    assert.equal(b.status, 'draft');
    assert.equal(b.valid_from, `${thisMonth()}-01`);
    assert.match(b.label, /理发券/);
    const audits = () => num(`SELECT COUNT(*) FROM audit_entries WHERE collection = 'vouchers' AND action = 'create' AND record_id IN (SELECT id FROM vouchers WHERE batch_id = ${b.id})`);
    let r = await pm.post(`/api/v1/voucher_batches/${b.id}/issue`, {});
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.status, 'issued');
    assert.equal(r.body.issued_count, 6);
    assert.equal(r.body.issued_by, pm.session.user.id);
    const rows = () => sql(`SELECT person_id, seq FROM vouchers WHERE batch_id = ${b.id} ORDER BY person_id, seq`).split('\n').filter(Boolean);
    assert.deepEqual(rows(), d.people.flatMap((p) => [`${p}|1`, `${p}|2`]));
    assert.equal(audits(), 6, 'one audit entry a voucher');
    // again: nothing new
    r = await pm.post(`/api/v1/voucher_batches/${b.id}/issue`, {});
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.issued_count, 6);
    assert.equal(rows().length, 6);
    // a member joins: only theirs
    const late = await person(d.id, true);
    r = await pm.post(`/api/v1/voucher_batches/${b.id}/issue`, {});
    assert.equal(r.body.issued_count, 8);
    assert.deepEqual(rows().filter((x) => x.startsWith(`${late}|`)), [`${late}|1`, `${late}|2`]);
    assert.equal(audits(), 8);
    const serials = sql(`SELECT serial FROM vouchers WHERE batch_id = ${b.id}`).split('\n');
    assert.equal(new Set(serials).size, 8);
    for (const s of serials) assert.match(s, /^HC\d{4}-\d+-\d{5}$/);
    // an issued batch is not edited; closed, it issues no more
    refused(await pm.patch(`/api/v1/voucher_batches/${b.id}`, { per_person: 5 }), 409, 'booking.batch.issued');
    assert.equal((await pm.post(`/api/v1/voucher_batches/${b.id}/close`, {})).body.status, 'closed');
    problem(assert, await pm.post(`/api/v1/voucher_batches/${b.id}/issue`, {}), 409, 'BUR-408');
    // the batch's form: "other" needs a label; no month needs both dates
    let x = await pm.post('/api/v1/voucher_batches', { service: 'other', month: thisMonth() });
    refused(x, 422, 'booking.batch.label', 'label');
    x = await pm.post('/api/v1/voucher_batches', { service: 'haircut', valid_from: localDay() });
    refused(x, 422, 'booking.batch.validity', 'valid_to');
    // nobody in scope
    const empty = await admin.post('/api/v1/departments', { name: `空部门-${m.uniq()}`, parent_id: staffDept });
    const e = await batch({ department_id: empty.body.id });
    refused(await pm.post(`/api/v1/voucher_batches/${e.id}/issue`, {}), 409, 'booking.batch.no_members');
    assert.equal((await pm.get(`/api/v1/voucher_batches/${e.id}`)).body.status, 'draft');
    // staff neither issue nor read batches
    problem(assert, await staff.post('/api/v1/voucher_batches', { service: 'haircut', month: thisMonth() }), 403, 'BUR-302');
    problem(assert, await staff.post(`/api/v1/voucher_batches/${b.id}/issue`, {}), 403, 'BUR-302');
});

test('the wallet: my vouchers with their signed codes; the QR image is the holder\'s only', async () => {
    const w = await staff.get('/api/v1/vouchers/mine');
    assert.equal(w.status, 200, w.text);
    const mine = w.body.items.filter((v) => v.batch_id === staffBatch.id);
    assert.equal(mine.length, 3);
    for (const v of mine) {
        assert.equal(v.service, 'car_wash');
        assert.equal(v.expires_on, staffBatch.valid_to);
        assert.match(v.code, new RegExp(`^BV1\\.1\\.${v.id}\\.${v.serial}\\.[A-Za-z0-9_-]{43}$`));
    }
    assert.ok(w.body.items.every((v) => v.status === 'issued' || !('code' in v)), 'codes of unused vouchers only');
    const q = await staff.fetch(`/api/v1/vouchers/${mine[0].id}/qr.svg`);
    assert.equal(q.status, 200);
    assert.match(q.headers.get('content-type'), /^image\/svg\+xml/);
    const svg = await q.text();
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 (\d+) \1"/);
    assert.ok(svg.includes('<path'), svg.slice(0, 200));
    for (const c of [liaison, pm, auditor]) assert.equal((await c.fetch(`/api/v1/vouchers/${mine[0].id}/qr.svg`)).status, 404);
    // the centre sees vouchers, never their codes
    const g = await pm.get(`/api/v1/vouchers/${mine[0].id}`);
    assert.equal(g.status, 200, g.text);
    assert.ok(!JSON.stringify(g.body).includes(mine[0].code.split('.')[4]));
    // staff do not list the tenant's vouchers, nor write them
    problem(assert, await staff.get('/api/v1/vouchers'), 403, 'BUR-302');
    assert.ok([403, 405].includes((await pm.post('/api/v1/vouchers', { batch_id: staffBatch.id })).status));
});

test('64 concurrent scans of one voucher: exactly one redeems it, the others are told when and where', async () => {
    const v = await staffCode(0);
    const wash = (await admin.all('resources')).find((r) => r.name === '洗车点');
    const before = num(`SELECT COUNT(*) FROM audit_entries WHERE collection = 'vouchers' AND record_id = ${v.id}`);
    const rs = await pool(Array.from({ length: 64 }), 64, () => pm.post('/api/v1/vouchers/redeem', { code: v.code, resource_id: wash.id }));
    const ok = rs.filter((r) => r.status === 200);
    assert.equal(ok.length, 1, rs.map((r) => r.status).join(' '));
    for (const r of rs.filter((x) => x.status !== 200)) {
        const p = refused(r, 409, 'booking.voucher.redeemed');
        assert.equal(p.where, '洗车点');
        assert.equal(Date.parse(p.redeemed_at), Date.parse(ok[0].body.redeemed_at));
    }
    assert.equal(ok[0].body.status, 'redeemed');
    assert.equal(ok[0].body.redeemed_by, pm.session.user.id);
    assert.equal(ok[0].body.resource_id, wash.id);
    assert.equal(num(`SELECT COUNT(*) FROM audit_entries WHERE collection = 'vouchers' AND record_id = ${v.id}`), before + 1);
    assert.equal(num(`SELECT version FROM vouchers WHERE id = ${v.id}`), 2);
});

test('forged, altered, malformed and other-tenant codes: 422 with the reason, nothing changed', async () => {
    const v = await staffCode(0);
    const other = await staffCode(1);
    const state = () => sql(`SELECT status, version FROM vouchers WHERE id IN (${v.id}, ${other.id}) ORDER BY id`);
    const was = state();
    const parts = v.code.split('.');
    const flip = (s, i) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
    const cases = [
        [parts.slice(0, 4).concat(flip(parts[4], 10)).join('.'), 'booking.voucher.forged'],
        [parts.slice(0, 3).concat(flip(parts[3], 0), parts[4]).join('.'), 'booking.voucher.forged'],
        [[parts[0], parts[1], String(other.id), parts[3], parts[4]].join('.'), 'booking.voucher.forged'],
        [[parts[0], parts[1], String(other.id), other.serial, parts[4]].join('.'), 'booking.voucher.forged'],
        [[parts[0], '2', parts[2], parts[3], parts[4]].join('.'), 'booking.voucher.tenant'],
        [v.code.slice(0, -1), 'booking.voucher.format'],
        [`${v.code}.x`, 'booking.voucher.format'],
        ['BV2' + v.code.slice(3), 'booking.voucher.format'],
        ['hello', 'booking.voucher.format'],
        ['', 'booking.voucher.format'],
    ];
    for (const [code, key] of cases) refused(await pm.post('/api/v1/vouchers/redeem', { code }), 422, key, 'code');
    // the step by id checks the code too: another voucher's code does not redeem this one
    refused(await pm.post(`/api/v1/vouchers/${other.id}/redeem`, { code: v.code }), 422, 'booking.voucher.forged', 'code');
    problem(assert, await pm.post('/api/v1/vouchers/redeem', {}), 422, 'BUR-201', ['code']);
    assert.equal(state(), was, 'nothing changed');
});

test('expired, void and not yet valid vouchers are refused with their dates; the expiry job', async () => {
    const d = await dept(2);
    const b = await batch({ department_id: d.id });
    await pm.post(`/api/v1/voucher_batches/${b.id}/issue`, {});
    const ids = sql(`SELECT id FROM vouchers WHERE batch_id = ${b.id} ORDER BY id`).split('\n').map(Number);
    // the codes, signed here with the tenant's key (computed independently of the server)
    const key = sql('SELECT secret FROM voucher_keys WHERE tenant_id = 1');
    const codes = sql(`SELECT id, serial FROM vouchers WHERE batch_id = ${b.id} ORDER BY id`).split('\n').map((l) => {
        const [id, serial] = l.split('|');
        const body = `BV1.1.${id}.${serial}`;
        return { id: Number(id), code: `${body}.${crypto.createHmac('sha256', key).update(body).digest('base64url')}` };
    });
    assert.equal(codes.length, 4);
    const [v1, v2] = codes;
    // the last day is still valid; the day after is not
    sql(`UPDATE vouchers SET expires_on = '${localDay(-1)}' WHERE id = ${v1.id}`);
    const was = sql(`SELECT status, version FROM vouchers WHERE id = ${v1.id}`);
    let p = refused(await pm.post('/api/v1/vouchers/redeem', { code: v1.code }), 409, 'booking.voucher.expired');
    assert.equal(p.expires_on, localDay(-1));
    assert.equal(sql(`SELECT status, version FROM vouchers WHERE id = ${v1.id}`), was);
    // not yet valid
    sql(`UPDATE vouchers SET valid_from = '${localDay(1)}' WHERE id = ${v2.id}`);
    p = refused(await pm.post('/api/v1/vouchers/redeem', { code: v2.code }), 409, 'booking.voucher.not_yet');
    assert.equal(p.valid_from, localDay(1));
    sql(`UPDATE vouchers SET valid_from = '${localDay(0)}', expires_on = '${localDay(0)}' WHERE id = ${v2.id}`);
    // void
    const vd = await pm.post(`/api/v1/vouchers/${v2.id}/void`, { reason: '会员退会' });
    assert.equal(vd.status, 200, vd.text);
    refused(await pm.post('/api/v1/vouchers/redeem', { code: v2.code }), 409, 'booking.voucher.void');
    // the job expires what is past its last day, once
    await runJob('booking.voucher_expiry');
    assert.equal(sql(`SELECT status FROM vouchers WHERE id = ${v1.id}`), 'expired');
    assert.equal(sql(`SELECT status FROM vouchers WHERE id = ${v2.id}`), 'void');
    assert.equal(num(`SELECT COUNT(*) FROM vouchers WHERE status = 'issued' AND expires_on < '${localDay()}'`), 0);
    p = refused(await pm.post('/api/v1/vouchers/redeem', { code: v1.code }), 409, 'booking.voucher.expired');
    assert.equal(p.expires_on, localDay(-1));
    assert.ok(ids.includes(v1.id));
});

test('who redeems: the centre and a device token (which can do nothing else), never staff', async () => {
    const v = await staffCode(0);
    problem(assert, await staff.post('/api/v1/vouchers/redeem', { code: v.code }), 403, 'BUR-302');
    problem(assert, await liaison.post('/api/v1/vouchers/redeem', { code: v.code }), 403, 'BUR-302');
    problem(assert, await auditor.post('/api/v1/vouchers/redeem', { code: v.code }), 403, 'BUR-302');
    assert.equal(sql(`SELECT status FROM vouchers WHERE id = ${v.id}`), 'issued');
    const r = await device.post('/api/v1/vouchers/redeem', { code: v.code });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.status, 'redeemed');
    assert.match(r.body.device, /^洗车点扫码-/);
    const p = refused(await device.post('/api/v1/vouchers/redeem', { code: v.code }), 409, 'booking.voucher.redeemed');
    assert.equal(p.where, r.body.device);
    for (const path of ['/api/v1/vouchers', `/api/v1/vouchers/${v.id}`, '/api/v1/voucher_batches', '/api/v1/vouchers/stats', '/api/v1/bookings'])
        problem(assert, await device.get(path), 403, 'BUR-302');
    problem(assert, await device.post('/api/v1/voucher_batches', { service: 'haircut', month: thisMonth() }), 403, 'BUR-302');
    problem(assert, await device.post(`/api/v1/vouchers/${v.id}/void`, { reason: 'x' }), 403, 'BUR-302');
});

test('statistics by month and service, in JSON and XLSX, match the vouchers', async () => {
    const r = await pm.get('/api/v1/vouchers/stats');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.months.length, 12);
    assert.equal(r.body.to, thisMonth());
    for (const mo of r.body.months) {
        for (const s of ['haircut', 'car_wash']) {
            const [y, mm] = mo.month.split('-').map(Number);
            const next = mm === 12 ? `${y + 1}-01-01` : `${y}-${String(mm + 1).padStart(2, '0')}-01`;
            const where = `service = '${s}' AND valid_from >= '${mo.month}-01' AND valid_from < '${next}'`;
            assert.equal(mo[s].issued, num(`SELECT COUNT(*) FROM vouchers WHERE ${where}`), `${mo.month} ${s}`);
            assert.equal(mo[s].redeemed, num(`SELECT COUNT(*) FROM vouchers WHERE ${where} AND status = 'redeemed'`));
            assert.equal(mo[s].expired, num(`SELECT COUNT(*) FROM vouchers WHERE ${where} AND status = 'expired'`));
            if (mo[s].issued) assert.equal(mo[s].rate, Math.round((mo[s].redeemed * 1000) / mo[s].issued) / 10);
        }
    }
    const total = r.body.total.haircut.issued;
    assert.equal(total, r.body.months.reduce((a, x) => a + x.haircut.issued, 0));
    // one month only
    const one = await pm.get(`/api/v1/vouchers/stats?from=${thisMonth()}&to=${thisMonth()}`);
    assert.equal(one.body.months.length, 1);
    // twelve months back across a new year
    const spring = await pm.get('/api/v1/vouchers/stats?to=2026-03');
    assert.deepEqual([spring.body.from, spring.body.to, spring.body.months.length], ['2025-04', '2026-03', 12]);
    assert.deepEqual(spring.body.months.slice(8, 10).map((x) => x.month), ['2025-12', '2026-01']);
    problem(assert, await pm.get('/api/v1/vouchers/stats?from=2020-01&to=2026-01'), 400, 'BUR-102');
    problem(assert, await pm.get('/api/v1/vouchers/stats?month=x'), 400, 'BUR-102');
    problem(assert, await staff.get('/api/v1/vouchers/stats'), 403, 'BUR-302');
    // the workbook: the same figures
    const x = await auditor.fetch('/api/v1/vouchers/stats.xlsx');
    assert.equal(x.status, 200);
    assert.match(x.headers.get('content-type'), /spreadsheetml/);
    const book = xlsx.read(Buffer.from(await x.arrayBuffer()));
    const sheet = book.sheets.get('服务券统计').rows.map((r) => r.map((c) => c && c.value));
    assert.deepEqual(sheet[0].slice(0, 7), ['月份', '服务项目', '发放(张)', '已使用', '已过期', '已作废', '使用率%']);
    const row = sheet.find((l) => l[0] === thisMonth() && l[1] === '理发');
    const mo = r.body.months.find((z) => z.month === thisMonth());
    assert.deepEqual(row.slice(2, 5).map(Number), [mo.haircut.issued, mo.haircut.redeemed, mo.haircut.expired]);
    const tot = sheet.find((l) => l[0] === '合计' && l[1] === '理发');
    assert.equal(Number(tot[2]), total);
});

test('a booking\'s check-in code as a QR image, for its booker only', async () => {
    const mine = await staff.get('/api/v1/bookings?status=confirmed');
    let b = mine.body.items[0];
    if (!b) {
        const res = (await admin.all('resources')).find((r) => r.name === '书吧');
        const when = new Date(Date.now() + 3 * 86400000);
        b = (await staff.post('/api/v1/bookings', { resource_id: res.id, start_at: when.toISOString().slice(0, 11) + '02:00:00Z', end_at: when.toISOString().slice(0, 11) + '03:00:00Z' })).body;
    }
    const q = await staff.fetch(`/api/v1/bookings/${b.id}/qr.svg`);
    assert.equal(q.status, 200);
    assert.match(await q.text(), /^<svg /);
    for (const c of [pm, liaison, auditor]) assert.equal((await c.fetch(`/api/v1/bookings/${b.id}/qr.svg`)).status, 404);
    assert.equal((await staff.fetch('/api/v1/bookings/999999999/qr.svg')).status, 404);
});

test('tenants: another bureau sees none of these vouchers, and a code relabelled for it is forged there', async () => {
    const v = await staffCode(0);
    const code = `vc-${m.uniq()}`;
    const from = srv.stderr.length;
    const t = await admin.post('/api/v1/tenants', { name: '另一区机关事务管理局', code });
    assert.equal(t.status, 201, t.text);
    await waitFor('the new admin password', () => /admin password: (\S+)/.test(srv.stderr.slice(from)));
    const pw = /admin password: (\S+)/.exec(srv.stderr.slice(from))[1];
    const a2 = await m.signInChanging(srv.url, { username: 'admin', password: pw, newPassword: 'Other-bureau-2026-pw', tenant: code });
    assert.equal((await a2.get('/api/v1/vouchers')).body.items.length, 0);
    assert.equal((await a2.get('/api/v1/voucher_batches')).body.items.length, 0);
    assert.equal((await a2.get(`/api/v1/vouchers/${v.id}`)).status, 404);
    assert.equal((await a2.fetch(`/api/v1/vouchers/${v.id}/qr.svg`)).status, 404);
    assert.equal(num(`SELECT COUNT(*) FROM voucher_keys WHERE tenant_id = ${t.body.id}`), 1, 'a key of its own');
    refused(await a2.post('/api/v1/vouchers/redeem', { code: v.code }), 422, 'booking.voucher.tenant', 'code');
    const p = v.code.split('.');
    refused(await a2.post('/api/v1/vouchers/redeem', { code: [p[0], String(t.body.id), p[2], p[3], p[4]].join('.') }), 422, 'booking.voucher.forged', 'code');
    assert.equal((await a2.post(`/api/v1/vouchers/${v.id}/redeem`, { code: v.code })).status, 404);
    assert.equal(sql(`SELECT status FROM vouchers WHERE id = ${v.id}`), 'issued');
    assert.equal((await a2.get('/api/v1/vouchers/stats')).body.total.haircut.issued, 0);
});
