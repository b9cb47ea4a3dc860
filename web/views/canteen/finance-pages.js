// SPDX-License-Identifier: MIT
// Canteen finance pages: the reconciliation (#/canteen/finance) of a day or
// a month by canteen, meal period and reader with a chart and the XLSX; the
// subsidies (#/canteen/subsidies): the rules by rank, a month's preview and
// its run, posted again after a fix; the canteen manager's day
// (#/canteen/today): spends so far by meal and reader against the same
// weekday last week, the bookings forecast and the alerts when the meals
// side answers; and a card's statement (#/canteen/statement).
import { defineComponent, h, ref, reactive, computed, onMounted } from 'vue';
import {
  ElTable, ElTableColumn, ElAlert, ElRadioGroup, ElRadioButton, ElDatePicker, ElSelect, ElOption,
  ElButton, ElTag, ElMessage, ElEmpty,
} from 'element-plus';
import { t, locale } from '../../lib/i18n.js';
import { api, API, problemText, queryString, fetchAll } from '../../lib/api.js';
import { can } from '../../lib/session.js';
import { route } from '../../lib/router.js';
import { pageHead } from '../../components/page-head.js';
import { chartCard } from '../../components/chart.js';

const yuan = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const money = (fen) => (fen == null ? '—' : yuan.format(fen / 100));
const pad = (n) => String(n).padStart(2, '0');
const localDay = (d = new Date()) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
const thisMonth = () => localDay().slice(0, 7);
const lastMonth = () => { const d = new Date(); d.setDate(1); d.setMonth(d.getMonth() - 1); return localDay(d).slice(0, 7); };
const mealName = (m) => (m ? t('ct.fin.meal.' + m) : t('ct.fin.meal.none'));
const errorBox = (e) => (e ? h(ElAlert, { type: 'error', closable: false, title: problemText(e), 'data-test': 'ct-error' }) : null);
const styles = { filters: 'display:flex;flex-wrap:wrap;gap:12px;align-items:center;margin-bottom:12px', kpis: 'display:flex;flex-wrap:wrap;gap:12px;margin-bottom:12px', kpi: 'border:1px solid var(--el-border-color);border-radius:6px;padding:10px 14px;min-width:150px' };

function kpi(label, value, sub, test) {
  return h('div', { style: styles.kpi, 'data-test': test }, [
    h('div', { style: 'font-size:13px;color:var(--el-text-color-regular)' }, label),
    h('div', { style: 'font-size:20px;font-weight:600' }, value),
    sub ? h('div', { style: 'font-size:12px;color:var(--el-text-color-regular)' }, sub) : null,
  ]);
}

function useCanteens() {
  const list = ref([]);
  fetchAll('canteens').then((v) => { list.value = v; }).catch(() => {});
  return list;
}

function canteenSelect(list, value, onChange, id, clearable) {
  return h(ElSelect, { id, modelValue: value, clearable, placeholder: t('ct.fin.allCanteens'), ariaLabel: t('ct.fin.canteen'), style: 'width:220px', 'onUpdate:modelValue': onChange },
    () => list.value.map((c) => h(ElOption, { key: c.id, value: c.id, label: c.name })));
}

// ---- reconciliation ----

export const ReconView = defineComponent({
  name: 'CanteenReconView',
  setup() {
    const p = reactive({ period: 'month', month: lastMonth(), day: localDay(), canteen_id: null });
    const data = ref(null);
    const error = ref(null);
    const canteens = useCanteens();
    const params = () => {
      const q = p.period === 'month' ? { month: p.month } : { day: p.day };
      if (p.canteen_id) q.canteen_id = p.canteen_id;
      return q;
    };
    async function load() {
      error.value = null;
      try { data.value = await api('GET', '/canteen/reconciliation', { query: params() }); } catch (e) { error.value = e; data.value = null; }
    }
    onMounted(load);
    const rows = computed(() => {
      if (!data.value) return [];
      const out = [];
      for (const c of data.value.canteens) {
        for (const m of c.meals) for (const r of m.readers) out.push({ ...r, key: `${c.canteen_id}-${m.meal}-${r.reader_id}`, canteen: c.name, meal: mealName(m.meal) });
        out.push({ ...c, key: `sub-${c.canteen_id}`, canteen: t('ct.fin.subtotal', { name: c.name }), meal: '', reader: '', sub: true });
      }
      out.push({ ...data.value.total, key: 'total', canteen: t('ct.fin.total'), meal: '', reader: '', sub: true });
      return out;
    });
    const chart = computed(() => {
      if (!data.value || !data.value.canteens.length) return null;
      const cs = data.value.canteens;
      const meals = ['breakfast', 'lunch', 'dinner', 'night'].filter((m) => cs.some((c) => c.meals.some((x) => x.meal === m)));
      return {
        grid: { left: 8, right: 40, top: 36, bottom: 8, containLabel: true },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => money(Math.round(v * 100)) },
        legend: { top: 0, data: meals.map(mealName) },
        yAxis: { type: 'category', inverse: true, data: cs.map((c) => c.name) },
        xAxis: { type: 'value', name: t('ct.fin.yuan') },
        series: meals.map((m) => ({ name: mealName(m), type: 'bar', stack: 'net', barMaxWidth: 22, data: cs.map((c) => { const x = c.meals.find((y) => y.meal === m); return x ? x.net_fen / 100 : 0; }) })),
        animation: false,
      };
    });
    const tenant = () => (data.value ? data.value.tenant : null);
    return () => h('div', { class: 'ct-page' }, [
      pageHead(t('ct.fin.recon.title'), [h('a', { class: 'el-button', href: `${API}/canteen/reconciliation.xlsx${queryString(params())}`, download: '', 'data-test': 'ct-recon-xlsx' }, t('ct.fin.xlsx'))]),
      h('div', { style: styles.filters }, [
        h(ElRadioGroup, { modelValue: p.period, ariaLabel: t('ct.fin.period'), 'onUpdate:modelValue': (v) => { p.period = v; load(); } }, () => [
          h(ElRadioButton, { value: 'day', 'data-test': 'ct-recon-day' }, () => t('ct.fin.byDay')),
          h(ElRadioButton, { value: 'month', 'data-test': 'ct-recon-month' }, () => t('ct.fin.byMonth'))]),
        p.period === 'month'
          ? h(ElDatePicker, { type: 'month', valueFormat: 'YYYY-MM', clearable: false, ariaLabel: t('ct.fin.month'), modelValue: p.month, 'onUpdate:modelValue': (v) => { p.month = v || thisMonth(); load(); } })
          : h(ElDatePicker, { type: 'date', valueFormat: 'YYYY-MM-DD', clearable: false, ariaLabel: t('ct.fin.day'), modelValue: p.day, 'onUpdate:modelValue': (v) => { p.day = v || localDay(); load(); } }),
        canteenSelect(canteens, p.canteen_id, (v) => { p.canteen_id = v || null; load(); }, 'ct-recon-canteen', true),
      ]),
      errorBox(error.value),
      data.value ? h('div', { style: styles.kpis }, [
        kpi(t('ct.fin.spends'), money(data.value.total.spend_fen), t('ct.fin.count', { n: data.value.total.spend_count }), 'ct-kpi-spend'),
        kpi(t('ct.fin.refunds'), money(data.value.total.refund_fen), t('ct.fin.count', { n: data.value.total.refund_count })),
        kpi(t('ct.fin.net'), money(data.value.total.net_fen), null, 'ct-kpi-net'),
        kpi(t('ct.fin.offline'), money(data.value.total.offline_fen), t('ct.fin.count', { n: data.value.total.offline_count })),
        kpi(t('ct.fin.subsidies'), money(tenant().subsidy.amount_fen), t('ct.fin.count', { n: tenant().subsidy.count })),
        kpi(t('ct.fin.topups'), money(tenant().topup.amount_fen), t('ct.fin.count', { n: tenant().topup.count })),
      ]) : null,
      chart.value ? chartCard(t('ct.fin.recon.chart'), chart.value, Math.max(200, data.value.canteens.length * 30 + 60), 'ct-recon-chart', 'mb') : null,
      h(ElTable, { data: rows.value, rowKey: 'key', 'data-test': 'ct-recon-table', rowStyle: ({ row }) => (row.sub ? 'font-weight:600' : '') }, () => [
        h(ElTableColumn, { label: t('ct.fin.canteen'), prop: 'canteen', minWidth: 170 }),
        h(ElTableColumn, { label: t('ct.fin.meal'), prop: 'meal', width: 80 }),
        h(ElTableColumn, { label: t('ct.fin.reader'), prop: 'reader', minWidth: 120 }),
        h(ElTableColumn, { label: t('ct.fin.spendCount'), prop: 'spend_count', width: 90, align: 'right' }),
        h(ElTableColumn, { label: t('ct.fin.spends'), align: 'right', minWidth: 110 }, { default: ({ row }) => money(row.spend_fen) }),
        h(ElTableColumn, { label: t('ct.fin.refundCount'), prop: 'refund_count', width: 90, align: 'right' }),
        h(ElTableColumn, { label: t('ct.fin.refunds'), align: 'right', minWidth: 100 }, { default: ({ row }) => money(row.refund_fen) }),
        h(ElTableColumn, { label: t('ct.fin.net'), align: 'right', minWidth: 110 }, { default: ({ row }) => h('span', { 'data-test': 'ct-recon-net' }, money(row.net_fen)) }),
        h(ElTableColumn, { label: t('ct.fin.offlineCount'), prop: 'offline_count', width: 90, align: 'right' }),
      ]),
    ]);
  },
});

// ---- subsidies ----

export const SubsidyView = defineComponent({
  name: 'CanteenSubsidyView',
  setup() {
    const month = ref(lastMonth());
    const rules = ref([]);
    const ranks = ref({});
    const preview = ref(null);
    const run = ref(null);
    const error = ref(null);
    const busy = ref(false);
    const onlyPaid = ref(true);
    async function loadRules() {
      try {
        const [rs, rk] = await Promise.all([fetchAll('meal_subsidy_rules'), fetchAll('ranks')]);
        ranks.value = Object.fromEntries(rk.map((r) => [r.id, r.name]));
        rules.value = rs;
      } catch (e) { error.value = e; }
    }
    async function load() {
      error.value = null;
      try {
        preview.value = await api('GET', '/meal_subsidy_runs/preview', { query: { month: month.value } });
        const r = await api('GET', '/meal_subsidy_runs', { query: { month: month.value } });
        run.value = r.items[0] || null;
      } catch (e) { error.value = e; preview.value = null; }
    }
    async function post() {
      busy.value = true;
      error.value = null;
      try {
        let r = run.value;
        if (!r) r = await api('POST', '/meal_subsidy_runs', { body: { month: month.value } });
        run.value = await api('POST', `/meal_subsidy_runs/${r.id}/post`, { body: {} });
        ElMessage.success(t('ct.fin.sub.posted', { n: run.value.entries, amount: money(run.value.posted_fen) }));
        await load();
      } catch (e) { error.value = e; }
      busy.value = false;
    }
    onMounted(() => { loadRules(); load(); });
    const items = computed(() => (preview.value ? preview.value.items.filter((i) => !onlyPaid.value || i.due_fen || i.paid_fen || i.diff_fen) : []));
    return () => h('div', { class: 'ct-page' }, [
      pageHead(t('ct.fin.sub.title')),
      h('h2', { style: 'font-size:16px' }, t('ct.fin.sub.rules')),
      h(ElTable, { data: rules.value, rowKey: 'id', 'data-test': 'ct-sub-rules' }, () => [
        h(ElTableColumn, { label: t('ct.fin.sub.rank'), minWidth: 120 }, { default: ({ row }) => ranks.value[row.rank_id] || row.rank_id }),
        h(ElTableColumn, { label: t('ct.fin.sub.basis'), width: 130 }, { default: ({ row }) => t('ct.fin.sub.basis.' + row.basis) }),
        h(ElTableColumn, { label: t('ct.fin.sub.amount'), align: 'right', width: 110 }, { default: ({ row }) => money(row.amount_fen) }),
        h(ElTableColumn, { label: t('ct.fin.sub.maxDays'), prop: 'max_days', width: 100, align: 'right' }),
        h(ElTableColumn, { label: t('ct.fin.sub.valid'), minWidth: 180 }, { default: ({ row }) => `${row.valid_from} – ${row.valid_to || ''}` }),
      ]),
      h('p', { style: 'font-size:13px;color:var(--el-text-color-regular)' }, t('ct.fin.sub.note')),
      h('div', { style: styles.filters }, [
        h(ElDatePicker, { type: 'month', valueFormat: 'YYYY-MM', clearable: false, ariaLabel: t('ct.fin.month'), modelValue: month.value, 'onUpdate:modelValue': (v) => { month.value = v || lastMonth(); load(); } }),
        can('meal_subsidy_runs', 'create') ? h(ElButton, { type: 'primary', loading: busy.value, onClick: post, 'data-test': 'ct-sub-post' }, () => (run.value && run.value.runs ? t('ct.fin.sub.rerun') : t('ct.fin.sub.run'))) : null,
        run.value ? h(ElTag, { type: run.value.status === 'posted' ? 'success' : 'info', 'data-test': 'ct-sub-status' }, () => t('ct.fin.sub.status', { runs: run.value.runs || 0 })) : null,
      ]),
      errorBox(error.value),
      preview.value ? h('div', { style: styles.kpis }, [
        kpi(t('ct.fin.sub.workdays'), String(preview.value.working_days)),
        kpi(t('ct.fin.sub.people'), String(preview.value.totals.people), null, 'ct-sub-people'),
        kpi(t('ct.fin.sub.due'), money(preview.value.totals.due_fen)),
        kpi(t('ct.fin.sub.paid'), money(preview.value.totals.paid_fen)),
        kpi(t('ct.fin.sub.diff'), money(preview.value.totals.diff_fen), null, 'ct-sub-diff'),
      ]) : null,
      h(ElRadioGroup, { modelValue: onlyPaid.value, ariaLabel: t('ct.fin.sub.show'), 'onUpdate:modelValue': (v) => { onlyPaid.value = v; } }, () => [
        h(ElRadioButton, { value: true }, () => t('ct.fin.sub.onlyPaid')), h(ElRadioButton, { value: false }, () => t('ct.fin.sub.everyone'))]),
      h(ElTable, { data: items.value.slice(0, 500), rowKey: 'person_id', 'data-test': 'ct-sub-preview', style: 'margin-top:8px' }, () => [
        h(ElTableColumn, { label: t('ct.fin.sub.person'), prop: 'name', minWidth: 100 }),
        h(ElTableColumn, { label: t('ct.fin.sub.rank'), prop: 'rank', minWidth: 100 }),
        h(ElTableColumn, { label: t('ct.fin.sub.days'), align: 'right', width: 110 }, { default: ({ row }) => `${row.days_paid} / ${row.days_eaten}` }),
        h(ElTableColumn, { label: t('ct.fin.sub.due'), align: 'right', width: 110 }, { default: ({ row }) => money(row.due_fen) }),
        h(ElTableColumn, { label: t('ct.fin.sub.paid'), align: 'right', width: 110 }, { default: ({ row }) => money(row.paid_fen) }),
        h(ElTableColumn, { label: t('ct.fin.sub.diff'), align: 'right', width: 110 }, { default: ({ row }) => money(row.diff_fen) }),
        h(ElTableColumn, { label: t('ct.fin.sub.why'), minWidth: 120 }, { default: ({ row }) => t('ct.fin.sub.reason.' + row.reason) }),
      ]),
    ]);
  },
});

// ---- the manager's day ----

export const TodayView = defineComponent({
  name: 'CanteenTodayView',
  setup() {
    const canteens = useCanteens();
    const p = reactive({ canteen_id: null, day: null }); // null: the tenant's today, as the server has it
    const data = ref(null);
    const forecast = ref(null);
    const alerts = ref(null);
    const error = ref(null);
    async function optional(path, query) {
      try { return await api('GET', path, { query }); } catch { return null; } // the meals side may not answer
    }
    async function load() {
      error.value = null;
      if (!p.canteen_id && canteens.value.length) p.canteen_id = canteens.value[0].id;
      if (!p.canteen_id) return;
      try { data.value = await api('GET', '/canteen/day', { query: { canteen_id: p.canteen_id, day: p.day } }); } catch (e) { error.value = e; data.value = null; }
      const day = p.day || (data.value && data.value.day) || localDay();
      const f = await optional('/canteen/forecast', { canteen_id: p.canteen_id, from: day, to: day });
      forecast.value = f && Array.isArray(f.items) ? f.items : null;
      const a = await optional('/canteen/alerts', {});
      alerts.value = a && Array.isArray(a.items) ? a.items.filter((x) => !x.canteen_id || x.canteen_id === p.canteen_id) : null;
    }
    onMounted(async () => { const v = await fetchAll('canteens').catch(() => []); canteens.value = v; load(); });
    const vs = (now, then) => (then ? t('ct.fin.today.vs', { then }) : t('ct.fin.today.vsNone'));
    return () => h('div', { class: 'ct-page' }, [
      pageHead(t('ct.fin.today.title')),
      h('div', { style: styles.filters }, [
        canteenSelect(canteens, p.canteen_id, (v) => { p.canteen_id = v; load(); }, 'ct-today-canteen', false),
        h(ElDatePicker, { type: 'date', valueFormat: 'YYYY-MM-DD', clearable: false, ariaLabel: t('ct.fin.day'), modelValue: p.day || (data.value && data.value.day), 'onUpdate:modelValue': (v) => { p.day = v || null; load(); } }),
      ]),
      errorBox(error.value),
      data.value ? h('div', { style: styles.kpis }, [
        kpi(t('ct.fin.today.diners'), String(data.value.total.diners), vs(data.value.total.diners, data.value.last_week.diners), 'ct-today-diners'),
        kpi(t('ct.fin.today.meals'), String(data.value.total.count), vs(data.value.total.count, data.value.last_week.count)),
        kpi(t('ct.fin.today.sales'), money(data.value.total.amount_fen), vs(0, data.value.last_week.amount_fen ? money(data.value.last_week.amount_fen) : 0), 'ct-today-sales'),
      ]) : null,
      data.value ? h(ElTable, { data: data.value.meals, rowKey: 'meal', 'data-test': 'ct-today-meals' }, () => [
        h(ElTableColumn, { label: t('ct.fin.meal'), minWidth: 90 }, { default: ({ row }) => mealName(row.meal) }),
        h(ElTableColumn, { label: t('ct.fin.today.meals'), prop: 'count', align: 'right', width: 100 }),
        h(ElTableColumn, { label: t('ct.fin.today.diners'), prop: 'diners', align: 'right', width: 100 }),
        h(ElTableColumn, { label: t('ct.fin.today.sales'), align: 'right', width: 120 }, { default: ({ row }) => money(row.amount_fen) }),
        h(ElTableColumn, { label: t('ct.fin.today.lastWeek', { day: data.value.compare_day }), align: 'right', minWidth: 150 }, { default: ({ row }) => `${row.last_week.diners} / ${money(row.last_week.amount_fen)}` }),
      ]) : null,
      data.value && data.value.readers.length ? h(ElTable, { data: data.value.readers, rowKey: 'reader_id', style: 'margin-top:12px', 'data-test': 'ct-today-readers' }, () => [
        h(ElTableColumn, { label: t('ct.fin.reader'), prop: 'name', minWidth: 140 }),
        h(ElTableColumn, { label: t('ct.fin.today.meals'), prop: 'count', align: 'right', width: 100 }),
        h(ElTableColumn, { label: t('ct.fin.today.sales'), align: 'right', width: 120 }, { default: ({ row }) => money(row.amount_fen) }),
      ]) : null,
      forecast.value ? h('section', { 'data-test': 'ct-today-forecast' }, [h('h2', { style: 'font-size:16px' }, t('ct.fin.today.forecast')),
        forecast.value.length ? h(ElTable, { data: forecast.value }, () => [
          h(ElTableColumn, { label: t('ct.fin.meal'), minWidth: 90 }, { default: ({ row }) => mealName(row.meal) }),
          h(ElTableColumn, { label: t('ct.fin.today.booked'), prop: 'booked', align: 'right', width: 100 }),
          h(ElTableColumn, { label: t('ct.fin.today.served'), prop: 'served', align: 'right', width: 100 })]) : h(ElEmpty, { description: t('ct.fin.today.noForecast'), imageSize: 60 })]) : null,
      alerts.value && alerts.value.length ? h('section', { 'data-test': 'ct-today-alerts' }, [h('h2', { style: 'font-size:16px' }, t('ct.fin.today.alerts')),
        ...alerts.value.map((a) => h(ElAlert, { type: 'warning', closable: false, style: 'margin-bottom:6px', title: t('ct.alert.' + a.kind, a.params || {}) }))]) : null,
    ]);
  },
});

// ---- a card's statement ----

export const StatementView = defineComponent({
  name: 'CanteenStatementView',
  setup() {
    const p = reactive({ account: Number(route.query.account) || null, month: route.query.month || lastMonth() });
    const accounts = ref([]);
    const data = ref(null);
    const error = ref(null);
    async function load() {
      error.value = null;
      if (!p.account) return;
      try { data.value = await api('GET', `/meal_accounts/${p.account}/statement`, { query: { month: p.month } }); } catch (e) { error.value = e; data.value = null; }
    }
    onMounted(async () => {
      try {
        const r = await api('GET', '/meal_accounts', { query: { kind: 'person', limit: 50 } });
        accounts.value = r.items;
        if (!p.account && r.items.length === 1) p.account = r.items[0].id; // a holder's own card
      } catch (e) { error.value = e; }
      load();
    });
    const kindName = (k) => t('ct.fin.kind.' + k);
    return () => h('div', { class: 'ct-page' }, [
      pageHead(t('ct.fin.st.title'), p.account ? [h('a', { class: 'el-button', href: `${API}/meal_accounts/${p.account}/statement.xlsx${queryString({ month: p.month })}`, download: '', 'data-test': 'ct-st-xlsx' }, t('ct.fin.xlsx'))] : null),
      h('div', { style: styles.filters }, [
        accounts.value.length > 1 || !accounts.value.length ? h(ElSelect, { modelValue: p.account, filterable: true, ariaLabel: t('ct.fin.st.card'), placeholder: t('ct.fin.st.card'), style: 'width:220px', 'onUpdate:modelValue': (v) => { p.account = v; load(); } },
          () => accounts.value.map((a) => h(ElOption, { key: a.id, value: a.id, label: a.card_no || String(a.id) }))) : null,
        h(ElDatePicker, { type: 'month', valueFormat: 'YYYY-MM', clearable: false, ariaLabel: t('ct.fin.month'), modelValue: p.month, 'onUpdate:modelValue': (v) => { p.month = v || lastMonth(); load(); } }),
      ]),
      errorBox(error.value),
      data.value ? h('div', { style: styles.kpis }, [
        kpi(t('ct.fin.st.opening'), money(data.value.opening_fen), null, 'ct-st-opening'),
        kpi(t('ct.fin.st.credits'), money(data.value.credits_fen)),
        kpi(t('ct.fin.st.debits'), money(data.value.debits_fen)),
        kpi(t('ct.fin.st.closing'), money(data.value.closing_fen), null, 'ct-st-closing'),
      ]) : null,
      data.value ? h(ElTable, { data: data.value.entries, rowKey: 'id', 'data-test': 'ct-st-entries' }, () => [
        h(ElTableColumn, { label: t('ct.fin.st.time'), minWidth: 150 }, { default: ({ row }) => (row.at || '').slice(0, 16).replace('T', ' ') }),
        h(ElTableColumn, { label: t('ct.fin.st.kind'), width: 80 }, { default: ({ row }) => kindName(row.kind) }),
        h(ElTableColumn, { label: t('ct.fin.meal'), width: 80 }, { default: ({ row }) => (row.meal ? mealName(row.meal) : '') }),
        h(ElTableColumn, { label: t('ct.fin.st.delta'), align: 'right', width: 110 }, { default: ({ row }) => (row.delta_fen > 0 ? '+' : '−') + money(Math.abs(row.delta_fen)) }),
        h(ElTableColumn, { label: t('ct.fin.st.balance'), align: 'right', width: 110 }, { default: ({ row }) => money(row.balance_fen) }),
      ]) : null,
    ]);
  },
});
