// The monthly cost report (#/fleet/costs?month=YYYY-MM) from GET
// /api/v1/fleet/costs: the month's totals, the costliest vehicles as stacked
// bars by kind, and every vehicle's trips, kilometres, days used,
// utilisation, costs by kind, total and cost per kilometre; the XLSX link.
import { defineComponent, h, ref, computed, onMounted } from 'vue';
import { ElDatePicker, ElAlert, ElSkeleton, ElInput } from 'element-plus';
import { Download, Search } from '@element-plus/icons-vue';
import { t } from '../../lib/i18n.js';
import { api, API, queryString } from '../../lib/api.js';
import { route, replace, href } from '../../lib/router.js';
import { state } from '../../lib/session.js';
import { enumText } from '../../lib/fields.js';
import { formatMoney } from '../../lib/money.js';
import { today } from '../../lib/time.js';
import { latest } from '../../lib/latest.js';
import { chartCard } from '../../components/chart.js';
import { VEH, COSTS, flError } from './common.js';
import { pageHead } from '../../components/page-head.js';
import { linkButton } from '../../components/link-button.js';

const KINDS = ['fuel', 'repair', 'maintenance', 'insurance', 'inspection', 'tolls', 'parking', 'other'];
const COLOURS = ['#b91c1c', '#1d4ed8', '#15803d', '#b45309', '#7c3aed', '#0f766e', '#be185d', '#4b5563'];
const TOP = 15;

export const CostsView = defineComponent({
  name: 'FleetCostsView',
  setup() {
    const month = ref(/^\d{4}-\d\d$/.test(route.query.month || '') ? route.query.month : today().slice(0, 7));
    const data = ref(null);
    const { loading, error, load: fetchLatest } = latest();
    const q = ref('');
    state.crumb = null;

    function load() {
      return fetchLatest(() => api('GET', '/fleet/costs', { query: { month: month.value } }), (r) => { data.value = r; });
    }
    onMounted(load);

    function setMonth(m) {
      month.value = m || today().slice(0, 7);
      replace('/fleet/costs', { month: month.value === today().slice(0, 7) ? null : month.value });
      load();
    }

    const xlsx = computed(() => `${API}/fleet/costs.xlsx${queryString({ month: month.value })}`);
    const rows = computed(() => {
      const list = data.value ? data.value.vehicles.slice() : [];
      const s = q.value.trim().toLowerCase();
      return list.filter((v) => !s || [v.plate, v.brand, v.model].some((x) => x && x.toLowerCase().includes(s)))
        .sort((a, b) => b.total_fen - a.total_fen || (a.plate < b.plate ? -1 : 1));
    });

    const chart = computed(() => {
      const top = (data.value ? data.value.vehicles : []).filter((v) => v.total_fen > 0).sort((a, b) => b.total_fen - a.total_fen).slice(0, TOP);
      return {
        animation: false,
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => '¥' + Number(v).toFixed(2) },
        legend: { top: 0, type: 'scroll' },
        grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
        yAxis: { type: 'category', inverse: true, data: top.map((v) => v.plate) },
        xAxis: { type: 'value', axisLabel: { formatter: (v) => '¥' + v } },
        series: KINDS.filter((k) => top.some((v) => v.costs[k])).map((k) => ({
          name: enumText(COSTS, 'kind', k), type: 'bar', stack: 'cost', barMaxWidth: 16,
          itemStyle: { color: COLOURS[KINDS.indexOf(k)] }, data: top.map((v) => v.costs[k] / 100),
        })),
      };
    });

    function kpis(r) {
      const tt = r.total || {};
      const tile = (key, value) => h('div', { class: 'kpi', 'data-test': 'fl-kpi-' + key }, [h('dt', t('fl.kpi.' + key)), h('dd', value)]);
      return h('dl', { class: 'kpi-grid mb', 'data-test': 'fl-costs-kpis' }, [
        tile('cost', formatMoney(tt.total_fen || 0)),
        tile('km', `${(tt.km || 0).toLocaleString()} km`),
        tile('trips', String(tt.trips || 0)),
        tile('perKm', formatMoney(tt.cost_per_km_fen, '—')),
        tile('utilisation', tt.utilisation_pct == null ? '—' : `${tt.utilisation_pct}%`),
        tile('workingDays', String(r.working_days)),
      ]);
    }

    function table() {
      const head = [t('fl.vehicle'), t('fl.kpi.trips'), 'km', t('fl.daysUsed'), t('fl.kpi.utilisation'), ...KINDS.map((k) => enumText(COSTS, 'kind', k)), t('fl.total'), t('fl.kpi.perKm')];
      return h('div', { class: 'table-scroll' }, h('table', { class: 'report-table', 'data-test': 'fl-costs-table' }, [
        h('thead', h('tr', head.map((x, i) => h('th', { scope: 'col', key: i }, x)))),
        h('tbody', rows.value.map((v) => h('tr', { key: v.vehicle_id, 'data-test': 'fl-costs-row', 'data-vehicle': v.vehicle_id }, [
          h('th', { scope: 'row' }, [h('a', { href: href(`/c/${VEH}/${v.vehicle_id}`) }, v.plate), h('span', { class: 'muted' }, ` ${v.brand} ${v.model || ''}`)]),
          h('td', String(v.trips)), h('td', v.km.toLocaleString()), h('td', String(v.days_used)),
          h('td', v.utilisation_pct == null ? '—' : `${v.utilisation_pct}%`),
          ...KINDS.map((k) => h('td', { key: k }, v.costs[k] ? formatMoney(v.costs[k]) : '—')),
          h('td', { 'data-test': 'fl-costs-total' }, formatMoney(v.total_fen)),
          h('td', formatMoney(v.cost_per_km_fen, '—')),
        ]))),
      ]));
    }

    return () => {
      const r = data.value;
      return h('section', { class: 'page fl-page fl-costs', 'data-test': 'fl-costs' }, [
        pageHead(t('fl.costReport'), [linkButton(xlsx.value, t('list.exportXlsx'), { icon: Download, download: true, test: 'fl-costs-xlsx' })]),
        h('div', { class: 'filter-bar' }, [
          h('div', { class: 'filter-item' }, [
            h('label', { class: 'filter-label', for: 'fl-month' }, t('fl.month')),
            h(ElDatePicker, {
              id: 'fl-month', type: 'month', modelValue: month.value, valueFormat: 'YYYY-MM', format: 'YYYY-MM', clearable: false,
              ariaLabel: t('fl.month'), 'data-test': 'fl-month', class: 'w-full', 'onUpdate:modelValue': setMonth,
            }),
          ]),
          h('div', { class: 'filter-item' }, [
            h('label', { class: 'filter-label', for: 'fl-costs-search' }, t('fl.searchVehicle')),
            h(ElInput, { id: 'fl-costs-search', modelValue: q.value, clearable: true, prefixIcon: Search, 'onUpdate:modelValue': (x) => { q.value = x; } }),
          ]),
        ]),
        error.value ? h(ElAlert, { type: 'error', showIcon: true, closable: false, title: flError(error.value, COSTS), class: 'mb', 'data-test': 'fl-costs-error' }) : null,
        !r ? (error.value ? null : h(ElSkeleton, { rows: 8, animated: true })) : h('div', { 'aria-busy': loading.value ? 'true' : 'false' }, [
          h('p', { class: 'kpi-period' }, `${r.from} – ${r.to}`),
          kpis(r),
          chartCard(t('fl.costTop', { n: TOP }), chart.value, 120 + Math.min(TOP, r.vehicles.length) * 24, 'fl-costs-chart', 'mb'),
          table(),
        ]),
      ]);
    };
  },
});
