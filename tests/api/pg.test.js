// SPDX-License-Identifier: MIT
// pg.test.js - PostgreSQL going away and coming back under a running server:
// 503 BUR-404 while it is down, no crash, recovery on the same process.
//
// It runs its own throwaway cluster (scripts/pg.sh start) so that stopping
// PostgreSQL cannot disturb test files running at the same time against the
// shared BUREAU_TEST_PG_DIR cluster.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer, api, problem, pgCreateDb, ROOT, IS_PG } = require('./lib/server');

const PG_SH = path.join(ROOT, 'scripts', 'pg.sh');

// pg_ctl of the newest installed PostgreSQL, as pg.sh picks it
function pgCtl() {
    const base = '/usr/lib/postgresql';
    let best = null;
    if (fs.existsSync(base))
        for (const v of fs.readdirSync(base))
            if (/^\d+$/.test(v) && fs.existsSync(path.join(base, v, 'bin', 'pg_ctl')) && (!best || Number(v) > Number(best))) best = v;
    return best ? path.join(base, best, 'bin', 'pg_ctl') : 'pg_ctl';
}

function asPostgres(argv) {
    const root = process.getuid && process.getuid() === 0;
    const [cmd, args] = root ? ['runuser', ['-u', 'postgres', '--', ...argv]] : [argv[0], argv.slice(1)];
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

test('PostgreSQL down: 503 BUR-404 and no crash; back up: requests succeed on the same process',
     { skip: IS_PG ? false : 'PostgreSQL only (BUREAU_TEST_DB=pg)', timeout: 120000 },
     async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bureau-pgdown-'));
    execFileSync(PG_SH, ['start', dir], { encoding: 'utf8' });
    const data = path.join(dir, 'data');
    const port = fs.readFileSync(path.join(dir, 'port'), 'utf8').trim();
    const ctl = pgCtl();
    let srv;
    try {
        srv = await startServer({ db: pgCreateDb(dir) });
        const a = api(srv.url);
        const d = await a.post('/api/v1/departments', { name: '数据库测试', code: 'PGDOWN' });
        assert.equal(d.status, 201, d.text);

        asPostgres([ctl, '-D', data, '-m', 'fast', '-w', '-s', 'stop']);
        const t0 = Date.now();
        const down = [
            await a.get('/api/v1/departments'),
            await a.get(`/api/v1/departments/${d.body.id}`),
            await a.post('/api/v1/departments', { name: 'while down' }),
            await a.patch(`/api/v1/departments/${d.body.id}`, { headcount: 3 }),
            await a.del(`/api/v1/departments/${d.body.id}`),
            await a.get('/api/v1/ranks?level=county'),
            await a.get('/api/v1/people'),
            await a.get('/api/v1/departments.csv'),
        ];
        for (let i = 0; i < 6; i++) down.push(await a.get('/api/v1/departments'));
        for (const r of down) {
            problem(assert, r, 503, 'BUR-404');
            assert.ok(r.headers.get('retry-after'), 'Retry-After on 503');
        }
        assert.ok(Date.now() - t0 < 30000, 'outage answers come quickly');
        assert.equal(srv.proc.exitCode, null, 'the server is still running');
        assert.equal((await a.get('/metrics')).status, 200, 'what needs no database still works');

        asPostgres([ctl, '-D', data, '-l', path.join(dir, 'server.log'), '-o', `-p ${port}`, '-w', '-t', '60', '-s', 'start']);
        const up = [];
        for (let i = 0; i < 10; i++) up.push(await a.get(`/api/v1/departments/${d.body.id}`));
        for (const r of up) assert.equal(r.status, 200, r.text);
        assert.equal(up[0].body.name, '数据库测试');
        assert.equal(up[0].body.version, 1, 'nothing was written while it was down');
        const c = await a.post('/api/v1/departments', { name: 'after recovery' });
        assert.equal(c.status, 201, c.text);
        const p = await a.patch(`/api/v1/departments/${d.body.id}`, { headcount: 4 }, { headers: { 'If-Match': '"1"' } });
        assert.equal(p.status, 200, p.text);
        const list = await Promise.all(Array.from({ length: 8 }, () => a.get('/api/v1/departments')));
        for (const r of list) {
            assert.equal(r.status, 200, r.text);
            assert.equal(r.body.items.length, 2, 'the write made while down is not there');
        }
        await srv.stop();
        srv = null;
    } finally {
        if (srv) await srv.stop().catch(() => {});
        try {
            execFileSync(PG_SH, ['stop', dir], { stdio: 'ignore' });
        } catch {}
        fs.rmSync(dir, { recursive: true, force: true });
    }
});
