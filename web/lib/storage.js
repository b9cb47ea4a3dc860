// What this browser remembers for the user (localStorage), as JSON objects:
// the last place and phone typed into a form. Private mode remembers nothing.

export function recall(key) {
  try {
    const v = JSON.parse(localStorage.getItem(key));
    return v && typeof v === 'object' ? v : {};
  } catch {
    return {};
  }
}

export function remember(key, value) {
  try { localStorage.setItem(key, JSON.stringify(value)); } catch { /* private mode */ }
}
