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

// The server words its messages in English; show them in the UI's language.
// (lib/api.js problemText() and fieldText() consult this table and the
// modules' own while the server's answers carry no key.)
const SERVER_MESSAGES = [
  // uploads and the service desk
  [/^is empty$/, 'srv.fileEmpty'],
  [/^must be at most (\d+) MB$/, 'srv.fileTooBig'],
  [/^must be a JPEG, PNG or WebP image/, 'srv.fileType'],
  [/^is a \w+ image, not the .+ it was sent as$/, 'srv.fileMismatch'],
  [/^at most (\d+) (files|photos)$/, 'srv.maxPhotos'],
  [/^file \d+ is not one you uploaded$/, 'srv.fileNotYours'],
  [/^file \d+ belongs to another record$/, 'srv.fileTaken'],
  [/^must be a list of file ids$/, 'srv.fileIds'],
  [/^item \d+ is not a file id$/, 'srv.fileIds'],
  [/^say where/, 'srv.location'],
  [/^is not a service type of this catalogue$/, 'srv.ref'],
  [/^is no longer offered$/, 'srv.inactive'],
  [/^is not a service team$/, 'srv.ref'],
  [/^is not active$/, 'srv.inactive'],
  [/^is not a member of that team$/, 'srv.notMember'],
  [/^is required: /, 'srv.required'],
  [/^must be a whole number from 1 to 5$/, 'srv.score'],
  [/^must be a whole number of fen/, 'srv.cost'],
  [/^must not be before from$/, 'srv.toBeforeFrom'],
  [/^a period of at most ten years$/, 'srv.period'],
  [/^is required$/, 'srv.required'],
  [/^must not be empty$/, 'srv.required'],
  [/^has the wrong format$/, 'srv.format'],
  [/^is not one of the allowed values$/, 'srv.enum'],
  [/^must be at least (\d+) characters$/, 'srv.minLen'],
  [/^must be at most (\d+) characters$/, 'srv.maxLen'],
  [/^must be at least (.+)$/, 'srv.min'],
  [/^must be at most (.+)$/, 'srv.max'],
  [/^must be a whole number$/, 'srv.integer'],
  [/^must be a number$/, 'srv.number'],
  [/^must have at most (\d+) decimals$/, 'srv.decimals'],
  [/^must be a date YYYY-MM-DD$/, 'srv.date'],
  [/^must be a date and time/, 'srv.datetime'],
  [/^reference to a missing record$/, 'srv.ref'],
  [/^must be a record id$/, 'srv.ref'],
  [/^is read-only$/, 'srv.readonly'],
  [/^unknown field$/, 'srv.unknown'],
  [/^must be JSON$/, 'srv.json'],
  [/^cannot move a record under itself/, 'srv.treeCycle'],
  [/^is not your current password$/, 'srv.wrongCurrent'],
  [/^must differ from the current password$/, 'srv.sameAsCurrent'],
  [/^must not contain the username$/, 'srv.containsUsername'],
  [/^must not be the username$/, 'srv.isUsername'],
  [/^is too common or too easy to guess/, 'srv.weakPassword'],
  [/^is already used/, 'srv.unique'],
  [/^value already used/, 'srv.unique'],
  [/^must not contain control characters$/, 'srv.control'],
];

export function serverMessage(msg) {
  if (!msg) return '';
  for (const [re, key] of SERVER_MESSAGES) {
    const m = re.exec(msg);
    if (m) return t(key, { n: m[1] });
  }
  return msg;
}
