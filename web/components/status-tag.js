// A record's state as a coloured tag: the label of an enum value of the
// collection's field (status by default), its colour from the page's table
// {value: 'success' | 'warning' | 'danger' | 'primary' | 'info'}.
import { h } from 'vue';
import { ElTag } from 'element-plus';
import { enumText } from '../lib/fields.js';

// attrs: more props and attributes of the tag ({size: 'small'}, {field: 'state', 'data-state': s}).
export function statusTag(coll, value, types = {}, attrs = {}) {
  const { field = 'status', ...rest } = attrs;
  return h(ElTag, {
    type: types[value] || 'info', effect: 'light', class: 'status-tag', 'data-status': value, disableTransitions: true, ...rest,
  }, () => enumText(coll, field, value));
}
