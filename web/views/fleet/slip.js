// The printable dispatch slip 派车单 (#/fleet/slip/:id) from GET
// /api/v1/trip_requests/{id}/slip: one sheet with the request, the vehicle,
// the driver, who approved and dispatched it, the trip's readings (blank
// lines to fill in by hand until the driver records them) and signatures.
// Printing hides the sidebar and header (print rules in app.css, scoped to
// .fl-slip-page).
import { defineComponent, h, ref, computed, onMounted } from 'vue';
import { ElButton } from 'element-plus';
import { Printer, Back } from '@element-plus/icons-vue';
import { t, label } from '../../lib/i18n.js';
import { api } from '../../lib/api.js';
import { href } from '../../lib/router.js';
import { state, field } from '../../lib/session.js';
import { enumText } from '../../lib/fields.js';
import { formatMoney } from '../../lib/money.js';
import { formatDatetime } from '../../lib/time.js';
import { pageError, pageLoading } from '../../components/page-state.js';
import { RQ, VEH, DRV, TRIPS, hours, flError } from './common.js';
import { linkButton } from '../../components/link-button.js';

export const SlipView = defineComponent({
  name: 'SlipView',
  props: { params: Object },
  setup(props) {
    const id = computed(() => props.params.id);
    const slip = ref(null);
    const error = ref(null);
    state.crumb = null;

    onMounted(async () => {
      try {
        slip.value = await api('GET', `/${RQ}/${id.value}/slip`);
        state.crumb = slip.value.no;
      } catch (e) {
        error.value = e;
      }
    });

    const L = (c, n) => label(field(c, n)) || n;
    const blank = h('span', { class: 'fl-slip-blank' }, h('span', { class: 'sr-only' }, t('fl.slipBlank')));
    const val = (v, test) => h('td', { 'data-test': test }, v == null || v === '' ? blank : v);

    return () => {
      if (error.value) {
        return pageError(error.value, { back: href(`/c/${RQ}/${id.value}`), backText: t('fl.backToRequest'), test: 'fl-slip-error', text: flError(error.value) });
      }
      const s = slip.value;
      if (!s) return pageLoading(10);
      const r = s.request, v = s.vehicle || {}, d = s.driver || {}, tr = s.trip || {};
      const km = (n) => (n == null ? null : `${n.toLocaleString()} km`);
      const qty = tr.fuel_l != null ? `${tr.fuel_l} L` : tr.energy_kwh != null ? `${tr.energy_kwh} kWh` : null;
      const charges = tr.tolls_fen != null || tr.parking_fen != null
        ? `${L(TRIPS, 'tolls_fen')} ${formatMoney(tr.tolls_fen || 0)} · ${L(TRIPS, 'parking_fen')} ${formatMoney(tr.parking_fen || 0)}` : null;
      return h('section', { class: 'page fl-page fl-slip-page', 'data-test': 'fl-slip' }, [
        h('div', { class: 'page-head fl-no-print' }, [
          h('h1', { class: 'page-title', 'data-test': 'page-title' }, t('fl.slip')),
          h('div', { class: 'toolbar' }, [
            linkButton(href(`/c/${RQ}/${r.id}`), t('fl.backToRequest'), { icon: Back, test: 'back' }),
            h(ElButton, { type: 'primary', icon: Printer, 'data-test': 'fl-print', onClick: () => window.print() }, () => t('fl.print')),
          ]),
        ]),
        h('article', { class: 'fl-slip', 'aria-labelledby': 'fl-slip-title' }, [
          h('header', { class: 'fl-slip-head' }, [
            h('h2', { id: 'fl-slip-title', class: 'fl-slip-title' }, t('fl.slipTitle')),
            h('p', { class: 'fl-slip-no' }, [t('fl.slipNo'), h('strong', { 'data-test': 'fl-slip-no' }, s.no)]),
          ]),
          h('table', { class: 'fl-slip-table' }, [
            h('tbody', [
              h('tr', [h('th', { scope: 'row' }, L(RQ, 'department_id')), val(s.department, 'fl-slip-department'), h('th', { scope: 'row' }, L(RQ, 'requester_id')), val(s.requester, 'fl-slip-requester')]),
              h('tr', [h('th', { scope: 'row' }, L(RQ, 'purpose')), h('td', { colspan: 3, 'data-test': 'fl-slip-purpose' }, r.purpose)]),
              h('tr', [h('th', { scope: 'row' }, L(RQ, 'origin')), val(r.origin), h('th', { scope: 'row' }, L(RQ, 'destination')), val(r.destination)]),
              h('tr', [h('th', { scope: 'row' }, t('fl.when')), h('td', { colspan: 3, 'data-test': 'fl-slip-time' }, `${formatDatetime(r.start_at)} – ${formatDatetime(r.end_at).slice(r.start_at.slice(0, 10) === r.end_at.slice(0, 10) ? 11 : 0)}（${t('fl.hoursN', { n: hours(r.start_at, r.end_at) })}）`)]),
              h('tr', [h('th', { scope: 'row' }, L(RQ, 'seats_needed')), val(String(r.seats_needed)), h('th', { scope: 'row' }, L(RQ, 'contact_phone')), val(r.contact_phone)]),
              h('tr', [h('th', { scope: 'row' }, L(RQ, 'passengers')), h('td', { colspan: 3 }, r.passengers || blank)]),
              h('tr', { class: 'fl-slip-section' }, [h('th', { scope: 'row' }, L(VEH, 'plate')), h('td', { class: 'fl-slip-strong', 'data-test': 'fl-slip-plate' }, v.plate), h('th', { scope: 'row' }, t('fl.make')), val([v.brand, v.model].filter(Boolean).join(' '))]),
              h('tr', [h('th', { scope: 'row' }, L(VEH, 'class')), val(enumText(VEH, 'class', v.class)), h('th', { scope: 'row' }, t('fl.seatsEnergy')), val(`${t('fl.seatsN', { n: v.seats })} · ${enumText(VEH, 'energy', v.energy)}`)]),
              h('tr', [h('th', { scope: 'row' }, L(VEH, 'fuel_station')), h('td', { colspan: 3 }, v.fuel_station || blank)]),
              h('tr', { class: 'fl-slip-section' }, [h('th', { scope: 'row' }, L(RQ, 'driver_id')), h('td', { class: 'fl-slip-strong', 'data-test': 'fl-slip-driver' }, d.name), h('th', { scope: 'row' }, L(DRV, 'phone')), val(d.phone, 'fl-slip-phone')]),
              h('tr', [h('th', { scope: 'row' }, L(DRV, 'licence_class')), val(d.licence_class ? enumText(DRV, 'licence_class', d.licence_class) : null), h('th', { scope: 'row' }, L(DRV, 'licence_until')), val(d.licence_until)]),
              h('tr', [h('th', { scope: 'row' }, L(RQ, 'approver_id')), val(s.approver, 'fl-slip-approver'), h('th', { scope: 'row' }, L(RQ, 'dispatcher_id')), val(s.dispatcher ? `${s.dispatcher} · ${formatDatetime(r.dispatched_at)}` : null, 'fl-slip-dispatcher')]),
              h('tr', [h('th', { scope: 'row' }, L(RQ, 'approve_note')), h('td', { colspan: 3, 'data-test': 'fl-slip-approve-note' }, r.approve_note || blank)]),
              h('tr', { class: 'fl-slip-section' }, [h('th', { scope: 'row' }, L(TRIPS, 'started_at')), val(formatDatetime(tr.started_at)), h('th', { scope: 'row' }, L(TRIPS, 'ended_at')), val(formatDatetime(tr.ended_at))]),
              h('tr', [h('th', { scope: 'row' }, L(TRIPS, 'start_km')), val(km(tr.start_km)), h('th', { scope: 'row' }, L(TRIPS, 'end_km')), val(km(tr.end_km))]),
              h('tr', [h('th', { scope: 'row' }, L(TRIPS, 'distance_km')), val(km(tr.distance_km)), h('th', { scope: 'row' }, t('fl.fuelOrEnergy')), val(qty)]),
              h('tr', [h('th', { scope: 'row' }, t('fl.charges')), h('td', { colspan: 3 }, charges || blank)]),
            ]),
          ]),
          h('div', { class: 'fl-slip-signs' }, [
            h('div', [t('fl.signDriver'), h('span', { class: 'fl-slip-line' })]),
            h('div', [t('fl.signUser'), h('span', { class: 'fl-slip-line' })]),
            h('div', [t('fl.signDispatcher'), h('span', { class: 'fl-slip-line' })]),
          ]),
          h('footer', { class: 'fl-slip-foot' }, [
            h('span', t('fl.slipStatus', { status: enumText(RQ, 'status', r.status) })),
            h('span', t('fl.printedAt', { at: formatDatetime(s.printed_at) })),
          ]),
        ]),
      ]);
    };
  },
});
