// SPDX-License-Identifier: MIT
// openapi.test.js - the OpenAPI document against what the server answers.
//
// On the demo district, the demo user of every built-in role lists every
// collection the role may read (one page) and reads one of its records; each
// answer must validate against the response schema the document gives for
// that operation, with an independent JSON Schema validator (Ajv, draft
// 2020-12, the dialect of OpenAPI 3.1, strict, with formats), and hold exactly
// the fields the document lists minus those the role hides. Error answers
// (400, 401, 403, 404, 422, 429) must validate against the problem schema the
// operation documents for their status. The document itself must pass an
// independent OpenAPI linter (Redocly, redocly.yaml: the recommended rules)
// without a single problem.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats').default;
const { startServer, api, ROOT } = require('./lib/server');
const m = require('./lib/matrix');

const DOC_ID = 'https://bureau.invalid/openapi.json';
const PAGE = 50;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
// what anyone may call: the document must say security: [] for exactly these
const PUBLIC = new Set(['GET /api/health', 'GET /metrics', 'GET /api/v1/meta', 'GET /api/v1/openapi.json',
                        'POST /api/v1/session', 'GET /', 'GET /{path}',
                        'GET /ical/{token}', // a calendar feed: its secret is the key
                        // the bid receipts' keys (anyone verifies a receipt) and a supplier's registration
                        'GET /api/v1/procure/receipt_keys', 'POST /api/v1/procure/register',
                        // published procurement projects as OCDS packages, as open-contracting publishers serve them
                        'GET /open/procure/{tenant}/ocds', 'GET /open/procure/{tenant}/ocds/{id}']);

let srv, admin, anon, doc, ajv, roles, collections;
const clients = new Map(); // role code -> signed-in client of its demo user

// ---- the document as JSON Schema ----

function unescape(part) {
    return part.replace(/~1/g, '/').replace(/~0/g, '~');
}

function escape(part) {
    return String(part).replace(/~/g, '~0').replace(/\//g, '~1');
}

// The object a local $ref names (following $ref chains).
function deref(node) {
    for (let i = 0; node && node.$ref && i < 8; i++) {
        assert.match(node.$ref, /^#\//, `only local $refs: ${node.$ref}`);
        node = node.$ref.slice(2).split('/').reduce((n, k) => n && n[unescape(k)], doc);
    }
    return node;
}

// Ajv in strict mode (a keyword it does not know is an error, not ignored),
// with the document's x- extensions declared as annotations.
function makeAjv() {
    const a = new Ajv2020({ strict: true, allErrors: true });
    addFormats(a);
    const ext = new Set();
    (function walk(x) {
        if (Array.isArray(x)) x.forEach(walk);
        else if (x && typeof x === 'object')
            for (const [k, v] of Object.entries(x)) {
                if (k.startsWith('x-')) ext.add(k);
                walk(v);
            }
    })(doc.components.schemas);
    for (const k of ext) a.addKeyword({ keyword: k });
    // the document's "#/components/schemas/…" references resolve against it;
    // "components" itself is no keyword
    a.addKeyword({ keyword: 'components', schemaType: 'object' });
    a.addSchema({ $id: DOC_ID, components: { schemas: doc.components.schemas } });
    return a;
}

const compiled = new Map();

// The validator of the schema at pointer ptr ("#/…") of the document.
function validator(ptr) {
    if (!compiled.has(ptr)) compiled.set(ptr, ajv.compile({ $ref: DOC_ID + ptr }));
    return compiled.get(ptr);
}

function operation(p, method) {
    const op = doc.paths[p] && doc.paths[p][method];
    assert.ok(op, `the document has no ${method.toUpperCase()} ${p}`);
    return op;
}

// The pointer of the schema operation (p, method) documents for status in type.
function responsePointer(p, method, status, type) {
    const op = operation(p, method);
    const resp = op.responses[String(status)];
    assert.ok(resp, `${method.toUpperCase()} ${p} documents no ${status} (it has ${Object.keys(op.responses)})`);
    const media = deref(resp).content && deref(resp).content[type];
    assert.ok(media && media.schema, `${method.toUpperCase()} ${p} ${status}: no ${type} schema`);
    if (media.schema.$ref) return media.schema.$ref;
    const base = resp.$ref || '#/' + ['paths', p, method, 'responses', status].map(escape).join('/');
    return `${base}/content/${escape(type)}/schema`;
}

function explain(v) {
    // one line per distinct problem ("/items/7/x" and "/items/9/x" are one)
    const seen = new Set();
    for (const e of v.errors || []) seen.add(`${e.instancePath.replace(/\/items\/\d+/, '/items/*') || '/'} ${e.message} ${JSON.stringify(e.params)}`);
    return [...seen].slice(0, 8).join('\n  ');
}

// Asserts that answer r of operation (p, method) validates against the
// schema documented for its status and content type.
function conforms(r, p, method, what) {
    const type = (r.headers.get('content-type') || '').split(';')[0].trim();
    const ptr = responsePointer(p, method, r.status, type);
    const v = validator(ptr);
    if (!v(r.body))
        assert.fail(`${what}: ${method.toUpperCase()} ${p} ${r.status} does not match ${ptr}:\n  ${explain(v)}`);
}

before(async () => {
    srv = await startServer({ demo: true });
    admin = api(srv.url);
    anon = api(srv.url, { anonymous: true });
    const d = await anon.get('/api/v1/openapi.json');
    assert.equal(d.status, 200, d.text);
    doc = d.body;
    ajv = makeAjv();
    roles = (await admin.all('roles')).filter((r) => r.builtin);
    const meta = (await admin.get('/api/v1/meta')).body;
    collections = m.collectionsOf(meta, doc);
    clients.set('admin', admin);
    await m.pool(roles.filter((r) => r.code !== 'admin'), 4, async (r) => {
        clients.set(r.code, await m.signIn(srv.url, { username: r.code, password: m.DEMO_PASSWORD }));
    });
});

after(async () => {
    if (srv) await srv.stop();
});

test('the document passes the Redocly linter with its recommended rules, without a warning', async () => {
    const redocly = await import('@redocly/openapi-core');
    const config = await redocly.loadConfig({ configPath: path.join(ROOT, 'redocly.yaml') });
    const problems = await redocly.lintFromString({
        source: JSON.stringify(doc, null, 1),
        absoluteRef: path.join(ROOT, 'openapi.json'),
        config,
    });
    const lines = problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location.map((l) => l.pointer).join(', ')}`);
    assert.deepEqual(lines.slice(0, 20), [], `${problems.length} problems`);
    // and the linter does report a defect: a document without servers and security schemes
    const broken = { ...doc, servers: undefined, components: { ...doc.components, securitySchemes: undefined } };
    const found = await redocly.lintFromString({ source: JSON.stringify(broken), absoluteRef: path.join(ROOT, 'broken.json'), config });
    assert.ok(found.some((p) => p.ruleId === 'security-defined'), 'a document without security schemes is flagged');
    assert.ok(found.some((p) => p.ruleId === 'no-empty-servers'), 'a document without servers is flagged');
});

test('who may call: public operations have security [], every other one documents 401 and 403', () => {
    assert.ok(Array.isArray(doc.servers) && doc.servers.length > 0, 'servers');
    const schemes = doc.components.securitySchemes;
    assert.deepEqual(schemes.session, schemes.session && { ...schemes.session, type: 'apiKey', in: 'cookie', name: 'bureau_session' });
    assert.deepEqual(schemes.csrf, schemes.csrf && { ...schemes.csrf, type: 'apiKey', in: 'header', name: 'X-CSRF-Token' });
    assert.equal(schemes.bearer.type, 'http');
    assert.equal(schemes.bearer.scheme, 'bearer');
    assert.deepEqual(doc.security, [{ session: [] }, { bearer: [] }]);
    const publics = new Set();
    let n = 0;
    for (const [p, item] of Object.entries(doc.paths))
        for (const method of METHODS) {
            const op = item[method];
            if (!op) continue;
            n++;
            const name = `${method.toUpperCase()} ${p}`;
            const sec = op.security || doc.security || [];
            if (sec.length === 0) {
                publics.add(name);
                continue;
            }
            for (const s of ['401', '403']) assert.ok(op.responses[s], `${name} does not document ${s}`);
            const mutation = method !== 'get' && method !== 'head';
            const want = mutation ? [{ session: [], csrf: [] }, { bearer: [] }] : [{ session: [] }, { bearer: [] }];
            assert.deepEqual(sec, want, `${name}: security`);
        }
    assert.deepEqual([...publics].sort(), [...PUBLIC].sort());
    assert.ok(n > 300, `${n} operations`);
    for (const p of ['/api/v1/session', '/api/v1/session/password'])
        assert.ok(operation(p, 'post').responses['429'], `POST ${p} documents 429`);
    assert.ok(operation('/api/v1/session', 'post').responses['401'], 'a wrong password is 401');
});

test('what the document says is public answers anonymous callers; the rest answers them 401 as documented', async () => {
    let checked = 0;
    for (const [p, item] of Object.entries(doc.paths)) {
        const op = item.get;
        if (!op || p.includes('{')) continue;
        const r = await anon.get(p);
        const pub = (op.security || doc.security || []).length === 0;
        if (pub) {
            assert.notEqual(r.status, 401, `GET ${p} is public: ${m.show(r)}`);
        } else {
            assert.equal(r.status, 401, `GET ${p} anonymously: ${m.show(r)}`);
            conforms(r, p, 'get', 'anonymous');
        }
        checked++;
    }
    assert.ok(checked > 100, `${checked} GET operations`);
});

test('lists and records validate against the document for every built-in role', async () => {
    let lists = 0, items = 0, records = 0;
    const failures = [];
    for (const role of roles) {
        const c = clients.get(role.code);
        const readable = collections.filter((col) => m.scopeOf(role.permissions, col.name, col.module, 'read') !== 'none');
        await m.pool(readable, 4, async (col) => {
            const what = `${role.code} on ${col.name}`;
            try {
                const schema = deref(doc.components.schemas[col.name.split('_').map((w) => w[0].toUpperCase() + w.slice(1)).join('')]);
                assert.ok(schema && schema['x-collection'] === col.name, `${what}: no record schema`);
                const hidden = new Set(m.hiddenOf(role, col));
                const want = Object.keys(schema.properties).filter((k) => !hidden.has(k)).sort();
                const list = await c.get(`/api/v1/${col.name}?limit=${PAGE}`);
                assert.equal(list.status, 200, `${what}: ${m.show(list)}`);
                conforms(list, `/api/v1/${col.name}`, 'get', what);
                lists++;
                items += list.body.items.length;
                for (const it of list.body.items)
                    assert.deepEqual(Object.keys(it).sort(), want, `${what}: the keys of record ${it.id}`);
                const first = list.body.items[0];
                if (first) {
                    const one = await c.get(`/api/v1/${col.name}/${first.id}`);
                    assert.equal(one.status, 200, `${what} ${first.id}: ${m.show(one)}`);
                    conforms(one, `/api/v1/${col.name}/{id}`, 'get', `${what} ${first.id}`);
                    assert.deepEqual(one.body, first, `${what}: the record ${first.id} as listed`);
                    records++;
                }
            } catch (e) {
                failures.push(e.message);
            }
        });
    }
    assert.deepEqual(failures, []);
    assert.ok(lists > 150 && items > 2000 && records > 150, `${lists} lists, ${items} items, ${records} records`);
    // the staff's people leave out the phone, which the document therefore may not require
    const people = (await clients.get('staff').get('/api/v1/people?limit=5')).body.items;
    assert.ok(people.length > 0 && people.every((p) => !('phone' in p)), 'staff do not see phones');
    assert.ok(!(doc.components.schemas.People.required || []).includes('phone'));
});

test('system fields: always sent, created_by null for rows the server made', () => {
    const s = doc.components.schemas.Departments;
    assert.deepEqual([...s.required].sort(), ['created_at', 'created_by', 'id', 'updated_at', 'version']);
    const v = validator('#/components/schemas/Departments');
    const row = { id: 1, version: 1, created_at: '2026-01-01T08:00:00+08:00', updated_at: '2026-01-01T08:00:00+08:00', created_by: null };
    assert.ok(v(row), explain(v));
    assert.ok(!v({ ...row, created_by: 'x' }), 'created_by is an id or null');
    assert.ok(!v({ ...row, id: undefined }), 'id is required');
});

test('decimals: no multipleOf (a float check refuses 2.34 for 0.01), the scale in x-scale', () => {
    const text = JSON.stringify(doc);
    assert.ok(!text.includes('"multipleOf"'), 'no multipleOf anywhere');
    const area = doc.components.schemas.Rooms.properties.area_m2;
    assert.equal(area['x-scale'], 2);
    assert.match(area.description, /2 places/);
    const v = validator('#/components/schemas/Rooms/properties/area_m2');
    for (const x of [2.34, 0.07, 12.3, 1e3, 54]) assert.ok(v(x), `${x}: ${v.errors && explain(v)}`);
    assert.ok(!v('2.34'), 'a string is no decimal');
});

test('the problem schema: key and params are required, on the problem and on each field error', () => {
    const v = validator('#/components/schemas/Problem');
    const item = { field: 'vehicle_id', message: 'busy', key: 'fleet.dispatch.seats', params: { seats: 5, need: 7 } };
    const keyed = { type: 'https://bureau.invalid/errors/BUR-408', title: 'conflict', status: 409, code: 'BUR-408',
                    detail: 'the vehicle is busy', key: 'fleet.dispatch.vehicle_busy', params: { plate: '京A·12345', request: 7 },
                    errors: [item] };
    assert.ok(v(keyed), explain(v));
    const { key, ...nokey } = keyed;
    assert.ok(key && !v(nokey), 'a problem without its key');
    assert.ok(!v({ ...keyed, errors: [{ field: 'x', message: 'y' }] }), 'a field error without its key');
    assert.ok(!v({ ...keyed, key: 7 }), 'key is a string');
    assert.ok(!v({ ...keyed, params: [] }), 'params is an object');
    assert.ok(!v({ ...keyed, errors: [{ ...item, params: 'z' }] }), 'an item\'s params is an object');
    for (const k of ['key', 'params']) {
        assert.ok(doc.components.schemas.Problem.required.includes(k));
        assert.ok(doc.components.schemas.FieldError.required.includes(k));
    }
});

test('error answers validate against the documented problem schema of their operation', async () => {
    const staff = clients.get('staff');
    const cases = [
        ['anonymous list', await anon.get('/api/v1/people'), '/api/v1/people', 'get', 401],
        ['a token that is no token', await api(srv.url, { token: 'bureau_not-a-token' }).get('/api/v1/people/1'), '/api/v1/people/{id}', 'get', 401],
        ['anonymous create', await anon.post('/api/v1/departments', { name: 'x' }), '/api/v1/departments', 'post', 401],
        ['a collection the role may not read', await staff.get('/api/v1/users'), '/api/v1/users', 'get', 403],
        ['a record of it', await staff.get('/api/v1/users/1'), '/api/v1/users/{id}', 'get', 403],
        ['a change without the CSRF header', await admin.post('/api/v1/departments', { name: 'x' }, { csrf: false }), '/api/v1/departments', 'post', 403],
        ['no such record', await admin.get('/api/v1/people/999999999'), '/api/v1/people/{id}', 'get', 404],
        ['no such record to change', await admin.patch('/api/v1/people/999999999', { post: 'x' }), '/api/v1/people/{id}', 'patch', 404],
        ['invalid fields', await admin.post('/api/v1/departments', { name: '', kind: 'nope', headcount: 'many' }), '/api/v1/departments', 'post', 422],
        ['an unknown filter', await admin.get('/api/v1/people?nope=1'), '/api/v1/people', 'get', 400],
        ['a NUL in a filter', await admin.get('/api/v1/people?name=x%00zzz'), '/api/v1/people', 'get', 400],
        ['a filter that is not UTF-8', await admin.get('/api/v1/people?name=%FF'), '/api/v1/people', 'get', 400],
        ['a wrong password', await anon.post('/api/v1/session', { username: 'staff', password: 'Not-the-password-1' }), '/api/v1/session', 'post', 401],
    ];
    const keyRe = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;
    for (const [what, r, p, method, status] of cases) {
        assert.equal(r.status, status, `${what}: ${m.show(r)}`);
        assert.match(r.headers.get('content-type') || '', /^application\/problem\+json/, what);
        conforms(r, p, method, what);
        assert.match(r.body.key, keyRe, what);
        for (const it of r.body.errors) assert.match(it.key, keyRe, `${what}: ${it.field}`);
    }
});

// last: it locks a username out of signing in
test('too many failed sign-ins: 429 as documented', async () => {
    let r;
    for (let i = 0; i < 6; i++) {
        r = await anon.post('/api/v1/session', { username: 'nobody.at.all', password: `Wrong-password-${i}` });
        if (r.status === 429) break;
        assert.equal(r.status, 401, m.show(r));
    }
    assert.equal(r.status, 429, m.show(r));
    conforms(r, '/api/v1/session', 'post', 'locked out');
});
