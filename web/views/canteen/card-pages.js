// SPDX-License-Identifier: MIT
// The meal card's pages: my card (#/canteen/card, a phone's width: balance, the QR code to
// pay with, transactions by month, freezing a lost card, a new code), the cashier's desk
// (#/canteen/cashier: a card by its number or holder, top-ups, refunds, adjustments,
// reversals, freezing) and the readers (#/canteen/readers: last upload, clock drift, a device
// token shown once). Refusals are said with their keys (t('err.'+key)), never the server's prose.
import { defineComponent, h, ref, onMounted, computed } from 'vue';
import {
  ElAlert, ElButton, ElDatePicker, ElDialog, ElEmpty, ElForm, ElFormItem, ElInput, ElInputNumber,
  ElMessage, ElMessageBox, ElRadioButton, ElRadioGroup, ElSkeleton, ElTable, ElTableColumn, ElTag,
} from 'element-plus';
import { t } from '../../lib/i18n.js';
import { api, API, problemText } from '../../lib/api.js';
import { formatMoney, yuanToFen } from '../../lib/money.js';
import { pageHead } from '../../components/page-head.js';

const kindTag = { topup: 'success', subsidy: 'success', refund: 'success', spend: 'info', adjustment: 'warning', reversal: 'danger' };
const key = () => `ui-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
const time = (s) => (s ? s.replace('T', ' ').slice(0, 16) : '');
const thisMonth = () => new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 7);

function problem(e) { return problemText(e && e.body !== undefined ? e.body : e); }

// ---- my card ----

export const MyCardView = defineComponent({
  name: 'MyCardView',
  setup() {
    const data = ref(null);
    const error = ref(null);
    const month = ref(thisMonth());
    const qrStamp = ref(Date.now());
    async function load() {
      error.value = null;
      try { data.value = await api('GET', '/canteen/me', { query: { month: month.value } }); } catch (e) { error.value = e; }
    }
    onMounted(load);
    async function freeze() {
      try {
        const { value } = await ElMessageBox.prompt(t('ct.card.freezeAsk'), t('ct.card.freeze'), { inputValue: t('ct.card.lost'), confirmButtonText: t('ct.card.freeze'), cancelButtonText: t('ct.cancel') });
        await api('POST', `/meal_accounts/${data.value.account.id}/freeze`, { body: { reason: value || t('ct.card.lost') } });
        ElMessage.success(t('ct.card.frozen'));
        await load();
      } catch (e) { if (e !== 'cancel' && e !== 'close') ElMessage.error(problem(e)); }
    }
    async function newQr() {
      try {
        await api('POST', `/meal_accounts/${data.value.account.id}/new_qr`, { body: {} });
        qrStamp.value = Date.now();
        ElMessage.success(t('ct.card.newQrDone'));
        await load();
      } catch (e) { ElMessage.error(problem(e)); }
    }
    return () => {
      const d = data.value;
      const a = d && d.account;
      return h('div', { class: 'ct-card-page', style: 'max-width: 480px; margin: 0 auto' }, [
        pageHead(t('ct.card.title')),
        error.value ? h(ElAlert, { type: 'error', closable: false, title: problem(error.value) }) : null,
        !d && !error.value ? h(ElSkeleton, { rows: 4, animated: true }) : null,
        d && !a ? h(ElEmpty, { description: t('ct.card.none') }) : null,
        a ? h('section', { class: 'ct-balance', 'data-test': 'ct-balance', style: 'text-align: center; padding: 12px 0' }, [
          h('div', { style: 'color: var(--el-text-color-secondary)' }, `${t('ct.card.balance')} · ${t('ct.card.cardNo')} ${a.card_no}`),
          h('div', { style: 'font-size: 2em; font-weight: 600', 'data-test': 'ct-balance-amount' }, formatMoney(a.balance_fen)),
          a.status !== 'active' ? h(ElTag, { type: 'danger', 'data-test': 'ct-status' }, t('ct.card.status.' + a.status)) : null,
        ]) : null,
        a && a.status === 'active' ? h('section', { style: 'text-align: center' }, [
          h('img', { src: `${API}/canteen/me/qr.svg?v=${qrStamp.value}`, alt: t('ct.card.qrAlt'), width: 200, height: 200, 'data-test': 'ct-qr' }),
          h('p', { style: 'color: var(--el-text-color-secondary); font-size: 0.9em' }, t('ct.card.qrHint')),
        ]) : null,
        a ? h('div', { class: 'toolbar', style: 'display: flex; gap: 8px; justify-content: center; margin: 8px 0' }, [
          a.status === 'active' ? h(ElButton, { type: 'danger', plain: true, onClick: freeze, 'data-test': 'ct-freeze' }, () => t('ct.card.freeze')) : null,
          h(ElButton, { onClick: newQr, 'data-test': 'ct-new-qr' }, () => t('ct.card.newQr')),
        ]) : null,
        a ? h('div', { style: 'display: flex; align-items: center; gap: 8px; margin: 12px 0' }, [
          h('label', { for: 'ct-month' }, t('ct.card.month')),
          h(ElDatePicker, { id: 'ct-month', type: 'month', valueFormat: 'YYYY-MM', modelValue: month.value, clearable: false, 'onUpdate:modelValue': (v) => { month.value = v; load(); }, 'data-test': 'ct-month', style: 'width: 140px' }),
        ]) : null,
        a && !d.transactions.length ? h(ElEmpty, { description: t('ct.card.noTxns') }) : null,
        a && d.transactions.length ? h('ul', { class: 'ct-txns', style: 'list-style: none; padding: 0; margin: 0' }, d.transactions.map((x) => h('li', { key: x.id, 'data-test': 'ct-txn', style: 'display: flex; justify-content: space-between; padding: 8px 0; border-bottom: 1px solid var(--el-border-color-lighter)' }, [
          h('div', [
            h(ElTag, { size: 'small', type: kindTag[x.kind] || 'info' }, () => t('ct.kind.' + x.kind)),
            ' ', x.canteen || '', x.meal ? ' · ' + t('ct.meal.' + x.meal) : '',
            h('div', { style: 'font-size: 0.85em; color: var(--el-text-color-secondary)' }, time(x.at)),
          ]),
          h('div', { style: 'text-align: right' }, [
            h('strong', { style: x.delta_fen < 0 ? '' : 'color: var(--el-color-success-dark-2)' }, (x.delta_fen > 0 ? '+' : '') + formatMoney(x.delta_fen)),
            h('div', { style: 'font-size: 0.85em; color: var(--el-text-color-secondary)' }, t('ct.card.after', { amount: formatMoney(x.balance_fen) })),
          ]),
        ]))) : null,
      ]);
    };
  },
});

// ---- the cashier's desk ----

export const CashierView = defineComponent({
  name: 'CashierView',
  setup() {
    const query = ref('');
    const found = ref([]);
    const acct = ref(null);
    const txns = ref([]);
    const error = ref(null);
    const op = ref('topup');
    const form = ref({ amount: null, method: 'cash', note: '', sign: 1 });
    const busy = ref(false);
    async function search() {
      error.value = null;
      found.value = [];
      const q = query.value.trim();
      if (!q) return;
      try {
        if (/^[0-9A-Fa-f]{4,20}$/.test(q)) {
          try { const a = await api('GET', '/meal_accounts/lookup', { query: { card: q } }); found.value = [a]; return; } catch (e) { if (e.status !== 404) throw e; }
        }
        const people = await api('GET', '/people', { query: { q, limit: 10 } });
        const ids = people.items.map((p) => p.id);
        if (!ids.length) { error.value = { key: 'canteen.account.unknown', params: { card: q }, status: 404 }; return; }
        const accts = await api('GET', '/meal_accounts', { query: { 'person_id[in]': ids.join(','), limit: 10 } });
        found.value = accts.items.map((a) => ({ ...a, name: (people.items.find((p) => p.id === a.person_id) || {}).name }));
        if (!found.value.length) error.value = { key: 'canteen.account.unknown', params: { card: q }, status: 404 };
      } catch (e) { error.value = e; }
    }
    async function pick(a) {
      acct.value = await api('GET', `/meal_accounts/${a.id}`);
      acct.value.name = a.name;
      const l = await api('GET', '/meal_transactions', { query: { account_id: a.id, limit: 20 } });
      txns.value = l.items;
    }
    async function post() {
      busy.value = true;
      error.value = null;
      try {
        const fen = yuanToFen(form.value.amount);
        const body = op.value === 'topup'
          ? { kind: 'topup', account_id: acct.value.id, amount_fen: fen, method: form.value.method, note: form.value.note || undefined, idem_key: key() }
          : { kind: 'adjustment', account_id: acct.value.id, delta_fen: form.value.sign * fen, note: form.value.note, idem_key: key() };
        const r = await api('POST', '/meal_transactions', { body });
        ElMessage.success(t('ct.cashier.done', { amount: formatMoney(r.balance_fen) }));
        form.value.amount = null;
        form.value.note = '';
        await pick(acct.value);
      } catch (e) { error.value = e; } finally { busy.value = false; }
    }
    async function act(row, what) {
      error.value = null;
      try {
        let body = { idem_key: key() };
        if (what === 'refund') {
          const { value } = await ElMessageBox.prompt(t('ct.cashier.refundAsk'), t('ct.cashier.refund'), { inputValue: String(row.amount_fen / 100), confirmButtonText: t('ct.cashier.refund'), cancelButtonText: t('ct.cancel') });
          body.amount_fen = yuanToFen(value);
        } else await ElMessageBox.confirm(t('ct.cashier.reverseAsk'), t('ct.cashier.reverse'), { confirmButtonText: t('ct.cashier.reverse'), cancelButtonText: t('ct.cancel') });
        await api('POST', `/meal_transactions/${row.id}/${what}`, { body });
        await pick(acct.value);
      } catch (e) { if (e !== 'cancel' && e !== 'close') error.value = e; }
    }
    async function freeze(step) {
      error.value = null;
      try {
        await api('POST', `/meal_accounts/${acct.value.id}/${step}`, { body: step === 'freeze' ? { reason: t('ct.card.lost') } : {} });
        await pick(acct.value);
      } catch (e) { error.value = e; }
    }
    const isAdj = computed(() => op.value === 'adjustment');
    return () => h('div', { class: 'ct-cashier' }, [
      pageHead(t('ct.cashier.title')),
      h('div', { style: 'display: flex; gap: 8px; max-width: 520px' }, [
        h(ElInput, { modelValue: query.value, 'onUpdate:modelValue': (v) => (query.value = v), placeholder: t('ct.cashier.find'), 'aria-label': t('ct.cashier.find'), onKeyup: (e) => e.key === 'Enter' && search(), 'data-test': 'ct-find' }),
        h(ElButton, { type: 'primary', onClick: search, 'data-test': 'ct-find-go' }, () => t('ct.cashier.search')),
      ]),
      error.value ? h(ElAlert, { type: 'error', closable: false, title: problem(error.value), 'data-test': 'ct-error', style: 'margin: 8px 0' }) : null,
      found.value.length && !acct.value ? h('ul', { style: 'list-style: none; padding: 0' }, found.value.map((a) => h('li', { key: a.id }, [
        h(ElButton, { link: true, type: 'primary', onClick: () => pick(a), 'data-test': 'ct-found' }, () => `${a.name || ''} ${a.card_no} · ${formatMoney(a.balance_fen)}`),
      ]))) : null,
      acct.value ? h('section', { 'data-test': 'ct-account', style: 'margin-top: 12px' }, [
        h('h2', { style: 'font-size: 1.1em' }, [`${acct.value.name || ''} ${acct.value.card_no} · `, h('span', { 'data-test': 'ct-account-balance' }, formatMoney(acct.value.balance_fen)), ' ', h(ElTag, { type: acct.value.status === 'active' ? 'success' : 'danger' }, () => t('ct.card.status.' + acct.value.status))]),
        h('div', { class: 'toolbar', style: 'display: flex; gap: 8px; margin-bottom: 8px' }, [
          acct.value.status === 'active' ? h(ElButton, { onClick: () => freeze('freeze'), 'data-test': 'ct-freeze' }, () => t('ct.card.freeze')) : null,
          acct.value.status === 'frozen' ? h(ElButton, { onClick: () => freeze('unfreeze'), 'data-test': 'ct-unfreeze' }, () => t('ct.card.unfreeze')) : null,
          h(ElButton, { link: true, onClick: () => { acct.value = null; } }, () => t('ct.cashier.other')),
        ]),
        h(ElRadioGroup, { modelValue: op.value, 'onUpdate:modelValue': (v) => (op.value = v), 'aria-label': t('ct.cashier.what') }, () => [
          h(ElRadioButton, { value: 'topup', 'data-test': 'ct-op-topup' }, () => t('ct.kind.topup')),
          h(ElRadioButton, { value: 'adjustment', 'data-test': 'ct-op-adjust' }, () => t('ct.kind.adjustment')),
        ]),
        h(ElForm, { labelWidth: '96px', style: 'max-width: 480px; margin-top: 12px', onSubmit: (e) => e.preventDefault() }, () => [
          isAdj.value ? h(ElFormItem, { label: t('ct.cashier.direction') }, () => h(ElRadioGroup, { modelValue: form.value.sign, 'onUpdate:modelValue': (v) => (form.value.sign = v) }, () => [
            h(ElRadioButton, { value: 1 }, () => t('ct.cashier.add')), h(ElRadioButton, { value: -1 }, () => t('ct.cashier.deduct')),
          ])) : h(ElFormItem, { label: t('ct.cashier.method') }, () => h(ElRadioGroup, { modelValue: form.value.method, 'onUpdate:modelValue': (v) => (form.value.method = v) }, () => [
            h(ElRadioButton, { value: 'cash' }, () => t('ct.method.cash')), h(ElRadioButton, { value: 'transfer' }, () => t('ct.method.transfer')),
          ])),
          h(ElFormItem, { label: t('ct.cashier.amount'), for: 'ct-amount' }, () => h(ElInputNumber, { id: 'ct-amount', modelValue: form.value.amount, 'onUpdate:modelValue': (v) => (form.value.amount = v), min: 0.01, precision: 2, step: 10, 'data-test': 'ct-amount' })),
          h(ElFormItem, { label: isAdj.value ? t('ct.cashier.reason') : t('ct.cashier.note'), for: 'ct-note' }, () => h(ElInput, { id: 'ct-note', modelValue: form.value.note, 'onUpdate:modelValue': (v) => (form.value.note = v), 'data-test': 'ct-note' })),
          h(ElFormItem, null, () => h(ElButton, { type: 'primary', loading: busy.value, disabled: !form.value.amount, onClick: post, 'data-test': 'ct-post' }, () => t(isAdj.value ? 'ct.cashier.doAdjust' : 'ct.cashier.doTopup'))),
        ]),
        h(ElTable, { data: txns.value, size: 'small', 'data-test': 'ct-txns' }, () => [
          h(ElTableColumn, { label: t('ct.cashier.time'), width: 150 }, { default: ({ row }) => time(row.at) }),
          h(ElTableColumn, { label: t('ct.cashier.kind'), width: 90 }, { default: ({ row }) => t('ct.kind.' + row.kind) }),
          h(ElTableColumn, { label: t('ct.cashier.change'), width: 110, align: 'right' }, { default: ({ row }) => formatMoney(row.delta_fen) }),
          h(ElTableColumn, { label: t('ct.card.balance'), width: 110, align: 'right' }, { default: ({ row }) => formatMoney(row.balance_fen) }),
          h(ElTableColumn, { label: '', minWidth: 140 }, { default: ({ row }) => [
            row.kind === 'spend' ? h(ElButton, { size: 'small', link: true, type: 'primary', onClick: () => act(row, 'refund') }, () => t('ct.cashier.refund')) : null,
            ['topup', 'adjustment', 'subsidy'].includes(row.kind) ? h(ElButton, { size: 'small', link: true, type: 'danger', onClick: () => act(row, 'reverse') }, () => t('ct.cashier.reverse')) : null,
          ] }),
        ]),
      ]) : null,
    ]);
  },
});

// ---- the readers ----

export const ReadersView = defineComponent({
  name: 'ReadersView',
  setup() {
    const rows = ref(null);
    const error = ref(null);
    const shown = ref(null);
    async function load() {
      try { rows.value = (await api('GET', '/meal_readers', { query: { limit: 500 } })).items; } catch (e) { error.value = e; }
    }
    onMounted(load);
    async function issue(row) {
      try {
        await ElMessageBox.confirm(t('ct.readers.issueAsk', { name: row.name }), t('ct.readers.issue'), { confirmButtonText: t('ct.readers.issue'), cancelButtonText: t('ct.cancel') });
        shown.value = await api('POST', `/meal_readers/${row.id}/token`, { body: {} });
        await load();
      } catch (e) { if (e !== 'cancel' && e !== 'close') error.value = e; }
    }
    return () => h('div', { class: 'ct-readers' }, [
      pageHead(t('ct.readers.title')),
      error.value ? h(ElAlert, { type: 'error', closable: false, title: problem(error.value) }) : null,
      !rows.value && !error.value ? h(ElSkeleton, { rows: 4, animated: true }) : null,
      rows.value ? h(ElTable, { data: rows.value, 'data-test': 'ct-readers' }, () => [
        h(ElTableColumn, { prop: 'code', label: t('ct.readers.code'), width: 160 }),
        h(ElTableColumn, { prop: 'name', label: t('ct.readers.name'), minWidth: 140 }),
        h(ElTableColumn, { label: t('ct.readers.lastUpload'), width: 160 }, { default: ({ row }) => time(row.last_seen_at) || '—' }),
        h(ElTableColumn, { label: t('ct.readers.drift'), width: 120, align: 'right' }, { default: ({ row }) => (row.drift_s == null ? '—' : t('ct.readers.seconds', { n: row.drift_s })) }),
        h(ElTableColumn, { label: t('ct.readers.token'), width: 110 }, { default: ({ row }) => (row.token_id ? t('ct.readers.bound') : '—') }),
        h(ElTableColumn, { label: '', width: 130 }, { default: ({ row }) => h(ElButton, { size: 'small', onClick: () => issue(row), 'data-test': 'ct-issue' }, () => t('ct.readers.issue')) }),
      ]) : null,
      h(ElDialog, { modelValue: !!shown.value, 'onUpdate:modelValue': (v) => { if (!v) shown.value = null; }, title: t('ct.readers.tokenTitle'), width: 'min(560px, 95vw)' }, () => shown.value ? [
        h(ElAlert, { type: 'warning', closable: false, title: t('ct.readers.once') }),
        h('pre', { 'data-test': 'ct-token', style: 'white-space: pre-wrap; word-break: break-all; user-select: all' }, shown.value.token),
      ] : null),
    ]);
  },
});
