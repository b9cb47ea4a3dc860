// SPDX-License-Identifier: MIT
// types.test.js - values by field type: a decimal with two places (a rank's
// office area) and a datetime typed on the tenant's wall clock by a browser in
// another time zone (an API token's expiry, whose secret is shown once after
// saving) through the generic form, the API holding them as typed; money
// (integer fen in the API) shown in yuan with two decimals.
'use strict';

const { test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, api, ADMIN_PASSWORD } = require('../api/lib/server');
const { openBrowser, signIn, goHash, sel, pickOption, fieldError } = require('./lib/browser');
const zh = require('../../web/i18n/zh-CN.json');

let srv, admin, b;

before(async () => {
    srv = await startServer({ demo: true });
    admin = api(srv.url);
    b = await openBrowser('types');
});

after(async () => {
    if (b) await b.close();
    if (srv) await srv.stop();
});

afterEach(async (t) => {
    if (b) await b.onFailure(t);
});

async function save(page, collection) {
    const [resp] = await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === `/api/v1/${collection}` && r.request().method() === 'POST'),
        page.locator(sel('save')).click(),
    ]);
    return resp;
}

test('a decimal with two places: checked against its bounds, then stored as typed', async () => {
    const { page } = await b.newPage();
    await signIn(page, srv.url, 'admin', ADMIN_PASSWORD, '#/c/ranks/new');
    await page.locator(sel('form-ranks')).waitFor();
    await pickOption(page, '#f-ranks-level', '县级');
    await page.locator('#f-ranks-code').fill('uit_clerk');
    await page.locator('#f-ranks-name').fill('测试职级');
    const area = page.locator('#f-ranks-max_office_m2');
    await area.fill('1000.5');
    await area.blur();
    let posted = 0;
    const count = (req) => { if (req.method() === 'POST') posted++; };
    page.on('request', count);
    await page.locator(sel('save')).click();
    // over the maximum: said at the field, nothing sent
    await page.locator(sel('error-max_office_m2')).waitFor();
    assert.equal(await fieldError(page, 'max_office_m2'), zh['srv.max'].replace('{n}', '1000'));
    page.off('request', count);
    assert.equal(posted, 0);

    await area.fill('18.5');
    await area.blur();
    assert.equal(await area.inputValue(), '18.50', 'shown with its two places');
    await page.locator('#f-ranks-sort_order').fill('99');
    await b.shot(page, 'decimal-form');
    const resp = await save(page, 'ranks');
    assert.equal(resp.status(), 201, await resp.text());
    await page.locator(sel('detail-ranks')).waitFor();
    await b.shot(page, 'decimal-detail');
    const r = (await admin.get('/api/v1/ranks?code=uit_clerk')).body.items[0];
    assert.equal(r.max_office_m2, 18.5);
    assert.equal(r.level, 'county');
    assert.equal(r.sort_order, 99);
    assert.equal((await page.locator(sel('value-max_office_m2')).innerText()).trim(), '18.50');
});

test('a datetime is typed and shown on the tenant\'s clock, whatever the browser\'s time zone', async () => {
    // the browser is in New York; the district (and the API's offsets) in UTC+8
    const { page } = await b.newPage({ timezoneId: 'America/New_York' });
    assert.equal(await page.evaluate(() => new Date('2027-01-31T12:00:00Z').getTimezoneOffset()), 300);
    await signIn(page, srv.url, 'admin', ADMIN_PASSWORD, '#/c/api_tokens/new');
    await page.locator(sel('form-api_tokens')).waitFor();
    await page.locator('#f-api_tokens-name').fill('报表同步');
    const role = (await admin.get('/api/v1/roles?code=auditor')).body.items[0];
    await pickOption(page, '#f-api_tokens-role_id', role.name, role.name);
    const when = page.locator('#f-api_tokens-expires_at');
    await when.click();
    await when.fill('2027-01-31 18:30');
    await when.press('Enter');
    await page.keyboard.press('Escape');
    assert.equal(await when.inputValue(), '2027-01-31 18:30');
    await b.shot(page, 'datetime-form');

    const resp = await save(page, 'api_tokens');
    assert.equal(resp.status(), 201, await resp.text());
    assert.equal(resp.request().postDataJSON().expires_at, '2027-01-31T18:30:00+08:00', 'sent with the tenant\'s offset');
    const made = await resp.json();

    // a token's secret is shown once, before the detail page
    const once = page.locator(sel('shown-once'));
    await once.waitFor();
    await b.shot(page, 'token-secret');
    const secrets = await once.locator('code').allInnerTexts();
    assert.ok(secrets.some((s) => s.startsWith('bur_')), `the secret is shown: ${secrets}`);
    await page.locator('.el-message-box__btns button').last().click();
    await page.locator(sel('detail-api_tokens')).waitFor();

    const t = (await admin.get(`/api/v1/api_tokens/${made.id}`)).body;
    assert.equal(Date.parse(t.expires_at), Date.parse('2027-01-31T18:30:00+08:00'), t.expires_at);
    assert.equal((await page.locator(sel('value-expires_at')).innerText()).trim(), '2027-01-31 18:30', 'shown on the tenant\'s clock');
    await b.shot(page, 'datetime-detail');

    // the token works
    const tok = secrets.find((s) => s.startsWith('bur_'));
    const who = await api(srv.url, { token: tok }).get('/api/v1/ranks?limit=1');
    assert.equal(who.status, 200, who.text);
});

test('money: fen on the wire, yuan with two decimals on screen (a work order\'s cost)', async () => {
    const withCost = (await admin.all('work_orders')).filter((w) => w.cost_fen > 0);
    assert.ok(withCost.length, 'the demo district has work orders with a cost');
    const w = withCost.sort((x, y) => y.cost_fen - x.cost_fen)[0];
    const yuan = new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'CNY', minimumFractionDigits: 2 }).format(w.cost_fen / 100);
    assert.match(yuan, /^¥[\d,]+\.\d\d$/);

    const { page } = await b.newPage();
    await signIn(page, srv.url, 'admin', ADMIN_PASSWORD, `#/c/work_orders/${w.id}`);
    await page.locator(sel('value-cost_fen')).waitFor();
    await b.shot(page, 'money-detail');
    assert.equal((await page.locator(sel('value-cost_fen')).innerText()).trim(), yuan, `${w.cost_fen} fen`);

    await goHash(page, `#/c/work_orders?id=${w.id}`);
    const row = page.locator(`${sel('list-table')} .el-table__body tr.el-table__row`);
    await row.first().waitFor();
    assert.equal(await row.count(), 1);
    const cls = await page.locator(`${sel('list-table')} thead th:has(${sel('sort-cost_fen')})`).getAttribute('class');
    const col = /el-table_\d+_column_\d+/.exec(cls)[0];
    assert.equal((await row.first().locator(`td.${col}`).innerText()).trim(), yuan, 'the list column too');
    await b.shot(page, 'money-list');
});
