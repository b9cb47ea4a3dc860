// The generic list of a collection: filters, sort, keyset paging, column
// chooser, row selection with bulk delete, export and import.
import { defineComponent, h, ref, computed, watch, onMounted, nextTick, withDirectives } from 'vue';
import {
  ElTable, ElTableColumn, ElButton, ElSelect, ElOption, ElPopover, ElCheckbox, ElCheckboxGroup,
  ElAlert, ElMessage, ElMessageBox, vLoading,
} from 'element-plus';
import { Plus, Download, Upload, Setting, Refresh, Delete, ArrowLeft, ArrowRight } from '@element-plus/icons-vue';
import { t, label, locale } from '../lib/i18n.js';
import { api, API, queryString, problemText } from '../lib/api.js';
import { route, replace, href } from '../lib/router.js';
import { state, fields, can, collection, resolveTitles, noteOffset, invalidateTree, titleOf } from '../lib/session.js';
import { formatValue, isNumeric } from '../lib/fields.js';
import { FilterBar } from '../components/filters.js';
import { ImportDialog } from '../components/import-dialog.js';

import { phone } from '../components/layout.js';
import { pageHead } from '../components/page-head.js';
import { linkButton } from '../components/link-button.js';

const PAGE_SIZES = [20, 50, 100, 200];

function storedColumns(c) {
  try {
    const v = JSON.parse(localStorage.getItem('bureau.columns.' + c));
    return Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

// A cell's content: titles link to the record, references to theirs.
export function cell(coll, f, row) {
  const v = row[f.name];
  if (f.name === coll.title) {
    return h('a', { href: href(`/c/${coll.name}/${row.id}`), class: 'row-link', 'data-test': 'row-link' },
      v == null || v === '' ? '#' + row.id : formatValue(f, v));
  }
  if (f.type === 'ref' && v != null) {
    const text = titleOf(f.ref, v);
    return can(f.ref, 'read') ? h('a', { href: href(`/c/${f.ref}/${v}`) }, text) : text;
  }
  if (f.type === 'bool' && v != null) return h('span', { class: v ? 'bool-yes' : 'bool-no' }, formatValue(f, v));
  return formatValue(f, v);
}

export const ListView = defineComponent({
  name: 'ListView',
  props: { c: { type: String, required: true } },
  setup(props) {
    const coll = computed(() => collection(props.c));
    const rows = ref([]);
    const next = ref(null);
    const total = ref(null);          // how many rows match (count=exact), on every page
    const after = ref(null);
    const stack = ref([]);            // cursors of the pages before this one
    const loading = ref(false);
    const error = ref(null);
    const selected = ref([]);
    const importOpen = ref(false);
    const columns = ref(storedColumns(props.c));
    let seq = 0;

    state.crumb = null;

    const filterQuery = computed(() => {
      const q = { ...route.query };
      delete q.limit;
      return q;
    });
    const limit = computed(() => Number(route.query.limit) || (state.meta.page && state.meta.page.limit_default) || 50);

    // Columns the list may show (no JSON blobs), the chosen ones, and the defaults.
    const choosable = computed(() => fields(coll.value).filter((f) => f.type !== 'json' && f.name !== 'version'));
    const defaults = computed(() => choosable.value.filter((f) => f.list || f.name === coll.value.title).map((f) => f.name));
    const shown = computed(() => {
      const want = columns.value || defaults.value;
      const title = coll.value.title;
      const list = choosable.value.filter((f) => want.includes(f.name) || f.name === title);
      // the title first, then declaration order
      return [...list.filter((f) => f.name === title), ...list.filter((f) => f.name !== title)];
    });

    function setColumns(names) {
      columns.value = names;
      try { localStorage.setItem('bureau.columns.' + props.c, JSON.stringify(names)); } catch { /* ignore */ }
    }

    function setQuery(patch) {
      const q = { ...route.query, ...patch };
      for (const k of Object.keys(q)) if (q[k] === null || q[k] === undefined || q[k] === '') delete q[k];
      replace(`/c/${props.c}`, q);
    }

    async function load() {
      const mine = ++seq;
      loading.value = true;
      error.value = null;
      try {
        const r = await api('GET', '/' + props.c, { query: { ...filterQuery.value, limit: limit.value, after: after.value, count: 'exact' } });
        if (mine !== seq) return;
        performance.mark('bureau:list-response');
        if (r.items[0]) noteOffset(r.items[0].created_at);
        rows.value = r.items;
        next.value = r.next;
        total.value = typeof r.total === 'number' ? r.total : null;
        selected.value = [];
        for (const f of shown.value) {
          if (f.type === 'ref') resolveTitles(f.ref, r.items.map((x) => x[f.name]));
        }
        await nextTick();
        requestAnimationFrame(() => {
          performance.mark('bureau:list-rendered');
          performance.measure('bureau:list-render', 'bureau:list-response', 'bureau:list-rendered');
        });
      } catch (e) {
        if (mine === seq) error.value = e;
      } finally {
        if (mine === seq) loading.value = false;
      }
    }

    function firstPage() {
      stack.value = [];
      after.value = null;
      load();
    }
    function pageNext() {
      if (!next.value) return;
      stack.value = [...stack.value, after.value];
      after.value = next.value;
      load();
    }
    function pagePrev() {
      if (!stack.value.length) return;
      const s = stack.value.slice();
      after.value = s.pop();
      stack.value = s;
      load();
    }

    onMounted(load);
    watch(() => route.query, () => {
      if (route.parts[0] === 'c' && route.parts[1] === props.c && route.parts.length === 2) firstPage();
    });
    // titles of references in columns switched on later
    watch(shown, (list) => {
      for (const f of list) if (f.type === 'ref') resolveTitles(f.ref, rows.value.map((x) => x[f.name]));
    });

    function onSort({ prop, order }) {
      setQuery({ sort: !order ? null : order === 'descending' ? '-' + prop : prop });
    }

    const sortState = computed(() => {
      const s = route.query.sort;
      if (!s) return undefined;
      return s.startsWith('-') ? { prop: s.slice(1), order: 'descending' } : { prop: s.replace(/^\+/, ''), order: 'ascending' };
    });

    function exportHref(ext) {
      const q = { ...filterQuery.value, header: locale.value === 'en' ? 'en' : 'zh' };
      return `${API}/${props.c}.${ext}${queryString(q)}`;
    }

    async function bulkDelete() {
      const list = selected.value.slice();
      if (!list.length) return;
      try {
        await ElMessageBox.confirm(t('delete.confirmMany', { n: list.length }), t('delete.title'), {
          type: 'warning', confirmButtonText: t('common.delete'), cancelButtonText: t('common.cancel'),
        });
      } catch {
        return;
      }
      const failed = [];
      let done = 0;
      for (const row of list) {
        try {
          await api('DELETE', `/${props.c}/${row.id}`, { headers: { 'If-Match': `"${row.version}"` } });
          done++;
        } catch (e) {
          failed.push({ row, e });
        }
      }
      if (done) invalidateTree(props.c);
      if (failed.length) {
        const first = failed[0];
        const why = first.e.status === 409 && first.e.code === 'BUR-402' ? t('delete.referenced') : problemText(first.e, coll.value);
        ElMessage({ type: 'error', message: t('delete.someFailed', { n: failed.length, done, why }), duration: 6000 });
      } else {
        ElMessage({ type: 'success', message: t('delete.doneMany', { n: done }) });
      }
      firstPage();
    }

    function columnChooser() {
      return h(ElPopover, { trigger: 'click', placement: 'bottom-end', width: 240 }, {
        reference: () => h(ElButton, { icon: Setting, 'data-test': 'column-chooser', 'aria-label': t('list.columns') }, () => (phone.value ? null : t('list.columns'))),
        default: () => h('div', { class: 'column-chooser', 'data-test': 'column-chooser-panel' }, [
          h('div', { class: 'column-chooser-head' }, [
            h('strong', t('list.columns')),
            h(ElButton, { text: true, size: 'small', 'data-test': 'columns-reset', onClick: () => { columns.value = null; localStorage.removeItem('bureau.columns.' + props.c); } }, () => t('list.columnsReset')),
          ]),
          h(ElCheckboxGroup, {
            modelValue: shown.value.map((f) => f.name), 'aria-label': t('list.columns'),
            'onUpdate:modelValue': (v) => setColumns(v),
          }, () => choosable.value.map((f) => h(ElCheckbox, {
            value: f.name, label: label(f), disabled: f.name === coll.value.title, 'data-test': 'column-' + f.name,
          }))),
        ]),
      });
    }

    function toolbar() {
      const c = coll.value;
      return pageHead(label(c), [
        can(c, 'create') ? h(ElButton, { type: 'primary', icon: Plus, 'data-test': 'create', onClick: () => { location.hash = href(`/c/${c.name}/new`); } }, () => t('common.create')) : null,
        can(c, 'delete') && selected.value.length ? h(ElButton, { type: 'danger', plain: true, icon: Delete, 'data-test': 'bulk-delete', onClick: bulkDelete }, () => t('list.deleteSelected', { n: selected.value.length })) : null,
        can(c, 'export') ? linkButton(exportHref('csv'), t('list.exportCsv'), { icon: Download, download: true, test: 'export-csv' }) : null,
        can(c, 'export') ? linkButton(exportHref('xlsx'), t('list.exportXlsx'), { icon: Download, download: true, test: 'export-xlsx' }) : null,
        can(c, 'import') ? h(ElButton, { icon: Upload, 'data-test': 'import-open', onClick: () => { importOpen.value = true; } }, () => t('import.open')) : null,
        columnChooser(),
        h(ElButton, { icon: Refresh, 'aria-label': t('common.refresh'), 'data-test': 'refresh', onClick: load }),
      ]);
    }

    function table() {
      const c = coll.value;
      const sel = can(c, 'delete');
      return withDirectives(h('div', { class: 'table-wrap' }, h(ElTable, {
        data: rows.value, rowKey: 'id', border: true, stripe: true, style: 'width: 100%',
        defaultSort: sortState.value, 'data-test': 'list-table', onSortChange: onSort,
        onSelectionChange: (v) => { selected.value = v; }, key: props.c + ':' + (route.query.sort || ''),
        emptyText: error.value ? t('list.failed') : t('list.empty'),
      }, () => [
        sel ? h(ElTableColumn, { type: 'selection', width: 44, fixed: phone.value ? false : 'left', label: t('list.select') }) : null,
        ...shown.value.map((f) => h(ElTableColumn, {
          key: f.name, prop: f.name, label: label(f), sortable: f.sort ? 'custom' : false,
          sortOrders: ['ascending', 'descending', null],
          align: isNumeric(f) ? 'right' : 'left', minWidth: f.name === c.title ? 140 : f.type === 'datetime' ? 150 : 110,
          showOverflowTooltip: f.type === 'text',
        }, {
          header: () => h('span', { 'data-test': 'sort-' + f.name, class: f.sort ? 'sortable-head' : '' }, label(f)),
          default: ({ row }) => cell(c, f, row),
        })),
      ])), [[vLoading, loading.value]]);
    }

    function pager() {
      const page = stack.value.length + 1;
      return h('nav', { class: 'pager', 'aria-label': t('list.paging') }, [
        h(ElButton, { icon: ArrowLeft, disabled: !stack.value.length || loading.value, 'data-test': 'page-prev', onClick: pagePrev, 'aria-label': t('list.prev') }, () => (phone.value ? null : t('list.prev'))),
        h('span', { class: 'page-no', 'data-test': 'page-no', 'aria-live': 'polite' }, total.value === null
          ? t('list.page', { n: page, count: rows.value.length })
          : t('list.pageOf', { n: page, pages: Math.max(1, Math.ceil(total.value / limit.value)), total: total.value })),
        h(ElButton, { disabled: !next.value || loading.value, 'data-test': 'page-next', onClick: pageNext, 'aria-label': t('list.next') }, () => [phone.value ? null : t('list.next'), h(ArrowRight, { class: 'btn-icon right', 'aria-hidden': 'true' })]),
        h('label', { class: 'sr-only', for: 'page-size-' + props.c }, t('list.pageSize')),
        h(ElSelect, {
          id: 'page-size-' + props.c, ariaLabel: t('list.pageSize'), modelValue: limit.value, class: 'page-size', 'data-test': 'page-size',
          'onUpdate:modelValue': (v) => setQuery({ limit: v === (state.meta.page && state.meta.page.limit_default) ? null : v }),
        }, () => PAGE_SIZES.map((n) => h(ElOption, { key: n, value: n, label: t('list.perPage', { n }) }))),
      ]);
    }

    return () => h('section', { class: 'page list-page', 'data-test': 'list-' + props.c }, [
      toolbar(),
      h(FilterBar, { coll: coll.value, query: filterQuery.value, onChange: setQuery }),
      error.value ? h(ElAlert, { type: 'error', showIcon: true, closable: false, title: problemText(error.value, coll.value), 'data-test': 'list-error', class: 'mb' }, {
        default: () => h(ElButton, { size: 'small', onClick: load }, () => t('common.retry')),
      }) : null,
      table(),
      pager(),
      importOpen.value ? h(ImportDialog, {
        coll: coll.value, onClose: () => { importOpen.value = false; }, onImported: () => { invalidateTree(props.c); firstPage(); },
      }) : null,
    ]);
  },
});

