// A record's facts on its page: a bordered list of labelled values, two
// columns (one on a phone).
import { h } from 'vue';
import { ElDescriptions, ElDescriptionsItem } from 'element-plus';
import { phone } from './layout.js';

// items: factItem()s (null ones are left out).
export function factList(items, { columns = 2, test = 'detail-fields' } = {}) {
  return h(ElDescriptions, { column: phone.value ? 1 : columns, border: true, class: 'mb', 'data-test': test }, () => items.filter(Boolean));
}

// One fact: its label, and its value (text or nodes) in a span marked `test` (value-<field>).
export function factItem(text, value, test) {
  return h(ElDescriptionsItem, { label: text }, () => h('span', { 'data-test': test }, [value]));
}
