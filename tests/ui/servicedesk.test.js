// SPDX-License-Identifier: MIT
// servicedesk.test.js - the service desk in the browser. At phone size
// (390×844, touch) a staff member files a request with a photo from the
// camera input, the crew member (contractor) accepts and completes it in the
// work order queue, the requester sees the bell's count, follows the
// notification and rates the request 5 stars; the API then has it closed with
// score 5 and the photo attached. The dispatcher (property_manager) finds a
// request nobody was routed to on the board and assigns it. axe finds no
// serious or critical violation on the new pages.
'use strict';

const { test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, api } = require('../api/lib/server');
const { openBrowser, signIn, goHash, sel, pickOption, PHONE, DEMO_PASSWORD, axeCheck } = require('./lib/browser');

const PHONE_CTX = { viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const TITLE = '三楼会议室灯管闪烁';

let srv, admin, staffApi, b;
let staffPage;              // the requester's phone, kept across the steps
let requestId = null, photoId = null;

before(async () => {
    srv = await startServer({ demo: true });
    admin = api(srv.url);
    staffApi = api(srv.url, { username: 'staff', password: DEMO_PASSWORD });
    b = await openBrowser('servicedesk');
});

after(async () => {
    if (b) await b.close();
    if (srv) await srv.stop();
});

afterEach(async (t) => {
    if (b) await b.onFailure(t);
});

async function assertNoSideScroll(page, what) {
    const m = await page.evaluate(() => {
        const y = window.scrollY;
        window.scrollTo(200, y);
        const moved = window.scrollX;
        window.scrollTo(0, y);
        return { width: document.documentElement.scrollWidth, body: document.body.scrollWidth, moved };
    });
    assert.ok(m.width <= PHONE.width && m.body <= PHONE.width, `${what}: the page is ${m.width} px wide`);
    assert.equal(m.moved, 0, `${what}: the page scrolls sideways`);
}

// A small real JPEG, drawn by the browser itself.
async function makeJpeg(page) {
    const b64 = await page.evaluate(async () => {
        const c = document.createElement('canvas');
        c.width = 64; c.height = 48;
        const g = c.getContext('2d');
        g.fillStyle = '#e0e7ff'; g.fillRect(0, 0, 64, 48);
        g.fillStyle = '#b91c1c'; g.fillRect(8, 8, 30, 20);
        const blob = await new Promise((res) => c.toBlob(res, 'image/jpeg', 0.9));
        const bytes = new Uint8Array(await blob.arrayBuffer());
        let s = '';
        for (const x of bytes) s += String.fromCharCode(x);
        return btoa(s);
    });
    return Buffer.from(b64, 'base64');
}

const isPost = (p) => (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === p;

test('a staff member files a request with a photo at phone size', async () => {
    ({ page: staffPage } = await b.newPage(PHONE_CTX));
    const page = staffPage;
    await signIn(page, srv.url, 'staff', DEMO_PASSWORD);
    await page.locator(sel('dashboard')).waitFor();
    const link = page.locator(sel('home-sd-new'));
    await link.waitFor();
    await b.shot(page, 'home');
    await link.click();
    await page.locator(sel('sd-new')).waitFor();
    await page.locator(sel('type-repair')).waitFor();
    await b.shot(page, 'new-empty', { fullPage: true });
    await assertNoSideScroll(page, 'report a problem');

    // nothing chosen: the page says what is missing, nothing is sent
    let posted = 0;
    const count = (r) => { if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/service_requests') posted++; };
    page.on('request', count);
    await page.locator(sel('save')).click();
    await page.locator(sel('error-type_id')).waitFor();
    await page.locator(sel('error-title')).waitFor();
    await b.shot(page, 'new-errors');
    assert.equal(posted, 0, 'nothing is sent while fields are missing');
    page.off('request', count);

    await page.locator(sel('type-repair')).click();
    assert.equal(await page.locator(sel('type-repair')).getAttribute('aria-checked'), 'true');
    await page.locator(sel('urgency-high')).click();
    await page.locator('#sd-title').fill(TITLE);
    await page.locator('#sd-description').fill('东侧两根灯管一直闪，开会时很影响视线。');
    await page.locator('#sd-building').fill('区行政中心A座');
    await page.locator('#sd-floor').fill('3F');
    await page.locator('#sd-room').fill('305');
    await page.locator('#sd-contact_phone').fill('0755-8888 1234');

    // a photo from the camera input: uploaded at once, shown as a thumbnail
    const jpeg = await makeJpeg(page);
    const [up] = await Promise.all([
        page.waitForResponse(isPost('/api/v1/files/upload')),
        page.locator(sel('photo-input')).setInputFiles({ name: 'lamp.jpg', mimeType: 'image/jpeg', buffer: jpeg }),
    ]);
    assert.equal(up.status(), 201, await up.text());
    photoId = (await up.json()).id;
    await page.locator(`${sel('photo-thumb')}[data-file-id="${photoId}"]`).waitFor();
    await b.shot(page, 'new-filled', { fullPage: true });
    await assertNoSideScroll(page, 'report a problem, filled in');

    const [resp] = await Promise.all([
        page.waitForResponse(isPost('/api/v1/service_requests')),
        page.locator(sel('save')).click(),
    ]);
    assert.equal(resp.status(), 201, await resp.text());
    const created = await resp.json();
    requestId = created.id;
    assert.deepEqual(created.photos, [photoId]);
    assert.equal(created.urgency, 'high');

    // the request's page: steps, photo, timeline
    await page.locator(sel('detail-service_requests')).waitFor();
    await page.locator(sel('status-steps')).waitFor();
    await page.locator(`${sel('value-photos')} ${sel('photo-thumb')}[data-file-id="${photoId}"] img`).waitFor();
    await page.locator(sel('timeline-item')).first().waitFor();
    assert.equal(await page.locator(sel('page-title')).innerText(), TITLE);
    await b.shot(page, 'request-filed', { fullPage: true });
    await assertNoSideScroll(page, 'the request page');
    // the photo opens larger
    await page.locator(`${sel('value-photos')} ${sel('photo-thumb')} button`).first().click();
    await page.locator('.el-image-viewer__wrapper').waitFor();
    await b.shot(page, 'photo-preview');
    await page.keyboard.press('Escape');
    await page.locator('.el-image-viewer__wrapper').waitFor({ state: 'detached' });
});

test('the crew member accepts and completes it in the queue at phone size', async () => {
    assert.ok(requestId, 'a request was filed');
    const { page } = await b.newPage(PHONE_CTX);
    await signIn(page, srv.url, 'contractor', DEMO_PASSWORD, '#/servicedesk/queue');
    const card = page.locator(`${sel('queue-item')}[data-request="${requestId}"]`);
    await card.waitFor();
    await card.scrollIntoViewIfNeeded();
    await b.shot(page, 'queue');
    await assertNoSideScroll(page, 'the queue');

    const [acc] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && /\/api\/v1\/work_orders\/\d+\/accept$/.test(new URL(r.url()).pathname)),
        card.locator(sel('wo-accept')).click(),
    ]);
    assert.equal(acc.status(), 200, await acc.text());
    await card.locator(sel('wo-complete')).waitFor();
    await b.shot(page, 'queue-accepted');

    await card.locator(sel('wo-complete')).click();
    const dlg = page.locator(sel('complete-dialog'));
    await dlg.waitFor();
    await page.locator('#complete-dialog-result').fill('更换灯管两根，已恢复正常。');
    await page.locator('#complete-dialog-parts').fill('T8 灯管 ×2');
    await page.locator('#complete-dialog-cost').fill('36.50');
    await b.shot(page, 'complete-dialog');
    const [done] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && /\/api\/v1\/work_orders\/\d+\/complete$/.test(new URL(r.url()).pathname)),
        page.locator(sel('complete-dialog-submit')).click(),
    ]);
    assert.equal(done.status(), 200, await done.text());
    const wo = await done.json();
    assert.equal(wo.status, 'done');
    assert.equal(wo.cost_fen, 3650);
    await card.locator('[data-status="done"]').waitFor();
    await b.shot(page, 'queue-done');
    const r = (await admin.get(`/api/v1/service_requests/${requestId}`)).body;
    assert.equal(r.status, 'resolved');
});

test('the requester sees the bell, follows it and rates the request 5 stars', async () => {
    assert.ok(requestId, 'a request was filed');
    const page = staffPage;
    const unread = (await staffApi.get('/api/v1/me/notifications/unread')).body.unread;
    assert.ok(unread >= 1, 'the requester has unread notifications');
    // a new page load asks for the count at once (then every minute)
    await page.reload();
    const count = page.locator(sel('bell-count'));
    await count.waitFor();
    assert.equal((await count.innerText()).trim(), String(unread));
    await b.shot(page, 'bell-count');

    await page.locator(sel('bell')).click();
    const item = page.locator(sel('bell-item')).first();
    await item.waitFor();
    await b.shot(page, 'bell-open');
    await item.click();
    await page.waitForFunction((id) => location.hash === `#/c/service_requests/${id}`, requestId);
    await page.locator(sel('rate-panel')).waitFor();
    await page.locator(`${sel('detail-service_requests')}[data-status="resolved"]`).waitFor();
    await b.shot(page, 'resolved', { fullPage: true });
    await assertNoSideScroll(page, 'the resolved request');

    // five stars and a word, on the phone
    await page.locator(`${sel('rate-stars')} .el-rate__item`).nth(4).click();
    await page.locator('#rate-comment').fill('响应很快，师傅很专业。');
    await b.shot(page, 'rating');
    const [rate] = await Promise.all([
        page.waitForResponse(isPost(`/api/v1/service_requests/${requestId}/rate`)),
        page.locator(sel('rate-submit')).click(),
    ]);
    assert.equal(rate.status(), 200, await rate.text());
    assert.deepEqual(JSON.parse(rate.request().postData()), { score: 5, comment: '响应很快，师傅很专业。' });
    await page.locator(`${sel('detail-service_requests')}[data-status="closed"]`).waitFor();
    await page.locator(sel('value-score')).waitFor();
    await page.locator(`${sel('timeline-item')}[data-kind="rated"]`).waitFor();
    await b.shot(page, 'closed', { fullPage: true });

    // what the API has
    const r = (await admin.get(`/api/v1/service_requests/${requestId}`)).body;
    assert.equal(r.status, 'closed');
    assert.equal(r.score, 5);
    assert.equal(r.rating_comment, '响应很快，师傅很专业。');
    assert.equal(r.close_reason, 'confirmed');
    assert.deepEqual(r.photos, [photoId]);
    const f = (await admin.get(`/api/v1/files/${photoId}`)).body;
    assert.equal(f.collection, 'service_requests');
    assert.equal(f.record_id, requestId);
    assert.equal(f.content_type, 'image/jpeg');
    const bytes = await staffApi.get(`/api/v1/files/${photoId}/content`, { raw: true });
    assert.equal(bytes.status, 200);
    assert.equal(bytes.body[0], 0xff);
    assert.equal(bytes.body[1], 0xd8);
});

// A request no routing rule takes: the rules are switched off while it is filed.
async function fileUnrouted(title) {
    const rules = (await admin.get('/api/v1/routing_rules?active=true&limit=100')).body.items;
    const off = async (r, active) => {
        const cur = (await admin.get(`/api/v1/routing_rules/${r.id}`)).body;
        const res = await admin.patch(`/api/v1/routing_rules/${r.id}`, { active }, { headers: { 'If-Match': `"${cur.version}"` } });
        assert.equal(res.status, 200, res.text);
    };
    for (const r of rules) await off(r, false);
    try {
        const type = (await admin.get('/api/v1/service_types?code=cleaning')).body.items[0];
        const res = await staffApi.post('/api/v1/service_requests', {
            title, type_id: type.id, description: '走廊垃圾桶已满。', building: '区委大院', floor: '2F', urgency: 'normal',
        });
        assert.equal(res.status, 201, res.text);
        assert.equal(res.body.status, 'submitted');
        return res.body;
    } finally {
        for (const r of rules) await off(r, true);
    }
}

test('the dispatcher finds a submitted request on the board and assigns it', async () => {
    const req = await fileUnrouted('二楼走廊垃圾桶满了');
    const { page } = await b.newPage();
    await signIn(page, srv.url, 'property_manager', DEMO_PASSWORD);
    await page.locator(sel('nav-sd-board')).click();
    await page.locator(sel('sd-board')).waitFor();
    const card = page.locator(`${sel('board-col-submitted')} ${sel('board-card')}[data-id="${req.id}"]`);
    await card.waitFor();
    await b.shot(page, 'board');

    // the filters go to the API
    const [filtered] = await Promise.all([
        page.waitForResponse((r) => {
            const u = new URL(r.url());
            return u.pathname === '/api/v1/service_requests' && u.searchParams.get('status') === 'submitted' && u.searchParams.get('urgency') === 'normal';
        }),
        pickOption(page, '#board-urgency', '一般'),
    ]);
    assert.equal(filtered.status(), 200);
    const fu = new URL(filtered.url());
    assert.equal(fu.searchParams.get('sort'), 'resolve_due_at');
    assert.ok((await filtered.json()).items.some((x) => x.id === req.id));
    await card.waitFor();

    await card.locator(sel('board-assign')).click();
    await page.locator(sel('assign-dialog')).waitFor();
    await pickOption(page, '#assign-team', '保洁班');
    await b.shot(page, 'assign-dialog');
    const [resp] = await Promise.all([
        page.waitForResponse(isPost(`/api/v1/service_requests/${req.id}/assign`)),
        page.locator(sel('assign-submit')).click(),
    ]);
    assert.equal(resp.status(), 200, await resp.text());
    await card.waitFor({ state: 'detached' });
    await b.shot(page, 'board-assigned');
    const team = (await admin.get('/api/v1/service_teams?name=保洁班')).body.items[0];
    const r = (await admin.get(`/api/v1/service_requests/${req.id}`)).body;
    assert.equal(r.status, 'assigned');
    assert.equal(r.team_id, team.id);
});

test('reports: key figures, charts and the XLSX link for the chosen period', async () => {
    const { page } = await b.newPage();
    await signIn(page, srv.url, 'property_manager', DEMO_PASSWORD, '#/servicedesk/reports?from=2026-01-01&to=2026-11-30');
    await page.locator(`${sel('chart-volume')} svg`).first().waitFor();
    await page.locator(`${sel('chart-team')} svg`).first().waitFor();
    const want = (await admin.get('/api/v1/servicedesk/report?from=2026-01-01&to=2026-11-30')).body;
    const shown = (await page.locator(`${sel('report-kpis')} ${sel('kpi-count')} dd`).innerText()).replace(/[^0-9]/g, '');
    assert.equal(Number(shown), want.total.count);
    // shares and the mean score as the API rounded them (one decimal, half up): the same figure
    for (const k of ['satisfaction_pct', 'avg_score']) {
        const text = (await page.locator(`${sel('report-kpis')} ${sel('kpi-' + k)} dd`).innerText()).replace(/[^0-9.]/g, '');
        assert.equal(Number(text), want.total[k], k);
    }
    const href = await page.locator(sel('report-xlsx')).getAttribute('href');
    assert.equal(href, '/api/v1/servicedesk/report.xlsx?from=2026-01-01&to=2026-11-30');
    await b.shot(page, 'reports', { fullPage: true });
    // the dashboard's kpi card
    await goHash(page, '#/');
    await page.locator(`${sel('card-servicedesk-month')} ${sel('kpi-satisfaction_pct')}`).waitFor();
    await b.shot(page, 'dashboard-kpi');
});

// ---- accessibility of the new pages ----


test('axe: report a problem, the request page, the board, the queue and reports', async () => {
    assert.ok(requestId, 'a request was filed');
    const staff = (await b.newPage({ ...PHONE_CTX, bypassCSP: true })).page;
    await signIn(staff, srv.url, 'staff', DEMO_PASSWORD, '#/servicedesk/new');
    await staff.locator(sel('type-repair')).waitFor();
    await axeCheck(staff, 'report a problem (phone)');
    await goHash(staff, `#/c/service_requests/${requestId}`);
    await staff.locator(`${sel('timeline-item')}[data-kind="rated"]`).waitFor();
    await axeCheck(staff, 'the request page (phone)');
    await staff.locator(sel('bell')).click();
    await staff.locator(sel('bell-read-all')).waitFor();
    // the panel fades in: measure colours once it is fully there
    await staff.waitForFunction(() => {
        const p = document.querySelector('.bell-popper');
        return p && getComputedStyle(p).opacity === '1' && !p.getAnimations({ subtree: true }).length;
    });
    await axeCheck(staff, 'the bell\'s panel');

    const pm = (await b.newPage({ bypassCSP: true })).page;
    await signIn(pm, srv.url, 'property_manager', DEMO_PASSWORD, '#/servicedesk/board');
    await pm.locator(sel('board-card')).first().waitFor();
    await axeCheck(pm, 'the board');
    await goHash(pm, '#/servicedesk/reports');
    await pm.locator(`${sel('chart-volume')} svg`).first().waitFor();
    await axeCheck(pm, 'reports');

    const crew = (await b.newPage({ ...PHONE_CTX, bypassCSP: true })).page;
    await signIn(crew, srv.url, 'contractor', DEMO_PASSWORD, '#/servicedesk/queue');
    await crew.locator(sel('queue-item')).first().waitFor();
    await axeCheck(crew, 'the queue (phone)');
    await b.shot(crew, 'axe-queue');
});
