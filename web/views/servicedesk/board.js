// The dispatcher board (#/servicedesk/board): one column per open status,
// each its own keyset-paged query sorted by resolve_due_at with the filters
// (type, team, building, urgency, late) applied by the API; assign or
// reassign from a card. On a phone, one column at a time behind tabs.
import { defineComponent, h, ref, reactive, onMounted, watch } from 'vue';
import { ElButton, ElSelect, ElOption, ElAlert, ElEmpty, ElSkeleton, ElTabs, ElTabPane } from 'element-plus';
import { Refresh, Filter } from '@element-plus/icons-vue';
import { t, label } from '../../lib/i18n.js';
import { api, problemText } from '../../lib/api.js';
import { route, replace, href } from '../../lib/router.js';
import { state, field, can, collection, noteOffset } from '../../lib/session.js';
import { enumText } from '../../lib/fields.js';
import { formatDatetime } from '../../lib/time.js';
import { phone } from '../../components/layout.js';
import {
  REQ, urgencyTag, placeText, dueNode, isLate, loadTypes, types, typeName, typeOf, loadTeams, teams,
  teamName, AssignDialog, categoryIcon,
} from './common.js';
import { pageHead } from '../../components/page-head.js';

export const BOARD_STATUSES = ['submitted', 'assigned', 'in_progress', 'waiting', 'resolved'];
const PAGE = 20;
const FILTER_KEYS = ['type_id', 'team_id', 'building', 'urgency', 'late'];

// The board's filters as API parameters.
function apiFilters(f) {
  const q = {};
  if (f.type_id) q.type_id = f.type_id;
  if (f.team_id === 'none') q['team_id[null]'] = 'true';
  else if (f.team_id) q.team_id = f.team_id;
  if (f.building) q.building = f.building;
  if (f.urgency) q.urgency = f.urgency;
  if (f.late === 'respond') q.respond_breached = 'true';
  if (f.late === 'resolve') q.resolve_breached = 'true';
  return q;
}

export const BoardView = defineComponent({
  name: 'BoardView',
  setup() {
    const filters = reactive(Object.fromEntries(FILTER_KEYS.map((k) => [k, route.query[k] ? (k.endsWith('_id') && route.query[k] !== 'none' ? Number(route.query[k]) : route.query[k]) : null])));
    const cols = reactive(Object.fromEntries(BOARD_STATUSES.map((s) => [s, { items: null, next: null, loading: false, error: null, seq: 0 }])));
    const tab = ref(route.query.tab && BOARD_STATUSES.includes(route.query.tab) ? route.query.tab : 'submitted');
    const assigning = ref(null);
    const buildings = ref([]);
    const showFilters = ref(false);   // phone: the filters fold behind a button
    state.crumb = null;

    async function loadCol(s, more = false) {
      const col = cols[s];
      const mine = ++col.seq;
      col.loading = true;
      col.error = null;
      try {
        const r = await api('GET', '/' + REQ, {
          query: { status: s, ...apiFilters(filters), sort: s === 'resolved' ? '-resolved_at' : 'resolve_due_at', limit: PAGE, after: more ? col.next : null },
        });
        if (mine !== col.seq) return;
        if (r.items[0]) noteOffset(r.items[0].created_at);
        col.items = more ? [...(col.items || []), ...r.items] : r.items;
        col.next = r.next;
      } catch (e) {
        if (mine === col.seq) { col.error = e; if (!more) col.items = []; }
      } finally {
        if (mine === col.seq) col.loading = false;
      }
    }
    function loadAll() { for (const s of BOARD_STATUSES) loadCol(s); }

    function setFilter(k, val) {
      filters[k] = val === '' || val === undefined ? null : val;
      const q = { ...route.query };
      for (const key of FILTER_KEYS) q[key] = filters[key] ?? null;
      replace('/servicedesk/board', q);
    }
    watch(() => ({ ...filters }), loadAll, { deep: true });

    // Building names for the filter: the report's groups (cheap: one grouped query).
    async function loadBuildings() {
      if (buildings.value.length) return;
      try {
        const r = await api('GET', '/servicedesk/stats', { query: { by: 'building' } });
        buildings.value = r.groups.map((g) => g.key).filter(Boolean).sort();
      } catch { /* typed freely */ }
    }

    onMounted(() => {
      loadTypes().catch(() => {});
      loadTeams().catch(() => {});
      loadAll();
    });

    function card(r) {
      const ty = typeOf(r.type_id);
      const late = isLate(r, 'respond') || isLate(r, 'resolve');
      return h('article', { key: r.id, class: ['sd-card', late ? 'is-late' : ''], 'data-test': 'board-card', 'data-id': r.id }, [
        h('header', { class: 'sd-card-head' }, [
          ty ? categoryIcon(ty.category, 20) : null,
          h('a', { class: 'sd-card-title', href: href(`/c/${REQ}/${r.id}`), 'data-test': 'board-link' }, r.title),
          urgencyTag(r.urgency),
        ]),
        h('div', { class: 'sd-card-meta' }, [
          h('span', typeName(r.type_id)),
          placeText(r) ? h('span', { class: 'sd-place' }, placeText(r)) : null,
          r.team_id ? h('span', teamName(r.team_id)) : null,
        ]),
        h('dl', { class: 'sd-card-facts' }, [
          !r.responded_at && r.status !== 'resolved' ? h('div', [h('dt', t('sd.respondDue')), h('dd', dueNode(r, 'respond'))]) : null,
          h('div', [h('dt', r.status === 'resolved' ? t('sd.resolvedOn') : t('sd.resolveDue')), h('dd', r.status === 'resolved' ? formatDatetime(r.resolved_at) : dueNode(r, 'resolve', 'board-due'))]),
        ]),
        r.status !== 'resolved' && can(REQ, 'assign') ? h('div', { class: 'wo-actions' }, h(ElButton, {
          type: r.team_id ? 'default' : 'primary', size: 'default', 'data-test': 'board-assign',
          onClick: () => { assigning.value = r; },
        }, () => (r.team_id ? t('sd.reassign') : t('sd.assign')))) : null,
      ]);
    }

    function column(s) {
      const col = cols[s];
      const body = col.items === null ? h(ElSkeleton, { rows: 3, animated: true })
        : !col.items.length && !col.error ? h(ElEmpty, { description: t('sd.columnEmpty'), imageSize: 48 })
          : col.items.map(card);
      return h('section', { class: 'board-col', 'data-test': 'board-col-' + s, 'aria-labelledby': 'board-h-' + s, 'aria-busy': col.loading ? 'true' : 'false' }, [
        h('h2', { class: 'board-col-title', id: 'board-h-' + s }, [
          enumText(REQ, 'status', s),
          h('span', { class: 'board-count', 'data-test': 'board-count-' + s }, col.items ? (col.next ? `${col.items.length}+` : String(col.items.length)) : ''),
        ]),
        col.error ? h(ElAlert, { type: 'error', closable: false, title: problemText(col.error, collection(REQ)), class: 'mb' }) : null,
        h('div', { class: 'board-cards' }, body),
        col.next ? h(ElButton, { class: 'load-more', loading: col.loading, 'data-test': 'load-more-' + s, onClick: () => loadCol(s, true) }, () => t('sd.loadMore')) : null,
      ]);
    }

    function filterBar() {
      const sel = (k, text, options, extra = {}) => h('div', { class: 'filter-item' }, [
        h('label', { class: 'filter-label', for: 'board-' + k }, text),
        h(ElSelect, {
          id: 'board-' + k, ariaLabel: text, modelValue: filters[k], clearable: true, placeholder: t('filter.all'),
          'data-test': 'board-filter-' + k, class: 'w-full',
          'onUpdate:modelValue': (val) => setFilter(k, val), ...extra,
        }, () => options.map((o) => h(ElOption, { key: String(o.value), value: o.value, label: o.label }))),
      ]);
      const urg = field(REQ, 'urgency');
      return h('div', { class: 'filter-bar', 'data-test': 'filters' }, [
        sel('type_id', label(field(REQ, 'type_id')), types.value.map((x) => ({ value: x.id, label: typeName(x.id) })), { filterable: true }),
        sel('team_id', t('sd.team'), [{ value: 'none', label: t('sd.unassigned') }, ...teams.value.map((x) => ({ value: x.id, label: x.name }))], { filterable: true }),
        sel('building', label(field(REQ, 'building')), (filters.building && !buildings.value.includes(filters.building) ? [filters.building, ...buildings.value] : buildings.value).map((b) => ({ value: b, label: b })), {
          filterable: true, allowCreate: true, onVisibleChange: (open) => { if (open) loadBuildings(); },
        }),
        sel('urgency', label(urg), (urg ? urg.values : []).map((u) => ({ value: u.value, label: label(u) }))),
        sel('late', t('sd.lateFilter'), [
          { value: 'respond', label: label(field(REQ, 'respond_breached')) },
          { value: 'resolve', label: label(field(REQ, 'resolve_breached')) },
        ]),
      ]);
    }

    return () => h('section', { class: 'page sd-page sd-board', 'data-test': 'sd-board' }, [
      pageHead(t('sd.board'), [
        phone.value ? h(ElButton, {
          icon: Filter, 'data-test': 'filter-toggle', 'aria-expanded': showFilters.value ? 'true' : 'false',
          onClick: () => { showFilters.value = !showFilters.value; },
        }, () => {
          const n = FILTER_KEYS.filter((k) => filters[k] != null).length;
          return showFilters.value ? t('filter.less') : n ? `${t('filter.label')} (${n})` : t('filter.label');
        }) : null,
        h(ElButton, { icon: Refresh, 'aria-label': t('common.refresh'), 'data-test': 'refresh', onClick: loadAll }),
      ]),
      !phone.value || showFilters.value ? filterBar() : null,
      phone.value
        ? h(ElTabs, {
          modelValue: tab.value, class: 'board-tabs', 'data-test': 'board-tabs',
          'onUpdate:modelValue': (v) => { tab.value = v; replace('/servicedesk/board', { ...route.query, tab: v }); },
        }, () => BOARD_STATUSES.map((s) => h(ElTabPane, { key: s, name: s, label: `${enumText(REQ, 'status', s)}${cols[s].items ? ' ' + (cols[s].next ? cols[s].items.length + '+' : cols[s].items.length) : ''}`, lazy: true }, () => column(s))))
        : h('div', { class: 'board-cols' }, BOARD_STATUSES.map(column)),
      assigning.value ? h(AssignDialog, {
        request: assigning.value,
        onClose: () => { assigning.value = null; },
        onDone: () => {
          const from = assigning.value.status;
          assigning.value = null;
          loadCol(from);
          if (from !== 'assigned') loadCol('assigned');
        },
      }) : null,
    ]);
  },
});
