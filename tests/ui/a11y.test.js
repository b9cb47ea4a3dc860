// SPDX-License-Identifier: MIT
// a11y.test.js - axe-core finds no serious or critical violation on the login
// page, a list and a form (desktop width, Chinese; also the dashboard, a
// record's detail, and list and form at phone width). The page's CSP admits
// no injected script, so these pages run in a context that bypasses it.
'use strict';

const { test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, ADMIN_PASSWORD } = require('../api/lib/server');
const { openBrowser, signIn, goHash, sel, rowsOf, PHONE, axeCheck } = require('./lib/browser');

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


test('axe: the login page', async () => {
    await page.goto(srv.url + '/');
    await page.locator(sel('login-username')).waitFor();
    await b.shot(page, 'login');
    await axeCheck(page, 'the login page');
});

test('axe: the login page showing an error', async () => {
    await page.locator(sel('login-username')).fill('admin');
    await page.locator(sel('login-password')).fill('wrong-password-2026');
    await page.locator(sel('login-submit')).click();
    await page.locator(sel('login-error')).waitFor();
    await b.shot(page, 'login-error');
    await axeCheck(page, 'the login page with an error');
});

test('axe: a list (people)', async () => {
    await signIn(page, srv.url, 'admin', ADMIN_PASSWORD, '#/c/people');
    await page.locator(sel('list-people')).waitFor();
    await rowsOf(page).nth(49).waitFor();
    await b.shot(page, 'list');
    await axeCheck(page, 'the people list');
});

test('axe: a form (new person), also with its field errors shown', async () => {
    await goHash(page, '#/c/people/new');
    await page.locator(sel('form-people')).waitFor();
    await b.shot(page, 'form');
    await axeCheck(page, 'the people form');
    await page.locator('#f-people-staff_no').fill('坏 号');
    await page.locator(sel('save')).click();
    await page.locator(`${sel('field-name')} .el-form-item__error`).waitFor();
    await b.shot(page, 'form-errors');
    await axeCheck(page, 'the people form with errors');
});

test('axe: the dashboard and a record\'s detail with its history', async () => {
    await goHash(page, '#/');
    await page.locator(`${sel('card-org-counts')} svg`).first().waitFor();
    await b.shot(page, 'dashboard');
    await axeCheck(page, 'the dashboard');
    await goHash(page, '#/c/people/5');
    await page.locator(sel('value-name')).waitFor();
    await page.locator(`${sel('history')} .el-timeline-item, ${sel('history')} .el-empty`).first().waitFor();
    await b.shot(page, 'detail');
    await axeCheck(page, 'a person\'s detail');
});

test('axe at phone width: a list and a form', async () => {
    ({ page } = await b.newPage({ bypassCSP: true, viewport: PHONE, isMobile: true, hasTouch: true }));
    await signIn(page, srv.url, 'admin', ADMIN_PASSWORD, '#/c/people');
    await rowsOf(page).first().waitFor();
    await b.shot(page, 'phone-list');
    await axeCheck(page, 'the people list at phone width');
    await goHash(page, '#/c/departments/new');
    await page.locator(sel('form-departments')).waitFor();
    await b.shot(page, 'phone-form');
    await axeCheck(page, 'the department form at phone width');
});
