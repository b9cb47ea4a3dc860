// SPDX-License-Identifier: MIT
// notify.test.js - the notify module end to end: outgoing webhooks received by
// a local HTTP server (signature recomputed here, headers, payloads of a
// department's create/update/delete, pattern matching, inactive webhooks,
// retries with backoff, failure after the last attempt, manual retry, ping),
// the secret never sent back, bad input, permissions; and in-app
// notifications (the password-reset and role-change producers, the unread
// count, paging, marking read and its audit entries).
'use strict';

const { test, describe, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const http = require('node:http');
const { startServer, api, problem } = require('./lib/server');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what, fn, timeoutMs = 20000) {
    const t0 = Date.now();
    for (;;) {
        const v = await fn();
        if (v) return v;
        if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
        await sleep(100);
    }
}

// A local receiver: records every request; plan(path, [status, …]) answers
// the next requests to path with those statuses (then always(path) or 200).
function receiver() {
    const got = [];
    const plans = {};
    const fixed = {};
    const server = http.createServer((req, res) => {
        const chunks = [];
        req.on('data', (c) => chunks.push(c));
        req.on('end', () => {
            const body = Buffer.concat(chunks).toString('utf8');
            got.push({ path: req.url, method: req.method, headers: req.headers, body, at: Date.now() });
            const plan = plans[req.url];
            const status = plan && plan.length ? plan.shift() : fixed[req.url] || 200;
            res.writeHead(status, { 'Content-Type': 'text/plain' });
            res.end(status < 300 ? 'thanks' : 'not now');
        });
    });
    return new Promise((resolve) => {
        server.listen(0, '127.0.0.1', () => {
            const base = `http://127.0.0.1:${server.address().port}`;
            resolve({
                base,
                got,
                at: (p) => got.filter((g) => g.path === p),
                plan: (p, statuses) => (plans[p] = [...statuses]),
                always: (p, status) => (fixed[p] = status),
                close: () => new Promise((r) => server.close(r)),
            });
        });
    });
}

function sign(secret, ts, body) {
    return 'sha256=' + crypto.createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex');
}

// The checks a receiver makes (docs/modules/notify.md): signature over
// "<timestamp>.<body>" with the secret, and a fresh timestamp.
function verify(req, secret) {
    const ts = req.headers['x-bureau-timestamp'];
    assert.match(ts, /^\d+$/);
    assert.ok(Math.abs(Number(ts) - Date.now() / 1000) < 120, `stale timestamp ${ts}`);
    const want = sign(secret, ts, req.body);
    const got = req.headers['x-bureau-signature'];
    assert.equal(got.length, want.length);
    assert.ok(crypto.timingSafeEqual(Buffer.from(got), Buffer.from(want)), `bad signature ${got}`);
}

async function roleId(a, code) {
    const roles = await a.all('roles');
    const r = roles.find((x) => x.code === code);
    assert.ok(r, `no role ${code}`);
    return r.id;
}

// A user with a role who has changed the password an administrator set.
async function makeUser(admin, username, role) {
    let r = await admin.post('/api/v1/users', { username, display_name: username, role_id: await roleId(admin, role) });
    assert.equal(r.status, 201, r.text);
    const id = r.body.id;
    const temp = `Temp-pw-${crypto.randomBytes(5).toString('hex')}-9x!`;
    r = await admin.post(`/api/v1/users/${id}/reset_password`, { password: temp });
    assert.equal(r.status, 200, r.text);
    const password = `Own-pw-${crypto.randomBytes(5).toString('hex')}-7y!`;
    const u = api(admin.base, { username, password: temp });
    r = await u.post('/api/v1/session/password', { current: temp, new: password });
    assert.equal(r.status, 204, r.text);
    return { id, username, password, client: api(admin.base, { username, password }) };
}

describe('webhooks and notifications', () => {
    let srv, admin, rx;
    const seen = []; // response texts checked for secrets at the end
    const secrets = [];
    const keep = (r) => {
        seen.push(r.text || '');
        return r;
    };

    async function createHook(body) {
        const r = keep(await admin.post('/api/v1/webhooks', body));
        assert.equal(r.status, 201, r.text);
        assert.ok(!('secret' in r.body), r.text);
        secrets.push(body.secret);
        return r.body;
    }

    async function deliveries(query = {}) {
        const q = new URLSearchParams({ sort: 'id', ...query });
        const r = keep(await admin.get(`/api/v1/webhook_deliveries?${q}`));
        assert.equal(r.status, 200, r.text);
        return r.body.items;
    }

    before(async () => {
        rx = await receiver();
        srv = await startServer({ args: ['--jobs-interval', '1', '--webhook-backoff', '1'] });
        admin = api(srv.url);
    });
    after(async () => {
        if (srv) await srv.stop();
        if (rx) await rx.close();
    });

    test('bad webhooks are refused with 422 naming the field, and nothing is created', async () => {
        const good = { name: 'ok', url: `${rx.base}/x`, secret: 'a-secret-of-16-chars', events: '*' };
        const cases = [
            [{ ...good, url: 'ftp://example.org/hook' }, 'url'],
            [{ ...good, url: 'file:///etc/passwd' }, 'url'],
            [{ ...good, url: 'not a url' }, 'url'],
            [{ ...good, url: 'http://user:pw@example.org/hook' }, 'url'],
            [{ ...good, url: 'http:///nohost' }, 'url'],
            [{ ...good, secret: 'short' }, 'secret'],
            [{ ...good, secret: 12345678901234567 }, 'secret'],
            [{ ...good, secret: undefined }, 'secret'],
            [{ ...good, events: 'departments' }, 'events'],
            [{ ...good, events: 'Departments.*' }, 'events'],
            [{ ...good, events: 'a.b.c' }, 'events'],
            [{ ...good, events: 'departments.*,,people.update' }, 'events'],
            [{ ...good, events: '' }, 'events'],
            [{ ...good, name: undefined, secret: 'x' }, 'name'],
        ];
        for (const [body, field] of cases) {
            const b = JSON.parse(JSON.stringify(body));
            const r = keep(await admin.post('/api/v1/webhooks', b));
            problem(assert, r, 422, 'BUR-201', [field]);
        }
        // every field's problem at once
        const r = keep(await admin.post('/api/v1/webhooks', { url: 'gopher://x', secret: 'short', events: 'x' }));
        problem(assert, r, 422, 'BUR-201', ['url', 'secret', 'events', 'name']);
        const l = keep(await admin.get('/api/v1/webhooks'));
        assert.equal(l.body.items.length, 0, l.text);
    });

    let hookA, hookB, hookC, hookD;
    const secretA = 'A-secret-' + crypto.randomBytes(8).toString('hex');
    test('create: the secret is taken, never shown; events are normalised', async () => {
        hookA = await createHook({ name: 'departments', url: `${rx.base}/a`, secret: secretA, events: ' departments.* , people.update ' });
        assert.equal(hookA.events, 'departments.*,people.update');
        assert.equal(hookA.active, true);
        hookB = await createHook({ name: 'people only', url: `${rx.base}/b`, secret: 'B-secret-0123456789', events: 'people.*' });
        hookC = await createHook({ name: 'inactive', url: `${rx.base}/c`, secret: 'C-secret-0123456789', events: '*', active: false });
        hookD = await createHook({ name: 'deletes', url: `${rx.base}/d`, secret: 'D-secret-0123456789', events: '*.delete' });
        const g = keep(await admin.get(`/api/v1/webhooks/${hookA.id}`));
        assert.equal(g.status, 200);
        assert.ok(!('secret' in g.body));
        // the generic routes cannot write it either
        const p = keep(await admin.patch(`/api/v1/webhooks/${hookA.id}`, { secret: 'short' }));
        problem(assert, p, 422, 'BUR-201', ['secret']);
        const u = keep(await admin.patch(`/api/v1/webhooks/${hookA.id}`, { url: 'ftp://x/y' }));
        problem(assert, u, 422, 'BUR-201', ['url']);
        const g2 = keep(await admin.get(`/api/v1/webhooks/${hookA.id}`));
        assert.equal(g2.body.url, `${rx.base}/a`);
        assert.equal(g2.body.version, 1);
    });

    test('a department created, updated and deleted: signed deliveries in order, only to matching active webhooks', async () => {
        let r = keep(await admin.post('/api/v1/departments', { name: '通知测试处' }));
        assert.equal(r.status, 201, r.text);
        const dept = r.body;
        r = keep(await admin.patch(`/api/v1/departments/${dept.id}`, { name: '通知测试处（改）' }));
        assert.equal(r.status, 200, r.text);
        r = keep(await admin.del(`/api/v1/departments/${dept.id}`));
        assert.equal(r.status, 204, r.text);
        const got = await waitFor('three deliveries to /a', () => (rx.at('/a').length >= 3 ? rx.at('/a') : null));
        await waitFor('one delivery to /d', () => rx.at('/d').length >= 1);
        const [c, u, d] = got;
        for (const req of got) {
            assert.equal(req.method, 'POST');
            assert.equal(req.headers['content-type'], 'application/json');
            assert.match(req.headers['user-agent'], /^bureau\/\d+\.\d+\.\d+$/);
            verify(req, secretA);
        }
        assert.deepEqual(got.map((x) => x.headers['x-bureau-event']), ['departments.create', 'departments.update', 'departments.delete']);
        const ids = got.map((x) => Number(x.headers['x-bureau-delivery']));
        assert.deepEqual([...ids].sort((x, y) => x - y), ids, 'in order of id');
        const pc = JSON.parse(c.body), pu = JSON.parse(u.body), pd = JSON.parse(d.body);
        assert.deepEqual(Object.keys(pc).sort(), ['action', 'actor', 'after', 'at', 'before', 'collection', 'event', 'id', 'tenant'].sort());
        assert.equal(pc.event, 'departments.create');
        assert.equal(pc.collection, 'departments');
        assert.equal(pc.action, 'create');
        assert.equal(pc.id, dept.id);
        assert.equal(pc.tenant, 1);
        assert.equal(pc.actor.username, 'admin');
        assert.match(pc.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
        assert.equal(pc.before, null);
        assert.equal(pc.after.name, '通知测试处');
        assert.equal(pu.before.name, '通知测试处');
        assert.equal(pu.after.name, '通知测试处（改）');
        assert.equal(pd.action, 'delete');
        assert.equal(pd.before.name, '通知测试处（改）');
        assert.equal(pd.after, null);
        // *.delete got the delete only; people.* and the inactive one nothing
        await sleep(1500);
        assert.deepEqual(rx.at('/d').map((x) => x.headers['x-bureau-event']), ['departments.delete']);
        verify(rx.at('/d')[0], 'D-secret-0123456789');
        assert.equal(rx.at('/b').length, 0);
        assert.equal(rx.at('/c').length, 0);
        // the records of the deliveries
        const ds = await deliveries({ webhook_id: hookA.id });
        assert.equal(ds.length, 3);
        for (const x of ds) {
            assert.equal(x.status, 'delivered', JSON.stringify(x));
            assert.equal(x.attempts, 1);
            assert.equal(x.last_status, 200);
            assert.equal(x.last_error, null);
            assert.ok(x.delivered_at);
            assert.equal(x.collection, 'departments');
            assert.equal(x.record_id, dept.id);
            assert.ok(!('lease_until' in x));
        }
        assert.equal((await deliveries({ webhook_id: hookB.id })).length, 0);
        assert.equal((await deliveries({ webhook_id: hookC.id })).length, 0);
        // the body sent is the stored payload
        assert.deepEqual(ds[0].payload, pc);
    });

    test('a webhook\'s own tables are never events; deliveries and notifications are written by the server only', async () => {
        const before = rx.got.length;
        const star = await createHook({ name: 'everything', url: `${rx.base}/star`, secret: 'S-secret-0123456789', events: '*' });
        let r = keep(await admin.patch(`/api/v1/webhooks/${star.id}`, { description: '全部事件' }));
        assert.equal(r.status, 200, r.text);
        await sleep(1500);
        assert.equal(rx.got.length, before, 'no delivery about webhooks');
        r = keep(await admin.patch(`/api/v1/webhooks/${star.id}`, { active: false }));
        assert.equal(r.status, 200, r.text);
        problem(assert, keep(await admin.post('/api/v1/webhook_deliveries', { webhook_id: star.id, event: 'x.y' })), 405, 'BUR-105');
        problem(assert, keep(await admin.post('/api/v1/notifications', { user_id: 1, kind: 'x', title: 'y' })), 405, 'BUR-105');
        problem(assert, keep(await admin.patch('/api/v1/notifications/1', { title: 'y' })), 405, 'BUR-105');
    });

    test('the secret can be rotated; a refused rotation keeps the old one', async () => {
        const fresh = 'A-rotated-' + crypto.randomBytes(8).toString('hex');
        let r = keep(await admin.patch(`/api/v1/webhooks/${hookA.id}`, { secret: 'too-short' }));
        problem(assert, r, 422, 'BUR-201', ['secret']);
        r = keep(await admin.post('/api/v1/departments', { name: '旧密钥处' }));
        assert.equal(r.status, 201, r.text);
        let got = await waitFor('delivery with the old secret', () => rx.at('/a').find((x) => JSON.parse(x.body).after?.name === '旧密钥处'));
        verify(got, secretA);
        r = keep(await admin.patch(`/api/v1/webhooks/${hookA.id}`, { secret: fresh }));
        assert.equal(r.status, 200, r.text);
        assert.ok(!('secret' in r.body));
        secrets.push(fresh);
        r = keep(await admin.post('/api/v1/departments', { name: '新密钥处' }));
        got = await waitFor('delivery with the new secret', () => rx.at('/a').find((x) => JSON.parse(x.body).after?.name === '新密钥处'));
        verify(got, fresh);
        assert.throws(() => verify(got, secretA));
    });

    test('ping queues a delivery at once (202); an inactive webhook cannot be pinged', async () => {
        const r = keep(await admin.post(`/api/v1/webhooks/${hookB.id}/ping`, {}));
        assert.equal(r.status, 202, r.text);
        assert.equal(r.body.event, 'ping');
        assert.equal(r.body.webhook_id, hookB.id);
        assert.equal(r.body.status, 'pending');
        const got = await waitFor('the ping', () => rx.at('/b')[0]);
        assert.equal(got.headers['x-bureau-event'], 'ping');
        assert.equal(Number(got.headers['x-bureau-delivery']), r.body.id);
        verify(got, 'B-secret-0123456789');
        const p = JSON.parse(got.body);
        assert.equal(p.event, 'ping');
        assert.equal(p.webhook.id, hookB.id);
        assert.equal(p.webhook.events, 'people.*');
        assert.ok(!('secret' in p.webhook));
        problem(assert, keep(await admin.post(`/api/v1/webhooks/${hookC.id}/ping`, {})), 409, 'BUR-408');
        problem(assert, keep(await admin.post('/api/v1/webhooks/999999/ping', {})), 404, 'BUR-107');
    });

    test('500s are retried with growing delays, then delivered', async () => {
        const hook = await createHook({ name: 'flaky', url: `${rx.base}/flaky`, secret: 'F-secret-0123456789', events: 'ranks.update' });
        rx.plan('/flaky', [500, 503]);
        const ranks = await admin.all('ranks');
        const r = keep(await admin.patch(`/api/v1/ranks/${ranks[0].id}`, { sort_order: 999 }));
        assert.equal(r.status, 200, r.text);
        const got = await waitFor('three attempts', () => (rx.at('/flaky').length >= 3 ? rx.at('/flaky') : null), 30000);
        const ts = got.map((x) => Number(x.headers['x-bureau-timestamp']));
        // backoff base 1 s: the second attempt ≥ 1 s after the first, the third ≥ 2 s after that
        assert.ok(ts[1] - ts[0] >= 1, `gaps ${ts}`);
        assert.ok(ts[2] - ts[1] >= 2, `gaps ${ts}`);
        assert.deepEqual(new Set(got.map((x) => x.headers['x-bureau-delivery'])).size, 1, 'the same delivery');
        for (const x of got) verify(x, 'F-secret-0123456789');
        const d = await waitFor('delivered', async () => {
            const [x] = await deliveries({ webhook_id: hook.id });
            return x && x.status === 'delivered' ? x : null;
        });
        assert.equal(d.attempts, 3);
        assert.equal(d.last_status, 200);
        await sleep(1200);
        assert.equal(rx.at('/flaky').length, 3, 'nothing sent after success');
    });

    test('a failing delivery holds back the later ones of its webhook (order), not other webhooks', async () => {
        const hook = await createHook({ name: 'ordered', url: `${rx.base}/ordered`, secret: 'O-secret-0123456789', events: 'ranks.update' });
        rx.plan('/ordered', [500]);
        const ranks = await admin.all('ranks');
        for (const n of [1, 2, 3]) {
            const r = keep(await admin.patch(`/api/v1/ranks/${ranks[1].id}`, { sort_order: 500 + n }));
            assert.equal(r.status, 200, r.text);
        }
        const got = await waitFor('four requests', () => (rx.at('/ordered').length >= 4 ? rx.at('/ordered') : null), 20000);
        const ids = got.map((x) => Number(x.headers['x-bureau-delivery']));
        assert.equal(ids[0], ids[1], 'the failed one is retried before the next');
        assert.ok(ids[1] < ids[2] && ids[2] < ids[3], `order ${ids}`);
        assert.deepEqual(got.map((x) => JSON.parse(x.body).after.sort_order), [501, 501, 502, 503]);
        const ds = await deliveries({ webhook_id: hook.id });
        assert.equal(ds.length, 3);
    });

    let staff;
    test('non-admin roles cannot see or change webhooks and deliveries (403); the auditor reads them', async () => {
        const pm = await makeUser(admin, 'pm1', 'property_manager');
        const leader = await makeUser(admin, 'leader1', 'leader');
        const auditor = await makeUser(admin, 'auditor1', 'auditor');
        staff = await makeUser(admin, 'staff1', 'staff');
        for (const u of [pm, leader, staff]) {
            const c = u.client;
            problem(assert, keep(await c.get('/api/v1/webhooks')), 403, 'BUR-302');
            problem(assert, keep(await c.get(`/api/v1/webhooks/${hookA.id}`)), 403, 'BUR-302');
            problem(assert, keep(await c.post('/api/v1/webhooks', { name: 'n', url: `${rx.base}/z`, secret: 'Z-secret-0123456789' })), 403, 'BUR-302');
            problem(assert, keep(await c.patch(`/api/v1/webhooks/${hookA.id}`, { secret: 'Z-secret-0123456789' })), 403, 'BUR-302');
            problem(assert, keep(await c.post(`/api/v1/webhooks/${hookA.id}/ping`, {})), 403, 'BUR-302');
            problem(assert, keep(await c.get('/api/v1/webhook_deliveries')), 403, 'BUR-302');
            problem(assert, keep(await c.post('/api/v1/webhook_deliveries/1/retry', {})), 403, 'BUR-302');
            problem(assert, keep(await c.get('/api/v1/notifications')), 403, 'BUR-302');
            const m = keep(await c.get('/api/v1/meta'));
            assert.ok(!m.body.caller.can.webhooks || m.body.caller.can.webhooks.length === 0, `${u.username}: ${JSON.stringify(m.body.caller.can.webhooks)}`);
        }
        const a = auditor.client;
        let r = keep(await a.get('/api/v1/webhooks'));
        assert.equal(r.status, 200, r.text);
        assert.ok(r.body.items.every((x) => !('secret' in x)));
        r = keep(await a.get('/api/v1/webhook_deliveries'));
        assert.equal(r.status, 200, r.text);
        r = keep(await a.get('/api/v1/notifications'));
        assert.equal(r.status, 200, r.text);
        problem(assert, keep(await a.post('/api/v1/webhooks', { name: 'n', url: `${rx.base}/z`, secret: 'Z-secret-0123456789' })), 403, 'BUR-302');
        problem(assert, keep(await a.post(`/api/v1/webhooks/${hookA.id}/ping`, {})), 403, 'BUR-302');
        problem(assert, keep(await a.post('/api/v1/webhook_deliveries/1/retry', {})), 403, 'BUR-302');
        problem(assert, keep(await a.del(`/api/v1/webhooks/${hookB.id}`)), 403, 'BUR-302');
        // the nothing-changed check
        const g = keep(await admin.get(`/api/v1/webhooks/${hookA.id}`));
        assert.equal(g.body.url, `${rx.base}/a`);
    });

    test('notifications: a password reset and role changes notify the user', async () => {
        const u = await makeUser(admin, 'notified1', 'staff');
        // makeUser's own reset made the first notification
        let r = keep(await u.client.get('/api/v1/me/notifications'));
        assert.equal(r.status, 200, r.text);
        assert.equal(r.body.items.length, 1, r.text);
        const n0 = r.body.items[0];
        assert.equal(n0.kind, 'identity.password_reset');
        assert.equal(n0.user_id, u.id);
        assert.equal(n0.collection, 'users');
        assert.equal(n0.record_id, u.id);
        assert.equal(n0.link, `#/c/users/${u.id}`);
        assert.equal(n0.read_at, null);
        assert.match(n0.title, /密码/);
        r = keep(await u.client.get('/api/v1/me/notifications/unread'));
        assert.deepEqual(r.body, { unread: 1 });
        // a role change (and one that changes something else: no notification)
        const liaison = await roleId(admin, 'liaison'), staffRole = await roleId(admin, 'staff');
        r = keep(await admin.patch(`/api/v1/users/${u.id}`, { role_id: liaison }));
        assert.equal(r.status, 200, r.text);
        r = keep(await admin.patch(`/api/v1/users/${u.id}`, { display_name: '改名' }));
        assert.equal(r.status, 200, r.text);
        r = keep(await u.client.get('/api/v1/me/notifications'));
        assert.equal(r.body.items.length, 2, r.text);
        const n1 = r.body.items[0];
        assert.equal(n1.kind, 'identity.role_changed');
        assert.match(n1.body, /干部职工/);
        assert.match(n1.body, /单位联络员/);
        // a change that fails leaves no notification behind
        r = keep(await admin.patch(`/api/v1/users/${u.id}`, { role_id: 999999 }));
        problem(assert, r, 422, 'BUR-201', ['role_id']);
        for (let i = 0; i < 4; i++) {
            r = keep(await admin.patch(`/api/v1/users/${u.id}`, { role_id: i % 2 ? liaison : staffRole }));
            assert.equal(r.status, 200, r.text);
        }
        r = keep(await u.client.get('/api/v1/me/notifications/unread'));
        assert.deepEqual(r.body, { unread: 6 });
        // others see none of it
        r = keep(await staff.client.get('/api/v1/me/notifications'));
        assert.ok(r.body.items.every((x) => x.user_id === staff.id), r.text);
        u.all = (await u.client.get('/api/v1/me/notifications?limit=100')).body.items;
        globalThis.__notified = u;
    });

    test('notifications: newest first with keyset paging, unread filter, bad parameters', async () => {
        const u = globalThis.__notified;
        const all = u.all;
        assert.equal(all.length, 6);
        const ids = all.map((x) => x.id);
        assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'newest first');
        const pages = [];
        let after = null;
        for (let i = 0; i < 10; i++) {
            const q = after ? `?limit=4&after=${encodeURIComponent(after)}` : '?limit=4';
            const r = keep(await u.client.get(`/api/v1/me/notifications${q}`));
            assert.equal(r.status, 200, r.text);
            pages.push(r.body.items.map((x) => x.id));
            after = r.body.next;
            if (!after) break;
        }
        assert.deepEqual(pages.map((p) => p.length), [4, 2]);
        assert.deepEqual(pages.flat(), ids);
        const c = u.client;
        problem(assert, keep(await c.get('/api/v1/me/notifications?limit=0')), 400, 'BUR-102', ['limit']);
        problem(assert, keep(await c.get('/api/v1/me/notifications?limit=101')), 400, 'BUR-102', ['limit']);
        problem(assert, keep(await c.get('/api/v1/me/notifications?unread=yes')), 400, 'BUR-102', ['unread']);
        problem(assert, keep(await c.get('/api/v1/me/notifications?after=abc')), 400, 'BUR-108');
        problem(assert, keep(await c.get('/api/v1/me/notifications?user_id=1')), 400, 'BUR-102');
    });

    test('notifications: read, read_all, another user\'s → 404, anonymous → 401, and their audit entries', async () => {
        const u = globalThis.__notified;
        const c = u.client;
        const [newest, second] = u.all;
        let r = keep(await c.post(`/api/v1/me/notifications/${second.id}/read`, {}));
        assert.equal(r.status, 200, r.text);
        assert.equal(r.body.id, second.id);
        assert.ok(r.body.read_at);
        const readAt = r.body.read_at;
        r = keep(await c.get('/api/v1/me/notifications/unread'));
        assert.deepEqual(r.body, { unread: 5 });
        r = keep(await c.get('/api/v1/me/notifications?unread=true&limit=100'));
        assert.equal(r.body.items.length, 5);
        assert.ok(!r.body.items.some((x) => x.id === second.id));
        // again: the same answer, nothing changed
        r = keep(await c.post(`/api/v1/me/notifications/${second.id}/read`, {}));
        assert.equal(r.status, 200, r.text);
        assert.equal(r.body.read_at, readAt);
        // someone else's, or none at all
        problem(assert, keep(await admin.post(`/api/v1/me/notifications/${newest.id}/read`, {})), 404, 'BUR-107');
        problem(assert, keep(await staff.client.post(`/api/v1/me/notifications/${newest.id}/read`, {})), 404, 'BUR-107');
        problem(assert, keep(await c.post('/api/v1/me/notifications/999999/read', {})), 404, 'BUR-107');
        problem(assert, keep(await c.post('/api/v1/me/notifications/abc/read', {})), 404, 'BUR-107');
        r = keep(await c.get('/api/v1/me/notifications/unread'));
        assert.deepEqual(r.body, { unread: 5 }, 'others did not read it');
        // anonymous
        const anon = api(srv.url, { anonymous: true });
        problem(assert, keep(await anon.get('/api/v1/me/notifications')), 401, 'BUR-301');
        problem(assert, keep(await anon.get('/api/v1/me/notifications/unread')), 401, 'BUR-301');
        problem(assert, keep(await anon.post('/api/v1/me/notifications/read_all', {})), 401, 'BUR-301');
        problem(assert, keep(await anon.post(`/api/v1/me/notifications/${newest.id}/read`, {})), 401, 'BUR-301');
        // read_all
        r = keep(await c.post('/api/v1/me/notifications/read_all', {}));
        assert.equal(r.status, 200, r.text);
        assert.deepEqual(r.body, { read: 5 });
        r = keep(await c.post('/api/v1/me/notifications/read_all', {}));
        assert.deepEqual(r.body, { read: 0 });
        r = keep(await c.get('/api/v1/me/notifications/unread'));
        assert.deepEqual(r.body, { unread: 0 });
        // one audit entry per call that changed something
        const entries = await admin.all('audit_entries', { collection: 'notifications' });
        const mine = entries.filter((x) => x.actor === u.username);
        assert.deepEqual(mine.map((x) => x.action), ['read', 'read_all']);
        assert.equal(mine[0].record_id, second.id);
        assert.equal(mine[0].after.read_at, readAt);
        assert.equal(mine[1].after.read, 5);
        assert.equal(mine[1].after.user_id, u.id);
        // the auditor's view of the collection
        const all = await admin.all('notifications', { user_id: u.id });
        assert.equal(all.length, 6);
        assert.ok(all.every((x) => x.read_at));
    });

    test('an unreachable receiver: the error is recorded', async () => {
        // a port that was free a moment ago
        const probe = http.createServer();
        await new Promise((res) => probe.listen(0, '127.0.0.1', res));
        const port = probe.address().port;
        await new Promise((res) => probe.close(res));
        const hook = await createHook({ name: 'nobody', url: `http://127.0.0.1:${port}/x`, secret: 'N-secret-0123456789', events: 'ranks.*' });
        const r = await admin.post(`/api/v1/webhooks/${hook.id}/ping`, {});
        assert.equal(r.status, 202, r.text);
        const d = await waitFor('an attempt', async () => {
            const g = await admin.get(`/api/v1/webhook_deliveries/${r.body.id}`);
            return g.body.attempts >= 1 ? g.body : null;
        });
        assert.equal(d.last_status, null);
        assert.match(d.last_error, /connect/i);
        // deactivated: it waits (no more attempts) instead of failing
        const patched = await admin.patch(`/api/v1/webhooks/${hook.id}`, { active: false });
        assert.equal(patched.status, 200, patched.text);
        await sleep(1500);
        const g1 = await admin.get(`/api/v1/webhook_deliveries/${r.body.id}`);
        await sleep(2000);
        const g2 = await admin.get(`/api/v1/webhook_deliveries/${r.body.id}`);
        assert.equal(g2.body.attempts, g1.body.attempts);
        assert.equal(g2.body.status, 'pending');
    });

    test('a user who was notified can still be deleted; their notifications go with them', async () => {
        let r = keep(await admin.post('/api/v1/users', { username: 'short_lived', role_id: await roleId(admin, 'staff') }));
        assert.equal(r.status, 201, r.text);
        const id = r.body.id;
        r = keep(await admin.post(`/api/v1/users/${id}/reset_password`, { password: 'Short-lived-2026-x' }));
        assert.equal(r.status, 200, r.text);
        assert.equal((await admin.all('notifications', { user_id: id })).length, 1);
        r = keep(await admin.del(`/api/v1/users/${id}`));
        assert.equal(r.status, 204, r.text);
        assert.equal((await admin.all('notifications', { user_id: id })).length, 0);
    });

    test('a webhook with deliveries cannot be deleted (the record of what was sent stays); one without can', async () => {
        problem(assert, keep(await admin.del(`/api/v1/webhooks/${hookA.id}`)), 409, 'BUR-402');
        const r = keep(await admin.del(`/api/v1/webhooks/${hookC.id}`));
        assert.equal(r.status, 204, r.text);
    });

    test('the secret appears in no answer: lists, records, exports, history, audit entries, deliveries', async () => {
        for (const p of ['/api/v1/webhooks', '/api/v1/webhooks.csv', `/api/v1/webhooks/${hookA.id}/history`,
                         '/api/v1/audit_entries?limit=500', '/api/v1/audit_entries.csv?collection=webhooks',
                         '/api/v1/webhook_deliveries?limit=500', '/api/v1/webhook_deliveries.csv']) {
            const r = keep(await admin.get(p));
            assert.equal(r.status, 200, `${p}: ${r.text}`);
        }
        const x = keep(await admin.get('/api/v1/webhooks.xlsx'));
        assert.equal(x.status, 200);
        const h = keep(await admin.get(`/api/v1/webhooks/${hookA.id}/history`));
        assert.deepEqual(h.body.map((x) => x.action), ['create', 'update'], h.text);
        for (const s of secrets)
            for (const text of seen) assert.ok(!text.includes(s), `a secret in an answer: ${text.slice(0, 300)}`);
        for (const g of rx.got) for (const s of secrets) assert.ok(!g.body.includes(s), 'a secret in a payload');
    });
});

describe('deliveries that keep failing', () => {
    let srv, admin, rx;
    before(async () => {
        rx = await receiver();
        srv = await startServer({ args: ['--jobs-interval', '1', '--webhook-backoff', '0'] });
        admin = api(srv.url);
    });
    after(async () => {
        if (srv) await srv.stop();
        if (rx) await rx.close();
    });

    test('fail after eight attempts; a manual retry sends again; a delivered one cannot be retried', async () => {
        let r = await admin.post('/api/v1/webhooks', { name: 'dead', url: `${rx.base}/dead`, secret: 'X-secret-0123456789', events: 'departments.create' });
        assert.equal(r.status, 201, r.text);
        const hook = r.body;
        rx.always('/dead', 500);
        r = await admin.post('/api/v1/departments', { name: '失败处' });
        assert.equal(r.status, 201, r.text);
        const d = await waitFor('failed', async () => {
            const l = await admin.get(`/api/v1/webhook_deliveries?webhook_id=${hook.id}`);
            const x = l.body.items[0];
            return x && x.status === 'failed' ? x : null;
        }, 40000);
        assert.equal(d.attempts, 8);
        assert.equal(d.last_status, 500);
        assert.equal(d.last_error, 'HTTP 500');
        assert.equal(d.next_attempt_at, null);
        assert.equal(rx.at('/dead').length, 8);
        await sleep(1500);
        assert.equal(rx.at('/dead').length, 8, 'no ninth attempt');
        // the receiver is fixed; an administrator sends it again
        rx.always('/dead', 204);
        r = await admin.post(`/api/v1/webhook_deliveries/${d.id}/retry`, {});
        assert.equal(r.status, 200, r.text);
        assert.equal(r.body.status, 'pending');
        assert.equal(r.body.attempts, 0);
        const done = await waitFor('delivered', async () => {
            const g = await admin.get(`/api/v1/webhook_deliveries/${d.id}`);
            return g.body.status === 'delivered' ? g.body : null;
        });
        assert.equal(done.attempts, 1);
        assert.equal(done.last_status, 204);
        assert.equal(rx.at('/dead').length, 9);
        assert.equal(rx.at('/dead')[8].headers['x-bureau-delivery'], String(d.id));
        problem(assert, await admin.post(`/api/v1/webhook_deliveries/${d.id}/retry`, {}), 409, 'BUR-408');
        problem(assert, await admin.post('/api/v1/webhook_deliveries/999999/retry', {}), 404, 'BUR-107');
        // the retry is audited
        const entries = await admin.all('audit_entries', { collection: 'webhook_deliveries' });
        const retry = entries.filter((x) => x.action === 'retry');
        assert.equal(retry.length, 1);
        assert.equal(retry[0].record_id, d.id);
        assert.equal(retry[0].before.status, 'failed');
        assert.equal(retry[0].after.status, 'pending');
    });

});

describe('a webhook deleted by another process', () => {
    let a, b;
    before(async () => {
        a = await startServer();
        b = await startServer({ db: a.dbUrl }); // a second process on the same database
    });
    after(async () => {
        if (b) await b.stop();
        if (a) await a.stop();
    });

    test('writes through a process that still has it in its cache succeed and queue nothing for it', async () => {
        const A = api(a.url), B = api(b.url);
        let r = await A.post('/api/v1/departments', { name: '缓存测试处' });
        assert.equal(r.status, 201, r.text);
        const dept = r.body;
        r = await A.post('/api/v1/webhooks', { name: 'gone', url: 'http://127.0.0.1:9/gone', secret: 'G-secret-0123456789', events: 'departments.create' });
        assert.equal(r.status, 201, r.text);
        const hook = r.body;
        // B loads the tenant's webhooks on a write the webhook does not listen to; then A deletes it
        r = await B.patch(`/api/v1/departments/${dept.id}`, { name: '缓存测试科' });
        assert.equal(r.status, 200, r.text);
        r = await A.del(`/api/v1/webhooks/${hook.id}`);
        assert.equal(r.status, 204, r.text);
        // within B's cache time, a write B believes the webhook listens to
        r = await B.post('/api/v1/departments', { name: '缓存过期处' });
        assert.equal(r.status, 201, r.text);
        const left = await A.get(`/api/v1/webhook_deliveries?webhook_id=${hook.id}`);
        assert.equal(left.status, 200, left.text);
        assert.equal(left.body.items.length, 0, 'nothing queued for a webhook that is gone');
    });
});
