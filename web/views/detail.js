// One record: every visible field, its actions and its history.
import { defineComponent, h, ref, reactive, computed, onMounted } from 'vue';
import {
  ElDescriptions, ElDescriptionsItem, ElButton, ElAlert, ElTimeline, ElTimelineItem, ElMessage,
  ElMessageBox, ElDialog, ElForm, ElFormItem, ElInput, ElSkeleton, ElEmpty,
} from 'element-plus';
import { Edit, Delete, Back } from '@element-plus/icons-vue';
import { t, has, label } from '../lib/i18n.js';
import { api, problemText, fieldText } from '../lib/api.js';
import { go, href } from '../lib/router.js';
import { state, collection, fields, field as fieldOf, can, resolveTitles, invalidateTree, titleOf, isMasked } from '../lib/session.js';
import { loadRecord } from '../lib/record.js';
import { formatValue } from '../lib/fields.js';
import { formatDatetime } from '../lib/time.js';
import { phone } from '../components/layout.js';
import { PhotoGallery } from '../components/photos.js';
import { pageError, pageLoading } from '../components/page-state.js';
import { pageHead } from '../components/page-head.js';

function valueNode(f, v) {
  if (v === null || v === undefined || v === '') return h('span', { class: 'muted' }, '—');
  if (f && f.type === 'ref') {
    const text = titleOf(f.ref, v);
    return can(f.ref, 'read') ? h('a', { href: href(`/c/${f.ref}/${v}`) }, text) : text;
  }
  if (f && f.widget === 'photos') return h(PhotoGallery, { ids: v });
  if (f && f.type === 'json') return h('pre', { class: 'json' }, JSON.stringify(v, null, 2));
  return f ? formatValue(f, v) : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

// A named action; when the server asks for fields (422 naming them), ask the user for them.
const ActionDialog = defineComponent({
  name: 'ActionDialog',
  props: { coll: Object, id: [String, Number], action: Object },
  emits: ['close', 'done'],
  setup(props, { emit }) {
    const inputs = reactive({});
    const errors = reactive({});
    const alert = ref('');
    const busy = ref(false);
    async function run() {
      busy.value = true;
      alert.value = '';
      try {
        const body = {};
        for (const k of Object.keys(inputs)) body[k] = inputs[k];
        const r = await api('POST', `/${props.coll.name}/${props.id}/${props.action.name}`, { body });
        ElMessage({ type: 'success', message: t('action.done', { name: label(props.action) }) });
        emit('done', r);
      } catch (e) {
        if (e.status === 422 && e.errors.length) {
          for (const k of Object.keys(errors)) errors[k] = '';
          for (const fe of e.errors) {
            if (!fe.field) continue;
            if (!(fe.field in inputs)) inputs[fe.field] = '';
            errors[fe.field] = fieldText(fe, props.coll);
          }
          if (e.errors.every((fe) => !fe.field)) alert.value = problemText(e, props.coll);
        } else {
          alert.value = problemText(e, props.coll);
        }
      } finally {
        busy.value = false;
      }
    }
    return () => h(ElDialog, {
      modelValue: true, title: label(props.action), width: 'min(480px, 96vw)', appendToBody: true,
      'onUpdate:modelValue': (v) => { if (!v) emit('close'); }, 'data-test': 'action-dialog',
    }, {
      default: () => [
        h('p', t('action.confirm', { name: label(props.action) })),
        alert.value ? h(ElAlert, { type: 'error', showIcon: true, closable: false, title: alert.value, class: 'mb' }) : null,
        Object.keys(inputs).length ? h(ElForm, { labelPosition: 'top', onSubmit: (e) => { e.preventDefault(); run(); } }, () => Object.keys(inputs).map((k) => {
          const f = fieldOf(props.coll, k);
          const secret = /password|secret/.test(k);
          return h(ElFormItem, { label: f ? label(f) : k === 'password' ? t('action.password') : k, for: 'act-' + k, error: errors[k] || '', 'data-test': 'action-field-' + k }, () => h(ElInput, {
            id: 'act-' + k, modelValue: inputs[k], 'onUpdate:modelValue': (v) => { inputs[k] = v; },
            type: secret ? 'password' : 'text', showPassword: secret, autocomplete: secret ? 'new-password' : 'off',
          }));
        })) : null,
      ],
      footer: () => [
        h(ElButton, { onClick: () => emit('close') }, () => t('common.cancel')),
        h(ElButton, { type: 'primary', loading: busy.value, onClick: run, 'data-test': 'action-run' }, () => t('common.confirm')),
      ],
    });
  },
});

const HISTORY_ACTIONS = ['create', 'update', 'delete', 'recompute'];

export const DetailView = defineComponent({
  name: 'DetailView',
  props: { c: { type: String, required: true }, id: { type: [String, Number], required: true } },
  setup(props) {
    const coll = computed(() => collection(props.c));
    const rec = ref(null);
    const error = ref(null);
    const history = ref(null);
    const historyError = ref(null);
    const action = ref(null);

    state.crumb = null;

    async function loadHistory() {
      try {
        history.value = await api('GET', `/${props.c}/${props.id}/history`);
        const byRef = {};
        for (const e of history.value) {
          for (const side of [e.before, e.after]) {
            if (!side || typeof side !== 'object') continue;
            for (const f of fields(coll.value)) if (f.type === 'ref' && side[f.name] != null) (byRef[f.ref] ||= []).push(side[f.name]);
          }
        }
        for (const [target, ids] of Object.entries(byRef)) resolveTitles(target, ids);
      } catch (e) {
        historyError.value = e;
      }
    }

    async function load() {
      error.value = null;
      try {
        const r = await loadRecord(props.c, props.id);
        rec.value = r;
        for (const f of fields(coll.value)) if (f.type === 'ref' && r[f.name] != null) resolveTitles(f.ref, [r[f.name]]);
      } catch (e) {
        error.value = e;
      }
      loadHistory();
    }
    onMounted(load);

    async function remove() {
      try {
        await ElMessageBox.confirm(t('delete.confirmOne', { name: state.crumb || '#' + props.id }), t('delete.title'), {
          type: 'warning', confirmButtonText: t('common.delete'), cancelButtonText: t('common.cancel'),
        });
      } catch {
        return;
      }
      try {
        await api('DELETE', `/${props.c}/${props.id}`, { headers: { 'If-Match': `"${rec.value.version}"` } });
        invalidateTree(props.c);
        ElMessage({ type: 'success', message: t('delete.doneOne') });
        go('/c/' + props.c);
      } catch (e) {
        const msg = e.code === 'BUR-402' ? t('delete.referenced') : e.code === 'BUR-401' ? t('form.stale') : problemText(e, coll.value);
        ElMessageBox.alert(msg + (e.detail && e.code === 'BUR-402' ? `\n(${problemText(e, coll.value)})` : ''), t('delete.failed'), { type: 'error', confirmButtonText: t('common.ok') });
      }
    }

    function changes(entry) {
      const before = entry.before && typeof entry.before === 'object' ? entry.before : {};
      const after = entry.after && typeof entry.after === 'object' ? entry.after : {};
      const skip = new Set(['version', 'updated_at', 'created_at', 'created_by', 'id']);
      const order = fields(coll.value).map((f) => f.name);
      const keys = [...new Set([...order, ...Object.keys(before), ...Object.keys(after)])]
        .filter((k) => !skip.has(k) && (k in before || k in after));
      const changed = keys.filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null));
      if (!changed.length) return null;
      return h('table', { class: 'changes' }, [
        h('thead', h('tr', [h('th', { scope: 'col' }, t('history.field')), h('th', { scope: 'col' }, t('history.before')), h('th', { scope: 'col' }, t('history.after'))])),
        h('tbody', changed.map((k) => {
          const f = fieldOf(coll.value, k);
          const name = f ? label(f) : has(`history.${entry.action}.${k}`) ? t(`history.${entry.action}.${k}`) : k;
          return h('tr', { key: k }, [h('th', { scope: 'row' }, name), h('td', valueNode(f, before[k])), h('td', valueNode(f, after[k]))]);
        })),
      ]);
    }

    function historyBlock() {
      if (historyError.value) return h(ElAlert, { type: 'info', closable: false, title: problemText(historyError.value, coll.value) });
      if (!history.value) return h(ElSkeleton, { rows: 2, animated: true });
      if (!history.value.length) return h(ElEmpty, { description: t('history.none'), imageSize: 60 });
      return h(ElTimeline, null, () => history.value.slice().reverse().map((e) => h(ElTimelineItem, {
        key: e.seq, timestamp: formatDatetime(e.at), placement: 'top',
        type: e.action === 'delete' ? 'danger' : e.action === 'create' ? 'success' : 'primary',
      }, () => [
        h('div', { class: 'history-head' }, [
          h('strong', HISTORY_ACTIONS.includes(e.action) ? t('history.' + e.action) : e.action),
          ' · ', h('span', e.actor || t('history.system')),
        ]),
        changes(e),
      ])));
    }

    return () => {
      const c = coll.value;
      if (error.value) return pageError(error.value, { back: href('/c/' + props.c), ent: c });
      if (!rec.value) return pageLoading(6);
      const r = rec.value;
      const visible = fields(c);
      const main = visible.filter((f) => !['id', 'version', 'created_at', 'updated_at', 'created_by'].includes(f.name));
      const sys = visible.filter((f) => ['id', 'version', 'created_at', 'updated_at'].includes(f.name));
      const actions = (c.actions || []).filter((a) => can(c, a.name));
      return h('section', { class: 'page detail-page', 'data-test': 'detail-' + props.c }, [
        pageHead(state.crumb || '#' + r.id, [
          h(ElButton, { icon: Back, 'data-test': 'back', onClick: () => go('/c/' + props.c) }, () => t('detail.backToList')),
          can(c, 'update') ? h(ElButton, { type: 'primary', icon: Edit, 'data-test': 'edit', onClick: () => go(`/c/${props.c}/${r.id}/edit`) }, () => t('common.edit')) : null,
          ...actions.map((a) => h(ElButton, { 'data-test': 'action-' + a.name, onClick: () => { action.value = a; } }, () => label(a))),
          can(c, 'delete') ? h(ElButton, { type: 'danger', plain: true, icon: Delete, 'data-test': 'delete', onClick: remove }, () => t('common.delete')) : null,
        ]),
        h(ElDescriptions, { column: phone.value ? 1 : 2, border: true, class: 'mb', 'data-test': 'detail-fields' }, () =>
          [...main, ...sys].map((f) => h(ElDescriptionsItem, { key: f.name, label: label(f), span: f.type === 'json' && !phone.value ? 2 : 1 }, () =>
            h('span', {
              'data-test': 'value-' + f.name,
              ...(isMasked(c, f.name) ? { class: 'masked', title: t('format.masked') } : {}),
            }, [valueNode(f, r[f.name])])))),
        h('h2', { class: 'section-title' }, t('history.title')),
        h('div', { class: 'history', 'data-test': 'history' }, historyBlock()),
        action.value ? h(ActionDialog, {
          coll: c, id: props.id, action: action.value,
          onClose: () => { action.value = null; },
          onDone: () => { action.value = null; load(); },
        }) : null,
      ]);
    };
  },
});
