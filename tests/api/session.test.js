// SPDX-License-Identifier: MIT
// session.test.js - sign-in, sessions and passwords: the cookie and its
// attributes, wrong password and unknown user alike (body and timing), CSRF,
// idle and absolute expiry, sign-out, a new session id at every sign-in,
// brute-force limits (per user, per address, Retry-After, recovery), the
// password rules, changing and resetting passwords, the first admin, and the
// audit entries all of that leaves.
'use strict';

const { test, before, after, describe } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, api, problem, ADMIN_PASSWORD, setCookieValue } = require('./lib/server');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const SECRET_RE = /^[A-Za-z0-9_-]{43}$/;

// A raw sign-in (no client state): {status, headers, body, text, cookie, ms}.
async function signIn(base, body) {
    const t0 = process.hrtime.bigint();
    const res = await fetch(base + '/api/v1/session', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
    });
    const text = await res.text();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    let parsed = text;
    try {
        parsed = JSON.parse(text);
    } catch {}
    return { status: res.status, headers: res.headers, body: parsed, text, ms,
             cookie: setCookieValue(res.headers, 'bureau_session') };
}

// A request with an explicit cookie and CSRF token.
async function withCookie(base, method, p, cookie, csrf, body) {
    const h = { Cookie: `bureau_session=${cookie}` };
    if (csrf) h['X-CSRF-Token'] = csrf;
    if (body !== undefined) h['Content-Type'] = 'application/json';
    const res = await fetch(base + p, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let parsed = text;
    try {
        parsed = JSON.parse(text);
    } catch {}
    return { status: res.status, headers: res.headers, body: parsed, text };
}

async function roleId(a, code) {
    const roles = await a.all('roles');
    const r = roles.find((x) => x.code === code);
    assert.ok(r, `no role ${code}`);
    return r.id;
}

// Creates a user (role staff by default) whose password is `password`, with
// must_change_password cleared; returns {id, username, password, client}.
async function makeUser(admin, username, password, role = 'staff') {
    let r = await admin.post('/api/v1/users', { username, display_name: username, role_id: await roleId(admin, role) });
    assert.equal(r.status, 201, r.text);
    const id = r.body.id;
    const temp = `Temp-pw-${Math.random().toString(36).slice(2, 10)}-9x!`;
    r = await admin.post(`/api/v1/users/${id}/reset_password`, { password: temp });
    assert.ok(r.status === 200 || r.status === 204, r.text);
    const u = api(admin.base, { username, password: temp });
    r = await u.post('/api/v1/session/password', { current: temp, new: password });
    assert.equal(r.status, 204, r.text);
    return { id, username, password, client: api(admin.base, { username, password }) };
}

describe('sign-in and sessions', () => {
    let srv, admin;
    before(async () => {
        srv = await startServer({ args: ['--login-window', '3'] });
        admin = api(srv.url);
    });
    after(async () => {
        if (srv) await srv.stop();
    });

    test('sign-in gives the user, a CSRF token and an HttpOnly SameSite=Strict cookie', async () => {
        const r = await signIn(srv.url, { username: 'admin', password: ADMIN_PASSWORD });
        assert.equal(r.status, 200, r.text);
        assert.match(r.body.csrf, SECRET_RE);
        const u = r.body.user;
        assert.equal(u.username, 'admin');
        assert.equal(u.role, 'admin');
        assert.equal(u.must_change_password, false);
        assert.ok(Number.isInteger(u.id) && u.id > 0);
        assert.ok(Number.isInteger(u.tenant_id) && u.tenant_id > 0);
        assert.ok('display_name' in u);
        assert.deepEqual(Object.keys(u).sort(),
                         ['display_name', 'id', 'locale', 'must_change_password', 'role', 'tenant_id', 'username']);
        const line = r.headers.getSetCookie().find((l) => l.startsWith('bureau_session='));
        assert.ok(line, 'no session cookie');
        assert.match(r.cookie, SECRET_RE);
        assert.match(line, /; Path=\/(;|$)/);
        assert.match(line, /; HttpOnly(;|$)/);
        assert.match(line, /; SameSite=Strict(;|$)/);
        assert.doesNotMatch(line, /Secure/, 'no Secure without TLS');
        // who am I: the same user plus the CSRF token
        const me = await withCookie(srv.url, 'GET', '/api/v1/session', r.cookie);
        assert.equal(me.status, 200, me.text);
        assert.equal(me.body.csrf, r.body.csrf);
        for (const k of Object.keys(u)) assert.deepEqual(me.body[k], u[k], k);
        // the tenant by its code works too; an unknown code is a failed sign-in
        const t = await signIn(srv.url, { username: 'admin', password: ADMIN_PASSWORD, tenant: 'default' });
        assert.equal(t.status, 200, t.text);
        const bad = await signIn(srv.url, { username: 'admin', password: ADMIN_PASSWORD, tenant: 'nowhere' });
        problem(assert, bad, 401, 'BUR-301');
    });

    test('not signed in: 401 "sign in first"; public routes still answer', async () => {
        const anon = api(srv.url, { anonymous: true });
        const r = await anon.get('/api/v1/departments');
        problem(assert, r, 401, 'BUR-301');
        assert.equal(r.body.key, 'auth.required');
        problem(assert, await anon.get('/api/v1/session'), 401, 'BUR-301');
        assert.equal((await anon.get('/api/health')).status, 200);
        // garbage cookies and tokens are refused, never crash
        for (const c of ['bureau_session=', 'bureau_session=abc', `bureau_session=${'A'.repeat(43)}`,
                         `bureau_session="${'B'.repeat(43)}"`, `x=1; bureau_session=${'x'.repeat(5000)}`, ';;;=;=']) {
            const g = await anon.get('/api/v1/departments', { headers: { Cookie: c } });
            problem(assert, g, 401, 'BUR-301');
        }
    });

    test('wrong password and unknown user: the same 401 body, in about the same time', async () => {
        await makeUser(admin, 'timing.user', 'Timing-user-pw-1!');
        const wrong = [], unknown = [];
        for (let i = 0; i < 3; i++) {
            wrong.push(await signIn(srv.url, { username: 'timing.user', password: `Not-it-${i}-xyz` }));
            unknown.push(await signIn(srv.url, { username: `nobody.${i}`, password: `Not-it-${i}-xyz` }));
        }
        const strip = (b) => {
            const { instance, ...rest } = b;
            return rest;
        };
        for (const r of [...wrong, ...unknown]) {
            problem(assert, r, 401, 'BUR-301');
            assert.equal(r.body.key, 'auth.wrong_password');
            assert.equal(r.body.detail, 'wrong username or password');
            assert.equal(r.cookie, undefined);
            assert.deepEqual(strip(r.body), strip(wrong[0].body));
        }
        const median = (xs) => xs.map((x) => x.ms).sort((p, q) => p - q)[1];
        const ratio = median(unknown) / median(wrong);
        assert.ok(ratio > 1 / 3 && ratio < 3, `unknown ${median(unknown)} ms vs wrong ${median(wrong)} ms`);
        await sleep(3200); // let these failures leave the 3 s window
    });

    test('CSRF: cookie-authenticated mutations need the token; reads and bearer do not', async () => {
        const s = await signIn(srv.url, { username: 'admin', password: ADMIN_PASSWORD });
        let r = await withCookie(srv.url, 'POST', '/api/v1/departments', s.cookie, null, { name: 'no csrf' });
        problem(assert, r, 403, 'BUR-302');
        assert.equal(r.body.key, 'auth.csrf');
        r = await withCookie(srv.url, 'POST', '/api/v1/departments', s.cookie, 'A'.repeat(43), { name: 'wrong csrf' });
        problem(assert, r, 403, 'BUR-302');
        r = await withCookie(srv.url, 'POST', '/api/v1/departments', s.cookie, s.body.csrf.slice(0, 20), { name: 'short' });
        problem(assert, r, 403, 'BUR-302');
        r = await withCookie(srv.url, 'DELETE', '/api/v1/session', s.cookie, null);
        problem(assert, r, 403, 'BUR-302');
        r = await withCookie(srv.url, 'GET', '/api/v1/departments', s.cookie, null);
        assert.equal(r.status, 200, r.text);
        r = await withCookie(srv.url, 'POST', '/api/v1/departments', s.cookie, s.body.csrf, { name: 'with csrf' });
        assert.equal(r.status, 201, r.text);
        // another session's CSRF token does not fit this session
        const other = await signIn(srv.url, { username: 'admin', password: ADMIN_PASSWORD });
        r = await withCookie(srv.url, 'POST', '/api/v1/departments', s.cookie, other.body.csrf, { name: 'crossed' });
        problem(assert, r, 403, 'BUR-302');
    });

    test('sign-out: 204, the cookie cleared, the session id dead afterwards', async () => {
        const s = await signIn(srv.url, { username: 'admin', password: ADMIN_PASSWORD });
        assert.equal((await withCookie(srv.url, 'GET', '/api/v1/session', s.cookie)).status, 200);
        const r = await withCookie(srv.url, 'DELETE', '/api/v1/session', s.cookie, s.body.csrf);
        assert.equal(r.status, 204, r.text);
        const line = r.headers.getSetCookie().find((l) => l.startsWith('bureau_session='));
        assert.ok(line && /Max-Age=0/.test(line), `cookie not cleared: ${line}`);
        problem(assert, await withCookie(srv.url, 'GET', '/api/v1/session', s.cookie), 401, 'BUR-301');
        problem(assert, await withCookie(srv.url, 'GET', '/api/v1/departments', s.cookie), 401, 'BUR-301');
        problem(assert, await withCookie(srv.url, 'DELETE', '/api/v1/session', s.cookie, s.body.csrf), 401, 'BUR-301');
    });

    test('every sign-in gives a new session id; one presented at sign-in ends', async () => {
        const ids = new Set();
        for (let i = 0; i < 3; i++) {
            const s = await signIn(srv.url, { username: 'admin', password: ADMIN_PASSWORD });
            assert.equal(s.status, 200, s.text);
            ids.add(s.cookie);
        }
        assert.equal(ids.size, 3);
        const old = [...ids][0];
        const res = await fetch(srv.url + '/api/v1/session', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Cookie: `bureau_session=${old}` },
            body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
        });
        assert.equal(res.status, 200);
        const fresh = setCookieValue(res.headers, 'bureau_session');
        assert.ok(fresh && fresh !== old && !ids.has(fresh));
        problem(assert, await withCookie(srv.url, 'GET', '/api/v1/session', old), 401, 'BUR-301');
        assert.equal((await withCookie(srv.url, 'GET', '/api/v1/session', fresh)).status, 200);
    });

    test('over-long username or password: 422 naming the field, audited as a failure', async () => {
        let r = await signIn(srv.url, { username: 'u'.repeat(65), password: 'whatever-long-enough' });
        problem(assert, r, 422, 'BUR-201', ['username']);
        r = await signIn(srv.url, { username: 'admin', password: 'p'.repeat(257) });
        problem(assert, r, 422, 'BUR-201', ['password']);
        r = await signIn(srv.url, { username: 'admin' });
        problem(assert, r, 422, 'BUR-201', ['password']);
        r = await signIn(srv.url, { username: 'admin', password: 12345678901 });
        problem(assert, r, 422, 'BUR-201', ['password']);
        r = await signIn(srv.url, { username: 'admin', password: ADMIN_PASSWORD, extra: 1 });
        problem(assert, r, 422, 'BUR-201', ['extra']);
        // 64 bytes exactly is a normal (failed) sign-in
        r = await signIn(srv.url, { username: 'u'.repeat(64), password: 'whatever-long-enough' });
        problem(assert, r, 401, 'BUR-301');
        await sleep(3200);
    });

    test('password rules: length, the username, common passwords (422 naming the field)', async () => {
        const u = await makeUser(admin, 'rules.user', 'Rules-user-pw-1!');
        const cases = [
            ['short', 'Abc-12345'],            // 9 characters
            ['username', 'rules.user'],        // the username (10 characters)
            ['username in it', 'xxRULES.USERyy'],
            ['common', '1234567890'],
            ['common, any case', 'PassWord123'],
            ['common pinyin', 'woaini1314'],
            ['common keyboard', '1qaz2wsx3edc'],
            ['one character', 'zzzzzzzzzzzzzzzz'],
        ];
        for (const [what, pw] of cases) {
            const r = await u.client.post('/api/v1/session/password', { current: u.password, new: pw });
            problem(assert, r, 422, 'BUR-201', ['new']);
            assert.ok(!r.body.errors.some((e) => e.field === 'current'), `${what}: ${r.text}`);
        }
        // ten Unicode characters are enough even though they are 30 bytes
        let r = await u.client.post('/api/v1/session/password', { current: u.password, new: '机关事务管理局办公用房' });
        assert.equal(r.status, 204, r.text);
        // nine are not
        r = await u.client.post('/api/v1/session/password', { current: '机关事务管理局办公用房', new: '机关事务管理局办公' });
        problem(assert, r, 422, 'BUR-201', ['new']);
        // the admin's reset follows the same rules, on field "password"
        r = await admin.post(`/api/v1/users/${u.id}/reset_password`, { password: 'qwertyuiop' });
        problem(assert, r, 422, 'BUR-201', ['password']);
        r = await admin.post(`/api/v1/users/${u.id}/reset_password`, { password: 'short' });
        problem(assert, r, 422, 'BUR-201', ['password']);
    });

    test('changing the password: current must be right; other sessions end, this one stays', async () => {
        const u = await makeUser(admin, 'change.user', 'Change-user-pw-1!');
        const second = await signIn(srv.url, { username: 'change.user', password: u.password });
        assert.equal(second.status, 200);
        let r = await u.client.post('/api/v1/session/password', { current: 'Not-the-password-1', new: 'Change-user-pw-2!' });
        problem(assert, r, 422, 'BUR-201', ['current']);
        r = await u.client.post('/api/v1/session/password', { current: u.password, new: u.password });
        problem(assert, r, 422, 'BUR-201', ['new']);
        r = await u.client.post('/api/v1/session/password', { current: u.password, new: 'Change-user-pw-2!' });
        assert.equal(r.status, 204, r.text);
        assert.equal((await u.client.get('/api/v1/session')).status, 200, 'the changing session stays');
        problem(assert, await withCookie(srv.url, 'GET', '/api/v1/session', second.cookie), 401, 'BUR-301');
        problem(assert, await signIn(srv.url, { username: 'change.user', password: u.password }), 401, 'BUR-301');
        assert.equal((await signIn(srv.url, { username: 'change.user', password: 'Change-user-pw-2!' })).status, 200);
        await sleep(3200);
    });

    test('an admin reset ends the sessions and forces a change before anything else', async () => {
        const u = await makeUser(admin, 'reset.user', 'Reset-user-pw-1!');
        assert.equal((await u.client.get('/api/v1/departments')).status, 200);
        let r = await admin.post(`/api/v1/users/${u.id}/reset_password`, { password: 'Reset-by-admin-7!' });
        assert.ok(r.status === 200 || r.status === 204, r.text);
        if (r.status === 200) {
            assert.equal(r.body.must_change_password, true);
            assert.ok(!('password_hash' in r.body));
        }
        problem(assert, await u.client.get('/api/v1/departments'), 401, 'BUR-301');
        problem(assert, await signIn(srv.url, { username: 'reset.user', password: u.password }), 401, 'BUR-301');
        const v = api(srv.url, { username: 'reset.user', password: 'Reset-by-admin-7!' });
        const login = await v.login();
        assert.equal(login.user.must_change_password, true);
        r = await v.get('/api/v1/departments');
        problem(assert, r, 403, 'BUR-302');
        assert.equal(r.body.key, 'auth.must_change_password');
        problem(assert, await v.post('/api/v1/departments', { name: 'not yet' }), 403, 'BUR-302');
        r = await v.get('/api/v1/session');
        assert.equal(r.status, 200, r.text);
        assert.equal(r.body.must_change_password, true);
        assert.equal((await v.get('/api/v1/meta')).status, 200);
        r = await v.post('/api/v1/session/password', { current: 'Reset-by-admin-7!', new: 'Reset-user-pw-2!' });
        assert.equal(r.status, 204, r.text);
        assert.equal((await v.get('/api/v1/departments')).status, 200);
        assert.equal((await v.get('/api/v1/session')).body.must_change_password, false);
        // an unknown user id is 404; the reset takes only "password"
        problem(assert, await admin.post('/api/v1/users/999999/reset_password', { password: 'Whatever-pw-99!' }), 404, 'BUR-107');
        problem(assert, await admin.post(`/api/v1/users/${u.id}/reset_password`, { password: 'Whatever-pw-99!', x: 1 }), 422, 'BUR-201', ['x']);
    });

    test('every failure, sign-in, sign-out and password change is audited, without passwords', async () => {
        const u = await makeUser(admin, 'audit.user', 'Audit-user-pw-1!');
        const bad = 'Audit-wrong-pw-77';
        problem(assert, await signIn(srv.url, { username: 'audit.user', password: bad }), 401, 'BUR-301');
        problem(assert, await signIn(srv.url, { username: 'audit.ghost', password: bad }), 401, 'BUR-301');
        const s = await signIn(srv.url, { username: 'audit.user', password: u.password });
        assert.equal((await withCookie(srv.url, 'DELETE', '/api/v1/session', s.cookie, s.body.csrf)).status, 204);
        const r = await admin.get('/api/v1/audit_entries?action=login_failed&limit=500');
        assert.equal(r.status, 200, r.text);
        const failed = r.body.items;
        for (const e of failed) {
            assert.equal(e.action, 'login_failed');
            assert.equal(typeof e.after.ip, 'string');
            assert.equal(typeof e.after.reason, 'string');
        }
        const mine = failed.filter((e) => e.actor === 'audit.user');
        assert.ok(mine.some((e) => e.after.reason === 'wrong_password' && e.record_id === u.id), JSON.stringify(mine));
        assert.ok(failed.some((e) => e.actor === 'audit.ghost'));
        assert.ok(failed.some((e) => e.actor === 'u'.repeat(64) && e.after.reason === 'too_long'));
        assert.ok(failed.some((e) => e.actor === 'nobody.0'));
        for (const action of ['login', 'logout', 'password_change', 'password_reset']) {
            const x = await admin.get(`/api/v1/audit_entries?action=${action}&limit=500`);
            assert.equal(x.status, 200, x.text);
            assert.ok(x.body.items.length > 0, `no ${action} entries`);
            assert.ok(x.body.items.every((e) => e.collection === 'users' && e.record_id > 0), action);
        }
        const logins = (await admin.get('/api/v1/audit_entries?action=login&limit=500')).body.items;
        assert.ok(logins.some((e) => e.actor === 'audit.user' && e.record_id === u.id));
        // no password (nor hash) anywhere in the chain
        const all = JSON.stringify(await admin.all('audit_entries'));
        for (const secret of [bad, u.password, ADMIN_PASSWORD, 'Reset-by-admin-7!', '$argon2id$'])
            assert.ok(!all.includes(secret), `audit contains ${secret}`);
        // the user record never shows the hash
        const ur = await admin.get(`/api/v1/users/${u.id}`);
        assert.equal(ur.status, 200);
        assert.ok(!('password_hash' in ur.body) && !ur.text.includes('argon2'));
        assert.ok(ur.body.last_login_at, 'last_login_at set');
        const list = await admin.get('/api/v1/users?limit=500');
        assert.ok(!list.text.includes('argon2') && !list.text.includes('password_hash'));
    });
});

describe('brute-force limits', () => {
    let srv, admin;
    before(async () => {
        srv = await startServer({ args: ['--login-window', '3'] });
        admin = api(srv.url);
        await admin.login();
    });
    after(async () => {
        if (srv) await srv.stop();
    });

    test('5 failures lock the username (429 + Retry-After), even for the right password; the window ends it', async () => {
        const u = await makeUser(admin, 'locked.user', 'Locked-user-pw-1!');
        for (let i = 0; i < 5; i++)
            problem(assert, await signIn(srv.url, { username: 'locked.user', password: `Wrong-pw-${i}-abc` }), 401, 'BUR-301');
        let r = await signIn(srv.url, { username: 'locked.user', password: u.password });
        problem(assert, r, 429, 'BUR-303');
        const retry = Number(r.headers.get('retry-after'));
        assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 3, `Retry-After ${r.headers.get('retry-after')}`);
        assert.equal(r.cookie, undefined);
        problem(assert, await signIn(srv.url, { username: 'locked.user', password: 'Wrong-pw-x-abc' }), 429, 'BUR-303');
        // other users are not locked
        assert.equal((await signIn(srv.url, { username: 'admin', password: ADMIN_PASSWORD })).status, 200);
        // a refusal while locked does not extend the lock
        await sleep(retry * 1000 + 300);
        r = await signIn(srv.url, { username: 'locked.user', password: u.password });
        assert.equal(r.status, 200, r.text);
        const audit = await admin.get('/api/v1/audit_entries?action=login_failed&limit=500');
        assert.ok(audit.body.items.some((e) => e.actor === 'locked.user' && e.after.reason === 'locked_out'));
    });

    test('a successful sign-in does not reset the count', async () => {
        const u = await makeUser(admin, 'count.user', 'Count-user-pw-1!');
        await sleep(3200); // makeUser's sign-ins are successes; start from an empty window anyway
        for (let i = 0; i < 4; i++)
            problem(assert, await signIn(srv.url, { username: 'count.user', password: `Wrong-pw-${i}-abc` }), 401, 'BUR-301');
        assert.equal((await signIn(srv.url, { username: 'count.user', password: u.password })).status, 200);
        problem(assert, await signIn(srv.url, { username: 'count.user', password: 'Wrong-pw-4-abc' }), 401, 'BUR-301');
        problem(assert, await signIn(srv.url, { username: 'count.user', password: u.password }), 429, 'BUR-303');
        await sleep(3200);
    });

    test('limits hold under parallel attempts', async () => {
        await makeUser(admin, 'race.user', 'Race-user-pw-1!');
        await sleep(3200);
        const rs = await Promise.all(Array.from({ length: 12 }, (_, i) =>
            signIn(srv.url, { username: 'race.user', password: `Wrong-pw-${i}-abc` })));
        for (const r of rs) assert.ok(r.status === 401 || r.status === 429, r.text);
        problem(assert, await signIn(srv.url, { username: 'race.user', password: 'Race-user-pw-1!' }), 429, 'BUR-303');
    });
});

test('20 failures from one address across usernames lock the address', async () => {
    const srv = await startServer();
    try {
        const admin = api(srv.url);
        await admin.login();
        for (let i = 0; i < 20; i++)
            problem(assert, await signIn(srv.url, { username: `spray.${i}`, password: 'Spray-pw-123456' }), 401, 'BUR-301');
        const r = await signIn(srv.url, { username: 'admin', password: ADMIN_PASSWORD });
        problem(assert, r, 429, 'BUR-303');
        const retry = Number(r.headers.get('retry-after'));
        assert.ok(retry > 800 && retry <= 900, `Retry-After ${retry}`);
        // an existing session still works
        assert.equal((await admin.get('/api/v1/departments')).status, 200);
    } finally {
        await srv.stop();
    }
});

// The hashing threads: every sign-in and password change is answered by
// them (counted in /metrics), with one HTTP worker serving meanwhile.
test('sign-ins and password changes are hashed off the HTTP workers, one worker serving the rest', async () => {
    const srv = await startServer({ args: ['--threads', '1', '--hash-threads', '1'] });
    try {
        const off = async () => {
            const m = await (await fetch(`${srv.url}/metrics`)).text();
            const v = /^bureau_hashed_off_workers_total (\d+)$/m.exec(m);
            assert.ok(v, 'the counter is in /metrics');
            return Number(v[1]);
        };
        await makeUser(api(srv.url), 'hashcheck', 'Hash-check-2026-pw');
        const before = await off();
        assert.ok(before >= 3, `the admin's sign-in, the new user's and their first change: ${before}`);
        // eight sign-ins at once (two with a wrong password), and the one worker
        // answers other requests while they hash
        const signins = [];
        for (let i = 0; i < 8; i++) {
            signins.push(fetch(`${srv.url}/api/v1/session`, {
                method: 'POST', headers: { 'Content-Type': 'application/json' },
                body: JSON.stringify({ username: 'hashcheck', password: i < 6 ? 'Hash-check-2026-pw' : 'wrong-password-x' }),
            }));
        }
        const health = await Promise.all([1, 2, 3].map(() => fetch(`${srv.url}/api/health`)));
        assert.deepEqual(health.map((x) => x.status), [200, 200, 200]);
        const st = (await Promise.all(signins)).map((x) => x.status);
        assert.deepEqual(st.sort(), [200, 200, 200, 200, 200, 200, 401, 401]);
        const u = api(srv.url, { username: 'hashcheck', password: 'Hash-check-2026-pw' });
        const ch = await u.post('/api/v1/session/password', { current: 'Hash-check-2026-pw', new: 'Hash-check-2027-pw' });
        assert.equal(ch.status, 204, ch.text);
        // eight, the user's own sign-in, the change
        assert.equal(await off() - before, 10);
        const again = api(srv.url, { username: 'hashcheck', password: 'Hash-check-2027-pw' });
        assert.equal((await again.get('/api/v1/session')).status, 200);
    } finally {
        await srv.stop();
    }
});

test('idle expiry (--session-idle 2): activity keeps a session, 2 s of silence ends it', async () => {
    const srv = await startServer({ args: ['--session-idle', '2'] });
    try {
        const a = api(srv.url);
        await a.login();
        const t0 = Date.now();
        while (Date.now() - t0 < 3500) {
            const r = await a.get('/api/v1/session');
            assert.equal(r.status, 200, `after ${Date.now() - t0} ms: ${r.text}`);
            await sleep(500);
        }
        await sleep(3500);
        const r = await a.get('/api/v1/departments');
        problem(assert, r, 401, 'BUR-301');
        assert.ok(['auth.session_expired', 'auth.required'].includes(r.body.key), r.body.key);
        problem(assert, await a.get('/api/v1/session'), 401, 'BUR-301');
        assert.equal((await a.login()).user.username, 'admin');
        assert.equal((await a.get('/api/v1/departments')).status, 200);
    } finally {
        await srv.stop();
    }
});

test('absolute expiry (--session-max 3): even an active session ends', async () => {
    const srv = await startServer({ args: ['--session-max', '3'] });
    try {
        const a = api(srv.url);
        await a.login();
        assert.equal((await a.get('/api/v1/session')).status, 200);
        let last = 200;
        const t0 = Date.now();
        while (Date.now() - t0 < 5000) {
            last = (await a.get('/api/v1/session')).status;
            if (last !== 200) break;
            await sleep(400);
        }
        assert.equal(last, 401);
        assert.ok(Date.now() - t0 >= 1500, 'ended too early');
    } finally {
        await srv.stop();
    }
});

test('the first admin: a random password printed once when none is given', async () => {
    const srv = await startServer({ env: { BUREAU_ADMIN_PASSWORD: null } });
    try {
        const m = /admin password: (\S+)/.exec(srv.stderr);
        assert.ok(m, srv.stderr);
        assert.equal(m[1].length, 16);
        assert.equal(srv.stderr.split('admin password:').length, 2, 'printed once');
        const a = api(srv.url, { username: 'admin', password: m[1] });
        assert.equal((await a.login()).user.must_change_password, true);
        problem(assert, await a.get('/api/v1/departments'), 403, 'BUR-302');
        assert.equal((await a.post('/api/v1/session/password', { current: m[1], new: 'Brand-new-pw-2026' })).status, 204);
        assert.equal((await a.get('/api/v1/departments')).status, 200);
    } finally {
        await srv.stop();
    }
});

test('a weak BUREAU_ADMIN_PASSWORD stops the start with a clear message', async () => {
    await assert.rejects(startServer({ env: { BUREAU_ADMIN_PASSWORD: 'password123' }, timeoutMs: 20000 }),
                         /BUREAU_ADMIN_PASSWORD/);
});
