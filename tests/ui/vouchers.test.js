// SPDX-License-Identifier: MIT
// vouchers.test.js - the union's vouchers in the browser. A staff member on
// a phone (390×844) opens "my vouchers" from the home page and sees this
// month's car-wash vouchers with their QR images (drawn by the server),
// serials and last day, nothing wider than the phone and no serious or
// critical axe violation. At the service point the centre's manager types
// a voucher's code into the scanner's manual field: redeemed; the same code
// again is refused with when and where, in Chinese; an altered code is
// refused as not genuine; nothing else changes. Then the camera: Chromium's
// fake camera plays a video of a voucher's QR image (the server's own SVG
// drawn into Y4M frames), the page reads it with jsQR under its real content
// security policy, and the voucher is redeemed. The statistics page: a chart
// of redemptions a month, the table as the API counts them, the XLSX link.
'use strict';

const { test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
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

// A voucher's QR image (the server's SVG: a path of one-module-high runs "Mx yhNv1h-Nz") drawn
// into a Y4M video that Chromium plays as its camera: black modules on white, 4:2:0 grey.
function qrVideo(svg, file) {
    const size = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)[1]);
    const W = 640, H = 480, px = Math.floor((H * 0.9) / size), x0 = (W - size * px) >> 1, y0 = (H - size * px) >> 1;
    const Y = Buffer.alloc(W * H, 235);
    for (const [, x, y, n] of svg.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g))
        for (let r = 0; r < px; r++)
            Y.fill(16, (y0 + Number(y) * px + r) * W + x0 + Number(x) * px, (y0 + Number(y) * px + r) * W + x0 + (Number(x) + Number(n)) * px);
    const UV = Buffer.alloc((W / 2) * (H / 2) * 2, 128);
    const frame = Buffer.concat([Buffer.from('FRAME\n'), Y, UV]);
    fs.writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F5:1 Ip A1:1 C420jpeg\n`), frame, frame, frame, frame, frame]));
}

test('the scanner\'s camera: the QR code held in front of it is read and the voucher redeemed', async () => {
    const v = (await staffApi.get('/api/v1/vouchers/mine')).body.items.find((x) => x.batch_id === batch.id && x.status === 'issued');
    assert.ok(v, 'an unused voucher of the batch');
    const img = await staffApi.fetch(`/api/v1/vouchers/${v.id}/qr.svg`);
    assert.equal(img.status, 200);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bureau-cam-')), 'qr.y4m');
    qrVideo(await img.text(), file);
    const cam = await openBrowser('vouchers-camera', ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${file}`]);
    try {
        // the page's own content security policy: the camera and jsQR must work under it
        const { page } = await cam.newPage({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
        await signIn(page, srv.url, 'property_manager', DEMO_PASSWORD);
        await page.goto(`${srv.url}/#/booking/scan`);
        await page.locator(sel('bk-scan-start')).click();
        const ok = page.locator(sel('bk-scan-ok'));
        await ok.waitFor({ timeout: 15000 });
        assert.match(await ok.innerText(), new RegExp(v.serial));
        const after = (await pm.get(`/api/v1/vouchers/${v.id}`)).body;
        assert.equal(after.status, 'redeemed');
        await page.locator(sel('bk-scan-stop')).click();
    } finally {
        await cam.close();
        fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
});

test('statistics: redemptions a month as a chart, the table as the API counts them, the XLSX link; axe', async () => {
    const stats = (await pm.get('/api/v1/vouchers/stats')).body;
    const services = ['haircut', 'car_wash', 'other'];
    const rows = stats.months.reduce((n, m) => n + services.filter((s) => m[s].issued).length, 0) +
        services.filter((s) => stats.total[s].issued).length;
    assert.ok(rows > 2, `${rows} rows`);
    const { page } = await b.newPage({ viewport: { width: 1280, height: 900 }, bypassCSP: true }); // axe is injected
    await signIn(page, srv.url, 'property_manager', DEMO_PASSWORD);
    await page.goto(`${srv.url}/#/booking/voucher-stats`);
    await page.locator(`${sel("bk-vstats-chart")} svg`).first().waitFor();
    assert.equal(await page.locator(sel('bk-stats-row')).count(), rows);
    const total = services.find((s) => stats.total[s].issued);
    const last = page.locator(sel('bk-stats-row')).filter({ hasText: '合计' }).first();
    assert.match(await last.innerText(), new RegExp(`\\b${stats.total[total].redeemed}\\b`));
    assert.equal(await page.locator(sel('bk-stats-xlsx')).getAttribute('href'), '/api/v1/vouchers/stats.xlsx');
    await axeCheck(page, 'voucher statistics');
});
