// SPDX-License-Identifier: MIT
// A resource's booking calendar (#/booking/calendar?resource=&date=):
// FullCalendar's time grid, a week on a desk and a day on a phone, in the
// tenant's wall-clock time whatever the browser's zone (the calendar runs in
// UTC and is handed wall times). The places left per slot come from
// GET /resources/{id}/availability (background events), the bookings the
// caller may read from the bookings list; clicking a free slot opens the
// booking flow (#/booking) on that slot. Below: the resource's subscribe
// panel for the service centre (subscribe.js).
import { defineComponent, h, ref, reactive, watch, nextTick, onMounted, onBeforeUnmount } from 'vue';
import { ElButton, ElAlert, ElSkeleton, ElEmpty, ElMessage } from 'element-plus';
import { Calendar } from '@fullcalendar/core';
import timeGridPlugin from '@fullcalendar/timegrid';
import interactionPlugin from '@fullcalendar/interaction';
import zhCn from '@fullcalendar/core/locales/zh-cn';
import { t, locale, enumLabel } from '../../lib/i18n.js';
import { api, problemText } from '../../lib/api.js';
import { route, replace, go } from '../../lib/router.js';
import { state, can, collection, field } from '../../lib/session.js';
import { toWall, fromWall, today, addDays } from '../../lib/time.js';
import { pageHead } from '../../components/page-head.js';
import { SubscribePanel } from './subscribe.js';

const BK = 'bookings';
const RES = 'resources';
const PHONE_MAX = 640; // narrower: one day at a time
const HELD = new Set(['pending', 'confirmed', 'checked_in', 'no_show']);

let cssPromise = null;
function loadStyles() {
  cssPromise ||= Promise.all(['./book.css', './calendar.css'].map((f) => new Promise((resolve) => {
    const href = new URL(f, import.meta.url).pathname;
    if (document.querySelector(`link[href="${href}"]`)) { resolve(); return; }
    const l = document.createElement('link');
    l.rel = 'stylesheet';
    l.href = href;
    l.onload = () => resolve();
    l.onerror = () => resolve();
    document.head.appendChild(l);
  })));
  return cssPromise;
}

const narrow = () => window.innerWidth < PHONE_MAX;
const hhmm = (min) => `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}:00`;
const minutes = (s) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
const wallPlus = (wall, min) => new Date(Date.parse(wall + 'Z') + min * 60000).toISOString().slice(0, 19);

// The hours to show for a range of availability days: the earliest opening to the latest closing.
export function hoursOf(days) {
  const open = days.filter((d) => d.open);
  if (!open.length) return { min: '08:00:00', max: '18:00:00' };
  return { min: hhmm(Math.min(...open.map((d) => minutes(d.opens)))), max: hhmm(Math.max(...open.map((d) => minutes(d.closes)))) };
}

// The slot of the availability days holding wall time wall (null: none).
export function slotAt(days, slotMin, wall) {
  for (const d of days) {
    if (d.date !== wall.slice(0, 10)) continue;
    for (const s of d.slots) {
      const w = toWall(s.start);
      if (w <= wall && wall < wallPlus(w, slotMin)) return { day: d, slot: s };
    }
  }
  return null;
}

export const CalendarView = defineComponent({
  name: 'BookingCalendarView',
  setup() {
    loadStyles();
    state.crumb = null;
    const resources = ref(null);
    const error = ref(null);
    const pick = reactive({ resource: Number(route.query.resource) || null, date: /^\d{4}-\d{2}-\d{2}$/.test(route.query.date || '') ? route.query.date : today() });
    const el = ref(null);
    let cal = null;
    let avail = null; // the last availability answer
    const res = () => (resources.value || []).find((x) => x.id === pick.resource) || null;
    const statusField = () => field(BK, 'status');

    async function loadEvents(info) {
      const r = res();
      if (!r) return [];
      const from = info.startStr.slice(0, 10);
      const to = addDays(info.endStr.slice(0, 10), -1);
      const [a, list] = await Promise.all([
        api('GET', `/${RES}/${r.id}/availability`, { query: { from, to } }),
        can(BK, 'read') ? api('GET', '/' + BK, { query: {
          resource_id: r.id, 'start_at[gte]': fromWall(info.startStr.slice(0, 19)), 'start_at[lt]': fromWall(info.endStr.slice(0, 19)),
          sort: 'start_at', limit: 500,
        } }) : { items: [] },
      ]);
      avail = a;
      const { min, max } = hoursOf(a.days);
      if (cal.getOption('slotMinTime') !== min) cal.setOption('slotMinTime', min);
      if (cal.getOption('slotMaxTime') !== max) cal.setOption('slotMaxTime', max);
      const now = toWall(new Date().toISOString());
      const bg = a.days.flatMap((d) => d.slots.map((s) => {
        const start = toWall(s.start);
        const past = start < now || !d.bookable;
        return {
          start, end: wallPlus(start, a.slot_min), display: 'background',
          title: s.free > 0 ? t('bk.calFree', { n: s.free }) : t('bk.calFull'),
          classNames: [past ? 'bk-cal-past' : s.free > 0 ? 'bk-cal-free' : 'bk-cal-full'],
        };
      }));
      const sf = statusField();
      const booked = list.items.filter((b) => HELD.has(b.status)).map((b) => ({
        id: String(b.id), start: toWall(b.start_at), end: toWall(b.end_at),
        title: [b.purpose, sf ? enumLabel(sf, b.status) : b.status].filter(Boolean).join(' · '),
        classNames: [`bk-cal-${b.status}`, b.booker_id === (state.user && state.user.id) ? 'bk-cal-mine' : ''],
      }));
      return [...bg, ...booked];
    }

    function onDateClick(info) {
      const r = res();
      if (!r || !avail || !can(BK, 'create')) return;
      const hit = slotAt(avail.days, avail.slot_min, info.dateStr.slice(0, 19));
      const now = toWall(new Date().toISOString());
      if (!hit || !hit.day.bookable || toWall(hit.slot.start) < now) return;
      if (hit.slot.free <= 0) {
        ElMessage({ type: 'info', message: t('bk.calFull') });
        return;
      }
      go('/booking', { resource: r.id, day: hit.day.date, start: hit.slot.start });
    }

    function options() {
      const r = res();
      return {
        plugins: [timeGridPlugin, interactionPlugin],
        timeZone: 'UTC', // wall times in, wall times shown
        now: () => toWall(new Date().toISOString()),
        initialView: narrow() ? 'timeGridDay' : 'timeGridWeek',
        initialDate: pick.date,
        locale: locale.value === 'en' ? 'en' : zhCn,
        firstDay: 1,
        allDaySlot: false,
        nowIndicator: true,
        height: 'auto',
        slotDuration: hhmm(r ? r.slot_min : 60),
        slotLabelInterval: '01:00',
        headerToolbar: { left: 'prev,next today', center: 'title', right: 'timeGridWeek,timeGridDay' },
        buttonText: { today: t('bk.calToday'), week: t('bk.calWeek'), day: t('bk.calDay') },
        events: (info, ok, fail) => loadEvents(info).then(ok, (e) => { error.value = e; fail(e); }),
        dateClick: onDateClick,
        datesSet: (info) => {
          quietIcons();
          pick.date = info.startStr.slice(0, 10);
          replace('/booking/calendar', { resource: pick.resource, date: pick.date });
        },
        windowResize: () => {
          const want = narrow() ? 'timeGridDay' : 'timeGridWeek';
          if (cal.view.type !== want) cal.changeView(want);
        },
      };
    }

    // The toolbar's chevrons are decoration (role="img" without a name): their
    // buttons carry the names.
    function quietIcons() {
      if (el.value) el.value.querySelectorAll('.fc-icon[role="img"]').forEach((x) => x.setAttribute('aria-hidden', 'true'));
    }

    function mount() {
      if (cal) { cal.destroy(); cal = null; }
      if (!el.value || !res()) return;
      cal = new Calendar(el.value, options());
      cal.render();
      quietIcons();
    }

    onMounted(async () => {
      try {
        await loadStyles();
        resources.value = (await api('GET', '/' + RES, { query: { active: true, sort: 'name', limit: 500 } })).items;
        if (!res() && resources.value.length) pick.resource = resources.value[0].id;
        await nextTick(); // the calendar's element is rendered now
        mount();
      } catch (e) {
        error.value = e;
      }
    });
    onBeforeUnmount(() => { if (cal) cal.destroy(); cal = null; });
    watch(() => pick.resource, () => { error.value = null; nextTick(mount); });
    watch(locale, () => nextTick(mount));

    return () => h('section', { class: 'page bk-page bk-cal-page', 'data-test': 'bk-calendar' }, [
      pageHead(t('bk.calTitle'), can(BK, 'create') && pick.resource
        ? [h(ElButton, { type: 'primary', onClick: () => go('/booking', { resource: pick.resource }) }, () => t('bk.bookTitle'))] : null),
      error.value ? h(ElAlert, { type: 'error', title: problemText(error.value, collection(RES)), closable: false }) : null,
      !resources.value ? h(ElSkeleton, { rows: 6, animated: true })
        : !resources.value.length ? h(ElEmpty, { description: t('bk.noResources') }) : [
          h('div', { class: 'bk-form' }, [h('div', [
            h('label', { for: 'bk-cal-res' }, t('bk.resource')),
            h('select', { id: 'bk-cal-res', value: pick.resource, 'data-test': 'bk-cal-resource', onChange: (e) => { pick.resource = Number(e.target.value); } },
              resources.value.map((x) => h('option', { value: x.id }, x.name))),
          ])]),
          h('p', { class: 'hint' }, t('bk.calHint')),
          h('div', { ref: el, class: 'bk-cal', 'data-test': 'bk-cal' }),
          pick.resource && can(RES, 'update') ? h(SubscribePanel, { kind: 'resource', resourceId: pick.resource, key: pick.resource }) : null,
        ],
    ]);
  },
});
