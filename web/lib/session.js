// Who is signed in, what the metadata says they may do, and small caches
// shared by the views (titles of referenced records, the department tree).
import { reactive, ref } from 'vue';
import { api, setCsrf, fetchAll, fetchByIds } from './api.js';
import { setLocale, storedLocale, locale } from './i18n.js';

export const state = reactive({
  user: null,        // GET /api/v1/session
  meta: null,        // GET /api/v1/meta
  offsetMin: 480,    // the tenant's UTC offset, learnt from the records' timestamps
  titles: {},        // 'people:12' → '张三'
  crumb: null,       // the current record's title, for the breadcrumbs
});

const SYSTEM = new Set(['id', 'version', 'created_at', 'updated_at', 'created_by']);
export function isSystem(f) { return SYSTEM.has(f.name); }

function applyUser(user, csrf) {
  state.user = user;
  setCsrf(csrf);
}

// Returns the user, or null when nobody is signed in.
export async function loadSession() {
  try {
    const s = await api('GET', '/session', { quiet401: true });
    const { csrf, ...user } = s;
    applyUser(user, csrf);
    if (user.locale && user.locale !== locale.value) await setLocale(user.locale);
    return user;
  } catch (e) {
    if (e.status === 401) { applyUser(null, null); return null; }
    throw e;
  }
}

export async function signIn(username, password) {
  const s = await api('POST', '/session', { body: { username, password }, quiet401: true });
  applyUser(s.user, s.csrf);
  if (s.user.locale && s.user.locale !== locale.value) await setLocale(s.user.locale);
  else if (!s.user.locale && storedLocale()) rememberLocale(locale.value);
  return s.user;
}

export async function signOut() {
  try { await api('DELETE', '/session', { quiet401: true }); } catch { /* gone already */ }
  forget();
}

export function forget() {
  applyUser(null, null);
  state.meta = null;
  state.titles = {};
  deptCache = null;
}

// The language is remembered per user on the server and in this browser.
export async function changeLocale(l) {
  await setLocale(l);
  if (state.user) await rememberLocale(l);
}

async function rememberLocale(l) {
  try {
    const s = await api('PATCH', '/session', { body: { locale: l } });
    if (s && s.csrf) setCsrf(s.csrf);
  } catch { /* the choice still holds in this browser */ }
}

export async function loadMeta() {
  state.meta = await api('GET', '/meta', { cache: 'no-cache' });
  if (state.user && !state.user.must_change_password) learnOffset();
  return state.meta;
}

// ---- metadata helpers ----

export function collection(name) {
  return state.meta ? state.meta.collections.find((c) => c.name === name) || null : null;
}

export function can(c, verb) {
  const name = typeof c === 'string' ? c : c && c.name;
  const meta = state.meta;
  if (!meta || !name) return false;
  const coll = collection(name);
  if (coll && coll.can && typeof coll.can === 'object' && !Array.isArray(coll.can)) {
    return !!coll.can[verb];
  }
  const verbs = meta.caller && meta.caller.can && meta.caller.can[name];
  return Array.isArray(verbs) && verbs.includes(verb);
}

// The fields this caller sees, in declaration order.
export function fields(c) {
  const coll = typeof c === 'string' ? collection(c) : c;
  if (!coll) return [];
  const hidden = (state.meta.caller && state.meta.caller.hidden && state.meta.caller.hidden[coll.name]) || [];
  return coll.fields.filter((f) => !hidden.includes(f.name));
}

// True when the caller's role sees field name of collection c masked (4403**********104X):
// shown as sent, not editable.
export function isMasked(c, name) {
  const coll = typeof c === 'string' ? c : c && c.name;
  const m = state.meta && state.meta.caller && state.meta.caller.masked;
  return !!(m && m[coll] && m[coll].includes(name));
}

export function field(c, name) {
  return fields(c).find((f) => f.name === name) || null;
}

export function modules() {
  return state.meta ? state.meta.modules : [];
}

export function moduleOf(collName) {
  return modules().find((m) => m.collections.includes(collName)) || null;
}

// ---- the tenant's time zone ----

export function noteOffset(iso) {
  const m = typeof iso === 'string' && /([+-])(\d\d):(\d\d)$/.exec(iso);
  if (m) state.offsetMin = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  else if (typeof iso === 'string' && iso.endsWith('Z')) state.offsetMin = 0;
}

async function learnOffset() {
  const first = state.meta.collections.find((c) => can(c, 'read'));
  if (!first) return;
  try {
    const r = await api('GET', '/' + first.name, { query: { limit: 1 } });
    if (r.items[0]) noteOffset(r.items[0].created_at);
  } catch { /* keep the default */ }
}

// ---- titles of referenced records ----

export function titleKey(coll, id) { return coll + ':' + id; }

export function rememberTitle(collName, record) {
  const coll = collection(collName);
  if (!coll || !record) return;
  const v = record[coll.title || 'id'];
  state.titles[titleKey(collName, record.id)] = v == null || v === '' ? '#' + record.id : String(v);
}

// A record's title as known ('#12' until it is), '' for none.
export function titleOf(collName, id) {
  if (id == null) return '';
  return state.titles[titleKey(collName, id)] || '#' + id;
}

// A title the server gave along with something else (a floor view's rooms, a timeline's actors).
export function knowTitle(collName, id, title) {
  if (id != null && title) state.titles[titleKey(collName, id)] = String(title);
}

// Fetch the titles of ids not known yet.
export async function resolveTitles(collName, ids) {
  if (!can(collName, 'read')) return;
  const want = ids.filter((id) => id != null && !(titleKey(collName, id) in state.titles));
  if (!want.length) return;
  for (const rec of await fetchByIds(collName, want)) rememberTitle(collName, rec);
}

// ---- the department tree (for widget "dept-tree") ----

let deptCache = null;

// All records of a tree collection as el-tree-select data.
export function treeOf(collName) {
  if (deptCache && deptCache.name === collName) return deptCache.promise;
  const coll = collection(collName);
  const promise = (async () => {
    const all = await fetchAll(collName, {}, Infinity);
    const parent = coll.tree_parent;
    const nodes = new Map(all.map((rec) => {
      rememberTitle(collName, rec);
      return [rec.id, { value: rec.id, label: String(rec[coll.title || 'id'] ?? rec.id), children: [] }];
    }));
    const roots = [];
    for (const rec of all) {
      const p = parent && rec[parent] != null ? nodes.get(rec[parent]) : null;
      (p ? p.children : roots).push(nodes.get(rec.id));
    }
    return roots;
  })();
  deptCache = { name: collName, promise };
  promise.catch(() => { deptCache = null; });
  return promise;
}

export function invalidateTree(collName) {
  if (deptCache && deptCache.name === collName) deptCache = null;
}

// A small collection (a catalogue, the buildings) fetched once for the session:
// {items (a ref), load()}. Every page may call load(): one request is in flight
// at a time, a failure is tried again on the next call, and the titles are remembered.
export function sessionList(coll, query = {}) {
  const items = ref([]);
  let pending = null;
  function load() {
    pending ||= fetchAll(coll, query).then((all) => {
      for (const x of all) rememberTitle(coll, x);
      items.value = all;
      return all;
    });
    pending.catch(() => { pending = null; });
    return pending;
  }
  return { items, load };
}
