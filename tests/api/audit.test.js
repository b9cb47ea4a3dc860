// SPDX-License-Identifier: MIT
// audit.test.js - the audit chain seen from outside: every create, update and
// delete appends one entry (before/after, linked hashes, consecutive seq);
// refused changes append nothing; a record's history; entries are read-only;
// `bureau audit verify` on a live server, then on the stopped server's
// database: intact, and after altering, swapping or deleting a stored entry
// (sqlite3 shell / psql) it exits 1 naming that entry; `bureau audit anchor`.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer, api, runBureau, IS_PG, sqlite3Args } = require('./lib/server');

const HEX64 = /^[0-9a-f]{64}$/;
const ZEROS = '0'.repeat(64);

let srv, a, stopped = false;
const anchorDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bureau-anchor-'));

before(async () => {
    srv = await startServer({ args: ['--threads', '4'] });
    a = api(srv.url);
});
after(async () => {
    if (srv && !stopped) await srv.stop();
    if (srv && srv.dbDir) fs.rmSync(srv.dbDir, { recursive: true, force: true });
    fs.rmSync(anchorDir, { recursive: true, force: true });
});

async function created(collection, body) {
    const r = await a.post(`/api/v1/${collection}`, body);
    assert.equal(r.status, 201, r.text);
    return r.body;
}

// SQLite may give a deleted record's id to the next one when it was the
// highest: a record created after each deletion keeps histories apart.
async function keeper() {
    return created('departments', { name: '占位' });
}

// The entries of one record, oldest first.
async function entriesOf(collection, id) {
    return a.all('audit_entries', { collection, record_id: String(id), sort: 'seq' });
}

// Runs SQL on the server's database with the backend's own shell: sqlite3 or psql.
function shell(sql) {
    if (IS_PG)
        return execFileSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', srv.dbUrl, '-c', sql],
                            { encoding: 'utf8' });
    return execFileSync('sqlite3', sqlite3Args(srv.dbUrl, sql), { encoding: 'utf8' });
}
function haveShell() {
    try {
        execFileSync(IS_PG ? 'psql' : 'sqlite3', ['--version'], { stdio: 'ignore' });
        return true;
    } catch {
        return false;
    }
}
const quote = (s) => `'${s.replace(/'/g, "''")}'`;

async function verify(...extra) {
    return runBureau(['audit', 'verify', '--db', srv.dbUrl, ...extra], { timeoutMs: 60000 });
}

test('create, update and delete each append one entry with before and after', async () => {
    const d = await created('departments', { name: '审计测试处', headcount: 3 });
    let r = await a.patch(`/api/v1/departments/${d.id}`, { name: '审计测试科', headcount: 4 });
    assert.equal(r.status, 200, r.text);
    await keeper();
    r = await a.del(`/api/v1/departments/${d.id}`);
    assert.equal(r.status, 204, r.text);

    const es = await entriesOf('departments', d.id);
    assert.deepEqual(es.map((x) => x.action), ['create', 'update', 'delete']);
    for (const x of es) {
        assert.equal(x.collection, 'departments');
        assert.equal(x.record_id, d.id);
        assert.match(x.hash, HEX64);
        assert.match(x.prev_hash, HEX64);
        assert.match(x.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/);
    }
    const [c, u, del] = es;
    assert.equal(c.before, null);
    assert.equal(c.after.name, '审计测试处');
    assert.equal(c.after.headcount, 3);
    assert.equal(u.before.name, '审计测试处');
    assert.equal(u.after.name, '审计测试科');
    assert.equal(u.after.headcount, 4);
    assert.equal(del.before.name, '审计测试科');
    assert.equal(del.after, null);
    assert.ok(c.seq < u.seq && u.seq < del.seq);
});

test('refused changes append nothing and leave no gap', async () => {
    const d = await created('departments', { name: '拒绝测试' });
    const n0 = (await a.all('audit_entries')).length;
    // invalid input, a stale If-Match, an unknown record
    assert.equal((await a.post('/api/v1/departments', { headcount: 'many' })).status, 422);
    const stale = await a.patch(`/api/v1/departments/${d.id}`, { name: 'x' }, { headers: { 'If-Match': '"9"' } });
    assert.equal(stale.status, 409, stale.text);
    assert.equal((await a.del('/api/v1/departments/99999999')).status, 404);
    assert.equal((await a.all('audit_entries')).length, n0);
    assert.equal((await entriesOf('departments', d.id)).length, 1);
});

test('parallel writers: seq stays consecutive and every entry links to the one before', async () => {
    const ds = await Promise.all(Array.from({ length: 40 }, (_, i) => created('departments', { name: `并行审计${i}` })));
    await Promise.all(ds.map((d, i) => a.patch(`/api/v1/departments/${d.id}`, { headcount: i })));
    const all = await a.all('audit_entries', { sort: 'seq' });
    assert.ok(all.length >= 80);
    assert.equal(all[0].seq, 1);
    assert.equal(all[0].prev_hash, ZEROS);
    for (let i = 1; i < all.length; i++) {
        assert.equal(all[i].seq, all[i - 1].seq + 1, `seq after ${all[i - 1].seq}`);
        assert.equal(all[i].prev_hash, all[i - 1].hash, `link at seq ${all[i].seq}`);
    }
    assert.equal(new Set(all.map((x) => x.hash)).size, all.length);
});

test('filters: by action and collection', async () => {
    const d = await created('departments', { name: '筛选测试' });
    await keeper();
    await a.del(`/api/v1/departments/${d.id}`);
    const dels = await a.all('audit_entries', { action: 'delete' });
    assert.ok(dels.length >= 1);
    assert.ok(dels.every((x) => x.action === 'delete'));
    assert.ok(dels.some((x) => x.record_id === d.id));
    const depts = await a.all('audit_entries', { collection: 'departments' });
    assert.ok(depts.every((x) => x.collection === 'departments'));
});

test('a record exposes its history, oldest first', async () => {
    const d = await created('departments', { name: '历史测试', headcount: 1 });
    await a.patch(`/api/v1/departments/${d.id}`, { headcount: 2 });
    await a.patch(`/api/v1/departments/${d.id}`, { headcount: 3 });
    const r = await a.get(`/api/v1/departments/${d.id}/history`);
    assert.equal(r.status, 200, r.text);
    const items = Array.isArray(r.body) ? r.body : r.body.items;
    assert.ok(Array.isArray(items), r.text);
    assert.deepEqual(items.map((x) => x.action), ['create', 'update', 'update']);
    assert.deepEqual(items.map((x) => x.after.headcount), [1, 2, 3]);
    assert.deepEqual(items.map((x) => (x.before ? x.before.headcount : null)), [null, 1, 2]);
    for (let i = 1; i < items.length; i++) assert.ok(items[i].seq > items[i - 1].seq);
    for (const x of items) assert.match(x.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/);
});

test('audit entries cannot be written through the API', async () => {
    const all = await a.all('audit_entries', { sort: 'seq' });
    const last = all[all.length - 1];
    const tries = [
        await a.post('/api/v1/audit_entries', { action: 'create', seq: last.seq + 1 }),
        await a.patch(`/api/v1/audit_entries/${last.id}`, { action: 'forged' }),
        await a.del(`/api/v1/audit_entries/${last.id}`),
    ];
    for (const r of tries) assert.ok(r.status >= 400 && r.status < 500, `${r.status} ${r.text}`);
    const now = await a.all('audit_entries', { sort: 'seq' });
    assert.equal(now.length, all.length);
    assert.deepEqual(now[now.length - 1], last);
});

test('verify on a live database while writes go on: intact', async () => {
    const writes = Promise.all(Array.from({ length: 60 }, (_, i) => created('departments', { name: `在线校验${i}` })));
    const [v] = await Promise.all([verify(), writes]);
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stdout, /: intact/);
});

test('anchor writes the head; verify --anchors checks it', async () => {
    let r = await runBureau(['audit', 'anchor', '--db', srv.dbUrl, '--out', anchorDir]);
    assert.equal(r.code, 0, r.stderr);
    const files = fs.readdirSync(anchorDir).filter((f) => /^audit-anchor-\d+\.txt$/.test(f));
    assert.equal(files.length, 1, files.join(' '));
    const line = fs.readFileSync(path.join(anchorDir, files[0]), 'utf8').trim();
    assert.match(line, /^\d{4}-\d\d-\d\d \d+ \d+ [0-9a-f]{64}$/);
    const [, , seq, hash] = line.split(' ');
    const all = await a.all('audit_entries', { sort: 'seq' });
    const anchored = all.find((x) => x.seq === Number(seq));
    assert.ok(anchored, `seq ${seq} exists`);
    assert.equal(anchored.hash, hash);
    r = await verify('--anchors', anchorDir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /anchors match/);
});

test('after the suite the chain verifies; altering, swapping or deleting an entry is named', async (t) => {
    await created('departments', { name: '最后一条' });
    await srv.stop({ keepDb: true });
    stopped = true;

    let v = await verify();
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stdout, /: intact/);
    if (!haveShell()) {
        t.skip(`${IS_PG ? 'psql' : 'sqlite3'} is not installed`);
        return;
    }

    // alter one entry's content
    const original = shell('SELECT after FROM audit_entries WHERE seq = 2').replace(/\n$/, '');
    shell(`UPDATE audit_entries SET after = '{"x":1}' WHERE seq = 2`);
    v = await verify();
    assert.equal(v.code, 1, v.stdout);
    assert.match(v.stderr, /entry seq 2 \(id \d+\) was altered/);
    shell(`UPDATE audit_entries SET after = ${quote(original)} WHERE seq = 2`);
    v = await verify();
    assert.equal(v.code, 0, `restored: ${v.stderr}`);

    // swap two entries' places in the chain
    const swap = 'UPDATE audit_entries SET seq = -1 WHERE seq = 3; ' +
                 'UPDATE audit_entries SET seq = 3 WHERE seq = 4; ' +
                 'UPDATE audit_entries SET seq = 4 WHERE seq = -1';
    shell(swap);
    v = await verify();
    assert.equal(v.code, 1, v.stdout);
    assert.match(v.stderr, /entry seq 3 \(id \d+\) was altered/);
    shell(swap);
    assert.equal((await verify()).code, 0);

    // delete one entry
    shell('DELETE FROM audit_entries WHERE seq = 5');
    v = await verify();
    assert.equal(v.code, 1, v.stdout);
    assert.match(v.stderr, /entry seq 5 is missing \(after seq 4\)/);
});
