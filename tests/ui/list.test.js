// SPDX-License-Identifier: MIT
// list.test.js - the generic list of people: filtered by department (the tree
// select of the filter bar) and by name, sorted by a column, paged forward and
// back; each time the rows are the API's own answer to the same query. The
// filtered list exported to CSV holds those records under Chinese headings.
// A CSV import with one bad row reports the row, field and reason and inserts
// nothing; the corrected file goes in.
'use strict';

const { test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { startServer, api, ADMIN_PASSWORD } = require('../api/lib/server');
const {
    openBrowser, signIn, goHash, sel, pickOption, listLoad, rowsOf,
} = require('./lib/browser');
const zh = require('../../web/i18n/zh-CN.json');

let srv, admin, b, page, dept;

before(async () => {
    srv = await startServer({ demo: true });
    admin = api(srv.url);
    // the department with the most people: more than three pages of 50
    const people = await admin.all('people');
    const by = new Map();
    for (const p of people) by.set(p.department_id, (by.get(p.department_id) || 0) + 1);
    const [id, n] = [...by.entries()].sort((x, y) => y[1] - x[1])[0];
    assert.ok(n > 150, `a department with ${n} people`);
    dept = (await admin.get(`/api/v1/departments/${id}`)).body;
    dept.people = n;
    b = await openBrowser('list');
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

// The record ids of the rows on screen, in order (from their title links).
async function shownIds() {
    const hrefs = await page.locator(`${sel('list-table')} .el-table__body tr.el-table__row ${sel('row-link')}`)
        .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    return hrefs.map((h) => Number(/\/c\/people\/(\d+)/.exec(h)[1]));
}

// The texts of one column of the list table, named by its heading's data-test.
async function columnTexts(headTest) {
    const cls = await page.locator(`${sel('list-table')} thead th:has(${sel(headTest)})`).getAttribute('class');
    const col = /el-table_\d+_column_\d+/.exec(cls)[0];
    return page.locator(`${sel('list-table')} .el-table__body tr.el-table__row td.${col}`).allInnerTexts()
        .then((a) => a.map((x) => x.trim()));
}

// The API's answer to the query (an object of parameters).
async function apiPage(query) {
    const r = await admin.get(`/api/v1/people?${new URLSearchParams(query)}`);
    assert.equal(r.status, 200, r.text);
    return r.body;
}

// The filter and sort parameters of a request the page sent (without limit,
// after and the count it always asks for).
function params(url) {
    const q = Object.fromEntries(url.searchParams);
    assert.equal(q.count, 'exact', 'the list asks for the total');
    delete q.limit;
    delete q.after;
    delete q.count;
    return q;
}

test('filter by department and name, sort by a column, page forward and back: the rows are the API\'s', async () => {
    let load = await listLoad(page, 'people', () => page.locator(sel('nav-people')).click());
    let want = await apiPage({ limit: 50 });
    assert.equal(load.body.items.length, 50);
    assert.deepEqual(await shownIds(), want.items.map((x) => x.id), 'the first page as the API lists it');
    await b.shot(page, 'people-list');

    // department: the tree select of the filter bar
    load = await listLoad(page, 'people', () => pickOption(page, '#flt-people-department_id', dept.name, dept.name));
    assert.deepEqual(params(load.url), { department_id: String(dept.id) });
    want = await apiPage({ department_id: dept.id, limit: 50 });
    assert.deepEqual(await shownIds(), want.items.map((x) => x.id));
    assert.ok(want.next, 'more than one page');
    assert.match(decodeURIComponent(page.url()), new RegExp(`department_id=${dept.id}`), 'the filter is in the address');
    await b.shot(page, 'filter-department');

    // sort by staff number, ascending, then descending
    load = await listLoad(page, 'people', () => page.locator(sel('sort-staff_no')).click());
    assert.deepEqual(params(load.url), { department_id: String(dept.id), sort: 'staff_no' });
    want = await apiPage({ department_id: dept.id, sort: 'staff_no', limit: 50 });
    assert.deepEqual(await shownIds(), want.items.map((x) => x.id));
    load = await listLoad(page, 'people', () => page.locator(sel('sort-staff_no')).click());
    assert.equal(params(load.url).sort, '-staff_no');
    const page1 = await apiPage({ department_id: dept.id, sort: '-staff_no', limit: 50 });
    assert.deepEqual(await shownIds(), page1.items.map((x) => x.id));
    const staffNos = await columnTexts('sort-staff_no');
    assert.deepEqual(staffNos, page1.items.map((x) => x.staff_no), 'the staff number column, descending');
    await b.shot(page, 'sort-staff_no-desc');

    // next page, next again, then back
    load = await listLoad(page, 'people', () => page.locator(sel('page-next')).click());
    assert.equal(load.url.searchParams.get('after'), page1.next, 'the cursor the API gave');
    const page2 = await apiPage({ department_id: dept.id, sort: '-staff_no', limit: 50, after: page1.next });
    assert.deepEqual(await shownIds(), page2.items.map((x) => x.id), 'page 2');
    const { total } = await apiPage({ department_id: dept.id, limit: 1, count: 'exact' });
    assert.ok(total > 100, `${total} people`);
    assert.equal(await page.locator(sel('page-no')).innerText(),
                 `第 2/${Math.ceil(total / 50)} 页 · 共 ${total} 条`, 'page 2 of the pages the total makes');
    await b.shot(page, 'page-2');
    load = await listLoad(page, 'people', () => page.locator(sel('page-next')).click());
    const page3 = await apiPage({ department_id: dept.id, sort: '-staff_no', limit: 50, after: page2.next });
    assert.deepEqual(await shownIds(), page3.items.map((x) => x.id), 'page 3');
    load = await listLoad(page, 'people', () => page.locator(sel('page-prev')).click());
    assert.deepEqual(await shownIds(), page2.items.map((x) => x.id), 'back to page 2');
    load = await listLoad(page, 'people', () => page.locator(sel('page-prev')).click());
    assert.deepEqual(await shownIds(), page1.items.map((x) => x.id), 'back to page 1');
    assert.ok(await page.locator(sel('page-prev')).isDisabled(), 'no page before the first');

    // a name filter on top: typed text, sent as name[contains]
    load = await listLoad(page, 'people', () => page.locator('#flt-people-name').fill('王'));
    assert.deepEqual(params(load.url), { department_id: String(dept.id), sort: '-staff_no', 'name[contains]': '王' });
    want = await apiPage({ department_id: dept.id, sort: '-staff_no', 'name[contains]': '王', limit: 50 });
    assert.ok(want.items.length > 0 && want.items.length < 50, `${want.items.length} people`);
    assert.deepEqual(await shownIds(), want.items.map((x) => x.id));
    for (const name of await page.locator(`${sel('list-table')} ${sel('row-link')}`).allInnerTexts()) {
        assert.ok(name.includes('王'), name);
    }
    assert.ok(await page.locator(sel('page-next')).isDisabled(), 'one page only');
    await b.shot(page, 'filter-name');
});

// RFC 4180 with CRLF and a byte-order mark → rows of cells.
function parseCsv(text) {
    assert.equal(text.charCodeAt(0), 0xfeff, 'the file starts with a byte-order mark');
    text = text.slice(1);
    const rows = [];
    let row = [], cell = '', quoted = false;
    for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (quoted) {
            if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; }
            else if (ch === '"') quoted = false;
            else cell += ch;
        } else if (ch === '"') quoted = true;
        else if (ch === ',') { row.push(cell); cell = ''; }
        else if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; }
        else cell += ch;
    }
    if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
    return rows;
}

test('export the filtered, sorted list to CSV (and XLSX): the file holds the API\'s records under Chinese headings', async () => {
    // the filters live in the address, the way the list's filter bar puts them there
    const query = { department_id: String(dept.id), 'name[contains]': '王', sort: '-staff_no' };
    const want = await admin.all('people', query);
    assert.ok(want.length > 0);
    await listLoad(page, 'people', () => goHash(page, '#/c/people?' + new URLSearchParams(query)));
    const link = page.locator(sel('export-csv'));
    const href = new URL(await link.getAttribute('href'), srv.url);
    assert.equal(href.pathname, '/api/v1/people.csv');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const file = await download.path();
    assert.match(download.suggestedFilename(), /^people-\d{8}\.csv$/);
    await b.shot(page, 'export');
    const text = fs.readFileSync(file, 'utf8');
    const rows = parseCsv(text);
    assert.ok(text.includes('\r\n'), 'CRLF line ends');

    const meta = (await admin.get('/api/v1/meta')).body.collections.find((c) => c.name === 'people');
    const label = (n) => meta.fields.find((f) => f.name === n).zh;
    const header = rows[0];
    for (const n of ['id', 'name', 'staff_no', 'department_id', 'joined_on', 'created_at', 'updated_at']) {
        assert.ok(header.includes(label(n)), `heading ${label(n)} in ${header}`);
    }
    assert.equal(header[0], label('id'));
    assert.ok(!header.includes('name'), 'labels, not field names');

    const data = rows.slice(1);
    assert.equal(data.length, want.length, 'one row per record of the filtered list');
    const col = (n) => header.indexOf(label(n));
    assert.deepEqual(data.map((r) => Number(r[col('id')])), want.map((x) => x.id), 'the same records, in the same order');
    assert.deepEqual(data.map((r) => r[col('name')]), want.map((x) => x.name));
    assert.deepEqual(data.map((r) => r[col('staff_no')]), want.map((x) => x.staff_no));
    assert.deepEqual(data.map((r) => r[col('joined_on')]), want.map((x) => x.joined_on || ''));
    for (const r of data) assert.equal(Number(r[col('department_id')]), dept.id);

    // the Excel link carries the same query and gives a workbook
    const xlsx = page.locator(sel('export-xlsx'));
    const xhref = new URL(await xlsx.getAttribute('href'), srv.url);
    assert.equal(xhref.pathname, '/api/v1/people.xlsx');
    for (const [k, v] of Object.entries(query)) assert.equal(xhref.searchParams.get(k), v, `xlsx ${k}`);
    const [xd] = await Promise.all([page.waitForEvent('download'), xlsx.click()]);
    assert.match(xd.suggestedFilename(), /^people-\d{8}\.xlsx$/);
    const head = fs.readFileSync(await xd.path()).subarray(0, 4);
    assert.deepEqual([...head], [0x50, 0x4b, 0x03, 0x04], 'a zip (OOXML) file');
});

test('a CSV import with one bad row reports row, field and reason, and inserts nothing', async () => {
    const total = async () => (await admin.all('people', { department_id: String(dept.id) })).length;
    const before = await total();
    await goHash(page, '#/c/people');
    await page.locator(sel('list-people')).waitFor();
    await page.locator(sel('import-open')).click();
    const dialog = page.locator(sel('import-dialog'));
    await dialog.waitFor();

    const csv = [
        'name,staff_no,department_id,post,joined_on',
        `导入甲,UIT-IMP-1,${dept.id},科员,2020-01-02`,
        `导入乙,bad staff no!,${dept.id},科员,2020-01-03`,
        `导入丙,UIT-IMP-3,${dept.id},科员,2020-01-04`,
    ].join('\r\n') + '\r\n';
    await page.locator(sel('import-file')).setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const [resp] = await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/people/import'),
        page.locator(sel('import-submit')).click(),
    ]);
    assert.equal(resp.status(), 422);
    const problem = await resp.json();
    assert.deepEqual(problem.rejected.map((x) => [x.row, x.field]), [[2, 'staff_no']], JSON.stringify(problem));

    const table = page.locator(`${sel('import-rejected')} .el-table__body tr.el-table__row`);
    await table.first().waitFor();
    await b.shot(page, 'import-rejected');
    assert.equal(await table.count(), 1, 'one rejected row');
    const cells = (await table.first().locator('td').allInnerTexts()).map((s) => s.trim());
    assert.deepEqual(cells, ['2', '工号', zh['srv.format']], 'row number, field label and reason');
    const summary = await page.locator(sel('import-summary')).innerText();
    assert.ok(summary.includes('1') && summary.includes('3'), `1 of 3 rows: ${summary}`);
    assert.equal(await page.locator(sel('import-progress')).count(), 1, 'the upload showed its progress');

    assert.equal(await total(), before, 'all or nothing: no row was inserted');
    assert.equal((await admin.get('/api/v1/people?staff_no=UIT-IMP-1')).body.items.length, 0);

    // the corrected file goes in whole
    const fixed = csv.replace('bad staff no!', 'UIT-IMP-2');
    await page.locator(sel('import-file')).setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(fixed) });
    const [ok] = await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/people/import'),
        page.locator(sel('import-submit')).click(),
    ]);
    assert.equal(ok.status(), 200, await ok.text());
    await page.locator(sel('import-inserted')).waitFor();
    await b.shot(page, 'import-inserted');
    assert.ok((await page.locator(sel('import-inserted')).innerText()).includes('3'));
    assert.equal(await total(), before + 3);
    const got = (await admin.get('/api/v1/people?staff_no=UIT-IMP-2')).body.items[0];
    assert.equal(got.name, '导入乙');
    assert.equal(got.joined_on, '2020-01-03');

    await page.locator(sel('import-close')).click();
    await dialog.waitFor({ state: 'hidden' });
    await rowsOf(page).first().waitFor();
});
