// SPDX-License-Identifier: MIT
// Depreciation reports (#/assets/reports): as of a month, by category,
// class, department, age or status — count, original value, accumulated
// depreciation, net book value and the month's charge — with a chart and
// the XLSX of the same figures.
import { defineComponent, h, ref, reactive, computed, onMounted } from 'vue';
import { ElTable, ElTableColumn, ElAlert, ElRadioGroup, ElRadioButton, ElDatePicker } from 'element-plus';
import { t } from '../../lib/i18n.js';
import { api, API, problemText, queryString } from '../../lib/api.js';
import { collection } from '../../lib/session.js';
import { pageHead } from '../../components/page-head.js';
import { chartCard } from '../../components/chart.js';
import { TreeRefSelect } from '../../components/inputs.js';
import { A, loadStyles, money } from './common.js';

const BYS = ['category', 'class', 'department', 'age', 'status'];
const thisMonth = () => new Date().toISOString().slice(0, 7);

export const ReportsView = defineComponent({
  name: 'AssetReportsView',
  setup() {
    loadStyles();
    const p = reactive({ by: 'category', asof: thisMonth(), department_id: null });
    const data = ref(null);
    const error = ref(null);
    const params = () => {
      const q = { by: p.by, asof: p.asof };
      if (p.department_id) q.department_id = p.department_id;
      return q;
    };
    async function load() {
      error.value = null;
      data.value = null;
      try { data.value = await api('GET', `/${A}/report`, { query: params() }); } catch (e) { error.value = e; }
    }
    onMounted(load);
    const name = (g) => (p.by === 'age' ? t('as.age.' + g.key) : p.by === 'status' ? t('as.status.' + g.key) : (g.code ? `${g.code} ${g.name}` : g.name));
    const chart = computed(() => {
      if (!data.value) return null;
      const gs = data.value.groups.slice(0, 30);
      return {
        grid: { left: 8, right: 56, top: 36, bottom: 8, containLabel: true },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => money(Math.round(v * 100)) },
        legend: { top: 0, data: [t('as.col.net'), t('as.dep.accumulated')] },
        yAxis: { type: 'category', inverse: true, data: gs.map(name) },
        xAxis: { type: 'value', name: t('as.yuan') },
        series: [
          { name: t('as.col.net'), type: 'bar', stack: 'v', data: gs.map((g) => g.net_fen / 100), itemStyle: { color: '#1d4ed8' }, barMaxWidth: 22 },
          { name: t('as.dep.accumulated'), type: 'bar', stack: 'v', data: gs.map((g) => g.accumulated_fen / 100), itemStyle: { color: '#cbd5e1' }, barMaxWidth: 22 },
        ],
        animation: false,
      };
    });
    const rows = computed(() => (data.value ? [...data.value.groups, { ...data.value.total, key: '__total', name: t('as.report.total') }] : []));
    return () => h('div', { class: 'as-page' }, [
      pageHead(t('as.report.title'), [h('a', { class: 'el-button', href: `${API}/${A}/report.xlsx${queryString(params())}`, download: '', 'data-test': 'as-report-xlsx' }, t('as.report.xlsx'))]),
      h('div', { class: 'as-filters' }, [
        h('div', { class: 'as-filter' }, [h('span', { id: 'as-r-by' }, t('as.report.by')),
          h(ElRadioGroup, { modelValue: p.by, 'aria-labelledby': 'as-r-by', 'onUpdate:modelValue': (v) => { p.by = v; load(); } }, () => BYS.map((b) => h(ElRadioButton, { key: b, value: b, 'data-test': 'as-by-' + b }, () => t('as.by.' + b))))]),
        h('div', { class: 'as-filter' }, [h('label', { for: 'as-r-asof' }, t('as.report.asof')),
          h(ElDatePicker, { id: 'as-r-asof', type: 'month', valueFormat: 'YYYY-MM', clearable: false, ariaLabel: t('as.report.asof'), modelValue: p.asof, 'onUpdate:modelValue': (v) => { p.asof = v || thisMonth(); load(); } })]),
        h('div', { class: 'as-filter' }, [h('label', { for: 'as-r-dept' }, t('as.f.department')),
          h(TreeRefSelect, { target: 'departments', inputId: 'as-r-dept', ariaLabel: t('as.f.department'), modelValue: p.department_id, 'onUpdate:modelValue': (v) => { p.department_id = v; load(); } })]),
      ]),
      error.value ? h(ElAlert, { type: 'error', closable: false, title: problemText(error.value, collection(A)) }) : null,
      chartCard(t('as.report.chart', { by: t('as.by.' + p.by) }), chart.value, Math.max(200, Math.min(30, data.value ? data.value.groups.length : 5) * 30 + 60), 'as-report-chart', 'mb'),
      h(ElTable, { data: rows.value, rowKey: 'key', 'data-test': 'as-report-table', rowClassName: ({ row }) => (row.key === '__total' ? 'as-total' : '') }, () => [
        h(ElTableColumn, { label: t('as.by.' + p.by), minWidth: 160 }, { default: ({ row }) => (row.key === '__total' ? row.name : name(row)) }),
        h(ElTableColumn, { label: t('as.report.count'), prop: 'count', width: 90, align: 'right' }),
        h(ElTableColumn, { label: t('as.col.original'), align: 'right', minWidth: 130 }, { default: ({ row }) => money(row.original_fen) }),
        h(ElTableColumn, { label: t('as.dep.accumulated'), align: 'right', minWidth: 130 }, { default: ({ row }) => money(row.accumulated_fen) }),
        h(ElTableColumn, { label: t('as.col.net'), align: 'right', minWidth: 130 }, { default: ({ row }) => h('span', { 'data-test': 'as-r-net' }, money(row.net_fen)) }),
        h(ElTableColumn, { label: t('as.dep.monthly'), align: 'right', minWidth: 120 }, { default: ({ row }) => money(row.monthly_fen) }),
        h(ElTableColumn, { label: t('as.report.notDepreciated'), prop: 'not_depreciated', width: 110, align: 'right' }),
      ]),
      h('p', { class: 'as-note' }, t('as.report.rule')),
    ]);
  },
});
