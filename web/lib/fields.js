// Values by field type: how they are shown, edited and sent.
import { t, enumLabel } from './i18n.js';
import { field } from './session.js';
import { fenToYuan, yuanToFen, formatMoney } from './money.js';
import { toWall, fromWall, formatDatetime } from './time.js';
import { formatProblem } from './idformat.js';

// ---- display ----

// The label of an enum value of a collection's field ('' for none; the value itself when unknown).
export function enumText(coll, name, v) {
  if (v === null || v === undefined) return '';
  const f = field(coll, name);
  return f ? enumLabel(f, v) : v;
}

// Text for a value (refs are drawn by the views, which know the titles).
export function formatValue(f, v) {
  if (v === null || v === undefined || v === '') return '';
  switch (f.type) {
    case 'money': return formatMoney(v);
    case 'decimal': return f.scale != null ? Number(v).toFixed(f.scale) : String(v);
    case 'bool': return v ? t('common.yes') : t('common.no');
    case 'enum': return enumLabel(f, v);
    case 'datetime': return formatDatetime(v);
    case 'json': return JSON.stringify(v);
    default: return String(v);
  }
}

export function isNumeric(f) { return f.type === 'int' || f.type === 'decimal' || f.type === 'money'; }

// ---- forms: record value ↔ widget value ----

export function isPhotos(f) { return f.widget === 'photos'; }

export function toInput(f, v) {
  if (v === undefined) v = null;
  if (isPhotos(f)) return Array.isArray(v) ? v.slice() : [];
  switch (f.type) {
    case 'money': return fenToYuan(v);
    case 'decimal': return v == null ? null : Number(v);
    case 'datetime': return toWall(v);
    case 'json': return v == null ? '' : JSON.stringify(v, null, 2);
    case 'bool': return v == null ? false : v;
    case 'text': return v == null ? '' : v;
    default: return v;
  }
}

// Returns [value to send, error message or null].
export function fromInput(f, v) {
  if (isPhotos(f)) return [Array.isArray(v) && v.length ? v.slice() : null, null];
  if (f.type === 'text') {
    if (v === '' || v == null) return [f.required ? '' : null, null];
    return [v, null];
  }
  if (v === '' || v === undefined || v === null) return [null, null];
  switch (f.type) {
    case 'money': return [yuanToFen(v), null];
    case 'int': return [Math.trunc(Number(v)), null];
    case 'decimal': return [Number(v), null];
    case 'datetime': return [fromWall(v), null];
    case 'json':
      try { return [JSON.parse(v), null]; } catch { return [v, t('form.badJson')]; }
    default: return [v, null];
  }
}

// Checks a widget value against what the descriptor allows, before sending.
export function checkInput(f, v) {
  if (isPhotos(f)) return f.required && !(Array.isArray(v) && v.length) ? t('srv.required') : null;
  const empty = v === '' || v === null || v === undefined;
  if (empty) return f.required && f.type !== 'bool' && f.default === undefined ? t('srv.required') : null;
  if (f.type === 'text' && f.format) { // typed with spaces or +86: no length check, the format's own
    const p = formatProblem(f.format, v);
    if (p) return t('err.' + p[0], p[1]);
  }
  if (f.type === 'text' && !f.format) {
    const n = [...v].length;
    if (f.max_len && n > f.max_len) return t('srv.maxLen', { n: f.max_len });
    if (f.min_len && n < f.min_len) return t('srv.minLen', { n: f.min_len });
    if (f.pattern) {
      let re = null;
      try { re = new RegExp(f.pattern); } catch { re = null; }
      if (re && !re.test(v)) return t('srv.format');
    }
  }
  if (isNumeric(f)) {
    const n = Number(v);
    if (!Number.isFinite(n)) return t('srv.number');
    const scaled = f.type === 'money' ? n * 100 : n;
    if (f.min != null && scaled < f.min) return t('srv.min', { n: f.type === 'money' ? f.min / 100 : f.min });
    if (f.max != null && scaled > f.max) return t('srv.max', { n: f.type === 'money' ? f.max / 100 : f.max });
  }
  if (f.type === 'json') {
    try { JSON.parse(v); } catch { return t('form.badJson'); }
  }
  return null;
}
