// SPDX-License-Identifier: MIT
// backup.test.js - `bureau backup` copies a running SQLite database
// consistently while writes go on; `bureau init` on the copy finds it
// current; PostgreSQL refuses with a pointer to pg_dump.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer, runBureau, api, IS_PG, sqlite3Args } = require('./lib/server');

test('backup of a running SQLite database while it is written', {
    skip: IS_PG ? 'SQLite only: PostgreSQL is backed up with pg_dump' : false,
    timeout: 60000,
}, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bureau-backup-'));
    const file = path.join(dir, 'live.db');
    const out = path.join(dir, 'copy.db');
    const srv = await startServer({ db: file, demo: true });
    try {
        const a = api(srv.url);
        let stop = false, made = 0;
        const writer = (async () => {
            for (let i = 0; !stop && i < 5000; i++) {
                const r = await a.post('/api/v1/departments', { name: `备份测试${i}`, code: `BK-${i}` });
                assert.equal(r.status, 201);
                made++;
            }
        })();
        while (made < 20) await new Promise((res) => setTimeout(res, 10));
        const r = await runBureau(['backup', '--db', file, out]);
        stop = true;
        await writer;
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /backup written/);
        const check = execFileSync('sqlite3', sqlite3Args(out, 'PRAGMA integrity_check;'), { encoding: 'utf8' });
        assert.equal(check.trim(), 'ok');
        const people = execFileSync('sqlite3', sqlite3Args(out, 'SELECT COUNT(*) FROM people;'), { encoding: 'utf8' });
        const live = (await a.get('/api/v1/people.csv')).text.trim().split('\n').length - 1;
        assert.equal(Number(people.trim()), live, 'the copy holds every person');
        const copied = Number(execFileSync('sqlite3', sqlite3Args(out,
            "SELECT COUNT(*) FROM departments WHERE code LIKE 'BK-%';"), { encoding: 'utf8' }).trim());
        assert.ok(copied >= 20 && copied <= made, `copied ${copied} of ${made} new departments`);
        assert.ok(!fs.existsSync(out + '.tmp'), 'no temporary file left');
        const init = await runBureau(['init', '--db', out]);
        assert.equal(init.code, 0, init.stderr);
        assert.match(init.stdout, /schema version/);
    } finally {
        await srv.stop();
        fs.rmSync(dir, { recursive: true, force: true });
    }
});

test('backup refuses a file that is not a database', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bureau-backup-'));
    const bogus = path.join(dir, 'notes.txt');
    fs.writeFileSync(bogus, 'not a database, just notes\n'.repeat(100));
    const r = await runBureau(['backup', '--db', bogus, path.join(dir, 'out.db')]);
    fs.rmSync(dir, { recursive: true, force: true });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /not a bureau database|not a database/);
});
