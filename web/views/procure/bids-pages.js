// SPDX-License-Identifier: MIT
// The sealed bids' pages. The portal (#/procure/portal, a phone's width): the supplier's own
// record, the projects taking bids with their deadlines, a bid (price, technical response,
// documents) sealed here with libsodium to the project's public key before it is sent, the
// signed receipt checked against the tenant's published key, withdrawal and replacement. An
// official's shares (#/procure/shares): each taken once, shown as text and a QR code and
// saved as a file. The opening (#/procure/opening): k shares typed, every bid opened.
// Refusals are said with their keys (t('err.'+key)), never the server's prose.
import { defineComponent, h, ref, onMounted, computed } from 'vue';
import {
  ElAlert, ElButton, ElCard, ElDescriptions, ElDescriptionsItem, ElEmpty, ElForm, ElFormItem,
  ElInput, ElInputNumber, ElMessage, ElMessageBox, ElOption, ElSelect, ElTable, ElTableColumn,
  ElTag,
} from 'element-plus';
import { t } from '../../lib/i18n.js';
import { api, problemText, fetchByIds } from '../../lib/api.js';
import { formatMoney, yuanToFen } from '../../lib/money.js';
import { pageHead } from '../../components/page-head.js';

const time = (s) => (s ? s.replace('T', ' ').slice(0, 16) : '');
const problem = (e) => problemText(e && e.body !== undefined ? e.body : e);
const bidTag = { submitted: 'primary', withdrawn: 'info', replaced: 'info', opened: 'success', invalid: 'danger' };

let sodiumReady = null;
// libsodium (WebAssembly), loaded only by the pages that seal or check
async function sodium() {
  if (!sodiumReady) sodiumReady = import('libsodium-wrappers').then(async (m) => { const s = m.default || m; await s.ready; return s; });
  return sodiumReady;
}

function readFile(file) {
  return new Promise((resolve, reject) => {
    const fr = new FileReader();
    fr.onload = () => resolve(String(fr.result).replace(/^data:[^,]*,/, ''));
    fr.onerror = () => reject(fr.error);
    fr.readAsDataURL(file);
  });
}

// The receipt checked against the tenant's published keys: true, false.
export async function verifyReceipt(receipt) {
  const s = await sodium();
  const keys = await api('GET', '/procure/receipt_keys');
  if (!keys.keys.some((k) => k.public_key === receipt.public_key)) return false;
  const V = s.base64_variants.ORIGINAL;
  return s.crypto_sign_verify_detached(s.from_base64(receipt.signature, V), s.from_string(receipt.text), s.from_base64(receipt.public_key, V));
}

// ---- the supplier portal ----

export const PortalView = defineComponent({
  name: 'PortalView',
  setup() {
    const me = ref(null);
    const projects = ref([]);
    const bids = ref([]);
    const error = ref(null);
    const form = ref(null); // {project, price, technical, files, replaces}
    const busy = ref(false);
    const receipt = ref(null);
    const checked = ref(null);
    async function load() {
      error.value = null;
      try {
        const [s, p, b] = await Promise.all([api('GET', '/suppliers', { query: { limit: 1 } }), api('GET', '/procure/open_projects'), api('GET', '/bids', { query: { limit: 50 } })]);
        me.value = s.items[0] || null;
        projects.value = p.items;
        bids.value = b.items;
      } catch (e) { error.value = e; }
    }
    onMounted(load);
    function start(p, replaces = null) { form.value = { project: p, price: null, technical: '', files: [], replaces }; receipt.value = null; }
    async function submit() {
      const f = form.value;
      busy.value = true;
      error.value = null;
      try {
        const s = await sodium();
        const documents = [];
        for (const file of f.files) documents.push({ name: file.name, type: file.type || 'application/octet-stream', data: await readFile(file) });
        const envelope = { v: 1, project_id: f.project.id, supplier_id: me.value.id, price_fen: yuanToFen(f.price), technical: f.technical, documents };
        const V = s.base64_variants.ORIGINAL;
        const cipher = s.to_base64(s.crypto_box_seal(s.from_string(JSON.stringify(envelope)), s.from_base64(f.project.public_key, V)), V);
        const r = f.replaces
          ? await api('POST', `/bids/${f.replaces}/replace`, { body: { cipher } })
          : await api('POST', `/procurement_projects/${f.project.id}/bids`, { body: { cipher } });
        receipt.value = r.receipt;
        checked.value = null;
        form.value = null;
        ElMessage.success(t('pc.bid.sent'));
        await load();
      } catch (e) { error.value = e; } finally { busy.value = false; }
    }
    async function withdraw(b) {
      try {
        await ElMessageBox.confirm(t('pc.bid.withdrawAsk'), t('pc.bid.withdraw'), { confirmButtonText: t('pc.bid.withdraw'), cancelButtonText: t('pc.cancel') });
        await api('POST', `/bids/${b.id}/withdraw`, { body: {} });
        await load();
      } catch (e) { if (e !== 'cancel' && e !== 'close') error.value = e; }
    }
    async function check(r) {
      receipt.value = r;
      try { checked.value = await verifyReceipt(r); } catch (e) { checked.value = false; error.value = e; }
    }
    const live = computed(() => bids.value.filter((b) => b.status === 'submitted'));
    return () => h('div', { class: 'pc-portal', style: 'max-width: 560px; margin: 0 auto' }, [
      pageHead(t('pc.portal.title')),
      error.value ? h(ElAlert, { type: 'error', closable: false, title: problem(error.value), 'data-test': 'pc-error' }) : null,
      me.value ? h(ElDescriptions, { column: 1, border: true, size: 'small', 'data-test': 'pc-me' }, () => [
        h(ElDescriptionsItem, { label: t('pc.supplier.name') }, () => me.value.name),
        h(ElDescriptionsItem, { label: t('pc.supplier.uscc') }, () => me.value.uscc),
        h(ElDescriptionsItem, { label: t('pc.supplier.status') }, () => h(ElTag, { type: me.value.status === 'approved' ? 'success' : 'warning' }, () => t('pc.supplier.' + me.value.status))),
      ]) : h(ElEmpty, { description: t('pc.portal.noSupplier') }),
      h('h2', { style: 'font-size: 1.1em' }, t('pc.portal.open')),
      !projects.value.length ? h(ElEmpty, { description: t('pc.portal.none') }) : null,
      ...projects.value.map((p) => h(ElCard, { key: p.id, shadow: 'never', style: 'margin-bottom: 8px', 'data-test': 'pc-project' }, () => [
        h('div', { style: 'font-weight: 600' }, p.name),
        h('div', { style: 'color: var(--el-text-color-secondary); font-size: 0.9em' }, t('pc.portal.deadline', { at: time(p.bid_deadline) })),
        h('div', { style: 'margin-top: 8px; display: flex; gap: 8px; flex-wrap: wrap' }, p.my_bid_id
          ? [h(ElTag, { type: 'success' }, () => t('pc.portal.myBid', { id: p.my_bid_id })),
            h(ElButton, { size: 'small', onClick: () => start(p, p.my_bid_id), 'data-test': 'pc-replace' }, () => t('pc.bid.replace'))]
          : [h(ElButton, { type: 'primary', size: 'small', onClick: () => start(p), 'data-test': 'pc-bid' }, () => t('pc.bid.new'))]),
      ])),
      form.value ? h(ElCard, { shadow: 'never', 'data-test': 'pc-form' }, () => [
        h('div', { style: 'font-weight: 600; margin-bottom: 8px' }, form.value.project.name),
        h(ElAlert, { type: 'info', closable: false, title: t('pc.bid.sealHint') }),
        h(ElForm, { labelPosition: 'top', style: 'margin-top: 8px' }, () => [
          h(ElFormItem, { label: t('pc.bid.price'), for: 'pc-price' }, () => h(ElInputNumber, { id: 'pc-price', modelValue: form.value.price, min: 0.01, precision: 2, step: 1000, controlsPosition: 'right', style: 'width: 100%', 'onUpdate:modelValue': (v) => { form.value.price = v; }, 'data-test': 'pc-price' })),
          h(ElFormItem, { label: t('pc.bid.technical'), for: 'pc-tech' }, () => h(ElInput, { id: 'pc-tech', type: 'textarea', rows: 4, modelValue: form.value.technical, 'onUpdate:modelValue': (v) => { form.value.technical = v; }, 'data-test': 'pc-technical' })),
          h(ElFormItem, { label: t('pc.bid.documents'), for: 'pc-files' }, () => h('input', { id: 'pc-files', type: 'file', multiple: true, onChange: (ev) => { form.value.files = [...ev.target.files]; }, 'data-test': 'pc-files' })),
          h('div', { style: 'display: flex; gap: 8px' }, [
            h(ElButton, { type: 'primary', loading: busy.value, disabled: !form.value.price, onClick: submit, 'data-test': 'pc-submit' }, () => t('pc.bid.submit')),
            h(ElButton, { onClick: () => { form.value = null; } }, () => t('pc.cancel')),
          ]),
        ]),
      ]) : null,
      receipt.value ? h(ElCard, { shadow: 'never', style: 'margin-top: 8px', 'data-test': 'pc-receipt' }, () => [
        h('div', { style: 'font-weight: 600' }, t('pc.receipt.title')),
        h('pre', { style: 'white-space: pre-wrap; word-break: break-all; font-size: 0.8em', 'data-test': 'pc-receipt-text' }, receipt.value.text),
        h('div', { style: 'font-size: 0.8em; word-break: break-all' }, `${t('pc.receipt.signature')}: ${receipt.value.signature}`),
        h('div', { style: 'display: flex; gap: 8px; align-items: center; margin-top: 8px' }, [
          h(ElButton, { size: 'small', onClick: () => check(receipt.value), 'data-test': 'pc-verify' }, () => t('pc.receipt.verify')),
          checked.value === true ? h(ElTag, { type: 'success', 'data-test': 'pc-verified' }, () => t('pc.receipt.ok')) : null,
          checked.value === false ? h(ElTag, { type: 'danger', 'data-test': 'pc-verified' }, () => t('pc.receipt.bad')) : null,
        ]),
      ]) : null,
      h('h2', { style: 'font-size: 1.1em' }, t('pc.portal.myBids')),
      !bids.value.length ? h(ElEmpty, { description: t('pc.portal.noBids') }) : null,
      ...bids.value.map((b) => h('div', { key: b.id, 'data-test': 'pc-mybid', style: 'display: flex; justify-content: space-between; align-items: center; padding: 8px 0; border-bottom: 1px solid var(--el-border-color-lighter)' }, [
        h('div', [
          h(ElTag, { size: 'small', type: bidTag[b.status] || 'info' }, () => t('pc.bid.status.' + b.status)),
          ` #${b.id} · ${time(b.submitted_at)}`,
          b.price_fen != null ? h('div', { style: 'font-size: 0.9em' }, formatMoney(b.price_fen)) : null,
        ]),
        h('div', { style: 'display: flex; gap: 4px' }, [
          b.receipt ? h(ElButton, { size: 'small', link: true, onClick: () => check(b.receipt) }, () => t('pc.receipt.title')) : null,
          live.value.includes(b) ? h(ElButton, { size: 'small', type: 'danger', link: true, onClick: () => withdraw(b), 'data-test': 'pc-withdraw' }, () => t('pc.bid.withdraw')) : null,
        ]),
      ])),
    ]);
  },
});

// ---- an official's shares ----

export const SharesView = defineComponent({
  name: 'SharesView',
  setup() {
    const items = ref([]);
    const shown = ref(null);
    const error = ref(null);
    async function load() {
      try { items.value = (await api('GET', '/procure/my_shares')).items; } catch (e) { error.value = e; }
    }
    onMounted(load);
    async function take(it) {
      error.value = null;
      try {
        await ElMessageBox.confirm(t('pc.share.takeAsk'), t('pc.share.take'), { confirmButtonText: t('pc.share.take'), cancelButtonText: t('pc.cancel') });
        shown.value = await api('POST', `/bid_seals/${it.seal_id}/take`, { body: {} });
        await load();
      } catch (e) { if (e !== 'cancel' && e !== 'close') error.value = e; }
    }
    function save() {
      const s = shown.value;
      const blob = new Blob([`${s.share}\n`], { type: 'text/plain' });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `share-${s.seal_id}-${s.share_no}.txt`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 1000);
    }
    return () => h('div', { style: 'max-width: 560px; margin: 0 auto' }, [
      pageHead(t('pc.share.title')),
      error.value ? h(ElAlert, { type: 'error', closable: false, title: problem(error.value), 'data-test': 'pc-error' }) : null,
      shown.value ? h(ElCard, { shadow: 'never', 'data-test': 'pc-share' }, () => [
        h(ElAlert, { type: 'warning', closable: false, title: t('pc.share.once', { k: shown.value.k, n: shown.value.n }) }),
        h('pre', { style: 'white-space: pre-wrap; word-break: break-all; font-size: 1.05em', 'data-test': 'pc-share-text' }, shown.value.share),
        h('img', { src: `data:image/svg+xml;base64,${btoa(shown.value.qr_svg)}`, alt: t('pc.share.qrAlt'), width: 220, height: 220 }),
        h('div', { style: 'display: flex; gap: 8px' }, [
          h(ElButton, { type: 'primary', onClick: save, 'data-test': 'pc-share-save' }, () => t('pc.share.save')),
          h(ElButton, { onClick: () => { shown.value = null; } }, () => t('pc.share.done')),
        ]),
      ]) : null,
      !items.value.length ? h(ElEmpty, { description: t('pc.share.none') }) : null,
      ...items.value.map((it) => h('div', { key: it.seal_id, 'data-test': 'pc-share-row', style: 'display: flex; justify-content: space-between; align-items: center; padding: 8px 0; border-bottom: 1px solid var(--el-border-color-lighter)' }, [
        h('div', [h('div', it.project_name), h('div', { style: 'font-size: 0.85em; color: var(--el-text-color-secondary)' }, t('pc.share.row', { no: it.share_no, k: it.k, n: it.n, at: time(it.bid_deadline) }))]),
        it.handed_at ? h(ElTag, { type: 'info' }, () => t('pc.share.taken', { at: time(it.handed_at) }))
          : h(ElButton, { type: 'primary', size: 'small', onClick: () => take(it), 'data-test': 'pc-take' }, () => t('pc.share.take')),
      ])),
    ]);
  },
});

// ---- the opening ceremony ----

export const OpeningView = defineComponent({
  name: 'OpeningView',
  setup() {
    const seals = ref([]);
    const sealId = ref(null);
    const shares = ref([]);
    const result = ref(null);
    const error = ref(null);
    const busy = ref(false);
    const seal = computed(() => seals.value.find((s) => s.id === sealId.value));
    const names = ref({});
    async function load() {
      try {
        seals.value = (await api('GET', '/bid_seals', { query: { status: 'sealed', limit: 200 } })).items;
        const ps = await fetchByIds('procurement_projects', seals.value.map((s) => s.project_id));
        names.value = Object.fromEntries((ps || []).map((p) => [p.id, p.name]));
      } catch (e) { error.value = e; }
    }
    const label = (s) => `${names.value[s.project_id] || '#' + s.project_id}（${s.k}/${s.n}）`;
    onMounted(load);
    function pick(id) { sealId.value = id; const s = seals.value.find((x) => x.id === id); shares.value = Array.from({ length: s ? s.k : 0 }, () => ''); result.value = null; error.value = null; }
    async function demo() {
      try { const d = await api('GET', `/bid_seals/${sealId.value}/demo_shares`); shares.value = d.shares.slice(0, seal.value.k); } catch (e) { error.value = e; }
    }
    async function open() {
      busy.value = true;
      error.value = null;
      try {
        result.value = await api('POST', `/procurement_projects/${seal.value.project_id}/open`, { body: { shares: shares.value.filter((x) => x.trim()) } });
        shares.value = shares.value.map(() => '');
        await load();
      } catch (e) { error.value = e; } finally { busy.value = false; }
    }
    return () => h('div', { style: 'max-width: 900px' }, [
      pageHead(t('pc.opening.title')),
      h(ElForm, { labelPosition: 'top' }, () => [
        h(ElFormItem, { label: t('pc.opening.seal'), for: 'pc-seal' }, () => h(ElSelect, { id: 'pc-seal', modelValue: sealId.value, filterable: true, 'onUpdate:modelValue': pick, style: 'width: 100%', 'data-test': 'pc-seal' }, () => seals.value.map((s) => h(ElOption, { key: s.id, value: s.id, label: label(s) })))),
        ...shares.value.map((v, i) => h(ElFormItem, { key: i, label: t('pc.opening.share', { i: i + 1 }), for: `pc-share-${i}` }, () => h(ElInput, { id: `pc-share-${i}`, type: 'textarea', rows: 2, modelValue: v, 'onUpdate:modelValue': (x) => { shares.value[i] = x; }, 'data-test': 'pc-share-input' }))),
        seal.value ? h('div', { style: 'display: flex; gap: 8px' }, [
          h(ElButton, { type: 'primary', loading: busy.value, onClick: open, 'data-test': 'pc-open' }, () => t('pc.opening.open')),
          seal.value.demo_seed ? h(ElButton, { onClick: demo, 'data-test': 'pc-demo-shares' }, () => t('pc.opening.demo')) : null,
        ]) : null,
      ]),
      error.value ? h(ElAlert, { type: 'error', closable: false, title: problem(error.value), style: 'margin-top: 8px', 'data-test': 'pc-error' }) : null,
      result.value ? h('div', { 'data-test': 'pc-opened' }, [
        h(ElAlert, { type: 'success', closable: false, title: t('pc.opening.done', { count: result.value.bids, valid: result.value.valid }) }),
        h(ElTable, { data: result.value.items, style: 'width: 100%; margin-top: 8px' }, () => [
          h(ElTableColumn, { prop: 'id', label: '#', width: 70 }),
          h(ElTableColumn, { label: t('pc.supplier.name'), minWidth: 180 }, { default: ({ row }) => row.supplier_name || `#${row.supplier_id}` }),
          h(ElTableColumn, { label: t('pc.bid.price'), width: 160 }, { default: ({ row }) => (row.price_fen != null ? formatMoney(row.price_fen) : '') }),
          h(ElTableColumn, { label: t('pc.bid.statusLabel'), width: 100 }, { default: ({ row }) => h(ElTag, { size: 'small', type: bidTag[row.status] }, () => t('pc.bid.status.' + row.status)) }),
          h(ElTableColumn, { label: t('pc.bid.technical') }, { default: ({ row }) => row.technical || row.invalid_reason || '' }),
        ]),
      ]) : null,
    ]);
  },
});

// ---- a supplier registers itself (no sign-in) ----

export const RegisterView = defineComponent({
  name: 'RegisterView',
  setup() {
    const form = ref({ name: '', uscc: '', legal_rep: '', contact: '', phone: '', email: '', username: '', password: '' });
    const errors = ref({});
    const error = ref(null);
    const done = ref(null);
    const busy = ref(false);
    async function submit() {
      busy.value = true;
      error.value = null;
      errors.value = {};
      try {
        const body = Object.fromEntries(Object.entries(form.value).filter(([, v]) => v !== ''));
        done.value = await api('POST', '/procure/register', { body });
      } catch (e) {
        error.value = e;
        const items = (e && e.errors) || [];
        errors.value = Object.fromEntries(items.map((x) => [x.field, t('err.' + x.key, x.params || {})]));
      } finally { busy.value = false; }
    }
    const field = (name, type = 'text', auto = 'off') => h(ElFormItem, { label: t('pc.register.' + name), for: 'pc-reg-' + name, error: errors.value[name] || '', required: ['name', 'uscc', 'legal_rep', 'username', 'password'].includes(name) },
      () => h(ElInput, { id: 'pc-reg-' + name, type, showPassword: type === 'password', autocomplete: auto, modelValue: form.value[name], 'onUpdate:modelValue': (v) => { form.value[name] = v; }, 'data-test': 'pc-reg-' + name }));
    return () => h('section', { style: 'max-width: 480px; margin: 0 auto; padding: 16px' }, [
      h('h1', { style: 'font-size: 1.4em' }, t('pc.register.title')),
      done.value ? h(ElAlert, { type: 'success', closable: false, title: t('pc.register.done'), 'data-test': 'pc-reg-done' }) : null,
      done.value ? h('p', h('a', { href: '#/login' }, t('pc.register.signIn'))) : null,
      !done.value ? h(ElForm, { labelPosition: 'top', onSubmit: (e) => { e.preventDefault(); submit(); } }, () => [
        error.value && !Object.keys(errors.value).length ? h(ElAlert, { type: 'error', closable: false, title: problem(error.value) }) : null,
        field('name'), field('uscc'), field('legal_rep'), field('contact'), field('phone', 'tel'), field('email', 'email'),
        field('username', 'text', 'username'), field('password', 'password', 'new-password'),
        h(ElButton, { type: 'primary', nativeType: 'submit', loading: busy.value, 'data-test': 'pc-reg-submit' }, () => t('pc.register.submit')),
        h('p', h('a', { href: '#/login' }, t('pc.register.signIn'))),
      ]) : null,
    ]);
  },
});
