// Photos of a record (fields with widget "photos": a JSON array of file ids).
// PhotosInput takes photos with the camera or from the gallery, uploads each
// at once (POST /api/v1/files/upload, progress shown) and keeps the ids of the
// uploaded ones as its value; PhotoGallery shows ids as thumbnails with a
// larger preview.
import { defineComponent, h, ref, watch, onBeforeUnmount } from 'vue';
import { ElImageViewer, ElProgress, ElIcon } from 'element-plus';
import { Camera, Picture, Close, WarningFilled } from '@element-plus/icons-vue';
import { t } from '../lib/i18n.js';
import { API, upload, problemText, fieldText } from '../lib/api.js';

export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;
export const PHOTO_MAX_COUNT = 5;
const SHRINK_TO = 2560; // px, the longer side of a photo made smaller before upload

// Uploads under way anywhere on the page: forms wait for them before saving.
export const pendingUploads = ref(0);

export function fileUrl(id) { return `${API}/files/${id}/content`; }

export function photoIds(v) {
  if (!Array.isArray(v)) return [];
  return v.filter((x) => Number.isInteger(x) && x > 0);
}

// A camera's photo too big to send (or in a format the server does not take,
// such as HEIC) is redrawn as a JPEG of at most SHRINK_TO px; null when the
// browser cannot decode it.
async function shrink(file) {
  if (typeof createImageBitmap !== 'function') return null;
  let bmp;
  try { bmp = await createImageBitmap(file); } catch { return null; }
  const scale = Math.min(1, SHRINK_TO / Math.max(bmp.width, bmp.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bmp.width * scale);
  canvas.height = Math.round(bmp.height * scale);
  canvas.getContext('2d').drawImage(bmp, 0, 0, canvas.width, canvas.height);
  if (bmp.close) bmp.close();
  const blob = await new Promise((res) => canvas.toBlob(res, 'image/jpeg', 0.85));
  if (!blob) return null;
  const name = (file.name || 'photo').replace(/\.[^.]*$/, '') + '.jpg';
  return new File([blob], name, { type: 'image/jpeg' });
}

let seq = 0;

export const PhotosInput = defineComponent({
  name: 'PhotosInput',
  props: {
    modelValue: { type: Array, default: () => [] },
    inputId: String,
    disabled: Boolean,
    max: { type: Number, default: PHOTO_MAX_COUNT },
    label: String,
  },
  emits: ['update:modelValue'],
  setup(props, { emit }) {
    const base = props.inputId || 'photos-' + ++seq;
    // {key, id, name, url, local (blob URL to revoke), progress (0..100 | null), error}
    const items = ref(photoIds(props.modelValue).map((id) => ({ key: 'f' + id, id, url: fileUrl(id), progress: null, error: '' })));
    const message = ref('');

    function ids() { return items.value.filter((x) => x.id && !x.error).map((x) => x.id); }
    function publish() { emit('update:modelValue', ids()); }

    // The form may set another value (a reload): follow it when it differs.
    watch(() => props.modelValue, (v) => {
      const want = photoIds(v);
      if (JSON.stringify(want) === JSON.stringify(ids())) return;
      if (items.value.some((x) => x.progress !== null)) return;
      items.value = want.map((id) => ({ key: 'f' + id, id, url: fileUrl(id), progress: null, error: '' }));
    });

    onBeforeUnmount(() => {
      for (const x of items.value) if (x.local) URL.revokeObjectURL(x.local);
    });

    async function send(item, file) {
      pendingUploads.value++;
      try {
        const r = await upload(`/files/upload?name=${encodeURIComponent(file.name || 'photo')}`, file, file.type,
          (p) => { item.progress = Math.min(99, Math.round(p * 100)); });
        item.id = r.id;
        item.progress = null;
        publish();
      } catch (e) {
        item.progress = null;
        const fe = (e.errors || []).find((x) => x.field === 'file');
        item.error = fe ? fieldText(fe) : problemText(e);
        message.value = `${file.name || ''}: ${item.error}`;
      } finally {
        pendingUploads.value--;
      }
    }

    async function take(list) {
      message.value = '';
      const problems = [];
      for (let file of list) {
        const live = items.value.filter((x) => !x.error).length;
        if (live >= props.max) {
          problems.push(t('photos.tooMany', { n: props.max }));
          break;
        }
        if (!PHOTO_TYPES.includes(file.type) || file.size > PHOTO_MAX_BYTES) {
          const smaller = await shrink(file);
          if (!smaller) {
            problems.push(`${file.name}: ${t(PHOTO_TYPES.includes(file.type) ? 'photos.tooBig' : 'photos.badType')}`);
            continue;
          }
          file = smaller;
          if (file.size > PHOTO_MAX_BYTES) {
            problems.push(`${file.name}: ${t('photos.tooBig')}`);
            continue;
          }
        }
        const local = URL.createObjectURL(file);
        const item = { key: 'u' + ++seq, id: null, name: file.name, url: local, local, progress: 0, error: '' };
        items.value.push(item);
        send(items.value[items.value.length - 1], file);
      }
      if (problems.length) message.value = problems.join('；');
    }

    function onPick(e) {
      const files = [...(e.target.files || [])];
      e.target.value = '';
      if (files.length) take(files);
    }

    function remove(item) {
      items.value = items.value.filter((x) => x !== item);
      if (item.local) URL.revokeObjectURL(item.local);
      message.value = '';
      publish();
    }

    return () => {
      const live = items.value.filter((x) => !x.error).length;
      const full = live >= props.max;
      const pickers = props.disabled || full ? [] : [
        h('label', { class: 'photo-btn el-button', for: base }, [
          h(ElIcon, { size: 20 }, () => h(Camera)), h('span', t('photos.take')),
        ]),
        h('input', {
          id: base, type: 'file', accept: 'image/*', capture: 'environment', multiple: true,
          class: 'sr-only photo-file', 'data-test': 'photo-input', onChange: onPick,
        }),
        h('label', { class: 'photo-btn el-button', for: base + '-pick' }, [
          h(ElIcon, { size: 20 }, () => h(Picture)), h('span', t('photos.pick')),
        ]),
        h('input', {
          id: base + '-pick', type: 'file', accept: PHOTO_TYPES.join(','), multiple: true,
          class: 'sr-only photo-file', 'data-test': 'photo-pick', onChange: onPick,
        }),
      ];
      return h('div', { class: 'photos-input', role: 'group', 'aria-label': props.label || t('photos.label') }, [
        items.value.length ? h('ul', { class: 'photo-list' }, items.value.map((x, i) => h('li', {
          key: x.key, class: ['photo-thumb', x.error ? 'is-error' : ''], 'data-test': 'photo-thumb',
          'data-file-id': x.id || undefined,
        }, [
          h('img', { src: x.url, alt: t('photos.alt', { n: i + 1 }) }),
          x.progress !== null ? h('div', { class: 'photo-progress' }, h(ElProgress, {
            percentage: x.progress, strokeWidth: 6, showText: false, 'aria-label': t('photos.uploading'),
          })) : null,
          x.error ? h('div', { class: 'photo-failed', title: x.error }, h(ElIcon, { size: 22 }, () => h(WarningFilled))) : null,
          props.disabled ? null : h('button', {
            type: 'button', class: 'photo-remove', 'aria-label': t('photos.remove', { n: i + 1 }), 'data-test': 'photo-remove',
            onClick: () => remove(x),
          }, h(ElIcon, { size: 14 }, () => h(Close))),
        ]))) : null,
        h('div', { class: 'photo-pickers' }, [
          ...pickers,
          h('span', { class: 'photo-hint' }, t('photos.hint', { n: live, max: props.max })),
        ]),
        message.value ? h('div', { class: 'photo-error', role: 'alert', 'data-test': 'photo-error' }, message.value) : null,
      ]);
    };
  },
});

// Thumbnails of file ids; a click (or Enter) opens the larger preview.
export const PhotoGallery = defineComponent({
  name: 'PhotoGallery',
  props: { ids: { type: Array, default: () => [] } },
  setup(props) {
    const shown = ref(-1);
    return () => {
      const ids = photoIds(props.ids);
      if (!ids.length) return h('span', { class: 'muted' }, '—');
      const urls = ids.map(fileUrl);
      return h('div', [
        h('ul', { class: 'photo-list' }, ids.map((id, i) => h('li', { key: id, class: 'photo-thumb', 'data-test': 'photo-thumb', 'data-file-id': id },
          h('button', { type: 'button', class: 'photo-open', 'aria-label': t('photos.open', { n: i + 1 }), onClick: () => { shown.value = i; } },
            h('img', { src: urls[i], alt: t('photos.alt', { n: i + 1 }), loading: 'lazy' }))))),
        shown.value >= 0 ? h(ElImageViewer, {
          urlList: urls, initialIndex: shown.value, teleported: true, hideOnClickModal: true,
          onClose: () => { shown.value = -1; },
        }) : null,
      ]);
    };
  },
});
