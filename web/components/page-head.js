// The head of a page: its title (data-test page-title) and its tools beside it.
import { h } from 'vue';

export function pageTitle(text) {
  return h('h1', { class: 'page-title', 'data-test': 'page-title' }, text);
}

// title: the words, or a titleRow(); tools: the buttons (put in a toolbar), or one node.
export function pageHead(title, tools = null) {
  return h('div', { class: 'page-head' }, [
    typeof title === 'string' ? pageTitle(title) : title,
    Array.isArray(tools) ? h('div', { class: 'toolbar' }, tools) : tools,
  ]);
}

// A record's title with what is said beside it (its status, its number).
export function titleRow(text, ...beside) {
  return h('div', { class: 'title-row' }, [pageTitle(text), ...beside]);
}
