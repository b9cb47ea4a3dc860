// A form's fields and errors: each field's error at it (marked error-<name>
// for the tests and read out as an alert), the first of them focused, and the
// words above the form.
import { h } from 'vue';
import { ElFormItem, ElAlert } from 'element-plus';
import { t } from '../lib/i18n.js';
import { problemText } from '../lib/api.js';

// The error slot of an ElFormItem for field `name`.
export function errorSlot(name) {
  return { error: ({ error }) => h('div', { class: 'el-form-item__error', 'data-test': 'error-' + name, role: 'alert' }, error) };
}

// One field of a form (data-test field-<name>): its label, its widget(s) and its error.
// opts: {label, for (the widget's id), required, error, class}
export function fieldItem(name, opts, content) {
  return h(ElFormItem, {
    label: opts.label, for: opts.for || undefined, required: !!opts.required, error: opts.error || '', 'data-test': 'field-' + name, class: opts.class,
  }, { default: () => content, ...errorSlot(name) });
}

// The words above a form (null when there are none).
export function formError(text) {
  return text ? h(ElAlert, { type: 'error', showIcon: true, closable: false, title: text, class: 'mb', 'data-test': 'form-error', role: 'alert' }) : null;
}

// After the next paint: focus the first field in error within `scope` (a selector), and show it.
export function focusFirstError(scope, { scroll = false, buttons = false } = {}) {
  requestAnimationFrame(() => {
    const sel = ['input', 'textarea', ...(buttons ? ['button'] : [])].map((x) => `${scope} .is-error ${x}`).join(', ');
    const el = document.querySelector(sel);
    if (!el) return;
    el.focus();
    if (scroll) el.scrollIntoView({ block: 'center' });
  });
}

// The words above a form the server refused: "fix the fields" when its errors
// were placed at them (placed: how many), else the refusal (in the page's
// words(e), by default problemText); after a network failure or server
// trouble, that what was typed is kept.
export function formAlert(e, placed, ent, words = (x) => problemText(x, ent)) {
  const text = placed ? t('form.fixFields') : words(e);
  return e.network || e.server ? text + ' ' + t('form.kept') : text;
}
