// SPDX-License-Identifier: MIT
// An asset's history of transfers 调拨 (GET /api/v1/asset_transfers?asset_id=):
// from which department, custodian and room to which, when, why and by whom,
// a reuse from the pool marked as such. TransferHistory is a component the
// register's asset page includes (<TransferHistory :asset-id="id"/>); the
// page #/assets/{id}/transfers shows it alone, with the form of a new
// transfer and the hand-in to the pool for those who may.
import { defineComponent, h, ref, reactive, onMounted, watch } from 'vue';
import { ElAlert, ElSkeleton, ElEmpty, ElTag, ElButton, ElForm, ElFormItem, ElInput, ElSelect, ElOption } from 'element-plus';
import { t } from '../../lib/i18n.js';
import { api, fetchAll, problemText, placeErrors } from '../../lib/api.js';
import { can, collection, titleOf, resolveTitles } from '../../lib/session.js';
import { pageHead } from '../../components/page-head.js';
import { loadPoolStyles, HandInDialog } from './pool.js';

const T = 'asset_transfers';
const errText = (e) => problemText(e, collection(T));

export const TransferHistory = defineComponent({
  name: 'TransferHistory',
  props: { assetId: [Number, String], reload: Number },
  setup(props) {
    loadPoolStyles();
    const rows = ref(null);
    const error = ref(null);
    async function load() {
      error.value = null;
      try {
        const r = await fetchAll(T, { asset_id: props.assetId, sort: '-transferred_on' }, 500);
        await Promise.all([
          resolveTitles('departments', r.flatMap((x) => [x.from_department_id, x.to_department_id]).filter(Boolean)),
          resolveTitles('people', r.flatMap((x) => [x.from_custodian_id, x.to_custodian_id]).filter(Boolean)),
          resolveTitles('rooms', r.flatMap((x) => [x.from_room_id, x.to_room_id]).filter(Boolean)),
        ]).catch(() => {});
        rows.value = r;
      } catch (e) { error.value = e; }
    }
    onMounted(load);
    watch(() => [props.assetId, props.reload], load);
    const who = (c, id) => (id ? titleOf(c, id) : '—');
    return () => h('section', { class: 'as-transfers', 'data-test': 'as-transfers' }, [
      h('h2', { class: 'section-title' }, t('as.tr.history')),
      error.value ? h(ElAlert, { type: 'error', title: errText(error.value), closable: false }) : null,
      !rows.value && !error.value ? h(ElSkeleton, { rows: 2, animated: true })
        : rows.value && !rows.value.length ? h(ElEmpty, { description: t('as.tr.none'), imageSize: 60 })
        : h('ol', { class: 'as-history' }, (rows.value || []).map((x) => h('li', { key: x.id, 'data-test': 'as-transfer', 'data-kind': x.kind }, [
          h('div', [h('strong', x.transferred_on), ' ', x.kind === 'reuse' ? h(ElTag, { size: 'small', type: 'success', effect: 'light' }, () => t('as.tr.reuse')) : null]),
          h('div', t('as.tr.move', { from: who('departments', x.from_department_id), to: who('departments', x.to_department_id) })),
          (x.from_custodian_id || x.to_custodian_id) ? h('div', { class: 'hint' }, t('as.tr.custodian', { from: who('people', x.from_custodian_id), to: who('people', x.to_custodian_id) })) : null,
          (x.from_room_id || x.to_room_id) ? h('div', { class: 'hint' }, t('as.tr.room', { from: who('rooms', x.from_room_id), to: who('rooms', x.to_room_id) })) : null,
          h('div', { class: 'hint' }, x.reason),
        ]))),
    ]);
  },
});

export const TransferPage = defineComponent({
  name: 'AssetTransfersPage',
  props: { params: Object },
  setup(props) {
    const id = () => Number(props.params.id);
    const asset = ref(null);
    const depts = ref([]);
    const v = reactive({ to_department_id: null, reason: '' });
    const errors = reactive({});
    const alert = ref('');
    const reload = ref(0);
    const busy = ref(false);
    const handing = ref(false);
    async function load() {
      try {
        asset.value = await api('GET', `/assets/${id()}`);
        if (can(T, 'create')) depts.value = await fetchAll('departments', { sort: 'name' }, 500);
      } catch (e) { alert.value = errText(e); }
    }
    onMounted(load);
    async function send() {
      alert.value = '';
      errors.to_department_id = v.to_department_id ? '' : t('srv.required');
      errors.reason = v.reason.trim() ? '' : t('srv.required');
      if (errors.to_department_id || errors.reason) return;
      busy.value = true;
      try {
        await api('POST', `/${T}`, { body: { asset_id: id(), to_department_id: v.to_department_id, reason: v.reason.trim() } });
        v.reason = '';
        reload.value++;
        await load();
      } catch (e) {
        const rest = placeErrors(e, errors, ['to_department_id', 'reason', 'asset_id'], collection(T));
        if (rest) alert.value = rest;
      } finally { busy.value = false; }
    }
    return () => h('section', { class: 'page as-page', 'data-test': 'as-transfer-page' }, [
      pageHead(asset.value ? `${asset.value.name} · ${asset.value.code}` : t('as.tr.history'),
        asset.value && can('assets', 'hand_in') && ['in_use', 'idle'].includes(asset.value.status)
          ? [h(ElButton, { 'data-test': 'as-hand-in', onClick: () => { handing.value = true; } }, () => t('as.pool.handIn'))] : null),
      handing.value ? h(HandInDialog, { asset: asset.value, onClose: () => { handing.value = false; }, onDone: (r) => { handing.value = false; asset.value = r; } }) : null,
      alert.value ? h(ElAlert, { type: 'error', title: alert.value, closable: false, class: 'mb', 'data-test': 'as-tr-error' }) : null,
      can(T, 'create') ? h(ElForm, { labelPosition: 'top', class: 'mb', onSubmit: (e) => { e.preventDefault(); send(); } }, () => [
        h(ElFormItem, { label: t('as.tr.to'), error: errors.to_department_id || '', for: 'as-tr-to' }, () => h(ElSelect, {
          id: 'as-tr-to', modelValue: v.to_department_id, filterable: true, 'onUpdate:modelValue': (x) => { v.to_department_id = x; }, ariaLabel: t('as.tr.to'), 'data-test': 'as-tr-to',
        }, () => depts.value.map((d) => h(ElOption, { key: d.id, value: d.id, label: d.name })))),
        h(ElFormItem, { label: t('as.pool.reason'), error: errors.reason || '', for: 'as-tr-reason' }, () => h(ElInput, { id: 'as-tr-reason', modelValue: v.reason, maxlength: 500, 'onUpdate:modelValue': (x) => { v.reason = x; }, 'data-test': 'as-tr-reason' })),
        h(ElButton, { type: 'primary', loading: busy.value, onClick: send, 'data-test': 'as-tr-send' }, () => t('as.tr.send')),
      ]) : null,
      h(TransferHistory, { assetId: id(), reload: reload.value }),
    ]);
  },
});
