// The trip request form (#/fleet/new, also #/c/trip_requests/new): purpose,
// where from and to, when, how many seats and who travels. Checked before
// sending (required fields, the end after the start, at most 31 days); the
// server's field errors are shown at their fields; then the request's page.
import { defineComponent, h, ref, reactive, onMounted } from 'vue';
import { ElForm, ElButton, ElMessage } from 'element-plus';
import { t, label } from '../../lib/i18n.js';
import { api, placeErrors } from '../../lib/api.js';
import { go } from '../../lib/router.js';
import { state, field, collection, rememberTitle } from '../../lib/session.js';
import { toInput, fromInput, checkInput } from '../../lib/fields.js';
import { addDays, today } from '../../lib/time.js';
import { recall, remember } from '../../lib/storage.js';
import { FieldInput } from '../../components/inputs.js';
import { refreshBell } from '../../components/bell.js';
import { fieldItem, formError, focusFirstError as focusIn, formAlert } from '../../components/form-field.js';
import { pageHead } from '../../components/page-head.js';
import { RQ, flError } from './common.js';

const FIELDS = ['purpose', 'origin', 'destination', 'start_at', 'end_at', 'seats_needed', 'passengers', 'contact_phone'];
const PLACE_KEY = 'bureau.fl.request';
const MAX_DAYS = 31;

export const NewTripView = defineComponent({
  name: 'NewTripView',
  setup() {
    const v = reactive({});
    const errors = reactive({});
    const alert = ref('');
    const busy = ref(false);
    state.crumb = null;

    const f = (name) => field(RQ, name) || { name, zh: name, en: name, type: 'text' };
    function init() {
      const last = recall(PLACE_KEY);
      for (const name of FIELDS) v[name] = toInput(f(name), f(name).default);
      v.seats_needed = v.seats_needed == null ? 1 : Number(v.seats_needed);
      v.origin = last.origin || '';
      v.contact_phone = last.contact_phone || '';
      // tomorrow morning, two hours, as a starting point
      const d = addDays(today(), 1);
      v.start_at = `${d}T09:00:00`;
      v.end_at = `${d}T11:00:00`;
    }
    init();
    onMounted(() => { if (!state.meta) init(); });

    function check() {
      let bad = false;
      for (const k of FIELDS) errors[k] = '';
      for (const name of FIELDS) {
        const fd = field(RQ, name);
        if (!fd) continue;
        const val = typeof v[name] === 'string' ? v[name].trim() : v[name];
        const p = checkInput(fd, val);
        if (p) { errors[name] = p; bad = true; }
      }
      if (!errors.start_at && !errors.end_at && v.start_at && v.end_at) {
        const a = Date.parse(v.start_at + 'Z'), b = Date.parse(v.end_at + 'Z');
        if (b <= a) { errors.end_at = t('fl.srv.endAfterStart'); bad = true; }
        else if (b - a > MAX_DAYS * 86400000) { errors.end_at = t('fl.srv.maxDays'); bad = true; }
      }
      return !bad;
    }

    const focusFirstError = () => focusIn('.fl-new', { scroll: true });

    async function submit() {
      alert.value = '';
      if (!check()) { alert.value = t('form.fixFields'); focusFirstError(); return; }
      const body = {};
      for (const name of FIELDS) {
        const fd = f(name);
        const [val] = fromInput(fd, typeof v[name] === 'string' ? v[name].trim() : v[name]);
        if (val !== null && val !== '') body[name] = val;
      }
      busy.value = true;
      try {
        const r = await api('POST', '/' + RQ, { body });
        remember(PLACE_KEY, { origin: v.origin.trim(), contact_phone: (v.contact_phone || '').trim() });
        rememberTitle(RQ, r);
        ElMessage({ type: 'success', message: t('fl.filed') });
        refreshBell();
        go(`/c/${RQ}/${r.id}`);
      } catch (e) {
        const placed = placeErrors(e, errors, FIELDS, collection(RQ));
        alert.value = formAlert(e, placed, collection(RQ), flError);
        focusFirstError();
      } finally {
        busy.value = false;
      }
    }

    function item(name, opts = {}) {
      const fd = f(name);
      return fieldItem(name, { label: label(fd), for: 'fl-' + name, required: fd.required, error: errors[name], class: opts.class }, [
        h(FieldInput, {
          field: fd, modelValue: v[name], inputId: 'fl-' + name,
          'onUpdate:modelValue': (x) => { v[name] = x; alert.value = ''; errors[name] = ''; if (name === 'start_at') errors.end_at = ''; },
        }),
        opts.hint ? h('div', { class: 'fl-field-hint' }, opts.hint) : null,
      ]);
    }

    return () => h('section', { class: 'page fl-page fl-new', 'data-test': 'fl-new' }, [
      pageHead(t('fl.newTitle')),
      h('p', { class: 'hint' }, t('fl.newHint')),
      formError(alert.value),
      h(ElForm, { labelPosition: 'top', class: 'fl-form', novalidate: true, 'data-test': 'record-form', onSubmit: (e) => { e.preventDefault(); submit(); } }, () => [
        item('purpose'),
        h('div', { class: 'fl-form-row' }, [item('origin'), item('destination')]),
        h('div', { class: 'fl-form-row' }, [item('start_at'), item('end_at')]),
        h('div', { class: 'fl-form-row' }, [item('seats_needed', { hint: t('fl.seatsHint') }), item('contact_phone')]),
        item('passengers', { hint: t('fl.passengersHint') }),
        h('div', { class: 'form-actions' }, [
          h(ElButton, { type: 'primary', size: 'large', nativeType: 'submit', loading: busy.value, 'data-test': 'save' }, () => t('fl.submit')),
          h(ElButton, { size: 'large', onClick: () => history.back(), 'data-test': 'cancel' }, () => t('common.cancel')),
        ]),
      ]),
    ]);
  },
});

