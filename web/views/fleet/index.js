// Official vehicles pages: the request form, the request page (the detail
// view of trip_requests), the dispatch board, the printable dispatch slip,
// the driver's trips, the vehicle page (the detail view of vehicles), the
// renewal plan and the monthly cost report. The pages are fetched when first
// shown, so the login page and the dashboard do not download them.
import { defineComponent, defineAsyncComponent, h } from 'vue';
import { EditPen, Grid, List, Van, DataAnalysis, RefreshRight } from '@element-plus/icons-vue';
import { can } from '../../lib/session.js';
import { registerRoute, registerCollectionView, registerMenuItem, registerHomeLink } from '../../lib/registry.js';
import { FormView } from '../form.js';

const lazy = (load, name) => defineAsyncComponent(() => load().then((m) => m[name]));
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

// #/c/trip_requests/new is the request form; editing keeps the generic form.
const TripForm = defineComponent({
  name: 'TripForm',
  props: { c: String, id: [String, Number] },
  setup(props) {
    return () => (props.id ? h(FormView, { c: props.c, id: props.id }) : h(NewTripView));
  },
});

registerCollectionView('trip_requests', 'detail', TripRequestView);
registerCollectionView('trip_requests', 'form', TripForm);
registerCollectionView('vehicles', 'detail', VehicleView);
registerCollectionView('trips', 'detail', TripsView);

registerRoute('/fleet/new', NewTripView, { module: 'fleet', zh: '申请用车', en: 'Request a car' });
registerRoute('/fleet/board', BoardView, { module: 'fleet', zh: '派车调度台', en: 'Dispatch board' });
registerRoute('/fleet/trips', TripsView, { module: 'fleet', zh: '我的出车', en: 'My trips' });
registerRoute('/fleet/slip/:id', SlipView, { module: 'fleet', zh: '派车单', en: 'Dispatch slip' });
registerRoute('/fleet/renewal', RenewalView, { module: 'fleet', zh: '车辆更新计划', en: 'Renewal plan' });
registerRoute('/fleet/costs', CostsView, { module: 'fleet', zh: '费用统计', en: 'Cost report' });

registerMenuItem({ module: 'fleet', path: '/fleet/new', zh: '申请用车', en: 'Request a car', test: 'nav-fl-new', show: mayFile, first: true });
registerMenuItem({ module: 'fleet', path: '/fleet/board', zh: '派车调度台', en: 'Dispatch board', test: 'nav-fl-board', show: mayDispatch, first: true });
registerMenuItem({ module: 'fleet', path: '/fleet/trips', zh: '我的出车', en: 'My trips', test: 'nav-fl-trips', show: mayDrive, first: true });
registerMenuItem({ module: 'fleet', path: '/fleet/costs', zh: '费用统计', en: 'Cost report', test: 'nav-fl-costs', show: mayCosts });
registerMenuItem({ module: 'fleet', path: '/fleet/renewal', zh: '车辆更新计划', en: 'Renewal plan', test: 'nav-fl-renewal', show: mayRenew });

registerHomeLink({ path: '/fleet/new', zh: '申请用车', en: 'Request a car', icon: EditPen, test: 'home-fl-new', show: () => mayFile() && !mayDispatch() });
registerHomeLink({ path: '/c/trip_requests', zh: '我的用车申请', en: 'My trip requests', icon: List, test: 'home-fl-mine', show: () => mayFile() && !mayDispatch() && !can('trip_requests', 'approve') });
registerHomeLink({ path: '/fleet/board', zh: '派车调度台', en: 'Dispatch board', icon: Grid, test: 'home-fl-board', show: mayDispatch });
registerHomeLink({ path: '/fleet/trips', zh: '我的出车', en: 'My trips', icon: Van, test: 'home-fl-trips', show: () => mayDrive() && !mayDispatch() });
registerHomeLink({ path: '/c/trip_requests?status=submitted', zh: '用车审批', en: 'Trip approvals', icon: List, test: 'home-fl-approve', show: () => can('trip_requests', 'approve') && !mayDispatch() });
registerHomeLink({ path: '/fleet/costs', zh: '车辆费用统计', en: 'Vehicle costs', icon: DataAnalysis, test: 'home-fl-costs', show: () => mayCosts() && mayDispatch() });
registerHomeLink({ path: '/fleet/renewal', zh: '车辆更新计划', en: 'Renewal plan', icon: RefreshRight, test: 'home-fl-renewal', show: () => mayRenew() && mayDispatch() });
