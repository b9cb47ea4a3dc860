// Office space: pieces shared by its pages (areas, state colours, buildings
// and floors, people by their part in a request, the words of a refused
// action, the pages' stylesheet).
import { h } from 'vue';
import { t } from '../../lib/i18n.js';
import { problemText, fetchAll } from '../../lib/api.js';
import { collection, rememberTitle, sessionList, titleOf } from '../../lib/session.js';
import { userName as nameOfUser } from '../../lib/users.js';
import { statusTag as tag } from '../../components/status-tag.js';

export const REQ = 'space_requests';
export const STATES = ['in_use', 'vacant', 'under_repair', 'lent'];
export const OPEN_REQ = ['submitted', 'reviewed'];

// 12.5 → "12.50 m²"
export function area(v) {
  if (v === null || v === undefined || v === '') return '—';
  return `${Number(v).toFixed(2)} m²`;
}
export function excess(v) { return `+${Number(v || 0).toFixed(2)} m²`; }

const STATE_TAGS = { in_use: 'success', vacant: 'info', under_repair: 'warning', lent: 'primary' };
export function stateTag(s) {
  return tag('rooms', s, STATE_TAGS, { field: 'state', size: 'small', class: undefined, 'data-status': undefined, 'data-state': s });
}

const REQ_TAGS = { submitted: 'warning', reviewed: 'primary', approved: 'success', rejected: 'danger', cancelled: 'info' };
export function statusTag(s) { return tag(REQ, s, REQ_TAGS); }

export function overTag(v) {
  return h('span', { class: 'sp-over-badge', 'data-test': 'sp-over-badge' }, [t('sp.over'), ' ', excess(v)]);
}

// ---- buildings and floors, cached for the session ----

const buildingList = sessionList('buildings', { sort: 'sort_order' });
export const buildings = buildingList.items;
export const loadBuildings = buildingList.load;
export function buildingName(id) {
  if (id == null) return '';
  const b = buildings.value.find((x) => x.id === Number(id));
  return b ? b.name : titleOf('buildings', id);
}

const floorCache = new Map();
export function loadFloors(buildingId) {
  const key = Number(buildingId);
  if (!floorCache.has(key)) {
    const p = fetchAll('floors', { building_id: key, sort: 'level' }, Infinity).then((all) => {
      for (const x of all) rememberTitle('floors', x);
      return all;
    });
    p.catch(() => floorCache.delete(key));
    floorCache.set(key, p);
  }
  return floorCache.get(key);
}

// A user: "me", their name when users are readable, their part in request r, or their number.
export function userName(id, r) {
  return nameOfUser(id, { words: 'sp', record: r, parts: { requester_id: 'requester', reviewed_by: 'reviewer', decided_by: 'decider' } });
}

// The words for a refused action (on a request, or on coll's record).
export function actionError(e, coll = REQ) {
  return problemText(e, collection(coll));
}

// The page's stylesheet, fetched with the first space page.
let cssPromise = null;
export function loadStyles() {
  cssPromise ||= new Promise((resolve) => {
    const l = document.createElement('link');
    l.rel = 'stylesheet';
    l.href = new URL('./space.css', import.meta.url).pathname;
    l.onload = () => resolve();
    l.onerror = () => resolve();
    document.head.appendChild(l);
  });
  return cssPromise;
}
