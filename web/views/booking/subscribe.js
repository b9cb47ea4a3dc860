// SPDX-License-Identifier: MIT
// The "subscribe in a calendar" panel of my bookings (kind person) and of a
// resource's calendar (kind resource, for the service centre): the active
// feeds of the signed-in user, a new one made with POST /calendar_feeds whose
// link (webcal:// for calendar apps, https:// for the rest) is shown this once
// with copy buttons, and revoke. Refusals are said by key (problemText).
import { defineComponent, h, ref, watch, onMounted } from 'vue';
import { ElButton, ElAlert, ElMessage, ElMessageBox } from 'element-plus';
import { t } from '../../lib/i18n.js';
import { api, problemText } from '../../lib/api.js';
import { state, can, collection } from '../../lib/session.js';
import { formatDatetime } from '../../lib/time.js';

const FEEDS = 'calendar_feeds';

// The two addresses of a feed's path on this server.
export function feedUrls(path, loc = window.location) {
  return { https: `${loc.protocol}//${loc.host}${path}`, webcal: `webcal://${loc.host}${path}` };
}

async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
    ElMessage({ type: 'success', message: t('bk.subCopied') });
  } catch {
    // no clipboard (plain http, an old browser): the link is shown to copy by hand
    ElMessage({ type: 'info', message: text });
  }
}

export const SubscribePanel = defineComponent({
  name: 'BookingSubscribePanel',
  props: { kind: { type: String, required: true }, resourceId: { type: Number, default: null } },
  setup(props) {
    const items = ref(null);
    const shown = ref(null); // {id, https, webcal}: the new feed's link, this once
    const error = ref('');
    const busy = ref(false);
    const errText = (e) => problemText(e, collection(FEEDS));

    async function load() {
      if (!state.user) return;
      const query = { user_id: state.user.id, status: 'active', kind: props.kind, sort: '-id', limit: 50 };
      if (props.kind === 'resource') query.resource_id = props.resourceId;
      try {
        items.value = (await api('GET', '/' + FEEDS, { query })).items;
      } catch (e) {
        error.value = errText(e);
      }
    }
    onMounted(load);
    watch(() => props.resourceId, () => { shown.value = null; load(); });

    async function create() {
      error.value = '';
      busy.value = true;
      try {
        const body = { kind: props.kind };
        if (props.kind === 'resource') body.resource_id = props.resourceId;
        const r = await api('POST', '/' + FEEDS, { body });
        shown.value = { id: r.id, ...feedUrls(r.path) };
        load();
      } catch (e) {
        error.value = errText(e);
      } finally {
        busy.value = false;
      }
    }

    async function revoke(f) {
      try {
        await ElMessageBox.confirm(t('bk.subRevokeAsk'), t('bk.subRevoke'), { type: 'warning' });
      } catch { return; }
      try {
        await api('POST', `/${FEEDS}/${f.id}/revoke`, { body: {} });
        if (shown.value && shown.value.id === f.id) shown.value = null;
        ElMessage({ type: 'success', message: t('bk.subRevoked') });
        load();
      } catch (e) {
        error.value = errText(e);
      }
    }

    function link(id, label, value) {
      return h('div', { class: 'bk-sub-link' }, [
        h('label', { for: id }, label),
        h('div', { class: 'bk-sub-row' }, [
          h('input', { id, class: 'el-input__inner', readonly: true, value, 'data-test': id, onFocus: (e) => e.target.select() }),
          h(ElButton, { onClick: () => copy(value), 'data-test': `${id}-copy` }, () => t('bk.subCopy')),
        ]),
      ]);
    }

    return () => {
      if (!can(FEEDS, 'create')) return null;
      const id = `bk-sub-${props.kind}`;
      return h('section', { class: 'bk-card bk-sub', 'data-test': 'bk-subscribe', 'aria-labelledby': `${id}-title` }, [
        h('h2', { id: `${id}-title` }, t('bk.subTitle')),
        h('p', { class: 'hint' }, t(props.kind === 'resource' ? 'bk.subResource' : 'bk.subPerson')),
        error.value ? h(ElAlert, { type: 'error', title: error.value, closable: false, 'data-test': 'form-error' }) : null,
        shown.value ? h('div', { class: 'bk-sub-new', 'data-test': 'bk-sub-new' }, [
          h(ElAlert, { type: 'warning', title: t('bk.subOnce'), closable: false, showIcon: true }),
          link(`${id}-webcal`, t('bk.subWebcal'), shown.value.webcal),
          link(`${id}-https`, t('bk.subHttps'), shown.value.https),
        ]) : null,
        h('div', { class: 'bk-actions' }, [
          h(ElButton, { type: 'primary', loading: busy.value, onClick: create, 'data-test': 'bk-sub-create' }, () => t('bk.subCreate')),
        ]),
        h('h3', t('bk.subActive')),
        !items.value ? null : !items.value.length ? h('p', { class: 'hint', 'data-test': 'bk-sub-none' }, t('bk.subNone'))
          : h('ul', { class: 'bk-sub-list' }, items.value.map((f) => h('li', { 'data-test': 'bk-sub-item', 'data-id': f.id }, [
            h('span', [h('code', `${f.prefix}…`), ' ', t('bk.subCreated', { when: formatDatetime(f.created_at) })]),
            h(ElButton, { size: 'small', onClick: () => revoke(f), 'data-test': 'bk-sub-revoke' }, () => t('bk.subRevoke')),
          ]))),
      ]);
    };
  },
});
