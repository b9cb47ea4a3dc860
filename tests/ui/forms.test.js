// SPDX-License-Identifier: MIT
// forms.test.js - records made through the generic forms: a department (its
// parent chosen in the department tree) and a person in that department; the
// API then holds exactly what was typed. Errors at their fields: caught in the
// browser before sending, and sent back by the server (a used staff number).
// A network failure or a 5xx keeps what the user typed. An edit shows in the
// record's history.
'use strict';

const { test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, api, ADMIN_PASSWORD } = require('../api/lib/server');
const {
    openBrowser, signIn, goHash, sel, pickOption, selectText, fillDate, fieldError,
} = require('./lib/browser');
const zh = require('../../web/i18n/zh-CN.json');

let srv, admin, b, page;
const DEPT = { name: '机关事务测试科', code: 'UIT-D1', parentName: '区委办公室', kindLabel: '党委部门', sort: 7, headcount: 12 };
const PERSON = { name: '林晓雯', staff_no: 'UIT-0001', post: '科员', phone: '13800138000', joined_on: '2024-03-15' };

before(async () => {
    srv = await startServer({ demo: true });
    admin = api(srv.url);
    b = await openBrowser('forms');
    ({ page } = await b.newPage());
    await signIn(page, srv.url, 'admin', ADMIN_PASSWORD);
});

after(async () => {
    if (b) await b.close();
    if (srv) await srv.stop();
});

afterEach(async (t) => {
    if (b) await b.onFailure(t);
});

const input = (c, f) => `#f-${c}-${f}`;

// Clicks save and resolves the POST/PATCH response to /api/v1/<collection>.
async function save(collection) {
    const [resp] = await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname.startsWith(`/api/v1/${collection}`) &&
                                    ['POST', 'PATCH'].includes(r.request().method())),
        page.locator(sel('save')).click(),
    ]);
    return resp;
}

async function one(collection, query) {
    const r = await admin.get(`/api/v1/${collection}?${new URLSearchParams(query)}`);
    assert.equal(r.status, 200, r.text);
    return r.body.items;
}

test('create a department through its form, the parent picked in the department tree', async () => {
    const parent = (await one('departments', { name: DEPT.parentName }))[0];
    assert.ok(parent, 'the demo district has the parent department');

    await page.locator(sel('nav-departments')).click();
    await page.locator(sel('list-departments')).waitFor();
    await page.locator(sel('create')).click();
    await page.locator(sel('form-departments')).waitFor();
    assert.match(page.url(), /#\/c\/departments\/new$/);

    await page.locator(input('departments', 'name')).fill(DEPT.name);
    await page.locator(input('departments', 'code')).fill(DEPT.code);
    await pickOption(page, input('departments', 'parent_id'), DEPT.parentName, DEPT.parentName);
    assert.equal((await selectText(page, input('departments', 'parent_id'))).trim(), DEPT.parentName);
    await pickOption(page, input('departments', 'kind'), DEPT.kindLabel);
    await page.locator(input('departments', 'sort_order')).fill(String(DEPT.sort));
    await page.locator(input('departments', 'headcount')).fill(String(DEPT.headcount));
    await b.shot(page, 'department-form');

    const resp = await save('departments');
    assert.equal(resp.status(), 201, await resp.text());
    await page.locator(sel('detail-departments')).waitFor();
    await b.shot(page, 'department-detail');

    const [d] = await one('departments', { code: DEPT.code });
    assert.ok(d, 'the department exists');
    assert.equal(d.name, DEPT.name);
    assert.equal(d.parent_id, parent.id);
    assert.equal(d.kind, 'party');
    assert.equal(d.sort_order, DEPT.sort);
    assert.equal(d.headcount, DEPT.headcount);
    assert.equal(d.active, true, 'the default');
    assert.match(page.url(), new RegExp(`#/c/departments/${d.id}$`));
    assert.equal((await page.locator(`${sel('detail-departments')} ${sel('value-name')}`).innerText()).trim(), DEPT.name);
    assert.equal((await page.locator(`${sel('detail-departments')} ${sel('value-parent_id')}`).innerText()).trim(), DEPT.parentName);
});

test('fields at fault are shown at the field before anything is sent', async () => {
    await goHash(page, '#/c/people/new');
    await page.locator(sel('form-people')).waitFor();
    let posted = 0;
    const count = (req) => {
        if (req.method() === 'POST' && new URL(req.url()).pathname === '/api/v1/people') posted++;
    };
    page.on('request', count);

    // the name is required and left empty; the staff number has a pattern
    await page.locator(input('people', 'staff_no')).fill('坏 号!');
    await page.locator(input('people', 'phone')).fill('call me');
    await page.locator(sel('save')).click();
    await page.locator(`${sel('field-name')} .el-form-item__error`).waitFor();
    await b.shot(page, 'client-errors');
    assert.equal(await fieldError(page, 'name'), zh['srv.required']);
    assert.equal(await fieldError(page, 'staff_no'), zh['srv.format']);
    assert.equal(await fieldError(page, 'phone'), zh['err.format.mobile']);
    assert.equal(await fieldError(page, 'department_id'), zh['srv.required']);
    assert.equal(await fieldError(page, 'post'), '', 'a good field has no error');
    assert.ok(await page.locator(`${sel('field-name')}.is-error`).count(), 'the field is marked');
    assert.equal(await page.locator(sel('form-error')).innerText().then((s) => s.trim()), zh['form.fixFields']);
    page.off('request', count);
    assert.equal(posted, 0, 'nothing was sent');

    // typing into a field clears its error
    await page.locator(input('people', 'name')).fill('某');
    await page.waitForFunction(() => !document.querySelector('[data-test="field-name"] .el-form-item__error'));
});

test('create a person in the new department; the API holds what was typed', async () => {
    const [dept] = await one('departments', { code: DEPT.code });
    // a rank of the tenant's own table (another table's rank is refused: org.person.rank_tier)
    const { admin_level } = (await admin.get('/api/v1/tenants/1')).body;
    const [rank] = await one('ranks', { level: admin_level, sort: 'sort_order', limit: 1 });
    assert.ok(dept && rank);

    await goHash(page, '#/c/people');
    await page.locator(sel('list-people')).waitFor();
    await page.locator(sel('create')).click();
    await page.locator(sel('form-people')).waitFor();

    await page.locator(input('people', 'name')).fill(PERSON.name);
    await page.locator(input('people', 'staff_no')).fill(PERSON.staff_no);
    await pickOption(page, input('people', 'department_id'), DEPT.name, DEPT.name);
    await pickOption(page, input('people', 'rank_id'), rank.name, rank.name);
    await page.locator(input('people', 'post')).fill(PERSON.post);
    await page.locator(input('people', 'phone')).fill(PERSON.phone);
    await page.locator(`${sel('field-contract_staff')} .el-switch`).click();
    await fillDate(page, input('people', 'joined_on'), PERSON.joined_on);
    await b.shot(page, 'person-form');

    const resp = await save('people');
    assert.equal(resp.status(), 201, await resp.text());
    const sent = resp.request().postDataJSON();
    assert.equal(sent.joined_on, PERSON.joined_on, 'the date is sent as YYYY-MM-DD');
    await page.locator(sel('detail-people')).waitFor();
    await page.locator(`${sel('history')} .el-timeline-item`).first().waitFor();
    await b.shot(page, 'person-detail');

    const [p] = await one('people', { staff_no: PERSON.staff_no });
    assert.ok(p, 'the person exists');
    assert.equal(p.name, PERSON.name);
    assert.equal(p.department_id, dept.id, 'in the department made through the form');
    assert.equal(p.rank_id, rank.id);
    assert.equal(p.post, PERSON.post);
    assert.equal(p.phone, PERSON.phone);
    assert.equal(p.joined_on, PERSON.joined_on);
    assert.equal(p.contract_staff, true, 'the switch was turned on');
    assert.equal(p.union_member, true, 'the default');
    assert.equal(p.active, true, 'the default');
    assert.equal((await page.locator(sel('value-department_id')).innerText()).trim(), DEPT.name);
    assert.equal((await page.locator(sel('value-joined_on')).innerText()).trim(), PERSON.joined_on);
});

test('a staff number already in use comes back from the server and shows at its field', async () => {
    const [dept] = await one('departments', { code: DEPT.code });
    const taken = (await one('people', { 'staff_no[null]': 'false', sort: 'staff_no', limit: 1 }))[0].staff_no;
    const before = (await one('people', { department_id: dept.id })).length;

    await goHash(page, '#/c/people/new');
    await page.locator(sel('form-people')).waitFor();
    await page.locator(input('people', 'name')).fill('重复工号');
    await page.locator(input('people', 'staff_no')).fill(taken);
    await pickOption(page, input('people', 'department_id'), DEPT.name, DEPT.name);
    const resp = await save('people');
    const problem = await resp.json();
    assert.ok(resp.status() === 409 || resp.status() === 422, `${resp.status()} ${JSON.stringify(problem)}`);
    assert.ok(problem.errors.some((e) => e.field === 'staff_no'), JSON.stringify(problem));

    await page.locator(`${sel('field-staff_no')} .el-form-item__error`).waitFor();
    await b.shot(page, 'server-error');
    assert.equal(await fieldError(page, 'staff_no'), zh['err.field.unique']);
    assert.equal(await fieldError(page, 'name'), '');
    await page.locator(sel('form-error')).waitFor();
    assert.match(page.url(), /#\/c\/people\/new$/, 'still on the form');
    assert.equal(await page.locator(input('people', 'staff_no')).inputValue(), taken, 'the value is kept');
    assert.equal((await one('people', { department_id: dept.id })).length, before, 'nothing was added');
});

test('a network failure and a 5xx show a message and keep what was typed', async () => {
    const [dept] = await one('departments', { code: DEPT.code });
    await goHash(page, '#/c/people/new');
    await page.locator(sel('form-people')).waitFor();
    const typed = { name: '网络中断', staff_no: 'UIT-0002', post: '司机', phone: '13912345678' };
    for (const [k, v] of Object.entries(typed)) await page.locator(input('people', k)).fill(v);
    await pickOption(page, input('people', 'department_id'), DEPT.name, DEPT.name);
    await fillDate(page, input('people', 'joined_on'), '2023-09-01');

    const isPost = (u) => new URL(u).pathname === '/api/v1/people';
    async function keptAll() {
        for (const [k, v] of Object.entries(typed)) {
            assert.equal(await page.locator(input('people', k)).inputValue(), v, `${k} is kept`);
        }
        assert.equal((await selectText(page, input('people', 'department_id'))).trim(), DEPT.name);
        assert.equal(await page.locator(input('people', 'joined_on')).inputValue(), '2023-09-01');
        assert.match(page.url(), /#\/c\/people\/new$/);
    }

    // the connection fails
    await page.route(isPost, (route) => (route.request().method() === 'POST' ? route.abort('connectionreset') : route.continue()));
    await page.locator(sel('save')).click();
    const alert = page.locator(sel('form-error'));
    await alert.waitFor();
    await b.shot(page, 'network-failure');
    let text = await alert.innerText();
    assert.ok(text.includes(zh['error.network']), text);
    assert.ok(text.includes(zh['form.kept']), text);
    await keptAll();
    await page.unroute(isPost);

    // the server fails
    await page.route(isPost, (route) => (route.request().method() === 'POST'
        ? route.fulfill({
            status: 503, contentType: 'application/problem+json', headers: { 'Retry-After': '1' },
            body: JSON.stringify({ type: 'about:blank', title: 'unavailable', status: 503, code: 'BUR-902', detail: 'busy', errors: [] }),
        })
        : route.continue()));
    await page.locator(sel('save')).click();
    await page.waitForFunction((s) => /503|busy/.test(document.querySelector(s)?.innerText || ''), sel('form-error'));
    await b.shot(page, 'server-failure');
    text = await alert.innerText();
    assert.ok(text.includes(zh['form.kept']), text);
    await keptAll();
    await page.unroute(isPost);
    assert.equal((await one('people', { staff_no: typed.staff_no })).length, 0, 'nothing was stored yet');

    // and the same form saves once the server answers
    const resp = await save('people');
    assert.equal(resp.status(), 201, await resp.text());
    await page.locator(sel('detail-people')).waitFor();
    const [p] = await one('people', { staff_no: typed.staff_no });
    assert.equal(p.name, typed.name);
    assert.equal(p.phone, typed.phone);
    assert.equal(p.department_id, dept.id);
    assert.equal(p.joined_on, '2023-09-01');
});

test('an edit through the form is saved and shows in the record\'s history', async () => {
    const [p] = await one('people', { staff_no: PERSON.staff_no });
    await goHash(page, `#/c/people/${p.id}`);
    await page.locator(sel('detail-people')).waitFor();
    await page.locator(sel('edit')).click();
    await page.locator(sel('form-people')).waitFor();
    assert.equal(await page.locator(input('people', 'name')).inputValue(), PERSON.name, 'the form holds the record');
    await page.locator(input('people', 'post')).fill('副科长');
    const resp = await save('people');
    assert.equal(resp.status(), 200, await resp.text());
    assert.deepEqual(resp.request().postDataJSON(), { post: '副科长' }, 'only the changed field is sent');
    await page.locator(sel('detail-people')).waitFor();
    await page.waitForFunction((s) => document.querySelectorAll(s).length >= 2, `${sel('history')} .el-timeline-item`);
    await b.shot(page, 'history');

    const r = await admin.get(`/api/v1/people/${p.id}`);
    assert.equal(r.body.post, '副科长');
    assert.equal(r.body.version, 2);
    const hist = await page.locator(sel('history')).innerText();
    assert.ok(hist.includes(zh['history.update']) && hist.includes(zh['history.create']), hist);
    assert.ok(hist.includes(PERSON.post) && hist.includes('副科长'), `before and after: ${hist}`);
});

test('delete asks first; a record still referenced is refused with the reason; a free one goes', async () => {
    const [dept] = await one('departments', { code: DEPT.code });
    const [p] = await one('people', { staff_no: 'UIT-0002' });
    assert.ok(dept && p);

    // the department still has people: refused, and said why
    await goHash(page, `#/c/departments/${dept.id}`);
    await page.locator(sel('detail-departments')).waitFor();
    await page.locator(sel('delete')).click();
    const box = page.locator('.el-message-box');
    await box.waitFor();
    assert.ok((await box.innerText()).includes(DEPT.name), 'the confirmation names the record');
    await b.shot(page, 'delete-confirm');
    const [refused] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'DELETE'),
        box.locator('.el-message-box__btns button.el-button--primary').click(),
    ]);
    assert.equal(refused.status(), 409);
    await page.locator('.el-message-box').filter({ hasText: zh['delete.referenced'] }).waitFor();
    await b.shot(page, 'delete-referenced');
    await page.locator('.el-message-box .el-message-box__btns button').last().click();
    assert.equal((await one('departments', { code: DEPT.code })).length, 1, 'still there');

    // a person: cancel keeps it, confirm deletes it
    await goHash(page, `#/c/people/${p.id}`);
    await page.locator(sel('detail-people')).waitFor();
    let sent = 0;
    const count = (req) => { if (req.method() === 'DELETE') sent++; };
    page.on('request', count);
    await page.locator(sel('delete')).click();
    await box.waitFor();
    await box.locator('.el-message-box__btns button').first().click(); // cancel
    await box.waitFor({ state: 'hidden' });
    page.off('request', count);
    assert.equal(sent, 0, 'cancel sends nothing');
    await page.locator(sel('delete')).click();
    await box.waitFor();
    const [gone] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'DELETE'),
        box.locator('.el-message-box__btns button.el-button--primary').click(),
    ]);
    assert.equal(gone.status(), 204);
    assert.equal(gone.request().headers()['if-match'], `"${p.version}"`, 'with the version it showed');
    await page.locator(sel('list-people')).waitFor();
    await b.shot(page, 'deleted');
    assert.equal((await admin.get(`/api/v1/people/${p.id}`)).status, 404);
});
