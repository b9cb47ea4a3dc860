// Service centre bookings pages: book (pick a resource, a day and a free
// slot: made for a phone), my bookings (the check-in code, cancel), the
// approval queue and check-in desk of the service centre, and a week grid of
// one resource. The pages are fetched when first shown.
import { Calendar, Tickets, Stamp, Wallet, Camera } from '@element-plus/icons-vue';
import { can } from '../../lib/session.js';
import { registerPage, registerHomeLink, lazyView as lazy } from '../../lib/registry.js';

const BookView = lazy(() => import('./book.js'), 'BookView');
const MineView = lazy(() => import('./book.js'), 'MineView');
const QueueView = lazy(() => import('./book.js'), 'QueueView');
const WeekView = lazy(() => import('./book.js'), 'WeekView');
const WalletView = lazy(() => import('./vouchers.js'), 'WalletView');
const ScanView = lazy(() => import('./vouchers.js'), 'ScanView');
const VoucherStatsView = lazy(() => import('./vouchers.js'), 'StatsView');
const CalendarView = lazy(() => import('./calendar.js'), 'CalendarView');

const mayBook = () => can('bookings', 'create');
const mayApprove = () => can('bookings', 'approve');
const mayRead = () => can('resources', 'read');

registerPage('booking', '/booking', BookView, { zh: '预约', en: 'Book', menu: { test: 'nav-bk-book', show: mayBook, first: true } });
registerPage('booking', '/booking/mine', MineView, { zh: '我的预约', en: 'My bookings', menu: { test: 'nav-bk-mine', show: mayBook, first: true } });
registerPage('booking', '/booking/queue', QueueView, { zh: '预约审批', en: 'Booking approvals', menu: { test: 'nav-bk-queue', show: mayApprove, first: true } });
registerPage('booking', '/booking/week', WeekView, { zh: '周视图', en: 'Week view', menu: { test: 'nav-bk-week', show: mayRead } });
registerPage('booking', '/booking/calendar', CalendarView, { zh: '预约日历', en: 'Booking calendar', menu: { test: 'nav-bk-calendar', show: mayRead } });

registerHomeLink({ path: '/booking', zh: '场地预约', en: 'Book a room or court', icon: Calendar, test: 'home-bk-book', show: mayBook });
registerHomeLink({ path: '/booking/mine', zh: '我的预约', en: 'My bookings', icon: Tickets, test: 'home-bk-mine', show: () => mayBook() && !mayApprove() });
registerHomeLink({ path: '/booking/queue', zh: '预约审批', en: 'Booking approvals', icon: Stamp, test: 'home-bk-queue', show: mayApprove });

// the union's vouchers: everyone's wallet; the service point's scanner; the statistics
const mayRedeem = () => can('vouchers', 'redeem');
registerPage('booking', '/booking/vouchers', WalletView, { zh: '我的服务券', en: 'My vouchers', menu: { test: 'nav-bk-wallet', show: mayBook } });
registerPage('booking', '/booking/scan', ScanView, { zh: '扫码核销', en: 'Scan vouchers', menu: { test: 'nav-bk-scan', show: mayRedeem } });
registerPage('booking', '/booking/voucher-stats', VoucherStatsView, { zh: '服务券统计', en: 'Voucher statistics', menu: { test: 'nav-bk-vstats', show: () => can('vouchers', 'export') } });
registerHomeLink({ path: '/booking/vouchers', zh: '我的服务券', en: 'My vouchers', icon: Wallet, test: 'home-bk-wallet', show: () => mayBook() && !mayRedeem() });
registerHomeLink({ path: '/booking/scan', zh: '扫码核销', en: 'Scan vouchers', icon: Camera, test: 'home-bk-scan', show: mayRedeem });
