// SPDX-License-Identifier: MIT
// server.js - start a bureau server on a fresh database for a black-box test,
// and a small JSON client for it. Node built-ins only.
//
//   const { startServer, api } = require('./lib/server');
//   const srv = await startServer({ demo: false, args: [] });
//   const a = api(srv.url);
//   const r = await a.post('/api/v1/departments', { name: 'x' });  // {status, headers, body}
//   await srv.stop();   // SIGTERM, waits for exit code 0, removes the database
//
// Environment:
//   BUREAU_BIN          the binary (default build/bureau, relative to the repo root)
//   BUREAU_TEST_DB      sqlite (default) | pg
//   BUREAU_TEST_PG_DIR  with pg: the cluster made by `scripts/pg.sh start DIR`
'use strict';

const { spawn, execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const BACKEND = (process.env.BUREAU_TEST_DB || 'sqlite').toLowerCase();
if (BACKEND !== 'sqlite' && BACKEND !== 'pg')
    throw new Error(`BUREAU_TEST_DB must be sqlite or pg, not ${BACKEND}`);
const IS_PG = BACKEND === 'pg';

function binPath() {
    const b = process.env.BUREAU_BIN || 'build/bureau';
    if (path.isAbsolute(b)) return b;
    const fromCwd = path.resolve(process.cwd(), b);
    if (fs.existsSync(fromCwd)) return fromCwd;
    return path.resolve(ROOT, b);
}
const BIN = binPath();

function pgDir() {
    const d = process.env.BUREAU_TEST_PG_DIR;
    if (!d) throw new Error('BUREAU_TEST_DB=pg needs BUREAU_TEST_PG_DIR (a cluster from scripts/pg.sh start DIR)');
    return d;
}

// A new empty PostgreSQL database in the throwaway cluster; returns its URL.
function pgCreateDb(dir = pgDir()) {
    const name = 't_' + crypto.randomBytes(6).toString('hex');
    const out = execFileSync(path.join(ROOT, 'scripts', 'pg.sh'), ['createdb', dir, name], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    const url = out.trim().split('\n').pop();
    if (!/^postgres(ql)?:\/\//.test(url)) throw new Error(`pg.sh createdb printed no URL: ${out}`);
    return url;
}

// A fresh database for one server: {dbUrl, cleanup()}.
function freshDb() {
    if (IS_PG) return { dbUrl: pgCreateDb(), cleanup() {} };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bureau-test-'));
    return {
        dbUrl: path.join(dir, 'bureau.db'),
        dir,
        cleanup() {
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}

const live = new Set();
process.on('exit', () => {
    for (const p of live) {
        try {
            p.kill('SIGKILL');
        } catch {}
    }
});

const LISTEN_RE = /listening on http:\/\/([0-9.]+|\[[0-9a-f:]+\]):(\d+)/;

// Starts `bureau serve` and resolves once it listens.
//   demo: --demo; args: extra arguments; db: use this database (path or URL)
//   instead of a fresh one, and leave it in place on stop; timeoutMs: start limit.
function startServer({ demo = false, args = [], db = null, timeoutMs } = {}) {
    const fresh = db ? { dbUrl: db, cleanup() {} } : freshDb();
    const argv = ['serve', '--db', fresh.dbUrl, '--listen', '127.0.0.1:0', '--quiet'];
    if (demo) argv.push('--demo');
    argv.push(...args);
    const limit = timeoutMs || (demo ? 180000 : 30000);
    const proc = spawn(BIN, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    live.add(proc);
    let stderr = '';
    const exited = new Promise((resolve) => {
        proc.on('exit', (code, signal) => {
            live.delete(proc);
            resolve({ code, signal });
        });
        proc.on('error', (err) => {
            live.delete(proc);
            resolve({ code: null, signal: null, error: err });
        });
    });
    return new Promise((resolve, reject) => {
        let done = false;
        const timer = setTimeout(() => {
            if (done) return;
            done = true;
            proc.kill('SIGKILL');
            fresh.cleanup();
            reject(new Error(`bureau did not start within ${limit} ms; stderr:\n${stderr}`));
        }, limit);
        proc.stderr.setEncoding('utf8');
        proc.stderr.on('data', (chunk) => {
            stderr += chunk;
            if (stderr.length > 256 * 1024) stderr = stderr.slice(-128 * 1024);
            if (done) return;
            const m = LISTEN_RE.exec(stderr);
            if (!m) return;
            done = true;
            clearTimeout(timer);
            const port = Number(m[2]);
            const url = `http://127.0.0.1:${port}`;
            let stopped = null;
            const srv = {
                url,
                port,
                proc,
                dbUrl: fresh.dbUrl,
                dbDir: fresh.dir,
                exited,
                get stderr() {
                    return stderr;
                },
                // SIGTERM, wait for the exit; throws unless it exits 0 in time.
                async stop({ timeoutMs: t = 15000, keepDb = false } = {}) {
                    if (!stopped) stopped = stopServer(t);
                    const res = await stopped;
                    if (!keepDb) fresh.cleanup();
                    if (res.code !== 0)
                        throw new Error(`bureau exited with ${res.signal || 'code ' + res.code}` +
                                        (res.timedOut ? ' (killed: no exit after SIGTERM)' : '') +
                                        `; stderr:\n${stderr.slice(-4000)}`);
                    return res;
                },
                // Sends a signal without waiting (kill -9 for crash tests).
                kill(sig = 'SIGKILL') {
                    proc.kill(sig);
                    return exited;
                },
            };
            async function stopServer(t) {
                const t0 = Date.now();
                if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
                let timedOut = false;
                let timer2;
                const to = new Promise((r) => (timer2 = setTimeout(() => r(null), t)));
                let res = await Promise.race([exited, to]);
                clearTimeout(timer2);
                if (!res) {
                    timedOut = true;
                    proc.kill('SIGKILL');
                    res = await exited;
                }
                return { ...res, timedOut, ms: Date.now() - t0 };
            }
            resolve(srv);
        });
        exited.then(({ code, signal, error }) => {
            if (done) return;
            done = true;
            clearTimeout(timer);
            fresh.cleanup();
            reject(new Error(`bureau exited before listening (${error ? error.message : signal || 'code ' + code}); stderr:\n${stderr}`));
        });
    });
}

// Runs the binary to completion: {code, signal, timedOut, matched, stdout, stderr}.
// After timeoutMs it is sent SIGKILL and timedOut is true; when stderr matches
// killOn (a RegExp) it is sent SIGKILL at once and matched is true.
function runBureau(args, { timeoutMs = 20000, killOn = null } = {}) {
    return new Promise((resolve) => {
        const p = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
        live.add(p);
        let stdout = '', stderr = '', timedOut = false, matched = false;
        p.stdout.setEncoding('utf8');
        p.stderr.setEncoding('utf8');
        p.stdout.on('data', (c) => (stdout += c));
        p.stderr.on('data', (c) => {
            stderr += c;
            if (killOn && !matched && killOn.test(stderr)) {
                matched = true;
                p.kill('SIGKILL');
            }
        });
        const timer = setTimeout(() => {
            timedOut = true;
            p.kill('SIGKILL');
        }, timeoutMs);
        p.on('error', (e) => {
            clearTimeout(timer);
            live.delete(p);
            resolve({ code: null, signal: null, timedOut, matched, stdout, stderr: stderr + e.message });
        });
        p.on('close', (code, signal) => {
            clearTimeout(timer);
            live.delete(p);
            resolve({ code, signal, timedOut, matched, stdout, stderr });
        });
    });
}

function parseBody(ct, buf, raw) {
    if (raw) return buf;
    const text = buf.toString('utf8');
    if (/json/i.test(ct || '') && text.length) {
        try {
            return JSON.parse(text);
        } catch (e) {
            throw new Error(`response is not valid JSON (${e.message}): ${text.slice(0, 300)}`);
        }
    }
    return text;
}

// A JSON client for base. Every method resolves {status, headers, body, text}.
// body is the parsed JSON for application/json and application/problem+json,
// else the text (or a Buffer with {raw: true}).
function api(base) {
    async function request(method, p, body, { headers = {}, raw = false, contentType } = {}) {
        const h = { ...headers };
        let payload;
        if (body !== undefined) {
            if (typeof body === 'string' || Buffer.isBuffer(body)) {
                payload = body;
                if (!h['Content-Type'] && !h['content-type'])
                    h['Content-Type'] = contentType || 'application/json';
            } else {
                payload = JSON.stringify(body);
                h['Content-Type'] = contentType || 'application/json';
            }
        }
        const res = await fetch(base + p, { method, headers: h, body: payload });
        const buf = Buffer.from(await res.arrayBuffer());
        const ct = res.headers.get('content-type') || '';
        return {
            status: res.status,
            headers: res.headers,
            body: parseBody(ct, buf, raw),
            text: raw ? null : buf.toString('utf8'),
            bytes: buf,
        };
    }
    return {
        base,
        request,
        get: (p, o) => request('GET', p, undefined, o),
        post: (p, b, o) => request('POST', p, b, o),
        patch: (p, b, o) => request('PATCH', p, b, o),
        put: (p, b, o) => request('PUT', p, b, o),
        del: (p, o) => request('DELETE', p, undefined, o),
        // Every item of a list, following `next` (limit 500); query is a string or object.
        async all(collection, query = {}) {
            const items = [];
            let after = null;
            for (let i = 0; i < 10000; i++) {
                const q = new URLSearchParams(query);
                q.set('limit', '500');
                if (after) q.set('after', after);
                const r = await request('GET', `/api/v1/${collection}?${q}`);
                if (r.status !== 200) throw new Error(`list ${collection}?${q}: ${r.status} ${r.text}`);
                items.push(...r.body.items);
                after = r.body.next;
                if (!after) return items;
            }
            throw new Error('paging did not end');
        },
    };
}

// Runs fn over items with at most n at a time; resolves the results in order.
async function pool(items, n, fn) {
    const out = new Array(items.length);
    let next = 0;
    async function worker() {
        while (next < items.length) {
            const i = next++;
            out[i] = await fn(items[i], i);
        }
    }
    await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
    return out;
}

// Asserts a problem+json response: status, code, and (optionally) field names.
function problem(assert, r, status, code, fields) {
    const show = `${r.status} ${r.text}`;
    assert.equal(r.status, status, show);
    assert.match(r.headers.get('content-type') || '', /^application\/problem\+json/, show);
    assert.equal(r.body.status, status, show);
    assert.equal(r.body.code, code, show);
    assert.equal(typeof r.body.title, 'string', show);
    assert.equal(typeof r.body.type, 'string', show);
    assert.equal(typeof r.body.detail, 'string', show);
    assert.ok(Array.isArray(r.body.errors), show);
    if (fields) {
        const got = r.body.errors.map((e) => e.field);
        for (const f of fields) assert.ok(got.includes(f), `field ${f} not reported: ${show}`);
    }
}

module.exports = {
    ROOT,
    BIN,
    BACKEND,
    IS_PG,
    startServer,
    runBureau,
    api,
    pool,
    problem,
    pgCreateDb,
    freshDb,
};
