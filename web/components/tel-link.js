// A phone number that calls it when tapped.
import { h } from 'vue';

export function telLink(number, attrs = {}, content = number) {
  return h('a', { href: 'tel:' + number.replace(/[^0-9+]/g, ''), ...attrs }, content);
}
