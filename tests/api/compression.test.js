// SPDX-License-Identifier: MIT
// Compression of JSON answers: gzip for answers of 1 KiB and more when the
// client accepts it (Vary: Accept-Encoding), the same JSON once inflated;
// small answers, clients that refuse gzip (q=0) or do not ask, and the
// embedded web files' own variants left as they were.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const zlib = require('node:zlib');
const { startServer, api } = require('./lib/server');

let srv;
test.before(async () => {
    srv = await startServer();
});
test.after(async () => {
    if (srv) await srv.stop();
});

// A raw GET (node:http never inflates): {status, headers, body: Buffer}.
function raw(path, headers = {}) {
    return new Promise((resolve, reject) => {
        const req = http.get(`${srv.url}${path}`, { headers }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
        });
        req.on('error', reject);
    });
}

test('a JSON answer over 1 KiB goes out gzipped to a client that accepts it, the same JSON inflated', async () => {
    const plain = await raw('/api/v1/meta');
    assert.equal(plain.status, 200);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.match(plain.headers.vary || '', /Accept-Encoding/);
    assert.ok(plain.body.length > 1024, `meta is ${plain.body.length} bytes`);

    const gz = await raw('/api/v1/meta', { 'Accept-Encoding': 'br, gzip, deflate' });
    assert.equal(gz.status, 200);
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.match(gz.headers.vary || '', /Accept-Encoding/);
    assert.match(gz.headers['content-type'], /^application\/json/);
    assert.equal(Number(gz.headers['content-length']), gz.body.length);
    assert.ok(gz.body.length * 2 < plain.body.length, `${gz.body.length} gzipped of ${plain.body.length}`);
    assert.deepEqual(JSON.parse(zlib.gunzipSync(gz.body)), JSON.parse(plain.body));
});

test('gzip;q=0, an unknown coding only, and small answers are sent as they are', async () => {
    for (const ae of ['gzip;q=0', 'identity', 'br', 'x-gzip-not']) {
        const r = await raw('/api/v1/meta', { 'Accept-Encoding': ae });
        assert.equal(r.status, 200);
        assert.equal(r.headers['content-encoding'], undefined, ae);
        JSON.parse(r.body);
    }
    const small = await raw('/api/health', { 'Accept-Encoding': 'gzip' });
    assert.ok(small.body.length < 1024, `health is ${small.body.length} bytes`);
    assert.equal(small.headers['content-encoding'], undefined);
});

test('a problem answer and a signed-in list are compressed alike, and fetch() reads them as JSON', async () => {
    const a = api(srv.url);
    for (let i = 0; i < 30; i++) {
        const r = await a.post('/api/v1/departments', { name: `压缩测试部门${i}`.padEnd(40, '部') });
        assert.equal(r.status, 201);
    }
    const list = await a.get('/api/v1/departments?limit=30');
    assert.equal(list.status, 200);
    assert.equal(list.headers.get('content-encoding'), 'gzip'); // fetch() asked for it and inflated it
    assert.equal(list.body.items.length, 30);
    const bad = await a.post('/api/v1/departments', { name: 'x'.repeat(3000) });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.errors[0].field, 'name');
});
