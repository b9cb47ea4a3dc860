// SPDX-License-Identifier: MIT
// procure_bids.test.js - the sealed bids in the browser on the demo district, under the
// server's own Content-Security-Policy (no bypass: libsodium's WebAssembly must run with it).
// The demo supplier on a phone: the project taking bids, a bid of 12,345.67 yuan sealed in the
// page and sent (the server holds only ciphertext: its SHA-256 is the receipt's), the
// receipt's signature checked in the page; an opening official takes their share once (text
// and QR code; a second take refused); the opening ceremony with k shares typed shows the
// price the browser sealed. axe: no serious or critical violation on each page.
'use strict';

const { test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { startServer, api } = require('../api/lib/server');
const m = require('../api/lib/matrix');
const { openBrowser, signIn, goHash, sel, PHONE, DEMO_PASSWORD, axeCheck, pickOption } = require('./lib/browser');

// the sealing page runs under the server's policy; axe's script needs it bypassed (other pages)
const PHONE_CSP = { viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const PHONE_CTX = { ...PHONE_CSP, bypassCSP: true };
const DESK = { viewport: { width: 1366, height: 900 }, bypassCSP: true };
let srv, b, pm, admin, project, seal, officials = [];
const sql = (text) => m.sqlShell(srv, text).trim();

before(async () => {
    srv = await startServer({ demo: true });
    admin = api(srv.url);
    pm = api(srv.url, { username: 'procurement_manager', password: DEMO_PASSWORD });
    await pm.login();
    for (const u of ['staff', 'leader']) {
        const c = api(srv.url, { username: u, password: DEMO_PASSWORD });
        await c.login();
        officials.push({ name: u, client: c, user: (await admin.all('users', { username: u }))[0] });
    }
    // an agency purchase through the lifecycle's steps: created, submitted, approved by the
    // leader, sealed to staff and leader, published, bidding for an hour
    const dept = (await admin.get('/api/v1/departments?limit=5')).body.items[1].id;
    const p = await pm.post('/api/v1/procurement_projects', { name: `浏览器密封投标${m.uniq()}`, category: 'goods', budget_fen: 200000000, department_id: dept });
    assert.equal(p.status, 201, p.text);
    project = p.body;
    const step = async (c, name, body = {}) => {
        const r = await c.post(`/api/v1/procurement_projects/${project.id}/${name}`, body);
        assert.equal(r.status, 200, r.text);
        return r.body;
    };
    await step(pm, 'submit');
    assert.equal((await step(officials[1].client, 'approve')).status, 'approved');
    const s = await pm.post(`/api/v1/procurement_projects/${project.id}/seal`, { k: 2, officials: officials.map((o) => o.user.id) });
    assert.equal(s.status, 201, s.text);
    seal = s.body;
    await step(pm, 'publish');
    const iso = (t) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');
    const dl = Math.floor(Date.now() / 1000) + 3600;
    assert.equal((await step(pm, 'open_bidding', { documents_issued_at: iso(dl - 20 * 86400), bid_deadline: iso(dl) })).status, 'bidding');
    b = await openBrowser('procure');
});

after(async () => {
    if (b) await b.close();
    if (srv) await srv.stop();
});

afterEach(async (t) => {
    if (b) await b.onFailure(t);
});

test('the demo supplier seals a bid on a phone, gets its receipt and checks the signature', async () => {
    const { page } = await b.newPage(PHONE_CSP);
    await signIn(page, srv.url, 'supplier', DEMO_PASSWORD, '#/procure/portal');
    const card = page.locator(sel('pc-project'), { hasText: project.name });
    await card.waitFor();
    await card.locator(sel('pc-bid')).click();
    await page.locator(`${sel('pc-price')} input`).fill('12345.67');
    await page.locator(`${sel('pc-technical')} textarea, textarea${sel('pc-technical')}`).first().fill('满足全部技术参数，交付期30天');
    await page.locator(sel('pc-submit')).click();
    await page.locator(sel('pc-receipt')).waitFor();
    const text = await page.locator(sel('pc-receipt-text')).innerText();
    const bid = (await pm.all('bids', { project_id: project.id }))[0];
    assert.ok(bid, 'the bid is stored');
    assert.match(text, new RegExp(`cipher_sha256: ${bid.cipher_sha256}`));
    const cipher = sql(`SELECT cipher FROM bids WHERE id = ${bid.id}`);
    assert.equal(crypto.createHash('sha256').update(Buffer.from(cipher, 'base64')).digest('hex'), bid.cipher_sha256);
    assert.ok(!Buffer.from(cipher, 'base64').toString('latin1').includes('1234567'), 'the price is not in clear');
    await page.locator(sel('pc-verify')).click();
    await page.locator(sel('pc-verified')).waitFor();
    assert.match(await page.locator(sel('pc-verified')).innerText(), /签名有效/);
    await page.locator(sel('pc-mybid')).first().waitFor();
    const w = await page.evaluate(() => document.scrollingElement.scrollWidth);
    assert.ok(w <= PHONE.width, `portal: ${w}px wide on a ${PHONE.width}px phone`);
    await page.close();
    const p2 = (await b.newPage(PHONE_CTX)).page;
    await signIn(p2, srv.url, 'supplier', DEMO_PASSWORD, '#/procure/portal');
    await p2.locator(sel('pc-mybid')).first().waitFor();
    await axeCheck(p2, 'supplier portal');
    await p2.close();
});

test('an official takes their share once; the opening with k shares shows the price the browser sealed', async () => {
    const { page } = await b.newPage(PHONE_CTX);
    await signIn(page, srv.url, 'staff', DEMO_PASSWORD, '#/procure/shares');
    const row = page.locator(sel('pc-share-row'), { hasText: project.name });
    await row.waitFor();
    await axeCheck(page, 'shares');
    await row.locator(sel('pc-take')).click();
    await page.locator('.el-message-box button.el-button--primary').click();
    await page.locator(sel('pc-share-text')).waitFor();
    const share1 = (await page.locator(sel('pc-share-text')).innerText()).trim();
    assert.match(share1, /^PCS1-\d+-1-[0-9a-f]{64}-[0-9a-f]{4}$/);
    const again = await officials[0].client.post(`/api/v1/bid_seals/${seal.id}/take`, {});
    assert.equal(again.status, 409, again.text);
    await page.close();
    const share2 = (await officials[1].client.post(`/api/v1/bid_seals/${seal.id}/take`, {})).body.share;
    sql(`UPDATE procurement_projects SET bid_deadline = ${Math.floor(Date.now() / 1000) - 1} WHERE id = ${project.id}`);

    const desk = (await b.newPage(DESK)).page;
    await signIn(desk, srv.url, 'procurement_manager', DEMO_PASSWORD, '#/procure/opening');
    await pickOption(desk, '#pc-seal', `${project.name}（2/2）`);
    const inputs = desk.locator(`${sel('pc-share-input')} textarea, textarea${sel('pc-share-input')}`);
    await inputs.first().waitFor();
    assert.equal(await inputs.count(), 2);
    await inputs.nth(0).fill(share1);
    await inputs.nth(1).fill('PCS1-1-1-' + '0'.repeat(64) + '-0000');
    await desk.locator(sel('pc-open')).click();
    await desk.locator(sel('pc-error')).waitFor();
    assert.match(await desk.locator(sel('pc-error')).innerText(), /份额/);
    await inputs.nth(1).fill(share2);
    await desk.locator(sel('pc-open')).click();
    await desk.locator(sel('pc-opened')).waitFor();
    assert.match(await desk.locator(sel('pc-opened')).innerText(), /12,345\.67/);
    await axeCheck(desk, 'opening');
    const bid = (await pm.all('bids', { project_id: project.id }))[0];
    assert.equal(bid.price_fen, 1234567);
    assert.equal(bid.status, 'opened');
});

test('a supplier registers itself from the sign-in page on a phone: pending until approved', async () => {
    const { page } = await b.newPage(PHONE_CTX);
    await page.goto(srv.url + '/#/login');
    await page.locator(sel('login-register')).click();
    await page.locator(sel('pc-reg-name')).waitFor();
    const uname = `uireg${Date.now().toString(36)}`;
    const code = m.uscc(`9144030${String(Date.now()).slice(-10)}`);
    const fill = async (f, v) => page.locator(`input${sel('pc-reg-' + f)}, ${sel('pc-reg-' + f)} input`).first().fill(v);
    await fill('name', '界面注册科技有限公司');
    await fill('uscc', code.slice(0, 17) + (code[17] === '1' ? '2' : '1'));
    await fill('legal_rep', '钱七');
    await fill('username', uname);
    await fill('password', 'Ui-register-2026!');
    await page.locator(sel('pc-reg-submit')).click();
    await page.locator('.el-form-item__error').first().waitFor();
    assert.equal((await admin.all('users', { username: uname })).length, 0);
    await fill('uscc', code);
    await page.locator(sel('pc-reg-submit')).click();
    await page.locator(sel('pc-reg-done')).waitFor();
    await axeCheck(page, 'registration');
    const u = (await admin.all('users', { username: uname }))[0];
    const s = (await pm.all('suppliers', { user_id: u.id }))[0];
    assert.equal(s.status, 'pending');
    assert.equal(s.uscc, code);
});
