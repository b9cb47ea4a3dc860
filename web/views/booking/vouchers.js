// SPDX-License-Identifier: MIT
// The union's service vouchers 工会服务券: my vouchers (#/booking/vouchers:
// by service, each unused one with its QR code and its code as text, status
// and last day; made for a phone), the service point's scanner
// (#/booking/scan: the camera reads the QR code with jsQR, a code typed in
// is the fallback; the answer or the reason it was refused, by key) and the
// statistics by month and service (#/booking/voucher-stats, with the XLSX).
// Batches are issued from their collection's pages (#/c/voucher_batches).
import { defineComponent, h, ref, computed, onMounted } from 'vue';
import { ElButton, ElAlert, ElSkeleton, ElEmpty, ElInput, ElSelect, ElOption, ElTag } from 'element-plus';
import { t } from '../../lib/i18n.js';
import { useQrCamera } from '../../lib/qrcamera.js';
import { api, API, problemText } from '../../lib/api.js';
import { collection } from '../../lib/session.js';
import { formatDatetime } from '../../lib/time.js';
import { pageHead } from '../../components/page-head.js';
import { chartCard } from '../../components/chart.js';

const V = 'vouchers';
const SERVICES = ['haircut', 'car_wash', 'other'];
const TYPES = { issued: 'success', redeemed: 'info', expired: 'warning', void: 'danger' };

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

const errText = (e) => problemText(e, collection(V));
const statusTag = (s) => h(ElTag, { type: TYPES[s] || 'info', size: 'small', effect: 'light', 'data-status': s, disableTransitions: true }, () => t(`bk.v.status.${s}`));

// ---- my vouchers ----

export const WalletView = defineComponent({
  name: 'VoucherWalletView',
  setup() {
    loadStyles();
    const items = ref(null);
    const error = ref(null);
    const showUsed = ref(false);
    onMounted(async () => {
      try {
        items.value = (await api('GET', `/${V}/mine`)).items;
      } catch (e) {
        error.value = e;
      }
    });
    const groups = computed(() => SERVICES.map((s) => ({
      service: s,
      unused: (items.value || []).filter((v) => v.service === s && v.status === 'issued'),
      used: (items.value || []).filter((v) => v.service === s && v.status !== 'issued'),
    })).filter((g) => g.unused.length || g.used.length));

    const card = (v) => h('article', { class: 'bk-card bk-voucher', 'data-test': 'bk-voucher', 'data-id': v.id, 'data-status': v.status }, [
      h('h3', [v.label, ' ', statusTag(v.status)]),
      h('div', { class: 'hint' }, [t('bk.v.serial'), ' ', h('span', { class: 'bk-serial' }, v.serial)]),
      h('div', t('bk.v.validTo', { date: v.expires_on })),
      v.redeemed_at ? h('div', t('bk.v.usedAt', { at: formatDatetime(v.redeemed_at) })) : null,
      v.code ? h('div', { class: 'bk-qr-box' }, [
        h('img', { class: 'bk-qr', src: `${API}/${V}/${v.id}/qr.svg`, alt: t('bk.v.qrAlt', { serial: v.serial }), width: 200, height: 200 }),
        h('details', [h('summary', t('bk.v.showCode')), h('code', { class: 'bk-vcode', 'data-test': 'bk-vcode' }, v.code)]),
      ]) : null,
    ]);

    return () => h('section', { class: 'page bk-page', 'data-test': 'bk-wallet' }, [
      pageHead(t('bk.v.walletTitle')),
      h('p', { class: 'hint' }, t('bk.v.walletHint')),
      error.value ? h(ElAlert, { type: 'error', title: errText(error.value), closable: false }) : null,
      !items.value && !error.value ? h(ElSkeleton, { rows: 3, animated: true })
        : !groups.value.length ? h(ElEmpty, { description: t('bk.v.none') })
        : [
          ...groups.value.map((g) => h('section', { class: 'bk-vgroup', 'data-test': `bk-vgroup-${g.service}` }, [
            h('h2', `${t(`bk.v.service.${g.service}`)} · ${t('bk.v.unusedN', { n: g.unused.length })}`),
            g.unused.map(card),
            showUsed.value ? g.used.map(card) : null,
          ])),
          h(ElButton, { text: true, onClick: () => { showUsed.value = !showUsed.value; }, 'data-test': 'bk-v-used' },
            () => t(showUsed.value ? 'bk.v.hideUsed' : 'bk.v.showUsed')),
        ],
    ]);
  },
});

// ---- the service point's scanner ----

export const ScanView = defineComponent({
  name: 'VoucherScanView',
  setup() {
    loadStyles();
    const code = ref('');
    const points = ref([]);
    const point = ref(null);
    const busy = ref(false);
    const result = ref(null); // {ok, voucher} | {ok: false, text}
    const video = ref(null);
    const { camera, start, stop } = useQrCamera(video, () => busy.value, redeem);

    onMounted(async () => {
      try {
        const r = await api('GET', '/resources', { query: { kind: 'service', limit: 100 } });
        points.value = r.items;
        if (r.items.length === 1) point.value = r.items[0].id;
      } catch { /* no service points to pick: redeem without one */ }
    });

    async function redeem(text) {
      const c = (text || '').trim();
      if (!c || busy.value) return;
      busy.value = true;
      try {
        const body = { code: c };
        if (point.value) body.resource_id = point.value;
        const v = await api('POST', `/${V}/redeem`, { body });
        result.value = { ok: true, voucher: v };
        code.value = '';
      } catch (e) {
        result.value = { ok: false, text: errText(e) };
      } finally {
        busy.value = false;
      }
    }

    const outcome = () => {
      const r = result.value;
      if (!r) return null;
      if (!r.ok) return h(ElAlert, { type: 'error', title: t('bk.v.refused'), description: r.text, closable: false, showIcon: true, 'data-test': 'bk-scan-refused' });
      const v = r.voucher;
      return h(ElAlert, {
        type: 'success', title: t('bk.v.redeemedOk'), closable: false, showIcon: true, 'data-test': 'bk-scan-ok',
        description: `${t(`bk.v.service.${v.service}`)} · ${v.serial} · ${formatDatetime(v.redeemed_at)}`,
      });
    };

    return () => h('section', { class: 'page bk-page bk-scan', 'data-test': 'bk-scan' }, [
      pageHead(t('bk.v.scanTitle')),
      points.value.length ? h('div', { class: 'bk-form' }, [
        h('label', { for: 'bk-scan-point' }, t('bk.v.point')),
        h(ElSelect, { id: 'bk-scan-point', modelValue: point.value, 'onUpdate:modelValue': (x) => { point.value = x; }, clearable: true, placeholder: t('bk.v.pointAny'), 'data-test': 'bk-scan-point' },
          () => points.value.map((p) => h(ElOption, { key: p.id, value: p.id, label: p.name }))),
      ]) : null,
      h('div', { class: 'bk-camera' }, [
        h('video', { ref: video, class: 'bk-video', playsinline: true, muted: true, hidden: camera.value !== 'on', 'aria-label': t('bk.v.camera') }),
        camera.value === 'on'
          ? h(ElButton, { onClick: stop, 'data-test': 'bk-scan-stop' }, () => t('bk.v.cameraStop'))
          : h(ElButton, { type: 'primary', onClick: start, 'data-test': 'bk-scan-start' }, () => t('bk.v.cameraStart')),
        camera.value === 'unavailable' ? h('p', { class: 'hint', role: 'status' }, t('bk.v.cameraNone')) : null,
      ]),
      h('form', { class: 'bk-form', onSubmit: (ev) => { ev.preventDefault(); redeem(code.value); } }, [
        h('label', { for: 'bk-scan-code' }, t('bk.v.manual')),
        h(ElInput, { id: 'bk-scan-code', modelValue: code.value, 'onUpdate:modelValue': (x) => { code.value = x; }, placeholder: 'BV1.…', autocomplete: 'off', 'data-test': 'bk-scan-code' }),
        h(ElButton, { type: 'primary', nativeType: 'submit', loading: busy.value, disabled: !code.value.trim(), 'data-test': 'bk-scan-submit' }, () => t('bk.v.redeem')),
      ]),
      h('div', { 'aria-live': 'polite' }, [outcome()]),
    ]);
  },
});

// ---- statistics by month and service ----

export const StatsView = defineComponent({
  name: 'VoucherStatsView',
  setup() {
    loadStyles();
    const data = ref(null);
    const error = ref(null);
    onMounted(async () => {
      try {
        data.value = await api('GET', `/${V}/stats`);
      } catch (e) {
        error.value = e;
      }
    });
    const rate = (c) => (c.rate === null ? '–' : `${c.rate.toFixed(1)}%`);
    // redeemed a month, by service: what the union's committee looks at first
    const chart = computed(() => {
      if (!data.value) return null;
      const months = data.value.months.map((m) => m.month);
      return {
        animation: false,
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        legend: { top: 0 },
        grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
        xAxis: { type: 'category', data: months },
        yAxis: { type: 'value', minInterval: 1 },
        series: SERVICES.filter((sv) => data.value.months.some((m) => m[sv].issued)).map((sv) => ({
          name: t(`bk.v.service.${sv}`), type: 'bar', barMaxWidth: 18, data: data.value.months.map((m) => m[sv].redeemed),
        })),
      };
    });
    const row = (label, s, c) => h('tr', { 'data-test': 'bk-stats-row' }, [
      h('th', { scope: 'row' }, label), h('td', t(`bk.v.service.${s}`)),
      h('td', c.issued), h('td', c.redeemed), h('td', c.expired), h('td', c.void), h('td', rate(c)),
    ]);
    return () => h('section', { class: 'page bk-page', 'data-test': 'bk-vstats' }, [
      pageHead(t('bk.v.statsTitle'), [h('a', { class: 'el-button', href: `${API}/${V}/stats.xlsx`, download: '', 'data-test': 'bk-stats-xlsx' }, t('bk.v.xlsx'))]),
      error.value ? h(ElAlert, { type: 'error', title: errText(error.value), closable: false }) : null,
      data.value ? chartCard(t('bk.v.chartRedeemed'), chart.value, 240, 'bk-vstats-chart', 'mb') : null,
      !data.value ? (error.value ? null : h(ElSkeleton, { rows: 5, animated: true })) : h('div', { class: 'bk-scroll' }, [
        h('table', { class: 'bk-grid bk-stats' }, [
          h('caption', `${data.value.from} – ${data.value.to}`),
          h('thead', h('tr', ['month', 'service', 'issued', 'redeemed', 'expired', 'void', 'rate'].map((k) => h('th', { scope: 'col' }, t(`bk.v.col.${k}`))))),
          h('tbody', [
            ...data.value.months.flatMap((m) => SERVICES.filter((s) => m[s].issued).map((s) => row(m.month, s, m[s]))),
            ...SERVICES.filter((s) => data.value.total[s].issued).map((s) => row(t('bk.v.total'), s, data.value.total[s])),
          ]),
        ]),
      ]),
    ]);
  },
});
