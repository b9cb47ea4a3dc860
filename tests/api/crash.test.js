// SPDX-License-Identifier: MIT
// crash.test.js - kill -9 in the middle of a write storm on SQLite: every
// acknowledged create survives and the file passes integrity_check.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer, api, pool, IS_PG, sqlite3Args } = require('./lib/server');

const TOTAL = 2000, WORKERS = 64, KILL_AFTER = 1000;

test('kill -9 during 2,000 creates: every 201 survives, integrity_check ok',
     { skip: IS_PG ? 'SQLite only (a file the test can check with the sqlite3 CLI)' : false, timeout: 120000 },
     async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bureau-crash-'));
    const file = path.join(dir, 'crash.db');
    try {
        const srv = await startServer({ db: file });
        const a = api(srv.url);
        const acked = new Map(); // id -> i
        let next = 0, responses = 0, failures = 0, killed = null;
        async function worker() {
            while (next < TOTAL && !killed) {
                const i = next++;
                let r;
                try {
                    r = await a.post('/api/v1/departments', { name: `崩溃测试${i}`, code: `CR-${i}`, headcount: i });
                } catch {
                    failures++;
                    return; // the server is gone
                }
                responses++;
                if (r.status === 201) {
                    assert.equal(r.body.code, `CR-${i}`);
                    acked.set(r.body.id, i);
                } else {
                    assert.fail(`create ${i}: ${r.status} ${r.text}`);
                }
                if (responses >= KILL_AFTER && !killed) killed = srv.kill('SIGKILL');
            }
        }
        await Promise.all(Array.from({ length: WORKERS }, worker));
        const exit = await killed;
        assert.equal(exit.signal, 'SIGKILL');
        assert.ok(acked.size >= KILL_AFTER && acked.size < TOTAL, `${acked.size} acknowledged`);

        const again = await startServer({ db: file });
        try {
            const b = api(again.url);
            const ids = [...acked.keys()];
            const got = await pool(ids, 16, (id) => b.get(`/api/v1/departments/${id}`));
            const missing = ids.filter((id, k) => got[k].status !== 200);
            assert.deepEqual(missing, [], `${missing.length} acknowledged creates lost`);
            for (const [k, id] of ids.entries()) {
                const i = acked.get(id);
                assert.equal(got[k].body.name, `崩溃测试${i}`);
                assert.equal(got[k].body.headcount, i);
            }
            const all = await b.all('departments');
            assert.ok(all.length >= acked.size && all.length <= next, `${all.length} rows after the crash`);
            assert.equal(new Set(all.map((d) => d.code)).size, all.length);
            // and it takes writes again
            const w = await b.post('/api/v1/departments', { name: 'after the crash', code: 'CR-AFTER' });
            assert.equal(w.status, 201, w.text);
        } finally {
            await again.stop();
        }
        const check = execFileSync('sqlite3', sqlite3Args(file, 'PRAGMA integrity_check'), { encoding: 'utf8' }).trim();
        assert.equal(check, 'ok');
        const fk = execFileSync('sqlite3', sqlite3Args(file, 'PRAGMA foreign_key_check'), { encoding: 'utf8' }).trim();
        assert.equal(fk, '', 'foreign keys hold');
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
});
