// "Report a problem" (#/servicedesk/new): phone-first filing of a service
// request — the type from the catalogue as large buttons, urgency, what and
// where, photos from the camera, a contact phone; then the request's page.
import { defineComponent, h, ref, reactive, computed, onMounted } from 'vue';
import {
  ElForm, ElFormItem, ElInput, ElButton, ElAlert, ElSkeleton, ElRadioGroup, ElRadioButton, ElMessage,
} from 'element-plus';
import { t, label } from '../../lib/i18n.js';
import { api, problemText, placeErrors } from '../../lib/api.js';
import { go } from '../../lib/router.js';
import { state, field, collection, rememberTitle } from '../../lib/session.js';
import { checkInput } from '../../lib/fields.js';
import { recall, remember } from '../../lib/storage.js';
import { PhotosInput, pendingUploads } from '../../components/photos.js';
import { refreshBell } from '../../components/bell.js';
import { errorSlot, fieldItem, formError, focusFirstError as focusIn, formAlert } from '../../components/form-field.js';
import { pageHead } from '../../components/page-head.js';
import { REQ, loadTypes, types, typeName, categoryIcon } from './common.js';

const PLACE_KEY = 'bureau.sd.place';
const TEXT_FIELDS = ['title', 'description', 'building', 'floor', 'room', 'location', 'contact_phone'];

export const NewRequestView = defineComponent({
  name: 'NewRequestView',
  setup() {
    const place = recall(PLACE_KEY);
    const v = reactive({
      type_id: null, urgency: (field(REQ, 'urgency') || {}).default || 'normal', title: '', description: '',
      building: place.building || '', floor: place.floor || '', room: place.room || '', location: '',
      photos: [], contact_phone: place.contact_phone || '',
    });
    const errors = reactive({});
    const alert = ref(null);
    const busy = ref(false);
    const loadError = ref(null);
    state.crumb = null;

    onMounted(async () => {
      try { await loadTypes(); } catch (e) { loadError.value = e; }
    });

    const active = computed(() => types.value.filter((x) => x.active));
    const chosen = computed(() => types.value.find((x) => x.id === v.type_id) || null);
    const needsPlace = computed(() => !chosen.value || chosen.value.needs_location);
    const f = (name) => field(REQ, name) || { name, zh: name, en: name, type: 'text' };

    function check() {
      let bad = false;
      for (const k of Object.keys(errors)) errors[k] = '';
      if (!v.type_id) { errors.type_id = t('sd.pickType'); bad = true; }
      for (const name of TEXT_FIELDS) {
        const fd = field(REQ, name);
        if (!fd) continue;
        const p = checkInput(fd, v[name].trim());
        if (p) { errors[name] = p; bad = true; }
      }
      if (needsPlace.value && ![v.building, v.room, v.location].some((x) => x.trim())) {
        errors.location = t('srv.location');
        bad = true;
      }
      return !bad;
    }

    const focusFirstError = () => focusIn('.sd-new', { scroll: true, buttons: true });

    async function submit() {
      alert.value = null;
      if (pendingUploads.value) { alert.value = t('photos.wait'); return; }
      if (!check()) { alert.value = t('form.fixFields'); focusFirstError(); return; }
      const body = { type_id: v.type_id, urgency: v.urgency };
      for (const name of TEXT_FIELDS) if (v[name].trim()) body[name] = v[name].trim();
      if (v.photos.length) body.photos = v.photos.slice();
      busy.value = true;
      try {
        const r = await api('POST', '/' + REQ, { body });
        remember(PLACE_KEY, { building: v.building.trim(), floor: v.floor.trim(), room: v.room.trim(), contact_phone: v.contact_phone.trim() });
        rememberTitle(REQ, r);
        ElMessage({ type: 'success', message: t('sd.filed') });
        refreshBell();
        go(`/c/${REQ}/${r.id}`);
      } catch (e) {
        const placed = placeErrors(e, errors, Object.keys(v), collection(REQ));
        alert.value = formAlert(e, placed, collection(REQ));
        focusFirstError();
      } finally {
        busy.value = false;
      }
    }

    function item(name, content, opts = {}) {
      return fieldItem(name, {
        label: opts.label || label(f(name)), for: opts.for === undefined ? 'sd-' + name : opts.for, required: opts.required, error: errors[name], class: opts.class,
      }, content);
    }

    function text(name, extra = {}) {
      const fd = f(name);
      return h(ElInput, {
        // a format (the contact phone) takes spaces and +86: the server stores the short form
        id: 'sd-' + name, modelValue: v[name], maxlength: fd.format ? (fd.max_len || 200) + 12 : fd.max_len || undefined,
        'onUpdate:modelValue': (x) => { v[name] = x; alert.value = null; if (errors[name]) errors[name] = ''; if (errors.location && ['building', 'room', 'location'].includes(name)) errors.location = ''; },
        ...extra,
      });
    }

    function typeGrid() {
      if (loadError.value) return h(ElAlert, { type: 'error', closable: false, title: problemText(loadError.value, collection('service_types')) });
      if (!types.value.length) return h(ElSkeleton, { rows: 2, animated: true });
      return h('div', { class: 'type-grid', role: 'radiogroup', 'aria-labelledby': 'sd-type-label', id: 'sd-type_id' }, active.value.map((x) => h('button', {
        key: x.id, type: 'button', role: 'radio', 'aria-checked': v.type_id === x.id ? 'true' : 'false',
        class: ['type-btn', v.type_id === x.id ? 'is-active' : ''], 'data-test': 'type-' + x.code,
        title: x.description || undefined,
        onClick: () => { v.type_id = x.id; errors.type_id = ''; alert.value = null; },
      }, [categoryIcon(x.category, 28), h('span', typeName(x.id))])));
    }

    return () => {
      const urgency = f('urgency');
      return h('section', { class: 'page sd-page sd-new', 'data-test': 'sd-new' }, [
        pageHead(t('sd.newTitle')),
        h('p', { class: 'hint' }, t('sd.newHint')),
        formError(alert.value),
        h(ElForm, { labelPosition: 'top', class: 'sd-form', novalidate: true, onSubmit: (e) => { e.preventDefault(); submit(); } }, () => [
          h(ElFormItem, { required: true, error: errors.type_id || '', 'data-test': 'field-type_id' }, {
            label: () => h('span', { id: 'sd-type-label' }, label(f('type_id'))),
            default: () => typeGrid(),
            ...errorSlot('type_id'),
          }),
          item('urgency', h(ElRadioGroup, {
            modelValue: v.urgency, class: 'urgency-group', 'aria-label': label(urgency), id: 'sd-urgency',
            'onUpdate:modelValue': (x) => { v.urgency = x; },
          }, () => (urgency.values || []).map((u) => h(ElRadioButton, { key: u.value, value: u.value, 'data-test': 'urgency-' + u.value }, () => label(u)))), { for: null }),
          item('title', text('title', { placeholder: t('sd.titlePlaceholder') }), { required: true }),
          item('description', text('description', { type: 'textarea', rows: 4, showWordLimit: true, placeholder: t('sd.descriptionPlaceholder') }), { required: true }),
          h('fieldset', { class: ['sd-place-fields', errors.location ? 'is-error' : ''] }, [
            h('legend', [t('sd.place'), needsPlace.value ? h('span', { class: 'req-mark', 'aria-hidden': 'true' }, ' *') : null]),
            h('div', { class: 'place-row' }, [
              item('building', text('building', { autocomplete: 'off' })),
              item('floor', text('floor', { autocomplete: 'off' })),
              item('room', text('room', { autocomplete: 'off' })),
            ]),
            item('location', text('location', { placeholder: t('sd.locationPlaceholder') })),
          ]),
          item('photos', h(PhotosInput, {
            modelValue: v.photos, inputId: 'sd-photos', label: label(f('photos')),
            'onUpdate:modelValue': (x) => { v.photos = x; errors.photos = ''; },
          }), { class: 'field-photos-item' }),
          item('contact_phone', text('contact_phone', { type: 'tel', inputmode: 'tel', autocomplete: 'tel', placeholder: t('format.hint.phone') })),
          h('div', { class: 'form-actions sd-submit' }, [
            h(ElButton, { type: 'primary', size: 'large', nativeType: 'submit', loading: busy.value, disabled: pendingUploads.value > 0, 'data-test': 'save' },
              () => (pendingUploads.value ? t('photos.uploading') : t('sd.submit'))),
          ]),
        ]),
      ]);
    };
  },
});
