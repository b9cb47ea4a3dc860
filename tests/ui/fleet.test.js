// SPDX-License-Identifier: MIT
// fleet.test.js - official cars in the browser. A staff member files a trip
// request in the form (an end before the start is refused before sending);
// the leader approves it on the request page; the fleet manager finds it
// waiting on the dispatch board, opens the dispatch dialog (the server's
// candidates, the best fit preselected), sends a car with a driver who has an
// account, and the bar appears on that vehicle's row. A second request at an
// overlapping time, forced onto the same car through "show every vehicle",
// is refused with the server's reason (409) and nothing changes. The driver,
// on a phone, sees it among their trips (with the requester's phone and the
// passengers), follows the bell to the trip's page, starts it ten days early
// (the server asks why: the card says so, takes the reason and sends it
// again), tries to close it with an odometer below the start (422 at the
// field), then closes it — 42 km in no time, asked about and explained too:
// the trip is closed with both reasons, the vehicle free again with its
// odometer raised. The vehicle page draws its cost chart
// and trip history as the API has them; the slip names the plate and the
// driver; the renewal plan takes an eligible vehicle and refuses another.
// axe finds no serious or critical violation on the board, the form and the
// driver's page.
'use strict';

const { test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, api } = require('../api/lib/server');
const { openBrowser, signIn, goHash, sel, PHONE, DEMO_PASSWORD, axeCheck } = require('./lib/browser');

const PHONE_CTX = { viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2, bypassCSP: true };
const PURPOSE = '赴市政务服务中心对接项目';
const APPROVE_NOTE = '同意，注意安全';

let srv, admin, fm, leaderApi, staffApi, b;
let day;                        // the trip's day on the tenant's calendar, ten days ahead
let firstId = null, secondId = null;
let vehicle = null, driver = null, driverUser = null;

// 'YYYY-MM-DD' n days from today in UTC+8 (the demo district)
function tenantDay(n) {
    return new Date(Date.now() + 8 * 3600000 + n * 86400000).toISOString().slice(0, 10);
}

before(async () => {
    srv = await startServer({ demo: true });
    admin = api(srv.url);
    fm = api(srv.url, { username: 'fleet_manager', password: DEMO_PASSWORD });
    leaderApi = api(srv.url, { username: 'leader', password: DEMO_PASSWORD });
    staffApi = api(srv.url, { username: 'staff', password: DEMO_PASSWORD });
    b = await openBrowser('fleet');
    day = tenantDay(10);
});

after(async () => {
    if (b) await b.close();
    if (srv) await srv.stop();
});

afterEach(async (t) => {
    if (b) await b.onFailure(t);
});

const isPost = (p) => (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === p;
const isGet = (p) => (r) => r.request().method() === 'GET' && new URL(r.url()).pathname === p;
const digits = (s) => Number(String(s).replace(/[^0-9]/g, ''));

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


// Opens an Element Plus select and clicks the option `option` (a selector of its <li>).
async function choose(page, inputSelector, option) {
    const input = page.locator(inputSelector);
    await input.locator('xpath=ancestor::div[contains(@class,"el-select__wrapper")]').click();
    const list = await input.getAttribute('aria-controls');
    const item = page.locator(`[id="${list}"] ${option}`);
    const closed = (ms) => page.waitForFunction((id) => document.querySelector(id).getAttribute('aria-expanded') === 'false',
        inputSelector, { timeout: ms }).then(() => true, () => false);
    // the list scrolls to the current choice as it opens: a click during that
    // scroll can miss, so click again until the select has taken it
    for (let i = 0; i < 4; i++) {
        await item.waitFor();
        await item.scrollIntoViewIfNeeded();
        await item.click();
        if (await closed(i < 3 ? 3000 : 15000)) return;
    }
    throw new Error(`${inputSelector}: the select did not take ${option}`);
}

// Types a wall-clock time into a datetime picker of the form.
async function typeDatetime(page, id, text) {
    const input = page.locator(id);
    await input.click();
    await input.fill(text);
    await input.press('Enter');
    await page.keyboard.press('Escape');
    assert.equal(await input.inputValue(), text);
}

test('a staff member files a trip request; the leader approves it on its page', async () => {
    const { page } = await b.newPage({ bypassCSP: true });
    await signIn(page, srv.url, 'staff', DEMO_PASSWORD);
    const link = page.locator(sel('home-fl-new'));
    await link.waitFor();
    await link.click();
    await page.locator(sel('fl-new')).waitFor();
    await page.locator('#fl-purpose').waitFor();
    await axeCheck(page, 'the trip request form');

    await page.locator('#fl-purpose').fill(PURPOSE);
    await page.locator('#fl-origin').fill('区行政中心');
    await page.locator('#fl-destination').fill('市政务服务中心');
    await typeDatetime(page, '#fl-start_at', `${day} 09:00`);
    await typeDatetime(page, '#fl-end_at', `${day} 08:30`);
    await page.locator('#fl-seats_needed').fill('3');
    await page.locator('#fl-passengers').fill('张三、李四');

    // an end before the start: said at the field, nothing sent
    let posted = 0;
    const count = (r) => { if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/trip_requests') posted++; };
    page.on('request', count);
    await page.locator(sel('save')).click();
    const endError = page.locator(sel('error-end_at'));
    await endError.waitFor();
    assert.match(await endError.innerText(), /结束时间须晚于开始时间/);
    await b.shot(page, 'form-errors');
    assert.equal(posted, 0, 'nothing is sent while the end is before the start');
    page.off('request', count);

    await typeDatetime(page, '#fl-end_at', `${day} 11:00`);
    await b.shot(page, 'form-filled', { fullPage: true });
    const [resp] = await Promise.all([
        page.waitForResponse(isPost('/api/v1/trip_requests')),
        page.locator(sel('save')).click(),
    ]);
    assert.equal(resp.status(), 201, await resp.text());
    const sent = resp.request().postDataJSON();
    assert.equal(sent.start_at, `${day}T09:00:00+08:00`);
    assert.equal(sent.end_at, `${day}T11:00:00+08:00`);
    assert.equal(sent.seats_needed, 3);
    firstId = (await resp.json()).id;
    await page.locator(`${sel('detail-trip_requests')}[data-status="submitted"]`).waitFor();
    assert.equal(await page.locator(sel('page-title')).innerText(), PURPOSE);
    // the requester may not approve
    assert.equal(await page.locator(sel('fl-approve')).count(), 0);
    await b.shot(page, 'request-filed', { fullPage: true });

    const stored = (await admin.get(`/api/v1/trip_requests/${firstId}`)).body;
    assert.equal(stored.status, 'submitted');
    assert.equal(stored.purpose, PURPOSE);
    assert.equal(stored.passengers, '张三、李四');
    assert.equal(stored.requester_id, (await staffApi.get('/api/v1/session')).body.id);

    // the leader approves on the request page
    const lp = (await b.newPage({ bypassCSP: true })).page;
    await signIn(lp, srv.url, 'leader', DEMO_PASSWORD, `#/c/trip_requests/${firstId}`);
    await lp.locator(`${sel('detail-trip_requests')}[data-status="submitted"]`).waitFor();
    await lp.locator(sel('fl-approve')).waitFor();
    await axeCheck(lp, 'the request page');
    await lp.locator(sel('fl-approve')).click();
    await lp.locator(sel('fl-approve-dialog')).waitFor();
    await lp.locator('#fl-approve-dialog-note').fill(APPROVE_NOTE);
    const [ok] = await Promise.all([
        lp.waitForResponse(isPost(`/api/v1/trip_requests/${firstId}/approve`)),
        lp.locator(sel('fl-approve-dialog-submit')).click(),
    ]);
    assert.equal(ok.status(), 200, await ok.text());
    assert.deepEqual(ok.request().postDataJSON(), { note: APPROVE_NOTE });
    await lp.locator(`${sel('detail-trip_requests')}[data-status="approved"]`).waitFor();
    assert.equal((await lp.locator(sel('value-approve_note')).innerText()).trim(), APPROVE_NOTE);
    await b.shot(lp, 'request-approved', { fullPage: true });
    const leader = (await leaderApi.get('/api/v1/session')).body;
    const approved = (await admin.get(`/api/v1/trip_requests/${firstId}`)).body;
    assert.equal(approved.status, 'approved');
    assert.equal(approved.approver_id, leader.id);
    assert.equal(approved.approve_note, APPROVE_NOTE, 'the note is kept on the request');
});

let boardPage;

test('the fleet manager dispatches it from the board: candidates, then the bar on the vehicle\'s row', async () => {
    assert.ok(firstId, 'a request was filed and approved');
    ({ page: boardPage } = await b.newPage({ bypassCSP: true }));
    const page = boardPage;
    await signIn(page, srv.url, 'fleet_manager', DEMO_PASSWORD);
    await page.locator(sel('home-fl-board')).click();
    const item = page.locator(`${sel('fl-waiting-item')}[data-id="${firstId}"]`);
    await item.waitFor();
    await page.locator(sel('fl-row')).first().waitFor();
    await b.shot(page, 'board');
    await axeCheck(page, 'the dispatch board');

    const want = (await fm.get(`/api/v1/trip_requests/${firstId}/candidates`)).body;
    assert.ok(want.vehicles.length > 0 && want.drivers.length > 0, 'the demo has free cars and drivers');
    const [cand] = await Promise.all([
        page.waitForResponse(isGet(`/api/v1/trip_requests/${firstId}/candidates`)),
        item.click(),
    ]);
    assert.equal(cand.status(), 200);
    const dialog = page.locator(`${sel('fl-dispatch-dialog')}[data-request="${firstId}"]`);
    await dialog.waitFor();
    const counted = page.locator(sel('fl-candidate-count'));
    await counted.waitFor();
    assert.equal(Number(await counted.getAttribute('data-vehicles')), want.vehicles.length);
    assert.equal(Number(await counted.getAttribute('data-drivers')), want.drivers.length);
    // the best fit is preselected
    const shown = await page.locator('#fl-dispatch-vehicle').locator('xpath=ancestor::div[contains(@class,"el-select__wrapper")]').innerText();
    assert.equal(shown.trim(), want.vehicles[0].plate);
    await b.shot(page, 'dispatch-dialog');

    // the first car, and a driver with an account who may drive it (for the phone step)
    vehicle = want.vehicles[0];
    driver = want.drivers.find((d) => d.user_id && vehicle.licences.includes(d.licence_class));
    assert.ok(driver, 'a candidate driver signs in on a phone');
    await choose(page, '#fl-dispatch-driver', `${sel('fl-driver-option')}[data-id="${driver.id}"]`);
    const [resp] = await Promise.all([
        page.waitForResponse(isPost(`/api/v1/trip_requests/${firstId}/dispatch`)),
        page.locator(sel('fl-dispatch-submit')).click(),
    ]);
    assert.equal(resp.status(), 200, await resp.text());
    assert.deepEqual(resp.request().postDataJSON(), { vehicle_id: vehicle.id, driver_id: driver.id });

    // the board shows the request's day, the bar on that vehicle's row
    const bar = page.locator(`${sel('fl-row')}[data-vehicle="${vehicle.id}"] ${sel('fl-bar')}[data-id="${firstId}"]`);
    await bar.waitFor();
    assert.match(await bar.getAttribute('title'), new RegExp(PURPOSE));
    assert.match(await bar.getAttribute('title'), new RegExp(driver.name));
    await item.waitFor({ state: 'detached' });
    await b.shot(page, 'board-dispatched');

    const r = (await admin.get(`/api/v1/trip_requests/${firstId}`)).body;
    assert.equal(r.status, 'dispatched');
    assert.equal(r.vehicle_id, vehicle.id);
    assert.equal(r.driver_id, driver.id);
    assert.equal(r.driver_user_id, driver.user_id);
    driverUser = (await admin.get(`/api/v1/users/${driver.user_id}`)).body;

    // a click on the bar opens the request
    await bar.click();
    await page.locator(`${sel('detail-trip_requests')}[data-status="dispatched"]`).waitFor();
    assert.equal((await page.locator(sel('fl-vehicle-link')).innerText()).trim(), vehicle.plate);
});

test('a second request forced onto the same car at an overlapping time is refused with the reason, and nothing changes', async () => {
    assert.ok(vehicle, 'the first request was dispatched');
    const filed = await staffApi.post('/api/v1/trip_requests', {
        purpose: '会议材料送达', origin: '区行政中心', destination: '市档案馆',
        start_at: `${day}T10:00:00+08:00`, end_at: `${day}T12:00:00+08:00`, seats_needed: 1,
    });
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    secondId = filed.body.id;
    assert.equal((await leaderApi.post(`/api/v1/trip_requests/${secondId}/approve`, {})).status, 200);
    const want = (await fm.get(`/api/v1/trip_requests/${secondId}/candidates`)).body;
    assert.ok(!want.vehicles.some((v) => v.id === vehicle.id), 'the busy car is not proposed');

    const page = boardPage;
    await goHash(page, `#/fleet/board?date=${day}`);
    const item = page.locator(`${sel('fl-waiting-item')}[data-id="${secondId}"]`);
    await item.waitFor();
    await item.click();
    await page.locator(`${sel('fl-dispatch-dialog')}[data-request="${secondId}"] ${sel('fl-candidate-count')}`).waitFor();
    // not among the options until every vehicle is shown
    const input = page.locator('#fl-dispatch-vehicle');
    await input.locator('xpath=ancestor::div[contains(@class,"el-select__wrapper")]').click();
    const list = await input.getAttribute('aria-controls');
    await page.locator(`[id="${list}"] ${sel('fl-vehicle-option')}`).first().waitFor();
    assert.equal(await page.locator(`[id="${list}"] ${sel('fl-vehicle-option')}[data-id="${vehicle.id}"]`).count(), 0);
    await page.keyboard.press('Escape');
    await page.locator(`${sel('fl-dispatch-all')}`).click();
    await choose(page, '#fl-dispatch-vehicle', `${sel('fl-vehicle-option')}[data-id="${vehicle.id}"]`);
    // the option says why the car was not proposed: the request it is taken by
    const busyWith = want.unavailable.vehicles.find((v) => v.id === vehicle.id);
    assert.equal(busyWith.reason, 'busy');
    assert.equal(busyWith.busy_with.request_id, firstId);
    const whyNot = await page.locator(`[id="${list}"] ${sel('fl-vehicle-option')}[data-id="${vehicle.id}"] ${sel('fl-why-not')}`).textContent();
    assert.ok(whyNot.includes(`#${firstId}`), `the option names the request the car is taken by: ${whyNot}`);
    const waitingAgain = (r) => isGet('/api/v1/trip_requests')(r) && new URL(r.url()).searchParams.get('status') === 'approved';
    const [resp, again] = await Promise.all([
        page.waitForResponse(isPost(`/api/v1/trip_requests/${secondId}/dispatch`)),
        page.waitForResponse(waitingAgain),
        page.locator(sel('fl-dispatch-submit')).click(),
    ]);
    assert.equal(resp.status(), 409, await resp.text());
    // the board asked again for what waits, and the request is still among it
    assert.ok((await again.json()).items.some((x) => x.id === secondId));
    const problem = await resp.json();
    const alert = page.locator(sel('fl-dispatch-error'));
    await alert.waitFor();
    const said = await alert.innerText();
    // the server's reason (it names the car and the request it is taken by), in Chinese
    assert.equal(problem.key, 'fleet.dispatch.vehicle_busy');
    assert.equal(problem.params.request, firstId);
    assert.ok(said.includes(vehicle.plate), `the alert names the car: ${said}`);
    assert.ok(said.includes(`#${firstId}`), `the alert names the request it is taken by: ${said}`);
    await b.shot(page, 'dispatch-refused');
    // the board refreshed behind the dialog, and the request still waits
    await page.locator(sel('fl-dispatch-cancel')).click();
    await item.waitFor();

    const second = (await admin.get(`/api/v1/trip_requests/${secondId}`)).body;
    assert.equal(second.status, 'approved');
    assert.equal(second.vehicle_id, null);
    assert.deepEqual((await admin.get(`/api/v1/trips?request_id=${secondId}`)).body.items, []);
    const first = (await admin.get(`/api/v1/trip_requests/${firstId}`)).body;
    assert.equal(first.status, 'dispatched');
    assert.equal(first.vehicle_id, vehicle.id);
    assert.equal(first.driver_id, driver.id);
});

test('the driver closes the trip on a phone: a backwards odometer is refused at the field, then it is closed', async () => {
    assert.ok(driverUser, 'the trip has a driver with an account');
    const { page } = await b.newPage(PHONE_CTX);
    await signIn(page, srv.url, driverUser.username, DEMO_PASSWORD);
    await page.locator(sel('home-fl-trips')).click();
    const card = page.locator(`${sel('fl-trip-card')}[data-request="${firstId}"]`);
    await card.waitFor();
    await card.scrollIntoViewIfNeeded();
    await b.shot(page, 'trips');
    await assertNoSideScroll(page, 'the driver\'s trips');
    await axeCheck(page, 'the driver\'s trips (phone)');
    const tripId = Number(await card.getAttribute('data-id'));
    assert.equal((await admin.get(`/api/v1/trips?request_id=${firstId}`)).body.items[0].id, tripId);
    const v0 = (await admin.get(`/api/v1/vehicles/${vehicle.id}`)).body;

    // the notification of the new trip leads to the trip's own page
    await page.locator(sel('bell')).click();
    const note = page.locator(sel('bell-item')).filter({ hasText: PURPOSE }).first();
    await note.waitFor();
    await note.click();
    await page.waitForFunction((id) => location.hash === `#/c/trips/${id}`, tripId);
    await page.locator(`${sel('detail-trips')} ${sel('fl-trip-card')}[data-id="${tripId}"]`).waitFor();
    await assertNoSideScroll(page, 'the trip\'s page');

    // what the driver needs to know: the requester's phone and the passengers
    const rq = (await admin.get(`/api/v1/trip_requests/${firstId}`)).body;
    assert.ok(rq.contact_phone, 'the request has the requester\'s phone');
    assert.ok((await card.locator(sel('fl-trip-phone')).innerText()).includes(rq.contact_phone));
    assert.equal((await card.locator(sel('fl-trip-passengers')).innerText()).trim(), '张三、李四');

    // leaving ten days early: the server asks why, the card says so and asks for the reason
    const startKm = v0.odometer_km + 3;
    await card.locator(sel('fl-trip-start')).click();
    await page.locator('#fl-trip-start_km').fill(String(startKm));
    const [asked] = await Promise.all([
        page.waitForResponse(isPost(`/api/v1/trips/${tripId}/start`)),
        page.locator(sel('fl-start-submit')).click(),
    ]);
    assert.equal(asked.status(), 422, await asked.text());
    assert.equal((await asked.json()).errors[0].key, 'fleet.trip.confirm_early');
    const question = page.locator(sel('fl-trip-confirm'));
    await question.waitFor();
    const said = await question.innerText();
    // in days and hours, as a person says it (not "提前 14370 分钟")
    assert.ok(/提前 (9|10) 天( \d+ 小时)?( \d+ 分钟)?（超过 2 小时）/.test(said), `the card says how early, in Chinese: ${said}`);
    assert.equal((await admin.get(`/api/v1/trips/${tripId}`)).body.status, 'planned', 'nothing changed');
    await b.shot(page, 'start-asked', { fullPage: true });
    await axeCheck(page, 'the start asked for a reason (phone)');
    // sent again without a reason: said at the field, nothing sent
    let posted = 0;
    const count = (r) => { if (isPost(`/api/v1/trips/${tripId}/start`)(r)) posted++; };
    page.on('request', count);
    await page.locator(sel('fl-start-submit')).click();
    await page.locator(sel('error-reason')).waitFor();
    page.off('request', count);
    assert.equal(posted, 0, 'no reason, nothing sent');
    await page.locator('#fl-trip-reason').fill('会议提前，领导通知今日出发');
    const [started] = await Promise.all([
        page.waitForResponse(isPost(`/api/v1/trips/${tripId}/start`)),
        page.locator(sel('fl-start-submit')).click(),
    ]);
    assert.equal(started.status(), 200, await started.text());
    assert.equal(started.request().postDataJSON().reason, '会议提前，领导通知今日出发');
    await page.locator(`${sel('fl-trip-card')}[data-request="${firstId}"][data-status="in_progress"]`).waitFor();

    // back: a reading below the start
    await card.locator(sel('fl-trip-close')).click();
    const end = page.locator('#fl-trip-end_km');
    await end.waitFor();
    const box = await end.locator('xpath=ancestor::div[contains(@class,"el-input__wrapper")]').boundingBox();
    assert.ok(box.height >= 40, `the odometer input is ${box.height} px high`);
    const submit = await page.locator(sel('fl-close-submit')).boundingBox();
    assert.ok(submit.height >= 40, `the close button is ${submit.height} px high`);
    await end.fill(String(startKm - 10));
    const [bad] = await Promise.all([
        page.waitForResponse(isPost(`/api/v1/trips/${tripId}/close`)),
        page.locator(sel('fl-close-submit')).click(),
    ]);
    assert.equal(bad.status(), 422, await bad.text());
    const problem = await bad.json();
    assert.ok(problem.errors.some((e) => e.field === 'end_km'), JSON.stringify(problem));
    const err = page.locator(sel('error-end_km'));
    await err.waitFor();
    assert.ok((await err.innerText()).includes(startKm.toLocaleString('en-US')) || (await err.innerText()).includes(String(startKm)),
        `the error names the reading when it left: ${await err.innerText()}`);
    await b.shot(page, 'close-refused', { fullPage: true });
    await assertNoSideScroll(page, 'the close form');
    const still = (await admin.get(`/api/v1/trips/${tripId}`)).body;
    assert.equal(still.status, 'in_progress');

    // the right reading, fuel or charge by the vehicle's energy, tolls and parking in yuan
    const endKm = startKm + 42;
    await end.fill(String(endKm));
    const qty = v0.energy === 'electric' ? '#fl-trip-energy_kwh' : '#fl-trip-fuel_l';
    await page.locator(qty).fill('6.5');
    await page.locator('#fl-trip-tolls').fill('12.50');
    await page.locator('#fl-trip-parking').fill('8');
    // 42 km a minute after leaving: asked why
    const [fast] = await Promise.all([
        page.waitForResponse(isPost(`/api/v1/trips/${tripId}/close`)),
        page.locator(sel('fl-close-submit')).click(),
    ]);
    assert.equal(fast.status(), 422, await fast.text());
    assert.ok((await fast.json()).errors.some((x) => x.key === 'fleet.trip.confirm_speed'));
    await page.locator(sel('fl-trip-confirm')).waitFor();
    assert.ok((await page.locator(sel('fl-trip-confirm')).innerText()).includes('42 km'));
    await page.locator('#fl-trip-reason').fill('出车时忘记登记，返回后补录');
    const [ok] = await Promise.all([
        page.waitForResponse(isPost(`/api/v1/trips/${tripId}/close`)),
        page.locator(sel('fl-close-submit')).click(),
    ]);
    assert.equal(ok.status(), 200, await ok.text());
    const body = ok.request().postDataJSON();
    assert.equal(body.reason, '出车时忘记登记，返回后补录');
    assert.equal(body.end_km, endKm);
    assert.equal(body.tolls_fen, 1250);
    assert.equal(body.parking_fen, 800);
    assert.equal(body[v0.energy === 'electric' ? 'energy_kwh' : 'fuel_l'], 6.5);
    await page.locator(`${sel('fl-recent')} ${sel('fl-trip-card')}[data-request="${firstId}"][data-status="closed"]`).waitFor();
    await b.shot(page, 'trip-closed', { fullPage: true });
    await assertNoSideScroll(page, 'after closing');

    const trip = (await admin.get(`/api/v1/trips/${tripId}`)).body;
    assert.equal(trip.status, 'closed');
    assert.equal(trip.start_km, startKm);
    assert.equal(trip.end_km, endKm);
    assert.equal(trip.distance_km, 42);
    assert.equal(trip.start_reason, '会议提前，领导通知今日出发');
    assert.equal(trip.close_reason, '出车时忘记登记，返回后补录');
    const v1 = (await admin.get(`/api/v1/vehicles/${vehicle.id}`)).body;
    assert.equal(v1.status, 'available');
    assert.equal(v1.odometer_km, endKm);
    assert.ok(v1.odometer_km > v0.odometer_km);
    assert.equal((await admin.get(`/api/v1/trip_requests/${firstId}`)).body.status, 'completed');
});

test('the vehicle page draws the cost chart and the trip history as the API has them', async () => {
    assert.ok(vehicle, 'a vehicle was dispatched');
    const page = boardPage;
    await goHash(page, `#/c/vehicles/${vehicle.id}`);
    await page.locator(sel('detail-vehicles')).waitFor();
    await page.locator(`${sel('fl-cost-chart')} svg`).first().waitFor();
    const row = page.locator(`${sel('fl-trip-row')}[data-request="${firstId}"]`);
    await row.waitFor();
    assert.equal((await row.innerText()).trim(), PURPOSE);

    // the figures of the last twelve months, from the same records
    const [y, m] = tenantDay(0).split('-').map(Number);
    const since = new Date(Date.UTC(y, m - 12, 1)).toISOString().slice(0, 10);
    const all = async (p) => {
        const out = [];
        let after = null;
        do {
            const r = (await admin.get(p + (after ? `&after=${encodeURIComponent(after)}` : ''))).body;
            out.push(...r.items);
            after = r.next;
        } while (after);
        return out;
    };
    const costs = await all(`/api/v1/vehicle_costs?vehicle_id=${vehicle.id}&incurred_on[gte]=${since}&limit=500`);
    const trips = await all(`/api/v1/trips?vehicle_id=${vehicle.id}&status=closed&started_at[gte]=${encodeURIComponent(since + 'T00:00:00+08:00')}&limit=500`);
    assert.ok(costs.some((c) => c.trip_id && c.kind === 'tolls' && c.amount_fen === 1250), 'closing the trip added its tolls');
    const fen = costs.reduce((s, c) => s + c.amount_fen, 0);
    const km = trips.reduce((s, tr) => s + tr.distance_km, 0);
    await page.waitForFunction(() => !document.querySelector('[data-test="fl-kpi-cost"] dd').textContent.includes('…'));
    assert.equal(digits(await page.locator(`${sel('fl-kpi-cost')} dd`).innerText()), fen);
    assert.equal(digits(await page.locator(`${sel('fl-kpi-km')} dd`).innerText()), km);
    assert.equal(digits(await page.locator(`${sel('fl-kpi-trips')} dd`).innerText()), trips.length);
    // utilisation: days with a trip ÷ working days, from the server's monthly figures
    const fig = (await admin.get(`/api/v1/vehicles/${vehicle.id}/figures`)).body;
    assert.equal(fig.total.total_fen, fen, 'the figures count the same cost rows');
    assert.equal(fig.total.days_used, fig.months.reduce((s, x) => s + x.days_used, 0));
    assert.equal((await page.locator(`${sel('fl-kpi-utilisation')} dd`).innerText()).trim(),
                 fig.total.utilisation_pct == null ? '—' : `${fig.total.utilisation_pct}%`);
    await b.shot(page, 'vehicle', { fullPage: true });
    await axeCheck(page, 'the vehicle page');
});

test('the dispatch slip names the plate, the driver and the approval note', async () => {
    assert.ok(firstId && driver, 'a request was dispatched');
    const page = boardPage;
    await goHash(page, `#/c/trip_requests/${firstId}`);
    await page.locator(sel('fl-slip-link')).click();
    await page.locator(sel('fl-slip')).waitFor();
    const slip = (await admin.get(`/api/v1/trip_requests/${firstId}/slip`)).body;
    assert.equal((await page.locator(sel('fl-slip-plate')).innerText()).trim(), slip.vehicle.plate);
    assert.equal(slip.vehicle.plate, vehicle.plate);
    assert.equal((await page.locator(sel('fl-slip-driver')).innerText()).trim(), slip.driver.name);
    assert.equal(slip.driver.name, driver.name);
    assert.equal(slip.request.approve_note, APPROVE_NOTE);
    assert.equal((await page.locator(sel('fl-slip-approve-note')).innerText()).trim(), APPROVE_NOTE);
    assert.equal((await page.locator(sel('fl-slip-no')).innerText()).trim(), slip.no);
    await page.locator(sel('fl-print')).waitFor();
    await axeCheck(page, 'the dispatch slip');
    // printing leaves the sidebar and the header out
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.app-aside').isVisible(), false);
    assert.equal(await page.locator('.app-header').isVisible(), false);
    assert.equal(await page.locator(sel('fl-print')).isVisible(), false);
    await b.shot(page, 'slip-print', { fullPage: true });
    await page.emulateMedia({ media: 'screen' });
});

test('the renewal plan takes an eligible vehicle and refuses one that is not', async () => {
    const page = boardPage;
    const year = Number(tenantDay(0).slice(0, 4)) + 1;
    const want = (await fm.get(`/api/v1/fleet/renewal?year=${year}`)).body;
    assert.ok(want.items.length > 0, 'the demo has cars due for renewal');
    await goHash(page, `#/fleet/renewal?year=${year}`);
    await page.locator(`${sel('fl-kpi-eligible')} dd`).waitFor();
    assert.equal(digits(await page.locator(`${sel('fl-kpi-eligible')} dd`).innerText()), want.eligible);
    assert.equal(await page.locator(sel('fl-eligible-row')).count(), want.items.length);

    const [made] = await Promise.all([
        page.waitForResponse(isPost('/api/v1/renewal_plans')),
        page.locator(sel('fl-create-plan')).click(),
    ]);
    assert.equal(made.status(), 201, await made.text());
    const planId = (await made.json()).id;
    const first = want.items[0];
    await page.locator(`${sel('fl-add')}[data-vehicle="${first.vehicle_id}"]`).click();
    await page.locator('#fl-add-dialog-price').fill('150000');
    const [added] = await Promise.all([
        page.waitForResponse(isPost('/api/v1/renewal_plan_items')),
        page.locator(sel('fl-add-dialog-submit')).click(),
    ]);
    assert.equal(added.status(), 201, await added.text());
    await page.locator(`${sel('fl-plan-item')}[data-vehicle="${first.vehicle_id}"]`).waitFor();

    // a car that is not due: the server's 422 at the field
    const young = (await fm.get('/api/v1/vehicles?sort=-registered_on&limit=1&status=available')).body.items[0];
    assert.ok(!want.items.some((x) => x.vehicle_id === young.id));
    await choose(page, '#fl-add-vehicle', `${sel('fl-add-option')}[data-id="${young.id}"]`);
    const [refused] = await Promise.all([
        page.waitForResponse(isPost('/api/v1/renewal_plan_items')),
        page.locator(sel('fl-add-other-submit')).click(),
    ]);
    assert.equal(refused.status(), 422, await refused.text());
    await page.locator(sel('error-vehicle_id')).waitFor();
    assert.match(await page.locator(sel('error-vehicle_id')).innerText(), new RegExp(`${year}`));
    await b.shot(page, 'renewal', { fullPage: true });
    await axeCheck(page, 'the renewal plan');
    await goHash(page, '#/fleet/costs');
    await page.locator(`${sel('fl-costs-chart')} svg`).first().waitFor();
    await axeCheck(page, 'the cost report');
    const items = (await fm.get(`/api/v1/renewal_plan_items?plan_id=${planId}`)).body.items;
    assert.deepEqual(items.map((x) => x.vehicle_id), [first.vehicle_id]);
    assert.equal(items[0].planned_price_fen, 15000000);
});
