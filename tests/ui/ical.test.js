// SPDX-License-Identifier: MIT
// ical.test.js - the booking calendar and the subscribe panels in the
// browser. On a desk (1366×860) the service centre opens a court's calendar:
// FullCalendar's week (Monday first, in Chinese), the places left per slot,
// the bookings; a click on a free slot opens the booking flow on that slot;
// the resource's subscribe panel makes a feed whose link is shown once
// (webcal:// and https://) and serves a calendar, and revokes it (the link
// then answers 404). On a phone (390×844) the calendar shows one day and
// nothing is wider than the phone; my bookings' subscribe panel makes a feed
// of one's own. The page runs under the server's CSP (FullCalendar's styles
// and modules allowed). axe finds no serious or critical violation on the
// week, the day and the panels; English works too.
'use strict';

const { test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, api } = require('../api/lib/server');
const { openBrowser, signIn, sel, PHONE, DEMO_PASSWORD, axeCheck } = require('./lib/browser');

const PHONE_CTX = { viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2, bypassCSP: true };

let srv, pm, staffApi, b, court;
let offsetMin = 480;

function tenantDay(n) {
    return new Date(Date.now() + offsetMin * 60000 + n * 86400000).toISOString().slice(0, 10);
}
function at(n, hh) {
    return new Date(Date.parse(`${tenantDay(n)}T00:00:00Z`) - offsetMin * 60000 + hh * 3600000).toISOString().replace('.000Z', 'Z');
}

before(async () => {
    srv = await startServer({ demo: true });
    const admin = api(srv.url);
    pm = api(srv.url, { username: 'property_manager', password: DEMO_PASSWORD });
    staffApi = api(srv.url, { username: 'staff', password: DEMO_PASSWORD });
    offsetMin = (await admin.get('/api/v1/tenants/1')).body.utc_offset_min;
    const r = await pm.post('/api/v1/resources', { name: '日历测试网球场', kind: 'court', capacity: 1, slot_min: 60, hours: '1-7 07:00-22:00', closed_days: 'open_always', window_days: 14, location: '机关大院' });
    assert.equal(r.status, 201, r.text);
    court = r.body;
    const bk = await staffApi.post('/api/v1/bookings', { resource_id: court.id, start_at: at(2, 10), end_at: at(2, 11), purpose: '日历双打' });
    assert.equal(bk.status, 201, bk.text);
    b = await openBrowser('ical');
});

after(async () => {
    if (b) await b.close();
    if (srv) await srv.stop();
});

afterEach(async (t) => {
    if (b) await b.onFailure(t);
});

async function noWiderThan(page, width, what) {
    const w = await page.evaluate(() => document.scrollingElement.scrollWidth);
    assert.ok(w <= width, `${what}: ${w}px wide on a ${width}px screen`);
}

test('the service centre on a desk: the week of a court, a free slot to book, subscribe and revoke (under the CSP)', async () => {
    const { page } = await b.newPage(); // the server's CSP applies
    await signIn(page, srv.url, 'property_manager', DEMO_PASSWORD);
    await page.evaluate((h) => { location.hash = h; }, `#/booking/calendar?resource=${court.id}&date=${tenantDay(2)}`);
    await page.locator(`${sel('bk-cal')} .fc-timegrid`).waitFor();
    // a week from Monday, seven day columns, in Chinese
    assert.equal(await page.locator(`${sel('bk-cal')} .fc-col-header-cell`).count(), 7);
    assert.match(await page.locator(`${sel('bk-cal')} .fc-col-header-cell`).first().innerText(), /周一/);
    assert.match(await page.locator(`${sel('bk-cal')} .fc-toolbar-title`).innerText(), /\d{4}年/);
    // the booking and the places left per slot (15 slots a day, one taken)
    const ev = page.locator(`${sel('bk-cal')} .fc-timegrid-event`, { hasText: '日历双打' });
    await ev.waitFor();
    assert.match(await ev.innerText(), /10:00/);
    const full = page.locator(`${sel('bk-cal')} .fc-bg-event.bk-cal-full`);
    assert.equal(await full.count(), 1);
    assert.ok((await page.locator(`${sel('bk-cal')} .fc-bg-event.bk-cal-free`).count()) >= 15, 'free slots');
    await axeCheckUnderCsp(page, 'the week calendar');
    await b.shot(page, 'week');

    // a free slot (that day, 15:00) opens the booking flow on it
    const col = page.locator(`${sel('bk-cal')} td.fc-timegrid-col[data-date="${tenantDay(2)}"]`);
    const slot = page.locator(`${sel('bk-cal')} td.fc-timegrid-slot-lane[data-time="15:00:00"]`);
    const cb = await col.boundingBox();
    const sb = await slot.boundingBox();
    await page.mouse.click(cb.x + cb.width / 2, sb.y + sb.height / 2);
    await page.locator(sel('bk-book')).waitFor();
    const picked = page.locator(`${sel('bk-slot')}[aria-pressed="true"]`);
    await picked.waitFor();
    assert.equal(await picked.getAttribute('data-start'), `${tenantDay(2)}T15:00:00+08:00`);
    assert.equal(await page.locator(`${sel('bk-day')}[data-day="${tenantDay(2)}"]`).getAttribute('aria-pressed'), 'true');
    await page.goBack();

    // subscribe to the court: the link shown once, serving the court's bookings
    const panel = page.locator(sel('bk-subscribe'));
    await panel.waitFor();
    await panel.locator(sel('bk-sub-create')).click();
    const webcal = panel.locator(sel('bk-sub-resource-webcal'));
    await webcal.waitFor();
    const wc = await webcal.inputValue();
    const https = await panel.locator(sel('bk-sub-resource-https')).inputValue();
    assert.match(wc, /^webcal:\/\/127\.0\.0\.1:\d+\/ical\/cal_[A-Za-z0-9_-]{43}\.ics$/);
    assert.equal(https, wc.replace('webcal://', 'http://'));
    const ics = await fetch(https);
    assert.equal(ics.status, 200);
    assert.match(await ics.text(), /SUMMARY:日历测试网球场：日历双打/);
    assert.equal(await panel.locator(sel('bk-sub-item')).count(), 1);
    await axeCheckUnderCsp(page, 'the resource subscribe panel');
    await b.shot(page, 'subscribed');
    // reloaded: the link is gone, the feed listed; revoked: the link answers 404
    await page.reload();
    await panel.locator(sel('bk-sub-item')).waitFor();
    assert.equal(await panel.locator(sel('bk-sub-new')).count(), 0, 'the secret is shown once');
    await panel.locator(sel('bk-sub-revoke')).click();
    await page.locator('.el-message-box .el-button--primary').click();
    await panel.locator(sel('bk-sub-none')).waitFor();
    assert.equal((await fetch(https)).status, 404);
    assert.deepEqual(b.errors.filter((e) => /Content Security Policy|Refused/.test(e)), [], 'nothing refused by the CSP');
});

// axe is injected as a script tag, which the CSP refuses: a second context for it
async function axeCheckUnderCsp(page, what) {
    const { page: p2 } = await b.newPage({ bypassCSP: true });
    await p2.context().addCookies(await page.context().cookies());
    await p2.goto(page.url());
    await p2.locator(`${sel('bk-cal')} .fc-timegrid`).waitFor();
    await p2.locator(`${sel('bk-cal')} .fc-bg-event`).first().waitFor();
    if (what.includes('panel')) await p2.locator(sel('bk-subscribe')).waitFor();
    await axeCheck(p2, what);
    await p2.close();
}

test('on a phone: one day at a time, nothing wider; my bookings subscribe; English', async () => {
    const { page } = await b.newPage(PHONE_CTX);
    await signIn(page, srv.url, 'staff', DEMO_PASSWORD);
    await page.evaluate((h) => { location.hash = h; }, `#/booking/calendar?resource=${court.id}&date=${tenantDay(2)}`);
    await page.locator(`${sel('bk-cal')} .fc-timegrid`).waitFor();
    assert.equal(await page.locator(`${sel('bk-cal')} .fc-col-header-cell`).count(), 1, 'a day on a phone');
    await page.locator(`${sel('bk-cal')} .fc-timegrid-event`, { hasText: '日历双打' }).waitFor();
    // staff see no subscribe panel for a resource (a resource's feed names its bookers)
    assert.equal(await page.locator(sel('bk-subscribe')).count(), 0);
    await noWiderThan(page, PHONE.width, 'the day calendar');
    await axeCheck(page, 'the day calendar on a phone');
    await b.shot(page, 'phone-day');
    // the next day, by the toolbar
    await page.locator(`${sel('bk-cal')} .fc-next-button`).click();
    await page.waitForFunction((d) => location.hash.includes(`date=${d}`), tenantDay(3));

    // my bookings: subscribe to one's own
    await page.evaluate(() => { location.hash = '#/booking/mine'; });
    const panel = page.locator(sel('bk-subscribe'));
    await panel.waitFor();
    await panel.locator(sel('bk-sub-create')).click();
    const https = await panel.locator(sel('bk-sub-person-https')).inputValue();
    assert.match(https, /\/ical\/cal_[A-Za-z0-9_-]{43}\.ics$/);
    const text = await (await fetch(https)).text();
    assert.match(text, /X-WR-CALNAME:我的预约/);
    assert.match(text, /日历双打/);
    await noWiderThan(page, PHONE.width, 'my bookings with the subscribe panel');
    await axeCheck(page, 'the subscribe panel of my bookings');
    await b.shot(page, 'phone-subscribe');

    // in English: the calendar follows the language switch
    await page.evaluate((h) => { location.hash = h; }, `#/booking/calendar?resource=${court.id}&date=${tenantDay(2)}`);
    await page.locator(`${sel('bk-cal')} .fc-timegrid`).waitFor();
    await page.locator(sel('lang-switch')).click();
    await page.waitForFunction(() => document.querySelector('[data-test="bk-cal"] .fc-today-button')?.textContent.trim() === 'Today');
    assert.equal((await page.locator(`${sel('bk-cal')} .fc-today-button`).innerText()).trim(), 'Today');
});
