// Service desk: pieces shared by its pages (status tags, due times, places,
// names of types, teams and people, the assign dialog, action errors).
import { defineComponent, h, ref, reactive, watch, onMounted } from 'vue';
import {
  ElDialog, ElForm, ElFormItem, ElSelect, ElOption, ElInput, ElButton, ElAlert, ElMessage, ElIcon,
} from 'element-plus';
import {
  Tools, WindPower, Lightning, HotWater, Brush, Microphone, CoffeeCup, KnifeFork, PhoneFilled,
  ChatLineRound, WarningFilled, MoreFilled,
} from '@element-plus/icons-vue';
import { t, locale } from '../../lib/i18n.js';
import { api, problemText, placeErrors } from '../../lib/api.js';
import { can, collection, rememberTitle, titleOf, sessionList } from '../../lib/session.js';
import { formatDatetime } from '../../lib/time.js';
import { userName as nameOfUser, knowUsers } from '../../lib/users.js';
import { refreshBell } from '../../components/bell.js';
import { statusTag as tag } from '../../components/status-tag.js';

export const REQ = 'service_requests';
export const OPEN_STATUSES = ['submitted', 'assigned', 'in_progress', 'waiting'];
export const DONE_STATUSES = ['resolved', 'closed', 'cancelled'];

export const CATEGORY_ICONS = {
  repair: Tools, hvac: WindPower, electrical: Lightning, plumbing: HotWater, cleaning: Brush,
  meeting: Microphone, reception: CoffeeCup, canteen: KnifeFork, network: PhoneFilled,
  suggestion: ChatLineRound, complaint: WarningFilled, other: MoreFilled,
};

const STATUS_TYPES = {
  submitted: 'warning', assigned: 'primary', in_progress: 'primary', waiting: 'warning',
  resolved: 'success', closed: 'info', cancelled: 'info',
};
const WO_TYPES = { open: 'warning', accepted: 'primary', on_hold: 'warning', done: 'success', cancelled: 'info' };
const URGENCY_TYPES = { low: 'info', normal: 'info', high: 'warning', urgent: 'danger' };

// A request's status, or a work order's (coll 'work_orders').
export function statusTag(status, coll = REQ) {
  return tag(coll, status, coll === REQ ? STATUS_TYPES : WO_TYPES);
}

export function urgencyTag(u) {
  if (!u) return null;
  return tag(REQ, u, URGENCY_TYPES, {
    field: 'urgency', effect: u === 'urgent' ? 'dark' : 'plain', size: 'small', class: 'urgency-tag', 'data-status': undefined,
  });
}

// building · floor · room · details
export function placeText(r) {
  return [r.building, r.floor, r.room, r.location].filter((x) => x != null && String(x).trim() !== '').join(' · ');
}

// Is this clock late: flagged by the server, or due and not met.
export function isLate(r, which) {
  if (r[which + '_breached']) return true;
  const due = r[which + '_due_at'];
  if (!due || r.status === 'waiting' || DONE_STATUSES.includes(r.status)) return false;
  if (which === 'respond' && r.responded_at) return false;
  return Date.parse(due) < Date.now();
}

// A due time, highlighted when late.
export function dueNode(r, which, test) {
  const due = r[which + '_due_at'];
  if (!due) return h('span', { class: 'muted' }, '—');
  const late = isLate(r, which);
  return h('span', { class: ['due', late ? 'is-late' : ''], 'data-test': test || undefined, 'data-late': late ? 'true' : 'false' }, [
    formatDatetime(due),
    late ? h('span', { class: 'late-mark' }, t('sd.late')) : null,
  ]);
}

// ---- the catalogue (service types), cached for the session ----

const typeList = sessionList('service_types', { sort: 'sort_order' });
export const types = typeList.items;
export const loadTypes = typeList.load;
export function typeOf(id) { return types.value.find((x) => x.id === id) || null; }
export function typeName(id) {
  const x = typeOf(id);
  if (!x) return titleOf('service_types', id);
  return locale.value === 'en' && x.name_en ? x.name_en : x.name;
}

// ---- teams ----

let teamsPromise = null;
export const teams = ref([]);
export function loadTeams() {
  if (!can('service_teams', 'read')) return Promise.resolve([]);
  teamsPromise ||= api('GET', '/service_teams', { query: { limit: 200 } }).then((r) => {
    for (const x of r.items) rememberTitle('service_teams', x);
    teams.value = r.items;
    return r.items;
  });
  teamsPromise.catch(() => { teamsPromise = null; });
  return teamsPromise;
}
export function teamName(id) { return titleOf('service_teams', id); }

// A user, or their part in request r (users are readable only by some roles).
export function userName(id, r) {
  return nameOfUser(id, { words: 'sd', record: r, parts: { requester_id: 'requester' } });
}

// The words for a refused action (on a request, or on coll's record): a
// conflict with the current state, field messages, or the rest.
export function actionError(e, coll = REQ) {
  const text = problemText(e, collection(coll));
  return e.status === 409 ? t('sd.conflict', { detail: text }) : text;
}

// POST a workflow action; tells the user, refreshes the bell; returns the answer or null.
export async function runAction(path, body, coll = REQ) {
  try {
    const r = await api('POST', path, { body: body || {} });
    ElMessage({ type: 'success', message: t('sd.done') });
    refreshBell();
    return r || {};
  } catch (e) {
    ElMessage({ type: 'error', message: actionError(e, coll), duration: 6000 });
    return null;
  }
}

// Team (and optionally one of its members) for a request: POST …/assign.
export const AssignDialog = defineComponent({
  name: 'AssignDialog',
  props: { request: { type: Object, required: true } },
  emits: ['close', 'done'],
  setup(props, { emit }) {
    const form = reactive({ team_id: props.request.team_id || null, assignee_id: null, note: '' });
    const members = ref([]);
    const errors = reactive({});
    const alert = ref('');
    const busy = ref(false);

    async function loadMembers(team) {
      members.value = [];
      if (!team || !can('service_teams', 'read')) return;
      try {
        const r = await api('GET', `/service_teams/${team}/members`);
        knowUsers(Object.fromEntries(r.items.map((m) => [m.user_id, m.name])));
        members.value = r.items.map((m) => m.user_id);
      } catch { /* the team alone will do */ }
    }
    onMounted(() => { loadTeams(); loadMembers(form.team_id); });
    watch(() => form.team_id, (v) => { form.assignee_id = null; loadMembers(v); });

    async function send() {
      for (const k of Object.keys(errors)) errors[k] = '';
      alert.value = '';
      if (!form.team_id) { errors.team_id = t('srv.required'); return; }
      busy.value = true;
      try {
        const body = { team_id: form.team_id };
        if (form.assignee_id) body.assignee_id = form.assignee_id;
        if (form.note.trim()) body.note = form.note.trim();
        const r = await api('POST', `/${REQ}/${props.request.id}/assign`, { body });
        ElMessage({ type: 'success', message: t('sd.assigned') });
        refreshBell();
        emit('done', r);
      } catch (e) {
        if (!placeErrors(e, errors, Object.keys(form), collection(REQ))) alert.value = actionError(e);
      } finally {
        busy.value = false;
      }
    }

    const active = () => teams.value.filter((x) => x.active !== false);
    return () => h(ElDialog, {
      modelValue: true, title: t('sd.assignTitle'), width: 'min(480px, 96vw)', appendToBody: true,
      'onUpdate:modelValue': (v) => { if (!v) emit('close'); }, class: 'sd-dialog',
    }, {
      default: () => h('div', { 'data-test': 'assign-dialog' }, [
        h('p', { class: 'dialog-subject' }, props.request.title),
        alert.value ? h(ElAlert, { type: 'error', showIcon: true, closable: false, title: alert.value, class: 'mb', 'data-test': 'assign-error' }) : null,
        h(ElForm, { labelPosition: 'top', onSubmit: (e) => { e.preventDefault(); send(); } }, () => [
          h(ElFormItem, { label: t('sd.team'), for: 'assign-team', required: true, error: errors.team_id || '', 'data-test': 'assign-team' }, () =>
            h(ElSelect, {
              id: 'assign-team', ariaLabel: t('sd.team'), modelValue: form.team_id, filterable: true, class: 'w-full', placeholder: t('form.choose'),
              'onUpdate:modelValue': (v) => { form.team_id = v; },
            }, () => active().map((x) => h(ElOption, { key: x.id, value: x.id, label: x.name })))),
          h(ElFormItem, { label: t('sd.assignee'), for: 'assign-user', error: errors.assignee_id || '', 'data-test': 'assign-assignee' }, () =>
            h(ElSelect, {
              id: 'assign-user', ariaLabel: t('sd.assignee'), modelValue: form.assignee_id, clearable: true, class: 'w-full',
              placeholder: t('sd.anyMember'), disabled: !members.value.length,
              'onUpdate:modelValue': (v) => { form.assignee_id = v || null; },
            }, () => members.value.map((id) => h(ElOption, { key: id, value: id, label: userName(id) })))),
          h(ElFormItem, { label: t('sd.note'), for: 'assign-note', 'data-test': 'assign-note' }, () =>
            h(ElInput, { id: 'assign-note', modelValue: form.note, type: 'textarea', rows: 2, maxlength: 2000, 'onUpdate:modelValue': (v) => { form.note = v; } })),
        ]),
      ]),
      footer: () => [
        h(ElButton, { onClick: () => emit('close') }, () => t('common.cancel')),
        h(ElButton, { type: 'primary', loading: busy.value, onClick: send, 'data-test': 'assign-submit' }, () => t('sd.assign')),
      ],
    });
  },
});

export function categoryIcon(category, size = 28) {
  const icon = CATEGORY_ICONS[category] || MoreFilled;
  return h(ElIcon, { size, class: 'cat-icon', 'aria-hidden': 'true' }, () => h(icon));
}

