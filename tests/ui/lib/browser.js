// SPDX-License-Identifier: MIT
// browser.js - Debian's Chromium driven by playwright-core for the UI tests:
// one browser (with its own fresh profile folder) per test file, a screenshot
// of every step, and the small page functions the tests share.
//
//   const { openBrowser, signIn, sel } = require('./lib/browser');
//   const b = await openBrowser('login');             // artifacts named login-NN-<step>.png
//   const { page } = await b.newPage();               // a fresh context (cookies, storage)
//   await signIn(page, srv.url, 'admin', ADMIN_PASSWORD);
//   await b.shot(page, 'dashboard');
//   await b.close();
//
// Environment: BUREAU_UI_ARTIFACTS, the folder for screenshots (default
// tests/artifacts/ui); BUREAU_CHROMIUM, the browser (default /usr/bin/chromium).
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { ROOT } = require('../../api/lib/server');

const AXE = path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');
const ARTIFACTS = path.resolve(process.env.BUREAU_UI_ARTIFACTS || path.join(ROOT, 'tests', 'artifacts', 'ui'));
const CHROMIUM = process.env.BUREAU_CHROMIUM || '/usr/bin/chromium';
// The test machines have no outside network: keep Chromium from trying.
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
              '--no-first-run', '--disable-sync', '--disable-quic'];
const DESKTOP = { width: 1366, height: 860 };
const PHONE = { width: 390, height: 844 };
const DEMO_PASSWORD = 'Bureau-demo-2026';

// `[data-test="x"]`
const sel = (name) => `[data-test="${name}"]`;

// Launches Chromium with a profile folder of its own; resolves
// {browser, newPage(opts), shot(page, step), onFailure(t), close(), errors}.
// newPage(opts) makes a new context (Playwright options: viewport, bypassCSP, …)
// with one page; console errors and page errors of every page end up in
// `errors` (printed by close() when there are any).
// extraArgs: more Chromium switches (a fake camera, say).
async function openBrowser(prefix, extraArgs = []) {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    // Every launch gets a new empty --user-data-dir (Playwright makes it in the
    // temporary folder and removes it on close); every context is a fresh one.
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...ARGS, ...extraArgs] });
    const errors = [];
    let step = 0;
    const contexts = [];

    async function newPage(opts = {}) {
        const ctx = await browser.newContext({
            viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true, ...opts,
        });
        ctx.setDefaultTimeout(15000);
        contexts.push(ctx);
        const page = await ctx.newPage();
        trackApi(page);
        page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
        page.on('console', (m) => {
            if (m.type() === 'error') errors.push(`console: ${m.text()}`);
        });
        return { ctx, page };
    }

    // Saves a PNG of the page as <prefix>-<NN>-<step>.png; returns its path.
    async function shot(page, name, opts = {}) {
        step += 1;
        const file = path.join(ARTIFACTS, `${prefix}-${String(step).padStart(2, '0')}-${name}.png`);
        try {
            await page.screenshot({ path: file, animations: 'disabled', ...opts });
        } catch (e) {
            // A screenshot is a record of the run, never the reason it fails.
            errors.push(`screenshot ${name}: ${e.message}`);
        }
        return file;
    }

    // For afterEach: when test `t` failed, a picture of every open page, and
    // what the pages reported.
    async function onFailure(t) {
        if (t.passed) return;
        const slug = t.name.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 40);
        for (const c of contexts) {
            for (const pg of c.pages()) await shot(pg, `FAILED-${slug}`);
        }
        const worth = errors.filter((e) => !/the server responded with a status of 4\d\d/.test(e));
        if (worth.length) console.log(`${prefix}: errors in the browser so far:\n  ${worth.slice(-10).join('\n  ')}`);
    }

    // Prints what went wrong in the pages (as TAP comments), then closes.
    async function close() {
        const worth = errors.filter((e) => !/the server responded with a status of 4\d\d/.test(e));
        if (worth.length) console.log(`${prefix}: errors in the browser:\n  ${worth.join('\n  ')}`);
        for (const c of contexts) await c.close().catch(() => {});
        await browser.close().catch(() => {});
    }

    return { browser, newPage, shot, onFailure, close, errors, artifacts: ARTIFACTS };
}

// API requests in flight, per page, so a test can wait until the page has
// stopped talking to the server (e.g. before ending its session).
const inflight = new WeakMap();

function trackApi(page) {
    const st = { open: new Set(), waiters: [] };
    inflight.set(page, st);
    const isApi = (req) => new URL(req.url()).pathname.startsWith('/api/');
    const done = (req) => {
        st.open.delete(req);
        if (!st.open.size) st.waiters.splice(0).forEach((f) => f());
    };
    page.on('request', (req) => { if (isApi(req)) st.open.add(req); });
    page.on('requestfinished', done);
    page.on('requestfailed', done);
}

// Resolves once no API request of the page is in flight (a round trip to the
// page first, so that requests it has just started are counted).
async function apiIdle(page) {
    const st = inflight.get(page);
    await page.evaluate(() => 0);
    if (!st.open.size) return;
    await new Promise((resolve) => st.waiters.push(resolve));
}

// Opens the UI, signs in on the login page and waits for the layout (its
// user menu; the sidebar is folded away at phone width); then, when `hash` names another page, goes there.
async function signIn(page, base, username, password, hash = '#/') {
    await page.goto(base + '/#/');
    await fillLogin(page, username, password);
    await page.locator(sel('user-menu')).waitFor();
    if (hash !== '#/') await goHash(page, hash);
}

// Moves the signed-in UI to another page (a hash change, no reload).
async function goHash(page, hash) {
    await page.evaluate((h) => { location.hash = h; }, hash);
    await page.waitForFunction((h) => location.hash === h, hash);
}

// Types the credentials into the login form and submits it.
async function fillLogin(page, username, password) {
    const user = page.locator(sel('login-username'));
    await user.waitFor();
    await user.fill(username);
    await page.locator(sel('login-password')).fill(password);
    await page.locator(sel('login-submit')).click();
}

// The data rows of the list table (Element Plus renders one <tr class="el-table__row"> per record).
function rowsOf(page) {
    return page.locator(`${sel('list-table')} .el-table__body tr.el-table__row`);
}

// Resolves once the next list request of `collection` has answered and its rows
// are in the table; `trigger` is what starts it. Returns the API's JSON answer
// and the request URL as the page sent it.
async function listLoad(page, collection, trigger) {
    const [resp] = await Promise.all([page.waitForResponse(isList(collection)), trigger()]);
    const body = await resp.json();
    const url = new URL(resp.url());
    await waitRows(page, body.items.length);
    return { body, url, status: resp.status() };
}

// Waits until the list table holds exactly n rows.
async function waitRows(page, n) {
    await page.waitForFunction(
        ({ s, n }) => document.querySelectorAll(s).length === n,
        { s: `${sel('list-table')} .el-table__body tr.el-table__row`, n },
    );
}

// The text of the title link in every row of the list table.
async function rowTitles(page) {
    return page.locator(`${sel('list-table')} .el-table__body tr.el-table__row ${sel('row-link')}`).allInnerTexts();
}

// A predicate for page.waitForResponse: a GET of the list of `collection`.
function isList(collection) {
    return (r) => {
        const u = new URL(r.url());
        return r.request().method() === 'GET' && u.pathname === `/api/v1/${collection}`;
    };
}


// ---- form widgets (ids are f-<collection>-<field>, see web/views/form.js) ----

const exact = (text) => new RegExp(`^\\s*${String(text).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);

// The options of the open dropdown that belongs to the combobox `input`.
async function optionsOf(page, input) {
    const list = await input.getAttribute('aria-controls');
    return page.locator(`[id="${list}"] [role="option"]`);
}

// Chooses `text` in an Element Plus select (enum, remote reference or tree):
// opens it, types `search` when given (filterable ones), clicks the option.
async function pickOption(page, inputSelector, text, search = null) {
    const input = page.locator(inputSelector);
    // the wrapper takes the click (a placeholder covers the input of a plain select)
    await input.locator('xpath=ancestor::div[contains(@class,"el-select__wrapper")]').click();
    const options = await optionsOf(page, input);
    // the choices have arrived (tree and reference selects load theirs) before typing
    await options.first().waitFor();
    if (search !== null) await input.fill(search);
    const option = options.filter({ hasText: exact(text) }).first();
    const closed = (ms) => page.waitForFunction((id) => {
        const el = document.querySelector(id);
        return el && el.getAttribute('aria-expanded') === 'false';
    }, inputSelector, { timeout: ms }).then(() => true, () => false);
    // a remote select may redraw its options once more as the search settles, and a
    // click on the option it replaced goes nowhere: click the current one again
    for (let i = 0; i < 4; i++) {
        await option.waitFor();
        await option.click();
        // the choice shows in the closed select
        if (await closed(i < 3 ? 3000 : 15000)) return;
    }
    throw new Error(`${inputSelector}: the select did not take "${text}"`);
}

// The text a select shows for its value.
async function selectText(page, inputSelector) {
    return page.locator(inputSelector).locator('xpath=ancestor::div[contains(@class,"el-select__wrapper")]')
        .locator('.el-select__selected-item:not(.el-select__input-wrapper)').first().innerText();
}

// Types a date into an Element Plus date picker.
async function fillDate(page, inputSelector, ymd) {
    const input = page.locator(inputSelector);
    await input.click();
    await input.fill(ymd);
    await input.press('Enter');
    await page.keyboard.press('Escape');
}

// axe-core on the page once it is still (the API idle, the pointer away from
// the last click, transitions over): asserts no serious or critical
// violation, printing every violation with its targets when there is one,
// and names the minor ones. The context needs `bypassCSP: true` (the page's
// CSP refuses the injected script).
async function axeCheck(page, what) {
    await apiIdle(page);
    await page.mouse.move(0, 0);
    await page.waitForFunction(() => !document.getAnimations().some((a) => a.playState === 'running' &&
        a.effect && a.effect.getComputedTiming().iterations !== Infinity));
    if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: AXE });
    const result = await page.evaluate(async () => {
        const r = await window.axe.run(document, { resultTypes: ['violations'] });
        return r.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
        }));
    });
    const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    const text = result.map((v) => `[${v.impact}] ${v.id}: ${v.help}\n` +
        v.nodes.map((n) => `    ${n.target}\n      ${(n.summary || '').replace(/\n/g, '\n      ')}`).join('\n')).join('\n');
    const minor = result.filter((v) => !bad.includes(v));
    if (minor.length) console.log(`axe ${what}: ${minor.length} minor/moderate: ${minor.map((v) => v.id).join(', ')}`);
    assert.equal(bad.length, 0, `axe on ${what}:\n${text}`);
}

// The error message shown at a form field ('' when none).
async function fieldError(page, name) {
    const e = page.locator(sel('error-' + name));
    return (await e.count()) ? (await e.first().innerText()).trim() : '';
}

module.exports = {
    ARTIFACTS,
    DESKTOP,
    PHONE,
    DEMO_PASSWORD,
    sel,
    openBrowser,
    signIn,
    goHash,
    apiIdle,
    axeCheck,
    fillLogin,
    rowsOf,
    listLoad,
    waitRows,
    rowTitles,
    isList,
    pickOption,
    selectText,
    fillDate,
    fieldError,
};
