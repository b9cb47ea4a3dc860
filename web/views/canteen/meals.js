// Canteen pages: meals. Staff book and cancel meals before the cut-off and
// rate the meals they ate (#/canteen/meals, made for a phone); the canteen
// manager keeps the week's menus (#/canteen/menus); food safety: the alerts,
// deliveries checked, samples kept, health certificates and inspections
// (#/canteen/safety). The views are fetched when first shown.
import { Bowl, Calendar, Warning } from '@element-plus/icons-vue';
import { can } from '../../lib/session.js';
import { registerPage, registerHomeLink, lazyView as lazy } from '../../lib/registry.js';

const MealsView = lazy(() => import('./meals-pages.js'), 'MealsView');
const MenusView = lazy(() => import('./meals-pages.js'), 'MenusView');
const SafetyView = lazy(() => import('./safety-pages.js'), 'SafetyView');

const mayBook = () => can('meal_bookings', 'create');
const mayMenus = () => can('menus', 'create');
const maySafety = () => can('food_samples', 'read');

registerPage('canteen', '/canteen/meals', MealsView, { zh: '订餐与菜单', en: 'Meals and menus', menu: { test: 'nav-ct-meals', show: mayBook, first: true } });
registerPage('canteen', '/canteen/menus', MenusView, { zh: '菜单管理', en: 'Menus', menu: { test: 'nav-ct-menus', show: mayMenus } });
registerPage('canteen', '/canteen/safety', SafetyView, { zh: '食品安全', en: 'Food safety', menu: { test: 'nav-ct-safety', show: maySafety } });

registerHomeLink({ path: '/canteen/meals', zh: '订餐与菜单', en: 'Meals and menus', icon: Bowl, test: 'home-ct-meals', show: () => mayBook() && !mayMenus() });
registerHomeLink({ path: '/canteen/menus', zh: '菜单管理', en: 'Menus', icon: Calendar, test: 'home-ct-menus', show: mayMenus });
registerHomeLink({ path: '/canteen/safety', zh: '食品安全', en: 'Food safety', icon: Warning, test: 'home-ct-safety', show: maySafety });
