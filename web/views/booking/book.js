// Service centre bookings: the booking flow (#/booking: a resource, a day of
// its window, a free slot, how many and what for; made for a phone), my
// bookings (#/booking/mine: the check-in code to show at the door, cancel),
// the service centre's approval queue and check-in desk (#/booking/queue)
// and a week grid of one resource (#/booking/week). The places left come
// from GET /api/v1/resources/{id}/availability; refusals are said by key
// (lib/api.js problemText), never from the server's English.
import { defineComponent, h, ref, reactive, computed, watch, onMounted } from 'vue';
import { ElButton, ElAlert, ElSkeleton, ElEmpty, ElMessage, ElMessageBox } from 'element-plus';
import { t } from '../../lib/i18n.js';
import { api, API, problemText } from '../../lib/api.js';
import { route, replace, go } from '../../lib/router.js';
import { state, can, collection, titleOf, resolveTitles } from '../../lib/session.js';
import { formatDatetime, today, addDays, toWall } from '../../lib/time.js';
import { pageHead } from '../../components/page-head.js';
import { statusTag } from '../../components/status-tag.js';
import { SubscribePanel } from './subscribe.js';

const BK = 'bookings';
const RES = 'resources';
const TYPES = { pending: 'warning', confirmed: 'primary', checked_in: 'success', cancelled: 'info', rejected: 'danger', no_show: 'danger' };

let cssPromise = null;
function loadStyles() {
  cssPromise ||= new Promise((resolve) => {
    const l = document.createElement('link');
    l.rel = 'stylesheet';
    l.href = new URL('./book.css', import.meta.url).pathname;
    l.onload = () => resolve();
    l.onerror = () => resolve();
    document.head.appendChild(l);
  });
  return cssPromise;
}

const errText = (e, coll = BK) => problemText(e, collection(coll));
// the check-in code as a QR image beside its text, for the door's reader
const qrImage = (b) => h('img', { class: 'bk-qr', src: `${API}/${BK}/${b.id}/qr.svg`, alt: t('bk.qrAlt'), width: 160, height: 160, 'data-test': 'bk-qr' });
const hhmm = (iso) => (toWall(iso) || '').slice(11, 16);
const weekdayOf = (ymd) => t(`bk.wd${((new Date(ymd + 'T00:00:00Z').getUTCDay() + 6) % 7) + 1}`);
const plusMinutes = (iso, min) => new Date(Date.parse(iso) + min * 60000).toISOString().replace('.000Z', 'Z');

async function loadResources() {
  const r = await api('GET', '/' + RES, { query: { active: true, sort: 'name', limit: 500 } });
  return r.items;
}

// ---- the booking flow ----

export const BookView = defineComponent({
  name: 'BookingBookView',
  setup() {
    loadStyles();
    state.crumb = null;
    const resources = ref(null);
    const error = ref(null);
    const pick = reactive({ resource: null, day: today(), slot: null, slots: 1, party: 1, purpose: '' });
    const avail = ref(null);
    const busy = ref(false);
    const alert = ref('');
    const done = ref(null);
    const res = computed(() => (resources.value || []).find((x) => x.id === pick.resource) || null);
    const days = computed(() => {
      const n = res.value ? Math.min(res.value.window_days, 13) : 6;
      return Array.from({ length: n + 1 }, (_, i) => addDays(today(), i));
    });

    async function loadAvail() {
      avail.value = null;
      pick.slot = null;
      if (!pick.resource) return;
      try {
        const r = await api('GET', `/${RES}/${pick.resource}/availability`, { query: { from: pick.day, to: pick.day } });
        avail.value = r.days[0];
        const asked = avail.value.slots.findIndex((x) => x.start === route.query.start); // from the calendar
        if (asked >= 0) pick.slot = asked;
      } catch (e) {
        error.value = e;
      }
    }
    onMounted(async () => {
      try {
        resources.value = await loadResources();
        const want = Number(route.query.resource);
        if (resources.value.some((x) => x.id === want)) pick.resource = want;
        if (/^\d{4}-\d{2}-\d{2}$/.test(route.query.day || '')) pick.day = route.query.day;
      } catch (e) {
        error.value = e;
      }
    });
    watch(() => [pick.resource, pick.day], loadAvail);

    const now = () => Date.now();
    function slotFree(i) {
      const s = avail.value.slots;
      let free = Infinity;
      for (let k = i; k < i + pick.slots; k++) {
        if (!s[k]) return 0;
        free = Math.min(free, s[k].free);
      }
      return free;
    }

    async function submit() {
      alert.value = '';
      const s = avail.value && avail.value.slots[pick.slot];
      if (!s) { alert.value = t('bk.pickSlot'); return; }
      busy.value = true;
      try {
        const body = {
          resource_id: pick.resource, start_at: s.start, end_at: plusMinutes(s.start, res.value.slot_min * pick.slots),
          party_size: Number(pick.party) || 1,
        };
        if (pick.purpose.trim()) body.purpose = pick.purpose.trim();
        const r = await api('POST', '/' + BK, { body });
        done.value = r;
        ElMessage({ type: 'success', message: r.status === 'pending' ? t('bk.bookedPending') : t('bk.booked') });
        loadAvail();
      } catch (e) {
        alert.value = errText(e);
      } finally {
        busy.value = false;
      }
    }

    function resourceButton(x) {
      return h('button', {
        type: 'button', class: 'bk-resource', 'aria-pressed': String(pick.resource === x.id), 'data-test': 'bk-resource',
        'data-id': x.id, onClick: () => { pick.resource = x.id; done.value = null; alert.value = ''; },
      }, [x.name, h('small', [x.location || '', x.approval ? ` · ${t('bk.needsApproval')}` : ''])]);
    }

    function dayButton(d) {
      return h('button', {
        type: 'button', class: 'bk-day', 'aria-pressed': String(pick.day === d), 'data-test': 'bk-day', 'data-day': d,
        onClick: () => { pick.day = d; },
      }, [h('div', weekdayOf(d)), h('div', d.slice(5))]);
    }

    function slots() {
      if (!avail.value) return h(ElSkeleton, { rows: 2, animated: true });
      if (!avail.value.open) return h('p', { class: 'hint', 'data-test': 'bk-closed' }, t('bk.closedDay'));
      const s = avail.value.slots;
      return h('div', { class: 'bk-slots', role: 'group', 'aria-label': t('bk.slots') }, s.map((x, i) => {
        const free = slotFree(i);
        const past = Date.parse(x.start) < now();
        const off = past || !avail.value.bookable || free < (Number(pick.party) || 1);
        return h('button', {
          type: 'button', class: 'bk-slot', disabled: off, 'aria-pressed': String(pick.slot === i), 'data-test': 'bk-slot', 'data-start': x.start,
          onClick: () => { pick.slot = i; alert.value = ''; },
        }, [hhmm(x.start), h('small', past ? t('bk.past') : t('bk.free', { n: Math.max(free, 0) }))]);
      }));
    }

    function form() {
      const r = res.value;
      return h('form', { class: 'bk-form', novalidate: true, onSubmit: (e) => { e.preventDefault(); submit(); } }, [
        h('div', [
          h('label', { for: 'bk-slots' }, t('bk.length', { min: r.slot_min })),
          h('select', { id: 'bk-slots', value: pick.slots, 'data-test': 'bk-length', onChange: (e) => { pick.slots = Number(e.target.value); } },
            [1, 2, 3, 4].map((n) => h('option', { value: n }, t('bk.minutes', { n: n * r.slot_min })))),
        ]),
        r.capacity > 1 ? h('div', [
          h('label', { for: 'bk-party' }, t('bk.party')),
          h('input', { id: 'bk-party', type: 'number', min: 1, max: r.capacity, value: pick.party, class: 'el-input__inner', 'data-test': 'bk-party',
            onInput: (e) => { pick.party = e.target.value; } }),
        ]) : null,
        h('div', [
          h('label', { for: 'bk-purpose' }, t('bk.purpose')),
          h('input', { id: 'bk-purpose', type: 'text', maxlength: 200, value: pick.purpose, class: 'el-input__inner', 'data-test': 'bk-purpose',
            onInput: (e) => { pick.purpose = e.target.value; } }),
        ]),
        alert.value ? h(ElAlert, { type: 'error', title: alert.value, closable: false, showIcon: true, 'data-test': 'form-error' }) : null,
        h(ElButton, { type: 'primary', size: 'large', nativeType: 'submit', loading: busy.value, 'data-test': 'bk-submit' }, () => t('bk.submit')),
      ]);
    }

    return () => h('section', { class: 'page bk-page', 'data-test': 'bk-book' }, [
      pageHead(t('bk.bookTitle')),
      error.value ? h(ElAlert, { type: 'error', title: errText(error.value, RES), closable: false }) : null,
      !resources.value ? h(ElSkeleton, { rows: 3, animated: true })
        : !resources.value.length ? h(ElEmpty, { description: t('bk.noResources') })
          : h('div', { class: 'bk-resources', role: 'group', 'aria-label': t('bk.resource') }, resources.value.map(resourceButton)),
      done.value ? h('div', { class: 'bk-card', 'data-test': 'bk-done' }, [
        h('h2', t(done.value.status === 'pending' ? 'bk.bookedPending' : 'bk.booked')),
        h('div', `${titleOf(RES, done.value.resource_id) || (res.value && res.value.name) || ''} ${formatDatetime(done.value.start_at)}–${hhmm(done.value.end_at)}`),
        h('div', t('bk.codeHint')),
        h('div', { class: 'bk-code-row' }, [
          h('div', { class: 'bk-code', 'data-test': 'bk-code' }, done.value.check_in_code),
          qrImage(done.value),
        ]),
        h('div', { class: 'bk-actions' }, [h(ElButton, { onClick: () => go('/booking/mine') }, () => t('bk.mineTitle'))]),
      ]) : null,
      res.value ? [
        h('h2', { class: 'section-title' }, t('bk.pickDay')),
        h('div', { class: 'bk-days', role: 'group', 'aria-label': t('bk.pickDay') }, days.value.map(dayButton)),
        h('h2', { class: 'section-title' }, t('bk.pickSlot')),
        slots(),
        form(),
      ] : null,
    ]);
  },
});

// ---- my bookings ----

export const MineView = defineComponent({
  name: 'BookingMineView',
  setup() {
    loadStyles();
    state.crumb = null;
    const items = ref(null);
    const error = ref(null);
    async function load() {
      error.value = null;
      try {
        // what is coming first, then what is further ahead
        const q = { sort: 'start_at', limit: 100 };
        if (state.user) q.booker_id = state.user.id;
        q['end_at[gte]'] = new Date(Date.now() - 86400000).toISOString().replace(/\.\d+Z$/, 'Z');
        const r = await api('GET', '/' + BK, { query: q });
        await resolveTitles(RES, r.items.map((x) => x.resource_id));
        items.value = r.items;
      } catch (e) {
        error.value = e;
      }
    }
    onMounted(load);

    async function cancel(b) {
      try {
        await ElMessageBox.confirm(t('bk.cancelAsk'), t('bk.cancel'), { type: 'warning' });
      } catch { return; }
      try {
        await api('POST', `/${BK}/${b.id}/cancel`, { body: {} });
        ElMessage({ type: 'success', message: t('bk.cancelled') });
        load();
      } catch (e) {
        ElMessage({ type: 'error', message: errText(e), duration: 6000 });
      }
    }

    function card(b) {
      const open = b.status === 'confirmed' || b.status === 'pending';
      return h('article', { class: 'bk-card', 'data-test': 'bk-mine-item', 'data-id': b.id }, [
        h('h2', [titleOf(RES, b.resource_id) || `#${b.resource_id}`, ' ', statusTag(BK, b.status, TYPES, { size: 'small' })]),
        h('div', `${formatDatetime(b.start_at)}–${hhmm(b.end_at)}${b.party_size > 1 ? ' · ' + t('bk.people', { n: b.party_size }) : ''}`),
        b.purpose ? h('div', { class: 'hint' }, b.purpose) : null,
        b.status === 'confirmed' && b.check_in_code ? [
          h('div', t('bk.codeHint')),
          h('div', { class: 'bk-code-row' }, [h('div', { class: 'bk-code', 'data-test': 'bk-code' }, b.check_in_code), qrImage(b)]),
        ] : null,
        open ? h('div', { class: 'bk-actions' }, [
          h(ElButton, { onClick: () => cancel(b), 'data-test': 'bk-cancel' }, () => t('bk.cancel')),
        ]) : null,
      ]);
    }

    return () => h('section', { class: 'page bk-page', 'data-test': 'bk-mine' }, [
      pageHead(t('bk.mineTitle'), [h(ElButton, { type: 'primary', onClick: () => go('/booking') }, () => t('bk.bookTitle'))]),
      error.value ? h(ElAlert, { type: 'error', title: errText(error.value), closable: false }) : null,
      !items.value ? h(ElSkeleton, { rows: 3, animated: true })
        : !items.value.length ? h(ElEmpty, { description: t('bk.none') }) : items.value.map(card),
      h(SubscribePanel, { kind: 'person' }),
    ]);
  },
});

// ---- the approval queue and the check-in desk ----

export const QueueView = defineComponent({
  name: 'BookingQueueView',
  setup() {
    loadStyles();
    state.crumb = null;
    const items = ref(null);
    const error = ref(null);
    const desk = reactive({ id: '', code: '', msg: '', ok: false });
    async function load() {
      error.value = null;
      try {
        const r = await api('GET', '/' + BK, { query: { status: 'pending', sort: 'start_at', limit: 100 } });
        await Promise.all([resolveTitles(RES, r.items.map((x) => x.resource_id)), resolveTitles('users', r.items.map((x) => x.booker_id))]);
        items.value = r.items;
      } catch (e) {
        error.value = e;
      }
    }
    onMounted(load);

    async function step(b, name) {
      let body = {};
      if (name === 'reject') {
        try {
          const r = await ElMessageBox.prompt(t('bk.rejectReason'), t('bk.reject'), { inputPattern: /\S/, inputErrorMessage: t('bk.rejectReason') });
          body = { reason: r.value };
        } catch { return; }
      }
      try {
        await api('POST', `/${BK}/${b.id}/${name}`, { body });
        ElMessage({ type: 'success', message: t(name === 'approve' ? 'bk.approved' : 'bk.rejected') });
        load();
      } catch (e) {
        ElMessage({ type: 'error', message: errText(e), duration: 6000 });
      }
    }

    async function checkIn() {
      desk.msg = '';
      try {
        const r = await api('POST', `/${BK}/${Number(desk.id)}/check_in`, { body: { code: desk.code.trim().toUpperCase() } });
        desk.ok = true;
        desk.msg = t('bk.checkedIn', { when: formatDatetime(r.start_at) });
        desk.code = '';
      } catch (e) {
        desk.ok = false;
        desk.msg = errText(e);
      }
    }

    function row(b) {
      return h('article', { class: 'bk-card', 'data-test': 'bk-queue-item', 'data-id': b.id }, [
        h('h2', `${titleOf(RES, b.resource_id) || '#' + b.resource_id} · ${formatDatetime(b.start_at)}–${hhmm(b.end_at)}`),
        h('div', `${titleOf('users', b.booker_id) || ''}${b.party_size > 1 ? ' · ' + t('bk.people', { n: b.party_size }) : ''}${b.purpose ? ' · ' + b.purpose : ''}`),
        h('div', { class: 'bk-actions' }, [
          h(ElButton, { type: 'primary', onClick: () => step(b, 'approve'), 'data-test': 'bk-approve' }, () => t('bk.approve')),
          h(ElButton, { onClick: () => step(b, 'reject'), 'data-test': 'bk-reject' }, () => t('bk.reject')),
        ]),
      ]);
    }

    return () => h('section', { class: 'page bk-page', 'data-test': 'bk-queue' }, [
      pageHead(t('bk.queueTitle')),
      error.value ? h(ElAlert, { type: 'error', title: errText(error.value), closable: false }) : null,
      !items.value ? h(ElSkeleton, { rows: 3, animated: true })
        : !items.value.length ? h(ElEmpty, { description: t('bk.queueEmpty') }) : items.value.map(row),
      can(BK, 'check_in') ? h('form', { class: 'bk-card bk-form', 'data-test': 'bk-desk', onSubmit: (e) => { e.preventDefault(); checkIn(); } }, [
        h('h2', t('bk.deskTitle')),
        h('div', [h('label', { for: 'bk-desk-id' }, t('bk.bookingNo')),
          h('input', { id: 'bk-desk-id', class: 'el-input__inner', inputmode: 'numeric', value: desk.id, onInput: (e) => { desk.id = e.target.value; } })]),
        h('div', [h('label', { for: 'bk-desk-code' }, t('bk.code')),
          h('input', { id: 'bk-desk-code', class: 'el-input__inner', autocomplete: 'off', value: desk.code, onInput: (e) => { desk.code = e.target.value; } })]),
        desk.msg ? h(ElAlert, { type: desk.ok ? 'success' : 'error', title: desk.msg, closable: false, 'data-test': 'bk-desk-msg' }) : null,
        h(ElButton, { type: 'primary', nativeType: 'submit' }, () => t('bk.checkIn')),
      ]) : null,
    ]);
  },
});

// ---- a week of one resource ----

export const WeekView = defineComponent({
  name: 'BookingWeekView',
  setup() {
    loadStyles();
    state.crumb = null;
    const resources = ref(null);
    const week = ref(null);
    const error = ref(null);
    const monday = (d) => addDays(d, -(((new Date(d + 'T00:00:00Z').getUTCDay() + 6) % 7)));
    const pick = reactive({ resource: Number(route.query.resource) || null, from: monday(route.query.from || today()) });
    async function load() {
      week.value = null;
      if (!pick.resource) return;
      try {
        week.value = await api('GET', `/${RES}/${pick.resource}/availability`, { query: { from: pick.from, to: addDays(pick.from, 6) } });
      } catch (e) {
        error.value = e;
      }
    }
    onMounted(async () => {
      try {
        resources.value = await loadResources();
        if (!pick.resource && resources.value.length) pick.resource = resources.value[0].id;
        else load();
      } catch (e) {
        error.value = e;
      }
    });
    watch(() => [pick.resource, pick.from], () => {
      replace('/booking/week', { resource: pick.resource, from: pick.from });
      load();
    });

    function grid() {
      const w = week.value;
      if (!w) return h(ElSkeleton, { rows: 6, animated: true });
      const times = [...new Set(w.days.flatMap((d) => d.slots.map((s) => hhmm(s.start))))].sort();
      if (!times.length) return h(ElEmpty, { description: t('bk.closedWeek') });
      const at = w.days.map((d) => Object.fromEntries(d.slots.map((s) => [hhmm(s.start), s.free])));
      return h('div', { class: 'bk-scroll' }, h('table', { class: 'bk-grid', 'data-test': 'bk-grid' }, [
        h('caption', { class: 'hint' }, t('bk.gridCaption', { capacity: w.capacity })),
        h('thead', h('tr', [h('th', { scope: 'col' }, t('bk.time')), ...w.days.map((d) => h('th', { scope: 'col' }, `${weekdayOf(d.date)} ${d.date.slice(5)}`))])),
        h('tbody', times.map((tm, i) => h('tr', [h('th', { scope: 'row' }, tm), ...w.days.map((d, k) => {
          const free = at[k][tm];
          if (free === undefined) return h('td', { class: 'shut' }, i === 0 && !d.open ? t('bk.closedShort') : '');
          return h('td', { class: free <= 0 ? 'full' : free < w.capacity ? 'some' : 'free' }, String(free));
        })]))),
      ]));
    }

    return () => h('section', { class: 'page bk-page', 'data-test': 'bk-week' }, [
      pageHead(t('bk.weekTitle'), [
        h(ElButton, { onClick: () => { pick.from = addDays(pick.from, -7); } }, () => t('bk.prevWeek')),
        h(ElButton, { onClick: () => { pick.from = addDays(pick.from, 7); } }, () => t('bk.nextWeek')),
      ]),
      error.value ? h(ElAlert, { type: 'error', title: errText(error.value, RES), closable: false }) : null,
      resources.value ? h('div', { class: 'bk-form' }, [h('div', [
        h('label', { for: 'bk-week-res' }, t('bk.resource')),
        h('select', { id: 'bk-week-res', value: pick.resource, onChange: (e) => { pick.resource = Number(e.target.value); } },
          resources.value.map((x) => h('option', { value: x.id }, x.name))),
      ])]) : null,
      h('p', { class: 'hint' }, t('bk.weekOf', { from: pick.from, to: addDays(pick.from, 6) })),
      grid(),
      can(BK, 'create') && pick.resource ? h(ElButton, { type: 'primary', onClick: () => go('/booking', { resource: pick.resource }) }, () => t('bk.bookTitle')) : null,
    ]);
  },
});

