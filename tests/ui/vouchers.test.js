// SPDX-License-Identifier: MIT
// vouchers.test.js - the union's vouchers in the browser. A staff member on
// a phone (390×844) opens "my vouchers" from the home page and sees this
// month's car-wash vouchers with their QR images (drawn by the server),
// serials and last day, nothing wider than the phone and no serious or
// critical axe violation. At the service point the centre's manager types
// a voucher's code into the scanner's manual field: redeemed; the same code
// again is refused with when and where, in Chinese; an altered code is
// refused as not genuine; nothing else changes.
'use strict';

const { test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, api } = require('../api/lib/server');
const { openBrowser, signIn, sel, PHONE, DEMO_PASSWORD, axeCheck } = require('./lib/browser');

const PHONE_CTX = { viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2, bypassCSP: true };

let srv, pm, staffApi, b, batch;

before(async () => {
    srv = await startServer({ demo: true });
    const admin = api(srv.url);
    pm = api(srv.url, { username: 'property_manager', password: DEMO_PASSWORD });
    staffApi = api(srv.url, { username: 'staff', password: DEMO_PASSWORD });
    await staffApi.login();
    const offsetMin = (await admin.get('/api/v1/tenants/1')).body.utc_offset_min;
    const month = new Date(Date.now() + offsetMin * 60000).toISOString().slice(0, 7);
    const person = (await admin.get(`/api/v1/users/${staffApi.session.user.id}`)).body.person_id;
    const dept = (await admin.get(`/api/v1/people/${person}`)).body.department_id;
    const u = await admin.patch(`/api/v1/people/${person}`, { union_member: true });
    assert.equal(u.status, 200, u.text);
    const r = await pm.post('/api/v1/voucher_batches', { service: 'car_wash', month, per_person: 2, department_id: dept, label: `${month} 洗车券（测试）` });
    assert.equal(r.status, 201, r.text);
    batch = r.body;
    const i = await pm.post(`/api/v1/voucher_batches/${batch.id}/issue`, {});
    assert.equal(i.status, 200, i.text);
    b = await openBrowser('vouchers');
});

after(async () => {
    if (b) await b.close();
    if (srv) await srv.stop();
});

afterEach(async (t) => {
    if (b) await b.onFailure(t);
});

test('on a phone: my vouchers by service, each unused one with its QR image', async () => {
    const { page } = await b.newPage(PHONE_CTX);
    await signIn(page, srv.url, 'staff', DEMO_PASSWORD);
    await page.locator(sel('home-bk-wallet')).click();
    await page.locator(sel('bk-wallet')).waitFor();
    const mine = (await staffApi.get('/api/v1/vouchers/mine')).body.items.filter((v) => v.batch_id === batch.id);
    assert.equal(mine.length, 2);
    for (const v of mine) {
        const card = page.locator(`${sel('bk-voucher')}[data-id="${v.id}"]`);
        await card.waitFor();
        assert.match(await card.innerText(), new RegExp(v.serial));
        assert.match(await card.innerText(), /未使用/);
        const img = card.locator('img.bk-qr');
        await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle());
        assert.equal(await img.getAttribute('alt'), `服务券 ${v.serial} 的二维码`);
    }
    await page.locator(sel('bk-vgroup-car_wash')).waitFor();
    await axeCheck(page, 'my vouchers');
    const w = await page.evaluate(() => document.scrollingElement.scrollWidth);
    assert.ok(w <= PHONE.width, `my vouchers: ${w}px wide on a ${PHONE.width}px phone`);
});

test('the scanner: a code typed in is redeemed once; again, and altered, refused with the reason', async () => {
    const v = (await staffApi.get('/api/v1/vouchers/mine')).body.items.find((x) => x.batch_id === batch.id && x.status === 'issued');
    const { page } = await b.newPage(PHONE_CTX);
    await signIn(page, srv.url, 'property_manager', DEMO_PASSWORD);
    await page.goto(`${srv.url}/#/booking/scan`);
    await page.locator(sel('bk-scan')).waitFor();
    const field = page.locator(`input${sel('bk-scan-code')}, ${sel('bk-scan-code')} input`).first();
    const send = async (code) => {
        await field.fill(code);
        await page.locator(sel('bk-scan-submit')).click();
    };
    await send(v.code);
    const ok = page.locator(sel('bk-scan-ok'));
    await ok.waitFor();
    assert.match(await ok.innerText(), new RegExp(v.serial));
    assert.equal((await pm.get(`/api/v1/vouchers/${v.id}`)).body.status, 'redeemed');
    await send(v.code);
    const no = page.locator(sel('bk-scan-refused'));
    await no.waitFor();
    assert.match(await no.innerText(), /该券已于 .+ 在.+使用/);
    const other = (await staffApi.get('/api/v1/vouchers/mine')).body.items.find((x) => x.batch_id === batch.id && x.status === 'issued');
    await send(other.code.slice(0, -2) + (other.code.endsWith('AA') ? 'BB' : 'AA'));
    await page.waitForFunction(() => /券码校验未通过/.test(document.querySelector('[data-test="bk-scan-refused"]')?.innerText || ''));
    assert.equal((await pm.get(`/api/v1/vouchers/${other.id}`)).body.status, 'issued');
    await axeCheck(page, 'the scanner');
});
