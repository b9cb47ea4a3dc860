// Where modules plug their own pages and dashboard cards into the UI.
// See docs/ui.md. Everything here is optional: a collection without an entry
// gets the generic list, detail and form views.

const routes = [];          // [{pattern: '/fleet/board', component, title: {zh, en}}]
const collectionViews = {}; // {trip_requests: {list?, detail?, form?}}
const cards = {};           // {counts: Component}: how a summary card of that kind is drawn
const menu = [];            // [{module: 'fleet', path: '/fleet/board', zh, en, test}]

// A page of its own at '#<pattern>' (':name' segments become props.params).
export function registerRoute(pattern, component, extra = {}) {
  routes.push({ pattern, component, ...extra });
}

// Replace one of the generic views of a collection ('list', 'detail' or 'form').
export function registerCollectionView(collection, kind, component) {
  (collectionViews[collection] ||= {})[kind] = component;
}

// Draw summary cards of this kind (GET /api/v1/summary/{module} → cards[].kind).
export function registerCard(kind, component) {
  cards[kind] = component;
}

// An extra sidebar entry under a module.
export function registerMenuItem(item) {
  menu.push(item);
}

export function customRoutes() { return routes; }
export function collectionView(collection, kind) {
  return (collectionViews[collection] || {})[kind] || null;
}
export function cardComponent(kind) { return cards[kind] || null; }
export function menuItems(module) { return menu.filter((m) => m.module === module); }
