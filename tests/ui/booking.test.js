// SPDX-License-Identifier: MIT
// booking.test.js - service centre bookings in the browser. A staff member
// on a phone (390×844) opens "book" from the home page, picks a court, a day
// and a free slot, books it and sees the check-in code the server gave; a
// slot someone else took meanwhile is refused with the server's reason in
// Chinese (409 booking.capacity) and nothing is booked; the slot taken shows
// as taken after a reload. My bookings shows the code and cancels. The
// service centre approves a booking of the lecture hall from its queue and
// checks in another at its desk with the code; the week grid shows the
// places left. Nothing is wider than the phone; axe finds no serious or
// critical violation on the booking page, my bookings and the queue.
'use strict';

const { test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, api } = require('../api/lib/server');
const { openBrowser, signIn, sel, PHONE, DEMO_PASSWORD, axeCheck } = require('./lib/browser');

const PHONE_CTX = { viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2, bypassCSP: true };

let srv, pm, staffApi, liaisonApi, b, court, hall;
let offsetMin = 480;

// 'YYYY-MM-DD' n days from today in the tenant's zone
function tenantDay(n) {
    return new Date(Date.now() + offsetMin * 60000 + n * 86400000).toISOString().slice(0, 10);
}
// that day at hh:00 local, RFC 3339 UTC
function at(n, hh) {
    return new Date(Date.parse(`${tenantDay(n)}T00:00:00Z`) - offsetMin * 60000 + hh * 3600000).toISOString().replace('.000Z', 'Z');
}

before(async () => {
    srv = await startServer({ demo: true });
    const admin = api(srv.url);
    pm = api(srv.url, { username: 'property_manager', password: DEMO_PASSWORD });
    staffApi = api(srv.url, { username: 'staff', password: DEMO_PASSWORD });
    liaisonApi = api(srv.url, { username: 'liaison', password: DEMO_PASSWORD });
    offsetMin = (await admin.get('/api/v1/tenants/1')).body.utc_offset_min;
    const mk = async (body) => {
        const r = await pm.post('/api/v1/resources', body);
        assert.equal(r.status, 201, r.text);
        return r.body;
    };
    court = await mk({ name: '一号网球场（测试）', kind: 'court', capacity: 1, slot_min: 60, hours: '1-7 07:00-22:00', closed_days: 'open_always', window_days: 7, location: '机关大院' });
    hall = await mk({ name: '多功能厅（测试）', kind: 'hall', capacity: 1, slot_min: 60, hours: '1-7 08:00-20:00', closed_days: 'open_always', window_days: 30, approval: true });
    b = await openBrowser('booking');
});

after(async () => {
    if (b) await b.close();
    if (srv) await srv.stop();
});

afterEach(async (t) => {
    if (b) await b.onFailure(t);
});

async function noWiderThanPhone(page, what) {
    const w = await page.evaluate(() => document.scrollingElement.scrollWidth);
    assert.ok(w <= PHONE.width, `${what}: ${w}px wide on a ${PHONE.width}px phone`);
}

test('on a phone: pick a court, a day and a free slot, book, see the code; a slot taken meanwhile is refused', async () => {
    const { page } = await b.newPage(PHONE_CTX);
    await signIn(page, srv.url, 'staff', DEMO_PASSWORD);
    await page.locator(sel('home-bk-book')).click();
    await page.locator(sel('bk-book')).waitFor();
    await page.locator(`${sel('bk-resource')}[data-id="${court.id}"]`).click();
    const day = tenantDay(2);
    await page.locator(`${sel('bk-day')}[data-day="${day}"]`).click();
    // 07:00 … 21:00: fifteen slots, all free
    const slot9 = page.locator(`${sel('bk-slot')}[data-start="${day}T09:00:00+08:00"]`);
    await slot9.waitFor();
    assert.equal(await page.locator(sel('bk-slot')).count(), 15);
    assert.equal(await slot9.isEnabled(), true);
    await axeCheck(page, 'the booking page');
    await noWiderThanPhone(page, 'the booking page');
    await slot9.click();
    await page.locator(sel('bk-purpose')).fill('网球双打');
    await page.locator(sel('bk-submit')).click();
    const code = (await page.locator(`${sel('bk-done')} ${sel('bk-code')}`).innerText()).trim();
    assert.match(code, /^[2-9A-HJ-NP-Z]{12}$/);
    const mine = (await staffApi.get(`/api/v1/bookings?resource_id=${court.id}`)).body.items;
    assert.equal(mine.length, 1);
    assert.equal(mine[0].check_in_code, code);
    assert.equal(mine[0].purpose, '网球双打');
    assert.equal(mine[0].start_at, `${day}T09:00:00+08:00`);
    // the booked slot is no longer offered
    await page.waitForFunction((s) => document.querySelector(s) && document.querySelector(s).disabled,
        `[data-test="bk-slot"][data-start="${day}T09:00:00+08:00"]`);
    // someone else takes 11:00 while the page shows it free
    const slot11 = page.locator(`${sel('bk-slot')}[data-start="${day}T11:00:00+08:00"]`);
    assert.equal(await slot11.isEnabled(), true);
    await slot11.click();
    const taken = await liaisonApi.post('/api/v1/bookings', { resource_id: court.id, start_at: at(2, 11), end_at: at(2, 12) });
    assert.equal(taken.status, 201, taken.text);
    await page.locator(sel('bk-submit')).click();
    const err = page.locator(sel('form-error'));
    await err.waitFor();
    assert.match(await err.innerText(), /最多容纳 1 人.*已占用 1 个名额/);
    assert.equal((await staffApi.get(`/api/v1/bookings?resource_id=${court.id}`)).body.items.length, 1, 'nothing more booked');
    await page.reload();
    await page.locator(`${sel('bk-resource')}[data-id="${court.id}"]`).click();
    await page.locator(`${sel('bk-day')}[data-day="${day}"]`).click();
    await page.waitForFunction((s) => document.querySelector(s) && document.querySelector(s).disabled,
        `[data-test="bk-slot"][data-start="${day}T11:00:00+08:00"]`);
    await noWiderThanPhone(page, 'the booking page after a refusal');
});

test('on a phone: my bookings show the check-in code and cancel', async () => {
    const r = await staffApi.post('/api/v1/bookings', { resource_id: court.id, start_at: at(3, 18), end_at: at(3, 19) });
    assert.equal(r.status, 201, r.text);
    const { page } = await b.newPage(PHONE_CTX);
    await signIn(page, srv.url, 'staff', DEMO_PASSWORD, '#/booking/mine');
    const card = page.locator(`${sel('bk-mine-item')}[data-id="${r.body.id}"]`);
    await card.waitFor();
    assert.equal((await card.locator(sel('bk-code')).innerText()).trim(), r.body.check_in_code);
    await axeCheck(page, 'my bookings');
    await noWiderThanPhone(page, 'my bookings');
    await card.locator(sel('bk-cancel')).click();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await page.waitForFunction((s) => document.querySelector(s + ' [data-status="cancelled"]'), `[data-test="bk-mine-item"][data-id="${r.body.id}"]`);
    assert.equal((await staffApi.get(`/api/v1/bookings/${r.body.id}`)).body.status, 'cancelled');
});

test('the service centre: approves from its queue, checks in at its desk, sees the week', async () => {
    const p = await staffApi.post('/api/v1/bookings', { resource_id: hall.id, start_at: at(5, 10), end_at: at(5, 12), purpose: '支部主题党日' });
    assert.equal(p.status, 201, p.text);
    assert.equal(p.body.status, 'pending');
    const { page } = await b.newPage({ bypassCSP: true });
    await signIn(page, srv.url, 'property_manager', DEMO_PASSWORD, '#/booking/queue');
    const item = page.locator(`${sel('bk-queue-item')}[data-id="${p.body.id}"]`);
    await item.waitFor();
    await axeCheck(page, 'the approval queue');
    await item.locator(sel('bk-approve')).click();
    await item.waitFor({ state: 'detached' });
    assert.equal((await pm.get(`/api/v1/bookings/${p.body.id}`)).body.status, 'confirmed');
    // the desk: a booking starting within the quarter hour, checked in with its code
    const quick = await pm.post('/api/v1/resources', { name: '洽谈室（测试）', capacity: 1, slot_min: 5, hours: '1-7 00:00-24:00', closed_days: 'open_always' });
    assert.equal(quick.status, 201, quick.text);
    const next = Math.ceil((Date.now() + 1000) / 300000) * 300000;
    const q = await staffApi.post('/api/v1/bookings', { resource_id: quick.body.id, start_at: new Date(next).toISOString(), end_at: new Date(next + 600000).toISOString() });
    assert.equal(q.status, 201, q.text);
    await page.locator('#bk-desk-id').fill(String(q.body.id));
    await page.locator('#bk-desk-code').fill('WRONGCODE234');
    await page.locator(`${sel('bk-desk')} button[type="submit"]`).click();
    await page.locator(sel('bk-desk-msg')).waitFor();
    assert.match(await page.locator(sel('bk-desk-msg')).innerText(), /签到码不正确/);
    await page.locator('#bk-desk-code').fill(q.body.check_in_code.toLowerCase());
    await page.locator(`${sel('bk-desk')} button[type="submit"]`).click();
    await page.waitForFunction(() => /签到成功/.test((document.querySelector('[data-test="bk-desk-msg"]') || {}).innerText || ''));
    assert.equal((await pm.get(`/api/v1/bookings/${q.body.id}`)).body.status, 'checked_in');
    // the week of the hall: the approved booking's two hours show no place left
    await page.evaluate((h) => { location.hash = h; }, `#/booking/week?resource=${hall.id}&from=${tenantDay(5)}`);
    const grid = page.locator(sel('bk-grid'));
    await grid.waitFor();
    const full = await grid.locator('td.full').count();
    assert.equal(full, 2, 'two hours taken');
});
