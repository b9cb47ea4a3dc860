// The dispatch board (#/fleet/board?view=day|week&date=YYYY-MM-DD): vehicles
// down the side, time across (a day by hours or a week by days), each
// dispatched or completed request a bar on its vehicle's row; vehicles in
// repair or to be disposed of greyed. Beside it the approved requests waiting
// for a vehicle (a click opens the dispatch dialog) and the submitted ones
// waiting for approval (read only).
import { defineComponent, h, ref, reactive, computed, onMounted, onBeforeUnmount, nextTick } from 'vue';
import {
  ElButton, ElDatePicker, ElRadioGroup, ElRadioButton, ElAlert, ElSkeleton, ElEmpty, ElInput, ElCheckbox, ElTag,
} from 'element-plus';
import { Refresh, ArrowLeft, ArrowRight, Search } from '@element-plus/icons-vue';
import { t, label } from '../../lib/i18n.js';
import { api, fetchAll } from '../../lib/api.js';
import { route, replace, go, href } from '../../lib/router.js';
import { state, can, noteOffset } from '../../lib/session.js';
import { enumText } from '../../lib/fields.js';
import { formatDatetime, today, addDays } from '../../lib/time.js';
import {
  RQ, VEH, statusTag, weekStart, dayStart, weekday, ms, timeRange, driverName,
  resolveNames, vehicleText, DispatchDialog, flError, pad, OUT_OF_SERVICE,
} from './common.js';
import { pageHead } from '../../components/page-head.js';

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export const BoardView = defineComponent({
  name: 'FleetBoardView',
  setup() {
    const view = ref(route.query.view === 'week' ? 'week' : 'day');
    const date = ref(/^\d{4}-\d\d-\d\d$/.test(route.query.date || '') ? route.query.date : today());
    const vehicles = ref(null);
    const bookings = ref([]);
    const waiting = ref(null);
    const pending = ref(null);
    const error = ref(null);
    const loading = ref(false);
    const dispatching = ref(null);
    const filter = reactive({ text: '', busyOnly: false });
    const more = reactive({ approved: false, submitted: false });   // more than the first 100
    const now = ref(Date.now());
    let seq = 0;
    let timer = null;
    state.crumb = null;

    // the window shown: [from, to) as tenant days
    const days = computed(() => {
      const first = view.value === 'week' ? weekStart(date.value) : date.value;
      return Array.from({ length: view.value === 'week' ? 7 : 1 }, (_, i) => addDays(first, i));
    });
    const from = computed(() => dayStart(days.value[0]));
    const to = computed(() => dayStart(addDays(days.value[days.value.length - 1], 1)));
    const span = computed(() => ms(to.value) - ms(from.value));

    function keepAddress() {
      replace('/fleet/board', { view: view.value === 'week' ? 'week' : null, date: date.value === today() ? null : date.value });
    }

    async function loadBookings() {
      const mine = ++seq;
      loading.value = true;
      error.value = null;
      try {
        const [vs, bs] = await Promise.all([
          vehicles.value ? Promise.resolve(vehicles.value) : fetchAll(VEH, { 'status[ne]': 'scrapped', sort: 'plate' }),
          fetchAll(RQ, { 'status[in]': 'dispatched,completed', 'start_at[lt]': to.value, 'end_at[gt]': from.value, sort: 'start_at' }),
        ]);
        if (mine !== seq) return;
        if (bs[0]) noteOffset(bs[0].created_at);
        await resolveNames(bs);
        if (mine !== seq) return;
        vehicles.value = vs;
        bookings.value = bs;
        nextTick(toMorning);
      } catch (e) {
        if (mine === seq) error.value = e;
      } finally {
        if (mine === seq) loading.value = false;
      }
    }
    // a day opens at the start of the working day (07:00), the early hours a scroll away
    const scroller = ref(null);
    let scrolledFor = '';
    function toMorning() {
      const el = scroller.value;
      const key = view.value + date.value;
      if (!el || scrolledFor === key) return;
      scrolledFor = key;
      const track = el.querySelector('.fl-ticks');
      if (view.value !== 'day' || !track) { el.scrollLeft = 0; return; }
      el.scrollLeft = Math.max(0, (track.offsetWidth * 7) / 24);
    }

    async function loadWaiting() {
      try {
        const [a, s] = await Promise.all([
          api('GET', '/' + RQ, { query: { status: 'approved', sort: 'start_at', limit: 100 } }),
          api('GET', '/' + RQ, { query: { status: 'submitted', sort: 'start_at', limit: 100 } }),
        ]);
        waiting.value = a.items;
        pending.value = s.items;
        more.approved = !!a.next;
        more.submitted = !!s.next;
      } catch (e) {
        error.value = e;
        waiting.value = waiting.value || [];
        pending.value = pending.value || [];
      }
    }
    async function reloadVehicles() { vehicles.value = null; await loadBookings(); }
    function loadAll() { reloadVehicles(); loadWaiting(); }

    onMounted(() => {
      loadBookings();
      loadWaiting();
      timer = setInterval(() => { now.value = Date.now(); }, 60000);
    });
    onBeforeUnmount(() => clearInterval(timer));

    function setDate(d) {
      date.value = d || today();
      keepAddress();
      loadBookings();
    }
    function setView(v) {
      view.value = v;
      keepAddress();
      loadBookings();
    }
    function step(n) { setDate(addDays(date.value, n * (view.value === 'week' ? 7 : 1))); }

    const byVehicle = computed(() => {
      const m = new Map();
      for (const b of bookings.value) {
        if (!m.has(b.vehicle_id)) m.set(b.vehicle_id, []);
        m.get(b.vehicle_id).push(b);
      }
      return m;
    });
    const rows = computed(() => {
      const q = filter.text.trim().toLowerCase();
      return (vehicles.value || []).filter((v) => {
        if (filter.busyOnly && !byVehicle.value.has(v.id)) return false;
        if (!q) return true;
        return [v.plate, v.brand, v.model].some((x) => x && x.toLowerCase().includes(q));
      });
    });

    const pos = (iso) => Math.min(100, Math.max(0, ((ms(iso) - ms(from.value)) / span.value) * 100));

    function bar(b) {
      const left = pos(b.start_at);
      const width = Math.max(pos(b.end_at) - left, 0.6);
      const who = driverName(b.driver_id);
      const when = timeRange(b.start_at, b.end_at);
      const text = `${b.purpose} · ${who} · ${when}`;
      return h('a', {
        key: b.id, class: ['fl-bar', 'is-' + b.status], href: href(`/c/${RQ}/${b.id}`),
        style: { left: left + '%', width: width + '%' }, title: text,
        'data-test': 'fl-bar', 'data-id': b.id, 'data-status': b.status,
      }, [h('span', { class: 'fl-bar-title' }, b.purpose), h('span', { class: 'fl-bar-sub' }, `${who} ${when}`)]);
    }

    function grid() {
      const n = view.value === 'week' ? 7 : 24;
      return { backgroundSize: `calc(100% / ${n}) 100%` };
    }

    function scale() {
      if (view.value === 'week') {
        return days.value.map((d) => h('div', { key: d, class: ['fl-tick', d === today() ? 'is-today' : '', [0, 6].includes(weekday(d)) ? 'is-weekend' : ''] }, [
          h('span', t('fl.wd.' + WEEKDAYS[weekday(d)])), ' ', h('span', { class: 'muted' }, d.slice(5)),
        ]));
      }
      return Array.from({ length: 24 }, (_, i) => h('div', { key: i, class: 'fl-tick' }, pad(i)));
    }

    function nowLine() {
      const n = now.value;
      if (n < ms(from.value) || n >= ms(to.value)) return null;
      return h('div', { class: 'fl-now', style: { left: ((n - ms(from.value)) / span.value) * 100 + '%' }, 'aria-hidden': 'true' });
    }

    function row(v) {
      const out = OUT_OF_SERVICE.includes(v.status);
      const bs = byVehicle.value.get(v.id) || [];
      return h('div', { key: v.id, class: ['fl-row', out ? 'is-out' : ''], role: 'row', 'data-test': 'fl-row', 'data-vehicle': v.id, 'data-status': v.status }, [
        h('div', { class: 'fl-row-head', role: 'rowheader' }, [
          h('a', { class: 'fl-plate', href: href(`/c/${VEH}/${v.id}`) }, v.plate),
          h('span', { class: 'fl-row-sub' }, [vehicleText(v), ' · ', t('fl.seatsN', { n: v.seats })]),
          v.status !== 'available' ? statusTag(VEH, v.status, { size: 'small' }) : null,
        ]),
        h('div', { class: 'fl-track', role: 'cell', style: grid() }, [
          out ? h('div', { class: 'fl-out-band' }, enumText(VEH, 'status', v.status)) : null,
          ...bs.map(bar),
          nowLine(),
        ]),
      ]);
    }

    function timeline() {
      if (!vehicles.value) return h(ElSkeleton, { rows: 8, animated: true });
      return h('div', { class: 'fl-timeline-scroll', 'data-test': 'fl-timeline', ref: scroller }, h('div', {
        class: ['fl-timeline', 'is-' + view.value], role: 'table', 'aria-label': t('fl.boardTable'), 'aria-busy': loading.value ? 'true' : 'false',
      }, [
        h('div', { class: 'fl-row fl-scale', role: 'row' }, [
          h('div', { class: 'fl-row-head', role: 'columnheader' }, t('fl.vehicle')),
          h('div', { class: 'fl-track fl-ticks', role: 'columnheader' }, scale()),
        ]),
        rows.value.length ? rows.value.map(row) : h(ElEmpty, { description: t('fl.noVehicles'), imageSize: 48 }),
      ]));
    }

    function waitingCard(r, clickable) {
      const inWindow = ms(r.start_at) < ms(to.value) && ms(r.end_at) > ms(from.value);
      const late = ms(r.start_at) < now.value;
      const body = [
        h('span', { class: 'fl-wait-title' }, r.purpose),
        h('span', { class: ['fl-wait-time', late ? 'is-late' : ''] }, [timeRange(r.start_at, r.end_at), late ? ' · ' + t('fl.pastStart') : '']),
        h('span', { class: 'fl-wait-sub' }, `${r.origin} → ${r.destination} · ${t('fl.peopleN', { n: r.seats_needed })}`),
      ];
      if (clickable) {
        return h('li', { key: r.id, class: ['fl-wait', inWindow ? 'in-window' : ''] }, [
          h('button', {
            type: 'button', class: 'fl-wait-btn', 'data-test': 'fl-waiting-item', 'data-id': r.id,
            onClick: () => { dispatching.value = r; },
          }, [h('span', { class: 'sr-only' }, t('fl.dispatch') + '：'), ...body]),
          h('a', { class: 'fl-wait-link', href: href(`/c/${RQ}/${r.id}`), 'data-test': 'fl-waiting-link' }, t('fl.details')),
        ]);
      }
      return h('li', { key: r.id, class: 'fl-wait is-readonly' }, h('a', { class: 'fl-wait-btn', href: href(`/c/${RQ}/${r.id}`), 'data-test': 'fl-pending-item', 'data-id': r.id }, body));
    }

    function side() {
      const list = (items, clickable, test, empty) => (items === null ? h(ElSkeleton, { rows: 3, animated: true })
        : !items.length ? h('p', { class: 'muted fl-empty' }, empty)
          : h('ul', { class: 'fl-wait-list', 'data-test': test }, items.map((r) => waitingCard(r, clickable))));
      return h('aside', { class: 'fl-side', 'aria-label': t('fl.waitingLists') }, [
        h('h2', { class: 'fl-side-title' }, [enumText(RQ, 'status', 'approved'), h(ElTag, { size: 'small', type: 'primary', disableTransitions: true, 'data-test': 'fl-waiting-count' }, () => (waiting.value ? waiting.value.length + (more.approved ? '+' : '') : ''))]),
        h('p', { class: 'hint fl-side-hint' }, t('fl.waitingHint')),
        list(waiting.value, true, 'fl-waiting', t('fl.noneWaiting')),
        h('h2', { class: 'fl-side-title' }, [enumText(RQ, 'status', 'submitted'), h(ElTag, { size: 'small', type: 'warning', disableTransitions: true, 'data-test': 'fl-pending-count' }, () => (pending.value ? pending.value.length + (more.submitted ? '+' : '') : ''))]),
        list(pending.value, false, 'fl-pending', t('fl.nonePending')),
      ]);
    }

    function title() {
      const d = days.value;
      if (view.value === 'week') return `${d[0]} – ${d[6].slice(5)}`;
      return `${d[0]} ${t('fl.wd.' + WEEKDAYS[weekday(d[0])])}`;
    }

    return () => h('section', { class: 'page fl-page fl-board', 'data-test': 'fl-board', 'data-from': from.value, 'data-to': to.value }, [
      pageHead(t('fl.board'), [
        can(RQ, 'create') ? h(ElButton, { onClick: () => go('/fleet/new'), 'data-test': 'fl-board-new' }, () => t('fl.newRequest')) : null,
        h(ElButton, { icon: Refresh, 'aria-label': t('common.refresh'), 'data-test': 'refresh', onClick: loadAll }),
      ]),
      h('div', { class: 'fl-board-bar' }, [
        h(ElRadioGroup, { modelValue: view.value, 'aria-label': t('fl.viewLabel'), 'data-test': 'fl-view', 'onUpdate:modelValue': setView }, () => [
          h(ElRadioButton, { value: 'day', 'data-test': 'fl-view-day' }, () => t('fl.viewDay')),
          h(ElRadioButton, { value: 'week', 'data-test': 'fl-view-week' }, () => t('fl.viewWeek')),
        ]),
        h('div', { class: 'fl-date-nav' }, [
          h(ElButton, { icon: ArrowLeft, 'aria-label': view.value === 'week' ? t('fl.prevWeek') : t('fl.prevDay'), 'data-test': 'fl-prev', onClick: () => step(-1) }),
          h(ElDatePicker, {
            id: 'fl-board-date', type: 'date', modelValue: date.value, valueFormat: 'YYYY-MM-DD', format: 'YYYY-MM-DD', clearable: false,
            ariaLabel: t('fl.date'), 'data-test': 'fl-date', class: 'fl-date', 'onUpdate:modelValue': setDate,
          }),
          h(ElButton, { icon: ArrowRight, 'aria-label': view.value === 'week' ? t('fl.nextWeek') : t('fl.nextDay'), 'data-test': 'fl-next', onClick: () => step(1) }),
          h(ElButton, { 'data-test': 'fl-today', onClick: () => setDate(today()) }, () => t('fl.today')),
        ]),
        h('span', { class: 'fl-window', 'data-test': 'fl-window' }, title()),
        h('div', { class: 'fl-board-filter' }, [
          h('label', { class: 'sr-only', for: 'fl-board-search' }, t('fl.searchVehicle')),
          h(ElInput, {
            id: 'fl-board-search', modelValue: filter.text, clearable: true, prefixIcon: Search, placeholder: t('fl.searchVehicle'),
            'data-test': 'fl-board-search', 'onUpdate:modelValue': (v) => { filter.text = v; },
          }),
          h(ElCheckbox, { modelValue: filter.busyOnly, 'data-test': 'fl-busy-only', 'onUpdate:modelValue': (v) => { filter.busyOnly = v; } }, () => t('fl.busyOnly')),
        ]),
      ]),
      error.value ? h(ElAlert, { type: 'error', showIcon: true, closable: false, title: flError(error.value), class: 'mb', 'data-test': 'fl-board-error' }) : null,
      h('div', { class: 'fl-board-main' }, [
        h('div', { class: 'fl-board-time' }, [
          timeline(),
          h('p', { class: 'hint fl-legend' }, [
            h('span', { class: 'fl-swatch is-dispatched', 'aria-hidden': 'true' }), enumText(RQ, 'status', 'dispatched'),
            h('span', { class: 'fl-swatch is-completed', 'aria-hidden': 'true' }), enumText(RQ, 'status', 'completed'),
            h('span', { class: 'fl-swatch is-out', 'aria-hidden': 'true' }), t('fl.outOfService'),
          ]),
        ]),
        side(),
      ]),
      dispatching.value ? h(DispatchDialog, {
        request: dispatching.value,
        onClose: () => { dispatching.value = null; },
        onRefused: () => { loadBookings(); loadWaiting(); },
        onDone: (r) => {
          dispatching.value = null;
          const day = formatDatetime(r.start_at).slice(0, 10);
          if (!(ms(r.start_at) < ms(to.value) && ms(r.end_at) > ms(from.value))) { date.value = day; keepAddress(); }
          reloadVehicles();
          loadWaiting();
        },
      }) : null,
    ]);
  },
});

