// The driver's trips (#/fleet/trips), phone first: the planned and running
// trips of the caller (drivers see their own through the `assigned` scope,
// fleet managers all), each with its request, vehicle and passengers; 出车
// records the odometer when leaving, 收车 the odometer on return, fuel or
// charge by the vehicle's energy, tolls, parking and fuel paid (yuan, sent in
// fen) and a note. The server's refusals are shown at their fields. What
// looks implausible to the server (a start far from the planned time, an
// average speed no car reaches, a distance far from the usual) comes back as
// a question: the card says why and asks for a reason, sent again with it and
// kept on the trip. The card shows the requester's phone, the passengers and
// the dispatcher's note.
import { defineComponent, h, ref, reactive, onMounted } from 'vue';
import { ElButton, ElAlert, ElSkeleton, ElEmpty, ElInput, ElForm, ElMessage } from 'element-plus';
import { Refresh, Phone as PhoneIcon } from '@element-plus/icons-vue';
import { t, label } from '../../lib/i18n.js';
import { api, placeErrors, fetchByIds, fieldText } from '../../lib/api.js';
import { href } from '../../lib/router.js';
import { state, can, field, collection, noteOffset } from '../../lib/session.js';
import { enumText } from '../../lib/fields.js';
import { formatMoney, yuanToFen } from '../../lib/money.js';
import { formatDatetime } from '../../lib/time.js';
import { refreshBell } from '../../components/bell.js';
import { fieldItem, formError } from '../../components/form-field.js';
import { telLink } from '../../components/tel-link.js';
import { RQ, TRIPS, VEH, DRV, statusTag, timeRange, flError, vehicleText, ms, driverName, resolveNames } from './common.js';
import { pageHead } from '../../components/page-head.js';
import { linkButton } from '../../components/link-button.js';

const ACTIVE = ['planned', 'in_progress'];
const INT = /^\d{1,7}$/;
const QTY = /^\d{1,6}(\.\d{1,2})?$/;
const YUAN = /^\d{1,7}(\.\d{1,2})?$/;

// which quantities a vehicle's energy asks for
function quantities(energy) {
  if (energy === 'electric') return ['energy_kwh'];
  if (energy === 'phev') return ['fuel_l', 'energy_kwh'];
  return ['fuel_l'];
}

// Also the detail view of trips (#/c/trips/{id}, where the driver's
// notification of a new trip leads): the same card for that one trip.
export const TripsView = defineComponent({
  name: 'TripsView',
  props: { c: String, id: [String, Number] },
  setup(props) {
    const trips = ref(null);
    const recent = ref([]);
    const requests = ref({});
    const vehicles = ref({});
    const error = ref(null);
    const loading = ref(false);
    const open = ref(null);          // {id, kind: 'start' | 'close'}
    const form = reactive({});
    const errors = reactive({});
    const alert = ref('');
    const busy = ref(false);
    const asked = ref(null);         // what the server asks a reason for: [text, …]
    let seq = 0;
    state.crumb = null;

    async function related(list) {
      const [rs, vs] = await Promise.all([
        fetchByIds(RQ, list.map((x) => x.request_id).filter((id) => !requests.value[id])),
        can(VEH, 'read') ? fetchByIds(VEH, list.map((x) => x.vehicle_id)) : [],
      ]);
      const rm = { ...requests.value };
      for (const x of rs) rm[x.id] = x;
      requests.value = rm;
      const vm = { ...vehicles.value };
      for (const x of vs) vm[x.id] = x;
      vehicles.value = vm;
      await resolveNames(list.map((x) => ({ driver_id: x.driver_id })));
    }

    async function load() {
      const mine = ++seq;
      loading.value = true;
      error.value = null;
      try {
        if (props.id) {
          const x = await api('GET', `/${TRIPS}/${props.id}`);
          await related([x]);
          if (mine !== seq) return;
          noteOffset(x.created_at);
          const active = ACTIVE.includes(x.status);
          trips.value = active ? [x] : [];
          recent.value = active ? [] : [x];
          const r = requests.value[x.request_id];
          state.crumb = r ? r.purpose : '#' + x.id;
          return;
        }
        const [a, c] = await Promise.all([
          api('GET', '/' + TRIPS, { query: { 'status[in]': ACTIVE.join(','), limit: 100 } }),
          api('GET', '/' + TRIPS, { query: { status: 'closed', sort: '-id', limit: 5 } }),
        ]);
        await related([...a.items, ...c.items].slice(0, 100));
        if (mine !== seq) return;
        if (a.items[0]) noteOffset(a.items[0].created_at);
        const start = (x) => { const r = requests.value[x.request_id]; return r ? ms(r.start_at) : 0; };
        trips.value = a.items.slice().sort((x, y) => (x.status === y.status ? start(x) - start(y) : x.status === 'in_progress' ? -1 : 1));
        recent.value = c.items;
      } catch (e) {
        if (mine === seq) { error.value = e; trips.value = trips.value || []; }
      } finally {
        if (mine === seq) loading.value = false;
      }
    }
    onMounted(() => { load(); refreshBell(); });

    function openForm(trip, kind) {
      open.value = { id: trip.id, kind };
      alert.value = '';
      asked.value = null;
      for (const k of Object.keys(form)) delete form[k];
      for (const k of Object.keys(errors)) delete errors[k];
      Object.assign(form, { start_km: '', end_km: '', fuel_l: '', energy_kwh: '', tolls: '', parking: '', fuel_paid: '', note: '', reason: '' });
      requestAnimationFrame(() => {
        const el = document.querySelector(kind === 'start' || trip.status === 'planned' ? '#fl-trip-start_km' : '#fl-trip-end_km');
        if (el) el.focus();
      });
    }

    // the body to send, or null after marking what is wrong
    function body(trip, kind) {
      for (const k of Object.keys(errors)) errors[k] = '';
      const v = vehicles.value[trip.vehicle_id];
      const out = {};
      let bad = false;
      const need = (name, re, required, conv) => {
        const s = String(form[name] ?? '').trim();
        if (!s) { if (required) { errors[name] = t('srv.required'); bad = true; } return; }
        if (!re.test(s)) { errors[name] = t('fl.badNumber'); bad = true; return; }
        out[conv ? conv.to : name] = conv ? conv.fn(s) : Number(s);
      };
      const askStart = kind === 'start' || trip.status === 'planned';
      if (askStart) need('start_km', INT, true);
      if (kind === 'close') {
        need('end_km', INT, true);
        for (const q of quantities(v && v.energy)) need(q, QTY, false);
        need('tolls', YUAN, false, { to: 'tolls_fen', fn: yuanToFen });
        need('parking', YUAN, false, { to: 'parking_fen', fn: yuanToFen });
        need('fuel_paid', YUAN, false, { to: 'fuel_fen', fn: yuanToFen });
      }
      if (form.note.trim()) out.note = form.note.trim();
      if (asked.value) {
        if (form.reason.trim()) out.reason = form.reason.trim();
        else { errors.reason = t('fl.reasonRequired'); bad = true; }
      }
      return bad ? null : out;
    }

    const SERVER_TO_FORM = { start_km: 'start_km', end_km: 'end_km', fuel_l: 'fuel_l', energy_kwh: 'energy_kwh', tolls_fen: 'tolls', parking_fen: 'parking', fuel_fen: 'fuel_paid', note: 'note', reason: 'reason' };

    async function send(trip) {
      const kind = open.value.kind;
      alert.value = '';
      const b = body(trip, kind);
      if (!b) { alert.value = t('form.fixFields'); return; }
      busy.value = true;
      try {
        await api('POST', `/${TRIPS}/${trip.id}/${kind}`, { body: b });
        ElMessage({ type: 'success', message: kind === 'start' ? t('fl.tripStarted') : t('fl.closedTrip') });
        open.value = null;
        refreshBell();
        load();
      } catch (e) {
        // a question rather than a refusal: say why, and ask for the reason
        const items = (e.status === 422 && e.errors) || [];
        if (items.length && items.every((x) => x.field === 'reason' && String(x.key).startsWith('fleet.trip.confirm'))) {
          asked.value = items.map((x) => fieldText(x, collection(TRIPS)));
          alert.value = '';
          requestAnimationFrame(() => { const el = document.querySelector('#fl-trip-reason'); if (el) el.focus(); });
          return;
        }
        const placed = placeErrors(e, errors, (f) => SERVER_TO_FORM[f] || null, collection(TRIPS));
        alert.value = placed ? t('form.fixFields') : flError(e, TRIPS);
        if (e.status === 409) load();
      } finally {
        busy.value = false;
      }
    }

    function input(name, text, opts = {}) {
      const id = 'fl-trip-' + name;
      return fieldItem(name, { label: text, for: id, required: opts.required, error: errors[name] }, [
        h(ElInput, {
          id, modelValue: form[name], inputmode: opts.mode || 'numeric', autocomplete: 'off', maxlength: opts.max || 12,
          type: opts.rows ? 'textarea' : 'text', rows: opts.rows, placeholder: opts.placeholder || '',
          'onUpdate:modelValue': (x) => { form[name] = x; errors[name] = ''; },
        }, opts.prefix ? { prefix: () => h('span', opts.prefix) } : opts.suffix ? { suffix: () => h('span', opts.suffix) } : undefined),
        opts.hint ? h('div', { class: 'fl-field-hint' }, opts.hint) : null,
      ]);
    }

    function tripForm(trip) {
      const kind = open.value.kind;
      const v = vehicles.value[trip.vehicle_id];
      const T = (n) => label(field(TRIPS, n)) || n;
      const lastKm = v ? t('fl.lastReading', { n: v.odometer_km.toLocaleString() }) : '';
      const items = [];
      if (kind === 'start' || trip.status === 'planned') items.push(input('start_km', T('start_km'), { required: true, hint: lastKm, suffix: 'km' }));
      if (kind === 'close') {
        items.push(input('end_km', T('end_km'), { required: true, suffix: 'km', hint: trip.start_km != null ? t('fl.startedAtKm', { n: trip.start_km.toLocaleString() }) : '' }));
        for (const q of quantities(v && v.energy)) items.push(input(q, T(q), { mode: 'decimal', suffix: q === 'fuel_l' ? 'L' : 'kWh' }));
        items.push(h('div', { class: 'fl-form-row fl-money-row' }, [
          input('tolls', t('fl.tollsYuan'), { mode: 'decimal', prefix: '¥' }),
          input('parking', t('fl.parkingYuan'), { mode: 'decimal', prefix: '¥' }),
        ]));
        items.push(input('fuel_paid', v && v.energy === 'electric' ? t('fl.chargePaidYuan') : t('fl.fuelPaidYuan'), { mode: 'decimal', prefix: '¥', hint: t('fl.paidHint') }));
      }
      items.push(input('note', T('note'), { mode: 'text', rows: 2, max: 500 }));
      if (asked.value) items.push(input('reason', t('fl.reasonLabel'), { mode: 'text', rows: 3, max: 500, required: true }));
      return h('div', { class: 'fl-trip-form', 'data-test': kind === 'start' ? 'fl-start-form' : 'fl-close-form' }, [
        formError(alert.value),
        asked.value ? h(ElAlert, { type: 'warning', showIcon: true, closable: false, title: t('fl.confirmTitle'), class: 'mb', 'data-test': 'fl-trip-confirm' },
          () => asked.value.map((x) => h('p', { class: 'fl-confirm-line' }, x))) : null,
        h(ElForm, { labelPosition: 'top', novalidate: true, onSubmit: (e) => { e.preventDefault(); send(trip); } }, () => [
          ...items,
          h('div', { class: 'form-actions fl-trip-actions' }, [
            h(ElButton, { type: 'primary', nativeType: 'submit', loading: busy.value, 'data-test': kind === 'start' ? 'fl-start-submit' : 'fl-close-submit' },
              () => (asked.value ? t('fl.confirmSend') : kind === 'start' ? t('fl.startTrip') : t('fl.closeTrip'))),
            h(ElButton, { onClick: () => { open.value = null; }, 'data-test': 'fl-form-cancel' }, () => t('common.cancel')),
          ]),
        ]),
      ]);
    }

    function card(trip, active) {
      const r = requests.value[trip.request_id];
      const v = vehicles.value[trip.vehicle_id];
      const isOpen = open.value && open.value.id === trip.id;
      const mayStart = can(TRIPS, 'start') && trip.status === 'planned';
      const mayClose = can(TRIPS, 'close') && ACTIVE.includes(trip.status);
      return h('article', { key: trip.id, class: ['fl-trip-card', 'is-' + trip.status], 'data-test': 'fl-trip-card', 'data-id': trip.id, 'data-request': trip.request_id, 'data-status': trip.status }, [
        h('header', { class: 'fl-trip-head' }, [
          h('a', { class: 'fl-trip-title', href: href(`/c/${RQ}/${trip.request_id}`) }, r ? r.purpose : '#' + trip.request_id),
          statusTag(TRIPS, trip.status),
        ]),
        r ? h('p', { class: 'fl-trip-when' }, timeRange(r.start_at, r.end_at)) : null,
        h('dl', { class: 'fl-facts' }, [
          r ? h('div', { class: 'fl-fact' }, [h('dt', t('fl.route')), h('dd', `${r.origin} → ${r.destination}`)]) : null,
          h('div', { class: 'fl-fact' }, [h('dt', t('fl.vehicle')), h('dd', { 'data-test': 'fl-trip-vehicle' }, v ? `${v.plate} · ${vehicleText(v)} · ${enumText(VEH, 'energy', v.energy)}` : '#' + trip.vehicle_id)]),
          r ? h('div', { class: 'fl-fact' }, [h('dt', label(field(RQ, 'seats_needed'))), h('dd', String(r.seats_needed))]) : null,
          r && r.passengers ? h('div', { class: 'fl-fact' }, [h('dt', label(field(RQ, 'passengers'))), h('dd', { 'data-test': 'fl-trip-passengers' }, r.passengers)]) : null,
          r && r.contact_phone ? h('div', { class: 'fl-fact' }, [h('dt', t('fl.requesterPhone')), h('dd', { 'data-test': 'fl-trip-phone' }, telLink(r.contact_phone, { class: 'fl-tel' }, [h(PhoneIcon, { class: 'btn-icon', 'aria-hidden': 'true' }), r.contact_phone]))]) : null,
          trip.dispatch_note ? h('div', { class: 'fl-fact' }, [h('dt', label(field(TRIPS, 'dispatch_note'))), h('dd', { 'data-test': 'fl-trip-dispatch-note' }, trip.dispatch_note)]) : null,
          trip.start_reason ? h('div', { class: 'fl-fact' }, [h('dt', label(field(TRIPS, 'start_reason'))), h('dd', { 'data-test': 'fl-trip-start-reason' }, trip.start_reason)]) : null,
          !active && trip.close_reason ? h('div', { class: 'fl-fact' }, [h('dt', label(field(TRIPS, 'close_reason'))), h('dd', { 'data-test': 'fl-trip-close-reason' }, trip.close_reason)]) : null,
          trip.started_at ? h('div', { class: 'fl-fact' }, [h('dt', label(field(TRIPS, 'started_at'))), h('dd', `${formatDatetime(trip.started_at)} · ${trip.start_km.toLocaleString()} km`)]) : null,
          !active && trip.distance_km != null ? h('div', { class: 'fl-fact' }, [h('dt', label(field(TRIPS, 'distance_km'))), h('dd', `${trip.distance_km} km`)]) : null,
          !active && trip.ended_at ? h('div', { class: 'fl-fact' }, [h('dt', label(field(TRIPS, 'ended_at'))), h('dd', formatDatetime(trip.ended_at))]) : null,
          !active && (trip.tolls_fen || trip.parking_fen) ? h('div', { class: 'fl-fact' }, [h('dt', t('fl.charges')), h('dd', formatMoney((trip.tolls_fen || 0) + (trip.parking_fen || 0)))]) : null,
          !active && trip.fuel_l != null ? h('div', { class: 'fl-fact' }, [h('dt', label(field(TRIPS, 'fuel_l'))), h('dd', String(trip.fuel_l))]) : null,
          !active && trip.energy_kwh != null ? h('div', { class: 'fl-fact' }, [h('dt', label(field(TRIPS, 'energy_kwh'))), h('dd', String(trip.energy_kwh))]) : null,
          can(DRV, 'read') ? h('div', { class: 'fl-fact' }, [h('dt', label(field(TRIPS, 'driver_id'))), h('dd', driverName(trip.driver_id))]) : null,
          !active && trip.note ? h('div', { class: 'fl-fact' }, [h('dt', label(field(TRIPS, 'note'))), h('dd', trip.note)]) : null,
        ]),
        active && !isOpen && (mayStart || mayClose) ? h('div', { class: 'fl-trip-buttons' }, [
          mayStart ? h(ElButton, { type: 'primary', size: 'large', 'data-test': 'fl-trip-start', onClick: () => openForm(trip, 'start') }, () => t('fl.startTrip')) : null,
          mayClose ? h(ElButton, { type: trip.status === 'in_progress' ? 'primary' : 'default', size: 'large', 'data-test': 'fl-trip-close', onClick: () => openForm(trip, 'close') }, () => t('fl.closeTrip')) : null,
        ]) : null,
        isOpen ? tripForm(trip) : null,
      ]);
    }

    return () => h('section', { class: 'page fl-page fl-trips', 'data-test': props.id ? 'detail-trips' : 'fl-trips' }, [
      pageHead(props.id ? t('fl.trip') : t('fl.trips'), [
        props.id && (can(TRIPS, 'start') || can(TRIPS, 'close')) ? linkButton(href('/fleet/trips'), t('fl.trips'), { test: 'fl-all-my-trips' }) : null,
        h(ElButton, { icon: Refresh, 'aria-label': t('common.refresh'), 'data-test': 'refresh', onClick: load }),
      ]),
      error.value ? h(ElAlert, { type: 'error', showIcon: true, closable: false, title: flError(error.value, TRIPS), class: 'mb', 'data-test': 'fl-trips-error' }) : null,
      trips.value === null ? (error.value ? null : h(ElSkeleton, { rows: 5, animated: true }))
        : !trips.value.length ? (props.id ? null : h(ElEmpty, { description: t('fl.noTrips'), 'data-test': 'fl-trips-empty', imageSize: 80 }))
          : h('div', { class: 'fl-trip-list', 'data-test': 'fl-trip-list', 'aria-busy': loading.value ? 'true' : 'false' }, trips.value.map((x) => card(x, true))),
      props.id && recent.value.length ? h('div', { class: 'fl-trip-list', 'data-test': 'fl-recent' }, recent.value.map((x) => card(x, false))) : null,
      !props.id && recent.value.length ? [
        h('h2', { class: 'section-title' }, t('fl.recentTrips')),
        h('div', { class: 'fl-trip-list', 'data-test': 'fl-recent' }, recent.value.map((x) => card(x, false))),
      ] : null,
    ]);
  },
});
