// SPDX-License-Identifier: MIT
// Bulk import (#/assets/import): a CSV or an Excel workbook as people keep
// them — the class by its code (分类代码), the department by its name
// (使用单位), money in yuan (原值（元）) — read in the browser (XLSX:
// unzipped with fflate, its first sheet read as XML), the class codes and
// department names turned into ids here with the problems shown before
// anything is sent, then posted as CSV to the engine's all-or-nothing
// import (POST /assets/import): every rejected row listed with its reason,
// or the count imported.
import { defineComponent, h, ref, computed } from 'vue';
import { ElButton, ElAlert, ElTable, ElTableColumn, ElResult } from 'element-plus';
import { unzipSync, strFromU8 } from 'fflate';
import { t } from '../../lib/i18n.js';
import { upload, fetchAll, problemText, fieldText } from '../../lib/api.js';
import { collection } from '../../lib/session.js';
import { href } from '../../lib/router.js';
import { pageHead } from '../../components/page-head.js';
import { A, loadStyles, departments } from './common.js';

export const TEMPLATE = ['资产编号', '资产名称', '分类代码', '使用单位', '规格型号', '出厂编号', '原值（元）', '取得日期', '取得方式', '经费来源', '折旧年限(年)', '备注'];
const SAMPLE = ['', '台式计算机', 'A0201', '区委办公室', '联想 启天M450', 'SN0001', '5999.00', '2024-03-15', '购置', '财政拨款', '', ''];
const CLASS_CODE = ['分类代码', 'class_code', 'Class code'];

// ---- CSV ----
export function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') q = false; else cell += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows.filter((r) => r.some((c) => c.trim() !== ''));
}
const csvCell = (s) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
export const toCsv = (rows) => rows.map((r) => r.map((c) => csvCell(String(c ?? ''))).join(',')).join('\r\n') + '\r\n';

// ---- XLSX: the first sheet's cells as text (dates as YYYY-MM-DD) ----
const colIndex = (ref) => { let n = 0; for (const ch of ref.replace(/\d+$/, '')) n = n * 26 + ch.charCodeAt(0) - 64; return n - 1; };
function excelDate(serial) {
  const d = new Date(Math.round((serial - 25569) * 86400000));
  return d.toISOString().slice(0, 10);
}
export function readXlsx(bytes) {
  const files = unzipSync(bytes);
  const xml = (name) => (files[name] ? new DOMParser().parseFromString(strFromU8(files[name]), 'application/xml') : null);
  const shared = [];
  const ss = xml('xl/sharedStrings.xml');
  if (ss) for (const si of ss.getElementsByTagName('si')) shared.push([...si.getElementsByTagName('t')].map((x) => x.textContent).join(''));
  // date formats: built-in 14–22 and custom ones with y/m/d
  const dateStyles = new Set();
  const st = xml('xl/styles.xml');
  if (st) {
    const custom = new Map([...st.getElementsByTagName('numFmt')].map((f) => [f.getAttribute('numFmtId'), f.getAttribute('formatCode') || '']));
    const xfs = st.getElementsByTagName('cellXfs')[0];
    if (xfs) [...xfs.getElementsByTagName('xf')].forEach((xf, i) => {
      const id = Number(xf.getAttribute('numFmtId'));
      if ((id >= 14 && id <= 22) || /[yd]/i.test((custom.get(String(id)) || '').replace(/"[^"]*"/g, ''))) dateStyles.add(i);
    });
  }
  const wbRels = xml('xl/_rels/workbook.xml.rels');
  const wb = xml('xl/workbook.xml');
  let path = 'xl/worksheets/sheet1.xml';
  if (wb && wbRels) {
    const first = wb.getElementsByTagName('sheet')[0];
    const rid = first && (first.getAttribute('r:id') || first.getAttributeNS('http://schemas.openxmlformats.org/officeDocument/2006/relationships', 'id'));
    const rel = [...wbRels.getElementsByTagName('Relationship')].find((r) => r.getAttribute('Id') === rid);
    if (rel) path = 'xl/' + rel.getAttribute('Target').replace(/^\/?xl\//, '');
  }
  const sheet = xml(path);
  if (!sheet) throw new Error('no sheet');
  const rows = [];
  for (const r of sheet.getElementsByTagName('row')) {
    const out = [];
    for (const c of r.getElementsByTagName('c')) {
      const i = colIndex(c.getAttribute('r') || 'A1');
      const type = c.getAttribute('t');
      const v = c.getElementsByTagName('v')[0];
      let s = '';
      if (type === 's') s = shared[Number(v && v.textContent)] ?? '';
      else if (type === 'inlineStr') s = [...c.getElementsByTagName('t')].map((x) => x.textContent).join('');
      else if (v) {
        s = v.textContent;
        if (type !== 'str' && type !== 'b' && dateStyles.has(Number(c.getAttribute('s'))) && /^\d+(\.\d+)?$/.test(s)) s = excelDate(Number(s));
      }
      out[i] = s;
    }
    rows.push(Array.from(out, (x) => x ?? ''));
  }
  return rows.filter((r) => r.some((c) => String(c).trim() !== ''));
}

export const ImportView = defineComponent({
  name: 'AssetImportView',
  setup() {
    loadStyles();
    const name = ref('');
    const csv = ref(null);
    const problems = ref([]);
    const rowsN = ref(0);
    const error = ref('');
    const busy = ref(false);
    const result = ref(null);
    const rejected = ref([]);

    function template() {
      const blob = new Blob(['\ufeff' + toCsv([TEMPLATE, SAMPLE])], { type: 'text/csv;charset=utf-8' });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = 'assets-template.csv';
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 1000);
    }

    async function pick(ev) {
      const file = ev.target.files && ev.target.files[0];
      csv.value = null; problems.value = []; result.value = null; rejected.value = []; error.value = '';
      if (!file) return;
      name.value = file.name;
      busy.value = true;
      try {
        const bytes = new Uint8Array(await file.arrayBuffer());
        let rows;
        if (bytes[0] === 0x50 && bytes[1] === 0x4b) rows = readXlsx(bytes);
        else rows = parseCsv(new TextDecoder('utf-8').decode(bytes).replace(/^\ufeff/, ''));
        if (rows.length < 2) { error.value = t('as.import.empty'); return; }
        const [depts, classes] = await Promise.all([departments(), fetchAll('asset_classes', {}, 5000)]);
        const byCode = new Map(classes.filter((c) => c.active !== false).map((c) => [c.code, c]));
        const byName = new Map();
        for (const d of depts) byName.set(d.name, byName.has(d.name) ? null : d.id); // a name twice: ambiguous
        const head = rows[0].map((x) => String(x).trim());
        const ci = head.findIndex((x) => CLASS_CODE.includes(x));
        const di = head.findIndex((x) => x === '使用单位' || x === 'department' || x === 'Department');
        const out = [head.map((x, i) => (i === ci ? 'class_id' : i === di ? 'department_id' : x))];
        const probs = [];
        rows.slice(1).forEach((r, k) => {
          const line = k + 2;
          const row = head.map((_, i) => String(r[i] ?? '').trim());
          if (ci >= 0 && row[ci]) { // a class code first (2010 codes are digits too), else an id as is
            const c = byCode.get(row[ci]);
            if (c) row[ci] = String(c.id);
            else if (!/^\d+$/.test(row[ci])) probs.push({ row: line, column: head[ci], text: t('as.import.noClass', { code: row[ci] }) });
          }
          if (di >= 0 && row[di] && !/^\d+$/.test(row[di])) {
            const id = byName.get(row[di]);
            if (id) row[di] = String(id);
            else probs.push({ row: line, column: head[di], text: t(id === null ? 'as.import.deptTwice' : 'as.import.noDept', { name: row[di] }) });
          }
          out.push(row);
        });
        rowsN.value = rows.length - 1;
        problems.value = probs;
        csv.value = toCsv(out);
      } catch (e) {
        error.value = t('as.import.unreadable');
      } finally {
        busy.value = false;
      }
    }

    async function send() {
      busy.value = true; error.value = ''; rejected.value = []; result.value = null;
      try {
        const file = new Blob([csv.value], { type: 'text/csv' });
        const r = await upload(`/${A}/import`, file, 'text/csv; charset=utf-8');
        result.value = r.inserted;
      } catch (e) {
        if (e.status === 422 && e.problem && Array.isArray(e.problem.rejected)) rejected.value = e.problem.rejected;
        error.value = problemText(e, collection(A));
      } finally {
        busy.value = false;
      }
    }
    const shown = computed(() => rejected.value.slice(0, 200));
    return () => h('div', { class: 'as-page as-import' }, [
      pageHead(t('as.import.title'), [h(ElButton, { onClick: template, 'data-test': 'as-template' }, () => t('as.import.template'))]),
      h('p', t('as.import.help')),
      h('div', { class: 'as-filters' }, [
        h('label', { for: 'as-import-file', class: 'el-button' }, t('as.import.pick')),
        h('input', { id: 'as-import-file', type: 'file', accept: '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', class: 'as-file', onChange: pick, 'data-test': 'as-import-file' }),
        name.value ? h('span', name.value) : null,
      ]),
      error.value ? h(ElAlert, { type: 'error', closable: false, title: error.value, 'data-test': 'as-import-error' }) : null,
      csv.value ? h('p', { 'data-test': 'as-import-rows' }, t('as.import.rows', { n: rowsN.value })) : null,
      problems.value.length ? h('div', { 'data-test': 'as-import-problems' }, [
        h(ElAlert, { type: 'warning', closable: false, title: t('as.import.problems', { n: problems.value.length }) }),
        h(ElTable, { data: problems.value.slice(0, 200), size: 'small' }, () => [
          h(ElTableColumn, { label: t('as.import.row'), prop: 'row', width: 80 }),
          h(ElTableColumn, { label: t('as.import.column'), prop: 'column', width: 120 }),
          h(ElTableColumn, { label: t('as.import.why'), prop: 'text' }),
        ]),
      ]) : null,
      csv.value && !problems.value.length && result.value == null ? h(ElButton, { type: 'primary', loading: busy.value, onClick: send, 'data-test': 'as-import-send' }, () => t('as.import.send', { n: rowsN.value })) : null,
      result.value != null ? h(ElResult, { icon: 'success', title: t('as.import.done', { n: result.value }), 'data-test': 'as-import-done' }, { extra: () => h('a', { class: 'el-button', href: href('/assets') }, t('as.register.title')) }) : null,
      rejected.value.length ? h(ElTable, { data: shown.value, size: 'small', 'data-test': 'as-import-rejected' }, () => [
        h(ElTableColumn, { label: t('as.import.row'), prop: 'row', width: 80 }),
        h(ElTableColumn, { label: t('as.import.column'), prop: 'field', width: 140 }),
        h(ElTableColumn, { label: t('as.import.why') }, { default: ({ row }) => fieldText(row, collection(A)) }),
      ]) : null,
    ]);
  },
});
