// Times on the tenant's wall clock: what the API sends (RFC 3339 with an
// offset) shown and edited in the tenant's zone, whatever the browser's.
import { state } from './session.js';

export function offsetString(min = state.offsetMin) {
  const sign = min < 0 ? '-' : '+';
  const a = Math.abs(min);
  return `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

// '2026-01-01T08:00:00+08:00' → '2026-01-01T08:00:00' (wall clock in the tenant's zone)
export function toWall(iso, min = state.offsetMin) {
  if (!iso) return null;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  return new Date(ms + min * 60000).toISOString().slice(0, 19);
}

// '2026-01-01T08:00:00' → '2026-01-01T08:00:00+08:00'
export function fromWall(wall, min = state.offsetMin) {
  return wall ? wall.slice(0, 19) + offsetString(min) : null;
}

// '2026-01-01 08:00'
export function formatDatetime(iso) {
  const w = toWall(iso);
  return w ? w.slice(0, 16).replace('T', ' ') : '';
}

// The tenant's date today, 'YYYY-MM-DD'.
export function today() { return toWall(new Date().toISOString()).slice(0, 10); }

// 'YYYY-MM-DD' n days later (earlier when n < 0).
export function addDays(ymd, n) {
  const d = new Date(ymd + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
