// SPDX-License-Identifier: MIT
// procure_committee.test.js - the committee part of procurement
// (docs/modules/procurement.md): the committee's size rules with
// their figures; the draw from the bid deadline on, with recusal at the
// 3-year boundary (a relation that ended exactly 3 years before the draw day
// recuses, one a day older does not) and by USCC; who was drawn hidden from
// staff, admin and a supplier until the result is published (records,
// history, audit chain); confirm/decline going down the same order (补抽);
// scoring refused for a non-member, out of range and after signing, with
// keys and figures and nothing changed; the report's price-score figures
// (87号令 第55条) computed by hand; signing; after publication the public
// document, recomputed here from its inputs (SHA-256, ChaCha20 through
// node's OpenSSL, Fisher–Yates) and by `bureau procure verify-draw`, which
// also catches a tampered witness value.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { startServer, api, problem, runBureau } = require('./lib/server');
const m = require('./lib/matrix');

let srv, admin;
const sql = (text) => m.sqlShell(srv, text).trim();
const keyOf = (r) => (r.body && r.body.errors && r.body.errors[0] ? r.body.errors[0].key : r.body && r.body.key);
const PW = 'Expert-pass-2026-x';
const now = () => Math.floor(Date.now() / 1000);
const today = () => new Date(Date.now() + 480 * 60000).toISOString().slice(0, 10);
function yearsBefore(d, y, days = 0) {
    const [yy, mm, dd] = d.split('-').map(Number);
    let day = dd;
    if (mm === 2 && dd === 29) day = 28;
    return new Date(Date.UTC(yy - y, mm - 1, day) - days * 86400000).toISOString().slice(0, 10);
}
// USCCs with their check digit (GB 32100-2015)
function uscc(body17) {
    const A = '0123456789ABCDEFGHJKLMNPQRTUWXY', W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    let s = 0;
    for (let i = 0; i < 17; i++) s += A.indexOf(body17[i]) * W[i];
    return body17 + A[(31 - (s % 31)) % 31];
}

let dept, project, suppliers = [], experts = [], users = {}, expertOf = {}, leader, officials;

async function project_(name, extra = {}) {
    const r = await admin.post('/api/v1/procurement_projects', {
        name, category: 'goods', budget_fen: 50000000, department_id: dept, method: 'public_tender',
        evaluation_method: 'comprehensive', price_weight_pct: 30, method_approval: '财政部门批复（测试）', ...extra,
    });
    assert.equal(r.status, 201, m.show(r));
    return r.body.id;
}

async function step(who, id, name, body = {}) {
    const r = await who.post(`/api/v1/procurement_projects/${id}/${name}`, body);
    assert.equal(r.status, 200, m.show(r));
    return r.body;
}

const iso = (s) => new Date(s * 1000).toISOString().replace('.000Z', 'Z');
const dayShift = (d, days) => new Date(Date.parse(d + 'T00:00:00Z') - days * 86400000).toISOString().slice(0, 10);

// A project taken to bidding by the lifecycle's steps (submitted by admin,
// approved by a leader, sealed to two officials by the bids part, notice
// published, documents issued with the lawful 20-day bid period). With `ago`
// the whole period is then moved back by SQL so that the deadline passed ago
// seconds before now: the law's 20 days are not waited for.
async function bidding(id, ago) {
    await step(admin, id, 'submit');
    await step(leader, id, 'approve', { note: '同意' });
    const s = await admin.post(`/api/v1/procurement_projects/${id}/seal`, { k: 2, officials });
    assert.ok([200, 201].includes(s.status), m.show(s));
    await step(admin, id, 'publish');
    const issued = now();
    const p = await step(admin, id, 'open_bidding', { documents_issued_at: iso(issued), bid_deadline: iso(issued + 20 * 86400) });
    assert.equal(p.status, 'bidding');
    if (ago === undefined) return;
    const back = 20 * 86400 + ago + (now() - issued); // the deadline then falls `ago` before now
    const days = Math.ceil(back / 86400);
    sql(`UPDATE procurement_projects SET submitted_at = submitted_at - ${back}, approved_at = approved_at - ${back}, notice_published_at = notice_published_at - ${back}, notice_ends = '${dayShift(p.notice_ends, days)}', documents_issued_at = documents_issued_at - ${back}, bid_deadline = bid_deadline - ${back} WHERE id = ${id}`);
    sql(`UPDATE bid_seals SET sealed_at = sealed_at - ${back} WHERE project_id = ${id}`);
}

before(async () => {
    srv = await startServer({ demo: false });
    admin = api(srv.url);
    let r = await admin.post('/api/v1/departments', { name: '采购中心' });
    assert.equal(r.status, 201, m.show(r));
    dept = r.body.id;
    const roles = await admin.all('roles');
    r = await admin.post('/api/v1/users', { username: 'pc_leader', display_name: '领导', role_id: roles.find((x) => x.code === 'leader').id });
    assert.equal(r.status, 201, m.show(r));
    assert.equal((await admin.post(`/api/v1/users/${r.body.id}/reset_password`, { password: PW })).status, 200);
    leader = await m.signInChanging(srv.url, { username: 'pc_leader', password: PW, newPassword: PW + '-2' });
    officials = [Number(sql("SELECT id FROM users WHERE username = 'admin'")), r.body.id];
    project = await project_('办公电脑采购', { budget_fen: 150000000 }); // above every bid
    await bidding(project, 3600);
    const tenant = sql(`SELECT tenant_id FROM procurement_projects WHERE id = ${project}`);
    // registered and approved suppliers (the bids part's API); their sealed
    // bids written by SQL, as the bids part stores them before the opening
    const supplier = async (name, code) => {
        const x = await admin.post('/api/v1/suppliers', { name, uscc: code, legal_rep: '张三', contact: '李四', phone: '13800138000' });
        assert.equal(x.status, 201, m.show(x));
        assert.equal((await admin.post(`/api/v1/suppliers/${x.body.id}/approve`, {})).status, 200);
        return x.body.id;
    };
    const bid = (s, status, hex) => sql(`INSERT INTO bids (tenant_id, version, created_at, updated_at, project_id, supplier_id, status, submitted_at, cipher_sha256, cipher_bytes${status === 'withdrawn' ? ', withdrawn_at' : ''}) VALUES (${tenant}, 1, ${now() - 7200}, ${now() - 7200}, ${project}, ${s}, '${status}', ${now() - 7200}, '${hex.repeat(32)}', 512${status === 'withdrawn' ? `, ${now() - 5400}` : ''})`);
    for (let i = 0; i < 4; i++) {
        const code = uscc(`91440300MA5F${String(10000 + i)}`);
        suppliers.push({ id: await supplier(`供应商${i}`, code), uscc: code });
        bid(suppliers[i].id, 'submitted', 'a' + i);
    }
    // a withdrawn bid's supplier is not a bidder
    const code = uscc('91440300MA5F20000');
    const gone = await supplier('撤回者', code);
    bid(gone, 'withdrawn', 'cd');
    suppliers.push({ id: gone, uscc: code });
    const role = roles.find((x) => x.code === 'expert').id;
    for (let i = 0; i < 12; i++) {
        r = await admin.post('/api/v1/users', { username: `pcx${i}`, display_name: `专家${i}`, role_id: role });
        assert.equal(r.status, 201, m.show(r));
        const uid = r.body.id;
        assert.equal((await admin.post(`/api/v1/users/${uid}/reset_password`, { password: PW })).status, 200);
        r = await admin.post('/api/v1/experts', { name: `专家${i}`, specialties: i < 11 ? 'goods.it,services.it' : 'works.civil', employer: '某大学', title: '教授', user_id: uid, phone: '13800138000' });
        assert.equal(r.status, 201, m.show(r));
        experts.push(r.body);
        expertOf[r.body.id] = i;
        users[i] = await m.signInChanging(srv.url, { username: `pcx${i}`, password: PW, newPassword: PW + '-2' });
    }
    const d = today();
    // 0: employment ended exactly 3 years before the draw day: recused (以内 includes it)
    r = await admin.post('/api/v1/expert_relations', { expert_id: experts[0].id, supplier_id: suppliers[0].id, kind: 'employment', from_date: '2015-01-01', to_date: yearsBefore(d, 3) });
    assert.equal(r.status, 201, m.show(r));
    // 1: ended a day earlier: not recused
    r = await admin.post('/api/v1/expert_relations', { expert_id: experts[1].id, supplier_id: suppliers[1].id, kind: 'board', from_date: '2015-01-01', to_date: yearsBefore(d, 3, 1) });
    assert.equal(r.status, 201, m.show(r));
    // 2: kin of a bidder's legal representative, by USCC only, ongoing: recused
    r = await admin.post('/api/v1/expert_relations', { expert_id: experts[2].id, uscc: suppliers[2].uscc, kind: 'kin' });
    assert.equal(r.status, 201, m.show(r));
    // 3: a relation with the supplier whose bid was withdrawn: not recused
    r = await admin.post('/api/v1/expert_relations', { expert_id: experts[3].id, supplier_id: gone, kind: 'controller' });
    assert.equal(r.status, 201, m.show(r));
    // a relation naming nobody is refused
    r = await admin.post('/api/v1/expert_relations', { expert_id: experts[3].id, kind: 'other' });
    problem(assert, r, 422, 'BUR-201', ['supplier_id']);
    assert.equal(keyOf(r), 'procure.relation.supplier');
});

after(async () => {
    if (srv) await srv.stop();
});

test('the committee: size rules with their figures', async () => {
    const refuse = async (body, key, params) => {
        const r = await admin.post('/api/v1/expert_draws', { project_id: project, specialty: 'goods.it', ...body });
        assert.equal(r.status, 422, m.show(r));
        assert.equal(keyOf(r), key);
        assert.deepEqual(r.body.errors[0].params, params);
    };
    await refuse({ members_n: 3 }, 'procure.draw.size_min', { n: 3, min: 5 });
    await refuse({ members_n: 6 }, 'procure.draw.size_odd', { n: 6 });
    await refuse({ members_n: 5, reps_n: 2 }, 'procure.draw.experts_share', { experts: 3, n: 5 });
    const large = await project_('大型项目', { budget_fen: 1000000000 });
    let r = await admin.post('/api/v1/expert_draws', { project_id: large, specialty: 'goods.it', members_n: 5 });
    assert.equal(keyOf(r), 'procure.draw.size_min');
    assert.deepEqual(r.body.errors[0].params, { n: 5, min: 7 });
    const enquiry = await project_('询价项目', { method: 'enquiry', budget_fen: 2000000000 });
    r = await admin.post('/api/v1/expert_draws', { project_id: enquiry, specialty: 'goods.it', members_n: 3, reps_n: 1 });
    assert.equal(r.status, 201, m.show(r));
    assert.equal(r.body.experts_n, 2);
    // before the bid deadline: no draw
    await bidding(enquiry);
    r = await admin.post(`/api/v1/expert_draws/${r.body.id}/draw`, { witness: '1234 5678' });
    assert.equal(r.status, 409, m.show(r));
    assert.equal(keyOf(r), 'procure.draw.before_deadline');
    assert.equal(sql(`SELECT COUNT(*) FROM expert_draw_members WHERE project_id = ${enquiry}`), '0');
});

let draw;

test('the draw: recusal, counts only, identities hidden from staff, admin and suppliers', async () => {
    let r = await admin.post('/api/v1/expert_draws', { project_id: project, specialty: 'goods.it', members_n: 5, reps_n: 1 });
    assert.equal(r.status, 201, m.show(r));
    draw = r.body;
    assert.equal(draw.experts_n, 4);
    assert.equal(draw.status, 'prepared');
    r = await admin.post(`/api/v1/expert_draws/${draw.id}/draw`, { witness: '0427 1983' });
    assert.equal(r.status, 200, m.show(r));
    draw = r.body;
    assert.equal(draw.status, 'drawn');
    assert.equal(draw.bidders_n, 4);
    assert.equal(draw.specialists_n, 11);
    assert.equal(draw.recused_n, 2); // experts 0 and 2
    assert.equal(draw.pool_n, 9);
    assert.equal(draw.invited_n, 4);
    assert.match(draw.pool_sha256, /^[0-9a-f]{64}$/);
    for (const k of ['witness', 'seed_hex', 'pool', 'order_ids']) assert.ok(!(k in draw), k);
    // a second draw of the same prepared record is refused
    r = await admin.post(`/api/v1/expert_draws/${draw.id}/draw`, { witness: 'another' });
    assert.equal(r.status, 409);
    assert.equal(keyOf(r), 'wf.out_of_order');
    // another draw prepared for the same project cannot be drawn
    r = await admin.post('/api/v1/expert_draws', { project_id: project, specialty: 'goods.it', members_n: 5, reps_n: 1 });
    assert.equal(r.status, 201, m.show(r));
    r = await admin.post(`/api/v1/expert_draws/${r.body.id}/draw`, { witness: 'second try' });
    assert.equal(r.status, 409, m.show(r));
    assert.equal(keyOf(r), 'procure.draw.exists');
    assert.deepEqual(r.body.params, { draw: draw.id });
    // admin and the public document: positions and counts, nobody named
    const members = await admin.all('expert_draw_members', { draw_id: draw.id });
    assert.equal(members.length, 4);
    assert.deepEqual(members.map((x) => x.seq).sort(), [1, 2, 3, 4]);
    for (const x of members) assert.ok(!('expert_id' in x) && !('expert_user_id' in x), JSON.stringify(x));
    const h = await admin.get(`/api/v1/expert_draw_members/${members[0].id}/history`);
    assert.equal(h.status, 200);
    assert.ok(!JSON.stringify(h.body).includes('expert_id'), JSON.stringify(h.body));
    r = await admin.get(`/api/v1/expert_draws/${draw.id}/public`);
    assert.equal(r.status, 200, m.show(r));
    assert.equal(r.body.published, false);
    for (const k of ['witness', 'seed_sha256', 'pool', 'order', 'members']) assert.ok(!(k in r.body), k);
    // nothing in the audit chain names them or the witness value
    const audit = sql(`SELECT after FROM audit_entries WHERE collection IN ('expert_draw_members', 'expert_draws')`);
    assert.ok(!audit.includes('expert_id') && !audit.includes('0427 1983') && !audit.includes('order_ids'), audit.slice(0, 400));
    // a supplier's login and a staff role see nothing more
    const roles = await admin.all('roles');
    for (const code of ['supplier', 'procurement_manager']) {
        const role = roles.find((x) => x.code === code).id;
        r = await admin.post('/api/v1/users', { username: `pc_${code}`, display_name: code, role_id: role });
        assert.equal(r.status, 201, m.show(r));
        await admin.post(`/api/v1/users/${r.body.id}/reset_password`, { password: PW });
        const who = await m.signInChanging(srv.url, { username: `pc_${code}`, password: PW, newPassword: PW + '-2' });
        const l = await who.get(`/api/v1/expert_draw_members?draw_id=${draw.id}`);
        if (l.status === 200) for (const x of l.body.items || l.body) assert.ok(!('expert_id' in x));
        else assert.equal(l.status, 403);
        const p = await who.get(`/api/v1/expert_draws/${draw.id}/public`);
        if (p.status === 200) assert.ok(!('order' in p.body) && !('members' in p.body));
        else assert.ok([403, 404].includes(p.status));
    }
});

let seats = {}; // expert index -> member record

test('invitations: confirm, decline moves down the same order, only one\'s own', async () => {
    for (let i = 0; i < 12; i++) {
        const mine = await users[i].all('expert_draw_members');
        if (mine.length) seats[i] = mine[0];
    }
    assert.equal(Object.keys(seats).length, 4);
    assert.ok(!(0 in seats) && !(2 in seats) && !(11 in seats), 'recused and other specialties are not invited');
    const [first, ...rest] = Object.keys(seats).map(Number);
    // someone else's invitation: not found for another expert, refused for admin
    const other = Number(Object.keys(users).find((i) => !(i in seats)));
    let r = await users[other].post(`/api/v1/expert_draw_members/${seats[first].id}/confirm`, {});
    assert.equal(r.status, 404, m.show(r));
    r = await admin.post(`/api/v1/expert_draw_members/${seats[first].id}/confirm`, {});
    assert.equal(r.status, 409, m.show(r));
    assert.equal(keyOf(r), 'procure.member.not_you');
    // the first declines: position 5 is invited
    r = await users[first].post(`/api/v1/expert_draw_members/${seats[first].id}/decline`, {});
    assert.equal(r.status, 200, m.show(r));
    assert.equal(r.body.status, 'declined');
    const want = [1, 2, 3, 4, 5].filter((q) => q !== seats[first].seq);
    delete seats[first];
    for (let i = 0; i < 12; i++) {
        if (i in seats || i === first) continue;
        const mine = await users[i].all('expert_draw_members');
        if (mine.length) seats[i] = mine[0];
    }
    assert.equal(Object.keys(seats).length, 4);
    assert.deepEqual(Object.values(seats).map((s) => s.seq).sort((a, b) => a - b), want);
    for (const i of Object.keys(seats)) {
        r = await users[i].post(`/api/v1/expert_draw_members/${seats[i].id}/confirm`, {});
        assert.equal(r.status, 200, m.show(r));
        seats[i] = r.body;
    }
    r = await admin.get(`/api/v1/expert_draws/${draw.id}`);
    assert.equal(r.body.status, 'formed');
    assert.equal(r.body.confirmed_n, 4);
    assert.equal(r.body.declined_n, 1);
    assert.equal(r.body.invited_n, 5);
    // an expert reads their own expert record only
    const i0 = Number(Object.keys(seats)[0]);
    const own = await users[i0].all('experts');
    assert.equal(own.length, 1);
    assert.equal(expertOf[own[0].id], i0);
});

test('the tenant\'s rule: not drawn again for the same purchaser within recent_draw_months', async () => {
    const settings = await admin.all('procurement_settings');
    const row = settings.find((x) => x.name === 'recent_draw_months');
    let r = await admin.patch(`/api/v1/procurement_settings/${row.id}`, { value: 12 });
    assert.equal(r.status, 200, m.show(r));
    const again = await project_('同一采购人的下一个项目');
    await bidding(again, 60);
    r = await admin.post('/api/v1/expert_draws', { project_id: again, specialty: 'goods.it', members_n: 5, reps_n: 1 });
    r = await admin.post(`/api/v1/expert_draws/${r.body.id}/draw`, { witness: 'next project' });
    assert.equal(r.status, 200, m.show(r));
    assert.equal(r.body.bidders_n, 0);
    assert.equal(r.body.recused_n, 0);
    assert.equal(r.body.recent_n, 4); // the four who confirmed on the first committee
    assert.equal(r.body.pool_n, 11 - 4);
    r = await admin.patch(`/api/v1/procurement_settings/${row.id}`, { value: 0 });
    assert.equal(r.status, 200, m.show(r));
});

let items = {}, bids;

test('scoring: members only, within the item, closed once signed; the report\'s figures', async () => {
    // the opening (the bids part) leaves prices: 1,000,000.00 / 1,200,000.00 / 800,000.00 / invalid
    bids = sql(`SELECT id FROM bids WHERE project_id = ${project} AND status = 'submitted' ORDER BY id`).split('\n').map(Number);
    const prices = [100000000, 120000000, 80000000, 50000000];
    const opened = now();
    bids.forEach((id, i) => sql(`UPDATE bids SET status = 'opened', price_fen = ${prices[i]}, valid = ${i < 3 ? 1 : 0}, technical = '技术响应${i}', opened_at = ${opened}${i < 3 ? '' : ", invalid_reason = '未按要求提供资质证明'"} WHERE id = ${id}`));
    sql(`UPDATE bid_seals SET status = 'opened', opened_at = ${opened}, opened_bids = 4 WHERE project_id = ${project}`);
    sql(`UPDATE procurement_projects SET status = 'evaluation' WHERE id = ${project}`);
    let r = await admin.post('/api/v1/evaluation_items', { project_id: project, kind: 'technical', name: '技术方案', max_score: 50, seq: 1 });
    assert.equal(r.status, 201, m.show(r));
    items.tech = r.body.id;
    r = await admin.post('/api/v1/evaluation_items', { project_id: project, kind: 'commercial', name: '售后服务', max_score: 20, seq: 2 });
    items.comm = r.body.id;
    const members = Object.keys(seats).map(Number);
    const outsider = Number(Object.keys(users).find((i) => !(i in seats)));
    const count = () => sql(`SELECT COUNT(*) FROM evaluation_scores`);
    // a non-member
    r = await users[outsider].post('/api/v1/procure/scores', { scores: [{ bid_id: bids[0], item_id: items.tech, score: 40 }] });
    assert.equal(r.status, 403, m.show(r));
    assert.equal(keyOf(r), 'procure.score.not_member');
    r = await admin.post('/api/v1/procure/scores', { scores: [{ bid_id: bids[0], item_id: items.tech, score: 40 }] });
    assert.equal(keyOf(r), 'procure.score.not_member');
    // out of range: the figures, and nothing of the body kept
    r = await users[members[0]].post('/api/v1/procure/scores', { scores: [
        { bid_id: bids[0], item_id: items.tech, score: 40 },
        { bid_id: bids[0], item_id: items.comm, score: 20.5 }] });
    assert.equal(r.status, 422, m.show(r));
    assert.equal(keyOf(r), 'procure.score.range');
    assert.equal(r.body.errors[0].field, 'scores[1].score');
    assert.deepEqual(r.body.errors[0].params, { score: '20.50', max: '20.00' });
    assert.equal(count(), '0');
    // the invalid bid is not scored
    r = await users[members[0]].post('/api/v1/procure/scores', { scores: [{ bid_id: bids[3], item_id: items.tech, score: 10 }] });
    assert.equal(keyOf(r), 'procure.score.bid_invalid');
    // technical + commercial per member and bid: A 60, B 65.5, C 40 on average
    const plan = { 0: [[45, 15], [50, 15], [30, 10]], 1: [[44, 16], [50, 16], [30, 10]], 2: [[46, 14], [49, 16.5], [30, 10]], 3: [[45, 15], [50, 15.5], [30, 10]] };
    for (let k = 0; k < 4; k++) {
        const scores = [];
        plan[k].forEach(([t, c], b) => scores.push({ bid_id: bids[b], item_id: items.tech, score: t }, { bid_id: bids[b], item_id: items.comm, score: c }));
        r = await users[members[k]].post('/api/v1/procure/scores', { scores });
        assert.equal(r.status, 200, m.show(r));
    }
    assert.equal(count(), String(4 * 3 * 2));
    // the report: price scores of 87号令 第55条 by hand
    r = await admin.post('/api/v1/procure/reports', { project_id: project });
    assert.equal(r.status, 201, m.show(r));
    const rep = r.body;
    // one report a project; none through the generic route
    r = await admin.post('/api/v1/procure/reports', { project_id: project });
    assert.equal(r.status, 409);
    assert.equal(keyOf(r), 'procure.report.exists');
    assert.equal((await admin.post('/api/v1/evaluation_reports', { project_id: project })).status, 405);
    assert.equal(rep.status, 'draft');
    assert.equal(rep.winner_bid_id, bids[1]);
    assert.equal(rep.winner_price_fen, 120000000);
    assert.equal(rep.members_n, 4);
    const byBid = Object.fromEntries(rep.ranking.map((x) => [x.bid_id, x]));
    assert.deepEqual([byBid[bids[0]].price_score, byBid[bids[0]].price_points, byBid[bids[0]].tech, byBid[bids[0]].total, byBid[bids[0]].rank], [80, 24, 60, 84, 2]);
    assert.deepEqual([byBid[bids[1]].price_score, byBid[bids[1]].price_points, byBid[bids[1]].tech, byBid[bids[1]].total, byBid[bids[1]].rank], [66.67, 20, 65.5, 85.5, 1]);
    assert.deepEqual([byBid[bids[2]].price_score, byBid[bids[2]].price_points, byBid[bids[2]].total, byBid[bids[2]].rank, byBid[bids[2]].abnormal_low], [100, 30, 70, 3, true]);
    assert.equal(byBid[bids[3]].rank, 0);
    // signing: each member; the report signed when all have
    for (let k = 0; k < 4; k++) {
        r = await users[members[k]].post(`/api/v1/expert_draw_members/${seats[members[k]].id}/sign`, {});
        assert.equal(r.status, 200, m.show(r));
        if (k === 0) {
            // scores close at the first signature
            const before = sql(`SELECT score FROM evaluation_scores ORDER BY id`);
            const x = await users[members[1]].post('/api/v1/procure/scores', { scores: [{ bid_id: bids[0], item_id: items.tech, score: 1 }] });
            assert.equal(x.status, 409, m.show(x));
            assert.equal(keyOf(x), 'procure.score.signed');
            assert.equal(sql(`SELECT score FROM evaluation_scores ORDER BY id`), before);
        }
    }
    r = await admin.get(`/api/v1/evaluation_reports/${rep.id}`);
    assert.equal(r.body.status, 'signed');
    assert.equal(r.body.signed_n, 4);
    assert.ok(r.body.signed_at);
    // the experts' own steps and scores are the server's in the records and the audit chain:
    // no created_by, no actor naming an expert's login
    const logins = Object.values(users).map((u) => u.me.user.id);
    assert.ok(logins.every((x) => Number.isInteger(x) && x > 0), JSON.stringify(logins));
    const actors = sql(`SELECT DISTINCT COALESCE(actor_id, 0) FROM audit_entries WHERE collection IN ('expert_draw_members', 'evaluation_scores', 'evaluation_reports', 'expert_draws')`).split('\n').map(Number);
    for (const a of actors) assert.ok(!logins.includes(a), `an expert's login ${a} in the audit chain`);
    for (const x of await admin.all('evaluation_scores')) assert.ok(x.created_by == null, JSON.stringify(x));
    for (const x of await admin.all('expert_draw_members')) assert.ok(!logins.includes(x.created_by), JSON.stringify(x));
    // a member reads the report of their project
    const mine = await users[members[0]].all('evaluation_reports');
    assert.deepEqual(mine.map((x) => x.id), [rep.id]);
});

// The published procedure, reimplemented: SHA-256 and ChaCha20 (node's
// OpenSSL: a 16-byte IV of the 32-bit block counter and a 96-bit nonce; the
// draw's 64-bit nonce sits in its last 8 bytes, the counter's high word 0).
function recompute(projectId, pool, witness) {
    const canon = pool.map(([id, v]) => `${id}:${v}\n`).join('');
    const poolHex = crypto.createHash('sha256').update(canon).digest('hex');
    const seed = crypto.createHash('sha256').update(`bureau-draw-v1\n${projectId}\n${poolHex}\n`).update(Buffer.from(witness, 'utf8')).digest();
    const iv = Buffer.concat([Buffer.alloc(8), Buffer.from('pcdraw01')]);
    const ks = crypto.createCipheriv('chacha20', seed, iv).update(Buffer.alloc(4 * (pool.length * 2 + 64)));
    let at = 0;
    const ids = pool.map(([id]) => id);
    for (let i = ids.length - 1; i > 0; i--) {
        const bound = i + 1, limit = 2 ** 32 - (2 ** 32 % bound);
        let x;
        do { x = ks.readUInt32LE(at); at += 4; } while (x >= limit);
        const j = x % bound;
        [ids[i], ids[j]] = [ids[j], ids[i]];
    }
    return { poolHex, seedHex: seed.toString('hex'), order: ids };
}

test('after publication: the public document recomputes, verify-draw agrees and catches tampering', async () => {
    let r = await admin.get(`/api/v1/expert_draws/${draw.id}/public`);
    assert.equal(r.body.published, false);
    // the lifecycle's step publishes the result with the signed report's winner
    const p = await step(admin, project, 'publish_result');
    assert.equal(p.status, 'result_publicity');
    assert.equal(p.winner_bid_id, bids[1]);
    assert.equal(p.winner_supplier_id, suppliers[1].id);
    assert.equal(p.winner_price_fen, 120000000);
    r = await admin.get(`/api/v1/expert_draws/${draw.id}/public`);
    assert.equal(r.status, 200, m.show(r));
    const doc = r.body;
    assert.equal(doc.published, true);
    assert.equal(doc.witness, '0427 1983');
    assert.equal(doc.verified, true);
    const mine = recompute(doc.project_id, doc.pool, doc.witness);
    assert.equal(mine.poolHex, doc.pool_sha256);
    assert.equal(mine.seedHex, doc.seed_sha256);
    assert.deepEqual(mine.order, doc.order);
    // the pool: the specialty's active experts less the recused (0 and 2)
    const poolIdx = doc.pool.map(([id]) => expertOf[id]).sort((a, b) => a - b);
    assert.deepEqual(poolIdx, [1, 3, 4, 5, 6, 7, 8, 9, 10]);
    // the members are the order's first five positions, named now
    assert.deepEqual(doc.members.map((x) => x.expert_id), doc.order.slice(0, 5));
    assert.deepEqual(doc.members.map((x) => x.status).filter((s) => s === 'confirmed').length, 4);
    assert.ok(doc.members.every((x) => x.name.startsWith('专家')));
    // the command line, on the same inputs
    let out = await runBureau(['procure', 'verify-draw', '--db', srv.dbUrl, String(draw.id)]);
    assert.equal(out.code, 0, out.stderr + out.stdout);
    assert.match(out.stdout, /matches/);
    assert.match(out.stdout, new RegExp(doc.pool_sha256));
    sql(`UPDATE expert_draws SET witness = '0427 1984' WHERE id = ${draw.id}`);
    out = await runBureau(['procure', 'verify-draw', '--db', srv.dbUrl, String(draw.id)]);
    assert.equal(out.code, 1, out.stderr + out.stdout);
    assert.match(out.stdout, /DOES NOT MATCH/);
    sql(`UPDATE expert_draws SET witness = '0427 1983' WHERE id = ${draw.id}`);
    out = await runBureau(['procure', 'verify-draw', '--db', srv.dbUrl, '999999']);
    assert.equal(out.code, 1);
});
