// Office space reports (#/space/reports?building_id=&tab=&year=): the
// over-standard totals and a chart by department (GET
// /api/v1/space/over_standard), departments' office area against their
// entitlement (/space/departments), the people and rooms over the standard,
// vacant rooms (/space/vacancies), offices to recover (/space/recovery,
// overdue ones highlighted), the administrative level (POST
// /api/v1/space/level_change: the people whose limits a new level changes,
// listed with each held rank mapped to a rank of the new level, before it is
// applied), and the downloads: the ledger (XLSX) and the yearly publicity
// list (CSV, XLSX).
import { defineComponent, h, ref, computed, onMounted } from 'vue';
import { ElAlert, ElSkeleton, ElTabs, ElTabPane, ElSelect, ElOption, ElEmpty, ElTag, ElButton } from 'element-plus';
import { Download } from '@element-plus/icons-vue';
import { t } from '../../lib/i18n.js';
import { api, API, queryString, problemText, fetchAll } from '../../lib/api.js';
import { route, replace, href } from '../../lib/router.js';
import { state, can, collection } from '../../lib/session.js';
import { enumText } from '../../lib/fields.js';
import { chartCard } from '../../components/chart.js';
import { area, loadBuildings, buildings } from './common.js';
import { pageHead } from '../../components/page-head.js';
import { linkButton } from '../../components/link-button.js';

const RED = '#b91c1c', BLUE = '#1d4ed8', GREEN = '#15803d';
const n2 = (v) => Number(v || 0).toFixed(2);

export const ReportsView = defineComponent({
  name: 'SpaceReportsView',
  setup() {
    const thisYear = new Date().getFullYear();
    const building = ref(route.query.building_id ? Number(route.query.building_id) : null);
    const tab = ref(route.query.tab || 'people');
    const year = ref(Number(route.query.year) || thisYear);
    const over = ref(null);
    const depts = ref(null);
    const vacant = ref(null);
    const recovery = ref(null);
    const error = ref(null);
    let seq = 0;
    state.crumb = null;

    function address() {
      replace('/space/reports', { building_id: building.value, tab: tab.value === 'people' ? null : tab.value, year: year.value === thisYear ? null : year.value });
    }

    async function load() {
      const mine = ++seq;
      error.value = null;
      const q = building.value ? { building_id: building.value } : {};
      const get = (p, query) => api('GET', p, { query }).catch((e) => { if (mine === seq && !error.value) error.value = e; return null; });
      const [o, d, v, r] = await Promise.all([
        get('/space/over_standard', q), get('/space/departments', {}), get('/space/vacancies', q), get('/space/recovery', {}),
      ]);
      if (mine !== seq) return;
      over.value = o; depts.value = d; vacant.value = v; recovery.value = r;
    }
    onMounted(() => { loadBuildings().catch(() => {}); load(); });

    function setBuilding(b) { building.value = b || null; address(); load(); }
    function setTab(x) { tab.value = x; address(); }
    function setYear(y) { year.value = y; address(); }

    const years = computed(() => Array.from({ length: 6 }, (_, i) => thisYear - i));
    const ledgerHref = computed(() => `${API}/space/ledger.xlsx`);
    const pubHref = (ext) => `${API}/space/publicity.${ext}${queryString({ year: year.value })}`;

    const base = { animation: false, tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } }, legend: { top: 0 }, grid: { left: 8, right: 56, top: 32, bottom: 8, containLabel: true } };
    function overChart(o) {
      const g = o.by_department.slice().sort((a, b) => b.excess_m2 - a.excess_m2).slice(0, 15);
      return {
        ...base,
        yAxis: { type: 'category', inverse: true, data: g.map((x) => x.name) },
        xAxis: { type: 'value', name: 'm²', nameGap: 4, splitNumber: 4, axisLabel: { hideOverlap: true } },
        series: [{ name: t('sp.excess'), type: 'bar', data: g.map((x) => Number(x.excess_m2)), itemStyle: { color: RED }, barMaxWidth: 16, label: { show: true, position: 'right', formatter: (p) => n2(p.value) } }],
      };
    }
    function deptChart(d) {
      const g = d.items.filter((x) => x.office_area_m2 > 0 || x.entitlement_m2 > 0).sort((a, b) => b.office_area_m2 - a.office_area_m2).slice(0, 15);
      return {
        ...base,
        yAxis: { type: 'category', inverse: true, data: g.map((x) => x.department) },
        xAxis: { type: 'value', name: 'm²', nameGap: 4, splitNumber: 4, axisLabel: { hideOverlap: true } },
        series: [
          { name: t('sp.officeArea'), type: 'bar', data: g.map((x) => Number(x.office_area_m2)), itemStyle: { color: BLUE }, barMaxWidth: 12 },
          { name: t('sp.entitlement'), type: 'bar', data: g.map((x) => Number(x.entitlement_m2)), itemStyle: { color: GREEN }, barMaxWidth: 12 },
        ],
      };
    }

    function kpis(o) {
      const tt = o.totals;
      const k = (key, text, value, bad) => h('div', { key, class: bad ? 'is-bad' : '', 'data-test': 'sp-total-' + key }, [h('dt', text), h('dd', value)]);
      return h('dl', { class: 'sp-kpis mb', 'data-test': 'sp-totals' }, [
        k('assessed', t('sp.assessed'), String(tt.assessed)),
        k('people', t('sp.overPeople'), String(tt.people), tt.people > 0),
        k('excess', t('sp.overPeopleArea'), area(tt.excess_m2), tt.excess_m2 > 0),
        k('rooms', t('sp.overRoomsCount'), String(tt.rooms), tt.rooms > 0),
        k('room_excess', t('sp.overRoomsArea'), area(tt.room_excess_m2), tt.room_excess_m2 > 0),
      ]);
    }

    // A plain table: columns [{key, label, cell(row), num}], rows, data-test, row attributes.
    function table(cols, rows, test, rowAttrs = () => ({}), foot = null) {
      if (!rows.length) return h(ElEmpty, { description: t('sp.none'), imageSize: 48, 'data-test': test + '-empty' });
      return h('div', { class: 'table-scroll' }, h('table', { class: 'report-table sp-table', 'data-test': test }, [
        h('thead', h('tr', cols.map((c, i) => h('th', { scope: 'col', key: c.key, class: c.num ? 'num' : undefined }, c.label)))),
        h('tbody', rows.map((r, i) => h('tr', { key: i, ...rowAttrs(r) }, cols.map((c, j) => h(j === 0 ? 'th' : 'td', { key: c.key, scope: j === 0 ? 'row' : undefined, class: c.wrap ? 'wrap' : c.num ? 'num' : undefined, 'data-col': c.key }, c.cell(r)))))),
        foot ? h('tfoot', h('tr', cols.map((c, j) => h(j === 0 ? 'th' : 'td', { key: c.key, scope: j === 0 ? 'row' : undefined, class: c.num ? 'num' : undefined, 'data-col': c.key }, foot[c.key] ?? '')))) : null,
      ]));
    }

    const roomLink = (id, text) => (can('rooms', 'read') ? h('a', { href: href('/c/rooms/' + id) }, text) : text);

    function peopleTable(o) {
      return table([
        { key: 'name', label: t('sp.name'), cell: (x) => x.name },
        { key: 'department', label: t('sp.department'), cell: (x) => x.department || '—' },
        { key: 'rank', label: t('sp.rank'), cell: (x) => x.rank || '—' },
        { key: 'room', label: t('sp.room'), cell: (x) => roomLink(x.room_id, `${x.building} ${x.room}`) },
        { key: 'occupants', num: true, label: t('sp.sharing'), cell: (x) => String(x.occupants) },
        { key: 'area', num: true, label: t('sp.areaEach'), cell: (x) => area(x.area_m2) },
        { key: 'limit', num: true, label: t('sp.limit'), cell: (x) => area(x.limit_m2) },
        { key: 'excess', num: true, label: t('sp.excess'), cell: (x) => h('span', { class: 'sp-over-text' }, area(x.excess_m2)) },
        { key: 'override', label: t('sp.overrideReason'), wrap: true, cell: (x) => x.override_reason || '' },
      ], o.people, 'sp-over-people', (x) => ({ 'data-test': 'sp-over-person', 'data-assignment': x.assignment_id }),
      { name: t('sp.totalN', { n: o.totals.people }), excess: area(o.totals.excess_m2) });
    }
    function roomsTable(o) {
      return table([
        { key: 'room', label: t('sp.room'), cell: (x) => roomLink(x.room_id, `${x.building} ${x.room}`) },
        { key: 'area', num: true, label: t('sp.area'), cell: (x) => area(x.area_m2) },
        { key: 'occupants', num: true, label: t('sp.occupantsN'), cell: (x) => String(x.occupants) },
        { key: 'limit', num: true, label: t('sp.limitSum'), cell: (x) => area(x.limit_m2) },
        { key: 'excess', num: true, label: t('sp.excess'), cell: (x) => h('span', { class: 'sp-over-text' }, area(x.excess_m2)) },
      ], o.rooms, 'sp-over-rooms', (x) => ({ 'data-test': 'sp-over-room', 'data-room': x.room_id }),
      { room: t('sp.totalN', { n: o.totals.rooms }), excess: area(o.totals.room_excess_m2) });
    }
    function deptTable(d) {
      const tt = d.totals || {};
      return table([
        { key: 'department', label: t('sp.department'), cell: (x) => x.department },
        { key: 'headcount', num: true, label: t('sp.establishment'), cell: (x) => (x.headcount == null ? '—' : String(x.headcount)) },
        { key: 'people', num: true, label: t('sp.activePeople'), cell: (x) => String(x.people) },
        { key: 'with_office', num: true, label: t('sp.withOffice'), cell: (x) => String(x.with_office) },
        { key: 'office', num: true, label: t('sp.officeArea'), cell: (x) => area(x.office_area_m2) },
        { key: 'entitlement', num: true, label: t('sp.entitlement'), cell: (x) => area(x.entitlement_m2) },
        { key: 'excess', num: true, label: t('sp.excess'), cell: (x) => (x.excess_m2 > 0 ? h('span', { class: 'sp-over-text' }, area(x.excess_m2)) : area(0)) },
        { key: 'other', num: true, label: t('sp.otherRooms'), cell: (x) => area(x.other_rooms_m2) },
      ], d.items, 'sp-departments', (x) => ({ 'data-test': 'sp-department', 'data-id': x.department_id, class: x.excess_m2 > 0 ? 'is-over' : '' }),
      { department: t('sp.total'), people: tt.people != null ? String(tt.people) : '', office: area(tt.office_area_m2), entitlement: area(tt.entitlement_m2), other: area(tt.other_rooms_m2) });
    }
    function vacancyTable(v) {
      return table([
        { key: 'room', label: t('sp.room'), cell: (x) => roomLink(x.room_id, x.room) },
        { key: 'building', label: t('sp.building'), cell: (x) => x.building },
        { key: 'floor', label: t('sp.floor'), cell: (x) => (can('floors', 'read') ? h('a', { href: href('/space/floor', { building_id: x.building_id, floor_id: x.floor_id }) }, x.floor) : x.floor) },
        { key: 'use', label: t('sp.use'), cell: (x) => enumText('rooms', 'use_type', x.use_type) },
        { key: 'area', num: true, label: t('sp.area'), cell: (x) => area(x.area_m2) },
      ], v.items, 'sp-vacancies', (x) => ({ 'data-test': 'sp-vacancy', 'data-room': x.room_id }),
      { room: t('sp.totalN', { n: v.items.length }), area: area(v.items.reduce((s, x) => s + Number(x.area_m2 || 0), 0)) });
    }
    function recoveryTable(r) {
      const rows = r.items.slice().sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.recovery_due.localeCompare(b.recovery_due));
      return table([
        { key: 'name', label: t('sp.name'), cell: (x) => x.name || '—' },
        { key: 'department', label: t('sp.department'), cell: (x) => x.department || '—' },
        { key: 'room', label: t('sp.room'), cell: (x) => roomLink(x.room_id, `${x.building} ${x.room}`) },
        { key: 'reason', label: t('sp.recoveryReason'), cell: (x) => enumText('room_assignments', 'recovery_reason', x.recovery_reason) },
        { key: 'since', label: t('sp.from'), cell: (x) => x.start_date },
        { key: 'due', label: t('sp.recoverBy'), cell: (x) => h('span', [x.recovery_due, x.overdue ? h(ElTag, { type: 'danger', size: 'small', effect: 'dark', class: 'sp-overdue-tag', disableTransitions: true }, () => t('sp.overdue')) : null]) },
      ], rows, 'sp-recovery', (x) => ({ 'data-test': 'sp-recovery-row', 'data-overdue': x.overdue ? 'true' : 'false', class: x.overdue ? 'is-overdue' : '' }));
    }

    // ---- the administrative level: listed first, then applied ----
    const LEVELS = ['central', 'provincial', 'municipal', 'county'];
    const mayLevel = computed(() => can('tenants', 'update') && can('people', 'update'));
    const lvTo = ref(null);
    const lvMap = ref({});
    const lvPreview = ref(null);
    const lvError = ref(null);
    const lvBusy = ref(false);
    const lvRanks = ref([]);
    async function levelPost(apply) {
      lvError.value = null;
      lvBusy.value = true;
      try {
        const body = { admin_level: lvTo.value, rank_map: lvMap.value };
        if (apply) body.apply = true;
        const res = await api('POST', '/space/level_change', { body });
        lvPreview.value = res;
        if (apply) { lvMap.value = {}; load(); }
      } catch (e) {
        lvError.value = e;
      } finally {
        lvBusy.value = false;
      }
    }
    async function setLevel(x) {
      lvTo.value = x;
      lvMap.value = {};
      lvPreview.value = null;
      if (!lvRanks.value.length) lvRanks.value = await fetchAll('ranks', { sort: 'sort_order' }, Infinity).catch(() => []);
      if (x) levelPost(false);
    }
    function mapRank(from, to) {
      const m = { ...lvMap.value };
      if (to) m[from] = to; else delete m[from];
      lvMap.value = m;
      levelPost(false);
    }
    function levelTab(o) {
      const pv = lvPreview.value;
      const targets = lvRanks.value.filter((k) => k.level === lvTo.value);
      const held = pv ? [...pv.unmapped, ...Object.keys(lvMap.value).map((id) => {
        const k = lvRanks.value.find((x) => x.id === Number(id));
        return { rank_id: Number(id), rank: k ? k.name : id, level: k ? k.level : '', mapped: true };
      })] : [];
      return h('div', { class: 'sp-level', 'data-test': 'sp-level' }, [
        h('p', { class: 'hint' }, t('sp.levelHint', { level: o ? enumText('ranks', 'level', o.level) : '' })),
        h('div', { class: 'filter-bar' }, h('div', { class: 'filter-item' }, [
          h('label', { class: 'filter-label', for: 'sp-level-to' }, t('sp.levelTo')),
          h(ElSelect, { id: 'sp-level-to', modelValue: lvTo.value, clearable: true, class: 'w-full', 'data-test': 'sp-level-to', ariaLabel: t('sp.levelTo'), 'onUpdate:modelValue': setLevel },
            () => LEVELS.map((x) => h(ElOption, { key: x, value: x, label: enumText('ranks', 'level', x) }))),
        ])),
        lvError.value ? h(ElAlert, { type: 'error', showIcon: true, closable: false, title: problemText(lvError.value, collection('tenants')), class: 'mb', 'data-test': 'sp-level-error' }) : null,
        held.length ? table([
          { key: 'rank', label: t('sp.levelHeldRank'), cell: (x) => `${x.rank} (${enumText('ranks', 'level', x.level)})` },
          { key: 'people', num: true, label: t('sp.levelPeople'), cell: (x) => (x.people != null ? String(x.people) : '') },
          { key: 'to', label: t('sp.levelMapTo'), cell: (x) => h(ElSelect, { modelValue: lvMap.value[x.rank_id] || null, clearable: true, size: 'small', placeholder: t('sp.levelNoMap'), ariaLabel: `${t('sp.levelMapTo')} ${x.rank}`, 'data-test': 'sp-level-map', 'onUpdate:modelValue': (v) => mapRank(x.rank_id, v) },
            () => targets.map((k) => h(ElOption, { key: k.id, value: k.id, label: k.name }))) },
        ], held, 'sp-level-ranks') : null,
        pv ? [
          h('p', { 'data-test': 'sp-level-count' }, t('sp.levelCount', { n: pv.count })),
          table([
            { key: 'name', label: t('sp.name'), cell: (x) => x.name },
            { key: 'department', label: t('sp.department'), cell: (x) => x.department || '—' },
            { key: 'rank', label: t('sp.rank'), cell: (x) => x.rank || '—' },
            { key: 'limit', num: true, label: t('sp.limit'), cell: (x) => area(x.limit_m2) },
            { key: 'new_rank', label: t('sp.levelNewRank'), cell: (x) => x.new_rank || '—' },
            { key: 'new_limit', num: true, label: t('sp.levelNewLimit'), cell: (x) => (x.other_tier ? t('sp.otherTier') : area(x.new_limit_m2)) },
          ], pv.changes.slice(0, 200), 'sp-level-changes', (x) => ({ 'data-test': 'sp-level-change', 'data-person': x.person_id })),
          pv.applied ? h(ElAlert, { type: 'success', showIcon: true, closable: false, title: t('sp.levelApplied'), 'data-test': 'sp-level-applied' })
            : h(ElButton, { type: 'warning', loading: lvBusy.value, 'data-test': 'sp-level-apply', onClick: () => levelPost(true) }, () => t('sp.levelApply', { n: pv.count })),
        ] : null,
      ]);
    }

    function downloads() {
      const a = (hrefValue, text, test) => linkButton(hrefValue, text, { icon: Download, download: true, test });
      return h('div', { class: 'sp-downloads', 'data-test': 'sp-downloads' }, [
        can('rooms', 'export') ? a(ledgerHref.value, t('sp.ledgerXlsx'), 'sp-ledger-xlsx') : null,
        can('room_assignments', 'export') ? [
          h('label', { class: 'sr-only', for: 'sp-year' }, t('sp.publicityYear')),
          h(ElSelect, { id: 'sp-year', modelValue: year.value, class: 'sp-year', 'data-test': 'sp-year', ariaLabel: t('sp.publicityYear'), 'onUpdate:modelValue': setYear },
            () => years.value.map((y) => h(ElOption, { key: y, value: y, label: t('sp.yearN', { y }) }))),
          a(pubHref('csv'), t('sp.publicityCsv'), 'sp-publicity-csv'),
          a(pubHref('xlsx'), t('sp.publicityXlsx'), 'sp-publicity-xlsx'),
        ] : null,
      ]);
    }

    return () => {
      const o = over.value, d = depts.value, v = vacant.value, r = recovery.value;
      return h('section', { class: 'page sp-page sp-reports', 'data-test': 'sp-reports' }, [
        pageHead(t('sp.reportsTitle'), downloads()),
        h('div', { class: 'filter-bar' }, h('div', { class: 'filter-item' }, [
          h('label', { class: 'filter-label', for: 'sp-report-building' }, t('sp.building')),
          h(ElSelect, {
            id: 'sp-report-building', modelValue: building.value, clearable: true, placeholder: t('sp.allBuildings'), class: 'w-full',
            'data-test': 'sp-report-building', ariaLabel: t('sp.building'), 'onUpdate:modelValue': setBuilding,
          }, () => buildings.value.map((b) => h(ElOption, { key: b.id, value: b.id, label: b.name }))),
        ])),
        error.value ? h(ElAlert, { type: 'error', showIcon: true, closable: false, title: problemText(error.value, collection('room_assignments')), class: 'mb', 'data-test': 'sp-report-error' }) : null,
        o ? [h('p', { class: 'hint' }, t('sp.asOf', { date: o.as_of, level: enumText('ranks', 'level', o.level) })), kpis(o)] : error.value ? null : h(ElSkeleton, { rows: 3, animated: true }),
        h('div', { class: 'dash-grid report-grid' }, [
          o ? chartCard(t('sp.chartOver'), overChart(o), Math.max(160, Math.min(15, o.by_department.length) * 28 + 56), 'sp-chart-over') : null,
          d ? chartCard(t('sp.chartDepartments'), deptChart(d), 15 * 34 + 56, 'sp-chart-departments') : null,
        ]),
        h('h2', { class: 'section-title' }, t('sp.tables')),
        h(ElTabs, { modelValue: tab.value, 'onUpdate:modelValue': setTab, 'data-test': 'sp-report-tabs' }, () => [
          h(ElTabPane, { name: 'people', label: t('sp.tabOverPeople') }, () => (o ? peopleTable(o) : h(ElSkeleton, { rows: 3 }))),
          h(ElTabPane, { name: 'rooms', label: t('sp.tabOverRooms') }, () => (o ? roomsTable(o) : h(ElSkeleton, { rows: 3 }))),
          h(ElTabPane, { name: 'departments', label: t('sp.tabDepartments') }, () => (d ? deptTable(d) : h(ElSkeleton, { rows: 3 }))),
          h(ElTabPane, { name: 'vacancies', label: t('sp.tabVacancies') }, () => (v ? vacancyTable(v) : h(ElSkeleton, { rows: 3 }))),
          h(ElTabPane, { name: 'recovery', label: t('sp.tabRecovery') }, () => (r ? recoveryTable(r) : h(ElSkeleton, { rows: 3 }))),
          mayLevel.value ? h(ElTabPane, { name: 'level', label: t('sp.tabLevel') }, () => levelTab(o)) : null,
        ]),
      ]);
    };
  },
});
