// Sign-in and password change.
import { defineComponent, h, reactive, ref } from 'vue';
import { ElForm, ElFormItem, ElInput, ElButton, ElAlert, ElCard, ElMessage } from 'element-plus';
import { t } from '../lib/i18n.js';
import { route, go, replace } from '../lib/router.js';
import { api, problemText, placeErrors } from '../lib/api.js';
import { state, signIn, loadMeta, loadSession } from '../lib/session.js';
import { LangSwitch } from '../components/layout.js';

function fieldSlot(name) {
  return { error: ({ error }) => h('div', { class: 'el-form-item__error', 'data-test': 'error-' + name }, error) };
}

export const LoginView = defineComponent({
  name: 'LoginView',
  setup() {
    const form = reactive({ username: '', password: '' });
    const errors = reactive({ username: '', password: '' });
    const alert = ref(null); // {title, detail}
    const busy = ref(false);

    async function submit() {
      errors.username = form.username.trim() ? '' : t('srv.required');
      errors.password = form.password ? '' : t('srv.required');
      alert.value = null;
      if (errors.username || errors.password) return;
      busy.value = true;
      const next = route.query.next && !route.query.next.startsWith('/login') ? route.query.next : '/';
      try {
        const user = await signIn(form.username.trim(), form.password);
        form.password = '';
        await loadMeta();
        if (user.must_change_password) replace('/password', { forced: 1, next });
        else replace(next);
      } catch (e) {
        if (e.status === 401) alert.value = { title: problemText(e) };
        else if (e.status === 429) {
          const min = e.retryAfter ? Math.ceil(e.retryAfter / 60) : null;
          alert.value = { title: min ? t('login.lockedFor', { n: min }) : t('login.locked'), detail: problemText(e) };
        } else if (e.status === 422) {
          placeErrors(e, errors, Object.keys(errors));
          alert.value = { title: t('login.refused'), detail: problemText(e) };
        } else alert.value = { title: problemText(e) };
      } finally {
        busy.value = false;
      }
    }

    return () => h('div', { class: 'login-page' }, [
      h('header', { class: 'login-top' }, [h(LangSwitch)]),
      h('main', { class: 'login-main', id: 'main' }, h(ElCard, { class: 'login-card', shadow: 'always' }, () => [
        h('div', { class: 'login-brand' }, [
          h('img', { src: '/favicon.svg', alt: '', width: 40, height: 40 }),
          h('div', [h('h1', t('app.name')), h('p', t('app.org'))]),
        ]),
        h('h2', { class: 'login-title' }, t('login.title')),
        alert.value ? h(ElAlert, {
          type: 'error', showIcon: true, closable: false, title: alert.value.title,
          description: alert.value.detail && alert.value.detail !== alert.value.title ? alert.value.detail : undefined,
          'data-test': 'login-error', role: 'alert', class: 'login-alert',
        }) : null,
        h(ElForm, {
          labelPosition: 'top', size: 'large', 'data-test': 'login-form',
          onSubmit: (e) => { e.preventDefault(); submit(); },
        }, () => [
          h(ElFormItem, { label: t('login.username'), for: 'login-username', error: errors.username, required: true }, {
            default: () => h(ElInput, {
              id: 'login-username', modelValue: form.username, 'onUpdate:modelValue': (v) => { form.username = v; },
              autocomplete: 'username', 'data-test': 'login-username', name: 'username',
            }),
            ...fieldSlot('username'),
          }),
          h(ElFormItem, { label: t('login.password'), for: 'login-password', error: errors.password, required: true }, {
            default: () => h(ElInput, {
              id: 'login-password', type: 'password', showPassword: true, modelValue: form.password,
              'onUpdate:modelValue': (v) => { form.password = v; }, autocomplete: 'current-password',
              'data-test': 'login-password', name: 'password',
            }),
            ...fieldSlot('password'),
          }),
          h(ElButton, {
            type: 'primary', nativeType: 'submit', loading: busy.value, class: 'login-submit', 'data-test': 'login-submit',
          }, () => t('login.submit')),
        ]),
        h('p', { class: 'login-register' }, h('a', { href: '#/procure/register', 'data-test': 'login-register' }, t('pc.register.link'))),
      ])),
    ]);
  },
});

export const PasswordView = defineComponent({
  name: 'PasswordView',
  setup() {
    const form = reactive({ current: '', new: '', confirm: '' });
    const errors = reactive({ current: '', new: '', confirm: '' });
    const alert = ref('');
    const busy = ref(false);
    const forced = !!route.query.forced || (state.user && state.user.must_change_password);

    async function submit() {
      errors.current = form.current ? '' : t('srv.required');
      errors.new = !form.new ? t('srv.required') : [...form.new].length < 10 ? t('srv.minLen', { n: 10 }) : '';
      errors.confirm = form.confirm === form.new ? '' : t('password.mismatch');
      alert.value = '';
      if (errors.current || errors.new || errors.confirm) return;
      busy.value = true;
      try {
        await api('POST', '/session/password', { body: { current: form.current, new: form.new } });
        ElMessage({ type: 'success', message: t('password.done') });
        await loadSession();
        await loadMeta();
        go(route.query.next && route.query.next !== '/password' ? route.query.next : '/');
      } catch (e) {
        if (e.status === 422) {
          placeErrors(e, errors, Object.keys(errors));
          alert.value = errors.current || errors.new ? '' : problemText(e);
        } else if (e.status === 429) alert.value = t('login.locked') + (e.detail ? ' (' + problemText(e) + ')' : '');
        else alert.value = problemText(e);
      } finally {
        busy.value = false;
      }
    }

    const item = (name, labelKey, autocomplete) => h(ElFormItem, {
      label: t(labelKey), for: 'pw-' + name, error: errors[name], required: true,
    }, {
      default: () => h(ElInput, {
        id: 'pw-' + name, type: 'password', showPassword: true, modelValue: form[name],
        'onUpdate:modelValue': (v) => { form[name] = v; }, autocomplete, 'data-test': 'pw-' + name,
      }),
      ...fieldSlot(name),
    });

    return () => h('section', { class: 'page narrow', 'data-test': 'password-page' }, [
      h('h1', { class: 'page-title' }, t('password.title')),
      forced ? h(ElAlert, { type: 'warning', showIcon: true, closable: false, title: t('password.forced'), class: 'mb' }) : null,
      alert.value ? h(ElAlert, { type: 'error', showIcon: true, closable: false, title: alert.value, 'data-test': 'pw-error', class: 'mb' }) : null,
      h(ElForm, { labelPosition: 'top', onSubmit: (e) => { e.preventDefault(); submit(); } }, () => [
        item('current', 'password.current', 'current-password'),
        item('new', 'password.new', 'new-password'),
        item('confirm', 'password.confirm', 'new-password'),
        h('p', { class: 'hint' }, t('password.rules')),
        h(ElButton, { type: 'primary', nativeType: 'submit', loading: busy.value, 'data-test': 'pw-submit' }, () => t('common.save')),
      ]),
    ]);
  },
});
