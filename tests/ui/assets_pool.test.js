// SPDX-License-Identifier: MIT
// assets_pool.test.js - the public property pool 公物仓 in the browser. A
// liaison on a phone (390×844) opens the pool from the home page: the
// gallery shows an item another department handed in with its photo, its
// condition, its net value and the purchase it saves (¥ with two decimals,
// the API's figures); nothing is wider than the phone. The liaison asks for
// it (reuse, their department, a purpose): a request without a purpose is
// said at the field and nothing is sent; then the API holds the request as
// typed with the saving. The assets manager approves it from the queue: the
// asset is the liaison's department's, in use, with its transfer row, and the
// transfer history component shows it. The leader's disposal page shows the
// value band and who must approve. axe finds no serious or critical
// violation on the gallery (phone), the dialog, the queue, the loans page,
// the disposal page and the transfer history.
'use strict';

const { test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, api } = require('../api/lib/server');
const { openBrowser, signIn, sel, PHONE, DEMO_PASSWORD, axeCheck, goHash, pickOption } = require('./lib/browser');

const PHONE_CTX = { viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2, bypassCSP: true };
const DESK_CTX = { viewport: { width: 1366, height: 900 }, bypassCSP: true };

let srv, admin, am, liaisonApi, b, item, ldept, ldeptName, other;

function png() {
    // a real 1×1 PNG, so that the gallery's image decodes
    return Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
}

const yuan = (fen) => '¥' + (fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

before(async () => {
    srv = await startServer({ demo: true });
    admin = api(srv.url);
    am = api(srv.url, { username: 'assets_manager', password: DEMO_PASSWORD });
    liaisonApi = api(srv.url, { username: 'liaison', password: DEMO_PASSWORD });
    await am.login();
    await liaisonApi.login();
    const lu = (await admin.get('/api/v1/users?username=liaison')).body.items[0];
    ldept = (await admin.get(`/api/v1/people/${lu.person_id}`)).body.department_id;
    ldeptName = (await admin.get(`/api/v1/departments/${ldept}`)).body.name;
    other = (await admin.all('departments')).find((d) => d.id !== ldept && d.id !== 1).id;
    const sub = (await admin.all('asset_classes', { code: 'A0501' }))[0].id;
    const cat = (await admin.all('asset_categories')).find((c) => c.name === '家具').id;
    const a = await admin.post('/api/v1/assets', { name: '实木会议桌（测试）', class_id: sub, category_id: cat, original_value_fen: 456789, acquired_on: '2023-02-01', department_id: other, status: 'idle' });
    assert.equal(a.status, 201, a.text);
    const photo = await am.post('/api/v1/files/upload?name=desk.png', png(), { contentType: 'image/png' });
    assert.equal(photo.status, 201, photo.text);
    const h = await am.post(`/api/v1/assets/${a.body.id}/hand_in`, { condition: 'good', note: '桌面无划痕', photo: photo.body.id });
    assert.equal(h.status, 200, h.text);
    item = (await am.get(`/api/v1/pool?q=${encodeURIComponent('实木会议桌（测试）')}`)).body.items[0];
    assert.ok(item);
    b = await openBrowser('assets_pool');
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

test('on a phone: the gallery with photo, condition, net value and saving; ask for an item (reuse)', async () => {
    const { page } = await b.newPage(PHONE_CTX);
    await signIn(page, srv.url, 'liaison', DEMO_PASSWORD);
    await page.locator(sel('home-as-pool')).click();
    await page.locator(sel('as-gallery')).waitFor();
    assert.ok(await page.locator(sel('as-pool-card')).count() >= 10, 'the demo pool');
    // the pool's figures as the API counts them
    const fig = (await liaisonApi.get('/api/v1/pool/summary')).body;
    await page.locator(sel('as-figures')).waitFor();
    assert.equal(await page.locator(sel('as-fig-items')).innerText(), String(fig.pool_items));
    assert.equal(await page.locator(sel('as-fig-reused')).innerText(), `${fig.reused_year} 件，节约 ${yuan(fig.reused_value_year_fen)}`);
    assert.equal(await page.locator(sel('as-fig-disposals')).count(), 0, 'a liaison approves no disposals');
    await axeCheck(page, 'the pool gallery on a phone');
    await noWiderThanPhone(page, 'the pool gallery');
    await page.locator(`input${sel('as-pool-q')}`).fill('实木会议桌');
    const card = page.locator(`${sel('as-pool-card')}[data-asset="${item.asset_id}"]`);
    await card.waitFor();
    await page.waitForFunction((s) => document.querySelectorAll(s).length === 1, '[data-test="as-pool-card"]');
    assert.equal(await card.locator(sel('as-net')).innerText(), yuan(item.net_value_fen));
    assert.match(await card.locator(sel('as-saves')).innerText(), new RegExp(yuan(456789).replace(/[.$]/g, '\\$&')));
    assert.equal(await card.locator('[data-condition]').getAttribute('data-condition'), 'good');
    // the photo decodes (the files module serves it to whoever may browse the pool)
    await page.waitForFunction((s) => { const i = document.querySelector(s); return i && i.complete && i.naturalWidth > 0; }, `[data-asset="${item.asset_id}"] img`);
    await noWiderThanPhone(page, 'the filtered gallery');

    await card.locator(sel('as-ask')).click();
    const dlg = page.locator(sel('as-ask-dialog'));
    await dlg.waitFor();
    assert.match(await dlg.locator(sel('as-ask-saves')).innerText(), /4,567\.89/);
    await axeCheck(page, 'the ask dialog');
    // no purpose: said at the field, nothing sent
    let posted = 0;
    page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/api/v1/pool_requests')) posted++; });
    await pickOption(page, '#as-ask-department_id', ldeptName, ldeptName);
    await page.locator(sel('as-ask-send')).click();
    await dlg.locator('.el-form-item__error').first().waitFor();
    assert.equal(posted, 0);
    await page.locator('#as-ask-purpose').fill('新进人员会议室使用');
    const [resp] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/pool_requests')),
        page.locator(sel('as-ask-send')).click(),
    ]);
    assert.equal(resp.status(), 201);
    const rq = (await admin.all('pool_requests', { asset_id: item.asset_id }))[0];
    assert.equal(rq.kind, 'reuse');
    assert.equal(rq.department_id, ldept);
    assert.equal(rq.purpose, '新进人员会议室使用');
    assert.equal(rq.saves_fen, 456789);
    assert.equal(rq.status, 'pending');
    // the liaison's own page lists it among the requests awaiting approval
    await goHash(page, '#/assets/pool/loans');
    await page.locator(`${sel('as-pending-table')}`).waitFor();
    await page.locator(sel('as-pending-table')).getByText('实木会议桌（测试）').first().waitFor();
    await axeCheck(page, 'the loans page on a phone');
    await noWiderThanPhone(page, 'the loans page');
});

test('the assets manager approves from the queue: custody and books move; the transfer history shows it', async () => {
    const { page } = await b.newPage(DESK_CTX);
    await signIn(page, srv.url, 'assets_manager', DEMO_PASSWORD);
    await goHash(page, '#/assets/pool/queue');
    const table = page.locator(sel('as-queue-table'));
    await table.waitFor();
    const row = table.locator('tr.el-table__row', { hasText: '实木会议桌（测试）' });
    await row.waitFor();
    await axeCheck(page, 'the approval queue');
    await row.locator(sel('as-approve')).click();
    const dlg = page.locator(sel('as-approve-dialog'));
    await dlg.waitFor();
    await page.locator('#as-approve-dialog-note').fill('同意调剂');
    const [resp] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && /\/pool_requests\/\d+\/approve$/.test(r.url())),
        page.locator(sel('as-approve-dialog-submit')).click(),
    ]);
    assert.equal(JSON.parse(resp.request().postData()).note, '同意调剂');
    assert.equal(resp.status(), 200, await resp.text());
    await row.waitFor({ state: 'detached' });
    const asset = (await admin.get(`/api/v1/assets/${item.asset_id}`)).body;
    assert.equal(asset.status, 'in_use');
    assert.equal(asset.department_id, ldept);
    const tr = (await admin.all('asset_transfers', { asset_id: item.asset_id }));
    assert.equal(tr.length, 1);
    assert.equal(tr[0].kind, 'reuse');
    await goHash(page, `#/assets/${item.asset_id}/transfers`);
    const hist = page.locator(`${sel('as-transfer')}[data-kind="reuse"]`);
    await hist.waitFor();
    assert.match(await hist.innerText(), new RegExp(ldeptName));
    await axeCheck(page, 'the transfer history');
});

test('a liaison hands an idle asset of the department in, with its condition and a photo', async () => {
    const sub = (await admin.all('asset_classes', { code: 'A0501' }))[0].id;
    const cat = (await admin.all('asset_categories')).find((c) => c.name === '家具').id;
    const a = (await admin.post('/api/v1/assets', { name: '文件柜（测试）', class_id: sub, category_id: cat, original_value_fen: 120000, acquired_on: '2022-05-01', department_id: ldept, status: 'idle' })).body;
    const { page } = await b.newPage(PHONE_CTX);
    await signIn(page, srv.url, 'liaison', DEMO_PASSWORD);
    await goHash(page, `#/assets/${a.id}/transfers`);
    await page.locator(sel('as-hand-in')).click();
    const dlg = page.locator(sel('as-hand-in-dialog'));
    await dlg.waitFor();
    await dlg.locator(sel('as-hi-condition')).getByText('一般').click();
    await page.locator('#as-hi-note').fill('抽屉锁损坏一把');
    const [up] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/api/v1/files/upload')),
        dlg.locator(sel('photo-pick')).setInputFiles({ name: 'cabinet.png', mimeType: 'image/png', buffer: png() }),
    ]);
    assert.equal(up.status(), 201);
    const fileId = (await up.json()).id;
    await dlg.locator(sel('photo-thumb')).first().waitFor();
    await axeCheck(page, 'the hand-in dialog');
    const [resp] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/api/v1/assets/${a.id}/hand_in`)),
        page.locator(sel('as-hi-send')).click(),
    ]);
    assert.equal(resp.status(), 200, await resp.text());
    assert.deepEqual(JSON.parse(resp.request().postData()), { condition: 'fair', note: '抽屉锁损坏一把', photo: fileId });
    await dlg.waitFor({ state: 'detached' });
    assert.equal((await admin.get(`/api/v1/assets/${a.id}`)).body.status, 'pooled');
    const it = (await admin.all('pool_items', { asset_id: a.id }))[0];
    assert.equal(it.condition, 'fair');
    assert.deepEqual(it.photos, [fileId]);
    // the button is gone: the asset is in the pool now
    await page.locator(sel('as-hand-in')).waitFor({ state: 'detached' });
    await noWiderThanPhone(page, 'the asset\'s page');
});

test('the disposal page: the value band and who must approve; the leader approves', async () => {
    const sub = (await admin.all('asset_classes', { code: 'A0201' }))[0].id;
    const cat = (await admin.all('asset_categories')).find((c) => c.name === '计算机设备').id;
    const a = await admin.post('/api/v1/assets', { name: '服务器（测试）', class_id: sub, category_id: cat, original_value_fen: 6800000, acquired_on: '2016-01-01', department_id: other, status: 'idle' });
    // the assets manager makes the batch from the asset picked in the register (?assets=)
    const mp = (await b.newPage(DESK_CTX)).page;
    await signIn(mp, srv.url, 'assets_manager', DEMO_PASSWORD);
    await goHash(mp, `#/c/asset_disposals/new?assets=${a.body.id}`);
    await mp.locator(sel('as-d-picked')).getByText('服务器（测试）').waitFor();
    const nb = mp.locator(sel('as-d-band'));
    assert.equal(await nb.getAttribute('data-band'), 'leader');
    assert.equal(await nb.locator(sel('as-total')).innerText(), '¥68,000.00');
    // no reason: said at the field, nothing sent
    let posted = 0;
    mp.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/api/v1/asset_disposals')) posted++; });
    await mp.locator(sel('as-d-save')).click();
    await mp.locator('.el-form-item__error').first().waitFor();
    assert.equal(posted, 0);
    await axeCheck(mp, 'the new disposal form');
    await mp.locator('#as-d-reason').fill('超过使用年限');
    await mp.locator(sel('as-d-save')).click();
    await mp.locator(sel('as-disposal')).waitFor();
    const d = { body: (await am.get('/api/v1/asset_disposals?sort=-id&limit=1')).body.items[0] };
    assert.deepEqual([d.body.type, d.body.reason, d.body.asset_ids, d.body.status], ['scrap', '超过使用年限', [a.body.id], 'draft']);
    await mp.locator(sel('as-d-submit')).click();
    await Promise.all([
        mp.waitForResponse((r) => r.request().method() === 'POST' && /\/asset_disposals\/\d+\/submit$/.test(r.url())),
        mp.locator(sel('as-d-submit-dialog-submit')).click(),
    ]);
    await mp.locator('[data-test="as-disposal"] [data-status="submitted"]').waitFor();
    assert.equal(await mp.locator(sel('as-d-approve')).count(), 0, 'the submitter is not offered approve');
    await mp.close();
    const { page } = await b.newPage(DESK_CTX);
    await signIn(page, srv.url, 'leader', DEMO_PASSWORD);
    await goHash(page, `#/c/asset_disposals/${d.body.id}`);
    const band = page.locator(sel('as-band'));
    await band.waitFor();
    assert.equal(await band.getAttribute('data-band'), 'leader');
    assert.equal(await band.locator(sel('as-total')).innerText(), '¥68,000.00');
    assert.match(await band.innerText(), /局领导/);
    await page.locator(sel('as-d-items')).getByText('服务器（测试）').waitFor();
    await axeCheck(page, 'the disposal page');
    await page.locator(sel('as-d-approve')).click();
    const dlg = page.locator(sel('as-d-approve-dialog'));
    await dlg.waitFor();
    const [resp] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && /\/asset_disposals\/\d+\/approve$/.test(r.url())),
        page.locator(sel('as-d-approve-dialog-submit')).click(),
    ]);
    assert.equal(resp.status(), 200, await resp.text());
    await page.locator('[data-test="as-disposal"] [data-status="approved"]').waitFor();
    assert.equal((await admin.get(`/api/v1/assets/${a.body.id}`)).body.status, 'disposed');
});
