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
// Sign-in: the server is started with BUREAU_ADMIN_PASSWORD = ADMIN_PASSWORD, and
// api(url) signs in as admin on first use, then sends the session cookie and the
// X-CSRF-Token on every request. api(url, {anonymous: true}) never signs in;
// api(url, {username, password, tenant}) signs in as someone else; api(url,
// {token}) sends "Authorization: Bearer <token>" instead. a.fetch(path, init) is
// a raw fetch() with the same credentials (for streaming or binary bodies).
//
// Environment:
//   BUREAU_BIN          the binary (default build/bureau, relative to the repo root)
//   BUREAU_TEST_DB      sqlite (default) | pg
//   BUREAU_TEST_PG_DIR  with pg: the cluster made by `scripts/pg.sh start DIR`
'use strict';

const { spawn, execFile, execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const BACKEND = (process.env.BUREAU_TEST_DB || 'sqlite').toLowerCase();
if (BACKEND !== 'sqlite' && BACKEND !== 'pg')
    throw new Error(`BUREAU_TEST_DB must be sqlite or pg, not ${BACKEND}`);
const IS_PG = BACKEND === 'pg';
// The first admin's password on every test server (satisfies the password rules).
const ADMIN_PASSWORD = 'Test-bureau-Pw-2026!';

function binPath() {
    const b = process.env.BUREAU_BIN || 'build/bureau';
    if (path.isAbsolute(b)) return b;
    const fromCwd = path.resolve(process.cwd(), b);
    if (fs.existsSync(fromCwd)) return fromCwd;
    return path.resolve(ROOT, b);
}
const BIN = binPath();

// Arguments of the sqlite3 shell on file with the names' collations loaded
// (src/db/collate.h: the extension built beside the binary): without them
// the shell can neither write a table whose index uses one nor check the file.
function sqlite3Args(file, ...rest) {
    return ['-cmd', `.load ${path.join(path.dirname(BIN), 'bureau-collate')}`, file, ...rest];
}

function pgDir() {
    const d = process.env.BUREAU_TEST_PG_DIR;
    if (!d) throw new Error('BUREAU_TEST_DB=pg needs BUREAU_TEST_PG_DIR (a cluster from scripts/pg.sh start DIR)');
    return d;
}

// A new empty PostgreSQL database in the throwaway cluster; returns its URL.
// With template: a copy of that database.
function pgCreateDb(dir = pgDir(), name = null, template = null) {
    name = name || 't_' + crypto.randomBytes(6).toString('hex');
    const out = execFileSync(path.join(ROOT, 'scripts', 'pg.sh'), ['createdb', dir, name, ...(template ? [template] : [])], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    const url = out.trim().split('\n').pop();
    if (!/^postgres(ql)?:\/\//.test(url)) throw new Error(`pg.sh createdb printed no URL: ${out}`);
    return url;
}

// A fresh database for one server: {dbUrl, cleanup()}.
// Uploaded files go to DIR/files (--files-dir), never into the work tree.
function freshDb() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bureau-test-'));
    return {
        dbUrl: IS_PG ? pgCreateDb() : path.join(dir, 'bureau.db'),
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
//   instead of a fresh one, and leave it in place on stop; timeoutMs: start limit;
//   env: extra environment (BUREAU_ADMIN_PASSWORD is ADMIN_PASSWORD unless given;
//   a value of null removes a variable).
function startServer(opts = {}) {
    const { demo = false, db = null, args = [], env = {} } = opts;
    if (demo && !db && templateFits(args, env)) return demoCopy().then((fresh) => launch(opts, fresh));
    return launch(opts, db ? { dbUrl: db, cleanup() {} } : freshDb());
}

// The demo district is built once per binary and database kind (30 s on
// PostgreSQL) and each demo server gets a copy: a file copy on SQLite, CREATE
// DATABASE … TEMPLATE on PostgreSQL. The copy is what `init --demo` would have
// made that day (the demo's random numbers are seeded); the server then runs its
// jobs on it as on a fresh one. Only servers whose arguments and environment
// cannot change what the first start creates share it.
//   BUREAU_TEST_TEMPLATE_DIR  where the templates are kept (test.sh: its own
//                             temporary directory; default: the system's)
const TEMPLATE_DIR = process.env.BUREAU_TEST_TEMPLATE_DIR || path.join(os.tmpdir(), 'bureau-demo-templates');
const NEUTRAL_ARGS = new Set(['--jobs-interval', '--files-dir', '--threads']);

function templateFits(args, env) {
    if (Object.keys(env).length) return false;
    for (let i = 0; i < args.length; i += 2)
        if (!NEUTRAL_ARGS.has(args[i])) return false;
    return true;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function alive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    } catch (e) {
        return e.code === 'EPERM';
    }
}

// The template's place (a file or a database name), made by the first caller of
// every test process; the others wait on a lock directory.
async function demoTemplate() {
    fs.mkdirSync(TEMPLATE_DIR, { recursive: true });
    const st = fs.statSync(BIN);
    const key = crypto.createHash('sha256')
        .update([fs.realpathSync(BIN), st.size, st.mtimeMs, BACKEND, IS_PG ? path.resolve(pgDir()) : ''].join('|'))
        .digest('hex').slice(0, 16);
    const ready = path.join(TEMPLATE_DIR, `${key}.ready`);
    const lock = path.join(TEMPLATE_DIR, `${key}.lock`);
    const deadline = Date.now() + 600000;
    for (;;) {
        if (fs.existsSync(ready)) return fs.readFileSync(ready, 'utf8');
        try {
            fs.mkdirSync(lock);
        } catch (e) {
            if (e.code !== 'EEXIST') throw e;
            let pid = 0;
            try {
                pid = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
            } catch {}
            if (pid && !alive(pid)) fs.rmSync(lock, { recursive: true, force: true });
            else if (Date.now() > deadline) throw new Error(`no demo template after 600 s (${lock})`);
            else await sleep(200);
            continue;
        }
        try {
            fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
            const where = await buildTemplate(key);
            fs.writeFileSync(`${ready}.tmp`, where);
            fs.renameSync(`${ready}.tmp`, ready);
            return where;
        } finally {
            fs.rmSync(lock, { recursive: true, force: true });
        }
    }
}

async function buildTemplate(key) {
    const suffix = crypto.randomBytes(4).toString('hex');
    const target = IS_PG ? pgCreateDb(pgDir(), `tpl_${key}_${suffix}`) : path.join(TEMPLATE_DIR, `${key}-${suffix}.db`);
    const env = { ...process.env, BUREAU_ADMIN_PASSWORD: ADMIN_PASSWORD };
    await new Promise((resolve, reject) => {
        execFile(BIN, ['init', '--db', target, '--demo'], { env, timeout: 600000, maxBuffer: 16 << 20 },
                 (err, stdout, stderr) => (err ? reject(new Error(`bureau init --demo failed: ${err.message}\n${stderr}`))
                                               : resolve()));
    });
    return IS_PG ? new URL(target).pathname.slice(1) : target;
}

async function demoCopy() {
    const tpl = await demoTemplate();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bureau-test-'));
    let dbUrl;
    if (IS_PG) {
        dbUrl = pgCreateDb(pgDir(), null, tpl);
    } else {
        dbUrl = path.join(dir, 'bureau.db');
        fs.copyFileSync(tpl, dbUrl);
    }
    return {
        dbUrl,
        dir,
        cleanup() {
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}

function launch({ demo = false, args = [], timeoutMs, env = {} }, fresh) {
    const argv = ['serve', '--db', fresh.dbUrl, '--listen', '127.0.0.1:0', '--quiet'];
    if (demo) argv.push('--demo');
    if (fresh.dir && !args.includes('--files-dir')) argv.push('--files-dir', path.join(fresh.dir, 'files'));
    argv.push(...args);
    const limit = timeoutMs || (demo ? 180000 : 30000);
    const childEnv = { ...process.env, BUREAU_ADMIN_PASSWORD: ADMIN_PASSWORD };
    for (const [k, v] of Object.entries(env)) {
        if (v === null || v === undefined) delete childEnv[k];
        else childEnv[k] = String(v);
    }
    const proc = spawn(BIN, argv, { stdio: ['ignore', 'ignore', 'pipe'], env: childEnv });
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
                // Every database a test leaves behind must hold an intact audit chain.
                async stop({ timeoutMs: t = 15000, keepDb = false, verifyAudit = true } = {}) {
                    if (!stopped) stopped = stopServer(t);
                    const res = await stopped;
                    let broken = null;
                    if (res.code === 0 && verifyAudit) {
                        try {
                            execFileSync(BIN, ['audit', 'verify', '--db', fresh.dbUrl],
                                         { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60000 });
                        } catch (err) {
                            broken = `${err.stderr || ''}${err.stdout || ''}`;
                        }
                    }
                    if (!keepDb) fresh.cleanup();
                    if (res.code !== 0)
                        throw new Error(`bureau exited with ${res.signal || 'code ' + res.code}` +
                                        (res.timedOut ? ' (killed: no exit after SIGTERM)' : '') +
                                        `; stderr:\n${stderr.slice(-4000)}`);
                    if (broken !== null)
                        throw new Error(`the audit chain of ${fresh.dbUrl} does not verify:\n${broken}`);
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

// The value of cookie `name` from a response's Set-Cookie headers: a string, ''
// when the response clears it (Max-Age=0), or undefined when it does not set it.
function setCookieValue(headers, name) {
    const all = typeof headers.getSetCookie === 'function' ? headers.getSetCookie()
        : [headers.get('set-cookie')].filter(Boolean);
    for (const line of all) {
        const m = new RegExp(`^\\s*${name}=([^;]*)`).exec(line);
        if (!m) continue;
        if (/;\s*max-age=0\b/i.test(line)) return '';
        return m[1];
    }
    return undefined;
}

// A JSON client for base. Every method resolves {status, headers, body, text}.
// body is the parsed JSON for application/json and application/problem+json,
// else the text (or a Buffer with {raw: true}).
//   opts.anonymous: never sign in; opts.username/password/tenant: sign in as
//   that user (default: admin with ADMIN_PASSWORD, lazily on first use);
//   opts.token: authenticate with "Authorization: Bearer <token>".
// Per request, {auth: false} sends no credentials and {csrf: false} leaves
// out the X-CSRF-Token header; explicit headers win over the client's own.
function api(base, opts = {}) {
    const who = opts.token || opts.anonymous ? null
        : { username: opts.username || 'admin', password: opts.password || ADMIN_PASSWORD,
            tenant: opts.tenant };
    const st = { cookie: null, csrf: null, user: null, pending: null };

    async function signIn() {
        const body = { username: who.username, password: who.password };
        if (who.tenant) body.tenant = who.tenant;
        const res = await fetch(base + '/api/v1/session', {
            method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
        });
        const text = await res.text();
        const sid = setCookieValue(res.headers, 'bureau_session');
        if (res.status !== 200 || !sid)
            throw new Error(`sign-in as ${who.username} failed: ${res.status} ${text.slice(0, 400)}`);
        const j = JSON.parse(text);
        st.cookie = sid;
        st.csrf = j.csrf;
        st.user = j.user;
        return j;
    }

    async function ensure() {
        if (!who || st.cookie) return;
        if (!st.pending) st.pending = signIn().finally(() => (st.pending = null));
        await st.pending;
    }

    async function authHeaders({ auth = true, csrf = true } = {}) {
        if (!auth) return {};
        if (opts.token) return { Authorization: `Bearer ${opts.token}` };
        await ensure();
        const h = {};
        if (st.cookie) h.Cookie = `bureau_session=${st.cookie}`;
        if (st.cookie && csrf && st.csrf) h['X-CSRF-Token'] = st.csrf;
        return h;
    }

    function notice(res) {
        const v = setCookieValue(res.headers, 'bureau_session');
        if (v === '') st.cookie = null;
        else if (v) st.cookie = v;
    }

    async function request(method, p, body, { headers = {}, raw = false, contentType, auth = true, csrf = true } = {}) {
        const h = { ...(await authHeaders({ auth, csrf })), ...headers };
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
        if (auth) notice(res);
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
        // Signs in now (again, for a new session); resolves the login body {csrf, user}.
        async login() {
            if (!who) throw new Error('this client does not sign in');
            return signIn();
        },
        // The credentials a raw request needs: {Cookie, X-CSRF-Token} or {Authorization}.
        headers: (o) => authHeaders(o),
        // fetch(base + p) with this client's credentials merged into init.headers.
        async fetch(p, init = {}) {
            const h = { ...(await authHeaders()), ...(init.headers || {}) };
            const res = await fetch(base + p, { ...init, headers: h });
            notice(res);
            return res;
        },
        // The current session: {cookie, csrf, user} (nulls before sign-in).
        get session() {
            return { cookie: st.cookie, csrf: st.csrf, user: st.user };
        },
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
    ADMIN_PASSWORD,
    setCookieValue,
    BIN,
    sqlite3Args,
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
