// A hash router: #/c/people/12?x=1 → route.path '/c/people/12', route.parts
// ['c','people','12'], route.query {x:'1'}. The server has no fallback to
// index.html, so every page lives behind the '#'.
import { reactive } from 'vue';

export const route = reactive({ path: '/', parts: [], query: {}, full: '/' });

function parse() {
  const raw = location.hash.slice(1) || '/';
  const i = raw.indexOf('?');
  const path = (i < 0 ? raw : raw.slice(0, i)) || '/';
  const qs = i < 0 ? '' : raw.slice(i + 1);
  route.path = path;
  route.parts = path.split('/').filter(Boolean).map((p) => {
    try { return decodeURIComponent(p); } catch { return p; }
  });
  route.query = Object.fromEntries(new URLSearchParams(qs));
  route.full = raw;
}

export function href(path, query) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== '') q.append(k, String(v));
  }
  const s = q.toString();
  return '#' + path + (s ? '?' + s : '');
}

export function go(path, query) {
  const h = href(path, query);
  if (location.hash === h) parse();
  else location.hash = h;
}

// Change the address without a new history entry (filters, sort).
export function replace(path, query) {
  history.replaceState(history.state, '', href(path, query));
  parse();
}

// Match '/c/:c/:id' against route.parts; returns the params or null.
export function match(pattern, parts = route.parts) {
  const p = pattern.split('/').filter(Boolean);
  if (p.length !== parts.length) return null;
  const params = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) params[p[i].slice(1)] = parts[i];
    else if (p[i] !== parts[i]) return null;
  }
  return params;
}

window.addEventListener('hashchange', parse);
parse();
