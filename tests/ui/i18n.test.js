// SPDX-License-Identifier: MIT
// i18n.test.js - Chinese by default, an English switch that changes the
// labels at once, is kept on the user's record (PATCH /api/v1/session; GET
// shows it) and so holds across a reload and a new sign-in; and back. Every
// UI string key is in both web/i18n/zh-CN.json and en.json.
'use strict';

const { test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startServer, api, ADMIN_PASSWORD, ROOT } = require('../api/lib/server');
const { openBrowser, signIn, goHash, sel, rowsOf } = require('./lib/browser');

const WEB = path.join(ROOT, 'web');
const zh = JSON.parse(fs.readFileSync(path.join(WEB, 'i18n', 'zh-CN.json'), 'utf8'));
const en = JSON.parse(fs.readFileSync(path.join(WEB, 'i18n', 'en.json'), 'utf8'));

let srv, admin, b;

before(async () => {
    srv = await startServer({ demo: true });
    admin = api(srv.url);
    b = await openBrowser('i18n');
});

after(async () => {
    if (b) await b.close();
    if (srv) await srv.stop();
});

afterEach(async (t) => {
    if (b) await b.onFailure(t);
});

function jsFiles(dir) {
    const out = [];
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) out.push(...jsFiles(p));
        else if (e.name.endsWith('.js')) out.push(p);
    }
    return out;
}

test('every UI string key is in both zh-CN.json and en.json, and every key the code names exists', () => {
    const zk = Object.keys(zh), ek = Object.keys(en);
    assert.deepEqual(zk.filter((k) => !(k in en)), [], 'keys missing from en.json');
    assert.deepEqual(ek.filter((k) => !(k in zh)), [], 'keys missing from zh-CN.json');
    for (const [k, v] of Object.entries(zh)) assert.ok(typeof v === 'string' && v.trim(), `zh-CN ${k} is empty`);
    for (const [k, v] of Object.entries(en)) assert.ok(typeof v === 'string' && v.trim(), `en ${k} is empty`);
    const missing = [];
    for (const f of jsFiles(WEB)) {
        const src = fs.readFileSync(f, 'utf8');
        for (const m of src.matchAll(/\bt\(\s*'([A-Za-z0-9_.]+)'\s*[,)]/g)) {
            if (!(m[1] in zh)) missing.push(`${path.relative(ROOT, f)}: ${m[1]}`);
        }
    }
    assert.deepEqual(missing, [], 'keys used by t() but not defined');
    // the same placeholders on both sides
    for (const k of zk) {
        const ph = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');
        assert.equal(ph(en[k]), ph(zh[k]), `placeholders of ${k}`);
    }
});

// The UI's language as the page says it, and the label of the people entry.
async function shown(page) {
    return page.evaluate(() => ({
        lang: document.documentElement.lang,
        people: document.querySelector('[data-test="nav-people"]').innerText.trim(),
        home: document.querySelector('[data-test="nav-home"]').innerText.trim(),
    }));
}

const isSession = (method) => (r) => new URL(r.url()).pathname === '/api/v1/session' && r.request().method() === method;

test('switch to English: labels change, the choice is stored on the user; a reload keeps it', async () => {
    const { page } = await b.newPage();
    await signIn(page, srv.url, 'admin', ADMIN_PASSWORD, '#/c/people');
    await rowsOf(page).first().waitFor();
    assert.deepEqual(await shown(page), { lang: 'zh-CN', people: '人员', home: zh['nav.home'] }, 'Chinese by default');
    assert.equal((await page.locator(sel('page-title')).innerText()).trim(), '人员');
    assert.ok((await page.locator(sel('export-csv')).innerText()).includes(zh['list.exportCsv']));
    await b.shot(page, 'chinese');

    const [resp] = await Promise.all([page.waitForResponse(isSession('PATCH')), page.locator(sel('lang-switch')).click()]);
    assert.equal(resp.status(), 200, await resp.text());
    assert.deepEqual(resp.request().postDataJSON(), { locale: 'en' });
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await page.locator(sel('nav-people')).filter({ hasText: 'People' }).waitFor();
    assert.deepEqual(await shown(page), { lang: 'en', people: 'People', home: en['nav.home'] });
    assert.equal((await page.locator(sel('page-title')).innerText()).trim(), 'People');
    assert.ok((await page.locator(sel('export-csv')).innerText()).includes(en['list.exportCsv']));
    assert.ok((await page.locator(`${sel('list-table')} thead`).innerText()).includes('Name'), 'column headings from meta');
    await b.shot(page, 'english');

    const s = await admin.get('/api/v1/session');
    assert.equal(s.status, 200);
    assert.equal(s.body.locale, 'en', 'GET /api/v1/session has the choice');

    await page.reload();
    await page.locator(sel('nav-people')).waitFor();
    await rowsOf(page).first().waitFor();
    await b.shot(page, 'english-reloaded');
    assert.deepEqual(await shown(page), { lang: 'en', people: 'People', home: en['nav.home'] });
});

test('a new browser signing in as the same user gets English from the server, and can switch back', async () => {
    const s0 = await admin.get('/api/v1/session');
    assert.equal(s0.body.locale, 'en', 'left so by the previous test');
    const { page } = await b.newPage(); // no local storage of its own
    await page.goto(srv.url + '/');
    await page.locator(sel('login-username')).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN', 'a stranger gets Chinese');
    await signIn(page, srv.url, 'admin', ADMIN_PASSWORD);
    await page.locator(sel('nav-people')).filter({ hasText: 'People' }).waitFor();
    assert.equal((await shown(page)).lang, 'en');
    await b.shot(page, 'english-new-browser');

    // back to Chinese from the user menu; a click while the menu is still
    // opening can miss (under load), so open it and click again until the
    // choice is sent
    const item = page.locator(sel('lang-zh-CN'));
    let resp = null;
    for (let i = 0; i < 4 && !resp; i++) {
        if (!(await item.isVisible())) await page.locator(sel('user-menu')).click();
        if (!(await item.waitFor({ timeout: 5000 }).then(() => true, () => false))) continue;
        [resp] = await Promise.all([page.waitForResponse(isSession('PATCH'), { timeout: 8000 }).catch(() => null), item.click({ timeout: 5000 }).catch(() => {})]);
    }
    assert.ok(resp, 'the user menu sent the choice of Chinese');
    assert.equal(resp.status(), 200);
    assert.deepEqual(resp.request().postDataJSON(), { locale: 'zh-CN' });
    await page.locator(sel('nav-people')).filter({ hasText: '人员' }).waitFor();
    assert.deepEqual(await shown(page), { lang: 'zh-CN', people: '人员', home: zh['nav.home'] });
    await b.shot(page, 'back-to-chinese');
    assert.equal((await admin.get('/api/v1/session')).body.locale, 'zh-CN');
});

test('a server error in words: by its key (enum params, steps and states by their labels, fen as yuan), never its English', async () => {
    const { page } = await b.newPage();
    await signIn(page, srv.url, 'admin', ADMIN_PASSWORD);
    await page.locator(sel('nav-home')).waitFor();
    const said = await page.evaluate(async () => {
        const { problemText, fieldText, paramsText } = await import('/lib/api.js');
        const { collection } = await import('/lib/session.js');
        const rq = collection('trip_requests');
        return {
            keyed: problemText({
                status: 409, detail: 'vehicle 粤B·12345 is dispatched to request 7 at an overlapping time',
                key: 'fleet.dispatch.vehicle_busy', params: { plate: '粤B·12345', request: 7 },
            }, rq),
            order: problemText({
                status: 409, detail: 'cannot dispatch: the record is submitted (only approved)',
                key: 'wf.out_of_order', params: { action: 'dispatch', status: 'submitted', allowed: 'approved' },
            }, rq),
            field: fieldText({ field: 'purpose', message: 'must be at most 500 characters', key: 'field.too_long', params: { max: 500 } }, rq),
            params: paramsText({ status: 'approved', allowed: 'submitted,approved', action: 'reject', budget_fen: 1234550, plate: '粤B·1' }, rq),
            // a key the UI has no words for (a newer server): the status alone, never the English
            unknownKey: fieldText({ field: 'title', message: 'is required', key: 'field.no_such_key' }),
            unknownProblem: problemText({ status: 409, detail: 'something new', key: 'no.such.key', params: {} }),
            items: problemText({ status: 422, key: 'invalid', params: { n: 2 }, detail: '2 fields are invalid',
                                 errors: [{ field: 'purpose', key: 'field.required', params: {}, message: 'is required' },
                                          { field: 'x', key: 'field.unknown', params: {}, message: 'unknown field' }] }, rq),
            one: problemText({ status: 400, key: 'query.range', params: { min: 1, max: 36 }, detail: 'must be…',
                               errors: [{ field: 'months', key: 'query.range', params: { min: 1, max: 36 }, message: 'must be…' }] }),
            network: problemText({ status: 0, detail: 'Failed to fetch' }),
        };
    });
    assert.equal(said.keyed, zh['err.fleet.dispatch.vehicle_busy'].replace('{plate}', '粤B·12345').replace('{request}', '7'));
    assert.equal(said.order, '当前状态为“待审批”，不能派车');
    assert.equal(said.field, '最多 500 个字符');
    assert.deepEqual(said.params, { status: '待派车', allowed: '待审批、待派车', action: '不予批准', budget_fen: '¥12,345.50', plate: '粤B·1' });
    assert.equal(said.unknownKey, zh['error.unknown']);
    assert.equal(said.unknownProblem, zh['error.unknown']);
    assert.match(said.items, /^.+：必填；未知字段$/);
    assert.equal(said.one, '须为 1–36 之间的整数');
    assert.equal(said.network, zh['error.network']);
});
