// SPDX-License-Identifier: MIT
// files.test.js - uploaded photos: checked by their content, at most 5 MB,
// kept once per content outside the database under a name of their own,
// readable by their uploader (and by roles that read every file), audited,
// and never writable through the generic collection API.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { startServer, api, problem } = require('./lib/server');

const DEMO_PASSWORD = 'Bureau-demo-2026';
let srv, admin, staff, liaison;

// The first bytes of each image type, then filler: what the server checks.
function jpeg(n = 2048, seed = 1) {
    const b = Buffer.alloc(n, seed);
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]).copy(b);
    b[n - 2] = 0xff;
    b[n - 1] = 0xd9;
    return b;
}
function png(n = 1024) {
    const b = Buffer.alloc(n, 7);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]).copy(b);
    return b;
}
function webp(n = 1024) {
    const b = Buffer.alloc(n, 3);
    b.write('RIFF', 0, 'latin1');
    b.writeUInt32LE(n - 8, 4);
    b.write('WEBPVP8 ', 8, 'latin1');
    return b;
}
const sha = (b) => crypto.createHash('sha256').update(b).digest('hex');

// The head of an upload whose Content-Length is over the limit; the answer.
function oversize(port, length, auth) {
    return new Promise((resolve, reject) => {
        const sock = net.connect(port, '127.0.0.1');
        let data = '';
        sock.setEncoding('latin1');
        sock.on('error', () => {}); // a reset after the answer is fine
        sock.on('data', (c) => {
            data += c;
            const m = /^HTTP\/1\.1 (\d{3})[^]*?\r\n\r\n/.exec(data);
            if (m) {
                sock.destroy();
                resolve({ status: Number(m[1]), head: m[0] });
            }
        });
        sock.on('close', () => reject(new Error(`closed without an answer: ${data.slice(0, 200)}`)));
        const extra = Object.entries(auth).map(([k, v]) => `${k}: ${v}\r\n`).join('');
        sock.write(`POST /api/v1/files/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/jpeg\r\n${extra}` +
                   `Content-Length: ${length}\r\n\r\n`);
    });
}

function upload(client, body, type, name) {
    const q = name === undefined ? '' : `?name=${encodeURIComponent(name)}`;
    return client.post(`/api/v1/files/upload${q}`, body, { contentType: type });
}

before(async () => {
    srv = await startServer({ demo: true });
    admin = api(srv.url);
    staff = api(srv.url, { username: 'staff', password: DEMO_PASSWORD });
    liaison = api(srv.url, { username: 'liaison', password: DEMO_PASSWORD });
});

after(async () => {
    if (srv) await srv.stop();
});

test('JPEG, PNG and WebP uploads are kept and described', async () => {
    for (const [body, type, name] of [[jpeg(), 'image/jpeg', '空调漏水.jpg'], [png(), 'image/png', 'a.png'], [webp(), 'image/webp', 'b.webp']]) {
        const r = await upload(staff, body, type, name);
        assert.equal(r.status, 201, r.text);
        assert.equal(r.body.content_type, type);
        assert.equal(r.body.size, body.length);
        assert.equal(r.body.sha256, sha(body));
        assert.equal(r.body.name, name);
        assert.equal(r.body.collection, null);
        assert.equal(r.headers.get('location'), `/api/v1/files/${r.body.id}/content`);
        // kept outside the database, named by its content
        const disk = path.join(srv.dbDir, 'files', '1', r.body.sha256.slice(0, 2), r.body.sha256);
        assert.deepEqual(fs.readFileSync(disk), body);
        // read back by its uploader
        const got = await staff.fetch(`/api/v1/files/${r.body.id}/content`);
        assert.equal(got.status, 200);
        assert.equal(got.headers.get('content-type'), type);
        assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
        assert.match(got.headers.get('content-security-policy'), /sandbox/);
        assert.match(got.headers.get('content-disposition'), /^inline; filename\*=UTF-8''/);
        assert.deepEqual(Buffer.from(await got.arrayBuffer()), body);
        const again = await staff.fetch(`/api/v1/files/${r.body.id}/content`, { headers: { 'If-None-Match': got.headers.get('etag') } });
        assert.equal(again.status, 304);
    }
});

test('the same content twice: two records, one copy on disk', async () => {
    const body = jpeg(4096, 9);
    const a = await upload(staff, body, 'image/jpeg');
    const b = await upload(staff, body, 'image/jpeg');
    assert.equal(a.status, 201);
    assert.equal(b.status, 201);
    assert.notEqual(a.body.id, b.body.id);
    assert.equal(a.body.name, 'photo.jpg', 'a name when none is given');
    const dir = path.join(srv.dbDir, 'files', '1', a.body.sha256.slice(0, 2));
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.startsWith(a.body.sha256) || f.startsWith('.')), [a.body.sha256]);
});

test('refused: other content, a type it is not, empty, over 5 MB; nothing is kept', async () => {
    const count = async () => (await admin.all('files')).length;
    const n0 = await count();
    const gif = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(100)]);
    for (const [body, type] of [
        [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/svg+xml'],
        [gif, 'image/gif'],
        [gif, 'image/jpeg'], // says JPEG, is not
        [jpeg(), 'image/png'], // a JPEG sent as PNG
        [Buffer.alloc(0), 'image/jpeg'],
        [jpeg(5 * 1024 * 1024 + 1), 'image/jpeg'],
    ]) {
        const r = await upload(staff, body, type);
        problem(assert, r, 422, 'BUR-201', ['file']);
    }
    // beyond the upload body limit (16 MiB): refused from the head, before the body is read
    const huge = await oversize(srv.port, 17 * 1024 * 1024, await staff.headers());
    assert.equal(huge.status, 413, huge.head);
    assert.equal(await count(), n0);
});

test('a name is kept without paths or control characters', async () => {
    const r = await upload(staff, jpeg(), 'image/jpeg', '../../etc/passwd\r\n.jpg');
    assert.equal(r.status, 201, r.text);
    assert.ok(!r.body.name.includes('/'), r.body.name);
    assert.ok(!/[\r\n]/.test(r.body.name), r.body.name);
    const long = await upload(staff, jpeg(), 'image/jpeg', '照'.repeat(300) + '.jpg');
    assert.equal(long.status, 201, long.text);
    assert.equal([...long.body.name].length, 200);
});

test('an unattached upload is its uploader\'s alone; admins read every file', async () => {
    const r = await upload(staff, jpeg(3000, 4), 'image/jpeg');
    assert.equal(r.status, 201);
    const other = await liaison.fetch(`/api/v1/files/${r.body.id}/content`);
    assert.equal(other.status, 404, 'not even its existence');
    assert.equal((await admin.fetch(`/api/v1/files/${r.body.id}/content`)).status, 200);
    problem(assert, await staff.get('/api/v1/files'), 403, 'BUR-302');
    problem(assert, await api(srv.url, { anonymous: true }).post('/api/v1/files/upload', jpeg(), { contentType: 'image/jpeg' }), 401, 'BUR-301');
    assert.equal((await staff.fetch('/api/v1/files/999999/content')).status, 404);
});

test('the collection is the server\'s: no generic writes; uploads are audited', async () => {
    const r = await upload(admin, png(2000), 'image/png');
    const id = r.body.id;
    problem(assert, await admin.patch(`/api/v1/files/${id}`, { name: 'x.png' }), 405, 'BUR-105');
    problem(assert, await admin.del(`/api/v1/files/${id}`), 405, 'BUR-105');
    problem(assert, await admin.post('/api/v1/files/import', 'name\nx\n', { contentType: 'text/csv' }), 405, 'BUR-105');
    problem(assert, await admin.post('/api/v1/files', { name: 'x.png' }), 405, 'BUR-105');
    const hist = await admin.get(`/api/v1/files/${id}/history`);
    assert.equal(hist.status, 200, hist.text);
    assert.equal(hist.body[0].action, 'create');
    assert.equal(hist.body[0].after.sha256, r.body.sha256);
});
