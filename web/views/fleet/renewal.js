// The renewal plan (#/fleet/renewal?year=YYYY): the vehicles that meet the
// tenant's renewal rule by the end of that year (GET /api/v1/fleet/renewal)
// with their age, kilometres and rule, and the price and displacement limits
// of their class; the year's plan (renewal_plans) and its items; an eligible
// vehicle is added to the plan from its row, any other vehicle from the box
// below the plan (the server refuses one that is not eligible, shown at the
// field).
import { defineComponent, h, ref, reactive, computed, onMounted } from 'vue';
import {
  ElButton, ElAlert, ElSkeleton, ElSelect, ElOption, ElTable, ElTableColumn, ElEmpty, ElCard, ElFormItem, ElMessage, ElTag,
} from 'element-plus';
import { Plus } from '@element-plus/icons-vue';
import { t, label } from '../../lib/i18n.js';
import { api, fetchAll, fieldText } from '../../lib/api.js';
import { route, replace, href } from '../../lib/router.js';
import { state, can, field, collection, resolveTitles, titleOf } from '../../lib/session.js';
import { enumText } from '../../lib/fields.js';
import { formatMoney, yuanToFen } from '../../lib/money.js';
import { today } from '../../lib/time.js';
import { AskDialog, filled } from '../../components/ask-dialog.js';
import { VEH, flError } from './common.js';
import { pageHead } from '../../components/page-head.js';

const PLANS = 'renewal_plans';
const ITEMS = 'renewal_plan_items';

function ruleText(rule) {
  if (!rule) return '—';
  const years = t(rule.more_than ? 'fl.ruleMoreThan' : 'fl.ruleAtLeast', { n: rule.min_years });
  if (rule.min_km == null) return years;
  return t(rule.either ? 'fl.ruleEither' : 'fl.ruleBoth', { years, km: Number(rule.min_km).toLocaleString() });
}

function limitText(l) {
  if (!l) return '—';
  const parts = [];
  parts.push(l.max_price_fen == null ? t('fl.noPriceLimit') : t('fl.maxPrice', { v: formatMoney(l.max_price_fen) }));
  if (l.max_displacement_l != null) parts.push(t('fl.maxDisplacement', { v: l.max_displacement_l }));
  return parts.join('，');
}

export const RenewalView = defineComponent({
  name: 'RenewalView',
  setup() {
    const thisYear = Number(today().slice(0, 4));
    const year = ref(/^\d{4}$/.test(route.query.year || '') ? Number(route.query.year) : thisYear);
    const report = ref(null);
    const plan = ref(undefined);     // undefined: loading; null: none
    const items = ref([]);
    const error = ref(null);
    const all = ref(null);           // every vehicle in service, for the box
    const other = reactive({ vehicle_id: null, error: '', busy: false });
    const dialog = ref(null);
    const creating = ref(false);
    let seq = 0;
    state.crumb = null;

    async function loadPlan() {
      const r = await api('GET', '/' + PLANS, { query: { year: year.value, limit: 1 } });
      plan.value = r.items[0] || null;
      items.value = plan.value ? await fetchAll(ITEMS, { plan_id: plan.value.id }) : [];
      await resolveTitles(VEH, items.value.map((x) => x.vehicle_id).concat(items.value.map((x) => x.replacement_id)).filter(Boolean));
    }
    async function load() {
      const mine = ++seq;
      error.value = null;
      report.value = null;
      plan.value = undefined;
      try {
        const [r] = await Promise.all([
          api('GET', '/fleet/renewal', { query: { year: year.value } }),
          can(PLANS, 'read') ? loadPlan() : Promise.resolve(),
        ]);
        if (mine === seq) report.value = r;
      } catch (e) {
        if (mine === seq) { error.value = e; if (plan.value === undefined) plan.value = null; }
      }
    }
    onMounted(load);

    function setYear(y) {
      year.value = y;
      replace('/fleet/renewal', { year: y === thisYear ? null : y });
      load();
    }

    const inPlan = computed(() => new Set(items.value.map((x) => x.vehicle_id)));
    const mayPlan = computed(() => plan.value && can(ITEMS, 'create'));

    async function createPlan() {
      creating.value = true;
      try {
        plan.value = await api('POST', '/' + PLANS, { body: { year: year.value, name: t('fl.planName', { year: year.value }) } });
        items.value = [];
        ElMessage({ type: 'success', message: t('fl.planCreated') });
      } catch (e) {
        ElMessage({ type: 'error', message: flError(e, PLANS), duration: 6000 });
      } finally {
        creating.value = false;
      }
    }

    function askAdd(x) {
      // the price limit of new energy for battery-electric cars and plug-in hybrids
      const fuelLimit = x.limits && (['electric', 'phev'].includes(x.energy) ? x.limits.new_energy : x.limits.fuel);
      dialog.value = {
        title: t('fl.addToPlanTitle'), subject: `${x.plate} · ${x.brand} ${x.model || ''}`, test: 'fl-add-dialog', submitText: t('fl.addToPlan'),
        fields: [
          { name: 'price', sends: 'planned_price_fen', label: t('fl.plannedPrice') + (fuelLimit ? `（${limitText(fuelLimit)}）` : ''), type: 'money' },
          { name: 'note', label: label(field(ITEMS, 'note')) || t('fl.note'), rows: 2, max: 500 },
          // over the standard only with a reason (the server says when it is needed)
          { name: 'over_standard_reason', label: label(field(ITEMS, 'over_standard_reason')) || t('fl.overReason'), rows: 2, max: 500 },
        ],
        run: (v) => addItem(x.vehicle_id, x, v),
      };
    }

    function addItem(vehicleId, x, v = {}) {
      const body = { plan_id: plan.value.id, vehicle_id: vehicleId };
      if (x) { body.class = x.class; body.energy = x.energy; }
      if (v.price !== undefined && v.price !== null && v.price !== '' && Number.isFinite(Number(v.price))) body.planned_price_fen = yuanToFen(v.price);
      return api('POST', '/' + ITEMS, { body: { ...body, ...filled(v, 'note', 'over_standard_reason') } });
    }

    async function added() {
      dialog.value = null;
      ElMessage({ type: 'success', message: t('fl.added') });
      await loadPlan();
    }

    async function addOther() {
      other.error = '';
      if (!other.vehicle_id) { other.error = t('fl.pickVehicle'); return; }
      other.busy = true;
      try {
        await addItem(other.vehicle_id, null);
        other.vehicle_id = null;
        await added();
      } catch (e) {
        const fe = (e.errors || []).find((x) => x.field === 'vehicle_id');
        other.error = fe ? fieldText(fe, collection(ITEMS)) : flError(e, ITEMS);
      } finally {
        other.busy = false;
      }
    }
    async function loadAllVehicles(open) {
      if (!open || all.value) return;
      try { all.value = await fetchAll(VEH, { 'status[ne]': 'scrapped', sort: 'plate' }); } catch { all.value = []; }
    }

    function planBlock() {
      if (!can(PLANS, 'read')) return null;
      if (plan.value === undefined) return h(ElSkeleton, { rows: 3, animated: true });
      if (!plan.value) {
        return h(ElCard, { shadow: 'never', class: 'mb', 'data-test': 'fl-no-plan' }, () => [
          h('p', t('fl.noPlan', { year: year.value })),
          can(PLANS, 'create') ? h(ElButton, { type: 'primary', icon: Plus, loading: creating.value, 'data-test': 'fl-create-plan', onClick: createPlan }, () => t('fl.createPlan', { year: year.value })) : null,
        ]);
      }
      const p = plan.value;
      const sum = items.value.reduce((s, x) => s + (x.planned_price_fen || 0), 0);
      const I = (n) => label(field(ITEMS, n)) || n;
      return h(ElCard, { shadow: 'never', class: 'mb', 'data-test': 'fl-plan', 'data-id': p.id }, {
        header: () => h('div', { class: 'fl-plan-head' }, [
          h('h2', { class: 'card-title' }, h('a', { href: href(`/c/${PLANS}/${p.id}`) }, p.name)),
          h('span', { class: 'muted' }, [
            t('fl.planCount', { n: items.value.length }), ' · ', t('fl.planSum', { v: formatMoney(sum) }),
            p.budget_fen != null ? [' · ', h('span', { class: sum > p.budget_fen ? 'fl-over' : '' }, t('fl.planBudget', { v: formatMoney(p.budget_fen) }))] : null,
          ]),
        ]),
        default: () => [
          p.note ? h('p', { class: 'hint' }, p.note) : null,
          items.value.length ? h('div', { class: 'table-scroll' }, h(ElTable, { data: items.value, size: 'small', rowKey: 'id', 'data-test': 'fl-plan-items' }, () => [
            h(ElTableColumn, { label: I('vehicle_id'), minWidth: 120 }, { default: ({ row }) => h('a', { href: href(`/c/${VEH}/${row.vehicle_id}`), 'data-test': 'fl-plan-item', 'data-vehicle': row.vehicle_id }, titleOf(VEH, row.vehicle_id)) }),
            h(ElTableColumn, { label: I('class'), minWidth: 130 }, { default: ({ row }) => (row.class ? enumText(ITEMS, 'class', row.class) : '—') }),
            h(ElTableColumn, { label: I('energy'), minWidth: 100 }, { default: ({ row }) => (row.energy ? enumText(ITEMS, 'energy', row.energy) : '—') }),
            h(ElTableColumn, { label: I('planned_price_fen'), minWidth: 110, align: 'right' }, { default: ({ row }) => formatMoney(row.planned_price_fen, '—') }),
            h(ElTableColumn, { label: I('replacement_id'), minWidth: 110 }, { default: ({ row }) => (row.replacement_id ? h('a', { href: href(`/c/${VEH}/${row.replacement_id}`) }, titleOf(VEH, row.replacement_id)) : '—') }),
            h(ElTableColumn, { label: I('note'), prop: 'note', minWidth: 140 }),
            h(ElTableColumn, { label: I('over_standard_reason'), minWidth: 160 }, { default: ({ row }) => (row.over_standard_reason ? h('span', { class: 'fl-over', 'data-test': 'fl-item-over' }, row.over_standard_reason) : '—') }),
            h(ElTableColumn, { label: '', width: 80 }, { default: ({ row }) => h('a', { href: href(`/c/${ITEMS}/${row.id}`) }, t('fl.details')) }),
          ])) : h('p', { class: 'muted' }, t('fl.planEmpty')),
          mayPlan.value ? h('div', { class: 'fl-add-other' }, h(ElFormItem, { label: t('fl.addOther'), for: 'fl-add-vehicle', error: other.error, 'data-test': 'fl-add-other' }, {
            default: () => h('div', { class: 'fl-add-row' }, [
              h(ElSelect, {
                id: 'fl-add-vehicle', modelValue: other.vehicle_id, filterable: true, clearable: true, placeholder: t('fl.pickVehicle'), ariaLabel: t('fl.addOther'),
                class: 'fl-add-select', 'onUpdate:modelValue': (x) => { other.vehicle_id = x || null; other.error = ''; }, onVisibleChange: loadAllVehicles,
              }, () => (all.value || []).filter((x) => !inPlan.value.has(x.id)).map((x) => h(ElOption, { key: x.id, value: x.id, label: `${x.plate} · ${x.brand} ${x.model || ''}`, 'data-test': 'fl-add-option', 'data-id': x.id }))),
              h(ElButton, { type: 'primary', loading: other.busy, onClick: addOther, 'data-test': 'fl-add-other-submit' }, () => t('fl.addToPlan')),
            ]),
            error: ({ error }) => h('div', { class: 'el-form-item__error', role: 'alert', 'data-test': 'error-vehicle_id' }, error),
          })) : null,
        ],
      });
    }

    function eligibleTable(r) {
      if (!r.items.length) return h(ElEmpty, { description: t('fl.noneEligible', { year: r.year }), imageSize: 60 });
      const V = (n) => label(field(VEH, n)) || n;
      return h('div', { class: 'table-scroll' }, h(ElTable, { data: r.items, size: 'small', rowKey: 'vehicle_id', 'data-test': 'fl-eligible' }, () => [
        h(ElTableColumn, { label: V('plate'), minWidth: 120, fixed: 'left' }, { default: ({ row }) => h('a', { href: href(`/c/${VEH}/${row.vehicle_id}`), class: 'row-link', 'data-test': 'fl-eligible-row', 'data-vehicle': row.vehicle_id }, row.plate) }),
        h(ElTableColumn, { label: t('fl.make'), minWidth: 140 }, { default: ({ row }) => [row.brand, row.model].filter(Boolean).join(' ') }),
        h(ElTableColumn, { label: V('class'), minWidth: 120 }, { default: ({ row }) => enumText(VEH, 'class', row.class) }),
        h(ElTableColumn, { label: V('energy'), minWidth: 90 }, { default: ({ row }) => enumText(VEH, 'energy', row.energy) }),
        h(ElTableColumn, { label: V('registered_on'), prop: 'registered_on', minWidth: 110 }),
        h(ElTableColumn, { label: t('fl.age'), minWidth: 70, align: 'right' }, { default: ({ row }) => t('fl.yearsN', { n: row.years_in_use }) }),
        h(ElTableColumn, { label: V('odometer_km'), minWidth: 110, align: 'right' }, { default: ({ row }) => `${Number(row.odometer_km).toLocaleString()} km` }),
        h(ElTableColumn, { label: V('price_fen'), minWidth: 110, align: 'right' }, { default: ({ row }) => formatMoney(row.price_fen, '—') }),
        h(ElTableColumn, { label: t('fl.rule'), minWidth: 200 }, { default: ({ row }) => ruleText(row.rule) }),
        h(ElTableColumn, { label: t('fl.limitFuel'), minWidth: 200 }, { default: ({ row }) => limitText(row.limits && row.limits.fuel) }),
        h(ElTableColumn, { label: t('fl.limitNewEnergy'), minWidth: 160 }, { default: ({ row }) => limitText(row.limits && row.limits.new_energy) }),
        h(ElTableColumn, { label: V('status'), minWidth: 90 }, { default: ({ row }) => enumText(VEH, 'status', row.status) }),
        mayPlan.value ? h(ElTableColumn, { label: t('fl.plan'), minWidth: 110, fixed: 'right' }, {
          default: ({ row }) => (inPlan.value.has(row.vehicle_id)
            ? h(ElTag, { type: 'success', size: 'small', disableTransitions: true, 'data-test': 'fl-in-plan' }, () => t('fl.inPlan'))
            : h(ElButton, { size: 'small', type: 'primary', plain: true, 'data-test': 'fl-add', 'data-vehicle': row.vehicle_id, onClick: () => askAdd(row) }, () => t('fl.addToPlan'))),
        }) : null,
      ].filter(Boolean)));
    }

    // the vehicles in service allowed over their class standard, with the reason
    function overStandard(r) {
      const list = (r.over_standard && r.over_standard.vehicles) || [];
      if (!list.length) return null;
      const V = (n) => label(field(VEH, n)) || n;
      return [
        h('h2', { class: 'section-title' }, t('fl.overStandardTitle', { n: list.length })),
        h('div', { class: 'table-scroll mb' }, h(ElTable, { data: list, size: 'small', rowKey: 'vehicle_id', 'data-test': 'fl-over-standard' }, () => [
          h(ElTableColumn, { label: V('plate'), minWidth: 120 }, { default: ({ row }) => h('a', { href: href(`/c/${VEH}/${row.vehicle_id}`), 'data-test': 'fl-over-vehicle', 'data-vehicle': row.vehicle_id }, row.plate) }),
          h(ElTableColumn, { label: V('class'), minWidth: 130 }, { default: ({ row }) => enumText(VEH, 'class', row.class) }),
          h(ElTableColumn, { label: V('energy'), minWidth: 110 }, { default: ({ row }) => enumText(VEH, 'energy', row.energy) }),
          h(ElTableColumn, { label: V('price_fen'), minWidth: 110, align: 'right' }, { default: ({ row }) => formatMoney(row.price_fen, '—') }),
          h(ElTableColumn, { label: V('displacement_l'), minWidth: 90, align: 'right' }, { default: ({ row }) => (row.displacement_l != null ? String(row.displacement_l) : '—') }),
          h(ElTableColumn, { label: V('over_standard_reason'), prop: 'over_standard_reason', minWidth: 220 }),
        ])),
      ];
    }

    const years = computed(() => Array.from({ length: 9 }, (_, i) => thisYear - 3 + i));

    return () => {
      const r = report.value;
      return h('section', { class: 'page fl-page fl-renewal', 'data-test': 'fl-renewal' }, [
        pageHead(t('fl.renewal'), h('div', { class: 'fl-year' }, [
            h('label', { class: 'filter-label', for: 'fl-year' }, t('fl.year')),
            h(ElSelect, { id: 'fl-year', modelValue: year.value, ariaLabel: t('fl.year'), 'data-test': 'fl-year', class: 'fl-year-select', 'onUpdate:modelValue': setYear },
              () => years.value.map((y) => h(ElOption, { key: y, value: y, label: String(y) }))),
        ])),
        h('p', { class: 'hint' }, t('fl.renewalHint')),
        error.value ? h(ElAlert, { type: 'error', showIcon: true, closable: false, title: flError(error.value, PLANS), class: 'mb', 'data-test': 'fl-renewal-error' }) : null,
        r ? h('dl', { class: 'kpi-grid mb', 'data-test': 'fl-renewal-figures' }, [
          h('div', { class: 'kpi', 'data-test': 'fl-kpi-in-service' }, [h('dt', t('fl.inService')), h('dd', String(r.vehicles_in_service))]),
          h('div', { class: 'kpi', 'data-test': 'fl-kpi-eligible' }, [h('dt', t('fl.eligible', { year: r.year })), h('dd', String(r.eligible))]),
          ...r.rules.map((x) => h('div', { class: 'kpi fl-rule' }, [h('dt', enumText('vehicle_renewal_rules', 'energy_group', x.energy_group)), h('dd', ruleText(x))])),
        ]) : null,
        planBlock(),
        r ? overStandard(r) : null,
        h('h2', { class: 'section-title' }, r ? t('fl.eligibleTitle', { year: r.year, date: r.as_of }) : t('fl.eligibleTitle', { year: year.value, date: '' })),
        r ? eligibleTable(r) : error.value ? null : h(ElSkeleton, { rows: 6, animated: true }),
        dialog.value ? h(AskDialog, {
          ...dialog.value, ent: collection(ITEMS), errorText: (e) => flError(e, ITEMS),
          onClose: () => { dialog.value = null; },
          onDone: added,
        }) : null,
      ]);
    };
  },
});
