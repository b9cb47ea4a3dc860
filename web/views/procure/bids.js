// SPDX-License-Identifier: MIT
// Procurement, the sealed bids: the supplier portal (a phone's width: its record, the projects
// taking bids, a bid sealed in the browser, the signed receipt and its check, withdrawal and
// replacement), an opening official's share (taken once: text, QR code, a file) and the opening
// ceremony (k shares typed, the bids opened). The pages are fetched when first shown.
import { Lock, Stamp } from '@element-plus/icons-vue';
import { can } from '../../lib/session.js';
import { registerPage, registerHomeLink, lazyView as lazy } from '../../lib/registry.js';

const PortalView = lazy(() => import('./bids-pages.js'), 'PortalView');
const SharesView = lazy(() => import('./bids-pages.js'), 'SharesView');
const OpeningView = lazy(() => import('./bids-pages.js'), 'OpeningView');

const mayBid = () => can('bids', 'create') && !can('bid_seals', 'seal');
const mayOpen = () => can('bid_seals', 'open');
const signedIn = () => true;

registerPage('procure', '/procure/portal', PortalView, { zh: '供应商投标', en: 'Supplier portal', menu: { test: 'nav-pc-portal', show: mayBid, first: true } });
registerPage('procure', '/procure/shares', SharesView, { zh: '我的开标份额', en: 'My opening shares', menu: { test: 'nav-pc-shares', show: signedIn } });
registerPage('procure', '/procure/opening', OpeningView, { zh: '开标', en: 'Bid opening', menu: { test: 'nav-pc-opening', show: mayOpen } });
registerHomeLink({ path: '/procure/portal', zh: '供应商投标', en: 'Supplier portal', icon: Lock, test: 'home-pc-portal', show: mayBid });
registerHomeLink({ path: '/procure/opening', zh: '开标', en: 'Bid opening', icon: Stamp, test: 'home-pc-opening', show: mayOpen });
