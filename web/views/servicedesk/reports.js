// Service desk reports (#/servicedesk/reports): a period, the key figures,
// charts from GET /api/v1/servicedesk/report (volume and satisfaction by
// month, SLA attainment, by type and by team), the tables behind them and
// the XLSX download.
import { defineComponent, h, ref, computed, onMounted } from 'vue';
import { ElDatePicker, ElAlert, ElSkeleton, ElCard, ElTabs, ElTabPane } from 'element-plus';
import { Download } from '@element-plus/icons-vue';
import { t } from '../../lib/i18n.js';
import { api, API, queryString, problemText } from '../../lib/api.js';
import { route, replace } from '../../lib/router.js';
import { state, collection } from '../../lib/session.js';
import { latest } from '../../lib/latest.js';
import { chartCard } from '../../components/chart.js';
import { KpiCard, formatKpi } from '../dashboard.js';
import { pageHead } from '../../components/page-head.js';
import { linkButton } from '../../components/link-button.js';

const RED = '#b91c1c', BLUE = '#1d4ed8', GREEN = '#15803d', AMBER = '#b45309';

function ymd(d) {
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
function monthsBack(n) {
  const d = new Date();
  return ymd(new Date(d.getFullYear(), d.getMonth() - n, 1));
}

// A group's name: the server's label, or the key itself for groups by text (buildings).
function groupName(g) {
  if (g.key != null && !/^\d+$/.test(g.key)) return g.key;
  return g.label || g.key || t('sd.unspecified');
}

export const ReportsView = defineComponent({
  name: 'ReportsView',
  setup() {
    const period = ref([route.query.from || monthsBack(11), route.query.to || ymd(new Date())]);
    const data = ref(null);
    const { loading, error, load: fetchLatest } = latest();
    const tab = ref('team');
    state.crumb = null;

    function load() {
      const [from, to] = period.value || [];
      return fetchLatest(() => api('GET', '/servicedesk/report', { query: { from, to } }), (r) => { data.value = r; });
    }
    onMounted(load);

    function setPeriod(v) {
      period.value = v;
      replace('/servicedesk/reports', v ? { from: v[0], to: v[1] } : {});
      load();
    }

    const xlsx = computed(() => {
      const [from, to] = period.value || [];
      return `${API}/servicedesk/report.xlsx${queryString({ from, to })}`;
    });

    const shortcuts = computed(() => [
      { text: t('sd.thisMonth'), value: () => [new Date(new Date().getFullYear(), new Date().getMonth(), 1), new Date()] },
      { text: t('sd.last3Months'), value: () => [new Date(new Date().getFullYear(), new Date().getMonth() - 2, 1), new Date()] },
      { text: t('sd.thisYear'), value: () => [new Date(new Date().getFullYear(), 0, 1), new Date()] },
      { text: t('sd.last12Months'), value: () => [new Date(new Date().getFullYear(), new Date().getMonth() - 11, 1), new Date()] },
    ]);

    const base = { animation: false, tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true } };
    const pctAxis = { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } };

    function volumeChart(r) {
      const m = r.by_month;
      return {
        ...base,
        xAxis: { type: 'category', data: m.map((g) => g.key) },
        yAxis: [{ type: 'value', minInterval: 1 }, { ...pctAxis, splitLine: { show: false } }],
        series: [
          { name: t('kpi.count'), type: 'bar', data: m.map((g) => g.count), itemStyle: { color: RED }, barMaxWidth: 28 },
          { name: t('kpi.satisfaction_pct'), type: 'line', yAxisIndex: 1, data: m.map((g) => g.satisfaction_pct), itemStyle: { color: GREEN }, smooth: true },
        ],
      };
    }
    function slaChart(r) {
      const m = r.by_month;
      return {
        ...base,
        xAxis: { type: 'category', data: m.map((g) => g.key) },
        yAxis: pctAxis,
        series: [
          { name: t('kpi.respond_sla_pct'), type: 'line', data: m.map((g) => g.respond_sla_pct), itemStyle: { color: BLUE } },
          { name: t('kpi.resolve_sla_pct'), type: 'line', data: m.map((g) => g.resolve_sla_pct), itemStyle: { color: AMBER } },
        ],
      };
    }
    function groupChart(groups, percent) {
      const g = groups.slice(0, 15);
      const names = g.map(groupName);
      if (percent) {
        return {
          ...base, tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
          yAxis: { type: 'category', inverse: true, data: names }, xAxis: pctAxis,
          series: [
            { name: t('kpi.resolve_sla_pct'), type: 'bar', data: g.map((x) => x.resolve_sla_pct), itemStyle: { color: AMBER }, barMaxWidth: 14 },
            { name: t('kpi.satisfaction_pct'), type: 'bar', data: g.map((x) => x.satisfaction_pct), itemStyle: { color: GREEN }, barMaxWidth: 14 },
          ],
        };
      }
      return {
        ...base, tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        yAxis: { type: 'category', inverse: true, data: names }, xAxis: { type: 'value', minInterval: 1 },
        series: [{ name: t('kpi.count'), type: 'bar', data: g.map((x) => x.count), itemStyle: { color: RED }, barMaxWidth: 18, label: { show: true, position: 'right' } }],
      };
    }

    const COLS = ['count', 'open', 'respond_sla_pct', 'resolve_sla_pct', 'mean_resolve_min', 'avg_score', 'satisfaction_pct'];
    function table(groups, test) {
      return h('div', { class: 'table-scroll' }, h('table', { class: 'report-table', 'data-test': test }, [
        h('thead', h('tr', [h('th', { scope: 'col' }, t('sd.group')), ...COLS.map((c) => h('th', { scope: 'col', key: c }, t('kpi.' + c)))])),
        h('tbody', groups.map((g) => h('tr', { key: g.key ?? 'none' }, [
          h('th', { scope: 'row' }, groupName(g)),
          ...COLS.map((c) => h('td', { key: c }, formatKpi(c, g[c]))),
        ]))),
      ]));
    }

    return () => {
      const r = data.value;
      return h('section', { class: 'page sd-page sd-reports', 'data-test': 'sd-reports' }, [
        pageHead(t('sd.reports'), [linkButton(xlsx.value, t('list.exportXlsx'), { icon: Download, download: true, test: 'report-xlsx' })]),
        h('div', { class: 'filter-bar' }, h('div', { class: 'filter-item period-item' }, [
          h('label', { class: 'filter-label', for: 'report-period' }, t('sd.period')),
          h(ElDatePicker, {
            id: ['report-period', 'report-period-to'], type: 'daterange', modelValue: period.value, valueFormat: 'YYYY-MM-DD', format: 'YYYY-MM-DD',
            unlinkPanels: true, shortcuts: shortcuts.value, clearable: false, 'data-test': 'report-period', class: 'w-full',
            startPlaceholder: t('filter.from'), endPlaceholder: t('filter.to'), rangeSeparator: '–',
            ariaLabel: t('sd.period'), 'onUpdate:modelValue': setPeriod,
          }),
        ])),
        error.value ? h(ElAlert, { type: 'error', showIcon: true, closable: false, title: problemText(error.value, collection('service_requests')), class: 'mb', 'data-test': 'report-error' }) : null,
        !r ? (error.value ? null : h(ElSkeleton, { rows: 8, animated: true })) : [
          h(ElCard, { class: 'mb', shadow: 'never', 'data-test': 'report-kpis' }, () => h(KpiCard, { card: { ...r.total, period: { from: r.from, to: r.to } } })),
          h('div', { class: 'dash-grid report-grid', 'aria-busy': loading.value ? 'true' : 'false' }, [
            chartCard(t('sd.chartVolume'), volumeChart(r), 260, 'chart-volume'),
            chartCard(t('sd.chartSla'), slaChart(r), 260, 'chart-sla'),
            chartCard(t('sd.chartByType'), groupChart(r.by_type, false), Math.max(160, Math.min(15, r.by_type.length) * 28 + 48), 'chart-type'),
            chartCard(t('sd.chartByTeam'), groupChart(r.by_team, true), Math.max(160, Math.min(15, r.by_team.length) * 40 + 48), 'chart-team'),
          ]),
          h('h2', { class: 'section-title' }, t('sd.tables')),
          h(ElTabs, { modelValue: tab.value, 'onUpdate:modelValue': (v) => { tab.value = v; } }, () => [
            h(ElTabPane, { name: 'team', label: t('sd.byTeam') }, () => table(r.by_team, 'table-team')),
            h(ElTabPane, { name: 'type', label: t('sd.byType') }, () => table(r.by_type, 'table-type')),
            h(ElTabPane, { name: 'building', label: t('sd.byBuilding') }, () => table(r.by_building, 'table-building')),
            h(ElTabPane, { name: 'department', label: t('sd.byDepartment') }, () => table(r.by_department, 'table-department')),
            h(ElTabPane, { name: 'month', label: t('sd.byMonth') }, () => table(r.by_month, 'table-month')),
          ]),
        ],
      ]);
    };
  },
});
