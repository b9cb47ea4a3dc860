// A room's page (the detail view of rooms): the register fields, the people
// in it against their limits (from the floor view), the assignment history
// with end and over-standard approval for callers who may, and the room's
// maintenance from GET /api/v1/space/rooms/{id}/maintenance with the cost
// per year and in total.
import { defineComponent, h, ref, computed } from 'vue';
import { ElButton, ElAlert, ElSkeleton, ElEmpty } from 'element-plus';
import { Back, Edit, OfficeBuilding } from '@element-plus/icons-vue';
import { t, label } from '../../lib/i18n.js';
import { api, problemText } from '../../lib/api.js';
import { go, href } from '../../lib/router.js';
import { can, field, collection, titleOf, resolveTitles } from '../../lib/session.js';
import { useRecord } from '../../lib/record.js';
import { enumText } from '../../lib/fields.js';
import { formatMoney } from '../../lib/money.js';
import { today } from '../../lib/time.js';
import { AskDialog, postDialog } from '../../components/ask-dialog.js';
import { pageError, pageLoading } from '../../components/page-state.js';
import { factList, factItem } from '../../components/facts.js';
import { area, stateTag, overTag, loadBuildings, buildingName, actionError } from './common.js';
import { roomHistory, occupantsTable } from './floor.js';
import { pageHead } from '../../components/page-head.js';
import { linkButton } from '../../components/link-button.js';

const C = 'rooms';

export const RoomView = defineComponent({
  name: 'SpaceRoomView',
  props: { c: String, id: [String, Number] },
  setup(props) {
    const live = ref(null);        // this room in the floor view: occupants, limits, excess
    const history = ref(null);
    const maint = ref(null);
    const maintError = ref(null);
    const dialog = ref(null);

    async function loadLive(r) {
      try {
        const v = await api('GET', `/space/floors/${r.floor_id}/view`);
        live.value = v.rooms.find((x) => x.id === r.id) || { occupants: [], over_standard: false, excess_m2: 0 };
      } catch {
        live.value = null;
      }
    }
    async function loadHistory() {
      try { history.value = await roomHistory(rec.value.id); } catch { history.value = []; }
    }
    async function loadMaint() {
      maintError.value = null;
      try { maint.value = await api('GET', `/space/rooms/${rec.value.id}/maintenance`); } catch (e) { maintError.value = e; }
    }
    const { rec, error } = useRecord(C, () => props.id, (r) => {
      loadBuildings().catch(() => {});
      resolveTitles('floors', [r.floor_id]);
      resolveTitles('departments', [r.department_id]);
      loadLive(r);
      loadHistory();
      loadMaint();
    });
    function reload() { loadLive(rec.value); loadHistory(); }

    const overOf = computed(() => {
      const m = new Map();
      for (const o of (live.value && live.value.occupants) || []) m.set(o.assignment_id, o);
      return m;
    });

    function askEnd(a) {
      dialog.value = postDialog(`/room_assignments/${a.id}/end`, {
        title: t('sp.endTitle'), test: 'sp-end-dialog', submitText: t('sp.end'), danger: true,
        subject: `${rec.value.number} · ${a.person_id ? titleOf('people', a.person_id) : titleOf('departments', a.department_id)}`,
        fields: [
          { name: 'end_date', label: t('sp.endDate'), type: 'date', value: today(), required: true },
          { name: 'note', label: t('sp.note'), rows: 2, max: 500 },
        ],
      });
    }
    function askOverride(a) {
      const o = overOf.value.get(a.id);
      dialog.value = postDialog(`/room_assignments/${a.id}/override`, {
        title: t('sp.overrideTitle'), test: 'sp-override-dialog', submitText: t('sp.override'),
        subject: o ? `${o.name} · ${area(o.area_m2)} / ${area(o.limit_m2)}` : rec.value.number,
        fields: [{ name: 'reason', label: t('sp.overrideReason'), rows: 3, max: 500, required: true, value: a.override_reason || '' }],
      });
    }

    function toolbar(r) {
      return h('div', { class: 'toolbar' }, [
        h(ElButton, { icon: Back, 'data-test': 'back', onClick: () => go('/c/' + C) }, () => t('detail.backToList')),
        can('floors', 'read') ? linkButton(href('/space/floor', { building_id: r.building_id, floor_id: r.floor_id }), t('sp.onFloor'), { icon: OfficeBuilding, test: 'sp-floor-link' }) : null,
        can(C, 'update') ? h(ElButton, { icon: Edit, 'data-test': 'edit', onClick: () => go(`/c/${C}/${r.id}/edit`) }, () => t('common.edit')) : null,
      ]);
    }

    function facts(r) {
      const item = (name, node) => factItem(label(field(C, name)) || name, node, 'value-' + name);
      return factList([
        item('building_id', buildingName(r.building_id)),
        item('floor_id', titleOf('floors', r.floor_id)),
        item('number', r.number),
        r.name ? item('name', r.name) : null,
        item('area_m2', area(r.area_m2)),
        item('use_type', enumText(C, 'use_type', r.use_type)),
        item('state', stateTag(r.state)),
        item('department_id', r.department_id ? titleOf('departments', r.department_id) : '—'),
        r.seats != null ? item('seats', String(r.seats)) : null,
        r.note ? item('note', r.note) : null,
      ]);
    }

    function standard() {
      const v = live.value;
      if (!v) return h(ElSkeleton, { rows: 2, animated: true });
      return [
        h('p', { class: 'sp-standard-line', 'data-test': 'sp-room-standard', 'data-over': v.over_standard ? 'true' : 'false' },
          v.over_standard ? [t('sp.roomOver'), ' ', overTag(v.excess_m2)] : (v.occupants || []).length ? t('sp.withinStandard') : ''),
        occupantsTable(v),
      ];
    }

    function historyBlock() {
      const items = history.value;
      if (!can('room_assignments', 'read')) return null;
      if (!items) return h(ElSkeleton, { rows: 2, animated: true });
      if (!items.length) return h(ElEmpty, { description: t('sp.noHistory'), imageSize: 48 });
      const mayEnd = can('room_assignments', 'end');
      const mayOverride = can('room_assignments', 'override');
      const showActions = mayEnd || mayOverride;
      return h('div', { class: 'table-scroll' }, h('table', { class: 'report-table sp-table', 'data-test': 'sp-history' }, [
        h('thead', h('tr', [t('sp.holder'), t('sp.department'), t('sp.from'), t('sp.until'), t('sp.overrideReason'), t('sp.recovery'),
          showActions ? t('sp.actions') : null].filter(Boolean).map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', items.map((a) => {
          const openNow = !a.end_date || a.end_date >= today();
          const o = overOf.value.get(a.id);
          return h('tr', { key: a.id, 'data-test': 'sp-history-row', 'data-id': a.id, class: openNow ? 'is-open' : 'is-ended' }, [
            h('th', { scope: 'row' }, a.person_id ? titleOf('people', a.person_id) : t('sp.asDepartment')),
            h('td', a.department_id ? titleOf('departments', a.department_id) : '—'),
            h('td', a.start_date),
            h('td', a.end_date || h('span', { class: 'sp-current' }, t('sp.current'))),
            h('td', { class: 'wrap' }, a.override_reason || ''),
            h('td', a.recovery_due ? `${a.recovery_due} · ${enumText('room_assignments', 'recovery_reason', a.recovery_reason)}` : ''),
            showActions ? h('td', { class: 'actions' }, [
              mayOverride && openNow && o && o.over_standard && !a.override_reason
                ? h(ElButton, { size: 'small', type: 'warning', plain: true, 'data-test': 'sp-override', onClick: () => askOverride(a) }, () => t('sp.override')) : null,
              mayEnd && !a.end_date
                ? h(ElButton, { size: 'small', type: 'danger', plain: true, 'data-test': 'sp-end', onClick: () => askEnd(a) }, () => t('sp.end')) : null,
            ]) : null,
          ]);
        })),
      ]));
    }

    function maintenance() {
      if (maintError.value) return h(ElAlert, { type: 'error', closable: false, showIcon: true, title: problemText(maintError.value, collection(C)) });
      const m = maint.value;
      if (!m) return h(ElSkeleton, { rows: 2, animated: true });
      if (!m.items.length) return h(ElEmpty, { description: t('sp.noRepairs'), imageSize: 48, 'data-test': 'sp-maint-none' });
      return [
        h('div', { class: 'table-scroll mb' }, h('table', { class: 'report-table sp-table', 'data-test': 'sp-maint' }, [
          h('thead', h('tr', [t('sp.requestNo'), t('sp.repair'), t('sp.status'), t('sp.category'), t('sp.procurement'), t('sp.year'), t('sp.cost')].map((x) => h('th', { scope: 'col' }, x)))),
          h('tbody', m.items.map((x) => h('tr', { key: x.request_id, 'data-test': 'sp-maint-row', 'data-id': x.request_id }, [
            h('th', { scope: 'row' }, can('service_requests', 'read') ? h('a', { href: href('/c/service_requests/' + x.request_id) }, '#' + x.request_id) : '#' + x.request_id),
            h('td', { class: 'wrap' }, x.title),
            h('td', enumText('service_requests', 'status', x.status)),
            h('td', x.category ? enumText('room_repairs', 'category', x.category) : '—'),
            h('td', x.procurement_ref || ''),
            h('td', String(x.year)),
            h('td', { class: 'num', 'data-test': 'sp-maint-cost' }, formatMoney(x.cost_fen, '—')),
          ]))),
        ])),
        h('div', { class: 'table-scroll' }, h('table', { class: 'report-table sp-table', 'data-test': 'sp-maint-years' }, [
          h('thead', h('tr', [t('sp.year'), t('sp.repairs'), t('sp.cost')].map((x) => h('th', { scope: 'col' }, x)))),
          h('tbody', m.by_year.map((y) => h('tr', { key: y.year, 'data-test': 'sp-maint-year', 'data-year': y.year }, [
            h('th', { scope: 'row' }, String(y.year)), h('td', { class: 'num' }, String(y.requests)), h('td', { class: 'num', 'data-test': 'sp-year-cost' }, formatMoney(y.cost_fen, '—')),
          ]))),
          h('tfoot', h('tr', [h('th', { scope: 'row' }, t('sp.total')), h('td', { class: 'num' }, String(m.items.length)), h('td', { class: 'num', 'data-test': 'sp-maint-total' }, formatMoney(m.total_cost_fen, '—'))])),
        ])),
      ];
    }

    return () => {
      if (error.value) return pageError(error.value, { back: href('/c/' + C), ent: collection(C) });
      const r = rec.value;
      if (!r) return pageLoading();
      return h('section', { class: 'page sp-page sp-room', 'data-test': 'detail-rooms', 'data-id': r.id }, [
        pageHead(t('sp.roomPageTitle', { building: buildingName(r.building_id), no: r.number }), toolbar(r)),
        facts(r),
        h('h2', { class: 'section-title' }, t('sp.occupantsVsStandard')),
        standard(),
        can('room_assignments', 'read') ? h('h2', { class: 'section-title' }, t('sp.history')) : null,
        historyBlock(),
        h('h2', { class: 'section-title' }, t('sp.maintenance')),
        maintenance(),
        dialog.value ? h(AskDialog, {
          ...dialog.value, ent: collection('room_assignments'), errorText: (e) => actionError(e, 'room_assignments'),
          doneText: t('sp.done'), onClose: () => { dialog.value = null; }, onDone: () => { dialog.value = null; reload(); }, onRefused: () => reload(),
        }) : null,
      ]);
    };
  },
});
