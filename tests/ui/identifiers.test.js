// SPDX-License-Identifier: MIT
// identifiers.test.js - Chinese identifiers in the generic views: a person's
// mobile typed wrong is said at the field before anything is sent (the
// server's words, err.format.mobile), typed with +86 and spaces it is saved in
// its normal form; a driver's ID number is shown masked (and marked so) to
// the leader, and in full, with the format's hint, in the fleet manager's form.
'use strict';

const { test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, api, ADMIN_PASSWORD } = require('../api/lib/server');
const { openBrowser, signIn, goHash, sel, fieldError } = require('./lib/browser');
const zh = require('../../web/i18n/zh-CN.json');

const PW = 'Bureau-demo-2026';
let srv, admin, b;

before(async () => {
    srv = await startServer({ demo: true });
    admin = api(srv.url);
    b = await openBrowser('identifiers');
});

after(async () => {
    if (b) await b.close();
    if (srv) await srv.stop();
});

afterEach(async (t) => {
    if (b) await b.onFailure(t);
});

async function save(page, collection) {
    const [resp] = await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname.startsWith(`/api/v1/${collection}`) &&
                                    ['POST', 'PATCH'].includes(r.request().method())),
        page.locator(sel('save')).click(),
    ]);
    return resp;
}

test('a mobile: refused at the field before sending, saved in its normal form', async () => {
    const person = (await admin.get('/api/v1/people?limit=1&sort=-id')).body.items[0];
    const { page: p2 } = await b.newPage();
    await signIn(p2, srv.url, 'admin', ADMIN_PASSWORD, `#/c/people/${person.id}/edit`);
    await p2.locator(sel('form-people')).waitFor();
    const input = p2.locator('#f-people-phone');
    assert.equal(await input.getAttribute('placeholder'), zh['format.hint.mobile']);
    let patched = 0;
    p2.on('request', (r) => { if (r.method() === 'PATCH') patched++; });
    await input.fill('000000');
    await p2.locator(sel('save')).click();
    await p2.locator(`${sel('field-phone')} .el-form-item__error`).waitFor();
    assert.equal(await fieldError(p2, 'phone'), zh['err.format.mobile']);
    assert.equal(patched, 0, 'nothing was sent');
    await input.fill('+86 139 0013 8111');
    const resp = await save(p2, 'people');
    assert.equal(resp.status(), 200, await resp.text());
    await p2.locator(sel('detail-people')).waitFor();
    assert.equal((await p2.locator(sel('value-phone')).innerText()).trim(), '13900138111');
    assert.equal((await admin.get(`/api/v1/people/${person.id}`)).body.phone, '13900138111');
    await b.shot(p2, 'mobile-saved');
});

test('a driver\'s ID number: masked for the leader, in full for the fleet manager', async () => {
    const d = (await admin.all('drivers')).find((x) => x.licence_no);
    const masked = d.licence_no.slice(0, 4) + '*'.repeat(10) + d.licence_no.slice(14);
    const { page } = await b.newPage();
    await signIn(page, srv.url, 'leader', PW, `#/c/drivers/${d.id}`);
    await page.locator(sel('detail-drivers')).waitFor();
    const v = page.locator(sel('value-licence_no'));
    assert.equal((await v.innerText()).trim(), masked);
    assert.equal(await v.getAttribute('title'), zh['format.masked']);
    assert.match(await v.getAttribute('class'), /\bmasked\b/);
    await b.shot(page, 'leader-masked');

    const { page: fm } = await b.newPage();
    await signIn(fm, srv.url, 'fleet_manager', PW, `#/c/drivers/${d.id}/edit`);
    await fm.locator(sel('form-drivers')).waitFor();
    const input = fm.locator('#f-drivers-licence_no');
    assert.equal(await input.inputValue(), d.licence_no);
    assert.equal(await input.isDisabled(), false);
    assert.equal(await input.getAttribute('placeholder'), zh['format.hint.id_number']);
    await b.shot(fm, 'fleet-manager-form');
});
