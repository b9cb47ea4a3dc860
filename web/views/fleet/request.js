// A trip request's own page (the detail view of trip_requests): the steps,
// what was asked, who approved and dispatched it, the vehicle and driver,
// the trip as the driver recorded it; approve / reject / dispatch / cancel
// for whoever may, and the printable dispatch slip.
import { defineComponent, h, ref, computed } from 'vue';
import { ElButton, ElAlert, ElDescriptionsItem } from 'element-plus';
import { Back, Edit, Printer } from '@element-plus/icons-vue';
import { t, label } from '../../lib/i18n.js';
import { api } from '../../lib/api.js';
import { go, href } from '../../lib/router.js';
import { state, can, field, collection, titleKey, resolveTitles } from '../../lib/session.js';
import { useRecord } from '../../lib/record.js';
import { formatMoney } from '../../lib/money.js';
import { formatDatetime } from '../../lib/time.js';
import { userName as nameOfUser } from '../../lib/users.js';
import { refreshBell } from '../../components/bell.js';
import { AskDialog, postDialog } from '../../components/ask-dialog.js';
import { stepBar } from '../../components/step-bar.js';
import { pageError, pageLoading } from '../../components/page-state.js';
import { factList, factItem } from '../../components/facts.js';
import { telLink } from '../../components/tel-link.js';
import {
  RQ, TRIPS, VEH, statusTag, timeRange, hours, DispatchDialog, driverName, vehicleName, resolveNames, flError,
} from './common.js';
import { pageHead, titleRow } from '../../components/page-head.js';
import { linkButton } from '../../components/link-button.js';

const STEPS = ['submitted', 'approved', 'dispatched', 'trip', 'completed'];

export const TripRequestView = defineComponent({
  name: 'TripRequestView',
  props: { c: String, id: [String, Number], params: Object },
  setup(props) {
    const id = computed(() => props.id || (props.params && props.params.id));
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
    const { rec, error, load } = useRecord(RQ, () => id.value, loadExtras);
    function reload() { load(); refreshBell(); }

    const mine = computed(() => rec.value && state.user && rec.value.requester_id === state.user.id);

    // the slip names them once dispatched, the history before (users are readable only by some roles)
    function userName(uid, fromSlip) {
      return nameOfUser(uid, { words: 'fl', none: '—', known: fromSlip || actors.value[uid] });
    }

    function askApprove() {
      dialog.value = postDialog(`/${RQ}/${id.value}/approve`, {
        title: t('fl.approveTitle'), test: 'fl-approve-dialog', submitText: t('fl.approve'),
        fields: [{ name: 'note', label: label(field(RQ, 'approve_note')) || t('fl.approveNote'), rows: 3, max: 500 }],
        doneText: t('fl.approved'),
      });
    }
    function askReject() {
      dialog.value = postDialog(`/${RQ}/${id.value}/reject`, {
        title: t('fl.rejectTitle'), test: 'fl-reject-dialog', submitText: t('fl.reject'),
        fields: [{ name: 'reason', label: label(field(RQ, 'reject_reason')) || t('fl.reason'), required: true, rows: 3, max: 500 }],
      });
    }
    function askCancel() {
      dialog.value = postDialog(`/${RQ}/${id.value}/cancel`, {
        title: t('fl.cancelTitle'), test: 'fl-cancel-dialog', submitText: t('fl.cancelRequest'),
        fields: [{ name: 'reason', label: label(field(RQ, 'cancel_reason')) || t('fl.reason'), rows: 3, max: 500 }],
      });
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
        b.push(linkButton(href(`/fleet/slip/${r.id}`), t('fl.slip'), { icon: Printer, test: 'fl-slip-link' }));
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
      return stepBar({
        steps: STEPS.map((s) => ({ key: s, title: t('fl.step.' + s) })), cls: 'fl-steps', label: t('fl.progress'),
        at: { submitted: 1, approved: 2, dispatched: tripStarted ? 4 : 3, completed: 5 }[r.status] ?? 0,
      });
    }

    function facts(r) {
      const s = slip.value;
      const item = factItem;
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
        return h('span', [name, tel ? [' · ', telLink(tel)] : null]);
      };
      return factList([
        item(t('fl.when'), `${timeRange(r.start_at, r.end_at)}（${t('fl.hoursN', { n: hours(r.start_at, r.end_at) })}）`, 'value-time'),
        item(t('fl.route'), `${r.origin} → ${r.destination}`, 'value-route'),
        item(L('seats_needed'), String(r.seats_needed), 'value-seats_needed'),
        r.passengers ? item(L('passengers'), r.passengers, 'value-passengers') : null,
        r.contact_phone ? item(L('contact_phone'), telLink(r.contact_phone), 'value-contact_phone') : null,
        item(L('requester_id'), userName(r.requester_id, s && s.requester), 'value-requester_id'),
        item(L('department_id'), (s && s.department) || dept.value || '—', 'value-department_id'),
        item(label(field(RQ, 'created_at')) || t('fl.filedAt'), formatDatetime(r.created_at), 'value-created_at'),
        r.approved_at ? item(r.status === 'rejected' ? t('fl.rejectedBy') : L('approver_id'), `${userName(r.approver_id, s && s.approver)} · ${formatDatetime(r.approved_at)}`, 'value-approver_id') : null,
        r.approve_note ? item(L('approve_note'), r.approve_note, 'value-approve_note') : null,
        r.dispatched_at ? item(L('dispatcher_id'), `${userName(r.dispatcher_id, s && s.dispatcher)} · ${formatDatetime(r.dispatched_at)}`, 'value-dispatcher_id') : null,
        item(L('vehicle_id'), vehicleNode(), 'value-vehicle_id'),
        item(L('driver_id'), driverNode(), 'value-driver_id'),
        r.closed_at ? item(L('closed_at'), formatDatetime(r.closed_at), 'value-closed_at') : null,
      ]);
    }

    function tripBlock() {
      const tr = trip.value || (slip.value && slip.value.trip);
      if (!tr) return null;
      const T = (n) => label(field(TRIPS, n)) || n;
      const km = (n) => (n == null ? '—' : `${n.toLocaleString()} km`);
      return [
        h('h2', { class: 'section-title' }, t('fl.trip')),
        factList([
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
        ], { columns: 3, test: 'fl-trip' }),
      ];
    }

    return () => {
      if (error.value) return pageError(error.value, { back: href('/c/' + RQ), ent: collection(RQ) });
      const r = rec.value;
      if (!r) return pageLoading();
      return h('section', { class: 'page fl-page fl-request', 'data-test': 'detail-' + RQ, 'data-status': r.status }, [
        pageHead(titleRow(r.purpose, h('span', { 'data-test': 'fl-request-status' }, statusTag(RQ, r.status)), h('span', { class: 'muted' }, '#' + r.id)), toolbar(r)),
        steps(r),
        r.status === 'submitted' && mine.value ? h(ElAlert, { type: 'info', closable: false, showIcon: true, class: 'mb', title: t('fl.waitApproval') }) : null,
        r.status === 'approved' && mine.value ? h(ElAlert, { type: 'info', closable: false, showIcon: true, class: 'mb', title: t('fl.waitDispatch') }) : null,
        facts(r),
        tripBlock(),
        dialog.value === 'dispatch' ? h(DispatchDialog, {
          request: r, onClose: () => { dialog.value = null; }, onDone: () => { dialog.value = null; reload(); }, onRefused: () => load(),
        }) : dialog.value ? h(AskDialog, {
          ...dialog.value, subject: r.purpose, ent: collection(RQ), errorText: (e) => flError(e),
          onClose: () => { dialog.value = null; },
          onDone: () => { dialog.value = null; reload(); },
        }) : null,
      ]);
    };
  },
});

