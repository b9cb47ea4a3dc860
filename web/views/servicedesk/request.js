// A service request's own page (the detail view of service_requests):
// status as a step bar, the request and its photos, due times, the work
// orders, the timeline, comments, and the requester's confirm / reopen /
// rate / cancel.
import { defineComponent, h, ref, reactive, computed, onMounted } from 'vue';
import { ElButton, ElAlert, ElInput, ElRate, ElCard } from 'element-plus';
import { Back, Edit } from '@element-plus/icons-vue';
import { t, label } from '../../lib/i18n.js';
import { api } from '../../lib/api.js';
import { go, href } from '../../lib/router.js';
import { state, can, field, collection } from '../../lib/session.js';
import { useRecord } from '../../lib/record.js';
import { enumText } from '../../lib/fields.js';
import { formatMoney } from '../../lib/money.js';
import { formatDatetime } from '../../lib/time.js';
import { resolveUsers, knowUsers } from '../../lib/users.js';
import { PhotoGallery } from '../../components/photos.js';
import { refreshBell } from '../../components/bell.js';
import { AskDialog, postDialog } from '../../components/ask-dialog.js';
import { eventTimeline } from '../../components/event-timeline.js';
import { stepBar } from '../../components/step-bar.js';
import { pageError, pageLoading } from '../../components/page-state.js';
import { factList, factItem } from '../../components/facts.js';
import { telLink } from '../../components/tel-link.js';
import {
  REQ, DONE_STATUSES, statusTag, urgencyTag, placeText, dueNode, loadTypes, typeName, typeOf, loadTeams,
  teamName, userName, AssignDialog, runAction, actionError, categoryIcon,
} from './common.js';
import { WorkOrderActions } from './queue.js';
import { pageHead, titleRow } from '../../components/page-head.js';

const STEPS = ['submitted', 'assigned', 'in_progress', 'resolved', 'closed'];
// How many steps are done: filed → 1, waiting for a team or at work → 2, resolved → 4, closed → 5.
const DONE_STEPS = { submitted: 1, assigned: 2, in_progress: 2, waiting: 2, resolved: 4, closed: 5 };
const REOPEN_DAYS = 7;

export const RequestView = defineComponent({
  name: 'RequestView',
  props: { c: String, id: [String, Number], params: Object },
  setup(props) {
    const id = computed(() => props.id || (props.params && props.params.id));
    const events = ref(null);
    const orders = ref(null);
    const dialog = ref(null);     // 'assign' | {AskDialog props}
    const comment = ref('');
    const commentError = ref('');
    const sending = ref(false);
    const rating = reactive({ score: 0, comment: '', error: '', busy: false });
    state.crumb = null;

    async function loadTimeline() {
      try {
        const r = await api('GET', `/${REQ}/${id.value}/timeline`);
        knowUsers(r.actors);
        events.value = r.items;
      } catch {
        events.value = events.value || [];
      }
    }
    async function loadOrders() {
      if (!can('work_orders', 'read')) return;
      try {
        const r = await api('GET', '/work_orders', { query: { request_id: id.value, limit: 50, sort: '-id' } });
        orders.value = r.items;
        resolveUsers(r.items.map((o) => o.assignee_id).filter(Boolean));
      } catch {
        orders.value = [];
      }
    }
    const { rec, error, load } = useRecord(REQ, () => id.value, (r) => {
      resolveUsers([r.requester_id, r.assignee_id]);
      loadTimeline();
      loadOrders();
    });
    onMounted(() => {
      loadTypes().catch(() => {});
      loadTeams().catch(() => {});
    });
    function reload() { load(); refreshBell(); }

    const mine = computed(() => rec.value && state.user && rec.value.requester_id === state.user.id);
    const allowed = (action) => can(REQ, action);

    function withinReopen(r) {
      if (!r.resolved_at) return true;
      return Date.now() - Date.parse(r.resolved_at) < REOPEN_DAYS * 86400000;
    }

    async function simple(action) {
      const r = await runAction(`/${REQ}/${id.value}/${action}`, {});
      if (r) reload();
    }

    function askReopen() {
      dialog.value = postDialog(`/${REQ}/${id.value}/reopen`, {
        title: t('sd.reopenTitle'), test: 'reopen-dialog', submitText: t('sd.reopen'),
        fields: [{ name: 'reason', label: t('sd.reopenReason'), required: true, rows: 3, max: 2000 }],
      });
    }
    function askCancel() {
      dialog.value = postDialog(`/${REQ}/${id.value}/cancel`, {
        title: t('sd.cancelTitle'), test: 'cancel-dialog', submitText: t('sd.cancelRequest'),
        fields: [{ name: 'reason', label: t('sd.cancelReason'), rows: 3, max: 2000 }],
      });
    }

    async function sendComment() {
      commentError.value = '';
      const msg = comment.value.trim();
      if (!msg) { commentError.value = t('srv.required'); return; }
      sending.value = true;
      try {
        await api('POST', `/${REQ}/${id.value}/comment`, { body: { message: msg } });
        comment.value = '';
        reload();
      } catch (e) {
        commentError.value = actionError(e);
      } finally {
        sending.value = false;
      }
    }

    async function rate() {
      rating.error = '';
      if (!rating.score) { rating.error = t('sd.rateFirst'); return; }
      rating.busy = true;
      try {
        const body = { score: rating.score };
        if (rating.comment.trim()) body.comment = rating.comment.trim();
        await api('POST', `/${REQ}/${id.value}/rate`, { body });
        rating.score = 0;
        rating.comment = '';
        reload();
      } catch (e) {
        rating.error = actionError(e);
      } finally {
        rating.busy = false;
      }
    }

    function toolbar(r) {
      const b = [];
      b.push(h(ElButton, { icon: Back, 'data-test': 'back', onClick: () => go('/c/' + REQ) }, () => t('detail.backToList')));
      if (mine.value && allowed('update') && ['submitted', 'assigned'].includes(r.status)) {
        b.push(h(ElButton, { icon: Edit, 'data-test': 'edit', onClick: () => go(`/c/${REQ}/${r.id}/edit`) }, () => t('common.edit')));
      }
      if (allowed('assign') && !DONE_STATUSES.includes(r.status)) {
        b.push(h(ElButton, { type: 'primary', 'data-test': 'action-assign', onClick: () => { dialog.value = 'assign'; } }, () => (r.team_id ? t('sd.reassign') : t('sd.assign'))));
      }
      if (mine.value && allowed('confirm') && r.status === 'resolved') {
        b.push(h(ElButton, { type: 'success', 'data-test': 'action-confirm', onClick: () => simple('confirm') }, () => t('sd.confirm')));
      }
      if (mine.value && allowed('reopen') && r.status === 'resolved' && withinReopen(r)) {
        b.push(h(ElButton, { 'data-test': 'action-reopen', onClick: askReopen }, () => t('sd.reopen')));
      }
      if ((mine.value || allowed('assign')) && allowed('cancel') && !DONE_STATUSES.includes(r.status)) {
        b.push(h(ElButton, { type: 'danger', plain: true, 'data-test': 'action-cancel', onClick: askCancel }, () => t('sd.cancelRequest')));
      }
      return h('div', { class: 'toolbar' }, b);
    }

    function steps(r) {
      if (r.status === 'cancelled') {
        return h(ElAlert, { type: 'info', closable: false, showIcon: true, title: t('sd.cancelledNote'), class: 'mb', 'data-test': 'status-cancelled' });
      }
      return stepBar({
        steps: STEPS.map((s, i) => ({ key: s, title: i === 2 && r.status === 'waiting' ? enumText(REQ, 'status', 'waiting') : t('sd.step.' + s) })),
        at: DONE_STEPS[r.status] ?? 0, label: t('sd.progress'), processStatus: r.status === 'waiting' ? 'wait' : 'process',
      });
    }

    function ratePanel(r) {
      if (!mine.value || !allowed('rate') || r.score != null || !['resolved', 'closed'].includes(r.status)) return null;
      return h(ElCard, { class: 'rate-panel mb', shadow: 'never', 'data-test': 'rate-panel' }, {
        header: () => h('h2', { class: 'card-title', id: 'rate-title' }, t('sd.rateTitle')),
        default: () => [
          h('p', { class: 'hint' }, r.status === 'resolved' ? t('sd.rateHintResolved') : t('sd.rateHint')),
          h('div', { class: 'rate-stars', 'data-test': 'rate-stars' }, h(ElRate, {
            modelValue: rating.score, size: 'large', ariaLabel: t('sd.score'), showText: true,
            texts: [t('sd.stars1'), t('sd.stars2'), t('sd.stars3'), t('sd.stars4'), t('sd.stars5')],
            'onUpdate:modelValue': (v) => { rating.score = v; rating.error = ''; },
          })),
          h('label', { class: 'sr-only', for: 'rate-comment' }, t('sd.rateComment')),
          h(ElInput, {
            id: 'rate-comment', modelValue: rating.comment, type: 'textarea', rows: 2, maxlength: 500, showWordLimit: true,
            placeholder: t('sd.rateComment'), 'data-test': 'rate-comment', 'onUpdate:modelValue': (v) => { rating.comment = v; },
          }),
          rating.error ? h('div', { class: 'field-error', role: 'alert', 'data-test': 'rate-error' }, rating.error) : null,
          h(ElButton, { type: 'primary', class: 'rate-submit', loading: rating.busy, 'data-test': 'rate-submit', onClick: rate }, () => t('sd.rateSubmit')),
        ],
      });
    }

    function facts(r) {
      const item = factItem;
      const ty = typeOf(r.type_id);
      return factList([
        item(label(field(REQ, 'type_id')), h('span', { class: 'with-icon' }, [ty ? categoryIcon(ty.category, 18) : null, typeName(r.type_id)]), 'value-type_id'),
        item(label(field(REQ, 'urgency')), urgencyTag(r.urgency), 'value-urgency'),
        item(t('sd.place'), placeText(r) || '—', 'value-place'),
        r.contact_phone ? item(label(field(REQ, 'contact_phone')), telLink(r.contact_phone), 'value-contact_phone') : null,
        item(label(field(REQ, 'requester_id')), userName(r.requester_id, r), 'value-requester_id'),
        item(label(field(REQ, 'created_at')), formatDatetime(r.created_at), 'value-created_at'),
        item(label(field(REQ, 'team_id')), r.team_id ? teamName(r.team_id) : h('span', { class: 'muted' }, t('sd.unassigned')), 'value-team_id'),
        r.assignee_id ? item(label(field(REQ, 'assignee_id')), userName(r.assignee_id, r), 'value-assignee_id') : null,
        item(label(field(REQ, 'respond_due_at')), r.responded_at ? h('span', [formatDatetime(r.respond_due_at), ' ', h('span', { class: 'muted' }, t('sd.respondedAt', { at: formatDatetime(r.responded_at) }))]) : dueNode(r, 'respond'), 'value-respond_due_at'),
        item(label(field(REQ, 'resolve_due_at')), r.resolved_at ? h('span', [formatDatetime(r.resolve_due_at), ' ', h('span', { class: 'muted' }, t('sd.resolvedAt', { at: formatDatetime(r.resolved_at) }))]) : dueNode(r, 'resolve'), 'value-resolve_due_at'),
        r.respond_breached || r.resolve_breached ? item(t('sd.sla'), h('span', { class: 'due is-late' }, [
          r.respond_breached ? label(field(REQ, 'respond_breached')) : null,
          r.respond_breached && r.resolve_breached ? '、' : null,
          r.resolve_breached ? label(field(REQ, 'resolve_breached')) : null,
        ]), 'value-breached') : null,
        r.closed_at ? item(label(field(REQ, 'closed_at')), `${formatDatetime(r.closed_at)}${r.close_reason ? ' · ' + enumText(REQ, 'close_reason', r.close_reason) : ''}`, 'value-closed_at') : null,
        r.score != null ? item(label(field(REQ, 'score')), h('span', { class: 'score' }, [
          h(ElRate, { modelValue: r.score, disabled: true, ariaLabel: t('sd.scoreOf', { n: r.score }) }),
          r.rating_comment ? h('span', { class: 'rating-comment' }, r.rating_comment) : null,
        ]), 'value-score') : null,
      ]);
    }

    function ordersBlock(r) {
      if (!orders.value || !orders.value.length) return null;
      return [
        h('h2', { class: 'section-title' }, t('sd.workOrders')),
        h('div', { class: 'sd-orders', 'data-test': 'work-orders' }, orders.value.map((o) => h('div', { key: o.id, class: 'sd-order', 'data-test': 'work-order' }, [
          h('div', { class: 'sd-order-head' }, [statusTag(o.status, 'work_orders'), h('span', teamName(o.team_id)),
            o.assignee_id ? h('span', { class: 'muted' }, userName(o.assignee_id, r)) : null]),
          o.result ? h('p', [h('strong', t('sd.result') + '：'), o.result]) : null,
          o.notes ? h('p', [h('strong', t('sd.notes') + '：'), o.notes]) : null,
          o.parts ? h('p', [h('strong', t('sd.parts') + '：'), o.parts]) : null,
          o.cost_fen != null ? h('p', [h('strong', t('sd.cost') + '：'), formatMoney(o.cost_fen)]) : null,
          h(WorkOrderActions, { order: o, request: r, onChanged: reload }),
        ]))),
      ];
    }

    function timeline(r) {
      const late = (k) => k === 'respond_breached' || k === 'resolve_breached' || k === 'escalated';
      return eventTimeline(events.value, {
        kinds: 'service_events',
        type: (k) => (late(k) ? 'danger' : k === 'completed' || k === 'confirmed' || k === 'rated' ? 'success' : k === 'commented' ? 'info' : 'primary'),
        actor: (e) => (e.kind === 'assigned' && e.actor_id != null && e.actor_id === r.requester_id ? t('sd.byRule') : userName(e.actor_id, r)),
        more: (e) => (e.to_status && e.from_status !== e.to_status ? h('span', { class: 'muted sd-event-status' }, ` → ${enumText(REQ, 'status', e.to_status)}`) : null),
      });
    }

    function commentBox(r) {
      if (!allowed('comment') || ['closed', 'cancelled'].includes(r.status)) return null;
      return h('form', { class: 'comment-box', 'data-test': 'comment-box', onSubmit: (e) => { e.preventDefault(); sendComment(); } }, [
        h('label', { for: 'sd-comment', class: 'filter-label' }, r.status === 'waiting' && mine.value ? t('sd.commentWaiting') : t('sd.comment')),
        h(ElInput, {
          id: 'sd-comment', modelValue: comment.value, type: 'textarea', rows: 2, maxlength: 2000,
          'data-test': 'comment-input', 'onUpdate:modelValue': (v) => { comment.value = v; commentError.value = ''; },
        }),
        commentError.value ? h('div', { class: 'field-error', role: 'alert', 'data-test': 'comment-error' }, commentError.value) : null,
        h(ElButton, { type: 'primary', nativeType: 'submit', loading: sending.value, 'data-test': 'comment-send' }, () => t('sd.send')),
      ]);
    }

    return () => {
      if (error.value) return pageError(error.value, { back: href('/c/' + REQ), ent: collection(REQ) });
      const r = rec.value;
      if (!r) return pageLoading();
      return h('section', { class: 'page sd-page sd-request', 'data-test': 'detail-' + REQ, 'data-status': r.status }, [
        pageHead(titleRow(r.title, h('span', { 'data-test': 'request-status' }, statusTag(r.status)), h('span', { class: 'muted' }, '#' + r.id)), toolbar(r)),
        steps(r),
        r.status === 'waiting' && mine.value ? h(ElAlert, { type: 'warning', closable: false, showIcon: true, title: t('sd.waitingNote'), class: 'mb' }) : null,
        r.status === 'resolved' && mine.value ? h(ElAlert, { type: 'success', closable: false, showIcon: true, title: t('sd.resolvedNote'), class: 'mb' }) : null,
        ratePanel(r),
        facts(r),
        h('h2', { class: 'section-title' }, label(field(REQ, 'description'))),
        h('p', { class: 'sd-description', 'data-test': 'value-description' }, r.description),
        h('h2', { class: 'section-title' }, label(field(REQ, 'photos'))),
        h('div', { 'data-test': 'value-photos' }, h(PhotoGallery, { ids: r.photos || [] })),
        ordersBlock(r),
        h('h2', { class: 'section-title' }, t('sd.timeline')),
        commentBox(r),
        h('div', { class: 'history', 'data-test': 'timeline' }, timeline(r)),
        dialog.value === 'assign' ? h(AssignDialog, {
          request: r, onClose: () => { dialog.value = null; }, onDone: () => { dialog.value = null; reload(); },
        }) : dialog.value ? h(AskDialog, {
          ...dialog.value, subject: r.title, ent: collection(REQ), errorText: actionError,
          onClose: () => { dialog.value = null; },
          onDone: () => { dialog.value = null; reload(); },
        }) : null,
      ]);
    };
  },
});
