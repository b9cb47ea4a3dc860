// A workflow record's timeline (GET …/{id}/timeline): newest first, each event
// with its kind (the label of the events collection's `kind`), who did it,
// and its note.
import { h } from 'vue';
import { ElTimeline, ElTimelineItem, ElSkeleton, ElEmpty } from 'element-plus';
import { t } from '../lib/i18n.js';
import { enumText } from '../lib/fields.js';
import { formatDatetime } from '../lib/time.js';

// events: the items (null while loading); kinds: the events collection;
// type(kind): the dot's colour; actor(e): who; more(e): after who (or null).
export function eventTimeline(events, { kinds, type, actor, more = () => null, rows = 3, emptySize = 60 }) {
  if (!events) return h(ElSkeleton, { rows, animated: true });
  if (!events.length) return h(ElEmpty, { description: t('history.none'), imageSize: emptySize });
  return h(ElTimeline, { class: 'sd-timeline' }, () => events.slice().reverse().map((e) => h(ElTimelineItem, {
    key: e.id, timestamp: formatDatetime(e.created_at), placement: 'top', type: type(e.kind),
  }, () => h('div', { class: 'sd-event', 'data-test': 'timeline-item', 'data-kind': e.kind }, [
    h('div', { class: 'sd-event-head' }, [h('strong', enumText(kinds, 'kind', e.kind)), ' · ', h('span', actor(e)), more(e)]),
    e.note ? h('p', { class: 'sd-event-note' }, e.note) : null,
  ]))));
}
