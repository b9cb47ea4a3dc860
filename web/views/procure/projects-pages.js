// SPDX-License-Identifier: MIT
// Procurement projects' pages: the list (#/procure/projects), a new project
// (the method the tenant's thresholds call for shown live, the approval's
// reference asked for where they forbid the method chosen, the price
// weight's floor), a project's page (its steps as the caller may take them,
// a timeline of the steps done and the legal dates ahead, complaints,
// contract and payments, the OCDS package), and the savings report (per
// department with an ECharts chart, per project, and the XLSX). The rules
// are the server's (src/modules/procure/periods.c); the page only shows
// them early, from the tenant's settings.
import { defineComponent, h, ref, reactive, computed, onMounted, watch } from 'vue';
import {
  ElButton, ElAlert, ElSkeleton, ElInput, ElInputNumber, ElSelect, ElOption, ElForm, ElFormItem, ElTable,
  ElTableColumn, ElTimeline, ElTimelineItem, ElRadioGroup, ElRadioButton, ElEmpty,
} from 'element-plus';
import { t } from '../../lib/i18n.js';
import { api, API, fetchAll, problemText, placeErrors, queryString } from '../../lib/api.js';
import { can, collection, titleOf, resolveTitles, knowTitle, state } from '../../lib/session.js';
import { enumText } from '../../lib/fields.js';
import { formatMoney, fenToYuan, yuanToFen } from '../../lib/money.js';
import { go, href } from '../../lib/router.js';
import { pageHead, titleRow } from '../../components/page-head.js';
import { factList, factItem } from '../../components/facts.js';
import { AskDialog, postDialog, filled } from '../../components/ask-dialog.js';
import { statusTag } from '../../components/status-tag.js';
import { chartCard } from '../../components/chart.js';
import { TreeRefSelect } from '../../components/inputs.js';

const P = 'procurement_projects';
const yuan = (fen) => formatMoney(fen, '—');
const errText = (e, c = P) => problemText(e, collection(c));
const STATUS_TYPES = {
  draft: 'info', submitted: 'warning', approved: 'success', notice_published: 'primary', bidding: 'primary', opening: 'primary',
  evaluation: 'primary', result_publicity: 'warning', complaint_window: 'warning', contract: 'warning', performance: 'success',
  closed: 'info', suspended: 'danger', cancelled: 'info',
};
const DEFAULTS = {
  tender_threshold_fen: 400000000, decentral_limit_fen: 100000000, decentral_works_fen: 120000000,
  price_weight_goods_pct: 30, price_weight_services_pct: 10,
};
const METHODS = ['self', 'agency', 'public_tender', 'invited_tender', 'competitive_negotiation', 'competitive_consultation', 'single_source', 'enquiry'];
const day = (iso) => (iso ? String(iso).slice(0, 10) : '');
// an instant as the server sends it, in the tenant's offset: YYYY-MM-DD HH:MM
const when = (iso) => (iso ? String(iso).slice(0, 16).replace('T', ' ') : '');
const styles = { filters: 'display:flex;flex-wrap:wrap;gap:12px;align-items:center;margin-bottom:12px', kpis: 'display:flex;flex-wrap:wrap;gap:12px;margin-bottom:12px', kpi: 'border:1px solid var(--el-border-color);border-radius:6px;padding:10px 14px;min-width:150px', derived: 'padding:8px 12px;border-radius:6px;background:var(--el-fill-color-light);margin-bottom:12px' };

// The tenant's settings: the newest row of each name.
async function settings() {
  const out = { ...DEFAULTS };
  try {
    const rows = await fetchAll('procurement_settings', { sort: 'id' }, 500);
    for (const r of rows) if (r.name in out) out[r.name] = r.value;
  } catch { /* the defaults */ }
  return out;
}

// pc_derive_method and pc_method_needs_approval (src/modules/procure/periods.c).
export function deriveMethod(category, budget, s) {
  if (category === 'works') return budget < s.decentral_works_fen ? 'self' : 'agency';
  if (budget < s.decentral_limit_fen) return 'self';
  return budget < s.tender_threshold_fen ? 'agency' : 'public_tender';
}
export function needsApproval(derived, method) {
  if (!method || derived === method || derived === 'self') return false;
  if (derived === 'agency') return method === 'self' || method === 'single_source';
  return method !== 'public_tender';
}
const weightFloor = (category, s) => (category === 'goods' ? s.price_weight_goods_pct : category === 'services' ? s.price_weight_services_pct : 0);

function kpi(label, value, test) {
  return h('div', { style: styles.kpi, 'data-test': test }, [
    h('div', { style: 'font-size:13px;color:var(--el-text-color-regular)' }, label),
    h('div', { style: 'font-size:20px;font-weight:600' }, value),
  ]);
}

// ---- the list ----

export const ProjectListView = defineComponent({
  name: 'ProjectListView',
  setup() {
    const rows = ref([]);
    const error = ref(null);
    const status = ref('');
    async function load() {
      error.value = null;
      try {
        const q = { sort: '-id', limit: '200' };
        if (status.value) q.status = status.value;
        const r = await api('GET', `/${P}${queryString(q)}`);
        await resolveTitles('departments', [...new Set(r.items.map((x) => x.department_id))]);
        rows.value = r.items;
      } catch (e) { error.value = e; }
    }
    onMounted(load);
    const tools = can(P, 'create') ? [h(ElButton, { type: 'primary', 'data-test': 'pc-new', onClick: () => go(`/c/${P}/new`) }, () => t('pc.proj.new'))] : [];
    return () => h('section', { class: 'page', 'data-test': 'pc-projects' }, [
      pageHead(t('pc.proj.title'), tools),
      h('div', { style: styles.filters }, [
        h('label', { for: 'pc-status' }, t('pc.proj.status')),
        h(ElSelect, { id: 'pc-status', modelValue: status.value, clearable: true, placeholder: t('pc.proj.allStatuses'), ariaLabel: t('pc.proj.status'), style: 'width:200px', 'onUpdate:modelValue': (v) => { status.value = v || ''; load(); } },
          () => Object.keys(STATUS_TYPES).map((s) => h(ElOption, { key: s, value: s, label: enumText(P, 'status', s) }))),
      ]),
      error.value ? h(ElAlert, { type: 'error', closable: false, title: errText(error.value) }) : null,
      h(ElTable, { data: rows.value, rowKey: 'id', 'data-test': 'pc-list' }, () => [
        h(ElTableColumn, { label: t('pc.proj.code'), width: 130 }, { default: ({ row }) => h('a', { href: href(`/c/${P}/${row.id}`), 'data-test': 'pc-link' }, row.code) }),
        h(ElTableColumn, { label: t('pc.proj.name'), prop: 'name', minWidth: 200 }),
        h(ElTableColumn, { label: t('pc.proj.dept'), minWidth: 140 }, { default: ({ row }) => titleOf('departments', row.department_id) }),
        h(ElTableColumn, { label: t('pc.proj.method'), width: 130 }, { default: ({ row }) => enumText(P, 'method', row.method) }),
        h(ElTableColumn, { label: t('pc.proj.budget'), width: 140, align: 'right' }, { default: ({ row }) => yuan(row.budget_fen) }),
        h(ElTableColumn, { label: t('pc.proj.status'), width: 120 }, { default: ({ row }) => statusTag(P, row.status, STATUS_TYPES) }),
      ]),
    ]);
  },
});

// ---- a new project ----

export const ProjectNewView = defineComponent({
  name: 'ProjectNewView',
  setup() {
    const s = ref(DEFAULTS);
    const v = reactive({ name: '', category: 'goods', budget: null, department_id: null, method: '', method_approval: '', evaluation_method: 'comprehensive', price_weight_pct: null, funding: '财政资金', description: '' });
    const errors = reactive({});
    const alert = ref('');
    const busy = ref(false);
    onMounted(async () => { s.value = await settings(); });
    const budgetFen = computed(() => yuanToFen(v.budget) || 0);
    const derived = computed(() => deriveMethod(v.category, budgetFen.value, s.value));
    const method = computed(() => v.method || derived.value);
    const approval = computed(() => needsApproval(derived.value, method.value));
    const floor = computed(() => weightFloor(v.category, s.value));
    async function send() {
      alert.value = '';
      for (const k of Object.keys(errors)) errors[k] = '';
      if (!v.name.trim()) errors.name = t('srv.required');
      if (!budgetFen.value) errors.budget_fen = t('srv.required');
      if (!v.department_id) errors.department_id = t('srv.required');
      if (approval.value && !v.method_approval.trim()) errors.method_approval = t('pc.proj.approvalNeeded');
      if (Object.values(errors).some(Boolean)) return;
      const body = { name: v.name.trim(), category: v.category, budget_fen: budgetFen.value, department_id: v.department_id, evaluation_method: v.evaluation_method, funding: v.funding };
      if (v.method) body.method = v.method;
      if (v.method_approval.trim()) body.method_approval = v.method_approval.trim();
      if (v.price_weight_pct != null && v.evaluation_method === 'comprehensive') body.price_weight_pct = v.price_weight_pct;
      if (v.description.trim()) body.description = v.description.trim();
      busy.value = true;
      try {
        const r = await api('POST', `/${P}`, { body });
        go(`/c/${P}/${r.id}`);
      } catch (e) {
        const rest = placeErrors(e, errors, ['name', 'category', 'budget_fen', 'department_id', 'method', 'method_approval', 'price_weight_pct', 'evaluation_method'], collection(P));
        if (rest) alert.value = rest;
      } finally { busy.value = false; }
    }
    const item = (name, text, input) => h(ElFormItem, { label: text, error: errors[name] || '', for: `pc-n-${name}` }, () => input);
    return () => h('section', { class: 'page', 'data-test': 'pc-project-new' }, [
      pageHead(t('pc.proj.newTitle')),
      alert.value ? h(ElAlert, { type: 'error', title: alert.value, closable: false, class: 'mb', 'data-test': 'pc-n-error' }) : null,
      h(ElForm, { labelPosition: 'top', onSubmit: (e) => { e.preventDefault(); send(); } }, () => [
        item('name', t('pc.proj.name'), h(ElInput, { id: 'pc-n-name', modelValue: v.name, maxlength: 120, 'onUpdate:modelValue': (x) => { v.name = x; }, 'data-test': 'pc-n-name' })),
        item('category', t('pc.proj.category'), h(ElRadioGroup, { id: 'pc-n-category', modelValue: v.category, 'aria-label': t('pc.proj.category'), 'onUpdate:modelValue': (x) => { v.category = x; } },
          () => ['goods', 'services', 'works'].map((c) => h(ElRadioButton, { key: c, value: c, 'data-test': 'pc-n-cat-' + c }, () => enumText(P, 'category', c))))),
        item('budget_fen', t('pc.proj.budgetYuan'), h(ElInputNumber, { id: 'pc-n-budget_fen', modelValue: v.budget, min: 0, precision: 2, step: 10000, controls: false, style: 'width:220px', 'aria-label': t('pc.proj.budgetYuan'), 'onUpdate:modelValue': (x) => { v.budget = x; }, 'data-test': 'pc-n-budget' })),
        h('div', { style: styles.derived, 'data-test': 'pc-n-derived', 'data-method': derived.value }, [
          t('pc.proj.derived', { method: enumText(P, 'method', derived.value) }), ' ',
          h('span', { class: 'hint' }, t('pc.proj.thresholds', { decentral: yuan(v.category === 'works' ? s.value.decentral_works_fen : s.value.decentral_limit_fen), tender: yuan(s.value.tender_threshold_fen) })),
        ]),
        item('department_id', t('pc.proj.dept'), h(TreeRefSelect, { target: 'departments', inputId: 'pc-n-department_id', ariaLabel: t('pc.proj.dept'), modelValue: v.department_id, 'onUpdate:modelValue': (x) => { v.department_id = x; } })),
        item('method', t('pc.proj.method'), h(ElSelect, { id: 'pc-n-method', modelValue: v.method, clearable: true, placeholder: enumText(P, 'method', derived.value), ariaLabel: t('pc.proj.method'), 'onUpdate:modelValue': (x) => { v.method = x || ''; }, 'data-test': 'pc-n-method' },
          () => METHODS.map((m) => h(ElOption, { key: m, value: m, label: enumText(P, 'method', m) })))),
        approval.value ? item('method_approval', t('pc.proj.approval'), h(ElInput, { id: 'pc-n-method_approval', modelValue: v.method_approval, maxlength: 200, 'onUpdate:modelValue': (x) => { v.method_approval = x; }, 'data-test': 'pc-n-approval' })) : null,
        approval.value ? h('p', { class: 'hint', 'data-test': 'pc-n-approval-hint' }, t('pc.proj.approvalHint', { derived: enumText(P, 'method', derived.value) })) : null,
        item('evaluation_method', t('pc.proj.evaluation'), h(ElRadioGroup, { id: 'pc-n-evaluation_method', modelValue: v.evaluation_method, 'aria-label': t('pc.proj.evaluation'), 'onUpdate:modelValue': (x) => { v.evaluation_method = x; } },
          () => ['comprehensive', 'lowest_price'].map((c) => h(ElRadioButton, { key: c, value: c }, () => enumText(P, 'evaluation_method', c))))),
        v.evaluation_method === 'comprehensive' ? item('price_weight_pct', t('pc.proj.weight', { floor: floor.value }), h(ElInputNumber, { id: 'pc-n-price_weight_pct', modelValue: v.price_weight_pct, min: 0, max: 100, placeholder: String(floor.value), 'aria-label': t('pc.proj.weight', { floor: floor.value }), 'onUpdate:modelValue': (x) => { v.price_weight_pct = x; }, 'data-test': 'pc-n-weight' })) : null,
        item('description', t('pc.proj.description'), h(ElInput, { id: 'pc-n-description', type: 'textarea', rows: 3, maxlength: 4000, modelValue: v.description, 'onUpdate:modelValue': (x) => { v.description = x; } })),
        h(ElButton, { type: 'primary', loading: busy.value, onClick: send, 'data-test': 'pc-n-save' }, () => t('pc.proj.save')),
      ]),
    ]);
  },
});

// ---- a project's page ----

const STEPS = {
  submit: ['draft'], approve: ['submitted'], reject: ['submitted'], publish: ['approved'], award_direct: ['approved'], open_bidding: ['notice_published'],
  publish_result: ['evaluation'], suspend: ['notice_published', 'bidding', 'opening', 'evaluation', 'result_publicity', 'complaint_window', 'contract'],
  resume: ['suspended'], close: ['performance'],
  cancel: ['draft', 'submitted', 'approved', 'notice_published', 'bidding', 'opening', 'evaluation', 'result_publicity', 'complaint_window', 'contract', 'performance', 'suspended'],
};

// The steps done and the dates ahead, in order.
function timeline(r, k) {
  const now = new Date().toISOString().slice(0, 10);
  const items = [
    ['submitted', r.submitted_at && when(r.submitted_at)],
    ['approved', r.approved_at && when(r.approved_at)],
    ['notice', r.notice_published_at && when(r.notice_published_at), r.notice_ends && t('pc.tl.until', { day: r.notice_ends })],
    ['documents', r.documents_issued_at && when(r.documents_issued_at)],
    ['deadline', r.bid_deadline && when(r.bid_deadline)],
    ['result', r.result_published_at && when(r.result_published_at), r.result_notice_ends && t('pc.tl.until', { day: r.result_notice_ends })],
    ['complaints', r.complaint_ends && t('pc.tl.until', { day: r.complaint_ends })],
    ['contractDue', r.contract_due && t('pc.tl.by', { day: r.contract_due })],
    ['signed', k && k.signed_on, k && k.signed_late ? t('pc.tl.late') : ''],
    ['published', k && (k.published_on || (k.publish_due && t('pc.tl.by', { day: k.publish_due }))), k && k.published_late ? t('pc.tl.late') : ''],
    ['closed', r.closed_at && when(r.closed_at)],
    ['cancelled', r.cancelled_at && when(r.cancelled_at), r.cancel_reason],
  ];
  return items.filter((x) => x[1]).map(([key, text, note]) => {
    const future = /^\d{4}-\d{2}-\d{2}$/.test(String(text).slice(-10)) && String(text).slice(-10) > now && !String(text).includes(':');
    return { key, text, note: note || '', future };
  });
}

export const ProjectView = defineComponent({
  name: 'ProjectView',
  props: { c: String, id: [String, Number] },
  setup(props) {
    const rec = ref(null);
    const complaints = ref([]);
    const contract = ref(null);
    const payments = ref([]);
    const error = ref(null);
    const dialog = ref(null);
    async function load() {
      try {
        const r = await api('GET', `/${P}/${props.id}`);
        await resolveTitles('departments', [r.department_id]);
        knowTitle(P, r.id, r.name);
        rec.value = r;
        complaints.value = can('complaints', 'read') ? await fetchAll('complaints', { project_id: r.id, sort: 'id' }, 200) : [];
        const ks = can('contracts', 'read') ? await fetchAll('contracts', { project_id: r.id }, 5) : [];
        contract.value = ks[0] || null;
        payments.value = contract.value && can('contract_payments', 'read') ? await fetchAll('contract_payments', { contract_id: contract.value.id, sort: 'paid_on' }, 200) : [];
      } catch (e) { error.value = e; }
    }
    onMounted(load);
    watch(() => props.id, load);

    function open(path, name, fields, title, danger = false) {
      dialog.value = postDialog(path, { title, test: `pc-${name}-dialog`, submitText: title, subject: rec.value.name, fields, danger });
    }
    // a purchase of its own: the supplier chosen among the approved ones, the price agreed
    async function awardDirect() {
      const sup = await fetchAll('suppliers', { status: 'approved', sort: 'name' }, 2000);
      dialog.value = {
        title: t('pc.step.award_direct'), test: 'pc-award_direct-dialog', submitText: t('pc.step.award_direct'), subject: rec.value.name,
        fields: [
          { name: 'supplier_id', label: t('pc.award.supplier'), type: 'select', required: true, options: sup.map((x) => ({ value: x.id, label: x.name })) },
          { name: 'price', sends: 'price_fen', label: t('pc.award.price'), type: 'money', required: true },
          { name: 'note', label: t('pc.note'), rows: 2, max: 500 },
        ],
        run: (v) => api('POST', `/${P}/${rec.value.id}/award_direct`, { body: { supplier_id: v.supplier_id, price_fen: yuanToFen(v.price), ...filled(v, 'note') } }),
      };
    }
    function step(name) {
      if (name === 'award_direct') return awardDirect();
      const fields = {
        reject: [{ name: 'reason', label: t('pc.reason'), rows: 3, max: 500, required: true }],
        suspend: [{ name: 'reason', label: t('pc.reason'), rows: 3, max: 500, required: true }],
        cancel: [{ name: 'reason', label: t('pc.reason'), rows: 3, max: 500, required: true }],
        open_bidding: [{ name: 'bid_deadline', label: t('pc.proj.deadlineIso'), required: true, max: 40 }],
      }[name] || [{ name: 'note', label: t('pc.note'), rows: 2, max: 500 }];
      open(`/${P}/${rec.value.id}/${name}`, name, fields, t(`pc.step.${name}`), ['reject', 'cancel', 'suspend'].includes(name));
    }
    function newComplaint() {
      dialog.value = {
        title: t('pc.cmp.new'), test: 'pc-complaint-dialog', submitText: t('pc.cmp.new'), subject: rec.value.name,
        fields: [{ name: 'supplier_name', label: t('pc.cmp.supplier'), required: true, max: 120 }, { name: 'content', label: t('pc.cmp.content'), rows: 3, max: 4000, required: true }],
        run: (v) => api('POST', '/complaints', { body: { project_id: rec.value.id, supplier_name: v.supplier_name.trim(), content: v.content.trim() } }),
      };
    }
    function reply(c) {
      open(`/complaints/${c.id}/reply`, 'reply', [{ name: 'reply', label: t('pc.cmp.reply'), rows: 3, max: 4000, required: true }], t('pc.cmp.reply'));
    }
    function sign() {
      dialog.value = {
        title: t('pc.k.sign'), test: 'pc-sign-dialog', submitText: t('pc.k.sign'), subject: rec.value.name,
        fields: [{ name: 'signed_on', label: t('pc.k.signedOn'), type: 'date', required: true }, { name: 'amount', sends: 'amount_fen', label: t('pc.k.amount'), type: 'money', value: fenToYuan(rec.value.winner_price_fen) }],
        run: (v) => api('POST', '/contracts', { body: { project_id: rec.value.id, signed_on: v.signed_on, ...(v.amount !== null && v.amount !== '' ? { amount_fen: yuanToFen(v.amount) } : {}) } }),
      };
    }
    function pay() {
      dialog.value = {
        title: t('pc.k.pay'), test: 'pc-pay-dialog', submitText: t('pc.k.pay'), subject: contract.value.code,
        fields: [{ name: 'paid_on', label: t('pc.k.paidOn'), type: 'date', required: true }, { name: 'amount', sends: 'amount_fen', label: t('pc.k.amount'), type: 'money', required: true }],
        run: (v) => api('POST', '/contract_payments', { body: { contract_id: contract.value.id, paid_on: v.paid_on, amount_fen: yuanToFen(v.amount) } }),
      };
    }

    return () => {
      if (error.value) return h('section', { class: 'page' }, h(ElAlert, { type: 'error', title: errText(error.value), closable: false }));
      const r = rec.value;
      if (!r) return h('section', { class: 'page' }, h(ElSkeleton, { rows: 6, animated: true }));
      const mine = state.user && r.submitted_by === state.user.id;
      const own = r.method === 'self'; // bought by the purchaser itself: an award, not a notice
      const tools = Object.entries(STEPS).filter(([n, from]) => from.includes(r.status) && can(P, n) && !(mine && (n === 'approve' || n === 'reject'))
        && (n === 'award_direct' ? own : !(own && n === 'publish')))
        .map(([n]) => h(ElButton, { type: ['submit', 'approve', 'publish', 'award_direct', 'open_bidding', 'publish_result', 'resume', 'close'].includes(n) ? 'primary' : 'default', 'data-test': `pc-step-${n}`, onClick: () => step(n) }, () => t(`pc.step.${n}`)));
      tools.push(h('a', { class: 'el-button', href: `${API}/${P}/${r.id}/ocds`, target: '_blank', rel: 'noopener', 'data-test': 'pc-ocds' }, t('pc.proj.ocds')));
      const k = contract.value;
      const tl = timeline(r, k);
      return h('section', { class: 'page', 'data-test': 'pc-project' }, [
        pageHead(titleRow(`${r.code} ${r.name}`, statusTag(P, r.status, STATUS_TYPES)), tools),
        factList([
          factItem(t('pc.proj.dept'), titleOf('departments', r.department_id), 'value-department_id'),
          factItem(t('pc.proj.category'), enumText(P, 'category', r.category), 'value-category'),
          factItem(t('pc.proj.budget'), yuan(r.budget_fen), 'value-budget_fen'),
          factItem(t('pc.proj.method'), enumText(P, 'method', r.method) + (r.method !== r.derived_method ? ` (${t('pc.proj.derivedShort', { method: enumText(P, 'method', r.derived_method) })})` : ''), 'value-method'),
          r.method_approval ? factItem(t('pc.proj.approval'), r.method_approval, 'value-method_approval') : null,
          factItem(t('pc.proj.evaluation'), `${enumText(P, 'evaluation_method', r.evaluation_method)} · ${t('pc.proj.weightShort', { n: r.price_weight_pct })}`, 'value-evaluation_method'),
          r.winner_price_fen != null ? factItem(t('pc.proj.winnerPrice'), yuan(r.winner_price_fen), 'value-winner_price_fen') : null,
          r.suspend_reason && r.status === 'suspended' ? factItem(t('pc.proj.suspended'), r.suspend_reason, 'value-suspend_reason') : null,
          r.description ? factItem(t('pc.proj.description'), r.description, 'value-description') : null,
        ]),
        h('h2', { class: 'section-title' }, t('pc.tl.title')),
        tl.length ? h(ElTimeline, { 'data-test': 'pc-timeline' }, () => tl.map((x) => h(ElTimelineItem, { key: x.key, timestamp: x.text, type: x.future ? 'warning' : 'primary', hollow: x.future, 'data-test': 'pc-tl-' + x.key }, () => [t('pc.tl.' + x.key), x.note ? h('span', { class: 'hint' }, ' · ' + x.note) : null])))
          : h(ElEmpty, { description: t('pc.tl.none'), imageSize: 60 }),
        h('h2', { class: 'section-title' }, [t('pc.cmp.title', { n: complaints.value.length }), can('complaints', 'create') && ['notice_published', 'bidding', 'opening', 'evaluation', 'result_publicity', 'complaint_window', 'suspended'].includes(r.status)
          ? h(ElButton, { size: 'small', style: 'margin-left:12px', 'data-test': 'pc-complaint-new', onClick: newComplaint }, () => t('pc.cmp.new')) : null]),
        h(ElTable, { data: complaints.value, rowKey: 'id', 'data-test': 'pc-complaints', emptyText: t('pc.cmp.none') }, () => [
          h(ElTableColumn, { label: t('pc.cmp.supplier'), prop: 'supplier_name', minWidth: 160 }),
          h(ElTableColumn, { label: t('pc.cmp.received'), width: 150 }, { default: ({ row }) => when(row.received_at) }),
          h(ElTableColumn, { label: t('pc.cmp.due'), prop: 'reply_due', width: 110 }),
          h(ElTableColumn, { label: t('pc.cmp.content'), prop: 'content', minWidth: 200 }),
          h(ElTableColumn, { label: t('pc.proj.status'), width: 110 }, { default: ({ row }) => statusTag('complaints', row.status, { open: 'warning', replied: 'success', withdrawn: 'info' }) }),
          h(ElTableColumn, { width: 100 }, { default: ({ row }) => (row.status === 'open' && can('complaints', 'reply') ? h(ElButton, { size: 'small', 'data-test': 'pc-reply', onClick: () => reply(row) }, () => t('pc.cmp.reply')) : (row.reply || '')) }),
        ]),
        h('h2', { class: 'section-title' }, t('pc.k.title')),
        k ? factList([
          factItem(t('pc.k.code'), k.code, 'value-contract-code'),
          factItem(t('pc.k.amount'), yuan(k.amount_fen), 'value-contract-amount'),
          factItem(t('pc.k.savings'), yuan(k.savings_fen), 'value-contract-savings'),
          factItem(t('pc.k.signedOn'), k.signed_on + (k.signed_late ? ` (${t('pc.tl.late')})` : ''), 'value-contract-signed'),
          factItem(t('pc.k.published'), k.published_on ? k.published_on + (k.published_late ? ` (${t('pc.tl.late')})` : '') : t('pc.tl.by', { day: k.publish_due }), 'value-contract-published'),
          factItem(t('pc.k.paid'), `${yuan(k.paid_fen)} / ${yuan(k.amount_fen)}`, 'value-contract-paid'),
        ], { test: 'pc-contract' }) : (r.status === 'contract' && can('contracts', 'create')
          ? h(ElButton, { type: 'primary', 'data-test': 'pc-sign', onClick: sign }, () => t('pc.k.sign')) : h('p', { class: 'hint' }, t('pc.k.none'))),
        k ? h('div', { style: 'margin:8px 0' }, [
          !k.published_on && can('contracts', 'publish') ? h(ElButton, { size: 'small', 'data-test': 'pc-k-publish', onClick: () => open(`/contracts/${k.id}/publish`, 'k-publish', [{ name: 'note', label: t('pc.note'), rows: 2, max: 500 }], t('pc.k.publish')) }, () => t('pc.k.publish')) : null,
          k.paid_fen < k.amount_fen && can('contract_payments', 'create') ? h(ElButton, { size: 'small', 'data-test': 'pc-k-pay', onClick: pay }, () => t('pc.k.pay')) : null,
        ]) : null,
        k ? h(ElTable, { data: payments.value, rowKey: 'id', 'data-test': 'pc-payments', emptyText: t('pc.k.noPayments') }, () => [
          h(ElTableColumn, { label: t('pc.k.paidOn'), prop: 'paid_on', width: 120 }),
          h(ElTableColumn, { label: t('pc.k.amount'), align: 'right', width: 150 }, { default: ({ row }) => yuan(row.amount_fen) }),
          h(ElTableColumn, { label: t('pc.note'), prop: 'note', minWidth: 160 }),
        ]) : null,
        dialog.value ? h(AskDialog, { ...dialog.value, ent: collection(P), errorText: errText, doneText: t('pc.done'), onClose: () => { dialog.value = null; }, onDone: () => { dialog.value = null; load(); }, onRefused: () => load() }) : null,
      ]);
    };
  },
});

// ---- savings ----

export const SavingsView = defineComponent({
  name: 'SavingsView',
  setup() {
    const year = ref(new Date().getFullYear());
    const data = ref(null);
    const error = ref(null);
    async function load() {
      error.value = null;
      try {
        data.value = await api('GET', '/procure/savings', { query: { year: year.value } });
        await resolveTitles('departments', data.value.departments.map((d) => d.department_id));
      } catch (e) { error.value = e; data.value = null; }
    }
    onMounted(load);
    const chart = computed(() => {
      if (!data.value || !data.value.departments.length) return null;
      const ds = data.value.departments.slice(0, 20);
      return {
        grid: { left: 8, right: 56, top: 36, bottom: 8, containLabel: true },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => yuan(Math.round(v * 100)) },
        legend: { top: 0, data: [t('pc.sav.amount'), t('pc.sav.savings')] },
        yAxis: { type: 'category', inverse: true, data: ds.map((d) => d.name || titleOf('departments', d.department_id)) },
        xAxis: { type: 'value', name: t('pc.sav.yuan') },
        series: [
          { name: t('pc.sav.amount'), type: 'bar', stack: 'b', data: ds.map((d) => d.amount_fen / 100), itemStyle: { color: '#1d4ed8' }, barMaxWidth: 22 },
          { name: t('pc.sav.savings'), type: 'bar', stack: 'b', data: ds.map((d) => d.savings_fen / 100), itemStyle: { color: '#16a34a' }, barMaxWidth: 22 },
        ],
        animation: false,
      };
    });
    const years = () => { const y = new Date().getFullYear(); return [y, y - 1, y - 2]; };
    return () => {
      const d = data.value;
      const rate = d && d.total.budget_fen ? ((d.total.savings_fen / d.total.budget_fen) * 100).toFixed(1) + '%' : '—';
      return h('section', { class: 'page', 'data-test': 'pc-savings' }, [
        pageHead(t('pc.sav.title'), [h('a', { class: 'el-button', href: `${API}/procure/savings.xlsx${queryString({ year: year.value })}`, download: '', 'data-test': 'pc-savings-xlsx' }, t('pc.sav.xlsx'))]),
        h('div', { style: styles.filters }, [
          h('span', { id: 'pc-sav-year' }, t('pc.sav.year')),
          h(ElRadioGroup, { modelValue: year.value, 'aria-labelledby': 'pc-sav-year', 'onUpdate:modelValue': (v) => { year.value = v; load(); } }, () => years().map((y) => h(ElRadioButton, { key: y, value: y, 'data-test': 'pc-year-' + y }, () => String(y)))),
        ]),
        error.value ? h(ElAlert, { type: 'error', closable: false, title: errText(error.value, 'contracts') }) : null,
        d ? h('div', { style: styles.kpis }, [
          kpi(t('pc.sav.contracts'), String(d.total.contracts), 'pc-sav-contracts'),
          kpi(t('pc.sav.budget'), yuan(d.total.budget_fen), 'pc-sav-budget'),
          kpi(t('pc.sav.amount'), yuan(d.total.amount_fen), 'pc-sav-amount'),
          kpi(t('pc.sav.savings'), yuan(d.total.savings_fen), 'pc-sav-total'),
          kpi(t('pc.sav.rate'), rate, 'pc-sav-rate'),
        ]) : null,
        chartCard(t('pc.sav.chart'), chart.value, Math.max(220, Math.min(20, d ? d.departments.length : 5) * 30 + 60), 'pc-savings-chart', 'mb'),
        h(ElTable, { data: d ? d.projects : [], rowKey: 'contract_id', 'data-test': 'pc-savings-table' }, () => [
          h(ElTableColumn, { label: t('pc.proj.code'), width: 130 }, { default: ({ row }) => h('a', { href: href(`/c/${P}/${row.project_id}`) }, row.code) }),
          h(ElTableColumn, { label: t('pc.proj.name'), prop: 'name', minWidth: 180 }),
          h(ElTableColumn, { label: t('pc.proj.dept'), minWidth: 130 }, { default: ({ row }) => titleOf('departments', row.department_id) }),
          h(ElTableColumn, { label: t('pc.k.signedOn'), prop: 'signed_on', width: 110 }),
          h(ElTableColumn, { label: t('pc.sav.budget'), align: 'right', width: 140 }, { default: ({ row }) => yuan(row.budget_fen) }),
          h(ElTableColumn, { label: t('pc.sav.amount'), align: 'right', width: 140 }, { default: ({ row }) => yuan(row.amount_fen) }),
          h(ElTableColumn, { label: t('pc.sav.savings'), align: 'right', width: 130 }, { default: ({ row }) => h('span', { 'data-test': 'pc-sav-row' }, yuan(row.savings_fen)) }),
        ]),
      ]);
    };
  },
});
