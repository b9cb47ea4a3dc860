// HTTP access to /api/v1: JSON in and out, the CSRF header on changes,
// problem+json errors as ApiError, and one hook for "the session is gone".

export const API = '/api/v1';

export class ApiError extends Error {
  constructor(status, problem = {}, headers = null) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;            // 0: the request never got an answer
    this.code = problem.code || null;
    this.detail = problem.detail || '';
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
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
