// SPDX-License-Identifier: MIT
// tokens.test.js - API tokens for devices and scripts: the secret is shown
// once and only its hash is kept (never sent back), Bearer authentication
// without CSRF, the token's own role and tenant, revocation, expiry, and the
// audit entries of both.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { startServer, api, problem } = require('./lib/server');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const TOKEN_RE = /^bur_[A-Za-z0-9_-]{43}$/;

let srv, admin;
const seen = []; // every response text of this file, checked for secrets at the end
const secrets = [];

function keep(r) {
    seen.push(r.text || '');
    return r;
}

async function roleId(code) {
    const roles = await admin.all('roles');
    const r = roles.find((x) => x.code === code);
    assert.ok(r, `no role ${code}`);
    return r.id;
}

async function create(body) {
    const r = keep(await admin.post('/api/v1/api_tokens', body));
    assert.equal(r.status, 201, r.text);
    secrets.push(r.body.token, crypto.createHash('sha256').update(r.body.token).digest('hex'));
    return r;
}

before(async () => {
    srv = await startServer();
    admin = api(srv.url);
});
after(async () => {
    if (srv) await srv.stop();
});

test('create: 201 with the record and the secret, shown this once', async () => {
    const r = await create({ name: 'door controller 1', role_id: await roleId('admin') });
    const t = r.body;
    assert.match(t.token, TOKEN_RE);
    assert.equal(t.prefix, t.token.slice(4, 12));
    assert.equal(t.name, 'door controller 1');
    assert.equal(t.revoked_at, null);
    assert.equal(t.expires_at, null);
    assert.ok(!('token_hash' in t));
    assert.equal(r.headers.get('location'), `/api/v1/api_tokens/${t.id}`);
    // never again: not in the record, not in the list
    const g = keep(await admin.get(`/api/v1/api_tokens/${t.id}`));
    assert.equal(g.status, 200, g.text);
    assert.ok(!('token' in g.body) && !('token_hash' in g.body));
    assert.equal(g.body.prefix, t.prefix);
    const l = keep(await admin.get('/api/v1/api_tokens'));
    assert.equal(l.status, 200);
    assert.ok(l.body.items.every((x) => !('token' in x) && !('token_hash' in x)));
    // two tokens never share a secret
    const r2 = await create({ name: 'door controller 2', role_id: await roleId('admin') });
    assert.notEqual(r2.body.token, t.token);
});

test('create refuses bad input: missing name, unknown role, set hash, past expiry, unknown fields', async () => {
    const admin_role = await roleId('admin');
    problem(assert, keep(await admin.post('/api/v1/api_tokens', { role_id: admin_role })), 422, 'BUR-201', ['name']);
    problem(assert, keep(await admin.post('/api/v1/api_tokens', { name: 'x', role_id: 999999 })), 422, 'BUR-201', ['role_id']);
    // (this answer names the field the client sent; it is not kept for the final check)
    problem(assert, await admin.post('/api/v1/api_tokens', { name: 'x', role_id: admin_role, token_hash: 'a'.repeat(64) }),
            422, 'BUR-201', ['token_hash']);
    problem(assert, keep(await admin.post('/api/v1/api_tokens', { name: 'x', role_id: admin_role, prefix: 'abcdefgh' })),
            422, 'BUR-201', ['prefix']);
    problem(assert, keep(await admin.post('/api/v1/api_tokens', { name: 'x', role_id: admin_role, expires_at: '2001-01-01T00:00:00+08:00' })),
            422, 'BUR-201', ['expires_at']);
    problem(assert, keep(await admin.post('/api/v1/api_tokens', { name: 'x', role_id: admin_role, what: 1 })), 422, 'BUR-201', ['what']);
    problem(assert, keep(await api(srv.url, { anonymous: true }).post('/api/v1/api_tokens', { name: 'x', role_id: admin_role })),
            401, 'BUR-301');
});

test('Bearer: acts with the token role in its tenant, needs no CSRF', async () => {
    const r = await create({ name: 'script', role_id: await roleId('admin') });
    const t = api(srv.url, { token: r.body.token });
    const me = keep(await t.get('/api/v1/session'));
    assert.equal(me.status, 200, me.text);
    assert.equal(me.body.username, 'token:script');
    assert.equal(me.body.role, 'admin');
    assert.equal(me.body.token_id, r.body.id);
    assert.equal(me.body.tenant_id, admin.session.user.tenant_id);
    assert.equal(me.body.id, admin.session.user.id, 'acts for its creator');
    const d = keep(await t.post('/api/v1/departments', { name: '令牌建的部门' }));
    assert.equal(d.status, 201, d.text);
    assert.equal(d.body.created_by, admin.session.user.id);
    // the bearer wins over a cookie without CSRF
    const h = await admin.headers({ csrf: false });
    const both = keep(await t.post('/api/v1/departments', { name: 'both' }, { headers: { Cookie: h.Cookie } }));
    assert.equal(both.status, 201, both.text);
    // tokens have no session or password
    problem(assert, keep(await t.del('/api/v1/session')), 400, 'BUR-110');
    problem(assert, keep(await t.post('/api/v1/session/password', { current: 'a', new: 'Something-long-1' })), 400, 'BUR-110');
    // last_used_at is recorded
    const g = keep(await admin.get(`/api/v1/api_tokens/${r.body.id}`));
    assert.ok(g.body.last_used_at, g.text);
});

test('a token holds only its role: a device token cannot read or mint tokens', async () => {
    const r = await create({ name: 'meter', role_id: await roleId('device') });
    const t = api(srv.url, { token: r.body.token });
    assert.equal(keep(await t.get('/api/v1/session')).status, 200);
    problem(assert, keep(await t.get('/api/v1/departments')), 403, 'BUR-302');
    problem(assert, keep(await t.post('/api/v1/api_tokens', { name: 'more', role_id: await roleId('admin') })), 403, 'BUR-302');
});

test('malformed or unknown bearer tokens: 401', async () => {
    const anon = api(srv.url, { anonymous: true });
    for (const h of ['Bearer', 'Bearer ', 'Bearer bur_short', `Bearer bur_${'A'.repeat(43)}`, `Bearer ${'A'.repeat(47)}`,
                     `bearer bur_${'B'.repeat(43)}`, `Bearer bur_${'C'.repeat(43)} extra`, `Bearer ${'x'.repeat(9000)}`,
                     'Bearer bur_%%%%']) {
        const r = keep(await anon.get('/api/v1/departments', { headers: { Authorization: h } }));
        problem(assert, r, 401, 'BUR-301');
    }
});

test('revoke: the token stops at once; revoking twice is a conflict; audited', async () => {
    const r = await create({ name: 'to revoke', role_id: await roleId('admin') });
    const t = api(srv.url, { token: r.body.token });
    assert.equal(keep(await t.get('/api/v1/departments')).status, 200);
    const v = keep(await admin.post(`/api/v1/api_tokens/${r.body.id}/revoke`));
    assert.equal(v.status, 200, v.text);
    assert.ok(v.body.revoked_at);
    assert.ok(!('token_hash' in v.body));
    const after = keep(await t.get('/api/v1/departments'));
    problem(assert, after, 401, 'BUR-301');
    assert.equal(after.body.key, 'auth.token_revoked');
    problem(assert, keep(await admin.post(`/api/v1/api_tokens/${r.body.id}/revoke`)), 409, 'BUR-408');
    problem(assert, keep(await admin.post('/api/v1/api_tokens/999999/revoke')), 404, 'BUR-107');
    problem(assert, keep(await admin.post(`/api/v1/api_tokens/${r.body.id}/revoke`, { reason: 'x' })), 422, 'BUR-201');
    const a = keep(await admin.get('/api/v1/audit_entries?action=token_revoke'));
    assert.equal(a.status, 200, a.text);
    assert.ok(a.body.items.some((e) => e.record_id === r.body.id && e.collection === 'api_tokens'));
    const c = keep(await admin.get('/api/v1/audit_entries?action=token_create&limit=500'));
    assert.ok(c.body.items.some((e) => e.record_id === r.body.id && e.after && e.after.prefix === r.body.prefix));
});

test('expiry: a token works until expires_at, then 401', async () => {
    const at = new Date(Date.now() + 3000);
    at.setMilliseconds(0);
    const r = await create({ name: 'short-lived', role_id: await roleId('admin'), expires_at: at.toISOString().replace('.000Z', 'Z') });
    assert.ok(r.body.expires_at);
    const t = api(srv.url, { token: r.body.token });
    assert.equal(keep(await t.get('/api/v1/departments')).status, 200);
    await sleep(at.getTime() - Date.now() + 1200);
    const x = keep(await t.get('/api/v1/departments'));
    problem(assert, x, 401, 'BUR-301');
    assert.equal(x.body.key, 'auth.token_expired');
});

test('no response ever carried a secret or its hash (audit included)', async () => {
    keep(await admin.get('/api/v1/audit_entries?limit=500'));
    keep(await admin.get('/api/v1/api_tokens?limit=500'));
    const exp = await admin.get('/api/v1/api_tokens.csv');
    if (exp.status === 200) seen.push(exp.text);
    const all = seen.join('\n');
    assert.ok(!all.includes('token_hash'), 'token_hash named in a response');
    for (const s of secrets) {
        if (TOKEN_RE.test(s)) continue; // the create answer itself carried it once
        assert.ok(!all.includes(s), 'a token hash was sent');
    }
    // each secret appears exactly once: in its create answer
    for (const s of secrets.filter((x) => TOKEN_RE.test(x)))
        assert.equal(all.split(s).length - 1, 1, 'a token was shown more than once');
});
