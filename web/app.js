// bureau web UI: start-up, the session guard and the page table.
import { createApp, defineComponent, h, ref, computed, watch, onMounted } from 'vue';
import { ElConfigProvider, ElMessage, ElResult, ElButton } from 'element-plus';
import zhCn from 'element-plus/locale/zh-cn';
import en from 'element-plus/locale/en';
import { onAuthLost } from './lib/api.js';
import { t, locale, setLocale, storedLocale } from './lib/i18n.js';
import { route, replace, match } from './lib/router.js';
import { state, loadSession, loadMeta, forget, collection } from './lib/session.js';
import { customRoutes, collectionView, lazyView } from './lib/registry.js';
import { Layout } from './components/layout.js';
import { LoginView, PasswordView } from './views/login.js';
import { DashboardView } from './views/dashboard.js';
import { ListView } from './views/list.js';
import { DetailView } from './views/detail.js';
import { FormView } from './views/form.js';
import './views/servicedesk/index.js';
import './views/fleet/index.js';
import './views/space/index.js';
import './views/booking/index.js';
import './views/org/index.js';
import './views/assets/index.js';
import './views/canteen/index.js';
import './views/procure/index.js';

const NotFound = defineComponent({
  name: 'NotFound',
  setup() {
    return () => h(ElResult, { icon: 'warning', title: t('error.notFound'), 'data-test': 'not-found' }, {
      extra: () => h(ElButton, { type: 'primary', onClick: () => { location.hash = '#/'; } }, () => t('nav.home')),
    });
  },
});

// Which page the address names: {component, props}.
function resolve() {
  for (const r of customRoutes()) {
    const params = match(r.pattern);
    if (params) return { component: r.component, props: { params } };
  }
  const p = route.parts;
  if (p.length === 0) return { component: DashboardView, props: {} };
  if (p[0] === 'password' && p.length === 1) return { component: PasswordView, props: {} };
  if (p[0] === 'c' && p.length >= 2 && collection(p[1])) {
    const c = p[1];
    if (p.length === 2) return { component: collectionView(c, 'list') || ListView, props: { c } };
    if (p.length === 3 && p[2] === 'new') return { component: collectionView(c, 'new') || collectionView(c, 'form') || FormView, props: { c, id: null } };
    if (p.length === 3) return { component: collectionView(c, 'detail') || DetailView, props: { c, id: p[2] } };
    if (p.length === 4 && p[3] === 'edit') return { component: collectionView(c, 'form') || FormView, props: { c, id: p[2] } };
  }
  return { component: NotFound, props: {} };
}

// pages answered without signing in (besides the login): a supplier's registration
const publicPages = { '/procure/register': lazyView(() => import('./views/procure/bids-pages.js'), 'RegisterView') };

const Root = defineComponent({
  name: 'BureauRoot',
  setup() {
    const booting = ref(true);
    const bootError = ref(null);

    function guard() {
      if (booting.value) return;
      if (!state.user) {
        if (route.path !== '/login' && !publicPages[route.path]) replace('/login', { next: route.full });
      } else if (state.user.must_change_password) {
        if (route.path !== '/password') replace('/password', { forced: 1, next: route.full === '/login' ? '/' : route.full });
      } else if (route.path === '/login') {
        replace(route.query.next || '/');
      }
    }

    onAuthLost(() => {
      if (!state.user) return;
      forget();
      ElMessage({ type: 'warning', message: t('login.expired') });
      guard();
    });

    async function boot() {
      bootError.value = null;
      try {
        await setLocale(storedLocale() || 'zh-CN');
        const user = await loadSession();
        if (user) await loadMeta();
      } catch (e) {
        bootError.value = e;
        return;
      }
      booting.value = false;
      guard();
    }

    onMounted(boot);
    watch(() => [route.full, state.user, state.user && state.user.must_change_password], guard);

    const epLocale = computed(() => (locale.value === 'en' ? en : zhCn));

    function page() {
      if (bootError.value) {
        return h('main', { class: 'boot' }, h(ElResult, { icon: 'error', title: t('error.network') || 'Network error' }, {
          extra: () => h(ElButton, { type: 'primary', onClick: boot }, () => t('common.retry')),
        }));
      }
      if (booting.value) return h('main', { class: 'boot', 'aria-busy': 'true' }, h('div', { class: 'boot-spinner' }));
      if (!state.user && publicPages[route.path]) return h('main', { class: 'page narrow' }, h(publicPages[route.path]));
      if (route.path === '/login' || !state.user) return h(LoginView);
      if (!state.meta) return h('main', { class: 'boot', 'aria-busy': 'true' });
      const { component, props } = resolve();
      return h(Layout, null, () => h(component, { key: route.path, ...props }));
    }

    return () => h(ElConfigProvider, { locale: epLocale.value }, () => page());
  },
});

export const app = createApp(Root);
app.mount('#app');
