// Money: integer fen inside (the API, the records, the forms' bodies), yuan
// with two decimals on screen.

export function fenToYuan(fen) { return fen == null ? null : fen / 100; }
export function yuanToFen(yuan) { return yuan == null || yuan === '' ? null : Math.round(Number(yuan) * 100); }

const yuanFormat = new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'CNY', minimumFractionDigits: 2 });

// 123450 → "¥1,234.50"; `empty` when there is no amount.
export function formatMoney(fen, empty = '') { return fen == null ? empty : yuanFormat.format(fen / 100); }
