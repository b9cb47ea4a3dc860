// Requests whose answers may come back out of order (a period, a month or a
// tab changed quickly): only the answer to the latest one is taken.
import { ref } from 'vue';

// {loading, error, load}: load(fetch, take, failed) runs fetch() and, while it
// is still the latest, hands its answer to take() or its error to error (and
// to failed(), when given).
export function latest() {
  const loading = ref(false);
  const error = ref(null);
  let seq = 0;
  async function load(fetch, take, failed) {
    const mine = ++seq;
    loading.value = true;
    error.value = null;
    try {
      const r = await fetch();
      if (mine === seq) await take(r);
    } catch (e) {
      if (mine === seq) {
        error.value = e;
        if (failed) failed(e);
      }
    } finally {
      if (mine === seq) loading.value = false;
    }
  }
  return { loading, error, load };
}
