// SPDX-License-Identifier: MIT
// errors.test.js - bad input: malformed JSON, validation reporting every bad
// field at once, read-only fields, body limits, header limits (431),
// malformed chunked bodies, content types.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const net = require('node:net');
const { startServer, api, problem } = require('./lib/server');

let srv, a;
before(async () => {
    srv = await startServer();
    a = api(srv.url);
});
after(async () => {
    if (srv) await srv.stop();
});

async function count(collection) {
    return (await a.all(collection)).length;
}

function fields(r) {
    return r.body.errors.map((e) => e.field).sort();
}

test('malformed JSON is 400 BUR-101 with line and column', async () => {
    let r = await a.post('/api/v1/departments', '{\n  "name": "财务科",\n  "code": ,\n}');
    problem(assert, r, 400, 'BUR-101');
    assert.match(r.body.detail, /line 3, column \d+/);
    r = await a.post('/api/v1/departments', '{"name": "x"');
    problem(assert, r, 400, 'BUR-101');
    assert.match(r.body.detail, /line \d+, column \d+/);
    for (const body of ['', '[1,2]', '"x"', 'null', '{"name":"a","name":"b"}', '{"name":"a"} trailing',
                        "{'name': 'x'}"]) {
        r = await a.post('/api/v1/departments', body);
        problem(assert, r, 400, 'BUR-101');
        assert.match(r.body.detail, /line \d+, column \d+/, `body ${JSON.stringify(body)}: ${r.body.detail}`);
    }
    r = await a.post('/api/v1/departments', Buffer.from('{"name": "\xff\xfe"}', 'latin1'));
    problem(assert, r, 400, 'BUR-101');
});

test('JSON nested too deep or numbers too large are refused, and the server lives on', async () => {
    const deep = '{"name": ' + '['.repeat(100000) + ']'.repeat(100000) + '}';
    let r = await a.post('/api/v1/departments', deep);
    assert.ok(r.status === 400 || r.status === 422, `${r.status} ${r.text.slice(0, 200)}`);
    r = await a.post('/api/v1/departments', '{"name": "x", "headcount": 123456789012345678901234567890}');
    assert.ok(r.status === 400 || r.status === 422, r.text);
    r = await a.post('/api/v1/departments', '{"name": "x", "headcount": 1e400}');
    assert.ok(r.status === 400 || r.status === 422, r.text);
    assert.equal((await a.get('/api/health')).status, 200);
});

test('every bad field is reported in one 422 and nothing is stored', async () => {
    const before = await count('departments');
    const r = await a.post('/api/v1/departments', {
        name: 42,                // wrong type
        code: 'has spaces!',     // bad pattern
        kind: 'ministry',        // bad enum
        headcount: -5,           // below the minimum
        sort_order: 1000001,     // above the maximum
        active: 'yes',           // wrong type
        parent_id: 'one',        // wrong type
        colour: 'red',           // unknown field
    });
    problem(assert, r, 422, 'BUR-201');
    assert.deepEqual(fields(r), ['active', 'code', 'colour', 'headcount', 'kind', 'name', 'parent_id', 'sort_order']);
    for (const e of r.body.errors) assert.ok(e.message.length > 0, JSON.stringify(e));
    const msg = Object.fromEntries(r.body.errors.map((e) => [e.field, e.message]));
    assert.match(msg.colour, /unknown/);
    assert.match(msg.headcount, /at least 0/);
    assert.match(msg.sort_order, /at most 1000000/);
    assert.equal(await count('departments'), before, 'nothing stored');
});

test('validation of people: types, dates, pattern, lengths, all at once', async () => {
    const d = (await a.post('/api/v1/departments', { name: '办公室' })).body;
    const before = await count('people');
    const r = await a.post('/api/v1/people', {
        name: '张'.repeat(51),      // over max_len 50
        staff_no: 'S 01',           // bad pattern
        department_id: d.id,
        rank_id: 1.5,               // not an integer
        phone: 'call me',           // bad pattern
        union_member: 1,            // not a boolean
        joined_on: '2026-02-30',    // no such date
    });
    problem(assert, r, 422, 'BUR-201');
    assert.deepEqual(fields(r), ['joined_on', 'name', 'phone', 'rank_id', 'staff_no', 'union_member']);
    for (const bad of ['2026/01/01', '2026-1-1', '26-01-01', '2026-01-01T00:00:00+08:00', 20260101]) {
        const r2 = await a.post('/api/v1/people', { name: '李', department_id: d.id, joined_on: bad });
        problem(assert, r2, 422, 'BUR-201', ['joined_on']);
    }
    for (const bad of ['', 'a\u0001b']) {
        const r3 = await a.post('/api/v1/people', { name: bad, department_id: d.id });
        problem(assert, r3, 422, 'BUR-201', ['name']);
    }
    assert.equal(await count('people'), before, 'nothing stored');
    // the boundaries themselves are fine
    const ok = await a.post('/api/v1/people', { name: '张'.repeat(50), department_id: d.id, joined_on: '2024-02-29' });
    assert.equal(ok.status, 201, ok.text);
});

test('required fields missing are each reported', async () => {
    let r = await a.post('/api/v1/departments', {});
    problem(assert, r, 422, 'BUR-201', ['name']);
    assert.match(r.body.errors.find((e) => e.field === 'name').message, /required/);
    r = await a.post('/api/v1/people', { post: '科员' });
    problem(assert, r, 422, 'BUR-201', ['name', 'department_id']);
    r = await a.post('/api/v1/departments', { name: null });
    problem(assert, r, 422, 'BUR-201', ['name']);
});

test('read-only fields (id, version, created_at, updated_at) are refused', async () => {
    const before = await count('departments');
    let r = await a.post('/api/v1/departments', {
        name: 'ro', id: 777, version: 9, created_at: '2020-01-01T00:00:00+08:00', updated_at: '2020-01-01T00:00:00+08:00',
    });
    problem(assert, r, 422, 'BUR-201');
    assert.deepEqual(fields(r), ['created_at', 'id', 'updated_at', 'version']);
    for (const e of r.body.errors) assert.match(e.message, /read-only/);
    assert.equal(await count('departments'), before);
    const d = (await a.post('/api/v1/departments', { name: 'ro ok' })).body;
    for (const patch of [{ id: d.id + 1000 }, { version: 5 }, { created_at: '2020-01-01T00:00:00+08:00' }]) {
        r = await a.patch(`/api/v1/departments/${d.id}`, patch);
        problem(assert, r, 422, 'BUR-201', Object.keys(patch));
    }
    r = await a.get(`/api/v1/departments/${d.id}`);
    assert.deepEqual(r.body, d, 'unchanged');
});

test('a PATCH with bad fields reports them all and changes nothing', async () => {
    const d = (await a.post('/api/v1/departments', { name: 'patch me', headcount: 3 })).body;
    const r = await a.patch(`/api/v1/departments/${d.id}`, { name: '', headcount: 'many', kind: 'x', nope: 1 });
    problem(assert, r, 422, 'BUR-201');
    assert.deepEqual(fields(r), ['headcount', 'kind', 'name', 'nope']);
    assert.deepEqual((await a.get(`/api/v1/departments/${d.id}`)).body, d);
});

// Sends the head of a request whose Content-Length is over the limit, then
// the body slowly; the server should answer 413 from the head alone.
function rawOversize(port, length, auth = {}) {
    return new Promise((resolve, reject) => {
        const sock = net.connect(port, '127.0.0.1');
        let data = '';
        let timer;
        sock.setEncoding('latin1');
        sock.on('error', () => {}); // a reset after the answer is fine
        sock.on('data', (c) => {
            data += c;
            const m = /^HTTP\/1\.1 (\d{3})[^]*?\r\n\r\n/.exec(data);
            const cl = /content-length: *(\d+)/i.exec(data);
            if (m && cl && data.length >= m[0].length + Number(cl[1])) {
                clearInterval(timer);
                sock.destroy();
                const head = m[0];
                resolve({ status: Number(m[1]), head, body: data.slice(head.length, head.length + Number(cl[1])) });
            }
        });
        sock.on('close', () => {
            clearInterval(timer);
            reject(new Error(`connection closed without a complete response: ${JSON.stringify(data.slice(0, 300))}`));
        });
        const extra = Object.entries(auth).map(([k, v]) => `${k}: ${v}\r\n`).join('');
        sock.write(`POST /api/v1/departments HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
                   `${extra}Content-Length: ${length}\r\n\r\n`);
        let sent = 0;
        timer = setInterval(() => {
            if (sent < 256 * 1024 && !sock.destroyed) {
                sock.write('x'.repeat(16 * 1024));
                sent += 16 * 1024;
            }
        }, 50);
    });
}

test('a body over 1 MiB by Content-Length is 413 (answered from the head), exactly 1 MiB is read', async () => {
    const MiB = 1 << 20;
    const head = '{"name":"big","pad":"';
    const exact = head + 'x'.repeat(MiB - head.length - 2) + '"}';
    assert.equal(Buffer.byteLength(exact), MiB);
    const r = await a.post('/api/v1/departments', exact);
    problem(assert, r, 422, 'BUR-201', ['pad']);
    for (const n of [MiB + 1, 64 * MiB]) {
        const res = await rawOversize(srv.port, n, await a.headers());
        assert.equal(res.status, 413, res.head);
        assert.match(res.head, /content-type: application\/problem\+json/i);
        assert.equal(JSON.parse(res.body).code, 'BUR-103');
    }
    assert.equal((await a.get('/api/health')).status, 200);
});

test('a body over 1 MiB with Expect: 100-continue gets 413 instead of 100', async () => {
    const auth = await a.headers();
    const res = await new Promise((resolve, reject) => {
        const req = http.request({
            host: '127.0.0.1', port: srv.port, method: 'POST', path: '/api/v1/departments',
            headers: { ...auth, 'Content-Type': 'application/json', 'Content-Length': 2 << 20, Expect: '100-continue' },
        }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString(), continued }));
        });
        let continued = false;
        req.on('continue', () => {
            continued = true;
            req.end(Buffer.alloc(2 << 20, 0x20));
        });
        req.on('error', reject);
        req.flushHeaders();
    });
    assert.equal(res.status, 413, res.body);
    assert.equal(res.continued, false, 'the server asked for a body it will refuse');
    assert.equal(JSON.parse(res.body).code, 'BUR-103');
});

test('a chunked body over 1 MiB is 413', async () => {
    const auth = await a.headers();
    const res = await new Promise((resolve, reject) => {
        const req = http.request({
            host: '127.0.0.1', port: srv.port, method: 'POST', path: '/api/v1/departments',
            headers: { ...auth, 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
        }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
        });
        req.on('error', reject);
        req.write('{"name":"chunked","pad":"');
        const chunk = 'y'.repeat(64 * 1024);
        for (let i = 0; i < 24; i++) req.write(chunk); // 1.5 MiB
        req.end('"}');
    });
    assert.equal(res.status, 413, res.body.slice(0, 300));
    assert.match(res.headers['content-type'], /^application\/problem\+json/);
    assert.equal(JSON.parse(res.body).code, 'BUR-103');
    // a small chunked body is read normally
    const ok = await new Promise((resolve, reject) => {
        const req = http.request({
            host: '127.0.0.1', port: srv.port, method: 'POST', path: '/api/v1/departments',
            headers: { ...auth, 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
        }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode));
        });
        req.on('error', reject);
        req.write('{"name":');
        req.end('"chunked ok"}');
    });
    assert.equal(ok, 201);
});

// Sends raw bytes and resolves the first response: {status, head, body}
// (read up to its Content-Length, or until the server closes).
function rawRequest(port, bytes) {
    return new Promise((resolve, reject) => {
        const sock = net.connect(port, '127.0.0.1');
        let data = '';
        const done = () => {
            const m = /^HTTP\/1\.1 (\d{3})[^]*?\r\n\r\n/.exec(data);
            if (!m) return false;
            const cl = /content-length: *(\d+)/i.exec(m[0]);
            if (cl && data.length < m[0].length + Number(cl[1])) return false;
            sock.destroy();
            resolve({ status: Number(m[1]), head: m[0], body: data.slice(m[0].length, cl ? m[0].length + Number(cl[1]) : undefined) });
            return true;
        };
        sock.setEncoding('latin1');
        sock.on('error', () => {}); // a reset after the answer is fine
        sock.on('data', (c) => {
            data += c;
            done();
        });
        sock.on('close', () => {
            if (!done()) reject(new Error(`no complete response: ${JSON.stringify(data.slice(0, 300))}`));
        });
        sock.end(bytes);
    });
}

test('a request line and headers over 32 KiB are 431 problem+json (BUR-112)', async () => {
    const auth = Object.entries(await a.headers()).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    const head = (target, extra) => `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${auth}${extra}\r\n`;
    const cases = [
        ['a big header', head('/api/v1/departments', `X-Pad: ${'p'.repeat(33 * 1024)}\r\n`)],
        ['many headers', head('/api/v1/departments', Array.from({ length: 40 }, (_, i) => `X-Pad-${i}: ${'q'.repeat(1000)}\r\n`).join(''))],
        ['a big cookie', head('/api/v1/departments', `Cookie: other=${'c'.repeat(40 * 1024)}\r\n`)],
        ['a long query string', head(`/api/v1/departments?q=${'x'.repeat(40 * 1024)}`, '')],
        ['anonymous', `GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: ${'p'.repeat(60 * 1024)}\r\n\r\n`],
    ];
    for (const [what, bytes] of cases) {
        const r = await rawRequest(srv.port, bytes);
        assert.equal(r.status, 431, `${what}: ${r.head}`);
        assert.match(r.head, /content-type: application\/problem\+json/i, `${what}: ${r.head}`);
        const body = JSON.parse(r.body);
        assert.equal(body.code, 'BUR-112', what);
        assert.equal(body.status, 431, what);
        assert.match(body.detail, /at most 32768 bytes/, what);
    }
    // just under the limit is served
    const ok = await rawRequest(srv.port, head('/api/v1/departments?limit=1', `X-Pad: ${'p'.repeat(30 * 1024)}\r\n`));
    assert.equal(ok.status, 200, ok.head);
    // beyond libmicrohttpd's own connection memory (twice the limit) the
    // library answers by itself, with its own body, and nothing of ours runs
    const lib = await rawRequest(srv.port, head('/api/health', `X-Pad: ${'p'.repeat(80 * 1024)}\r\n`));
    assert.equal(lib.status, 431, lib.head);
    assert.equal((await a.get('/api/health')).status, 200);
});

test('a malformed chunked body is refused with 400 and the server lives on', async () => {
    // the chunk parser is libmicrohttpd's: it writes this answer itself
    const auth = Object.entries(await a.headers()).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    const r = await rawRequest(srv.port, `POST /api/v1/departments HTTP/1.1\r\nHost: 127.0.0.1\r\n${auth}` +
        'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{"name":"x"}\r\n0\r\n\r\n');
    assert.equal(r.status, 400, r.head);
    assert.equal((await a.get('/api/v1/departments?name=x')).body.items.length, 0, 'nothing was created');
    assert.equal((await a.get('/api/health')).status, 200);
});

test('non-JSON content types are 415; JSON with a charset is fine', async () => {
    for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'text/csv', 'application/xml']) {
        const r = await a.post('/api/v1/departments', '{"name":"ct"}', { headers: { 'Content-Type': ct } });
        problem(assert, r, 415, 'BUR-104');
    }
    let r = await a.post('/api/v1/departments', '{"name":"ct ok"}', { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
    assert.equal(r.status, 201, r.text);
    r = await a.patch(`/api/v1/departments/${r.body.id}`, '{"name":"ct ok 2"}', { headers: { 'Content-Type': 'text/plain' } });
    problem(assert, r, 415, 'BUR-104');
});
