// Official vehicles: pieces shared by the fleet pages (status tags, the
// tenant's calendar days, refusals in words, names of vehicles and drivers,
// the dispatch dialog). The server's reasons are said by
// key (lib/api.js problemText).
import { defineComponent, h, ref, reactive, computed, watch, onMounted } from 'vue';
import {
  ElDialog, ElForm, ElFormItem, ElSelect, ElOption, ElInput, ElButton, ElAlert, ElCheckbox, ElSkeleton,
  ElMessage, ElEmpty,
} from 'element-plus';
import { t, label } from '../../lib/i18n.js';
import { api, problemText, placeErrors } from '../../lib/api.js';
import { state, field, collection, rememberTitle, titleKey, titleOf, knowTitle, resolveTitles } from '../../lib/session.js';
import { enumText } from '../../lib/fields.js';
import { formatDatetime, fromWall, addDays } from '../../lib/time.js';
import { refreshBell } from '../../components/bell.js';
import { statusTag as tag } from '../../components/status-tag.js';

export const RQ = 'trip_requests';
export const TRIPS = 'trips';
export const VEH = 'vehicles';
export const DRV = 'drivers';
export const COSTS = 'vehicle_costs';

export const OPEN_REQUEST = ['submitted', 'approved', 'dispatched'];
export const OUT_OF_SERVICE = ['in_repair', 'to_scrap', 'scrapped'];

const REQ_TYPES = { submitted: 'warning', approved: 'primary', dispatched: 'success', completed: 'info', rejected: 'danger', cancelled: 'info' };
const TRIP_TYPES = { planned: 'warning', in_progress: 'primary', closed: 'success', cancelled: 'info' };
const VEH_TYPES = { available: 'success', on_trip: 'primary', in_repair: 'warning', to_scrap: 'danger', scrapped: 'info' };
const TYPES = { [RQ]: REQ_TYPES, [TRIPS]: TRIP_TYPES, [VEH]: VEH_TYPES };

export function statusTag(coll, status, extra = {}) {
  return tag(coll, status, TYPES[coll], extra);
}

// ---- the tenant's calendar (wall clock in its zone) ----

export function pad(n) { return String(n).padStart(2, '0'); }
// Monday of the week of ymd
export function weekStart(ymd) {
  const d = new Date(ymd + 'T00:00:00Z');
  return addDays(ymd, -((d.getUTCDay() + 6) % 7));
}
export function dayStart(ymd) { return fromWall(ymd + 'T00:00:00'); }
export function weekday(ymd) { return new Date(ymd + 'T00:00:00Z').getUTCDay(); }
// ms since the epoch of an ISO time
export function ms(iso) { return Date.parse(iso); }
// '12-01 09:00–17:00', or across days '12-01 09:00 – 12-02 12:00'
export function timeRange(from, to) {
  const a = formatDatetime(from), b = formatDatetime(to);
  if (!a) return '';
  if (a.slice(0, 10) === b.slice(0, 10)) return `${a.slice(5)}–${b.slice(11)}`;
  return `${a.slice(5)} – ${b.slice(5)}`;
}
export function hours(from, to) {
  const hrs = (ms(to) - ms(from)) / 3600000;
  return Math.round(hrs * 10) / 10;
}

// ---- refusals in words ----

// An error about a record of coll (a trip request unless said) in words; a
// conflict with the record's state is said to be one.
export function flError(e, coll = RQ) {
  if (!e) return '';
  const text = problemText(e, collection(coll));
  return e.status === 409 ? t('fl.conflict', { detail: text }) : text;
}

// Names of drivers and vehicles (when the caller may read them).
export function driverName(id) {
  if (id == null) return '';
  return state.titles[titleKey(DRV, id)] || t('fl.driverNo', { id });
}
export function vehicleName(id) { return titleOf(VEH, id); }
function knowDriver(d) { if (d && d.id) knowTitle(DRV, d.id, d.name); }
function knowVehicle(v) { if (v && v.id) rememberTitle(VEH, v); }
export async function resolveNames(records) {
  await Promise.all([
    resolveTitles(DRV, records.map((r) => r.driver_id).filter(Boolean)),
    resolveTitles(VEH, records.map((r) => r.vehicle_id).filter(Boolean)),
  ]);
}

export function vehicleText(v) {
  return [v.brand, v.model].filter(Boolean).join(' ');
}

// A labelled fact for a <dl>.
export function fact(text, value, test) {
  return h('div', { class: 'fl-fact' }, [h('dt', text), h('dd', { 'data-test': test }, value == null || value === '' ? '—' : value)]);
}

// ---- the dispatch dialog ----

// Picks a vehicle and a driver for an approved request: the server's
// candidates first (the best fit preselected), optionally every vehicle and
// driver in service; posts …/dispatch and shows a refusal with its reason.
export const DispatchDialog = defineComponent({
  name: 'DispatchDialog',
  props: { request: { type: Object, required: true } },
  emits: ['close', 'done', 'refused'],
  setup(props, { emit }) {
    const cand = ref(null);
    const loadError = ref(null);
    const all = ref(false);
    const form = reactive({ vehicle_id: null, driver_id: null, note: '' });
    const errors = reactive({ vehicle_id: '', driver_id: '', note: '' });
    const alert = ref('');
    const busy = ref(false);

    async function loadCandidates() {
      loadError.value = null;
      try {
        const r = await api('GET', `/${RQ}/${props.request.id}/candidates`);
        for (const v of [...r.vehicles, ...r.unavailable.vehicles]) knowVehicle(v);
        for (const d of [...r.drivers, ...r.unavailable.drivers]) knowDriver(d);
        cand.value = r;
        if (!form.vehicle_id || !vehicles.value.some((v) => v.id === form.vehicle_id)) form.vehicle_id = r.vehicles[0] ? r.vehicles[0].id : null;
        pickDriver();
      } catch (e) {
        loadError.value = e;
        cand.value = cand.value || { vehicles: [], drivers: [], unavailable: { vehicles: [], drivers: [] } };
      }
    }
    onMounted(loadCandidates);

    // every vehicle and driver in service: the proposed ones first, then the
    // others with the server's reason (busy with which request, seats, licence)
    const vehicles = computed(() => {
      const c = cand.value;
      if (!c) return [];
      return all.value ? [...c.vehicles, ...c.unavailable.vehicles] : c.vehicles;
    });
    const chosenVehicle = computed(() => vehicles.value.find((v) => v.id === form.vehicle_id) || null);
    // drivers who may drive the chosen vehicle (each vehicle lists its licence classes)
    const drivers = computed(() => {
      const c = cand.value;
      if (!c) return [];
      const v = chosenVehicle.value;
      const fits = (d) => !v || !v.licences || v.licences.includes(d.licence_class);
      const list = c.drivers.filter(fits);
      return all.value ? [...list, ...c.unavailable.drivers] : list;
    });
    function pickDriver() {
      if (!drivers.value.some((d) => d.id === form.driver_id)) form.driver_id = drivers.value[0] ? drivers.value[0].id : null;
    }
    watch(() => form.vehicle_id, pickDriver);

    async function send() {
      alert.value = '';
      errors.vehicle_id = ''; errors.driver_id = '';
      if (!form.vehicle_id) errors.vehicle_id = t('fl.pickVehicle');
      if (!form.driver_id) errors.driver_id = t('fl.pickDriver');
      if (errors.vehicle_id || errors.driver_id) return;
      busy.value = true;
      try {
        const body = { vehicle_id: form.vehicle_id, driver_id: form.driver_id };
        if (form.note.trim()) body.note = form.note.trim();
        const r = await api('POST', `/${RQ}/${props.request.id}/dispatch`, { body });
        ElMessage({ type: 'success', message: t('fl.dispatched', { plate: vehicleName(form.vehicle_id) }) });
        refreshBell();
        emit('done', r);
      } catch (e) {
        if (!placeErrors(e, errors, ['vehicle_id', 'driver_id', 'note'], collection(RQ))) alert.value = flError(e);
        else alert.value = t('fl.notFit');
        if (e.status === 409 || e.status === 422) {
          emit('refused', e);
          loadCandidates();
        }
      } finally {
        busy.value = false;
      }
    }

    // why a vehicle or driver is not proposed, in the UI's language
    function whyNot(x) {
      switch (x.reason) {
      case 'busy': return t('fl.whyBusy', { id: x.busy_with.request_id, when: timeRange(x.busy_with.start_at, x.busy_with.end_at) });
      case 'overdue': return t('fl.whyOverdue', { id: x.overdue_with.request_id, when: formatDatetime(x.overdue_with.end_at) });
      case 'seats': return t('fl.whySeats');
      case 'licence_expired': return t('fl.whyLicenceExpired', { date: x.licence_until });
      case 'licence_class': return t('fl.whyLicenceClass');
      case 'no_vehicle': return t('fl.whyNoVehicle');
      default: return OUT_OF_SERVICE.includes(x.reason) ? enumText(VEH, 'status', x.reason) : t('fl.notCandidate');
      }
    }
    function vehicleOption(v) {
      return h(ElOption, { key: 'v' + v.id, value: v.id, label: v.plate, 'data-test': 'fl-vehicle-option', 'data-id': v.id, class: 'fl-option' }, () => [
        h('span', { class: 'fl-option-main' }, v.plate),
        h('span', { class: 'fl-option-sub' }, [
          vehicleText(v), ' · ', t('fl.seatsN', { n: v.seats }), ' · ', enumText(VEH, 'energy', v.energy),
          v.reason ? h('span', { class: 'fl-option-warn', 'data-test': 'fl-why-not' }, ' · ' + whyNot(v)) : null,
        ]),
      ]);
    }
    function driverOption(d) {
      return h(ElOption, { key: 'd' + d.id, value: d.id, label: d.name, 'data-test': 'fl-driver-option', 'data-id': d.id, class: 'fl-option' }, () => [
        h('span', { class: 'fl-option-main' }, d.name),
        h('span', { class: 'fl-option-sub' }, [
          enumText(DRV, 'licence_class', d.licence_class),
          d.user_id ? ' · ' + t('fl.hasAccount') : '',
          d.reason ? h('span', { class: 'fl-option-warn', 'data-test': 'fl-why-not' }, ' · ' + whyNot(d)) : null,
        ]),
      ]);
    }

    return () => {
      const r = props.request;
      const c = cand.value;
      return h(ElDialog, {
        modelValue: true, title: t('fl.dispatchTitle'), width: 'min(560px, 96vw)', appendToBody: true, class: 'fl-dialog',
        'onUpdate:modelValue': (v) => { if (!v) emit('close'); },
      }, {
        default: () => h('div', { 'data-test': 'fl-dispatch-dialog', 'data-request': r.id }, [
          h('p', { class: 'dialog-subject' }, r.purpose),
          h('dl', { class: 'fl-facts fl-facts-tight' }, [
            fact(t('fl.when'), timeRange(r.start_at, r.end_at)),
            fact(t('fl.route'), `${r.origin} → ${r.destination}`),
            fact(label(field(RQ, 'seats_needed')), String(r.seats_needed)),
          ]),
          alert.value ? h(ElAlert, { type: 'error', showIcon: true, closable: false, title: alert.value, class: 'mb', role: 'alert', 'data-test': 'fl-dispatch-error' }) : null,
          loadError.value ? h(ElAlert, { type: 'error', showIcon: true, closable: false, title: flError(loadError.value), class: 'mb' }) : null,
          !c ? h(ElSkeleton, { rows: 3, animated: true }) : h(ElForm, { labelPosition: 'top', onSubmit: (e) => { e.preventDefault(); send(); } }, () => [
            h('p', { class: 'hint', 'data-test': 'fl-candidate-count', 'data-vehicles': c.vehicles.length, 'data-drivers': c.drivers.length },
              c.vehicles.length ? t('fl.candidatesHint', { v: c.vehicles.length, d: c.drivers.length }) : t('fl.noCandidates')),
            h(ElFormItem, { label: label(field(RQ, 'vehicle_id')), for: 'fl-dispatch-vehicle', required: true, error: errors.vehicle_id, 'data-test': 'fl-dispatch-vehicle' }, () =>
              h(ElSelect, {
                id: 'fl-dispatch-vehicle', ariaLabel: label(field(RQ, 'vehicle_id')), modelValue: form.vehicle_id, filterable: true, class: 'w-full',
                placeholder: t('fl.pickVehicle'), popperClass: 'fl-select-popper', 'onUpdate:modelValue': (v) => { form.vehicle_id = v; errors.vehicle_id = ''; },
              }, () => vehicles.value.map(vehicleOption))),
            h(ElFormItem, { label: label(field(RQ, 'driver_id')), for: 'fl-dispatch-driver', required: true, error: errors.driver_id, 'data-test': 'fl-dispatch-driver' }, () =>
              h(ElSelect, {
                id: 'fl-dispatch-driver', ariaLabel: label(field(RQ, 'driver_id')), modelValue: form.driver_id, filterable: true, class: 'w-full',
                placeholder: t('fl.pickDriver'), popperClass: 'fl-select-popper', 'onUpdate:modelValue': (v) => { form.driver_id = v; errors.driver_id = ''; },
              }, () => drivers.value.map(driverOption))),
            h(ElCheckbox, {
              modelValue: all.value, 'data-test': 'fl-dispatch-all', 'onUpdate:modelValue': (v) => { all.value = v; },
            }, () => t('fl.showAll')),
            h(ElFormItem, { label: t('fl.dispatchNote'), for: 'fl-dispatch-note', error: errors.note, 'data-test': 'fl-dispatch-note' }, () =>
              h(ElInput, { id: 'fl-dispatch-note', modelValue: form.note, type: 'textarea', rows: 2, maxlength: 500, 'onUpdate:modelValue': (v) => { form.note = v; } })),
          ]),
          c && !c.vehicles.length && !all.value ? h(ElEmpty, { description: t('fl.noCandidatesLong'), imageSize: 48 }) : null,
        ]),
        footer: () => [
          h(ElButton, { onClick: () => emit('close'), 'data-test': 'fl-dispatch-cancel' }, () => t('common.cancel')),
          h(ElButton, { type: 'primary', loading: busy.value, disabled: !c, onClick: send, 'data-test': 'fl-dispatch-submit' }, () => t('fl.dispatch')),
        ],
      });
    };
  },
});

