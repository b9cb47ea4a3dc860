// Canteen pages of the meal card: my card (staff on a phone: balance, the QR code to pay,
// transactions by month, freezing a lost card, a new code), the cashier's desk (top-ups,
// refunds, adjustments, reversals, freezing) and the card readers (last upload, clock drift,
// a device token). The pages are fetched when first shown.
import { CreditCard } from '@element-plus/icons-vue';
import { can } from '../../lib/session.js';
import { registerPage, registerHomeLink, lazyView as lazy } from '../../lib/registry.js';

const MyCardView = lazy(() => import('./card-pages.js'), 'MyCardView');
const CashierView = lazy(() => import('./card-pages.js'), 'CashierView');
const ReadersView = lazy(() => import('./card-pages.js'), 'ReadersView');

const mayHold = () => can('meal_accounts', 'read');
const mayCash = () => can('meal_transactions', 'refund');
const mayReaders = () => can('meal_readers', 'update');

registerPage('canteen', '/canteen/card', MyCardView, { zh: '我的饭卡', en: 'My meal card', menu: { test: 'nav-ct-card', show: mayHold, first: true } });
registerPage('canteen', '/canteen/cashier', CashierView, { zh: '充值与调账', en: 'Top-ups and adjustments', menu: { test: 'nav-ct-cashier', show: mayCash } });
registerPage('canteen', '/canteen/readers', ReadersView, { zh: '读卡器', en: 'Card readers', menu: { test: 'nav-ct-readers', show: mayReaders } });
registerHomeLink({ path: '/canteen/card', zh: '我的饭卡', en: 'My meal card', icon: CreditCard, test: 'home-ct-card', show: () => mayHold() && !mayCash() });
registerHomeLink({ path: '/canteen/cashier', zh: '充值与调账', en: 'Top-ups and adjustments', icon: CreditCard, test: 'home-ct-cashier', show: mayCash });
