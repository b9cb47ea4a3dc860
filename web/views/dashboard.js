// Home: one card per summary card of every module (GET /api/v1/summary/{module}).
// ECharts is loaded only when a chart is drawn.
import { defineComponent, h, ref, onMounted, onBeforeUnmount, watch } from 'vue';
import { ElCard, ElAlert, ElSkeleton } from 'element-plus';
import { t, label, locale } from '../lib/i18n.js';
import { api } from '../lib/api.js';
import { href } from '../lib/router.js';
import { state, modules, can } from '../lib/session.js';
import { registerCard, cardComponent } from '../lib/registry.js';
import { problemText } from './login.js';

let echartsModule = null;
export function loadEcharts() {
  echartsModule ||= import('echarts');
  return echartsModule;
}

// A chart that follows its container's size; option is an ECharts option.
export const Chart = defineComponent({
  name: 'Chart',
  props: { option: { type: Object, required: true }, height: { type: Number, default: 220 }, ariaLabel: String },
  setup(props) {
    const el = ref(null);
    let chart = null;
    let observer = null;
    onMounted(async () => {
      const echarts = await loadEcharts();
      if (!el.value) return;
      chart = echarts.init(el.value, null, { renderer: 'svg' });
      chart.setOption(props.option);
      observer = new ResizeObserver(() => chart && chart.resize());
      observer.observe(el.value);
    });
    watch(() => props.option, (o) => chart && chart.setOption(o, true));
    onBeforeUnmount(() => {
      if (observer) observer.disconnect();
      if (chart) chart.dispose();
      chart = null;
    });
    return () => h('div', { ref: el, class: 'chart', role: 'img', 'aria-label': props.ariaLabel, style: { height: props.height + 'px' } });
  },
});

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
      h('div', { class: 'dash-grid' }, summaries.value.flatMap(cardsOf)),
    ]);
  },
});
