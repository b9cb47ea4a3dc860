// SPDX-License-Identifier: MIT
// Food safety (#/canteen/safety): the open alerts on top (certificates
// expiring or expired, samples discarded early, inspections past their
// deadline), then a tab each for the records the Food Safety Law asks for:
// deliveries checked 进货查验, samples 留样 with the time each is still to be
// kept, health certificates coloured by expiry, inspections. A record opens
// in its own page (#/c/<collection>/<id>), where its steps are.
import { defineComponent, h, ref, onMounted, watch } from 'vue';
import { ElAlert, ElButton, ElOption, ElSelect, ElSkeleton, ElTabPane, ElTable, ElTableColumn, ElTabs, ElTag } from 'element-plus';
import { t } from '../../lib/i18n.js';
import { api, fetchAll, problemText } from '../../lib/api.js';
import { state } from '../../lib/session.js';
import { pageHead } from '../../components/page-head.js';
import { loadStyles } from './meals-pages.js';

const DAY = 86400000;
const today = () => new Date(Date.now() + state.offsetMin * 60000).toISOString().slice(0, 10);
const daysTo = (d) => Math.round((Date.parse(d + 'T00:00:00Z') - Date.parse(today() + 'T00:00:00Z')) / DAY);
const link = (coll, id, text) => h('a', { href: `#/c/${coll}/${id}` }, text);

// hours left to keep a sample (negative: may be discarded)
export function hoursLeft(keepUntil, now = Date.now()) {
  return Math.ceil((Date.parse(keepUntil) - now) / 3600000);
}

function certColour(expires) {
  const d = daysTo(expires);
  return d < 0 ? 'danger' : d <= 30 ? 'warning' : 'success';
}

export const SafetyView = defineComponent({
  name: 'CanteenSafetyView',
  setup() {
    loadStyles();
    const canteens = ref([]);
    const canteen = ref(null);
    const alerts = ref(null);
    const tab = ref('deliveries');
    const rows = ref({});
    const error = ref(null);
    const name = (id) => (canteens.value.find((c) => c.id === id) || {}).name || id;

    async function load() {
      error.value = null;
      const q = canteen.value ? { canteen_id: canteen.value } : {};
      try {
        const [a, d, s, c, i] = await Promise.all([
          api('GET', '/canteen/alerts', { query: q }),
          fetchAll('food_deliveries', { ...q, sort: '-delivered_on' }, 200),
          fetchAll('food_samples', q, 200),
          fetchAll('health_certificates', { ...q, sort: 'expires_on' }, 500),
          fetchAll('food_inspections', { ...q, sort: '-day' }, 200),
        ]);
        alerts.value = a.items;
        rows.value = { deliveries: d, samples: s, certificates: c, inspections: i };
      } catch (e) { error.value = e; }
    }
    onMounted(async () => {
      try { canteens.value = await fetchAll('canteens'); } catch (e) { error.value = e; }
      await load();
    });
    watch(canteen, load);

    const col = (prop, label, render, width) => h(ElTableColumn, { prop, label, minWidth: width || 100 }, render ? { default: ({ row }) => render(row) } : undefined);
    const table = (data, cols, test) => h(ElTable, { data, size: 'small', stripe: true, 'data-test': test, emptyText: t('ct.safety.none') }, () => cols);

    const alertList = () => h('section', { class: 'ct-alerts', 'aria-label': t('ct.safety.alerts') }, [
      h('h2', { class: 'ct-day-title' }, t('ct.safety.alertsN', { n: alerts.value.length })),
      alerts.value.length ? h('ul', { class: 'ct-alert-list', 'data-test': 'ct-alerts' }, alerts.value.map((a) => h('li', { key: `${a.record.collection}:${a.record.id}:${a.kind}`, class: 'ct-alert ct-alert-' + a.kind, 'data-test': 'ct-alert', 'data-kind': a.kind }, [
        h(ElTag, { type: a.kind === 'cert_expiring' ? 'warning' : 'danger', size: 'small' }, () => t('ct.alert.kind.' + a.kind)),
        ' ', link(a.record.collection, a.record.id, t('ct.alert.' + a.kind, { ...a.params, days: Math.abs(a.params.days || 0) })),
        h('span', { class: 'ct-muted' }, ` · ${name(a.canteen_id)}`),
      ]))) : h(ElAlert, { type: 'success', closable: false, title: t('ct.safety.noAlerts') }),
    ]);

    return () => h('div', { class: 'ct-page ct-safety' }, [
      pageHead(t('ct.safety.title'), [
        h(ElSelect, { modelValue: canteen.value, 'onUpdate:modelValue': (v) => { canteen.value = v || null; }, clearable: true, filterable: true, placeholder: t('ct.safety.allCanteens'), 'aria-label': t('ct.meals.canteen'), 'data-test': 'ct-safety-canteen', style: 'width: 14rem' },
          () => canteens.value.map((c) => h(ElOption, { key: c.id, value: c.id, label: c.name }))),
      ]),
      error.value ? h(ElAlert, { type: 'error', closable: false, title: problemText(error.value) }) : null,
      !alerts.value && !error.value ? h(ElSkeleton, { rows: 6, animated: true }) : null,
      alerts.value ? alertList() : null,
      alerts.value ? h(ElTabs, { modelValue: tab.value, 'onUpdate:modelValue': (v) => { tab.value = v; } }, () => [
        h(ElTabPane, { name: 'deliveries', label: t('ct.safety.deliveries') }, () => [
          h(ElButton, { size: 'small', type: 'primary', onClick: () => { location.hash = '#/c/food_deliveries/new'; } }, () => t('ct.safety.newDelivery')),
          table(rows.value.deliveries, [
            col('delivered_on', t('ct.safety.col.delivered'), null, 100),
            col('product', t('ct.safety.col.product'), (r) => link('food_deliveries', r.id, r.product), 120),
            col('supplier_name', t('ct.safety.col.supplier'), null, 180),
            col('quantity', t('ct.safety.col.quantity'), (r) => `${r.quantity} ${r.unit}`),
            col('batch', t('ct.safety.col.batch')),
            col('expires_on', t('ct.safety.col.expires'), (r) => r.expires_on || '—'),
            col('result', t('ct.safety.col.result'), (r) => h(ElTag, { size: 'small', type: r.result === 'accepted' ? 'success' : 'danger' }, () => t('ct.safety.result.' + r.result))),
            col('keep_until', t('ct.safety.col.keepUntil')),
          ], 'ct-deliveries'),
        ]),
        h(ElTabPane, { name: 'samples', label: t('ct.safety.samples') }, () => [
          h(ElButton, { size: 'small', type: 'primary', onClick: () => { location.hash = '#/c/food_samples/new'; } }, () => t('ct.safety.newSample')),
          table(rows.value.samples, [
            col('day', t('ct.safety.col.day'), (r) => `${r.day} ${t('ct.meal.' + r.meal)}`, 130),
            col('dish', t('ct.safety.col.dish'), (r) => link('food_samples', r.id, r.dish), 110),
            col('weight_g', t('ct.safety.col.weight'), (r) => `${r.weight_g} g`),
            col('taken_by', t('ct.safety.col.takenBy')),
            col('keep_until', t('ct.safety.col.left'), (r) => {
              if (r.status !== 'kept') return h(ElTag, { size: 'small', type: r.discarded_early ? 'danger' : 'info' }, () => t(r.discarded_early ? 'ct.safety.early' : 'ct.safety.discarded'));
              const left = hoursLeft(r.keep_until);
              return left > 0 ? h(ElTag, { size: 'small', type: 'success', 'data-test': 'ct-sample-left' }, () => t('ct.safety.hoursLeft', { n: left })) : h(ElTag, { size: 'small', type: 'info' }, () => t('ct.safety.mayDiscard'));
            }, 120),
          ], 'ct-samples'),
        ]),
        h(ElTabPane, { name: 'certificates', label: t('ct.safety.certificates') }, () => [
          h(ElButton, { size: 'small', type: 'primary', onClick: () => { location.hash = '#/c/health_certificates/new'; } }, () => t('ct.safety.newCert')),
          table(rows.value.certificates, [
            col('worker_name', t('ct.safety.col.worker'), (r) => link('health_certificates', r.id, r.worker_name)),
            col('post', t('ct.safety.col.post')),
            col('canteen_id', t('ct.meals.canteen'), (r) => name(r.canteen_id), 140),
            col('certificate_no', t('ct.safety.col.certNo'), null, 120),
            col('expires_on', t('ct.safety.col.validUntil'), (r) => h(ElTag, { size: 'small', type: certColour(r.expires_on), 'data-test': 'ct-cert-expiry' }, () => r.expires_on), 110),
          ], 'ct-certificates'),
        ]),
        h(ElTabPane, { name: 'inspections', label: t('ct.safety.inspections') }, () => [
          h(ElButton, { size: 'small', type: 'primary', onClick: () => { location.hash = '#/c/food_inspections/new'; } }, () => t('ct.safety.newInspection')),
          table(rows.value.inspections, [
            col('day', t('ct.safety.col.day'), (r) => link('food_inspections', r.id, r.day)),
            col('kind', t('ct.safety.col.kind'), (r) => t('ct.safety.kind.' + r.kind)),
            col('inspector', t('ct.safety.col.inspector'), null, 130),
            col('findings', t('ct.safety.col.findings'), null, 220),
            col('status', t('ct.safety.col.status'), (r) => h(ElTag, { size: 'small', type: r.status === 'open' ? (r.rectify_by < today() ? 'danger' : 'warning') : 'success' }, () => t('ct.safety.status.' + r.status))),
            col('rectify_by', t('ct.safety.col.rectifyBy'), (r) => r.rectify_by || '—'),
          ], 'ct-inspections'),
        ]),
      ]) : null,
    ]);
  },
});
