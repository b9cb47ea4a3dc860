// A link drawn as a button, with its icon: a page to open, or a file to
// download (an export).
import { h } from 'vue';

export function linkButton(href, text, { icon = null, test, download = false } = {}) {
  return h('a', { class: 'el-button', href, download: download ? '' : undefined, 'data-test': test }, [
    icon ? h(icon, { class: 'btn-icon', 'aria-hidden': 'true' }) : null,
    h('span', text),
  ]);
}
