// People by their accounts. Users are readable only by some roles, so a user
// is shown as "me", by their name when it is known (read, or named by the
// server: a timeline's actors, a team's members), by their part in the record
// at hand (the requester), or by their number.
import { t } from './i18n.js';
import { state, can, titleKey, resolveTitles } from './session.js';

// words: the i18n prefix of the page's words ('sd', 'sp', 'fl': <words>.system
// for no user, .me, .userNo and one per part); record and parts: the record's
// fields that name users and the word of each ({requester_id: 'requester'});
// none: the text for no user; known: a name from elsewhere (a slip).
export function userName(id, { words, record = null, parts = {}, none, known } = {}) {
  if (id == null) return none ?? t(words + '.system');
  if (state.user && id === state.user.id) return t(words + '.me');
  const name = known || state.titles[titleKey('users', id)];
  if (name) return name;
  for (const [f, word] of Object.entries(parts)) {
    if (record && id === record[f]) return t(`${words}.${word}`);
  }
  return t(words + '.userNo', { id });
}

// Names the server gave for user ids ({id: name}).
export function knowUsers(names) {
  for (const [id, name] of Object.entries(names || {})) if (name) state.titles[titleKey('users', Number(id))] = name;
}

// The names of these users, when the caller may read users.
export function resolveUsers(ids) {
  return can('users', 'read') ? resolveTitles('users', ids.filter((x) => x != null)) : Promise.resolve();
}
