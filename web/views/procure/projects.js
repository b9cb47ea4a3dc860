// SPDX-License-Identifier: MIT
// Procurement, the project's life: where its pages plug in. The projects
// (#/procure/projects), a new project with the method its budget calls for
// shown as it is typed (#/c/procurement_projects/new), a project's page with
// the timeline of its steps and legal dates, its complaints, contract and
// payments (#/c/procurement_projects/:id), and the savings report
// (#/procure/savings). The pages (projects-pages.js) are fetched when first
// shown; the dashboard card is the generic key-figures card.
import { Document, Money } from '@element-plus/icons-vue';
import { can } from '../../lib/session.js';
import { registerPage, registerCollectionView, registerHomeLink, lazyView as lazy } from '../../lib/registry.js';

const ListView = lazy(() => import('./projects-pages.js'), 'ProjectListView');
const NewView = lazy(() => import('./projects-pages.js'), 'ProjectNewView');
const DetailView = lazy(() => import('./projects-pages.js'), 'ProjectView');
const SavingsView = lazy(() => import('./projects-pages.js'), 'SavingsView');

const mayRead = () => can('procurement_projects', 'read');
const maySavings = () => can('contracts', 'read');

registerPage('procure', '/procure/projects', ListView, { zh: '采购项目', en: 'Procurement projects', menu: { test: 'nav-pc-projects', show: mayRead, first: true } });
registerPage('procure', '/procure/savings', SavingsView, { zh: '节约资金', en: 'Savings', menu: { test: 'nav-pc-savings', show: maySavings } });
registerCollectionView('procurement_projects', 'new', NewView);
registerCollectionView('procurement_projects', 'detail', DetailView);

registerHomeLink({ path: '/procure/projects', zh: '采购项目', en: 'Procurement projects', icon: Document, test: 'home-pc-projects', show: mayRead });
registerHomeLink({ path: '/procure/savings', zh: '采购节约资金', en: 'Procurement savings', icon: Money, test: 'home-pc-savings', show: maySavings });
