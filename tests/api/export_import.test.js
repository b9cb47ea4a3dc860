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

// Money, dates and times in the files a person opens (XLSX; CSV with
// header=zh|en): yuan with two decimals under a heading with the unit, date
// cells in the tenant's local time; and the CSV import reads them back.
describe('money, dates and times for a person', () => {
    let srv, a;
    const xlsx = require('./lib/xlsx');
    const prices = { '粤B·90001': 23990000, '粤B·90002': 1, '粤B·90003': 100000000, '粤B·90004': null, '粤B·90005': 5 };
    const dates = { '粤B·90001': '2024-03-15', '粤B·90002': '2000-01-01', '粤B·90003': '2026-12-31', '粤B·90004': '2019-02-28', '粤B·90005': '2024-02-29' };
    // local fields of an RFC 3339 time at +08:00
    const local = (s) => {
        const t = new Date(Date.parse(s) + 8 * 3600e3);
        return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate(), hh: t.getUTCHours(), mm: t.getUTCMinutes(), ss: t.getUTCSeconds() };
    };
    const csvOf = async (client, path) => {
        const r = await client.get(path);
        assert.equal(r.status, 200, r.text);
        return parseCsv(r.text.replace(/^\uFEFF/, ''));
    };
    const importCsv = (client, coll, text) => client.post(`/api/v1/${coll}/import`, text, { headers: { 'Content-Type': 'text/csv' } });
    const trips = [
        ['2027-01-05T09:30:00+08:00', '2027-01-05T12:00:15+08:00'],
        ['2027-03-31T23:59:59+08:00', '2027-04-01T00:00:01+08:00'], // a local day that is not the UTC day
        ['2027-06-01T01:15:00Z', '2027-06-01T10:00:00+08:00'],
    ];
    before(async () => {
        srv = await startServer();
        a = api(srv.url);
        for (const [plate, price_fen] of Object.entries(prices)) {
            const r = await a.post('/api/v1/vehicles', { plate, class: 'other', brand: '比亚迪', seats: 5, energy: 'electric', registered_on: dates[plate], odometer_km: 1, price_fen,
                // over the seeded 180,000 yuan of the class: registered as an approved exception
                ...(price_fen > 18000000 ? { over_standard_reason: '专项批准' } : {}) });
            assert.equal(r.status, 201, r.text);
        }
        for (const [i, [start_at, end_at]] of trips.entries()) {
            const r = await a.post('/api/v1/trip_requests', { purpose: `出车${i}`, origin: '区行政中心', destination: '街道', start_at, end_at, seats_needed: 1 });
            assert.equal(r.status, 201, r.text);
        }
    });
    after(async () => {
        if (srv) await srv.stop();
    });

    test('XLSX: yuan as number cells with #,##0.00, dates and local datetimes as date cells', async () => {
        const res = await a.fetch('/api/v1/vehicles.xlsx');
        assert.equal(res.status, 200);
        const book = xlsx.read(Buffer.from(await res.arrayBuffer()));
        const [sheet] = [...book.sheets.values()];
        const head = sheet.rows[0].map((c) => c.value);
        const col = (h) => {
            const k = head.indexOf(h);
            assert.ok(k >= 0, `${h} in ${head}`);
            return k;
        };
        const cPrice = col('购置价格（元）'), cDate = col('注册登记日期'), cCreated = col('创建时间'), cPlate = col('号牌');
        const list = await a.all('vehicles');
        for (const row of sheet.rows.slice(1)) {
            const plate = row[cPlate].value;
            const v = list.find((x) => x.plate === plate);
            const price = row[cPrice];
            if (prices[plate] === null) {
                assert.equal(price, undefined, 'null money is an empty cell');
            } else {
                assert.equal(price.type, 'n', `${plate}: a number cell`);
                assert.equal(price.format, '#,##0.00');
                assert.equal(Math.round(price.value * 100), prices[plate], plate);
            }
            const d = row[cDate];
            assert.equal(d.type, 'n');
            assert.equal(d.format, 'yyyy-mm-dd');
            const got = xlsx.serialToDate(d.value);
            assert.equal(`${got.y}-${String(got.m).padStart(2, '0')}-${String(got.d).padStart(2, '0')}`, dates[plate]);
            const c = row[cCreated];
            assert.equal(c.type, 'n');
            assert.equal(c.format, 'yyyy-mm-dd hh:mm');
            assert.deepEqual(xlsx.serialToDate(c.value), local(v.created_at), 'local time, to the second');
        }
        assert.equal(sheet.rows.length, 1 + Object.keys(prices).length);
        // 23990000 fen is 239,900.00 yuan: the value 239900 in the cell
        const big = sheet.rows.slice(1).find((r) => r[cPlate].value === '粤B·90001');
        assert.equal(big[cPrice].value, 239900);
        assert.equal(sheet.rows.slice(1).find((r) => r[cPlate].value === '粤B·90002')[cPrice].value, 0.01);
        // English headings name the unit too
        const en = xlsx.read(Buffer.from(await (await a.fetch('/api/v1/vehicles.xlsx?header=en')).arrayBuffer()));
        assert.ok([...en.sheets.values()][0].rows[0].some((c) => c.value === 'Price (yuan)'));
        // datetimes of trips: local, to the second
        const tb = xlsx.read(Buffer.from(await (await a.fetch('/api/v1/trip_requests.xlsx')).arrayBuffer()));
        const ts = [...tb.sheets.values()][0];
        const th = ts.rows[0].map((c) => c.value);
        const tl = await a.all('trip_requests');
        for (const row of ts.rows.slice(1)) {
            const t = tl.find((x) => x.id === row[0].value);
            const c = row[th.indexOf('用车开始')];
            assert.equal(c.format, 'yyyy-mm-dd hh:mm');
            assert.deepEqual(xlsx.serialToDate(c.value), local(t.start_at));
        }
    });

    test('CSV for a person: yuan, local times; field names keep fen and RFC 3339', async () => {
        const zh = await csvOf(a, '/api/v1/vehicles.csv?header=zh&sort=plate');
        const k = zh[0].indexOf('购置价格（元）');
        assert.ok(k > 0, zh[0].join());
        assert.deepEqual(zh.slice(1).map((r) => r[k]), ['239900.00', '0.01', '1000000.00', '', '0.05']);
        const kc = zh[0].indexOf('创建时间');
        for (const r of zh.slice(1)) assert.match(r[kc], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
        const en = await csvOf(a, '/api/v1/vehicles.csv?header=en&sort=plate');
        assert.ok(en[0].includes('Price (yuan)'));
        const names = await csvOf(a, '/api/v1/vehicles.csv?sort=plate');
        const kn = names[0].indexOf('price_fen');
        assert.deepEqual(names.slice(1).map((r) => r[kn]), ['23990000', '1', '100000000', '', '5']);
        assert.match(names[1][names[0].indexOf('created_at')], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
        const trip = await csvOf(a, '/api/v1/trip_requests.csv?header=zh');
        const tl = await a.all('trip_requests');
        const ks = trip[0].indexOf('用车开始');
        for (const r of trip.slice(1)) {
            const t = tl.find((x) => x.id === Number(r[0]));
            const l = local(t.start_at);
            const p2 = (n) => String(n).padStart(2, '0');
            assert.equal(r[ks], `${l.y}-${p2(l.m)}-${p2(l.d)} ${p2(l.hh)}:${p2(l.mm)}:${p2(l.ss)}`);
        }
    });

    test('round trip: every export imports back to the same fen, dates and instants', async () => {
        const src = await a.all('vehicles');
        const srcTrips = await a.all('trip_requests');
        for (const header of ['zh', 'en', 'names']) {
            const dst = await startServer();
            try {
                const b = api(dst.url);
                let r = await importCsv(b, 'vehicles', (await a.get(`/api/v1/vehicles.csv?header=${header}`)).text);
                assert.equal(r.status, 200, `${header}: ${r.text}`);
                assert.equal(r.body.inserted, src.length);
                for (const v of await b.all('vehicles')) {
                    const s = src.find((x) => x.plate === v.plate);
                    assert.equal(v.price_fen, s.price_fen, `${header} ${v.plate}`);
                    assert.equal(v.registered_on, s.registered_on, `${header} ${v.plate}`);
                }
                r = await importCsv(b, 'trip_requests', (await a.get(`/api/v1/trip_requests.csv?header=${header}`)).text);
                assert.equal(r.status, 200, `${header}: ${r.text}`);
                for (const t of await b.all('trip_requests')) {
                    const s = srcTrips.find((x) => x.purpose === t.purpose);
                    assert.equal(Date.parse(t.start_at), Date.parse(s.start_at), `${header} ${t.purpose}`);
                    assert.equal(Date.parse(t.end_at), Date.parse(s.end_at), `${header} ${t.purpose}`);
                }
            } finally {
                await dst.stop();
            }
        }
    });

    test('import: yuan as people write it, the unit decides, dates and times as a spreadsheet saves them', async () => {
        const dst = await startServer();
        try {
            const b = api(dst.url);
            // amounts over the seeded class standard are read too: the tenant's limit raised first
            for (const std of await b.all('vehicle_standards', { class: 'other' }))
                assert.equal((await b.patch(`/api/v1/vehicle_standards/${std.id}`, { max_price_fen: 1000000000 })).status, 200);
            const head = '号牌,车辆类别,品牌,核定座位,能源类型,注册登记日期,里程表(km),';
            let r = await importCsv(b, 'vehicles', head + '购置价格（元）\r\n' +
                '粤B·80001,other,比亚迪,5,electric,2024/3/5,1,"239,900.00"\r\n' +
                '粤B·80002,other,比亚迪,5,electric,2024-3-15,1,0.01\r\n' +
                '粤B·80003,other,比亚迪,5,electric,2024-03-15,1,12.5\r\n' +
                '粤B·80004,other,比亚迪,5,electric,2024-03-15,1,"1,000,000"\r\n' +
                '粤B·80005,other,比亚迪,5,electric,2024-03-15,1,\r\n' +
                '粤B·80009,other,比亚迪,5,electric,2024-03-15,1,"￥1,234.50"\r\n' +
                '粤B·80010,other,比亚迪,5,electric,2024-03-15,1,¥0.5\r\n');
            assert.equal(r.status, 200, r.text);
            const got = Object.fromEntries((await b.all('vehicles')).map((v) => [v.plate, v]));
            assert.equal(got['粤B·80001'].price_fen, 23990000);
            assert.equal(got['粤B·80001'].registered_on, '2024-03-05');
            assert.equal(got['粤B·80002'].price_fen, 1);
            assert.equal(got['粤B·80002'].registered_on, '2024-03-15');
            assert.equal(got['粤B·80003'].price_fen, 1250);
            assert.equal(got['粤B·80004'].price_fen, 100000000);
            assert.equal(got['粤B·80005'].price_fen, null);
            assert.equal(got['粤B·80009'].price_fen, 123450, 'a currency sign as a spreadsheet writes it');
            assert.equal(got['粤B·80010'].price_fen, 50);
            // a field name or a bare label: fen, as before
            r = await importCsv(b, 'vehicles', head + '购置价格\r\n粤B·80006,other,比亚迪,5,electric,2024-03-15,1,23990000\r\n');
            assert.equal(r.status, 200, r.text);
            r = await importCsv(b, 'vehicles', 'plate,class,brand,seats,energy,registered_on,odometer_km,price_fen\r\n粤B·80007,other,比亚迪,5,electric,2024-03-15,1,23990000\r\n');
            assert.equal(r.status, 200, r.text);
            r = await importCsv(b, 'vehicles', 'Plate,class,brand,seats,energy,registered_on,odometer_km,Price (yuan)\r\n粤B·80008,other,比亚迪,5,electric,2024-03-15,1,0.5\r\n');
            assert.equal(r.status, 200, r.text);
            const more = Object.fromEntries((await b.all('vehicles')).map((v) => [v.plate, v.price_fen]));
            assert.equal(more['粤B·80006'], 23990000);
            assert.equal(more['粤B·80007'], 23990000);
            assert.equal(more['粤B·80008'], 50);
            // bad amounts: named, row by row; nothing imported
            r = await importCsv(b, 'vehicles', head + '购置价格(元)\r\n' +
                '粤B·80011,other,比亚迪,5,electric,2024-03-15,1,1.234\r\n' +
                '粤B·80012,other,比亚迪,5,electric,2024-03-15,1,12元\r\n' +
                '粤B·80013,other,比亚迪,5,electric,2024-03-15,1,"12,34"\r\n' +
                '粤B·80014,other,比亚迪,5,electric,2024-03-15,1,-12.50\r\n' +
                '粤B·80015,other,比亚迪,5,electric,2024-03-15,1,1 000\r\n' +
                '粤B·80016,other,比亚迪,5,electric,2024/2/30,1,1\r\n');
            problem(assert, r, 422, 'BUR-202');
            assert.deepEqual(r.body.rejected.map((x) => `${x.row}:${x.field}:${x.key}`), [
                '1:price_fen:field.yuan', '2:price_fen:field.yuan', '3:price_fen:field.yuan',
                '4:price_fen:field.min', '5:price_fen:field.yuan', '6:registered_on:field.date']);
            // a fen column refuses decimals
            r = await importCsv(b, 'vehicles', head + '购置价格\r\n粤B·80017,other,比亚迪,5,electric,2024-03-15,1,12.50\r\n');
            problem(assert, r, 422, 'BUR-202');
            assert.equal(r.body.rejected[0].key, 'field.fen');
            // local times (the tenant's +08:00), as typed or as a spreadsheet saves them
            r = await importCsv(b, 'trip_requests', 'purpose,origin,destination,start_at,end_at,seats_needed\r\n' +
                'a,x,y,2027/1/5 9:30,2027-01-05 12:00:15,1\r\n' +
                'b,x,y,2027-01-05T09:30:00Z,2027-01-05 23:59,1\r\n');
            assert.equal(r.status, 200, r.text);
            const tr = Object.fromEntries((await b.all('trip_requests')).map((t) => [t.purpose, t]));
            assert.equal(tr.a.start_at, '2027-01-05T09:30:00+08:00');
            assert.equal(tr.a.end_at, '2027-01-05T12:00:15+08:00');
            assert.equal(tr.b.start_at, '2027-01-05T17:30:00+08:00');
            assert.equal(tr.b.end_at, '2027-01-05T23:59:00+08:00');
            r = await importCsv(b, 'trip_requests', 'purpose,origin,destination,start_at,end_at,seats_needed\r\nc,x,y,2027-01-05 24:00,2027-01-06 09:00,1\r\n');
            problem(assert, r, 422, 'BUR-202');
            assert.equal(r.body.rejected[0].field, 'start_at');
        } finally {
            await dst.stop();
        }
    });
});
