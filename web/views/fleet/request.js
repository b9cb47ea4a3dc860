// A trip request's own page (the detail view of trip_requests): the steps,
// what was asked, who approved and dispatched it, the vehicle and driver,
// the trip as the driver recorded it; approve / reject / dispatch / cancel
// for whoever may, and the printable dispatch slip.
import { defineComponent, h, ref, computed, onMounted } from 'vue';
import {
  ElSteps, ElStep, ElButton, ElAlert, ElSkeleton, ElDescriptions, ElDescriptionsItem, ElMessage,
} from 'element-plus';
import { Back, Edit, Printer } from '@element-plus/icons-vue';
import { t, label } from '../../lib/i18n.js';
import { api } from '../../lib/api.js';
import { go, href } from '../../lib/router.js';
import { state, can, field, rememberTitle, titleKey, noteOffset, resolveTitles } from '../../lib/session.js';
import { formatDatetime, formatMoney } from '../../lib/fields.js';
import { phone } from '../../components/layout.js';
import { refreshBell } from '../../components/bell.js';
import { AskDialog } from '../servicedesk/common.js';
import {
  RQ, TRIPS, VEH, statusTag, timeRange, hours, DispatchDialog, driverName, vehicleName,
  resolveNames, problemText, translated,
} from './common.js';

const STEPS = ['submitted', 'approved', 'dispatched', 'trip', 'completed'];

export const TripRequestView = defineComponent({
  name: 'TripRequestView',
  props: { c: String, id: [String, Number], params: Object },
  setup(props) {
    const id = computed(() => props.id || (props.params && props.params.id));
    const rec = ref(null);
    const error = ref(null);
    const slip = ref(null);
    const trip = ref(null);
    const dept = ref(null);
    const actors = ref({});     // user id → account name, from the history
    const dialog = ref(null);   // 'dispatch' | {AskDialog props}
    state.crumb = null;

    async function loadExtras(r) {
      slip.value = null;
      trip.value = null;
      const jobs = [];
      if (['dispatched', 'completed'].includes(r.status)) {
        jobs.push(api('GET', `/${RQ}/${r.id}/slip`).then((s) => { slip.value = s; }).catch(() => {}));
      }
      if (can(TRIPS, 'read') && r.vehicle_id) {
        jobs.push(api('GET', '/' + TRIPS, { query: { request_id: r.id, limit: 1 } }).then((x) => { trip.value = x.items[0] || null; }).catch(() => {}));
      }
      if (r.department_id && can('departments', 'read')) {
        jobs.push(resolveTitles('departments', [r.department_id]).then(() => { dept.value = state.titles[titleKey('departments', r.department_id)] || null; }));
      }
      jobs.push(resolveNames([r]));
      // who filed, approved and dispatched it, by their accounts, from the history (users are
      // readable only by some roles; the slip names them once dispatched)
      if (!can('users', 'read') && !['dispatched', 'completed'].includes(r.status)) {
        jobs.push(api('GET', `/${RQ}/${r.id}/history`).then((hs) => {
          const names = {};
          for (const e of hs || []) {
            const after = e.after || {}, before = e.before || {};
            if (!e.actor) continue;
            if (e.action === 'create' && after.requester_id) names[after.requester_id] = e.actor;
            for (const k of ['approver_id', 'dispatcher_id']) if (after[k] && !before[k]) names[after[k]] = e.actor;
          }
          actors.value = names;
        }).catch(() => {}));
      }
      if (can('users', 'read')) jobs.push(resolveTitles('users', [r.requester_id, r.approver_id, r.dispatcher_id].filter(Boolean)));
      await Promise.all(jobs);
    }
    async function load() {
      error.value = null;
      try {
        const r = await api('GET', `/${RQ}/${id.value}`);
        noteOffset(r.created_at);
        rememberTitle(RQ, r);
        state.crumb = state.titles[titleKey(RQ, r.id)];
        rec.value = r;
        loadExtras(r);
      } catch (e) {
        error.value = e;
      }
    }
    onMounted(load);
    function reload() { load(); refreshBell(); }

    const mine = computed(() => rec.value && state.user && rec.value.requester_id === state.user.id);

    function userName(uid, fromSlip) {
      if (uid == null) return '—';
      if (state.user && uid === state.user.id) return t('fl.me');
      if (fromSlip) return fromSlip;
      const known = state.titles[titleKey('users', uid)] || actors.value[uid];
      return known || t('fl.userNo', { id: uid });
    }

    function askApprove() {
      dialog.value = {
        title: t('fl.approveTitle'), test: 'fl-approve-dialog', submitText: t('fl.approve'),
        fields: [{ name: 'note', label: label(field(RQ, 'approve_note')) || t('fl.approveNote'), rows: 3, max: 500 }],
        run: async (v) => {
          const r = await translated(api('POST', `/${RQ}/${id.value}/approve`, { body: v.note.trim() ? { note: v.note.trim() } : {} }));
          ElMessage({ type: 'success', message: t('fl.approved') });
          return r;
        },
      };
    }
    function askReject() {
      dialog.value = {
        title: t('fl.rejectTitle'), test: 'fl-reject-dialog', submitText: t('fl.reject'),
        fields: [{ name: 'reason', label: label(field(RQ, 'reject_reason')) || t('fl.reason'), required: true, rows: 3, max: 500 }],
        run: (v) => translated(api('POST', `/${RQ}/${id.value}/reject`, { body: { reason: v.reason.trim() } })),
      };
    }
    function askCancel() {
      dialog.value = {
        title: t('fl.cancelTitle'), test: 'fl-cancel-dialog', submitText: t('fl.cancelRequest'),
        fields: [{ name: 'reason', label: label(field(RQ, 'cancel_reason')) || t('fl.reason'), rows: 3, max: 500 }],
        run: (v) => translated(api('POST', `/${RQ}/${id.value}/cancel`, { body: v.reason.trim() ? { reason: v.reason.trim() } : {} })),
      };
    }

    function toolbar(r) {
      const b = [];
      b.push(h(ElButton, { icon: Back, 'data-test': 'back', onClick: () => go('/c/' + RQ) }, () => t('detail.backToList')));
      if (mine.value && can(RQ, 'update') && r.status === 'submitted') {
        b.push(h(ElButton, { icon: Edit, 'data-test': 'edit', onClick: () => go(`/c/${RQ}/${r.id}/edit`) }, () => t('common.edit')));
      }
      if (can(RQ, 'approve') && r.status === 'submitted' && !mine.value) {
        b.push(h(ElButton, { type: 'primary', 'data-test': 'fl-approve', onClick: askApprove }, () => t('fl.approve')));
      }
      if (can(RQ, 'reject') && r.status === 'submitted' && !mine.value) {
        b.push(h(ElButton, { type: 'danger', plain: true, 'data-test': 'fl-reject', onClick: askReject }, () => t('fl.reject')));
      }
      if (can(RQ, 'dispatch') && r.status === 'approved') {
        b.push(h(ElButton, { type: 'primary', 'data-test': 'fl-dispatch', onClick: () => { dialog.value = 'dispatch'; } }, () => t('fl.dispatch')));
      }
      if (['dispatched', 'completed'].includes(r.status)) {
        b.push(h('a', { class: 'el-button', href: href(`/fleet/slip/${r.id}`), 'data-test': 'fl-slip-link' }, [h(Printer, { class: 'btn-icon', 'aria-hidden': 'true' }), h('span', t('fl.slip'))]));
      }
      const tripUnderway = trip.value && trip.value.status !== 'planned';
      if (can(RQ, 'cancel') && (mine.value || can(RQ, 'dispatch')) && ['submitted', 'approved', 'dispatched'].includes(r.status) && !tripUnderway) {
        b.push(h(ElButton, { type: 'danger', plain: true, 'data-test': 'fl-cancel', onClick: askCancel }, () => t('fl.cancelRequest')));
      }
      return h('div', { class: 'toolbar' }, b);
    }

    function steps(r) {
      if (r.status === 'rejected') {
        return h(ElAlert, { type: 'error', closable: false, showIcon: true, class: 'mb', 'data-test': 'fl-rejected', title: t('fl.rejectedNote') }, () => r.reject_reason || '');
      }
      if (r.status === 'cancelled') {
        return h(ElAlert, { type: 'info', closable: false, showIcon: true, class: 'mb', 'data-test': 'fl-cancelled', title: t('fl.cancelledNote') }, () => r.cancel_reason || '');
      }
      const tripStarted = trip.value && trip.value.status !== 'planned';
      const at = { submitted: 1, approved: 2, dispatched: tripStarted ? 4 : 3, completed: 5 }[r.status] ?? 0;
      return h(ElSteps, {
        active: at, finishStatus: 'success', alignCenter: true, class: 'fl-steps', 'data-test': 'status-steps', 'aria-label': t('fl.progress'),
      }, () => STEPS.map((s, i) => h(ElStep, { key: s, title: t('fl.step.' + s), 'aria-current': i === at ? 'step' : undefined })));
    }

    function facts(r) {
      const s = slip.value;
      const item = (text, node, test) => h(ElDescriptionsItem, { label: text }, () => h('span', { 'data-test': test }, [node]));
      const L = (n) => label(field(RQ, n));
      const vehicleNode = () => {
        if (!r.vehicle_id) return h('span', { class: 'muted' }, t('fl.notYet'));
        const plate = s ? s.vehicle.plate : vehicleName(r.vehicle_id);
        const more = s ? ` · ${[s.vehicle.brand, s.vehicle.model].filter(Boolean).join(' ')}` : '';
        return can(VEH, 'read') ? h('span', [h('a', { href: href(`/c/${VEH}/${r.vehicle_id}`), 'data-test': 'fl-vehicle-link' }, plate), more]) : h('span', [plate, more]);
      };
      const driverNode = () => {
        if (!r.driver_id) return h('span', { class: 'muted' }, t('fl.notYet'));
        const name = s ? s.driver.name : driverName(r.driver_id);
        const tel = s && s.driver.phone;
        return h('span', [name, tel ? [' · ', h('a', { href: 'tel:' + tel.replace(/[^0-9+]/g, '') }, tel)] : null]);
      };
      return h(ElDescriptions, { column: phone.value ? 1 : 2, border: true, class: 'mb', 'data-test': 'detail-fields' }, () => [
        item(t('fl.when'), `${timeRange(r.start_at, r.end_at)}（${t('fl.hoursN', { n: hours(r.start_at, r.end_at) })}）`, 'value-time'),
        item(t('fl.route'), `${r.origin} → ${r.destination}`, 'value-route'),
        item(L('seats_needed'), String(r.seats_needed), 'value-seats_needed'),
        r.passengers ? item(L('passengers'), r.passengers, 'value-passengers') : null,
        r.contact_phone ? item(L('contact_phone'), h('a', { href: 'tel:' + r.contact_phone.replace(/[^0-9+]/g, '') }, r.contact_phone), 'value-contact_phone') : null,
        item(L('requester_id'), userName(r.requester_id, s && s.requester), 'value-requester_id'),
        item(L('department_id'), (s && s.department) || dept.value || '—', 'value-department_id'),
        item(label(field(RQ, 'created_at')) || t('fl.filedAt'), formatDatetime(r.created_at), 'value-created_at'),
        r.approved_at ? item(r.status === 'rejected' ? t('fl.rejectedBy') : L('approver_id'), `${userName(r.approver_id, s && s.approver)} · ${formatDatetime(r.approved_at)}`, 'value-approver_id') : null,
        r.approve_note ? item(L('approve_note'), r.approve_note, 'value-approve_note') : null,
        r.dispatched_at ? item(L('dispatcher_id'), `${userName(r.dispatcher_id, s && s.dispatcher)} · ${formatDatetime(r.dispatched_at)}`, 'value-dispatcher_id') : null,
        item(L('vehicle_id'), vehicleNode(), 'value-vehicle_id'),
        item(L('driver_id'), driverNode(), 'value-driver_id'),
        r.closed_at ? item(L('closed_at'), formatDatetime(r.closed_at), 'value-closed_at') : null,
      ].filter(Boolean));
    }

    function tripBlock() {
      const tr = trip.value || (slip.value && slip.value.trip);
      if (!tr) return null;
      const T = (n) => label(field(TRIPS, n)) || n;
      const km = (n) => (n == null ? '—' : `${n.toLocaleString()} km`);
      return [
        h('h2', { class: 'section-title' }, t('fl.trip')),
        h(ElDescriptions, { column: phone.value ? 1 : 3, border: true, class: 'mb', 'data-test': 'fl-trip' }, () => [
          h(ElDescriptionsItem, { label: T('status') }, () => statusTag(TRIPS, tr.status)),
          h(ElDescriptionsItem, { label: T('started_at') }, () => formatDatetime(tr.started_at) || '—'),
          h(ElDescriptionsItem, { label: T('ended_at') }, () => formatDatetime(tr.ended_at) || '—'),
          h(ElDescriptionsItem, { label: T('start_km') }, () => km(tr.start_km)),
          h(ElDescriptionsItem, { label: T('end_km') }, () => km(tr.end_km)),
          h(ElDescriptionsItem, { label: T('distance_km') }, () => h('span', { 'data-test': 'value-distance_km' }, km(tr.distance_km))),
          tr.fuel_l != null ? h(ElDescriptionsItem, { label: T('fuel_l') }, () => String(tr.fuel_l)) : null,
          tr.energy_kwh != null ? h(ElDescriptionsItem, { label: T('energy_kwh') }, () => String(tr.energy_kwh)) : null,
          tr.tolls_fen != null ? h(ElDescriptionsItem, { label: T('tolls_fen') }, () => formatMoney(tr.tolls_fen)) : null,
          tr.parking_fen != null ? h(ElDescriptionsItem, { label: T('parking_fen') }, () => formatMoney(tr.parking_fen)) : null,
          tr.note ? h(ElDescriptionsItem, { label: T('note') }, () => tr.note) : null,
        ].filter(Boolean)),
      ];
    }

    return () => {
      if (error.value) {
        return h('section', { class: 'page' }, h(ElAlert, {
          type: 'error', showIcon: true, closable: false, 'data-test': 'detail-error',
          title: error.value.status === 404 ? t('error.notFound') : problemText(error.value),
        }, { default: () => h('a', { href: href('/c/' + RQ) }, t('detail.backToList')) }));
      }
      const r = rec.value;
      if (!r) return h('section', { class: 'page' }, h(ElSkeleton, { rows: 8, animated: true }));
      return h('section', { class: 'page fl-page fl-request', 'data-test': 'detail-' + RQ, 'data-status': r.status }, [
        h('div', { class: 'page-head' }, [
          h('div', { class: 'fl-title-row' }, [
            h('h1', { class: 'page-title', 'data-test': 'page-title' }, r.purpose),
            h('span', { 'data-test': 'fl-request-status' }, statusTag(RQ, r.status)),
            h('span', { class: 'muted' }, '#' + r.id),
          ]),
          toolbar(r),
        ]),
        steps(r),
        r.status === 'submitted' && mine.value ? h(ElAlert, { type: 'info', closable: false, showIcon: true, class: 'mb', title: t('fl.waitApproval') }) : null,
        r.status === 'approved' && mine.value ? h(ElAlert, { type: 'info', closable: false, showIcon: true, class: 'mb', title: t('fl.waitDispatch') }) : null,
        facts(r),
        tripBlock(),
        dialog.value === 'dispatch' ? h(DispatchDialog, {
          request: r, onClose: () => { dialog.value = null; }, onDone: () => { dialog.value = null; reload(); }, onRefused: () => load(),
        }) : dialog.value ? h(AskDialog, {
          ...dialog.value, subject: r.purpose,
          onClose: () => { dialog.value = null; },
          onDone: () => { dialog.value = null; reload(); },
        }) : null,
      ]);
    };
  },
});

