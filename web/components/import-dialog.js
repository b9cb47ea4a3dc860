// CSV import: pick a file, upload it with a progress bar, then show the
// inserted count or every rejected row with its reason.
import { defineComponent, h, ref } from 'vue';
import { ElDialog, ElButton, ElProgress, ElTable, ElTableColumn, ElAlert, ElResult } from 'element-plus';
import { t, label } from '../lib/i18n.js';
import { upload, problemText, fieldText } from '../lib/api.js';
import { field } from '../lib/session.js';

export const ImportDialog = defineComponent({
  name: 'ImportDialog',
  props: { coll: { type: Object, required: true } },
  emits: ['close', 'imported'],
  setup(props, { emit }) {
    const file = ref(null);
    const progress = ref(null);   // 0..100 while uploading
    const result = ref(null);     // {inserted, rejected, total}
    const error = ref('');
    const busy = ref(false);
    const inputId = 'import-file-' + props.coll.name;

    async function send() {
      if (!file.value) { error.value = t('import.pickFirst'); return; }
      busy.value = true;
      error.value = '';
      result.value = null;
      progress.value = 0;
      try {
        const r = await upload(`/${props.coll.name}/import`, file.value, 'text/csv', (p) => { progress.value = Math.round(p * 100); });
        progress.value = 100;
        result.value = { inserted: r.inserted, rejected: r.rejected || [] };
        emit('imported');
      } catch (e) {
        if (e.status === 422 && Array.isArray(e.problem.rejected)) {
          result.value = { inserted: 0, rejected: e.problem.rejected, total: e.problem.total, rejectedRows: e.problem.rejected_rows };
        } else {
          error.value = problemText(e, props.coll);
        }
      } finally {
        busy.value = false;
      }
    }

    function fieldLabel(name) {
      const f = name && field(props.coll, name);
      return f ? label(f) : name || '';
    }

    function outcome() {
      const r = result.value;
      if (!r) return null;
      if (!r.rejected.length) {
        return h(ElResult, { icon: 'success', title: t('import.inserted', { n: r.inserted }), 'data-test': 'import-inserted' });
      }
      return h('div', { class: 'import-rejected' }, [
        h(ElAlert, {
          type: 'error', showIcon: true, closable: false, class: 'mb', 'data-test': 'import-summary',
          title: t('import.rejected', { n: r.rejectedRows ?? new Set(r.rejected.map((x) => x.row)).size, total: r.total ?? '?' }),
        }),
        h(ElTable, { data: r.rejected, border: true, maxHeight: 320, 'data-test': 'import-rejected' }, () => [
          h(ElTableColumn, { prop: 'row', label: t('import.row'), width: 80 }),
          h(ElTableColumn, { label: t('import.field'), minWidth: 120 }, { default: ({ row }) => fieldLabel(row.field) }),
          h(ElTableColumn, { label: t('import.message'), minWidth: 200 }, { default: ({ row }) => fieldText(row, props.coll) }),
        ]),
      ]);
    }

    return () => h(ElDialog, {
      modelValue: true, title: t('import.title', { name: label(props.coll) }), width: 'min(640px, 96vw)',
      'onUpdate:modelValue': (v) => { if (!v) emit('close'); }, 'data-test': 'import-dialog', appendToBody: true,
    }, {
      default: () => [
        h('p', { class: 'hint' }, t('import.help')),
        h('div', { class: 'import-pick' }, [
          h('label', { for: inputId, class: 'filter-label' }, t('import.file')),
          h('input', {
            id: inputId, type: 'file', accept: '.csv,text/csv', 'data-test': 'import-file', class: 'file-input',
            onChange: (e) => { file.value = e.target.files[0] || null; result.value = null; error.value = ''; progress.value = null; },
          }),
        ]),
        progress.value != null ? h(ElProgress, {
          percentage: progress.value, 'data-test': 'import-progress', class: 'mb', strokeWidth: 12,
          'aria-label': t('import.progress'), status: result.value && !result.value.rejected.length ? 'success' : undefined,
        }) : null,
        error.value ? h(ElAlert, { type: 'error', showIcon: true, closable: false, title: error.value, 'data-test': 'import-error', class: 'mb' }) : null,
        outcome(),
      ],
      footer: () => [
        h(ElButton, { onClick: () => emit('close'), 'data-test': 'import-close' }, () => t('common.close')),
        h(ElButton, { type: 'primary', loading: busy.value, disabled: !file.value, onClick: send, 'data-test': 'import-submit' }, () => t('import.submit')),
      ],
    });
  },
});
