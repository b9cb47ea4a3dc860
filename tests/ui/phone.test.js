// SPDX-License-Identifier: MIT
// phone.test.js - the staff pages at phone width (390×844, touch): login,
// dashboard, a list, a form and a record's detail never scroll the page
// sideways, the navigation folds into a drawer, and the buttons and inputs
// are touch-sized (at least 40 px high, buttons 40 px wide).
'use strict';

const { test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, api, ADMIN_PASSWORD } = require('../api/lib/server');
const { openBrowser, fillLogin, sel, rowsOf, pickOption, PHONE } = require('./lib/browser');

const MIN = 40;
let srv, admin, b, page;

before(async () => {
    srv = await startServer({ demo: true });
    admin = api(srv.url);
    b = await openBrowser('phone');
    ({ page } = await b.newPage({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }));
});

after(async () => {
    if (b) await b.close();
    if (srv) await srv.stop();
});

afterEach(async (t) => {
    if (b) await b.onFailure(t);
});

// The page cannot be scrolled sideways: nothing is wider than the screen,
// and scrolling right does not move it.
async function assertNoSideScroll(what) {
    const m = await page.evaluate(() => {
        const before = window.scrollY;
        window.scrollTo(200, before);
        const moved = window.scrollX;
        window.scrollTo(0, before);
        return { scrollWidth: document.documentElement.scrollWidth, body: document.body.scrollWidth, moved };
    });
    assert.ok(m.scrollWidth <= PHONE.width, `${what}: the page is ${m.scrollWidth} px wide`);
    assert.ok(m.body <= PHONE.width, `${what}: the body is ${m.body} px wide`);
    assert.equal(m.moved, 0, `${what}: the page scrolls sideways`);
}

// Visible buttons and input boxes under `scope` smaller than a fingertip.
// (The sort arrows in a column heading are left out: the whole heading sorts.)
async function smallControls(scope) {
    return page.evaluate(({ scope, min }) => {
        const out = [];
        const root = document.querySelector(scope) || document.body;
        const boxes = root.querySelectorAll(
            'button:not(.caret-wrapper), a.el-button, .el-input__wrapper, .el-select__wrapper, .el-textarea__inner, input[type="file"]');
        for (const el of boxes) {
            const r = el.getBoundingClientRect();
            if (!r.width || !r.height || el.closest('[aria-hidden="true"]')) continue;
            const st = getComputedStyle(el);
            if (st.visibility === 'hidden' || st.display === 'none') continue;
            const isButton = el.matches('button, a.el-button');
            if (r.height < min - 0.5 || (isButton && r.width < min - 0.5)) {
                out.push(`${el.getAttribute('data-test') || el.getAttribute('aria-label') || el.className} ` +
                         `"${(el.innerText || '').trim().slice(0, 20)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
            }
        }
        return out;
    }, { scope, min: MIN });
}

// The named controls exist, are visible and touch-sized.
async function assertTouchSized(names) {
    for (const n of names) {
        const box = await page.locator(sel(n)).first().boundingBox();
        assert.ok(box, `${n} is visible`);
        assert.ok(box.height >= MIN - 0.5 && box.width >= MIN - 0.5, `${n} is ${box.width}×${box.height}`);
    }
}

test('login at phone width', async () => {
    await page.goto(srv.url + '/');
    await page.locator(sel('login-username')).waitFor();
    await b.shot(page, 'login');
    await assertNoSideScroll('login');
    assert.deepEqual(await smallControls('body'), [], 'small controls on the login page');
    await assertTouchSized(['login-submit']);
    await fillLogin(page, 'admin', ADMIN_PASSWORD);
    await page.locator(sel('dashboard')).waitFor();
});

test('dashboard at phone width: the sidebar folds into a menu button', async () => {
    await page.locator(sel('count-people')).waitFor();
    await page.locator(`${sel('card-org-counts')} svg`).first().waitFor();
    await b.shot(page, 'dashboard', { fullPage: true });
    await assertNoSideScroll('dashboard');
    assert.equal(await page.locator(sel('nav-people')).isVisible(), false, 'no sidebar beside the page');
    await assertTouchSized(['menu-toggle', 'user-menu']);
    assert.deepEqual(await smallControls('body'), [], 'small controls on the dashboard');
});

test('a list at phone width, reached through the menu', async () => {
    await page.locator(sel('menu-toggle')).click();
    const item = page.locator(sel('nav-people'));
    await item.waitFor();
    await b.shot(page, 'menu');
    await item.click();
    await page.locator(sel('list-people')).waitFor();
    await rowsOf(page).nth(49).waitFor({ state: 'attached' });
    await item.waitFor({ state: 'hidden' }); // the drawer closed
    await b.shot(page, 'list');
    await assertNoSideScroll('list');
    await assertTouchSized(['create', 'page-next', 'page-prev']);
    assert.deepEqual(await smallControls(sel('list-people')), [], 'small controls on the list');
    assert.deepEqual(await smallControls('header'), [], 'small controls in the header');
    // the filters, when shown, fit too
    const toggle = page.locator(sel('filter-toggle'));
    if (await toggle.count()) await toggle.click();
    await page.locator('#flt-people-name').waitFor();
    await b.shot(page, 'list-filters');
    await assertNoSideScroll('list with filters');
    assert.deepEqual(await smallControls(sel('filters')), [], 'small controls among the filters');
});

test('a form at phone width, filled in and saved; the record\'s detail', async () => {
    const dept = (await admin.get('/api/v1/departments?limit=1&sort=id')).body.items[0];
    await page.locator(sel('create')).click();
    await page.locator(sel('form-people')).waitFor();
    await b.shot(page, 'form', { fullPage: true });
    await assertNoSideScroll('form');
    assert.deepEqual(await smallControls(sel('form-people')), [], 'small controls on the form');
    await assertTouchSized(['save']);
    // labels above the inputs: each input spans (nearly) the screen's width
    const w = await page.locator('#f-people-name').locator('xpath=ancestor::div[contains(@class,"el-input__wrapper")]').boundingBox();
    assert.ok(w.width >= PHONE.width * 0.75, `the name input is ${w.width} px wide`);

    await page.locator('#f-people-name').fill('手机录入');
    await page.locator('#f-people-staff_no').fill('UIT-PH-1');
    await pickOption(page, '#f-people-department_id', dept.name, dept.name);
    await b.shot(page, 'form-filled');
    const [resp] = await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/people' && r.request().method() === 'POST'),
        page.locator(sel('save')).click(),
    ]);
    assert.equal(resp.status(), 201, await resp.text());
    await page.locator(sel('detail-people')).waitFor();
    await page.locator(`${sel('history')} .el-timeline-item`).first().waitFor();
    await b.shot(page, 'detail', { fullPage: true });
    await assertNoSideScroll('detail');
    await assertTouchSized(['edit', 'delete']);
    assert.deepEqual(await smallControls(sel('detail-people')), [], 'small controls on the detail page');
    const p = (await admin.get('/api/v1/people?staff_no=UIT-PH-1')).body.items[0];
    assert.equal(p.name, '手机录入');
    assert.equal(p.department_id, dept.id);
});
