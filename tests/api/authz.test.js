// SPDX-License-Identifier: MIT
// authz.test.js - the authorisation matrix, generated from the registry and
// checked against the running server: every collection × verb (read, create,
// update, delete, export, import, each action) × built-in role. The expected
// allow/deny comes from the roles' permission documents (GET /api/v1/roles)
// through an independent implementation of the rule (lib/matrix.js); each
// cell is then called as the demo user of that role. Then scopes (own,
// department, subtree) and hidden fields, with built-in and custom roles.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, problem, IS_PG } = require('./lib/server');
const m = require('./lib/matrix');

const ADMIN_PASSWORD = m.adminPassword();
const PAR = 8; // requests in flight

let srv, admin;
let meta; // GET /api/v1/meta as admin
let colls; // collections with flags: [{name, module, fields, actions, api_readonly, no_delete, global}]
let byName; // name -> collection
let roles; // built-in roles by code (from GET /api/v1/roles)
const sessions = {}; // role code -> signed-in client
let firstIds = {}; // collection -> first id of the admin's list

before(async () => {
    srv = await startServer({ demo: true });
    admin = await m.signIn(srv.url, { username: 'admin', password: ADMIN_PASSWORD });
    let r = await admin.get('/api/v1/meta');
    assert.equal(r.status, 200, m.show(r));
    meta = r.body;
    r = await admin.get('/api/v1/openapi.json');
    assert.equal(r.status, 200, m.show(r));
    colls = m.collectionsOf(meta, r.body);
    byName = Object.fromEntries(colls.map((c) => [c.name, c]));
    const all = await admin.all('roles');
    roles = {};
    for (const ro of all) if (ro.builtin) roles[ro.code] = ro;
    for (const c of colls) {
        const items = (await admin.get(`/api/v1/${c.name}?limit=1`)).body.items || [];
        firstIds[c.name] = items.length ? items[0].id : null;
    }
    for (let i = 0; i < 20; i++) {
        const t = await admin.post('/api/v1/service_types', { code: `matrix_${m.uniq().replace(/[^a-z0-9]/g, '')}_${i}`.toLowerCase(), name: `矩阵${i}`, category: 'other' });
        assert.equal(t.status, 201, m.show(t));
        probe.types.push(t.body);
    }
    for (let i = 0; i < 4; i++) {
        const t = await admin.post('/api/v1/service_teams', { name: `${MARK}-班组${i}`, kind: 'section' });
        assert.equal(t.status, 201, m.show(t));
        probe.teams.push(t.body);
    }
    probe.users = (await admin.all('users')).map((u) => u.id);
    // office space: a building of the matrix's own with a floor and a meeting room, the
    // liaison's department (inside their scope), a request to hang changes on and service
    // requests naming the room for room_repairs (one each)
    const made = async (p, body) => {
        const r = await admin.post(p, body);
        assert.equal(r.status, 201, `${p}: ${m.show(r)}`);
        return r.body;
    };
    probe.building = await made('/api/v1/buildings', { name: `${MARK}-楼宇` });
    probe.floor = await made('/api/v1/floors', { building_id: probe.building.id, level: 1, name: '1F' });
    probe.room = await made('/api/v1/rooms', { building_id: probe.building.id, floor_id: probe.floor.id, number: 'P1', area_m2: 50, use_type: 'meeting' });
    // bookings: a resource open round the clock with room for every booking the matrix makes
    probe.bookable = await made('/api/v1/resources', { name: `${MARK}-场地`, capacity: 1000, hours: '1-7 00:00-24:00', closed_days: 'open_always', window_days: 366 });
    // assets: a depreciation category (the seeded top-level classes have none)
    probe.assetCategory = (await admin.all('asset_categories')).find((x) => x.name === '办公设备').id;
    // procurement committee: a project whose report is not signed (its rubric is still open)
    const signedReports = new Set((await admin.all('evaluation_reports', { status: 'signed' })).map((x) => x.project_id));
    probe.pcProject = (await admin.all('procurement_projects')).map((x) => x.id).find((id) => !signedReports.has(id)) || null;
    const lu = (await admin.get('/api/v1/users?username=liaison')).body.items[0];
    probe.dept = (await admin.get(`/api/v1/people/${lu.person_id}`)).body.department_id;
    // canteens: a canteen of the matrix's own (meal periods of a canteen never overlap) and
    // people without a meal card (one card a person)
    probe.canteen = await made('/api/v1/canteens', { name: `${MARK}-食堂`, code: `M${m.uniq().replace(/[^A-Za-z0-9]/g, '').slice(-12)}` });
    probe.cardless = (await m.pool(Array.from({ length: 150 }, (_, i) => i), 8, (i) =>
        made('/api/v1/people', { name: `矩阵持卡人${i}`, department_id: probe.dept }))).map((p) => p.id);
    // meals: every canteen (the matrix's and the demo's), and a spend of every meal of the
    // last rating_days for every user's person, so each rating the matrix makes is of a meal eaten
    probe.canteens = (await admin.all('canteens')).map((x) => x.id);
    probe.lunch = (await admin.all('canteens', { code: 'ST01' }))[0].id;
    probe.diner = (await admin.get('/api/v1/users?username=staff')).body.items[0].person_id;
    {
        const off = (await admin.get('/api/v1/tenants/1')).body.utc_offset_min;
        const days = Array.from({ length: 8 }, (_, i) => new Date(Date.now() + off * 60000 - i * 86400000).toISOString().slice(0, 10));
        const lit = (d) => (IS_PG ? `DATE '${d}'` : `'${d}'`);
        m.sqlShell(srv, `INSERT INTO meal_transactions (tenant_id, version, created_at, updated_at, kind, account_id, person_id, debit_account_id, credit_account_id, amount_fen, delta_fen, balance_fen, canteen_id, meal, business_day, at, method, offline, idem_key)
            SELECT 1, 1, 0, 0, 'spend', a.id, a.person_id, a.id, s.id, 100, -100, 0, s.canteen_id, ml.meal, dd.d, 0, 'card', 0, 'authz-' || a.id || '-' || s.id || '-' || ml.meal || '-' || dd.k
            FROM meal_accounts a JOIN meal_accounts s ON s.tenant_id = a.tenant_id AND s.kind = 'canteen'
            CROSS JOIN (SELECT 'breakfast' AS meal UNION ALL SELECT 'lunch' UNION ALL SELECT 'dinner' UNION ALL SELECT 'night') ml
            CROSS JOIN (${days.map((d, i) => `SELECT ${lit(d)} AS d, ${i} AS k`).join(' UNION ALL ')}) dd
            WHERE a.tenant_id = 1 AND a.kind = 'person' AND a.person_id IN (SELECT person_id FROM users WHERE tenant_id = 1 AND person_id IS NOT NULL)`);
        probe.days = days;
    }
    // procurement: projects past their complaint window, one for each contract the matrix
    // signs (one contract a project), one in its complaint window for complaints, and a
    // contract of its own large enough for every payment
    {
        const lit = (d) => (IS_PG ? `DATE '${d}'` : `'${d}'`);
        m.sqlShell(srv, `WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 600)
            INSERT INTO procurement_projects (tenant_id, version, created_at, updated_at, code, name, category, budget_fen, department_id, method, derived_method, evaluation_method, price_weight_pct, status, notice_published_at, result_published_at, complaint_ends, contract_due, winner_price_fen)
            SELECT 1, 1, 0, 0, 'MX-' || k, '${MARK}-采购' || k, 'goods', 50000000, ${probe.dept}, 'self', 'self', 'comprehensive', 30, CASE WHEN k = 1 THEN 'complaint_window' ELSE 'contract' END, 1, 1,
                   CASE WHEN k = 1 THEN ${lit('2099-12-31')} ELSE ${lit('2000-01-10')} END, ${lit('2000-02-01')}, 40000000 FROM n`);
        const ps = m.sqlShell(srv, "SELECT id, status FROM procurement_projects WHERE code LIKE 'MX-%' ORDER BY id").trim().split('\n').map((l) => l.split('|'));
        probe.pcComplaint = Number(ps.find((x) => x[1] === 'complaint_window')[0]);
        probe.pcContract = ps.filter((x) => x[1] === 'contract').map((x) => Number(x[0]));
        probe.npc = 0;
        probe.pcPaid = (await made('/api/v1/contracts', { project_id: probe.pcContract[probe.npc++], signed_on: '2000-01-20', amount_fen: 100000000000 })).id;
    }
    probe.spaceRequest = await made('/api/v1/space_requests', { department_id: probe.dept, need: 'other', headcount: 1, reason: `${MARK}` });
    const repair = (await admin.get('/api/v1/service_types?code=repair')).body.items[0];
    probe.svc = await m.pool(Array.from({ length: 120 }, (_, i) => i), 8, (i) =>
        made('/api/v1/service_requests', { title: `${MARK}-${i}`, type_id: repair.id, description: 'matrix', room_id: probe.room.id }));
    // fleet: people who are not drivers yet, a renewal plan, and vehicles old
    // enough to be renewed or disposed of (one per generated body)
    const drivers = new Set((await admin.all('drivers')).map((d) => d.person_id));
    probe.people = (await admin.all('people')).filter((p) => !drivers.has(p.id)).map((p) => p.id);
    const plan = await admin.post('/api/v1/renewal_plans', { year: 2099, name: `${MARK}-更新计划` });
    assert.equal(plan.status, 201, m.show(plan));
    probe.plan = plan.body;
    await m.pool(Array.from({ length: 180 }, (_, i) => i), 8, async (i) => {
        const v = await admin.post('/api/v1/vehicles', { plate: `琼P·${10000 + i}`, class: 'other', brand: '矩阵', registered_on: '2000-01-01' });
        assert.equal(v.status, 201, m.show(v));
        probe.vehicles[i] = v.body.id;
    });
    // assets: fresh assets for disposals (one open disposal an asset), assets
    // handed in to the pool for pool requests (one a body: an approved one
    // takes its asset out of the pool), and one to transfer from custodian to
    // custodian
    const cls = (await admin.all('asset_classes', { code: 'A02' }))[0].id;
    // (codes of their own: made eight at a time, the register's next number would be taken twice)
    const asset = async (i, tag) => made('/api/v1/assets', { code: `AUTHZ-${tag === '处置' ? 'D' : tag === '公物仓' ? 'P' : 'T'}${i}`,
        name: `${MARK}-${tag}${i}`, class_id: cls, category_id: probe.assetCategory,
        original_value_fen: 100000, acquired_on: '2024-05-01', department_id: probe.dept, status: 'in_use' });
    probe.disposeAssets = (await m.pool(Array.from({ length: 160 }, (_, i) => i), 8, (i) => asset(i, '处置'))).map((a) => a.id);
    probe.pooled = await m.pool(Array.from({ length: 120 }, (_, i) => i), 8, async (i) => {
        const a = await asset(i, '公物仓');
        const h = await admin.post(`/api/v1/assets/${a.id}/hand_in`, { condition: 'good' });
        assert.equal(h.status, 200, m.show(h));
        return a.id;
    });
    // transfers: an asset of its own for each body, so that no check's move depends on another's
    probe.transferAssets = (await m.pool(Array.from({ length: 100 }, (_, i) => i), 8, (i) => asset(i, '调拨'))).map((a) => a.id);
    probe.nd = 0;
    probe.np = 0;
    sessions.admin = admin;
    await m.pool(Object.keys(roles).filter((c) => c !== 'admin'), 4, async (code) => {
        sessions[code] = await m.signIn(srv.url, { username: code, password: m.DEMO_PASSWORD });
    });
});

after(async () => {
    if (srv) await srv.stop();
});

test('the registry and the roles the matrix is built from', () => {
    // the flags the issue names, as the server describes them
    assert.ok(byName.audit_entries && byName.audit_entries.api_readonly, 'audit_entries is written by the server only');
    assert.ok(byName.tenants && byName.tenants.no_delete, 'tenants cannot be deleted');
    assert.ok(byName.api_tokens && byName.api_tokens.no_delete, 'API tokens are revoked, not deleted');
    for (const code of ['admin', 'leader', 'space_manager', 'fleet_manager', 'procurement_manager', 'canteen_manager',
        'energy_manager', 'assets_manager', 'security_manager', 'property_manager', 'liaison', 'staff', 'driver',
        'supplier', 'expert', 'contractor', 'auditor', 'device'])
        assert.ok(roles[code], `built-in role ${code} is seeded`);
    for (const ro of Object.values(roles)) {
        assert.equal(typeof ro.permissions, 'object', `${ro.code}: permissions is a JSON object`);
        assert.equal(typeof ro.hidden_fields, 'object', `${ro.code}: hidden_fields is a JSON object`);
        for (const [key, verbs] of Object.entries(ro.permissions))
            for (const s of Object.values(verbs))
                assert.ok(m.SCOPES.includes(s), `${ro.code}: ${key} has scope ${s}`);
    }
    assert.deepEqual(roles.staff.hidden_fields, { people: ['phone'] });
});

// problem() with a label in front of its message.
function isProblem(r, status, code, label) {
    try {
        problem(assert, r, status, code);
    } catch (e) {
        e.message = `${label}: ${e.message}`;
        throw e;
    }
}

// ---- the matrix ----

const MARK = 'authz-' + m.uniq();

// An id to reference from a generated body: the least privileged role for
// roles, else the first record of the target collection.
function refFor(target) {
    if (target === 'roles') return roles.device.id;
    return firstIds[target] || null;
}

// Records some collections' bodies need, made in before(): service types
// without SLA targets and teams without members, so that generated targets
// and memberships (unique pairs) do not collide with seeded ones.
const probe = { types: [], teams: [], users: [], n: {}, people: [], plan: null, vehicles: [], nv: 0 };

function bodyFor(c, over = {}) {
    // a subsidy run for a past month of its own (the pattern is no generated text's)
    if (c.name === 'meal_subsidy_runs' && !over.month) {
        const j = probe.n.runMonth = (probe.n.runMonth || 0) + 1;
        over = { ...over, month: `${1900 + Math.floor(j / 12)}-${String((j % 12) + 1).padStart(2, '0')}` };
    }
    const b = m.validBody(byName[c.name] || c, refFor, over);
    // a webhook's URL must be http(s) and its secret (hidden: not in meta) is required
    // and it listens to no collection: the matrix creates and deletes its webhooks while every
    // other check writes, and their deliveries are not what it checks
    if (c.name === 'webhooks') Object.assign(b, { url: 'http://127.0.0.1:9/matrix', secret: `${MARK}-secret`, events: 'authz_probe.*' });
    // a request names its place (the first type needs one)
    if (c.name === 'service_requests') b.building = `${MARK}-楼`;
    // a fresh (type, urgency) or (team, user) pair each time
    const k = probe.n[c.name] = (probe.n[c.name] || 0) + 1; // per collection: no pair twice
    if (c.name === 'calendar_days') // one date once: a day of its own, far ahead
        b.date = new Date(Date.UTC(2040, 0, 1) + k * 86400000).toISOString().slice(0, 10);
    if (c.name === 'sla_targets')
        Object.assign(b, { type_id: probe.types[k % probe.types.length].id, urgency: ['low', 'normal', 'high', 'urgent'][Math.floor(k / probe.types.length) % 4] });
    // office space: a floor level, a room number and an assignment's day of their own
    if (c.name === 'floors') Object.assign(b, { building_id: probe.building.id, level: 2 + (k % 190) });
    if (c.name === 'rooms') Object.assign(b, { building_id: probe.building.id, floor_id: probe.floor.id, number: `M${k}` });
    if (c.name === 'room_assignments') {
        const day = new Date(Date.UTC(2031, 0, 1) + k * 86400000).toISOString().slice(0, 10);
        Object.assign(b, { room_id: probe.room.id, department_id: probe.dept, start_date: day, end_date: day });
    }
    if (c.name === 'space_requests') b.department_id = probe.dept;
    if (c.name === 'space_request_changes')
        Object.assign(b, { request_id: probe.spaceRequest.id, kind: 'start', room_id: probe.room.id, department_id: probe.dept, start_date: '2032-01-01' });
    if (c.name === 'room_repairs') b.request_id = probe.svc[k % probe.svc.length].id;
    if (c.name === 'service_team_members')
        Object.assign(b, { team_id: probe.teams[k % probe.teams.length].id, user_id: probe.users[Math.floor(k / probe.teams.length) % probe.users.length] });
    // fleet: a plate of the right format, a request that ends after it starts,
    // one plan a year, one driver record a person, a vehicle of the pool each
    if (c.name === 'vehicles') b.plate = `琼Q·${10000 + k}`;
    if (c.name === 'trip_requests')
        Object.assign(b, { start_at: new Date(Date.UTC(2030, 0, 1, k)).toISOString(), end_at: new Date(Date.UTC(2030, 0, 1, k + 2)).toISOString() });
    if (c.name === 'renewal_plans') b.year = 2000 + (k % 99);
    // bookings: whole hours of the probe resource from tomorrow on
    if (c.name === 'bookings') {
        const h = Math.ceil(Date.now() / 3600000) + 24 + (k % 2000);
        Object.assign(b, { resource_id: probe.bookable.id, start_at: new Date(h * 3600000).toISOString(), end_at: new Date((h + 1) * 3600000).toISOString(), party_size: 1 });
    }
    if (c.name === 'drivers') b.person_id = probe.people[k % probe.people.length];
    if (c.name === 'renewal_plan_items') Object.assign(b, { plan_id: probe.plan.id, vehicle_id: probe.vehicles[probe.nv++ % probe.vehicles.length] });
    if (c.name === 'vehicle_disposals') b.vehicle_id = probe.vehicles[probe.nv++ % probe.vehicles.length];
    // procurement: a supplier without a portal login (one login is one supplier's)
    if (c.name === 'suppliers') b.user_id = null;
    // canteens: a meal period of two minutes of its own, a card for a person without one, a reader without a token
    if (c.name === 'meal_periods') {
        const hm = (min) => `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;
        Object.assign(b, { canteen_id: probe.canteen.id, starts: hm((3 * k) % 1435), ends: hm(((3 * k) % 1435) + 2), active: true });
    }
    if (c.name === 'meal_accounts') Object.assign(b, { person_id: probe.cardless[k - 1], card_no: null });
    if (c.name === 'meal_readers') Object.assign(b, { canteen_id: probe.canteen.id, token_id: null });
    // meals: a menu a day of its own; a booking of a far day's lunch (open) for a person
    // (the caller's own when their role books only for themselves); a rating of a meal
    // eaten (a slot of its own: canteen, meal and day of the last rating_days)
    if (c.name === 'menus') Object.assign(b, { canteen_id: probe.canteen.id, day: new Date(Date.UTC(2030, 0, 1) + k * 86400000).toISOString().slice(0, 10), meal: 'lunch' });
    if (c.name === 'meal_bookings')
        Object.assign(b, { canteen_id: probe.lunch, day: new Date(Date.UTC(2030, 0, 1) + k * 86400000).toISOString().slice(0, 10), meal: 'lunch', person_id: probe.diner, count: 1 });
    if (c.name === 'meal_ratings') {
        const n = probe.canteens.length;
        Object.assign(b, { canteen_id: probe.canteens[k % n], meal: ['breakfast', 'lunch', 'dinner', 'night'][Math.floor(k / n) % 4],
            day: probe.days[Math.floor(k / (n * 4)) % probe.days.length], person_id: probe.diner, score: 4 });
    }
    // food safety: a delivery of long ago without a shelf life (its record's retention over:
    // deletable), a sample of the minimum weight, a certificate's computed expiry, a passed inspection
    if (c.name === 'food_deliveries')
        Object.assign(b, { canteen_id: probe.canteen.id, delivered_on: '2000-01-03', production_date: null, shelf_life_days: null, certificate_no: 'HG-0001', supplier_licence: 'JY0001', result: 'accepted' });
    if (c.name === 'food_samples') Object.assign(b, { canteen_id: probe.canteen.id, weight_g: 125 });
    if (c.name === 'health_certificates') Object.assign(b, { canteen_id: probe.canteen.id, issued_on: '2026-01-05', expires_on: null });
    if (c.name === 'food_inspections') Object.assign(b, { canteen_id: probe.canteen.id, result: 'pass', rectify_by: null });
    // subsidies: a rule with an open end
    if (c.name === 'meal_subsidy_rules') Object.assign(b, { valid_from: '2020-01-01', valid_to: null });
    if (c.name === 'assets') Object.assign(b, { category_id: probe.assetCategory, acquired_on: '2024-05-01', status: 'in_use' });
    // stocktakes: a session covers a department (the liaison's: in their subtree), a draft with
    // dates in order (its start snapshots that department's assets, or waits for the demo's session)
    if (c.name === 'stocktakes') Object.assign(b, { department_id: probe.dept, room_id: null, planned_start: '2030-01-01', planned_end: '2030-01-31' });
    if (c.name === 'asset_disposals')
        Object.assign(b, { type: 'scrap', asset_ids: [probe.disposeAssets[probe.nd++ % probe.disposeAssets.length]], department_id: probe.dept });
    if (c.name === 'asset_transfers') // an asset of its own to another custodian each time: always a move
        Object.assign(b, { asset_id: probe.transferAssets[(k - 1) % probe.transferAssets.length], to_department_id: probe.dept, to_custodian_id: probe.people[k % probe.people.length], to_room_id: null });
    // procurement committee: a relation by USCC of its own; a committee of 7 with one
    // purchaser's representative (lawful for any project); a rubric item of an open project
    if (c.name === 'expert_relations') Object.assign(b, { uscc: m.uscc(`91440300${String(100000000 + k).slice(-9)}`), supplier_id: null });
    if (c.name === 'expert_draws') Object.assign(b, { members_n: 7, reps_n: 1, specialty: 'goods.general' });
    if (c.name === 'evaluation_items' && probe.pcProject) Object.assign(b, { project_id: probe.pcProject, max_score: 1 });
    if (c.name === 'pool_requests')
        Object.assign(b, { asset_id: probe.pooled[probe.np++ % probe.pooled.length], kind: 'reuse', department_id: probe.dept, loan_until: null });
    // procurement: a self-procured goods project at the weight's floor; a complaint in the
    // window; a contract for a project of its own past its window; a payment of one fen
    if (c.name === 'procurement_projects')
        Object.assign(b, { code: null, category: 'goods', budget_fen: 50000000, department_id: probe.dept, method: 'self', method_approval: null, evaluation_method: 'comprehensive', price_weight_pct: 30 });
    if (c.name === 'complaints') Object.assign(b, { project_id: probe.pcComplaint, supplier_id: null, received_at: null, suspends: false });
    if (c.name === 'contracts')
        Object.assign(b, { project_id: probe.pcContract[probe.npc++ % probe.pcContract.length], code: null, supplier_id: null, signed_on: '2000-01-20', amount_fen: 30000000 });
    if (c.name === 'contract_payments') Object.assign(b, { contract_id: probe.pcPaid, paid_on: '2000-02-01', amount_fen: 1 });
    return b;
}

// Creates a throw-away record as admin (for deletes and actions).
let voucherBatch = null; // a promise of {dept, id}: the batch disposable vouchers come from
let mealCard = null; // a promise of the id of the card disposable transactions are top-ups of
async function disposable(c) {
    if (c.name === 'api_tokens') {
        const r = await admin.post('/api/v1/api_tokens', { name: `${MARK}-tok-${m.uniq()}`, role_id: roles.device.id });
        assert.equal(r.status, 201, `api token for the matrix: ${m.show(r)}`);
        return r.body.id;
    }
    if (c.name === 'work_orders') { // written by the server: a routed request makes one
        const q = await admin.post('/api/v1/service_requests', bodyFor(byName.service_requests));
        assert.equal(q.status, 201, `request for a work order: ${m.show(q)}`);
        const w = await admin.get(`/api/v1/work_orders?request_id=${q.body.id}`);
        assert.equal(w.body.items.length, 1, `the work order of request ${q.body.id} (${q.body.status}, team ${q.body.team_id}): ${m.show(w)}`);
        return w.body.items[0].id;
    }
    if (c.name === 'vouchers') { // written by the server: a batch issued to a new union member makes one
        // one department and batch for every check (made once, however many checks start at once)
        voucherBatch ||= (async () => {
            const d = await admin.post('/api/v1/departments', { name: `${MARK}-工会-${m.uniq()}` });
            assert.equal(d.status, 201, `department for vouchers: ${m.show(d)}`);
            const b = await admin.post('/api/v1/voucher_batches', { service: 'haircut', per_person: 1, department_id: d.body.id });
            assert.equal(b.status, 201, `batch for vouchers: ${m.show(b)}`);
            return { dept: d.body.id, id: b.body.id };
        })();
        const vb = await voucherBatch;
        const p = await admin.post('/api/v1/people', { name: `工会会员${m.uniq()}`, department_id: vb.dept, union_member: true });
        assert.equal(p.status, 201, `member for a voucher: ${m.show(p)}`);
        const i = await admin.post(`/api/v1/voucher_batches/${vb.id}/issue`, {});
        assert.equal(i.status, 200, `issue for a voucher: ${m.show(i)}`);
        const v = await admin.get(`/api/v1/vouchers?person_id=${p.body.id}`);
        assert.equal(v.body.items.length, 1, `the voucher of person ${p.body.id}: ${m.show(v)}`);
        return v.body.items[0].id;
    }
    if (c.name === 'meal_transactions') { // written by the server: a top-up of a card of the matrix's own
        mealCard ||= (async () => {
            const a = await admin.post('/api/v1/meal_accounts', bodyFor(byName.meal_accounts));
            assert.equal(a.status, 201, `card for the ledger: ${m.show(a)}`);
            return a.body.id;
        })();
        const t = await admin.post('/api/v1/meal_transactions', { kind: 'topup', account_id: await mealCard, amount_fen: 100 });
        assert.equal(t.status, 201, `top-up for a transaction: ${m.show(t)}`);
        return t.body.id;
    }
    if (c.name === 'expert_draw_members' || c.name === 'evaluation_reports') // written by the server: the demo's (their steps answer 409 to anyone but their member)
        return firstIds[c.name] || 1;
    if (c.name === 'trips') // written by the server: a closed trip of the demo year (its actions answer 409)
        return firstIds.trips;
    if (c.name === 'webhook_deliveries') { // written by the server: a ping makes one
        const w = await admin.post('/api/v1/webhooks', bodyFor(byName.webhooks));
        assert.equal(w.status, 201, `webhook for a delivery: ${m.show(w)}`);
        const p = await admin.post(`/api/v1/webhooks/${w.body.id}/ping`, {});
        assert.equal(p.status, 202, `ping for a delivery: ${m.show(p)}`);
        await admin.patch(`/api/v1/webhooks/${w.body.id}`, { active: false });
        return p.body.id;
    }
    const r = await admin.post(`/api/v1/${c.name}`, bodyFor(c));
    assert.equal(r.status, 201, `disposable ${c.name}: ${m.show(r)}`);
    return r.body.id;
}

// Removes a record the matrix made (as admin), whatever the collection allows.
async function cleanup(c, id) {
    if (!id) return;
    if (c.name === 'api_tokens') return void (await admin.post(`/api/v1/api_tokens/${id}/revoke`, {}));
    if (c.no_delete || c.api_readonly) return;
    // a concurrent check may have just updated it (409 BUR-401): delete again
    let r;
    for (let i = 0; i < 3; i++) {
        r = await admin.del(`/api/v1/${c.name}/${id}`);
        if (!(r.status === 409 && r.body && r.body.code === 'BUR-401')) break;
    }
    // a pinged webhook is kept with its deliveries (409 BUR-402): switched off instead
    if (c.name === 'webhooks' && r.status === 409 && r.body.code === 'BUR-402')
        r = await admin.patch(`/api/v1/webhooks/${id}`, { active: false });
    assert.ok(r.status === 204 || r.status === 404 || (c.name === 'webhooks' && r.status === 200),
              `cleanup of ${c.name}/${id}: ${m.show(r)}`);
}

// A PATCH body that changes nothing: a writable field set to its value.
function patchBody(c, rec, hidden) {
    const f = c.fields.find((f) => !f.readonly && f.type === 'text' && !hidden.includes(f.name) && rec && rec[f.name] !== undefined && f.name !== 'username' && f.name !== 'code')
        || c.fields.find((f) => !f.readonly && !hidden.includes(f.name) && rec && rec[f.name] !== undefined);
    return f ? { [f.name]: rec[f.name] } : {};
}

// The body of a named action (the ones this registry declares); {} otherwise.
function actionBody(c, action) {
    if (c.name === 'users' && action === 'reset_password') return { password: 'Matrix-Reset-2026-x' };
    return {};
}

// The checks for one cell: [{route, run()}], each run resolving a response.
// expect: 'allow' | 'deny' | 'readonly' (405 for every role) | 'nodelete'.
function planCell(code, c, verb) {
    const s = sessions[code];
    const role = roles[code];
    const scope = m.scopeOf(role.permissions, c.name, c.module, verb);
    const generic = m.VERBS.includes(verb);
    const write = generic && verb !== 'read' && verb !== 'export';
    let expect = scope === 'none' ? 'deny' : 'allow';
    if (write && c.api_readonly) expect = 'readonly';
    // the ledger's postings (POST /api/v1/meal_transactions) are the module's route: a role
    // posts the kinds it is granted (the generated body's kind), 403 for the rest
    let postScope = null;
    if (c.name === 'meal_transactions' && verb === 'create') {
        postScope = m.scopeOf(role.permissions, c.name, c.module, bodyFor(c).kind);
        expect = postScope === 'none' ? 'deny' : 'allow';
    }
    else if (verb === 'delete' && c.no_delete) expect = expect === 'allow' ? 'nodelete' : 'deny-or-405';
    const hidden = m.hiddenOf(role, c);
    const checks = [];
    const add = (route, ok, run) => checks.push({ code, coll: c.name, verb, scope, expect, route, ok, run });
    // a record of the collection the role can see (else the admin's first)
    async function target() {
        if (scope !== 'none' && m.scopeOf(role.permissions, c.name, c.module, 'read') !== 'none') {
            // by id: the seeded rows, never a throw-away record another check is deleting
            const r = await s.get(`/api/v1/${c.name}?limit=1&sort=id`);
            if (r.status === 200 && r.body.items.length) return r.body.items[0].id;
        }
        return firstIds[c.name] || 1;
    }
    switch (verb) {
    case 'read':
        add(`GET /api/v1/${c.name}`, [200], () => s.get(`/api/v1/${c.name}`));
        add(`GET /api/v1/${c.name}/{id}`, [200, 404], async () => s.get(`/api/v1/${c.name}/${await target()}`));
        add(`GET /api/v1/${c.name}/{id}/history`, [200, 404], async () => s.get(`/api/v1/${c.name}/${await target()}/history`));
        break;
    case 'export': {
        // the demo ledger's year (hundreds of thousands of entries) is exported a part at a time
        const q = c.name === 'meal_transactions' ? '?kind=subsidy' : '';
        add(`GET /api/v1/${c.name}.csv`, [200], () => s.get(`/api/v1/${c.name}.csv${q}`));
        add(`GET /api/v1/${c.name}.xlsx`, [200], () => s.get(`/api/v1/${c.name}.xlsx${q}`));
        break;
    }
    case 'create':
        add(`POST /api/v1/${c.name}`, postScope ? [201, 409, 422] : [201], async () => {
            const body = c.name === 'api_tokens' ? { name: `${MARK}-tok-${m.uniq()}`, role_id: roles.device.id } : bodyFor(c);
            // a diner books and rates for themselves: their own person, not the body's
            if (scope === 'assigned' && ['meal_bookings', 'meal_ratings'].includes(c.name)) delete body.person_id;
            const r = await s.post(`/api/v1/${c.name}`, body);
            if (r.status === 201) await cleanup(c, r.body.id);
            return r;
        });
        break;
    case 'update':
        add(`PATCH /api/v1/${c.name}/{id}`, [200, 404, 409, 422], async () => {
            const id = await target();
            const rec = (await admin.get(`/api/v1/${c.name}/${id}`)).body;
            return s.patch(`/api/v1/${c.name}/${id}`, patchBody(c, rec, hidden));
        });
        break;
    case 'delete':
        add(`DELETE /api/v1/${c.name}/{id}`, [204, 404, 409], async () => {
            if (c.no_delete || c.api_readonly) return s.del(`/api/v1/${c.name}/${await target()}`);
            const id = await disposable(c);
            const r = await s.del(`/api/v1/${c.name}/${id}`);
            if (r.status !== 204) {
                // a refused delete leaves the record in place
                const g = await admin.get(`/api/v1/${c.name}/${id}`);
                if (g.status !== 200) r.extra = `the record is gone after a ${r.status}: ${m.show(g)}`;
                await cleanup(c, id);
            }
            return r;
        });
        break;
    case 'import':
        // a webhook's secret cannot come from a CSV file: every row is refused
        add(`POST /api/v1/${c.name}/import`, c.name === 'webhooks' ? [422] : [200], async () => {
            const row = c.name === 'api_tokens' ? { name: `${MARK}-tok-${m.uniq()}`, role_id: roles.device.id } : bodyFor(c);
            if (c.name === 'webhooks') delete row.secret; // not a column
            // a marker of this import's own, so that the clean-up below never matches a
            // record another check made from an identical body (space_settings has no
            // text of its own but the optional note)
            const free = c.fields.find((f) => f.type === 'text' && !f.readonly && !f.pattern && !f.format && row[f.name] === undefined &&
                                             !hidden.includes(f.name));
            if (free) row[free.name] = `imp-${m.uniq()}`.slice(0, free.max_len || 200);
            const top = (await admin.get(`/api/v1/${c.name}?sort=-id&limit=1`)).body.items || [];
            const r = await s.post(`/api/v1/${c.name}/import`, m.toCsv([row]), { contentType: 'text/csv' });
            if (r.status === 200 && !c.global) {
                // remove what was imported: newer than before, with every value of the row
                const since = top.length ? top[0].id : 0;
                const same = (it) => it.id > since && Object.keys(row).every((k) => JSON.stringify(it[k]) === JSON.stringify(row[k]));
                const items = await admin.all(c.name, { 'id[gt]': since });
                for (const it of items.filter(same)) await cleanup(c, it.id);
            }
            return r;
        });
        break;
    default: // a named action
        add(`POST /api/v1/${c.name}/{id}/${verb}`, [200, 201, 202, 204, 404, 409, 422], async () => {
            const id = await disposable(c);
            const r = await s.post(`/api/v1/${c.name}/${id}/${verb}`, actionBody(c, verb));
            await cleanup(c, id);
            return r;
        });
    }
    return checks;
}

function judge(ch, r) {
    const where = `${ch.code} ${ch.route} (${ch.verb}: scope ${ch.scope}, expected ${ch.expect})`;
    if (r.extra) return `${where}: ${r.extra}`;
    const code = r.body && typeof r.body === 'object' ? r.body.code : undefined;
    switch (ch.expect) {
    case 'allow':
        // a requester's own steps: any other caller is refused by the rule, not the role
        if (r.status === 403 && ch.coll === 'service_requests' && ['confirm', 'reopen', 'rate'].includes(ch.verb) &&
            r.body && r.body.key === 'wf.only_own') return null;
        // a pool request is cancelled by its requester only (the admin's throw-away ones)
        if (r.status === 403 && ch.coll === 'pool_requests' && ch.verb === 'cancel' && r.body && r.body.key === 'wf.only_own') return null;
        // nobody reviews, approves or rejects their own space request (the admin's throw-away ones)
        if (r.status === 409 && ch.coll === 'space_requests' && r.body && r.body.key === 'wf.own') return null;
        if (!ch.ok.includes(r.status)) return `${where}: got ${m.show(r)}`;
        return null;
    case 'deny':
        if (r.status !== 403 || code !== 'BUR-302') return `${where}: want 403 BUR-302, got ${m.show(r)}`;
        return null;
    case 'deny-or-405':
        if (!((r.status === 403 && code === 'BUR-302') || (r.status === 405 && code === 'BUR-105')))
            return `${where}: want 403 BUR-302 or 405, got ${m.show(r)}`;
        return null;
    case 'readonly':
    case 'nodelete':
        if (r.status !== 405 || code !== 'BUR-105') return `${where}: want 405 BUR-105, got ${m.show(r)}`;
        return null;
    }
    return `${where}: unknown expectation`;
}

test('authorisation matrix: every collection × verb × built-in role against the server', async (t) => {
    const codes = Object.keys(roles).sort();
    const checks = [];
    for (const code of codes)
        for (const c of colls)
            for (const verb of m.verbsOf(c, { all: true })) checks.push(...planCell(code, c, verb));
    const cells = new Set(checks.map((ch) => `${ch.code}|${ch.coll}|${ch.verb}`)).size;
    const allowed = checks.filter((ch) => ch.expect === 'allow').length;
    const failures = [];
    const results = await m.pool(checks, PAR, async (ch) => {
        let r;
        try {
            r = await ch.run();
        } catch (e) {
            return `${ch.code} ${ch.route}: ${e.message}`;
        }
        return judge(ch, r);
    });
    for (const f of results) if (f) failures.push(f);
    await t.test(`${checks.length} route checks (${cells} cells: ${colls.length} collections × ${codes.length} roles × their verbs; ${allowed} allowed, ${checks.length - allowed} refused)`, () => {
        assert.deepEqual(failures, [], `${failures.length} of ${checks.length} checks failed:\n  ${failures.join('\n  ')}`);
    });

    // meta's caller.can and caller.hidden for each role equal the computed ones
    const metaFailures = [];
    let n = 0;
    await m.pool(codes, 4, async (code) => {
        const r = await sessions[code].get('/api/v1/meta');
        if (r.status !== 200) return void metaFailures.push(`${code}: GET /api/v1/meta ${m.show(r)}`);
        const caller = r.body.caller || {};
        if (!caller.user || caller.user.username !== code || caller.user.role !== code)
            metaFailures.push(`${code}: caller.user is ${JSON.stringify(caller.user)}`);
        for (const c of colls) {
            n += 2;
            const want = m.allowedVerbs(roles[code], c).sort();
            const got = [...((caller.can || {})[c.name] || [])].sort();
            if (JSON.stringify(want) !== JSON.stringify(got))
                metaFailures.push(`${code}: can.${c.name} = ${JSON.stringify(got)}, computed ${JSON.stringify(want)}`);
            const wantH = m.hiddenOf(roles[code], c).sort();
            const gotH = [...((caller.hidden || {})[c.name] || [])].sort();
            if (JSON.stringify(wantH) !== JSON.stringify(gotH))
                metaFailures.push(`${code}: hidden.${c.name} = ${JSON.stringify(gotH)}, computed ${JSON.stringify(wantH)}`);
        }
    });
    await t.test(`meta caller.can and caller.hidden: ${n} checks (${codes.length} roles × ${colls.length} collections × 2)`, () => {
        assert.deepEqual(metaFailures, [], metaFailures.join('\n'));
    });

    // an anonymous caller gets 401 on every collection route, and meta says it can do nothing
    const anon = m.client(srv.url);
    const anonFailures = [];
    for (const c of colls) {
        for (const [what, r] of [
            ['list', await anon.get(`/api/v1/${c.name}`)],
            ['get', await anon.get(`/api/v1/${c.name}/${firstIds[c.name] || 1}`)],
            ['export', await anon.get(`/api/v1/${c.name}.csv`)],
            ['create', await anon.post(`/api/v1/${c.name}`, {})],
        ]) {
            if (r.status !== 401 && !(c.api_readonly && what === 'create' && r.status === 405))
                anonFailures.push(`anonymous ${what} ${c.name}: ${m.show(r)}`);
        }
    }
    const am = await anon.get('/api/v1/meta');
    assert.equal(am.status, 200, m.show(am));
    assert.equal(am.body.caller.user, null);
    for (const [k, v] of Object.entries(am.body.caller.can)) if (v.length) anonFailures.push(`anonymous meta can.${k} = ${JSON.stringify(v)}`);
    await t.test(`anonymous: ${colls.length * 4 + 1} checks (401 on every collection route)`, () => {
        assert.deepEqual(anonFailures, [], anonFailures.join('\n'));
    });
});

// ---- scopes and hidden fields ----

// The demo user's person and department, as admin sees them.
async function whoIs(code) {
    const u = (await admin.all('users', { username: code }))[0];
    assert.ok(u, `user ${code}`);
    assert.ok(u.person_id, `the demo user ${code} is linked to a person`);
    const p = await admin.get(`/api/v1/people/${u.person_id}`);
    assert.equal(p.status, 200, m.show(p));
    return { user: u, person: p.body, dept: p.body.department_id };
}

test('staff: people of their own department only; phone hidden everywhere', async () => {
    const staff = sessions.staff;
    const { dept } = await whoIs('staff');
    const mm = await staff.get('/api/v1/meta');
    assert.equal(mm.body.caller.user.department_id, dept, 'meta names the staff user\'s department');

    const everyone = await admin.all('people');
    const mine = everyone.filter((p) => p.department_id === dept);
    const other = everyone.find((p) => p.department_id !== dept);
    assert.ok(mine.length > 0 && other, 'the demo has people in and out of the department');

    const seen = await staff.all('people');
    for (const p of seen) {
        assert.equal(p.department_id, dept, `staff sees person ${p.id} of department ${p.department_id}`);
        assert.ok(!('phone' in p), `phone is absent from list item ${p.id}`);
    }
    assert.deepEqual(seen.map((p) => p.id).sort((a, b) => a - b), mine.map((p) => p.id).sort((a, b) => a - b),
        'staff sees exactly the people of their department');

    let r = await staff.get(`/api/v1/people/${mine[0].id}`);
    assert.equal(r.status, 200, m.show(r));
    assert.ok(!('phone' in r.body), 'phone is absent from GET');
    assert.equal(r.body.name, mine[0].name);

    r = await staff.get(`/api/v1/people/${other.id}`);
    problem(assert, r, 404, 'BUR-107');
    r = await staff.get(`/api/v1/people/${other.id}/history`);
    assert.equal(r.status, 404, m.show(r));
    r = await staff.get(`/api/v1/people?department_id=${other.department_id}`);
    assert.equal(r.status, 200, m.show(r));
    assert.deepEqual(r.body.items, [], 'a filter on another department finds nothing');
    r = await staff.get(`/api/v1/people?id=${other.id}`);
    assert.equal(r.status, 200, m.show(r));
    assert.deepEqual(r.body.items, [], 'a filter on the id of another department\'s person finds nothing');
    r = await staff.get(`/api/v1/people?q=${encodeURIComponent(other.name)}`);
    assert.equal(r.status, 200, m.show(r));
    for (const p of r.body.items) assert.equal(p.department_id, dept, 'a search stays in the department');

    // phone: not a filter, not a sort, not in the output
    const withPhone = everyone.find((p) => p.department_id === dept && p.phone);
    r = await staff.get(`/api/v1/people?phone=${encodeURIComponent(withPhone ? withPhone.phone : '13800000000')}`);
    problem(assert, r, 400, 'BUR-102');
    r = await staff.get('/api/v1/people?phone[prefix]=138');
    problem(assert, r, 400, 'BUR-102');
    r = await staff.get('/api/v1/people?sort=phone');
    problem(assert, r, 400, 'BUR-102');
    r = await staff.get('/api/v1/people?sort=-phone');
    problem(assert, r, 400, 'BUR-102');

    // staff may not export people (the table gives them read only)
    r = await staff.get('/api/v1/people.csv');
    problem(assert, r, 403, 'BUR-302');
    // and may not write, nor set the hidden field
    r = await staff.patch(`/api/v1/people/${mine[0].id}`, { phone: '13900000000' });
    problem(assert, r, 403, 'BUR-302');

    // the history of a person of the department: readable, without the phone
    const target = mine[mine.length - 1];
    r = await admin.patch(`/api/v1/people/${target.id}`, { phone: '13987654321' });
    assert.equal(r.status, 200, m.show(r));
    r = await staff.get(`/api/v1/people/${target.id}/history`);
    assert.equal(r.status, 200, m.show(r));
    assert.ok(Array.isArray(r.body) && r.body.length >= 1, m.show(r));
    assert.ok(!r.text.includes('13987654321') && !r.text.includes('"phone"'),
        `GET /api/v1/people/${target.id}/history as staff (phone hidden) shows the phone: ${r.text.slice(0, 400)}`);
});

test('custom role: department scope with export; hidden fields kept out of output, filters, sorts, searches and input', async (t) => {
    const { user: su, person, dept } = await whoIs('staff');
    // a custom role: read/update/export people of the department, phone and staff_no hidden
    let r = await admin.post('/api/v1/roles', {
        code: 'dept_clerk', name: '部门文书',
        permissions: { people: { read: 'department', update: 'department', export: 'department' }, departments: { read: 'tenant' } },
        hidden_fields: { people: ['phone', 'staff_no'] },
    });
    assert.equal(r.status, 201, m.show(r));
    const role = r.body;
    assert.equal(role.builtin, false);
    r = await admin.post('/api/v1/users', { username: 'clerk1', display_name: '文书', person_id: su.person_id, role_id: role.id });
    assert.equal(r.status, 201, m.show(r));
    const pw = 'Clerk-pass-2026-x';
    r = await admin.post(`/api/v1/users/${r.body.id}/reset_password`, { password: pw });
    assert.equal(r.status, 200, m.show(r));
    const clerk = await m.signInChanging(srv.url, { username: 'clerk1', password: pw, newPassword: pw + '-2' });

    const everyone = await admin.all('people');
    const mine = everyone.filter((p) => p.department_id === dept);
    const other = everyone.find((p) => p.department_id !== dept && p.staff_no);
    const ids = (xs) => xs.map((p) => Number(p.id)).sort((x, y) => x - y);

    await t.test('meta and the list: the department only, without phone and staff_no', async () => {
        const mm = await clerk.get('/api/v1/meta');
        assert.deepEqual([...mm.body.caller.can.people].sort(), ['export', 'read', 'update']);
        assert.deepEqual([...mm.body.caller.hidden.people].sort(), ['phone', 'staff_no']);
        const seen = await clerk.all('people');
        assert.deepEqual(ids(seen), ids(mine));
        for (const p of seen) assert.ok(!('phone' in p) && !('staff_no' in p), `hidden fields absent from item ${p.id}`);
        const g = await clerk.get(`/api/v1/people/${person.id}`);
        assert.equal(g.status, 200, m.show(g));
        assert.ok(!('phone' in g.body) && !('staff_no' in g.body), 'hidden fields absent from GET');
    });

    await t.test('CSV and XLSX export: the department only, no hidden columns', async () => {
        let r = await clerk.get('/api/v1/people.csv');
        assert.equal(r.status, 200, m.show(r));
        const rows = m.parseCsv(r.text);
        const header = rows.shift();
        assert.ok(header.includes('id') && header.includes('department_id'), header.join(','));
        const di = header.indexOf('department_id'), ii = header.indexOf('id');
        for (const row of rows) assert.equal(Number(row[di]), dept, `export row ${row[ii]} of department ${row[di]}`);
        assert.deepEqual(rows.map((x) => Number(x[ii])).sort((x, y) => x - y), ids(mine));
        r = await clerk.get(`/api/v1/people.csv?department_id=${other.department_id}`);
        assert.equal(r.status, 200, m.show(r));
        assert.equal(m.parseCsv(r.text).length, 1, 'an export filtered on another department holds the header only');
        assert.ok(!header.includes('phone') && !header.includes('staff_no'), `CSV columns: ${header.join(',')}`);
        for (const h of ['zh', 'en']) {
            r = await clerk.get(`/api/v1/people.csv?header=${h}`);
            assert.equal(r.status, 200, m.show(r));
            const hdr = m.parseCsv(r.text)[0];
            assert.ok(!hdr.includes(h === 'zh' ? '手机号' : 'Mobile') && !hdr.includes(h === 'zh' ? '工号' : 'Staff number'), hdr.join(','));
        }
        r = await clerk.get('/api/v1/people.xlsx');
        assert.equal(r.status, 200, m.show(r));
        const withNo = mine.find((p) => p.staff_no);
        if (withNo) assert.ok(!r.bytes.includes(Buffer.from(withNo.staff_no)), 'a staff number in the XLSX');
    });

    await t.test('hidden fields are not filters, sorts or search terms', async () => {
        const probe = mine.find((p) => p.staff_no) || mine[0];
        let r = await admin.get(`/api/v1/people?staff_no=${encodeURIComponent(probe.staff_no)}`);
        assert.equal(r.status, 200, m.show(r));
        for (const q of [`staff_no=${encodeURIComponent(probe.staff_no)}`, 'staff_no[prefix]=A', 'sort=staff_no', 'sort=-staff_no', 'staff_no[null]=true']) {
            isProblem(await clerk.get(`/api/v1/people?${q}`), 400, 'BUR-102', `list ?${q}`);
            isProblem(await clerk.get(`/api/v1/people.csv?${q}`), 400, 'BUR-102', `export ?${q}`);
        }
        if (probe.staff_no) {
            r = await admin.get(`/api/v1/people?q=${encodeURIComponent(probe.staff_no)}`);
            assert.ok(r.body.items.some((p) => p.id === probe.id), 'admin finds the person by staff number');
            r = await clerk.get(`/api/v1/people?q=${encodeURIComponent(probe.staff_no)}`);
            assert.equal(r.status, 200, m.show(r));
            const hit = r.body.items.find((p) => p.id === probe.id);
            assert.ok(!hit || `${hit.name} ${hit.post}`.includes(probe.staff_no),
                `GET /api/v1/people?q=<a hidden staff number> as the clerk finds person ${probe.id}`);
        }
    });

    const inDept = mine.find((p) => p.id !== person.id) || person;
    await t.test('input: hidden fields refused (403), others applied; out of scope 404, moving out 403', async () => {
        let r = await clerk.patch(`/api/v1/people/${inDept.id}`, { phone: '13900000000' });
        problem(assert, r, 403, 'BUR-302');
        r = await clerk.patch(`/api/v1/people/${inDept.id}`, { staff_no: 'X-1' });
        problem(assert, r, 403, 'BUR-302');
        r = await admin.get(`/api/v1/people/${inDept.id}`);
        assert.equal(r.body.phone, inDept.phone, 'a refused PATCH changes nothing');
        assert.equal(r.body.staff_no, inDept.staff_no);
        r = await clerk.patch(`/api/v1/people/${inDept.id}`, { post: '文书测试' });
        assert.equal(r.status, 200, m.show(r));
        assert.ok(!('phone' in r.body) && !('staff_no' in r.body), 'the PATCH answer hides the fields too');
        r = await clerk.patch(`/api/v1/people/${inDept.id}`, { post: inDept.post });
        assert.equal(r.status, 200, m.show(r));
        r = await clerk.patch(`/api/v1/people/${other.id}`, { post: '越权' });
        problem(assert, r, 404, 'BUR-107');
        r = await clerk.patch(`/api/v1/people/${inDept.id}`, { department_id: other.department_id });
        problem(assert, r, 403, 'BUR-302');
    });

    await t.test('history: a record\'s history hides the role\'s hidden fields too', async () => {
        // admin changes the phone, so the history holds it
        let r = await admin.patch(`/api/v1/people/${inDept.id}`, { phone: '13912345678' });
        assert.equal(r.status, 200, m.show(r));
        r = await clerk.get(`/api/v1/people/${inDept.id}/history`);
        assert.equal(r.status, 200, m.show(r));
        assert.ok(!r.text.includes('13912345678') && !/"staff_no"|"phone"/.test(r.text),
            `GET /api/v1/people/${inDept.id}/history as a role with phone hidden: ${r.text.slice(0, 400)}`);
    });
});

test('a role cannot hide a system field (every record carries them, as the OpenAPI document says)', async () => {
    for (const hidden of [{ people: ['created_by'] }, { people: ['phone', 'id'] }, { '*': ['version'] }, { rooms: ['updated_at'] }]) {
        const r = await admin.post('/api/v1/roles', {
            code: `hide_${m.uniq()}`, name: '隐藏系统字段', permissions: { people: { read: 'tenant' } }, hidden_fields: hidden,
        });
        problem(assert, r, 422, 'BUR-201', ['hidden_fields']);
        assert.match(r.body.errors[0].message, /system field/, JSON.stringify(hidden));
    }
});

test('custom role: own scope sees only the records its user created', async () => {
    let r = await admin.post('/api/v1/roles', {
        code: 'dept_drafter', name: '自建部门',
        permissions: { departments: { create: 'tenant', read: 'own', update: 'own', delete: 'own', export: 'own' } },
        hidden_fields: {},
    });
    assert.equal(r.status, 201, m.show(r));
    const roleId = r.body.id;
    r = await admin.post('/api/v1/users', { username: 'drafter1', role_id: roleId });
    assert.equal(r.status, 201, m.show(r));
    const pw = 'Drafter-pass-2026-x';
    r = await admin.post(`/api/v1/users/${r.body.id}/reset_password`, { password: pw });
    assert.ok(r.status >= 200 && r.status < 300, m.show(r));
    const u = await m.signInChanging(srv.url, { username: 'drafter1', password: pw, newPassword: pw + '-2' });

    r = await u.get('/api/v1/departments');
    assert.equal(r.status, 200, m.show(r));
    assert.deepEqual(r.body.items, [], 'nothing created yet: nothing seen');
    r = await u.post('/api/v1/departments', { name: '自建部门一', code: `OWN-${m.uniq()}` });
    assert.equal(r.status, 201, m.show(r));
    const mine = r.body;
    r = await u.get('/api/v1/departments');
    assert.deepEqual(r.body.items.map((d) => d.id), [mine.id]);
    r = await u.get(`/api/v1/departments/${firstIds.departments}`);
    problem(assert, r, 404, 'BUR-107');
    r = await u.patch(`/api/v1/departments/${firstIds.departments}`, { name: 'x' });
    problem(assert, r, 404, 'BUR-107');
    r = await u.del(`/api/v1/departments/${firstIds.departments}`);
    problem(assert, r, 404, 'BUR-107');
    r = await u.patch(`/api/v1/departments/${mine.id}`, { headcount: 3 });
    assert.equal(r.status, 200, m.show(r));
    r = await u.get('/api/v1/departments.csv');
    assert.equal(r.status, 200, m.show(r));
    assert.equal(m.parseCsv(r.text).length, 2, 'the export holds the header and the one own record');
    r = await u.get('/api/v1/people');
    problem(assert, r, 403, 'BUR-302');
    r = await u.del(`/api/v1/departments/${mine.id}`);
    assert.equal(r.status, 204, m.show(r));
});

test('liaison: the subtree of their department, read and change inside it only', async () => {
    const liaison = sessions.liaison;
    const { dept } = await whoIs('liaison');
    const depts = await admin.all('departments');
    const sub = m.subtreeOf(depts, dept);
    const everyone = await admin.all('people');
    const inside = everyone.filter((p) => sub.has(p.department_id));
    const outside = everyone.filter((p) => !sub.has(p.department_id));
    assert.ok(inside.length && outside.length, 'people in and out of the subtree');

    const seen = await liaison.all('people');
    for (const p of seen) assert.ok(sub.has(p.department_id), `liaison sees person ${p.id} of department ${p.department_id}`);
    assert.deepEqual(seen.map((p) => p.id).sort((a, b) => a - b), inside.map((p) => p.id).sort((a, b) => a - b),
        `liaison sees exactly the people of the subtree (${sub.size} departments)`);

    // export: the subtree
    let r = await liaison.get('/api/v1/people.csv');
    assert.equal(r.status, 200, m.show(r));
    const rows = m.parseCsv(r.text);
    const ii = rows.shift().indexOf('id');
    assert.deepEqual(rows.map((x) => Number(x[ii])).sort((a, b) => a - b), inside.map((p) => p.id).sort((a, b) => a - b));

    // PATCH inside: allowed; outside: not found
    const p = inside.find((x) => x.department_id !== dept) || inside[0];
    r = await liaison.patch(`/api/v1/people/${p.id}`, { post: '联络员改' });
    assert.equal(r.status, 200, m.show(r));
    assert.equal(r.body.post, '联络员改');
    r = await liaison.patch(`/api/v1/people/${p.id}`, { post: p.post });
    assert.equal(r.status, 200, m.show(r));
    const o = outside[0];
    r = await liaison.get(`/api/v1/people/${o.id}`);
    problem(assert, r, 404, 'BUR-107');
    r = await liaison.patch(`/api/v1/people/${o.id}`, { post: '越权' });
    problem(assert, r, 404, 'BUR-107');
    r = await admin.get(`/api/v1/people/${o.id}`);
    assert.equal(r.body.post, o.post, 'the person outside is unchanged');

    // moving a person out of the subtree: refused, nothing changed
    const away = depts.find((d) => !sub.has(d.id));
    r = await liaison.patch(`/api/v1/people/${p.id}`, { department_id: away.id });
    problem(assert, r, 403, 'BUR-302');
    r = await admin.get(`/api/v1/people/${p.id}`);
    assert.equal(r.body.department_id, p.department_id, 'the refused move changed nothing');
    // moving within the subtree: allowed (when the subtree has two departments)
    const other = [...sub].find((d) => d !== p.department_id);
    if (other) {
        r = await liaison.patch(`/api/v1/people/${p.id}`, { department_id: other });
        assert.equal(r.status, 200, m.show(r));
        r = await liaison.patch(`/api/v1/people/${p.id}`, { department_id: p.department_id });
        assert.equal(r.status, 200, m.show(r));
    }
    // no create, no delete
    r = await liaison.post('/api/v1/people', { name: '新人', department_id: dept });
    problem(assert, r, 403, 'BUR-302');
    r = await liaison.del(`/api/v1/people/${p.id}`);
    problem(assert, r, 403, 'BUR-302');
});

test('auditor reads and exports everything, writes nothing', async () => {
    const aud = sessions.auditor;
    for (const c of colls) {
        let r = await aud.get(`/api/v1/${c.name}?limit=500`);
        assert.equal(r.status, 200, `${c.name}: ${m.show(r)}`);
        const ra = await admin.get(`/api/v1/${c.name}?limit=500`);
        assert.deepEqual(r.body.items.map((x) => x.id), ra.body.items.map((x) => x.id), `auditor sees what admin sees in ${c.name}`);
        r = await aud.get(`/api/v1/${c.name}.csv`);
        assert.equal(r.status, 200, `${c.name}.csv: ${m.show(r)}`);
        const id = firstIds[c.name] || 1;
        for (const [what, rr] of [
            ['create', await aud.post(`/api/v1/${c.name}`, bodyFor(c))],
            ['update', await aud.patch(`/api/v1/${c.name}/${id}`, {})],
            ['delete', await aud.del(`/api/v1/${c.name}/${id}`)],
            ['import', await aud.post(`/api/v1/${c.name}/import`, 'x\r\n', { contentType: 'text/csv' })],
        ]) {
            const ok = c.api_readonly || (what === 'delete' && c.no_delete) ? [403, 405] : [403];
            assert.ok(ok.includes(rr.status), `auditor ${what} ${c.name}: ${m.show(rr)}`);
        }
    }
    // the audit chain is readable with filters, by the auditor
    const r = await aud.get('/api/v1/audit_entries?action=export&limit=5');
    assert.equal(r.status, 200, m.show(r));
    assert.ok(r.body.items.length > 0, 'exports are audited');
});

test('nobody writes audit_entries (405 for every role)', async () => {
    const id = firstIds.audit_entries;
    assert.ok(id, 'the chain has entries');
    for (const code of Object.keys(sessions)) {
        const s = sessions[code];
        for (const [what, r] of [
            ['POST', await s.post('/api/v1/audit_entries', { action: 'forged' })],
            ['PATCH', await s.patch(`/api/v1/audit_entries/${id}`, { action: 'forged' })],
            ['DELETE', await s.del(`/api/v1/audit_entries/${id}`)],
            ['import', await s.post('/api/v1/audit_entries/import', 'action\r\nforged\r\n', { contentType: 'text/csv' })],
        ])
            isProblem(r, 405, 'BUR-105', `${code} ${what} audit_entries`);
    }
    const r = await admin.get(`/api/v1/audit_entries/${id}`);
    assert.equal(r.status, 200);
    assert.notEqual(r.body.action, 'forged');
});

test('custom role: named actions keep the scope; a token never gets more than its creator\'s role', async (t) => {
    let r = await admin.post('/api/v1/roles', {
        code: 'token_keeper', name: '令牌管理',
        permissions: {
            api_tokens: { create: 'tenant', read: 'own', update: 'own', revoke: 'own' },
            users: { read: 'own', reset_password: 'own' },
        },
        hidden_fields: {},
    });
    assert.equal(r.status, 201, m.show(r));
    const keeperRole = r.body.id;
    r = await admin.post('/api/v1/users', { username: 'keeper1', role_id: keeperRole });
    assert.equal(r.status, 201, m.show(r));
    const pw = 'Keeper-pass-2026-x';
    r = await admin.post(`/api/v1/users/${r.body.id}/reset_password`, { password: pw });
    assert.equal(r.status, 200, m.show(r));
    const k = await m.signInChanging(srv.url, { username: 'keeper1', password: pw, newPassword: pw + '-2' });

    await t.test('reset_password of a user outside the scope: 404, nothing changed', async () => {
        let r = await admin.post('/api/v1/users', { username: 'victim1', role_id: roles.device.id });
        assert.equal(r.status, 201, m.show(r));
        const victim = r.body;
        r = await k.get(`/api/v1/users/${victim.id}`);
        problem(assert, r, 404, 'BUR-107');
        r = await k.post(`/api/v1/users/${victim.id}/reset_password`, { password: 'Taken-over-2026-x' });
        isProblem(r, 404, 'BUR-107', `POST /api/v1/users/${victim.id}/reset_password by a role with reset_password: own`);
    });

    await t.test('revoke of a token outside the scope: 404', async () => {
        let r = await admin.post('/api/v1/api_tokens', { name: `${MARK}-admins`, role_id: roles.device.id });
        assert.equal(r.status, 201, m.show(r));
        r = await k.post(`/api/v1/api_tokens/${r.body.id}/revoke`, {});
        problem(assert, r, 404, 'BUR-107');
    });

    await t.test('a token with another role: refused at creation and by PATCH', async () => {
        let r = await k.post('/api/v1/api_tokens', { name: 'keeper admin token', role_id: roles.admin.id });
        problem(assert, r, 403, 'BUR-302', ['role_id']);
        r = await k.post('/api/v1/api_tokens', { name: 'keeper token', role_id: keeperRole });
        assert.equal(r.status, 201, m.show(r));
        const tok = r.body;
        assert.match(tok.token, /^bur_/);
        const bearer = m.client(srv.url, { bearer: tok.token });
        try {
            r = await k.patch(`/api/v1/api_tokens/${tok.id}`, { role_id: roles.admin.id });
            isProblem(r, 403, 'BUR-302', `PATCH /api/v1/api_tokens/${tok.id} {"role_id": <admin role>} by its creator (role token_keeper)`);
            r = await admin.get(`/api/v1/api_tokens/${tok.id}`);
            assert.equal(r.body.role_id, keeperRole, 'the token keeps its role');
        } finally {
            r = await k.post(`/api/v1/api_tokens/${tok.id}/revoke`, {});
            assert.equal(r.status, 200, m.show(r));
            r = await bearer.get('/api/v1/api_tokens');
            assert.equal(r.status, 401, `a revoked token: ${m.show(r)}`);
        }
    });
});
