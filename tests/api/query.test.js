// SPDX-License-Identifier: MIT
// query.test.js - list filters of every kind, sorting with NULLs, keyset
// paging (through the whole demo district), and refused parameters (among
// them a NUL or bytes that are not UTF-8 in a query value).
'use strict';

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, api, problem } = require('./lib/server');
const { sqlShell } = require('./lib/matrix');

// UTF-8 byte order = code point order, what SQLite (BINARY) and PostgreSQL
// (C.UTF-8 clusters from scripts/pg.sh) sort text by.
function cmpText(x, y) {
    return Buffer.compare(Buffer.from(x, 'utf8'), Buffer.from(y, 'utf8'));
}

function qs(o) {
    return new URLSearchParams(o).toString();
}

describe('filters and sorting', () => {
    let srv, a;
    const D = {};
    const P = {};
    before(async () => {
        srv = await startServer();
        a = api(srv.url);
        const mk = async (key, body) => {
            const r = await a.post('/api/v1/departments', body);
            assert.equal(r.status, 201, r.text);
            D[key] = r.body;
        };
        await mk('alpha', { name: 'Alpha Office', code: 'A-1', kind: 'party', headcount: 10, sort_order: 5 });
        await mk('alpha2', { name: 'alpha branch', kind: 'street', headcount: 20, active: false, parent_id: D.alpha.id, sort_order: 3 });
        await mk('beta', { name: 'Beta 100%_done', code: 'B_2', kind: 'government', parent_id: D.alpha.id, sort_order: 7 });
        await mk('cn', { name: '区委办公室', code: 'C-3', kind: 'mass', headcount: 30, sort_order: 1 });
        await mk('gamma', { name: 'Gamma', kind: 'government', headcount: 15, active: false, sort_order: 9 });
        await mk('gamma2', { name: 'gamma%', code: 'A-10', kind: 'congress', headcount: 0, sort_order: 2 });
        const mp = async (key, body) => {
            const r = await a.post('/api/v1/people', { department_id: D.alpha.id, ...body });
            assert.equal(r.status, 201, r.text);
            P[key] = r.body;
        };
        await mp('p1', { name: '陈静', joined_on: '2010-03-01', staff_no: 'P1' });
        await mp('p2', { name: '杨帆', joined_on: '2015-07-15', contract_staff: true, department_id: D.cn.id });
        await mp('p3', { name: '黄磊', joined_on: '2019-12-31', staff_no: 'P3' });
        await mp('p4', { name: '周敏', joined_on: '2020-01-01', active: false });
        await mp('p5', { name: '吴强' });
        await mp('p6', { name: '徐丽', joined_on: '2015-07-15', staff_no: 'P6' });
    });
    after(async () => {
        if (srv) await srv.stop();
    });

    // ids of a list query (one page of up to 500), in the order returned
    async function ids(collection, query) {
        const r = await a.get(`/api/v1/${collection}?${typeof query === 'string' ? query : qs(query)}`);
        assert.equal(r.status, 200, `${collection}?${query}: ${r.text}`);
        return r.body.items.map((x) => x.id);
    }
    const set = (...keys) => keys.map((k) => (D[k] || P[k]).id).sort((x, y) => x - y);
    const sorted = (xs) => [...xs].sort((x, y) => x - y);

    test('text equality is exact', async () => {
        assert.deepEqual(await ids('departments', { name: 'Gamma' }), set('gamma'));
        assert.deepEqual(await ids('departments', { name: 'gamma' }), []);
        assert.deepEqual(await ids('departments', { name: '区委办公室' }), set('cn'));
        assert.deepEqual(sorted(await ids('departments', { 'name[eq]': 'Alpha Office' })), set('alpha'));
        assert.deepEqual(await ids('departments', { code: 'B_2' }), set('beta'));
    });

    test('contains is case-insensitive and takes % and _ literally', async () => {
        assert.deepEqual(sorted(await ids('departments', { 'name[contains]': 'alpha' })), set('alpha', 'alpha2'));
        assert.deepEqual(sorted(await ids('departments', { 'name[contains]': 'ALPHA' })), set('alpha', 'alpha2'));
        assert.deepEqual(sorted(await ids('departments', { 'name[contains]': '%' })), set('beta', 'gamma2'));
        assert.deepEqual(sorted(await ids('departments', { 'name[contains]': '_' })), set('beta'));
        assert.deepEqual(sorted(await ids('departments', { 'name[contains]': '办公' })), set('cn'));
        assert.deepEqual(await ids('departments', { 'name[contains]': 'zzz' }), []);
    });

    test('prefix matches the start only', async () => {
        assert.deepEqual(sorted(await ids('departments', { 'code[prefix]': 'A-' })), set('alpha', 'gamma2'));
        assert.deepEqual(sorted(await ids('departments', { 'code[prefix]': 'A-1' })), set('alpha', 'gamma2'));
        assert.deepEqual(sorted(await ids('departments', { 'code[prefix]': 'B_' })), set('beta'));
        assert.deepEqual(sorted(await ids('departments', { 'code[prefix]': 'B%' })), []);
        assert.deepEqual(sorted(await ids('departments', { 'name[prefix]': '区委' })), set('cn'));
        assert.deepEqual(sorted(await ids('departments', { 'name[prefix]': 'Office' })), []);
    });

    test('enum equality, ne and in', async () => {
        assert.deepEqual(sorted(await ids('departments', { kind: 'government' })), set('beta', 'gamma'));
        assert.deepEqual(sorted(await ids('departments', { 'kind[in]': 'party,street' })), set('alpha', 'alpha2'));
        assert.deepEqual(sorted(await ids('departments', { 'kind[in]': 'mass' })), set('cn'));
        assert.deepEqual(sorted(await ids('departments', { 'kind[ne]': 'government' })), set('alpha', 'alpha2', 'cn', 'gamma2'));
        const r = await a.get('/api/v1/departments?' + qs({ 'kind[in]': 'party,ministry' }));
        problem(assert, r, 400, 'BUR-102', ['kind']);
    });

    test('booleans', async () => {
        assert.deepEqual(sorted(await ids('departments', { active: 'false' })), set('alpha2', 'gamma'));
        assert.deepEqual(sorted(await ids('departments', { active: 'true' })), set('alpha', 'beta', 'cn', 'gamma2'));
        assert.deepEqual(sorted(await ids('people', { contract_staff: 'true' })), set('p2'));
        assert.deepEqual(sorted(await ids('people', { active: 'false' })), set('p4'));
        const r = await a.get('/api/v1/departments?active=maybe');
        problem(assert, r, 400, 'BUR-102', ['active']);
    });

    test('references', async () => {
        assert.deepEqual(sorted(await ids('departments', { parent_id: D.alpha.id })), set('alpha2', 'beta'));
        assert.deepEqual(sorted(await ids('people', { department_id: D.cn.id })), set('p2'));
        assert.deepEqual(sorted(await ids('people', { 'department_id[in]': `${D.cn.id},${D.alpha.id}` })).length, 6);
        assert.deepEqual(await ids('people', { department_id: 99999 }), []);
    });

    test('integer ranges', async () => {
        assert.deepEqual(sorted(await ids('departments', { 'headcount[gte]': '15', 'headcount[lt]': '30' })), set('alpha2', 'gamma'));
        assert.deepEqual(sorted(await ids('departments', { 'headcount[gt]': '15', 'headcount[lte]': '30' })), set('alpha2', 'cn'));
        assert.deepEqual(sorted(await ids('departments', { 'headcount[lte]': '0' })), set('gamma2'));
        assert.deepEqual(sorted(await ids('departments', { 'id[in]': `${D.beta.id},${D.cn.id}` })), set('beta', 'cn'));
    });

    test('date ranges', async () => {
        assert.deepEqual(sorted(await ids('people', { 'joined_on[gte]': '2015-01-01', 'joined_on[lt]': '2020-01-01' })),
                         set('p2', 'p3', 'p6'));
        assert.deepEqual(sorted(await ids('people', { 'joined_on[gte]': '2015-07-15', 'joined_on[lte]': '2015-07-15' })), set('p2', 'p6'));
        assert.deepEqual(sorted(await ids('people', { 'joined_on[gt]': '2019-12-31' })), set('p4'));
        assert.deepEqual(sorted(await ids('people', { joined_on: '2010-03-01' })), set('p1'));
        const r = await a.get('/api/v1/people?' + qs({ 'joined_on[gte]': '2015-13-01' }));
        problem(assert, r, 400, 'BUR-102', ['joined_on']);
    });

    test('null tests: [null]=true/false, field= and field[ne]=', async () => {
        assert.deepEqual(sorted(await ids('departments', { 'parent_id[null]': 'false' })), set('alpha2', 'beta'));
        assert.deepEqual(sorted(await ids('departments', { 'parent_id[null]': 'true' })), set('alpha', 'cn', 'gamma', 'gamma2'));
        assert.deepEqual(sorted(await ids('departments', { 'headcount[null]': 'true' })), set('beta'));
        assert.deepEqual(sorted(await ids('departments', { 'code[null]': 'true' })), set('alpha2', 'gamma'));
        assert.deepEqual(sorted(await ids('people', { 'joined_on[null]': 'true' })), set('p5'));
        assert.deepEqual(sorted(await ids('people', { joined_on: '' })), set('p5'));
        assert.deepEqual(sorted(await ids('people', { 'joined_on[ne]': '' })), set('p1', 'p2', 'p3', 'p4', 'p6'));
        const r = await a.get('/api/v1/departments?' + qs({ 'code[null]': 'yes' }));
        problem(assert, r, 400, 'BUR-102', ['code']);
    });

    test('datetime filters need an offset', async () => {
        const r = await a.get('/api/v1/departments?' + qs({ 'created_at[gte]': '2020-01-01T00:00:00' }));
        problem(assert, r, 400, 'BUR-102', ['created_at']);
        assert.equal((await ids('departments', { 'created_at[gte]': '2020-01-01T00:00:00+08:00' })).length, 6);
        assert.equal((await ids('departments', { 'created_at[lt]': '2020-01-01T00:00:00Z' })).length, 0);
    });

    test('filters combine with AND; q= searches the search fields', async () => {
        assert.deepEqual(sorted(await ids('departments', { kind: 'government', active: 'false' })), set('gamma'));
        assert.deepEqual(sorted(await ids('departments', { q: 'alpha' })), set('alpha', 'alpha2'));
        assert.deepEqual(sorted(await ids('departments', { q: 'b_2' })), set('beta'), 'q matches code too');
        assert.deepEqual(sorted(await ids('departments', { q: '%' })), set('beta', 'gamma2'));
        assert.deepEqual(sorted(await ids('departments', { q: 'alpha', active: 'true' })), set('alpha'));
        assert.deepEqual(sorted(await ids('people', { q: '杨' })), set('p2'));
        assert.deepEqual(sorted(await ids('people', { q: 'P6' })), set('p6'), 'q matches staff_no');
    });

    test('sort on a nullable field: NULLs first ascending, last descending', async () => {
        const asc = (await a.get('/api/v1/departments?sort=code')).body.items;
        assert.deepEqual(asc.map((d) => d.code), [null, null, 'A-1', 'A-10', 'B_2', 'C-3']);
        assert.ok(asc[0].id < asc[1].id, 'ties by id ascending');
        const desc = (await a.get('/api/v1/departments?sort=-code')).body.items;
        assert.deepEqual(desc.map((d) => d.code), ['C-3', 'B_2', 'A-10', 'A-1', null, null]);
        assert.ok(desc[4].id > desc[5].id, 'ties by id descending');
        const pj = (await a.get('/api/v1/people?sort=joined_on')).body.items.map((p) => p.joined_on);
        assert.deepEqual(pj, [null, '2010-03-01', '2015-07-15', '2015-07-15', '2019-12-31', '2020-01-01']);
        const pjd = (await a.get('/api/v1/people?sort=-joined_on')).body.items.map((p) => p.joined_on);
        assert.deepEqual(pjd, ['2020-01-01', '2019-12-31', '2015-07-15', '2015-07-15', '2010-03-01', null]);
    });

    test('sort by text, integer and id in both directions', async () => {
        const byName = (await a.get('/api/v1/departments?sort=name')).body.items.map((d) => d.name);
        // names sort by pinyin (ICU's zh: Han first, then Latin, case after letters)
        assert.deepEqual(byName, ['区委办公室', 'alpha branch', 'Alpha Office', 'Beta 100%_done', 'Gamma', 'gamma%']);
        const so = (await a.get('/api/v1/departments?sort=-sort_order')).body.items.map((d) => d.sort_order);
        assert.deepEqual(so, [9, 7, 5, 3, 2, 1]);
        const def = (await a.get('/api/v1/departments')).body.items.map((d) => d.sort_order);
        assert.deepEqual(def, [1, 2, 3, 5, 7, 9], 'departments list in sort_order by default');
        const byId = (await a.get('/api/v1/departments?sort=-id')).body.items.map((d) => d.id);
        assert.deepEqual(byId, [...byId].sort((x, y) => y - x));
        const plus = (await a.get('/api/v1/departments?sort=%2Bsort_order')).body.items.map((d) => d.sort_order);
        assert.deepEqual(plus, [1, 2, 3, 5, 7, 9]);
    });

    // every page of a list, with small pages to cross the NULL boundaries
    async function pages(collection, query, limit) {
        const out = [];
        let after = null;
        for (let i = 0; i < 100; i++) {
            const q = new URLSearchParams(query);
            q.set('limit', String(limit));
            if (after) q.set('after', after);
            const r = await a.get(`/api/v1/${collection}?${q}`);
            assert.equal(r.status, 200, r.text);
            assert.ok(r.body.items.length <= limit);
            out.push(...r.body.items);
            after = r.body.next;
            if (!after) return out;
            assert.equal(r.body.items.length, limit, 'only the last page may be short');
        }
        throw new Error('paging did not end');
    }

    test('keyset paging across NULLs gives the same rows as one page, both directions', async () => {
        for (const sort of ['code', '-code', 'name', '-name', 'sort_order', '-id']) {
            const whole = (await a.get(`/api/v1/departments?sort=${encodeURIComponent(sort)}`)).body.items.map((d) => d.id);
            for (const limit of [1, 2, 4]) {
                const paged = (await pages('departments', { sort }, limit)).map((d) => d.id);
                assert.deepEqual(paged, whole, `sort=${sort} limit=${limit}`);
            }
        }
        for (const sort of ['joined_on', '-joined_on']) {
            const whole = (await a.get(`/api/v1/people?sort=${encodeURIComponent(sort)}`)).body.items.map((d) => d.id);
            for (const limit of [1, 2, 3]) {
                const paged = (await pages('people', { sort }, limit)).map((d) => d.id);
                assert.deepEqual(paged, whole, `people sort=${sort} limit=${limit}`);
            }
        }
        // with a filter
        const f = (await pages('departments', { sort: 'code', 'kind[ne]': 'party' }, 1)).map((d) => d.code);
        assert.deepEqual(f, [null, null, 'A-10', 'B_2', 'C-3']);
    });

    test('unknown parameters, fields and operators are 400 BUR-102 naming the field', async () => {
        const cases = [
            ['departments', 'nope=1', 'nope'],
            ['departments', 'name[like]=x', 'name'],
            ['departments', 'name[eq=x', 'name'],
            ['departments', 'name[]=x', 'name'],
            ['departments', 'kind[contains]=part', 'kind'],
            ['departments', 'headcount[prefix]=1', 'headcount'],
            ['departments', 'headcount=abc', 'headcount'],
            ['departments', 'headcount[gte]=1.5', 'headcount'],
            ['departments', 'parent_id=x', 'parent_id'],
            ['people', 'post=科长', 'post'],
            ['people', 'phone=123456', 'phone'],
            ['people', 'version=1', 'version'],
            ['departments', 'tenant_id=1', 'tenant_id'],
            ['departments', 'sort=nope', 'sort'],
            ['departments', 'sort=headcount', 'sort'],
            ['departments', 'sort=-kind', 'sort'],
            ['departments', 'limit=501', 'limit'],
            ['departments', 'limit=0', 'limit'],
            ['departments', 'limit=-5', 'limit'],
            ['departments', 'limit=ten', 'limit'],
            ['departments', 'limit=', 'limit'],
        ];
        for (const [c, q, field] of cases) {
            const r = await a.get(`/api/v1/${c}?${encodeURI(q)}`);
            problem(assert, r, 400, 'BUR-102', [field]);
        }
        const many = Array.from({ length: 101 }, (_, i) => i + 1).join(',');
        problem(assert, await a.get(`/api/v1/departments?id[in]=${many}`), 400, 'BUR-102', ['id']);
        assert.equal((await a.get('/api/v1/departments?limit=500')).status, 200);
        assert.equal((await a.get('/api/v1/departments?limit=1')).status, 200);
    });

    test('a NUL (%00) or bytes that are not UTF-8 in a query are 400 BUR-102 naming the parameter', async () => {
        // libmicrohttpd hands values over as C strings: x%00zzz must not become "x"
        const x = await a.post('/api/v1/departments', { name: 'x' });
        assert.equal(x.status, 201, x.text);
        assert.deepEqual(await ids('departments', 'name=x'), [x.body.id]);
        const cases = [
            ['departments', 'name=x%00zzz', 'name'],
            ['departments', 'name=x%00', 'name'],
            ['departments', 'name[contains]=%00', 'name'],
            ['departments', 'code[prefix]=A%00B', 'code'],
            ['departments', 'q=x%00zzz', 'q'],
            ['departments', 'sort=name%00&limit=2', 'sort'],
            ['departments', 'limit=5%0010', 'limit'],
            ['departments', 'na%00me=x', 'na me'],
            ['departments', 'name=%FF', 'name'],
            ['departments', 'name=%C3%28', 'name'],                // a broken sequence
            ['departments', 'name=%C0%AF', 'name'],                // overlong "/"
            ['departments', 'name=%ED%A0%80', 'name'],             // a surrogate
            ['departments', 'name[contains]=%E5%8C', 'name'],      // cut short
            ['people', 'name=%E9%99%88%FF', 'name'],
            ['departments', 'x%FF=1', 'x\ufffd'],
        ];
        for (const [c, q, field] of cases) {
            const r = await a.get(`/api/v1/${c}?${q}`);
            problem(assert, r, 400, 'BUR-102', [field]);
            assert.ok(['query.nul', 'query.utf8'].includes(r.body.key), `${q}: ${r.body.key}`);
        }
        // every route checks its query string, not only the lists
        problem(assert, await a.get(`/api/v1/departments/${x.body.id}?x=%00`), 400, 'BUR-102', ['x']);
        problem(assert, await a.get('/api/v1/departments.csv?name=%FF'), 400, 'BUR-102', ['name']);
        problem(assert, await a.get('/api/health?probe=%FE'), 400, 'BUR-102', ['probe']);
        // well-formed UTF-8 passes (陈静 percent-encoded)
        assert.deepEqual(await ids('people', 'name=%E9%99%88%E9%9D%99'), [P.p1.id]);
    });

    test('cursors: garbage and cursors of another sort order are 400 BUR-108', async () => {
        const r1 = await a.get('/api/v1/departments?sort=name&limit=2');
        const cur = r1.body.next;
        assert.ok(cur);
        assert.equal((await a.get(`/api/v1/departments?sort=name&limit=2&after=${cur}`)).status, 200);
        for (const other of ['-name', 'code', 'sort_order', 'id']) {
            const r = await a.get(`/api/v1/departments?sort=${encodeURIComponent(other)}&after=${cur}`);
            problem(assert, r, 400, 'BUR-108', ['after']);
        }
        problem(assert, await a.get(`/api/v1/departments?after=${cur}`), 400, 'BUR-108', ['after']);
        const bad = ['!!!!', 'garbage', Buffer.from('hello').toString('base64url'),
                     Buffer.from('name|a|v:x|notanumber').toString('base64url'),
                     Buffer.from('name|a|zz|3').toString('base64url'), 'A'.repeat(3000)];
        for (const b of bad) {
            const r = await a.get(`/api/v1/departments?sort=name&after=${encodeURIComponent(b)}`);
            problem(assert, r, 400, 'BUR-108', ['after']);
        }
    });

    test('sort given twice cannot pair a cursor with another order', async () => {
        const r1 = await a.get('/api/v1/departments?sort=name&limit=2');
        const cur = r1.body.next;
        // the cursor was issued for sort=name; a second sort=-name must not be applied with it
        const r = await a.get(`/api/v1/departments?sort=name&after=${cur}&sort=-name&limit=2`);
        assert.equal(r.status, 400, `sort=name&after=…&sort=-name gave ${r.status}: ${r.text.slice(0, 300)}`);
        assert.ok(['BUR-102', 'BUR-108'].includes(r.body.code), r.text);
    });
});

describe('keyset paging through the demo district', () => {
    let srv, a;
    const sql = (text) => sqlShell(srv, text);
    before(async () => {
        srv = await startServer({ demo: true });
        a = api(srv.url);
    });
    after(async () => {
        if (srv) await srv.stop();
    });

    async function walk(query) {
        const out = [];
        const seen = new Set();
        let after = null, pagesN = 0;
        for (;;) {
            const q = new URLSearchParams(query);
            q.set('limit', '500');
            if (after) q.set('after', after);
            const r = await a.get(`/api/v1/people?${q}`);
            assert.equal(r.status, 200, r.text);
            pagesN++;
            for (const p of r.body.items) {
                assert.ok(!seen.has(p.id), `person ${p.id} came twice (${qs(query)}, page ${pagesN})`);
                seen.add(p.id);
                out.push(p);
            }
            after = r.body.next;
            if (!after) break;
            assert.equal(r.body.items.length, 500, 'a page before the last is full');
            assert.ok(pagesN < 100, 'paging does not end');
        }
        return out;
    }

    test('all 4,000+ people by name, by -joined_on and by id: same set, no duplicates, in order', async () => {
        const byName = await walk({ sort: 'name' });
        assert.ok(byName.length > 4000, `only ${byName.length} people`);
        // the judge: the database's own full sort in the collation (ICU 72 on both
        // backends), not the server's paged query
        const want = sql(`SELECT id FROM people WHERE tenant_id = 1 ORDER BY name COLLATE zh_pinyin, id`)
            .trim().split('\n').map(Number);
        assert.deepEqual(byName.map((p) => p.id), want, 'pages of 500 in pinyin order');
        const byJoined = await walk({ sort: '-joined_on' });
        assert.equal(byJoined.length, byName.length, 'the same count in another order');
        for (let i = 1; i < byJoined.length; i++) {
            const x = byJoined[i - 1], y = byJoined[i];
            const ok = x.joined_on === y.joined_on ? x.id > y.id
                : y.joined_on === null ? true
                : x.joined_on === null ? false
                : x.joined_on > y.joined_on;
            assert.ok(ok, `order broken at ${i}: ${x.joined_on}#${x.id} then ${y.joined_on}#${y.id}`);
        }
        const byId = await walk({});
        assert.equal(byId.length, byName.length);
        for (let i = 1; i < byId.length; i++) assert.ok(byId[i].id > byId[i - 1].id);
        const ids = (xs) => xs.map((p) => p.id).sort((x, y) => x - y);
        assert.deepEqual(ids(byJoined), ids(byName), 'no gaps: both orders give the same people');
        assert.deepEqual(ids(byId), ids(byName));
        // a filtered walk agrees with filtering the whole set
        const inactive = await walk({ active: 'false', sort: 'staff_no' });
        assert.deepEqual(ids(inactive), ids(byId.filter((p) => !p.active)));
        for (let i = 1; i < inactive.length; i++)
            assert.ok(cmpText(inactive[i - 1].staff_no, inactive[i].staff_no) <= 0);
        const since = await walk({ 'joined_on[gte]': '2015-01-01', sort: '-name' });
        assert.deepEqual(ids(since), ids(byId.filter((p) => p.joined_on && p.joined_on >= '2015-01-01')));
    });

    test('count=exact: total is the number of matching rows in the caller\'s scope, the same on every page', async () => {
        const all = Number(sql('SELECT COUNT(*) FROM people WHERE tenant_id = 1').trim());
        const inactive = Number(sql('SELECT COUNT(*) FROM people WHERE tenant_id = 1 AND active = 0').trim());
        assert.ok(inactive > 0 && inactive < all);
        const r1 = await a.get('/api/v1/people?limit=7&count=exact');
        assert.equal(r1.status, 200);
        assert.equal(r1.body.total, all);
        assert.equal(r1.body.items.length, 7);
        const r2 = await a.get(`/api/v1/people?limit=7&count=exact&after=${r1.body.next}`);
        assert.equal(r2.body.total, all, 'a later page counts every matching row, not those after the cursor');
        const f = await a.get('/api/v1/people?active=false&sort=name&limit=3&count=exact');
        assert.equal(f.body.total, inactive);
        const none = await a.get('/api/v1/people?name=nobody-by-this-name&count=exact');
        assert.deepEqual([none.body.items.length, none.body.total], [0, 0]);
        assert.equal((await a.get('/api/v1/people?limit=3')).body.total, undefined, 'no count unless asked');
        problem(assert, await a.get('/api/v1/people?count=yes'), 400, 'BUR-102', ['count']);
        // staff read their own department's people: the total is theirs too
        const staff = api(srv.url, { username: 'staff', password: 'Bureau-demo-2026' });
        const mine = await staff.get('/api/v1/people?count=exact&limit=500');
        assert.equal(mine.status, 200);
        assert.ok(mine.body.total < all);
        assert.equal(mine.body.total, mine.body.items.length);
        // an export ignores it (a file has no page)
        const csv = await a.get('/api/v1/people.csv?active=false&count=exact');
        assert.equal(csv.status, 200);
        assert.equal(csv.text.trim().split('\n').length, inactive + 1);
    });

    test('a cursor is refused by another sort order', async () => {
        const r = await a.get('/api/v1/people?sort=name&limit=500');
        assert.ok(r.body.next);
        problem(assert, await a.get(`/api/v1/people?sort=-joined_on&limit=500&after=${r.body.next}`), 400, 'BUR-108', ['after']);
        problem(assert, await a.get(`/api/v1/people?limit=500&after=${r.body.next}`), 400, 'BUR-108', ['after']);
    });
});

// Names sort as people read them: by pinyin, or by strokes (笔画) when the
// tenant says so; the same order on SQLite and PostgreSQL (both ICU), and
// keyset pages in that order.
describe('names by pinyin and by strokes', () => {
    let srv, a, dept;
    const seven = ['张', '李', '王', '赵', '阿', '艾', '安'];
    // code point order would be 安 张 李 王 艾 赵 阿
    const PINYIN = ['阿', '艾', '安', '李', '王', '张', '赵'];
    // ICU's zh stroke order (Unicode's stroke counts; 艾 counts its 艹 as four)
    const STROKE = ['王', '安', '艾', '张', '李', '阿', '赵'];
    const given = ['伟', '芳', '娜', '敏', '静', '丽', '强'];
    const list = async (q) => {
        const r = await a.get(`/api/v1/people?${qs({ department_id: dept.id, limit: 500, ...q })}`);
        assert.equal(r.status, 200, r.text);
        return r.body;
    };
    // every page of size n: the people in page order, no one twice
    const pages = async (q, n) => {
        const out = [];
        let after = '';
        for (let k = 0; k < 200; k++) {
            const b = await list({ ...q, limit: n, ...(after ? { after } : {}) });
            out.push(...b.items);
            if (!b.next) return out;
            assert.equal(b.items.length, n);
            after = b.next;
        }
        throw new Error('paging does not end');
    };
    const setOrder = async (name_order) => {
        const r = await a.patch('/api/v1/tenants/1', { name_order });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.body.name_order, name_order);
    };
    before(async () => {
        srv = await startServer();
        a = api(srv.url);
        dept = (await a.post('/api/v1/departments', { name: '排序测试科' })).body;
        // the seven alone, then each with given names, twice for the ties
        const names = [...seven];
        for (const s of seven) for (const g of given.slice(0, 3)) names.push(s + g, s + g);
        for (const name of names) {
            const r = await a.post('/api/v1/people', { name, department_id: dept.id });
            assert.equal(r.status, 201, r.text);
        }
    });
    after(async () => {
        if (srv) await srv.stop();
    });

    test('pinyin by default: 阿 艾 安 李 王 张 赵, ties by id, both directions', async () => {
        const one = (await list({ sort: 'name', 'name[in]': seven.join(',') })).items.map((p) => p.name);
        assert.deepEqual(one, PINYIN);
        const all = (await list({ sort: 'name' })).items;
        assert.equal(all.length, 7 + 7 * 6);
        const firsts = [...new Set(all.map((p) => p.name[0]))];
        assert.deepEqual(firsts, PINYIN, 'surnames in pinyin order');
        for (let i = 1; i < all.length; i++)
            if (all[i].name === all[i - 1].name) assert.ok(all[i].id > all[i - 1].id, 'ties by id');
        const desc = (await list({ sort: '-name' })).items;
        assert.deepEqual(desc.map((p) => p.id), [...all].reverse().map((p) => p.id), 'descending is the exact reverse');
        // a range filter compares in the same order: from 李 on
        const from = (await list({ sort: 'name', 'name[gte]': '李' })).items.map((p) => p.name[0]);
        assert.deepEqual([...new Set(from)], ['李', '王', '张', '赵']);
        // the export follows the list
        const csv = (await a.get(`/api/v1/people.csv?${qs({ department_id: dept.id, sort: 'name' })}`)).text;
        const ids = csv.split('\r\n').slice(1).filter(Boolean).map((l) => Number(l.split(',')[0]));
        assert.deepEqual(ids, all.map((p) => p.id));
    });

    test('keyset pages of 1, 2 and 5 give the one big page, in both orders and directions', async () => {
        for (const order of ['pinyin', 'stroke']) {
            await setOrder(order);
            for (const sort of ['name', '-name']) {
                const big = (await list({ sort })).items.map((p) => p.id);
                for (const n of [1, 2, 5]) assert.deepEqual((await pages({ sort }, n)).map((p) => p.id), big, `${order} ${sort} by ${n}`);
            }
        }
        await setOrder('pinyin');
    });

    test('the tenant setting name_order=stroke sorts by strokes (笔画)', async () => {
        await setOrder('stroke');
        try {
            const one = (await list({ sort: 'name', 'name[in]': seven.join(',') })).items.map((p) => p.name);
            assert.deepEqual(one, STROKE);
            const all = (await list({ sort: 'name' })).items;
            assert.deepEqual([...new Set(all.map((p) => p.name[0]))], STROKE);
            const dn = (await a.get('/api/v1/departments?sort=name')).body.items.map((d) => d.name);
            assert.ok(dn.includes('排序测试科'));
            problem(assert, await a.patch('/api/v1/tenants/1', { name_order: 'radical' }), 422, 'BUR-201', ['name_order']);
        } finally {
            await setOrder('pinyin');
        }
        const back = (await list({ sort: 'name', 'name[in]': seven.join(',') })).items.map((p) => p.name);
        assert.deepEqual(back, PINYIN);
    });
});
