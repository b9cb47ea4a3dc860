// SPDX-License-Identifier: MIT
// The asset register (#/assets): the engine's list of assets with the
// filters a keeper uses (a department and everything below it, the class,
// the status, a search of code, name, model and serial), each page's net
// values from GET /assets/values (the list stays the engine's: its sort,
// paging and scope), rows selected for a bulk edit (all or nothing, every
// refusal listed by code) or for a label sheet.
import { defineComponent, h, ref, reactive, onMounted, computed } from 'vue';
import { ElTable, ElTableColumn, ElButton, ElInput, ElSelect, ElOption, ElAlert, ElDialog, ElForm, ElFormItem, ElTag } from 'element-plus';
import { t, label } from '../../lib/i18n.js';
import { api, fetchAll, problemText, fieldText } from '../../lib/api.js';
import { collection, field, can } from '../../lib/session.js';
import { href, go, route } from '../../lib/router.js';
import { pageHead } from '../../components/page-head.js';
import { TreeRefSelect, RefSelect } from '../../components/inputs.js';
import { A, loadStyles, money, assetStatus, departments, subtree } from './common.js';

const FREE = ['in_use', 'idle', 'repair'];

export const RegisterView = defineComponent({
  name: 'AssetRegisterView',
  setup() {
    loadStyles();
    const f = reactive({ dept: route.query.department_id ? Number(route.query.department_id) : null, cls: null, status: route.query.status || '', q: '' });
    const rows = ref([]);
    const values = reactive({});
    const next = ref(null);
    const busy = ref(false);
    const error = ref(null);
    const selected = ref([]);
    const classes = ref([]);
    const depts = ref([]);
    const deptName = computed(() => new Map(depts.value.map((d) => [d.id, d.name])));
    const className = computed(() => new Map(classes.value.map((c) => [c.id, `${c.code} ${c.name}`])));

    async function query() {
      const q = { limit: 50, sort: 'code' };
      if (f.dept) {
        const ids = subtree(depts.value, f.dept).slice(0, 100);
        q['department_id[in]'] = ids.join(',');
      }
      if (f.cls) q.class_id = f.cls;
      if (f.status) q.status = f.status;
      if (f.q.trim()) q.q = f.q.trim();
      return q;
    }
    async function load(more = false) {
      busy.value = true;
      error.value = null;
      try {
        const q = await query();
        if (more && next.value) q.after = next.value;
        const r = await api('GET', '/' + A, { query: q });
        rows.value = more ? rows.value.concat(r.items) : r.items;
        next.value = r.next || null;
        if (r.items.length) {
          const v = await api('GET', `/${A}/values`, { query: { ids: r.items.map((x) => x.id).join(',') } });
          for (const x of v.items) values[x.id] = x;
        }
      } catch (e) {
        error.value = e;
      } finally {
        busy.value = false;
      }
    }
    onMounted(async () => {
      [depts.value, classes.value] = await Promise.all([departments(), fetchAll('asset_classes', {}, 5000).catch(() => [])]);
      load();
    });

    // ---- bulk edit ----
    const open = ref(false);
    const set = reactive({ department_id: null, custodian_id: null, room_id: null, status: '', condition: '', note: '' });
    const result = ref(null);
    const rejected = ref([]);
    const bulkError = ref('');
    async function apply() {
      const body = {};
      for (const [k, v] of Object.entries(set)) if (v !== null && v !== '') body[k] = v;
      bulkError.value = '';
      rejected.value = [];
      if (!Object.keys(body).length) { bulkError.value = t('as.bulk.nothing'); return; }
      try {
        const r = await api('POST', `/${A}/bulk`, { body: { ids: selected.value.map((x) => x.id), set: body } });
        result.value = r.updated;
        open.value = false;
        load();
      } catch (e) {
        if (e.problem && Array.isArray(e.problem.rejected)) rejected.value = e.problem.rejected;
        bulkError.value = problemText(e, collection(A));
      }
    }
    const enumOptions = (name, only) => ((field(A, name) || {}).values || []).filter((v) => !only || only.includes(v.value))
      .map((v) => h(ElOption, { key: v.value, value: v.value, label: label(v) }));

    const filters = () => h('div', { class: 'as-filters', role: 'search' }, [
      h('div', { class: 'as-filter' }, [h('label', { for: 'as-f-dept' }, t('as.f.department')),
        h(TreeRefSelect, { target: 'departments', inputId: 'as-f-dept', ariaLabel: t('as.f.department'), modelValue: f.dept, 'onUpdate:modelValue': (v) => { f.dept = v; load(); } })]),
      h('div', { class: 'as-filter' }, [h('label', { for: 'as-f-class' }, t('as.f.class')),
        h(ElSelect, { id: 'as-f-class', ariaLabel: t('as.f.class'), modelValue: f.cls, filterable: true, clearable: true, placeholder: t('as.f.all'), 'onUpdate:modelValue': (v) => { f.cls = v || null; load(); } },
          () => classes.value.map((c) => h(ElOption, { key: c.id, value: c.id, label: `${c.code} ${c.name}` })))]),
      h('div', { class: 'as-filter' }, [h('label', { for: 'as-f-status' }, t('as.f.status')),
        h(ElSelect, { id: 'as-f-status', ariaLabel: t('as.f.status'), modelValue: f.status, clearable: true, placeholder: t('as.f.all'), 'onUpdate:modelValue': (v) => { f.status = v || ''; load(); } }, () => enumOptions('status'))]),
      h('div', { class: 'as-filter as-filter-q' }, [h('label', { for: 'as-f-q' }, t('as.f.search')),
        h(ElInput, { id: 'as-f-q', modelValue: f.q, clearable: true, placeholder: t('as.f.searchHint'), 'onUpdate:modelValue': (v) => { f.q = v; }, onChange: () => load(), onClear: () => load() })]),
    ]);

    const bulkDialog = () => h(ElDialog, { modelValue: open.value, 'onUpdate:modelValue': (v) => { open.value = v; }, title: t('as.bulk.title', { n: selected.value.length }), width: 'min(560px, 96vw)' }, {
      default: () => [
        h(ElForm, { labelPosition: 'top' }, () => [
          h(ElFormItem, { label: t('as.bulk.department'), for: 'as-b-dept' }, () => h(TreeRefSelect, { target: 'departments', inputId: 'as-b-dept', ariaLabel: t('as.bulk.department'), modelValue: set.department_id, 'onUpdate:modelValue': (v) => { set.department_id = v; } })),
          h(ElFormItem, { label: t('as.bulk.custodian'), for: 'as-b-person' }, () => h(RefSelect, { target: 'people', inputId: 'as-b-person', ariaLabel: t('as.bulk.custodian'), modelValue: set.custodian_id, 'onUpdate:modelValue': (v) => { set.custodian_id = v; } })),
          h(ElFormItem, { label: t('as.bulk.room'), for: 'as-b-room' }, () => h(RefSelect, { target: 'rooms', inputId: 'as-b-room', ariaLabel: t('as.bulk.room'), modelValue: set.room_id, 'onUpdate:modelValue': (v) => { set.room_id = v; } })),
          h(ElFormItem, { label: t('as.bulk.status'), for: 'as-b-status' }, () => h(ElSelect, { id: 'as-b-status', ariaLabel: t('as.bulk.status'), modelValue: set.status, clearable: true, placeholder: t('as.bulk.keep'), 'onUpdate:modelValue': (v) => { set.status = v || ''; } }, () => enumOptions('status', FREE))),
          h(ElFormItem, { label: t('as.bulk.condition'), for: 'as-b-cond' }, () => h(ElSelect, { id: 'as-b-cond', ariaLabel: t('as.bulk.condition'), modelValue: set.condition, clearable: true, placeholder: t('as.bulk.keep'), 'onUpdate:modelValue': (v) => { set.condition = v || ''; } }, () => enumOptions('condition'))),
          h(ElFormItem, { label: t('as.bulk.note'), for: 'as-b-note' }, () => h(ElInput, { id: 'as-b-note', modelValue: set.note, maxlength: 500, 'onUpdate:modelValue': (v) => { set.note = v; } })),
        ]),
        bulkError.value ? h(ElAlert, { type: 'error', closable: false, title: bulkError.value, 'data-test': 'as-bulk-error' }) : null,
        rejected.value.length ? h('ul', { class: 'as-rejected', 'data-test': 'as-bulk-rejected' }, rejected.value.map((x, i) => h('li', { key: i }, [
          h('strong', x.code || `#${x.id}`), '：', fieldText(x, collection(A)),
        ]))) : null,
      ],
      footer: () => [
        h(ElButton, { onClick: () => { open.value = false; } }, () => t('as.cancel')),
        h(ElButton, { type: 'primary', onClick: apply, 'data-test': 'as-bulk-apply' }, () => t('as.bulk.apply')),
      ],
    });

    return () => h('div', { class: 'as-page' }, [
      pageHead(t('as.register.title'), [
        can(A, 'import') ? h('a', { class: 'el-button', href: href('/assets/import') }, t('as.import.title')) : null,
        can(A, 'create') ? h('a', { class: 'el-button el-button--primary', href: href('/c/assets/new'), 'data-test': 'as-new' }, t('as.register.new')) : null,
      ]),
      filters(),
      h('div', { class: 'as-selbar', 'aria-live': 'polite' }, [
        h('span', { 'data-test': 'as-selected' }, t('as.register.selected', { n: selected.value.length })),
        h(ElButton, { disabled: !selected.value.length || !can(A, 'update'), onClick: () => { rejected.value = []; bulkError.value = ''; open.value = true; }, 'data-test': 'as-bulk' }, () => t('as.bulk.open')),
        h(ElButton, { disabled: !selected.value.length, onClick: () => go('/assets/labels', { ids: selected.value.map((x) => x.id).join(',') }), 'data-test': 'as-print' }, () => t('as.labels.printSelected')),
        result.value != null ? h(ElTag, { type: 'success', 'data-test': 'as-bulk-done' }, () => t('as.bulk.done', { n: result.value })) : null,
      ]),
      error.value ? h(ElAlert, { type: 'error', closable: false, title: problemText(error.value, collection(A)) }) : null,
      h(ElTable, { data: rows.value, rowKey: 'id', 'data-test': 'as-table', onSelectionChange: (s) => { selected.value = s; }, emptyText: busy.value ? t('as.loading') : t('as.register.empty') }, () => [
        h(ElTableColumn, { type: 'selection', width: 44, reserveSelection: true }),
        h(ElTableColumn, { label: t('as.col.code'), width: 140 }, { default: ({ row }) => h('a', { href: href(`/c/${A}/${row.id}`), 'data-test': 'as-code' }, row.code) }),
        h(ElTableColumn, { label: t('as.col.name'), prop: 'name', minWidth: 160 }),
        h(ElTableColumn, { label: t('as.col.class'), minWidth: 120 }, { default: ({ row }) => className.value.get(row.class_id) || '' }),
        h(ElTableColumn, { label: t('as.col.department'), minWidth: 140 }, { default: ({ row }) => deptName.value.get(row.department_id) || '' }),
        h(ElTableColumn, { label: t('as.col.acquired'), prop: 'acquired_on', width: 104 }),
        h(ElTableColumn, { label: t('as.col.original'), width: 120, align: 'right' }, { default: ({ row }) => money(row.original_value_fen) }),
        h(ElTableColumn, { label: t('as.col.net'), width: 120, align: 'right' }, { default: ({ row }) => h('span', { 'data-test': 'as-net' }, values[row.id] ? money(values[row.id].net_fen) : '…') }),
        h(ElTableColumn, { label: t('as.col.status'), width: 100, fixed: 'right' }, { default: ({ row }) => assetStatus(row.status) }),
      ]),
      next.value ? h('div', { class: 'as-more' }, h(ElButton, { loading: busy.value, onClick: () => load(true), 'data-test': 'as-more' }, () => t('as.register.more'))) : null,
      bulkDialog(),
    ]);
  },
});
