// The filter bar of a list. Filters live in the address as the API's own
// query parameters (name[contains]=…, joined_on[gte]=…), so a list can be
// bookmarked, and export links reuse them as they are.
import { defineComponent, h, ref, computed, onBeforeUnmount } from 'vue';
import { ElInput, ElInputNumber, ElSelect, ElOption, ElDatePicker, ElButton } from 'element-plus';
import { Search } from '@element-plus/icons-vue';
import { t, label } from '../lib/i18n.js';
import { fields, isSystem } from '../lib/session.js';
import { phone } from './layout.js';
import { offsetString } from '../lib/time.js';
import { refWidget } from './inputs.js';

// The query keys a field's filter may set.
export function filterKeys(f) {
  switch (f.type) {
    case 'text': return [f.name + '[contains]'];
    case 'enum': return [f.name + '[in]'];
    case 'bool': case 'ref': return [f.name];
    case 'date': case 'datetime': case 'int': case 'decimal': case 'money':
      return [f.name + '[gte]', f.name + '[lte]'];
    default: return [];
  }
}

// Which fields get a filter: [shown at once, behind "more filters"].
export function filterFields(coll) {
  const all = fields(coll).filter((f) => f.filter && f.type !== 'json' && filterKeys(f).length);
  const main = all.filter((f) => !isSystem(f) && (f.list || f.name === coll.title));
  const more = all.filter((f) => !main.includes(f) && !['id', 'version', 'created_by'].includes(f.name));
  return [main, more];
}

export function hasSearch(coll) { return fields(coll).some((f) => f.search); }

const uid = (coll, key) => `flt-${coll.name}-${key.replace(/\W+/g, '-')}`;

export const FilterBar = defineComponent({
  name: 'FilterBar',
  props: {
    coll: { type: Object, required: true },
    query: { type: Object, required: true },   // current filter parameters
  },
  emits: ['change'],                           // ({key: value|null, …})
  setup(props, { emit }) {
    const showMore = ref(false);
    const open = ref(false);                   // phone: the filters fold away
    const typed = ref({});                     // text boxes, before the debounce fires
    const timers = {};
    onBeforeUnmount(() => Object.values(timers).forEach(clearTimeout));

    const set = (patch) => emit('change', patch);
    const val = (key) => props.query[key] ?? null;

    function typeText(key, v) {
      typed.value = { ...typed.value, [key]: v };
      clearTimeout(timers[key]);
      timers[key] = setTimeout(() => set({ [key]: v.trim() || null }), 400);
    }
    function textValue(key) { return key in typed.value ? typed.value[key] : val(key) || ''; }

    function control(f) {
      const name = label(f);
      const id = uid(props.coll, f.name);
      switch (f.type) {
        case 'text': {
          const key = f.name + '[contains]';
          return h(ElInput, {
            id, modelValue: textValue(key), 'onUpdate:modelValue': (v) => typeText(key, v), clearable: true,
            placeholder: t('filter.contains'), onKeyup: (e) => { if (e.key === 'Enter') set({ [key]: textValue(key).trim() || null }); },
          });
        }
        case 'enum': {
          const key = f.name + '[in]';
          const cur = val(key) ? val(key).split(',') : [];
          return h(ElSelect, {
            id, ariaLabel: name, modelValue: cur, multiple: true, collapseTags: true, clearable: true, placeholder: t('filter.all'),
            'onUpdate:modelValue': (v) => set({ [key]: v.length ? v.join(',') : null }),
          }, () => (f.values || []).map((e) => h(ElOption, { key: e.value, value: e.value, label: label(e) })));
        }
        case 'bool':
          return h(ElSelect, {
            id, ariaLabel: name, modelValue: val(f.name), clearable: true, placeholder: t('filter.all'),
            'onUpdate:modelValue': (v) => set({ [f.name]: v || null }),
          }, () => [h(ElOption, { value: 'true', label: t('common.yes') }), h(ElOption, { value: 'false', label: t('common.no') })]);
        case 'ref':
          return h(refWidget(f), {
            target: f.ref, inputId: id, ariaLabel: name, modelValue: val(f.name), placeholder: t('filter.all'),
            'onUpdate:modelValue': (v) => set({ [f.name]: v == null ? null : String(v) }),
          });
        case 'date':
        case 'datetime': {
          const [lo, hi] = filterKeys(f);
          const pick = (key, end) => h(ElDatePicker, {
            id: key === lo ? id : id + '-to', type: 'date', valueFormat: 'YYYY-MM-DD', format: 'YYYY-MM-DD', class: 'range-part',
            'aria-label': name + ' ' + t(end ? 'filter.to' : 'filter.from'), placeholder: t(end ? 'filter.to' : 'filter.from'),
            modelValue: val(key) ? val(key).slice(0, 10) : null,
            'onUpdate:modelValue': (d) => set({
              [key]: !d ? null : f.type === 'date' ? d : `${d}T${end ? '23:59:59' : '00:00:00'}${offsetString()}`,
            }),
          });
          return h('div', { class: 'range' }, [pick(lo, false), h('span', { class: 'range-sep', 'aria-hidden': 'true' }, '–'), pick(hi, true)]);
        }
        default: { // numbers; money is typed in yuan and filtered in fen
          const [lo, hi] = filterKeys(f);
          const money = f.type === 'money';
          const num = (key, end) => h(ElInputNumber, {
            id: key === lo ? id : id + '-to', controls: false, valueOnClear: null, class: 'range-part',
            precision: f.type === 'int' ? 0 : money ? 2 : undefined,
            'aria-label': name + ' ' + t(end ? 'filter.max' : 'filter.min'), placeholder: t(end ? 'filter.max' : 'filter.min'),
            modelValue: val(key) == null ? null : Number(val(key)) / (money ? 100 : 1),
            'onUpdate:modelValue': (v) => set({ [key]: v == null ? null : String(money ? Math.round(v * 100) : v) }),
          });
          return h('div', { class: 'range' }, [num(lo, false), h('span', { class: 'range-sep', 'aria-hidden': 'true' }, '–'), num(hi, true)]);
        }
      }
    }

    function item(f) {
      return h('div', { class: 'filter-item', key: f.name, 'data-test': 'filter-' + f.name }, [
        h('label', { class: 'filter-label', for: uid(props.coll, f.name) }, label(f)),
        control(f),
      ]);
    }

    const groups = computed(() => filterFields(props.coll));
    const activeCount = computed(() => Object.keys(props.query).filter((k) => k !== 'sort' && k !== 'limit' && props.query[k] !== '').length);

    return () => {
      const [main, more] = groups.value;
      const folded = phone.value && !open.value;
      const qid = uid(props.coll, 'q');
      return h('div', { class: 'filter-bar', role: 'search', 'aria-label': t('filter.label'), 'data-test': 'filters' }, [
        hasSearch(props.coll) ? h('div', { class: 'filter-item filter-q', 'data-test': 'filter-q' }, [
          h('label', { class: 'filter-label', for: qid }, t('filter.search')),
          h(ElInput, {
            id: qid, modelValue: textValue('q'), 'onUpdate:modelValue': (v) => typeText('q', v), clearable: true,
            prefixIcon: Search, placeholder: t('filter.searchPlaceholder'),
          }),
        ]) : null,
        ...(folded ? [] : main.map(item)),
        ...(showMore.value && !folded ? more.map(item) : []),
        h('div', { class: 'filter-actions' }, [
          phone.value ? h(ElButton, {
            'data-test': 'filter-toggle', 'aria-expanded': String(open.value),
            onClick: () => { open.value = !open.value; },
          }, () => (open.value ? t('filter.less') : t('filter.label')) + (activeCount.value ? ` (${activeCount.value})` : '')) : null,
          more.length && !folded ? h(ElButton, {
            text: true, 'data-test': 'filter-more', 'aria-expanded': String(showMore.value),
            onClick: () => { showMore.value = !showMore.value; },
          }, () => (showMore.value ? t('filter.less') : t('filter.more'))) : null,
          activeCount.value ? h(ElButton, {
            text: true, type: 'primary', 'data-test': 'filter-reset',
            onClick: () => {
              typed.value = {};
              const patch = {};
              for (const k of Object.keys(props.query)) if (k !== 'sort' && k !== 'limit') patch[k] = null;
              set(patch);
            },
          }, () => t('filter.reset')) : null,
        ]),
      ]);
    };
  },
});
