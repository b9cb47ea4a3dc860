// SPDX-License-Identifier: MIT
// screenshots.js - the pictures of the main pages in docs/screenshots/, taken
// from a demo district in headless Chromium. Run by hand after the UI changes:
//
//   make bureau && node tests/ui/screenshots.js        (BUREAU_BIN picks another binary)
//
// Writes login, dashboard, list, form, detail (with its history), the English
// list, module pages (the booking calendar among them) and the phone-width
// pages (booking, the voucher scanner, my assets, a stocktake, the property pool, a diner's meals, …); the fixed
// assets' register, asset page, reports, label sheet, pool queue and a disposal; the canteens'
// menu grid and food safety; the procurement projects, a project's timeline and the savings
// report, the supplier portal, an opening official's share and the bid opening; the
// procurement committee's draws, evaluation results and the expert's scoring sheet on a
// phone; each PNG is kept
// under 250 KB.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { startServer, api, ADMIN_PASSWORD, ROOT } = require('../api/lib/server');
const { openBrowser, signIn, fillLogin, goHash, sel, rowsOf, pickOption, fillDate, PHONE } = require('./lib/browser');

const OUT = path.join(ROOT, 'docs', 'screenshots');
const LIMIT = 250 * 1024;
const VIEW = { width: 1280, height: 800 };

async function main() {
    fs.mkdirSync(OUT, { recursive: true });
    const srv = await startServer({ demo: true });
    const admin = api(srv.url);
    const b = await openBrowser('screenshots');
    const written = [];
    let page;
    async function save(name, opts = {}) {
        await page.mouse.move(0, 0);
        await page.evaluate(() => document.activeElement && document.activeElement.blur && document.activeElement.blur());
        // let toasts go before the picture
        await page.locator('.el-message').first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => {});
        const file = path.join(OUT, name + '.png');
        await page.screenshot({ path: file, animations: 'disabled', ...opts });
        const size = fs.statSync(file).size;
        if (size > LIMIT) throw new Error(`${file} is ${size} bytes, over ${LIMIT}`);
        written.push(`${path.relative(ROOT, file)} ${Math.round(size / 1024)} KB`);
    }
    try {
        ({ page } = await b.newPage({ viewport: VIEW }));
        await page.goto(srv.url + '/');
        await page.locator(sel('login-username')).waitFor();
        await page.locator(sel('login-username')).fill('admin');
        await save('login');

        await page.locator(sel('login-password')).fill(ADMIN_PASSWORD);
        await page.locator(sel('login-submit')).click();
        await page.locator(sel('count-people')).waitFor();
        await page.locator(`${sel('card-org-counts')} svg`).first().waitFor();
        await page.locator(`${sel('card-identity-counts')} svg`).first().waitFor();
        await save('dashboard');

        const dept = (await admin.get('/api/v1/departments?name=' + encodeURIComponent('区委办公室'))).body.items[0];
        await goHash(page, `#/c/people?department_id=${dept.id}&sort=staff_no`);
        await rowsOf(page).first().waitFor();
        await save('list');

        await goHash(page, '#/c/people/new');
        await page.locator(sel('form-people')).waitFor();
        await page.locator('#f-people-name').fill('林晓雯');
        await page.locator('#f-people-staff_no').fill('LG260001');
        await pickOption(page, '#f-people-department_id', dept.name, dept.name);
        await page.locator('#f-people-post').fill('科员');
        await page.locator('#f-people-phone').fill('13800138000');
        await fillDate(page, '#f-people-joined_on', '2026-03-02');
        await save('form');

        await page.locator(sel('save')).click();
        await page.locator(sel('detail-people')).waitFor();
        await page.locator(sel('edit')).click();
        await page.locator(sel('form-people')).waitFor();
        await page.locator('#f-people-post').fill('副科长');
        await page.locator(sel('save')).click();
        await page.locator(sel('detail-people')).waitFor();
        await page.waitForFunction((s) => document.querySelectorAll(s).length >= 2, `${sel('history')} .el-timeline-item`);
        await save('detail-history');

        await page.locator(sel('lang-switch')).click();
        await page.locator(sel('nav-people')).filter({ hasText: 'People' }).waitFor();
        await goHash(page, `#/c/people?department_id=${dept.id}&sort=staff_no`);
        await rowsOf(page).first().waitFor();
        await page.locator(sel('page-title')).filter({ hasText: 'People' }).waitFor();
        await save('list-en');
        await page.locator(sel('lang-switch')).click();
        await page.locator(sel('nav-people')).filter({ hasText: '人员' }).waitFor();

        // the service desk: the dispatcher's board, the reports, a rated request's page
        await goHash(page, '#/servicedesk/board');
        await page.locator(sel('board-card')).first().waitFor();
        await save('servicedesk-board');
        await goHash(page, '#/servicedesk/reports');
        await page.locator(`${sel('sd-reports')} canvas, ${sel('sd-reports')} svg`).first().waitFor();
        await page.locator(sel('report-kpis')).waitFor();
        await save('servicedesk-reports');
        const rated = (await admin.get('/api/v1/service_requests?score=5&limit=1')).body.items[0];
        await goHash(page, `#/c/service_requests/${rated.id}`);
        await page.locator(`${sel('timeline')} .el-timeline-item`).first().waitFor();
        await save('servicedesk-request');

        // official cars: the dispatch board on tomorrow, a vehicle's page, a dispatch slip
        const dispatched = (await admin.get('/api/v1/trip_requests?status=dispatched&sort=start_at&limit=1')).body.items[0];
        await goHash(page, `#/fleet/board?date=${dispatched.start_at.slice(0, 10)}`);
        await page.locator(sel('fl-bar')).first().waitFor();
        await page.locator(sel('fl-waiting-item')).first().waitFor();
        await save('fleet-board');
        await goHash(page, `#/c/vehicles/${dispatched.vehicle_id}`);
        await page.locator(`${sel('fl-cost-chart')} svg`).first().waitFor();
        await page.locator(sel('fl-trip-row')).first().waitFor();
        await save('fleet-vehicle', { fullPage: true });
        await goHash(page, `#/fleet/slip/${dispatched.id}`);
        await page.locator(sel('fl-slip-plate')).waitFor();
        await save('fleet-slip');

        // office space: the floor view of a floor with an over-standard room, and reports
        const over = (await admin.get('/api/v1/space/over_standard')).body.rooms[0];
        const room = (await admin.get(`/api/v1/rooms/${over.room_id}`)).body;
        await goHash(page, `#/space/floor?building_id=${room.building_id}&floor_id=${room.floor_id}`);
        await page.locator(`${sel('sp-tile')}[data-room-id="${room.id}"]`).waitFor();
        await save('space-floor');
        await goHash(page, '#/space/reports');
        await page.locator(`${sel('sp-chart-over')} svg`).first().waitFor();
        await save('space-reports');

        ({ page } = await b.newPage({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 1 }));
        await signIn(page, srv.url, 'staff', 'Bureau-demo-2026');
        await goHash(page, '#/servicedesk/new');
        await page.locator(sel('sd-new')).waitFor();
        await save('phone-servicedesk-new');
        await page.close();

        ({ page } = await b.newPage({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 1 }));
        await signIn(page, srv.url, 'driver', 'Bureau-demo-2026', '#/fleet/trips');
        await page.locator(sel('fl-trip-card')).first().waitFor();
        await save('phone-fleet-trips');
        await page.close();

        ({ page } = await b.newPage({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 1 }));
        await signIn(page, srv.url, 'staff', 'Bureau-demo-2026', '#/booking');
        await page.locator(sel('bk-resource')).filter({ hasText: '网球场' }).click();
        await page.locator(sel('bk-day')).nth(1).click();
        await page.locator(sel('bk-slot')).first().waitFor();
        await save('phone-booking');
        await page.close();

        ({ page } = await b.newPage({ viewport: VIEW }));
        await signIn(page, srv.url, 'property_manager', 'Bureau-demo-2026', '#/booking/calendar');
        await page.locator(`${sel('bk-cal')} .fc-timegrid`).waitFor();
        await page.locator(`${sel('bk-cal')} .fc-bg-event`).first().waitFor();
        await save('booking-calendar');
        await page.close();

        ({ page } = await b.newPage({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 1 }));
        await signIn(page, srv.url, 'property_manager', 'Bureau-demo-2026', '#/booking/scan');
        await page.locator(sel('bk-scan')).waitFor();
        await save('phone-voucher-scan');
        await page.close();

        // fixed assets: the register, an asset's page, the reports, a label sheet, my assets
        ({ page } = await b.newPage({ viewport: VIEW }));
        await signIn(page, srv.url, 'assets_manager', 'Bureau-demo-2026', '#/assets');
        await page.waitForFunction(() => document.querySelectorAll('[data-test="as-net"]').length > 0 &&
            ![...document.querySelectorAll('[data-test="as-net"]')].some((e) => e.textContent === '…'));
        await save('assets-register');
        const asset = (await admin.get('/api/v1/assets?limit=1&sort=-acquired_on&status=in_use&acquired_on[lt]=2022-01-01')).body.items[0];
        await goHash(page, `#/c/assets/${asset.id}`);
        await page.locator(`${sel('as-dep-chart')} svg`).first().waitFor();
        await save('assets-asset', { fullPage: true });
        await goHash(page, '#/assets/reports');
        await page.locator(`${sel('as-report-chart')} svg`).first().waitFor();
        await save('assets-reports');
        const some = (await admin.get('/api/v1/assets?limit=9&sort=code&status=in_use')).body.items.map((x) => x.id).join(',');
        await goHash(page, `#/assets/labels?ids=${some}`);
        await page.locator(`${sel('as-label')} svg`).nth(8).waitFor();
        await save('assets-labels');
        await page.close();

        ({ page } = await b.newPage({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 1 }));
        await signIn(page, srv.url, 'staff', 'Bureau-demo-2026', '#/assets/mine');
        await page.locator(sel('as-mine-card')).first().waitFor();
        await page.waitForFunction(() => [...document.querySelectorAll('.as-card-qr')].every((i) => i.complete && i.naturalWidth > 0));
        await save('phone-assets-mine');
        await page.close();

        // canteens: a staff member's meals on a phone, the manager's menu grid, food safety
        ({ page } = await b.newPage({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 1 }));
        await signIn(page, srv.url, 'staff', 'Bureau-demo-2026', '#/canteen/meals');
        await page.locator(sel('ct-meal')).first().waitFor();
        await save('phone-canteen-meals');
        await page.close();
        ({ page } = await b.newPage({ viewport: VIEW }));
        await signIn(page, srv.url, 'canteen_manager', 'Bureau-demo-2026', '#/canteen/menus');
        await page.locator(sel('ct-menu-cell')).first().waitFor();
        await save('canteen-menus');
        await goHash(page, '#/canteen/safety');
        await page.locator(sel('ct-alert')).first().waitFor();
        await save('canteen-safety');
        await page.close();
        // the meal card: my card on a phone, the cashier's desk, the readers
        ({ page } = await b.newPage({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 1 }));
        await signIn(page, srv.url, 'staff', 'Bureau-demo-2026', '#/canteen/card');
        await page.locator(sel('ct-balance-amount')).waitFor();
        await page.waitForFunction(() => { const i = document.querySelector('[data-test="ct-qr"]'); return i && i.complete && i.naturalWidth > 0; });
        await save('phone-canteen-card');
        await page.close();
        ({ page } = await b.newPage({ viewport: VIEW }));
        await signIn(page, srv.url, 'canteen_manager', 'Bureau-demo-2026', '#/canteen/cashier');
        const ctCard = (await admin.get('/api/v1/meal_accounts?kind=person&status=active&limit=1')).body.items[0];
        await page.locator(`${sel('ct-find')} input, input${sel('ct-find')}`).first().fill(ctCard.card_no);
        await page.locator(sel('ct-find-go')).click();
        await page.locator(sel('ct-found')).first().click();
        await page.locator(sel('ct-account')).waitFor();
        await save('canteen-cashier');
        await goHash(page, '#/canteen/readers');
        await page.locator(sel('ct-issue')).first().waitFor();
        await save('canteen-readers');
        await page.close();

        // procurement, the sealed bids: the supplier portal on a phone (a bid being sealed, then
        // its receipt checked), an official's share shown once, the opening ceremony
        {
            const sqlShell = require('../api/lib/matrix').sqlShell;
            const pcSql = (q) => sqlShell(srv, q).trim();
            // an agency purchase (1,250,000 yuan) moved by the lifecycle's steps: created and
            // submitted by the procurement manager, approved by the leader, sealed, published, bidding
            const pcPm = api(srv.url, { username: 'procurement_manager', password: 'Bureau-demo-2026' });
            const leader = api(srv.url, { username: 'leader', password: 'Bureau-demo-2026' });
            await pcPm.login();
            await leader.login();
            const pcStep = async (c, id, step, body = {}) => {
                const r = await c.post(`/api/v1/procurement_projects/${id}/${step}`, body);
                if (r.status !== 200) throw new Error(`${step}: ${r.status} ${r.text}`);
                return r.body;
            };
            const pcDept = (await admin.get('/api/v1/departments?limit=5')).body.items[1].id;
            const users = {};
            for (const u of ['staff', 'leader']) users[u] = (await admin.get(`/api/v1/users?username=${u}`)).body.items[0].id;
            const pc = (await pcPm.post('/api/v1/procurement_projects', { name: '区政务服务中心办公家具采购', category: 'goods', budget_fen: 125000000, department_id: pcDept })).body;
            await pcStep(pcPm, pc.id, 'submit');
            await pcStep(leader, pc.id, 'approve');
            const pcSeal = (await pcPm.post(`/api/v1/procurement_projects/${pc.id}/seal`, { k: 2, officials: [users.staff, users.leader] })).body;
            await pcStep(pcPm, pc.id, 'publish');
            const pcIso = (t) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');
            const pcDeadline = Math.floor(Date.now() / 1000) + 7 * 86400;
            await pcStep(pcPm, pc.id, 'open_bidding', { documents_issued_at: pcIso(pcDeadline - 20 * 86400), bid_deadline: pcIso(pcDeadline) });
            ({ page } = await b.newPage({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 1 }));
            await signIn(page, srv.url, 'supplier', 'Bureau-demo-2026', '#/procure/portal');
            await page.locator(sel('pc-project'), { hasText: pc.name }).locator(sel('pc-bid')).click();
            await page.locator(`${sel('pc-price')} input`).fill('1186500.00');
            await page.locator(`${sel('pc-technical')} textarea, textarea${sel('pc-technical')}`).first().fill('办公桌椅128套，E1级板材，交付期30天，质保5年');
            await save('phone-procure-portal', { fullPage: true });
            await page.locator(sel('pc-submit')).click();
            await page.locator(sel('pc-receipt')).waitFor();
            await page.locator(sel('pc-verify')).click();
            await page.locator(sel('pc-verified')).waitFor();
            await save('phone-procure-receipt', { fullPage: true });
            await page.close();
            ({ page } = await b.newPage({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 1 }));
            await signIn(page, srv.url, 'staff', 'Bureau-demo-2026', '#/procure/shares');
            await page.locator(sel('pc-share-row'), { hasText: pc.name }).locator(sel('pc-take')).click();
            await page.locator('.el-message-box button.el-button--primary').click();
            await page.locator(sel('pc-share-text')).waitFor();
            const pcShare1 = (await page.locator(sel('pc-share-text')).innerText()).trim();
            await save('phone-procure-share', { fullPage: true });
            await page.close();
            const pcShare2 = (await leader.post(`/api/v1/bid_seals/${pcSeal.id}/take`, {})).body.share;
            pcSql(`UPDATE procurement_projects SET bid_deadline = ${Math.floor(Date.now() / 1000) - 60} WHERE id = ${pc.id}`);
            ({ page } = await b.newPage({ viewport: VIEW }));
            await signIn(page, srv.url, 'procurement_manager', 'Bureau-demo-2026', '#/procure/opening');
            await pickOption(page, '#pc-seal', `${pc.name}（2/2）`);
            const pcInputs = page.locator(`${sel('pc-share-input')} textarea, textarea${sel('pc-share-input')}`);
            await pcInputs.nth(0).fill(pcShare1);
            await pcInputs.nth(1).fill(pcShare2);
            await page.locator(sel('pc-open')).click();
            await page.locator(sel('pc-opened')).waitFor();
            await save('procure-opening');
            await page.close();
        }
        // procurement: the projects, a project's timeline, the savings report
        ({ page } = await b.newPage({ viewport: VIEW }));
        await signIn(page, srv.url, 'procurement_manager', 'Bureau-demo-2026', '#/procure/projects');
        await page.locator(sel('pc-link')).first().waitFor();
        await save('procure-projects');
        const pcClosed = (await admin.get('/api/v1/procurement_projects?status=closed&limit=1')).body.items[0];
        await goHash(page, `#/c/procurement_projects/${pcClosed.id}`);
        await page.locator(sel('pc-timeline')).waitFor();
        await save('procure-project', { fullPage: true });
        await goHash(page, '#/procure/savings');
        await page.locator(`${sel('pc-savings-chart')} canvas, ${sel('pc-savings-chart')} svg`).first().waitFor();
        await save('procure-savings');
        await page.close();

        // stocktakes: a label found in another room on a phone, and last year's result
        const stocktake = (await admin.get('/api/v1/stocktakes?status=in_progress&limit=1')).body.items[0];
        const stResult = (await admin.get(`/api/v1/stocktakes/${stocktake.id}/result`)).body;
        const stLine = stResult.lines.pending[0];
        const elsewhere = Object.keys(stResult.names.rooms).map(Number).find((id) => id !== stLine.expected_room_id);
        ({ page } = await b.newPage({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 1 }));
        await signIn(page, srv.url, 'assets_manager', 'Bureau-demo-2026', `#/assets/stocktakes/${stocktake.id}`);
        await page.locator(sel('st-session-page')).waitFor();
        await pickOption(page, '#st-room', stResult.names.rooms[elsewhere]);
        await page.locator(`input${sel('st-code')}, ${sel('st-code')} input`).first().fill(stLine.code);
        await page.locator(sel('st-code-submit')).click();
        await page.locator(sel('st-answer')).waitFor();
        await save('phone-stocktake', { fullPage: true });
        const lastYear = (await admin.get('/api/v1/stocktakes?status=finished&limit=1')).body.items[0];
        await goHash(page, `#/assets/stocktakes/${lastYear.id}/result`);
        await page.locator(sel('st-summary')).waitFor();
        await save('phone-stocktake-result');
        await page.close();

        // fixed assets: the pool's gallery on a liaison's phone, the manager's queue, a disposal awaiting a leader
        ({ page } = await b.newPage({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 1 }));
        await signIn(page, srv.url, 'liaison', 'Bureau-demo-2026', '#/assets/pool');
        await page.locator(sel('as-pool-card')).first().waitFor();
        await save('phone-assets-pool');
        await page.close();

        ({ page } = await b.newPage({ viewport: VIEW }));
        await signIn(page, srv.url, 'assets_manager', 'Bureau-demo-2026', '#/assets/pool/queue');
        await page.locator(`${sel('as-queue-table')} tr.el-table__row`).first().waitFor();
        await save('assets-pool-queue');
        const waiting = (await admin.get('/api/v1/asset_disposals?status=submitted')).body.items[0];
        await goHash(page, `#/c/asset_disposals/${waiting.id}`);
        await page.locator(`${sel('as-d-items')} tr.el-table__row`).first().waitFor();
        await save('assets-disposal');
        await page.close();

        // canteens: the reconciliation, the subsidies, the manager's day; a card's statement on a phone
        ({ page } = await b.newPage({ viewport: VIEW }));
        await signIn(page, srv.url, 'canteen_manager', 'Bureau-demo-2026', '#/canteen/finance');
        await page.locator(`${sel('ct-recon-chart')} svg`).first().waitFor();
        await save('canteen-reconciliation');
        await goHash(page, '#/canteen/subsidies');
        await page.locator(sel('ct-sub-people')).waitFor();
        await save('canteen-subsidies');
        await goHash(page, '#/canteen/today');
        await page.locator(sel('ct-today-diners')).waitFor();
        await save('canteen-today');
        await page.close();
        ({ page } = await b.newPage({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 1 }));
        await signIn(page, srv.url, 'staff', 'Bureau-demo-2026', '#/canteen/statement');
        await page.locator(sel('ct-st-closing')).waitFor();
        await save('phone-canteen-statement');
        await page.close();

        // procurement committee: the draws (counts only until publication), the evaluation
        // results with the ranking; the demo expert's invitations and scoring sheet on a phone
        ({ page } = await b.newPage({ viewport: VIEW }));
        await signIn(page, srv.url, 'procurement_manager', 'Bureau-demo-2026', '#/procure/draws');
        await page.locator(sel('pc-draw')).first().waitFor();
        await save('procure-draws');
        await goHash(page, '#/procure/evaluation');
        await page.locator(sel('pc-ranking')).waitFor();
        await save('procure-evaluation');
        await page.close();
        ({ page } = await b.newPage({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 1 }));
        await signIn(page, srv.url, 'expert', 'Bureau-demo-2026', '#/procure/expert');
        await page.locator(sel('pc-open-sheet')).first().click();
        await page.locator(sel('pc-bid')).first().waitFor();
        await save('phone-procure-expert');
        await page.close();

        ({ page } = await b.newPage({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 1 }));
        await signIn(page, srv.url, 'admin', ADMIN_PASSWORD);
        await page.locator(`${sel('card-org-counts')} svg`).first().waitFor();
        await save('phone-dashboard');
        await goHash(page, `#/c/people?department_id=${dept.id}`);
        await rowsOf(page).first().waitFor();
        await save('phone-list');
        const p = (await admin.get('/api/v1/people?staff_no=LG260001')).body.items[0];
        await goHash(page, `#/c/people/${p.id}`);
        await page.locator(`${sel('history')} .el-timeline-item`).first().waitFor();
        await save('phone-detail');
    } finally {
        await b.close();
        await srv.stop();
    }
    for (const w of written) console.log(w);
    if (b.errors.length) console.log('browser errors:\n' + b.errors.join('\n'));
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
