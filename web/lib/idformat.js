// Chinese identifiers and numbers (a field's `format`): the checks of src/engine/idformat.c,
// so that a form says what is wrong before sending. The server stays the judge and stores the
// normal form (粤b 12345 → 粤B·12345, +86 138 1234 5678 → 13812345678).

const PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';
const USCC_SET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

// Trimmed, full-width ASCII and U+3000 made ASCII, letters upper-cased.
function fold(s) {
  return s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xFEE0))
    .replace(/[\u3000\t]/g, ' ').trim().toUpperCase();
}

function mobile(t) {
  let d = t.replace(/[ -]/g, '');
  if (d.length === 14 && d.startsWith('+86')) d = d.slice(3);
  else if (d.length === 15 && d.startsWith('0086')) d = d.slice(4);
  else if (d.length === 13 && d.startsWith('86')) d = d.slice(2);
  return /^1[3-9]\d{9}$/.test(d);
}

// 010 and 02X have 3 digits, 0[3-9]XX 4; 0 for no area code.
function areaLen(d) {
  if (d.length < 3 || d[0] !== '0') return 0;
  if (d[1] === '1') return d[2] === '0' ? 3 : 0;
  if (d[1] === '2') return 3;
  return /[3-9]/.test(d[1]) && d.length >= 4 ? 4 : 0;
}

function landline(t) {
  const g = t.replace(/转/g, '-').replace(/[() #]/g, '-').split('-').filter(Boolean);
  if (!g.length || g.length > 8 || g.some((x) => !/^\d+$/.test(x))) return false;
  const an = areaLen(g[0]);
  if (!an || g[0].length > an + 8) return false;
  let num = g[0].slice(an), i = 1;
  for (; i < g.length && num.length < 7; i++) {
    if (num.length + g[i].length > 8) return false;
    num += g[i];
  }
  const ext = i < g.length ? g[i++] : null;
  return i === g.length && /^[2-9]\d{6,7}$/.test(num) && (ext === null || /^\d{1,6}$/.test(ext));
}

function plate(t) {
  const m = /^(.)([A-Z])[·•‧∙⋅・･.\- ]?([0-9A-Z]+)$/u.exec(t);
  if (!m || !PROVINCES.includes(m[1])) return ['format.plate'];
  const s = m[3];
  if ((s.length !== 5 && s.length !== 6) || /[IO]/.test(s)) return ['format.plate'];
  if (s.length === 6 && !/^[DF][0-9A-Z]\d{4}$/.test(s) && !/^\d{5}[DF]$/.test(s)) return ['format.plate.new_energy'];
  return null;
}

function idNumber(t) {
  const s = t.replace(/ /g, '');
  if (!/^[1-9]\d{16}[\dX]$/.test(s)) return ['format.id_number'];
  const y = +s.slice(6, 10), mo = +s.slice(10, 12), d = +s.slice(12, 14);
  const born = new Date(Date.UTC(2000, mo - 1, d));
  born.setUTCFullYear(y);
  const date = `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`;
  if (y < 1800 || born.getUTCMonth() !== mo - 1 || born.getUTCDate() !== d || born.getTime() > Date.now() + 14 * 3600e3)
    return ['format.id_number.birth_date', { date }];
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = w.reduce((a, x, i) => a + x * +s[i], 0);
  return '10X98765432'[sum % 11] === s[17] ? null : ['format.id_number.check'];
}

function uscc(t) {
  const s = t.replace(/ /g, '');
  if (s.length !== 18 || [...s].some((c) => !USCC_SET.includes(c))) return ['format.uscc'];
  const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const r = 31 - (w.reduce((a, x, i) => a + x * USCC_SET.indexOf(s[i]), 0) % 31);
  return USCC_SET[r === 31 ? 0 : r] === s[17] ? null : ['format.uscc.check'];
}

// What is wrong with text v as format: null, or [error key, params] (the server's key).
export function formatProblem(format, v) {
  const t = fold(String(v));
  if (!t) return null;
  switch (format) {
    case 'mobile': return mobile(t) ? null : ['format.mobile'];
    case 'landline': return landline(t) ? null : ['format.landline'];
    case 'phone': return mobile(t) || landline(t) ? null : ['format.phone'];
    case 'plate': return plate(t);
    case 'id_number': return idNumber(t);
    case 'uscc': return uscc(t);
    default: return null;
  }
}
