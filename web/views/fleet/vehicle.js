// A vehicle's page (the detail view of vehicles): the register, its state,
// insurance and inspection dates (highlighted within 30 days, red once
// passed), the last twelve months' figures (GET …/vehicles/{id}/figures:
// costs by month stacked by kind, kilometres, trips, cost per kilometre and
// utilisation, counted as the monthly report counts them), the trip history
// and the latest costs; send to repair / back from repair.
import { defineComponent, h, ref, computed } from 'vue';
import { ElButton, ElAlert, ElSkeleton, ElTable, ElTableColumn, ElEmpty, ElTabs, ElTabPane } from 'element-plus';
import { Back, Edit } from '@element-plus/icons-vue';
import { t, label } from '../../lib/i18n.js';
import { api, fetchByIds } from '../../lib/api.js';
import { go, href } from '../../lib/router.js';
import { state, can, field, collection, resolveTitles, titleOf } from '../../lib/session.js';
import { useRecord } from '../../lib/record.js';
import { enumText, formatValue } from '../../lib/fields.js';
import { formatMoney } from '../../lib/money.js';
import { formatDatetime, today } from '../../lib/time.js';
import { chartCard } from '../../components/chart.js';
import { AskDialog, postDialog } from '../../components/ask-dialog.js';
import { pageError, pageLoading } from '../../components/page-state.js';
import { factList, factItem } from '../../components/facts.js';
import { RQ, TRIPS, VEH, COSTS, statusTag, driverName, resolveNames, vehicleText, flError } from './common.js';
import { pageHead, titleRow } from '../../components/page-head.js';

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
          if (can(RQ, 'read')) {
            const rs = await fetchByIds(RQ, x.items.map((tr) => tr.request_id));
            requests.value = Object.fromEntries(rs.map((r) => [r.id, r]));
          }
          await resolveNames(x.items);
          history.value = x.items;
        }).catch(() => { history.value = []; }));
      }
      await Promise.all(jobs);
    }

    const { rec, error, load } = useRecord(VEH, () => props.id, (v) => {
      if (v.department_id) resolveTitles('departments', [v.department_id]);
      if (v.replaces_id) resolveTitles(VEH, [v.replaces_id]);
      if (v.over_standard_by && can('users', 'read')) resolveTitles('users', [v.over_standard_by]);
      loadFigures(v);
    });

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
      dialog.value = postDialog(`/${VEH}/${props.id}/repair`, {
        title: t('fl.repairTitle'), test: 'fl-repair-dialog', submitText: t('fl.sendToRepair'),
        fields: [{ name: 'note', label: t('fl.repairNote'), rows: 3, max: 500 }],
      });
    }
    async function repaired() {
      dialog.value = postDialog(`/${VEH}/${props.id}/repaired`, {
        title: t('fl.repairedTitle'), test: 'fl-repaired-dialog', submitText: t('fl.backFromRepair'),
        fields: [{ name: 'note', label: t('fl.repairNote'), rows: 2, max: 500 }],
      });
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
      const item = (n, node) => (F(n) ? factItem(label(F(n)), node, 'value-' + n) : null);
      const plain = (n) => item(n, v[n] == null || v[n] === '' ? '—' : formatValue(F(n), v[n]));
      const years = v.registered_on ? Math.floor(-daysTo(v.registered_on) / 365.25) : null;
      return factList([
        plain('plate'), plain('class'), item('status', statusTag(VEH, v.status)),
        item('brand', vehicleText(v)), plain('seats'), plain('energy'),
        plain('displacement_l'), plain('automatic'), plain('price_fen'),
        item('registered_on', v.registered_on ? `${v.registered_on}（${t('fl.yearsN', { n: years })}）` : '—'),
        item('odometer_km', `${Number(v.odometer_km).toLocaleString()} km`),
        item('department_id', v.department_id ? titleOf('departments', v.department_id) : '—'),
        item('insurance_until', expiryNode(v.insurance_until, 'fl-insurance')),
        item('inspection_until', expiryNode(v.inspection_until, 'fl-inspection')),
        plain('insurer'), plain('repairer'), plain('fuel_station'),
        v.replaces_id ? item('replaces_id', h('a', { href: href(`/c/${VEH}/${v.replaces_id}`) }, titleOf(VEH, v.replaces_id))) : null,
        v.note ? plain('note') : null,
        // allowed over its class standard: why, and by whom
        v.over_standard_reason ? plain('over_standard_reason') : null,
        v.over_standard_by ? item('over_standard_by', titleOf('users', v.over_standard_by)) : null,
      ], { columns: 3 });
    }

    function figures() {
      const x = figs.value ? figs.value.total : null;
      const show = (f) => (!figs.value ? '…' : !x ? '—' : f(x));
      const tile = (key, value) => h('div', { class: 'kpi', 'data-test': 'fl-kpi-' + key }, [h('dt', t('fl.kpi.' + key)), h('dd', value)]);
      return h('dl', { class: 'kpi-grid mb' }, [
        tile('cost', show((y) => formatMoney(y.total_fen))),
        tile('km', show((y) => `${y.km.toLocaleString()} km`)),
        tile('trips', show((y) => String(y.trips))),
        tile('perKm', show((y) => formatMoney(y.cost_per_km_fen, '—'))),
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
      if (error.value) return pageError(error.value, { back: href('/c/' + VEH), ent: collection(VEH) });
      const v = rec.value;
      if (!v) return pageLoading();
      const showCosts = can(COSTS, 'read');
      return h('section', { class: 'page fl-page fl-vehicle', 'data-test': 'detail-' + VEH, 'data-status': v.status }, [
        pageHead(titleRow(v.plate, h('span', { 'data-test': 'fl-vehicle-status' }, statusTag(VEH, v.status)), h('span', { class: 'muted' }, vehicleText(v))), toolbar(v)),
        ['in_repair', 'to_scrap', 'scrapped'].includes(v.status) ? h(ElAlert, { type: 'warning', showIcon: true, closable: false, class: 'mb', title: t('fl.outNote', { status: enumText(VEH, 'status', v.status) }) }) : null,
        facts(v),
        showCosts ? [
          h('h2', { class: 'section-title' }, t('fl.last12')),
          figures(),
        ] : null,
        showCosts ? chartCard(t('fl.costChart'), figs.value ? chartOption.value : null, 280, 'fl-cost-chart', 'mb') : null,
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
          ...dialog.value, subject: v.plate, ent: collection(VEH), errorText: (e) => flError(e, VEH),
          onClose: () => { dialog.value = null; },
          onDone: () => { dialog.value = null; load(); },
        }) : null,
      ]);
    };
  },
});

