// What the assets pages share: their styles, money in yuan, the department
// tree (ids of a department and everything below it), status tags.
import { h } from 'vue';
import { ElTag } from 'element-plus';
import { enumLabel } from '../../lib/i18n.js';
import { field } from '../../lib/session.js';
import { fetchAll } from '../../lib/api.js';

export const A = 'assets';

let cssPromise = null;
export function loadStyles() {
  cssPromise ||= new Promise((resolve) => {
    const l = document.createElement('link');
    l.rel = 'stylesheet';
    l.href = new URL('./assets.css', import.meta.url).pathname;
    l.onload = () => resolve();
    l.onerror = () => resolve();
    document.head.appendChild(l);
  });
  return cssPromise;
}

const yuan = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
// fen → "1,234.50" (yuan with two decimals, no sign)
export const money = (fen) => (fen == null ? '—' : yuan.format(fen / 100));

const TYPES = { in_use: 'success', idle: 'warning', repair: 'warning', pooled: 'info', lent: 'info', awaiting_disposal: 'danger', disposed: 'info' };
export function assetStatus(value) {
  const f = field(A, 'status');
  return h(ElTag, { type: TYPES[value] || 'info', size: 'small', effect: 'light', 'data-status': value, disableTransitions: true },
    () => (f ? enumLabel(f, value) : value));
}
export function enumText(name, value) {
  const f = field(A, name);
  return f && value ? enumLabel(f, value) : (value || '');
}

let deptCache = null;
export function departments() {
  deptCache ||= fetchAll('departments', {}, 5000).catch(() => { deptCache = null; return []; });
  return deptCache;
}
// dept and the ids below it
export function subtree(depts, dept) {
  const kids = new Map();
  for (const d of depts) {
    if (!kids.has(d.parent_id)) kids.set(d.parent_id, []);
    kids.get(d.parent_id).push(d.id);
  }
  const out = [];
  const walk = (id) => { out.push(id); (kids.get(id) || []).forEach(walk); };
  walk(Number(dept));
  return out;
}
