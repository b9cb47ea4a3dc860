// SPDX-License-Identifier: MIT
// The public property pool 公物仓: the gallery of what departments handed in
// (#/assets/pool: photo, name, condition, net book value and the purchase a
// reuse saves; made for a phone), asking for an item (reuse, or a loan with
// its dates), the assets manager's approval queue (#/assets/pool/queue) and
// the loans out with their due dates (#/assets/pool/loans: a liaison sees
// their department's). Errors are shown by key (web/i18n err.*), money in
// yuan with two decimals.
import { defineComponent, h, ref, reactive, computed, onMounted, watch } from 'vue';
import {
  ElButton, ElAlert, ElSkeleton, ElEmpty, ElInput, ElSelect, ElOption, ElTag, ElSwitch, ElDialog, ElForm, ElFormItem,
  ElRadioGroup, ElRadioButton, ElDatePicker, ElMessage, ElTable, ElTableColumn,
} from 'element-plus';
import { Box } from '@element-plus/icons-vue';
import { t } from '../../lib/i18n.js';
import { api, fetchAll, problemText, placeErrors } from '../../lib/api.js';
import { can, collection, titleOf, resolveTitles } from '../../lib/session.js';
import { formatMoney } from '../../lib/money.js';
import { today, addDays } from '../../lib/time.js';
import { recall, remember } from '../../lib/storage.js';
import { pageHead } from '../../components/page-head.js';
import { fileUrl, PhotosInput, pendingUploads } from '../../components/photos.js';
import { AskDialog, postDialog } from '../../components/ask-dialog.js';
import { statusTag } from '../../components/status-tag.js';

const REQ = 'pool_requests';
const CONDITIONS = ['good', 'fair', 'poor', 'broken'];
const COND_TYPES = { good: 'success', fair: 'primary', poor: 'warning', broken: 'danger' };
const REQ_TYPES = { pending: 'warning', approved: 'success', rejected: 'danger', cancelled: 'info', returned: 'info' };
const LOAN_MAX_DAYS = 90;

// pool.css, once (the pool's, the disposals' and the transfers' pages share it)
let cssPromise = null;
export function loadPoolStyles() {
  cssPromise ||= new Promise((resolve) => {
    const l = document.createElement('link');
    l.rel = 'stylesheet';
    l.href = new URL('./pool.css', import.meta.url).pathname;
    l.onload = () => resolve();
    l.onerror = () => resolve();
    document.head.appendChild(l);
  });
  return cssPromise;
}

const errText = (e) => problemText(e, collection(REQ));
const yuan = (fen) => formatMoney(fen, '—');
const condTag = (c) => h(ElTag, { type: COND_TYPES[c] || 'info', size: 'small', effect: 'light', 'data-condition': c, disableTransitions: true }, () => t(`as.pool.cond.${c}`));

// ---- asking for an item ----

const AskItem = defineComponent({
  name: 'PoolAskItem',
  props: { item: Object },
  emits: ['close', 'done'],
  setup(props, { emit }) {
    const depts = ref([]);
    const v = reactive({ kind: 'reuse', department_id: recall('as.pool.dept')?.id || null, purpose: '', needed_from: today(), loan_until: addDays(today(), 7) });
    const errors = reactive({});
    const alert = ref('');
    const busy = ref(false);
    onMounted(async () => {
      try { depts.value = await fetchAll('departments', { sort: 'name' }, 500); } catch (e) { alert.value = errText(e); }
    });
    async function send() {
      alert.value = '';
      for (const k of Object.keys(errors)) errors[k] = '';
      if (!v.department_id) errors.department_id = t('srv.required');
      if (!v.purpose.trim()) errors.purpose = t('srv.required');
      if (v.kind === 'loan' && !v.loan_until) errors.loan_until = t('srv.required');
      if (Object.values(errors).some(Boolean)) return;
      const body = { asset_id: props.item.asset_id, kind: v.kind, department_id: v.department_id, purpose: v.purpose.trim(), needed_from: v.needed_from };
      if (v.kind === 'loan') body.loan_until = v.loan_until;
      busy.value = true;
      try {
        const r = await api('POST', `/${REQ}`, { body });
        remember('as.pool.dept', { id: v.department_id });
        ElMessage({ type: 'success', message: t('as.pool.asked') });
        emit('done', r);
      } catch (e) {
        const rest = placeErrors(e, errors, ['department_id', 'purpose', 'needed_from', 'loan_until', 'kind'], collection(REQ));
        if (rest) alert.value = rest;
      } finally {
        busy.value = false;
      }
    }
    const item = (name, labelText, input) => h(ElFormItem, { label: labelText, error: errors[name] || '', for: `as-ask-${name}` }, () => input);
    return () => h(ElDialog, {
      modelValue: true, title: t('as.pool.askTitle'), width: 'min(520px, 96vw)', 'data-test': 'as-ask-dialog', appendToBody: true,
      'onUpdate:modelValue': () => emit('close'),
    }, {
      default: () => [
        h('p', { class: 'as-ask-subject' }, [h('strong', props.item.name), ' · ', props.item.code]),
        props.item.original_value_fen ? h('p', { class: 'as-saves', 'data-test': 'as-ask-saves' }, t('as.pool.savesLong', { amount: yuan(props.item.original_value_fen) })) : null,
        alert.value ? h(ElAlert, { type: 'error', title: alert.value, closable: false, class: 'mb', 'data-test': 'as-ask-error' }) : null,
        h(ElForm, { labelPosition: 'top', onSubmit: (e) => { e.preventDefault(); send(); } }, () => [
          item('kind', t('as.pool.kind'), h(ElRadioGroup, { modelValue: v.kind, 'onUpdate:modelValue': (x) => { v.kind = x; }, 'data-test': 'as-ask-kind' }, () => [
            h(ElRadioButton, { value: 'reuse', label: 'reuse', 'data-test': 'as-ask-reuse' }, () => t('as.pool.reuse')),
            h(ElRadioButton, { value: 'loan', label: 'loan', 'data-test': 'as-ask-loan' }, () => t('as.pool.loan')),
          ])),
          item('department_id', t('as.pool.dept'), h(ElSelect, {
            id: 'as-ask-department_id', modelValue: v.department_id, filterable: true, 'onUpdate:modelValue': (x) => { v.department_id = x; }, 'data-test': 'as-ask-dept',
            placeholder: t('as.pool.deptPick'), ariaLabel: t('as.pool.dept'),
          }, () => depts.value.map((d) => h(ElOption, { key: d.id, value: d.id, label: d.name })))),
          item('purpose', t('as.pool.purpose'), h(ElInput, { id: 'as-ask-purpose', modelValue: v.purpose, type: 'textarea', rows: 2, maxlength: 500, 'onUpdate:modelValue': (x) => { v.purpose = x; }, 'data-test': 'as-ask-purpose' })),
          item('needed_from', t('as.pool.neededFrom'), h(ElDatePicker, { id: 'as-ask-needed_from', modelValue: v.needed_from, type: 'date', valueFormat: 'YYYY-MM-DD', clearable: false, 'onUpdate:modelValue': (x) => { v.needed_from = x; } })),
          v.kind === 'loan' ? item('loan_until', t('as.pool.loanUntil'), h(ElDatePicker, {
            id: 'as-ask-loan_until', modelValue: v.loan_until, type: 'date', valueFormat: 'YYYY-MM-DD', clearable: false, 'data-test': 'as-ask-until',
            'onUpdate:modelValue': (x) => { v.loan_until = x; },
            disabledDate: (d) => { const s = d.toISOString().slice(0, 10); return v.needed_from && (s < addDays(v.needed_from, -1) || s > addDays(v.needed_from, LOAN_MAX_DAYS)); },
          })) : null,
          v.kind === 'loan' ? h('p', { class: 'hint' }, t('as.pool.loanHint', { max: LOAN_MAX_DAYS })) : null,
        ]),
      ],
      footer: () => [
        h(ElButton, { onClick: () => emit('close') }, () => t('as.pool.close')),
        h(ElButton, { type: 'primary', loading: busy.value, onClick: send, 'data-test': 'as-ask-send' }, () => t('as.pool.askSend')),
      ],
    });
  },
});

// ---- handing an asset in (the register's asset page includes it) ----

// A dialog handing asset (a record of the register) in to the pool: its
// condition, a note and a photo; emits done with the asset as it is now.
export const HandInDialog = defineComponent({
  name: 'PoolHandInDialog',
  props: { asset: Object },
  emits: ['close', 'done'],
  setup(props, { emit }) {
    const v = reactive({ condition: props.asset.condition || 'good', note: '', photos: [] });
    const errors = reactive({});
    const alert = ref('');
    const busy = ref(false);
    async function send() {
      alert.value = '';
      for (const k of Object.keys(errors)) errors[k] = '';
      if (pendingUploads.value) { alert.value = t('as.pool.uploading'); return; }
      const body = { condition: v.condition };
      if (v.note.trim()) body.note = v.note.trim();
      if (v.photos.length) body.photo = v.photos[0];
      busy.value = true;
      try {
        const r = await api('POST', `/assets/${props.asset.id}/hand_in`, { body });
        ElMessage({ type: 'success', message: t('as.pool.handedIn') });
        emit('done', r);
      } catch (e) {
        const rest = placeErrors(e, errors, ['condition', 'note', 'photo'], collection('assets'));
        if (rest) alert.value = rest;
      } finally {
        busy.value = false;
      }
    }
    return () => h(ElDialog, {
      modelValue: true, title: t('as.pool.handInTitle'), width: 'min(520px, 96vw)', 'data-test': 'as-hand-in-dialog', appendToBody: true,
      'onUpdate:modelValue': () => emit('close'),
    }, {
      default: () => [
        h('p', { class: 'as-ask-subject' }, [h('strong', props.asset.name), ' · ', props.asset.code]),
        h('p', { class: 'hint' }, t('as.pool.handInHint')),
        alert.value ? h(ElAlert, { type: 'error', title: alert.value, closable: false, class: 'mb', 'data-test': 'as-hand-in-error' }) : null,
        h(ElForm, { labelPosition: 'top', onSubmit: (e) => { e.preventDefault(); send(); } }, () => [
          h(ElFormItem, { label: t('as.pool.condition'), error: errors.condition || '', for: 'as-hi-condition' }, () => h(ElRadioGroup, {
            id: 'as-hi-condition', modelValue: v.condition, 'onUpdate:modelValue': (x) => { v.condition = x; }, 'data-test': 'as-hi-condition',
          }, () => CONDITIONS.map((c) => h(ElRadioButton, { key: c, value: c, label: c }, () => t(`as.pool.cond.${c}`))))),
          h(ElFormItem, { label: t('as.pool.note'), error: errors.note || '', for: 'as-hi-note' }, () => h(ElInput, { id: 'as-hi-note', modelValue: v.note, type: 'textarea', rows: 2, maxlength: 500, 'onUpdate:modelValue': (x) => { v.note = x; } })),
          h(ElFormItem, { label: t('as.pool.photo'), error: errors.photo || '' }, () => h(PhotosInput, { modelValue: v.photos, max: 1, label: t('as.pool.photo'), 'onUpdate:modelValue': (x) => { v.photos = x; } })),
        ]),
      ],
      footer: () => [
        h(ElButton, { onClick: () => emit('close') }, () => t('as.pool.close')),
        h(ElButton, { type: 'primary', loading: busy.value, onClick: send, 'data-test': 'as-hi-send' }, () => t('as.pool.handIn')),
      ],
    });
  },
});

// ---- the gallery ----

export const PoolView = defineComponent({
  name: 'PoolView',
  setup() {
    loadPoolStyles();
    const q = ref('');
    const condition = ref('');
    const available = ref(true);
    const items = ref(null);
    const next = ref(null);
    const error = ref(null);
    const busy = ref(false);
    const asking = ref(null);
    let seq = 0;
    async function load(more = false) {
      const my = ++seq;
      busy.value = true;
      error.value = null;
      try {
        const query = new URLSearchParams({ limit: '24' });
        if (q.value.trim()) query.set('q', q.value.trim());
        if (condition.value) query.set('condition', condition.value);
        if (available.value) query.set('available', '1');
        if (more && next.value) query.set('cursor', String(next.value));
        const r = await api('GET', `/pool?${query}`);
        if (my !== seq) return;
        items.value = more ? [...(items.value || []), ...r.items] : r.items;
        next.value = r.next_cursor;
      } catch (e) {
        if (my === seq) error.value = e;
      } finally {
        if (my === seq) busy.value = false;
      }
    }
    const figures = ref(null);
    onMounted(() => {
      load();
      api('GET', '/pool/summary').then((f) => { figures.value = f; }, () => {});
    });
    let timer = null;
    watch(q, () => { clearTimeout(timer); timer = setTimeout(() => load(), 250); });
    watch([condition, available], () => load());
    const mayAsk = computed(() => can(REQ, 'create'));

    const card = (x) => h('article', { class: 'as-card', 'data-test': 'as-pool-card', 'data-asset': x.asset_id, key: x.pool_item_id }, [
      h('div', { class: 'as-photo' }, x.photos && x.photos.length
        ? h('img', { src: fileUrl(x.photos[0]), alt: t('as.pool.photoOf', { name: x.name }), loading: 'lazy' })
        : h('div', { class: 'as-nophoto', 'aria-hidden': 'true' }, h(Box))),
      h('div', { class: 'as-card-body' }, [
        h('h2', { class: 'as-card-title' }, x.name),
        h('div', { class: 'as-card-meta' }, [x.code, x.model ? ` · ${x.model}` : '', ' · ', x.class_name || '']),
        h('div', { class: 'as-card-tags' }, [condTag(x.condition), x.status === 'lent' ? h(ElTag, { size: 'small', type: 'info', effect: 'plain', 'data-test': 'as-lent' }, () => t('as.pool.lentNow')) : null]),
        h('dl', { class: 'as-card-figs' }, [
          h('dt', t('as.pool.net')), h('dd', { 'data-test': 'as-net' }, yuan(x.net_value_fen)),
          h('dt', t('as.pool.original')), h('dd', yuan(x.original_value_fen)),
          h('dt', t('as.pool.from')), h('dd', x.department_name || '—'),
        ]),
        h('p', { class: 'as-saves', 'data-test': 'as-saves' }, t('as.pool.saves', { amount: yuan(x.original_value_fen) })),
        x.note ? h('p', { class: 'hint as-note' }, x.note) : null,
        mayAsk.value && x.status === 'pooled'
          ? h(ElButton, { type: 'primary', class: 'as-ask', 'data-test': 'as-ask', onClick: () => { asking.value = x; } }, () => t('as.pool.ask'))
          : null,
      ]),
    ]);

    return () => h('section', { class: 'page as-page', 'data-test': 'as-pool' }, [
      pageHead(t('as.pool.title')),
      h('p', { class: 'hint' }, t('as.pool.hint')),
      figures.value ? h('dl', { class: 'as-figures', 'data-test': 'as-figures' }, [
        h('div', [h('dt', t('as.pool.figReused')), h('dd', { 'data-test': 'as-fig-reused' }, t('as.pool.figReusedValue', { n: figures.value.reused_year, amount: yuan(figures.value.reused_value_year_fen) }))]),
        h('div', [h('dt', t('as.pool.figItems')), h('dd', { 'data-test': 'as-fig-items' }, String(figures.value.pool_items))]),
        h('div', [h('dt', t('as.pool.figLoans')), h('dd', { 'data-test': 'as-fig-loans' }, t('as.pool.figLoansValue', { n: figures.value.loans_out, late: figures.value.loans_overdue }))]),
        can('asset_disposals', 'approve') ? h('div', [h('dt', t('as.pool.figDisposals')), h('dd', { 'data-test': 'as-fig-disposals' }, String(figures.value.disposals_awaiting))]) : null,
      ]) : null,
      h('div', { class: 'as-filters' }, [
        h(ElInput, { modelValue: q.value, 'onUpdate:modelValue': (x) => { q.value = x; }, clearable: true, placeholder: t('as.pool.search'), ariaLabel: t('as.pool.search'), 'data-test': 'as-pool-q', class: 'as-q' }),
        h(ElSelect, { modelValue: condition.value, 'onUpdate:modelValue': (x) => { condition.value = x; }, clearable: true, placeholder: t('as.pool.anyCondition'), ariaLabel: t('as.pool.condition'), 'data-test': 'as-pool-cond', class: 'as-cond' },
          () => CONDITIONS.map((c) => h(ElOption, { key: c, value: c, label: t(`as.pool.cond.${c}`) }))),
        h('label', { class: 'as-avail' }, [h(ElSwitch, { modelValue: available.value, 'onUpdate:modelValue': (x) => { available.value = x; }, ariaLabel: t('as.pool.onlyAvailable') }), ' ', t('as.pool.onlyAvailable')]),
      ]),
      error.value ? h(ElAlert, { type: 'error', title: errText(error.value), closable: false, 'data-test': 'as-pool-error' }) : null,
      !items.value && !error.value ? h(ElSkeleton, { rows: 4, animated: true })
        : items.value && !items.value.length ? h(ElEmpty, { description: t('as.pool.none') })
        : h('div', { class: 'as-gallery', 'data-test': 'as-gallery' }, (items.value || []).map(card)),
      next.value ? h('div', { class: 'as-more' }, h(ElButton, { loading: busy.value, onClick: () => load(true), 'data-test': 'as-more' }, () => t('as.pool.more'))) : null,
      asking.value ? h(AskItem, { item: asking.value, onClose: () => { asking.value = null; }, onDone: () => { asking.value = null; load(); } }) : null,
    ]);
  },
});

// ---- requests: the approval queue and the loans ----

async function withTitles(rows) {
  await Promise.all([
    resolveTitles('departments', rows.map((r) => r.department_id)),
  ]);
  return rows;
}

function requestTable(rows, { actions, test, loans }) {
  const day0 = today();
  return h(ElTable, { data: rows, 'data-test': test, rowKey: 'id', emptyText: t('as.pool.noRequests') }, () => [
    h(ElTableColumn, { label: t('as.pool.item'), minWidth: 160 }, { default: ({ row }) => h('span', { 'data-test': 'as-req-item' }, row.asset_name ? `${row.asset_name} · ${row.asset_code || ''}` : titleOf('assets', row.asset_id)) }),
    h(ElTableColumn, { label: t('as.pool.dept'), minWidth: 140 }, { default: ({ row }) => titleOf('departments', row.department_id) }),
    h(ElTableColumn, { label: t('as.pool.kind'), width: 100 }, { default: ({ row }) => t(`as.pool.${row.kind}`) }),
    h(ElTableColumn, { label: t('as.pool.purpose'), minWidth: 160, prop: 'purpose' }),
    loans
      ? h(ElTableColumn, { label: t('as.pool.loanUntil'), width: 150 }, {
        default: ({ row }) => h('span', { 'data-test': 'as-due', class: row.loan_until < day0 ? 'as-overdue' : '' },
          [row.loan_until, row.loan_until < day0 ? [' ', h(ElTag, { type: 'danger', size: 'small', effect: 'dark' }, () => t('as.pool.overdue'))] : null]),
      })
      : h(ElTableColumn, { label: t('as.pool.savesCol'), width: 130, align: 'right' }, { default: ({ row }) => (row.saves_fen != null ? yuan(row.saves_fen) : t('as.pool.loanDates', { from: row.needed_from || '', until: row.loan_until || '' })) }),
    h(ElTableColumn, { label: t('as.pool.status'), width: 100 }, { default: ({ row }) => statusTag(REQ, row.status, REQ_TYPES, { size: 'small' }) }),
    actions ? h(ElTableColumn, { label: '', minWidth: 170 }, { default: ({ row }) => actions(row) }) : null,
  ]);
}

export const QueueView = defineComponent({
  name: 'PoolQueueView',
  setup() {
    loadPoolStyles();
    const rows = ref(null);
    const error = ref(null);
    const dialog = ref(null);
    async function load() {
      try {
        rows.value = await withTitles(await fetchAll(REQ, { status: 'pending', sort: 'id' }, 500));
      } catch (e) { error.value = e; }
    }
    onMounted(load);
    function ask(row, step) {
      const subject = `${row.asset_name || titleOf('assets', row.asset_id)} → ${titleOf('departments', row.department_id)}`;
      dialog.value = postDialog(`/${REQ}/${row.id}/${step}`, step === 'approve'
        ? { title: t('as.pool.approveTitle'), test: 'as-approve-dialog', submitText: t('as.pool.approveBtn'), subject, fields: [{ name: 'note', label: t('as.pool.note'), rows: 2, max: 500 }] }
        : { title: t('as.pool.rejectTitle'), test: 'as-reject-dialog', submitText: t('as.pool.rejectBtn'), danger: true, subject, fields: [{ name: 'reason', label: t('as.pool.reason'), rows: 3, max: 500, required: true }] });
    }
    const actions = (row) => [
      can(REQ, 'approve') ? h(ElButton, { size: 'small', type: 'primary', 'data-test': 'as-approve', onClick: () => ask(row, 'approve') }, () => t('as.pool.approveBtn')) : null,
      can(REQ, 'reject') ? h(ElButton, { size: 'small', 'data-test': 'as-reject', onClick: () => ask(row, 'reject') }, () => t('as.pool.rejectBtn')) : null,
    ];
    return () => h('section', { class: 'page as-page', 'data-test': 'as-queue' }, [
      pageHead(t('as.pool.queueTitle')),
      error.value ? h(ElAlert, { type: 'error', title: errText(error.value), closable: false }) : null,
      !rows.value && !error.value ? h(ElSkeleton, { rows: 3, animated: true }) : rows.value ? requestTable(rows.value, { actions, test: 'as-queue-table' }) : null,
      dialog.value ? h(AskDialog, { ...dialog.value, ent: collection(REQ), errorText: errText, doneText: t('as.pool.done'), onClose: () => { dialog.value = null; }, onDone: () => { dialog.value = null; load(); }, onRefused: () => load() }) : null,
    ]);
  },
});

export const LoansView = defineComponent({
  name: 'PoolLoansView',
  setup() {
    loadPoolStyles();
    const rows = ref(null);
    const mine = ref(null);
    const error = ref(null);
    const dialog = ref(null);
    async function load() {
      try {
        rows.value = await withTitles((await fetchAll(REQ, { kind: 'loan', status: 'approved', sort: 'id' }, 500)).sort((x, y) => (x.loan_until < y.loan_until ? -1 : x.loan_until > y.loan_until ? 1 : x.id - y.id)));
        mine.value = await withTitles(await fetchAll(REQ, { status: 'pending', sort: '-id' }, 200));
      } catch (e) { error.value = e; }
    }
    onMounted(load);
    const actions = (row) => [
      can(REQ, 'return') ? h(ElButton, {
        size: 'small', 'data-test': 'as-return',
        onClick: () => { dialog.value = postDialog(`/${REQ}/${row.id}/return`, { title: t('as.pool.returnTitle'), test: 'as-return-dialog', submitText: t('as.pool.return'), subject: row.asset_name || titleOf('assets', row.asset_id), fields: [{ name: 'note', label: t('as.pool.note'), rows: 2, max: 500 }] }); },
      }, () => t('as.pool.return')) : null,
    ];
    const pendingActions = (row) => [
      can(REQ, 'cancel') ? h(ElButton, {
        size: 'small', 'data-test': 'as-cancel',
        onClick: () => { dialog.value = postDialog(`/${REQ}/${row.id}/cancel`, { title: t('as.pool.cancelTitle'), test: 'as-cancel-dialog', submitText: t('as.pool.cancelReq'), subject: row.asset_name || titleOf('assets', row.asset_id), fields: [{ name: 'reason', label: t('as.pool.reason'), rows: 2, max: 500 }] }); },
      }, () => t('as.pool.cancelReq')) : null,
    ];
    return () => h('section', { class: 'page as-page', 'data-test': 'as-loans' }, [
      pageHead(t('as.pool.loansTitle')),
      error.value ? h(ElAlert, { type: 'error', title: errText(error.value), closable: false }) : null,
      !rows.value && !error.value ? h(ElSkeleton, { rows: 3, animated: true }) : rows.value ? requestTable(rows.value, { actions, test: 'as-loans-table', loans: true }) : null,
      h('h2', { class: 'section-title' }, t('as.pool.pendingTitle')),
      mine.value ? requestTable(mine.value, { actions: pendingActions, test: 'as-pending-table' }) : null,
      dialog.value ? h(AskDialog, { ...dialog.value, ent: collection(REQ), errorText: errText, doneText: t('as.pool.done'), onClose: () => { dialog.value = null; }, onDone: () => { dialog.value = null; load(); }, onRefused: () => load() }) : null,
    ]);
  },
});
