// SPDX-License-Identifier: MIT
// The meals pages. Staff (#/canteen/meals, for a phone): this week's menu of
// their canteen, a meal booked or cancelled before its cut-off (shown with
// it), and the meals they ate lately rated 1–5. The canteen manager
// (#/canteen/menus): a week's grid of a canteen's menus, a cell edited in a
// dialog, last week copied into this one.
import { defineComponent, h, ref, computed, onMounted, watch } from 'vue';
import { ElAlert, ElButton, ElDialog, ElEmpty, ElInput, ElMessage, ElOption, ElRate, ElSelect, ElSkeleton, ElSwitch, ElTag } from 'element-plus';
import { t } from '../../lib/i18n.js';
import { api, fetchAll, problemText } from '../../lib/api.js';
import { state } from '../../lib/session.js';
import { pageHead } from '../../components/page-head.js';

const MEALS = ['breakfast', 'lunch', 'dinner', 'night'];
const DAY = 86400000;
const KEY = 'bureau.canteen';

let cssLoaded = false;
export function loadStyles() {
  if (cssLoaded) return;
  cssLoaded = true;
  const l = document.createElement('link');
  l.rel = 'stylesheet';
  l.href = new URL('./meals.css', import.meta.url).pathname;
  document.head.appendChild(l);
}

// local days in the tenant's offset
const localMs = () => Date.now() + state.offsetMin * 60000;
export const dayOf = (ms) => new Date(ms).toISOString().slice(0, 10);
const today = () => dayOf(localMs());
const addDays = (d, n) => dayOf(Date.parse(d + 'T00:00:00Z') + n * DAY);
const monday = (d) => addDays(d, -((new Date(d + 'T00:00:00Z').getUTCDay() + 6) % 7));
const hhmm = (s) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));

// the instant (UTC ms) booking for a meal starting at starts on day closes
export function cutoffMs(day, starts, cutoffMin, offsetMin) {
  return Date.parse(day + 'T00:00:00Z') + (hhmm(starts) - offsetMin - cutoffMin) * 60000;
}
const localText = (ms) => new Date(ms + state.offsetMin * 60000).toISOString().slice(5, 16).replace('T', ' ');
const weekday = (d) => t('ct.meals.weekday' + new Date(d + 'T00:00:00Z').getUTCDay());
const mealName = (m) => t('ct.meal.' + m);

function canteenPicker(list, model, test) {
  return h(ElSelect, {
    modelValue: model.value, 'onUpdate:modelValue': (v) => { model.value = v; localStorage.setItem(KEY, String(v)); },
    filterable: true, placeholder: t('ct.meals.canteen'), 'aria-label': t('ct.meals.canteen'), 'data-test': test, class: 'ct-canteen',
  }, () => list.value.map((c) => h(ElOption, { key: c.id, value: c.id, label: c.name })));
}

async function loadCanteens(list, chosen) {
  list.value = await fetchAll('canteens', { active: true });
  const saved = Number(localStorage.getItem(KEY));
  chosen.value = list.value.some((c) => c.id === saved) ? saved : (list.value[0] || {}).id || null;
}

export const MealsView = defineComponent({
  name: 'CanteenMealsView',
  setup() {
    loadStyles();
    const canteens = ref([]);
    const canteen = ref(null);
    const periods = ref([]);
    const menus = ref([]);
    const bookings = ref([]);
    const eaten = ref([]);
    const ratings = ref([]);
    const error = ref(null);
    const loading = ref(true);
    const busy = ref('');
    const rate = ref({}); // key → {score, comment}
    const days = computed(() => Array.from({ length: 7 }, (_, i) => addDays(today(), i)));
    const current = computed(() => canteens.value.find((c) => c.id === canteen.value));

    async function load() {
      if (!canteen.value) return;
      loading.value = true;
      error.value = null;
      try {
        const from = today(), to = addDays(from, 6), back = addDays(from, -7);
        const [p, m, b, e, r] = await Promise.all([
          fetchAll('meal_periods', { canteen_id: canteen.value }).then((x) => x.filter((p) => p.active)),
          fetchAll('menus', { canteen_id: canteen.value, published: true, 'day[gte]': from, 'day[lte]': to }),
          fetchAll('meal_bookings', { canteen_id: canteen.value, 'day[gte]': from }),
          fetchAll('meal_transactions', { kind: 'spend', 'business_day[gte]': back }).catch(() => []),
          fetchAll('meal_ratings', { 'day[gte]': back }).catch(() => []),
        ]);
        periods.value = p.sort((a, b2) => MEALS.indexOf(a.meal) - MEALS.indexOf(b2.meal));
        menus.value = m;
        bookings.value = b;
        const seen = new Set();
        eaten.value = e.filter((x) => x.canteen_id && x.meal).filter((x) => {
          const k = `${x.canteen_id}|${x.business_day}|${x.meal}`;
          if (seen.has(k)) return false;
          seen.add(k);
          return true;
        });
        ratings.value = r;
      } catch (e) { error.value = e; }
      loading.value = false;
    }
    onMounted(async () => {
      try { await loadCanteens(canteens, canteen); } catch (e) { error.value = e; }
      await load();
    });
    watch(canteen, load);

    async function act(key, fn, ok) {
      busy.value = key;
      try { await fn(); ElMessage({ type: 'success', message: ok }); await load(); } catch (e) { ElMessage({ type: 'error', message: problemText(e) }); }
      busy.value = '';
    }
    const book = (day, meal) => act(`${day}|${meal}`, () => api('POST', '/meal_bookings', { body: { canteen_id: canteen.value, day, meal } }), t('ct.meals.booked'));
    const cancel = (b) => act(`${b.day}|${b.meal}`, () => api('POST', `/meal_bookings/${b.id}/cancel`, { body: {} }), t('ct.meals.cancelled'));
    const rebook = (b) => act(`${b.day}|${b.meal}`, () => api('POST', `/meal_bookings/${b.id}/rebook`, { body: {} }), t('ct.meals.booked'));

    function mealRow(day, p) {
      const menu = menus.value.find((x) => x.day === day && x.meal === p.meal);
      const b = bookings.value.find((x) => x.day === day && x.meal === p.meal);
      const closes = cutoffMs(day, p.starts, current.value ? current.value.booking_cutoff_min : 0, state.offsetMin);
      const open = Date.now() < closes;
      const key = `${day}|${p.meal}`;
      const booked = b && b.status === 'booked';
      return h('div', { class: 'ct-meal', 'data-test': 'ct-meal', 'data-day': day, 'data-meal': p.meal }, [
        h('div', { class: 'ct-meal-head' }, [
          h('strong', mealName(p.meal)), h('span', { class: 'ct-muted' }, ` ${p.starts}–${p.ends}`),
          booked ? h(ElTag, { type: 'success', size: 'small', class: 'ct-tag' }, () => t('ct.meals.bookedTag')) : null,
        ]),
        menu ? h('p', { class: 'ct-dishes' }, menu.dishes.split('\n').join('、')) : h('p', { class: 'ct-muted' }, t('ct.meals.noMenu')),
        h('div', { class: 'ct-meal-foot' }, [
          h('span', { class: open ? 'ct-cutoff' : 'ct-cutoff ct-closed', 'data-test': 'ct-cutoff' },
            open ? t('ct.meals.closesAt', { at: localText(closes) }) : t('ct.meals.closed', { at: localText(closes) })),
          open && !b ? h(ElButton, { size: 'small', type: 'primary', loading: busy.value === key, 'data-test': 'ct-book', onClick: () => book(day, p.meal) }, () => t('ct.meals.book')) : null,
          open && booked ? h(ElButton, { size: 'small', loading: busy.value === key, 'data-test': 'ct-cancel', onClick: () => cancel(b) }, () => t('ct.meals.cancel')) : null,
          open && b && !booked ? h(ElButton, { size: 'small', type: 'primary', plain: true, loading: busy.value === key, 'data-test': 'ct-rebook', onClick: () => rebook(b) }, () => t('ct.meals.rebook')) : null,
        ]),
      ]);
    }

    function rateRow(x) {
      const k = `${x.canteen_id}|${x.business_day}|${x.meal}`;
      const done = ratings.value.find((r) => r.canteen_id === x.canteen_id && r.day === x.business_day && r.meal === x.meal);
      const name = (canteens.value.find((c) => c.id === x.canteen_id) || {}).name || '';
      const v = rate.value[k] || (rate.value[k] = { score: 0, comment: '' });
      return h('li', { class: 'ct-rate', key: k, 'data-test': 'ct-rate' }, [
        h('div', [h('strong', `${x.business_day.slice(5)} ${mealName(x.meal)}`), h('span', { class: 'ct-muted' }, ` ${name}`)]),
        done ? h(ElRate, { modelValue: done.score, disabled: true, 'aria-label': t('ct.meals.yourScore') })
          : h('div', { class: 'ct-rate-form' }, [
            h(ElRate, { modelValue: v.score, 'onUpdate:modelValue': (s) => { v.score = s; }, 'aria-label': t('ct.meals.score') }),
            h(ElInput, { modelValue: v.comment, 'onUpdate:modelValue': (s) => { v.comment = s; }, placeholder: t('ct.meals.comment'), 'aria-label': t('ct.meals.comment'), maxlength: 500, size: 'small' }),
            h(ElButton, { size: 'small', type: 'primary', disabled: !v.score, loading: busy.value === k, 'data-test': 'ct-rate-send',
              onClick: () => act(k, () => api('POST', '/meal_ratings', { body: { canteen_id: x.canteen_id, day: x.business_day, meal: x.meal, score: v.score, comment: v.comment || null } }), t('ct.meals.thanks')) }, () => t('ct.meals.send')),
          ]),
      ]);
    }

    return () => h('div', { class: 'ct-page ct-meals' }, [
      pageHead(t('ct.meals.title')),
      error.value ? h(ElAlert, { type: 'error', closable: false, title: problemText(error.value) }) : null,
      canteenPicker(canteens, canteen, 'ct-canteen'),
      loading.value ? h(ElSkeleton, { rows: 5, animated: true }) : null,
      !loading.value && !periods.value.length ? h(ElEmpty, { description: t('ct.meals.noPeriods') }) : null,
      !loading.value ? h('section', { 'aria-label': t('ct.meals.week') }, days.value.map((d) => h('div', { class: 'ct-day', key: d }, [
        h('h2', { class: 'ct-day-title' }, `${d.slice(5)} ${weekday(d)}`),
        ...periods.value.map((p) => mealRow(d, p)),
      ]))) : null,
      !loading.value ? h('section', { class: 'ct-rates' }, [
        h('h2', { class: 'ct-day-title' }, t('ct.meals.rateTitle')),
        eaten.value.length ? h('ul', { class: 'ct-rate-list' }, eaten.value.map(rateRow)) : h('p', { class: 'ct-muted' }, t('ct.meals.nothingToRate')),
      ]) : null,
    ]);
  },
});

export const MenusView = defineComponent({
  name: 'CanteenMenusView',
  setup() {
    loadStyles();
    const canteens = ref([]);
    const canteen = ref(null);
    const periods = ref([]);
    const menus = ref([]);
    const week = ref(monday(today()));
    const error = ref(null);
    const edit = ref(null); // {day, meal, id, version, dishes, published}
    const saving = ref(false);
    const days = computed(() => Array.from({ length: 7 }, (_, i) => addDays(week.value, i)));

    async function load() {
      if (!canteen.value) return;
      try {
        const [p, m] = await Promise.all([
          fetchAll('meal_periods', { canteen_id: canteen.value }).then((x) => x.filter((p) => p.active)),
          fetchAll('menus', { canteen_id: canteen.value, 'day[gte]': week.value, 'day[lte]': addDays(week.value, 6) }),
        ]);
        periods.value = p.sort((a, b) => MEALS.indexOf(a.meal) - MEALS.indexOf(b.meal));
        menus.value = m;
      } catch (e) { error.value = e; }
    }
    onMounted(async () => {
      try { await loadCanteens(canteens, canteen); } catch (e) { error.value = e; }
      await load();
    });
    watch([canteen, week], load);

    async function save() {
      saving.value = true;
      const e = edit.value;
      try {
        const body = { dishes: e.dishes.trim(), published: e.published };
        if (e.id) await api('PATCH', `/menus/${e.id}`, { body, headers: { 'If-Match': `"${e.version}"` } });
        else await api('POST', '/menus', { body: { ...body, canteen_id: canteen.value, day: e.day, meal: e.meal } });
        edit.value = null;
        ElMessage({ type: 'success', message: t('ct.menus.saved') });
        await load();
      } catch (err) { ElMessage({ type: 'error', message: problemText(err) }); }
      saving.value = false;
    }

    async function copyLastWeek() {
      try {
        const last = await fetchAll('menus', { canteen_id: canteen.value, 'day[gte]': addDays(week.value, -7), 'day[lte]': addDays(week.value, -1) });
        let n = 0;
        for (const m of last) {
          const day = addDays(m.day, 7);
          if (menus.value.some((x) => x.day === day && x.meal === m.meal)) continue;
          await api('POST', '/menus', { body: { canteen_id: canteen.value, day, meal: m.meal, dishes: m.dishes, published: false } });
          n++;
        }
        ElMessage({ type: 'success', message: t('ct.menus.copied', { n }) });
        await load();
      } catch (e) { ElMessage({ type: 'error', message: problemText(e) }); }
    }

    const cell = (d, p) => {
      const m = menus.value.find((x) => x.day === d && x.meal === p.meal);
      return h('td', { class: 'ct-cell', key: d }, h('button', {
        type: 'button', class: m ? (m.published ? 'ct-cell-btn' : 'ct-cell-btn ct-draft') : 'ct-cell-btn ct-empty', 'data-test': 'ct-menu-cell', 'data-day': d, 'data-meal': p.meal,
        title: `${d} ${mealName(p.meal)}`,
        onClick: () => { edit.value = { day: d, meal: p.meal, id: m && m.id, version: m && m.version, dishes: m ? m.dishes : '', published: m ? m.published : false }; },
      }, m ? [...m.dishes.split('\n').map((x) => h('div', x)), m.published ? null : h('em', t('ct.menus.draft'))] : t('ct.menus.add')));
    };

    return () => h('div', { class: 'ct-page ct-menus' }, [
      pageHead(t('ct.menus.title'), [
        h(ElButton, { onClick: () => { week.value = addDays(week.value, -7); }, 'data-test': 'ct-week-prev' }, () => t('ct.menus.prev')),
        h(ElButton, { onClick: () => { week.value = monday(today()); } }, () => t('ct.menus.thisWeek')),
        h(ElButton, { onClick: () => { week.value = addDays(week.value, 7); }, 'data-test': 'ct-week-next' }, () => t('ct.menus.next')),
        h(ElButton, { type: 'primary', onClick: copyLastWeek, 'data-test': 'ct-copy-week' }, () => t('ct.menus.copy')),
      ]),
      error.value ? h(ElAlert, { type: 'error', closable: false, title: problemText(error.value) }) : null,
      canteenPicker(canteens, canteen, 'ct-menus-canteen'),
      h('div', { class: 'ct-grid-wrap' }, h('table', { class: 'ct-grid', 'data-test': 'ct-menu-grid' }, [
        h('thead', h('tr', [h('th', { scope: 'col' }, t('ct.menus.meal')), ...days.value.map((d) => h('th', { scope: 'col', key: d }, `${d.slice(5)} ${weekday(d)}`))])),
        h('tbody', periods.value.map((p) => h('tr', { key: p.meal }, [h('th', { scope: 'row' }, mealName(p.meal)), ...days.value.map((d) => cell(d, p))]))),
      ])),
      h(ElDialog, { modelValue: !!edit.value, 'onUpdate:modelValue': (v) => { if (!v) edit.value = null; }, title: edit.value ? `${edit.value.day} ${mealName(edit.value.meal)}` : '', width: 'min(480px, 95vw)' }, {
        default: () => edit.value ? [
          h('label', { class: 'ct-label', for: 'ct-dishes' }, t('ct.menus.dishes')),
          h(ElInput, { id: 'ct-dishes', type: 'textarea', rows: 8, modelValue: edit.value.dishes, 'onUpdate:modelValue': (v) => { edit.value.dishes = v; }, 'data-test': 'ct-dishes' }),
          h('div', { class: 'ct-publish' }, [h(ElSwitch, { modelValue: edit.value.published, 'onUpdate:modelValue': (v) => { edit.value.published = v; }, 'aria-label': t('ct.menus.published') }), ' ', t('ct.menus.published')]),
        ] : null,
        footer: () => [
          h(ElButton, { onClick: () => { edit.value = null; } }, () => t('ct.menus.cancel')),
          h(ElButton, { type: 'primary', loading: saving.value, disabled: !edit.value || !edit.value.dishes.trim(), onClick: save, 'data-test': 'ct-menu-save' }, () => t('ct.menus.save')),
        ],
      }),
    ]);
  },
});
