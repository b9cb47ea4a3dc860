// Where modules plug their own pages and dashboard cards into the UI.
// See docs/ui.md. Everything here is optional: a collection without an entry
// gets the generic list, detail and form views.
import { defineAsyncComponent } from 'vue';

const routes = [];          // [{pattern: '/fleet/board', component, title: {zh, en}}]
const collectionViews = {}; // {trip_requests: {list?, detail?, form?, new?}}
const cards = {};           // {counts: Component}: how a summary card of that kind is drawn
const menu = [];            // [{module: 'fleet', path: '/fleet/board', zh, en, test, show?}]
const homeLinks = [];       // [{path, zh, en, icon?, test, show?}]: big buttons on the home page

// A page of its own at '#<pattern>' (':name' segments become props.params).
export function registerRoute(pattern, component, extra = {}) {
  routes.push({ pattern, component, ...extra });
}

// A module's page at '#<path>' with its breadcrumbs (home / module / zh|en)
// and, given menu: {test, show, first}, its entry in the sidebar.
export function registerPage(module, path, component, { zh, en, menu = null }) {
  registerRoute(path, component, { module, zh, en });
  if (menu) registerMenuItem({ module, path, zh, en, ...menu });
}

// Replace one of the generic views of a collection ('list', 'detail' or 'form'),
// or only its create form ('new': #/c/{collection}/new; editing keeps 'form').
export function registerCollectionView(collection, kind, component) {
  (collectionViews[collection] ||= {})[kind] = component;
}

// Draw summary cards of this kind (GET /api/v1/summary/{module} → cards[].kind).
export function registerCard(kind, component) {
  cards[kind] = component;
}

// An extra sidebar entry under a module; show() (optional) decides whether
// the caller sees it (e.g. () => can('trip_requests', 'create')).
export function registerMenuItem(item) {
  menu.push(item);
}

// A quick link at the top of the home page (same shape, plus an icon component).
export function registerHomeLink(item) {
  homeLinks.push(item);
}


// A page fetched when first shown: load() imports its file (or resolves to the
// module object), name is the component's export.
export function lazyView(load, name) {
  return defineAsyncComponent(() => load().then((m) => m[name]));
}

export function customRoutes() { return routes; }
export function collectionView(collection, kind) {
  return (collectionViews[collection] || {})[kind] || null;
}
export function cardComponent(kind) { return cards[kind] || null; }
const visible = (x) => !x.show || x.show();
export function menuItems(module) { return menu.filter((m) => m.module === module && visible(m)); }
export function homeItems() { return homeLinks.filter(visible); }
