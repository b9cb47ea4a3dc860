// SPDX-License-Identifier: MIT
// login.test.js - signing in (a wrong password shows why, by the API's key, the
// right one lands on the dashboard with the summary cards), and a session that
// ends on the server: the UI goes to the login page and, once signed in again,
// back to the page the user was on.
'use strict';

const { test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, api, ADMIN_PASSWORD } = require('../api/lib/server');
const { openBrowser, signIn, fillLogin, sel, rowsOf, isList, apiIdle, DEMO_PASSWORD } = require('./lib/browser');

let srv, admin, b;

before(async () => {
    srv = await startServer({ demo: true });
    admin = api(srv.url);
    b = await openBrowser('login');
});

after(async () => {
    if (b) await b.close();
    if (srv) await srv.stop();
});

afterEach(async (t) => {
    if (b) await b.onFailure(t);
});

// The numbers of a counts card as the dashboard shows them ("4,213" → 4213).
async function shownCount(page, collection) {
    const text = await page.locator(`${sel('count-' + collection)} strong`).innerText();
    return Number(text.replace(/[^\d]/g, ''));
}

test('a wrong password shows why (the API\'s key in words) and stays on the login page', async () => {
    const { page } = await b.newPage();
    await page.goto(srv.url + '/');
    await page.locator(sel('login-username')).waitFor();
    await b.shot(page, 'login-page');

    const [resp] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/api/v1/session') && r.request().method() === 'POST'),
        fillLogin(page, 'admin', 'not-the-password-2026'),
    ]);
    assert.equal(resp.status(), 401);
    const problem = await resp.json();
    assert.equal(problem.key, 'auth.wrong_password', 'the API says why, by key');

    const alert = page.locator(sel('login-error'));
    await alert.waitFor();
    await b.shot(page, 'wrong-password');
    const text = await alert.innerText();
    // the key's words in the UI's language, never the API's English
    const zh = JSON.parse(require('node:fs').readFileSync(require('node:path').join(__dirname, '../../web/i18n/zh-CN.json'), 'utf8'));
    assert.ok(text.includes(zh['err.auth.wrong_password']), `the refusal in words: ${JSON.stringify(text)}`);
    assert.ok(!text.includes(problem.detail), `not the API's English: ${JSON.stringify(text)}`);
    assert.match(page.url(), /#\/login/);
    assert.equal(await page.locator(sel('sidebar')).count(), 0, 'no layout before sign-in');
    // the password is kept out of the address and the field
    assert.ok(!page.url().includes('not-the-password'));
});

test('the right password lands on the dashboard with the cards of /api/v1/summary/{module}', async () => {
    const { page } = await b.newPage();
    const summary = await admin.get('/api/v1/summary/org');
    assert.equal(summary.status, 200, summary.text);
    const counts = summary.body.cards.find((c) => c.kind === 'counts');
    assert.ok(counts, summary.text);
    const people = counts.items.find((i) => i.collection === 'people');
    assert.equal(people.count, 4213, 'the demo district has 4213 people');

    await signIn(page, srv.url, 'admin', ADMIN_PASSWORD);
    await page.locator(sel('dashboard')).waitFor();
    assert.match(page.url(), /#\/$/, page.url());
    await page.locator(sel('card-org-counts')).waitFor();
    await page.locator(sel('count-people')).waitFor();
    await page.locator(`${sel('card-org-counts')} svg`).first().waitFor(); // the chart is drawn
    await b.shot(page, 'dashboard');

    for (const item of counts.items) {
        assert.equal(await shownCount(page, item.collection), item.count, `the ${item.collection} count`);
    }
    const text = await page.locator(sel('count-people')).innerText();
    assert.ok(text.includes('人员'), `the people card is labelled in Chinese: ${text}`);
    assert.ok(text.includes('4,213') || text.includes('4213'), text);

    // every module has its counts card, with the API's numbers
    const meta = await admin.get('/api/v1/meta');
    for (const m of meta.body.modules) {
        const s = await admin.get(`/api/v1/summary/${m.name}`);
        assert.equal(s.status, 200, `summary of ${m.name}: ${s.text}`);
        const card = s.body.cards.find((c) => c.kind === 'counts');
        assert.ok(card, `${m.name} has a counts card`);
        await page.locator(sel(`card-${m.name}-${card.id}`)).waitFor();
        for (const item of card.items) {
            assert.equal(await shownCount(page, item.collection), item.count, `${m.name}: ${item.collection}`);
        }
    }
});

test('a department liaison\'s dashboard counts their own department only, as the API does', async () => {
    const { page } = await b.newPage();
    const liaison = api(srv.url, { username: 'liaison', password: DEMO_PASSWORD });
    const s = await liaison.get('/api/v1/summary/org');
    assert.equal(s.status, 200, s.text);
    const want = s.body.cards.find((c) => c.kind === 'counts').items.find((i) => i.collection === 'people');
    assert.ok(want && want.count > 0 && want.count < 4213, JSON.stringify(want));

    await signIn(page, srv.url, 'liaison', DEMO_PASSWORD);
    await page.locator(sel('count-people')).waitFor();
    await b.shot(page, 'dashboard-liaison');
    assert.equal(await shownCount(page, 'people'), want.count);
});

test('a session ended on the server sends the UI to login, then back to the same page', async () => {
    const { ctx, page } = await b.newPage();
    await signIn(page, srv.url, 'admin', ADMIN_PASSWORD);
    // the dashboard, done talking to the server (a list page keeps loading
    // its filters' data for a while, which would notice the end by itself)
    await page.locator(`${sel('card-org-counts')} svg`).first().waitFor();
    await apiIdle(page);

    // end the session behind the browser's back, with its own cookie
    const cookie = (await ctx.cookies(srv.url)).find((c) => c.name === 'bureau_session');
    assert.ok(cookie, 'the browser holds a session cookie');
    const who = await fetch(srv.url + '/api/v1/session', { headers: { Cookie: `bureau_session=${cookie.value}` } });
    assert.equal(who.status, 200);
    const { csrf } = await who.json();
    const del = await fetch(srv.url + '/api/v1/session', {
        method: 'DELETE', headers: { Cookie: `bureau_session=${cookie.value}`, 'X-CSRF-Token': csrf },
    });
    assert.ok(del.status === 204 || del.status === 200, `DELETE /api/v1/session: ${del.status}`);
    const gone = await fetch(srv.url + '/api/v1/session', { headers: { Cookie: `bureau_session=${cookie.value}` } });
    assert.equal(gone.status, 401, 'the session is over');

    // the next thing the user does needs the API: the UI notices and asks to sign in
    const [resp] = await Promise.all([page.waitForResponse(isList('people')), page.locator(sel('nav-people')).click()]);
    assert.equal(resp.status(), 401);
    await page.locator(sel('login-username')).waitFor();
    await b.shot(page, 'expired-login');
    assert.match(page.url(), /#\/login/);
    assert.ok(decodeURIComponent(page.url()).includes('/c/people'), `the login page remembers the page: ${page.url()}`);

    await fillLogin(page, 'admin', ADMIN_PASSWORD);
    await page.locator(sel('list-people')).waitFor();
    await rowsOf(page).first().waitFor();
    await b.shot(page, 'expired-back');
    assert.match(page.url(), /#\/c\/people$/, page.url());
    const cookie2 = (await ctx.cookies(srv.url)).find((c) => c.name === 'bureau_session');
    assert.notEqual(cookie2.value, cookie.value, 'a new session');
});

test('a reload after the session ended server-side opens the login page with the way back', async () => {
    const { ctx, page } = await b.newPage();
    await signIn(page, srv.url, 'admin', ADMIN_PASSWORD, '#/c/ranks');
    await rowsOf(page).first().waitFor();
    await apiIdle(page);
    const cookie = (await ctx.cookies(srv.url)).find((c) => c.name === 'bureau_session');
    const who = await (await fetch(srv.url + '/api/v1/session', { headers: { Cookie: `bureau_session=${cookie.value}` } })).json();
    const del = await fetch(srv.url + '/api/v1/session', {
        method: 'DELETE', headers: { Cookie: `bureau_session=${cookie.value}`, 'X-CSRF-Token': who.csrf },
    });
    assert.ok(del.status < 300, String(del.status));

    await page.reload();
    await page.locator(sel('login-username')).waitFor();
    await b.shot(page, 'reload-login');
    await fillLogin(page, 'admin', ADMIN_PASSWORD);
    await page.locator(sel('list-ranks')).waitFor();
    assert.match(page.url(), /#\/c\/ranks$/, page.url());
});
