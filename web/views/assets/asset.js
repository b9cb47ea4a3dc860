// SPDX-License-Identifier: MIT
// An asset's page (#/c/assets/:id): its facts, its depreciation now (months,
// monthly charge, accumulated, net) and its schedule by year as a chart and
// a table, its label with the QR code of its code, and its transfer history
// (section data-slot="asset-history") with the way to transfer it or hand
// it in to the pool.
import { defineComponent, h, ref, computed } from 'vue';
import { ElCard, ElTable, ElTableColumn, ElButton } from 'element-plus';
import { t } from '../../lib/i18n.js';
import { api, API } from '../../lib/api.js';
import { can } from '../../lib/session.js';
import { href, go } from '../../lib/router.js';
import { useRecord } from '../../lib/record.js';
import { titleRow, pageHead } from '../../components/page-head.js';
import { factList, factItem } from '../../components/facts.js';
import { pageLoading, pageError } from '../../components/page-state.js';
import { chartCard } from '../../components/chart.js';
import { A, loadStyles, money, assetStatus, enumText, departments } from './common.js';
import { TransferHistory } from './transfers.js';

export const AssetView = defineComponent({
  name: 'AssetView',
  props: { c: String, id: [String, Number] },
  setup(props) {
    loadStyles();
    const dep = ref(null);
    const dept = ref('');
    const { rec, error } = useRecord(A, () => props.id, async (r) => {
      dep.value = await api('GET', `/${A}/${r.id}/depreciation`).catch(() => null);
      const ds = await departments();
      dept.value = (ds.find((d) => d.id === r.department_id) || {}).name || '';
    });
    const chart = computed(() => {
      const s = dep.value && dep.value.schedule;
      if (!s || !s.length) return null;
      return {
        grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
        tooltip: { trigger: 'axis', valueFormatter: (v) => money(Math.round(v * 100)) },
        legend: { top: 0, data: [t('as.dep.charge'), t('as.dep.net')] },
        xAxis: { type: 'category', data: s.map((y) => String(y.year)) },
        yAxis: { type: 'value', name: t('as.yuan') },
        series: [
          { name: t('as.dep.charge'), type: 'bar', data: s.map((y) => y.charge_fen / 100), itemStyle: { color: '#b91c1c' }, barMaxWidth: 24 },
          { name: t('as.dep.net'), type: 'line', data: s.map((y) => y.net_fen / 100), itemStyle: { color: '#1d4ed8' } },
        ],
        animation: false,
      };
    });
    return () => {
      if (error.value) return pageError(error.value, { back: href('/assets') });
      const r = rec.value;
      if (!r) return pageLoading();
      const d = dep.value;
      return h('div', { class: 'as-page as-asset' }, [
        pageHead(titleRow(`${r.code} ${r.name}`, assetStatus(r.status)), [
          can(A, 'update') && r.status !== 'disposed' ? h('a', { class: 'el-button', href: href(`/c/${A}/${r.id}/edit`), 'data-test': 'as-edit' }, t('as.asset.edit')) : null,
          h(ElButton, { onClick: () => go('/assets/labels', { ids: String(r.id) }), 'data-test': 'as-label-print' }, () => t('as.labels.print')),
        ]),
        h('div', { class: 'as-asset-grid' }, [
          h(ElCard, { shadow: 'never', class: 'as-facts' }, () => factList([
            factItem(t('as.col.code'), r.code, 'as-f-code'),
            factItem(t('as.col.department'), dept.value),
            factItem(t('as.col.model'), r.model || '—'),
            factItem(t('as.col.serial'), r.serial || '—'),
            factItem(t('as.col.acquired'), r.acquired_on),
            factItem(t('as.col.source'), enumText('source', r.source)),
            factItem(t('as.col.funding'), enumText('funding', r.funding)),
            factItem(t('as.col.condition'), enumText('condition', r.condition)),
            factItem(t('as.col.original'), money(r.original_value_fen), 'as-f-original'),
            factItem(t('as.dep.category'), d ? `${d.category}${d.depreciated ? t('as.dep.years', { n: d.years }) : t('as.dep.notDepreciated')}` : '…'),
            factItem(t('as.dep.accumulated'), d ? money(d.accumulated_fen) : '…', 'as-f-accumulated'),
            factItem(t('as.col.net'), d ? money(d.net_fen) : '…', 'as-f-net'),
            factItem(t('as.dep.monthly'), d ? money(d.monthly_fen) : '…', 'as-f-monthly'),
            factItem(t('as.dep.months'), d ? (d.depreciated ? t('as.dep.monthsOf', { n: d.months, of: d.life_months }) : '—') : '…'),
            r.note ? factItem(t('as.col.note'), r.note) : null,
          ].filter(Boolean))),
          h(ElCard, { shadow: 'never', class: 'as-label-card' }, {
            header: () => h('h2', { class: 'card-title' }, t('as.asset.label')),
            default: () => h('figure', { class: 'as-label-figure' }, [
              h('img', { src: `${API}/${A}/${r.id}/qr.svg`, alt: t('as.labels.qrAlt', { code: r.code }), width: 160, height: 160, 'data-test': 'as-qr' }),
              h('figcaption', r.code),
            ]),
          }),
        ]),
        d && d.depreciated ? chartCard(t('as.dep.chart'), chart.value, 260, 'as-dep-chart', 'mb') : null,
        d && d.schedule.length ? h(ElTable, { data: d.schedule, class: 'mb', 'data-test': 'as-schedule', size: 'small' }, () => [
          h(ElTableColumn, { label: t('as.dep.year'), prop: 'year', width: 90 }),
          h(ElTableColumn, { label: t('as.dep.monthsCol'), prop: 'months', width: 90 }),
          h(ElTableColumn, { label: t('as.dep.charge'), align: 'right' }, { default: ({ row }) => money(row.charge_fen) }),
          h(ElTableColumn, { label: t('as.dep.accumulated'), align: 'right' }, { default: ({ row }) => money(row.accumulated_fen) }),
          h(ElTableColumn, { label: t('as.dep.net'), align: 'right' }, { default: ({ row }) => money(row.net_fen) }),
        ]) : null,
        // its transfers (and, for whoever may, the page to transfer it or hand it in to the pool)
        h('section', { 'data-slot': 'asset-history', class: 'as-history-slot' }, can('asset_transfers', 'read') ? [
          h(TransferHistory, { assetId: r.id }),
          can('asset_transfers', 'create') || can('assets', 'hand_in')
            ? h('a', { href: href(`/assets/${r.id}/transfers`), class: 'el-button', 'data-test': 'as-to-transfers' }, t('as.tr.history')) : null,
        ] : []),
      ]);
    };
  },
});
