// SPDX-License-Identifier: MIT
// web.test.js - what the browser UI stands on: the UI's files embedded in the
// binary (content, types, gzip variants, ETag revalidation, immutable vendor
// files, the CSP hash of the import map, nothing outside what index.html
// names), the same from disk with --web-dir, the caller's language kept on
// their user record (PATCH /api/v1/session), and the dashboard summaries
// counted within the caller's scope.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const { startServer, api, problem } = require('./lib/server');

const ROOT = path.resolve(__dirname, '..', '..');
const INDEX = fs.readFileSync(path.join(ROOT, 'web', 'index.html'));
const VENDOR = [...new Set(INDEX.toString().match(/"\/vendor\/[^"]+"/g).map((s) => s.slice(1, -1)))];
const DEMO_PASSWORD = 'Bureau-demo-2026';

let srv, admin;

// A raw GET (no automatic decompression): {status, headers, body: Buffer}.
function raw(base, p, headers = {}, method = 'GET') {
    return new Promise((resolve, reject) => {
        const req = http.request(base + p, { method, headers }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
        });
        req.on('error', reject);
        req.end();
    });
}

// "/vendor/@scope/name@1.2.3/dist/x.js" → node_modules/@scope/name/dist/x.js
function vendorFile(url) {
    const m = url.match(/^\/vendor\/((?:@[^/]+\/)?[^@/]+)@([^/]+)\/(.+)$/);
    assert.ok(m, url);
    return { pkg: m[1], version: m[2], file: path.join(ROOT, 'node_modules', m[1], m[3]) };
}

function importMapHash(html) {
    const m = html.toString().match(/<script type="importmap">([\s\S]*?)<\/script>/);
    assert.ok(m, 'index.html has an inline import map');
    return crypto.createHash('sha256').update(m[1]).digest('base64');
}

function webFiles(dir = path.join(ROOT, 'web'), base = '') {
    const out = [];
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        if (e.name.startsWith('.')) continue;
        if (e.isDirectory()) out.push(...webFiles(path.join(dir, e.name), `${base}/${e.name}`));
        else out.push(`${base}/${e.name}`);
    }
    return out;
}

before(async () => {
    srv = await startServer({ demo: true });
    admin = api(srv.url);
});

after(async () => {
    if (srv) await srv.stop();
});

test('GET / is the embedded index.html with a CSP that allows exactly its import map', async () => {
    const r = await raw(srv.url, '/');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
    assert.deepEqual(r.body, INDEX, 'the bytes of web/index.html');
    const csp = r.headers['content-security-policy'];
    assert.ok(csp.includes(`script-src 'self' 'sha256-${importMapHash(INDEX)}'`), csp);
    // no eval; compiling WebAssembly only (libsodium seals a supplier's bid in the page)
    assert.ok(!/(^|[\s'])unsafe-eval/.test(csp), `no eval: ${csp}`);
    assert.ok(/script-src [^;]*'wasm-unsafe-eval'/.test(csp), csp);
    assert.ok(/frame-ancestors 'none'/.test(csp), csp);
    assert.equal(r.headers['cache-control'], 'no-cache');
    assert.match(r.headers.etag, /^"[0-9a-f]{20}"$/);
    const same = await raw(srv.url, '/index.html');
    assert.deepEqual(same.body, INDEX);
    assert.equal(same.headers.etag, r.headers.etag);
});

test('a repeat visit revalidates: 304 without a body for a matching ETag', async () => {
    const first = await raw(srv.url, '/', { 'Accept-Encoding': 'gzip' });
    const again = await raw(srv.url, '/', { 'Accept-Encoding': 'gzip', 'If-None-Match': first.headers.etag });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    assert.equal(again.headers.etag, first.headers.etag);
    // the cached page keeps its own policy (browsers take the 304's headers)
    assert.equal(again.headers['content-security-policy'], first.headers['content-security-policy']);
    const stale = await raw(srv.url, '/', { 'If-None-Match': '"0000000000"' });
    assert.equal(stale.status, 200);
});

test('gzip variants are served to browsers that accept them, and decompress to the file', async () => {
    const plain = await raw(srv.url, '/');
    const gz = await raw(srv.url, '/', { 'Accept-Encoding': 'gzip, deflate, br' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(gz.headers.vary, 'Accept-Encoding');
    assert.deepEqual(zlib.gunzipSync(gz.body), INDEX);
    assert.notEqual(gz.headers.etag, plain.headers.etag, 'each encoding has its own validator');
    const refused = await raw(srv.url, '/', { 'Accept-Encoding': 'gzip;q=0, identity' });
    assert.equal(refused.headers['content-encoding'], undefined);
    assert.deepEqual(refused.body, INDEX);
});

test('every file of web/ is served with its content type', async () => {
    const types = { '.js': 'text/javascript; charset=utf-8', '.json': 'application/json', '.css': 'text/css; charset=utf-8',
        '.html': 'text/html; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png' };
    const files = webFiles();
    assert.ok(files.length >= 3, 'web/ has the UI');
    for (const f of files) {
        const r = await raw(srv.url, f);
        assert.equal(r.status, 200, f);
        assert.deepEqual(r.body, fs.readFileSync(path.join(ROOT, 'web', f)), f);
        const ext = path.extname(f);
        if (types[ext]) assert.equal(r.headers['content-type'], types[ext], f);
        assert.equal(r.headers['cache-control'], 'no-cache', f);
    }
});

test('vendor files index.html names: the installed version, cached for a year', async () => {
    assert.ok(VENDOR.length >= 3, `index.html names vendor files: ${VENDOR}`);
    for (const url of VENDOR) {
        const v = vendorFile(url);
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', v.pkg, 'package.json')));
        assert.equal(v.version, pkg.version, `${url} names the installed ${v.pkg}`);
        const r = await raw(srv.url, url, { 'Accept-Encoding': 'gzip' });
        assert.equal(r.status, 200, url);
        assert.equal(r.headers['cache-control'], 'public, max-age=31536000, immutable', url);
        const body = r.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(r.body) : r.body;
        assert.deepEqual(body, fs.readFileSync(v.file), url);
    }
    // the largest text files are compressed
    const big = VENDOR.filter((u) => fs.statSync(vendorFile(u).file).size > 100000);
    for (const url of big) {
        const r = await raw(srv.url, url, { 'Accept-Encoding': 'gzip' });
        assert.equal(r.headers['content-encoding'], 'gzip', url);
        assert.ok(r.body.length < fs.statSync(vendorFile(url).file).size / 2, `${url} compresses`);
    }
});

test('nothing beyond what the UI needs: other node_modules files, traversal, other methods', async () => {
    const v = vendorFile(VENDOR[0]);
    for (const p of [
        `/vendor/${v.pkg}@${v.version}/package.json`,
        `/vendor/${v.pkg}@0.0.0/${path.relative(path.join(ROOT, 'node_modules', v.pkg), v.file)}`,
        '/../Makefile', '/%2e%2e/Makefile', '/web/index.html', '/node_modules/vue/package.json',
        '/index.html/', '/.gitignore', '/nothing.js',
    ]) {
        const r = await raw(srv.url, p);
        assert.equal(r.status, 404, p);
    }
    const post = await admin.post('/index.html', {});
    problem(assert, post, 405, 'BUR-105');
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
    // the API's namespace stays the API's: unknown paths there are 404 for any method
    problem(assert, await admin.post('/api/nothing', {}), 404, 'BUR-106');
    problem(assert, await admin.get('/api/v1/departments/1/x/y/z'), 404, 'BUR-106');
    problem(assert, await admin.get('/metrics/x'), 404, 'BUR-106');
    const head = await raw(srv.url, '/', {}, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    assert.equal(Number(head.headers['content-length']), INDEX.length);
});

test('--web-dir serves the UI from disk, changes showing without a rebuild', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bureau-web-'));
    const dir = path.join(tmp, 'web');
    fs.cpSync(path.join(ROOT, 'web'), dir, { recursive: true });
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(tmp, 'node_modules'));
    const s = await startServer({ args: ['--web-dir', dir] });
    try {
        const r = await raw(s.url, '/');
        assert.deepEqual(r.body, INDEX);
        assert.ok(r.headers['content-security-policy'].includes(importMapHash(INDEX)));
        const url = VENDOR[0];
        const vr = await raw(s.url, url);
        assert.equal(vr.status, 200, url);
        assert.deepEqual(vr.body, fs.readFileSync(vendorFile(url).file));
        assert.equal(vr.headers['cache-control'], 'public, max-age=31536000, immutable');
        assert.equal((await raw(s.url, `/vendor/${vendorFile(url).pkg}@1.0.0/package.json`)).status, 404);
        assert.equal((await raw(s.url, '/../Makefile')).status, 404);
        // an edit shows at once, with a new validator
        const f = webFiles()[0];
        const before1 = await raw(s.url, f);
        fs.appendFileSync(path.join(dir, f), '\n');
        const after1 = await raw(s.url, f);
        assert.equal(after1.body.length, before1.body.length + 1);
        assert.notEqual(after1.headers.etag, before1.headers.etag);
        assert.equal((await raw(s.url, f, { 'If-None-Match': after1.headers.etag })).status, 304);
    } finally {
        await s.stop();
        fs.rmSync(tmp, { recursive: true, force: true });
    }
});

test('the caller\'s language is kept on their user record, audited, and validated', async () => {
    const staff = api(srv.url, { username: 'staff', password: DEMO_PASSWORD });
    const login = await staff.login();
    assert.equal(login.user.locale, null, 'unset until chosen');
    const r = await staff.patch('/api/v1/session', { locale: 'en' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.locale, 'en');
    assert.equal(r.body.username, 'staff');
    assert.equal(typeof r.body.csrf, 'string');
    assert.equal((await staff.get('/api/v1/session')).body.locale, 'en');
    // a new sign-in brings it back
    assert.equal((await api(srv.url, { username: 'staff', password: DEMO_PASSWORD }).login()).user.locale, 'en');
    // audited as an update of the user, by the user
    const uid = login.user.id;
    const hist = await admin.get(`/api/v1/users/${uid}/history`);
    assert.equal(hist.status, 200, hist.text);
    const last = hist.body.filter((x) => x.action === 'update').pop();
    assert.ok(last, hist.text);
    assert.equal(last.actor, 'staff');
    assert.equal(last.after.locale, 'en');
    // bad input changes nothing
    problem(assert, await staff.patch('/api/v1/session', { locale: 'fr' }), 422, 'BUR-201', ['locale']);
    problem(assert, await staff.patch('/api/v1/session', { locale: 'en', role_id: 1 }), 422, 'BUR-201');
    problem(assert, await staff.patch('/api/v1/session', { locale: 7 }), 422, 'BUR-201', ['locale']);
    problem(assert, await staff.patch('/api/v1/session', '{"locale":', {}), 400, 'BUR-101');
    assert.equal((await staff.get('/api/v1/session')).body.locale, 'en');
    const rec = (await admin.get(`/api/v1/users/${uid}`)).body;
    assert.equal(rec.locale, 'en');
    assert.equal((await admin.get(`/api/v1/roles/${rec.role_id}`)).body.code, 'staff', 'the role stays');
    // cookie callers need the CSRF token; anonymous callers are refused
    problem(assert, await staff.patch('/api/v1/session', { locale: 'zh-CN' }, { csrf: false }), 403, 'BUR-302');
    problem(assert, await api(srv.url, { anonymous: true }).patch('/api/v1/session', { locale: 'en' }), 401, 'BUR-301');
    // null goes back to the tenant's default
    const back = await staff.patch('/api/v1/session', { locale: null });
    assert.equal(back.status, 200, back.text);
    assert.equal(back.body.locale, null);
});

test('dashboard summaries count what the caller may read, within their scope', async () => {
    const org = await admin.get('/api/v1/summary/org');
    assert.equal(org.status, 200, org.text);
    assert.equal(org.body.module, 'org');
    const counts = org.body.cards.find((c) => c.id === 'counts');
    assert.equal(counts.kind, 'counts');
    assert.equal(counts.zh, '记录数');
    const by = Object.fromEntries(counts.items.map((i) => [i.collection, i]));
    assert.equal(by.people.count, (await admin.all('people')).length);
    assert.equal(by.departments.count, (await admin.all('departments')).length);
    assert.equal(by.people.zh, '人员');
    // staff read the people of their own department only, and no identity collection
    const staff = api(srv.url, { username: 'staff', password: DEMO_PASSWORD });
    const sorg = await staff.get('/api/v1/summary/org');
    assert.equal(sorg.status, 200, sorg.text);
    const sby = Object.fromEntries(sorg.body.cards.find((c) => c.id === 'counts').items.map((i) => [i.collection, i]));
    const mine = await staff.all('people');
    assert.equal(sby.people.count, mine.length);
    assert.ok(sby.people.count < by.people.count, 'a department, not the tenant');
    assert.equal(sby.tenants, undefined, 'staff cannot read tenants');
    const sid = await staff.get('/api/v1/summary/identity');
    assert.equal(sid.status, 200);
    assert.deepEqual(sid.body.cards, []);
    problem(assert, await admin.get('/api/v1/summary/nothing'), 404, 'BUR-106');
    problem(assert, await api(srv.url, { anonymous: true }).get('/api/v1/summary/org'), 401, 'BUR-301');
});

test('meta and OpenAPI revalidate: a repeat visit gets 304, another caller its own validator', async () => {
    for (const p of ['/api/v1/meta', '/api/v1/openapi.json']) {
        const first = await admin.get(p);
        assert.equal(first.status, 200);
        const etag = first.headers.get('etag');
        assert.match(etag, /^"m[0-9a-f]{24}"$/);
        assert.equal(first.headers.get('cache-control'), 'private, no-cache');
        const again = await admin.get(p, { headers: { 'If-None-Match': etag } });
        assert.equal(again.status, 304, p);
        assert.equal(again.bytes.length, 0);
        assert.equal((await admin.get(p, { headers: { 'If-None-Match': '"m0"' } })).status, 200);
    }
    const staff = api(srv.url, { username: 'staff', password: DEMO_PASSWORD });
    const mine = await staff.get('/api/v1/meta');
    assert.notEqual(mine.headers.get('etag'), (await admin.get('/api/v1/meta')).headers.get('etag'), 'what each may do differs');
});
