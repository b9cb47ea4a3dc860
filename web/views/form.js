// Create and edit a record of any collection, with widgets by field type.
import { defineComponent, h, ref, reactive, computed, onMounted } from 'vue';
import { ElForm, ElFormItem, ElButton, ElAlert, ElMessage, ElMessageBox, ElSkeleton } from 'element-plus';
import { t, label } from '../lib/i18n.js';
import { api, problemText, placeErrors } from '../lib/api.js';
import { go, href } from '../lib/router.js';
import { state, collection, fields, isSystem, isMasked, rememberTitle, invalidateTree } from '../lib/session.js';
import { loadRecord } from '../lib/record.js';
import { toInput, fromInput, checkInput } from '../lib/fields.js';
import { FieldInput } from '../components/inputs.js';
import { pendingUploads } from '../components/photos.js';
import { phone } from '../components/layout.js';
import { errorSlot, focusFirstError } from '../components/form-field.js';
import { pageHead } from '../components/page-head.js';

export const FormView = defineComponent({
  name: 'FormView',
  props: { c: { type: String, required: true }, id: { type: [String, Number], default: null } },
  setup(props) {
    const coll = computed(() => collection(props.c));
    const editable = computed(() => fields(coll.value).filter((f) => !isSystem(f) && !f.readonly));
    const values = reactive({});
    const original = ref(null);       // the record being edited
    const errors = reactive({});
    const alert = ref(null);          // {title, detail, stale}
    const busy = ref(false);
    const loadError = ref(null);
    const ready = ref(!props.id);

    state.crumb = null;

    function fill(rec) {
      for (const f of editable.value) values[f.name] = toInput(f, rec ? rec[f.name] : f.default);
    }

    async function load() {
      loadError.value = null;
      try {
        const r = await loadRecord(props.c, props.id);
        original.value = r;
        fill(r);
        ready.value = true;
      } catch (e) {
        loadError.value = e;
      }
    }

    onMounted(() => {
      if (props.id) load();
      else fill(null);
    });

    // The body to send, or null when a field is at fault (errors are set).
    function body() {
      const out = {};
      let bad = false;
      for (const f of editable.value) {
        errors[f.name] = '';
        const v = values[f.name];
        const problem = checkInput(f, typeof v === 'string' && f.type !== 'json' ? v.trim() : v);
        const [sendable, convError] = fromInput(f, typeof v === 'string' && f.type !== 'json' ? v.trim() : v);
        if (problem || convError) {
          errors[f.name] = problem || convError;
          bad = true;
          continue;
        }
        if (original.value) {
          if (JSON.stringify(sendable) !== JSON.stringify(original.value[f.name] ?? null)) out[f.name] = sendable;
        } else if (sendable !== null && !(f.type === 'text' && sendable === '')) {
          out[f.name] = sendable;
        }
      }
      return bad ? null : out;
    }

    async function save() {
      alert.value = null;
      if (pendingUploads.value) {
        alert.value = { title: t('photos.wait') };
        return;
      }
      const b = body();
      if (!b) {
        alert.value = { title: t('form.fixFields') };
        focusFirstError('.record-form');
        return;
      }
      if (original.value && !Object.keys(b).length) {
        go(`/c/${props.c}/${props.id}`);
        return;
      }
      busy.value = true;
      try {
        const r = original.value
          ? await api('PATCH', `/${props.c}/${props.id}`, { body: b, headers: { 'If-Match': `"${original.value.version}"` } })
          : await api('POST', `/${props.c}`, { body: b });
        rememberTitle(props.c, r);
        invalidateTree(props.c);
        ElMessage({ type: 'success', message: t(original.value ? 'form.saved' : 'form.created') });
        await showOnce(r);
        go(`/c/${props.c}/${r.id}`);
      } catch (e) {
        const ent = coll.value;
        const placed = placeErrors(e, errors, (f) => (f in values ? f : null), ent);
        const others = (e.errors || []).filter((fe) => !(fe.field && fe.field in values));
        if (e.code === 'BUR-401') alert.value = { title: t('form.stale'), detail: problemText(e, ent), stale: true };
        else if (e.status === 422 || e.status === 409) {
          // the fields' own errors at them, the others (fields not on the form) under the title
          alert.value = placed
            ? { title: t('form.fixFields'), detail: others.length ? problemText({ status: 422, errors: others }, ent) : '' }
            : { title: problemText(e, ent) };
          focusFirstError('.record-form');
        } else {
          alert.value = { title: problemText(e, ent), detail: e.network || e.server ? t('form.kept') : '' };
        }
      } finally {
        busy.value = false;
      }
    }

    // A created record may come with something shown only this once (an API
    // token's secret): any answer key that is not a field of the collection.
    async function showOnce(r) {
      const known = new Set(coll.value.fields.map((f) => f.name));
      const extra = Object.entries(r).filter(([k, v]) => !known.has(k) && v != null && typeof v !== 'object');
      if (!extra.length) return;
      const body = h('div', { 'data-test': 'shown-once' }, [
        h('p', t('form.shownOnce')),
        ...extra.map(([k, v]) => h('div', { class: 'secret' }, [h('div', { class: 'filter-label' }, t('form.once.' + k) !== 'form.once.' + k ? t('form.once.' + k) : k), h('code', { 'data-test': 'shown-once-' + k }, String(v))])),
      ]);
      try {
        await ElMessageBox.alert(body, t('form.shownOnceTitle'), { confirmButtonText: t('common.ok'), type: 'warning' });
      } catch { /* closed */ }
    }

    async function reloadKeeping() {
      // take the newer version, keep what the user typed where it differs
      const typed = { ...values };
      await load();
      Object.assign(values, typed);
      alert.value = null;
    }

    const cancelHref = computed(() => href(props.id ? `/c/${props.c}/${props.id}` : `/c/${props.c}`));

    return () => {
      const c = coll.value;
      if (loadError.value) {
        return h('section', { class: 'page' }, h(ElAlert, { type: 'error', showIcon: true, closable: false, title: problemText(loadError.value, c) }));
      }
      if (!ready.value) return h('section', { class: 'page' }, h(ElSkeleton, { rows: 6, animated: true }));
      const title = props.id ? t('form.editTitle', { name: state.crumb || '#' + props.id }) : t('form.createTitleOf', { name: label(c) });
      return h('section', { class: 'page form-page', 'data-test': 'form-' + props.c }, [
        pageHead(title),
        alert.value ? h(ElAlert, {
          type: 'error', showIcon: true, closable: false, title: alert.value.title, description: alert.value.detail || undefined,
          class: 'mb', 'data-test': 'form-error', role: 'alert',
        }, alert.value.stale ? { default: () => h(ElButton, { size: 'small', onClick: reloadKeeping, 'data-test': 'form-reload' }, () => t('form.reload')) } : undefined) : null,
        h(ElForm, {
          class: 'record-form', labelPosition: phone.value ? 'top' : 'right', labelWidth: phone.value ? undefined : 'auto',
          'data-test': 'record-form', novalidate: true,
          onSubmit: (e) => { e.preventDefault(); save(); },
        }, () => [
          ...editable.value.map((f) => h(ElFormItem, {
            key: f.name, label: label(f), for: `f-${c.name}-${f.name}`, required: !!f.required && f.type !== 'bool',
            error: errors[f.name] || '', 'data-test': 'field-' + f.name,
          }, {
            default: () => h(FieldInput, {
              field: f, inputId: `f-${c.name}-${f.name}`, modelValue: values[f.name],
              // a value this role sees masked stays as it is (the server refuses it)
              disabled: isMasked(c, f.name),
              'onUpdate:modelValue': (v) => { values[f.name] = v; if (errors[f.name]) errors[f.name] = ''; },
            }),
            ...errorSlot(f.name),
          })),
          h('div', { class: 'form-actions' }, [
            h(ElButton, { type: 'primary', nativeType: 'submit', loading: busy.value, 'data-test': 'save' }, () => t('common.save')),
            h('a', { class: 'el-button', href: cancelHref.value, 'data-test': 'cancel' }, t('common.cancel')),
          ]),
        ]),
      ]);
    };
  },
});
