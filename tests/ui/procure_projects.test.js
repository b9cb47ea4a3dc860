// SPDX-License-Identifier: MIT
// procure_projects.test.js - the procurement projects' pages in the browser on the demo
// district. The procurement manager: the list as the API has it; a new project whose
// derived method follows the budget as it is typed (self → agency → public tender at the
// tenant's thresholds), the approval's reference asked for when another method is chosen
// above the tender threshold, and the project saved with the server's derived method; a
// project's page with its timeline of steps and legal dates, its contract and payments;
// a purchase of its own (自行采购) awarded in the dialog to a supplier chosen from the
// approved ones, its contract signed and a payment made, the yuan typed arriving as fen;
// the savings report whose total is the API's, with its chart and XLSX link; the
// dashboard's procurement card. axe: no serious or critical violation on each page.
'use strict';

const { test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, api } = require('../api/lib/server');
const { openBrowser, signIn, goHash, sel, DEMO_PASSWORD, axeCheck, pickOption } = require('./lib/browser');

const DESK = { viewport: { width: 1366, height: 900 }, bypassCSP: true };
let srv, b, pm;

before(async () => {
    srv = await startServer({ demo: true });
    pm = api(srv.url, { username: 'procurement_manager', password: DEMO_PASSWORD });
    await pm.login();
    b = await openBrowser('procure');
});

after(async () => {
    if (b) await b.close();
    if (srv) await srv.stop();
});

afterEach(async (t) => {
    if (b) await b.onFailure(t);
});

// A date typed into a dialog's picker, the picker then closed by a click on the
// dialog's subject (Escape would close the dialog itself).
async function dialogDate(page, selector, ymd) {
    const input = page.locator(selector);
    await input.click();
    await input.fill(ymd);
    await input.press('Enter');
    await page.locator('.ask-dialog .dialog-subject').click();
}

const yuan = (fen) => new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(fen / 100);

test('the list and a new project with its method derived as the budget is typed', async () => {
    const { page } = await b.newPage(DESK);
    await signIn(page, srv.url, 'procurement_manager', DEMO_PASSWORD);
    await goHash(page, '#/procure/projects');
    await page.locator(sel('pc-link')).first().waitFor();
    const api_ = (await pm.get('/api/v1/procurement_projects?sort=-id&limit=200')).body.items;
    assert.equal(await page.locator(sel('pc-link')).count(), api_.length);
    assert.equal(await page.locator(sel('pc-link')).first().innerText(), api_[0].code);
    await axeCheck(page, 'projects');
    await page.locator(sel('pc-new')).click();
    await page.locator(sel('pc-project-new')).waitFor();
    const derived = page.locator(sel('pc-n-derived'));
    const budget = page.locator(`${sel('pc-n-budget')} input, input${sel('pc-n-budget')}`).first();
    await budget.fill('999999.99');
    await budget.blur();
    assert.equal(await derived.getAttribute('data-method'), 'self');
    await budget.fill('1000000');
    await budget.blur();
    assert.equal(await derived.getAttribute('data-method'), 'agency');
    await budget.fill('4500000');
    await budget.blur();
    assert.equal(await derived.getAttribute('data-method'), 'public_tender');
    assert.match(await derived.innerText(), /公开招标/);
    // another method above the threshold asks for the approval
    assert.equal(await page.locator(sel('pc-n-approval')).count(), 0);
    await page.locator(sel('pc-n-method')).click();
    await page.locator('.el-select-dropdown__item', { hasText: '竞争性谈判' }).click();
    await page.locator(sel('pc-n-approval-hint')).waitFor();
    await axeCheck(page, 'new project');
    await page.locator(`${sel('pc-n-name')} input, input${sel('pc-n-name')}`).first().fill('界面测试采购项目');
    await page.locator('#pc-n-department_id').click();
    await page.locator('.el-tree-node__content, .el-select-dropdown__item').first().click();
    await page.locator(`${sel('pc-n-approval')} input, input${sel('pc-n-approval')}`).first().fill('深财购〔2026〕99号');
    await page.locator(sel('pc-n-save')).click();
    await page.locator(sel('pc-project')).waitFor();
    const made = (await pm.get('/api/v1/procurement_projects?sort=-id&limit=1')).body.items[0];
    assert.equal(made.name, '界面测试采购项目');
    assert.equal(made.derived_method, 'public_tender');
    assert.equal(made.method, 'competitive_negotiation');
    assert.equal(made.budget_fen, 450000000);
});

test('a project\'s page: timeline, contract and payments as the API has them', async () => {
    const closed = (await pm.get('/api/v1/procurement_projects?status=closed&limit=1')).body.items[0];
    assert.ok(closed, 'the demo has a closed project');
    const k = (await pm.get(`/api/v1/contracts?project_id=${closed.id}`)).body.items[0];
    const { page } = await b.newPage(DESK);
    await signIn(page, srv.url, 'procurement_manager', DEMO_PASSWORD);
    await goHash(page, `#/c/procurement_projects/${closed.id}`);
    await page.locator(sel('pc-timeline')).waitFor();
    for (const key of ['approved', 'notice', 'deadline', 'result', 'complaints', 'signed', 'closed'])
        assert.equal(await page.locator(sel('pc-tl-' + key)).count(), 1, key);
    assert.match(await page.locator(sel('pc-tl-complaints')).innerText(), new RegExp(closed.complaint_ends));
    assert.match(await page.locator(sel('value-contract-amount')).innerText(), new RegExp(yuan(k.amount_fen).replace(/[.,]/g, '\\$&')));
    const pays = (await pm.get(`/api/v1/contract_payments?contract_id=${k.id}`)).body.items;
    assert.equal(await page.locator(`${sel('pc-payments')} tbody tr`).count(), pays.length);
    await axeCheck(page, 'project');
});

test('the savings report and the dashboard card', async () => {
    const year = new Date().getFullYear();
    const s = (await pm.get(`/api/v1/procure/savings?year=${year}`)).body;
    const { page } = await b.newPage(DESK);
    await signIn(page, srv.url, 'procurement_manager', DEMO_PASSWORD);
    await goHash(page, '#/procure/savings');
    await page.locator(sel('pc-sav-total')).waitFor();
    assert.match(await page.locator(sel('pc-sav-total')).innerText(), new RegExp(yuan(s.total.savings_fen).replace(/[.,]/g, '\\$&')));
    assert.equal(await page.locator(sel('pc-sav-row')).count(), s.projects.length);
    await page.locator(`${sel('pc-savings-chart')} canvas, ${sel('pc-savings-chart')} svg`).first().waitFor();
    assert.match(await page.locator(sel('pc-savings-xlsx')).getAttribute('href'), /savings\.xlsx\?year=/);
    await axeCheck(page, 'savings');
    await goHash(page, '#/');
    const body = (await pm.get('/api/v1/summary/procure')).body;
    const card = (body.cards || []).find((c) => c.id === 'procure');
    assert.ok(card, JSON.stringify(body).slice(0, 300));
    assert.equal(card.reviewed, 77, 'the demo year reviews 77 projects');
    assert.equal(card.tenders, 11);
    await page.locator(sel('kpi-reviewed')).first().waitFor();
    assert.equal((await page.locator(sel('kpi-reviewed')).first().innerText()).match(/\d+/g).pop(), '77');
    assert.match(await page.locator(sel('kpi-tenders_fen')).first().innerText(), /61,000,000\.00/);
});

// after the dashboard's test: this project would count among the year's reviewed
test('a purchase of its own: awarded, signed and paid in yuan through the dialogs', async () => {
    const leader = api(srv.url, { username: 'leader', password: DEMO_PASSWORD });
    const dept = (await pm.get('/api/v1/departments?limit=3')).body.items[1].id;
    let r = await pm.post('/api/v1/procurement_projects', { name: `办公家具自行采购${Date.now()}`, category: 'goods', budget_fen: 30000000, department_id: dept });
    assert.equal(r.status, 201, r.text);
    const p = r.body;
    assert.equal(p.method, 'self');
    assert.equal((await pm.post(`/api/v1/procurement_projects/${p.id}/submit`, {})).status, 200);
    assert.equal((await leader.post(`/api/v1/procurement_projects/${p.id}/approve`, {})).status, 200);
    const sup = (await pm.get('/api/v1/suppliers?status=approved&sort=name&limit=1')).body.items[0];
    const { page } = await b.newPage(DESK);
    await signIn(page, srv.url, 'procurement_manager', DEMO_PASSWORD);
    await goHash(page, `#/c/procurement_projects/${p.id}`);
    await page.locator(sel('pc-step-award_direct')).click();
    assert.equal(await page.locator(sel('pc-step-publish')).count(), 0, 'no notice for a purchase of its own');
    await page.locator(sel('pc-award_direct-dialog')).waitFor();
    await pickOption(page, '#pc-award_direct-dialog-supplier_id', sup.name, sup.name.slice(0, 4));
    await page.locator('#pc-award_direct-dialog-price').fill('288000.50');
    await page.locator(sel('pc-award_direct-dialog-submit')).click();
    await page.locator(sel('pc-award_direct-dialog')).waitFor({ state: 'detached' });
    let now = (await pm.get(`/api/v1/procurement_projects/${p.id}`)).body;
    assert.equal(now.status, 'contract');
    assert.equal(now.winner_supplier_id, sup.id);
    assert.equal(now.winner_price_fen, 28800050, '288,000.50 yuan as fen');
    await page.locator(sel('pc-sign')).click();
    await page.locator(sel('pc-sign-dialog')).waitFor();
    assert.equal(await page.locator('#pc-sign-dialog-amount').inputValue(), '288000.5', 'the award\'s price in yuan');
    const today = new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 10);
    await dialogDate(page, '#pc-sign-dialog-signed_on', today);
    await page.locator(sel('pc-sign-dialog-submit')).click();
    await page.locator(sel('pc-sign-dialog')).waitFor({ state: 'detached' });
    const k = (await pm.get(`/api/v1/contracts?project_id=${p.id}`)).body.items[0];
    assert.equal(k.amount_fen, 28800050);
    assert.equal(k.supplier_id, sup.id);
    await page.locator(sel('pc-k-pay')).click();
    await page.locator(sel('pc-pay-dialog')).waitFor();
    await dialogDate(page, '#pc-pay-dialog-paid_on', today);
    await page.locator('#pc-pay-dialog-amount').fill('1000.25');
    await page.locator(sel('pc-pay-dialog-submit')).click();
    await page.locator(sel('pc-pay-dialog')).waitFor({ state: 'detached' });
    const pays = (await pm.get(`/api/v1/contract_payments?contract_id=${k.id}`)).body.items;
    assert.deepEqual(pays.map((x) => x.amount_fen), [100025], '1,000.25 yuan as fen');
    await axeCheck(page, 'project-self');
});
