// SPDX-License-Identifier: MIT
// core.test.js - health, metrics, keep-alive, response headers, routing.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { startServer, api, problem, IS_PG } = require('./lib/server');

let srv, a;
before(async () => {
    srv = await startServer();
    a = api(srv.url);
});
after(async () => {
    if (srv) await srv.stop();
});

test('health answers 200 with status ok and the backend', async () => {
    const r = await a.get('/api/health');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^application\/json/);
    assert.equal(r.body.status, 'ok');
    assert.equal(r.body.database, IS_PG ? 'postgresql' : 'sqlite');
});

test('every response carries the security headers and a request id', async () => {
    for (const p of ['/api/health', '/api/v1/ranks?limit=1', '/api/v1/nope']) {
        const r = await a.get(p);
        const h = r.headers;
        assert.equal(h.get('x-content-type-options'), 'nosniff', p);
        assert.equal(h.get('x-frame-options'), 'DENY', p);
        assert.equal(h.get('referrer-policy'), 'no-referrer', p);
        assert.match(h.get('content-security-policy') || '', /default-src 'none'/, p);
        assert.equal(h.get('cache-control'), 'no-store', p);
        assert.match(h.get('x-request-id') || '', /^[A-Za-z0-9_-]{8,}$/, p);
    }
});

test('X-Request-Id: a well-formed one is echoed, a bad one replaced, problems name it', async () => {
    let r = await a.get('/api/health', { headers: { 'X-Request-Id': 'trace-abc_123' } });
    assert.equal(r.headers.get('x-request-id'), 'trace-abc_123');
    r = await a.get('/api/health', { headers: { 'X-Request-Id': 'bad id; <script>' } });
    assert.notEqual(r.headers.get('x-request-id'), 'bad id; <script>');
    assert.match(r.headers.get('x-request-id'), /^[A-Za-z0-9_-]+$/);
    r = await a.get('/api/v1/nope', { headers: { 'X-Request-Id': 'trace-404' } });
    assert.equal(r.status, 404);
    assert.equal(r.body.instance, 'trace-404');
    // two requests get different ids
    const r1 = await a.get('/api/health');
    const r2 = await a.get('/api/health');
    assert.notEqual(r1.headers.get('x-request-id'), r2.headers.get('x-request-id'));
});

// Prometheus text: [{name, labels: {k: v}, value}]
function parseMetrics(text) {
    const out = [];
    for (const line of text.split('\n')) {
        if (!line || line.startsWith('#')) continue;
        const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
        assert.ok(m, `not a metric line: ${line}`);
        const labels = {};
        if (m[2]) for (const l of m[2].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
        out.push({ name: m[1], labels, value: Number(m[3]) });
    }
    return out;
}

function requests(ms, route, status) {
    return ms.filter((x) => x.name === 'bureau_http_requests_total' && x.labels.route === route && x.labels.status === String(status))
        .reduce((s, x) => s + x.value, 0);
}

test('metrics: request counter by route and status, latency histogram', async () => {
    await a.get('/api/health');
    await a.get('/api/v1/departments');
    await a.get('/api/v1/departments/999999');
    const r = await a.get('/metrics');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/plain/);
    const t = r.body;
    assert.match(t, /# TYPE bureau_http_requests_total counter/);
    const ms = parseMetrics(t);
    const health = requests(ms, '/api/health', 200);
    assert.ok(health >= 1, t);
    assert.ok(requests(ms, '/api/v1/{collection}', 200) >= 1, t);
    assert.ok(requests(ms, '/api/v1/{collection}/{id}', 404) >= 1, t);
    for (const x of ms.filter((m) => m.name === 'bureau_http_requests_total'))
        assert.ok(!/\d{3,}/.test(x.labels.route.replace(/^\/api\/v1\//, '')) || x.labels.route === 'unmatched',
                  `a route label holds an id, labels would grow without bound: ${x.labels.route}`);
    assert.match(t, /# TYPE bureau_http_request_duration_seconds histogram/);
    const buckets = ms.filter((m) => m.name === 'bureau_http_request_duration_seconds_bucket');
    assert.ok(buckets.length >= 5, 'histogram buckets');
    const inf = buckets.filter((b) => b.labels.le === '+Inf');
    assert.ok(inf.length >= 1, 'a +Inf bucket');
    // per series (labels other than le): cumulative, ending in +Inf == _count
    const series = new Map();
    for (const b of buckets) {
        const { le, ...rest } = b.labels;
        const k = JSON.stringify(rest);
        if (!series.has(k)) series.set(k, []);
        series.get(k).push(b);
    }
    for (const [k, bs] of series) {
        for (let i = 1; i < bs.length; i++) assert.ok(bs[i].value >= bs[i - 1].value, `buckets are cumulative ${k}`);
        assert.equal(bs[bs.length - 1].labels.le, '+Inf');
        const cnt = ms.find((m) => m.name === 'bureau_http_request_duration_seconds_count' && JSON.stringify(m.labels) === k);
        assert.ok(cnt, `a _count for ${k}`);
        assert.equal(cnt.value, bs[bs.length - 1].value, '+Inf bucket equals count');
    }
    assert.ok(ms.some((m) => m.name === 'bureau_http_request_duration_seconds_sum'));
    // the counter moves
    await a.get('/api/health');
    const ms2 = parseMetrics((await a.get('/metrics')).body);
    assert.ok(requests(ms2, '/api/health', 200) > health);
});

function get(agent, port, p, { method = 'GET', body, auth = {} } = {}) {
    return new Promise((resolve, reject) => {
        const headers = { ...auth };
        if (body) Object.assign(headers, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
        const req = http.request({ host: '127.0.0.1', port, path: p, method, agent, headers }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () =>
                resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString(), socket: req.socket, reused: req.reusedSocket }));
        });
        req.on('error', reject);
        if (body) req.write(body);
        req.end();
    });
}

test('keep-alive holds: sequential requests reuse one connection', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    // a signed-in caller's connection: the session cookie and the CSRF token on every request
    const auth = await a.headers();
    assert.ok(auth.Cookie, 'signed in');
    try {
        const res = [];
        const paths = [
            ['/api/health'],
            ['/api/v1/ranks?limit=2'],
            ['/api/v1/departments', { method: 'POST', body: JSON.stringify({ name: 'keep-alive dept' }) }],
            ['/api/v1/departments/99999999'],
            ['/api/v1/departments', { method: 'POST', body: '{"name": ' }],
            ['/api/health'],
        ];
        for (const [p, o] of paths) res.push(await get(agent, srv.port, p, { ...o, auth }));
        assert.deepEqual(res.map((r) => r.status), [200, 200, 201, 404, 400, 200]);
        for (const [i, r] of res.entries()) {
            assert.notEqual((r.headers.connection || '').toLowerCase(), 'close', `request ${i} asked to close`);
            if (i > 0) {
                assert.equal(r.reused, true, `request ${i} did not reuse the socket`);
                assert.equal(r.socket, res[0].socket, `request ${i} used another socket`);
            }
        }
    } finally {
        agent.destroy();
    }
});

test('unknown paths and collections are 404 problems', async () => {
    let r = await a.get('/api/v1/nope');
    problem(assert, r, 404, 'BUR-106');
    r = await a.get('/api/v1/nope/1');
    problem(assert, r, 404, 'BUR-106');
    r = await a.post('/api/v1/nope', { name: 'x' });
    problem(assert, r, 404, 'BUR-106');
    r = await a.get('/nothing/here');
    problem(assert, r, 404, 'BUR-106');
    r = await a.get('/api/v1/departments/1/2/3/4/5/6/7/8/9');
    assert.equal(r.status, 404);
});

test('unknown or non-numeric ids are 404', async () => {
    for (const id of ['999999', 'abc', '0', '-1', '1.5', '1e3', '99999999999999999999999']) {
        const r = await a.get(`/api/v1/departments/${id}`);
        problem(assert, r, 404, 'BUR-107');
        const d = await a.del(`/api/v1/departments/${id}`);
        problem(assert, d, 404, 'BUR-107');
        const p = await a.patch(`/api/v1/departments/${id}`, { name: 'x' });
        problem(assert, p, 404, 'BUR-107');
    }
});

test('a method the path does not take is a 405 problem', async () => {
    let r = await a.del('/api/health');
    problem(assert, r, 405, 'BUR-105');
    assert.match(r.headers.get('allow') || '', /GET/);
    r = await a.put('/api/v1/departments', { name: 'x' });
    problem(assert, r, 405, 'BUR-105');
    r = await a.request('OPTIONS', '/api/v1/ranks');
    assert.equal(r.status, 405);
});

test('405 names the methods the path takes in Allow (RFC 9110)', async () => {
    const c = await a.post('/api/v1/departments', { name: 'allow test' });
    assert.equal(c.status, 201);
    const want = [
        [`/api/v1/departments`, ['GET', 'POST']],
        [`/api/v1/departments/${c.body.id}`, ['GET', 'PATCH', 'DELETE']],
    ];
    for (const [p, methods] of want) {
        const r = await a.put(p, { name: 'x' });
        problem(assert, r, 405, 'BUR-105');
        const allow = (r.headers.get('allow') || '').split(/\s*,\s*/);
        for (const m of methods)
            assert.ok(allow.includes(m), `PUT ${p}: Allow: ${r.headers.get('allow')} lacks ${m}`);
    }
});

test('HEAD is answered like GET without a body', async () => {
    const res = await fetch(srv.url + '/api/health', { method: 'HEAD' });
    assert.equal(res.status, 200);
    assert.equal((await res.text()).length, 0);
});

test('openapi.json: OpenAPI 3.1 with every collection, resolvable $refs, unique operation ids', async () => {
    const r = await a.get('/api/v1/openapi.json');
    assert.equal(r.status, 200);
    const doc = r.body;
    assert.match(doc.openapi, /^3\.1\./);
    for (const c of ['tenants', 'departments', 'ranks', 'people'])
        for (const p of [`/api/v1/${c}`, `/api/v1/${c}/{id}`, `/api/v1/${c}.csv`, `/api/v1/${c}.xlsx`, `/api/v1/${c}/import`])
            assert.ok(doc.paths[p], `no path ${p}`);
    assert.ok(doc.paths['/api/v1/departments'].get && doc.paths['/api/v1/departments'].post);
    assert.ok(doc.paths['/api/v1/departments/{id}'].patch && doc.paths['/api/v1/departments/{id}'].delete);
    const ids = [];
    for (const item of Object.values(doc.paths))
        for (const op of Object.values(item)) if (op && op.operationId) ids.push(op.operationId);
    assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
    const refs = [];
    (function walk(x) {
        if (Array.isArray(x)) x.forEach(walk);
        else if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) k === '$ref' ? refs.push(v) : walk(v);
    })(doc);
    assert.ok(refs.length > 0);
    for (const ref of new Set(refs)) {
        assert.match(ref, /^#\//);
        let node = doc;
        for (const part of ref.slice(2).split('/')) node = node && node[part.replace(/~1/g, '/').replace(/~0/g, '~')];
        assert.ok(node, `unresolved $ref ${ref}`);
    }
});

test('openapi.json: each filter parameter documents its own operators', async () => {
    const doc = (await a.get('/api/v1/openapi.json')).body;
    const params = doc.paths['/api/v1/departments'].get.parameters.map((p) => p.$ref
        ? p.$ref.slice(2).split('/').reduce((n, k) => n[k], doc) : p);
    for (const name of ['kind', 'headcount', 'name', 'parent_id']) {
        const p = params.find((x) => x.name === name);
        assert.ok(p, `no ${name} parameter`);
        assert.ok(p.description.includes(`${name}[op]=value`), `${name}: ${p.description}`);
        assert.ok(!p.description.includes(`equals${name}`), `${name}: ${p.description}`);
    }
});

test('meta: collections, fields and what the caller may do', async () => {
    const r = await a.get('/api/v1/meta');
    assert.equal(r.status, 200);
    const byName = Object.fromEntries(r.body.collections.map((c) => [c.name, c]));
    for (const c of ['tenants', 'departments', 'ranks', 'people']) assert.ok(byName[c], c);
    const name = byName.departments.fields.find((f) => f.name === 'name');
    assert.equal(name.required, true);
    assert.equal(name.zh, '名称');
    const kind = byName.departments.fields.find((f) => f.name === 'kind');
    assert.ok(JSON.stringify(kind).includes('street'), 'enum values are listed');
    // what the caller may do is per caller now (docs/security.md): caller.can lists verbs
    assert.equal(byName.tenants.no_delete, true, 'tenants cannot be deleted');
    assert.equal(byName.departments.no_delete, false);
    const caller = r.body.caller;
    assert.ok(caller, 'meta has a caller part');
    assert.equal(caller.user.username, 'admin');
    assert.equal(caller.user.role, 'admin');
    assert.ok(!caller.can.tenants.includes('delete'), `tenants cannot be deleted: ${JSON.stringify(caller.can.tenants)}`);
    for (const v of ['read', 'create', 'update', 'delete', 'export', 'import'])
        assert.ok(caller.can.departments.includes(v), `admin may ${v} departments: ${JSON.stringify(caller.can.departments)}`);
});

// Tenant scoping (a record of another tenant is invisible) is tested in tenancy.test.js.
