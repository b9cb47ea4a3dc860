// Office space: pieces shared by its pages (areas and money, state colours,
// buildings and floors, names of people and departments, action errors and
// a small dialog for an action's note, reason or date).
import { defineComponent, h, ref, reactive } from 'vue';
import { ElTag, ElDialog, ElForm, ElFormItem, ElInput, ElButton, ElAlert, ElDatePicker, ElMessage } from 'element-plus';
import { t, serverMessage } from '../../lib/i18n.js';
import { api } from '../../lib/api.js';
import { state, field, can, rememberTitle, resolveTitles, titleKey, sessionList } from '../../lib/session.js';
import { enumLabel, formatMoney } from '../../lib/fields.js';
import { problemText } from '../login.js';
import { refreshBell } from '../../components/bell.js';

export const REQ = 'space_requests';
export const STATES = ['in_use', 'vacant', 'under_repair', 'lent'];
export const OPEN_REQ = ['submitted', 'reviewed'];

// 12.5 → "12.50 m²"
export function area(v) {
  if (v === null || v === undefined || v === '') return '—';
  return `${Number(v).toFixed(2)} m²`;
}
export function excess(v) { return `+${Number(v || 0).toFixed(2)} m²`; }
// integer fen → "¥1,234.50"
export function money(fen) { return fen == null ? '—' : formatMoney(fen); }

export function today() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

export function enumText(coll, name, v) {
  if (v === null || v === undefined) return '';
  const f = field(coll, name);
  return f ? enumLabel(f, v) : v;
}

const STATE_TAGS = { in_use: 'success', vacant: 'info', under_repair: 'warning', lent: 'primary' };
export function stateTag(s) {
  return h(ElTag, { type: STATE_TAGS[s] || 'info', effect: 'light', size: 'small', disableTransitions: true, 'data-state': s }, () => enumText('rooms', 'state', s));
}

const REQ_TAGS = { submitted: 'warning', reviewed: 'primary', approved: 'success', rejected: 'danger', cancelled: 'info' };
export function statusTag(s) {
  return h(ElTag, { type: REQ_TAGS[s] || 'info', effect: 'light', class: 'status-tag', 'data-status': s, disableTransitions: true }, () => enumText(REQ, 'status', s));
}

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
  return b ? b.name : state.titles[titleKey('buildings', id)] || '#' + id;
}

const floorCache = new Map();
export function loadFloors(buildingId) {
  const key = Number(buildingId);
  if (!floorCache.has(key)) {
    const p = (async () => {
      const all = [];
      let after = null;
      do {
        const r = await api('GET', '/floors', { query: { building_id: key, limit: 200, after, sort: 'level' } });
        all.push(...r.items);
        after = r.next;
      } while (after);
      for (const x of all) rememberTitle('floors', x);
      return all;
    })();
    p.catch(() => floorCache.delete(key));
    floorCache.set(key, p);
  }
  return floorCache.get(key);
}

// ---- names of records the page refers to ----

export function title(coll, id) {
  if (id == null) return '';
  return state.titles[titleKey(coll, id)] || '#' + id;
}
export function know(coll, id, name) {
  if (id != null && name) state.titles[titleKey(coll, id)] = name;
}
export function resolve(coll, ids) {
  return resolveTitles(coll, ids.filter((x) => x != null));
}
// A user: "me", their name when users are readable, their part in request r, or their number.
export function userName(id, r) {
  if (id == null) return t('sp.system');
  if (state.user && id === state.user.id) return t('sp.me');
  const known = state.titles[titleKey('users', id)];
  if (known) return known;
  if (r && id === r.requester_id) return t('sp.requester');
  if (r && id === r.reviewed_by) return t('sp.reviewer');
  if (r && id === r.decided_by) return t('sp.decider');
  return t('sp.userNo', { id });
}
export function resolveUsers(ids) {
  return can('users', 'read') ? resolveTitles('users', ids.filter((x) => x != null)) : Promise.resolve();
}

// "区委大院 305"
export function roomLabel(roomId, buildingId) {
  const b = buildingId != null ? buildingName(buildingId) : '';
  return [b, title('rooms', roomId)].filter(Boolean).join(' ');
}

// The server's conflict reasons in the UI's language (the server's own words are shown below them).
const CONFLICTS = [
  [/approved already/, () => t('sp.err.approvedAlready')],
  [/^nobody may (\w+) their own request/, (m) => t('sp.err.own', { action: t('sp.verb.' + m[1]) })],
  [/^a request that is (\w+) cannot be (\w+)/, (m) => t('sp.err.state', { status: enumText(REQ, 'status', m[1]), action: t('sp.verb.' + m[2]) })],
  [/can be edited only until it is reviewed/, () => t('sp.err.locked')],
];
const VERBS = ['review', 'approve', 'reject', 'cancel', 'reviewed', 'approved', 'rejected', 'cancelled'];

// The words for a refused action: field messages, a conflict, or the rest.
export function actionError(e) {
  if (e.status === 409) {
    for (const [re, f] of CONFLICTS) {
      const m = re.exec(e.detail || '');
      const verb = m && (m.length > 2 ? m[2] : m[1]);
      if (m && (!verb || VERBS.includes(verb))) return f(m);
    }
    return t('sp.conflict', { detail: e.detail || '' });
  }
  if (e.status === 422 && e.errors.length) return e.errors.map((fe) => serverMessage(fe.message)).join('；');
  if (e.status === 422 && e.detail) return e.detail;
  return problemText(e);
}

// A dialog asking for a few values before an action: fields [{name, label, required, rows, max, type: 'date'|'text'}].
// run(values) performs it; the server's field errors are shown at their fields, the rest above.
export const ActionDialog = defineComponent({
  name: 'SpaceActionDialog',
  props: { title: String, subject: String, fields: Array, submitText: String, test: String, run: Function, danger: Boolean },
  emits: ['close', 'done', 'refused'],
  setup(props, { emit }) {
    const values = reactive(Object.fromEntries(props.fields.map((f) => [f.name, f.value ?? ''])));
    const errors = reactive({});
    const alert = ref('');
    const busy = ref(false);
    async function send() {
      alert.value = '';
      let bad = false;
      for (const f of props.fields) {
        errors[f.name] = '';
        const v = values[f.name];
        if (f.required && (v == null || String(v).trim() === '')) { errors[f.name] = t('srv.required'); bad = true; }
      }
      if (bad) return;
      busy.value = true;
      try {
        const r = await props.run({ ...values });
        refreshBell();
        ElMessage({ type: 'success', message: t('sp.done') });
        emit('done', r);
      } catch (e) {
        let placed = false;
        for (const fe of e.errors || []) {
          const f = props.fields.find((x) => x.name === fe.field || x.sends === fe.field);
          if (f) { errors[f.name] = serverMessage(fe.message); placed = true; }
        }
        if (!placed) alert.value = { title: actionError(e), detail: e.status === 409 ? e.detail : '' };
        // the record moved on meanwhile: the page shows where it is now
        if (e.status === 409) emit('refused', e);
      } finally {
        busy.value = false;
      }
    }
    return () => h(ElDialog, {
      modelValue: true, title: props.title, width: 'min(480px, 96vw)', appendToBody: true, class: 'sp-dialog',
      'onUpdate:modelValue': (v) => { if (!v) emit('close'); },
    }, {
      default: () => h('div', { 'data-test': props.test }, [
        props.subject ? h('p', { class: 'dialog-subject' }, props.subject) : null,
        alert.value ? h(ElAlert, {
          type: 'error', showIcon: true, closable: false, title: alert.value.title, description: alert.value.detail || undefined,
          class: 'mb sp-refused', role: 'alert', 'data-test': `${props.test}-error`,
        }) : null,
        h(ElForm, { labelPosition: 'top', onSubmit: (e) => { e.preventDefault(); send(); } }, () => props.fields.map((f) => {
          const id = `${props.test}-${f.name}`;
          return h(ElFormItem, { key: f.name, label: f.label, for: id, required: !!f.required, error: errors[f.name] || '', 'data-test': id }, () =>
            f.type === 'date'
              ? h(ElDatePicker, {
                id, modelValue: values[f.name], type: 'date', valueFormat: 'YYYY-MM-DD', format: 'YYYY-MM-DD', class: 'w-full',
                ariaLabel: f.label, clearable: !f.required, 'onUpdate:modelValue': (v) => { values[f.name] = v || ''; },
              })
              : h(ElInput, {
                id, modelValue: values[f.name], type: f.rows ? 'textarea' : 'text', rows: f.rows || undefined,
                maxlength: f.max || undefined, showWordLimit: !!f.max && f.max >= 200,
                'onUpdate:modelValue': (v) => { values[f.name] = v; },
              }));
        })),
      ]),
      footer: () => [
        h(ElButton, { onClick: () => emit('close') }, () => t('common.cancel')),
        h(ElButton, { type: props.danger ? 'danger' : 'primary', loading: busy.value, onClick: send, 'data-test': `${props.test}-submit` }, () => props.submitText || t('common.confirm')),
      ],
    });
  },
});

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
