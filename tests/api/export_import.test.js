// SPDX-License-Identifier: MIT
// export_import.test.js - CSV and XLSX export of a filtered list, and the
// all-or-nothing CSV import.
'use strict';

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, api, problem } = require('./lib/server');
const { unzip } = require('./lib/xlsx');

// RFC 4180 parser: rows of cells.
function parseCsv(text) {
    const rows = [];
    let row = [], cell = '', i = 0, quoted = false;
    while (i < text.length) {
        const c = text[i];
        if (quoted) {
            if (c === '"') {
                if (text[i + 1] === '"') {
                    cell += '"';
                    i += 2;
                    continue;
                }
                quoted = false;
                i++;
                continue;
            }
            cell += c;
            i++;
            continue;
        }
        if (c === '"' && cell === '') {
            quoted = true;
            i++;
        } else if (c === ',') {
            row.push(cell);
            cell = '';
            i++;
        } else if (c === '\r' && text[i + 1] === '\n') {
            row.push(cell);
            rows.push(row);
            row = [];
            cell = '';
            i += 2;
        } else if (c === '\n') {
            throw new Error(`bare LF outside quotes at ${i}`);
        } else {
            cell += c;
            i++;
        }
    }
    if (quoted) throw new Error('unclosed quote');
    if (cell !== '' || row.length) {
        row.push(cell);
        rows.push(row);
    }
    return rows;
}

function csvCell(s) {
    s = String(s ?? '');
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

describe('export', () => {
    let srv, a;
    const tricky = ['=1+1', '+SUM(A1:A9)', '-2+3', '@cmd', "'=already", 'a,b', 'say "hi"', 'two\nlines', '普通部门'];
    before(async () => {
        srv = await startServer();
        a = api(srv.url);
        const mk = async (body) => {
            const r = await a.post('/api/v1/departments', body);
            assert.equal(r.status, 201, r.text);
            return r.body;
        };
        const top = await mk({ name: '区委', code: 'TOP', kind: 'party', sort_order: 1 });
        for (const [i, name] of tricky.entries())
            await mk({ name, kind: 'party', parent_id: top.id, sort_order: 100 + i, headcount: i });
        for (let i = 0; i < 40; i++)
            await mk({ name: `政府部门${i}`, code: `GOV-${i}`, kind: 'government', sort_order: i, active: i % 3 !== 0 });
    });
    after(async () => {
        if (srv) await srv.stop();
    });

    test('CSV of a filtered list: BOM, header, the same rows as the JSON list, formula guard', async () => {
        const res = await a.fetch('/api/v1/departments.csv?kind=party');
        assert.equal(res.status, 200);
        assert.match(res.headers.get('content-type'), /^text\/csv/);
        assert.match(res.headers.get('content-disposition') || '', /attachment; filename="departments-\d{8}\.csv"/);
        const bytes = Buffer.from(await res.arrayBuffer());
        assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
        const rows = parseCsv(bytes.subarray(3).toString('utf8'));
        const header = rows.shift();
        assert.deepEqual(header, ['id', 'name', 'code', 'parent_id', 'kind', 'sort_order', 'headcount', 'active', 'created_at', 'updated_at']);
        const list = await a.all('departments', { kind: 'party' });
        assert.equal(rows.length, list.length, 'as many rows as the JSON list');
        assert.equal(rows.length, tricky.length + 1);
        assert.deepEqual(rows.map((r) => Number(r[0])), list.map((d) => d.id), 'same rows in the same order');
        for (const r of rows) assert.equal(r.length, header.length);
        const names = rows.map((r) => r[1]);
        assert.ok(names.includes("'=1+1"), `"=1+1" is guarded: ${JSON.stringify(names)}`);
        assert.ok(!names.includes('=1+1'));
        assert.ok(names.includes("'+SUM(A1:A9)"));
        assert.ok(names.includes("'-2+3"));
        assert.ok(names.includes("'@cmd"));
        assert.ok(names.includes("''=already"), 'an apostrophe before a formula gets one more');
        assert.ok(names.includes('a,b'));
        assert.ok(names.includes('say "hi"'));
        assert.ok(names.includes('two\nlines'));
        assert.ok(names.includes('普通部门'));
        for (const n of names) assert.ok(!/^[=+\-@]/.test(n), `unguarded: ${n}`);
        const byName = Object.fromEntries(rows.map((r) => [r[1], r]));
        assert.equal(byName['a,b'][4], 'party');
        assert.equal(byName['a,b'][7], 'true');
        assert.match(byName['a,b'][8], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
        assert.equal(byName['区委'][3], '', 'NULL is an empty cell');
        assert.equal(byName['区委'][6], '');
    });

    test('CSV export: other filters, sort, no paging, header labels', async () => {
        const q = 'kind=government&active=false&sort=-sort_order';
        const res = await a.get(`/api/v1/departments.csv?${q}&limit=2`);
        assert.equal(res.status, 200, res.text);
        const rows = parseCsv(res.text.replace(/^\uFEFF/, ''));
        rows.shift();
        const list = await a.all('departments', Object.fromEntries(new URLSearchParams(q)));
        assert.equal(list.length, 14);
        assert.deepEqual(rows.map((r) => Number(r[0])), list.map((d) => d.id), 'limit is ignored; order kept');
        const zh = await a.get('/api/v1/departments.csv?kind=party&header=zh');
        const zhHead = parseCsv(zh.text.replace(/^\uFEFF/, ''))[0];
        assert.equal(zhHead[1], '名称');
        assert.equal(zhHead[4], '类别');
        const en = await a.get('/api/v1/departments.csv?kind=party&header=en');
        assert.equal(parseCsv(en.text.replace(/^\uFEFF/, ''))[0][1], 'Name');
        problem(assert, await a.get('/api/v1/departments.csv?header=fr'), 400, 'BUR-102', ['header']);
        problem(assert, await a.get('/api/v1/departments.csv?colour=red'), 400, 'BUR-102', ['colour']);
        problem(assert, await a.get('/api/v1/nope.csv'), 404, 'BUR-106');
        const empty = await a.get('/api/v1/departments.csv?kind=judicial');
        assert.equal(empty.status, 200);
        assert.equal(parseCsv(empty.text.replace(/^\uFEFF/, '')).length, 1, 'just the header');
    });

    test('XLSX export is a zip workbook with one row per record and no formulas', async () => {
        const res = await a.fetch('/api/v1/departments.xlsx?kind=party');
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
        assert.match(res.headers.get('content-disposition') || '', /filename="departments-\d{8}\.xlsx"/);
        const buf = Buffer.from(await res.arrayBuffer());
        assert.equal(buf.subarray(0, 4).toString('latin1'), 'PK\x03\x04');
        assert.ok(buf.length > 3000 && buf.length < 200000, `size ${buf.length}`);
        const z = unzip(buf);
        assert.ok(z.has('[Content_Types].xml'));
        assert.ok(z.has('xl/workbook.xml'));
        const sheetName = [...z.keys()].find((k) => /^xl\/worksheets\/sheet\d+\.xml$/.test(k));
        assert.ok(sheetName, [...z.keys()].join(' '));
        const sheet = z.get(sheetName).toString('utf8');
        const rowsN = (sheet.match(/<row /g) || []).length;
        assert.equal(rowsN, tricky.length + 2, 'header + rows');
        assert.ok(!/<f>/.test(sheet), 'no formula cells');
        const all = sheet + (z.get('xl/sharedStrings.xml') || '').toString();
        assert.ok(all.includes('=1+1'), 'the text =1+1 is there as a string');
        assert.ok(all.includes('普通部门'));
        // bigger export
        const big = await a.fetch('/api/v1/departments.xlsx');
        assert.equal(big.status, 200);
        const bb = Buffer.from(await big.arrayBuffer());
        const bs = [...unzip(bb).entries()].find(([k]) => /^xl\/worksheets\/sheet\d+\.xml$/.test(k))[1].toString();
        assert.equal((bs.match(/<row /g) || []).length, 1 + tricky.length + 1 + 40);
    });

    test('export then import into a fresh database restores the values exactly', async () => {
        const res = await a.get('/api/v1/departments.csv?kind=party&parent_id[null]=false');
        assert.equal(res.status, 200);
        const dst = await startServer();
        try {
            const b = api(dst.url);
            const imp = await b.post('/api/v1/departments/import', res.text.replace(/,\d+,(party)/g, ',,$1'),
                                     { headers: { 'Content-Type': 'text/csv' } });
            assert.equal(imp.status, 200, imp.text);
            assert.equal(imp.body.inserted, tricky.length);
            const got = await b.all('departments', { kind: 'party' });
            assert.deepEqual(got.map((d) => d.name).sort(), [...tricky].sort());
            const src = await a.all('departments', { kind: 'party', 'parent_id[null]': 'false' });
            for (const d of got) {
                const s = src.find((x) => x.name === d.name);
                assert.equal(d.headcount, s.headcount, d.name);
                assert.equal(d.sort_order, s.sort_order, d.name);
                assert.equal(d.active, s.active, d.name);
            }
        } finally {
            await dst.stop();
        }
    });
});

describe('import', () => {
    let srv, a;
    before(async () => {
        srv = await startServer();
        a = api(srv.url);
        for (let i = 0; i < 3; i++) {
            const r = await a.post('/api/v1/departments', { name: `已有部门${i}`, code: `OLD-${i}` });
            assert.equal(r.status, 201, r.text);
        }
    });
    after(async () => {
        if (srv) await srv.stop();
    });

    const csvPost = (body, ct = 'text/csv') => a.post('/api/v1/departments/import', body, { headers: { 'Content-Type': ct } });
    const kinds = ['party', 'government', 'congress', 'judicial', 'mass', 'street', 'institution', 'other'];
    const pad = '部'.repeat(30);

    function bigCsv(bad) {
        const lines = ['name,code,kind,sort_order,headcount,active'];
        for (let i = 1; i <= 10000; i++) {
            const kind = bad[i] || kinds[i % kinds.length];
            lines.push([`导入部门${i}${pad}`, `IMP-${i}`, kind, i % 1000, i % 50, i % 7 ? 'true' : 'false'].map(csvCell).join(','));
        }
        return lines.join('\r\n') + '\r\n';
    }

    test('10,000 rows with one bad row: 422 BUR-202 naming row and field, nothing inserted; fixed: all inserted', async () => {
        const before = (await a.all('departments')).length;
        const bad = bigCsv({ 5000: 'bogus' });
        assert.ok(Buffer.byteLength(bad) > 1 << 20, 'the file is over the 1 MiB JSON limit');
        let r = await csvPost(bad);
        problem(assert, r, 422, 'BUR-202');
        assert.equal(r.body.inserted, 0);
        assert.deepEqual(r.body.rejected.map((x) => [x.row, x.field]), [[5000, 'kind']]);
        assert.ok(r.body.rejected[0].message.length > 0);
        assert.equal((await a.all('departments')).length, before, 'nothing inserted');

        r = await csvPost(bigCsv({}));
        assert.equal(r.status, 200, r.text.slice(0, 500));
        assert.equal(r.body.inserted, 10000);
        assert.deepEqual(r.body.rejected, []);
        const all = await a.all('departments');
        assert.equal(all.length, before + 10000);
        const d = all.find((x) => x.code === 'IMP-5000');
        assert.equal(d.name, `导入部门5000${pad}`);
        assert.equal(d.kind, kinds[5000 % kinds.length]);
        assert.equal(d.sort_order, 0);
        assert.equal(d.headcount, 0);
        assert.equal(all.find((x) => x.code === 'IMP-7').active, false);
    });

    test('every bad row is reported; rows numbered after the header', async () => {
        const before = (await a.all('departments')).length;
        const csv = 'name,code,kind,headcount,active\r\n' +
            'ok one,B-1,party,1,true\r\n' +
            ',B-2,party,1,true\r\n' +              // row 2: name required
            'bad code,B 3,party,1,true\r\n' +       // row 3: pattern
            'ok two,B-4,party,-1,maybe\r\n' +       // row 4: headcount and active
            '\r\n' +                                // blank: skipped, not counted
            'ok three,B-5,ministry,1,true\r\n';     // row 5: kind
        const r = await csvPost(csv);
        problem(assert, r, 422, 'BUR-202');
        const got = r.body.rejected.map((x) => `${x.row}:${x.field}`).sort();
        assert.deepEqual(got, ['2:name', '3:code', '4:active', '4:headcount', '5:kind']);
        assert.equal((await a.all('departments')).length, before);
    });

    test('a row the database refuses (duplicate code) rolls the whole file back', async () => {
        const before = (await a.all('departments')).length;
        let r = await csvPost('name,code\r\nfirst,DUP-1\r\nsecond,DUP-2\r\nthird,DUP-1\r\n');
        problem(assert, r, 422, 'BUR-202');
        assert.deepEqual(r.body.rejected.map((x) => [x.row, x.field]), [[3, 'code']]);
        assert.equal((await a.all('departments')).length, before, 'rows 1 and 2 were rolled back');
        r = await csvPost('name,code\r\nclash,OLD-1\r\n');
        problem(assert, r, 422, 'BUR-202');
        assert.equal(r.body.rejected[0].field, 'code');
        r = await csvPost('name,parent_id\r\norphan,987654\r\n');
        problem(assert, r, 422, 'BUR-202');
        assert.equal(r.body.rejected[0].field, 'parent_id');
        assert.equal((await a.all('departments')).length, before);
    });

    test('labels in the header, enum labels, 是/否, a BOM and LF line ends are accepted', async () => {
        const csv = '\uFEFF名称,编码,类别,启用\n信访局,XFJ,政府部门,否\n团区委,TQW,群团组织,是\n';
        const r = await csvPost(csv, 'text/csv; charset=utf-8');
        assert.equal(r.status, 200, r.text);
        assert.equal(r.body.inserted, 2);
        const x = (await a.get('/api/v1/departments?code=XFJ')).body.items[0];
        assert.equal(x.name, '信访局');
        assert.equal(x.kind, 'government');
        assert.equal(x.active, false);
        assert.equal((await a.get('/api/v1/departments?code=TQW')).body.items[0].kind, 'mass');
    });

    test('bad files: unknown column, unclosed quote, no rows, wrong media type', async () => {
        const before = (await a.all('departments')).length;
        let r = await csvPost('name,colour\r\nx,red\r\n');
        problem(assert, r, 400, 'BUR-109');
        r = await csvPost('name,code\r\n"unclosed,C-1\r\n');
        problem(assert, r, 400, 'BUR-109');
        r = await csvPost('name,code\r\n');
        problem(assert, r, 400, 'BUR-109');
        r = await csvPost('');
        problem(assert, r, 400, 'BUR-109');
        r = await csvPost('name\r\nx\r\n', 'application/json');
        problem(assert, r, 415, 'BUR-104');
        r = await csvPost('name\r\nx\r\n', 'text/csv; charset=gbk');
        problem(assert, r, 415, 'BUR-104');
        r = await a.post('/api/v1/nope/import', 'name\r\nx\r\n', { headers: { 'Content-Type': 'text/csv' } });
        problem(assert, r, 404, 'BUR-106');
        assert.equal((await a.all('departments')).length, before);
    });
});

describe('export of the demo district', () => {
    let srv, a;
    before(async () => {
        srv = await startServer({ demo: true });
        a = api(srv.url);
    });
    after(async () => {
        if (srv) await srv.stop();
    });

    test('every person in CSV and XLSX, matching the paged JSON list', async () => {
        const people = await a.all('people');
        assert.ok(people.length > 4000);
        const csv = await a.get('/api/v1/people.csv');
        assert.equal(csv.status, 200);
        const rows = parseCsv(csv.text.replace(/^\uFEFF/, ''));
        const header = rows.shift();
        assert.equal(rows.length, people.length);
        assert.deepEqual(rows.map((r) => Number(r[0])), people.map((p) => p.id));
        const col = (n) => header.indexOf(n);
        for (const [k, p] of people.entries()) {
            const r = rows[k];
            assert.equal(r[col('name')], p.name);
            assert.equal(r[col('staff_no')], p.staff_no ?? '');
            assert.equal(r[col('joined_on')], p.joined_on ?? '');
            assert.equal(r[col('department_id')], String(p.department_id));
            assert.equal(r[col('active')], String(p.active));
        }
        const inactive = await a.get('/api/v1/people.csv?active=false&sort=-joined_on');
        const irows = parseCsv(inactive.text.replace(/^\uFEFF/, '')).slice(1);
        const want = (await a.all('people', { active: 'false', sort: '-joined_on' })).map((p) => p.id);
        assert.deepEqual(irows.map((r) => Number(r[0])), want);

        const res = await a.fetch('/api/v1/people.xlsx');
        assert.equal(res.status, 200);
        const buf = Buffer.from(await res.arrayBuffer());
        assert.equal(buf.subarray(0, 2).toString('latin1'), 'PK');
        const z = unzip(buf);
        const sheet = [...z.entries()].find(([k]) => /^xl\/worksheets\/sheet\d+\.xml$/.test(k))[1].toString();
        assert.equal((sheet.match(/<row /g) || []).length, people.length + 1);
    });
});
