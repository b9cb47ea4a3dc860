// Home: one card per summary card of every module (GET /api/v1/summary/{module}).
// ECharts is loaded only when a chart is drawn (components/chart.js).
import { defineComponent, h, ref, onMounted } from 'vue';
import { ElCard, ElAlert, ElSkeleton } from 'element-plus';
import { t, label, locale } from '../lib/i18n.js';
import { href } from '../lib/router.js';
import { state, modules, can } from '../lib/session.js';
import { registerCard, cardComponent, homeItems } from '../lib/registry.js';
import { api, problemText } from '../lib/api.js';
import { Chart } from '../components/chart.js';

// kind "counts": records per collection, as a bar chart and the numbers.
const CountsCard = defineComponent({
  name: 'CountsCard',
  props: { card: { type: Object, required: true }, module: Object },
  setup(props) {
    return () => {
      const items = props.card.items || [];
      const fmt = new Intl.NumberFormat(locale.value);
      const option = {
        grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        xAxis: { type: 'value', minInterval: 1 },
        yAxis: { type: 'category', inverse: true, data: items.map((i) => label(i)) },
        series: [{ type: 'bar', data: items.map((i) => i.count), itemStyle: { color: '#b91c1c' }, barMaxWidth: 22, label: { show: true, position: 'right' } }],
        animation: false,
      };
      return h('div', { class: 'counts-card' }, [
        h(Chart, { option, height: Math.max(120, items.length * 36 + 24), ariaLabel: label(props.card) }),
        h('ul', { class: 'counts-list' }, items.map((i) => h('li', { key: i.collection, 'data-test': 'count-' + i.collection }, [
          can(i.collection, 'read') ? h('a', { href: href('/c/' + i.collection) }, label(i)) : h('span', label(i)),
          h('strong', fmt.format(i.count)),
        ]))),
      ]);
    };
  },
});
registerCard('counts', CountsCard);

// kind "kpi": key figures, e.g. {count, open, respond_sla_pct, satisfaction_pct, avg_score, …,
// period: {from, to}}. Known keys have labels in web/i18n (kpi.<key>); a card may name others
// with labels: {key: {zh, en}}. Keys ending in _pct are percentages, _min minutes; avg_ figures
// have one decimal; _fen figures are money, shown in yuan with two decimals.
const KPI_ORDER = ['count', 'open', 'resolved', 'respond_sla_pct', 'resolve_sla_pct', 'satisfaction_pct',
  'avg_score', 'rated', 'mean_respond_min', 'mean_resolve_min'];
const KPI_SKIP = new Set(['id', 'kind', 'zh', 'en', 'period', 'labels', 'link']);

export function formatKpi(key, v) {
  if (v === null || v === undefined) return '—';
  const num = (n, d) => new Intl.NumberFormat(locale.value, { maximumFractionDigits: d, minimumFractionDigits: 0 }).format(n);
  if (key.endsWith('_pct')) return num(v, 1) + '%';
  // money in fen: yuan with two decimals
  if (key.endsWith('_fen')) return new Intl.NumberFormat(locale.value, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(v / 100);
  if (key.endsWith('_min')) {
    if (v < 120) return t('kpi.minutes', { n: num(v, 0) });
    if (v < 60 * 48) return t('kpi.hours', { n: num(v / 60, 1) });
    return t('kpi.days', { n: num(v / 1440, 1) });
  }
  // the server rounds shares and means half up to one decimal (66.7, 4.3): shown as sent
  if (key.startsWith('avg_')) return num(v, 1);
  return num(v, 2);
}

export function kpiLabel(card, key) {
  if (card && card.labels && card.labels[key]) return label(card.labels[key]);
  const s = t('kpi.' + key);
  return s === 'kpi.' + key ? key : s;
}

export const KpiCard = defineComponent({
  name: 'KpiCard',
  props: { card: { type: Object, required: true }, module: Object },
  setup(props) {
    return () => {
      const c = props.card;
      const keys = Object.keys(c).filter((k) => !KPI_SKIP.has(k) && (typeof c[k] === 'number' || c[k] === null));
      keys.sort((a, b) => {
        const ia = KPI_ORDER.indexOf(a), ib = KPI_ORDER.indexOf(b);
        return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
      });
      return h('div', { class: 'kpi-card' }, [
        c.period ? h('p', { class: 'kpi-period' }, t('kpi.period', { from: c.period.from || '', to: c.period.to || '' })) : null,
        h('dl', { class: 'kpi-grid' }, keys.map((k) => h('div', { key: k, class: ['kpi', k.endsWith('_pct') ? 'is-pct' : ''], 'data-test': 'kpi-' + k }, [
          h('dt', kpiLabel(c, k)),
          h('dd', formatKpi(k, c[k])),
        ]))),
      ]);
    };
  },
});
registerCard('kpi', KpiCard);

export const DashboardView = defineComponent({
  name: 'DashboardView',
  setup() {
    const summaries = ref(modules().map((m) => ({ module: m, cards: null, error: null })));
    state.crumb = null;
    onMounted(() => {
      summaries.value.forEach((s, i) => {
        api('GET', '/summary/' + s.module.name)
          .then((r) => { summaries.value[i] = { ...s, cards: r.cards || [] }; })
          .catch((e) => { summaries.value[i] = { ...s, error: e, cards: [] }; });
      });
    });

    function homeLinks() {
      const items = homeItems();
      if (!items.length) return null;
      return h('nav', { class: 'home-links', 'aria-label': t('dashboard.quick') }, items.map((x) => h('a', {
        key: x.path, class: 'home-link', href: href(x.path), 'data-test': x.test || 'home-' + x.path,
      }, [x.icon ? h(x.icon, { class: 'home-link-icon', 'aria-hidden': 'true' }) : null, h('span', label(x))])));
    }

    function cardsOf(s) {
      if (s.error) {
        if (s.error.status === 403 || s.error.status === 404) return [];
        return [h(ElCard, { key: s.module.name + ':error', class: 'dash-card', header: label(s.module) },
          () => h(ElAlert, { type: 'error', closable: false, title: problemText(s.error) }))];
      }
      if (!s.cards) {
        return [h(ElCard, { key: s.module.name + ':loading', class: 'dash-card', header: label(s.module) }, () => h(ElSkeleton, { rows: 3, animated: true }))];
      }
      return s.cards.filter((c) => cardComponent(c.kind)).map((c) => h(ElCard, {
        key: s.module.name + ':' + c.id, class: 'dash-card', 'data-test': `card-${s.module.name}-${c.id}`, shadow: 'hover',
      }, {
        header: () => h('h2', { class: 'card-title' }, [h('span', label(s.module)), ' · ', h('span', label(c))]),
        default: () => h(cardComponent(c.kind), { card: c, module: s.module }),
      }));
    }

    return () => h('section', { class: 'page dashboard', 'data-test': 'dashboard' }, [
      h('div', { class: 'page-head' }, [h('h1', { class: 'page-title' }, t('dashboard.title'))]),
      h('p', { class: 'hint' }, t('dashboard.welcome', { name: (state.user && (state.user.display_name || state.user.username)) || '' })),
      homeLinks(),
      h('div', { class: 'dash-grid' }, summaries.value.flatMap(cardsOf)),
    ]);
  },
});
