// Input widgets chosen by field type, shared by forms and list filters.
import { defineComponent, h, ref, computed, watch, onMounted, onBeforeUnmount } from 'vue';
import {
  ElInput, ElInputNumber, ElSelect, ElOption, ElSwitch, ElDatePicker, ElTreeSelect,
} from 'element-plus';
import { t, label } from '../lib/i18n.js';
import { PhotosInput } from './photos.js';
import { api } from '../lib/api.js';
import { collection, fields, field as fieldOf, can, rememberTitle, resolveTitles, titleOf, treeOf } from '../lib/session.js';

function model(props, emit) {
  return {
    modelValue: props.modelValue,
    'onUpdate:modelValue': (v) => emit('update:modelValue', v),
  };
}

// How to ask a collection for records matching typed text.
function searchParams(collName, text) {
  const c = collection(collName);
  const q = (text || '').trim();
  if (!c || !q) return {};
  if (fields(c).some((f) => f.search)) return { q };
  const title = c.title && fieldOf(c, c.title);
  if (title && title.filter && title.type === 'text') return { [title.name + '[contains]']: q };
  return {};
}

// The props of a reference widget: the referenced collection, the id chosen.
const REF_PROPS = {
  target: { type: String, required: true },
  modelValue: { type: [Number, String], default: null },
  inputId: String,
  ariaLabel: String,
  clearable: { type: Boolean, default: true },
  placeholder: String,
};

// A reference chosen by searching the referenced collection on the server.
export const RefSelect = defineComponent({
  name: 'RefSelect',
  props: REF_PROPS,
  emits: ['update:modelValue'],
  setup(props, { emit }) {
    const found = ref([]);
    const loading = ref(false);
    let seq = 0;

    async function search(text) {
      const mine = ++seq;
      loading.value = true;
      try {
        const r = await api('GET', '/' + props.target, { query: { ...searchParams(props.target, text), limit: 20 } });
        if (mine !== seq) return;
        r.items.forEach((rec) => rememberTitle(props.target, rec));
        found.value = r.items.map((rec) => rec.id);
      } catch {
        if (mine === seq) found.value = [];
      } finally {
        if (mine === seq) loading.value = false;
      }
    }

    watch(() => props.modelValue, (v) => { if (v != null && v !== '') resolveTitles(props.target, [Number(v)]); }, { immediate: true });

    const options = computed(() => {
      const ids = found.value.slice();
      const v = props.modelValue == null || props.modelValue === '' ? null : Number(props.modelValue);
      if (v != null && !ids.includes(v)) ids.unshift(v);
      return ids.map((id) => ({ value: id, label: titleOf(props.target, id) }));
    });

    return () => {
      if (!can(props.target, 'read')) {
        return h(ElInputNumber, {
          ...model(props, emit), id: props.inputId, 'aria-label': props.ariaLabel, controls: false,
          valueOnClear: null, min: 1, precision: 0, placeholder: t('form.recordId'), class: 'w-full',
        });
      }
      return h(ElSelect, {
        modelValue: props.modelValue == null || props.modelValue === '' ? null : Number(props.modelValue),
        'onUpdate:modelValue': (v) => emit('update:modelValue', v === undefined || v === '' ? null : v),
        id: props.inputId, ariaLabel: props.ariaLabel, 'aria-label': props.ariaLabel,
        filterable: true, remote: true, remoteMethod: search, loading: loading.value,
        clearable: props.clearable, placeholder: props.placeholder || t('form.searchPlaceholder'),
        remoteShowSuffix: true, class: 'w-full',
        onVisibleChange: (open) => { if (open && !found.value.length) search(''); },
      }, () => options.value.map((o) => h(ElOption, { key: o.value, value: o.value, label: o.label })));
    };
  },
});

// A reference into a tree collection (departments) as a tree select.
export const TreeRefSelect = defineComponent({
  name: 'TreeRefSelect',
  props: REF_PROPS,
  emits: ['update:modelValue'],
  setup(props, { emit }) {
    const tree = ref(null);
    const loading = ref(false);
    let idle = null;

    // The whole tree is fetched when the select opens, or when the page is idle,
    // so that it does not compete with the page's own first request.
    async function load() {
      if (tree.value || loading.value) return;
      loading.value = true;
      try { tree.value = await treeOf(props.target); } catch { tree.value = null; }
      loading.value = false;
    }
    onMounted(() => {
      idle = (window.requestIdleCallback || ((f) => setTimeout(f, 300)))(load, { timeout: 1500 });
    });
    onBeforeUnmount(() => { if (idle && window.cancelIdleCallback) window.cancelIdleCallback(idle); });
    watch(() => props.modelValue, (v) => { if (v != null && v !== '') resolveTitles(props.target, [Number(v)]); }, { immediate: true });

    // Until the tree is there, the current value alone (with its title).
    const data = computed(() => {
      if (tree.value) return tree.value;
      const v = props.modelValue == null || props.modelValue === '' ? null : Number(props.modelValue);
      return v == null ? [] : [{ value: v, label: titleOf(props.target, v), children: [] }];
    });

    return () => h(ElTreeSelect, {
      modelValue: props.modelValue == null || props.modelValue === '' ? null : Number(props.modelValue),
      'onUpdate:modelValue': (v) => emit('update:modelValue', v === undefined || v === '' ? null : v),
      onVisibleChange: (open) => { if (open) load(); }, onFocus: load,
      data: data.value, loading: loading.value, nodeKey: 'value', checkStrictly: true, filterable: true,
      clearable: props.clearable, id: props.inputId,
      ariaLabel: props.ariaLabel, 'aria-label': props.ariaLabel,
      placeholder: props.placeholder || t('form.choose'), class: 'w-full',
      props: { label: 'label', children: 'children', value: 'value' },
    });
  },
});

export function refWidget(f) {
  const target = collection(f.ref);
  return f.widget === 'dept-tree' && target && target.tree_parent ? TreeRefSelect : RefSelect;
}

// The form widget of one field; modelValue is the widget value (see lib/fields.js toInput).
export const FieldInput = defineComponent({
  name: 'FieldInput',
  props: {
    field: { type: Object, required: true },
    modelValue: null,
    inputId: String,
    disabled: Boolean,
  },
  emits: ['update:modelValue'],
  setup(props, { emit }) {
    return () => {
      const f = props.field;
      const common = { ...model(props, emit), id: props.inputId, disabled: props.disabled };
      const name = label(f);
      if (f.widget === 'photos') {
        return h(PhotosInput, { ...model(props, emit), inputId: props.inputId, disabled: props.disabled, label: name });
      }
      switch (f.type) {
        case 'int':
        case 'decimal':
        case 'money':
          return h(ElInputNumber, {
            ...common, valueOnClear: null, controlsPosition: 'right', class: 'w-full',
            precision: f.type === 'int' ? 0 : f.type === 'money' ? 2 : f.scale ?? undefined,
            step: f.type === 'int' ? 1 : f.type === 'money' ? 1 : 0.1,
            'aria-label': name,
          }, f.type === 'money' ? { prefix: () => h('span', '¥') } : undefined);
        case 'bool':
          return h(ElSwitch, { ...common, 'aria-label': name, activeText: t('common.yes'), inactiveText: t('common.no'), inlinePrompt: true, size: 'large' });
        case 'date':
          return h(ElDatePicker, { ...common, type: 'date', valueFormat: 'YYYY-MM-DD', format: 'YYYY-MM-DD', class: 'w-full', 'aria-label': name, placeholder: t('form.pickDate') });
        case 'datetime':
          return h(ElDatePicker, { ...common, type: 'datetime', valueFormat: 'YYYY-MM-DDTHH:mm:ss', format: 'YYYY-MM-DD HH:mm', class: 'w-full', 'aria-label': name, placeholder: t('form.pickDatetime') });
        case 'enum':
          return h(ElSelect, { ...common, clearable: !f.required, class: 'w-full', ariaLabel: name, placeholder: t('form.choose') },
            () => (f.values || []).map((v) => h(ElOption, { key: v.value, value: v.value, label: label(v) })));
        case 'ref':
          return h(refWidget(f), { ...model(props, emit), target: f.ref, inputId: props.inputId, ariaLabel: name, clearable: !f.required });
        case 'json':
          return h(ElInput, { ...common, type: 'textarea', rows: 6, class: 'mono', spellcheck: false });
        default: {
          const long = f.widget === 'textarea' || (f.max_len || 200) > 200;
          // an identifier or number (format): typed with spaces, dots or +86 as people
          // write it, stored in its normal form; the hint shows the form
          const tel = f.widget === 'phone' || ['mobile', 'landline', 'phone'].includes(f.format);
          return h(ElInput, {
            ...common,
            type: long ? 'textarea' : tel ? 'tel' : 'text',
            rows: long ? 3 : undefined,
            maxlength: f.format ? (f.max_len || 200) + 12 : f.max_len || undefined,
            showWordLimit: !f.format && !!f.max_len && f.max_len >= 40,
            placeholder: props.disabled && f.mask ? t('format.masked') : f.format ? t('format.hint.' + f.format) : undefined,
            autocomplete: 'off',
          });
        }
      }
    };
  },
});
