// The assignee queue (#/servicedesk/queue): the work orders of the caller's
// teams that are open, accepted or on hold, with their requests (title,
// place, urgency, due), and the buttons accept / hold / resume / complete.
import { defineComponent, h, ref, computed, onMounted } from 'vue';
import { ElButton, ElAlert, ElEmpty, ElSkeleton, ElRadioGroup, ElRadioButton } from 'element-plus';
import { Refresh } from '@element-plus/icons-vue';
import { t } from '../../lib/i18n.js';
import { api, problemText, fetchByIds } from '../../lib/api.js';
import { href } from '../../lib/router.js';
import { state, can, collection, noteOffset } from '../../lib/session.js';
import { formatMoney, yuanToFen } from '../../lib/money.js';
import { formatDatetime } from '../../lib/time.js';
import { resolveUsers } from '../../lib/users.js';
import { refreshBell } from '../../components/bell.js';
import { AskDialog, postDialog, filled } from '../../components/ask-dialog.js';
import { telLink } from '../../components/tel-link.js';
import {
  REQ, statusTag, urgencyTag, placeText, dueNode, loadTypes, typeName, loadTeams, teamName, userName,
  runAction, actionError, categoryIcon, typeOf,
} from './common.js';
import { pageHead } from '../../components/page-head.js';

const WO = 'work_orders';
const ACTIVE = ['open', 'accepted', 'on_hold'];

// The buttons of one work order, by its state and the caller's rights; emits 'changed'.
export const WorkOrderActions = defineComponent({
  name: 'WorkOrderActions',
  props: { order: { type: Object, required: true }, request: Object },
  emits: ['changed'],
  setup(props, { emit }) {
    const ask = ref(null);
    const busy = ref('');

    async function simple(action) {
      busy.value = action;
      const r = await runAction(`/${WO}/${props.order.id}/${action}`, {}, WO);
      busy.value = '';
      if (r) emit('changed', r);
    }

    function holdDialog() {
      ask.value = postDialog(`/${WO}/${props.order.id}/hold`, {
        title: t('sd.holdTitle'), test: 'hold-dialog', submitText: t('sd.hold'),
        fields: [{ name: 'reason', label: t('sd.holdReason'), required: true, rows: 3, max: 2000 }],
      });
    }

    function completeDialog() {
      ask.value = {
        title: t('sd.completeTitle'), test: 'complete-dialog', submitText: t('sd.complete'),
        fields: [
          { name: 'result', label: t('sd.result'), required: true, rows: 3, max: 2000 },
          { name: 'notes', label: t('sd.notes'), rows: 2, max: 2000 },
          { name: 'parts', label: t('sd.parts'), rows: 2, max: 1000 },
          { name: 'cost', sends: 'cost_fen', label: t('sd.costYuan'), type: 'money' },
        ],
        run: (v) => {
          const body = filled(v, 'result', 'notes', 'parts');
          if (v.cost !== null && v.cost !== '' && Number.isFinite(Number(v.cost))) body.cost_fen = yuanToFen(v.cost);
          return api('POST', `/${WO}/${props.order.id}/complete`, { body });
        },
      };
    }

    return () => {
      const o = props.order;
      const btn = (action, type, onClick, text) => (can(WO, action) ? h(ElButton, {
        type, loading: busy.value === action, 'data-test': 'wo-' + action, onClick,
      }, () => text) : null);
      const buttons = [];
      if (o.status === 'open') buttons.push(btn('accept', 'primary', () => simple('accept'), t('sd.accept')));
      if (o.status === 'accepted') {
        buttons.push(btn('complete', 'success', completeDialog, t('sd.complete')));
        buttons.push(btn('hold', 'default', holdDialog, t('sd.hold')));
      }
      if (o.status === 'on_hold') buttons.push(btn('resume', 'primary', () => simple('resume'), t('sd.resume')));
      return h('div', { class: 'wo-actions' }, [
        ...buttons.filter(Boolean),
        ask.value ? h(AskDialog, {
          ...ask.value, subject: props.request ? props.request.title : '', ent: collection(WO), errorText: (e) => actionError(e, WO),
          onClose: () => { ask.value = null; },
          onDone: (r) => { ask.value = null; emit('changed', r); },
        }) : null,
      ]);
    };
  },
});

// One work order and its request as a card.
export function orderCard(o, req, onChanged) {
  const ty = req ? typeOf(req.type_id) : null;
  return h('article', { key: o.id, class: ['sd-card', req && (req.respond_breached || req.resolve_breached) ? 'is-late' : ''], 'data-test': 'queue-item', 'data-id': o.id, 'data-request': o.request_id }, [
    h('header', { class: 'sd-card-head' }, [
      ty ? categoryIcon(ty.category, 22) : null,
      h('a', { class: 'sd-card-title', href: href(`/c/${REQ}/${o.request_id}`), 'data-test': 'queue-link' }, req ? req.title : '#' + o.request_id),
      statusTag(o.status, WO),
    ]),
    req ? h('div', { class: 'sd-card-meta' }, [
      urgencyTag(req.urgency),
      h('span', typeName(req.type_id)),
      placeText(req) ? h('span', { class: 'sd-place' }, placeText(req)) : null,
    ]) : null,
    req ? h('p', { class: 'sd-card-desc' }, req.description) : null,
    h('dl', { class: 'sd-card-facts' }, [
      req ? h('div', [h('dt', t('sd.resolveDue')), h('dd', dueNode(req, 'resolve'))]) : null,
      req && !req.responded_at ? h('div', [h('dt', t('sd.respondDue')), h('dd', dueNode(req, 'respond'))]) : null,
      h('div', [h('dt', t('sd.team')), h('dd', teamName(o.team_id))]),
      o.assignee_id ? h('div', [h('dt', t('sd.assignee')), h('dd', userName(o.assignee_id, req))]) : null,
      o.accepted_at ? h('div', [h('dt', t('sd.acceptedAt')), h('dd', formatDatetime(o.accepted_at))]) : null,
      req && req.contact_phone ? h('div', [h('dt', t('sd.phone')), h('dd', telLink(req.contact_phone))]) : null,
      o.cost_fen != null ? h('div', [h('dt', t('sd.cost')), h('dd', formatMoney(o.cost_fen))]) : null,
    ]),
    h(WorkOrderActions, { order: o, request: req, onChanged }),
  ]);
}

export const QueueView = defineComponent({
  name: 'QueueView',
  setup() {
    const filter = ref('active');
    const orders = ref(null);
    const requests = ref({});
    const next = ref(null);
    const error = ref(null);
    const loading = ref(false);
    let seq = 0;
    state.crumb = null;

    const query = computed(() => (filter.value === 'active' ? { 'status[in]': ACTIVE.join(',') } : { status: filter.value }));

    // the requests of the cards (a card without its request shows the request's number)
    async function fetchRequests(list) {
      const got = await fetchByIds(REQ, list.map((o) => o.request_id).filter((id) => !requests.value[id]));
      if (!got.length) return;
      const map = { ...requests.value };
      for (const x of got) map[x.id] = x;
      requests.value = map;
      noteOffset(got[0].created_at);
    }

    async function load(more = false) {
      const mine = ++seq;
      loading.value = true;
      error.value = null;
      try {
        const r = await api('GET', '/' + WO, { query: { ...query.value, limit: 20, after: more ? next.value : null } });
        if (mine !== seq) return;
        await fetchRequests(r.items);
        if (mine !== seq) return;
        orders.value = more ? [...(orders.value || []), ...r.items] : r.items;
        next.value = r.next;
        resolveUsers(r.items.map((o) => o.assignee_id).filter(Boolean));
      } catch (e) {
        if (mine === seq) { error.value = e; if (!more) orders.value = []; }
      } finally {
        if (mine === seq) loading.value = false;
      }
    }

    // After an action: that order again, and its request (status, clocks).
    async function changed(o) {
      try {
        const [fresh, req] = await Promise.all([
          api('GET', `/${WO}/${o.id}`),
          api('GET', `/${REQ}/${o.request_id}`),
        ]);
        requests.value = { ...requests.value, [req.id]: req };
        orders.value = orders.value.map((x) => (x.id === fresh.id ? fresh : x));
      } catch { load(); }
    }

    onMounted(() => { loadTypes().catch(() => {}); loadTeams().catch(() => {}); load(); refreshBell(); });

    const FILTERS = ['active', 'open', 'accepted', 'on_hold', 'done'];
    return () => h('section', { class: 'page sd-page', 'data-test': 'sd-queue' }, [
      pageHead(t('sd.queue'), h(ElButton, { icon: Refresh, 'aria-label': t('common.refresh'), 'data-test': 'refresh', onClick: () => load() })),
      h(ElRadioGroup, {
        modelValue: filter.value, class: 'sd-filter-tabs', 'aria-label': t('sd.queueFilter'), 'data-test': 'queue-filter',
        'onUpdate:modelValue': (v) => { filter.value = v; load(); },
      }, () => FILTERS.map((f) => h(ElRadioButton, { key: f, value: f, 'data-test': 'queue-filter-' + f }, () => t('sd.wo.' + f)))),
      error.value ? h(ElAlert, { type: 'error', showIcon: true, closable: false, title: problemText(error.value, collection(WO)), class: 'mb', 'data-test': 'queue-error' }) : null,
      orders.value === null ? h(ElSkeleton, { rows: 5, animated: true })
        : !orders.value.length ? h(ElEmpty, { description: t('sd.queueEmpty'), 'data-test': 'queue-empty' })
          : h('div', { class: 'sd-cards', 'data-test': 'queue-list', 'aria-busy': loading.value ? 'true' : 'false' },
            orders.value.map((o) => orderCard(o, requests.value[o.request_id], () => changed(o)))),
      next.value ? h(ElButton, { class: 'load-more', loading: loading.value, 'data-test': 'load-more', onClick: () => load(true) }, () => t('sd.loadMore')) : null,
    ]);
  },
});
