// SPDX-License-Identifier: MIT
// Stocktakes 资产盘点: where their pages plug in. The list of sessions
// (#/assets/stocktakes), a session on a phone (#/assets/stocktakes/:id, also
// the record page of #/c/stocktakes/:id: the camera, a typed code, each scan's
// answer, progress) and its result (#/assets/stocktakes/:id/result). The
// pages (stocktake-pages.js) are fetched when first shown.
import { Camera } from '@element-plus/icons-vue';
import { can } from '../../lib/session.js';
import { registerPage, registerRoute, registerCollectionView, registerHomeLink, lazyView as lazy } from '../../lib/registry.js';

const ListView = lazy(() => import('./stocktake-pages.js'), 'StocktakeListView');
const SessionView = lazy(() => import('./stocktake-pages.js'), 'StocktakeSessionView');
const ResultView = lazy(() => import('./stocktake-pages.js'), 'StocktakeResultView');

const mayRead = () => can('stocktakes', 'read');
const mayScan = () => can('stocktakes', 'scan');

export function stocktakeRoutes() {
  registerPage('assets', '/assets/stocktakes', ListView, { zh: '资产盘点', en: 'Stocktakes', menu: { test: 'nav-as-stocktakes', show: mayRead, first: true } });
  registerRoute('/assets/stocktakes/:id', SessionView, { module: 'assets', zh: '盘点', en: 'Stocktake' });
  registerRoute('/assets/stocktakes/:id/result', ResultView, { module: 'assets', zh: '盘点结果', en: 'Stocktake result' });
  registerCollectionView('stocktakes', 'detail', SessionView);
  registerHomeLink({ path: '/assets/stocktakes', zh: '资产盘点', en: 'Stocktakes', icon: Camera, test: 'home-as-stocktakes', show: mayScan });
}

stocktakeRoutes();
