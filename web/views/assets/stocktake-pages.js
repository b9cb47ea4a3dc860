// SPDX-License-Identifier: MIT
// Stocktakes 资产盘点: the sessions, one session in the field and its result.
// The session page is made for a phone held in one hand: where I am (room,
// and who uses the things here), the camera reading labels with jsQR or a
// code typed in, the answer of each scan — found; found elsewhere with what
// differs and, for the assets manager, the button that puts it right in the
// register; an unknown code with the surplus 盘盈 registration form; already
// scanned; disposed — and how many of the expected are scanned. The result:
// found, found elsewhere, missing 盘亏 and surplus 盘盈 with counts and values
// in yuan, and the workbook. Refusals are said from their keys.
import { defineComponent, h, ref, reactive, computed, onMounted, watch } from 'vue';
import {
  ElButton, ElAlert, ElSkeleton, ElEmpty, ElInput, ElSelect, ElOption, ElTag, ElProgress, ElDatePicker, ElMessage,
} from 'element-plus';
import { t, enumLabel } from '../../lib/i18n.js';
import { useQrCamera } from '../../lib/qrcamera.js';
import { api, API, problemText, placeErrors } from '../../lib/api.js';
import { collection, can, field, titleOf, resolveTitles, knowTitle } from '../../lib/session.js';
import { formatMoney, yuanToFen } from '../../lib/money.js';
import { href, go } from '../../lib/router.js';
import { pageHead, titleRow } from '../../components/page-head.js';

const S = 'stocktakes';
const TYPES = { draft: 'info', in_progress: 'warning', finished: 'success', cancelled: 'danger' };
const GROUPS = ['moved', 'missing', 'surplus', 'found', 'pending'];

let cssPromise = null;
function loadStyles() {
  cssPromise ||= new Promise((resolve) => {
    const l = document.createElement('link');
    l.rel = 'stylesheet';
    l.href = new URL('./stocktake.css', import.meta.url).pathname;
    l.onload = () => resolve();
    l.onerror = () => resolve();
    document.head.appendChild(l);
  });
  return cssPromise;
}

const errText = (e) => problemText(e, collection(S));
const statusTag = (s) => {
  const f = field(S, 'status');
  return h(ElTag, { type: TYPES[s] || 'info', size: 'small', effect: 'light', 'data-status': s, disableTransitions: true },
    () => (f ? enumLabel(f, s) : s));
};
// the names the result gives of the rooms, people and departments its lines name
function learn(names) {
  for (const [coll, map] of Object.entries(names || {}))
    for (const [id, title] of Object.entries(map)) knowTitle(coll, Number(id), title);
}
const idOf = (props) => Number((props.params && props.params.id) || props.id);
const room = (id) => (id ? titleOf('rooms', id) : t('as.st.none'));
const person = (id) => (id ? titleOf('people', id) : t('as.st.none'));

// ---- the sessions ----

export const StocktakeListView = defineComponent({
  name: 'StocktakeListView',
  setup() {
    loadStyles();
    const items = ref(null);
    const error = ref(null);
    onMounted(async () => {
      try {
        const r = await api('GET', `/${S}`, { query: { limit: 100, sort: '-id' } });
        await resolveTitles('departments', r.items.map((x) => x.department_id));
        await resolveTitles('rooms', r.items.map((x) => x.room_id));
        await resolveTitles('buildings', r.items.map((x) => x.building_id));
        items.value = r.items;
      } catch (e) {
        error.value = e;
      }
    });
    const card = (s) => h('article', { class: 'st-card', 'data-test': 'st-session', 'data-id': s.id, 'data-status': s.status }, [
      h('h2', [h('a', { href: href(`/assets/stocktakes/${s.id}`), 'data-test': 'st-open' }, s.name), ' ', statusTag(s.status)]),
      h('div', { class: 'hint' }, [[s.department_id, 'departments'], [s.building_id, 'buildings'], [s.room_id, 'rooms']]
        .filter(([id]) => id).map(([id, coll]) => titleOf(coll, id)).join(' · ')),
      s.status === 'draft' ? null : h('div', t('as.st.expectedN', { n: s.expected_count, value: formatMoney(s.expected_value_fen) })),
      s.status === 'finished' ? h('div', { 'data-test': 'st-figures' }, t('as.st.finishedFigures', {
        missing: s.missing_count, missingValue: formatMoney(s.missing_value_fen), surplus: s.surplus_count,
      })) : null,
      s.status === 'finished' ? h('a', { href: href(`/assets/stocktakes/${s.id}/result`), 'data-test': 'st-result-link' }, t('as.st.result')) : null,
    ]);
    return () => h('section', { class: 'page st-page', 'data-test': 'st-list' }, [
      pageHead(t('as.st.listTitle'), can(S, 'create')
        ? [h(ElButton, { type: 'primary', onClick: () => go(`/c/${S}/new`), 'data-test': 'st-new' }, () => t('as.st.new'))] : null),
      error.value ? h(ElAlert, { type: 'error', title: errText(error.value), closable: false }) : null,
      !items.value && !error.value ? h(ElSkeleton, { rows: 3, animated: true })
        : items.value && !items.value.length ? h(ElEmpty, { description: t('as.st.noneYet') })
        : (items.value || []).map(card),
    ]);
  },
});


// ---- the surplus registration form (an unknown code) ----

const SurplusForm = defineComponent({
  name: 'StocktakeSurplusForm',
  props: { stocktake: { type: Object, required: true }, line: { type: Object, required: true } },
  emits: ['done'],
  setup(props, { emit }) {
    const classes = ref([]);
    const form = reactive({ name: '', class_id: null, value: '', acquired_on: '', model: '' });
    const errors = reactive({});
    const busy = ref(false);
    const failed = ref(null);
    onMounted(async () => {
      try {
        classes.value = (await api('GET', '/asset_classes', { query: { active: true, limit: 500, sort: 'code' } })).items
          .filter((c) => c.category_id);
      } catch (e) {
        failed.value = e;
      }
    });
    async function submit(ev) {
      ev.preventDefault();
      for (const k of Object.keys(errors)) delete errors[k];
      if (!form.name.trim()) errors.name = t('as.st.required');
      if (!form.class_id) errors.class_id = t('as.st.required');
      if (form.value === '' || !(Number(form.value) >= 0)) errors.original_value_fen = t('as.st.required');
      if (!form.acquired_on) errors.acquired_on = t('as.st.required');
      if (Object.keys(errors).length) return;
      busy.value = true;
      failed.value = null;
      try {
        const body = { line_id: props.line.id, name: form.name.trim(), class_id: form.class_id, original_value_fen: yuanToFen(form.value), acquired_on: form.acquired_on };
        if (form.model.trim()) body.model = form.model.trim();
        emit('done', await api('POST', `/${S}/${props.stocktake.id}/surplus`, { body }));
      } catch (e) {
        if (!placeErrors(e, errors, ['name', 'class_id', 'original_value_fen', 'acquired_on', 'model'], collection('assets'))) failed.value = e;
      } finally {
        busy.value = false;
      }
    }
    const row = (id, text, control, err) => h('div', { class: 'st-field' }, [
      h('label', { for: id }, text), control,
      err ? h('div', { class: 'st-error', role: 'alert', 'data-test': `st-error-${id}` }, err) : null,
    ]);
    return () => h('form', { class: 'st-form', onSubmit: submit, 'data-test': 'st-surplus-form' }, [
      h('h3', t('as.st.surplusTitle', { code: props.line.code })),
      row('st-s-name', t('as.st.f.name'), h(ElInput, { id: 'st-s-name', modelValue: form.name, 'onUpdate:modelValue': (x) => { form.name = x; }, maxlength: 100, 'data-test': 'st-s-name' }), errors.name),
      row('st-s-class', t('as.st.f.class'), h(ElSelect, { id: 'st-s-class', modelValue: form.class_id, 'onUpdate:modelValue': (x) => { form.class_id = x; }, filterable: true, placeholder: t('as.st.f.classPick'), 'data-test': 'st-s-class' },
        () => classes.value.map((c) => h(ElOption, { key: c.id, value: c.id, label: `${c.code} ${c.name}` }))), errors.class_id),
      row('st-s-value', t('as.st.f.value'), h(ElInput, { id: 'st-s-value', modelValue: form.value, 'onUpdate:modelValue': (x) => { form.value = x; }, inputmode: 'decimal', 'data-test': 'st-s-value' }, { append: () => t('as.st.yuan') }), errors.original_value_fen),
      row('st-s-date', t('as.st.f.acquired'), h(ElDatePicker, { id: 'st-s-date', modelValue: form.acquired_on, 'onUpdate:modelValue': (x) => { form.acquired_on = x || ''; }, type: 'date', valueFormat: 'YYYY-MM-DD', editable: true, 'data-test': 'st-s-date' }), errors.acquired_on),
      row('st-s-model', t('as.st.f.model'), h(ElInput, { id: 'st-s-model', modelValue: form.model, 'onUpdate:modelValue': (x) => { form.model = x; }, maxlength: 100, 'data-test': 'st-s-model' }), errors.model),
      failed.value ? h(ElAlert, { type: 'error', title: errText(failed.value), closable: false }) : null,
      h(ElButton, { type: 'primary', nativeType: 'submit', loading: busy.value, 'data-test': 'st-s-submit' }, () => t('as.st.register')),
    ]);
  },
});

// ---- one scan's answer ----

function facts(a) {
  return h('dl', { class: 'st-facts' }, [
    h('dt', t('as.st.f.code')), h('dd', { 'data-test': 'st-a-code' }, a.code),
    h('dt', t('as.st.f.name')), h('dd', { 'data-test': 'st-a-name' }, a.name),
    a.model ? [h('dt', t('as.st.f.model')), h('dd', a.model)] : null,
    h('dt', t('as.st.f.department')), h('dd', a.department || '—'),
    h('dt', t('as.st.f.value')), h('dd', `${formatMoney(a.original_value_fen)} · ${t('as.st.net')} ${formatMoney(a.net_value_fen)}`),
  ]);
}

function differences(a) {
  const ex = a.expected || {}, fo = a.found || {};
  const row = (what, e, f) => h('tr', { class: e !== f && f ? 'st-diff' : null }, [h('th', { scope: 'row' }, what), h('td', e || t('as.st.none')), h('td', f || '—')]);
  return h('table', { class: 'st-table', 'data-test': 'st-differences' }, [
    h('thead', h('tr', [h('th', { scope: 'col' }, t('as.st.col.item')), h('th', { scope: 'col' }, t('as.st.onRecord')), h('th', { scope: 'col' }, t('as.st.foundHere'))])),
    h('tbody', [
      row(t('as.st.f.room'), ex.room, fo.room_id && fo.room_id !== ex.room_id ? fo.room : fo.room ? ex.room : null),
      row(t('as.st.f.custodian'), ex.custodian, fo.custodian_id && fo.custodian_id !== ex.custodian_id ? fo.custodian : fo.custodian ? ex.custodian : null),
    ]),
  ]);
}

// ---- a session in the field ----

export const StocktakeSessionView = defineComponent({
  name: 'StocktakeSessionView',
  props: { params: { type: Object, default: null }, c: { type: String, default: null }, id: { type: [String, Number], default: null } },
  setup(props) {
    loadStyles();
    const st = ref(null);
    const res = ref(null);
    const error = ref(null);
    const here = reactive({ room: null, custodian: null });
    const code = ref('');
    const busy = ref(false);
    const answer = ref(null); // the scan's answer, or {error}
    const recent = ref([]);
    const progress = ref({ scanned: 0, expected: 0 });
    const video = ref(null);
    const { camera, start, stop } = useQrCamera(video, () => busy.value, scan);

    async function load() {
      error.value = null;
      try {
        const id = idOf(props);
        const [s, r] = await Promise.all([api('GET', `/${S}/${id}`), api('GET', `/${S}/${id}/result`)]);
        learn(r.names);
        st.value = s;
        res.value = r;
        progress.value = { scanned: r.scanned, expected: r.expected };
        if (!here.room && s.room_id) here.room = s.room_id;
      } catch (e) {
        error.value = e;
      }
    }
    onMounted(load);
    watch(() => idOf(props), load);

    // where I am: the rooms and custodians the register names for the session
    const rooms = computed(() => {
      if (!res.value) return [];
      const ids = new Set(GROUPS.flatMap((g) => res.value.lines[g].map((l) => l.expected_room_id)).filter(Boolean));
      if (st.value && st.value.room_id) ids.add(st.value.room_id);
      return [...ids].sort((a, b) => titleOf('rooms', a).localeCompare(titleOf('rooms', b), 'zh-CN'));
    });
    const people = computed(() => {
      if (!res.value) return [];
      const ids = new Set(GROUPS.flatMap((g) => res.value.lines[g].map((l) => l.expected_custodian_id)).filter(Boolean));
      return [...ids].sort((a, b) => titleOf('people', a).localeCompare(titleOf('people', b), 'zh-CN'));
    });

    async function scan(text) {
      const c = (text || '').trim();
      if (!c || busy.value) return;
      busy.value = true;
      try {
        const body = { code: c };
        if (here.room) body.room_id = here.room;
        if (here.custodian) body.custodian_id = here.custodian;
        const a = await api('POST', `/${S}/${st.value.id}/scan`, { body });
        if (a.asset) {
          const ex = a.asset.expected || {}, fo = a.asset.found || {};
          knowTitle('rooms', ex.room_id, ex.room);
          knowTitle('rooms', fo.room_id, fo.room);
        }
        answer.value = a;
        if (a.progress) progress.value = a.progress;
        recent.value = [{ code: a.code, result: a.result, already: a.already, name: a.asset ? a.asset.name : '' }, ...recent.value].slice(0, 8);
        code.value = '';
      } catch (e) {
        answer.value = { error: e };
      } finally {
        busy.value = false;
      }
    }

    async function confirm() {
      const a = answer.value;
      busy.value = true;
      try {
        const r = await api('POST', `/${S}/${st.value.id}/confirm`, { body: { line_id: a.line.id } });
        answer.value = { ...a, line: r.lines[0], confirmedNow: true };
        ElMessage({ type: 'success', message: t('as.st.confirmedOk') });
      } catch (e) {
        answer.value = { ...a, confirmError: e };
      } finally {
        busy.value = false;
      }
    }

    async function step(name, body) {
      busy.value = true;
      try {
        await api('POST', `/${S}/${st.value.id}/${name}`, { body });
        await load();
      } catch (e) {
        ElMessage({ type: 'error', message: errText(e) });
      } finally {
        busy.value = false;
      }
    }

    const outcome = () => {
      const a = answer.value;
      if (!a) return null;
      if (a.error) return h(ElAlert, { type: 'error', title: t('as.st.refused'), description: errText(a.error), closable: false, showIcon: true, 'data-test': 'st-scan-refused' });
      const again = a.already ? h(ElTag, { type: 'info', size: 'small', 'data-test': 'st-already' }, () => t('as.st.already')) : null;
      const box = (type, title, body) => h('div', { class: `st-answer st-answer-${type}`, role: 'status', 'data-test': 'st-answer', 'data-result': a.result }, [
        h('h2', [title, ' ', again]), ...body,
      ]);
      if (a.result === 'found') return box('success', t('as.st.r.found'), [facts(a.asset)]);
      if (a.result === 'disposed') return box('danger', t('as.st.r.disposed', { date: a.asset.disposed_on || '' }), [facts(a.asset)]);
      if (a.result === 'moved') {
        const mayConfirm = can(S, 'confirm') && !a.line.confirmed;
        return box('warning', a.line.out_of_scope ? t('as.st.r.outOfScope') : t('as.st.r.moved'), [
          facts(a.asset), differences(a.asset),
          a.line.confirmed ? h('p', { class: 'st-ok', 'data-test': 'st-confirmed' }, t('as.st.confirmed')) : null,
          mayConfirm ? h(ElButton, { type: 'primary', loading: busy.value, onClick: confirm, 'data-test': 'st-confirm' }, () => t('as.st.confirm')) : null,
          !a.line.confirmed && !can(S, 'confirm') ? h('p', { class: 'hint' }, t('as.st.confirmByManager')) : null,
          a.confirmError ? h(ElAlert, { type: 'error', title: errText(a.confirmError), closable: false, 'data-test': 'st-confirm-refused' }) : null,
        ]);
      }
      if (a.result === 'surplus') return box('success', t('as.st.r.registered', { code: a.line.code }), [facts(a.asset)]);
      // unknown: an unregistered item found
      return box('info', t('as.st.r.unknown', { code: a.code }), [
        h('p', t('as.st.unknownHint')),
        can(S, 'surplus') && !a.line.asset_id
          ? h(SurplusForm, { stocktake: st.value, line: a.line, onDone: (r) => { answer.value = r; } })
          : h('p', { class: 'hint' }, t('as.st.surplusByManager')),
      ]);
    };

    const tools = () => {
      const s = st.value, out = [];
      if (s.status === 'draft' && can(S, 'start')) out.push(h(ElButton, { type: 'primary', loading: busy.value, onClick: () => step('start', {}), 'data-test': 'st-start' }, () => t('as.st.start')));
      if (s.status === 'in_progress' && can(S, 'finish')) out.push(h(ElButton, { type: 'primary', plain: true, loading: busy.value, onClick: () => step('finish', {}), 'data-test': 'st-finish' }, () => t('as.st.finish')));
      if (s.status !== 'draft') out.push(h('a', { class: 'el-button', href: href(`/assets/stocktakes/${s.id}/result`), 'data-test': 'st-result-link' }, t('as.st.result')));
      return out;
    };

    return () => {
      if (error.value) return h('section', { class: 'page st-page' }, [h(ElAlert, { type: 'error', title: errText(error.value), closable: false })]);
      if (!st.value) return h('section', { class: 'page st-page' }, [h(ElSkeleton, { rows: 5, animated: true })]);
      const s = st.value;
      const p = progress.value;
      const open = s.status === 'in_progress' && can(S, 'scan');
      return h('section', { class: 'page st-page st-session', 'data-test': 'st-session-page', 'data-status': s.status }, [
        pageHead(titleRow(s.name, statusTag(s.status)), tools()),
        h('p', { class: 'hint' }, [s.department_id, s.building_id, s.room_id].some(Boolean)
          ? [[s.department_id, 'departments'], [s.building_id, 'buildings'], [s.room_id, 'rooms']]
            .filter(([id]) => id).map(([id, coll]) => titleOf(coll, id)).join(' · ') : null),
        s.status === 'draft' ? null : h('div', { class: 'st-progress', 'data-test': 'st-progress' }, [
          h('span', t('as.st.progress', { scanned: p.scanned, expected: p.expected })),
          h(ElProgress, { percentage: p.expected ? Math.round((p.scanned * 100) / p.expected) : 0, strokeWidth: 12, 'aria-label': t('as.st.progressLabel') }),
        ]),
        open ? [
          h('div', { class: 'st-here' }, [
            h('div', { class: 'st-field' }, [
              h('label', { for: 'st-room' }, t('as.st.here')),
              h(ElSelect, { id: 'st-room', modelValue: here.room, 'onUpdate:modelValue': (x) => { here.room = x || null; }, clearable: true, filterable: true, placeholder: t('as.st.herePick'), 'data-test': 'st-room' },
                () => rooms.value.map((id) => h(ElOption, { key: id, value: id, label: room(id) }))),
            ]),
            h('div', { class: 'st-field' }, [
              h('label', { for: 'st-custodian' }, t('as.st.custodianHere')),
              h(ElSelect, { id: 'st-custodian', modelValue: here.custodian, 'onUpdate:modelValue': (x) => { here.custodian = x || null; }, clearable: true, filterable: true, placeholder: t('as.st.custodianPick'), 'data-test': 'st-custodian' },
                () => people.value.map((id) => h(ElOption, { key: id, value: id, label: person(id) }))),
            ]),
          ]),
          h('div', { class: 'st-camera' }, [
            h('video', { ref: video, class: 'st-video', playsinline: true, muted: true, hidden: camera.value !== 'on', 'aria-label': t('as.st.camera') }),
            camera.value === 'on'
              ? h(ElButton, { onClick: stop, 'data-test': 'st-camera-stop' }, () => t('as.st.cameraStop'))
              : h(ElButton, { type: 'primary', onClick: start, 'data-test': 'st-camera-start' }, () => t('as.st.cameraStart')),
            camera.value === 'unavailable' ? h('p', { class: 'hint', role: 'status' }, t('as.st.cameraNone')) : null,
          ]),
          h('form', { class: 'st-code', onSubmit: (ev) => { ev.preventDefault(); scan(code.value); } }, [
            h('label', { for: 'st-code' }, t('as.st.typed')),
            h('div', { class: 'st-code-row' }, [
              h(ElInput, { id: 'st-code', modelValue: code.value, 'onUpdate:modelValue': (x) => { code.value = x; }, placeholder: 'ZC2024-000123', autocomplete: 'off', autocapitalize: 'characters', 'data-test': 'st-code' }),
              h(ElButton, { type: 'primary', nativeType: 'submit', loading: busy.value, disabled: !code.value.trim(), 'data-test': 'st-code-submit' }, () => t('as.st.scan')),
            ]),
          ]),
        ] : s.status === 'in_progress' ? h('p', { class: 'hint' }, t('as.st.readOnly')) : null,
        h('div', { 'aria-live': 'polite' }, [outcome()]),
        recent.value.length ? h('section', { class: 'st-recent' }, [
          h('h2', t('as.st.recent')),
          h('ul', { 'data-test': 'st-recent' }, recent.value.map((x, i) => h('li', { key: i }, [
            h('code', x.code), ' ', x.name || '', ' · ', t(`as.st.r.short.${x.result}`), x.already ? ` · ${t('as.st.already')}` : '',
          ]))),
        ]) : null,
      ]);
    };
  },
});

// ---- the result ----

export const StocktakeResultView = defineComponent({
  name: 'StocktakeResultView',
  props: { params: { type: Object, required: true } },
  setup(props) {
    loadStyles();
    const res = ref(null);
    const error = ref(null);
    onMounted(async () => {
      try {
        const r = await api('GET', `/${S}/${props.params.id}/result`);
        learn(r.names);
        res.value = r;
      } catch (e) {
        error.value = e;
      }
    });
    const table = (g, lines) => h('section', { class: 'st-group', 'data-test': `st-group-${g}` }, [
      h('h2', `${t(`as.st.g.${g}`)} · ${lines.length}`),
      lines.length ? h('div', { class: 'st-scroll', tabindex: 0, role: 'region', 'aria-label': t(`as.st.g.${g}`) }, h('table', { class: 'st-table' }, [
        h('thead', h('tr', ['code', 'name', 'where', 'custodian', 'original', 'net'].map((k) => h('th', { scope: 'col' }, t(`as.st.col.${k}`))))),
        h('tbody', lines.map((l) => h('tr', { key: l.id, 'data-test': 'st-line', 'data-code': l.code }, [
          h('td', h('code', l.code)),
          h('td', [l.name || t('as.st.unregistered'), l.out_of_scope ? h(ElTag, { size: 'small', type: 'warning', class: 'st-tag' }, () => t('as.st.outOfScope')) : null]),
          h('td', g === 'moved' || g === 'surplus' ? `${room(l.expected_room_id)} → ${room(l.found_room_id)}` : room(l.expected_room_id)),
          h('td', g === 'moved' && l.found_custodian_id && l.found_custodian_id !== l.expected_custodian_id
            ? `${person(l.expected_custodian_id)} → ${person(l.found_custodian_id)}` : person(l.expected_custodian_id)),
          h('td', { class: 'num' }, formatMoney(l.original_value_fen)),
          h('td', { class: 'num' }, formatMoney(l.net_value_fen)),
        ]))),
      ])) : h('p', { class: 'hint' }, t('as.st.noLines')),
    ]);
    return () => {
      if (error.value) return h('section', { class: 'page st-page' }, [h(ElAlert, { type: 'error', title: errText(error.value), closable: false })]);
      if (!res.value) return h('section', { class: 'page st-page' }, [h(ElSkeleton, { rows: 6, animated: true })]);
      const r = res.value;
      const groups = GROUPS.filter((g) => g !== 'pending' || r.counts.pending);
      return h('section', { class: 'page st-page', 'data-test': 'st-result' }, [
        pageHead(titleRow(t('as.st.resultTitle', { name: r.stocktake.name }), statusTag(r.stocktake.status)), [
          h('a', { class: 'el-button', href: href(`/assets/stocktakes/${r.stocktake.id}`), 'data-test': 'st-back' }, t('as.st.back')),
          can(S, 'export') ? h('a', { class: 'el-button el-button--primary', href: `${API}/${S}/${r.stocktake.id}/result.xlsx`, download: '', 'data-test': 'st-xlsx' }, t('as.st.xlsx')) : null,
        ]),
        h('p', { class: 'hint' }, [
          r.stocktake.department_id ? titleOf('departments', r.stocktake.department_id) : null,
          r.asof_month ? ` · ${t('as.st.asof', { month: r.asof_month })}` : null,
        ]),
        h('div', { class: 'st-scroll', tabindex: 0, role: 'region', 'aria-label': t('as.st.col.result') }, h('table', { class: 'st-table st-summary', 'data-test': 'st-summary' }, [
          h('caption', t('as.st.summary', { scanned: r.scanned, expected: r.expected })),
          h('thead', h('tr', ['result', 'count', 'original', 'net'].map((k) => h('th', { scope: 'col' }, t(`as.st.col.${k}`))))),
          h('tbody', groups.map((g) => h('tr', { 'data-test': `st-sum-${g}` }, [
            h('th', { scope: 'row' }, t(`as.st.g.${g}`)),
            h('td', { class: 'num' }, r.counts[g]),
            h('td', { class: 'num' }, formatMoney(r.values[g].original_fen)),
            h('td', { class: 'num' }, formatMoney(r.values[g].net_fen)),
          ]))),
        ])),
        r.unregistered ? h(ElAlert, { type: 'warning', closable: false, title: t('as.st.unregisteredN', { n: r.unregistered }) }) : null,
        ...groups.map((g) => table(g, r.lines[g])),
      ]);
    };
  },
});
