// Service desk pages: report a problem, the request page (the detail view of
// service_requests), the dispatcher board, the assignee queue and reports.
// The pages are fetched when first shown, so the login page and the
// dashboard do not download them.
import { defineComponent, onMounted } from 'vue';
import { EditPen, Grid, List, DataAnalysis } from '@element-plus/icons-vue';
import { can } from '../../lib/session.js';
import { replace } from '../../lib/router.js';
import { registerRoute, registerPage, registerCollectionView, registerHomeLink, lazyView as lazy } from '../../lib/registry.js';

const NewRequestView = lazy(() => import('./new.js'), 'NewRequestView');
const RequestView = lazy(() => import('./request.js'), 'RequestView');
const BoardView = lazy(() => import('./board.js'), 'BoardView');
const QueueView = lazy(() => import('./queue.js'), 'QueueView');
const ReportsView = lazy(() => import('./reports.js'), 'ReportsView');

const mayFile = () => can('service_requests', 'create');
const mayDispatch = () => can('service_requests', 'assign');
const mayWork = () => can('work_orders', 'read') && can('work_orders', 'accept');
const mayReport = () => can('service_requests', 'export') || can('service_events', 'read');

// #/servicedesk/requests/12 → the request's page at its collection address.
const RequestAlias = defineComponent({
  name: 'RequestAlias',
  props: { params: Object },
  setup(props) {
    onMounted(() => replace('/c/service_requests/' + props.params.id));
    return () => null;
  },
});

registerCollectionView('service_requests', 'detail', RequestView);
// #/c/service_requests/new is the report page; editing keeps the generic form
registerCollectionView('service_requests', 'new', NewRequestView);

registerRoute('/servicedesk/requests/:id', RequestAlias);
registerPage('servicedesk', '/servicedesk/new', NewRequestView, { zh: '报修/提需求', en: 'Report a problem', menu: { test: 'nav-sd-new', show: mayFile, first: true } });
registerPage('servicedesk', '/servicedesk/board', BoardView, { zh: '调度台', en: 'Dispatch board', menu: { test: 'nav-sd-board', show: mayDispatch, first: true } });
registerPage('servicedesk', '/servicedesk/queue', QueueView, { zh: '我的工单', en: 'My work orders', menu: { test: 'nav-sd-queue', show: mayWork, first: true } });
registerPage('servicedesk', '/servicedesk/reports', ReportsView, { zh: '统计分析', en: 'Reports', menu: { test: 'nav-sd-reports', show: mayReport } });

registerHomeLink({ path: '/servicedesk/new', zh: '报修/提需求', en: 'Report a problem', icon: EditPen, test: 'home-sd-new', show: mayFile });
registerHomeLink({ path: '/c/service_requests', zh: '我的服务请求', en: 'My requests', icon: List, test: 'home-sd-mine', show: () => mayFile() && !mayDispatch() });
registerHomeLink({ path: '/servicedesk/board', zh: '调度台', en: 'Dispatch board', icon: Grid, test: 'home-sd-board', show: mayDispatch });
registerHomeLink({ path: '/servicedesk/queue', zh: '我的工单', en: 'My work orders', icon: List, test: 'home-sd-queue', show: mayWork });
registerHomeLink({ path: '/servicedesk/reports', zh: '统计分析', en: 'Reports', icon: DataAnalysis, test: 'home-sd-reports', show: mayReport });
