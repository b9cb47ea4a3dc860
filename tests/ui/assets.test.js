// SPDX-License-Identifier: MIT
// assets.test.js - the fixed asset pages in the browser on the demo
// district. The assets manager's register: rows as the API lists them, each
// row's net value the API's; two rows selected and edited in bulk (the API
// has both changed), then printed: the label sheet holds their QR codes,
// codes and departments, its @page is A4 and a 50×30 mm roll turns it into
// one label a page of exactly 50 mm. An asset's page: its net value and
// monthly charge as the API computes them, the schedule chart drawn, the QR
// image, the empty slot for the transfer history. The reports page: the
// chart drawn, the total row's net value the API's, by department too, the
// XLSX link with the same query. The import page: a CSV and an XLSX with a class code, a
// department's name and yuan previewed and imported (the API has the
// asset), an unknown class named before anything is sent. A staff member at
// phone width: my assets as the API lists them, nothing wider than the
// phone. axe: no serious or critical violation on each page.
'use strict';

const { test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, api } = require('../api/lib/server');
const { openBrowser, signIn, goHash, sel, PHONE, DEMO_PASSWORD, axeCheck, pickOption } = require('./lib/browser');

const PHONE_CTX = { viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2, bypassCSP: true };
const DESK = { viewport: { width: 1366, height: 900 }, bypassCSP: true };
const yuan = (fen) => new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(fen / 100);


// A workbook as a spreadsheet saves one (a stored zip): shared strings, an inline string, a number
// and a date cell (a serial with the built-in date format 14), enough for the import page's reader.
function xlsxOf(rows) {
    const zlib = require('node:zlib');
    const esc = (v) => String(v).replace(/&/g, '&amp;').replace(/</g, '&lt;');
    const shared = [];
    const col = (i) => String.fromCharCode(65 + i);
    const cells = rows.map((r, y) => `<row r="${y + 1}">` + r.map((v, x) => {
        const ref = `${col(x)}${y + 1}`;
        if (v && typeof v === 'object' && v.date) return `<c r="${ref}" s="1"><v>${(Date.parse(v.date) - Date.UTC(1899, 11, 30)) / 86400000}</v></c>`;
        if (typeof v === 'number') return `<c r="${ref}"><v>${v}</v></c>`;
        if (v && typeof v === 'object' && v.inline) return `<c r="${ref}" t="inlineStr"><is><t>${esc(v.inline)}</t></is></c>`;
        shared.push(v);
        return `<c r="${ref}" t="s"><v>${shared.length - 1}</v></c>`;
    }).join('') + '</row>').join('');
    const files = {
        '[Content_Types].xml': '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        '_rels/.rels': '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        'xl/workbook.xml': '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="资产" sheetId="1" r:id="rId1"/></sheets></workbook>',
        'xl/_rels/workbook.xml.rels': '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        'xl/styles.xml': '<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>',
        'xl/worksheets/sheet1.xml': `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${cells}</sheetData></worksheet>`,
    };
    files['xl/sharedStrings.xml'] = `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${shared.length}" uniqueCount="${shared.length}">${shared.map((x) => `<si><t>${esc(x)}</t></si>`).join('')}</sst>`;
    const locals = [], centrals = [];
    let off = 0;
    for (const [name, text] of Object.entries(files)) {
        const data = Buffer.from(text), fname = Buffer.from(name), crc = zlib.crc32(data);
        const lh = Buffer.alloc(30);
        lh.writeUInt32LE(0x04034b50, 0); lh.writeUInt16LE(20, 4); lh.writeUInt16LE(0x0800, 6);
        lh.writeUInt32LE(crc, 14); lh.writeUInt32LE(data.length, 18); lh.writeUInt32LE(data.length, 22); lh.writeUInt16LE(fname.length, 26);
        const ch = Buffer.alloc(46);
        ch.writeUInt32LE(0x02014b50, 0); ch.writeUInt16LE(20, 4); ch.writeUInt16LE(20, 6); ch.writeUInt16LE(0x0800, 8);
        ch.writeUInt32LE(crc, 16); ch.writeUInt32LE(data.length, 20); ch.writeUInt32LE(data.length, 24); ch.writeUInt16LE(fname.length, 28); ch.writeUInt32LE(off, 42);
        locals.push(lh, fname, data);
        centrals.push(ch, fname);
        off += 30 + fname.length + data.length;
    }
    const cd = Buffer.concat(centrals), end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(centrals.length / 2, 8); end.writeUInt16LE(centrals.length / 2, 10);
    end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(off, 16);
    return Buffer.concat([...locals, cd, end]);
}

let srv, mgr, staffApi, b;

before(async () => {
    srv = await startServer({ demo: true });
    mgr = api(srv.url, { username: 'assets_manager', password: DEMO_PASSWORD });
    staffApi = api(srv.url, { username: 'staff', password: DEMO_PASSWORD });
    await mgr.login();
    await staffApi.login();
    b = await openBrowser('assets');
});

after(async () => {
    if (b) await b.close();
    if (srv) await srv.stop();
});

afterEach(async (t) => {
    if (b) await b.onFailure(t);
});

test('the register: the API\'s rows and net values; two edited in bulk, then their labels printed', async () => {
    const { page } = await b.newPage(DESK);
    await signIn(page, srv.url, 'assets_manager', DEMO_PASSWORD);
    await goHash(page, '#/assets');
    const table = page.locator(sel('as-table'));
    await table.locator(sel('as-code')).first().waitFor();
    const list = (await mgr.get('/api/v1/assets?limit=50&sort=code')).body.items;
    const codes = await table.locator(sel('as-code')).allInnerTexts();
    assert.deepEqual(codes, list.map((x) => x.code));
    await page.waitForFunction(() => ![...document.querySelectorAll('[data-test="as-net"]')].some((e) => e.textContent === '…'));
    const values = (await mgr.get(`/api/v1/assets/values?ids=${list.slice(0, 5).map((x) => x.id).join(',')}`)).body.items;
    const nets = await table.locator(sel('as-net')).allInnerTexts();
    for (let i = 0; i < 5; i++) assert.equal(nets[i], yuan(values.find((v) => v.id === list[i].id).net_fen));
    await axeCheck(page, 'the register');

    // select the first two rows and set them idle
    const boxes = table.locator('.el-table__body .el-checkbox');
    await boxes.nth(0).click();
    await boxes.nth(1).click();
    await page.locator(sel('as-selected')).filter({ hasText: '已选 2 项' }).waitFor();
    await page.locator(sel('as-bulk')).click();
    await pickOption(page, '#as-b-cond', '一般');
    await page.locator(sel('as-bulk-apply')).click();
    await page.locator(sel('as-bulk-done')).waitFor();
    for (const x of list.slice(0, 2)) assert.equal((await mgr.get(`/api/v1/assets/${x.id}`)).body.condition, 'fair');
    assert.equal((await mgr.get(`/api/v1/assets/${list[2].id}`)).body.condition, list[2].condition);

    // their labels
    await boxes.nth(0).waitFor();
    await page.locator(sel('as-print')).click();
    await page.locator(sel('as-label')).nth(1).waitFor();
    assert.equal(await page.locator(sel('as-label')).count(), 2);
    const first = await page.locator(sel('as-label')).first().innerText();
    assert.match(first, new RegExp(list[0].code));
    assert.equal(await page.locator(`${sel('as-label')} svg`).count(), 2);
    assert.match(await page.evaluate(() => document.querySelector('[data-test="as-page-css"]').textContent), /size: A4 portrait/);
    await axeCheck(page, 'the label sheet');
    await pickOption(page, '#as-l-size', '热敏标签纸 50×30mm');
    await page.waitForFunction(() => /size: 50mm 30mm/.test(document.querySelector('[data-test="as-page-css"]').textContent));
    assert.equal(await page.locator(sel('as-sheet')).count(), 2, 'a roll prints one label a page');
    const w = await page.locator(sel('as-label')).first().evaluate((e) => e.getBoundingClientRect().width);
    assert.ok(Math.abs(w - (50 * 96) / 25.4) < 0.5, `a 50 mm label is ${w}px`);
});

test('an asset\'s page: its depreciation as the API has it, the chart, its label and its transfers', async () => {
    // an asset the demo moved (a reuse from the pool): it has a history to show
    const move = (await mgr.get('/api/v1/asset_transfers?limit=1')).body.items[0];
    assert.ok(move, 'the demo has transfers');
    const a = (await mgr.get(`/api/v1/assets/${move.asset_id}`)).body;
    const d = (await mgr.get(`/api/v1/assets/${a.id}/depreciation`)).body;
    const { page } = await b.newPage(DESK);
    await signIn(page, srv.url, 'assets_manager', DEMO_PASSWORD);
    await goHash(page, `#/c/assets/${a.id}`);
    await page.locator(sel('as-f-net')).filter({ hasNotText: '…' }).waitFor();
    assert.match(await page.locator(sel('as-f-net')).innerText(), new RegExp(yuan(d.net_fen).replace(/[.,]/g, '\\$&')));
    assert.match(await page.locator(sel('as-f-monthly')).innerText(), new RegExp(yuan(d.monthly_fen).replace(/[.,]/g, '\\$&')));
    await page.locator(`${sel('as-dep-chart')} svg`).first().waitFor();
    const img = page.locator(sel('as-qr'));
    await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle());
    // its transfers: the manager sees the API's history and the way to transfer it
    await page.locator('section[data-slot="asset-history"]').getByText(move.reason).first().waitFor();
    await page.locator(sel('as-to-transfers')).waitFor();
    assert.equal(await page.locator(`${sel('as-schedule')} .el-table__body tr`).count(), d.schedule.length);
    await axeCheck(page, 'the asset page');
});

test('reports: the chart, the API\'s totals, by department, the XLSX link', async () => {
    const { page } = await b.newPage(DESK);
    await signIn(page, srv.url, 'assets_manager', DEMO_PASSWORD);
    await goHash(page, '#/assets/reports');
    await page.locator(`${sel('as-report-chart')} svg`).first().waitFor();
    const month = await page.locator('#as-r-asof').inputValue();
    const rep = (await mgr.get(`/api/v1/assets/report?by=category&asof=${month}`)).body;
    const nets = page.locator(`${sel('as-report-table')} ${sel('as-r-net')}`);
    await nets.nth(rep.groups.length).waitFor();
    assert.equal(await nets.nth(rep.groups.length).innerText(), yuan(rep.total.net_fen));
    assert.match(await page.locator(sel('as-report-xlsx')).getAttribute('href'), new RegExp(`by=category&asof=${month}`));
    await axeCheck(page, 'the reports');
    await page.locator(sel('as-by-department')).click();
    const dep = (await mgr.get(`/api/v1/assets/report?by=department&asof=${month}`)).body;
    await page.waitForFunction((n) => document.querySelectorAll('[data-test="as-report-table"] [data-test="as-r-net"]').length === n, dep.groups.length + 1);
    assert.equal(await nets.nth(0).innerText(), yuan(dep.groups[0].net_fen));
    assert.match(await page.locator(sel('as-report-xlsx')).getAttribute('href'), /by=department/);
});

test('import: class by code, department by name, yuan, from CSV and XLSX; an unknown class said first', async () => {
    const dept = (await mgr.get('/api/v1/departments?limit=1&sort=id')).body.items[0];
    const { page } = await b.newPage(DESK);
    await signIn(page, srv.url, 'assets_manager', DEMO_PASSWORD);
    await goHash(page, '#/assets/import');
    const input = page.locator(sel('as-import-file'));
    const csv = (cls) => Buffer.from(`\ufeff资产名称,分类代码,使用单位,原值（元）,取得日期\n界面导入测试机,${cls},${dept.name},"6,000.50",2024/3/5\n`);
    await input.setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: csv('A9999') });
    await page.locator(sel('as-import-problems')).waitFor();
    assert.match(await page.locator(sel('as-import-problems')).innerText(), /A9999/);
    assert.equal(await page.locator(sel('as-import-send')).count(), 0);
    await axeCheck(page, 'the import page with problems');
    await input.setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: csv('A0201') });
    await page.locator(sel('as-import-send')).click();
    await page.locator(sel('as-import-done')).waitFor();
    const got = (await mgr.get(`/api/v1/assets?name=${encodeURIComponent('界面导入测试机')}`)).body.items;
    assert.equal(got.length, 1);
    assert.deepEqual([got[0].original_value_fen, got[0].acquired_on, got[0].department_id], [600050, '2024-03-05', dept.id]);

    // the same from an Excel workbook: a number in yuan, a date cell
    await goHash(page, '#/assets');
    await goHash(page, '#/assets/import');
    const book = xlsxOf([['资产名称', '分类代码', '使用单位', '原值（元）', '取得日期'],
        ['表格导入测试机', { inline: 'A0201' }, dept.name, 1234.5, { date: '2024-03-05' }]]);
    await page.locator(sel('as-import-file')).setInputFiles({ name: 'assets.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: book });
    await page.locator(sel('as-import-send')).click();
    await page.locator(sel('as-import-done')).waitFor();
    const x = (await mgr.get(`/api/v1/assets?name=${encodeURIComponent('表格导入测试机')}`)).body.items;
    assert.deepEqual(x.map((a) => [a.original_value_fen, a.acquired_on, a.department_id]), [[123450, '2024-03-05', dept.id]]);
});

test('my assets on a phone: the API\'s list, nothing wider than the phone', async () => {
    const mine = (await staffApi.get('/api/v1/assets/mine')).body;
    assert.ok(mine.items.length > 0, 'the demo staff member keeps assets');
    const { page } = await b.newPage(PHONE_CTX);
    await signIn(page, srv.url, 'staff', DEMO_PASSWORD);
    await page.locator(sel('home-as-mine')).click();
    await page.locator(sel('as-mine-card')).first().waitFor();
    const codes = await page.locator(sel('as-mine-card')).evaluateAll((els) => els.map((e) => e.dataset.code));
    assert.deepEqual(codes, mine.items.map((x) => x.code));
    assert.match(await page.locator(sel('as-mine-card')).first().innerText(), new RegExp(yuan(mine.items[0].net_fen).replace(/[.,]/g, '\\$&')));
    await axeCheck(page, 'my assets');
    const w = await page.evaluate(() => document.scrollingElement.scrollWidth);
    assert.ok(w <= PHONE.width, `my assets: ${w}px wide on a ${PHONE.width}px phone`);
});
