// Canteen finance pages, fetched when first shown: the reconciliation of a
// day or a month (对账), the subsidies by rank and their monthly runs (补贴),
// the canteen manager's day (今日运营) and a card's monthly statement.
import { Money, Coin, Sunny, Tickets } from '@element-plus/icons-vue';
import { can } from '../../lib/session.js';
import { registerPage, registerHomeLink, lazyView as lazy } from '../../lib/registry.js';

const ReconView = lazy(() => import('./finance-pages.js'), 'ReconView');
const SubsidyView = lazy(() => import('./finance-pages.js'), 'SubsidyView');
const TodayView = lazy(() => import('./finance-pages.js'), 'TodayView');
const StatementView = lazy(() => import('./finance-pages.js'), 'StatementView');

// those who read the whole ledger: the canteens' manager, leaders, auditors
const mayFinance = () => can('meal_subsidy_runs', 'read');
const mayCard = () => can('meal_accounts', 'read');

registerPage('canteen', '/canteen/finance', ReconView, { zh: '对账', en: 'Reconciliation', menu: { test: 'nav-ct-finance', show: mayFinance } });
registerPage('canteen', '/canteen/subsidies', SubsidyView, { zh: '补贴', en: 'Subsidies', menu: { test: 'nav-ct-subsidies', show: mayFinance } });
registerPage('canteen', '/canteen/today', TodayView, { zh: '今日运营', en: "Today's service", menu: { test: 'nav-ct-today', show: mayFinance } });
registerPage('canteen', '/canteen/statement', StatementView, { zh: '饭卡对账单', en: 'Card statement', menu: { test: 'nav-ct-statement', show: mayCard } });

registerHomeLink({ path: '/canteen/today', zh: '今日运营', en: "Today's service", icon: Sunny, test: 'home-ct-today', show: mayFinance });
registerHomeLink({ path: '/canteen/finance', zh: '食堂对账', en: 'Canteen reconciliation', icon: Money, test: 'home-ct-finance', show: mayFinance });
registerHomeLink({ path: '/canteen/subsidies', zh: '就餐补贴', en: 'Meal subsidies', icon: Coin, test: 'home-ct-subsidies', show: mayFinance });
registerHomeLink({ path: '/canteen/statement', zh: '饭卡对账单', en: 'Card statement', icon: Tickets, test: 'home-ct-statement', show: () => mayCard() && !mayFinance() });
