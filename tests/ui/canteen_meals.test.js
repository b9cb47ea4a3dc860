// SPDX-License-Identifier: MIT
// canteen_meals.test.js - the meals pages in the browser on the demo
// district. A staff member on a phone: this week's published menus of their
// canteen as the API lists them, each meal with the time its booking closes;
// a meal booked and cancelled from the page (the API has it), a meal they
// ate rated; nothing wider than the phone. The canteen manager: the week's
// grid of menus, a menu added in a cell's dialog (the API has it), last
// week copied into an empty week. Food safety: the alerts as the API lists
// them, the certificates coloured by expiry. axe: no serious or critical
// violation on each page.
'use strict';

const { test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, api } = require('../api/lib/server');
const m = require('../api/lib/matrix');
const { openBrowser, signIn, goHash, sel, PHONE, DEMO_PASSWORD, axeCheck } = require('./lib/browser');

const PHONE_CTX = { viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2, bypassCSP: true };
const DESK = { viewport: { width: 1366, height: 900 }, bypassCSP: true };

let srv, cm, staff, b, offsetMin = 480, first;
const day = (d = 0) => new Date(Date.now() + offsetMin * 60000 + d * 86400000).toISOString().slice(0, 10);

before(async () => {
    srv = await startServer({ demo: true });
    cm = api(srv.url, { username: 'canteen_manager', password: DEMO_PASSWORD });
    staff = api(srv.url, { username: 'staff', password: DEMO_PASSWORD });
    await cm.login();
    await staff.login();
    offsetMin = (await cm.get('/api/v1/tenants/1')).body.utc_offset_min;
    first = (await cm.all('canteens', { active: true }))[0];
    b = await openBrowser('canteen');
});

after(async () => {
    if (b) await b.close();
    if (srv) await srv.stop();
});

afterEach(async (t) => {
    if (b) await b.onFailure(t);
});

test('staff on a phone: the week\'s menus with their cut-offs, a meal booked and cancelled, one eaten rated', async () => {
    // a lunch eaten yesterday at the first canteen (the ledger's row)
    const me = m.sqlShell(srv, "SELECT person_id FROM users WHERE username = 'staff' AND tenant_id = 1").trim();
    const acct = m.sqlShell(srv, `SELECT id FROM meal_accounts WHERE person_id = ${me}`).trim();
    const sales = m.sqlShell(srv, `SELECT id FROM meal_accounts WHERE kind = 'canteen' AND canteen_id = ${first.id}`).trim();
    // the demo may have rated it already, and the demo's year may have other meals that day
    m.sqlShell(srv, `DELETE FROM meal_ratings WHERE person_id = ${me} AND day = '${day(-1)}'`);
    m.sqlShell(srv, `INSERT INTO meal_transactions (tenant_id, version, created_at, updated_at, kind, account_id, person_id, debit_account_id, credit_account_id, amount_fen, delta_fen, balance_fen, canteen_id, meal, business_day, at, method, offline, idem_key) VALUES (1, 1, 0, 0, 'spend', ${acct}, ${me}, ${acct}, ${sales}, 1400, -1400, 0, ${first.id}, 'lunch', '${day(-1)}', ${Math.floor(Date.now() / 1000) - 86400}, 'card', 0, 'ui-${m.uniq()}')`);

    const { page } = await b.newPage(PHONE_CTX);
    await signIn(page, srv.url, 'staff', DEMO_PASSWORD);
    await page.locator(sel('home-ct-meals')).click();
    await page.locator(sel('ct-meal')).first().waitFor();
    const periods = (await cm.all('meal_periods', { canteen_id: first.id })).filter((p) => p.active);
    assert.equal(await page.locator(sel('ct-meal')).count(), 7 * periods.length, 'a week of the canteen\'s meals');
    // tomorrow's lunch: the API's published dishes, the cut-off shown
    const menu = (await staff.all('menus', { canteen_id: first.id, day: day(1), meal: 'lunch' }))[0];
    assert.ok(menu && menu.published, 'the demo publishes tomorrow\'s menu');
    const lunch = page.locator(`[data-test="ct-meal"][data-day="${day(1)}"][data-meal="lunch"]`);
    assert.match(await lunch.innerText(), new RegExp(menu.dishes.split('\n')[0]));
    const [h, mi] = periods.find((p) => p.meal === 'lunch').starts.split(':').map(Number);
    const closes = Date.parse(day(1) + 'T00:00:00Z') + (h * 60 + mi - offsetMin - first.booking_cutoff_min) * 60000;
    const closeText = new Date(closes + offsetMin * 60000).toISOString().slice(5, 16).replace('T', ' ');
    assert.match(await lunch.locator(sel('ct-cutoff')).innerText(), new RegExp(closeText));
    // book it (or cancel the demo's booking first)
    const mine = async () => (await staff.all('meal_bookings', { canteen_id: first.id, day: day(1), meal: 'lunch' }))[0];
    if (await mine()) {
        if ((await mine()).status === 'booked') await lunch.locator(sel('ct-cancel')).click();
        await lunch.locator(sel('ct-rebook')).waitFor();
        await lunch.locator(sel('ct-rebook')).click();
    } else {
        await lunch.locator(sel('ct-book')).click();
    }
    await lunch.locator(sel('ct-cancel')).waitFor();
    assert.equal((await mine()).status, 'booked');
    await lunch.locator(sel('ct-cancel')).click();
    await lunch.locator(sel('ct-rebook')).waitFor();
    assert.equal((await mine()).status, 'cancelled');
    // rate yesterday's lunch: four stars
    const row = page.locator(sel('ct-rate')).filter({ hasText: day(-1).slice(5) }).filter({ hasText: first.name }).filter({ hasText: '午餐' });
    await row.locator('.el-rate__item').nth(3).click();
    await row.locator(sel('ct-rate-send')).click();
    await page.locator('.el-message--success').filter({ hasText: '感谢您的评价' }).waitFor();
    const rated = await staff.all('meal_ratings', { day: day(-1), canteen_id: first.id });
    assert.equal(rated.length, 1);
    assert.equal(rated[0].score, 4);
    await axeCheck(page, 'meals on a phone');
    const w = await page.evaluate(() => document.scrollingElement.scrollWidth);
    assert.ok(w <= PHONE.width, `meals: ${w}px wide on a ${PHONE.width}px phone`);
});

test('the manager\'s week grid: a menu added in a cell, last week copied into an empty week', async () => {
    const { page } = await b.newPage(DESK);
    await signIn(page, srv.url, 'canteen_manager', DEMO_PASSWORD, '#/canteen/menus');
    await page.locator(sel('ct-menu-cell')).first().waitFor();
    const periods = (await cm.all('meal_periods', { canteen_id: first.id })).filter((p) => p.active);
    assert.equal(await page.locator(sel('ct-menu-cell')).count(), 7 * periods.length);
    await axeCheck(page, 'the menus grid');
    // two weeks ahead: empty; a dinner added there
    await page.locator(sel('ct-week-next')).click();
    await page.locator(sel('ct-week-next')).click();
    const cells = page.locator(sel('ct-menu-cell'));
    const d = await cells.first().getAttribute('data-day');
    assert.equal((await cm.all('menus', { canteen_id: first.id, 'day[gte]': d })).length, 0, 'an empty week');
    await page.locator(`[data-test="ct-menu-cell"][data-day="${d}"][data-meal="lunch"]`).click();
    await page.locator(sel("ct-dishes")).fill('糖醋排骨\n清炒菠菜\n紫菜蛋花汤');
    await page.locator(sel('ct-menu-save')).click();
    await page.locator('.el-message--success').filter({ hasText: '菜单已保存' }).waitFor();
    const added = await cm.all('menus', { canteen_id: first.id, day: d, meal: 'lunch' });
    assert.equal(added.length, 1);
    assert.equal(added[0].dishes, '糖醋排骨\n清炒菠菜\n紫菜蛋花汤');
    assert.equal(added[0].published, false);
    // one week back (next week: the demo's menus); copy it into the empty week after
    const prevWeek = (await cm.all('menus', { canteen_id: first.id, 'day[gte]': new Date(Date.parse(d) - 7 * 86400000).toISOString().slice(0, 10), 'day[lt]': d }));
    await page.locator(sel('ct-copy-week')).click();
    await page.locator('.el-message--success').filter({ hasText: '已复制' }).waitFor();
    const now = await cm.all('menus', { canteen_id: first.id, 'day[gte]': d });
    const dup = prevWeek.filter((x) => !(x.meal === 'lunch' && new Date(Date.parse(x.day) + 7 * 86400000).toISOString().slice(0, 10) === d));
    assert.equal(now.length, 1 + dup.length, `every menu of the week before, once: ${JSON.stringify(prevWeek.map((x) => x.day + x.meal))} → ${JSON.stringify(now.map((x) => x.day + x.meal))}`);
});

test('food safety: the API\'s alerts on top, certificates coloured by expiry', async () => {
    const alerts = (await cm.get('/api/v1/canteen/alerts')).body.items;
    assert.ok(alerts.length > 0, 'the demo has alerts');
    const { page } = await b.newPage(DESK);
    await signIn(page, srv.url, 'canteen_manager', DEMO_PASSWORD, '#/canteen/safety');
    await page.locator(sel('ct-alerts')).waitFor();
    assert.equal(await page.locator(sel('ct-alert')).count(), alerts.length);
    const kinds = await page.locator(sel('ct-alert')).evaluateAll((els) => els.map((e) => e.dataset.kind));
    assert.deepEqual(kinds, alerts.map((a) => a.kind));
    await axeCheck(page, 'food safety');
    await page.getByRole('tab', { name: '健康证明' }).click();
    await page.locator(sel('ct-cert-expiry')).first().waitFor();
    const first3 = await page.locator(sel('ct-cert-expiry')).evaluateAll((els) => els.slice(0, 3).map((e) => [e.textContent, e.className]));
    for (const [d, cls] of first3) {
        const left = Math.round((Date.parse(d) - Date.parse(day())) / 86400000);
        assert.match(cls, left < 0 ? /danger/ : left <= 30 ? /warning/ : /success/, `${d}: ${cls}`);
    }
    assert.match(first3[0][1], /danger/, 'the expired one first');
});
