// SPDX-License-Identifier: MIT
// assets.test.js - the fixed asset register from outside: the register's
// rules (a duplicate code, a negative value, a life below the category's
// minimum, a status only actions set, acquired in the future, a disposed
// asset closed), the generated code, the depreciation report against
// hand-computed figures (the month acquired, the last month of the life, a
// category not depreciated, a fully depreciated asset, a disposed one),
// one asset's schedule, the net values of a page, the import of 20,000 rows
// with a few bad ones (all or nothing), the bulk edit (all or nothing, out
// of scope refused), labels' SVG, my assets, permissions and a second
// tenant that sees none of it.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, api, problem } = require('./lib/server');
const m = require('./lib/matrix');
const xlsx = require('./lib/xlsx');

let srv, admin, dept, dept2, cat, classA02, classA04;
const sql = (text) => m.sqlShell(srv, text).trim();
let n = 0;
const uniq = () => `${process.pid}${++n}`;

async function ok(r, status = [200, 201]) {
    assert.ok([].concat(status).includes(r.status), `${r.status} ${r.text}`);
    return r.body;
}
async function asset(over = {}, client = admin) {
    return client.post('/api/v1/assets', {
        name: '台式计算机', class_id: classA02, category_id: cat['计算机设备'].id, department_id: dept.id,
        original_value_fen: 720000, acquired_on: '2020-01-15', ...over,
    });
}
const count = () => Number(sql('SELECT COUNT(*) FROM assets'));

before(async () => {
    srv = await startServer({ demo: false });
    admin = api(srv.url);
    dept = await ok(await admin.post('/api/v1/departments', { name: `资产测试处${uniq()}`, code: `ZC${uniq()}`, kind: 'party' }));
    dept2 = await ok(await admin.post('/api/v1/departments', { name: `另一处${uniq()}`, code: `LY${uniq()}`, kind: 'party' }));
    cat = {};
    for (const c of (await admin.get('/api/v1/asset_categories?limit=100')).body.items) cat[c.name] = c;
    const classes = (await admin.get('/api/v1/asset_classes?limit=100&edition=2022')).body.items;
    classA02 = classes.find((c) => c.code === 'A02').id;
    classA04 = classes.find((c) => c.code === 'A04').id;
});
after(async () => { if (srv) await srv.stop(); });

test('the register refuses bad input with a key and changes nothing', async () => {
    const a = await ok(await asset({ code: `T${uniq()}` }));
    const before = count();
    let r = await asset({ code: a.code });
    assert.equal(r.status, 409, r.text);
    assert.equal(r.body.key, 'field.unique', 'a duplicate code names its key');
    problem(assert, await asset({ original_value_fen: -1 }), 422, 'BUR-201', ['original_value_fen']);
    r = await asset({ useful_years: 3 });
    problem(assert, r, 422, 'BUR-201', ['useful_years']);
    assert.equal(r.body.errors[0].key, 'assets.asset.years_below_min');
    assert.equal(r.body.errors[0].params.min_years, 6);
    r = await asset({ status: 'pooled' });
    assert.equal(r.status, 409, r.text);
    assert.equal(r.body.key, 'assets.asset.status_by_action');
    const next = new Date(Date.now() + 3 * 86400000).toISOString().slice(0, 10);
    r = await asset({ acquired_on: next });
    problem(assert, r, 422, 'BUR-201', ['acquired_on']);
    assert.equal(r.body.errors[0].key, 'assets.asset.acquired_future');
    assert.equal(count(), before);
});

test('a code is given when none is typed: ZC, the year acquired, a running number', async () => {
    const a = await ok(await asset({ acquired_on: '2011-05-03' }));
    const b = await ok(await asset({ acquired_on: '2011-07-09' }));
    assert.match(a.code, /^ZC2011-\d{6}$/);
    assert.equal(Number(b.code.slice(7)), Number(a.code.slice(7)) + 1);
    assert.equal(a.useful_years, 6, 'the life comes from the category');
});

test('the report against hand-computed figures at month and category boundaries', async () => {
    const d = await ok(await admin.post('/api/v1/departments', { name: `折旧测试科${uniq()}`, code: `ZJ${uniq()}`, kind: 'party' }));
    // a computer: 7,200.00 over 72 months = 100.00 a month from January 2020
    const x = await ok(await asset({ department_id: d.id, original_value_fen: 720000, acquired_on: '2020-01-31' }));
    // furniture: 1,000.00 over 180 months from June 2024
    const y = await ok(await asset({ department_id: d.id, category_id: cat['家具'].id, original_value_fen: 100000, acquired_on: '2024-06-30', name: '办公桌' }));
    // books: not depreciated
    const z = await ok(await asset({ department_id: d.id, class_id: classA04, category_id: cat['图书档案'].id, original_value_fen: 50000, acquired_on: '2019-03-01', name: '地方志' }));
    assert.equal(z.useful_years, 0);
    const rep = async (q) => ok(await admin.get(`/api/v1/assets/report?department_id=${d.id}&${q}`));

    // December 2024: the computer's 60th month, the desk's 7th
    let r = await rep('by=category&asof=2024-12');
    assert.equal(r.asof, '2024-12');
    const g = Object.fromEntries(r.groups.map((x) => [x.name, x]));
    assert.deepEqual([g['计算机设备'].accumulated_fen, g['计算机设备'].monthly_fen, g['计算机设备'].net_fen], [600000, 10000, 120000]);
    // 100000·7/180 = 3888.9 → 3889; 100000·6/180 = 3333.3 → 3333; the month 556
    assert.deepEqual([g['家具'].accumulated_fen, g['家具'].monthly_fen, g['家具'].net_fen], [3889, 556, 96111]);
    assert.deepEqual([g['图书档案'].accumulated_fen, g['图书档案'].monthly_fen, g['图书档案'].net_fen, g['图书档案'].not_depreciated], [0, 0, 50000, 1]);
    assert.deepEqual(r.total, { count: 3, original_fen: 870000, accumulated_fen: 603889, net_fen: 266111, monthly_fen: 10556, not_depreciated: 1, fully_depreciated: 0 });

    // the month acquired is charged; the month before it the asset is not there
    r = await rep('by=category&asof=2024-06');
    assert.equal(r.groups.find((x) => x.name === '家具').monthly_fen, 556);
    assert.equal(r.groups.find((x) => x.name === '家具').accumulated_fen, 556);
    r = await rep('by=category&asof=2024-05');
    assert.equal(r.groups.find((x) => x.name === '家具'), undefined);
    // December 2025: the computer's 72nd and last month; January 2026 fully depreciated, no charge
    r = await rep('by=category&asof=2025-12');
    assert.deepEqual([r.groups[0].accumulated_fen, r.groups[0].monthly_fen, r.groups[0].net_fen], [720000, 10000, 0]);
    r = await rep('by=age&asof=2026-01');
    const full = r.groups.find((x) => x.key === 'full');
    assert.deepEqual([full.count, full.accumulated_fen, full.monthly_fen, full.net_fen], [1, 720000, 0, 0]);
    assert.equal(r.groups.find((x) => x.key === '5_8').count, 1, 'the books, acquired in 2019, are 6 years old');
    assert.equal(r.groups.find((x) => x.key === '1_3').count, 1, 'the desk');

    // disposed of in October 2024: counted in September, gone from October on
    sql(`UPDATE assets SET status = 'disposed', disposed_on = '2024-10-20' WHERE id = ${y.id}`);
    r = await rep('by=status&asof=2024-09');
    assert.equal(r.total.count, 3);
    r = await rep('by=status&asof=2024-12');
    assert.equal(r.total.count, 2);
    assert.equal(r.total.original_fen, 770000);
    // and the disposed record is closed
    const e = await admin.patch(`/api/v1/assets/${y.id}`, { note: '改一下' });
    assert.equal(e.status, 409, e.text);
    assert.equal(e.body.key, 'assets.asset.disposed');

    // one asset's schedule: 2020 holds 12 months, 2025 the last 12; sums to the value
    const s = await ok(await admin.get(`/api/v1/assets/${x.id}/depreciation?asof=2024-12`));
    assert.deepEqual([s.months, s.monthly_fen, s.accumulated_fen, s.net_fen, s.life_months, s.ends], [60, 10000, 600000, 120000, 72, '2025-12']);
    assert.deepEqual(s.schedule.map((y) => y.year), [2020, 2021, 2022, 2023, 2024, 2025]);
    assert.equal(s.schedule.reduce((a, y) => a + y.charge_fen, 0), 720000);
    assert.equal(s.schedule[5].net_fen, 0);
    const sy = await ok(await admin.get(`/api/v1/assets/${y.id}/depreciation?asof=2024-12`));
    assert.deepEqual([sy.months, sy.accumulated_fen, sy.on_register], [4, 2222, false], 'June to September, not October');

    // a page's net values
    const v = await ok(await admin.get(`/api/v1/assets/values?ids=${x.id},${z.id}&asof=2024-12`));
    assert.deepEqual(v.items.map((i) => i.net_fen).sort((a, b) => a - b), [50000, 120000]);

    // the XLSX: the same figures in yuan
    const xl = await admin.fetch(`/api/v1/assets/report.xlsx?department_id=${d.id}&by=category&asof=2024-12`);
    assert.equal(xl.status, 200);
    assert.match(xl.headers.get('content-type'), /spreadsheetml/);
    const book = xlsx.read(Buffer.from(await xl.arrayBuffer()));
    const sheet = book.sheets.get('截至2024-12');
    assert.ok(sheet, [...book.sheets.keys()].join());
    assert.deepEqual(sheet.rows[0].map((c) => c && c.value), ['折旧类别', '资产数量(件)', '原值(元)', '累计折旧(元)', '净值(元)', '本月计提折旧(元)', '不计提折旧(件)', '已提足折旧(件)']);
    // the desk was disposed of in October: the computer and the books remain
    const computer = sheet.rows.find((row) => row[0] && row[0].value === '计算机设备');
    assert.deepEqual(computer.slice(1, 8).map((c) => Number(c.value)), [1, 7200, 6000, 1200, 100, 0, 0]);
    assert.equal(computer[2].format, '#,##0.00');
    const books = sheet.rows.find((row) => row[0] && row[0].value === '图书档案');
    assert.deepEqual(books.slice(1, 7).map((c) => Number(c.value)), [1, 500, 0, 500, 0, 1]);
    const total = sheet.rows[sheet.rows.length - 1];
    assert.deepEqual([total[0].value, Number(total[1].value), Number(total[4].value)], ['合计', 2, 1700]);
    assert.equal(sheet.rows.length, 4);

    // bad parameters
    problem(assert, await admin.get('/api/v1/assets/report?by=colour'), 400, 'BUR-102', ['by']);
    problem(assert, await admin.get('/api/v1/assets/report?asof=2024-13'), 400, 'BUR-102', ['asof']);
});

test('import: 20,000 rows with a few bad ones are refused whole, each named; then all go in', async () => {
    const before = count();
    const head = 'name,class_id,category_id,department_id,原值（元）,acquired_on,model';
    const rows = (bad) => {
        const out = [head];
        for (let i = 0; i < 20000; i++) {
            let name = `导入资产${i}`, value = `${1000 + (i % 500)}.50`, date = `20${10 + (i % 14)}-0${1 + (i % 9)}-1${i % 9}`;
            if (bad && i === 10) value = '-5.00';
            if (bad && i === 5000) date = '2024-13-01';
            if (bad && i === 19999) name = '';
            out.push(`${name},${classA02},${cat['办公设备'].id},${dept.id},${value},${date},型号${i % 7}`);
        }
        return out.join('\n') + '\n';
    };
    const post = (body) => admin.fetch('/api/v1/assets/import', { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body });
    let r = await post(rows(true));
    let b = await r.json();
    assert.equal(r.status, 422, JSON.stringify(b).slice(0, 400));
    assert.equal(b.rejected_rows, 3);
    assert.deepEqual([...new Set(b.rejected.map((x) => x.row))].sort((a, c) => a - c), [11, 5001, 20000]);
    assert.deepEqual(b.rejected.find((x) => x.row === 11).field, 'original_value_fen');
    assert.equal(count(), before, 'nothing imported');
    // a code already in the register: found when inserting, nothing kept
    const taken = (await ok(await asset())).code;
    const dup = `${head},code\n甲,${classA02},${cat['办公设备'].id},${dept.id},10.00,2020-01-01,x,ZCDUP${uniq()}\n乙,${classA02},${cat['办公设备'].id},${dept.id},10.00,2020-01-01,x,${taken}\n`;
    r = await post(dup);
    b = await r.json();
    assert.equal(r.status, 422);
    assert.equal(b.rejected[0].row, 2);
    assert.equal(count(), before + 1);
    const t0 = Date.now();
    r = await post(rows(false));
    b = await r.json();
    assert.ok(r.status === 200 || r.status === 201, JSON.stringify(b).slice(0, 300));
    assert.equal(b.inserted, 20000);
    assert.equal(count(), before + 1 + 20000);
    const [v, code] = sql(`SELECT original_value_fen || ' ' || code FROM assets WHERE name = '导入资产10'`).split(' ');
    assert.equal(Number(v), 101050, 'yuan in a column headed with its unit');
    assert.match(code, /^ZC20\d\d-\d{6}$/);
    console.log(`# 20,000 rows imported in ${Date.now() - t0} ms`);
});

test('bulk edit: all or nothing, each refusal listed, out of scope refused', async () => {
    const a = await ok(await asset()), b = await ok(await asset()), c = await ok(await asset());
    let r = await admin.post('/api/v1/assets/bulk', { ids: [a.id, b.id, c.id], set: { status: 'idle', department_id: dept2.id, note: '集中存放' } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.updated, 3);
    for (const x of [a, b, c]) {
        const g = (await admin.get(`/api/v1/assets/${x.id}`)).body;
        assert.deepEqual([g.status, g.department_id, g.note], ['idle', dept2.id, '集中存放']);
    }
    // one disposed asset among them: nothing changes, its refusal is named
    sql(`UPDATE assets SET status = 'disposed', disposed_on = '2024-01-05' WHERE id = ${c.id}`);
    const audits = Number(sql('SELECT COUNT(*) FROM audit_entries'));
    r = await admin.post('/api/v1/assets/bulk', { ids: [a.id, b.id, c.id], set: { condition: 'poor' } });
    assert.equal(r.status, 422, r.text);
    assert.equal(r.body.key, 'assets.bulk.rejected');
    assert.deepEqual(r.body.rejected.map((x) => [x.id, x.key]), [[c.id, 'assets.asset.disposed']]);
    assert.equal((await admin.get(`/api/v1/assets/${a.id}`)).body.condition, 'good');
    assert.equal(Number(sql('SELECT COUNT(*) FROM audit_entries')), audits, 'nothing audited');
    // a status only an action sets, a field not for bulk, too many ids
    r = await admin.post('/api/v1/assets/bulk', { ids: [a.id], set: { status: 'lent' } });
    assert.equal(r.status, 422);
    assert.equal(r.body.rejected[0].key, 'assets.asset.status_by_action');
    problem(assert, await admin.post('/api/v1/assets/bulk', { ids: [a.id], set: { original_value_fen: 1 } }), 422, 'BUR-201', ['set']);
    problem(assert, await admin.post('/api/v1/assets/bulk', { ids: Array.from({ length: 1001 }, (_, i) => i + 1), set: { note: 'x' } }), 422, 'BUR-201', ['ids']);

    // a keeper of one department: another department's asset is out of scope
    const role = await ok(await admin.post('/api/v1/roles', {
        code: `askeep_${uniq()}`, name: '部门资产员', permissions: { assets: { read: 'department', update: 'department' } }, hidden_fields: {},
    }));
    const p = await ok(await admin.post('/api/v1/people', { name: '资产员', department_id: dept.id }));
    const u = await ok(await admin.post('/api/v1/users', { username: `askeep${uniq()}`, display_name: '资产员', role_id: role.id, person_id: p.id }));
    await admin.post(`/api/v1/users/${u.id}/reset_password`, { password: 'Keeper-Temp-2026x' });
    const k = await m.signInChanging(srv.url, { username: u.username, password: 'Keeper-Temp-2026x', newPassword: 'Keeper-Real-2026y' });
    const mine = await ok(await asset({ department_id: dept.id }));
    r = await k.post('/api/v1/assets/bulk', { ids: [mine.id, a.id], set: { note: '越权' } });
    assert.equal(r.status, 422, r.text);
    assert.deepEqual(r.body.rejected.map((x) => [x.id, x.status]), [[a.id, 404]]);
    assert.equal((await admin.get(`/api/v1/assets/${mine.id}`)).body.note, null);
    // moving one's own asset to another department is refused too
    r = await k.post('/api/v1/assets/bulk', { ids: [mine.id], set: { department_id: dept2.id } });
    assert.equal(r.status, 422);
    assert.equal(r.body.rejected[0].status, 403);
    r = await k.post('/api/v1/assets/bulk', { ids: [mine.id], set: { note: '本处' } });
    assert.equal(r.status, 200, r.text);
    // the keeper's report covers the department only
    const rep = await ok(await k.get('/api/v1/assets/report?by=department'));
    assert.deepEqual(rep.groups.map((g) => g.key), [String(dept.id)]);
});

test('labels: the QR code holds the asset code; a sheet in one answer', async () => {
    const a = await ok(await asset());
    const r = await admin.fetch(`/api/v1/assets/${a.id}/qr.svg`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'image/svg+xml');
    const svg = await r.text();
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 (\d+) \1"/);
    // version 1 (21 modules + 8 quiet) or 2 (25 + 8) for a 13-character code at level M
    assert.ok(/viewBox="0 0 (29|33) /.test(svg), svg.slice(0, 120));
    const l = await ok(await admin.get(`/api/v1/assets/labels?ids=${a.id},99999999`));
    assert.equal(l.items.length, 1);
    assert.equal(l.missing, 1);
    assert.equal(l.items[0].code, a.code);
    assert.equal(l.items[0].department, dept.name);
    assert.equal(l.items[0].qr_svg, svg);
    problem(assert, await admin.get('/api/v1/assets/labels?ids=1,x'), 400, 'BUR-102', ['ids']);
    assert.equal((await admin.fetch('/api/v1/assets/99999999/qr.svg')).status, 404);
});

test('my assets, the custodian\'s scope, the card and permissions', async () => {
    const p = await ok(await admin.post('/api/v1/people', { name: '保管人', department_id: dept.id }));
    const staffRole = (await admin.get('/api/v1/roles?code=staff')).body.items[0];
    const u = await ok(await admin.post('/api/v1/users', { username: `baoguan${uniq()}`, display_name: '保管人', role_id: staffRole.id, person_id: p.id }));
    await admin.post(`/api/v1/users/${u.id}/reset_password`, { password: 'Staff-Temp-2026x' });
    const s = await m.signInChanging(srv.url, { username: u.username, password: 'Staff-Temp-2026x', newPassword: 'Staff-Real-2026y' });
    const a = await ok(await asset({ custodian_id: p.id }));
    const other = await ok(await asset());
    const mine = await ok(await s.get('/api/v1/assets/mine'));
    assert.equal(mine.person_id, p.id);
    assert.deepEqual(mine.items.map((i) => i.code), [a.code]);
    assert.equal(mine.items[0].department, dept.name);
    // the custodian reads theirs (its label too), nothing else, and changes nothing
    assert.equal((await s.get(`/api/v1/assets/${a.id}`)).status, 200);
    assert.equal((await s.fetch(`/api/v1/assets/${a.id}/qr.svg`)).status, 200);
    assert.equal((await s.get(`/api/v1/assets/${other.id}`)).status, 404);
    assert.deepEqual((await s.get('/api/v1/assets')).body.items.map((i) => i.id), [a.id]);
    problem(assert, await s.patch(`/api/v1/assets/${a.id}`, { note: 'x' }), 403, 'BUR-302');
    problem(assert, await s.post('/api/v1/assets/bulk', { ids: [a.id], set: { note: 'x' } }), 403, 'BUR-302');
    problem(assert, await s.get('/api/v1/assets/report.xlsx'), 403, 'BUR-302');
    // anonymous callers
    const anon = m.client(srv.url);
    assert.equal((await anon.get('/api/v1/assets/report')).status, 401);
    assert.equal((await anon.get('/api/v1/assets/mine')).status, 401);
    // the dashboard card: the leader's figures
    const card = (await ok(await admin.get('/api/v1/summary/assets'))).cards.find((c) => c.id === 'assets');
    const rep = await ok(await admin.get('/api/v1/assets/report?by=status'));
    assert.equal(card.assets, rep.total.count);
    assert.equal(card.net_fen, rep.total.net_fen);
    assert.equal(card.depreciation_month_fen, rep.total.monthly_fen);
    assert.equal(card.idle, (rep.groups.find((g) => g.key === 'idle') || { count: 0 }).count);
    const staffCard = (await ok(await s.get('/api/v1/summary/assets'))).cards.find((c) => c.id === 'assets');
    assert.equal(staffCard.assets, 1, 'a custodian\'s card counts their own');

});

test('a second tenant sees none of the first one\'s assets on any of these routes', async () => {
    const a = await ok(await asset({ code: `TEN${uniq()}` }));
    const code = `as-t2-${uniq()}`;
    const before = srv.stderr.length;
    await ok(await admin.post('/api/v1/tenants', { name: '第二区机关事务管理局', code }), 201);
    let pw = null;
    for (let i = 0; i < 50 && !pw; i++) {
        const found = /admin password: (\S+)/.exec(srv.stderr.slice(before));
        if (found) pw = found[1];
        else await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(pw, 'the new tenant\'s admin password is printed');
    const a2 = await m.signInChanging(srv.url, { username: 'admin', password: pw, newPassword: 'Second-tenant-2026-pw', tenant: code });
    assert.equal((await a2.get(`/api/v1/assets/${a.id}`)).status, 404);
    assert.equal((await a2.get(`/api/v1/assets/${a.id}/depreciation`)).status, 404);
    assert.equal((await a2.fetch(`/api/v1/assets/${a.id}/qr.svg`)).status, 404);
    assert.deepEqual((await ok(await a2.get(`/api/v1/assets/values?ids=${a.id}`))).items, []);
    const l = await ok(await a2.get(`/api/v1/assets/labels?ids=${a.id}`));
    assert.deepEqual([l.items.length, l.missing], [0, 1]);
    const rep = await ok(await a2.get('/api/v1/assets/report?by=category'));
    assert.equal(rep.total.count, 0);
    assert.ok((await ok(await a2.get('/api/v1/asset_categories?limit=100'))).items.some((c) => c.name === '计算机设备'), 'the new tenant has its own categories');
    const r = await a2.post('/api/v1/assets/bulk', { ids: [a.id], set: { note: '别人的' } });
    assert.equal(r.status, 422, r.text);
    assert.deepEqual(r.body.rejected.map((x) => [x.id, x.status, x.code]), [[a.id, 404, null]]);
    assert.equal((await admin.get(`/api/v1/assets/${a.id}`)).body.note, null);
    const card = (await ok(await a2.get('/api/v1/summary/assets'))).cards.find((c) => c.id === 'assets');
    assert.equal(card.assets, 0);
});
