// Fixed assets pages: the register (filters by department tree, class,
// status and search, the net value of each row, rows selected for a bulk
// edit or a label sheet), the asset page (the detail view of assets: its
// facts, depreciation schedule chart and label), the depreciation reports
// with their charts and XLSX, the label sheet, the import page (CSV or XLSX
// read in the browser) and "my assets" for staff on a phone. The pages are
// fetched when first shown. The stocktake and pool pages register
// themselves in their own files, each imported here with one line.
import { Box, DataAnalysis, Suitcase, Stamp, Timer } from '@element-plus/icons-vue';
import { can } from '../../lib/session.js';
import { registerPage, registerRoute, registerCollectionView, registerHomeLink, lazyView as lazy } from '../../lib/registry.js';
import './stocktake.js';

const RegisterView = lazy(() => import('./register.js'), 'RegisterView');
const AssetView = lazy(() => import('./asset.js'), 'AssetView');
const ReportsView = lazy(() => import('./reports.js'), 'ReportsView');
const LabelsView = lazy(() => import('./labels.js'), 'LabelsView');
const ImportView = lazy(() => import('./import.js'), 'ImportView');
const MineView = lazy(() => import('./mine.js'), 'MineView');

// the register's keeper reads the department's assets; a custodian only their own ("assigned")
const mayManage = () => can('assets', 'update');
const mayImport = () => can('assets', 'import');
const mayReport = () => can('assets', 'export') || can('assets', 'update');
const mayKeep = () => can('assets', 'read');

registerCollectionView('assets', 'detail', AssetView);

registerPage('assets', '/assets', RegisterView, { zh: '资产台账', en: 'Asset register', menu: { test: 'nav-as-register', show: mayManage, first: true } });
registerPage('assets', '/assets/reports', ReportsView, { zh: '折旧报表', en: 'Depreciation reports', menu: { test: 'nav-as-reports', show: mayReport } });
registerPage('assets', '/assets/labels', LabelsView, { zh: '打印标签', en: 'Print labels', menu: { test: 'nav-as-labels', show: mayManage } });
registerPage('assets', '/assets/import', ImportView, { zh: '批量导入', en: 'Bulk import', menu: { test: 'nav-as-import', show: mayImport } });
registerPage('assets', '/assets/mine', MineView, { zh: '我的资产', en: 'My assets', menu: { test: 'nav-as-mine', show: mayKeep, first: true } });

registerHomeLink({ path: '/assets', zh: '资产台账', en: 'Asset register', icon: Box, test: 'home-as-register', show: mayManage });
registerHomeLink({ path: '/assets/reports', zh: '折旧报表', en: 'Depreciation reports', icon: DataAnalysis, test: 'home-as-reports', show: () => mayReport() && !mayManage() });
registerHomeLink({ path: '/assets/mine', zh: '我的资产', en: 'My assets', icon: Suitcase, test: 'home-as-mine', show: () => mayKeep() && !mayManage() });

// the public property pool (公物仓): the gallery, the managers' queue, loans and requests
const PoolView = lazy(() => import('./pool.js'), 'PoolView');
const QueueView = lazy(() => import('./pool.js'), 'QueueView');
const LoansView = lazy(() => import('./pool.js'), 'LoansView');
const mayBrowse = () => can('pool_items', 'read');
const mayApprove = () => can('pool_requests', 'approve');
registerPage('assets', '/assets/pool', PoolView, { zh: '公物仓', en: 'Property pool', menu: { test: 'nav-as-pool', show: mayBrowse, first: true } });
registerPage('assets', '/assets/pool/queue', QueueView, { zh: '公物仓审批', en: 'Pool approvals', menu: { test: 'nav-as-queue', show: mayApprove } });
registerPage('assets', '/assets/pool/loans', LoansView, { zh: '借用与申请', en: 'Loans and requests', menu: { test: 'nav-as-loans', show: () => can('pool_requests', 'read') } });
registerHomeLink({ path: '/assets/pool', zh: '公物仓', en: 'Property pool', icon: Box, test: 'home-as-pool', show: mayBrowse });
registerHomeLink({ path: '/assets/pool/queue', zh: '公物仓审批', en: 'Pool approvals', icon: Stamp, test: 'home-as-queue', show: mayApprove });
registerHomeLink({ path: '/assets/pool/loans', zh: '借用到期', en: 'Loans due', icon: Timer, test: 'home-as-loans', show: () => can('pool_requests', 'create') });

// disposals (a new batch from the register's picked assets, a batch's page) and transfers
registerCollectionView('asset_disposals', 'new', lazy(() => import('./disposals.js'), 'DisposalNewView'));
registerCollectionView('asset_disposals', 'detail', lazy(() => import('./disposals.js'), 'DisposalView'));
registerRoute('/assets/:id/transfers', lazy(() => import('./transfers.js'), 'TransferPage'), { module: 'assets', zh: '调拨履历', en: 'Transfer history' });
