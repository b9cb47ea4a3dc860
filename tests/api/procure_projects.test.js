// SPDX-License-Identifier: MIT
// procure_projects.test.js - a procurement project's life on the demo
// district: the method the tenant's thresholds derive (and the tenant's own
// thresholds), an approval where they forbid the method chosen, the price
// weight's floor, approval not by the submitter, the seal before a notice,
// the bid period to the second, the result's report, complaints (late ones
// refused, reply due across the National Day holiday, a complaint suspending
// its project and holding the complaint window open), the job moving the
// periods on, contracts only after the complaint window (publication due
// across the holiday, flagged late), payments never above the contract,
// savings per project, department and year (JSON and XLSX), the dashboard
// card, each project as an OCDS release package valid against the official
// schema (standards/ocds-1.1.5), the public endpoint without sign-in (an
// unpublished project is 404), and who may do what; then the whole path
// through the other parts' real routes: the project sealed (k of n
// officials' shares), bids sealed as the supplier's browser does, the
// opening with k shares, the expert draw, the members' scores and their
// signed report, the result from it, a complaint holding the window open,
// the contract from the report's winner, its payments and savings, and the
// OCDS package with the tenderers, the opened bids' amounts and the award.
// Every refusal carries its key and figures and changes nothing (the record
// and the audit log).
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startServer, api } = require('./lib/server');
const m = require('./lib/matrix');

const PW = 'Bureau-demo-2026';
let srv, admin, pm, leader, staff, auditor, anon;
let dept, tenantCode, offsetMin = 480;
const sql = (text) => m.sqlShell(srv, text).trim();
// audit entries written by people on this part's collections (the server's jobs write
// their own meanwhile, e.g. the periods job moving the demo's projects on)
const audits = () => Number(sql("SELECT COUNT(*) FROM audit_entries WHERE actor_id IS NOT NULL AND collection IN ('procurement_projects', 'complaints', 'contracts', 'contract_payments', 'procurement_settings')"));
const today = () => new Date(Date.now() + offsetMin * 60000).toISOString().slice(0, 10);

function waitFor(what, fn, ms = 15000) {
    const end = Date.now() + ms;
    return new Promise((resolve, reject) => {
        const step = async () => {
            try {
                if (await fn()) return resolve();
            } catch (err) {
                return reject(err);
            }
            if (Date.now() > end) return reject(new Error(`timed out waiting for ${what}`));
            setTimeout(step, 100);
        };
        step();
    });
}

// One run of the job, started after the call: it is made due until a run has
// started (not until one has finished: a run asked for after the last one
// ended would come later, in another test, and move that test's projects).
async function runJob(name) {
    const last = Number(sql(`SELECT COALESCE(MAX(id), 0) FROM bureau_job_runs WHERE name = '${name}'`));
    await waitFor(`a new run of ${name}`, () => {
        const run = sql(`SELECT status, finished_at IS NOT NULL FROM bureau_job_runs WHERE name = '${name}' AND id > ${last} ORDER BY id LIMIT 1`);
        if (!run) {
            sql(`UPDATE bureau_jobs SET next_run_at = 0 WHERE name = '${name}'`);
            return false;
        }
        const [status, finished] = run.split('\n')[0].split('|');
        if (!['1', 't', 'true'].includes(finished)) return false;
        assert.equal(status, 'ok', `${name} failed`);
        return true;
    });
}

let seq = 0;
async function project(over = {}, client = pm, status = 201) {
    const r = await client.post('/api/v1/procurement_projects', {
        name: `测试采购项目${++seq}-${m.uniq()}`, category: 'goods', budget_fen: 50000000, department_id: dept, ...over,
    });
    assert.equal(r.status, status, r.text);
    return r.body;
}

const get = async (id) => (await pm.get(`/api/v1/procurement_projects/${id}`)).body;
const step = (client, id, name, body = {}) => client.post(`/api/v1/procurement_projects/${id}/${name}`, body);

// A problem+json refusal with its status (and the fields it names).
function refused(r, status, fields = []) {
    const show = `${r.status} ${r.text}`;
    assert.equal(r.status, status, show);
    assert.match(r.headers.get('content-type') || '', /^application\/problem\+json/, show);
    assert.equal(typeof r.body.key, 'string', show);
    const got = (r.body.errors || []).map((e) => e.field);
    for (const f of fields) assert.ok(got.includes(f), `field ${f} not reported: ${show}`);
}

// A refusal that changes nothing: the record's version and the audit log.
async function unchanged(id, fn) {
    const v = (await get(id)).version, n = audits();
    const r = await fn();
    assert.equal((await get(id)).version, v, 'the record is unchanged');
    assert.equal(audits(), n, 'nothing audited');
    return r;
}

// A project moved by SQL to a state the other parts' steps reach (the opening
// and the committee's report are theirs), with the dates given.
function force(id, fields) {
    const set = Object.entries(fields).map(([k, v]) => `${k} = ${v === null ? 'NULL' : typeof v === 'number' ? v : `'${v}'`}`).join(', ');
    sql(`UPDATE procurement_projects SET ${set} WHERE id = ${id}`);
}

// The official OCDS 1.1.5 release package schema (standards/ocds-1.1.5), draft 4.
const OCDS = path.join(__dirname, '..', '..', 'standards', 'ocds-1.1.5');
function ocdsValidator() {
    const Ajv = require('ajv-draft-04');
    const ajv = new Ajv({ strict: false, allErrors: true });
    require('ajv-formats')(ajv);
    ajv.addSchema(JSON.parse(fs.readFileSync(path.join(OCDS, 'release-schema.json'), 'utf8')));
    return ajv.compile(JSON.parse(fs.readFileSync(path.join(OCDS, 'release-package-schema.json'), 'utf8')));
}

before(async () => {
    srv = await startServer({ demo: true });
    admin = api(srv.url);
    pm = api(srv.url, { username: 'procurement_manager', password: PW });
    leader = api(srv.url, { username: 'leader', password: PW });
    staff = api(srv.url, { username: 'staff', password: PW });
    auditor = api(srv.url, { username: 'auditor', password: PW });
    anon = api(srv.url, { anonymous: true });
    for (const c of [pm, leader, staff, auditor]) await c.login();
    const t = (await admin.get('/api/v1/tenants/1')).body;
    offsetMin = t.utc_offset_min;
    tenantCode = t.code;
    dept = (await admin.get('/api/v1/departments?limit=5')).body.items[1].id;
    assert.ok(dept);
});

after(() => srv && srv.stop());

test('the method is derived from the tenant thresholds at their boundaries', async () => {
    const cases = [
        ['goods', 99999999, 'self'], ['goods', 100000000, 'agency'], ['services', 399999999, 'agency'],
        ['services', 400000000, 'public_tender'], ['works', 119999999, 'self'], ['works', 120000000, 'agency'],
    ];
    for (const [category, budget, method] of cases) {
        const p = await project({ category, budget_fen: budget, method_approval: null });
        assert.equal(p.derived_method, method, `${category} ${budget}`);
        assert.equal(p.method, method);
        assert.match(p.code, /^CG\d{4}-\d{4}$/);
        assert.equal(p.status, 'draft');
    }
    // comprehensive scoring gets the floor when no weight is given
    assert.equal((await project({ category: 'goods' })).price_weight_pct, 30);
    assert.equal((await project({ category: 'services' })).price_weight_pct, 10);
    assert.equal((await project({ evaluation_method: 'lowest_price' })).price_weight_pct, 100);
    // the tenant's own threshold
    const s = (await pm.get('/api/v1/procurement_settings?name=tender_threshold_fen')).body.items[0];
    const patch = await pm.patch(`/api/v1/procurement_settings/${s.id}`, { value: 200000000 });
    assert.equal(patch.status, 200, patch.text);
    try {
        assert.equal((await project({ budget_fen: 200000000 })).derived_method, 'public_tender');
    } finally {
        assert.equal((await pm.patch(`/api/v1/procurement_settings/${s.id}`, { value: 400000000 })).status, 200);
    }
    assert.equal((await project({ budget_fen: 200000000 })).derived_method, 'agency');
    // a draft's derived method follows its budget; a method chosen stays chosen
    const d = await project({ budget_fen: 50000000 });
    let r = await pm.patch(`/api/v1/procurement_projects/${d.id}`, { budget_fen: 200000000 });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.body.derived_method, r.body.method], ['agency', 'agency']);
    const e = await project({ budget_fen: 50000000, method: 'enquiry' });
    r = await pm.patch(`/api/v1/procurement_projects/${e.id}`, { budget_fen: 200000000 });
    assert.deepEqual([r.body.derived_method, r.body.method], ['agency', 'enquiry']);
});

test('a method the thresholds forbid needs its approval; the weight has its floor', async () => {
    const n = audits();
    let r = await pm.post('/api/v1/procurement_projects', {
        name: '办公设备采购', category: 'goods', budget_fen: 450000000, department_id: dept, method: 'competitive_negotiation',
    });
    refused(r, 422, ['method_approval']);
    let it = r.body.errors.find((e) => e.field === 'method_approval');
    assert.equal(it.key, 'procure.method.needs_approval');
    assert.deepEqual([it.params.budget, it.params.threshold, it.params.derived, it.params.method],
        ['4500000.00', '4000000.00', 'public_tender', 'competitive_negotiation']);
    r = await pm.post('/api/v1/procurement_projects', {
        name: '物业服务', category: 'services', budget_fen: 150000000, department_id: dept, method: 'self',
    });
    it = r.body.errors.find((e) => e.field === 'method_approval');
    assert.equal(it.key, 'procure.method.needs_approval');
    assert.deepEqual([it.params.threshold, it.params.derived], ['1000000.00', 'agency']);
    r = await pm.post('/api/v1/procurement_projects', {
        name: '电脑采购', category: 'goods', budget_fen: 150000000, department_id: dept, price_weight_pct: 29,
    });
    it = r.body.errors.find((e) => e.field === 'price_weight_pct');
    assert.equal(it.key, 'procure.weight.below_floor');
    assert.deepEqual([Number(it.params.floor), Number(it.params.weight)], [30, 29]);
    r = await pm.post('/api/v1/procurement_projects', {
        name: '保洁服务', category: 'services', budget_fen: 150000000, department_id: dept, price_weight_pct: 9,
    });
    assert.equal(Number(r.body.errors.find((e) => e.field === 'price_weight_pct').params.floor), 10);
    r = await pm.post('/api/v1/procurement_projects', {
        name: '复印纸', category: 'goods', budget_fen: 150000000, department_id: dept, evaluation_method: 'lowest_price', price_weight_pct: 60,
    });
    assert.equal(r.body.errors.find((e) => e.field === 'price_weight_pct').key, 'procure.weight.lowest_price');
    assert.equal(audits(), n, 'refusals audit nothing');
    // with the approval's reference it is accepted, and the boundary weights pass
    const ok = await project({ budget_fen: 450000000, method: 'competitive_negotiation', method_approval: '深财购〔2026〕12号', price_weight_pct: 30 });
    assert.equal(ok.derived_method, 'public_tender');
    assert.equal(ok.method, 'competitive_negotiation');
    await project({ category: 'services', price_weight_pct: 10 });
});

test('submit, approval not by the submitter, the seal, the bid period to the second', async () => {
    const p = await project({ budget_fen: 50000000 });
    let r = await step(pm, p.id, 'submit');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.status, 'submitted');
    r = await unchanged(p.id, () => step(pm, p.id, 'approve'));
    refused(r, 409);
    assert.equal(r.body.key, 'wf.own');
    // only a draft is edited
    r = await unchanged(p.id, () => pm.patch(`/api/v1/procurement_projects/${p.id}`, { name: '改名' }));
    r = await pm.patch(`/api/v1/procurement_projects/${p.id}`, { name: '改名' });
    assert.equal(r.status, 409, r.text);
    assert.equal(r.body.key, 'procure.project.not_draft');
    // a staff member may not approve
    r = await unchanged(p.id, () => step(staff, p.id, 'approve'));
    assert.ok([403, 404].includes(r.status), r.text);
    r = await step(leader, p.id, 'approve', { note: '同意' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.status, 'approved');
    assert.ok(r.body.approved_at);
    // self-procurement takes no sealed bids: published without a seal
    r = await step(pm, p.id, 'publish');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.status, 'notice_published');
    assert.ok(r.body.notice_ends > today());
    // the bid period: 20 days from the documents, to the second
    const issued = Date.parse('2026-09-23T02:00:00Z');
    const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');
    r = await unchanged(p.id, () => step(pm, p.id, 'open_bidding', {
        documents_issued_at: iso(issued), bid_deadline: iso(issued + 20 * 86400000 - 1000),
    }));
    refused(r, 422, ['bid_deadline']);
    const it = r.body.errors.find((e) => e.field === 'bid_deadline');
    assert.equal(it.key, 'procure.period.bid_too_short');
    assert.equal(Number(it.params.days), 20);
    assert.equal(Date.parse(it.params.earliest), issued + 20 * 86400000);
    r = await step(pm, p.id, 'open_bidding', { documents_issued_at: iso(issued), bid_deadline: iso(issued + 20 * 86400000) });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.status, 'bidding');
    assert.equal(Date.parse(r.body.bid_deadline), issued + 20 * 86400000);
    // out of order
    r = await unchanged(p.id, () => step(pm, p.id, 'publish'));
    assert.equal(r.body.key, 'wf.out_of_order');
    // an agency project needs its seal before the notice
    const q = await project({ budget_fen: 200000000 });
    await step(pm, q.id, 'submit');
    assert.equal((await step(leader, q.id, 'approve')).status, 200);
    r = await unchanged(q.id, () => step(pm, q.id, 'publish'));
    refused(r, 409);
    assert.equal(r.body.key, 'procure.project.not_sealed');
    assert.equal(r.body.params.method, 'agency');
    // no result without a signed evaluation report
    force(q.id, { status: 'evaluation' });
    r = await unchanged(q.id, () => step(pm, q.id, 'publish_result'));
    assert.equal(r.body.key, 'procure.result.no_report');
    // reject sends a submitted project back to its draft
    const d = await project();
    await step(pm, d.id, 'submit');
    r = await step(leader, d.id, 'reject', { reason: '预算依据不足' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.status, 'draft');
    assert.equal(r.body.decision_note, '预算依据不足');
});

test('the result with a signed report sets its dates on the working calendar', async () => {
    // the report's row by SQL here (the whole path below signs a real one)
    const p = await project();
    force(p.id, { status: 'evaluation' });
    sql(`INSERT INTO evaluation_reports (tenant_id, version, created_at, updated_at, project_id, status, winner_price_fen, signed_at) VALUES (1, 1, 0, 0, ${p.id}, 'signed', 45000000, 0)`);
    const r = await step(pm, p.id, 'publish_result');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.status, 'result_publicity');
    assert.equal(r.body.winner_price_fen, 45000000);
    assert.ok(r.body.result_notice_ends > today());
    assert.ok(r.body.complaint_ends > r.body.result_notice_ends);
    const due = new Date(Date.parse(today() + 'T00:00:00Z') + 30 * 86400000).toISOString().slice(0, 10);
    assert.equal(r.body.contract_due, due);
});

test('complaints: late refused, reply due across the holiday, suspension, the window held open', async () => {
    const p = await project();
    force(p.id, { status: 'complaint_window', result_published_at: Date.parse('2026-09-23T02:00:00Z') / 1000, result_notice_ends: '2026-09-24', complaint_ends: '2026-10-12', contract_due: '2026-10-23', notice_published_at: 1 });
    // received on 2026-10-13: the window ended on 10-12
    let n = audits();
    let r = await pm.post('/api/v1/complaints', { project_id: p.id, supplier_name: '某供应商', content: '评分不公', received_at: '2026-10-13T01:00:00Z' });
    refused(r, 409);
    assert.equal(r.body.key, 'procure.complaint.late');
    assert.deepEqual([r.body.params.received, r.body.params.ends], ['2026-10-13', '2026-10-12']);
    assert.equal(audits(), n);
    // received on 2026-09-30: 7 working days → 10-08, 10-09, 10-10 (a Saturday worked), 10-12 … 10-15
    r = await pm.post('/api/v1/complaints', { project_id: p.id, supplier_name: '某供应商', content: '评分不公', received_at: '2026-09-30T02:00:00Z', suspends: true });
    assert.equal(r.status, 201, r.text);
    const c = r.body;
    assert.equal(c.reply_due, '2026-10-15');
    assert.equal(c.status, 'open');
    assert.equal(c.department_id, dept);
    let g = await get(p.id);
    assert.equal(g.status, 'suspended');
    assert.equal(g.suspended_from, 'complaint_window');
    // not resumed while it is open
    r = await unchanged(p.id, () => step(pm, p.id, 'resume'));
    assert.equal(r.body.key, 'procure.complaint.open');
    assert.equal(Number(r.body.params.count), 1);
    r = await pm.post(`/api/v1/complaints/${c.id}/reply`, { reply: '经复核，评分符合采购文件规定。', upheld: false });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.status, 'replied');
    assert.equal(r.body.replied_late, true, 'replied after 2026-10-15');
    r = await step(pm, p.id, 'resume');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.status, 'complaint_window');
    // the job: an open complaint holds the window open, then it moves on
    const open = await pm.post('/api/v1/complaints', { project_id: p.id, supplier_name: '另一供应商', content: '资格审查', received_at: '2026-10-12T02:00:00Z' });
    assert.equal(open.status, 201, open.text);
    assert.equal((await get(p.id)).status, 'complaint_window', 'not suspending');
    await runJob('procure.periods');
    assert.equal((await get(p.id)).status, 'complaint_window', 'held open');
    assert.equal((await pm.post(`/api/v1/complaints/${open.body.id}/withdraw`, {})).status, 200);
    await runJob('procure.periods');
    assert.equal((await get(p.id)).status, 'contract');
    // result_publicity moves to the complaint window once its notice has ended
    const q = await project();
    force(q.id, { status: 'result_publicity', result_notice_ends: '2026-01-05', complaint_ends: '2099-01-01', notice_published_at: 1 });
    await runJob('procure.periods');
    assert.equal((await get(q.id)).status, 'complaint_window');
    const h = await pm.get(`/api/v1/procurement_projects/${q.id}/history`);
    assert.equal(h.status, 200, h.text);
    assert.ok(h.text.includes('complaint_window'), 'the job writes are audited');
});

test('contracts after the window, publication due across the holiday, payments, savings', async () => {
    const p = await project({ budget_fen: 80000000 });
    force(p.id, { status: 'complaint_window', result_published_at: 1790000000, complaint_ends: '2026-09-29', contract_due: '2026-10-20', winner_price_fen: 71234500, notice_published_at: 1 });
    let r = await unchanged(p.id, () => pm.post('/api/v1/contracts', { project_id: p.id, signed_on: '2026-09-30' }));
    refused(r, 409);
    assert.equal(r.body.key, 'procure.contract.window_open');
    assert.equal(r.body.params.ends, '2026-09-29');
    force(p.id, { status: 'contract' });
    r = await unchanged(p.id, () => pm.post('/api/v1/contracts', { project_id: p.id, signed_on: '2026-09-29' }));
    assert.equal(r.body.key, 'procure.contract.window_open', 'signed on the window\'s last day');
    r = await pm.post('/api/v1/contracts', { project_id: p.id, signed_on: '2026-09-30' });
    assert.equal(r.status, 201, r.text);
    const k = r.body;
    assert.equal(k.amount_fen, 71234500, 'the award\'s price');
    assert.equal(k.savings_fen, 80000000 - 71234500);
    assert.equal(k.publish_due, '2026-10-09', '10-01..10-07 off: 10-08, 10-09');
    assert.equal(k.signed_late, false);
    assert.match(k.code, /^HT2026-\d{4}$/);
    assert.equal((await get(p.id)).status, 'performance');
    r = await pm.post(`/api/v1/contracts/${k.id}/publish`, {});
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.published_on, today());
    assert.equal(r.body.published_late, today() > '2026-10-09');
    r = await pm.post(`/api/v1/contracts/${k.id}/publish`, {});
    assert.equal(r.body.key, 'procure.contract.published');
    // payments: never above the contract
    assert.equal((await pm.post('/api/v1/contract_payments', { contract_id: k.id, paid_on: '2026-10-15', amount_fen: 50000000 })).status, 201);
    let n = audits();
    r = await pm.post('/api/v1/contract_payments', { contract_id: k.id, paid_on: '2026-11-15', amount_fen: 21234501 });
    refused(r, 422, ['amount_fen']);
    const it = r.body.errors.find((e) => e.field === 'amount_fen');
    assert.equal(it.key, 'procure.payment.over');
    assert.deepEqual([it.params.amount, it.params.paid, it.params.remaining, it.params.payment], ['712345.00', '500000.00', '212345.00', '212345.01']);
    assert.equal(audits(), n);
    r = await unchanged(p.id, () => step(pm, p.id, 'close'));
    assert.equal(r.body.key, 'procure.project.unpaid');
    assert.equal((await pm.post('/api/v1/contract_payments', { contract_id: k.id, paid_on: '2026-11-15', amount_fen: 21234500 })).status, 201);
    assert.equal((await pm.get(`/api/v1/contracts/${k.id}`)).body.status, 'completed');
    r = await step(pm, p.id, 'close');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.status, 'closed');
    // savings for 2026: this contract is among them, totals add up
    r = await pm.get('/api/v1/procure/savings?year=2026');
    assert.equal(r.status, 200, r.text);
    const line = r.body.projects.find((x) => x.contract_id === k.id);
    assert.equal(line.savings_fen, 8765500);
    const sum = (a, f) => a.reduce((s, x) => s + x[f], 0);
    assert.equal(r.body.total.savings_fen, sum(r.body.projects, 'savings_fen'));
    assert.equal(r.body.total.savings_fen, sum(r.body.departments, 'savings_fen'));
    assert.equal(r.body.total.budget_fen - r.body.total.amount_fen, r.body.total.savings_fen);
    const d = r.body.departments.find((x) => x.department_id === dept);
    assert.equal(d.savings_fen, sum(r.body.projects.filter((x) => x.department_id === dept), 'savings_fen'));
    const x = await pm.get('/api/v1/procure/savings.xlsx?year=2026');
    assert.equal(x.status, 200);
    assert.match(x.headers.get('content-type'), /spreadsheetml/);
    assert.equal((await pm.get('/api/v1/procure/savings?year=1999')).status, 400);
    assert.equal((await staff.get('/api/v1/procure/savings?year=2026')).status, 403);
    // the dashboard card
    const s = await leader.get('/api/v1/summary/procure');
    assert.equal(s.status, 200, s.text);
    const cards = s.body.cards || s.body;
    const card = (Array.isArray(cards) ? cards : []).find((c) => c.id === 'procure');
    assert.ok(card, s.text.slice(0, 400));
    for (const f of ['reviewed', 'reviewed_fen', 'tenders', 'tenders_fen', 'savings_fen', 'in_progress', 'overdue_contracts'])
        assert.equal(typeof card[f], 'number', f);
});

test('a purchase of its own (自行采购): awarded to an approved supplier within the budget, then its contract', async () => {
    const p = await project({ budget_fen: 30000000 }); // 300,000 yuan: below the decentralised limit
    assert.equal(p.method, 'self');
    assert.equal((await step(pm, p.id, 'submit')).status, 200);
    assert.equal((await step(leader, p.id, 'approve')).status, 200);
    const sup = (await pm.get('/api/v1/suppliers?status=approved&limit=1')).body.items[0];
    const pending = (await pm.get('/api/v1/suppliers?status=pending&limit=1')).body.items[0];
    assert.ok(sup && pending, 'the demo has approved and pending suppliers');
    let r = await unchanged(p.id, () => step(pm, p.id, 'award_direct', { supplier_id: sup.id, price_fen: 30000001 }));
    refused(r, 422, ['price_fen']);
    assert.equal(r.body.errors[0].key, 'procure.award.over_budget');
    assert.deepEqual(r.body.errors[0].params, { price: '300000.01', budget: '300000.00' });
    r = await unchanged(p.id, () => step(pm, p.id, 'award_direct', { supplier_id: pending.id, price_fen: 28800000 }));
    refused(r, 422, ['supplier_id']);
    assert.equal(r.body.errors[0].key, 'procure.award.supplier');
    assert.equal(r.body.errors[0].params.status, 'pending');
    r = await unchanged(p.id, () => step(pm, p.id, 'award_direct', { supplier_id: sup.id }));
    refused(r, 422, ['price_fen']);
    // a project that takes bids is not awarded directly
    const other = await project({ budget_fen: 150000000 });
    assert.equal(other.method, 'agency');
    assert.equal((await step(pm, other.id, 'submit')).status, 200);
    assert.equal((await step(leader, other.id, 'approve')).status, 200);
    r = await unchanged(other.id, () => step(pm, other.id, 'award_direct', { supplier_id: sup.id, price_fen: 100 }));
    refused(r, 409);
    assert.equal(r.body.key, 'procure.award.not_self');
    assert.equal(r.body.params.method, 'agency');
    r = await unchanged(p.id, () => step(staff, p.id, 'award_direct', { supplier_id: sup.id, price_fen: 28800000 }));
    assert.ok([403, 404].includes(r.status), r.text);

    r = await step(pm, p.id, 'award_direct', { supplier_id: sup.id, price_fen: 28800000, note: '三家比价，最低价成交' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.status, 'contract');
    assert.equal(r.body.winner_supplier_id, sup.id);
    assert.equal(r.body.winner_price_fen, 28800000);
    const due = new Date(Date.parse(today()) + 30 * 86400000).toISOString().slice(0, 10);
    assert.equal(r.body.contract_due, due, 'contract_days (30) from today');
    r = await unchanged(p.id, () => step(pm, p.id, 'award_direct', { supplier_id: sup.id, price_fen: 1 }));
    refused(r, 409);
    assert.equal(r.body.key, 'wf.out_of_order');
    r = await pm.post('/api/v1/contracts', { project_id: p.id, signed_on: today() });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.supplier_id, sup.id);
    assert.equal(r.body.amount_fen, 28800000);
    assert.equal(r.body.savings_fen, 1200000);
    assert.equal(r.body.signed_late, false);
    assert.equal((await get(p.id)).status, 'performance');
});

test('OCDS: a release package valid against the official schema, public once published', async () => {
    const validate = ocdsValidator();
    const codes = (name) => fs.readFileSync(path.join(OCDS, 'codelists', `${name}.csv`), 'utf8').split('\n').slice(1).map((l) => l.split(',')[0]).filter(Boolean);
    // a project through to its payments
    const p = await project({ budget_fen: 60000000, description: '食堂食材配送服务' });
    force(p.id, { status: 'contract', notice_published_at: 1790000000, documents_issued_at: 1790000000, bid_deadline: 1791800000, result_published_at: 1792000000, complaint_ends: '2026-10-12', contract_due: '2026-11-01', winner_price_fen: 55500000 });
    const k = (await pm.post('/api/v1/contracts', { project_id: p.id, signed_on: '2026-10-20' })).body;
    assert.equal((await pm.post('/api/v1/contract_payments', { contract_id: k.id, paid_on: '2026-11-01', amount_fen: 10000000 })).status, 201);
    let r = await pm.get(`/api/v1/procurement_projects/${p.id}/ocds`);
    assert.equal(r.status, 200, r.text);
    assert.ok(validate(r.body), JSON.stringify(validate.errors, null, 1));
    const rel = r.body.releases[0];
    assert.equal(rel.ocid, `ocds-${tenantCode.toLowerCase()}-${(await get(p.id)).code}`);
    assert.ok(codes('method').includes(rel.tender.procurementMethod));
    assert.ok(codes('tenderStatus').includes(rel.tender.status));
    assert.ok(codes('awardCriteria').includes(rel.tender.awardCriteria));
    for (const tag of rel.tag) assert.ok(codes('releaseTag').includes(tag), tag);
    for (const party of rel.parties) for (const role of party.roles) assert.ok(codes('partyRole').includes(role), role);
    assert.ok(codes('awardStatus').includes(rel.awards[0].status));
    assert.ok(codes('contractStatus').includes(rel.contracts[0].status));
    assert.equal(rel.planning.budget.amount.amount, 600000);
    assert.equal(rel.planning.budget.amount.currency, 'CNY');
    assert.equal(rel.awards[0].value.amount, 555000);
    assert.equal(rel.contracts[0].value.amount, 555000);
    assert.equal(rel.contracts[0].implementation.transactions[0].value.amount, 100000);
    assert.deepEqual(rel.tag, ['planning', 'tender', 'award', 'contract', 'implementation']);
    // the public endpoint: no sign-in
    r = await anon.get(`/open/procure/${tenantCode}/ocds/${p.id}`);
    assert.equal(r.status, 200, r.text);
    assert.ok(validate(r.body), JSON.stringify(validate.errors));
    assert.equal(r.body.releases[0].ocid, rel.ocid);
    const list = await anon.get(`/open/procure/${tenantCode}/ocds`);
    assert.equal(list.status, 200);
    assert.ok(list.body.projects.some((x) => x.id === p.id));
    // a draft is not published: 404, as one that does not exist, and not listed
    const d = await project();
    const dr = await pm.get(`/api/v1/procurement_projects/${d.id}/ocds`);
    assert.equal(dr.status, 200);
    assert.ok(validate(dr.body), JSON.stringify(validate.errors));
    assert.deepEqual(dr.body.releases[0].tag, ['planning']);
    assert.equal((await anon.get(`/open/procure/${tenantCode}/ocds/${d.id}`)).status, 404);
    assert.equal((await anon.get(`/open/procure/${tenantCode}/ocds/99999999`)).status, 404);
    assert.equal((await anon.get(`/open/procure/no-such-tenant/ocds/${p.id}`)).status, 404);
    assert.ok(!(await anon.get(`/open/procure/${tenantCode}/ocds`)).body.projects.some((x) => x.id === d.id));
    // the signed-in route answers only those who may read projects
    assert.ok([401, 403].includes((await anon.get(`/api/v1/procurement_projects/${p.id}/ocds`)).status));
    assert.ok([403, 404].includes((await staff.get(`/api/v1/procurement_projects/${p.id}/ocds`)).status));
});

test('the whole path: sealed, bid, opened with k shares, drawn, scored, signed, published, complained, contracted, paid, open data', async () => {
    const sodium = require('libsodium-wrappers');
    await sodium.ready;
    const B64 = sodium.base64_variants.ORIGINAL;
    const roles = await admin.all('roles');
    const roleId = (code) => roles.find((x) => x.code === code).id;
    const login = async (role, name) => {
        const username = `${role.slice(0, 3)}${m.uniq().replace(/[^a-z0-9]/gi, '')}`.toLowerCase();
        const u = await admin.post('/api/v1/users', { username, display_name: name, role_id: roleId(role) });
        assert.equal(u.status, 201, u.text);
        const pw = 'Life-path-pass-2026!';
        assert.equal((await admin.post(`/api/v1/users/${u.body.id}/reset_password`, { password: pw })).status, 200);
        return { user: u.body, client: await m.signInChanging(srv.url, { username, password: pw, newPassword: pw + 'x' }) };
    };
    // a project through its own steps: agency (the thresholds derive it), comprehensive scoring at the floor
    const p = await project({ budget_fen: 200000000, description: '全流程测试：办公设备' });
    assert.deepEqual([p.method, p.evaluation_method, p.price_weight_pct], ['agency', 'comprehensive', 30]);
    assert.equal((await step(pm, p.id, 'submit')).status, 200);
    assert.equal((await step(leader, p.id, 'approve')).status, 200);
    // the seal (the bids part's route): 2 of 3 officials, each takes their share once
    const officials = [];
    for (const [name, c] of [['staff', staff], ['leader', leader], ['auditor', auditor]])
        officials.push({ c, id: (await admin.all('users', { username: name }))[0].id });
    let r = await pm.post(`/api/v1/procurement_projects/${p.id}/seal`, { k: 2, officials: officials.map((o) => o.id) });
    assert.ok([200, 201].includes(r.status), r.text);
    const seal = r.body;
    const shares = [];
    for (const o of officials) {
        r = await o.c.post(`/api/v1/bid_seals/${seal.id}/take`, {});
        assert.equal(r.status, 200, r.text);
        shares.push(r.body.share);
    }
    r = await step(pm, p.id, 'publish');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.status, 'notice_published');
    // documents issued 20 days ago less two minutes: the deadline is the earliest lawful one
    const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');
    const issued = (Math.floor(Date.now() / 1000) - 20 * 86400 + 120) * 1000;
    r = await step(pm, p.id, 'open_bidding', { documents_issued_at: iso(issued), bid_deadline: iso(issued + 20 * 86400000) });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.status, 'bidding');
    // three suppliers with their portal logins, each seals a bid in the browser's way
    const prices = [180000000, 170000000, 190000000];
    const sups = [];
    for (let i = 0; i < 3; i++) {
        const l = await login('supplier', `全流程供应商${i}`);
        const code = m.uscc(`91440300${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`);
        r = await pm.post('/api/v1/suppliers', { name: `全流程供应商${i}有限公司${m.uniq()}`, uscc: code, legal_rep: '张三', contact: '李四', phone: '13800138000', user_id: l.user.id });
        assert.equal(r.status, 201, r.text);
        const s = r.body;
        assert.equal((await pm.post(`/api/v1/suppliers/${s.id}/approve`, {})).status, 200);
        const env = { v: 1, project_id: p.id, supplier_id: s.id, price_fen: prices[i], technical: `技术响应${i}`, documents: [] };
        const cipher = sodium.to_base64(sodium.crypto_box_seal(sodium.from_string(JSON.stringify(env)), sodium.from_base64(seal.public_key, B64)), B64);
        r = await l.client.post(`/api/v1/procurement_projects/${p.id}/bids`, { cipher });
        assert.equal(r.status, 201, r.text);
        sups.push({ ...s, login: l, bid: r.body });
    }
    // before the opening the open data names no tenderer and no amount
    r = await pm.get(`/api/v1/procurement_projects/${p.id}/ocds`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.releases[0].bids, undefined);
    assert.equal(r.body.releases[0].tender.tenderers, undefined);
    // the deadline passes (SQL: two minutes), the opening with k shares
    sql(`UPDATE procurement_projects SET bid_deadline = ${Math.floor(Date.now() / 1000) - 1} WHERE id = ${p.id}`);
    r = await pm.post(`/api/v1/procurement_projects/${p.id}/open`, { shares: shares.slice(1) });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.status, 'evaluation');
    assert.equal(r.body.bids, 3);
    assert.equal((await get(p.id)).status, 'evaluation');
    // the committee: a pool of its own specialty, the draw with a witness value, the members confirm
    const spec = `goods.life${m.uniq().replace(/[^a-z0-9]/gi, '').toLowerCase().slice(-8)}`;
    const experts = [];
    for (let i = 0; i < 5; i++) {
        const l = await login('expert', `全流程专家${i}`);
        r = await admin.post('/api/v1/experts', { name: `全流程专家${i}`, specialties: spec, employer: '某大学', title: '教授', user_id: l.user.id, phone: '13800138000' });
        assert.equal(r.status, 201, r.text);
        experts.push(l.client);
    }
    r = await pm.post('/api/v1/expert_draws', { project_id: p.id, specialty: spec, members_n: 5, reps_n: 1 });
    assert.equal(r.status, 201, r.text);
    const draw = r.body;
    r = await pm.post(`/api/v1/expert_draws/${draw.id}/draw`, { witness: '2026 1207' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.pool_n, 5);
    const seats = [];
    for (const c of experts) {
        const mine = await c.all('expert_draw_members', { draw_id: draw.id });
        if (!mine.length) continue;
        r = await c.post(`/api/v1/expert_draw_members/${mine[0].id}/confirm`, {});
        assert.equal(r.status, 200, r.text);
        seats.push({ c, seat: r.body });
    }
    assert.equal(seats.length, 4);
    assert.equal((await pm.get(`/api/v1/expert_draws/${draw.id}`)).body.status, 'formed');
    // the rubric and every member's scores: supplier 0 best on the rest, supplier 1 the cheapest
    const item = async (kind, name, max, seq) => {
        const x = await pm.post('/api/v1/evaluation_items', { project_id: p.id, kind, name, max_score: max, seq });
        assert.equal(x.status, 201, x.text);
        return x.body.id;
    };
    const tech = await item('technical', '技术方案', 50, 1), comm = await item('commercial', '售后服务', 20, 2);
    const marks = [[45, 18], [40, 15], [30, 10]];
    for (const { c } of seats) {
        const scores = [];
        sups.forEach((s, i) => scores.push({ bid_id: s.bid.id, item_id: tech, score: marks[i][0] }, { bid_id: s.bid.id, item_id: comm, score: marks[i][1] }));
        r = await c.post('/api/v1/procure/scores', { scores });
        assert.equal(r.status, 200, r.text);
    }
    // no result before the report is signed
    r = await unchanged(p.id, () => step(pm, p.id, 'publish_result'));
    assert.equal(r.body.key, 'procure.result.no_report');
    r = await pm.post('/api/v1/procure/reports', { project_id: p.id });
    assert.equal(r.status, 201, r.text);
    const rep = r.body;
    // by hand: price points 170/180 × 30 = 28.33 + 63 = 91.33 beats 30 + 55 = 85 and 26.84 + 40
    assert.equal(rep.winner_bid_id, sups[0].bid.id);
    assert.equal(rep.winner_supplier_id, sups[0].id);
    assert.equal(rep.winner_price_fen, prices[0]);
    r = await unchanged(p.id, () => step(pm, p.id, 'publish_result'));
    assert.equal(r.body.key, 'procure.result.no_report', 'a draft report is not enough');
    for (const { c, seat } of seats) {
        r = await c.post(`/api/v1/expert_draw_members/${seat.id}/sign`, {});
        assert.equal(r.status, 200, r.text);
    }
    assert.equal((await pm.get(`/api/v1/evaluation_reports/${rep.id}`)).body.status, 'signed');
    // the result from the signed report
    r = await step(pm, p.id, 'publish_result');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.status, 'result_publicity');
    assert.deepEqual([r.body.winner_bid_id, r.body.winner_supplier_id, r.body.winner_price_fen], [sups[0].bid.id, sups[0].id, prices[0]]);
    assert.ok(r.body.complaint_ends > r.body.result_notice_ends);
    // a losing bidder's complaint within the window, replied; the periods move on
    r = await pm.post('/api/v1/complaints', { project_id: p.id, supplier_name: sups[1].name, content: '报价最低却未中标', received_at: iso(Date.now() - 60000) });
    assert.equal(r.status, 201, r.text);
    const cpl = r.body;
    r = await pm.post('/api/v1/contracts', { project_id: p.id, signed_on: today() });
    assert.equal(r.status, 409, r.text);
    assert.equal(r.body.key, 'procure.contract.window_open');
    const yesterday = new Date(Date.parse(today() + 'T00:00:00Z') - 86400000).toISOString().slice(0, 10);
    force(p.id, { result_notice_ends: yesterday });
    await runJob('procure.periods');
    assert.equal((await get(p.id)).status, 'complaint_window');
    force(p.id, { complaint_ends: yesterday });
    await runJob('procure.periods');
    assert.equal((await get(p.id)).status, 'complaint_window', 'held open by the complaint');
    r = await pm.post(`/api/v1/complaints/${cpl.id}/reply`, { reply: '经复核，综合得分排名第二，质疑不成立。', upheld: false });
    assert.equal(r.status, 200, r.text);
    await runJob('procure.periods');
    assert.equal((await get(p.id)).status, 'contract');
    // the contract from the report's winner
    r = await pm.post('/api/v1/contracts', { project_id: p.id, signed_on: today() });
    assert.equal(r.status, 201, r.text);
    const k = r.body;
    assert.deepEqual([k.supplier_id, k.amount_fen, k.savings_fen], [sups[0].id, prices[0], 200000000 - prices[0]]);
    assert.equal(k.signed_late, false);
    assert.equal((await pm.post(`/api/v1/contracts/${k.id}/publish`, {})).status, 200);
    assert.equal((await pm.post('/api/v1/contract_payments', { contract_id: k.id, paid_on: today(), amount_fen: 54000000 })).status, 201);
    assert.equal((await pm.post('/api/v1/contract_payments', { contract_id: k.id, paid_on: today(), amount_fen: prices[0] - 54000000 })).status, 201);
    r = await step(pm, p.id, 'close');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.status, 'closed');
    r = await pm.get(`/api/v1/procure/savings?year=${k.signed_on.slice(0, 4)}`);
    assert.equal(r.body.projects.find((x) => x.contract_id === k.id).savings_fen, 20000000);
    // the open data: tenderers, the opened amounts, the award from the signed report, the contract, its payments
    const validate = ocdsValidator();
    const code = (await get(p.id)).code;
    for (const got of [await pm.get(`/api/v1/procurement_projects/${p.id}/ocds`), await anon.get(`/open/procure/${tenantCode}/ocds/${p.id}`)]) {
        assert.equal(got.status, 200, got.text);
        assert.ok(validate(got.body), JSON.stringify(validate.errors, null, 1));
        const rel = got.body.releases[0];
        assert.equal(rel.ocid, `ocds-${tenantCode.toLowerCase()}-${code}`);
        assert.deepEqual(rel.tag, ['planning', 'tender', 'award', 'contract', 'implementation']);
        const partyOf = (name) => rel.parties.find((x) => x.name === name);
        for (const s of sups) assert.ok(partyOf(s.name).roles.includes('tenderer'), s.name);
        assert.ok(partyOf(sups[0].name).roles.includes('supplier'));
        assert.equal(rel.tender.numberOfTenderers, 3);
        assert.deepEqual(rel.tender.tenderers.map((x) => x.name).sort(), sups.map((s) => s.name).sort());
        assert.deepEqual(rel.bids.details.map((b) => [b.tenderers[0].name, b.value.amount, b.value.currency, b.status]).sort(),
            sups.map((s, i) => [s.name, prices[i] / 100, 'CNY', 'valid']).sort());
        assert.equal(rel.awards[0].value.amount, prices[0] / 100);
        assert.deepEqual(rel.awards[0].suppliers.map((x) => [x.id, x.name]), [[partyOf(sups[0].name).id, sups[0].name]]);
        assert.equal(rel.contracts[0].value.amount, prices[0] / 100);
        assert.equal(rel.contracts[0].awardID, rel.awards[0].id);
        assert.deepEqual(rel.contracts[0].implementation.transactions.map((x) => x.value.amount).sort((a, b) => a - b), [540000, (prices[0] - 54000000) / 100].sort((a, b) => a - b));
    }
});

test('permissions: managers write, leaders and auditors read, staff nothing', async () => {
    const p = await project();
    assert.equal((await auditor.get(`/api/v1/procurement_projects/${p.id}`)).status, 200);
    assert.equal((await leader.get(`/api/v1/procurement_projects/${p.id}`)).status, 200);
    const w = await auditor.post('/api/v1/procurement_projects', { name: 'x', category: 'goods', budget_fen: 100, department_id: dept });
    assert.equal(w.status, 403, w.text);
    assert.ok([403, 404].includes((await staff.get(`/api/v1/procurement_projects/${p.id}`)).status));
    assert.equal((await auditor.get('/api/v1/procure/savings?year=2026')).status, 200);
    // the status is the steps' own
    const r = await pm.patch(`/api/v1/procurement_projects/${p.id}`, { status: 'closed' });
    assert.equal(r.status, 422, r.text);
});
