// SPDX-License-Identifier: MIT
// canteen_ledger.test.js - the meal-card ledger end to end on the demo district: a top-up
// and a reader's spend, a replay answered with the original and the ledger unchanged, the
// same key with another amount refused; an unknown card, a frozen account, a spend over the
// balance, a negative top-up (ledger unchanged each time); 50 concurrent spends on one
// account never overdrawing; refunds up to the spend, reversals once; an offline batch
// applied once and answered the same on a repeat upload, the reader's clock drift recorded
// and corrected; a reader posting for another canteen refused; a person sees only their own
// account and transactions; another tenant sees nothing; the nightly check.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, api, problem } = require('./lib/server');
const m = require('./lib/matrix');

const PW = 'Bureau-demo-2026';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let srv, admin, cm, staff, liaison, readerA, readerB;
let canteenA, canteenB, rdA, rdB;
const sql = (text) => m.sqlShell(srv, text).trim();
const num = (text) => Number(sql(text));

function refused(r, status, key, field) {
    assert.equal(r.status, status, m.show(r));
    const item = field ? (r.body.errors || []).find((e) => e.field === field) : r.body;
    assert.ok(item, `no error on ${field}: ${m.show(r)}`);
    assert.equal(item.key, key, m.show(r));
    return item.params || {};
}

// The ledger of one account: [count, balance cached, balance from the entries].
function ledger(acct) {
    return [
        num(`SELECT COUNT(*) FROM meal_transactions WHERE account_id = ${acct}`),
        num(`SELECT balance_fen FROM meal_accounts WHERE id = ${acct}`),
        num(`SELECT COALESCE(SUM(CASE WHEN credit_account_id = ${acct} THEN amount_fen ELSE -amount_fen END), 0) FROM meal_transactions WHERE credit_account_id = ${acct} OR debit_account_id = ${acct}`),
    ];
}

// A fresh person with a meal card (and its number).
async function card(topup = 0) {
    const p = await admin.post('/api/v1/people', { name: `食客${m.uniq()}`, department_id: await deptId() });
    assert.equal(p.status, 201, p.text);
    const a = await cm.post('/api/v1/meal_accounts', { person_id: p.body.id });
    assert.equal(a.status, 201, a.text);
    if (topup) {
        const t = await cm.post('/api/v1/meal_transactions', { kind: 'topup', account_id: a.body.id, amount_fen: topup, method: 'cash' });
        assert.equal(t.status, 201, t.text);
    }
    return { id: a.body.id, card: a.body.card_no, person: p.body.id };
}
let dept;
async function deptId() {
    if (!dept) dept = (await admin.get('/api/v1/departments?limit=1')).body.items[0].id;
    return dept;
}

const key = () => `k-${m.uniq()}`;
const spend = (client, body, k = key()) => client.post('/api/v1/meal_transactions', { kind: 'spend', ...body }, { headers: { 'Idempotency-Key': k } });

before(async () => {
    srv = await startServer({ demo: true, args: ['--jobs-interval', '1'] });
    admin = api(srv.url);
    cm = api(srv.url, { username: 'canteen_manager', password: PW });
    staff = api(srv.url, { username: 'staff', password: PW });
    liaison = api(srv.url, { username: 'liaison', password: PW });
    for (const c of [cm, staff, liaison]) await c.login();
    const cs = (await cm.get('/api/v1/canteens?limit=2')).body.items;
    [canteenA, canteenB] = cs;
    rdA = (await cm.get(`/api/v1/meal_readers?canteen_id=${canteenA.id}&limit=1`)).body.items[0];
    rdB = (await cm.get(`/api/v1/meal_readers?canteen_id=${canteenB.id}&limit=1`)).body.items[0];
    assert.ok(rdA && rdB, 'the demo canteens have readers');
    const ta = await cm.post(`/api/v1/meal_readers/${rdA.id}/token`, {});
    assert.equal(ta.status, 201, ta.text);
    assert.match(ta.body.token, /^bur_/);
    readerA = api(srv.url, { token: ta.body.token });
    const tb = await cm.post(`/api/v1/meal_readers/${rdB.id}/token`, {});
    readerB = api(srv.url, { token: tb.body.token });
});

after(async () => {
    if (srv) await srv.stop();
});

test('a top-up, a reader\'s spend, a replay answered with the original and the ledger unchanged', async () => {
    const a = await card(5000);
    let r = await spend(readerA, { card_no: a.card, amount_fen: 1200 }, 'replay-1-' + a.id);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.balance_fen, 3800);
    assert.equal(r.body.delta_fen, -1200);
    assert.equal(r.body.replayed, false);
    const row = sql(`SELECT kind, canteen_id, reader_id, debit_account_id, method FROM meal_transactions WHERE id = ${r.body.id}`);
    const sales = num(`SELECT id FROM meal_accounts WHERE kind = 'canteen' AND canteen_id = ${canteenA.id}`);
    assert.equal(row, `spend|${canteenA.id}|${rdA.id}|${a.id}|card`);
    assert.equal(num(`SELECT credit_account_id FROM meal_transactions WHERE id = ${r.body.id}`), sales);
    const before_ = ledger(a.id);
    assert.deepEqual(before_, [2, 3800, 3800]);
    const audits = num("SELECT COUNT(*) FROM audit_entries WHERE collection = 'meal_transactions'");
    // the same key again: the original answer, nothing written
    const again = await spend(readerA, { card_no: a.card, amount_fen: 1200 }, 'replay-1-' + a.id);
    assert.equal(again.status, 200, again.text);
    assert.equal(again.body.id, r.body.id);
    assert.equal(again.body.balance_fen, 3800);
    assert.equal(again.body.replayed, true);
    assert.deepEqual(ledger(a.id), before_);
    assert.equal(num("SELECT COUNT(*) FROM audit_entries WHERE collection = 'meal_transactions'"), audits);
    // the key in the body works as the header does
    const body = await readerA.post('/api/v1/meal_transactions', { kind: 'spend', card_no: a.card, amount_fen: 1200, idem_key: 'replay-1-' + a.id });
    assert.equal(body.status, 200);
    assert.equal(body.body.id, r.body.id);
    // the same key with another amount: refused
    r = await spend(readerA, { card_no: a.card, amount_fen: 1300 }, 'replay-1-' + a.id);
    refused(r, 409, 'canteen.txn.key_reused', 'idem_key');
    // a spend without a key is refused
    r = await readerA.post('/api/v1/meal_transactions', { kind: 'spend', card_no: a.card, amount_fen: 100 });
    refused(r, 422, 'field.required', 'idem_key');
    assert.deepEqual(ledger(a.id), before_);
});

test('bad input: an unknown card, a frozen account, a spend over the balance, a negative top-up; ledger unchanged', async () => {
    const a = await card(1000);
    const l0 = ledger(a.id);
    refused(await spend(readerA, { card_no: 'FFFFFFFFFFFFFFFF', amount_fen: 100 }), 422, 'canteen.account.unknown', 'card_no');
    refused(await spend(readerA, { card_no: 'not a card', amount_fen: 100 }), 422, 'canteen.scan.format', 'card_no');
    refused(await spend(readerA, { qr: 'MC1:AAAAAAAAAAAAAAAAAAAA', amount_fen: 100 }), 422, 'canteen.account.unknown', 'qr');
    // over the balance: the figures
    let p = refused(await spend(readerA, { card_no: a.card, amount_fen: 1001 }), 409, 'canteen.balance.insufficient');
    assert.deepEqual([p.balance_fen, p.amount_fen, p.overdraft_fen], [1000, 1001, 0]);
    // negative and zero top-ups, zero spends
    refused(await cm.post('/api/v1/meal_transactions', { kind: 'topup', account_id: a.id, amount_fen: -500 }), 422, 'field.min', 'amount_fen');
    refused(await cm.post('/api/v1/meal_transactions', { kind: 'topup', account_id: a.id, amount_fen: 0 }), 422, 'field.min', 'amount_fen');
    refused(await spend(readerA, { card_no: a.card, amount_fen: -5 }), 422, 'field.min', 'amount_fen');
    // an adjustment needs its reason
    refused(await cm.post('/api/v1/meal_transactions', { kind: 'adjustment', account_id: a.id, delta_fen: 100 }), 422, 'field.required', 'note');
    // frozen: refused, and the balance stays
    let f = await cm.post(`/api/v1/meal_accounts/${a.id}/freeze`, { reason: '挂失' });
    assert.equal(f.status, 200, f.text);
    refused(await spend(readerA, { card_no: a.card, amount_fen: 100 }), 409, 'canteen.account.frozen');
    refused(await cm.post('/api/v1/meal_transactions', { kind: 'topup', account_id: a.id, amount_fen: 100 }), 409, 'canteen.account.frozen');
    assert.deepEqual(ledger(a.id), l0);
    f = await cm.post(`/api/v1/meal_accounts/${a.id}/unfreeze`, {});
    assert.equal(f.status, 200, f.text);
    // an overdraft setting lets a spend go that far below zero, no further
    const sid = num("SELECT id FROM canteen_settings WHERE tenant_id = 1 AND name = 'overdraft_fen' ORDER BY id DESC LIMIT 1");
    const s = await cm.patch(`/api/v1/canteen_settings/${sid}`, { value: 500 });
    assert.equal(s.status, 200, s.text);
    try {
        p = refused(await spend(readerA, { card_no: a.card, amount_fen: 1501 }), 409, 'canteen.balance.insufficient');
        assert.equal(p.overdraft_fen, 500);
        const ok = await spend(readerA, { card_no: a.card, amount_fen: 1500 });
        assert.equal(ok.status, 201, ok.text);
        assert.equal(ok.body.balance_fen, -500);
    } finally {
        await cm.patch(`/api/v1/canteen_settings/${sid}`, { value: 0 });
    }
    // an adjustment with its reason, and a closing only at zero
    const adj = await cm.post('/api/v1/meal_transactions', { kind: 'adjustment', account_id: a.id, delta_fen: 500, note: '补记' });
    assert.equal(adj.status, 201, adj.text);
    assert.equal(adj.body.balance_fen, 0);
    const t = await cm.post('/api/v1/meal_transactions', { kind: 'topup', account_id: a.id, amount_fen: 1 });
    refused(await cm.post(`/api/v1/meal_accounts/${a.id}/close`, {}), 409, 'canteen.account.balance_not_zero');
    assert.equal((await cm.post(`/api/v1/meal_transactions/${t.body.id}/reverse`, {})).status, 201);
    const c = await cm.post(`/api/v1/meal_accounts/${a.id}/close`, { reason: '调离' });
    assert.equal(c.status, 200, c.text);
    assert.equal(c.body.status, 'closed');
    refused(await cm.post('/api/v1/meal_transactions', { kind: 'topup', account_id: a.id, amount_fen: 100 }), 409, 'canteen.account.closed');
    const l = ledger(a.id);
    assert.equal(l[1], l[2]);
});

test('50 concurrent spends on one account never overdraw it', async () => {
    const a = await card(1000);
    const rs = await Promise.all(Array.from({ length: 50 }, () => spend(readerA, { card_no: a.card, amount_fen: 100 })));
    const ok = rs.filter((r) => r.status === 201);
    const no = rs.filter((r) => r.status === 409);
    assert.equal(ok.length, 10, rs.map((r) => r.status).join(','));
    assert.equal(no.length, 40);
    for (const r of no) assert.equal(r.body.key, 'canteen.balance.insufficient');
    assert.deepEqual(ledger(a.id), [11, 0, 0]);
    assert.equal(num(`SELECT MIN(balance_fen) FROM meal_transactions WHERE account_id = ${a.id}`), 0);
    // the balances after each spend are distinct: each saw the one before it
    assert.deepEqual(ok.map((r) => r.body.balance_fen).sort((x, y) => x - y), [0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
});

test('refunds up to what is left of the spend; a reversal once, of a top-up only', async () => {
    const a = await card(3000);
    const s = await spend(readerA, { card_no: a.card, amount_fen: 1500 });
    assert.equal(s.status, 201);
    let r = await cm.post(`/api/v1/meal_transactions/${s.body.id}/refund`, { amount_fen: 500, note: '菜品问题' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.balance_fen, 2000);
    const p = refused(await cm.post(`/api/v1/meal_transactions/${s.body.id}/refund`, { amount_fen: 1001 }), 409, 'canteen.refund.exceeds');
    assert.equal(p.left_fen, 1000);
    r = await cm.post(`/api/v1/meal_transactions/${s.body.id}/refund`, {});
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.amount_fen, 1000);
    assert.equal(r.body.balance_fen, 3000);
    refused(await cm.post(`/api/v1/meal_transactions/${s.body.id}/refund`, { amount_fen: 1 }), 409, 'canteen.refund.exceeds');
    const refundRow = sql(`SELECT debit_account_id, credit_account_id, reverses_id FROM meal_transactions WHERE id = ${r.body.id}`);
    const sales = num(`SELECT id FROM meal_accounts WHERE kind = 'canteen' AND canteen_id = ${canteenA.id}`);
    assert.equal(refundRow, `${sales}|${a.id}|${s.body.id}`);
    // reversals: of a spend refused (refund it), of a top-up once
    refused(await cm.post(`/api/v1/meal_transactions/${s.body.id}/reverse`, {}), 422, 'canteen.reversal.kind', 'reverses_id');
    const top = num(`SELECT id FROM meal_transactions WHERE account_id = ${a.id} AND kind = 'topup'`);
    r = await cm.post(`/api/v1/meal_transactions/${top}/reverse`, { note: '重复充值' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.delta_fen, -3000);
    assert.equal(r.body.balance_fen, 0);
    refused(await cm.post(`/api/v1/meal_transactions/${top}/reverse`, {}), 409, 'canteen.txn.reversed', 'reverses_id');
    const l = ledger(a.id);
    assert.equal(l[1], 0);
    assert.equal(l[2], 0);
    // only the canteen manager: staff and readers may not
    problem(assert, await staff.post(`/api/v1/meal_transactions/${s.body.id}/refund`, {}), 403, 'BUR-302');
    problem(assert, await readerA.post(`/api/v1/meal_transactions/${top}/reverse`, {}), 403, 'BUR-302');
});

test('an offline batch: applied once, a repeat answered the same, the clock drift recorded and corrected', async () => {
    const a = await card(10000);
    const b = await card(0);
    const now = Math.floor(Date.now() / 1000);
    const skew = 600; // the reader's clock is ten minutes behind
    const base = 900000 + Math.floor(Math.random() * 1e6);
    const at = (k) => new Date((now - skew - 3600 + k * 60) * 1000).toISOString();
    const entries = [
        { seq: base + 1, card: a.card, amount_fen: 800, at: at(1), meal: 'lunch' },
        { seq: base + 2, card: a.card, amount_fen: 700, at: at(2), meal: 'lunch' },
        { seq: base + 3, card: 'FFFFFFFFFFFFFFFE', amount_fen: 700, at: at(3) },
        { seq: base + 4, card: b.card, amount_fen: 100, at: at(4), meal: 'lunch' },
        { seq: base + 5, card: '??', amount_fen: 100, at: at(5) },
        { seq: base + 2, card: a.card, amount_fen: 700, at: at(2), meal: 'lunch' }, // twice in one upload
    ];
    const sent = new Date((now - skew) * 1000).toISOString();
    let r = await readerA.post('/api/v1/meal_transactions/batch', { reader: rdA.code, sent_at: sent, entries });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.applied, 2);
    assert.equal(r.body.duplicate, 1);
    assert.equal(r.body.refused, 3);
    assert.ok(Math.abs(r.body.drift_s - skew) <= 5, `drift ${r.body.drift_s}`);
    assert.equal(r.body.corrected, true);
    const res = r.body.results;
    assert.deepEqual(res.map((x) => x.result), ['applied', 'applied', 'refused', 'refused', 'refused', 'duplicate']);
    assert.equal(res[2].key, 'canteen.account.unknown');
    assert.equal(res[3].key, 'canteen.balance.insufficient');
    assert.equal(res[4].key, 'canteen.scan.format');
    assert.equal(res[5].id, res[1].id);
    assert.equal(res[1].balance_fen, 8500);
    // the reader: drift and last upload; each entry: the reader's time and the corrected one
    const rd = (await cm.get(`/api/v1/meal_readers/${rdA.id}`)).body;
    assert.ok(Math.abs(rd.drift_s - skew) <= 5);
    assert.ok(rd.last_seq >= base + 2);
    assert.ok(rd.last_seen_at);
    const row = sql(`SELECT at, reader_at, drift_s, offline, reader_seq FROM meal_transactions WHERE id = ${res[0].id}`).split('|').map(Number);
    assert.equal(row[1], now - skew - 3600 + 60);
    assert.equal(row[0], row[1] + row[2]);
    assert.deepEqual(row.slice(3), [1, base + 1]);
    assert.equal(num(`SELECT COUNT(*) FROM audit_entries WHERE collection = 'meal_readers' AND record_id = ${rdA.id} AND action = 'batch'`) >= 1, true);
    const l = ledger(a.id);
    // the same upload again: nothing applied twice, each answered with its original
    r = await readerA.post('/api/v1/meal_transactions/batch', { reader: rdA.code, sent_at: sent, entries });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.applied, 0);
    assert.equal(r.body.duplicate, 3);
    assert.deepEqual(r.body.results.filter((x) => x.result === 'duplicate').map((x) => x.id), [res[0].id, res[1].id, res[1].id]);
    assert.deepEqual(r.body.results.filter((x) => x.result === 'duplicate').map((x) => x.balance_fen), [9200, 8500, 8500]);
    assert.deepEqual(ledger(a.id), l);
    assert.equal(l[1], 8500);
    // within the tolerance the reader's time is taken as it is
    r = await readerA.post('/api/v1/meal_transactions/batch', { reader: rdA.code, sent_at: new Date().toISOString(), entries: [{ seq: base + 10, card: a.card, amount_fen: 100, at: at(10) }] });
    assert.equal(r.body.corrected, false);
    assert.equal(num(`SELECT at - reader_at FROM meal_transactions WHERE id = ${r.body.results[0].id}`), 0);
    // without an amount: the price of the meal then served
    const price = num(`SELECT price_fen FROM meal_periods WHERE canteen_id = ${canteenA.id} AND meal = 'lunch' AND active = 1 LIMIT 1`);
    r = await readerA.post('/api/v1/meal_transactions/batch', { reader: rdA.code, sent_at: new Date().toISOString(), entries: [{ seq: base + 11, card: a.card, at: at(11), meal: 'lunch' }] });
    assert.equal(r.body.results[0].result, 'applied', r.text);
    assert.equal(r.body.results[0].amount_fen, price);
    // the frame: bad uploads are refused whole
    refused(await readerA.post('/api/v1/meal_transactions/batch', { reader: rdA.code, sent_at: sent, entries: [] }), 422, 'canteen.batch.entries', 'entries');
    refused(await readerA.post('/api/v1/meal_transactions/batch', { reader: rdA.code, entries }), 422, 'canteen.batch.sent_at', 'sent_at');
    refused(await readerA.post('/api/v1/meal_transactions/batch', { reader: 'NO-SUCH', sent_at: sent, entries }), 422, 'canteen.reader.unknown', 'reader');
});

test('readers: spends of their own canteen only, nothing else', async () => {
    const a = await card(1000);
    refused(await spend(readerA, { card_no: a.card, amount_fen: 100, canteen_id: canteenB.id }), 403, 'canteen.reader.other_canteen');
    // a reader's spend is booked to its own canteen
    const s = await spend(readerB, { card_no: a.card, amount_fen: 100 });
    assert.equal(s.status, 201, s.text);
    assert.equal(num(`SELECT canteen_id FROM meal_transactions WHERE id = ${s.body.id}`), canteenB.id);
    // another reader's batch
    refused(await readerA.post('/api/v1/meal_transactions/batch', { reader: rdB.code, sent_at: new Date().toISOString(), entries: [{ seq: 1, card: a.card, amount_fen: 1, at: new Date().toISOString() }] }), 403, 'canteen.reader.not_yours');
    // no top-ups, no lists of other people's cards
    problem(assert, await readerA.post('/api/v1/meal_transactions', { kind: 'topup', card_no: a.card, amount_fen: 100 }), 403, 'BUR-302');
    problem(assert, await readerA.get('/api/v1/meal_accounts'), 403, 'BUR-302');
    // lookup by card and QR
    const l = await readerA.get(`/api/v1/meal_accounts/lookup?card=${a.card}`);
    assert.equal(l.status, 200, l.text);
    assert.equal(l.body.id, a.id);
    assert.equal(l.body.balance_fen, 900);
    assert.equal((await readerA.get('/api/v1/meal_accounts/lookup?card=FFFFFFFFFFFFFFF0')).status, 404);
    // a token bound to no reader cannot post spends; a new token replaces the old
    const dev = (await admin.all('roles')).find((x) => x.code === 'device');
    const t = await admin.post('/api/v1/api_tokens', { name: `散令牌-${m.uniq()}`, role_id: dev.id });
    const loose = api(srv.url, { token: t.body.token });
    refused(await spend(loose, { card_no: a.card, amount_fen: 100, canteen_id: canteenA.id }), 403, 'canteen.reader.unbound');
    const n = await cm.post(`/api/v1/meal_readers/${rdB.id}/token`, {});
    assert.equal(n.status, 201);
    await sleep(5500); // the old token's cached lookup expires
    assert.equal((await spend(readerB, { card_no: a.card, amount_fen: 100 })).status, 401);
    readerB = api(srv.url, { token: n.body.token });
    assert.equal((await spend(readerB, { card_no: a.card, amount_fen: 100 })).status, 201);
    // staff do not post
    problem(assert, await spend(staff, { card_no: a.card, amount_fen: 100, canteen_id: canteenA.id }), 403, 'BUR-302');
});

test('a person sees only their own card and transactions; freezes it when lost, gets a new QR code', async () => {
    const mine = await staff.get('/api/v1/canteen/me');
    assert.equal(mine.status, 200, mine.text);
    const acct = mine.body.account.id;
    const person = num("SELECT person_id FROM users WHERE tenant_id = 1 AND username = 'staff'");
    assert.equal(num(`SELECT person_id FROM meal_accounts WHERE id = ${acct}`), person);
    assert.match(mine.body.qr, /^MC1:[A-Z2-7]{20}$/);
    // a spend by QR shows in their list
    await cm.post('/api/v1/meal_transactions', { kind: 'topup', account_id: acct, amount_fen: 2000 });
    const s = await spend(readerA, { qr: mine.body.qr, amount_fen: 300 });
    assert.equal(s.status, 201, s.text);
    const again = await staff.get('/api/v1/canteen/me');
    assert.equal(again.body.transactions[0].id, s.body.id);
    assert.equal(again.body.account.balance_fen, s.body.balance_fen);
    const month = again.body.transactions[0].business_day.slice(0, 7);
    const byMonth = await staff.get(`/api/v1/canteen/me?month=${month}`);
    assert.ok(byMonth.body.transactions.some((t) => t.id === s.body.id));
    // the lists: their own only
    const accts = await staff.get('/api/v1/meal_accounts');
    assert.deepEqual(accts.body.items.map((x) => x.id), [acct]);
    assert.ok(!('qr_id' in accts.body.items[0]), 'the QR identifier is never listed');
    const txns = await staff.all('meal_transactions');
    assert.ok(txns.length >= 2);
    assert.ok(txns.every((t) => t.person_id === person));
    const other = await card(100);
    const otherTxn = num(`SELECT id FROM meal_transactions WHERE account_id = ${other.id} LIMIT 1`);
    assert.equal((await staff.get(`/api/v1/meal_transactions/${otherTxn}`)).status, 404);
    assert.equal((await staff.get(`/api/v1/meal_accounts/${other.id}`)).status, 404);
    assert.equal((await staff.post(`/api/v1/meal_accounts/${other.id}/freeze`, { reason: 'x' })).status, 404);
    assert.equal((await liaison.get('/api/v1/canteen/me')).body.account.id !== acct, true);
    // the QR image
    const svg = await staff.fetch('/api/v1/canteen/me/qr.svg');
    assert.equal(svg.status, 200);
    assert.match(await svg.text(), /^<svg|<\?xml/);
    // a new QR code: the old one no longer pays
    const q = await staff.post(`/api/v1/meal_accounts/${acct}/new_qr`, {});
    assert.equal(q.status, 200, q.text);
    assert.notEqual(q.body.qr, mine.body.qr);
    refused(await spend(readerA, { qr: mine.body.qr, amount_fen: 100 }), 422, 'canteen.account.unknown', 'qr');
    assert.equal((await spend(readerA, { qr: q.body.qr, amount_fen: 100 })).status, 201);
    // lost: the holder freezes it; only the manager unfreezes
    const f = await staff.post(`/api/v1/meal_accounts/${acct}/freeze`, { reason: '饭卡丢失' });
    assert.equal(f.status, 200, f.text);
    refused(await spend(readerA, { qr: q.body.qr, amount_fen: 100 }), 409, 'canteen.account.frozen');
    problem(assert, await staff.post(`/api/v1/meal_accounts/${acct}/unfreeze`, {}), 403, 'BUR-302');
    assert.equal((await staff.fetch('/api/v1/canteen/me/qr.svg')).status, 409);
    assert.equal((await cm.post(`/api/v1/meal_accounts/${acct}/unfreeze`, {})).status, 200);
});

test('the nightly check: the cache against the entries, a mismatch found and told', async () => {
    const a = await card(700);
    sql(`UPDATE meal_accounts SET balance_fen = balance_fen + 1 WHERE id = ${a.id}`);
    const last = num("SELECT COALESCE(MAX(id), 0) FROM bureau_job_runs WHERE name = 'canteen.ledger_check'");
    for (let i = 0; i < 200; i++) {
        const done = sql(`SELECT status || ' ' || COALESCE(message, '') FROM bureau_job_runs WHERE name = 'canteen.ledger_check' AND id > ${last} AND finished_at IS NOT NULL`);
        if (done) {
            assert.match(done, /^ok \d+ accounts checked, 1 mismatched/);
            break;
        }
        sql("UPDATE bureau_jobs SET next_run_at = 0 WHERE name = 'canteen.ledger_check'");
        await sleep(150);
        assert.ok(i < 199, 'the check ran');
    }
    const n = num("SELECT COUNT(*) FROM notifications WHERE kind = 'canteen.ledger_mismatch'");
    assert.ok(n >= 1, 'the managers are told');
    const au = sql("SELECT after FROM audit_entries WHERE action = 'ledger_check' ORDER BY id DESC LIMIT 1");
    assert.match(au, new RegExp(`"account_id": ?${a.id}[,}]`));
    sql(`UPDATE meal_accounts SET balance_fen = balance_fen - 1 WHERE id = ${a.id}`);
});

test('tenants: another bureau sees none of these cards and cannot post to them', async () => {
    const a = await card(500);
    const code = `ct-${m.uniq()}`;
    const from = srv.stderr.length;
    const t = await admin.post('/api/v1/tenants', { name: '另一区机关事务管理局', code });
    assert.equal(t.status, 201, t.text);
    for (let i = 0; i < 200 && !/admin password: (\S+)/.test(srv.stderr.slice(from)); i++) await sleep(100);
    const pw = /admin password: (\S+)/.exec(srv.stderr.slice(from))[1];
    const a2 = await m.signInChanging(srv.url, { username: 'admin', password: pw, newPassword: 'Other-bureau-2026-pw', tenant: code });
    assert.equal((await a2.get('/api/v1/meal_transactions')).body.items.length, 0);
    assert.equal((await a2.get(`/api/v1/meal_accounts/${a.id}`)).status, 404);
    assert.equal((await a2.get(`/api/v1/meal_accounts/lookup?card=${a.card}`)).status, 404);
    refused(await a2.post('/api/v1/meal_transactions', { kind: 'topup', account_id: a.id, amount_fen: 100 }), 422, 'canteen.account.unknown', 'account_id');
    refused(await a2.post('/api/v1/meal_transactions', { kind: 'topup', card_no: a.card, amount_fen: 100 }), 422, 'canteen.account.unknown', 'card_no');
    assert.deepEqual(ledger(a.id).slice(1), [500, 500]);
});
