// Fixed assets pages: the register (filters by department tree, class,
// status and search, the net value of each row, rows selected for a bulk
// edit or a label sheet), the asset page (the detail view of assets: its
// facts, depreciation schedule chart and label), the depreciation reports
// with their charts and XLSX, the label sheet, the import page (CSV or XLSX
// read in the browser) and "my assets" for staff on a phone. The pages are
// fetched when first shown. The stocktake and pool pages register
// themselves in their own files, each imported here with one line.
import { Box, DataAnalysis, Suitcase } from '@element-plus/icons-vue';
import { can } from '../../lib/session.js';
import { registerPage, registerCollectionView, registerHomeLink, lazyView as lazy } from '../../lib/registry.js';
import './stocktake.js';
import { registerPoolPages } from './pool.js';
import { registerDisposalPages } from './disposals.js';
import { registerTransferPages } from './transfers.js';

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

registerPoolPages();
registerDisposalPages();
registerTransferPages();
