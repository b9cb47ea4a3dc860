// SPDX-License-Identifier: MIT
// shutdown.test.js - the process life cycle: graceful stop with requests in
// flight, idle connections, and start-up failures that must be loud.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { startServer, runBureau, api, IS_PG } = require('./lib/server');

// Sends a request and reports how far it got: {phase: 'none'|'headers'|'complete', ...}.
async function probe(url, init, check) {
    let res;
    try {
        res = await fetch(url, init);
    } catch (e) {
        return { phase: 'none', error: e.cause ? e.cause.code || e.cause.message : e.message };
    }
    let text;
    try {
        text = await res.text();
    } catch (e) {
        return { phase: 'headers', status: res.status, error: e.message };
    }
    const out = { phase: 'complete', status: res.status, text };
    try {
        out.body = JSON.parse(text);
        if (check) check(out);
        out.ok = true;
    } catch (e) {
        out.ok = false;
        out.error = e.message;
    }
    return out;
}

test('SIGTERM with 50 requests in flight: answered ones are whole, exit 0 within seconds', async () => {
    const srv = await startServer();
    const a = api(srv.url);
    // enough rows that a list takes a moment to build
    const seed = [];
    for (let i = 0; i < 300; i++) seed.push({ name: `停机部门${i}`.padEnd(60, '.'), code: `SD-${i}` });
    for (let i = 0; i < seed.length; i += 50)
        await Promise.all(seed.slice(i, i + 50).map((b) => a.post('/api/v1/departments', b)));
    const n0 = 300;
    // the probes are raw fetch() calls (to see how far each got): they carry the session
    const auth = await a.headers();
    const reqs = [];
    let first, done = 0;
    const firstDone = new Promise((r) => (first = r));
    for (let i = 0; i < 50; i++) {
        const p = i % 5 === 0
            ? probe(`${srv.url}/api/v1/departments`, {
                method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' },
                body: JSON.stringify({ name: `in flight ${i}` }),
            }, (o) => {
                if (o.status === 201) assert.equal(o.body.name, `in flight ${i}`);
                else assert.equal(o.body.status, o.status);
            })
            : probe(`${srv.url}/api/v1/departments?limit=500&sort=name`, { headers: auth }, (o) => {
                if (o.status === 200) {
                    assert.ok(o.body.items.length >= n0, `a list of ${o.body.items.length}`);
                    assert.equal(o.body.next, null);
                } else {
                    assert.equal(o.body.status, o.status);
                }
            });
        reqs.push(p.then((x) => (done++, first(), x)));
    }
    await firstDone;
    const t0 = Date.now();
    srv.proc.kill('SIGTERM');
    const doneAtSignal = done;
    const results = await Promise.all(reqs);
    const exit = await Promise.race([srv.exited, new Promise((r) => setTimeout(() => r(null), 8000).unref())]);
    const ms = Date.now() - t0;
    if (!exit) srv.proc.kill('SIGKILL');
    try {
        assert.ok(exit, 'the server did not exit within 8 s of SIGTERM');
        assert.equal(exit.code, 0, `exit ${exit.signal || exit.code}; stderr:\n${srv.stderr.slice(-2000)}`);
        assert.ok(ms < 5000, `took ${ms} ms to stop`);
        const partial = results.filter((r) => r.phase === 'headers' || (r.phase === 'complete' && !r.ok));
        assert.deepEqual(partial, [], 'responses cut short or garbled');
        const complete = results.filter((r) => r.phase === 'complete');
        assert.ok(complete.length >= 1, 'some requests were answered');
        assert.ok(doneAtSignal < 50, 'the signal came while requests were in flight');
        for (const r of complete) assert.ok([200, 201, 503].includes(r.status), `status ${r.status}: ${r.text.slice(0, 200)}`);
        assert.match(srv.stderr, /stopped cleanly/);
    } finally {
        await srv.stop().catch(() => {});
    }
});

test('SIGTERM during a 10,000-row import: all of it or none of it, never part', async () => {
    const srv = await startServer();
    const lines = ['name,code,kind'];
    for (let i = 1; i <= 10000; i++) lines.push(`停机导入${i},SI-${i},government`);
    const csv = lines.join('\r\n') + '\r\n';
    const auth = await api(srv.url).headers();
    const p = probe(`${srv.url}/api/v1/departments/import`, {
        method: 'POST', headers: { ...auth, 'Content-Type': 'text/csv' }, body: csv,
    });
    await new Promise((r) => setTimeout(r, 150));
    srv.proc.kill('SIGTERM');
    const res = await p;
    const exit = await srv.exited;
    assert.equal(exit.code, 0, srv.stderr.slice(-2000));
    assert.notEqual(res.phase, 'headers', 'a response cut short');
    const again = await startServer({ db: srv.dbUrl });
    try {
        const n = (await api(again.url).all('departments', { 'code[prefix]': 'SI-' })).length;
        // an import refused for another reason would make "none of it" trivially true
        if (res.phase === 'complete')
            assert.ok([200, 503].includes(res.status), `import answered ${res.status}: ${res.text.slice(0, 300)}`);
        if (res.phase === 'complete' && res.status === 200) {
            assert.equal(res.body.inserted, 10000);
            assert.equal(n, 10000, 'the import was answered 200 but not all rows are there');
        } else {
            assert.equal(n, 0, `no success reported (${res.phase} ${res.status}) but ${n} rows are there`);
        }
    } finally {
        await again.stop();
        await srv.stop();
    }
});

test('idle keep-alive connections do not hold up a stop', async () => {
    const srv = await startServer();
    const agent = new http.Agent({ keepAlive: true });
    // signed-in connections, as a browser's would be: half the public health check,
    // half a collection that needs the session
    const headers = await api(srv.url).headers();
    try {
        const statuses = await Promise.all(Array.from({ length: 8 }, (_, i) => new Promise((resolve, reject) => {
            const p = i % 2 ? '/api/v1/ranks?limit=1' : '/api/health';
            http.get({ host: '127.0.0.1', port: srv.port, path: p, agent, headers }, (res) => {
                res.resume();
                res.on('end', () => resolve(res.statusCode));
            }).on('error', reject);
        })));
        assert.deepEqual(statuses, Array(8).fill(200));
        const r = await srv.stop();
        assert.equal(r.code, 0);
        assert.ok(r.ms < 3000, `took ${r.ms} ms with idle connections open`);
    } finally {
        agent.destroy();
    }
});

test('SIGINT stops cleanly too', async () => {
    const srv = await startServer();
    assert.equal((await api(srv.url).get('/api/health')).status, 200);
    srv.proc.kill('SIGINT');
    const exit = await srv.exited;
    assert.equal(exit.code, 0);
    await srv.stop();
});

function tmpdir() {
    return fs.mkdtempSync(path.join(os.tmpdir(), 'bureau-bad-'));
}

test('a database file that is not a database: non-zero exit naming the file', async () => {
    const dir = tmpdir();
    try {
        const f = path.join(dir, 'notes.db');
        fs.writeFileSync(f, 'these are my notes, not a database\n'.repeat(200));
        const r = await runBureau(['serve', '--db', f, '--listen', '127.0.0.1:0', '--quiet']);
        assert.notEqual(r.code, 0, 'exit status');
        assert.equal(r.signal, null, `killed by ${r.signal}`);
        assert.equal(r.timedOut, false);
        assert.ok(r.stderr.includes(f), `stderr does not name the file: ${r.stderr}`);
        assert.match(r.stderr, /not a (bureau )?database/);
        assert.equal(fs.readFileSync(f, 'utf8'), 'these are my notes, not a database\n'.repeat(200), 'the file is untouched');
        assert.ok(!fs.existsSync(f + '-wal'), 'no WAL created beside it');
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
});

test('a database path that cannot be written: non-zero exit with a message', async () => {
    for (const f of ['/nonexistent-dir/sub/bureau.db', '/proc/version', '/proc/self/status']) {
        const r = await runBureau(['serve', '--db', f, '--listen', '127.0.0.1:0', '--quiet']);
        assert.notEqual(r.code, 0, `${f}: exit status`);
        assert.equal(r.signal, null, `${f}: killed by ${r.signal}`);
        assert.ok(r.stderr.includes(f) || r.stderr.includes(path.dirname(f)), `${f}: ${r.stderr}`);
    }
    const dir = tmpdir();
    try {
        const r = await runBureau(['serve', '--db', dir, '--listen', '127.0.0.1:0', '--quiet']);
        assert.notEqual(r.code, 0, 'a directory as the database');
        assert.ok(r.stderr.includes(dir), r.stderr);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
});

test('an unreachable PostgreSQL: non-zero exit with a message, quickly', async () => {
    const t0 = Date.now();
    const r = await runBureau(['serve', '--db', 'postgres://bureau:secret-pw@127.0.0.1:1/nodb', '--listen', '127.0.0.1:0', '--quiet']);
    assert.notEqual(r.code, 0);
    assert.equal(r.signal, null);
    assert.match(r.stderr, /PostgreSQL|postgres/i);
    assert.ok(!r.stderr.includes('secret-pw'), 'the password is not printed');
    assert.ok(Date.now() - t0 < 10000);
});

test('a port already in use: the second server refuses to start', async () => {
    const srv = await startServer();
    try {
        const dir = tmpdir();
        try {
            const db = IS_PG ? srv.dbUrl : path.join(dir, 'second.db');
            const r = await runBureau(['serve', '--db', db, '--listen', `127.0.0.1:${srv.port}`, '--quiet'], { timeoutMs: 10000, killOn: /listening on/ });
            assert.ok(!r.matched, `a second server started on port ${srv.port} already in use:\n${r.stderr}`);
            assert.notEqual(r.code, 0);
            assert.match(r.stderr, /listen|in use/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    } finally {
        await srv.stop();
    }
});

test('a bad command line is refused with usage', async () => {
    let r = await runBureau(['serve', '--no-such-option']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /unknown option|usage/);
    r = await runBureau(['serve', '--listen', 'nonsense']);
    assert.notEqual(r.code, 0);
});

test('listening beyond loopback is allowed now that sign-in is enforced', async () => {
    const srv = await startServer({ args: ['--listen', '0.0.0.0:0'] });
    try {
        assert.match(srv.stderr, /listening on http:\/\/0\.0\.0\.0:\d+/);
        assert.equal((await api(srv.url, { anonymous: true }).get('/api/v1/departments')).status, 401);
        assert.equal((await api(srv.url).get('/api/v1/departments')).status, 200);
    } finally {
        await srv.stop();
    }
});
