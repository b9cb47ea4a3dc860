// SPDX-License-Identifier: MIT
// Procurement: the committee's pages (docs/modules/procurement.md),
// fetched when first shown: the expert draw (#/procure/draws: prepare a draw,
// the witnesses' value, the result as counts until publication, the public
// document and its verification after), the expert's own page at a phone's
// width (#/procure/expert: invitations, confirm or decline, the scoring
// sheet per bid and item, signing) and the evaluation summary with the
// ranking and the committee's report (#/procure/evaluation).
import { Tickets, EditPen, Trophy } from '@element-plus/icons-vue';
import { can } from '../../lib/session.js';
import { registerPage, registerHomeLink, lazyView as lazy } from '../../lib/registry.js';

const DrawsView = lazy(() => import('./committee-pages.js'), 'DrawsView');
const ExpertView = lazy(() => import('./committee-pages.js'), 'ExpertView');
const EvaluationView = lazy(() => import('./committee-pages.js'), 'EvaluationView');

const mayDraw = () => can('expert_draws', 'draw');
const mayAnswer = () => can('expert_draw_members', 'confirm') && !mayDraw();
const mayReport = () => can('evaluation_reports', 'read') && !mayAnswer();

registerPage('procure', '/procure/draws', DrawsView, { zh: '专家抽取', en: 'Expert draw', menu: { test: 'nav-pc-draws', show: mayDraw } });
registerPage('procure', '/procure/expert', ExpertView, { zh: '我的评审', en: 'My evaluations', menu: { test: 'nav-pc-expert', show: mayAnswer, first: true } });
registerPage('procure', '/procure/evaluation', EvaluationView, { zh: '评审结果', en: 'Evaluation results', menu: { test: 'nav-pc-evaluation', show: mayReport } });
registerHomeLink({ path: '/procure/draws', zh: '专家抽取', en: 'Expert draw', icon: Tickets, test: 'home-pc-draws', show: mayDraw });
registerHomeLink({ path: '/procure/expert', zh: '我的评审', en: 'My evaluations', icon: EditPen, test: 'home-pc-expert', show: mayAnswer });
registerHomeLink({ path: '/procure/evaluation', zh: '评审结果', en: 'Evaluation results', icon: Trophy, test: 'home-pc-evaluation', show: () => mayReport() && !mayDraw() });
