// An adjustment request's page (the detail view of space_requests): the
// request, its proposed changes (space_request_changes: end an assignment,
// or start one in a room for a department or a person), which the space
// section adds and removes while the request is open, the review / approve /
// reject / cancel buttons for whoever may, and the timeline.
import { defineComponent, h, ref, reactive, computed, watch, onMounted } from 'vue';
import {
  ElButton, ElAlert, ElSkeleton, ElForm, ElFormItem,
  ElRadioGroup, ElRadioButton, ElSelect, ElOption, ElDatePicker, ElInput, ElMessage, ElPopconfirm,
} from 'element-plus';
import { Back, Edit, Plus, Delete } from '@element-plus/icons-vue';
import { t, label } from '../../lib/i18n.js';
import { api, placeErrors } from '../../lib/api.js';
import { go, href } from '../../lib/router.js';
import { state, can, field, collection, titleOf, knowTitle, resolveTitles } from '../../lib/session.js';
import { useRecord } from '../../lib/record.js';
import { enumText } from '../../lib/fields.js';
import { formatDatetime, today } from '../../lib/time.js';
import { resolveUsers, knowUsers } from '../../lib/users.js';
import { TreeRefSelect, RefSelect } from '../../components/inputs.js';
import { AskDialog, postDialog } from '../../components/ask-dialog.js';
import { eventTimeline } from '../../components/event-timeline.js';
import { stepBar } from '../../components/step-bar.js';
import { pageError, pageLoading } from '../../components/page-state.js';
import { factList, factItem } from '../../components/facts.js';
import {
  REQ, OPEN_REQ, area, statusTag, loadBuildings, buildings, buildingName, loadFloors, userName, actionError,
} from './common.js';
import { pageHead, titleRow } from '../../components/page-head.js';

const CH = 'space_request_changes';
const STEPS = ['submitted', 'reviewed', 'approved'];

function holderText(x) {
  return x.person_id ? titleOf('people', x.person_id) : titleOf('departments', x.department_id);
}

// The words for one change, from GET …/changes (rooms, people and
// departments named by the server: a liaison may not read the vacant room
// offered to them, nor the room another department gives up).
function changeText(c) {
  const room = c.room ? `${c.room.building} ${c.room.number} (${area(c.room.area_m2)})` : '#' + c.room_id;
  const holder = c.person || c.department || holderText(c);
  if (c.kind === 'end') {
    if (!c.assignment) return t('sp.changeEndId', { id: c.assignment_id });
    return t('sp.changeEnd', { room, holder, from: c.assignment.start_date });
  }
  const until = c.end_date ? t('sp.untilDate', { date: c.end_date }) : '';
  return t('sp.changeStart', { room, holder, from: c.start_date || '' }) + until;
}

// The section's form for a new change.
const AddChange = defineComponent({
  name: 'SpaceAddChange',
  props: { request: { type: Object, required: true } },
  emits: ['added', 'close'],
  setup(props, { emit }) {
    const v = reactive({
      kind: 'start', building_id: props.request.preferred_building_id || null, floor_id: null, room_id: null, assignment_id: null,
      target: 'department', department_id: props.request.department_id, person_id: null, start_date: today(), end_date: null, override_reason: '',
    });
    const floors = ref([]);
    const floorRooms = ref([]);
    const open = ref([]);
    const errors = reactive({});
    const alert = ref('');
    const busy = ref(false);

    onMounted(() => { loadBuildings().then((b) => { if (!v.building_id && b.length) v.building_id = b[0].id; }).catch(() => {}); });
    watch(() => v.building_id, async (b) => {
      v.floor_id = null; floors.value = []; floorRooms.value = [];
      if (b) floors.value = await loadFloors(b).catch(() => []);
    }, { immediate: true });
    watch(() => v.floor_id, async (f) => {
      v.room_id = null; floorRooms.value = [];
      if (!f) return;
      try {
        const r = await api('GET', `/space/floors/${f}/view`);
        for (const x of r.rooms) knowTitle('rooms', x.id, x.number);
        floorRooms.value = r.rooms;
      } catch { floorRooms.value = []; }
    });
    watch(() => [v.room_id, v.kind], async ([room, kind]) => {
      v.assignment_id = null; open.value = [];
      if (!room || kind !== 'end') return;
      const r = await api('GET', '/room_assignments', { query: { room_id: room, sort: '-start_date', limit: 100 } }).catch(() => ({ items: [] }));
      const now = today();
      open.value = r.items.filter((a) => !a.end_date || a.end_date >= now);
      await Promise.all([resolveTitles('people', open.value.map((a) => a.person_id)), resolveTitles('departments', open.value.map((a) => a.department_id))]);
      if (open.value.length === 1) v.assignment_id = open.value[0].id;
    });

    function roomOption(r) {
      const occ = (r.occupants || []).length;
      const bits = [r.number, r.name || enumText('rooms', 'use_type', r.use_type), area(r.area_m2), enumText('rooms', 'state', r.state)];
      if (occ) bits.push(t('sp.people', { n: occ }));
      else if (r.department) bits.push(r.department);
      return bits.join(' · ');
    }

    async function send() {
      for (const k of Object.keys(errors)) errors[k] = '';
      alert.value = '';
      const body = { request_id: props.request.id, kind: v.kind };
      if (v.kind === 'end') {
        if (!v.assignment_id) { errors.assignment_id = t('srv.required'); return; }
        body.assignment_id = v.assignment_id;
      } else {
        if (!v.room_id) { errors.room_id = t('srv.required'); return; }
        body.room_id = v.room_id;
        if (v.target === 'person') {
          if (!v.person_id) { errors.person_id = t('srv.required'); return; }
          body.person_id = v.person_id;
        } else {
          if (!v.department_id) { errors.department_id = t('srv.required'); return; }
          body.department_id = v.department_id;
        }
        body.start_date = v.start_date;
        if (v.end_date) body.end_date = v.end_date;
        if (v.override_reason.trim()) body.override_reason = v.override_reason.trim();
      }
      busy.value = true;
      try {
        const r = await api('POST', '/' + CH, { body });
        ElMessage({ type: 'success', message: t('sp.changeAdded') });
        emit('added', r);
      } catch (e) {
        if (!placeErrors(e, errors, Object.keys(v), collection(CH))) alert.value = actionError(e, CH);
      } finally {
        busy.value = false;
      }
    }

    const item = (name, text, content, opts = {}) => h(ElFormItem, {
      label: text, for: 'sp-ch-' + name, error: errors[name] || '', required: !!opts.required, 'data-test': 'sp-ch-' + name,
    }, () => content);
    const sel = (name, text, options, opts = {}) => item(name, text, h(ElSelect, {
      id: 'sp-ch-' + name, modelValue: v[name], class: 'w-full', filterable: !!opts.filterable, placeholder: t('form.choose'), ariaLabel: text,
      'onUpdate:modelValue': (x) => { v[name] = x; errors[name] = ''; }, disabled: !!opts.disabled,
    }, () => options.map((o) => h(ElOption, { key: o.value, value: o.value, label: o.label }))), opts);

    return () => h('div', { class: 'sp-add-change', 'data-test': 'sp-add-change' }, [
      alert.value ? h(ElAlert, { type: 'error', showIcon: true, closable: false, title: alert.value, class: 'mb', role: 'alert', 'data-test': 'sp-ch-error' }) : null,
      h(ElForm, { labelPosition: 'top', onSubmit: (e) => { e.preventDefault(); send(); } }, () => [
        h(ElFormItem, { label: label(field(CH, 'kind')) || t('sp.changeKind') }, () => h(ElRadioGroup, {
          modelValue: v.kind, 'aria-label': t('sp.changeKind'), 'onUpdate:modelValue': (x) => { v.kind = x; },
        }, () => ['start', 'end'].map((k) => h(ElRadioButton, { key: k, value: k, 'data-test': 'sp-ch-kind-' + k }, () => enumText(CH, 'kind', k))))),
        h('div', { class: 'sp-add-grid' }, [
          sel('building_id', t('sp.building'), buildings.value.map((b) => ({ value: b.id, label: b.name })), { filterable: true }),
          sel('floor_id', t('sp.floor'), floors.value.map((f) => ({ value: f.id, label: f.name }))),
          sel('room_id', t('sp.room'), floorRooms.value.map((r) => ({ value: r.id, label: roomOption(r) })), { required: true, filterable: true }),
        ]),
        v.kind === 'end'
          ? sel('assignment_id', t('sp.assignmentToEnd'), open.value.map((a) => ({ value: a.id, label: `${holderText(a)} · ${t('sp.since', { date: a.start_date })}` })),
            { required: true, disabled: !v.room_id })
          : [
            h(ElFormItem, { label: t('sp.assignTo') }, () => h(ElRadioGroup, {
              modelValue: v.target, 'aria-label': t('sp.assignTo'), 'onUpdate:modelValue': (x) => { v.target = x; },
            }, () => [
              h(ElRadioButton, { value: 'department', 'data-test': 'sp-ch-target-department' }, () => t('sp.toDepartment')),
              h(ElRadioButton, { value: 'person', 'data-test': 'sp-ch-target-person' }, () => t('sp.toPerson')),
            ])),
            h('div', { class: 'sp-add-grid' }, [
              v.target === 'person'
                ? item('person_id', t('sp.person'), h(RefSelect, { target: 'people', modelValue: v.person_id, inputId: 'sp-ch-person_id', ariaLabel: t('sp.person'), 'onUpdate:modelValue': (x) => { v.person_id = x; errors.person_id = ''; } }), { required: true })
                : item('department_id', t('sp.department'), h(TreeRefSelect, { target: 'departments', modelValue: v.department_id, inputId: 'sp-ch-department_id', ariaLabel: t('sp.department'), 'onUpdate:modelValue': (x) => { v.department_id = x; errors.department_id = ''; } }), { required: true }),
              item('start_date', t('sp.from'), h(ElDatePicker, { id: 'sp-ch-start_date', modelValue: v.start_date, type: 'date', valueFormat: 'YYYY-MM-DD', format: 'YYYY-MM-DD', clearable: false, class: 'w-full', ariaLabel: t('sp.from'), 'onUpdate:modelValue': (x) => { v.start_date = x; errors.start_date = ''; } }), { required: true }),
              item('end_date', t('sp.until'), h(ElDatePicker, { id: 'sp-ch-end_date', modelValue: v.end_date, type: 'date', valueFormat: 'YYYY-MM-DD', format: 'YYYY-MM-DD', class: 'w-full', ariaLabel: t('sp.until'), 'onUpdate:modelValue': (x) => { v.end_date = x || null; errors.end_date = ''; } })),
            ]),
            item('override_reason', t('sp.overrideReason'), h(ElInput, { id: 'sp-ch-override_reason', modelValue: v.override_reason, maxlength: 500, placeholder: t('sp.overrideHint'), 'onUpdate:modelValue': (x) => { v.override_reason = x; errors.override_reason = ''; } })),
          ],
        h('div', { class: 'form-actions' }, [
          h(ElButton, { type: 'primary', nativeType: 'submit', loading: busy.value, 'data-test': 'sp-ch-submit' }, () => t('sp.addChange')),
          h(ElButton, { onClick: () => emit('close') }, () => t('common.cancel')),
        ]),
      ]),
    ]);
  },
});

export const RequestView = defineComponent({
  name: 'SpaceRequestView',
  props: { c: String, id: [String, Number] },
  setup(props) {
    const changes = ref(null);
    const events = ref(null);
    const dialog = ref(null);
    const adding = ref(false);

    async function loadChanges() {
      try {
        changes.value = (await api('GET', `/${REQ}/${rec.value.id}/changes`)).items;
      } catch {
        changes.value = [];
      }
    }
    async function loadTimeline() {
      try {
        const r = await api('GET', `/${REQ}/${rec.value.id}/timeline`);
        // who did each step, named by the server (most callers may not read users)
        knowUsers(r.actors);
        resolveUsers(r.items.map((e) => e.actor_id));
        events.value = r.items;
      } catch {
        events.value = [];
      }
    }
    const { rec, error, load } = useRecord(REQ, () => props.id, (r) => {
      state.crumb = t('sp.requestTitle', { id: r.id });
      loadBuildings().catch(() => {});
      resolveTitles('departments', [r.department_id]);
      resolveUsers([r.requester_id, r.reviewed_by, r.decided_by]);
      loadChanges();
      loadTimeline();
    });

    const mine = computed(() => rec.value && state.user && rec.value.requester_id === state.user.id);
    const isOpen = computed(() => rec.value && OPEN_REQ.includes(rec.value.status));
    const mayChange = computed(() => isOpen.value && can(CH, 'create'));

    function ask(kind) {
      const r = rec.value;
      const n = (changes.value || []).length;
      const defs = {
        review: { title: t('sp.reviewTitle'), submitText: t('sp.review'), fields: [{ name: 'note', label: t('sp.note'), rows: 3, max: 2000 }] },
        approve: { title: t('sp.approveTitle'), submitText: t('sp.approve'), subject: t('sp.approveSubject', { n }), fields: [{ name: 'note', label: t('sp.note'), rows: 3, max: 2000 }] },
        reject: { title: t('sp.rejectTitle'), submitText: t('sp.reject'), danger: true, fields: [{ name: 'reason', label: t('sp.rejectReason'), rows: 3, max: 2000, required: true }] },
        cancel: { title: t('sp.cancelTitle'), submitText: t('sp.cancelRequest'), danger: true, fields: [{ name: 'reason', label: t('sp.cancelReason'), rows: 3, max: 2000 }] },
      }[kind];
      dialog.value = postDialog(`/${REQ}/${r.id}/${kind}`, {
        ...defs, test: `sp-${kind}-dialog`, subject: defs.subject || t('sp.requestTitle', { id: r.id }),
      });
    }

    async function removeChange(c) {
      try {
        await api('DELETE', `/${CH}/${c.id}`, { headers: { 'If-Match': `"${c.version}"` } });
        ElMessage({ type: 'success', message: t('sp.changeRemoved') });
        loadChanges();
      } catch (e) {
        ElMessage({ type: 'error', message: actionError(e, CH), duration: 6000 });
        loadChanges();
      }
    }

    function toolbar(r) {
      const b = [h(ElButton, { icon: Back, 'data-test': 'back', onClick: () => go('/space/requests') }, () => t('sp.backToQueue'))];
      if (mine.value && can(REQ, 'update') && r.status === 'submitted') b.push(h(ElButton, { icon: Edit, 'data-test': 'edit', onClick: () => go(`/c/${REQ}/${r.id}/edit`) }, () => t('common.edit')));
      const own = mine.value;
      const ownTip = own ? t('sp.ownRequest') : undefined;
      if (can(REQ, 'review') && r.status === 'submitted') b.push(h(ElButton, { type: 'primary', disabled: own, title: ownTip, 'data-test': 'sp-action-review', onClick: () => ask('review') }, () => t('sp.review')));
      if (can(REQ, 'approve') && r.status === 'reviewed') b.push(h(ElButton, { type: 'success', disabled: own, title: ownTip, 'data-test': 'sp-action-approve', onClick: () => ask('approve') }, () => t('sp.approve')));
      if (can(REQ, 'reject') && isOpen.value) b.push(h(ElButton, { type: 'danger', disabled: own, title: ownTip, 'data-test': 'sp-action-reject', onClick: () => ask('reject') }, () => t('sp.reject')));
      if (can(REQ, 'cancel') && isOpen.value && (own || can(REQ, 'review'))) b.push(h(ElButton, { type: 'danger', plain: true, 'data-test': 'sp-action-cancel', onClick: () => ask('cancel') }, () => t('sp.cancelRequest')));
      return h('div', { class: 'toolbar' }, b);
    }

    function steps(r) {
      if (r.status === 'rejected' || r.status === 'cancelled') {
        return h(ElAlert, { type: r.status === 'rejected' ? 'error' : 'info', closable: false, showIcon: true, class: 'mb', 'data-test': 'sp-closed-note',
          title: r.status === 'rejected' ? t('sp.rejectedNote') : t('sp.cancelledNote'), description: r.decision_note || undefined });
      }
      return stepBar({
        steps: STEPS.map((s) => ({ key: s, title: t('sp.step.' + s) })),
        at: r.status === 'approved' ? 3 : STEPS.indexOf(r.status) + 1, label: t('sp.progress'),
      });
    }

    function facts(r) {
      const item = (name, node) => factItem(label(field(REQ, name)) || name, node, 'value-' + name);
      return factList([
        item('department_id', titleOf('departments', r.department_id)),
        item('need', enumText(REQ, 'need', r.need)),
        item('headcount', String(r.headcount)),
        item('preferred_building_id', r.preferred_building_id ? buildingName(r.preferred_building_id) : '—'),
        item('requester_id', userName(r.requester_id)),
        item('created_at', formatDatetime(r.created_at)),
        r.reviewed_by ? item('reviewed_by', `${userName(r.reviewed_by)} · ${formatDatetime(r.reviewed_at)}`) : null,
        r.decided_by ? item('decided_by', `${userName(r.decided_by)} · ${formatDatetime(r.decided_at)}`) : null,
        r.decision_note ? item('decision_note', r.decision_note) : null,
      ]);
    }

    function changesBlock(r) {
      const list = changes.value;
      if (!list) return h(ElSkeleton, { rows: 2, animated: true });
      return [
        list.length ? h('div', { class: 'sp-changes', 'data-test': 'sp-changes' }, list.map((c) => h('div', { key: c.id, class: 'sp-change', 'data-test': 'sp-change', 'data-id': c.id, 'data-kind': c.kind }, [
          h('span', { class: ['sp-change-kind', 'k-' + c.kind] }, enumText(CH, 'kind', c.kind)),
          h('span', { class: 'sp-change-text' }, [changeText(c), c.override_reason ? h('span', { class: 'muted' }, ` · ${t('sp.overrideReason')}：${c.override_reason}`) : null]),
          c.applied_assignment_id ? h('span', { class: 'sp-current', 'data-test': 'sp-change-applied' }, t('sp.applied')) : null,
          mayChange.value && can(CH, 'delete') ? h(ElPopconfirm, { title: t('sp.removeChangeQ'), onConfirm: () => removeChange(c), confirmButtonText: t('common.delete'), cancelButtonText: t('common.cancel') }, {
            reference: () => h(ElButton, { size: 'small', icon: Delete, 'data-test': 'sp-change-remove', 'aria-label': t('sp.removeChange') }, () => t('common.delete')),
          }) : null,
        ]))) : h('p', { class: 'muted', 'data-test': 'sp-no-changes' }, isOpen.value ? t('sp.noChangesYet') : t('sp.noChanges')),
        mayChange.value
          ? (adding.value
            ? h(AddChange, { request: r, onAdded: () => { adding.value = false; loadChanges(); }, onClose: () => { adding.value = false; } })
            : h(ElButton, { icon: Plus, 'data-test': 'sp-add-change-open', onClick: () => { adding.value = true; } }, () => t('sp.addChange')))
          : null,
      ];
    }

    function timeline() {
      return eventTimeline(events.value, {
        kinds: 'space_request_events', rows: 2, emptySize: 48,
        type: (k) => (k === 'rejected' ? 'danger' : k === 'approved' || k === 'applied' ? 'success' : k === 'cancelled' ? 'info' : 'primary'),
        actor: (e) => userName(e.actor_id, rec.value),
      });
    }

    return () => {
      if (error.value) return pageError(error.value, { back: href('/space/requests'), backText: t('sp.backToQueue'), ent: collection(REQ) });
      const r = rec.value;
      if (!r) return pageLoading();
      return h('section', { class: 'page sp-page sp-request', 'data-test': 'detail-' + REQ, 'data-status': r.status, 'data-id': r.id }, [
        pageHead(titleRow(t('sp.requestTitle', { id: r.id }), h('span', { 'data-test': 'request-status' }, statusTag(r.status))), toolbar(r)),
        mine.value && isOpen.value && (can(REQ, 'review') || can(REQ, 'approve')) ? h(ElAlert, { type: 'info', closable: false, showIcon: true, class: 'sp-own-note', title: t('sp.ownRequest'), 'data-test': 'sp-own-note' }) : null,
        steps(r),
        facts(r),
        h('h2', { class: 'section-title' }, label(field(REQ, 'reason'))),
        h('p', { class: 'sp-reason', 'data-test': 'value-reason' }, r.reason),
        h('h2', { class: 'section-title' }, t('sp.changes')),
        changesBlock(r),
        h('h2', { class: 'section-title' }, t('sp.timeline')),
        h('div', { class: 'history', 'data-test': 'timeline' }, timeline()),
        dialog.value ? h(AskDialog, {
          ...dialog.value, ent: collection(REQ), errorText: actionError, doneText: t('sp.done'), onClose: () => { dialog.value = null; }, onDone: () => { dialog.value = null; load(); }, onRefused: () => load(),
        }) : null,
      ]);
    };
  },
});
