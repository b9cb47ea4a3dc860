// Official vehicles pages: the request form, the request page (the detail
// view of trip_requests), the dispatch board, the printable dispatch slip,
// the driver's trips, the vehicle page (the detail view of vehicles), the
// renewal plan and the monthly cost report. The pages are fetched when first
// shown, so the login page and the dashboard do not download them.
import { EditPen, Grid, List, Van, DataAnalysis, RefreshRight } from '@element-plus/icons-vue';
import { can } from '../../lib/session.js';
import { registerPage, registerCollectionView, registerHomeLink, lazyView as lazy } from '../../lib/registry.js';

const NewTripView = lazy(() => import('./new.js'), 'NewTripView');
const TripRequestView = lazy(() => import('./request.js'), 'TripRequestView');
const BoardView = lazy(() => import('./board.js'), 'BoardView');
const SlipView = lazy(() => import('./slip.js'), 'SlipView');
const TripsView = lazy(() => import('./trips.js'), 'TripsView');
const VehicleView = lazy(() => import('./vehicle.js'), 'VehicleView');
const RenewalView = lazy(() => import('./renewal.js'), 'RenewalView');
const CostsView = lazy(() => import('./costs.js'), 'CostsView');

const mayFile = () => can('trip_requests', 'create');
const mayDispatch = () => can('trip_requests', 'dispatch');
const mayDrive = () => can('trips', 'start') || can('trips', 'close');
const mayRenew = () => can('renewal_plans', 'read') && can('vehicles', 'read');
const mayCosts = () => can('vehicle_costs', 'read') && can('vehicles', 'read');

registerCollectionView('trip_requests', 'detail', TripRequestView);
// #/c/trip_requests/new is the request form; editing keeps the generic form
registerCollectionView('trip_requests', 'new', NewTripView);
registerCollectionView('vehicles', 'detail', VehicleView);
registerCollectionView('trips', 'detail', TripsView);

registerPage('fleet', '/fleet/new', NewTripView, { zh: '申请用车', en: 'Request a car', menu: { test: 'nav-fl-new', show: mayFile, first: true } });
registerPage('fleet', '/fleet/board', BoardView, { zh: '派车调度台', en: 'Dispatch board', menu: { test: 'nav-fl-board', show: mayDispatch, first: true } });
registerPage('fleet', '/fleet/trips', TripsView, { zh: '我的出车', en: 'My trips', menu: { test: 'nav-fl-trips', show: mayDrive, first: true } });
registerPage('fleet', '/fleet/slip/:id', SlipView, { zh: '派车单', en: 'Dispatch slip' });
registerPage('fleet', '/fleet/costs', CostsView, { zh: '费用统计', en: 'Cost report', menu: { test: 'nav-fl-costs', show: mayCosts } });
registerPage('fleet', '/fleet/renewal', RenewalView, { zh: '车辆更新计划', en: 'Renewal plan', menu: { test: 'nav-fl-renewal', show: mayRenew } });

registerHomeLink({ path: '/fleet/new', zh: '申请用车', en: 'Request a car', icon: EditPen, test: 'home-fl-new', show: () => mayFile() && !mayDispatch() });
registerHomeLink({ path: '/c/trip_requests', zh: '我的用车申请', en: 'My trip requests', icon: List, test: 'home-fl-mine', show: () => mayFile() && !mayDispatch() && !can('trip_requests', 'approve') });
registerHomeLink({ path: '/fleet/board', zh: '派车调度台', en: 'Dispatch board', icon: Grid, test: 'home-fl-board', show: mayDispatch });
registerHomeLink({ path: '/fleet/trips', zh: '我的出车', en: 'My trips', icon: Van, test: 'home-fl-trips', show: () => mayDrive() && !mayDispatch() });
registerHomeLink({ path: '/c/trip_requests?status=submitted', zh: '用车审批', en: 'Trip approvals', icon: List, test: 'home-fl-approve', show: () => can('trip_requests', 'approve') && !mayDispatch() });
registerHomeLink({ path: '/fleet/costs', zh: '车辆费用统计', en: 'Vehicle costs', icon: DataAnalysis, test: 'home-fl-costs', show: () => mayCosts() && mayDispatch() });
registerHomeLink({ path: '/fleet/renewal', zh: '车辆更新计划', en: 'Renewal plan', icon: RefreshRight, test: 'home-fl-renewal', show: () => mayRenew() && mayDispatch() });
