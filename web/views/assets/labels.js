// SPDX-License-Identifier: MIT
// The label sheet (#/assets/labels?ids=…): the assets picked in the register
// (or a department's, or a search's), a label size — A4 sheets of 70×37 mm
// (3×8), 70×42.4 mm (3×7) or 63.5×38.1 mm (3×7), or 50×30 mm and 40×30 mm
// thermal rolls — and the browser's print: exact millimetres with @page.
import { defineComponent, h, ref, reactive, computed, onMounted, onBeforeUnmount, watch } from 'vue';
import { ElButton, ElSelect, ElOption, ElAlert, ElInput } from 'element-plus';
import { t } from '../../lib/i18n.js';
import { api, problemText } from '../../lib/api.js';
import { collection } from '../../lib/session.js';
import { route } from '../../lib/router.js';
import { pageHead } from '../../components/page-head.js';
import { TreeRefSelect } from '../../components/inputs.js';
import { A, loadStyles, departments, subtree } from './common.js';

// w × h of a label, the sheet (a4: cols × rows with margins and gaps; roll: one label a page)
export const SIZES = {
  a4_70x37: { w: 70, h: 37, cols: 3, rows: 8, top: 0.5, left: 0, gapX: 0, gapY: 0, sheet: 'a4' },
  a4_70x42: { w: 70, h: 42.4, cols: 3, rows: 7, top: 0, left: 0, gapX: 0, gapY: 0, sheet: 'a4' },
  a4_63x38: { w: 63.5, h: 38.1, cols: 3, rows: 7, top: 15.15, left: 7.2, gapX: 2.5, gapY: 0, sheet: 'a4' },
  roll_50x30: { w: 50, h: 30, sheet: 'roll' },
  roll_40x30: { w: 40, h: 30, sheet: 'roll' },
};

function pageCss(s) {
  if (s.sheet === 'roll') return `@page { size: ${s.w}mm ${s.h}mm; margin: 0; }`;
  return '@page { size: A4 portrait; margin: 0; }';
}

export const LabelsView = defineComponent({
  name: 'AssetLabelsView',
  setup() {
    loadStyles();
    const size = ref('a4_70x37');
    const items = ref([]);
    const error = ref(null);
    const pick = reactive({ dept: null, q: '' });
    const skip = ref(0);
    let style = null;
    async function byIds(ids) {
      const out = [];
      for (let i = 0; i < ids.length; i += 1000) {
        const r = await api('GET', `/${A}/labels`, { query: { ids: ids.slice(i, i + 1000).join(',') } });
        out.push(...r.items);
      }
      return out;
    }
    async function load(ids) {
      error.value = null;
      try { items.value = ids.length ? await byIds(ids) : []; } catch (e) { error.value = e; }
    }
    async function pickAssets() {
      const q = { limit: 500, sort: 'code' };
      if (pick.dept) q['department_id[in]'] = subtree(await departments(), pick.dept).slice(0, 100).join(',');
      if (pick.q.trim()) q.q = pick.q.trim();
      try {
        const r = await api('GET', '/' + A, { query: q });
        await load(r.items.filter((x) => x.status !== 'disposed').map((x) => x.id));
      } catch (e) { error.value = e; }
    }
    onMounted(() => {
      const ids = String(route.query.ids || '').split(',').filter((x) => /^\d+$/.test(x));
      load(ids);
      style = document.createElement('style');
      style.dataset.test = 'as-page-css';
      document.head.appendChild(style);
    });
    onBeforeUnmount(() => { if (style) style.remove(); });
    const spec = computed(() => SIZES[size.value]);
    watch([spec, () => style], () => { if (style) style.textContent = pageCss(spec.value); }, { immediate: true, flush: 'post' });
    onMounted(() => { if (style) style.textContent = pageCss(spec.value); });

    const label = (x) => h('div', { class: 'as-label', 'data-test': 'as-label', style: { width: spec.value.w + 'mm', height: spec.value.h + 'mm' } }, [
      h('div', { class: 'as-label-qr', innerHTML: x.qr_svg, role: 'img', 'aria-label': t('as.labels.qrAlt', { code: x.code }) }),
      h('div', { class: 'as-label-text' }, [
        h('strong', { class: 'as-label-code' }, x.code),
        h('span', { class: 'as-label-name' }, x.name),
        h('span', x.department),
        h('span', t('as.labels.acquired', { date: x.acquired_on })),
      ]),
    ]);
    const pages = () => {
      const s = spec.value;
      const all = [...Array(s.sheet === 'a4' ? skip.value : 0).fill(null), ...items.value];
      const per = s.sheet === 'a4' ? s.cols * s.rows : 1;
      const out = [];
      for (let i = 0; i < all.length; i += per) out.push(all.slice(i, i + per));
      return out.map((p, i) => h('section', {
        key: i, class: ['as-sheet', 'as-sheet-' + s.sheet], 'data-test': 'as-sheet',
        style: s.sheet === 'a4' ? {
          paddingTop: s.top + 'mm', paddingLeft: s.left + 'mm',
          gridTemplateColumns: `repeat(${s.cols}, ${s.w}mm)`, gridAutoRows: s.h + 'mm', columnGap: s.gapX + 'mm', rowGap: s.gapY + 'mm',
        } : { width: s.w + 'mm', height: s.h + 'mm' },
      }, p.map((x, j) => (x ? label(x) : h('div', { key: 'e' + j, class: 'as-label as-label-empty', style: { width: s.w + 'mm', height: s.h + 'mm' } })))));
    };
    return () => h('div', { class: 'as-page as-labels-page' }, [
      h('div', { class: 'as-noprint' }, [
        pageHead(t('as.labels.title'), [h(ElButton, { type: 'primary', disabled: !items.value.length, onClick: () => window.print(), 'data-test': 'as-print-now' }, () => t('as.labels.printNow'))]),
        h('div', { class: 'as-filters' }, [
          h('div', { class: 'as-filter' }, [h('label', { for: 'as-l-size' }, t('as.labels.size')),
            h(ElSelect, { id: 'as-l-size', ariaLabel: t('as.labels.size'), modelValue: size.value, 'onUpdate:modelValue': (v) => { size.value = v; }, 'data-test': 'as-size' },
              () => Object.keys(SIZES).map((k) => h(ElOption, { key: k, value: k, label: t('as.labels.sizes.' + k) })))]),
          spec.value.sheet === 'a4' ? h('div', { class: 'as-filter' }, [h('label', { for: 'as-l-skip' }, t('as.labels.skip')),
            h(ElInput, { id: 'as-l-skip', type: 'number', min: 0, max: 23, modelValue: String(skip.value), 'onUpdate:modelValue': (v) => { skip.value = Math.max(0, Math.min(spec.value.cols * spec.value.rows - 1, Number(v) || 0)); } })]) : null,
          h('div', { class: 'as-filter' }, [h('label', { for: 'as-l-dept' }, t('as.f.department')),
            h(TreeRefSelect, { target: 'departments', inputId: 'as-l-dept', ariaLabel: t('as.f.department'), modelValue: pick.dept, 'onUpdate:modelValue': (v) => { pick.dept = v; } })]),
          h('div', { class: 'as-filter' }, [h('label', { for: 'as-l-q' }, t('as.f.search')),
            h(ElInput, { id: 'as-l-q', modelValue: pick.q, clearable: true, 'onUpdate:modelValue': (v) => { pick.q = v; } })]),
          h(ElButton, { onClick: pickAssets, 'data-test': 'as-pick' }, () => t('as.labels.pick')),
        ]),
        error.value ? h(ElAlert, { type: 'error', closable: false, title: problemText(error.value, collection(A)) }) : null,
        h('p', { 'data-test': 'as-label-count' }, t('as.labels.count', { n: items.value.length })),
      ]),
      h('div', { class: 'as-sheets' }, pages()),
    ]);
  },
});
