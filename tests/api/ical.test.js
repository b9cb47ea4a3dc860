// SPDX-License-Identifier: MIT
// ical.test.js - calendar feeds end to end on the demo district: a person's
// feed holds exactly their bookings of the window and a resource's feed every
// booking of it (the bookers' names, never a check-in code); the secret is
// shown once and stored only hashed; a booking approved, changed or cancelled
// keeps its UID and shows a higher SEQUENCE (TENTATIVE → CONFIRMED →
// CANCELLED); the ETag answers 304 until something changes; a revoked, an
// unknown and a malformed secret are the same 404; staff may not subscribe to
// a resource, nor revoke another's feed; every refusal changes nothing; a
// second tenant's bookings never show in the first's feeds, nor the other
// way round.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { startServer, api } = require('./lib/server');
const m = require('./lib/matrix');

const PW = 'Bureau-demo-2026';
let srv, admin, pm, staff, liaison, tenantCode;
let offsetMin = 480;
const sql = (text) => m.sqlShell(srv, text).trim();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function midnight(days) {
    const d = new Date(Date.now() + offsetMin * 60000);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + days) - offsetMin * 60000;
}
const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');
const at = (days, hh, mm = 0) => iso(midnight(days) + (hh * 60 + mm) * 60000);
// 2026-12-08T09:00:00+08:00 → 20261208T010000Z
const icsTime = (s) => new Date(s).toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');

// A raw GET of a feed: status, headers, the body as text.
async function fetchFeed(path, headers = {}) {
    const r = await fetch(srv.url + path, { headers, redirect: 'manual' });
    return { status: r.status, headers: r.headers, text: await r.text() };
}

// The VEVENTs of a calendar: unfolded (RFC 5545 §3.1), properties by name,
// TEXT values unescaped (§3.3.11).
function parseIcs(text) {
    assert.ok(text.startsWith('BEGIN:VCALENDAR\r\n'), text.slice(0, 80));
    assert.ok(text.endsWith('END:VCALENDAR\r\n'));
    for (const line of text.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, `a line over 75 octets: ${line}`);
    const lines = text.replace(/\r\n[ \t]/g, '').split('\r\n').filter(Boolean);
    const unesc = (v) => v.replace(/\\([\\;,nN])/g, (_, c) => (c === 'n' || c === 'N' ? '\n' : c));
    const cal = { props: {}, events: [] };
    let ev = null;
    for (const l of lines) {
        const i = l.indexOf(':');
        const name = l.slice(0, i).split(';')[0];
        const value = l.slice(i + 1);
        if (l === 'BEGIN:VEVENT') ev = {};
        else if (l === 'END:VEVENT') { cal.events.push(ev); ev = null; }
        else if (ev) ev[name] = ['SUMMARY', 'LOCATION', 'DESCRIPTION'].includes(name) ? unesc(value) : value;
        else cal.props[name] = value;
    }
    return cal;
}
const byUid = (cal) => Object.fromEntries(cal.events.map((e) => [e.UID, e]));
const uid = (id) => `booking-${id}@${tenantCode}.bureau`;

let resN = 0;
async function resource(over = {}) {
    const r = await pm.post('/api/v1/resources', {
        name: `订阅测试场地${++resN}-${m.uniq()}`, kind: 'court', capacity: 3, slot_min: 60, hours: '1-7 00:00-24:00',
        closed_days: 'open_always', window_days: 30, cancel_hours: 0, location: '机关大院, 东门;二楼', ...over,
    });
    assert.equal(r.status, 201, r.text);
    return r.body;
}
async function booked(client, res, start, end, over = {}) {
    const r = await client.post('/api/v1/bookings', { resource_id: res.id, start_at: start, end_at: end, ...over });
    assert.equal(r.status, 201, r.text);
    return r.body;
}
async function feed(client, body) {
    const r = await client.post('/api/v1/calendar_feeds', body);
    assert.equal(r.status, 201, m.show(r));
    return r.body;
}
const feeds = () => Number(sql('SELECT COUNT(*) FROM calendar_feeds'));

before(async () => {
    srv = await startServer({ demo: true });
    admin = api(srv.url);
    pm = api(srv.url, { username: 'property_manager', password: PW });
    staff = api(srv.url, { username: 'staff', password: PW });
    liaison = api(srv.url, { username: 'liaison', password: PW });
    const t = (await admin.get('/api/v1/tenants/1')).body;
    offsetMin = t.utc_offset_min;
    tenantCode = t.code;
    for (const c of [pm, staff, liaison]) await c.login();
});

after(async () => {
    if (srv) await srv.stop();
});

test("a person's feed: exactly their bookings of the window; the secret shown once and stored hashed", async () => {
    const me = { id: Number(sql("SELECT id FROM users WHERE tenant_id = 1 AND username = 'staff'")) };
    const f = await feed(staff, { kind: 'person', name: '我的预约' });
    assert.match(f.token, /^cal_[A-Za-z0-9_-]{43}$/);
    assert.equal(f.path, `/ical/${f.token}.ics`);
    assert.equal(f.user_id, me.id);
    assert.equal(f.status, 'active');
    assert.equal(f.token_hash, undefined);
    // stored: its SHA-256 only; read back: neither the secret nor its hash
    const hash = crypto.createHash('sha256').update(f.token).digest('hex');
    assert.equal(sql(`SELECT token_hash FROM calendar_feeds WHERE id = ${f.id}`), hash);
    assert.equal(sql(`SELECT COUNT(*) FROM calendar_feeds WHERE token_hash LIKE '%${f.token.slice(4, 20)}%'`), '0');
    for (const r of [await staff.get(`/api/v1/calendar_feeds/${f.id}`), await staff.get('/api/v1/calendar_feeds')]) {
        assert.equal(r.status, 200, m.show(r));
        assert.ok(!r.text.includes(f.token.slice(4)) && !r.text.includes(hash), 'the secret is shown once');
    }
    // the audit chain has the create, without the hash
    const audit = sql(`SELECT after FROM audit_entries WHERE collection = 'calendar_feeds' AND record_id = ${f.id}`);
    assert.equal(JSON.parse(audit).kind, 'person', audit);
    assert.ok(!audit.includes(hash) && !('token_hash' in JSON.parse(audit)), audit);

    const g = await fetchFeed(f.path);
    assert.equal(g.status, 200, g.text);
    assert.equal(g.headers.get('content-type'), 'text/calendar; charset=utf-8');
    assert.match(g.headers.get('cache-control'), /private/);
    const cal = parseIcs(g.text);
    assert.equal(cal.props.VERSION, '2.0');
    assert.equal(cal.props.METHOD, 'PUBLISH');
    assert.equal(cal.props.CALSCALE, 'GREGORIAN');
    assert.match(cal.props.PRODID, /bureau/);
    assert.equal(cal.props['X-WR-CALNAME'], '我的预约');
    // exactly the bookings of the window (bookings close to its edges left out of the comparison)
    const now = Math.floor(Date.now() / 1000);
    const from = now - 90 * 86400, to = now + 366 * 86400;
    const want = sql(`SELECT id FROM bookings WHERE tenant_id = 1 AND booker_id = ${me.id} AND start_at >= ${from + 300} AND start_at < ${to - 300}`)
        .split('\n').filter(Boolean).map((id) => uid(id));
    const edge = sql(`SELECT id FROM bookings WHERE tenant_id = 1 AND booker_id = ${me.id} AND ((start_at >= ${from - 300} AND start_at < ${from + 300}) OR (start_at >= ${to - 300} AND start_at < ${to + 300}))`)
        .split('\n').filter(Boolean).map((id) => uid(id));
    const got = cal.events.map((e) => e.UID).filter((u) => !edge.includes(u));
    assert.ok(want.length > 5, `the demo staff member has bookings: ${want.length}`);
    assert.deepEqual([...got].sort(), [...want].sort());
    assert.equal(new Set(cal.events.map((e) => e.UID)).size, cal.events.length, 'one VEVENT a booking');
    // nobody else's, no check-in code
    const codes = sql(`SELECT check_in_code FROM bookings WHERE tenant_id = 1 AND booker_id = ${me.id} AND check_in_code IS NOT NULL LIMIT 50`).split('\n').filter(Boolean);
    for (const c of codes) assert.ok(!g.text.includes(c), 'no check-in code in a feed');
    // times in UTC, each event complete
    for (const e of cal.events) {
        assert.match(e.DTSTART, /^\d{8}T\d{6}Z$/);
        assert.match(e.DTEND, /^\d{8}T\d{6}Z$/);
        assert.ok(e.DTSTAMP && e['LAST-MODIFIED'] && e.SUMMARY && e.STATUS && e.SEQUENCE !== undefined, JSON.stringify(e));
    }
});

test("a resource's feed: every booking of it with the bookers' names; changes keep the UID and raise SEQUENCE", async () => {
    const res = await resource({ approval: true });
    const f = await feed(pm, { kind: 'resource', resource_id: res.id });
    const empty = parseIcs((await fetchFeed(f.path)).text);
    assert.equal(empty.events.length, 0);
    assert.equal(empty.props['X-WR-CALNAME'], `预约 · ${res.name}`);

    const b1 = await booked(staff, res, at(2, 9), at(2, 10), { purpose: '双打, 训练; 第一场' });
    const b2 = await booked(liaison, res, at(2, 10), at(2, 11), { party_size: 2 });
    const b3 = await booked(staff, res, at(3, 9), at(3, 10));
    const other = await resource();
    const b4 = await booked(staff, other, at(2, 9), at(2, 10));
    let cal = parseIcs((await fetchFeed(f.path)).text);
    let ev = byUid(cal);
    assert.deepEqual(Object.keys(ev).sort(), [uid(b1.id), uid(b2.id), uid(b3.id)].sort());
    assert.equal(ev[uid(b4.id)], undefined, 'another resource');
    const e1 = ev[uid(b1.id)];
    assert.equal(e1.STATUS, 'TENTATIVE', 'pending approval');
    assert.equal(e1.DTSTART, icsTime(b1.start_at));
    assert.equal(e1.DTEND, icsTime(b1.end_at));
    assert.equal(e1.SUMMARY, `${res.name}：双打, 训练; 第一场`);
    assert.equal(e1.LOCATION, '机关大院, 东门;二楼');
    assert.match(e1.DESCRIPTION, /^预约人：.+\n人数：1\n状态：待审批$/);
    assert.match(ev[uid(b2.id)].DESCRIPTION, /人数：2/);
    const seq0 = Number(e1.SEQUENCE);

    // approved: CONFIRMED, a higher SEQUENCE
    let r = await pm.post(`/api/v1/bookings/${b1.id}/approve`, { note: '同意' });
    assert.equal(r.status, 200, m.show(r));
    ev = byUid(parseIcs((await fetchFeed(f.path)).text));
    assert.equal(ev[uid(b1.id)].STATUS, 'CONFIRMED');
    const seq1 = Number(ev[uid(b1.id)].SEQUENCE);
    assert.ok(seq1 > seq0, `${seq1} > ${seq0}`);
    // the purpose changed: the same UID, again higher
    r = await staff.patch(`/api/v1/bookings/${b1.id}`, { purpose: '单打' });
    assert.equal(r.status, 200, m.show(r));
    ev = byUid(parseIcs((await fetchFeed(f.path)).text));
    const seq2 = Number(ev[uid(b1.id)].SEQUENCE);
    assert.ok(seq2 > seq1);
    assert.equal(ev[uid(b1.id)].SUMMARY, `${res.name}：单打`);
    // cancelled: still there, CANCELLED, transparent, higher again; rejected likewise
    r = await staff.post(`/api/v1/bookings/${b1.id}/cancel`, {});
    assert.equal(r.status, 200, m.show(r));
    r = await pm.post(`/api/v1/bookings/${b2.id}/reject`, { reason: '场地维修' });
    assert.equal(r.status, 200, m.show(r));
    cal = parseIcs((await fetchFeed(f.path)).text);
    ev = byUid(cal);
    assert.equal(cal.events.length, 3);
    assert.equal(ev[uid(b1.id)].STATUS, 'CANCELLED');
    assert.equal(ev[uid(b1.id)].TRANSP, 'TRANSPARENT');
    assert.ok(Number(ev[uid(b1.id)].SEQUENCE) > seq2);
    assert.equal(ev[uid(b2.id)].STATUS, 'CANCELLED');
    assert.equal(ev[uid(b3.id)].STATUS, 'TENTATIVE');
    assert.equal(ev[uid(b1.id)].DTSTART, icsTime(b1.start_at), 'the same event, the same time');

    // the booker's own feed shows the cancellation the same way
    const mine = await feed(staff, { kind: 'person' });
    const pev = byUid(parseIcs((await fetchFeed(mine.path)).text));
    assert.equal(pev[uid(b1.id)].STATUS, 'CANCELLED');
    assert.equal(pev[uid(b1.id)].SEQUENCE, ev[uid(b1.id)].SEQUENCE);
    assert.equal(pev[uid(b2.id)], undefined, "liaison's booking is not in staff's feed");
    assert.ok(pev[uid(b4.id)]);
    assert.ok(!pev[uid(b1.id)].DESCRIPTION.includes('预约人'), 'a person is not told their own name');
});

test('ETag: 304 while nothing changes, 200 with another after a change', async () => {
    const res = await resource();
    const f = await feed(pm, { kind: 'resource', resource_id: res.id });
    await booked(staff, res, at(4, 9), at(4, 10));
    const a = await fetchFeed(f.path);
    const etag = a.headers.get('etag');
    assert.match(etag, /^"c[0-9a-f]{32}"$/);
    const b = await fetchFeed(f.path);
    assert.equal(b.headers.get('etag'), etag, 'the same bookings, the same bytes');
    assert.equal(b.text, a.text);
    const nm = await fetchFeed(f.path, { 'If-None-Match': etag });
    assert.equal(nm.status, 304);
    assert.equal(nm.text, '');
    assert.match(nm.headers.get('cache-control'), /private/);
    await booked(liaison, res, at(4, 10), at(4, 11));
    const c = await fetchFeed(f.path, { 'If-None-Match': etag });
    assert.equal(c.status, 200);
    assert.notEqual(c.headers.get('etag'), etag);
    assert.equal(parseIcs(c.text).events.length, 2);
});

test('revoked, unknown and malformed secrets are the same 404; revoking is audited and once', async () => {
    const f = await feed(staff, { kind: 'person' });
    assert.equal((await fetchFeed(f.path)).status, 200);
    // another person cannot revoke it, nor see it
    let r = await liaison.post(`/api/v1/calendar_feeds/${f.id}/revoke`, {});
    assert.ok([403, 404].includes(r.status), m.show(r));
    assert.equal((await liaison.get(`/api/v1/calendar_feeds/${f.id}`)).status, 404);
    r = await staff.post(`/api/v1/calendar_feeds/${f.id}/revoke`, {});
    assert.equal(r.status, 200, m.show(r));
    assert.equal(r.body.status, 'revoked');
    assert.ok(r.body.revoked_at);
    r = await staff.post(`/api/v1/calendar_feeds/${f.id}/revoke`, {});
    assert.equal(r.status, 409, m.show(r));
    assert.equal(sql(`SELECT COUNT(*) FROM audit_entries WHERE collection = 'calendar_feeds' AND record_id = ${f.id}`), '2');
    const revoked = await fetchFeed(f.path);
    const unknown = await fetchFeed(`/ical/cal_${'A'.repeat(43)}.ics`);
    const malformed = await fetchFeed('/ical/not-a-secret.ics');
    const noSuffix = await fetchFeed(f.path.replace('.ics', ''));
    for (const x of [revoked, unknown, malformed, noSuffix]) {
        assert.equal(x.status, 404);
        assert.equal(x.headers.get('content-type'), 'application/problem+json');
    }
    const strip = (x) => { const j = JSON.parse(x.text); delete j.instance; delete j.request_id; return j; };
    assert.deepEqual(strip(revoked), strip(unknown), 'a revoked feed answers as an unknown one');
    // a feed needs no session, and a session changes nothing about it
    const live = await feed(staff, { kind: 'person' });
    assert.equal((await fetchFeed(live.path, { Cookie: 'bureau_session=nonsense' })).status, 200);
    // a feed ends with its owner's account
    const u = await admin.post('/api/v1/users', { username: `cal${m.uniq()}`, role_id: Number(sql("SELECT id FROM roles WHERE tenant_id = 1 AND code = 'staff'")) });
    assert.equal(u.status, 201, m.show(u));
    r = await admin.post(`/api/v1/users/${u.body.id}/reset_password`, { password: 'Calendar-owner-2026-pw' });
    assert.equal(r.status, 200, m.show(r));
    const owner = await m.signInChanging(srv.url, { username: u.body.username, password: 'Calendar-owner-2026-pw', newPassword: 'Calendar-owner-2026-new' });
    const of = await feed(owner, { kind: 'person' });
    assert.equal((await fetchFeed(of.path)).status, 200);
    r = await admin.patch(`/api/v1/users/${u.body.id}`, { active: false });
    assert.equal(r.status, 200, m.show(r));
    assert.equal((await fetchFeed(of.path)).status, 404);
});

test('refusals: a resource feed is for the centre, kinds keep their fields; nothing written', async () => {
    const res = await resource();
    const n = feeds();
    let r = await staff.post('/api/v1/calendar_feeds', { kind: 'resource', resource_id: res.id });
    assert.equal(r.status, 403, m.show(r));
    assert.equal(r.body.errors[0].key, 'booking.feed.manager');
    r = await pm.post('/api/v1/calendar_feeds', { kind: 'resource' });
    assert.equal(r.status, 422, m.show(r));
    assert.deepEqual(r.body.errors.map((e) => [e.field, e.key]), [['resource_id', 'field.required']]);
    r = await staff.post('/api/v1/calendar_feeds', { kind: 'person', resource_id: res.id });
    assert.equal(r.status, 422, m.show(r));
    assert.deepEqual(r.body.errors.map((e) => [e.field, e.key]), [['resource_id', 'booking.feed.person_resource']]);
    r = await pm.post('/api/v1/calendar_feeds', { kind: 'resource', resource_id: 999999 });
    assert.equal(r.status, 422, m.show(r));
    r = await staff.post('/api/v1/calendar_feeds', { kind: 'person', token_hash: 'x'.repeat(64) });
    assert.equal(r.status, 403, m.show(r));
    r = await staff.post('/api/v1/calendar_feeds', { kind: 'person', user_id: 1 });
    assert.equal(r.status, 422, m.show(r));
    r = await staff.post('/api/v1/calendar_feeds', { kind: 'weekly' });
    assert.equal(r.status, 422, m.show(r));
    assert.equal(feeds(), n, 'nothing written');
    // renaming is fine, changing what it shows is not
    const f = await feed(pm, { kind: 'resource', resource_id: res.id });
    r = await pm.patch(`/api/v1/calendar_feeds/${f.id}`, { name: '网球场日历' });
    assert.equal(r.status, 200, m.show(r));
    assert.equal(r.body.name, '网球场日历');
    const other = await resource();
    r = await pm.patch(`/api/v1/calendar_feeds/${f.id}`, { resource_id: other.id });
    assert.equal(r.status, 409, m.show(r));
    assert.equal(r.body.errors[0].key, 'booking.feed.fixed');
    assert.equal(sql(`SELECT resource_id FROM calendar_feeds WHERE id = ${f.id}`), String(res.id));
    assert.equal(parseIcs((await fetchFeed(f.path)).text).props['X-WR-CALNAME'], '网球场日历');
    // deleting is refused: feeds are revoked
    assert.equal((await pm.del(`/api/v1/calendar_feeds/${f.id}`)).status, 405);
});

test("tenants: another bureau's bookings never show in these feeds, nor these in its", async () => {
    const res = await resource();
    const b = await booked(staff, res, at(5, 9), at(5, 10));
    const f1 = await feed(pm, { kind: 'resource', resource_id: res.id });
    const p1 = await feed(staff, { kind: 'person' });
    const code = `ical-${m.uniq()}`;
    const from = srv.stderr.length;
    const t = await admin.post('/api/v1/tenants', { name: '另一区机关事务管理局', code });
    assert.equal(t.status, 201, t.text);
    for (let i = 0; i < 200 && !/admin password: (\S+)/.test(srv.stderr.slice(from)); i++) await sleep(100);
    const pw = /admin password: (\S+)/.exec(srv.stderr.slice(from))[1];
    const a2 = await m.signInChanging(srv.url, { username: 'admin', password: pw, newPassword: 'Other-bureau-2026-pw', tenant: code });
    let r = await a2.post('/api/v1/resources', { name: '乙区网球场', kind: 'court', capacity: 1, slot_min: 60, hours: '1-7 00:00-24:00', closed_days: 'open_always', window_days: 30 });
    assert.equal(r.status, 201, m.show(r));
    const res2 = r.body;
    r = await a2.post('/api/v1/bookings', { resource_id: res2.id, start_at: at(5, 9), end_at: at(5, 10), purpose: '乙区' });
    assert.equal(r.status, 201, m.show(r));
    const b2 = r.body;
    // the other tenant cannot subscribe to this tenant's resource, nor revoke its feeds
    r = await a2.post('/api/v1/calendar_feeds', { kind: 'resource', resource_id: res.id });
    assert.equal(r.status, 422, m.show(r));
    assert.equal((await a2.post(`/api/v1/calendar_feeds/${f1.id}/revoke`, {})).status, 404);
    assert.equal((await a2.get('/api/v1/calendar_feeds')).body.items.length, 0);
    const f2 = await feed(a2, { kind: 'resource', resource_id: res2.id });
    const p2 = await feed(a2, { kind: 'person' });
    const c2 = parseIcs((await fetchFeed(f2.path)).text);
    assert.deepEqual(c2.events.map((e) => e.UID), [`booking-${b2.id}@${code}.bureau`]);
    assert.deepEqual(parseIcs((await fetchFeed(p2.path)).text).events.map((e) => e.UID), [`booking-${b2.id}@${code}.bureau`]);
    for (const path of [f1.path, p1.path]) {
        const text = (await fetchFeed(path)).text;
        assert.ok(!text.includes(`@${code}.bureau`) && !text.includes('乙区'), 'nothing of the other tenant');
        const ids = parseIcs(text).events.map((e) => Number(/^booking-(\d+)@/.exec(e.UID)[1]));
        assert.equal(sql(`SELECT COUNT(*) FROM bookings WHERE tenant_id <> 1 AND id IN (${ids.join(',') || 0})`), '0');
    }
    assert.ok(byUid(parseIcs((await fetchFeed(f1.path)).text))[uid(b.id)]);
});
