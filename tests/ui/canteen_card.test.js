// SPDX-License-Identifier: MIT
// canteen_card.test.js - the meal card pages in the browser on the demo district. A staff
// member on a phone: the home link to my card, the balance and the QR image as the API has
// them, this month's transactions as the API lists them, freezing the lost card (the API has
// it frozen, the QR image gone), nothing wider than the phone. The canteen manager's desk: a
// card found by its number, a top-up of 12.34 yuan (the API's balance grows by 1234 fen), an
// adjustment without a reason refused with its key's words. The readers: a
// token issued and shown once (it works as the reader's). axe: no serious or critical
// violation on each page.
'use strict';

const { test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, api } = require('../api/lib/server');
const { openBrowser, signIn, goHash, sel, PHONE, DEMO_PASSWORD, axeCheck, apiIdle } = require('./lib/browser');

const PHONE_CTX = { viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2, bypassCSP: true };
const DESK = { viewport: { width: 1366, height: 900 }, bypassCSP: true };
let srv, b, cm, staff;

before(async () => {
    srv = await startServer({ demo: true });
    cm = api(srv.url, { username: 'canteen_manager', password: DEMO_PASSWORD });
    staff = api(srv.url, { username: 'staff', password: DEMO_PASSWORD });
    await cm.login();
    await staff.login();
    b = await openBrowser('canteen');
});

after(async () => {
    if (b) await b.close();
    if (srv) await srv.stop();
});

afterEach(async (t) => {
    if (b) await b.onFailure(t);
});

const yuan = (fen) => new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(fen / 100);

test('my card on a phone: balance, QR code and transactions as the API has them; a lost card frozen', async () => {
    const me = (await staff.get('/api/v1/canteen/me')).body;
    // a top-up and a spend this month to list
    const t1 = await cm.post('/api/v1/meal_transactions', { kind: 'topup', account_id: me.account.id, amount_fen: 5000 });
    assert.equal(t1.status, 201, t1.text);
    const canteen = (await cm.get('/api/v1/canteens?limit=1')).body.items[0];
    const s1 = await cm.post('/api/v1/meal_transactions', { kind: 'spend', account_id: me.account.id, amount_fen: 1200, canteen_id: canteen.id, idem_key: `ui-${Date.now()}` });
    assert.equal(s1.status, 201, s1.text);
    // the page opens on this month (the district's, +08:00): its entries as the API lists them
    const month = new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 7);
    const now = (await staff.get(`/api/v1/canteen/me?month=${month}`)).body;
    const { page } = await b.newPage(PHONE_CTX);
    await signIn(page, srv.url, 'staff', DEMO_PASSWORD);
    await page.locator(sel('home-ct-card')).click();
    await page.locator(sel('ct-balance-amount')).waitFor();
    assert.match(await page.locator(sel('ct-balance-amount')).innerText(), new RegExp(yuan(now.account.balance_fen).replace(/[.,]/g, '\\$&')));
    await page.waitForFunction(() => { const i = document.querySelector('[data-test="ct-qr"]'); return i && i.complete && i.naturalWidth > 0; });
    const rows = page.locator(sel('ct-txn'));
    await rows.first().waitFor();
    assert.equal(await rows.count(), now.transactions.length);
    assert.match(await rows.first().innerText(), /消费/);
    await axeCheck(page, 'my card');
    const w = await page.evaluate(() => document.scrollingElement.scrollWidth);
    assert.ok(w <= PHONE.width, `my card: ${w}px wide on a ${PHONE.width}px phone`);
    // lost: frozen from the phone
    await page.locator(sel('ct-freeze')).click();
    await page.locator('.el-message-box button.el-button--primary').click();
    await page.locator(sel('ct-status')).waitFor();
    assert.equal((await cm.get(`/api/v1/meal_accounts/${me.account.id}`)).body.status, 'frozen');
    assert.equal(await page.locator(sel('ct-qr')).count(), 0);
    assert.equal((await cm.post(`/api/v1/meal_accounts/${me.account.id}/unfreeze`, {})).status, 200);
});

test('the cashier: a card by its number, a top-up, an adjustment\'s reason', async () => {
    const acct = (await cm.get('/api/v1/meal_accounts?kind=person&status=active&limit=1')).body.items[0];
    const before_ = (await cm.get(`/api/v1/meal_accounts/${acct.id}`)).body.balance_fen;
    const { page } = await b.newPage(DESK);
    await signIn(page, srv.url, 'canteen_manager', DEMO_PASSWORD);
    await goHash(page, '#/canteen/cashier');
    await page.locator(`${sel('ct-find')} input, input${sel('ct-find')}`).first().fill(acct.card_no);
    await page.locator(sel('ct-find-go')).click();
    await page.locator(sel('ct-found')).first().click();
    await page.locator(sel('ct-account')).waitFor();
    await axeCheck(page, 'the cashier');
    await page.locator(`${sel('ct-amount')} input`).fill('12.34');
    await page.locator(sel('ct-post')).click();
    await page.waitForFunction((want) => (document.querySelector('[data-test="ct-account-balance"]') || {}).textContent.includes(want), yuan(before_ + 1234));
    assert.equal((await cm.get(`/api/v1/meal_accounts/${acct.id}`)).body.balance_fen, before_ + 1234);
    // an adjustment without its reason: the key's words
    await page.locator(sel('ct-op-adjust')).click();
    await page.locator(`${sel('ct-amount')} input`).fill('1');
    await page.locator(sel('ct-post')).click();
    await page.locator(sel('ct-error')).waitFor();
    assert.match(await page.locator(sel('ct-error')).innerText(), /为必填|必填|required/i);
    assert.equal((await cm.get(`/api/v1/meal_accounts/${acct.id}`)).body.balance_fen, before_ + 1234);
    await apiIdle(page);
});

test('the readers: a token issued and shown once, working as the reader\'s', async () => {
    const { page } = await b.newPage(DESK);
    await signIn(page, srv.url, 'canteen_manager', DEMO_PASSWORD);
    await goHash(page, '#/canteen/readers');
    await page.locator(sel('ct-issue')).first().waitFor();
    await axeCheck(page, 'the readers');
    await page.locator(sel('ct-issue')).first().click();
    await page.locator('.el-message-box button.el-button--primary').click();
    await page.locator(sel('ct-token')).waitFor();
    const token = (await page.locator(sel('ct-token')).innerText()).trim();
    assert.match(token, /^bur_/);
    const reader = api(srv.url, { token });
    const card = (await cm.get('/api/v1/meal_accounts?kind=person&status=active&limit=1')).body.items[0];
    const l = await reader.get(`/api/v1/meal_accounts/lookup?card=${card.card_no}`);
    assert.equal(l.status, 200, l.text);
    assert.equal(l.body.id, card.id);
});
