// SPDX-License-Identifier: MIT
// My assets (#/assets/mine): what is in the signed-in person's keeping, one
// card each with its code, department, acquired date, net value and QR code;
// made for a phone.
import { defineComponent, h, ref, onMounted } from 'vue';
import { ElAlert, ElSkeleton, ElEmpty } from 'element-plus';
import { t } from '../../lib/i18n.js';
import { api, API, problemText } from '../../lib/api.js';
import { pageHead } from '../../components/page-head.js';
import { A, loadStyles, money, assetStatus } from './common.js';

export const MineView = defineComponent({
  name: 'MyAssetsView',
  setup() {
    loadStyles();
    const data = ref(null);
    const error = ref(null);
    onMounted(async () => {
      try { data.value = await api('GET', `/${A}/mine`); } catch (e) { error.value = e; }
    });
    return () => h('div', { class: 'as-page as-mine' }, [
      pageHead(t('as.mine.title')),
      error.value ? h(ElAlert, { type: 'error', closable: false, title: problemText(error.value) }) : null,
      !data.value && !error.value ? h(ElSkeleton, { rows: 4, animated: true }) : null,
      data.value && data.value.person_id === null ? h(ElAlert, { type: 'info', closable: false, title: t('as.mine.noPerson') }) : null,
      data.value && data.value.person_id !== null && !data.value.items.length ? h(ElEmpty, { description: t('as.mine.none') }) : null,
      data.value && data.value.items.length ? h('p', { class: 'as-mine-sum', 'data-test': 'as-mine-count' }, t('as.mine.count', { n: data.value.items.length })) : null,
      data.value ? h('ul', { class: 'as-cards' }, data.value.items.map((x) => h('li', { key: x.id, class: 'as-card', 'data-test': 'as-mine-card', 'data-code': x.code }, [
        h('img', { class: 'as-card-qr', src: `${API}/${A}/${x.id}/qr.svg`, alt: t('as.labels.qrAlt', { code: x.code }), width: 88, height: 88 }),
        h('div', { class: 'as-card-body' }, [
          h('h2', { class: 'as-card-title' }, x.name),
          h('p', { class: 'as-card-code' }, [x.code, ' ', assetStatus(x.status)]),
          h('p', x.model || ''),
          h('p', `${x.department} · ${t('as.col.acquired')} ${x.acquired_on}`),
          h('p', [t('as.col.net'), '：', h('strong', money(x.net_fen)), ' / ', money(x.original_value_fen)]),
        ]),
      ]))) : null,
    ]);
  },
});
