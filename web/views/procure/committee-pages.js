// SPDX-License-Identifier: MIT
// The committee's pages (committee.js registers them): the expert draw, the
// expert's own page (a phone's width) and the evaluation summary. Nobody is
// named before the project's result is published: the draw page shows the
// counts the server answers and, after publication, the public document with
// the order and the committee. Refusals are said by their keys
// (t('err.' + key)), money in yuan with two decimals.
import { defineComponent, h, ref, reactive, onMounted } from 'vue';
import {
  ElAlert, ElButton, ElDescriptions, ElDescriptionsItem, ElEmpty, ElForm, ElFormItem, ElInput, ElInputNumber,
  ElMessage, ElSelect, ElOption, ElSkeleton, ElTable, ElTableColumn, ElTag,
} from 'element-plus';
import { t } from '../../lib/i18n.js';
import { api, fetchAll, problemText } from '../../lib/api.js';
import { formatMoney } from '../../lib/money.js';
import { pageHead } from '../../components/page-head.js';
import { can } from '../../lib/session.js';

const problem = (e) => problemText(e && e.problem ? e.problem : e);
const STATUS_TYPES = { prepared: 'info', drawn: 'warning', formed: 'success', short: 'danger', invited: 'warning', confirmed: 'success', declined: 'info', draft: 'warning', signed: 'success' };
const tag = (s, test) => h(ElTag, { type: STATUS_TYPES[s] || 'info', size: 'small', disableTransitions: true, 'data-test': test, 'data-status': s }, () => t(`pc.cm.status.${s}`));
const fig = (label, value, test) => h(ElDescriptionsItem, { label }, () => h('span', { 'data-test': test }, String(value ?? '—')));
const pts = (x) => (x == null ? '—' : Number(x).toFixed(2));

// ---- the draw ----

const DrawCard = defineComponent({
  name: 'PcDrawCard',
  props: { draw: Object, projects: Object },
  emits: ['changed'],
  setup(props, { emit }) {
    const witness = ref('');
    const busy = ref(false);
    const err = ref('');
    const doc = ref(null);
    async function run() {
      err.value = '';
      if (witness.value.trim().length < 4) { err.value = t('pc.cm.witnessShort'); return; }
      busy.value = true;
      try {
        await api('POST', `/expert_draws/${props.draw.id}/draw`, { body: { witness: witness.value } });
        ElMessage.success(t('pc.cm.drawn'));
        witness.value = '';
        emit('changed');
      } catch (e) { err.value = problem(e); } finally { busy.value = false; }
    }
    async function verify() {
      err.value = '';
      try { doc.value = await api('GET', `/expert_draws/${props.draw.id}/public`); } catch (e) { err.value = problem(e); }
    }
    return () => {
      const d = props.draw;
      const p = props.projects[d.project_id];
      const v = doc.value;
      return h('section', { class: 'pc-draw', 'data-test': 'pc-draw', 'data-id': d.id, style: 'border: 1px solid var(--el-border-color); border-radius: 6px; padding: 12px; margin-bottom: 12px' }, [
        h('h2', { style: 'margin: 0 0 8px; font-size: 1.1em; display: flex; gap: 8px; align-items: center' }, [p ? `${p.code || ''} ${p.name}` : `#${d.project_id}`, tag(d.status, 'pc-draw-status')]),
        h(ElDescriptions, { column: 3, size: 'small', border: true }, () => [
          fig(t('pc.cm.specialty'), d.specialty),
          fig(t('pc.cm.size'), `${d.members_n}（${t('pc.cm.experts')} ${d.experts_n}）`),
          fig(t('pc.cm.bidders'), d.bidders_n, 'pc-bidders'),
          fig(t('pc.cm.specialists'), d.specialists_n),
          fig(t('pc.cm.recused'), d.recused_n, 'pc-recused'),
          fig(t('pc.cm.eligible'), d.pool_n, 'pc-eligible'),
          fig(t('pc.cm.invited'), d.invited_n, 'pc-invited'),
          fig(t('pc.cm.confirmed'), d.confirmed_n, 'pc-confirmed'),
          fig(t('pc.cm.declined'), d.declined_n),
        ]),
        d.pool_sha256 ? h('p', { style: 'font-family: monospace; font-size: 0.85em; word-break: break-all' }, `${t('pc.cm.poolHash')}: ${d.pool_sha256}`) : null,
        d.status === 'prepared' ? h('div', { style: 'display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin-top: 8px' }, [
          h('label', { for: `pc-witness-${d.id}` }, t('pc.cm.witness')),
          h(ElInput, { id: `pc-witness-${d.id}`, modelValue: witness.value, 'onUpdate:modelValue': (x) => (witness.value = x), maxlength: 100, style: 'width: 220px', 'data-test': 'pc-witness', placeholder: t('pc.cm.witnessHint') }),
          h(ElButton, { type: 'primary', loading: busy.value, onClick: run, 'data-test': 'pc-run' }, () => t('pc.cm.draw')),
        ]) : h(ElButton, { size: 'small', style: 'margin-top: 8px', onClick: verify, 'data-test': 'pc-verify' }, () => t('pc.cm.verify')),
        err.value ? h(ElAlert, { type: 'error', closable: false, title: err.value, 'data-test': 'pc-error', style: 'margin-top: 8px' }) : null,
        v && !v.published ? h(ElAlert, { type: 'info', closable: false, title: t('pc.cm.secret'), 'data-test': 'pc-secret', style: 'margin-top: 8px' }) : null,
        v && v.published ? h('div', { 'data-test': 'pc-public', style: 'margin-top: 8px' }, [
          h(ElAlert, { type: v.verified ? 'success' : 'error', closable: false, title: v.verified ? t('pc.cm.verified') : t('pc.cm.notVerified'), 'data-test': 'pc-verified' }),
          h('p', null, `${t('pc.cm.witness')}: ${v.witness}`),
          h('p', { style: 'font-family: monospace; font-size: 0.85em; word-break: break-all' }, `seed: ${v.seed_sha256}`),
          h(ElTable, { data: v.members, size: 'small', 'data-test': 'pc-members' }, () => [
            h(ElTableColumn, { prop: 'seq', label: t('pc.cm.seq'), width: 70 }),
            h(ElTableColumn, { prop: 'name', label: t('pc.cm.name') }),
            h(ElTableColumn, { prop: 'employer', label: t('pc.cm.employer') }),
            h(ElTableColumn, { label: t('pc.cm.answer'), width: 110 }, { default: ({ row }) => tag(row.status) }),
          ]),
        ]) : null,
      ]);
    };
  },
});

export const DrawsView = defineComponent({
  name: 'PcDrawsView',
  setup() {
    const draws = ref(null);
    const projects = ref({});
    const error = ref('');
    const form = reactive({ project_id: null, specialty: 'goods.general', members_n: 5, reps_n: 1 });
    const formErr = ref('');
    async function load() {
      error.value = '';
      try {
        const [d, p] = await Promise.all([fetchAll('expert_draws', { sort: '-id' }, 200), fetchAll('procurement_projects', { sort: '-id' }, 500)]);
        projects.value = Object.fromEntries(p.map((x) => [x.id, x]));
        draws.value = d;
      } catch (e) { error.value = problem(e); draws.value = []; }
    }
    onMounted(load);
    async function prepare() {
      formErr.value = '';
      try {
        await api('POST', '/expert_draws', { body: { ...form } });
        ElMessage.success(t('pc.cm.prepared'));
        await load();
      } catch (e) { formErr.value = problem(e); }
    }
    return () => h('div', { class: 'pc-draws-page', style: 'max-width: 960px' }, [
      pageHead(t('pc.cm.drawsTitle')),
      h('p', { style: 'color: var(--el-text-color-secondary)' }, t('pc.cm.drawsHint')),
      h(ElForm, { inline: true, labelPosition: 'top', 'data-test': 'pc-prepare', onSubmit: (e) => e.preventDefault() }, () => [
        h(ElFormItem, { label: t('pc.cm.project'), for: 'pc-project' }, () => h(ElSelect, { id: 'pc-project', modelValue: form.project_id, 'onUpdate:modelValue': (x) => (form.project_id = x), filterable: true, style: 'width: 260px', 'data-test': 'pc-project' },
          () => Object.values(projects.value).map((p) => h(ElOption, { key: p.id, value: p.id, label: `${p.code || ''} ${p.name}` })))),
        h(ElFormItem, { label: t('pc.cm.specialty'), for: 'pc-specialty' }, () => h(ElInput, { id: 'pc-specialty', modelValue: form.specialty, 'onUpdate:modelValue': (x) => (form.specialty = x), style: 'width: 160px' })),
        h(ElFormItem, { label: t('pc.cm.size'), for: 'pc-size' }, () => h(ElInputNumber, { id: 'pc-size', modelValue: form.members_n, 'onUpdate:modelValue': (x) => (form.members_n = x), min: 3, max: 25, step: 2 })),
        h(ElFormItem, { label: t('pc.cm.reps'), for: 'pc-reps' }, () => h(ElInputNumber, { id: 'pc-reps', modelValue: form.reps_n, 'onUpdate:modelValue': (x) => (form.reps_n = x), min: 0, max: 8 })),
        h(ElFormItem, { label: ' ' }, () => h(ElButton, { type: 'primary', onClick: prepare, disabled: !form.project_id, 'data-test': 'pc-prepare-go' }, () => t('pc.cm.prepare'))),
      ]),
      formErr.value ? h(ElAlert, { type: 'error', closable: false, title: formErr.value, 'data-test': 'pc-prepare-error' }) : null,
      error.value ? h(ElAlert, { type: 'error', closable: false, title: error.value }) : null,
      draws.value == null ? h(ElSkeleton, { rows: 4, animated: true }) : null,
      draws.value && !draws.value.length ? h(ElEmpty, { description: t('pc.cm.noDraws') }) : null,
      ...(draws.value || []).map((d) => h(DrawCard, { key: `${d.id}-${d.version}`, draw: d, projects: projects.value, onChanged: load })),
    ]);
  },
});

// ---- the expert's page ----

const Sheet = defineComponent({
  name: 'PcSheet',
  props: { member: Object },
  emits: ['changed'],
  setup(props, { emit }) {
    const sheet = ref(null);
    const vals = reactive({});
    const err = ref('');
    const busy = ref(false);
    async function load() {
      err.value = '';
      try {
        sheet.value = await api('GET', `/expert_draw_members/${props.member.id}/sheet`);
        for (const s of sheet.value.scores) vals[`${s.bid_id}:${s.item_id}`] = s.score;
      } catch (e) { err.value = problem(e); }
    }
    onMounted(load);
    async function save() {
      err.value = '';
      const scores = [];
      for (const b of sheet.value.bids) for (const it of sheet.value.items) {
        const v = vals[`${b.id}:${it.id}`];
        if (v != null && v !== '') scores.push({ bid_id: b.id, item_id: it.id, score: Number(v) });
      }
      if (!scores.length) return;
      busy.value = true;
      try {
        await api('POST', '/procure/scores', { body: { scores } });
        ElMessage.success(t('pc.cm.saved'));
      } catch (e) { err.value = problem(e); } finally { busy.value = false; }
    }
    async function sign() {
      err.value = '';
      try {
        await api('POST', `/expert_draw_members/${props.member.id}/sign`, { body: {} });
        ElMessage.success(t('pc.cm.signedMine'));
        emit('changed');
      } catch (e) { err.value = problem(e); }
    }
    return () => {
      const s = sheet.value;
      return h('div', { 'data-test': 'pc-sheet' }, [
        err.value ? h(ElAlert, { type: 'error', closable: false, title: err.value, 'data-test': 'pc-sheet-error' }) : null,
        !s && !err.value ? h(ElSkeleton, { rows: 3, animated: true }) : null,
        s && !s.bids.length ? h(ElEmpty, { description: t('pc.cm.noBids') }) : null,
        ...(s ? s.bids.map((b) => h('fieldset', { key: b.id, 'data-test': 'pc-bid', style: 'border: 1px solid var(--el-border-color); border-radius: 6px; margin: 8px 0; padding: 8px' }, [
          h('legend', null, `${b.supplier} · ${formatMoney(b.price_fen)}`),
          b.technical ? h('p', { style: 'font-size: 0.9em; color: var(--el-text-color-secondary); white-space: pre-wrap' }, b.technical) : null,
          ...s.items.map((it) => h('div', { key: it.id, style: 'display: flex; justify-content: space-between; align-items: center; gap: 8px; margin: 4px 0' }, [
            h('label', { for: `pc-s-${b.id}-${it.id}` }, `${it.name}（${t('pc.cm.max')} ${pts(it.max_score)}）`),
            h(ElInputNumber, { id: `pc-s-${b.id}-${it.id}`, modelValue: vals[`${b.id}:${it.id}`] ?? null, 'onUpdate:modelValue': (x) => (vals[`${b.id}:${it.id}`] = x), min: 0, precision: 2, step: 0.5, controlsPosition: 'right', style: 'width: 130px', 'data-test': 'pc-score' }),
          ])),
        ])) : []),
        s && s.bids.length ? h('div', { style: 'display: flex; gap: 8px; justify-content: flex-end' }, [
          h(ElButton, { type: 'primary', loading: busy.value, onClick: save, 'data-test': 'pc-save' }, () => t('pc.cm.save')),
          h(ElButton, { onClick: sign, disabled: !!props.member.signed_at, 'data-test': 'pc-sign' }, () => (props.member.signed_at ? t('pc.cm.signedMine') : t('pc.cm.sign'))),
        ]) : null,
      ]);
    };
  },
});

export const ExpertView = defineComponent({
  name: 'PcExpertView',
  setup() {
    const mine = ref(null);
    const error = ref('');
    const open = ref(null);
    async function load() {
      error.value = '';
      try { mine.value = await fetchAll('expert_draw_members', { sort: '-id' }, 200); } catch (e) { error.value = problem(e); mine.value = []; }
    }
    onMounted(load);
    async function answer(m, step) {
      try {
        await api('POST', `/expert_draw_members/${m.id}/${step}`, { body: {} });
        ElMessage.success(t(step === 'confirm' ? 'pc.cm.confirmedMine' : 'pc.cm.declinedMine'));
        await load();
      } catch (e) { ElMessage.error(problem(e)); }
    }
    return () => h('div', { class: 'pc-expert-page', style: 'max-width: 520px; margin: 0 auto' }, [
      pageHead(t('pc.cm.expertTitle')),
      error.value ? h(ElAlert, { type: 'error', closable: false, title: error.value }) : null,
      mine.value == null ? h(ElSkeleton, { rows: 3, animated: true }) : null,
      mine.value && !mine.value.length ? h(ElEmpty, { description: t('pc.cm.noInvitations') }) : null,
      ...(mine.value || []).map((m) => h('section', { key: m.id, 'data-test': 'pc-invitation', 'data-id': m.id, style: 'border-bottom: 1px solid var(--el-border-color-lighter); padding: 10px 0' }, [
        h('div', { style: 'display: flex; justify-content: space-between; align-items: center; gap: 8px' }, [
          h('strong', null, t('pc.cm.projectNo', { id: m.project_id })),
          tag(m.status, 'pc-invitation-status'),
        ]),
        m.status === 'invited' ? h('div', { style: 'display: flex; gap: 8px; margin-top: 8px' }, [
          h(ElButton, { type: 'primary', onClick: () => answer(m, 'confirm'), 'data-test': 'pc-confirm' }, () => t('pc.cm.confirm')),
          h(ElButton, { onClick: () => answer(m, 'decline'), 'data-test': 'pc-decline' }, () => t('pc.cm.decline')),
        ]) : null,
        m.status === 'confirmed' ? h(ElButton, { size: 'small', style: 'margin-top: 8px', onClick: () => (open.value = open.value === m.id ? null : m.id), 'data-test': 'pc-open-sheet' }, () => t('pc.cm.scoreSheet')) : null,
        open.value === m.id ? h(Sheet, { member: m, onChanged: load }) : null,
      ])),
    ]);
  },
});

// ---- the evaluation summary ----

export const EvaluationView = defineComponent({
  name: 'PcEvaluationView',
  setup() {
    const reports = ref(null);
    const projects = ref({});
    const suppliers = ref({});
    const error = ref('');
    const pick = ref(null);
    async function load() {
      error.value = '';
      try {
        const r = await fetchAll('evaluation_reports', { sort: '-id' }, 500);
        let p = [];
        try { p = await fetchAll('procurement_projects', { sort: '-id' }, 500); } catch { p = []; }
        projects.value = Object.fromEntries(p.map((x) => [x.id, x]));
        // the bidders' names where the reader may see suppliers (else the bid's number only)
        const ids = [...new Set(r.flatMap((x) => (x.ranking || []).map((y) => y.supplier_id)).filter(Boolean))];
        let s = [];
        if (ids.length && can('suppliers', 'read')) try { s = await fetchAll('suppliers', { sort: '-id' }, 1000); } catch { s = []; }
        suppliers.value = Object.fromEntries(s.map((x) => [x.id, x.name]));
        reports.value = r;
        if (!pick.value && r.length) pick.value = r[0].id;
      } catch (e) { error.value = problem(e); reports.value = []; }
    }
    onMounted(load);
    const makeFor = ref(null);
    const makeErr = ref('');
    async function make() {
      makeErr.value = '';
      const pid = makeFor.value;
      if (!pid) return;
      try {
        const r = await api('POST', '/procure/reports', { body: { project_id: pid } });
        pick.value = r.id;
        await load();
      } catch (e) { makeErr.value = problem(e); }
    }
    const pname = (id) => (projects.value[id] ? `${projects.value[id].code || ''} ${projects.value[id].name}` : t('pc.cm.projectNo', { id }));
    return () => {
      const rep = (reports.value || []).find((x) => x.id === pick.value);
      return h('div', { class: 'pc-evaluation-page', style: 'max-width: 1000px' }, [
        pageHead(t('pc.cm.evaluationTitle')),
        error.value ? h(ElAlert, { type: 'error', closable: false, title: error.value }) : null,
        reports.value == null ? h(ElSkeleton, { rows: 4, animated: true }) : null,
        reports.value && !reports.value.length ? h(ElEmpty, { description: t('pc.cm.noReports') }) : null,
        reports.value && reports.value.length ? h('div', { style: 'display: flex; gap: 8px; align-items: center; margin-bottom: 12px' }, [
          h('label', { for: 'pc-report' }, t('pc.cm.project')),
          h(ElSelect, { id: 'pc-report', modelValue: pick.value, 'onUpdate:modelValue': (x) => (pick.value = x), style: 'width: 320px', 'data-test': 'pc-report-pick' },
            () => reports.value.map((r) => h(ElOption, { key: r.id, value: r.id, label: pname(r.project_id) }))),
        ]) : null,
        rep ? h('section', { 'data-test': 'pc-report', 'data-status': rep.status }, [
          h(ElDescriptions, { column: 2, border: true, size: 'small' }, () => [
            fig(t('pc.cm.status.label'), t(`pc.cm.status.${rep.status}`), 'pc-report-status'),
            fig(t('pc.cm.method'), t(`pc.cm.method.${rep.evaluation_method}`)),
            fig(t('pc.cm.priceWeight'), `${rep.price_weight_pct} %`),
            fig(t('pc.cm.signatures'), `${rep.signed_n} / ${rep.members_n}`, 'pc-signatures'),
            fig(t('pc.cm.winnerPrice'), formatMoney(rep.winner_price_fen, '—'), 'pc-winner-price'),
            fig(t('pc.cm.signedAt'), rep.signed_at ? rep.signed_at.replace('T', ' ').slice(0, 16) : '—'),
          ]),
          h(ElTable, { data: rep.ranking || [], size: 'small', style: 'margin-top: 12px', 'data-test': 'pc-ranking', rowClassName: ({ row }) => (row.rank === 1 ? 'pc-winner' : '') }, () => [
            h(ElTableColumn, { label: t('pc.cm.rank'), width: 70 }, { default: ({ row }) => (row.rank ? String(row.rank) : t('pc.cm.invalid')) }),
            h(ElTableColumn, { prop: 'bid_id', label: t('pc.cm.bid'), width: 80 }),
            h(ElTableColumn, { label: t('pc.cm.supplier'), minWidth: 180 }, { default: ({ row }) => suppliers.value[row.supplier_id] || '—' }),
            h(ElTableColumn, { label: t('pc.cm.price'), align: 'right' }, { default: ({ row }) => formatMoney(row.price_fen) }),
            h(ElTableColumn, { label: t('pc.cm.priceScore'), align: 'right' }, { default: ({ row }) => pts(row.price_score) }),
            h(ElTableColumn, { label: t('pc.cm.pricePoints'), align: 'right' }, { default: ({ row }) => pts(row.price_points) }),
            h(ElTableColumn, { label: t('pc.cm.tech'), align: 'right' }, { default: ({ row }) => pts(row.tech) }),
            h(ElTableColumn, { label: t('pc.cm.total'), align: 'right' }, { default: ({ row }) => pts(row.total) }),
            h(ElTableColumn, { label: t('pc.cm.flags'), width: 120 }, { default: ({ row }) => (row.abnormal_low ? h(ElTag, { type: 'warning', size: 'small', 'data-test': 'pc-abnormal' }, () => t('pc.cm.abnormal')) : '') }),
          ]),
          h('p', { style: 'color: var(--el-text-color-secondary); font-size: 0.9em' }, t('pc.cm.formula')),
        ]) : null,
        can('expert_draws', 'draw') ? h('div', { style: 'display: flex; gap: 8px; align-items: center; margin-top: 16px', 'data-test': 'pc-make' }, [
          h('label', { for: 'pc-make-project' }, t('pc.cm.makeFor')),
          h(ElSelect, { id: 'pc-make-project', modelValue: makeFor.value, 'onUpdate:modelValue': (x) => (makeFor.value = x), filterable: true, style: 'width: 320px' },
            () => Object.values(projects.value).filter((p) => p.status === 'evaluation').map((p) => h(ElOption, { key: p.id, value: p.id, label: pname(p.id) }))),
          h(ElButton, { onClick: make, disabled: !makeFor.value, 'data-test': 'pc-make-report' }, () => t('pc.cm.makeReport')),
        ]) : null,
        makeErr.value ? h(ElAlert, { type: 'error', closable: false, title: makeErr.value, 'data-test': 'pc-make-error' }) : null,
      ]);
    };
  },
});
