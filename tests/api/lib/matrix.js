// SPDX-License-Identifier: MIT
// matrix.js - helpers for the authorisation tests (authz.test.js,
// tenancy.test.js): signed-in clients, an independent implementation of the
// permission rule of src/engine/perm.c (written from docs/security.md, not
// from the C code), valid record bodies generated from /api/v1/meta, and a
// CSV parser. Node built-ins only.
//
//   const m = require('./lib/matrix');
//   const s = await m.signIn(srv.url, { username: 'staff', password: m.DEMO_PASSWORD });
//   const r = await s.get('/api/v1/people');           // {status, headers, body, text}
//   m.scopeOf(role.permissions, 'people', 'org', 'read')  // 'department'
'use strict';

const crypto = require('node:crypto');
const server = require('./server');

const DEMO_PASSWORD = 'Bureau-demo-2026';
const VERBS = ['read', 'create', 'update', 'delete', 'export', 'import'];
const SCOPES = ['none', 'own', 'department', 'subtree', 'tenant', 'assigned'];

// A signed-in client: lib/server.js's api() for username/password (and
// tenant), signed in now; its login answer {csrf, user} is in .me.
async function signIn(base, { username, password, tenant } = {}) {
    const c = server.api(base, { username, password, tenant });
    c.me = await c.login();
    if (!c.me || typeof c.me.csrf !== 'string') throw new Error(`sign-in of ${username}: no csrf`);
    return c;
}

// An anonymous client, or one with a bearer token.
function client(base, { bearer = null } = {}) {
    return bearer ? server.api(base, { token: bearer }) : server.api(base, { anonymous: true });
}

// The first admin's password: lib/server.js's when it sets one, else
// $BUREAU_ADMIN_PASSWORD, which is set here (before any server starts) when
// the environment has none.
function adminPassword() {
    if (server.ADMIN_PASSWORD) return server.ADMIN_PASSWORD;
    if (!process.env.BUREAU_ADMIN_PASSWORD) process.env.BUREAU_ADMIN_PASSWORD = 'Matrix-root-2026-pw!';
    return process.env.BUREAU_ADMIN_PASSWORD;
}
adminPassword();

// Signs in; when the account must change its password first (a reset or a
// new tenant's admin), changes it to newPassword and signs in again.
async function signInChanging(base, { username, password, newPassword, tenant }) {
    const c = await signIn(base, { username, password, tenant });
    const u = c.me.user || {};
    if (!u.must_change_password) return c;
    const r = await c.post('/api/v1/session/password', { current: password, new: newPassword });
    if (r.status < 200 || r.status > 299)
        throw new Error(`password change of ${username}: ${r.status} ${r.text}`);
    return signIn(base, { username, password: newPassword, tenant });
}

// ---- the permission rule, independently of perm.c ----

// The scope a permissions document grants for verb on collection (of
// module): the most specific key (the collection, then "module:NAME", then
// "*") whose object names the verb or "*" decides; no such key: "none".
function scopeOf(perms, collection, module, verb) {
    if (!perms || typeof perms !== 'object') return 'none';
    for (const key of [collection, `module:${module || ''}`, '*']) {
        const o = perms[key];
        if (!o || typeof o !== 'object' || Array.isArray(o)) continue;
        let v = Object.prototype.hasOwnProperty.call(o, verb) ? o[verb] : undefined;
        if (v === undefined && Object.prototype.hasOwnProperty.call(o, '*')) v = o['*'];
        if (typeof v === 'string') return SCOPES.includes(v) ? v : 'none';
    }
    return 'none';
}

// The verbs of a collection, in the order of meta's caller.can: the six
// generic ones the collection's flags leave (api_readonly: no writes;
// no_delete: no delete), then its actions. all: the six whatever the flags.
function verbsOf(coll, { all = false } = {}) {
    const out = [];
    for (const v of VERBS) {
        const write = v !== 'read' && v !== 'export';
        if (!all && write && coll.api_readonly) continue;
        if (!all && v === 'delete' && coll.no_delete) continue;
        out.push(v);
    }
    for (const a of coll.actions || []) out.push(a.name);
    return out;
}

// Verbs of collection coll a role may use (its caller.can list).
function allowedVerbs(role, coll) {
    return verbsOf(coll).filter((v) => scopeOf(role.permissions, coll.name, coll.module, v) !== 'none');
}

// Fields of coll hidden from a role: its hidden_fields[collection] and
// hidden_fields["*"], limited to the collection's (visible) fields.
function hiddenOf(role, coll) {
    const h = role.hidden_fields || {};
    const names = new Set([...(h[coll.name] || []), ...(h['*'] || [])]);
    return coll.fields.map((f) => f.name).filter((n) => names.has(n));
}

// The collections of meta with their flags. The flags come from meta when it
// carries them; else no_delete from the OpenAPI document (no DELETE
// operation) and api_readonly from what meta says the admin (whose role
// grants every verb) may not do: no create and no update.
function collectionsOf(meta, openapi) {
    const adminCan = (meta.caller && meta.caller.can) || {};
    const paths = (openapi && openapi.paths) || {};
    return meta.collections.map((c) => {
        const item = paths[`/api/v1/${c.name}/{id}`] || {};
        const can = adminCan[c.name] || [];
        const api_readonly = 'api_readonly' in c ? !!c.api_readonly : !can.includes('create') && !can.includes('update');
        const no_delete = 'no_delete' in c ? !!c.no_delete : !item.delete;
        return { ...c, api_readonly, no_delete: no_delete || api_readonly, global: !!c.global, actions: c.actions || [] };
    });
}

// ---- valid bodies from the registry ----

const uniq = () => crypto.randomBytes(4).toString('hex');

// A valid resident ID number (GB 11643-1999) from 17 digits: the MOD 11-2 check appended.
function idNumber(d17) {
    const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const sum = [...d17].reduce((s, c, i) => s + Number(c) * w[i], 0);
    return d17 + '10X98765432'[sum % 11];
}

// A valid unified social credit code (GB 32100-2015) from 17 characters: the MOD 31 check appended.
function uscc(c17) {
    const set = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    const r = 31 - ([...c17].reduce((s, c, i) => s + set.indexOf(c) * w[i], 0) % 31);
    return c17 + set[r === 31 ? 0 : r];
}

// A valid value of a field with a format (idformat.h), different for each u.
function formatted(f, digits) {
    switch (f.format) {
    case 'mobile': case 'phone': return `139${digits.slice(-8)}`;
    case 'landline': return `0755-8${digits.slice(-7)}`;
    case 'plate': return `琼A·${digits.slice(-5)}`;
    case 'id_number': return idNumber(`44030119900101${digits.slice(-3)}`);
    case 'uscc': return uscc(`91440300${digits.slice(-9)}`);
    default: throw new Error(`unknown format ${f.format}`);
    }
}

// A time of day "HH:MM" from digits.
function hhmm(digits) {
    const n = parseInt(digits.slice(-6), 10);
    return `${String(n % 24).padStart(2, '0')}:${String(Math.floor(n / 24) % 60).padStart(2, '0')}`;
}

function textFor(f, u) {
    const min = f.min_len || 1, max = f.max_len || 200;
    const digits = String(parseInt(u, 16)).padStart(9, '0');
    if (f.format) return formatted(f, digits);
    const cands = [
        `t${u}`, `T_${u}`, `t_${u}`, `138${digits}`.slice(0, 11), `${digits}`, `授权矩阵${u}`,
        `t-${u}`, `t.${u}@example.org`, hhmm(digits),
    ];
    const re = f.pattern ? new RegExp(f.pattern, 'u') : null;
    for (let c of cands) {
        if (c.length > max) c = c.slice(0, max);
        while (c.length < min) c += '0';
        if (!re || re.test(c)) return c;
    }
    throw new Error(`no candidate text matches ${f.name} pattern ${f.pattern}`);
}

// A body that creates a valid record of coll (meta's collection object).
// refs(collection) gives an id to reference (or null); over: values to use.
// Fills the required fields without a default, every unique text field, and
// every reference that has a target.
function validBody(coll, refs, over = {}) {
    const u = uniq();
    const b = {};
    for (const f of coll.fields) {
        if (f.readonly) continue;
        if (Object.prototype.hasOwnProperty.call(over, f.name)) {
            if (over[f.name] !== undefined) b[f.name] = over[f.name];
            continue;
        }
        const need = (f.required && f.default === undefined) || (f.unique && f.type === 'text') || (f.type === 'ref' && f.required);
        if (!need) continue;
        switch (f.type) {
        case 'text': b[f.name] = textFor(f, u); break;
        case 'int': b[f.name] = f.min !== undefined ? Math.max(f.min, Math.min(1, f.max ?? 1)) : 1; break;
        case 'decimal': b[f.name] = f.min !== undefined ? Math.max(f.min, 1) : 1; break;
        case 'money': b[f.name] = 100; break;
        case 'bool': b[f.name] = true; break;
        case 'date': b[f.name] = '2026-01-15'; break;
        case 'datetime': b[f.name] = '2026-01-15T09:00:00+08:00'; break;
        case 'enum': b[f.name] = f.values[0].value; break;
        case 'json': b[f.name] = {}; break;
        case 'ref': {
            const id = refs(f.ref, f);
            if (id) b[f.name] = id;
            break;
        }
        default: throw new Error(`unknown field type ${f.type}`);
        }
    }
    return b;
}

// ---- CSV ----

// RFC 4180: rows of cells (a leading BOM is dropped).
function parseCsv(text) {
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const rows = [];
    let row = [], cell = '', i = 0, quoted = false;
    while (i < text.length) {
        const c = text[i];
        if (quoted) {
            if (c === '"') {
                if (text[i + 1] === '"') {
                    cell += '"';
                    i += 2;
                    continue;
                }
                quoted = false;
                i++;
                continue;
            }
            cell += c;
            i++;
            continue;
        }
        if (c === '"' && cell === '') {
            quoted = true;
            i++;
        } else if (c === ',') {
            row.push(cell);
            cell = '';
            i++;
        } else if (c === '\r' && text[i + 1] === '\n') {
            row.push(cell);
            rows.push(row);
            row = [];
            cell = '';
            i += 2;
        } else if (c === '\n') {
            row.push(cell);
            rows.push(row);
            row = [];
            cell = '';
            i++;
        } else {
            cell += c;
            i++;
        }
    }
    if (cell !== '' || row.length) {
        row.push(cell);
        rows.push(row);
    }
    return rows;
}

function csvCell(v) {
    if (v === null || v === undefined) return '';
    const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

// A CSV text of one header and rows of objects (columns: keys of the first).
function toCsv(rows) {
    const cols = Object.keys(rows[0]);
    return [cols.join(','), ...rows.map((r) => cols.map((c) => csvCell(r[c])).join(','))].join('\r\n') + '\r\n';
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

// The department ids of the subtree rooted at root (root included).
function subtreeOf(departments, root) {
    const kids = new Map();
    for (const d of departments) {
        if (!kids.has(d.parent_id)) kids.set(d.parent_id, []);
        kids.get(d.parent_id).push(d.id);
    }
    const out = new Set([root]);
    const todo = [root];
    while (todo.length) for (const k of kids.get(todo.pop()) || []) if (!out.has(k)) { out.add(k); todo.push(k); }
    return out;
}

// Runs SQL on a test server's database with the sqlite3 or psql shell
// (test fixtures the API cannot make); returns the shell's output.
function sqlShell(srv, text) {
    const { execFileSync } = require('node:child_process');
    if (server.IS_PG)
        return execFileSync('psql', [srv.dbUrl, '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', text], { encoding: 'utf8' });
    return execFileSync('sqlite3', server.sqlite3Args(srv.dbUrl, '.timeout 10000', text), { encoding: 'utf8' });
}

// A short description of a response for failure messages.
function show(r) {
    const t = (r.text || '').replace(/\s+/g, ' ');
    return `${r.status} ${t.length > 240 ? t.slice(0, 240) + '…' : t}`;
}

module.exports = {
    idNumber,
    uscc,
    DEMO_PASSWORD,
    VERBS,
    SCOPES,
    client,
    signIn,
    signInChanging,
    adminPassword,
    collectionsOf,
    scopeOf,
    verbsOf,
    allowedVerbs,
    hiddenOf,
    validBody,
    textFor,
    uniq,
    parseCsv,
    toCsv,
    pool,
    subtreeOf,
    sqlShell,
    show,
};
