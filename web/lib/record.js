// A record's own page: the record read when the page shows (and again after
// an action, or when the address names another), the tenant's offset learnt
// from it, its title remembered and shown in the breadcrumbs.
import { ref, onMounted, watch } from 'vue';
import { api } from './api.js';
import { state, noteOffset, rememberTitle, titleKey } from './session.js';

export async function loadRecord(coll, id) {
  const r = await api('GET', `/${coll}/${id}`);
  noteOffset(r.created_at);
  rememberTitle(coll, r);
  state.crumb = state.titles[titleKey(coll, r.id)];
  return r;
}

// {rec, error, load} of the page of coll's record id() (a getter of the page's
// prop); then(r) fetches what the page shows with it. Call from setup().
export function useRecord(coll, id, then = () => {}) {
  const rec = ref(null);
  const error = ref(null);
  async function load() {
    error.value = null;
    let r;
    try {
      r = await loadRecord(coll, id());
    } catch (e) {
      error.value = e;
      return;
    }
    rec.value = r;
    then(r);
  }
  onMounted(load);
  watch(id, load);
  return { rec, error, load };
}
