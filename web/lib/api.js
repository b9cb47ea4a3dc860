// HTTP access to /api/v1: JSON in and out, the CSRF header on changes,
// problem+json errors as ApiError, one hook for "the session is gone", and
// the one way an error answer becomes words for the user (problemText,
// fieldText).
import { t, has, label, enumLabel } from './i18n.js';
import { formatMoney } from './money.js';
import { formatMinutes } from './duration.js';

export const API = '/api/v1';

export class ApiError extends Error {
  constructor(status, problem = {}, headers = null) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;            // 0: the request never got an answer
    this.code = problem.code || null;
    this.detail = problem.detail || '';
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
    this.key = problem.key || null;  // a stable name of the reason ('fleet.dispatch.vehicle_busy')
    this.params = problem.params && typeof problem.params === 'object' ? problem.params : {};
    this.problem = problem;
    this.retryAfter = headers ? Number(headers.get('Retry-After')) || null : null;
  }
  get network() { return this.status === 0; }
  get server() { return this.status >= 500; }
}

let csrf = null;
let onUnauthorized = null;

export function setCsrf(token) { csrf = token || null; }
export function getCsrf() { return csrf; }

// fn(error) is called on a 401 from any request not marked quiet401.
export function onAuthLost(fn) { onUnauthorized = fn; }

function mutating(method) { return method !== 'GET' && method !== 'HEAD'; }

export function queryString(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v === undefined || v === null || v === '') continue;
    q.append(k, String(v));
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

// api('GET', '/people', {query, body, headers, quiet401})
export async function api(method, path, opts = {}) {
  const headers = { Accept: 'application/json', ...(opts.headers || {}) };
  let body;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (mutating(method) && csrf) headers['X-CSRF-Token'] = csrf;
  let res;
  try {
    res = await fetch(API + path + queryString(opts.query), {
      // no-store unless asked: 'no-cache' revalidates by ETag (meta: a 304 on a repeat visit)
      method, headers, body, credentials: 'same-origin', cache: opts.cache || 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, { detail: String(e && e.message || e) });
  }
  let data = null;
  if (res.status !== 204) {
    const type = res.headers.get('Content-Type') || '';
    try {
      data = type.includes('json') ? await res.json() : { detail: await res.text() };
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const err = new ApiError(res.status, data || {}, res.headers);
    if (res.status === 401 && !opts.quiet401 && onUnauthorized) onUnauthorized(err);
    throw err;
  }
  return data;
}

// Upload a file body with progress: onProgress(fraction 0..1).
export function upload(path, file, contentType, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', API + path);
    xhr.setRequestHeader('Content-Type', contentType);
    xhr.setRequestHeader('Accept', 'application/json');
    if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError(0, { detail: 'network error' }));
    xhr.onload = () => {
      let data = null;
      try { data = JSON.parse(xhr.responseText); } catch { data = { detail: xhr.responseText }; }
      if (xhr.status >= 200 && xhr.status < 300) { resolve(data); return; }
      const err = new ApiError(xhr.status, data || {});
      if (xhr.status === 401 && onUnauthorized) onUnauthorized(err);
      reject(err);
    };
    xhr.send(file);
  });
}

// ---- an error answer in words ----
//
// problem+json: {type, title, status, detail, code, key, params, errors: [{field, message, key, params}]}.
// Every answer of the server names a stable key (docs/ERRORS.md) with its params; the UI says
// it with "err." + key from web/i18n and never reads the English detail. A param is shown as
// the user reads it: one named after an enum field of ent (the collection's metadata) by that
// value's label; "action" by the action's label; "allowed" (states, comma-separated) by their
// labels; "collection" (when it is ent) by its label; an amount in fen (a name ending in _fen) as
// yuan; a number of minutes ("minutes" or a name ending in _min) in days, hours and minutes.

function stateLabel(ent, v) {
  const name = (ent && ent.state) || 'status';
  const f = ent && ent.fields && ent.fields.find((x) => x.name === name && x.type === 'enum');
  return f ? enumLabel(f, v) : v;
}

// The params of a keyed problem or field item as the user reads them.
export function paramsText(params, ent) {
  const out = {};
  for (const [k, v] of Object.entries(params || {})) {
    const f = ent && ent.fields && ent.fields.find((x) => x.name === k && x.type === 'enum');
    const act = k === 'action' && ent && ent.actions ? ent.actions.find((a) => a.name === v) : null;
    const coll = k === 'collection' && ent && ent.name === v ? ent : null;
    if (f) out[k] = enumLabel(f, v);
    else if (act) out[k] = label(act);
    else if (k === 'allowed' && typeof v === 'string') out[k] = v.split(',').map((x) => stateLabel(ent, x)).join('、');
    else if (coll) out[k] = label(coll);
    else if (k.endsWith('_fen') && v !== null && v !== '' && Number.isFinite(Number(v))) out[k] = formatMoney(Number(v));
    else if ((k === 'minutes' || k.endsWith('_min')) && typeof v === 'number') out[k] = formatMinutes(v);
    else out[k] = v;
  }
  return out;
}

// A keyed answer or item in words; a key without words (an older server, a proxy's own page)
// by its status alone.
function keyed(x, ent) {
  if (x && x.key && has('err.' + x.key)) return t('err.' + x.key, paramsText(x.params, ent));
  return null;
}

// One field item of an error answer ({field, message, key, params}) in words, as shown at its field.
export function fieldText(item, ent) {
  if (!item) return '';
  return keyed(item, ent) || t('error.unknown');
}

// A field item with its field's label first (when ent has the field), for a line that lists them.
function fieldLine(item, ent) {
  const f = item.field && ent && ent.fields ? ent.fields.find((x) => x.name === item.field) : null;
  return (f ? label(f) + '：' : '') + fieldText(item, ent);
}

// An error answer in words: an ApiError or a problem+json object; ent (optional) is the
// metadata of the collection it is about. A refused form's items are listed, each with its
// field; a refusal of one field is said at it.
export function problemText(problem, ent) {
  if (!problem) return '';
  const status = problem.status;
  if (status === 0) return t('error.network');
  const items = Array.isArray(problem.errors) ? problem.errors : [];
  if (items.length && (problem.key === 'invalid' || (items.length === 1 && items[0].key === problem.key)))
    return items.map((fe) => fieldLine(fe, ent)).join('；');
  const own = keyed(problem, ent);
  if (own) return own;
  if (status >= 500) return t('error.server', { status, detail: problem.code || '' });
  if (status === 403) return t('error.forbidden');
  return t('error.unknown');
}

// Puts the field items of an error answer at the form's fields: errors[name] = their words.
// names: the form's field names, or a function from the server's name to the form's (or null).
// Returns how many were placed.
export function placeErrors(problem, errors, names, ent) {
  const at = typeof names === 'function' ? names : (f) => (names.includes(f) ? f : null);
  let n = 0;
  for (const fe of (problem && problem.errors) || []) {
    const name = fe.field ? at(fe.field) : null;
    if (name) { errors[name] = fieldText(fe, ent); n++; }
  }
  return n;
}

// Every record of a list (following the cursor), at most `max`.
export async function fetchAll(coll, query = {}, max = 2000) {
  const all = [];
  let after = null;
  do {
    const r = await api('GET', '/' + coll, { query: { ...query, limit: 500, after } });
    all.push(...r.items);
    after = r.next;
  } while (after && all.length < max);
  return all;
}

// The records of these ids (100 to a request, the limit of [in]); a failed request leaves its ids out.
export async function fetchByIds(coll, ids) {
  const want = [...new Set(ids.filter((id) => id != null))];
  const out = [];
  for (let i = 0; i < want.length; i += 100) {
    const chunk = want.slice(i, i + 100);
    try {
      const r = await api('GET', '/' + coll, { query: { 'id[in]': chunk.join(','), limit: chunk.length } });
      out.push(...r.items);
    } catch { /* shown by their ids */ }
  }
  return out;
}
