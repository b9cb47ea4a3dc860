// Service desk pages: report a problem, the request page (the detail view of
// service_requests), the dispatcher board, the assignee queue and reports.
// The pages are fetched when first shown, so the login page and the
// dashboard do not download them.
import { defineComponent, defineAsyncComponent, h, onMounted } from 'vue';
import { EditPen, Grid, List, DataAnalysis } from '@element-plus/icons-vue';
import { can } from '../../lib/session.js';
import { replace } from '../../lib/router.js';
import { registerRoute, registerCollectionView, registerMenuItem, registerHomeLink } from '../../lib/registry.js';
import { FormView } from '../form.js';

const lazy = (load, name) => defineAsyncComponent(() => load().then((m) => m[name]));
const NewRequestView = lazy(() => import('./new.js'), 'NewRequestView');
const RequestView = lazy(() => import('./request.js'), 'RequestView');
const BoardView = lazy(() => import('./board.js'), 'BoardView');
const QueueView = lazy(() => import('./queue.js'), 'QueueView');
const ReportsView = lazy(() => import('./reports.js'), 'ReportsView');

const mayFile = () => can('service_requests', 'create');
const mayDispatch = () => can('service_requests', 'assign');
const mayWork = () => can('work_orders', 'read') && can('work_orders', 'accept');
const mayReport = () => can('service_requests', 'export') || can('service_events', 'read');

// #/c/service_requests/new is the report page; editing keeps the generic form.
const RequestForm = defineComponent({
  name: 'RequestForm',
  props: { c: String, id: [String, Number] },
  setup(props) {
    return () => (props.id ? h(FormView, { c: props.c, id: props.id }) : h(NewRequestView));
  },
});

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
registerCollectionView('service_requests', 'form', RequestForm);

registerRoute('/servicedesk/new', NewRequestView, { module: 'servicedesk', zh: '报修/提需求', en: 'Report a problem' });
registerRoute('/servicedesk/requests/:id', RequestAlias);
registerRoute('/servicedesk/board', BoardView, { module: 'servicedesk', zh: '调度台', en: 'Dispatch board' });
registerRoute('/servicedesk/queue', QueueView, { module: 'servicedesk', zh: '我的工单', en: 'My work orders' });
registerRoute('/servicedesk/reports', ReportsView, { module: 'servicedesk', zh: '统计分析', en: 'Reports' });

registerMenuItem({ module: 'servicedesk', path: '/servicedesk/new', zh: '报修/提需求', en: 'Report a problem', test: 'nav-sd-new', show: mayFile, first: true });
registerMenuItem({ module: 'servicedesk', path: '/servicedesk/board', zh: '调度台', en: 'Dispatch board', test: 'nav-sd-board', show: mayDispatch, first: true });
registerMenuItem({ module: 'servicedesk', path: '/servicedesk/queue', zh: '我的工单', en: 'My work orders', test: 'nav-sd-queue', show: mayWork, first: true });
registerMenuItem({ module: 'servicedesk', path: '/servicedesk/reports', zh: '统计分析', en: 'Reports', test: 'nav-sd-reports', show: mayReport });

registerHomeLink({ path: '/servicedesk/new', zh: '报修/提需求', en: 'Report a problem', icon: EditPen, test: 'home-sd-new', show: mayFile });
registerHomeLink({ path: '/c/service_requests', zh: '我的服务请求', en: 'My requests', icon: List, test: 'home-sd-mine', show: () => mayFile() && !mayDispatch() });
registerHomeLink({ path: '/servicedesk/board', zh: '调度台', en: 'Dispatch board', icon: Grid, test: 'home-sd-board', show: mayDispatch });
registerHomeLink({ path: '/servicedesk/queue', zh: '我的工单', en: 'My work orders', icon: List, test: 'home-sd-queue', show: mayWork });
registerHomeLink({ path: '/servicedesk/reports', zh: '统计分析', en: 'Reports', icon: DataAnalysis, test: 'home-sd-reports', show: mayReport });
