// The floor view (#/space/floor?building_id=&floor_id=): the rooms of one
// floor from GET /api/v1/space/floors/{id}/view as tiles sized by their area,
// coloured by state or by the area standard, over-standard rooms marked with
// their excess; a tile opens a drawer with the occupants against their
// limits and the room's assignment history.
import { defineComponent, h, ref, computed, watch, onMounted } from 'vue';
import {
  ElSelect, ElOption, ElRadioGroup, ElRadioButton, ElAlert, ElSkeleton, ElEmpty, ElDrawer,
} from 'element-plus';
import { t } from '../../lib/i18n.js';
import { api, problemText, fetchAll } from '../../lib/api.js';
import { route, replace, href } from '../../lib/router.js';
import { state, can, collection, titleOf, knowTitle, resolveTitles } from '../../lib/session.js';
import { enumText } from '../../lib/fields.js';
import { phone } from '../../components/layout.js';
import { STATES, area, excess, stateTag, overTag, loadBuildings, buildings, loadFloors } from './common.js';
import { pageHead } from '../../components/page-head.js';

const MODE_KEY = 'bureau.sp.mode';

// The colour of a tile: its state, or (by standard) over / within / not assessed.
export function tileColour(room, mode) {
  if (mode === 'over') {
    if (room.over_standard) return 'over';
    return room.occupants && room.occupants.length ? 'ok' : 'na';
  }
  return room.state;
}

// Tiles grow with the room's area, within limits that keep a row readable.
function tileBasis(m2) {
  const a = Math.max(0, Number(m2) || 0);
  return Math.round(Math.min(260, Math.max(112, 64 + a * 3.2)));
}

function storedMode() {
  try { return localStorage.getItem(MODE_KEY) === 'over' ? 'over' : 'state'; } catch { return 'state'; }
}

// The history of one room's assignments, newest first.
export async function roomHistory(roomId) {
  if (!can('room_assignments', 'read')) return null;
  const all = await fetchAll('room_assignments', { room_id: roomId, sort: '-start_date' }, 1000);
  all.sort((a, b) => (b.start_date || '').localeCompare(a.start_date || '') || b.id - a.id);
  await Promise.all([resolveTitles('people', all.map((x) => x.person_id)), resolveTitles('departments', all.map((x) => x.department_id))]);
  return all;
}

export function historyTable(items, test = 'sp-history') {
  if (!items) return null;
  if (!items.length) return h(ElEmpty, { description: t('sp.noHistory'), imageSize: 48 });
  return h('div', { class: 'table-scroll' }, h('table', { class: 'report-table sp-table', 'data-test': test }, [
    h('thead', h('tr', [t('sp.holder'), t('sp.department'), t('sp.from'), t('sp.until'), t('sp.overrideReason')].map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', items.map((a) => h('tr', { key: a.id, 'data-test': 'sp-history-row', 'data-id': a.id, class: a.end_date ? 'is-ended' : 'is-open' }, [
      h('th', { scope: 'row' }, a.person_id ? titleOf('people', a.person_id) : t('sp.asDepartment')),
      h('td', a.department_id ? titleOf('departments', a.department_id) : '—'),
      h('td', a.start_date),
      h('td', a.end_date || h('span', { class: 'sp-current' }, t('sp.current'))),
      h('td', { class: 'wrap' }, a.override_reason || ''),
    ]))),
  ]));
}

export function occupantsTable(room, test = 'sp-occupants') {
  const occ = room.occupants || [];
  if (!occ.length) return h('p', { class: 'muted', 'data-test': test + '-none' }, room.use_type === 'office' ? t('sp.noOccupants') : t('sp.notAssessed'));
  return h('div', { class: 'table-scroll' }, h('table', { class: 'report-table sp-table', 'data-test': test }, [
    h('thead', h('tr', [t('sp.name'), t('sp.rank'), t('sp.areaEach'), t('sp.limit'), t('sp.overStandard'), t('sp.overrideReason')].map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', occ.map((o) => h('tr', { key: o.assignment_id, 'data-test': 'sp-occupant', 'data-person': o.person_id, 'data-over': o.over_standard ? 'true' : 'false', class: o.over_standard ? 'is-over' : '' }, [
      h('th', { scope: 'row', 'data-test': 'sp-occ-name' }, o.name || '—'),
      h('td', { 'data-test': 'sp-occ-rank' }, [o.rank || '—', o.kind === 'second_office' ? ` · ${t('sp.secondOffice')}` : o.kind === 'suite' ? ` · ${t('sp.suiteRoom')}` : '']),
      h('td', { class: 'num', 'data-test': 'sp-occ-area' }, Number(o.suite_m2) > 0
        ? `${area(o.area_m2)} + ${area(o.suite_m2)} ${t('sp.suite')}` : area(o.area_m2)),
      h('td', { class: 'num', 'data-test': 'sp-occ-limit' }, o.other_tier ? t('sp.otherTier') : area(o.limit_m2)),
      h('td', { 'data-test': 'sp-occ-over' }, o.over_standard
        ? h('span', { class: 'sp-over-text' }, [t('common.yes'), ' ', excess(Number(o.area_m2) + Number(o.suite_m2 || 0) - Number(o.limit_m2))])
        : t('common.no')),
      h('td', { class: 'wrap', 'data-test': 'sp-occ-override' }, o.override_reason || ''),
    ]))),
  ]));
}

export const FloorView = defineComponent({
  name: 'SpaceFloorView',
  setup() {
    const floors = ref([]);
    const view = ref(null);
    const error = ref(null);
    const loading = ref(false);
    const mode = ref(storedMode());
    const open = ref(null);        // the room in the drawer
    const history = ref(null);
    let seq = 0;
    state.crumb = null;

    const buildingId = computed(() => (route.query.building_id ? Number(route.query.building_id) : null));
    const floorId = computed(() => (route.query.floor_id ? Number(route.query.floor_id) : null));

    function address(b, f) {
      replace('/space/floor', { building_id: b, floor_id: f });
    }

    // Pick a building and floor when the address lacks them, then the floor's rooms.
    async function sync() {
      const mine = ++seq;
      error.value = null;
      try {
        const all = await loadBuildings();
        if (!all.length) { view.value = { rooms: [] }; return; }
        let b = buildingId.value;
        if (!b || !all.some((x) => x.id === b)) b = null;
        let f = floorId.value;
        if (!b && f) {
          // a floor alone: its building
          const fl = await api('GET', `/floors/${f}`).catch(() => null);
          if (fl && all.some((x) => x.id === fl.building_id)) b = fl.building_id;
        }
        if (!b) b = all[0].id;
        const fs = await loadFloors(b);
        if (mine !== seq) return;
        floors.value = fs;
        if (!f || !fs.some((x) => x.id === f)) f = fs.length ? fs[0].id : null;
        if (b !== buildingId.value || f !== floorId.value) { address(b, f); return; }
        if (!f) { view.value = { rooms: [] }; return; }
        loading.value = true;
        const r = await api('GET', `/space/floors/${f}/view`);
        if (mine !== seq) return;
        for (const x of r.rooms) {
          knowTitle('rooms', x.id, x.number);
          knowTitle('departments', x.department_id, x.department);
        }
        view.value = r;
      } catch (e) {
        if (mine === seq) error.value = e;
      } finally {
        if (mine === seq) loading.value = false;
      }
    }
    onMounted(sync);
    watch(() => [route.query.building_id, route.query.floor_id], () => { if (route.path === '/space/floor') sync(); });

    function chooseBuilding(b) { close(); address(b, null); }
    function chooseFloor(f) { close(); address(buildingId.value, f); }
    function setMode(m) {
      mode.value = m;
      try { localStorage.setItem(MODE_KEY, m); } catch { /* private mode */ }
    }

    async function openRoom(room) {
      open.value = room;
      history.value = null;
      try { history.value = await roomHistory(room.id); } catch { history.value = []; }
    }
    function close() { open.value = null; }

    const rooms = computed(() => (view.value ? view.value.rooms : []));
    const stats = computed(() => {
      const s = { total: rooms.value.length, area: 0, over: 0, excess: 0 };
      for (const st of STATES) s[st] = 0;
      for (const r of rooms.value) {
        s[r.state] = (s[r.state] || 0) + 1;
        s.area += Number(r.area_m2) || 0;
        if (r.over_standard) { s.over += 1; s.excess += Number(r.excess_m2) || 0; }
      }
      return s;
    });

    function pickers() {
      return h('div', { class: 'filter-bar sp-pickers' }, [
        h('div', { class: 'filter-item' }, [
          h('label', { class: 'filter-label', for: 'sp-building' }, t('sp.building')),
          h(ElSelect, {
            id: 'sp-building', modelValue: buildingId.value, filterable: true, class: 'w-full', 'data-test': 'sp-building',
            ariaLabel: t('sp.building'), 'onUpdate:modelValue': chooseBuilding,
          }, () => buildings.value.map((x) => h(ElOption, { key: x.id, value: x.id, label: x.name }))),
        ]),
        h('div', { class: 'filter-item' }, [
          h('label', { class: 'filter-label', for: 'sp-floor' }, t('sp.floor')),
          h(ElSelect, {
            id: 'sp-floor', modelValue: floorId.value, class: 'w-full', 'data-test': 'sp-floor-pick',
            ariaLabel: t('sp.floor'), 'onUpdate:modelValue': chooseFloor,
          }, () => floors.value.map((x) => h(ElOption, { key: x.id, value: x.id, label: x.name }))),
        ]),
        h('div', { class: 'filter-item sp-mode-item' }, [
          h('span', { class: 'filter-label', id: 'sp-mode-label' }, t('sp.colourBy')),
          h(ElRadioGroup, { modelValue: mode.value, 'aria-labelledby': 'sp-mode-label', 'onUpdate:modelValue': setMode, 'data-test': 'sp-mode' }, () => [
            h(ElRadioButton, { value: 'state', 'data-test': 'sp-mode-state' }, () => t('sp.byState')),
            h(ElRadioButton, { value: 'over', 'data-test': 'sp-mode-over' }, () => t('sp.byStandard')),
          ]),
        ]),
      ]);
    }

    function legend() {
      const items = mode.value === 'over'
        ? [['over', t('sp.legendOver')], ['ok', t('sp.legendOk')], ['na', t('sp.legendNa')]]
        : STATES.map((s) => [s, enumText('rooms', 'state', s)]);
      return h('ul', { class: 'sp-legend', 'data-test': 'sp-legend', 'aria-label': t('sp.legend') }, [
        ...items.map(([k, text]) => h('li', { key: k, 'data-key': k }, [h('span', { class: ['sp-swatch', 'c-' + k], 'aria-hidden': 'true' }), text])),
        mode.value === 'state' ? h('li', { key: 'over' }, [h('span', { class: 'sp-swatch is-over-mark', 'aria-hidden': 'true' }), t('sp.legendOverMark')]) : null,
      ]);
    }

    function summary() {
      const s = stats.value;
      return h('p', { class: 'sp-summary', 'data-test': 'sp-summary' }, [
        t('sp.floorSummary', { n: s.total, area: s.area.toFixed(2) }),
        ' · ', STATES.filter((x) => s[x]).map((x) => `${enumText('rooms', 'state', x)} ${s[x]}`).join(t('sp.listSep')),
        s.over ? h('span', { class: 'sp-over-text', 'data-test': 'sp-summary-over' }, ` · ${t('sp.overRooms', { n: s.over })} ${excess(s.excess)}`) : null,
      ]);
    }

    function tile(r) {
      const colour = tileColour(r, mode.value);
      const occ = r.occupants || [];
      const use = enumText('rooms', 'use_type', r.use_type);
      return h('button', {
        key: r.id, type: 'button',
        class: ['sp-tile', 'c-' + colour, r.over_standard ? 'is-over' : '', open.value && open.value.id === r.id ? 'is-open' : ''],
        style: { flexBasis: tileBasis(r.area_m2) + 'px' },
        'data-test': 'sp-tile', 'data-room-id': r.id, 'data-state': r.state, 'data-colour': colour,
        'data-over': r.over_standard ? 'true' : 'false', 'data-excess': Number(r.excess_m2 || 0).toFixed(2),
        'aria-haspopup': 'dialog', onClick: () => openRoom(r),
      }, [
        h('span', { class: 'sp-tile-head' }, [
          h('strong', { class: 'sp-tile-no' }, r.number),
          h('span', { class: 'sp-tile-area' }, area(r.area_m2)),
        ]),
        h('span', { class: 'sp-tile-use', title: use }, r.name || use),
        r.department ? h('span', { class: 'sp-tile-dept' }, r.department) : null,
        occ.length ? h('span', { class: 'sp-tile-occ' }, t('sp.people', { n: occ.length })) : null,
        h('span', { class: 'sr-only' }, ` · ${enumText('rooms', 'state', r.state)}${r.over_standard ? ' · ' + t('sp.over') : ''}`),
        r.over_standard ? h('span', { class: 'sp-tile-excess', 'data-test': 'sp-tile-excess' }, excess(r.excess_m2)) : null,
      ]);
    }

    function drawer() {
      const r = open.value;
      return h(ElDrawer, {
        modelValue: !!r, size: phone.value ? '100%' : '520px', appendToBody: true, destroyOnClose: true,
        title: r ? t('sp.roomTitle', { no: r.number }) : '', 'onUpdate:modelValue': (v) => { if (!v) close(); },
      }, () => (r ? h('div', { class: 'sp-drawer', 'data-test': 'sp-drawer', 'data-room-id': r.id }, [
        h('dl', { class: 'sp-facts' }, [
          h('dt', t('sp.use')), h('dd', enumText('rooms', 'use_type', r.use_type) + (r.name ? ` · ${r.name}` : '')),
          h('dt', t('sp.area')), h('dd', { 'data-test': 'sp-drawer-area' }, area(r.area_m2)),
          h('dt', t('sp.state')), h('dd', stateTag(r.state)),
          h('dt', t('sp.owner')), h('dd', { 'data-test': 'sp-drawer-owner' }, r.department || '—'),
          r.assigned_department_id ? [h('dt', t('sp.heldBy')), h('dd', titleOf('departments', r.assigned_department_id))] : null,
          r.seats != null ? [h('dt', t('sp.seats')), h('dd', String(r.seats))] : null,
          h('dt', t('sp.standard')), h('dd', { 'data-test': 'sp-drawer-over' }, r.over_standard ? overTag(r.excess_m2) : (r.occupants || []).length ? t('sp.withinStandard') : t('sp.notAssessed')),
        ]),
        h('h3', { class: 'sp-sub' }, t('sp.occupants')),
        occupantsTable(r),
        can('room_assignments', 'read') ? [
          h('h3', { class: 'sp-sub' }, t('sp.history')),
          history.value ? historyTable(history.value) : h(ElSkeleton, { rows: 2, animated: true }),
        ] : null,
        h('p', { class: 'sp-drawer-link' }, h('a', { href: href('/c/rooms/' + r.id), 'data-test': 'sp-room-link' }, t('sp.openRoom'))),
      ]) : null));
    }

    return () => h('section', { class: 'page sp-page sp-floor', 'data-test': 'sp-floor' }, [
      pageHead(view.value && view.value.floor
        ? t('sp.floorTitle', { building: view.value.floor.building, floor: view.value.floor.name })
        : t('sp.floorView')),
      pickers(),
      error.value ? h(ElAlert, { type: 'error', showIcon: true, closable: false, title: problemText(error.value, collection('rooms')), class: 'mb', 'data-test': 'sp-error' }) : null,
      !view.value ? (error.value ? null : h(ElSkeleton, { rows: 6, animated: true })) : [
        summary(),
        legend(),
        rooms.value.length
          ? h('div', { class: ['sp-tiles', 'mode-' + mode.value], 'data-test': 'sp-tiles', 'data-mode': mode.value, 'data-floor': view.value.floor ? view.value.floor.id : '', 'aria-busy': loading.value ? 'true' : 'false' }, rooms.value.map(tile))
          : h(ElEmpty, { description: t('sp.noRooms'), 'data-test': 'sp-no-rooms' }),
      ],
      drawer(),
    ]);
  },
});
