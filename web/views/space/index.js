// Office space pages: the floor view, a room's page (the detail view of
// rooms), the adjustment request form, the approval queue and the request's
// page (the detail view of space_requests), and reports. The pages and their
// stylesheet are fetched when first shown.
import { OfficeBuilding, EditPen, Stamp, DataAnalysis } from '@element-plus/icons-vue';
import { can } from '../../lib/session.js';
import { registerPage, registerCollectionView, registerHomeLink, lazyView } from '../../lib/registry.js';

// a page and, with the first of them, the pages' stylesheet
const lazy = (load, name) => lazyView(() => Promise.all([load(), import('./common.js').then((c) => c.loadStyles())]).then(([m]) => m), name);
const FloorView = lazy(() => import('./floor.js'), 'FloorView');
const RoomView = lazy(() => import('./room.js'), 'RoomView');
const NewRequestView = lazy(() => import('./new.js'), 'NewRequestView');
const QueueView = lazy(() => import('./queue.js'), 'QueueView');
const RequestView = lazy(() => import('./request.js'), 'RequestView');
const ReportsView = lazy(() => import('./reports.js'), 'ReportsView');

const mayView = () => can('floors', 'read') && can('rooms', 'read');
const mayFile = () => can('space_requests', 'create');
const mayDecide = () => can('space_requests', 'review') || can('space_requests', 'approve');
const mayQueue = () => can('space_requests', 'read');
const mayReport = () => can('room_assignments', 'read') && can('rooms', 'read');

registerCollectionView('rooms', 'detail', RoomView);
registerCollectionView('space_requests', 'detail', RequestView);
// #/c/space_requests/new is the request form; editing keeps the generic form
registerCollectionView('space_requests', 'new', NewRequestView);

registerPage('space', '/space/floor', FloorView, { zh: '楼层平面', en: 'Floor view', menu: { test: 'nav-sp-floor', show: mayView, first: true } });
registerPage('space', '/space/requests/new', NewRequestView, { zh: '申请调配', en: 'Request space', menu: { test: 'nav-sp-new', show: mayFile, first: true } });
registerPage('space', '/space/requests', QueueView, { zh: '调配审批', en: 'Request queue', menu: { test: 'nav-sp-requests', show: mayQueue, first: true } });
registerPage('space', '/space/reports', ReportsView, { zh: '用房统计', en: 'Space reports', menu: { test: 'nav-sp-reports', show: mayReport } });

registerHomeLink({ path: '/space/requests/new', zh: '申请用房调配', en: 'Request office space', icon: EditPen, test: 'home-sp-new', show: () => mayFile() && !mayDecide() });
registerHomeLink({ path: '/space/requests', zh: '用房调配审批', en: 'Space request queue', icon: Stamp, test: 'home-sp-requests', show: mayDecide });
registerHomeLink({ path: '/space/floor', zh: '楼层平面', en: 'Floor view', icon: OfficeBuilding, test: 'home-sp-floor', show: () => mayView() && mayReport() });
registerHomeLink({ path: '/space/reports', zh: '用房统计', en: 'Space reports', icon: DataAnalysis, test: 'home-sp-reports', show: () => mayReport() && can('room_assignments', 'override') });
