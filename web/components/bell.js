// The notification bell in the header: the unread count (polled every 60 s
// and after the user's own actions), the newest notifications in a panel,
// mark one or all read, follow a notification's link.
import { defineComponent, h, ref, onMounted, onBeforeUnmount } from 'vue';
import { ElPopover, ElButton, ElBadge, ElIcon, ElEmpty, ElSkeleton, ElAlert } from 'element-plus';
import { Bell } from '@element-plus/icons-vue';
import { t } from '../lib/i18n.js';
import { api, problemText } from '../lib/api.js';
import { state } from '../lib/session.js';
import { formatDatetime } from '../lib/time.js';

const POLL_MS = 60000;
export const unread = ref(0);
let inflight = null;

// Asks the server for the unread count now (views call it after an action).
export function refreshBell() {
  if (!state.user || state.user.must_change_password) return Promise.resolve();
  inflight ||= api('GET', '/me/notifications/unread', { quiet401: true })
    .then((r) => { unread.value = Number(r && r.unread) || 0; })
    .catch(() => { /* keep the last count */ })
    .finally(() => { inflight = null; });
  return inflight;
}

// A notification's link is a UI address ('#/c/service_requests/12').
function follow(link) {
  if (!link) return;
  const hash = link.startsWith('#') ? link : '#' + (link.startsWith('/') ? link : '/' + link);
  if (location.hash !== hash) location.hash = hash;
}

export const NotificationBell = defineComponent({
  name: 'NotificationBell',
  setup() {
    const open = ref(false);
    const items = ref(null);
    const next = ref(null);
    const error = ref(null);
    const busy = ref(false);
    let timer = null;

    async function load(more = false) {
      error.value = null;
      busy.value = true;
      try {
        const r = await api('GET', '/me/notifications', { query: { limit: 20, after: more ? next.value : null } });
        items.value = more ? [...(items.value || []), ...r.items] : r.items;
        next.value = r.next;
      } catch (e) {
        error.value = e;
        if (!items.value) items.value = [];
      } finally {
        busy.value = false;
      }
    }

    async function markRead(n) {
      if (n.read_at) return;
      try {
        const r = await api('POST', `/me/notifications/${n.id}/read`);
        n.read_at = (r && r.read_at) || new Date().toISOString();
        unread.value = Math.max(0, unread.value - 1);
      } catch { /* the link still works */ }
      refreshBell();
    }

    async function pick(n) {
      open.value = false;
      await markRead(n);
      follow(n.link);
    }

    async function readAll() {
      try {
        await api('POST', '/me/notifications/read_all');
        const now = new Date().toISOString();
        for (const n of items.value || []) if (!n.read_at) n.read_at = now;
        unread.value = 0;
      } catch (e) {
        error.value = e;
      }
      refreshBell();
    }

    function tick() {
      if (document.visibilityState === 'visible') refreshBell();
    }
    onMounted(() => {
      refreshBell();
      timer = setInterval(tick, POLL_MS);
      document.addEventListener('visibilitychange', tick);
    });
    onBeforeUnmount(() => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', tick);
    });

    function list() {
      if (!items.value) return h(ElSkeleton, { rows: 3, animated: true });
      const rows = items.value.map((n) => h('li', { key: n.id }, h('button', {
        type: 'button', class: ['bell-item', n.read_at ? 'is-read' : 'is-unread'], 'data-test': 'bell-item',
        onClick: () => pick(n),
      }, [
        n.read_at ? null : h('span', { class: 'bell-dot', 'aria-hidden': 'true' }),
        h('span', { class: 'bell-text' }, [
          h('span', { class: 'bell-title' }, [n.read_at ? null : h('span', { class: 'sr-only' }, t('bell.unreadMark')), n.title]),
          n.body ? h('span', { class: 'bell-body' }, n.body) : null,
          h('span', { class: 'bell-time' }, formatDatetime(n.created_at)),
        ]),
      ])));
      return [
        error.value ? h(ElAlert, { type: 'error', closable: false, title: problemText(error.value), class: 'mb' }) : null,
        rows.length ? h('ul', { class: 'bell-list' }, rows) : h(ElEmpty, { description: t('bell.empty'), imageSize: 60 }),
        next.value ? h(ElButton, { text: true, class: 'bell-more', loading: busy.value, onClick: () => load(true) }, () => t('bell.more')) : null,
      ];
    }

    return () => h(ElPopover, {
      trigger: 'click', placement: 'bottom-end', width: 'min(380px, 94vw)', visible: open.value, popperClass: 'bell-popper',
      'onUpdate:visible': (v) => { open.value = v; if (v) { load(); refreshBell(); } },
    }, {
      // the name comes from the content: "通知" (for screen readers), the count, "条未读"
      reference: () => h(ElButton, { class: 'bell', 'data-test': 'bell', 'aria-haspopup': 'dialog' }, () => [
        h('span', { class: 'sr-only' }, t('bell.label')),
        h(ElBadge, { value: unread.value, max: 99, hidden: !unread.value, class: 'bell-badge' }, {
          default: () => h(ElIcon, { size: 18, 'aria-hidden': 'true' }, () => h(Bell)),
          content: () => h('span', { 'data-test': 'bell-count' }, unread.value > 99 ? '99+' : String(unread.value)),
        }),
        unread.value ? h('span', { class: 'sr-only' }, t('bell.unreadSuffix')) : null,
      ]),
      default: () => h('div', { class: 'bell-panel', role: 'dialog', 'aria-label': t('bell.title') }, [
        h('div', { class: 'bell-head' }, [
          h('strong', t('bell.title')),
          h(ElButton, { text: true, size: 'small', disabled: !unread.value, 'data-test': 'bell-read-all', onClick: readAll }, () => t('bell.readAll')),
        ]),
        list(),
      ]),
    });
  },
});
