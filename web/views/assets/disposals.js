// SPDX-License-Identifier: MIT
// Disposals 处置: a batch made from assets picked in the register
// (#/c/asset_disposals/new?assets=1,2,3: type, reason, recipient, the appraisal report a
// sale or an exchange needs, the finance department's approval number above
// what the bureau approves itself; the total and who must approve shown as
// the assets are picked) and its page (#/c/asset_disposals/{id}: the value
// band and who must approve, the assets with their values at the time, the
// steps submit, approve, reject and cancel as the caller may take them).
// The thresholds are the tenant's settings (asset_settings, the newest of a
// name; the defaults of src/modules/assets/assets.h otherwise).
import { defineComponent, h, ref, reactive, computed, onMounted, watch } from 'vue';
import {
  ElButton, ElAlert, ElSkeleton, ElInput, ElSelect, ElOption, ElForm, ElFormItem, ElTable, ElTableColumn, ElTag,
} from 'element-plus';
import { t } from '../../lib/i18n.js';
import { api, fetchAll, fetchByIds, problemText, placeErrors } from '../../lib/api.js';
import { can, collection, titleOf, resolveTitles, knowTitle, state } from '../../lib/session.js';
import { enumText } from '../../lib/fields.js';
import { formatMoney } from '../../lib/money.js';
import { go, href, route } from '../../lib/router.js';
import { pageHead, titleRow } from '../../components/page-head.js';
import { factList, factItem } from '../../components/facts.js';
import { AskDialog, postDialog } from '../../components/ask-dialog.js';
import { statusTag } from '../../components/status-tag.js';
import { loadPoolStyles } from './pool.js';

const D = 'asset_disposals';
const TYPES = ['scrap', 'write_off', 'free_transfer', 'donation', 'sale', 'exchange'];
const NEEDS_RECIPIENT = new Set(['free_transfer', 'donation', 'sale', 'exchange']);
const NEEDS_APPRAISAL = new Set(['sale', 'exchange']);
const STATUS_TYPES = { draft: 'info', submitted: 'warning', approved: 'success', rejected: 'danger', cancelled: 'info' };
const DEFAULTS = { disposal_leader_from_fen: 5000000, disposal_self_max_fen: 20000000 };

const errText = (e) => problemText(e, collection(D));
const yuan = (fen) => formatMoney(fen, '—');

// The tenant's thresholds: the newest row of each name.
async function thresholds() {
  const out = { ...DEFAULTS };
  try {
    const rows = await fetchAll('asset_settings', { sort: 'id' }, 500);
    for (const r of rows) if (r.name in out) out[r.name] = r.value;
  } catch { /* the defaults */ }
  return out;
}

// The band of a total (src/modules/assets/pool_rules.c as_disposal_band).
export function bandOf(total, s) {
  if (total > s.disposal_self_max_fen) return 'finance';
  if (total >= s.disposal_leader_from_fen) return 'leader';
  return 'manager';
}

function bandBlock(total, s, test = 'as-band') {
  const band = bandOf(total, s);
  return h('div', { class: 'as-band', 'data-test': test, 'data-band': band }, [
    h('div', [t('as.disp.total'), ' ', h('strong', { 'data-test': 'as-total' }, yuan(total))]),
    h('div', t(`as.disp.band.${band}`, { from: yuan(s.disposal_leader_from_fen), max: yuan(s.disposal_self_max_fen) })),
  ]);
}

// ---- a new batch ----

export const DisposalNewView = defineComponent({
  name: 'DisposalNewView',
  setup() {
    loadPoolStyles();
    const s = ref(DEFAULTS);
    const q = ref('');
    const found = ref([]);
    const picked = ref([]);
    const v = reactive({ type: 'scrap', reason: '', recipient: '', appraisal_ref: '', approval_doc: '' });
    const errors = reactive({});
    const alert = ref('');
    const busy = ref(false);
    onMounted(async () => {
      // ?assets=1,2,3: the assets picked in the register
      const ids = String(route.query.assets || '').split(',').map(Number).filter((n) => n > 0).slice(0, 500);
      if (ids.length) {
        try { picked.value = (await fetchByIds('assets', ids)).filter((a) => a.status !== 'disposed'); } catch (e) { alert.value = errText(e); }
      }
      s.value = await thresholds();
    });
    let timer = null;
    async function search() {
      const text = q.value.trim();
      if (!text) { found.value = []; return; }
      try {
        const r = await api('GET', `/assets?${new URLSearchParams({ q: text, limit: '20', 'status[ne]': 'disposed' })}`);
        found.value = r.items;
      } catch (e) { alert.value = errText(e); }
    }
    watch(q, () => { clearTimeout(timer); timer = setTimeout(search, 250); });
    const total = computed(() => picked.value.reduce((a, x) => a + x.original_value_fen, 0));
    const pick = (a) => { if (!picked.value.some((x) => x.id === a.id)) picked.value = [...picked.value, a]; };
    const drop = (a) => { picked.value = picked.value.filter((x) => x.id !== a.id); };

    async function send() {
      alert.value = '';
      for (const k of Object.keys(errors)) errors[k] = '';
      if (!picked.value.length) errors.asset_ids = t('as.disp.pickSome');
      if (!v.reason.trim()) errors.reason = t('srv.required');
      if (NEEDS_RECIPIENT.has(v.type) && !v.recipient.trim()) errors.recipient = t('srv.required');
      if (NEEDS_APPRAISAL.has(v.type) && !v.appraisal_ref.trim()) errors.appraisal_ref = t('srv.required');
      if (Object.values(errors).some(Boolean)) return;
      const body = { type: v.type, reason: v.reason.trim(), asset_ids: picked.value.map((x) => x.id) };
      for (const k of ['recipient', 'appraisal_ref', 'approval_doc']) if (v[k].trim()) body[k] = v[k].trim();
      busy.value = true;
      try {
        const r = await api('POST', `/${D}`, { body });
        go(`/c/${D}/${r.id}`);
      } catch (e) {
        const rest = placeErrors(e, errors, ['type', 'reason', 'recipient', 'appraisal_ref', 'approval_doc', 'asset_ids'], collection(D));
        if (rest) alert.value = rest;
      } finally {
        busy.value = false;
      }
    }
    const item = (name, text, input) => h(ElFormItem, { label: text, error: errors[name] || '', for: `as-d-${name}` }, () => input);
    const text = (name, props = {}) => h(ElInput, { id: `as-d-${name}`, modelValue: v[name], 'onUpdate:modelValue': (x) => { v[name] = x; }, maxlength: 200, 'data-test': `as-d-${name}`, ...props });

    return () => h('section', { class: 'page as-page', 'data-test': 'as-disposal-new' }, [
      pageHead(t('as.disp.newTitle')),
      h('p', { class: 'hint' }, t('as.disp.newHint')),
      alert.value ? h(ElAlert, { type: 'error', title: alert.value, closable: false, class: 'mb', 'data-test': 'as-d-error' }) : null,
      h(ElForm, { labelPosition: 'top', onSubmit: (e) => { e.preventDefault(); send(); } }, () => [
        item('asset_ids', t('as.disp.assets'), h('div', { style: 'width:100%' }, [
          h(ElInput, { id: 'as-d-asset_ids', modelValue: q.value, 'onUpdate:modelValue': (x) => { q.value = x; }, clearable: true, placeholder: t('as.disp.searchAssets'), 'data-test': 'as-d-search' }),
          found.value.length ? h(ElTable, { data: found.value, size: 'small', maxHeight: 260, 'data-test': 'as-d-found' }, () => [
            h(ElTableColumn, { prop: 'code', label: t('as.disp.code'), width: 150 }),
            h(ElTableColumn, { prop: 'name', label: t('as.disp.name'), minWidth: 140 }),
            h(ElTableColumn, { label: t('as.pool.original'), width: 120, align: 'right' }, { default: ({ row }) => yuan(row.original_value_fen) }),
            h(ElTableColumn, { label: t('as.disp.status'), width: 100 }, { default: ({ row }) => enumText('assets', 'status', row.status) }),
            h(ElTableColumn, { width: 90 }, { default: ({ row }) => h(ElButton, { size: 'small', 'data-test': 'as-d-pick', disabled: picked.value.some((x) => x.id === row.id), onClick: () => pick(row) }, () => t('as.disp.pick')) }),
          ]) : null,
          h('div', { class: 'as-picked', 'data-test': 'as-d-picked' }, picked.value.map((a) => h(ElTag, { key: a.id, closable: true, class: 'mr', onClose: () => drop(a) }, () => `${a.code} ${a.name} · ${yuan(a.original_value_fen)}`))),
          bandBlock(total.value, s.value, 'as-d-band'),
        ])),
        item('type', t('as.disp.type'), h(ElSelect, { id: 'as-d-type', modelValue: v.type, 'onUpdate:modelValue': (x) => { v.type = x; }, 'data-test': 'as-d-type', ariaLabel: t('as.disp.type') },
          () => TYPES.map((x) => h(ElOption, { key: x, value: x, label: enumText(D, 'type', x) })))),
        item('reason', t('as.disp.reason'), text('reason', { type: 'textarea', rows: 3, maxlength: 1000 })),
        NEEDS_RECIPIENT.has(v.type) ? item('recipient', t('as.disp.recipient'), text('recipient')) : null,
        NEEDS_APPRAISAL.has(v.type) ? item('appraisal_ref', t('as.disp.appraisal'), text('appraisal_ref', { maxlength: 100 })) : null,
        NEEDS_APPRAISAL.has(v.type) ? h('p', { class: 'hint' }, t('as.disp.appraisalHint')) : null,
        bandOf(total.value, s.value) === 'finance' ? item('approval_doc', t('as.disp.approvalDoc'), text('approval_doc', { maxlength: 100 })) : null,
        h(ElButton, { type: 'primary', loading: busy.value, onClick: send, 'data-test': 'as-d-save' }, () => t('as.disp.save')),
      ]),
    ]);
  },
});

// ---- a batch's page ----

export const DisposalView = defineComponent({
  name: 'DisposalView',
  props: { c: String, id: [String, Number] },
  setup(props) {
    loadPoolStyles();
    const rec = ref(null);
    const items = ref([]);
    const s = ref(DEFAULTS);
    const error = ref(null);
    const dialog = ref(null);
    async function load() {
      try {
        const [r, its, st] = await Promise.all([
          api('GET', `/${D}/${props.id}`), fetchAll('asset_disposal_items', { disposal_id: props.id, sort: 'id' }, 600), thresholds(),
        ]);
        await resolveTitles('assets', its.map((x) => x.asset_id));
        if (r.department_id) await resolveTitles('departments', [r.department_id]);
        knowTitle(D, r.id, r.reason);
        rec.value = r;
        items.value = its;
        s.value = st;
      } catch (e) { error.value = e; }
    }
    onMounted(load);
    watch(() => props.id, load);

    function step(name) {
      const r = rec.value;
      const subject = `${enumText(D, 'type', r.type)} · ${yuan(r.original_total_fen)}`;
      const fields = {
        submit: [{ name: 'note', label: t('as.pool.note'), rows: 2, max: 500 }],
        approve: [{ name: 'note', label: t('as.pool.note'), rows: 2, max: 500 },
          ...(bandOf(r.original_total_fen, s.value) === 'finance' ? [{ name: 'approval_doc', label: t('as.disp.approvalDoc'), max: 100, value: r.approval_doc || '', required: true }] : [])],
        reject: [{ name: 'reason', label: t('as.pool.reason'), rows: 3, max: 500, required: true }],
        cancel: [{ name: 'reason', label: t('as.pool.reason'), rows: 2, max: 500 }],
      }[name];
      dialog.value = postDialog(`/${D}/${r.id}/${name}`, {
        title: t(`as.disp.step.${name}`), test: `as-d-${name}-dialog`, submitText: t(`as.disp.step.${name}`), subject, fields, danger: name === 'reject' || name === 'cancel',
      });
    }
    const STEPS = { submit: ['draft'], approve: ['submitted'], reject: ['submitted'], cancel: ['draft', 'submitted'] };

    return () => {
      if (error.value) return h('section', { class: 'page' }, h(ElAlert, { type: 'error', title: errText(error.value), closable: false }));
      const r = rec.value;
      if (!r) return h('section', { class: 'page' }, h(ElSkeleton, { rows: 5, animated: true }));
      // nobody approves or rejects a batch they submitted (the server says wf.own)
      const mine = state.user && r.submitted_by === state.user.id;
      const tools = Object.entries(STEPS).filter(([n, from]) => from.includes(r.status) && can(D, n) && !(mine && (n === 'approve' || n === 'reject')))
        .map(([n]) => h(ElButton, { type: n === 'approve' || n === 'submit' ? 'primary' : 'default', 'data-test': `as-d-${n}`, onClick: () => step(n) }, () => t(`as.disp.step.${n}`)));
      return h('section', { class: 'page as-page', 'data-test': 'as-disposal' }, [
        pageHead(titleRow(`${enumText(D, 'type', r.type)} · ${t('as.disp.no', { id: r.id })}`, statusTag(D, r.status, STATUS_TYPES)), tools),
        bandBlock(r.original_total_fen, s.value),
        factList([
          factItem(t('as.disp.type'), enumText(D, 'type', r.type), 'value-type'),
          factItem(t('as.disp.dept'), r.department_id ? titleOf('departments', r.department_id) : '—', 'value-department_id'),
          factItem(t('as.disp.reason'), r.reason, 'value-reason'),
          r.recipient ? factItem(t('as.disp.recipient'), r.recipient, 'value-recipient') : null,
          r.appraisal_ref ? factItem(t('as.disp.appraisal'), r.appraisal_ref, 'value-appraisal_ref') : null,
          r.approval_doc ? factItem(t('as.disp.approvalDoc'), r.approval_doc, 'value-approval_doc') : null,
          factItem(t('as.pool.original'), yuan(r.original_total_fen), 'value-original_total_fen'),
          factItem(t('as.disp.net'), yuan(r.net_total_fen), 'value-net_total_fen'),
          r.disposed_on ? factItem(t('as.disp.disposedOn'), r.disposed_on, 'value-disposed_on') : null,
          r.decision_note ? factItem(t('as.pool.note'), r.decision_note, 'value-decision_note') : null,
        ]),
        h('h2', { class: 'section-title' }, t('as.disp.items', { n: items.value.length })),
        h(ElTable, { data: items.value, 'data-test': 'as-d-items', rowKey: 'id' }, () => [
          h(ElTableColumn, { label: t('as.disp.name'), minWidth: 180 }, { default: ({ row }) => h('a', { href: href(`/c/assets/${row.asset_id}`) }, titleOf('assets', row.asset_id)) }),
          h(ElTableColumn, { label: t('as.pool.original'), width: 130, align: 'right' }, { default: ({ row }) => yuan(row.original_value_fen) }),
          h(ElTableColumn, { label: t('as.disp.net'), width: 130, align: 'right' }, { default: ({ row }) => yuan(row.net_value_fen) }),
          h(ElTableColumn, { label: t('as.disp.statusBefore'), width: 120 }, { default: ({ row }) => (row.status_before ? enumText('assets', 'status', row.status_before) : '—') }),
        ]),
        dialog.value ? h(AskDialog, { ...dialog.value, ent: collection(D), errorText: errText, doneText: t('as.pool.done'), onClose: () => { dialog.value = null; }, onDone: () => { dialog.value = null; load(); }, onRefused: () => load() }) : null,
      ]);
    };
  },
});
