// SPDX-License-Identifier: MIT
// canteen_finance.test.js - the canteen finance pages in the browser on the
// demo district. The reconciliation: last month's net total and each row as
// the API has them, the chart drawn, the XLSX link with the same query, by
// day too. The subsidies: the rules by rank, a month's preview figures as
// the API's, posting it again pays nothing. The manager's day: the diners
// and sales as the API's, the forecast and alerts panels only when the
// meals side answers. The statement: a staff member's own card on a phone,
// opening and closing as the API's, nothing wider than the phone. axe: no
// serious or critical violation on each page.
'use strict';

const { test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, api } = require('../api/lib/server');
const { openBrowser, signIn, goHash, sel, PHONE, DEMO_PASSWORD, axeCheck } = require('./lib/browser');

const PHONE_CTX = { viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2, bypassCSP: true };
const DESK = { viewport: { width: 1366, height: 900 }, bypassCSP: true };
const yuan = (fen) => new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(fen / 100);
const pad = (n) => String(n).padStart(2, '0');
function lastMonth() {
    const d = new Date();
    d.setDate(1);
    d.setMonth(d.getMonth() - 1);
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}`;
}

let srv, cm, staffApi, b;

before(async () => {
    srv = await startServer({ demo: true });
    cm = api(srv.url, { username: 'canteen_manager', password: DEMO_PASSWORD });
    staffApi = api(srv.url, { username: 'staff', password: DEMO_PASSWORD });
    await cm.login();
    await staffApi.login();
    b = await openBrowser('canteen_finance');
});

after(async () => {
    if (b) await b.close();
    if (srv) await srv.stop();
});

afterEach(async (t) => {
    if (b) await b.onFailure(t);
});

test("reconciliation: last month's totals and rows as the API's, the chart, the XLSX link, a day", async () => {
    const { page } = await b.newPage(DESK);
    await signIn(page, srv.url, 'canteen_manager', DEMO_PASSWORD);
    await goHash(page, '#/canteen/finance');
    await page.locator(`${sel('ct-recon-chart')} svg`).first().waitFor();
    const rep = (await cm.get(`/api/v1/canteen/reconciliation?month=${lastMonth()}`)).body;
    const rows = rep.canteens.reduce((n, c) => n + c.meals.reduce((k, m) => k + m.readers.length, 0) + 1, 0) + 1;
    const nets = page.locator(`${sel('ct-recon-table')} ${sel('ct-recon-net')}`);
    await nets.nth(rows - 1).waitFor();
    assert.equal(await nets.nth(rows - 1).innerText(), yuan(rep.total.net_fen));
    const first = rep.canteens[0].meals[0].readers[0];
    assert.equal(await nets.nth(0).innerText(), yuan(first.net_fen));
    assert.match(await page.locator(sel('ct-kpi-net')).innerText(), new RegExp(yuan(rep.total.net_fen).replace(/\./g, '\\.')));
    assert.match(await page.locator(sel('ct-recon-xlsx')).getAttribute('href'), new RegExp(`reconciliation\\.xlsx\\?month=${lastMonth()}`));
    await axeCheck(page, 'the reconciliation');
    await page.locator(sel('ct-recon-day')).click();
    await page.waitForFunction(() => /day=/.test(document.querySelector('[data-test="ct-recon-xlsx"]').getAttribute('href')));
});

test('subsidies: the rules, the preview as the API has it, posting again pays nothing', async () => {
    const { page } = await b.newPage(DESK);
    await signIn(page, srv.url, 'canteen_manager', DEMO_PASSWORD);
    await goHash(page, '#/canteen/subsidies');
    const pv = (await cm.get(`/api/v1/meal_subsidy_runs/preview?month=${lastMonth()}`)).body;
    await page.locator(sel('ct-sub-people')).waitFor();
    assert.match(await page.locator(sel('ct-sub-people')).innerText(), new RegExp(`\\b${pv.totals.people}\\b`));
    const rules = (await cm.get('/api/v1/meal_subsidy_rules?limit=200')).body.items;
    await page.locator(`${sel('ct-sub-rules')} tbody tr`).nth(rules.length - 1).waitFor();
    await axeCheck(page, 'the subsidies');
    const before = (await cm.get(`/api/v1/meal_transactions?kind=subsidy&subsidy_month=${lastMonth()}&limit=1`)).status;
    assert.equal(before, 200);
    const count = async () => (await cm.all('meal_transactions', { kind: 'subsidy', subsidy_month: lastMonth() })).length;
    const n0 = await count();
    await page.locator(sel('ct-sub-post')).click();
    await page.locator(sel('ct-sub-status')).waitFor();
    await page.waitForFunction(() => /2/.test(document.querySelector('[data-test="ct-sub-status"]').textContent));
    assert.equal(await count(), n0, 'posting a month the demo paid again pays nothing');
    assert.match(await page.locator(sel('ct-sub-diff')).innerText(), /0\.00/);
});

test("the manager's day: diners and sales as the API's; the meals side's panels only when it answers", async () => {
    const { page } = await b.newPage(DESK);
    await signIn(page, srv.url, 'canteen_manager', DEMO_PASSWORD);
    await goHash(page, '#/canteen/today');
    await page.locator(sel('ct-today-diners')).waitFor();
    const c = (await cm.all('canteens'))[0]; // the page opens on the first canteen as listed
    const v = (await cm.get(`/api/v1/canteen/day?canteen_id=${c.id}`)).body; // the tenant's today
    const day = v.day;
    assert.match(await page.locator(sel('ct-today-diners')).innerText(), new RegExp(`\\b${v.total.diners}\\b`));
    assert.match(await page.locator(sel('ct-today-sales')).innerText(), new RegExp(yuan(v.total.amount_fen).replace(/\./g, '\\.')));
    const f = await cm.get(`/api/v1/canteen/forecast?canteen_id=${c.id}&from=${day}&to=${day}`);
    assert.equal(await page.locator(sel('ct-today-forecast')).count(), f.status === 200 ? 1 : 0);
    // the canteen's food-safety alerts in words (the alert's kind and figures), never a key
    const alerts = ((await cm.get('/api/v1/canteen/alerts')).body.items || []).filter((a) => !a.canteen_id || a.canteen_id === c.id);
    if (alerts.length) {
        const text = await page.locator(sel('ct-today-alerts')).innerText();
        assert.ok(!/canteen\.alert|ct\.alert/.test(text), `alerts shown as keys: ${text}`);
        if (alerts[0].params && alerts[0].params.worker) assert.match(text, new RegExp(alerts[0].params.worker));
    }
    await axeCheck(page, "the manager's day");
});

test("a card's statement on a phone: the holder's own card, opening and closing as the API's", async () => {
    const { page } = await b.newPage(PHONE_CTX);
    await signIn(page, srv.url, 'staff', DEMO_PASSWORD);
    await goHash(page, `#/canteen/statement?month=${lastMonth()}`);
    await page.locator(sel('ct-st-closing')).waitFor();
    const own = (await staffApi.get('/api/v1/meal_accounts?limit=5')).body.items;
    assert.equal(own.length, 1, 'staff see their own card only');
    const s = (await staffApi.get(`/api/v1/meal_accounts/${own[0].id}/statement?month=${lastMonth()}`)).body;
    assert.match(await page.locator(sel('ct-st-opening')).innerText(), new RegExp(yuan(s.opening_fen).replace(/\./g, '\\.')));
    assert.match(await page.locator(sel('ct-st-closing')).innerText(), new RegExp(yuan(s.closing_fen).replace(/\./g, '\\.')));
    assert.match(await page.locator(sel('ct-st-xlsx')).getAttribute('href'), new RegExp(`/meal_accounts/${own[0].id}/statement\\.xlsx\\?month=${lastMonth()}`));
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 420, `page ${wide}px wide`);
    await axeCheck(page, 'the statement');
});
