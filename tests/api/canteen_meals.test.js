// SPDX-License-Identifier: MIT
// canteen_meals.test.js - menus, meal bookings and ratings on the demo
// district: one menu per canteen, day and meal; a diner books for themselves
// until the canteen's cut-off before the meal starts (one minute either side
// of it), once per meal, and cancels or books again under the same rule;
// the kitchen's forecast counts the bookings and the spends of each meal;
// only a meal the diner ate there (a spend) may be rated, within the
// rating_days setting, once; the ratings appear in the service desk's
// satisfaction statistics and its report; staff see only their own bookings
// and ratings and write no menus; a second tenant sees nothing.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, api, problem } = require('./lib/server');
const m = require('./lib/matrix');
const xlsx = require('./lib/xlsx');

const PW = 'Bureau-demo-2026';
let srv, admin, cm, staff, leader;
let offsetMin = 480, canteen, staffPerson, staffAccount, salesAccount;
const sql = (text) => m.sqlShell(srv, text).trim();
// the audit entries of the module's collections (other modules' jobs write their own meanwhile)
const audits = () => Number(sql("SELECT COUNT(*) FROM audit_entries WHERE collection IN ('menus', 'meal_bookings', 'meal_ratings', 'canteens', 'food_deliveries', 'food_samples', 'health_certificates', 'food_inspections', 'canteen_settings')"));
const day = (d = 0) => new Date(Date.now() + offsetMin * 60000 + d * 86400000).toISOString().slice(0, 10);
const hm = (min) => `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;

let spends = 0;
// a spend of the staff member's card at the test canteen (the ledger's own
// writer belongs to another part: the row is written as the ledger keeps it)
function spend(person, account, d, meal, canteenId = canteen.id) {
    const now = Math.floor(Date.now() / 1000);
    const k = `t-meals-${m.uniq()}-${++spends}`;
    sql(`INSERT INTO meal_transactions (tenant_id, version, created_at, updated_at, kind, account_id, person_id, debit_account_id, credit_account_id, amount_fen, delta_fen, balance_fen, canteen_id, meal, business_day, at, method, offline, idem_key) VALUES (1, 1, ${now}, ${now}, 'spend', ${account}, ${person}, ${account}, ${salesAccount}, 1200, -1200, 0, ${canteenId}, '${meal}', '${d}', ${now}, 'card', 0, '${k}')`);
}

before(async () => {
    srv = await startServer({ demo: true, args: ['--jobs-interval', '1'] });
    admin = api(srv.url);
    cm = api(srv.url, { username: 'canteen_manager', password: PW });
    staff = api(srv.url, { username: 'staff', password: PW });
    leader = api(srv.url, { username: 'leader', password: PW });
    for (const c of [cm, staff, leader]) await c.login();
    offsetMin = (await admin.get('/api/v1/tenants/1')).body.utc_offset_min;
    const code = `T${m.uniq().replace(/[^A-Za-z0-9]/g, '').slice(-10)}`;
    const r = await cm.post('/api/v1/canteens', { name: `测试食堂${code}`, code, booking_cutoff_min: 150 });
    assert.equal(r.status, 201, r.text);
    canteen = r.body;
    for (const [meal, s, e] of [['breakfast', '07:00', '08:30'], ['lunch', '11:30', '13:00'], ['dinner', '17:30', '19:00']]) {
        const p = await cm.post('/api/v1/meal_periods', { canteen_id: canteen.id, meal, starts: s, ends: e, price_fen: 1200, active: true });
        assert.equal(p.status, 201, p.text);
    }
    const su = (await admin.get('/api/v1/users?username=staff')).body.items[0];
    staffPerson = su.person_id;
    staffAccount = Number(sql(`SELECT id FROM meal_accounts WHERE tenant_id = 1 AND person_id = ${staffPerson}`));
    salesAccount = Number(sql(`SELECT id FROM meal_accounts WHERE tenant_id = 1 AND kind = 'canteen' AND canteen_id = ${canteen.id}`));
    assert.ok(staffAccount > 0 && salesAccount > 0);
});

after(async () => {
    if (srv) await srv.stop();
});

test('menus: one per canteen, day and meal; the manager writes them, staff read them and write none', async () => {
    const body = { canteen_id: canteen.id, day: day(3), meal: 'lunch', dishes: '红烧肉\n清炒时蔬\n番茄蛋汤', published: true };
    let r = await cm.post('/api/v1/menus', body);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.dishes.split('\n').length, 3);
    const n = audits();
    r = await cm.post('/api/v1/menus', { ...body, dishes: '宫保鸡丁' });
    problem(assert, r, 409, 'BUR-403');
    assert.equal(audits(), n, 'nothing written');
    r = await staff.get(`/api/v1/menus?canteen_id=${canteen.id}&day=${day(3)}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.items.length, 1);
    assert.equal(r.body.items[0].dishes, body.dishes);
    r = await staff.post('/api/v1/menus', { ...body, meal: 'dinner' });
    problem(assert, r, 403, 'BUR-302');
    // the demo canteens have menus for the past weeks and the next week
    const demo = await admin.all('menus', { day: day(1) });
    assert.ok(demo.length >= 12, `menus tomorrow for the demo canteens, got ${demo.length}`);
});

// Sets the test canteen's cut-off so that booking for the meal starting at
// `starts` on day `d` closes `ahead` minutes from now (negative: closed).
async function cutoffIn(d, starts, ahead) {
    const [y, mo, dd] = d.split('-').map(Number);
    const startMs = Date.UTC(y, mo - 1, dd) + (starts - offsetMin) * 60000;
    const min = Math.floor((startMs - Date.now()) / 60000) - ahead;
    const c = (await admin.get(`/api/v1/canteens/${canteen.id}`)).body;
    const r = await admin.patch(`/api/v1/canteens/${canteen.id}`, { booking_cutoff_min: min });
    assert.equal(r.status, 200, r.text);
    return startMs - min * 60000; // the cut-off instant
}

const localText = (ms) => new Date(ms + offsetMin * 60000).toISOString().slice(0, 16).replace('T', ' ');

test('bookings: open until the cut-off before the meal starts, closed from it, with the time; once per meal; cancel and book again under the same rule', async () => {
    const d = day(2);
    // one minute before the cut-off: open
    await cutoffIn(d, 11 * 60 + 30, 2);
    let r = await staff.post('/api/v1/meal_bookings', { canteen_id: canteen.id, day: d, meal: 'lunch' });
    assert.equal(r.status, 201, r.text);
    const b = r.body;
    assert.equal(b.person_id, staffPerson, 'booked for the caller');
    assert.equal(b.status, 'booked');
    assert.equal(b.count, 1);
    // a second booking for the same meal
    let n = audits();
    r = await staff.post('/api/v1/meal_bookings', { canteen_id: canteen.id, day: d, meal: 'lunch' });
    problem(assert, r, 409, 'BUR-403');
    assert.equal(audits(), n);
    // a meal the canteen does not serve
    r = await staff.post('/api/v1/meal_bookings', { canteen_id: canteen.id, day: d, meal: 'night' });
    problem(assert, r, 422, 'BUR-201', ['meal']);
    assert.equal(r.body.errors[0].key, 'canteen.booking.no_meal');
    // cancel while open, book again while open
    r = await staff.post(`/api/v1/meal_bookings/${b.id}/cancel`, {});
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.status, 'cancelled');
    r = await staff.post(`/api/v1/meal_bookings/${b.id}/rebook`, {});
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.status, 'booked');
    // the cut-off passed a minute ago: booking, cancelling and changing refused with the time
    const at = await cutoffIn(d, 11 * 60 + 30, -1);
    n = audits();
    r = await staff.post(`/api/v1/meal_bookings/${b.id}/cancel`, {});
    problem(assert, r, 409, 'BUR-408');
    assert.equal(r.body.key, 'canteen.booking.closed');
    assert.equal(r.body.params.cutoff, localText(at));
    r = await staff.post('/api/v1/meal_bookings', { canteen_id: canteen.id, day: d, meal: 'dinner' });
    const dinnerOpen = r.status === 201; // dinner starts 6 h later: still open
    assert.ok(dinnerOpen, r.text);
    const cur = (await staff.get(`/api/v1/meal_bookings/${b.id}`)).body;
    r = await staff.patch(`/api/v1/meal_bookings/${b.id}`, { count: 2 });
    problem(assert, r, 409, 'BUR-408');
    assert.equal(r.body.key, 'canteen.booking.closed');
    r = await admin.post('/api/v1/meal_bookings', { canteen_id: canteen.id, day: d, meal: 'breakfast', person_id: staffPerson });
    problem(assert, r, 409, 'BUR-408');
    assert.equal(audits(), n + 1, 'only the dinner booking written');
    assert.equal((await staff.get(`/api/v1/meal_bookings/${b.id}`)).body.status, 'booked');
    // a booking for a day gone by is closed too
    r = await staff.post('/api/v1/meal_bookings', { canteen_id: canteen.id, day: day(-1), meal: 'lunch' });
    problem(assert, r, 409, 'BUR-408');
    await cutoffIn(d, 11 * 60 + 30, 600);
});

test('staff book only for themselves and see only their own; the manager books for anyone', async () => {
    const d = day(4);
    const others = (await admin.all('meal_accounts', { kind: 'person' })).filter((a) => a.person_id && a.person_id !== staffPerson);
    const other = others[0].person_id;
    let r = await staff.post('/api/v1/meal_bookings', { canteen_id: canteen.id, day: d, meal: 'lunch', person_id: other });
    problem(assert, r, 403, 'BUR-302');
    r = await cm.post('/api/v1/meal_bookings', { canteen_id: canteen.id, day: d, meal: 'lunch', person_id: other, count: 3 });
    assert.equal(r.status, 201, r.text);
    const theirs = r.body;
    r = await staff.get(`/api/v1/meal_bookings/${theirs.id}`);
    assert.equal(r.status, 404);
    r = await staff.post(`/api/v1/meal_bookings/${theirs.id}/cancel`, {});
    assert.equal(r.status, 404);
    const mine = await staff.all('meal_bookings');
    assert.ok(mine.length >= 1);
    assert.ok(mine.every((x) => x.person_id === staffPerson), 'only their own');
    // the forecast is the kitchen's, not a diner's
    r = await staff.get('/api/v1/canteen/forecast');
    problem(assert, r, 403, 'BUR-302');
});

test('the forecast counts bookings (portions of booked ones) and spends of each meal', async () => {
    const d = day(5);
    const people = (await admin.all('meal_accounts', { kind: 'person' })).filter((a) => a.person_id).slice(0, 6);
    for (const [i, a] of people.entries()) {
        const r = await cm.post('/api/v1/meal_bookings', { canteen_id: canteen.id, day: d, meal: i < 4 ? 'lunch' : 'dinner', person_id: a.person_id, count: i === 0 ? 2 : 1 });
        assert.equal(r.status, 201, r.text);
        if (i === 3) assert.equal((await cm.post(`/api/v1/meal_bookings/${r.body.id}/cancel`, {})).status, 200);
    }
    // spends counted by the ledger's rows of that day and meal
    for (const a of people.slice(0, 3)) spend(a.person_id, a.id, d, 'lunch');
    spend(people[4].person_id, people[4].id, d, 'breakfast');
    const r = await cm.get(`/api/v1/canteen/forecast?canteen_id=${canteen.id}&from=${d}&to=${d}`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.items, [
        { canteen_id: canteen.id, day: d, meal: 'breakfast', booked: 0, served: 1 },
        { canteen_id: canteen.id, day: d, meal: 'lunch', booked: 4, served: 3 },
        { canteen_id: canteen.id, day: d, meal: 'dinner', booked: 2, served: 0 },
    ]);
    // the served figure is the table's own count
    assert.equal(Number(sql(`SELECT COUNT(*) FROM meal_transactions WHERE canteen_id = ${canteen.id} AND business_day = '${d}' AND meal = 'lunch' AND kind = 'spend'`)), 3);
    problem(assert, await cm.get(`/api/v1/canteen/forecast?from=${d}&to=${day(-1)}`), 400, 'BUR-102', ['to']);
    problem(assert, await cm.get('/api/v1/canteen/forecast?colour=red'), 400, 'BUR-102');
    // the demo's bookings for the next days
    const all = await cm.get(`/api/v1/canteen/forecast?from=${day(1)}&to=${day(3)}`);
    assert.ok(all.body.items.some((x) => x.booked > 0), 'demo bookings in the forecast');
});

test('ratings: only a meal eaten there, within rating_days, once; staff rate only for themselves', async () => {
    const d = day(-1);
    let r = await staff.post('/api/v1/meal_ratings', { canteen_id: canteen.id, day: d, meal: 'lunch', score: 5 });
    problem(assert, r, 409, 'BUR-408');
    assert.equal(r.body.key, 'canteen.rating.not_eaten');
    spend(staffPerson, staffAccount, d, 'lunch');
    // a spend at dinner does not make lunch rateable, nor another canteen's
    r = await staff.post('/api/v1/meal_ratings', { canteen_id: canteen.id, day: d, meal: 'dinner', score: 5 });
    problem(assert, r, 409, 'BUR-408');
    r = await staff.post('/api/v1/meal_ratings', { canteen_id: canteen.id, day: d, meal: 'lunch', score: 4, comment: '红烧肉很好吃' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.person_id, staffPerson);
    r = await staff.post('/api/v1/meal_ratings', { canteen_id: canteen.id, day: d, meal: 'lunch', score: 2 });
    problem(assert, r, 409, 'BUR-403');
    r = await staff.post('/api/v1/meal_ratings', { canteen_id: canteen.id, day: d, meal: 'lunch', score: 6 });
    problem(assert, r, 422, 'BUR-201', ['score']);
    // the window: rating_days (7) after the meal, not 8; not a day to come
    const old = day(-8), edge = day(-7);
    spend(staffPerson, staffAccount, old, 'lunch');
    spend(staffPerson, staffAccount, edge, 'lunch');
    r = await staff.post('/api/v1/meal_ratings', { canteen_id: canteen.id, day: old, meal: 'lunch', score: 3 });
    problem(assert, r, 422, 'BUR-201', ['day']);
    assert.equal(r.body.errors[0].key, 'canteen.rating.window');
    assert.equal(r.body.errors[0].params.days, 7);
    r = await staff.post('/api/v1/meal_ratings', { canteen_id: canteen.id, day: edge, meal: 'lunch', score: 3 });
    assert.equal(r.status, 201, r.text);
    r = await staff.post('/api/v1/meal_ratings', { canteen_id: canteen.id, day: day(1), meal: 'lunch', score: 3 });
    problem(assert, r, 422, 'BUR-201', ['day']);
    // for somebody else
    const other = (await admin.all('meal_accounts', { kind: 'person' })).find((a) => a.person_id && a.person_id !== staffPerson);
    spend(other.person_id, other.id, d, 'lunch');
    r = await staff.post('/api/v1/meal_ratings', { canteen_id: canteen.id, day: d, meal: 'lunch', score: 1, person_id: other.person_id });
    problem(assert, r, 403, 'BUR-302');
    const mine = await staff.all('meal_ratings');
    assert.ok(mine.every((x) => x.person_id === staffPerson));
});

test('ratings feed the service desk satisfaction statistics and report', async () => {
    const from = day(-30), to = day(0);
    const before = (await admin.get(`/api/v1/servicedesk/stats?by=month&from=${from}&to=${to}`)).body.sources.find((s) => s.source === 'canteen');
    assert.ok(before, 'the canteen source is listed');
    const d = day(-2);
    const people = (await admin.all('meal_accounts', { kind: 'person' })).filter((a) => a.person_id).slice(10, 13);
    // three ratings 5, 4, 1 by the manager for three diners who ate
    for (const [i, a] of people.entries()) {
        spend(a.person_id, a.id, d, 'dinner');
        const r = await cm.post('/api/v1/meal_ratings', { canteen_id: canteen.id, day: d, meal: 'dinner', score: [5, 4, 1][i], person_id: a.person_id });
        assert.equal(r.status, 201, r.text);
    }
    const all = (await admin.all('meal_ratings')).filter((x) => x.day >= from && x.day <= to);
    const sat = all.filter((x) => x.score >= 4).length;
    const sum = all.reduce((t, x) => t + x.score, 0);
    const st = await admin.get(`/api/v1/servicedesk/stats?by=month&from=${from}&to=${to}`);
    assert.equal(st.status, 200, st.text);
    const src = st.body.sources.find((s) => s.source === 'canteen');
    assert.equal(src.zh, '食堂就餐');
    assert.equal(src.rated, all.length);
    assert.equal(src.rated, before.rated + 3);
    assert.equal(src.satisfaction_pct, Math.round((sat * 1000) / all.length) / 10);
    assert.equal(src.avg_score, Math.round((sum * 10) / all.length) / 10);
    const rep = await admin.get(`/api/v1/servicedesk/report?from=${from}&to=${to}`);
    assert.equal(rep.status, 200, rep.text);
    assert.deepEqual(rep.body.sources.find((s) => s.source === 'canteen'), src);
    // the workbook's sheet of the other sources: the same figures
    const x = await admin.fetch(`/api/v1/servicedesk/report.xlsx?from=${from}&to=${to}`);
    assert.equal(x.status, 200);
    const rows = xlsx.read(Buffer.from(await x.arrayBuffer())).sheets.get('其他满意度').rows;
    assert.deepEqual(rows[0].map((c) => c.value), ['来源', '评价数', '平均分', '满意度%']);
    const row = rows.find((r) => r[0] && r[0].value === '食堂就餐');
    assert.ok(row, 'the canteen row');
    assert.deepEqual(row.slice(1).map((c) => c.value), [src.rated, src.avg_score, src.satisfaction_pct]);
});

test('a second tenant sees nothing of menus, bookings and ratings', async () => {
    const code = `m${m.uniq()}`.replace(/[^a-z0-9]/gi, '').slice(0, 16).toLowerCase();
    const t = await admin.post('/api/v1/tenants', { name: '又一区机关事务管理局', code });
    assert.equal(t.status, 201, t.text);
    await new Promise((r) => setTimeout(r, 200));
    const pm = /admin password: (\S+)/.exec(srv.stderr.slice(-4000));
    const a2 = await m.signInChanging(srv.url, { username: 'admin', password: pm ? pm[1] : '', newPassword: 'Second-tenant-2026-pw', tenant: code });
    for (const coll of ['menus', 'meal_bookings', 'meal_ratings']) {
        const r = await a2.get(`/api/v1/${coll}`);
        assert.equal(r.status, 200, r.text);
        assert.equal(r.body.items.length, 0, coll);
    }
    const r = await a2.get(`/api/v1/canteen/forecast?from=${day(-30)}&to=${day(30)}`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.items, []);
    const menu = (await admin.all('menus'))[0];
    assert.equal((await a2.get(`/api/v1/menus/${menu.id}`)).status, 404);
    const p = await a2.post('/api/v1/meal_bookings', { canteen_id: canteen.id, day: day(9), meal: 'lunch', person_id: 1 });
    assert.ok([404, 409, 422].includes(p.status), p.text);
});
