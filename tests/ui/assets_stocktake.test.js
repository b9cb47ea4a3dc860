// SPDX-License-Identifier: MIT
// assets_stocktake.test.js - stocktakes in the browser, on a phone (390×844).
// The demo liaison opens the stocktakes from the home page and their
// department's session in progress: the progress is the API's; a code typed
// in is answered as found with the asset's name. Then the camera: Chromium's
// fake camera plays a video of a real demo asset's label (the server's own QR
// SVG of a line not yet scanned, drawn into Y4M frames), the page reads it
// with jsQR under its real content security policy, shows that asset and the
// API has its line found. The assets manager, scanning in another room,
// gets "found elsewhere" with the rooms side by side and confirms it: the
// register moves the asset. An unknown code is offered as surplus; the form
// refuses an empty name before sending, then registers it as an asset. The
// result page of last year's session shows the API's counts and values and
// the workbook link. No sideways scroll; axe on each page.
'use strict';

const { test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer, api } = require('../api/lib/server');
const { openBrowser, signIn, sel, PHONE, DEMO_PASSWORD, axeCheck, pickOption } = require('./lib/browser');

const PHONE_CTX = { viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2, bypassCSP: true };

let srv, admin, b, session;

const pending = async (n = 0) => (await admin.all('stocktake_lines', { stocktake_id: session.id, result: 'pending' }))[n];
const narrow = async (page, what) => {
    const w = await page.evaluate(() => document.scrollingElement.scrollWidth);
    assert.ok(w <= PHONE.width, `${what}: ${w}px wide on a ${PHONE.width}px phone`);
};

before(async () => {
    srv = await startServer({ demo: true });
    admin = api(srv.url);
    session = (await admin.all('stocktakes', { status: 'in_progress' }))[0];
    assert.ok(session, 'the demo has a session in progress');
    b = await openBrowser('assets-stocktake');
});

after(async () => {
    if (b) await b.close();
    if (srv) await srv.stop();
});

afterEach(async (t) => {
    if (b) await b.onFailure(t);
});

test('the liaison on a phone: the session from the home page, its progress, a typed code found', async () => {
    const { page } = await b.newPage(PHONE_CTX);
    await signIn(page, srv.url, 'liaison', DEMO_PASSWORD);
    await page.locator(sel('home-as-stocktakes')).click();
    await page.locator(sel('st-list')).waitFor();
    const card = page.locator(`${sel('st-session')}[data-id="${session.id}"]`);
    await card.waitFor();
    assert.ok((await card.innerText()).includes(session.name), await card.innerText());
    await narrow(page, 'the list');
    await axeCheck(page, 'the stocktakes');
    await card.locator(sel('st-open')).click();
    await page.locator(sel('st-session-page')).waitFor();
    const res = (await admin.get(`/api/v1/stocktakes/${session.id}/result`)).body;
    await page.waitForFunction((s) => (document.querySelector(s)?.innerText || '').includes('/'), sel('st-progress'));
    assert.match(await page.locator(sel('st-progress')).innerText(), new RegExp(`已盘 ${res.scanned} / 应盘 ${res.expected}`));
    const line = await pending();
    const asset = (await admin.get(`/api/v1/assets/${line.asset_id}`)).body;
    const field = page.locator(`input${sel('st-code')}, ${sel('st-code')} input`).first();
    await field.fill(line.code.toLowerCase());
    await page.locator(sel('st-code-submit')).click();
    const ans = page.locator(sel('st-answer'));
    await ans.waitFor();
    assert.equal(await ans.getAttribute('data-result'), 'found');
    assert.match(await ans.innerText(), /账实相符/);
    assert.equal(await page.locator(sel('st-a-code')).innerText(), line.code);
    assert.equal(await page.locator(sel('st-a-name')).innerText(), asset.name);
    assert.match(await page.locator(sel('st-progress')).innerText(), new RegExp(`已盘 ${res.scanned + 1} / 应盘 ${res.expected}`));
    assert.equal((await admin.get(`/api/v1/stocktake_lines/${line.id}`)).body.result, 'found');
    // again: said as already scanned, not an error
    await field.fill(line.code);
    await page.locator(sel('st-code-submit')).click();
    await page.locator(sel('st-already')).waitFor();
    // the liaison neither confirms nor registers: no such buttons
    assert.equal(await page.locator(sel('st-finish')).count(), 0);
    await narrow(page, 'the session');
    await axeCheck(page, 'the session on a phone');
});

// A label's QR image (the server's SVG: a path of one-module-high runs "Mx yhNv1h-Nz") drawn
// into a Y4M video that Chromium plays as its camera: black modules on white, 4:2:0 grey.
function qrVideo(svg, file) {
    const size = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)[1]);
    const W = 640, H = 480, px = Math.floor((H * 0.9) / size), x0 = (W - size * px) >> 1, y0 = (H - size * px) >> 1;
    const Y = Buffer.alloc(W * H, 235);
    let runs = 0;
    for (const [, x, y, n] of svg.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
        runs++;
        for (let r = 0; r < px; r++)
            Y.fill(16, (y0 + Number(y) * px + r) * W + x0 + Number(x) * px, (y0 + Number(y) * px + r) * W + x0 + (Number(x) + Number(n)) * px);
    }
    assert.ok(runs > 20, `the label has ${runs} runs`);
    const UV = Buffer.alloc((W / 2) * (H / 2) * 2, 128);
    const frame = Buffer.concat([Buffer.from('FRAME\n'), Y, UV]);
    fs.writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F5:1 Ip A1:1 C420jpeg\n`), frame, frame, frame, frame, frame]));
}

test('the camera: a demo asset\'s label held in front of it is read and that asset shown', async () => {
    const line = await pending(1);
    const asset = (await admin.get(`/api/v1/assets/${line.asset_id}`)).body;
    const img = await admin.fetch(`/api/v1/stocktake_lines/${line.id}/label.svg`);
    assert.equal(img.status, 200);
    assert.equal(img.headers.get('content-type'), 'image/svg+xml');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bureau-cam-')), 'label.y4m');
    qrVideo(await img.text(), file);
    const cam = await openBrowser('assets-stocktake-camera', ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${file}`]);
    try {
        // the page's own content security policy: the camera and jsQR must work under it
        const { page } = await cam.newPage({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
        await signIn(page, srv.url, 'liaison', DEMO_PASSWORD);
        await page.goto(`${srv.url}/#/assets/stocktakes/${session.id}`);
        await page.locator(sel('st-camera-start')).click();
        const ans = page.locator(`${sel('st-answer')}[data-result="found"]`);
        await ans.waitFor({ timeout: 15000 });
        assert.equal(await page.locator(sel('st-a-code')).innerText(), line.code);
        assert.equal(await page.locator(sel('st-a-name')).innerText(), asset.name);
        const after = (await admin.get(`/api/v1/stocktake_lines/${line.id}`)).body;
        assert.equal(after.result, 'found');
        assert.ok(after.scanned_at, 'scanned, with the time');
        await page.locator(sel('st-camera-stop')).click();
    } finally {
        await cam.close();
        fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
});

test('the assets manager: found elsewhere, confirmed into the register; an unknown code registered as surplus', async () => {
    const line = await pending(2);
    const rooms = [...new Set((await admin.all('stocktake_lines', { stocktake_id: session.id })).map((l) => l.expected_room_id).filter(Boolean))];
    const other = rooms.find((r) => r !== line.expected_room_id);
    assert.ok(other, 'the department uses more than one room');
    const otherRoom = (await admin.get(`/api/v1/rooms/${other}`)).body;
    const roomName = (await admin.get(`/api/v1/stocktakes/${session.id}/result`)).body.names.rooms[other];
    assert.ok(roomName.includes(otherRoom.number), roomName);
    const { page } = await b.newPage(PHONE_CTX);
    await signIn(page, srv.url, 'assets_manager', DEMO_PASSWORD);
    await page.goto(`${srv.url}/#/assets/stocktakes/${session.id}`);
    await page.locator(sel('st-session-page')).waitFor();
    await pickOption(page, '#st-room', roomName, otherRoom.number);
    const field = page.locator(`input${sel('st-code')}, ${sel('st-code')} input`).first();
    await field.fill(line.code);
    await page.locator(sel('st-code-submit')).click();
    const ans = page.locator(`${sel('st-answer')}[data-result="moved"]`);
    await ans.waitFor();
    const diff = await page.locator(sel('st-differences')).innerText();
    assert.match(diff, new RegExp(otherRoom.number));
    await axeCheck(page, 'found elsewhere');
    await page.locator(sel('st-confirm')).click();
    await page.locator(sel('st-confirmed')).waitFor();
    assert.equal((await admin.get(`/api/v1/assets/${line.asset_id}`)).body.room_id, other, 'the register moved it');
    assert.equal((await admin.get(`/api/v1/stocktake_lines/${line.id}`)).body.confirmed, true);

    // an unknown code: the surplus form
    const code = `ZCUI-${Date.now().toString(36).toUpperCase()}`;
    await field.fill(code);
    await page.locator(sel('st-code-submit')).click();
    await page.locator(`${sel('st-answer')}[data-result="unknown"]`).waitFor();
    const form = page.locator(sel('st-surplus-form'));
    await form.waitFor();
    await page.locator(sel('st-s-submit')).click();
    await page.locator(sel('st-error-st-s-name')).waitFor();
    assert.equal((await admin.all('assets', { code })).length, 0, 'nothing sent');
    const cls = (await admin.all('asset_classes', { code: 'A0501' }))[0];
    await page.locator(`input${sel('st-s-name')}, ${sel('st-s-name')} input`).first().fill('会议椅');
    await pickOption(page, '#st-s-class', `${cls.code} ${cls.name}`, cls.name);
    await page.locator(`input${sel('st-s-value')}, ${sel('st-s-value')} input`).first().fill('680.50');
    const date = page.locator('#st-s-date');
    await date.click();
    await date.fill('2022-03-15');
    await date.press('Enter');
    await page.keyboard.press('Escape');
    await axeCheck(page, 'the surplus form');
    await narrow(page, 'the surplus form');
    await page.locator(sel('st-s-submit')).click();
    await page.locator(`${sel('st-answer')}[data-result="surplus"]`).waitFor();
    const made = (await admin.all('assets', { code }))[0];
    assert.ok(made, 'registered');
    assert.equal(made.name, '会议椅');
    assert.equal(made.original_value_fen, 68050);
    assert.equal(made.acquired_on, '2022-03-15');
    assert.equal(made.source, 'surplus');
    assert.equal(made.room_id, other, 'where it was found');
});

test('the result of last year\'s session: the API\'s counts and values, the workbook link', async () => {
    const fin = (await admin.all('stocktakes', { status: 'finished' }))[0];
    const res = (await admin.get(`/api/v1/stocktakes/${fin.id}/result`)).body;
    const { page } = await b.newPage(PHONE_CTX);
    await signIn(page, srv.url, 'assets_manager', DEMO_PASSWORD);
    await page.goto(`${srv.url}/#/assets/stocktakes/${fin.id}/result`);
    await page.locator(sel('st-result')).waitFor();
    const yuan = (fen) => '¥' + (fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    for (const g of ['found', 'moved', 'missing', 'surplus']) {
        const row = await page.locator(sel(`st-sum-${g}`)).innerText();
        assert.match(row, new RegExp(`\\b${res.counts[g]}\\b`), `${g}: ${row}`);
        assert.ok(row.includes(yuan(res.values[g].original_fen)), `${g}: ${row} has ${yuan(res.values[g].original_fen)}`);
        assert.equal(await page.locator(`${sel(`st-group-${g}`)} ${sel('st-line')}`).count(), res.lines[g].length);
    }
    for (const l of res.lines.missing)
        assert.equal(await page.locator(`${sel('st-group-missing')} [data-code="${l.code}"]`).count(), 1);
    assert.equal(await page.locator(sel('st-xlsx')).getAttribute('href'), `/api/v1/stocktakes/${fin.id}/result.xlsx`);
    await axeCheck(page, 'the result');
});
