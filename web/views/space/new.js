// The adjustment request form (#/space/requests/new, also the create form
// of space_requests): department (a liaison's own by default), need,
// headcount, reason and preferred building; the server's field errors at
// their fields; then the request's page.
import { defineComponent, h, ref, reactive, onMounted } from 'vue';
import { ElForm, ElInput, ElInputNumber, ElButton, ElSelect, ElOption, ElMessage } from 'element-plus';
import { t, label } from '../../lib/i18n.js';
import { api, placeErrors } from '../../lib/api.js';
import { go } from '../../lib/router.js';
import { state, field, collection, rememberTitle } from '../../lib/session.js';
import { checkInput } from '../../lib/fields.js';
import { TreeRefSelect } from '../../components/inputs.js';
import { refreshBell } from '../../components/bell.js';
import { fieldItem, formError, formAlert } from '../../components/form-field.js';
import { pageHead } from '../../components/page-head.js';
import { REQ, loadBuildings, buildings } from './common.js';

const FIELDS = ['department_id', 'need', 'headcount', 'reason', 'preferred_building_id'];

export const NewRequestView = defineComponent({
  name: 'SpaceNewRequestView',
  setup() {
    const own = state.meta && state.meta.caller && state.meta.caller.user ? state.meta.caller.user.department_id || null : null;
    const v = reactive({ department_id: own, need: null, headcount: 1, reason: '', preferred_building_id: null });
    const errors = reactive({});
    const alert = ref(null);
    const busy = ref(false);
    state.crumb = null;
    onMounted(() => { loadBuildings().catch(() => {}); });

    const f = (name) => field(REQ, name) || { name, zh: name, en: name, type: 'text' };

    function check() {
      let bad = false;
      for (const k of FIELDS) errors[k] = '';
      if (!v.department_id) { errors.department_id = t('srv.required'); bad = true; }
      if (!v.need) { errors.need = t('srv.required'); bad = true; }
      if (v.headcount == null || v.headcount === '') { errors.headcount = t('srv.required'); bad = true; }
      const p = checkInput(f('reason'), v.reason.trim());
      if (p) { errors.reason = p; bad = true; } else if (!v.reason.trim()) { errors.reason = t('srv.required'); bad = true; }
      return !bad;
    }

    async function submit() {
      alert.value = null;
      if (!check()) { alert.value = t('form.fixFields'); return; }
      const body = { department_id: v.department_id, need: v.need, headcount: v.headcount, reason: v.reason.trim() };
      if (v.preferred_building_id) body.preferred_building_id = v.preferred_building_id;
      busy.value = true;
      try {
        const r = await api('POST', '/' + REQ, { body });
        rememberTitle(REQ, r);
        ElMessage({ type: 'success', message: t('sp.filed') });
        refreshBell();
        go(`/c/${REQ}/${r.id}`);
      } catch (e) {
        alert.value = formAlert(e, placeErrors(e, errors, FIELDS, collection(REQ)), collection(REQ));
      } finally {
        busy.value = false;
      }
    }

    function item(name, content, opts = {}) {
      return fieldItem(name, { label: label(f(name)), for: 'sp-' + name, required: opts.required, error: errors[name] }, content);
    }
    const clear = (name) => { errors[name] = ''; alert.value = null; };

    return () => {
      const need = f('need');
      return h('section', { class: 'page sp-page sp-new', 'data-test': 'sp-new' }, [
        pageHead(t('sp.newTitle')),
        h('p', { class: 'hint' }, t('sp.newHint')),
        formError(alert.value),
        h(ElForm, { labelPosition: 'top', novalidate: true, onSubmit: (e) => { e.preventDefault(); submit(); } }, () => [
          item('department_id', h(TreeRefSelect, {
            target: 'departments', modelValue: v.department_id, inputId: 'sp-department_id', ariaLabel: label(f('department_id')), clearable: false,
            'onUpdate:modelValue': (x) => { v.department_id = x; clear('department_id'); },
          }), { required: true }),
          item('need', h(ElSelect, {
            id: 'sp-need', modelValue: v.need, class: 'w-full', placeholder: t('form.choose'), ariaLabel: label(need),
            'onUpdate:modelValue': (x) => { v.need = x; clear('need'); },
          }, () => (need.values || []).map((x) => h(ElOption, { key: x.value, value: x.value, label: label(x) }))), { required: true }),
          item('headcount', h(ElInputNumber, {
            id: 'sp-headcount', modelValue: v.headcount, min: 0, max: 100000, precision: 0, step: 1, controlsPosition: 'right', valueOnClear: null,
            'aria-label': label(f('headcount')), 'onUpdate:modelValue': (x) => { v.headcount = x; clear('headcount'); },
          }), { required: true }),
          item('reason', h(ElInput, {
            id: 'sp-reason', modelValue: v.reason, type: 'textarea', rows: 4, maxlength: f('reason').max_len || undefined, showWordLimit: true,
            placeholder: t('sp.reasonPlaceholder'), 'onUpdate:modelValue': (x) => { v.reason = x; clear('reason'); },
          }), { required: true }),
          item('preferred_building_id', h(ElSelect, {
            id: 'sp-preferred_building_id', modelValue: v.preferred_building_id, class: 'w-full', clearable: true, placeholder: t('sp.anyBuilding'),
            ariaLabel: label(f('preferred_building_id')), 'onUpdate:modelValue': (x) => { v.preferred_building_id = x || null; clear('preferred_building_id'); },
          }, () => buildings.value.map((b) => h(ElOption, { key: b.id, value: b.id, label: b.name })))),
          h('div', { class: 'form-actions' }, [
            h(ElButton, { type: 'primary', nativeType: 'submit', loading: busy.value, 'data-test': 'save' }, () => t('sp.submit')),
            h(ElButton, { 'data-test': 'cancel', onClick: () => history.back() }, () => t('common.cancel')),
          ]),
        ]),
      ]);
    };
  },
});
