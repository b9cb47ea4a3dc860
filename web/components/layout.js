// The page frame: sidebar of modules and collections, header with
// breadcrumbs, language switch and user menu, and the main area.
import { defineComponent, h, ref, computed } from 'vue';
import {
  ElMenu, ElMenuItem, ElSubMenu, ElBreadcrumb, ElBreadcrumbItem, ElButton, ElDropdown,
  ElDropdownMenu, ElDropdownItem, ElDrawer, ElIcon,
} from 'element-plus';
import { HomeFilled, Menu as MenuIcon, User, ArrowDown } from '@element-plus/icons-vue';
import { t, label, locale } from '../lib/i18n.js';
import { route, go, href, match } from '../lib/router.js';
import { state, modules, collection, can, signOut, changeLocale, moduleOf } from '../lib/session.js';
import { menuItems, customRoutes } from '../lib/registry.js';
import { NotificationBell } from './bell.js';

// Phone-width layout (sidebar in a drawer, one-column forms).
const query = window.matchMedia('(max-width: 768px)');
export const phone = ref(query.matches);
query.addEventListener('change', (e) => { phone.value = e.matches; });

export const LangSwitch = defineComponent({
  name: 'LangSwitch',
  setup() {
    return () => h(ElButton, {
      class: 'lang-switch',
      'data-test': 'lang-switch',
      lang: locale.value === 'en' ? 'zh-CN' : 'en',
      title: t('lang.switch'),
      onClick: () => changeLocale(locale.value === 'en' ? 'zh-CN' : 'en'),
    }, () => (locale.value === 'en' ? '中文' : 'English'));
  },
});

function activeIndex() {
  const p = route.parts;
  if (p[0] === 'c' && p[1]) return '/c/' + p[1];
  return route.path;
}

const SideMenu = defineComponent({
  name: 'SideMenu',
  emits: ['navigate'],
  setup(_, { emit }) {
    const groups = computed(() => modules().map((m) => ({
      m,
      colls: m.collections.filter((c) => collection(c) && can(c, 'read')),
      extra: menuItems(m.name),
    })).filter((g) => g.colls.length || g.extra.length));
    const extraItem = (x) => h(ElMenuItem, { index: x.path, 'data-test': x.test || 'nav-' + x.path }, () => label(x));
    function select(index) {
      emit('navigate');
      go(index);
    }
    return () => h(ElMenu, {
      defaultActive: activeIndex(),
      defaultOpeneds: groups.value.map((g) => 'm:' + g.m.name),
      onSelect: select,
      class: 'side-menu',
    }, () => [
      h(ElMenuItem, { index: '/', 'data-test': 'nav-home' }, () => [h(ElIcon, () => h(HomeFilled)), h('span', t('nav.home'))]),
      ...groups.value.map((g) => h(ElSubMenu, { index: 'm:' + g.m.name, 'data-test': 'nav-module-' + g.m.name }, {
        title: () => h('span', label(g.m)),
        default: () => [
          ...g.extra.filter((x) => x.first).map(extraItem),
          ...g.colls.map((c) => h(ElMenuItem, { index: '/c/' + c, 'data-test': 'nav-' + c }, () => label(collection(c)))),
          ...g.extra.filter((x) => !x.first).map(extraItem),
        ],
      })),
    ]);
  },
});

function crumbs() {
  const p = route.parts;
  const list = [{ text: t('nav.home'), to: '/' }];
  if (p[0] === 'password') list.push({ text: t('password.title') });
  // a module's own page: its module and its title (registerRoute's extra {module, zh, en})
  const own = customRoutes().find((r) => r.zh && match(r.pattern));
  if (own) {
    const mod = modules().find((m) => m.name === own.module);
    if (mod) list.push({ text: label(mod) });
    list.push({ text: label(own) });
  }
  if (p[0] === 'c' && p[1]) {
    const coll = collection(p[1]);
    const mod = moduleOf(p[1]);
    if (mod) list.push({ text: label(mod) });
    list.push({ text: label(coll), to: p.length > 2 ? '/c/' + p[1] : null });
    if (p[2] === 'new') list.push({ text: t('form.createTitle') });
    else if (p[2]) {
      list.push({ text: state.crumb || '#' + p[2], to: p[3] ? `/c/${p[1]}/${p[2]}` : null });
      if (p[3] === 'edit') list.push({ text: t('common.edit') });
    }
  }
  return list;
}

export const Layout = defineComponent({
  name: 'Layout',
  setup(_, { slots }) {
    const drawer = ref(false);

    async function command(cmd) {
      if (cmd === 'password') go('/password');
      else if (cmd === 'zh-CN' || cmd === 'en') await changeLocale(cmd);
      else if (cmd === 'logout') {
        await signOut();
        go('/login');
      }
    }

    const userName = computed(() => (state.user && (state.user.display_name || state.user.username)) || '');

    function header() {
      return h('header', { class: 'app-header' }, [
        phone.value ? h(ElButton, {
          class: 'menu-toggle', 'data-test': 'menu-toggle', 'aria-label': t('nav.openMenu'),
          icon: MenuIcon, onClick: () => { drawer.value = true; },
        }) : null,
        h(ElBreadcrumb, { class: 'crumbs', separator: '/', 'aria-label': t('nav.breadcrumb'), 'data-test': 'breadcrumbs' },
          () => crumbs().map((c) => h(ElBreadcrumbItem, null,
            () => (c.to ? h('a', { href: href(c.to) }, c.text) : h('span', c.text))))),
        h('div', { class: 'header-tools' }, [
          h(NotificationBell),
          h(LangSwitch),
          h(ElDropdown, { trigger: 'click', onCommand: command }, {
            default: () => h(ElButton, { class: 'user-menu', 'data-test': 'user-menu', 'aria-label': `${userName.value} · ${t('nav.userMenu')}` }, () => [
              h(ElIcon, () => h(User)), h('span', { class: 'user-name' }, userName.value), h(ElIcon, { class: 'el-icon--right' }, () => h(ArrowDown)),
            ]),
            dropdown: () => h(ElDropdownMenu, null, () => [
              h(ElDropdownItem, { command: 'password', 'data-test': 'menu-password' }, () => t('password.title')),
              h(ElDropdownItem, { command: 'zh-CN', divided: true, 'data-test': 'lang-zh-CN', disabled: locale.value === 'zh-CN' }, () => '中文'),
              h(ElDropdownItem, { command: 'en', 'data-test': 'lang-en', disabled: locale.value === 'en' }, () => 'English'),
              h(ElDropdownItem, { command: 'logout', divided: true, 'data-test': 'logout' }, () => t('nav.logout')),
            ]),
          }),
        ]),
      ]);
    }

    function brand() {
      return h('a', { class: 'brand', href: '#/' }, [
        h('img', { src: '/favicon.svg', alt: '', width: 28, height: 28 }),
        h('span', t('app.name')),
      ]);
    }

    return () => h('div', { class: ['app-shell', phone.value ? 'is-phone' : ''] }, [
      h('a', { class: 'skip-link', href: '#main', onClick: (e) => { e.preventDefault(); document.getElementById('main')?.focus(); } }, t('nav.skip')),
      phone.value ? null : h('aside', { class: 'app-aside' }, [
        brand(),
        h('nav', { 'aria-label': t('nav.label'), 'data-test': 'sidebar' }, h(SideMenu)),
      ]),
      phone.value ? h(ElDrawer, {
        modelValue: drawer.value, 'onUpdate:modelValue': (v) => { drawer.value = v; },
        direction: 'ltr', size: '80%', title: t('app.name'), class: 'nav-drawer',
      }, () => h('nav', { 'aria-label': t('nav.label'), 'data-test': 'sidebar' }, h(SideMenu, { onNavigate: () => { drawer.value = false; } }))) : null,
      h('div', { class: 'app-body' }, [
        header(),
        h('main', { id: 'main', class: 'app-main', tabindex: '-1' }, slots.default && slots.default()),
      ]),
    ]);
  },
});
