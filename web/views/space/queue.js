// The approval queue (#/space/requests?tab=): to review (the space
// section: submitted), to approve (leaders: reviewed), mine (what the caller
// filed) and all they may see (a liaison: their department's). Each row
// opens the request's page.
import { defineComponent, h, ref, computed, watch, onMounted } from 'vue';
import { ElTabs, ElTabPane, ElButton, ElAlert, ElSkeleton, ElEmpty } from 'element-plus';
import { Plus } from '@element-plus/icons-vue';
import { t } from '../../lib/i18n.js';
import { api, problemText } from '../../lib/api.js';
import { route, replace, href, go } from '../../lib/router.js';
import { state, can, collection, titleOf, resolveTitles } from '../../lib/session.js';
import { enumText } from '../../lib/fields.js';
import { formatDatetime } from '../../lib/time.js';
import { phone } from '../../components/layout.js';
import { REQ, statusTag, loadBuildings, buildingName } from './common.js';
import { pageHead } from '../../components/page-head.js';

function tabsFor() {
  const tabs = [];
  if (can(REQ, 'review')) tabs.push({ name: 'review', label: t('sp.tabReview'), query: { status: 'submitted', sort: 'id' } });
  if (can(REQ, 'approve')) tabs.push({ name: 'approve', label: t('sp.tabApprove'), query: { status: 'reviewed', sort: 'id' } });
  if (can(REQ, 'create') && state.user) tabs.push({ name: 'mine', label: t('sp.tabMine'), query: { requester_id: state.user.id, sort: '-id' } });
  tabs.push({ name: 'all', label: can(REQ, 'review') || can(REQ, 'approve') ? t('sp.tabAll') : t('sp.tabDepartment'), query: { sort: '-id' } });
  return tabs;
}

export const QueueView = defineComponent({
  name: 'SpaceQueueView',
  setup() {
    const tabs = computed(tabsFor);
    const tab = computed(() => (tabs.value.some((x) => x.name === route.query.tab) ? route.query.tab : tabs.value[0].name));
    const items = ref(null);
    const next = ref(null);
    const error = ref(null);
    const busy = ref(false);
    let seq = 0;
    state.crumb = null;

    async function load(more = false) {
      const mine = ++seq;
      const spec = tabs.value.find((x) => x.name === tab.value);
      error.value = null;
      busy.value = true;
      if (!more) { items.value = null; next.value = null; }
      try {
        const r = await api('GET', '/' + REQ, { query: { ...spec.query, limit: 50, after: more ? next.value : undefined } });
        if (mine !== seq) return;
        await resolveTitles('departments', r.items.map((x) => x.department_id));
        items.value = more ? [...(items.value || []), ...r.items] : r.items;
        next.value = r.next;
      } catch (e) {
        if (mine === seq) error.value = e;
      } finally {
        if (mine === seq) busy.value = false;
      }
    }
    onMounted(() => { loadBuildings().catch(() => {}); load(); });
    watch(tab, () => load());

    function setTab(name) { replace('/space/requests', { tab: name }); }

    function table() {
      if (error.value) return h(ElAlert, { type: 'error', showIcon: true, closable: false, title: problemText(error.value, collection(REQ)), 'data-test': 'sp-queue-error' });
      if (!items.value) return h(ElSkeleton, { rows: 4, animated: true });
      if (!items.value.length) return h(ElEmpty, { description: t('sp.queueEmpty'), 'data-test': 'sp-queue-empty' });
      const more = next.value ? h('div', { class: 'load-more' }, h(ElButton, { loading: busy.value, 'data-test': 'load-more', onClick: () => load(true) }, () => t('sp.loadMore'))) : null;
      if (phone.value) {
        // a phone: one card per request
        return [
          h('ul', { class: 'sp-queue-cards', 'data-test': 'sp-queue-table' }, items.value.map((r) => h('li', { key: r.id, class: 'sp-queue-card', 'data-test': 'sp-queue-row', 'data-id': r.id, 'data-status': r.status }, [
            h('div', { class: 'sp-queue-card-head' }, [
              h('a', { href: href(`/c/${REQ}/${r.id}`), 'data-test': 'sp-queue-link' }, t('sp.requestTitle', { id: r.id })),
              statusTag(r.status),
            ]),
            h('div', [titleOf('departments', r.department_id), ' · ', enumText(REQ, 'need', r.need), ' · ', t('sp.people', { n: r.headcount })]),
            h('p', { class: 'sp-cell-reason' }, r.reason),
            h('div', { class: 'muted' }, formatDatetime(r.created_at)),
          ]))),
          more,
        ];
      }
      return [
        h('div', { class: 'table-scroll' }, h('table', { class: 'report-table sp-table sp-queue-table', 'data-test': 'sp-queue-table' }, [
          h('thead', h('tr', [t('sp.requestNo'), t('sp.department'), t('sp.need'), t('sp.headcount'), t('sp.reason'), t('sp.preferred'), t('sp.status'), t('sp.filedAt')]
            .map((x) => h('th', { scope: 'col' }, x)))),
          h('tbody', items.value.map((r) => h('tr', { key: r.id, 'data-test': 'sp-queue-row', 'data-id': r.id, 'data-status': r.status }, [
            h('th', { scope: 'row' }, h('a', { href: href(`/c/${REQ}/${r.id}`), 'data-test': 'sp-queue-link' }, '#' + r.id)),
            h('td', titleOf('departments', r.department_id)),
            h('td', enumText(REQ, 'need', r.need)),
            h('td', { class: 'num' }, String(r.headcount)),
            h('td', { class: 'wrap' }, h('span', { class: 'sp-cell-reason', title: r.reason }, r.reason)),
            h('td', r.preferred_building_id ? buildingName(r.preferred_building_id) : '—'),
            h('td', statusTag(r.status)),
            h('td', formatDatetime(r.created_at)),
          ]))),
        ])),
        more,
      ];
    }

    return () => h('section', { class: 'page sp-page sp-queue', 'data-test': 'sp-queue' }, [
      pageHead(can(REQ, 'review') || can(REQ, 'approve') ? t('sp.queueTitle') : t('sp.myQueueTitle'),
        can(REQ, 'create') ? [h(ElButton, { type: 'primary', icon: Plus, 'data-test': 'sp-new-request', onClick: () => go('/space/requests/new') }, () => t('sp.newTitle'))] : null),
      h(ElTabs, { modelValue: tab.value, 'onUpdate:modelValue': setTab, 'data-test': 'sp-queue-tabs' }, () => tabs.value.map((x) =>
        h(ElTabPane, { key: x.name, name: x.name, label: x.label }, { label: () => h('span', { 'data-test': 'sp-tab-' + x.name }, x.label), default: () => (x.name === tab.value ? table() : null) }))),
    ]);
  },
});
