// The organisation's additions to the generic pages: the working calendar's
// warning while a year in use has no holidays entered (GET
// /api/v1/calendar/coverage: this year, and from 1 November the next) — a
// dashboard card for those who may add calendar days (summary card kind
// "calendar_coverage") and a banner above the calendar's list.
import { defineComponent, h, ref, onMounted } from 'vue';
import { ElAlert } from 'element-plus';
import { t, locale } from '../../lib/i18n.js';
import { href } from '../../lib/router.js';
import { can } from '../../lib/session.js';
import { api } from '../../lib/api.js';
import { registerCard, registerCollectionView } from '../../lib/registry.js';
import { ListView } from '../list.js';

const yearsText = (years) => years.join(locale.value === 'en' ? ', ' : '、');

// The warning for the missing years ([] or none: nothing).
function missingAlert(missing, { link = false, test = 'calendar-warning' } = {}) {
  if (!missing || !missing.length) return null;
  const years = yearsText(missing);
  return h(ElAlert, { type: 'warning', closable: false, showIcon: true, class: 'calendar-warning', 'data-test': test, title: t('calendar.missing.title', { years }) }, () => [
    h('p', t('calendar.missing.text', { years })),
    link && can('calendar_days', 'create') ? h('a', { href: href('/c/calendar_days'), 'data-test': test + '-link' }, t('calendar.missing.enter')) : null,
  ]);
}

const CoverageCard = defineComponent({
  name: 'CoverageCard',
  props: { card: { type: Object, required: true }, module: Object },
  setup(props) {
    return () => missingAlert(props.card.missing, { link: true });
  },
});
registerCard('calendar_coverage', CoverageCard);

// #/c/calendar_days: the generic list under the banner.
const CalendarDaysView = defineComponent({
  name: 'CalendarDaysView',
  props: { c: { type: String, required: true } },
  setup(props) {
    const missing = ref([]);
    onMounted(() => {
      api('GET', '/calendar/coverage').then((r) => { missing.value = r.missing || []; }).catch(() => {});
    });
    return () => h('div', { class: 'calendar-days' }, [
      missingAlert(missing.value, { test: 'calendar-banner' }),
      h(ListView, { c: props.c }),
    ]);
  },
});
registerCollectionView('calendar_days', 'list', CalendarDaysView);
