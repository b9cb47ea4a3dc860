// SPDX-License-Identifier: MIT
// space.test.js - the office space pages in the browser, compared with the
// API's answers. The floor view of a demo floor with an over-standard room:
// one tile per room of GET /space/floors/{id}/view, each in its state's
// colour, the over-standard ones marked with the API's excess; a tile opens
// the occupants as the API gives them; the colour mode switches; the floor
// and building pickers change the address and the rooms; no sideways scroll
// at phone width. The room page: occupants, and repairs with their cost per
// year and in total as /space/rooms/{id}/maintenance has them; an overdue
// office of the recovery list is ended from its room page. A liaison
// files an adjustment request through the form, the space section adds a
// change and reviews it, a leader approves it (the API then has the new
// assignment), and a second approval from a page left open shows the
// server's 409 reason; the section's own request cannot be reviewed by
// itself. Reports: the over-standard totals are the API's, the ledger XLSX
// and the publicity CSV download. axe finds no serious or critical
// violation on the floor view, the request form, the request page and reports.
'use strict';

const { test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, api } = require('../api/lib/server');
const { openBrowser, signIn, goHash, apiIdle, sel, pickOption, PHONE, DEMO_PASSWORD, axeCheck } = require('./lib/browser');

const PHONE_CTX = { viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

let srv, admin, sm, leader, liaison, b;
let overRoom = null;        // a room the API reports over the standard: {room_id, building_id, floor_id}
let requestId = null;

before(async () => {
    srv = await startServer({ demo: true });
    admin = api(srv.url);
    sm = api(srv.url, { username: 'space_manager', password: DEMO_PASSWORD });
    leader = api(srv.url, { username: 'leader', password: DEMO_PASSWORD });
    liaison = api(srv.url, { username: 'liaison', password: DEMO_PASSWORD });
    b = await openBrowser('space');
});

after(async () => {
    if (b) await b.close();
    if (srv) await srv.stop();
});

afterEach(async (t) => {
    if (b) await b.onFailure(t);
});

async function ok(res, status) {
    assert.ok(status ? res.status === status : res.status >= 200 && res.status < 300, `${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
}

const area = (v) => `${Number(v).toFixed(2)} m²`;
const isPost = (re) => (r) => r.request().method() === 'POST' && re.test(new URL(r.url()).pathname);
const isGet = (p) => (r) => r.request().method() === 'GET' && new URL(r.url()).pathname === p;

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

// What the floor view shows: every tile's room, state, colour key, over flag, excess and background.
async function tiles(page) {
    return page.locator(sel('sp-tile')).evaluateAll((els) => els.map((el) => ({
        id: Number(el.dataset.roomId),
        state: el.dataset.state,
        colour: el.dataset.colour,
        over: el.dataset.over === 'true',
        cls: el.className,
        bg: getComputedStyle(el).backgroundColor,
        border: getComputedStyle(el).borderTopColor,
        excess: (el.querySelector('[data-test="sp-tile-excess"]') || {}).textContent || null,
    })));
}

// The background of the legend's swatch for a colour key.
async function swatch(page, key) {
    return page.locator(`${sel('sp-legend')} li[data-key="${key}"] .sp-swatch`).evaluate((el) => getComputedStyle(el).backgroundColor);
}

// The floor view as the API has it, and the tiles the page draws for it.
async function checkFloor(page, floorId) {
    const want = (await admin.get(`/api/v1/space/floors/${floorId}/view`)).body;
    await page.waitForFunction(({ s, n, f }) => {
        const box = document.querySelector('[data-test="sp-tiles"]');
        return box && box.dataset.floor === String(f) && document.querySelectorAll(s).length === n;
    }, { s: sel('sp-tile'), n: want.rooms.length, f: floorId });
    const got = await tiles(page);
    assert.equal(got.length, want.rooms.length, 'one tile per room');
    assert.deepEqual(got.map((x) => x.id), want.rooms.map((r) => r.id), 'the API\'s rooms, in its order');
    const colours = {};
    for (const r of want.rooms) {
        const tl = got.find((x) => x.id === r.id);
        assert.equal(tl.state, r.state, `room ${r.number}: state`);
        assert.ok(tl.cls.split(/\s+/).includes('c-' + r.state), `room ${r.number}: coloured as ${r.state} (${tl.cls})`);
        colours[r.state] ||= await swatch(page, r.state);
        assert.equal(tl.bg, colours[r.state], `room ${r.number}: the legend's colour of ${r.state}`);
        assert.equal(tl.over, !!r.over_standard, `room ${r.number}: over the standard`);
        assert.equal(tl.excess, r.over_standard ? `+${Number(r.excess_m2).toFixed(2)} m²` : null, `room ${r.number}: excess`);
    }
    return { want, got };
}

test('the floor view: tiles, states, over-standard rooms, the drawer, colour modes and pickers', async () => {
    const rep = (await admin.get('/api/v1/space/over_standard')).body;
    assert.ok(rep.rooms.length > 0, 'the demo has rooms over the standard');
    const room = (await admin.get(`/api/v1/rooms/${rep.rooms[0].room_id}`)).body;
    overRoom = { room_id: room.id, building_id: room.building_id, floor_id: room.floor_id };

    const { page } = await b.newPage();
    await signIn(page, srv.url, 'space_manager', DEMO_PASSWORD);
    await page.locator(sel('nav-sp-floor')).click();
    await page.locator(sel('sp-tiles')).waitFor();
    // no address: the first building and floor, written into the address
    await page.waitForFunction(() => /building_id=\d+&floor_id=\d+/.test(location.hash));

    await goHash(page, `#/space/floor?building_id=${room.building_id}&floor_id=${room.floor_id}`);
    const { want, got } = await checkFloor(page, room.floor_id);
    const overs = want.rooms.filter((r) => r.over_standard);
    assert.ok(overs.length > 0, 'this floor has a room over the standard');
    // over-standard tiles have the red border, others not
    for (const r of want.rooms) {
        const tl = got.find((x) => x.id === r.id);
        if (r.over_standard) assert.equal(tl.border, 'rgb(180, 35, 24)', `room ${r.number}: red border`);
        else assert.notEqual(tl.border, 'rgb(180, 35, 24)', `room ${r.number}: no red border`);
    }
    const title = await page.locator(sel('page-title')).innerText();
    assert.ok(title.includes(want.floor.building) && title.includes(want.floor.name), title);
    await b.shot(page, 'floor', { fullPage: true });

    // an over-standard room's occupants, as the API gives them
    const r = overs[0];
    await page.locator(`${sel('sp-tile')}[data-room-id="${r.id}"]`).click();
    const drawer = page.locator(`${sel('sp-drawer')}[data-room-id="${r.id}"]`);
    await drawer.waitFor();
    const rows = drawer.locator(sel('sp-occupant'));
    await page.waitForFunction(({ s, n }) => document.querySelectorAll(s).length === n, { s: `${sel('sp-drawer')} ${sel('sp-occupant')}`, n: r.occupants.length });
    for (let i = 0; i < r.occupants.length; i++) {
        const o = r.occupants[i];
        const row = rows.nth(i);
        assert.equal((await row.locator(sel('sp-occ-name')).innerText()).trim(), o.name);
        assert.equal((await row.locator(sel('sp-occ-rank')).innerText()).trim(), o.rank || '—');
        assert.equal((await row.locator(sel('sp-occ-area')).innerText()).trim(), area(o.area_m2));
        assert.equal((await row.locator(sel('sp-occ-limit')).innerText()).trim(), area(o.limit_m2));
        assert.equal(await row.getAttribute('data-over'), String(o.over_standard));
        assert.equal((await row.locator(sel('sp-occ-override')).innerText()).trim(), o.override_reason || '');
    }
    assert.ok((await drawer.locator(sel('sp-drawer-over')).innerText()).includes(`+${Number(r.excess_m2).toFixed(2)} m²`));
    // the history: the room's assignments, newest first
    const hist = (await admin.get(`/api/v1/room_assignments?room_id=${r.id}&limit=200`)).body.items;
    await page.waitForFunction(({ s, n }) => document.querySelectorAll(s).length === n, { s: `${sel('sp-drawer')} ${sel('sp-history-row')}`, n: hist.length });
    const shownIds = await drawer.locator(sel('sp-history-row')).evaluateAll((els) => els.map((e) => Number(e.dataset.id)));
    const sorted = hist.slice().sort((a, c) => c.start_date.localeCompare(a.start_date) || c.id - a.id).map((x) => x.id);
    assert.deepEqual(shownIds, sorted);
    assert.equal(await drawer.locator(sel('sp-room-link')).getAttribute('href'), `#/c/rooms/${r.id}`);
    await b.shot(page, 'floor-drawer');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });

    // colour by the standard: over red, offices within green, the rest grey
    await page.locator(`${sel('sp-mode-over')}`).click();
    await page.locator(`${sel('sp-tiles')}[data-mode="over"]`).waitFor();
    const byStd = await tiles(page);
    const overBg = await swatch(page, 'over');
    for (const x of want.rooms) {
        const tl = byStd.find((y) => y.id === x.id);
        const key = x.over_standard ? 'over' : x.occupants.length ? 'ok' : 'na';
        assert.equal(tl.colour, key, `room ${x.number} by the standard`);
        if (key === 'over') assert.equal(tl.bg, overBg);
        else assert.notEqual(tl.bg, overBg);
    }
    await b.shot(page, 'floor-by-standard');
    await page.locator(`${sel('sp-mode-state')}`).click();
    await page.locator(`${sel('sp-tiles')}[data-mode="state"]`).waitFor();

    // another floor of the building through the picker
    const floors = (await admin.get(`/api/v1/floors?building_id=${room.building_id}&sort=level&limit=200`)).body.items;
    const other = floors.find((f) => f.id !== room.floor_id);
    await pickOption(page, '#sp-floor', other.name);
    await page.waitForFunction((f) => location.hash.includes(`floor_id=${f}`), other.id);
    assert.ok(page.url().includes(`building_id=${room.building_id}`));
    await checkFloor(page, other.id);

    // another building: its first floor, with rooms lent and under repair among them
    const blds = (await admin.get('/api/v1/buildings?limit=100')).body.items;
    const svc = blds.find((x) => x.kind === 'service') || blds.find((x) => x.id !== room.building_id);
    const svcFloors = (await admin.get(`/api/v1/floors?building_id=${svc.id}&sort=level&limit=200`)).body.items;
    await pickOption(page, '#sp-building', svc.name);
    await page.waitForFunction(({ bid, fid }) => location.hash.includes(`building_id=${bid}`) && location.hash.includes(`floor_id=${fid}`), { bid: svc.id, fid: svcFloors[0].id });
    await checkFloor(page, svcFloors[0].id);
    assert.ok((await page.locator(sel('page-title')).innerText()).includes(svc.name));
    // its floor with the most kinds of state (a room lent, one under repair): each in its colour
    let best = null;
    for (const f of svcFloors) {
        const n = new Set((await admin.get(`/api/v1/space/floors/${f.id}/view`)).body.rooms.map((x) => x.state)).size;
        if (!best || n > best.n) best = { f, n };
    }
    assert.ok(best.n >= 3, `a floor of ${svc.name} has rooms in ${best.n} states`);
    if (best.f.id !== svcFloors[0].id) {
        await pickOption(page, '#sp-floor', best.f.name);
        await page.waitForFunction((f) => location.hash.includes(`floor_id=${f}`), best.f.id);
    }
    const mixed = await checkFloor(page, best.f.id);
    assert.equal(new Set(mixed.got.map((x) => x.state)).size, best.n);
    assert.ok(new Set(mixed.got.map((x) => x.bg)).size >= best.n, 'a colour per state');
    await b.shot(page, 'floor-service-building', { fullPage: true });
});

test('the floor view at phone width has no sideways scroll', async () => {
    assert.ok(overRoom, 'a floor was found');
    const { page } = await b.newPage(PHONE_CTX);
    await signIn(page, srv.url, 'space_manager', DEMO_PASSWORD, `#/space/floor?building_id=${overRoom.building_id}&floor_id=${overRoom.floor_id}`);
    const want = (await admin.get(`/api/v1/space/floors/${overRoom.floor_id}/view`)).body;
    await page.waitForFunction(({ s, n }) => document.querySelectorAll(s).length === n, { s: sel('sp-tile'), n: want.rooms.length });
    await assertNoSideScroll(page, 'the floor view');
    // tiles wrap: more than one row, none wider than the screen
    const boxes = await page.locator(sel('sp-tile')).evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ top: Math.round(r.top), right: r.right })));
    assert.ok(new Set(boxes.map((x) => x.top)).size > 1, 'the tiles wrap');
    assert.ok(boxes.every((x) => x.right <= PHONE.width), 'no tile reaches past the screen');
    await b.shot(page, 'floor-phone', { fullPage: true });
    await page.locator(`${sel('sp-tile')}[data-room-id="${overRoom.room_id}"]`).click();
    await page.locator(sel('sp-drawer')).waitFor();
    await assertNoSideScroll(page, 'the floor view with its drawer');
    await b.shot(page, 'floor-phone-drawer');
});

test('the room page: occupants against the standard and the repairs with their cost', async () => {
    assert.ok(overRoom, 'a room was found');
    const id = overRoom.room_id;
    // two repairs of the room, done with a cost
    const type = (await admin.get('/api/v1/service_types?code=repair')).body.items[0];
    const team = (await admin.get('/api/v1/service_teams?limit=1')).body.items[0];
    for (const [title, cost] of [['窗户关不严', 23550], ['空调不制冷', 180000]]) {
        const q = await ok(await admin.post('/api/v1/service_requests', { title, type_id: type.id, description: title, room_id: id }));
        await ok(await admin.post(`/api/v1/service_requests/${q.id}/assign`, { team_id: team.id }), 200);
        const wo = (await admin.get(`/api/v1/work_orders?request_id=${q.id}&status=open&sort=-id&limit=1`)).body.items[0];
        await ok(await admin.post(`/api/v1/work_orders/${wo.id}/accept`, {}), 200);
        await ok(await admin.post(`/api/v1/work_orders/${wo.id}/complete`, { result: '已修复', cost_fen: cost }), 200);
    }
    const mt = (await sm.get(`/api/v1/space/rooms/${id}/maintenance`)).body;
    assert.ok(mt.items.length >= 2 && mt.total_cost_fen > 0);
    const view = (await admin.get(`/api/v1/space/floors/${overRoom.floor_id}/view`)).body.rooms.find((x) => x.id === id);

    const { page } = await b.newPage();
    await signIn(page, srv.url, 'space_manager', DEMO_PASSWORD, `#/c/rooms/${id}`);
    await page.locator(sel('detail-rooms')).waitFor();
    // occupants
    await page.waitForFunction(({ s, n }) => document.querySelectorAll(s).length === n, { s: `${sel('sp-occupants')} ${sel('sp-occupant')}`, n: view.occupants.length });
    const names = await page.locator(`${sel('sp-occupants')} ${sel('sp-occ-name')}`).allInnerTexts();
    assert.deepEqual(names.map((x) => x.trim()), view.occupants.map((o) => o.name));
    const areas = await page.locator(`${sel('sp-occupants')} ${sel('sp-occ-area')}`).allInnerTexts();
    assert.deepEqual(areas.map((x) => x.trim()), view.occupants.map((o) => area(o.area_m2)));
    const limits = await page.locator(`${sel('sp-occupants')} ${sel('sp-occ-limit')}`).allInnerTexts();
    assert.deepEqual(limits.map((x) => x.trim()), view.occupants.map((o) => area(o.limit_m2)));
    assert.equal(await page.locator(sel('sp-room-standard')).getAttribute('data-over'), String(view.over_standard));
    assert.equal((await page.locator(sel('value-area_m2')).innerText()).trim(), area(view.area_m2));
    // maintenance: each repair, per year, in total
    await page.waitForFunction(({ s, n }) => document.querySelectorAll(s).length === n, { s: sel('sp-maint-row'), n: mt.items.length });
    const fen = (s) => Math.round(Number(s.replace(/[^0-9.]/g, '')) * 100);
    const rowIds = await page.locator(sel('sp-maint-row')).evaluateAll((els) => els.map((e) => Number(e.dataset.id)));
    assert.deepEqual(rowIds, mt.items.map((x) => x.request_id));
    const costs = await page.locator(sel('sp-maint-cost')).allInnerTexts();
    assert.deepEqual(costs.map(fen), mt.items.map((x) => x.cost_fen));
    assert.ok(costs.every((c) => /^¥[\d,]+\.\d\d$/.test(c.trim())), costs.join(' '));
    for (const y of mt.by_year) {
        const cell = page.locator(`${sel('sp-maint-year')}[data-year="${y.year}"] ${sel('sp-year-cost')}`);
        assert.equal(fen(await cell.innerText()), y.cost_fen);
    }
    const total = await page.locator(sel('sp-maint-total')).innerText();
    assert.equal(fen(total), mt.total_cost_fen);
    assert.ok(total.trim().startsWith('¥'));
    // the assignment history with the section's buttons
    const hist = (await admin.get(`/api/v1/room_assignments?room_id=${id}&limit=200`)).body.items;
    assert.equal(await page.locator(sel('sp-history-row')).count(), hist.length);
    assert.equal(await page.locator(sel('sp-end')).count(), hist.filter((a) => !a.end_date).length);
    await b.shot(page, 'room', { fullPage: true });

    // a leader approves the over-standard office with a reason
    const over = view.occupants.find((o) => o.over_standard && !o.override_reason);
    assert.ok(over, 'someone in the room is over without a reason');
    const { page: lp } = await b.newPage();
    await signIn(lp, srv.url, 'leader', DEMO_PASSWORD, `#/c/rooms/${id}`);
    const row = lp.locator(`${sel('sp-history-row')}[data-id="${over.assignment_id}"]`);
    await row.locator(sel('sp-override')).click();
    await lp.locator(sel('sp-override-dialog')).waitFor();
    await lp.locator('#sp-override-dialog-reason').fill('领导职数配备，经局务会研究同意');
    const [resp] = await Promise.all([
        lp.waitForResponse(isPost(new RegExp(`/api/v1/room_assignments/${over.assignment_id}/override$`))),
        lp.locator(sel('sp-override-dialog-submit')).click(),
    ]);
    assert.equal(resp.status(), 200, await resp.text());
    await lp.locator(`${sel('sp-occupant')}[data-person="${over.person_id}"] ${sel('sp-occ-override')}`).filter({ hasText: '领导职数配备' }).waitFor();
    const a = (await admin.get(`/api/v1/room_assignments/${over.assignment_id}`)).body;
    assert.equal(a.override_reason, '领导职数配备，经局务会研究同意');
    assert.equal(await row.locator(sel('sp-override')).count(), 0, 'no second approval offered');
});

test('recovery: the section ends an overdue office on its room page', async () => {
    const rec = (await admin.get('/api/v1/space/recovery')).body.items.find((x) => x.overdue);
    assert.ok(rec, 'the demo has an overdue office');
    const { page } = await b.newPage();
    await signIn(page, srv.url, 'space_manager', DEMO_PASSWORD, `#/c/rooms/${rec.room_id}`);
    const row = page.locator(`${sel('sp-history-row')}[data-id="${rec.assignment_id}"]`);
    await row.waitFor();
    assert.ok((await row.innerText()).includes(rec.recovery_due), 'the recovery date is shown');
    await row.locator(sel('sp-end')).click();
    await page.locator(sel('sp-end-dialog')).waitFor();
    const day = await page.locator('#sp-end-dialog-end_date').inputValue();
    assert.match(day, /^\d{4}-\d\d-\d\d$/, 'a last day is proposed');
    await page.locator('#sp-end-dialog-note').fill('人员已离职，办公室收回');
    const [resp] = await Promise.all([
        page.waitForResponse(isPost(new RegExp(`/api/v1/room_assignments/${rec.assignment_id}/end$`))),
        page.locator(sel('sp-end-dialog-submit')).click(),
    ]);
    assert.equal(resp.status(), 200, await resp.text());
    assert.deepEqual(JSON.parse(resp.request().postData()), { end_date: day, note: '人员已离职，办公室收回' });
    await page.locator(sel('sp-end-dialog')).waitFor({ state: 'detached' });
    await row.locator(sel('sp-end')).waitFor({ state: 'detached' });
    const a = (await admin.get(`/api/v1/room_assignments/${rec.assignment_id}`)).body;
    assert.equal(a.end_date, day);
    assert.ok((await row.innerText()).includes(day), 'the row shows its last day');
});

// Opens a select and clicks the option whose text starts with `prefix`.
async function pickStarting(page, inputSelector, prefix) {
    const input = page.locator(inputSelector);
    await input.locator('xpath=ancestor::div[contains(@class,"el-select__wrapper")]').click();
    const list = await input.getAttribute('aria-controls');
    const esc = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const option = page.locator(`[id="${list}"] [role="option"]`).filter({ hasText: new RegExp(`^\\s*${esc}`) }).first();
    await option.click();
    await page.waitForFunction((id) => document.querySelector(id).getAttribute('aria-expanded') === 'false', inputSelector);
}

test('an adjustment request: filed by a liaison, changed and reviewed by the section, approved by a leader', async () => {
    const me = (await liaison.get('/api/v1/meta')).body.caller.user;
    const dept = (await admin.get(`/api/v1/departments/${me.department_id}`)).body;
    const blds = (await admin.get('/api/v1/buildings?limit=100')).body.items;
    const vac = (await admin.get('/api/v1/space/vacancies?use_type=office')).body.items[0];
    assert.ok(vac, 'a vacant office');
    const bld = blds.find((x) => x.id === vac.building_id);
    const reason = '新增编制 2 人，现有办公室已满员，申请调配办公室一间。';

    // the liaison's form
    const { page } = await b.newPage();
    await signIn(page, srv.url, 'liaison', DEMO_PASSWORD);
    await page.locator(sel('home-sp-new')).click();
    await page.locator(sel('sp-new')).waitFor();
    await page.locator(`${sel('field-department_id')} .el-select__selected-item`).filter({ hasText: dept.name }).first().waitFor();
    let posted = 0;
    const count = (r) => { if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/space_requests') posted++; };
    page.on('request', count);
    await page.locator(sel('save')).click();
    await page.locator(sel('error-need')).waitFor();
    await page.locator(sel('error-reason')).waitFor();
    assert.equal(posted, 0, 'nothing is sent while fields are missing');
    page.off('request', count);
    await pickOption(page, '#sp-need', '新增办公用房');
    await page.locator('#sp-headcount').fill('2');
    await page.locator('#sp-reason').fill(reason);
    await pickOption(page, '#sp-preferred_building_id', bld.name);
    await b.shot(page, 'request-form');
    const [resp] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/space_requests'),
        page.locator(sel('save')).click(),
    ]);
    assert.equal(resp.status(), 201, await resp.text());
    const created = await resp.json();
    requestId = created.id;
    assert.deepEqual(JSON.parse(resp.request().postData()), {
        department_id: dept.id, need: 'new_office', headcount: 2, reason, preferred_building_id: bld.id,
    });
    await page.locator(`${sel('detail-space_requests')}[data-status="submitted"]`).waitFor();
    await page.locator(`${sel('timeline-item')}[data-kind="submitted"]`).waitFor();
    assert.equal((await page.locator(sel('value-reason')).innerText()).trim(), reason);
    await b.shot(page, 'request-filed', { fullPage: true });

    // the section: the queue, a change, the review
    const { page: sp } = await b.newPage();
    await signIn(sp, srv.url, 'space_manager', DEMO_PASSWORD, '#/space/requests');
    await sp.locator(`${sel('sp-queue-row')}[data-id="${requestId}"]`).waitFor();
    await b.shot(sp, 'queue');
    await sp.locator(`${sel('sp-queue-row')}[data-id="${requestId}"] ${sel('sp-queue-link')}`).click();
    await sp.locator(`${sel('detail-space_requests')}[data-id="${requestId}"]`).waitFor();
    await sp.locator(sel('sp-no-changes')).waitFor();
    await sp.locator(sel('sp-add-change-open')).click();
    await sp.locator(sel('sp-add-change')).waitFor();
    await pickOption(sp, '#sp-ch-building_id', bld.name);
    await pickOption(sp, '#sp-ch-floor_id', vac.floor);
    await pickStarting(sp, '#sp-ch-room_id', `${vac.room} · `);
    await b.shot(sp, 'add-change');
    const [ch] = await Promise.all([
        sp.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/space_request_changes'),
        sp.locator(sel('sp-ch-submit')).click(),
    ]);
    assert.equal(ch.status(), 201, await ch.text());
    await sp.locator(`${sel('sp-change')}[data-kind="start"]`).waitFor();
    const changes = (await admin.get(`/api/v1/space_request_changes?request_id=${requestId}`)).body.items;
    assert.equal(changes.length, 1);
    assert.equal(changes[0].room_id, vac.room_id);
    assert.equal(changes[0].department_id, dept.id);
    assert.ok((await sp.locator(sel('sp-change')).innerText()).includes(vac.room));
    await sp.locator(sel('sp-action-review')).click();
    await sp.locator(sel('sp-review-dialog')).waitFor();
    await sp.locator('#sp-review-dialog-note').fill('拟调配空置办公室一间');
    const [rv] = await Promise.all([
        sp.waitForResponse(isPost(new RegExp(`/api/v1/space_requests/${requestId}/review$`))),
        sp.locator(sel('sp-review-dialog-submit')).click(),
    ]);
    assert.equal(rv.status(), 200, await rv.text());
    await sp.locator(`${sel('detail-space_requests')}[data-status="reviewed"]`).waitFor();
    await sp.locator(`${sel('timeline-item')}[data-kind="reviewed"]`).waitFor();
    await b.shot(sp, 'request-reviewed', { fullPage: true });

    // the leader: two pages open on the request; approve in one, then in the other
    const { page: l1 } = await b.newPage();
    await signIn(l1, srv.url, 'leader', DEMO_PASSWORD, '#/space/requests?tab=approve');
    await l1.locator(`${sel('sp-queue-row')}[data-id="${requestId}"] ${sel('sp-queue-link')}`).click();
    await l1.locator(sel('sp-action-approve')).waitFor();
    const l2 = await l1.context().newPage();
    await l2.goto(`${srv.url}/#/c/space_requests/${requestId}`);
    await l2.locator(sel('sp-action-approve')).waitFor();

    await l1.locator(sel('sp-action-approve')).click();
    await l1.locator(sel('sp-approve-dialog')).waitFor();
    const [ap] = await Promise.all([
        l1.waitForResponse(isPost(new RegExp(`/api/v1/space_requests/${requestId}/approve$`))),
        l1.locator(sel('sp-approve-dialog-submit')).click(),
    ]);
    assert.equal(ap.status(), 200, await ap.text());
    await l1.locator(`${sel('detail-space_requests')}[data-status="approved"]`).waitFor();
    await l1.locator(`${sel('timeline-item')}[data-kind="applied"]`).waitFor();
    await l1.locator(sel('sp-change-applied')).waitFor();
    assert.equal(await l1.locator(sel('sp-action-approve')).count(), 0, 'no approve button once approved');
    await b.shot(l1, 'request-approved', { fullPage: true });

    // the API: approved, the new assignment in place
    const q = (await admin.get(`/api/v1/space_requests/${requestId}`)).body;
    assert.equal(q.status, 'approved');
    const made = (await admin.get(`/api/v1/room_assignments?room_id=${vac.room_id}&request_id=${requestId}`)).body.items;
    assert.equal(made.length, 1);
    assert.equal(made[0].department_id, dept.id);

    // the liaison who filed it sees who reviewed and who approved by name, though they may not read users
    const { page: lp } = await b.newPage();
    await signIn(lp, srv.url, 'liaison', DEMO_PASSWORD, `#/c/space_requests/${requestId}`);
    for (const [kind, who] of [['reviewed', q.reviewed_by], ['approved', q.decided_by]]) {
        const u = (await admin.get(`/api/v1/users/${who}`)).body;
        const name = u.display_name || u.username;
        const item = lp.locator(`${sel('timeline-item')}[data-kind="${kind}"]`);
        await item.waitFor();
        await item.filter({ hasText: name }).waitFor({ timeout: 5000 }).catch(() => {});
        assert.ok((await item.innerText()).includes(name), `${kind}: ${await item.innerText()} names ${name}`);
    }
    // and the change names the room offered, which is not theirs to read
    assert.equal((await liaison.get(`/api/v1/rooms/${vac.room_id}`)).status, 404);
    const change = lp.locator(`${sel('sp-change')}[data-kind="start"]`);
    await change.waitFor();
    assert.ok((await change.innerText()).includes(vac.room), `the liaison's change names room ${vac.room}: ${await change.innerText()}`);
    await lp.close();
    assert.equal(made[0].end_date, null);

    // the page left open: a second approval, refused with the server's reason
    await l2.locator(sel('sp-action-approve')).click();
    await l2.locator(sel('sp-approve-dialog')).waitFor();
    const [again] = await Promise.all([
        l2.waitForResponse(isPost(new RegExp(`/api/v1/space_requests/${requestId}/approve$`))),
        l2.locator(sel('sp-approve-dialog-submit')).click(),
    ]);
    assert.equal(again.status(), 409);
    const refusal = await again.json();
    assert.equal(refusal.key, 'wf.out_of_order');
    assert.equal(refusal.params.status, 'approved');
    const alert = l2.locator(sel('sp-approve-dialog-error'));
    await alert.waitFor();
    const text = await alert.innerText();
    // said by its key, the state and the step by their labels, never in the server's English
    assert.ok(text.includes('已批准') && text.includes('领导审批'), `the reason in Chinese: ${text}`);
    assert.ok(!text.includes(refusal.detail), `not the server's English: ${text}`);
    await b.shot(l2, 'approve-again-409');
    // behind the dialog, the page now shows the request as it is
    await l2.locator(`${sel('detail-space_requests')}[data-status="approved"]`).waitFor();
    assert.equal((await admin.get(`/api/v1/room_assignments?room_id=${vac.room_id}&request_id=${requestId}`)).body.items.length, 1, 'nothing applied twice');

    // the section's own request: its review is someone else's (the button is off, the API says why)
    const own = await ok(await sm.post('/api/v1/space_requests', { department_id: dept.id, need: 'meeting', headcount: 10, reason: '科室自用会议室' }));
    await goHash(sp, `#/c/space_requests/${own.id}`);
    await sp.locator(`${sel('detail-space_requests')}[data-id="${own.id}"]`).waitFor();
    await sp.locator(sel('sp-own-note')).waitFor();
    assert.equal(await sp.locator(sel('sp-action-review')).isDisabled(), true);
    const refused = await sm.post(`/api/v1/space_requests/${own.id}/review`, {});
    assert.equal(refused.status, 409);
    assert.equal(refused.body.key, 'wf.own');
    assert.deepEqual(refused.body.params, { action: 'review' });
});

test('reports: the over-standard totals, tables and downloads', async () => {
    const want = (await admin.get('/api/v1/space/over_standard')).body;
    const rec = (await admin.get('/api/v1/space/recovery')).body;
    const { page } = await b.newPage();
    await signIn(page, srv.url, 'space_manager', DEMO_PASSWORD);
    await page.locator(sel('nav-sp-reports')).click();
    await page.locator(sel('sp-totals')).waitFor();
    const fig = async (k) => (await page.locator(`${sel('sp-total-' + k)} dd`).innerText()).trim();
    assert.equal(await fig('assessed'), String(want.totals.assessed));
    assert.equal(await fig('people'), String(want.totals.people));
    assert.equal(await fig('excess'), area(want.totals.excess_m2));
    assert.equal(await fig('rooms'), String(want.totals.rooms));
    assert.equal(await fig('room_excess'), area(want.totals.room_excess_m2));
    await page.locator(`${sel('sp-chart-over')} svg`).first().waitFor();
    await page.locator(`${sel('sp-chart-departments')} svg`).first().waitFor();
    assert.equal(await page.locator(sel('sp-over-person')).count(), want.people.length);
    await b.shot(page, 'reports', { fullPage: true });

    // the rooms tab and the recovery tab (overdue rows marked)
    await page.getByRole('tab', { name: '超标房间' }).click();
    await page.locator(sel('sp-over-rooms')).waitFor();
    assert.equal(await page.locator(sel('sp-over-room')).count(), want.rooms.length);
    await page.getByRole('tab', { name: '待收回' }).click();
    await page.locator(sel('sp-recovery')).waitFor();
    assert.equal(await page.locator(sel('sp-recovery-row')).count(), rec.items.length);
    assert.equal(await page.locator(`${sel('sp-recovery-row')}[data-overdue="true"].is-overdue`).count(), rec.items.filter((x) => x.overdue).length);
    await page.waitForFunction(() => location.hash.includes('tab=recovery'));

    // a building: the totals follow it
    const bld = (await admin.get('/api/v1/buildings?limit=1&sort=sort_order')).body.items[0];
    const part = (await admin.get(`/api/v1/space/over_standard?building_id=${bld.id}`)).body;
    const [r] = await Promise.all([
        page.waitForResponse((x) => new URL(x.url()).pathname === '/api/v1/space/over_standard' && new URL(x.url()).searchParams.get('building_id') === String(bld.id)),
        pickOption(page, '#sp-report-building', bld.name),
    ]);
    assert.equal(r.status(), 200);
    await page.waitForFunction(({ s, v }) => document.querySelector(s).textContent.trim() === v, { s: `${sel('sp-total-people')} dd`, v: String(part.totals.people) });
    assert.equal(await fig('excess'), area(part.totals.excess_m2));

    // the ledger: an XLSX (a zip)
    const ledger = await page.locator(sel('sp-ledger-xlsx')).getAttribute('href');
    assert.equal(ledger, '/api/v1/space/ledger.xlsx');
    const [dl] = await Promise.all([page.waitForEvent('download'), page.locator(sel('sp-ledger-xlsx')).click()]);
    const file = await dl.path();
    const bytes = require('node:fs').readFileSync(file);
    assert.equal(bytes.subarray(0, 4).toString('binary'), 'PK\x03\x04', 'the ledger is a zip');
    assert.ok(bytes.includes(Buffer.from('xl/workbook.xml')), 'an XLSX workbook');
    // the publicity list of last year, as CSV
    const year = new Date().getFullYear() - 1;
    await pickOption(page, '#sp-year', `${year} 年`);
    const csvHref = await page.locator(sel('sp-publicity-csv')).getAttribute('href');
    assert.equal(csvHref, `/api/v1/space/publicity.csv?year=${year}`);
    const csv = await page.request.get(srv.url + csvHref);
    assert.equal(csv.status(), 200);
    assert.match(csv.headers()['content-type'], /text\/csv/);
    assert.equal(await page.locator(sel('sp-publicity-xlsx')).getAttribute('href'), `/api/v1/space/publicity.xlsx?year=${year}`);
});

// ---- accessibility ----


test('axe: the floor view, the request form, the request page and reports', async () => {
    assert.ok(overRoom && requestId, 'the earlier steps ran');
    const { page } = await b.newPage({ bypassCSP: true });
    await signIn(page, srv.url, 'space_manager', DEMO_PASSWORD, `#/space/floor?building_id=${overRoom.building_id}&floor_id=${overRoom.floor_id}`);
    await page.locator(sel('sp-tile')).first().waitFor();
    await axeCheck(page, 'the floor view');
    await page.locator(`${sel('sp-tile')}[data-room-id="${overRoom.room_id}"]`).click();
    await page.locator(sel('sp-history-row')).first().waitFor();
    await axeCheck(page, 'the floor view\'s drawer');
    await page.keyboard.press('Escape');
    await goHash(page, `#/c/space_requests/${requestId}`);
    await page.locator(`${sel('timeline-item')}[data-kind="applied"]`).waitFor();
    await axeCheck(page, 'the request page');
    await goHash(page, '#/space/reports');
    await page.locator(`${sel('sp-chart-over')} svg`).first().waitFor();
    await axeCheck(page, 'reports');

    const { page: lp } = await b.newPage({ ...PHONE_CTX, bypassCSP: true });
    await signIn(lp, srv.url, 'liaison', DEMO_PASSWORD, '#/space/requests/new');
    await lp.locator(sel('sp-new')).waitFor();
    await axeCheck(lp, 'the request form (phone)');
    await lp.locator(sel('save')).click();
    await lp.locator(sel('error-reason')).waitFor();
    await axeCheck(lp, 'the request form with errors (phone)');
    await assertNoSideScroll(lp, 'the request form');
});
