// A vehicle's page (the detail view of vehicles): the register, its state,
// insurance and inspection dates (highlighted within 30 days, red once
// passed), the last twelve months' figures (GET …/vehicles/{id}/figures:
// costs by month stacked by kind, kilometres, trips, cost per kilometre and
// utilisation, counted as the monthly report counts them), the trip history
// and the latest costs; send to repair / back from repair.
import { defineComponent, h, ref, computed, onMounted } from 'vue';
import {
  ElButton, ElAlert, ElSkeleton, ElDescriptions, ElDescriptionsItem, ElCard, ElTable, ElTableColumn, ElEmpty, ElTabs, ElTabPane,
} from 'element-plus';
import { Back, Edit } from '@element-plus/icons-vue';
import { t, label } from '../../lib/i18n.js';
import { api } from '../../lib/api.js';
import { go, href } from '../../lib/router.js';
import { state, can, field, rememberTitle, titleKey, noteOffset, resolveTitles } from '../../lib/session.js';
import { formatDatetime, formatMoney, formatValue } from '../../lib/fields.js';
import { phone } from '../../components/layout.js';
import { Chart } from '../dashboard.js';
import { AskDialog } from '../servicedesk/common.js';
import {
  RQ, TRIPS, VEH, COSTS, statusTag, enumText, today, driverName, resolveNames, translated,
  problemText,
} from './common.js';

const KINDS = ['fuel', 'repair', 'maintenance', 'insurance', 'inspection', 'tolls', 'parking', 'other'];
const COLOURS = ['#b91c1c', '#1d4ed8', '#15803d', '#b45309', '#7c3aed', '#0f766e', '#be185d', '#4b5563'];
const SOON_DAYS = 30;

// days from today to a date (negative once passed)
function daysTo(ymd) {
  return Math.round((Date.parse(ymd + 'T00:00:00Z') - Date.parse(today() + 'T00:00:00Z')) / 86400000);
}

export function expiryNode(ymd, test) {
  if (!ymd) return h('span', { class: 'muted', 'data-test': test }, '—');
  const n = daysTo(ymd);
  const state_ = n < 0 ? 'over' : n <= SOON_DAYS ? 'soon' : 'ok';
  return h('span', { class: ['fl-expiry', 'is-' + state_], 'data-test': test, 'data-expiry': state_ }, [
    ymd,
    state_ === 'over' ? h('span', { class: 'fl-expiry-mark' }, t('fl.expired', { n: -n }))
      : state_ === 'soon' ? h('span', { class: 'fl-expiry-mark' }, t('fl.expiresIn', { n })) : null,
  ]);
}

export const VehicleView = defineComponent({
  name: 'VehicleView',
  props: { c: String, id: [String, Number] },
  setup(props) {
    const rec = ref(null);
    const error = ref(null);
    const costs = ref(null);
    const figs = ref(null);
    const history = ref(null);
    const requests = ref({});
    const dialog = ref(null);
    const tab = ref('trips');
    state.crumb = null;

    async function loadFigures(v) {
      const jobs = [];
      if (can(COSTS, 'read')) {
        jobs.push(api('GET', `/${VEH}/${v.id}/figures`, { query: { months: 12 } })
          .then((x) => { figs.value = x; }).catch(() => { figs.value = { months: [], total: null }; }));
        jobs.push(api('GET', '/' + COSTS, { query: { vehicle_id: v.id, sort: '-incurred_on', limit: 50 } })
          .then((x) => { costs.value = x.items; }).catch(() => { costs.value = []; }));
      }
      if (can(TRIPS, 'read')) {
        jobs.push(api('GET', '/' + TRIPS, { query: { vehicle_id: v.id, sort: '-id', limit: 20 } }).then(async (x) => {
          const ids = x.items.map((tr) => tr.request_id);
          if (ids.length && can(RQ, 'read')) {
            const rs = await api('GET', '/' + RQ, { query: { 'id[in]': ids.join(','), limit: ids.length } }).catch(() => ({ items: [] }));
            requests.value = Object.fromEntries(rs.items.map((r) => [r.id, r]));
          }
          await resolveNames(x.items);
          history.value = x.items;
        }).catch(() => { history.value = []; }));
      }
      await Promise.all(jobs);
    }

    async function load() {
      error.value = null;
      try {
        const v = await api('GET', `/${VEH}/${props.id}`);
        noteOffset(v.created_at);
        rememberTitle(VEH, v);
        state.crumb = v.plate;
        rec.value = v;
        if (v.department_id) resolveTitles('departments', [v.department_id]);
        if (v.replaces_id) resolveTitles(VEH, [v.replaces_id]);
        loadFigures(v);
      } catch (e) {
        error.value = e;
      }
    }
    onMounted(load);

    const chartOption = computed(() => {
      const months = figs.value ? figs.value.months : [];
      return {
        animation: false,
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => '¥' + Number(v).toFixed(2) },
        legend: { top: 0, type: 'scroll' },
        grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
        xAxis: { type: 'category', data: months.map((m) => m.month) },
        yAxis: { type: 'value', axisLabel: { formatter: (v) => '¥' + v } },
        series: KINDS.filter((k) => months.some((m) => m.costs[k])).map((k) => ({
          name: enumText(COSTS, 'kind', k), type: 'bar', stack: 'cost', barMaxWidth: 28,
          itemStyle: { color: COLOURS[KINDS.indexOf(k)] },
          data: months.map((m) => m.costs[k] / 100),
        })),
      };
    });

    function askRepair() {
      dialog.value = {
        title: t('fl.repairTitle'), test: 'fl-repair-dialog', submitText: t('fl.sendToRepair'),
        fields: [{ name: 'note', label: t('fl.repairNote'), rows: 3, max: 500 }],
        run: (v) => translated(api('POST', `/${VEH}/${props.id}/repair`, { body: v.note.trim() ? { note: v.note.trim() } : {} })),
      };
    }
    async function repaired() {
      dialog.value = {
        title: t('fl.repairedTitle'), test: 'fl-repaired-dialog', submitText: t('fl.backFromRepair'),
        fields: [{ name: 'note', label: t('fl.repairNote'), rows: 2, max: 500 }],
        run: (v) => translated(api('POST', `/${VEH}/${props.id}/repaired`, { body: v.note.trim() ? { note: v.note.trim() } : {} })),
      };
    }

    function toolbar(v) {
      const b = [h(ElButton, { icon: Back, 'data-test': 'back', onClick: () => go('/c/' + VEH) }, () => t('detail.backToList'))];
      if (can(VEH, 'update')) b.push(h(ElButton, { icon: Edit, 'data-test': 'edit', onClick: () => go(`/c/${VEH}/${v.id}/edit`) }, () => t('common.edit')));
      if (can(VEH, 'repair') && v.status === 'available') b.push(h(ElButton, { 'data-test': 'fl-repair', onClick: askRepair }, () => t('fl.sendToRepair')));
      if (can(VEH, 'repaired') && v.status === 'in_repair') b.push(h(ElButton, { type: 'primary', 'data-test': 'fl-repaired', onClick: repaired }, () => t('fl.backFromRepair')));
      return h('div', { class: 'toolbar' }, b);
    }

    function facts(v) {
      const F = (n) => field(VEH, n);
      const item = (n, node) => (F(n) ? h(ElDescriptionsItem, { label: label(F(n)) }, () => h('span', { 'data-test': 'value-' + n }, [node])) : null);
      const plain = (n) => item(n, v[n] == null || v[n] === '' ? '—' : formatValue(F(n), v[n]));
      const years = v.registered_on ? Math.floor(-daysTo(v.registered_on) / 365.25) : null;
      return h(ElDescriptions, { column: phone.value ? 1 : 3, border: true, class: 'mb', 'data-test': 'detail-fields' }, () => [
        plain('plate'), plain('class'), item('status', statusTag(VEH, v.status)),
        item('brand', [v.brand, v.model].filter(Boolean).join(' ')), plain('seats'), plain('energy'),
        plain('displacement_l'), plain('automatic'), plain('price_fen'),
        item('registered_on', v.registered_on ? `${v.registered_on}（${t('fl.yearsN', { n: years })}）` : '—'),
        item('odometer_km', `${Number(v.odometer_km).toLocaleString()} km`),
        item('department_id', v.department_id ? state.titles[titleKey('departments', v.department_id)] || '#' + v.department_id : '—'),
        item('insurance_until', expiryNode(v.insurance_until, 'fl-insurance')),
        item('inspection_until', expiryNode(v.inspection_until, 'fl-inspection')),
        plain('insurer'), plain('repairer'), plain('fuel_station'),
        v.replaces_id ? item('replaces_id', h('a', { href: href(`/c/${VEH}/${v.replaces_id}`) }, state.titles[titleKey(VEH, v.replaces_id)] || '#' + v.replaces_id)) : null,
        v.note ? plain('note') : null,
      ].filter(Boolean));
    }

    function figures() {
      const x = figs.value ? figs.value.total : null;
      const show = (f) => (!figs.value ? '…' : !x ? '—' : f(x));
      const tile = (key, value) => h('div', { class: 'kpi', 'data-test': 'fl-kpi-' + key }, [h('dt', t('fl.kpi.' + key)), h('dd', value)]);
      return h('dl', { class: 'kpi-grid mb' }, [
        tile('cost', show((y) => formatMoney(y.total_fen))),
        tile('km', show((y) => `${y.km.toLocaleString()} km`)),
        tile('trips', show((y) => String(y.trips))),
        tile('perKm', show((y) => (y.cost_per_km_fen == null ? '—' : formatMoney(y.cost_per_km_fen)))),
        tile('utilisation', show((y) => (y.utilisation_pct == null ? '—' : `${y.utilisation_pct}%`))),
      ]);
    }

    function tripsTable() {
      if (!history.value) return h(ElSkeleton, { rows: 4, animated: true });
      if (!history.value.length) return h(ElEmpty, { description: t('fl.noTripsYet'), imageSize: 60 });
      const T = (n) => label(field(TRIPS, n));
      return h('div', { class: 'table-scroll' }, h(ElTable, { data: history.value, 'data-test': 'fl-vehicle-trips', size: 'small', rowKey: 'id' }, () => [
        h(ElTableColumn, { label: label(field(TRIPS, 'request_id')), minWidth: 200 }, {
          default: ({ row }) => h('a', { href: href(`/c/${RQ}/${row.request_id}`), class: 'row-link', 'data-test': 'fl-trip-row', 'data-request': row.request_id },
            requests.value[row.request_id] ? requests.value[row.request_id].purpose : '#' + row.request_id),
        }),
        h(ElTableColumn, { label: t('fl.when'), minWidth: 150 }, { default: ({ row }) => formatDatetime(row.started_at || (requests.value[row.request_id] || {}).start_at) }),
        h(ElTableColumn, { label: T('driver_id'), minWidth: 90 }, { default: ({ row }) => driverName(row.driver_id) }),
        h(ElTableColumn, { label: T('distance_km'), minWidth: 90, align: 'right' }, { default: ({ row }) => (row.distance_km == null ? '—' : `${row.distance_km} km`) }),
        h(ElTableColumn, { label: T('status'), minWidth: 90 }, { default: ({ row }) => statusTag(TRIPS, row.status, { size: 'small' }) }),
      ]));
    }

    function costsTable() {
      if (!costs.value) return h(ElSkeleton, { rows: 4, animated: true });
      if (!costs.value.length) return h(ElEmpty, { description: t('fl.noCosts'), imageSize: 60 });
      const C = (n) => label(field(COSTS, n));
      return h('div', { class: 'table-scroll' }, h(ElTable, { data: costs.value, 'data-test': 'fl-vehicle-costs', size: 'small', rowKey: 'id' }, () => [
        h(ElTableColumn, { label: C('incurred_on'), prop: 'incurred_on', minWidth: 100 }),
        h(ElTableColumn, { label: C('kind'), minWidth: 100 }, { default: ({ row }) => enumText(COSTS, 'kind', row.kind) }),
        h(ElTableColumn, { label: C('amount_fen'), minWidth: 100, align: 'right' }, { default: ({ row }) => h('span', { 'data-test': 'fl-cost-amount' }, formatMoney(row.amount_fen)) }),
        h(ElTableColumn, { label: C('vendor'), prop: 'vendor', minWidth: 140 }),
        h(ElTableColumn, { label: C('note'), prop: 'note', minWidth: 140 }),
      ]));
    }

    return () => {
      if (error.value) {
        return h('section', { class: 'page' }, h(ElAlert, {
          type: 'error', showIcon: true, closable: false, 'data-test': 'detail-error',
          title: error.value.status === 404 ? t('error.notFound') : problemText(error.value),
        }, { default: () => h('a', { href: href('/c/' + VEH) }, t('detail.backToList')) }));
      }
      const v = rec.value;
      if (!v) return h('section', { class: 'page' }, h(ElSkeleton, { rows: 8, animated: true }));
      const showCosts = can(COSTS, 'read');
      return h('section', { class: 'page fl-page fl-vehicle', 'data-test': 'detail-' + VEH, 'data-status': v.status }, [
        h('div', { class: 'page-head' }, [
          h('div', { class: 'fl-title-row' }, [
            h('h1', { class: 'page-title', 'data-test': 'page-title' }, v.plate),
            h('span', { 'data-test': 'fl-vehicle-status' }, statusTag(VEH, v.status)),
            h('span', { class: 'muted' }, [v.brand, v.model].filter(Boolean).join(' ')),
          ]),
          toolbar(v),
        ]),
        ['in_repair', 'to_scrap', 'scrapped'].includes(v.status) ? h(ElAlert, { type: 'warning', showIcon: true, closable: false, class: 'mb', title: t('fl.outNote', { status: enumText(VEH, 'status', v.status) }) }) : null,
        facts(v),
        showCosts ? [
          h('h2', { class: 'section-title' }, t('fl.last12')),
          figures(),
        ] : null,
        showCosts ? h(ElCard, { class: 'dash-card mb', shadow: 'never', 'data-test': 'fl-cost-chart' }, {
          header: () => h('h2', { class: 'card-title' }, t('fl.costChart')),
          default: () => (figs.value ? h(Chart, { option: chartOption.value, height: 280, ariaLabel: t('fl.costChart') }) : h(ElSkeleton, { rows: 5, animated: true })),
        }) : null,
        h(ElTabs, { modelValue: tab.value, 'onUpdate:modelValue': (x) => { tab.value = x; }, class: 'fl-tabs' }, () => [
          can(TRIPS, 'read') ? h(ElTabPane, { name: 'trips', label: t('fl.tripHistory') }, () => [
            tripsTable(),
            h('a', { class: 'fl-more', href: href('/c/' + TRIPS, { vehicle_id: v.id }), 'data-test': 'fl-all-trips' }, t('fl.allTrips')),
          ]) : null,
          showCosts ? h(ElTabPane, { name: 'costs', label: t('fl.costs') }, () => [
            costsTable(),
            h('a', { class: 'fl-more', href: href('/c/' + COSTS, { vehicle_id: v.id }), 'data-test': 'fl-all-costs' }, t('fl.allCosts')),
          ]) : null,
        ].filter(Boolean)),
        dialog.value ? h(AskDialog, {
          ...dialog.value, subject: v.plate,
          onClose: () => { dialog.value = null; },
          onDone: () => { dialog.value = null; load(); },
        }) : null,
      ]);
    };
  },
});

