// The office space section's conflict reasons (the API words them in
// English) in the UI's language: consulted by lib/api.js problemText() and
// fieldText() for errors about the space collections, until the server's
// answers carry keys (err.space.* in web/i18n).
import { t } from '../../lib/i18n.js';
import { enumText } from '../../lib/fields.js';
import { registerMessages } from '../../lib/registry.js';

const CONFLICTS = [
  [/approved already/, () => t('sp.err.approvedAlready')],
  [/^nobody may (\w+) their own request/, (m) => t('sp.err.own', { action: t('sp.verb.' + m[1]) })],
  [/^a request that is (\w+) cannot be (\w+)/, (m) => t('sp.err.state', { status: enumText('space_requests', 'status', m[1]), action: t('sp.verb.' + m[2]) })],
  [/can be edited only until it is reviewed/, () => t('sp.err.locked')],
];
const VERBS = ['review', 'approve', 'reject', 'cancel', 'reviewed', 'approved', 'rejected', 'cancelled'];

registerMessages('space', (msg) => {
  for (const [re, words] of CONFLICTS) {
    const m = re.exec(msg);
    const verb = m && (m.length > 2 ? m[2] : m[1]);
    if (m && (!verb || VERBS.includes(verb))) return words(m);
  }
  return null;
});
