// Durations as a person says them, in the user's language.
import { t } from './i18n.js';

// A number of minutes in words: '45 分钟', '2 小时 5 分钟', '9 天 12 小时 17 分钟'.
export function formatMinutes(n) {
  const m = Math.round(Math.abs(Number(n)));
  const d = Math.floor(m / 1440), h = Math.floor((m % 1440) / 60), r = m % 60;
  const parts = [];
  if (d) parts.push(t('kpi.days', { n: d }));
  if (h) parts.push(t('kpi.hours', { n: h }));
  if (r || !parts.length) parts.push(t('kpi.minutes', { n: r }));
  return parts.join(' ');
}
