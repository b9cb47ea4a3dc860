// SPDX-License-Identifier: MIT
// a11y.test.js - axe-core finds no serious or critical violation on the login
// page, a list and a form (desktop width, Chinese; also the dashboard, a
// record's detail, and list and form at phone width). The page's CSP admits
// no injected script, so these pages run in a context that bypasses it.
'use strict';

const { test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { startServer, ADMIN_PASSWORD, ROOT } = require('../api/lib/server');
const { openBrowser, signIn, goHash, sel, rowsOf, PHONE } = require('./lib/browser');

const AXE = path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');
let srv, b, page;

before(async () => {
    srv = await startServer({ demo: true });
    b = await openBrowser('a11y');
    ({ page } = await b.newPage({ bypassCSP: true }));
});

after(async () => {
    if (b) await b.close();
    if (srv) await srv.stop();
});

afterEach(async (t) => {
    if (b) await b.onFailure(t);
});

// Runs axe on the page; asserts no serious or critical violation, printing
// every violation (with its targets) when there is one.
async function axeCheck(what) {
    if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: AXE });
    const result = await page.evaluate(async () => {
        const r = await window.axe.run(document, { resultTypes: ['violations'] });
        return r.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
        }));
    });
    const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    const text = (list) => list.map((v) => `[${v.impact}] ${v.id}: ${v.help}\n` +
        v.nodes.map((n) => `    ${n.target}\n      ${(n.summary || '').replace(/\n/g, '\n      ')}`).join('\n')).join('\n');
    const minor = result.filter((v) => !bad.includes(v));
    if (minor.length) console.log(`axe ${what}: ${minor.length} minor/moderate: ${minor.map((v) => v.id).join(', ')}`);
    assert.equal(bad.length, 0, `axe on ${what}:\n${text(result)}`);
}

test('axe: the login page', async () => {
    await page.goto(srv.url + '/');
    await page.locator(sel('login-username')).waitFor();
    await b.shot(page, 'login');
    await axeCheck('the login page');
});

test('axe: the login page showing an error', async () => {
    await page.locator(sel('login-username')).fill('admin');
    await page.locator(sel('login-password')).fill('wrong-password-2026');
    await page.locator(sel('login-submit')).click();
    await page.locator(sel('login-error')).waitFor();
    await b.shot(page, 'login-error');
    await axeCheck('the login page with an error');
});

test('axe: a list (people)', async () => {
    await signIn(page, srv.url, 'admin', ADMIN_PASSWORD, '#/c/people');
    await page.locator(sel('list-people')).waitFor();
    await rowsOf(page).nth(49).waitFor();
    await b.shot(page, 'list');
    await axeCheck('the people list');
});

test('axe: a form (new person), also with its field errors shown', async () => {
    await goHash(page, '#/c/people/new');
    await page.locator(sel('form-people')).waitFor();
    await b.shot(page, 'form');
    await axeCheck('the people form');
    await page.locator('#f-people-staff_no').fill('坏 号');
    await page.locator(sel('save')).click();
    await page.locator(`${sel('field-name')} .el-form-item__error`).waitFor();
    await b.shot(page, 'form-errors');
    await axeCheck('the people form with errors');
});

test('axe: the dashboard and a record\'s detail with its history', async () => {
    await goHash(page, '#/');
    await page.locator(`${sel('card-org-counts')} svg`).first().waitFor();
    await b.shot(page, 'dashboard');
    await axeCheck('the dashboard');
    await goHash(page, '#/c/people/5');
    await page.locator(sel('value-name')).waitFor();
    await page.locator(`${sel('history')} .el-timeline-item, ${sel('history')} .el-empty`).first().waitFor();
    await b.shot(page, 'detail');
    await axeCheck('a person\'s detail');
});

test('axe at phone width: a list and a form', async () => {
    ({ page } = await b.newPage({ bypassCSP: true, viewport: PHONE, isMobile: true, hasTouch: true }));
    await signIn(page, srv.url, 'admin', ADMIN_PASSWORD, '#/c/people');
    await rowsOf(page).first().waitFor();
    await b.shot(page, 'phone-list');
    await axeCheck('the people list at phone width');
    await goHash(page, '#/c/departments/new');
    await page.locator(sel('form-departments')).waitFor();
    await b.shot(page, 'phone-form');
    await axeCheck('the department form at phone width');
});
