// A dialog that asks for a few values before an action (a note, a reason, a
// date, an amount, a choice) and performs it: fields [{name, label, required, rows, max,
// type: 'text' | 'date' | 'money' | 'select', options ([{value, label}] of a
// select, searchable), value, sends}] (sends: the server's name of
// the field, when it differs); run(values) posts the action. Required fields
// are checked first; the server's field errors are shown at their fields, any
// other refusal above them.
import { defineComponent, h, ref, reactive } from 'vue';
import { ElDialog, ElForm, ElFormItem, ElInput, ElButton, ElAlert, ElDatePicker, ElMessage, ElSelect, ElOption } from 'element-plus';
import { t } from '../lib/i18n.js';
import { api, problemText, placeErrors } from '../lib/api.js';
import { refreshBell } from './bell.js';

// The values typed into the dialog that are not blank, trimmed: the body of
// an action whose note or reason is optional ({} when none was typed).
export function filled(values, ...names) {
  const out = {};
  for (const n of names) {
    const v = typeof values[n] === 'string' ? values[n].trim() : values[n];
    if (v !== '' && v != null) out[n] = v;
  }
  return out;
}

// The props of an AskDialog ({title, test, submitText, fields, …}) whose
// action posts the fields typed (those not left blank) to path.
export function postDialog(path, props) {
  return { ...props, run: (v) => api('POST', path, { body: filled(v, ...props.fields.map((f) => f.name)) }) };
}

export const AskDialog = defineComponent({
  name: 'AskDialog',
  props: {
    title: String, subject: String, fields: Array, submitText: String, test: String, run: Function, danger: Boolean,
    ent: Object,             // the metadata of the collection acted on: the words of its errors
    errorText: Function,     // e → the words of a refusal (default: problemText(e, ent))
    doneText: String,        // said once the action is done
  },
  emits: ['close', 'done', 'refused'],
  setup(props, { emit }) {
    const values = reactive(Object.fromEntries(props.fields.map((f) => [f.name, f.value ?? (f.type === 'money' ? null : '')])));
    const errors = reactive({});
    const alert = ref(null);   // {title, detail}
    const busy = ref(false);

    async function send() {
      alert.value = null;
      let bad = false;
      for (const f of props.fields) {
        errors[f.name] = '';
        const v = values[f.name];
        if (f.required && (v == null || String(v).trim() === '')) { errors[f.name] = t('srv.required'); bad = true; }
      }
      if (bad) return;
      busy.value = true;
      try {
        const r = await props.run({ ...values });
        refreshBell();
        if (props.doneText) ElMessage({ type: 'success', message: props.doneText });
        emit('done', r);
      } catch (e) {
        const at = (name) => (props.fields.find((x) => x.name === name || x.sends === name) || {}).name || null;
        if (!placeErrors(e, errors, at, props.ent)) {
          alert.value = { title: props.errorText ? props.errorText(e) : problemText(e, props.ent) };
        }
        // the record moved on meanwhile: the page shows where it is now
        if (e.status === 409) emit('refused', e);
      } finally {
        busy.value = false;
      }
    }

    function input(f, id) {
      if (f.type === 'date') {
        return h(ElDatePicker, {
          id, modelValue: values[f.name], type: 'date', valueFormat: 'YYYY-MM-DD', format: 'YYYY-MM-DD', class: 'w-full',
          ariaLabel: f.label, clearable: !f.required, 'onUpdate:modelValue': (v) => { values[f.name] = v || ''; },
        });
      }
      if (f.type === 'select') {
        return h(ElSelect, {
          id, modelValue: values[f.name], filterable: true, class: 'w-full', ariaLabel: f.label,
          'onUpdate:modelValue': (v) => { values[f.name] = v; },
        }, () => (f.options || []).map((o) => h(ElOption, { key: o.value, value: o.value, label: o.label })));
      }
      if (f.type === 'money') {
        return h(ElInput, {
          id, modelValue: values[f.name] == null ? '' : String(values[f.name]), inputmode: 'decimal', placeholder: '0.00',
          'onUpdate:modelValue': (v) => { values[f.name] = v.replace(/[^0-9.]/g, ''); },
        }, { prefix: () => h('span', '¥') });
      }
      return h(ElInput, {
        id, modelValue: values[f.name], type: f.rows ? 'textarea' : 'text', rows: f.rows || undefined,
        maxlength: f.max || undefined, showWordLimit: !!f.max && f.max >= 200,
        'onUpdate:modelValue': (v) => { values[f.name] = v; },
      });
    }

    return () => h(ElDialog, {
      modelValue: true, title: props.title, width: 'min(480px, 96vw)', appendToBody: true, class: 'ask-dialog',
      'onUpdate:modelValue': (v) => { if (!v) emit('close'); },
    }, {
      default: () => h('div', { 'data-test': props.test }, [
        props.subject ? h('p', { class: 'dialog-subject' }, props.subject) : null,
        alert.value ? h(ElAlert, {
          type: 'error', showIcon: true, closable: false, title: alert.value.title, description: alert.value.detail || undefined,
          class: 'mb', role: 'alert', 'data-test': `${props.test}-error`,
        }) : null,
        h(ElForm, { labelPosition: 'top', onSubmit: (e) => { e.preventDefault(); send(); } }, () => props.fields.map((f) => {
          const id = `${props.test}-${f.name}`;
          return h(ElFormItem, { key: f.name, label: f.label, for: id, required: !!f.required, error: errors[f.name] || '', 'data-test': id }, () => input(f, id));
        })),
      ]),
      footer: () => [
        h(ElButton, { onClick: () => emit('close') }, () => t('common.cancel')),
        h(ElButton, {
          type: props.danger ? 'danger' : 'primary', loading: busy.value, onClick: send, 'data-test': `${props.test}-submit`,
        }, () => props.submitText || t('common.confirm')),
      ],
    });
  },
});
