// SPDX-License-Identifier: MIT
// calendar.test.js - the working calendar's warning: while this year (or,
// from 1 November, the next) has no holidays entered, the administrator's
// dashboard shows a card naming the year, whose link opens the calendar's
// list under the same warning; once 元旦 is entered the card is gone.
'use strict';

const { test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, api, ADMIN_PASSWORD } = require('../api/lib/server');
const { openBrowser, signIn, goHash, sel, axeCheck } = require('./lib/browser');
const zh = require('../../web/i18n/zh-CN.json');

let srv, admin, b, page, year;

before(async () => {
    srv = await startServer();
    admin = api(srv.url);
    // this year (UTC+8) without 元旦: missing, whatever today is
    year = new Date(Date.now() + 8 * 3600e3).getUTCFullYear();
    const jan1 = (await admin.get(`/api/v1/calendar_days?date=${year}-01-01`)).body.items[0];
    if (jan1) assert.equal((await admin.del(`/api/v1/calendar_days/${jan1.id}`)).status, 204);
    b = await openBrowser('calendar');
    ({ page } = await b.newPage({ bypassCSP: true }));
    await signIn(page, srv.url, 'admin', ADMIN_PASSWORD);
});

after(async () => {
    if (b) await b.close();
    if (srv) await srv.stop();
});

afterEach(async (t) => {
    if (b) await b.onFailure(t);
});

test('the dashboard warns of a year without holidays, and the calendar page too', async () => {
    const missing = (await admin.get('/api/v1/calendar/coverage')).body.missing;
    assert.ok(missing.includes(year), JSON.stringify(missing));
    const years = missing.join('、');
    const card = page.locator(sel('card-org-calendar'));
    await card.waitFor();
    const warning = card.locator(sel('calendar-warning'));
    assert.equal((await warning.locator('.el-alert__title').innerText()).trim(),
        zh['calendar.missing.title'].replace('{years}', years));
    assert.match(await warning.innerText(), /元旦/);
    await b.shot(page, 'dashboard');
    await axeCheck(page, 'the dashboard with the calendar warning');

    await card.locator(sel('calendar-warning-link')).click();
    await page.waitForFunction(() => location.hash === '#/c/calendar_days');
    const banner = page.locator(sel('calendar-banner'));
    await banner.waitFor();
    assert.match(await banner.innerText(), new RegExp(`${years} 年节假日安排尚未录入`));
    await page.locator(sel('list-table')).waitFor();
    await b.shot(page, 'calendar-list');

    // entered: no warning on the dashboard
    for (const y of missing) {
        const r = await admin.post('/api/v1/calendar_days', { date: `${y}-01-01`, kind: 'off', name: '元旦' });
        assert.equal(r.status, 201, r.text);
    }
    await goHash(page, '#/');
    await page.locator(sel('card-org-counts')).waitFor();
    assert.equal(await page.locator(sel('card-org-calendar')).count(), 0);
});
