// UI text: web/i18n/<locale>.json holds every string by key; labels of
// collections, fields and enum values come from /api/v1/meta (zh/en).
import { ref } from 'vue';

export const LOCALES = ['zh-CN', 'en'];
const STORE_KEY = 'bureau.locale';

export const locale = ref('zh-CN');
const messages = ref({});
const loaded = {};

export function storedLocale() {
  try {
    const l = localStorage.getItem(STORE_KEY);
    return LOCALES.includes(l) ? l : null;
  } catch {
    return null;
  }
}

export async function setLocale(l) {
  if (!LOCALES.includes(l)) l = LOCALES[0];
  if (!loaded[l]) {
    const res = await fetch(`/i18n/${l}.json`, { credentials: 'same-origin' });
    loaded[l] = await res.json();
  }
  messages.value = loaded[l];
  locale.value = l;
  document.documentElement.lang = l;
  try { localStorage.setItem(STORE_KEY, l); } catch { /* private mode */ }
}

// t('list.count', {n: 3}) → "共 3 条"
export function t(key, params) {
  let s = messages.value[key];
  if (s === undefined) s = key;
  if (params) s = s.replace(/\{(\w+)\}/g, (m, k) => (params[k] ?? m));
  return s;
}

// The label of anything with zh/en (a module, collection, field, enum value, card).
export function label(o) {
  if (!o) return '';
  const s = locale.value === 'en' ? o.en || o.zh : o.zh || o.en;
  return s || o.name || o.value || '';
}

// The label of an enum value of field f (the value itself when unknown).
export function enumLabel(f, v) {
  const e = (f.values || []).find((x) => x.value === v);
  return e ? label(e) : v;
}

// Whether the UI has words for this key.
export function has(key) {
  return messages.value[key] !== undefined;
}
