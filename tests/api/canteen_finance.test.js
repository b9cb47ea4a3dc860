// SPDX-License-Identifier: MIT
// canteen_finance.test.js - the canteens' money end to end on the demo
// district: the demo ledger's invariants (every balance the sum of its
// entries, none below zero, a posted subsidy run for each past month that
// the rules agree with); the subsidy run (posting again pays nothing, a
// fixed rule pays only the difference, a lowered one takes it back, a
// future month refused, nobody below section level paid); the
// reconciliation of a month and of a day (its totals the sums of the
// entries, JSON and XLSX); the manager's day view; a card's statement
// (opening + entries = closing; a holder reads only their own); the
// dashboard card; who may do what.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, api, problem } = require('./lib/server');
const m = require('./lib/matrix');
const xlsx = require('./lib/xlsx');

const PW = 'Bureau-demo-2026';
let srv, admin, cm, staff, leader, auditor;
let offsetMin = 480;
const sql = (text) => m.sqlShell(srv, text).trim();
const num = (text) => Number(sql(text));

const localDay = (days = 0) => new Date(Date.now() + offsetMin * 60000 + days * 86400000).toISOString().slice(0, 10);
function monthOf(delta) {
    const d = new Date(Date.now() + offsetMin * 60000);
    const x = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + delta, 1));
    return x.toISOString().slice(0, 7);
}
function monthEnd(mon) {
    const [y, mo] = mon.split('-').map(Number);
    return new Date(Date.UTC(y, mo, 0)).toISOString().slice(0, 10);
}

function refused(r, status, key, field) {
    const code = status === 409 ? 'BUR-408' : status === 403 ? 'BUR-302' : status === 400 ? 'BUR-102' : 'BUR-201';
    problem(assert, r, status, code, field ? [field] : undefined);
    const item = field ? r.body.errors.find((e) => e.field === field) : r.body;
    assert.equal(item.key, key, m.show(r));
}

before(async () => {
    srv = await startServer({ demo: true });
    admin = api(srv.url);
    cm = api(srv.url, { username: 'canteen_manager', password: PW });
    staff = api(srv.url, { username: 'staff', password: PW });
    leader = api(srv.url, { username: 'leader', password: PW });
    auditor = api(srv.url, { username: 'auditor', password: PW });
    offsetMin = (await admin.get('/api/v1/tenants/1')).body.utc_offset_min;
    for (const c of [cm, staff, leader, auditor]) await c.login();
});

after(async () => {
    if (srv) await srv.stop();
});

test('the demo ledger: balances are the entries, none negative, a subsidy run a past month', async () => {
    const entries = num('SELECT COUNT(*) FROM meal_transactions');
    assert.ok(entries > 100000, `${entries} entries`);
    assert.equal(num('SELECT COUNT(*) FROM meal_accounts a LEFT JOIN (SELECT acc, SUM(v) AS s FROM (SELECT credit_account_id AS acc, amount_fen AS v FROM meal_transactions UNION ALL SELECT debit_account_id, -amount_fen FROM meal_transactions) u GROUP BY acc) x ON x.acc = a.id WHERE a.balance_fen <> COALESCE(x.s, 0)'), 0, 'every cached balance (the ledger\'s own accounts too) is credits − debits');
    assert.equal(num("SELECT COUNT(*) FROM meal_accounts WHERE kind = 'person' AND balance_fen < 0"), 0);
    assert.equal(num('SELECT COUNT(*) FROM meal_transactions WHERE balance_fen < 0'), 0);
    // each entry's balance after is the running sum of the card's entries
    const acct = num("SELECT account_id FROM meal_transactions WHERE kind = 'spend' GROUP BY account_id ORDER BY COUNT(*) DESC LIMIT 1");
    const rows = sql(`SELECT delta_fen, balance_fen FROM meal_transactions WHERE account_id = ${acct} ORDER BY at, id`).split('\n').map((l) => l.split('|').map(Number));
    let bal = 0;
    for (const [d, b] of rows) {
        bal += d;
        assert.equal(b, bal);
    }
    assert.ok(num('SELECT COUNT(*) FROM meal_transactions WHERE offline = 1 AND reader_seq IS NOT NULL') > 0, 'offline entries with their sequence numbers');
    assert.ok(num("SELECT COUNT(*) FROM meal_transactions WHERE kind = 'refund' AND reverses_id IS NOT NULL") > 0, 'refunds naming their spends');
    assert.equal(num("SELECT COUNT(*) FROM meal_transactions r, meal_transactions s WHERE r.kind = 'refund' AND s.id = r.reverses_id AND (s.kind <> 'spend' OR s.amount_fen < r.amount_fen)"), 0);
    const last = monthOf(-1);
    assert.equal(sql(`SELECT status FROM meal_subsidy_runs WHERE month = '${monthOf(-2)}'`), 'posted');
    // what the demo paid is what the rules make due: nothing left to post
    const p = await cm.get(`/api/v1/meal_subsidy_runs/preview?month=${monthOf(-2)}`);
    assert.equal(p.status, 200, p.text);
    assert.equal(p.body.totals.diff_fen, 0, JSON.stringify(p.body.totals));
    assert.ok(p.body.totals.due_fen > 0 && p.body.totals.people > 0);
    assert.ok(p.body.working_days >= 15 && p.body.working_days <= 23, `${p.body.working_days} working days`);
    assert.equal(p.body.totals.paid_fen, num(`SELECT SUM(delta_fen) FROM meal_transactions WHERE kind = 'subsidy' AND subsidy_month = '${monthOf(-2)}'`));
    assert.ok(last);
});

test('subsidy rules: seeded from 副科级 up, none below section level', async () => {
    const rules = await cm.all('meal_subsidy_rules');
    const ranks = await cm.all('ranks');
    const level = (await admin.get('/api/v1/tenants/1')).body.admin_level;
    const mine = ranks.filter((r) => r.level === level);
    const covered = new Set(rules.map((r) => r.rank_id));
    for (const r of mine) assert.equal(covered.has(r.id), !r.code.startsWith('below_'), `${r.name}`);
    for (const r of rules) {
        assert.equal(r.basis, 'per_day');
        assert.ok(r.amount_fen > 0);
        assert.match(r.note, /自行确定/);
    }
    // nobody of a rank below section level was ever paid a subsidy
    assert.equal(num("SELECT COUNT(*) FROM meal_transactions t, people p, ranks r WHERE t.kind = 'subsidy' AND p.id = t.person_id AND r.id = p.rank_id AND r.code LIKE 'below%'"), 0);
    const p = await cm.get(`/api/v1/meal_subsidy_runs/preview?month=${monthOf(-1)}`);
    const below = new Set(ranks.filter((r) => r.code.startsWith('below_')).map((r) => r.id));
    const low = p.body.items.filter((i) => below.has(i.rank_id));
    assert.ok(low.length > 100, `${low.length} cards below section level`);
    assert.ok(low.some((i) => i.days_eaten > 0), 'some of them eat in the canteens');
    for (const i of low) {
        assert.equal(i.due_fen, 0);
        assert.equal(i.reason, 'no_rule');
    }
    // a rule's validity ends after it starts
    const bad = await cm.post('/api/v1/meal_subsidy_rules', { rank_id: mine[0].id, basis: 'monthly', amount_fen: 100, valid_from: '2026-02-01', valid_to: '2026-01-01' });
    refused(bad, 422, 'field.after_start', 'valid_to');
});

test('the subsidy run: posting again pays nothing; a fixed rule pays only the difference; a future month refused', async () => {
    const mon = monthOf(-1);
    let run = (await cm.get(`/api/v1/meal_subsidy_runs?month=${mon}`)).body.items[0];
    if (!run) {
        const c = await cm.post('/api/v1/meal_subsidy_runs', { month: mon });
        assert.equal(c.status, 201, c.text);
        run = c.body;
    }
    const subsidies = () => num(`SELECT COUNT(*) FROM meal_transactions WHERE kind = 'subsidy' AND subsidy_month = '${mon}'`);
    const paid = () => num(`SELECT COALESCE(SUM(delta_fen), 0) FROM meal_transactions WHERE kind = 'subsidy' AND subsidy_month = '${mon}'`);
    let r = await cm.post(`/api/v1/meal_subsidy_runs/${run.id}/post`, {});
    assert.equal(r.status, 200, r.text);
    const n0 = subsidies(), p0 = paid();
    assert.equal(r.body.status, 'posted');
    assert.equal(r.body.due_fen, p0, 'after a run the month paid what is due');
    const audits = () => num(`SELECT COUNT(*) FROM audit_entries WHERE collection = 'meal_subsidy_runs' AND record_id = ${run.id}`);
    const a0 = audits();
    r = await cm.post(`/api/v1/meal_subsidy_runs/${run.id}/post`, {});
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.entries, 0);
    assert.equal(r.body.posted_fen, 0);
    assert.equal(subsidies(), n0, 'posting again pays nothing twice');
    assert.equal(paid(), p0);
    assert.equal(audits(), a0 + 1, 'one audit entry a run');
    // a rule raised by 1.00 a day: the difference, once
    const rules = await cm.all('meal_subsidy_rules');
    const pre = await cm.get(`/api/v1/meal_subsidy_runs/preview?month=${mon}`);
    const byRule = new Map();
    for (const i of pre.body.items) if (i.rule_id && i.reason === 'ok') byRule.set(i.rule_id, (byRule.get(i.rule_id) || 0) + i.days_paid);
    const rule = rules.filter((k) => byRule.get(k.id) > 0).sort((a, b) => byRule.get(b.id) - byRule.get(a.id))[0];
    assert.ok(rule, 'a rule that pays someone');
    const days = byRule.get(rule.id);
    let u = await cm.patch(`/api/v1/meal_subsidy_rules/${rule.id}`, { amount_fen: rule.amount_fen + 100 });
    assert.equal(u.status, 200, u.text);
    const pv = await cm.get(`/api/v1/meal_subsidy_runs/preview?month=${mon}`);
    assert.equal(pv.body.totals.diff_fen, days * 100);
    r = await cm.post(`/api/v1/meal_subsidy_runs/${run.id}/post`, {});
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.posted_fen, days * 100);
    assert.equal(paid(), p0 + days * 100);
    const n1 = subsidies();
    r = await cm.post(`/api/v1/meal_subsidy_runs/${run.id}/post`, {});
    assert.equal(r.body.posted_fen, 0);
    assert.equal(subsidies(), n1);
    // lowered back: negative corrections take exactly that back
    u = await cm.patch(`/api/v1/meal_subsidy_rules/${rule.id}`, { amount_fen: rule.amount_fen });
    assert.equal(u.status, 200, u.text);
    r = await cm.post(`/api/v1/meal_subsidy_runs/${run.id}/post`, {});
    assert.equal(r.body.posted_fen, -days * 100);
    assert.equal(paid(), p0);
    assert.ok(num(`SELECT COUNT(*) FROM meal_transactions WHERE kind = 'subsidy' AND subsidy_month = '${mon}' AND delta_fen < 0`) > 0);
    assert.equal(num(`SELECT COUNT(*) FROM (SELECT idem_key FROM meal_transactions GROUP BY idem_key HAVING COUNT(*) > 1) d`), 0);
    // the ledger still adds up
    assert.equal(num("SELECT COUNT(*) FROM meal_accounts a LEFT JOIN (SELECT account_id, SUM(delta_fen) AS s FROM meal_transactions GROUP BY account_id) x ON x.account_id = a.id WHERE a.kind = 'person' AND a.balance_fen <> COALESCE(x.s, 0)"), 0);
    // a future month: refused at creation, nothing written
    const f = await cm.post('/api/v1/meal_subsidy_runs', { month: monthOf(1) });
    refused(f, 422, 'canteen.subsidy.future_month', 'month');
    assert.equal(num(`SELECT COUNT(*) FROM meal_subsidy_runs WHERE month = '${monthOf(1)}'`), 0);
    // this month: begun, so it may run
    const cur = await cm.post('/api/v1/meal_subsidy_runs', { month: monthOf(0) });
    assert.equal(cur.status, 201, cur.text);
    const dup = await cm.post('/api/v1/meal_subsidy_runs', { month: monthOf(0) });
    assert.equal(dup.status, 409, dup.text);
    assert.equal(dup.body.errors[0].key, 'field.unique');
    // who may: not the staff
    assert.equal((await staff.post(`/api/v1/meal_subsidy_runs/${run.id}/post`, {})).status, 403);
    assert.equal((await staff.get(`/api/v1/meal_subsidy_runs/preview?month=${mon}`)).status, 403);
    assert.equal((await leader.post(`/api/v1/meal_subsidy_runs/${run.id}/post`, {})).status, 403);
});

test('reconciliation: a month and a day, every total the sum of the entries; XLSX for finance', async () => {
    const mon = monthOf(-1), from = `${mon}-01`, to = monthEnd(mon);
    const t0 = Date.now();
    const r = await cm.get(`/api/v1/canteen/reconciliation?month=${mon}`);
    const ms = Date.now() - t0;
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.from, from);
    assert.equal(r.body.to, to);
    const range = `business_day >= '${from}' AND business_day <= '${to}'`;
    const [sc, sf] = sql(`SELECT COUNT(*), SUM(amount_fen) FROM meal_transactions WHERE kind = 'spend' AND ${range}`).split('|').map(Number);
    const [rc, rf] = sql(`SELECT COUNT(*), COALESCE(SUM(amount_fen), 0) FROM meal_transactions WHERE kind = 'refund' AND ${range}`).split('|').map(Number);
    const [oc, of] = sql(`SELECT COUNT(*), COALESCE(SUM(amount_fen), 0) FROM meal_transactions WHERE kind = 'spend' AND offline = 1 AND ${range}`).split('|').map(Number);
    const t = r.body.total;
    assert.deepEqual([t.spend_count, t.spend_fen, t.refund_count, t.refund_fen, t.net_fen, t.offline_count, t.offline_fen], [sc, sf, rc, rf, sf - rf, oc, of]);
    // canteens add up to the total, meals to their canteen, readers to their meal
    const keys = ['spend_count', 'spend_fen', 'refund_count', 'refund_fen', 'net_fen', 'offline_count', 'offline_fen'];
    const sum = (list) => Object.fromEntries(keys.map((k) => [k, list.reduce((s, x) => s + x[k], 0)]));
    assert.deepEqual(sum(r.body.canteens), Object.fromEntries(keys.map((k) => [k, t[k]])));
    assert.ok(r.body.canteens.length >= 10);
    for (const c of r.body.canteens) {
        assert.deepEqual(sum(c.meals), Object.fromEntries(keys.map((k) => [k, c[k]])), c.name);
        for (const mm of c.meals) assert.deepEqual(sum(mm.readers), Object.fromEntries(keys.map((k) => [k, mm[k]])));
        assert.equal(c.spend_fen, num(`SELECT SUM(amount_fen) FROM meal_transactions WHERE kind = 'spend' AND canteen_id = ${c.canteen_id} AND ${range}`));
    }
    assert.equal(r.body.tenant.subsidy.amount_fen, num(`SELECT COALESCE(SUM(delta_fen), 0) FROM meal_transactions WHERE kind = 'subsidy' AND ${range}`));
    assert.equal(r.body.tenant.topup.amount_fen, num(`SELECT COALESCE(SUM(delta_fen), 0) FROM meal_transactions WHERE kind = 'topup' AND ${range}`));
    assert.ok(r.body.tenant.topup.count > 0);
    console.log(`# reconciliation of ${mon}: ${sc + rc} entries in ${ms} ms (through HTTP)`);
    // one canteen's day
    const c = r.body.canteens[0];
    const day = sql(`SELECT MAX(business_day) FROM meal_transactions WHERE kind = 'spend' AND canteen_id = ${c.canteen_id} AND ${range}`);
    const d = await cm.get(`/api/v1/canteen/reconciliation?day=${day}&canteen_id=${c.canteen_id}`);
    assert.equal(d.status, 200, d.text);
    assert.equal(d.body.canteens.length, 1);
    assert.equal(d.body.total.spend_fen, num(`SELECT SUM(amount_fen) FROM meal_transactions WHERE kind = 'spend' AND canteen_id = ${c.canteen_id} AND business_day = '${day}'`));
    // bad parameters
    refused(await cm.get(`/api/v1/canteen/reconciliation?day=${day}&month=${mon}`), 400, 'canteen.reconciliation.period');
    refused(await cm.get('/api/v1/canteen/reconciliation?canteen_id=999999'), 400, 'canteen.reconciliation.canteen');
    assert.equal((await cm.get('/api/v1/canteen/reconciliation?month=2026-13')).status, 400);
    // the workbook: yuan as number cells
    const x = await auditor.fetch(`/api/v1/canteen/reconciliation.xlsx?month=${mon}`);
    assert.equal(x.status, 200);
    assert.match(x.headers.get('content-type'), /spreadsheetml/);
    const book = xlsx.read(Buffer.from(await x.arrayBuffer()));
    const sheet = [...book.sheets.values()][0];
    const totalRow = sheet.rows.find((row) => row && row[0] && row[0].value === '合计');
    assert.ok(totalRow, 'a total line');
    assert.equal(totalRow[4].type, 'n');
    assert.equal(totalRow[4].format, '#,##0.00');
    assert.equal(Math.round(Number(totalRow[4].value) * 100), sf);
    assert.equal(Math.round(Number(totalRow[7].value) * 100), sf - rf);
    assert.equal(sheet.cells.get('E1').value, '消费金额(元)');
    // staff: their own card only, never the reconciliation
    refused(await staff.get(`/api/v1/canteen/reconciliation?month=${mon}`), 403, 'canteen.reconciliation.scope');
    assert.equal((await staff.fetch(`/api/v1/canteen/reconciliation.xlsx?month=${mon}`)).status, 403);
});

test("the manager's day view: spends so far by meal and reader, diners, the same weekday last week", async () => {
    const c = num("SELECT canteen_id FROM meal_transactions WHERE kind = 'spend' GROUP BY canteen_id ORDER BY COUNT(*) DESC LIMIT 1");
    const day = sql(`SELECT MAX(business_day) FROM meal_transactions WHERE kind = 'spend' AND canteen_id = ${c} AND business_day < '${localDay()}'`);
    const r = await cm.get(`/api/v1/canteen/day?canteen_id=${c}&day=${day}`);
    assert.equal(r.status, 200, r.text);
    const where = `canteen_id = ${c} AND kind = 'spend' AND business_day = '${day}'`;
    assert.equal(r.body.total.amount_fen, num(`SELECT SUM(amount_fen) FROM meal_transactions WHERE ${where}`));
    assert.equal(r.body.total.diners, num(`SELECT COUNT(DISTINCT person_id) FROM meal_transactions WHERE ${where}`));
    assert.equal(r.body.meals.reduce((s, x) => s + x.count, 0), r.body.total.count);
    assert.equal(r.body.readers.reduce((s, x) => s + x.amount_fen, 0), r.body.total.amount_fen);
    const lw = r.body.compare_day;
    assert.equal(r.body.last_week.amount_fen, num(`SELECT COALESCE(SUM(amount_fen), 0) FROM meal_transactions WHERE canteen_id = ${c} AND kind = 'spend' AND business_day = '${lw}'`));
    assert.equal(new Date(lw).getUTCDay(), new Date(day).getUTCDay());
    refused(await cm.get('/api/v1/canteen/day'), 400, 'canteen.day.canteen');
    assert.equal((await staff.get(`/api/v1/canteen/day?canteen_id=${c}`)).status, 403);
});

test("a card's statement: opening + entries = closing; the holder's own only; XLSX", async () => {
    const mon = monthOf(-1);
    const acct = num("SELECT account_id FROM meal_transactions WHERE kind = 'spend' GROUP BY account_id ORDER BY COUNT(*) DESC LIMIT 1");
    const r = await cm.get(`/api/v1/meal_accounts/${acct}/statement?month=${mon}`);
    assert.equal(r.status, 200, r.text);
    const s = r.body;
    assert.ok(s.entries.length > 10);
    assert.equal(s.opening_fen + s.entries.reduce((a, e) => a + e.delta_fen, 0), s.closing_fen);
    assert.equal(s.entries[s.entries.length - 1].balance_fen, s.closing_fen);
    assert.equal(s.entries[0].balance_fen - s.entries[0].delta_fen, s.opening_fen);
    assert.equal(s.closing_fen - s.opening_fen, s.credits_fen - s.debits_fen);
    assert.equal(Object.values(s.totals).reduce((a, t) => a + t.delta_fen, 0), s.closing_fen - s.opening_fen);
    assert.equal(s.totals.spend.count, s.entries.filter((e) => e.kind === 'spend').length);
    for (const e of s.entries) assert.equal(e.business_day.slice(0, 7), mon);
    // staff: their own card
    const person = num("SELECT person_id FROM users WHERE tenant_id = 1 AND username = 'staff'");
    const own = num(`SELECT id FROM meal_accounts WHERE person_id = ${person}`);
    const mine = await staff.get(`/api/v1/meal_accounts/${own}/statement?month=${mon}`);
    assert.equal(mine.status, 200, mine.text);
    assert.equal(mine.body.person_id, person);
    assert.equal(mine.body.opening_fen + mine.body.entries.reduce((a, e) => a + e.delta_fen, 0), mine.body.closing_fen);
    const other = acct === own ? acct + 1 : acct;
    assert.equal((await staff.get(`/api/v1/meal_accounts/${other}/statement?month=${mon}`)).status, 404);
    assert.equal((await staff.fetch(`/api/v1/meal_accounts/${other}/statement.xlsx?month=${mon}`)).status, 404);
    const x = await staff.fetch(`/api/v1/meal_accounts/${own}/statement.xlsx?month=${mon}`);
    assert.equal(x.status, 200);
    const book = xlsx.read(Buffer.from(await x.arrayBuffer()));
    const sheet = book.sheets.get(mon);
    assert.ok(sheet, [...book.sheets.keys()].join());
    assert.equal(sheet.cells.get('B2').type, 'n');
    assert.equal(Math.round(Number(sheet.cells.get('B2').value) * 100), mine.body.opening_fen);
    const y = await cm.fetch(`/api/v1/meal_accounts/${acct}/statement.xlsx?month=${mon}`);
    const yb = xlsx.read(Buffer.from(await y.arrayBuffer()));
    const ys = yb.sheets.get(mon);
    const close = ys.rows.find((row) => row && row[0] && row[0].value === '期末余额(元)');
    assert.equal(close[1].format, '#,##0.00');
    assert.equal(Math.round(Number(close[1].value) * 100), s.closing_fen);
});

test('the dashboard card: today, the month against the last, subsidies, what the cards hold', async () => {
    const r = await leader.get('/api/v1/summary/canteen');
    assert.equal(r.status, 200, r.text);
    const card = r.body.cards.find((c) => c.id === 'canteen');
    assert.ok(card, r.text);
    assert.equal(card.balances_fen, num("SELECT SUM(balance_fen) FROM meal_accounts WHERE kind = 'person'"));
    assert.equal(card.sales_today_fen, num(`SELECT COALESCE(SUM(amount_fen), 0) FROM meal_transactions WHERE kind = 'spend' AND business_day = '${localDay()}'`));
    const mon = monthOf(-1);
    const range = `business_day >= '${mon}-01' AND business_day <= '${monthEnd(mon)}'`;
    assert.equal(card.sales_last_month_fen, num(`SELECT SUM(CASE WHEN kind = 'spend' THEN amount_fen ELSE -amount_fen END) FROM meal_transactions WHERE kind IN ('spend', 'refund') AND ${range}`));
    assert.ok(card.top_canteens.length === 3 && card.top_canteens[0].sales_fen >= card.top_canteens[1].sales_fen);
    assert.equal(card.labels.balances_fen.zh, '饭卡余额合计(应付职工)');
    const st = await staff.get('/api/v1/summary/canteen');
    assert.ok(!(st.body.cards || []).some((c) => c.id === 'canteen'), 'not for a card holder');
});
