// SPDX-License-Identifier: MIT
// procure_committee.test.js - the committee's pages in the browser. The
// procurement staff (admin here) types the witnesses' value on the draw page:
// the card shows the counts the API has (eligible, recused, invited) and no
// name. An invited expert on a phone: the invitation, confirm, the scoring
// sheet with each valid bid and item, scores saved (the API has them), an
// out-of-range score said with its key's words, signing; nothing wider than
// the phone. The evaluation results: the ranking as the report has it, the
// first candidate's price in yuan, the signatures. After publication the draw
// page's verification shows the committee and the match. axe: no serious or
// critical violation on each page.
'use strict';

const { test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, api, ADMIN_PASSWORD } = require('../api/lib/server');
const m = require('../api/lib/matrix');
const { openBrowser, signIn, goHash, sel, PHONE, axeCheck, apiIdle } = require('./lib/browser');

const PHONE_CTX = { viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2, bypassCSP: true };
const DESK = { viewport: { width: 1366, height: 900 }, bypassCSP: true };
const PW = 'Expert-ui-pass-2026';
let srv, b, admin, project, draw, experts = [], users = [];
const sql = (text) => m.sqlShell(srv, text).trim();
const now = () => Math.floor(Date.now() / 1000);
const yuan = (fen) => new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(fen / 100);

// The lifecycle's steps to bidding (admin submits, a leader approves, the
// bids part's seal, the notice, the documents with the lawful 20-day bid
// period), the period then moved back by SQL so that the deadline has passed.
async function toBidding(id, leader, officials) {
    const step = async (who, name, body = {}) => {
        const r = await who.post(`/api/v1/procurement_projects/${id}/${name}`, body);
        assert.ok([200, 201].includes(r.status), m.show(r));
        return r.body;
    };
    await step(admin, 'submit');
    await step(leader, 'approve');
    await step(admin, 'seal', { k: 2, officials });
    await step(admin, 'publish');
    const issued = now(), iso = (s) => new Date(s * 1000).toISOString().replace('.000Z', 'Z');
    await step(admin, 'open_bidding', { documents_issued_at: iso(issued), bid_deadline: iso(issued + 20 * 86400) });
    const back = 20 * 86400 + 600 + (now() - issued);
    sql(`UPDATE procurement_projects SET submitted_at = submitted_at - ${back}, approved_at = approved_at - ${back}, notice_published_at = notice_published_at - ${back}, documents_issued_at = documents_issued_at - ${back}, bid_deadline = bid_deadline - ${back} WHERE id = ${id}`);
    sql(`UPDATE bid_seals SET sealed_at = sealed_at - ${back} WHERE project_id = ${id}`);
}

before(async () => {
    srv = await startServer({ demo: false });
    admin = api(srv.url);
    const dept = (await admin.post('/api/v1/departments', { name: '办公室' })).body.id;
    let r = await admin.post('/api/v1/procurement_projects', { name: '会议室设备询价', category: 'goods', budget_fen: 30000000, department_id: dept, method: 'enquiry', evaluation_method: 'comprehensive', price_weight_pct: 30, method_approval: '财政部门批复（测试）' });
    assert.equal(r.status, 201, m.show(r));
    project = r.body.id;
    const roles = await admin.all('roles');
    r = await admin.post('/api/v1/users', { username: 'uileader', display_name: '领导', role_id: roles.find((x) => x.code === 'leader').id });
    assert.equal(r.status, 201, m.show(r));
    await admin.post(`/api/v1/users/${r.body.id}/reset_password`, { password: PW });
    const leader = await m.signInChanging(srv.url, { username: 'uileader', password: PW, newPassword: PW + '-2' });
    await toBidding(project, leader, [Number(sql("SELECT id FROM users WHERE username = 'admin'")), r.body.id]);
    const tenant = sql(`SELECT tenant_id FROM procurement_projects WHERE id = ${project}`);
    // suppliers registered and approved (the bids part's API); their sealed bids by SQL
    for (let i = 0; i < 3; i++) {
        const s = await admin.post('/api/v1/suppliers', { name: `设备公司${i}`, uscc: m.uscc(`9144030071234567${i}`), legal_rep: '张三' });
        assert.equal(s.status, 201, m.show(s));
        assert.equal((await admin.post(`/api/v1/suppliers/${s.body.id}/approve`, {})).status, 200);
        sql(`INSERT INTO bids (tenant_id, version, created_at, updated_at, project_id, supplier_id, status, submitted_at, cipher_sha256, cipher_bytes) VALUES (${tenant}, 1, ${now() - 3600}, ${now() - 3600}, ${project}, ${s.body.id}, 'submitted', ${now() - 3600}, '${('e' + i).repeat(32)}', 480)`);
    }
    const role = roles.find((x) => x.code === 'expert').id;
    for (let i = 0; i < 4; i++) {
        r = await admin.post('/api/v1/users', { username: `uix${i}`, display_name: `评审专家${i}`, role_id: role });
        await admin.post(`/api/v1/users/${r.body.id}/reset_password`, { password: PW });
        const e = await admin.post('/api/v1/experts', { name: `评审专家${i}`, specialties: 'goods.general', user_id: r.body.id, employer: '某研究院' });
        assert.equal(e.status, 201, m.show(e));
        experts.push(e.body);
        users.push(await m.signInChanging(srv.url, { username: `uix${i}`, password: PW, newPassword: PW + '-2' }));
    }
    r = await admin.post('/api/v1/expert_draws', { project_id: project, specialty: 'goods.general', members_n: 3, reps_n: 1 });
    assert.equal(r.status, 201, m.show(r));
    draw = r.body;
    b = await openBrowser('procure-committee');
});

after(async () => {
    if (b) await b.close();
    if (srv) await srv.stop();
});

afterEach(async (t) => {
    if (b) await b.onFailure(t);
});

test('the draw page: the witnesses\' value, then counts as the API has them and nobody named', async () => {
    const { page } = await b.newPage(DESK);
    await signIn(page, srv.url, 'admin', ADMIN_PASSWORD, '#/procure/draws');
    const card = page.locator(`${sel('pc-draw')}[data-id="${draw.id}"]`);
    await card.waitFor();
    await axeCheck(page, 'draw page, prepared');
    await card.locator(`${sel('pc-witness')} input, input${sel('pc-witness')}`).first().fill('3719 0852');
    await card.locator(sel('pc-run')).click();
    await page.locator(`${sel('pc-draw')}[data-id="${draw.id}"] ${sel('pc-draw-status')}[data-status="drawn"]`).waitFor();
    const d = (await admin.get(`/api/v1/expert_draws/${draw.id}`)).body;
    assert.equal(d.status, 'drawn');
    assert.equal(d.pool_n, 4);
    const again = page.locator(`${sel('pc-draw')}[data-id="${draw.id}"]`);
    assert.equal(await again.locator(sel('pc-eligible')).innerText(), String(d.pool_n));
    assert.equal(await again.locator(sel('pc-invited')).innerText(), String(d.invited_n));
    assert.equal(await again.locator(sel('pc-bidders')).innerText(), '3');
    const text = await page.locator('body').innerText();
    for (const e of experts) assert.ok(!text.includes(e.name), `${e.name} named on the draw page`);
    // the public document before publication: secret
    await again.locator(sel('pc-verify')).click();
    await page.locator(sel('pc-secret')).waitFor();
    await axeCheck(page, 'draw page, drawn');
});

let seat, seatUser;

test('the expert on a phone: confirm, score each bid and item, a refused score in words, sign', async () => {
    const invited = [];
    for (let i = 0; i < 4; i++) {
        const mine = await users[i].all('expert_draw_members');
        if (mine.length) invited.push({ i, m: mine[0] });
    }
    assert.equal(invited.length, 2);
    [seatUser, seat] = [invited[0].i, invited[0].m];
    const { page } = await b.newPage(PHONE_CTX);
    await signIn(page, srv.url, `uix${seatUser}`, PW + '-2');
    await page.locator(sel('home-pc-expert')).click();
    const inv = page.locator(`${sel('pc-invitation')}[data-id="${seat.id}"]`);
    await inv.waitFor();
    await axeCheck(page, 'expert page, invited');
    await inv.locator(sel('pc-confirm')).click();
    await page.locator(`${sel('pc-invitation')}[data-id="${seat.id}"] ${sel('pc-invitation-status')}[data-status="confirmed"]`).waitFor();
    assert.equal((await users[seatUser].get(`/api/v1/expert_draw_members/${seat.id}`)).body.status, 'confirmed');
    // the other confirms by the API; the opening leaves prices; the rubric
    const other = invited[1];
    assert.equal((await users[other.i].post(`/api/v1/expert_draw_members/${other.m.id}/confirm`, {})).status, 200);
    const bids = sql(`SELECT id FROM bids WHERE project_id = ${project} ORDER BY id`).split('\n').map(Number);
    [30000000, 25000000, 28000000].forEach((p, k) => sql(`UPDATE bids SET status = 'opened', price_fen = ${p}, valid = 1, technical = '响应${k}', opened_at = ${now()} WHERE id = ${bids[k]}`));
    sql(`UPDATE bid_seals SET status = 'opened', opened_at = ${now()}, opened_bids = 3 WHERE project_id = ${project}`);
    sql(`UPDATE procurement_projects SET status = 'evaluation' WHERE id = ${project}`);
    const items = [];
    for (const [name, max] of [['技术参数', 50], ['售后服务', 20]])
        items.push((await admin.post('/api/v1/evaluation_items', { project_id: project, kind: 'technical', name, max_score: max })).body);
    await page.reload();
    const sheetBtn = page.locator(`${sel('pc-invitation')}[data-id="${seat.id}"] ${sel('pc-open-sheet')}`);
    await sheetBtn.click();
    await page.locator(sel('pc-bid')).first().waitFor();
    assert.equal(await page.locator(sel('pc-bid')).count(), 3);
    const inputs = page.locator(`${sel('pc-score')} input`);
    assert.equal(await inputs.count(), 6);
    const mine = [40, 15, 45, 18, 30, 12];
    for (let k = 0; k < 6; k++) await inputs.nth(k).fill(String(mine[k]));
    await page.locator(sel('pc-save')).click();
    await page.waitForFunction(() => document.querySelector('.el-message--success'));
    const saved = (await users[seatUser].all('evaluation_scores')).map((x) => x.score).sort((a, c) => a - c);
    assert.deepEqual(saved, [...mine].sort((a, c) => a - c));
    // 25 on a 20-point item: the key's words, nothing changed
    await inputs.nth(1).fill('25');
    await inputs.nth(1).blur();
    await page.locator(sel('pc-save')).click();
    await page.locator(sel('pc-sheet-error')).waitFor();
    assert.match(await page.locator(sel('pc-sheet-error')).innerText(), /超出0–20\.00分的范围/);
    assert.deepEqual((await users[seatUser].all('evaluation_scores')).map((x) => x.score).sort((a, c) => a - c), [...mine].sort((a, c) => a - c));
    await axeCheck(page, 'expert page, scoring sheet');
    const w = await page.evaluate(() => document.scrollingElement.scrollWidth);
    assert.ok(w <= PHONE.width, `expert page: ${w}px wide on a ${PHONE.width}px phone`);
    // the other scores; the report; signing from the page
    const scores = [];
    bids.forEach((bid) => items.forEach((it) => scores.push({ bid_id: bid, item_id: it.id, score: 10 })));
    assert.equal((await users[other.i].post('/api/v1/procure/scores', { scores })).status, 200);
    const rep = await admin.post('/api/v1/procure/reports', { project_id: project });
    assert.equal(rep.status, 201, m.show(rep));
    await page.locator(sel('pc-sign')).click();
    await page.waitForFunction(() => [...document.querySelectorAll('.el-message--success')].length > 0);
    await apiIdle(page);
    assert.ok((await users[seatUser].get(`/api/v1/expert_draw_members/${seat.id}`)).body.signed_at);
    assert.equal((await users[other.i].post(`/api/v1/expert_draw_members/${other.m.id}/sign`, {})).status, 200);
});

test('the evaluation results: the ranking as the report has it; after publication the draw verified', async () => {
    const rep = (await admin.all('evaluation_reports', { project_id: project }))[0];
    assert.equal(rep.status, 'signed');
    const { page } = await b.newPage(DESK);
    await signIn(page, srv.url, 'admin', ADMIN_PASSWORD, '#/procure/evaluation');
    await page.locator(`${sel('pc-report')}[data-status="signed"]`).waitFor();
    const rows = page.locator(`${sel('pc-ranking')} .el-table__body tr.el-table__row`);
    assert.equal(await rows.count(), rep.ranking.length);
    assert.match(await rows.first().innerText(), new RegExp(yuan(rep.ranking[0].price_fen).replace(/[.,]/g, '\\$&')));
    // the first candidate by the supplier's registered name
    const first = (await admin.get(`/api/v1/suppliers/${rep.ranking[0].supplier_id}`)).body;
    assert.ok((await rows.first().innerText()).includes(first.name), first.name);
    assert.match(await page.locator(sel('pc-winner-price')).innerText(), new RegExp(yuan(rep.winner_price_fen).replace(/[.,]/g, '\\$&')));
    assert.equal(await page.locator(sel('pc-signatures')).innerText(), `${rep.signed_n} / ${rep.members_n}`);
    await axeCheck(page, 'evaluation results');
    // published: the draw page verifies and names the committee
    const pub = await admin.post(`/api/v1/procurement_projects/${project}/publish_result`, {});
    assert.equal(pub.status, 200, m.show(pub));
    assert.equal(pub.body.winner_bid_id, rep.winner_bid_id);
    await goHash(page, '#/procure/draws');
    const card = page.locator(`${sel('pc-draw')}[data-id="${draw.id}"]`);
    await card.locator(sel('pc-verify')).click();
    await page.locator(sel('pc-public')).waitFor();
    assert.match(await page.locator(sel('pc-verified')).innerText(), /一致/);
    const doc = (await admin.get(`/api/v1/expert_draws/${draw.id}/public`)).body;
    assert.equal(await page.locator(`${sel('pc-members')} .el-table__body tr.el-table__row`).count(), doc.members.length);
    assert.match(await page.locator(sel('pc-members')).innerText(), new RegExp(doc.members[0].name));
    await axeCheck(page, 'draw page, published');
});
