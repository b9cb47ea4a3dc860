// A record's page before it can be shown: still loading, or refused (not
// found, or the error in words, with the way back).
import { h } from 'vue';
import { ElAlert, ElSkeleton } from 'element-plus';
import { t } from '../lib/i18n.js';
import { problemText } from '../lib/api.js';

export function pageLoading(rows = 8) {
  return h('section', { class: 'page' }, h(ElSkeleton, { rows, animated: true }));
}

// back: the address of the way back, backText its words; ent: the collection (for the error's words).
export function pageError(error, { back, backText = t('detail.backToList'), ent, test = 'detail-error', text } = {}) {
  return h('section', { class: 'page' }, h(ElAlert, {
    type: 'error', showIcon: true, closable: false, 'data-test': test,
    title: text || (error.status === 404 ? t('error.notFound') : problemText(error, ent)),
  }, { default: () => h('a', { href: back }, backText) }));
}
