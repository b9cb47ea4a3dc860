// Charts: ECharts (loaded when the first chart is drawn) in a box that follows
// its container's size, and the card around one.
import { defineComponent, h, ref, onMounted, onBeforeUnmount, watch } from 'vue';
import { ElCard, ElSkeleton } from 'element-plus';

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

// A report's chart in a card titled `title`; a skeleton while option is null.
export function chartCard(title, option, height, test, cls = '') {
  return h(ElCard, { class: ['dash-card', cls], shadow: 'never', 'data-test': test }, {
    header: () => h('h2', { class: 'card-title' }, title),
    default: () => (option ? h(Chart, { option, height, ariaLabel: title }) : h(ElSkeleton, { rows: 5, animated: true })),
  });
}
