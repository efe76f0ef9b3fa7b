// account.js — accounts in the web UI: who is signed in (and the CSRF token
// every change sends), the header's sign-in / account links, and the pages
// #/login, #/account (password, sessions, API tokens), #/org (members,
// invitations) and #/invite/TOKEN (accept an invitation). Plain DOM.

import { api, setCsrf, ApiError } from './api.js';
import { t, fmtDate, colon } from './i18n.js';
import { h } from './dom.js';

export const ACCOUNT_PAGES = ['login', 'account', 'org', 'invite'];

let session = null; // GET /api/v1/session

export function currentSession() { return session; }

export async function initAccount() {
  try {
    session = await api('/session');
    setCsrf(session.csrf);
  } catch (_) {
    session = null; // the pages say what failed
  }
  renderAccountNav();
}

// The header: "Se connecter", or the account's name, its organisation and "Se déconnecter".
export function renderAccountNav() {
  const nav = document.getElementById('account-nav');
  if (!nav) return;
  nav.replaceChildren();
  if (!session || !session.accounts) return;
  if (!session.signed_in) {
    nav.append(h('a', { href: '#/login', id: 'nav-login' }, t('acc_sign_in')));
    return;
  }
  const u = session.user;
  nav.append(...[
    h('a', { href: '#/account', id: 'nav-account', title: t('acc_my_account') }, u.name || u.email),
    u.organisation.name ? h('a', { href: '#/org', id: 'nav-org' }, u.organisation.name) : null,
    h('button', { type: 'button', class: 'link-button', id: 'nav-logout', onclick: logout }, t('acc_sign_out'))].filter(Boolean));
}

async function logout() {
  try { await api('/session', { method: 'DELETE' }); } catch (_) { /* ended anyway below */ }
  await initAccount();
  location.hash = '#/login';
}

// A message for a failed call, in the page's language.
function problemText(e) {
  if (!(e instanceof ApiError)) return String(e && e.message ? e.message : e);
  if (e.status === 0) return t('error_network');
  if (e.code === 'too_many_requests') return t('acc_throttled', { seconds: e.retryAfter || 60 });
  const k = 'err_' + e.code;
  return e.code && t(k) !== k ? t(k) : (e.detail || t('err_status', { status: e.status }));
}

function field(id, label, attrs) {
  return h('p', { class: 'field' }, h('label', { for: id }, label), h('input', { id, name: id, ...attrs }));
}

function status() { return h('p', { class: 'form-status', role: 'status', 'aria-live': 'polite' }); }

function card(title, id, ...children) {
  const hid = id + '-title';
  return h('section', { class: 'card', id, 'aria-labelledby': hid }, h('h2', { id: hid }, title), ...children);
}

export function accountPage(route, main, signal) {
  switch (route.page) {
    case 'login': return loginPage(main);
    case 'invite': return invitePage(main, route.arg);
    case 'account': return accountDetails(main, signal);
    case 'org': return orgPage(main, signal);
  }
  return null;
}

// ------------------------------------------------------------------ login

function loginPage(main) {
  document.title = t('acc_sign_in') + ' — maillage';
  const msg = status();
  const form = h('form', { id: 'login-form', class: 'account-form', novalidate: true },
    field('login-email', t('acc_email'), { type: 'email', autocomplete: 'username', required: true }),
    field('login-password', t('acc_password'), { type: 'password', autocomplete: 'current-password', required: true }),
    h('p', {}, h('button', { type: 'submit', id: 'login-submit' }, t('acc_sign_in'))), msg);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    msg.textContent = '';
    try {
      session = await api('/session', { method: 'POST', body: { email: form.querySelector('#login-email').value, password: form.querySelector('#login-password').value } });
      setCsrf(session.csrf);
      renderAccountNav();
      location.hash = '#/search';
    } catch (e) {
      msg.textContent = e instanceof ApiError && e.code === 'authentication_failed' ? t('acc_wrong') : problemText(e);
      msg.className = 'form-status error';
      form.querySelector('#login-password').value = '';
    }
  });
  // (Element.append writes null as the text "null": only nodes go in.)
  main.append(...[h('h1', {}, t('acc_sign_in')),
    session && session.signed_in ? h('p', {}, t('acc_signed_in_as', { email: session.user.email })) : null,
    form, h('p', { class: 'small' }, t('acc_login_help'))].filter(Boolean));
  form.querySelector('#login-email').focus();
}

// ------------------------------------------------------------------ invitation

function invitePage(main, token) {
  document.title = t('acc_invite_title') + ' — maillage';
  const msg = status();
  const form = h('form', { id: 'invite-form', class: 'account-form' },
    field('invite-email', t('acc_email'), { type: 'email', autocomplete: 'username', required: true }),
    field('invite-name', t('acc_name'), { type: 'text', autocomplete: 'name', maxlength: '200' }),
    field('invite-password', t('acc_new_password'), { type: 'password', autocomplete: 'new-password', minlength: '8', required: true }),
    h('p', {}, h('button', { type: 'submit' }, t('acc_invite_accept'))), msg);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      session = await api('/invites/accept', { method: 'POST', body: {
        token, email: form.querySelector('#invite-email').value,
        name: form.querySelector('#invite-name').value || undefined,
        password: form.querySelector('#invite-password').value } });
      setCsrf(session.csrf);
      renderAccountNav();
      location.hash = '#/search';
    } catch (e) {
      msg.textContent = e instanceof ApiError && e.code === 'not_found' ? t('acc_invite_gone') : problemText(e);
      msg.className = 'form-status error';
    }
  });
  main.append(h('h1', {}, t('acc_invite_title')), h('p', {}, t('acc_invite_intro')), form);
}

// ------------------------------------------------------------------ one's account

function needsSignIn(main) {
  if (session && session.signed_in) return false;
  main.append(h('h1', {}, t('acc_my_account')), h('p', {}, t('acc_need_sign_in'), ' ', h('a', { href: '#/login' }, t('acc_sign_in'))));
  return true;
}

async function accountDetails(main, signal) {
  document.title = t('acc_my_account') + ' — maillage';
  if (needsSignIn(main)) return;
  let a;
  try { a = await api('/account', { signal }); } catch (e) {
    if (e.name !== 'AbortError') main.append(h('p', { class: 'error', role: 'alert' }, problemText(e)));
    return;
  }
  main.append(h('h1', {}, t('acc_my_account')),
    card(t('acc_identity'), 'acc-identity',
      h('dl', {}, h('dt', {}, t('acc_email')), h('dd', { id: 'acc-email' }, a.email),
        h('dt', {}, t('acc_organisations')),
        h('dd', {}, a.organisations.map((o) => `${o.name} (${t('role_' + o.role)})`).join(', ') || t('none')))),
    passwordCard(), sessionsCard(a), tokensCard(a));
}

function passwordCard() {
  const msg = status();
  const form = h('form', { id: 'password-form', class: 'account-form' },
    field('pw-current', t('acc_current_password'), { type: 'password', autocomplete: 'current-password', required: true }),
    field('pw-new', t('acc_new_password'), { type: 'password', autocomplete: 'new-password', minlength: '8', required: true }),
    h('p', {}, h('button', { type: 'submit' }, t('acc_change_password'))), msg);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await api('/account/password', { method: 'POST', body: { current: form.querySelector('#pw-current').value, password: form.querySelector('#pw-new').value } });
      msg.textContent = t('acc_password_changed');
      msg.className = 'form-status ok';
      form.reset();
    } catch (e) {
      msg.textContent = e instanceof ApiError && e.parameter === 'current' ? t('acc_wrong_current') : problemText(e);
      msg.className = 'form-status error';
    }
  });
  return card(t('acc_change_password'), 'acc-password', form);
}

function sessionsCard(a) {
  const rows = a.sessions.map((s) => h('tr', {},
    h('td', {}, fmtDate(s.created)), h('td', {}, fmtDate(s.seen)), h('td', {}, s.address || t('none')),
    h('td', {}, s.current ? t('acc_this_session') : '')));
  const everywhere = h('button', { type: 'button', id: 'logout-everywhere', onclick: async () => {
    try { await api('/sessions', { method: 'DELETE' }); } catch (_) { /* ended below */ }
    await initAccount();
    location.hash = '#/login';
  } }, t('acc_sign_out_everywhere'));
  return card(t('acc_sessions'), 'acc-sessions',
    h('table', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('acc_started')), h('th', { scope: 'col' }, t('acc_last_seen')),
      h('th', { scope: 'col' }, t('acc_address')), h('th', { scope: 'col' }, ''))), h('tbody', {}, rows)),
    h('p', {}, everywhere));
}

function tokensCard(a) {
  const shown = h('div', { id: 'token-shown', role: 'status', 'aria-live': 'polite' });
  const list = h('tbody', {});
  const fill = (tokens) => list.replaceChildren(...tokens.map((k) => h('tr', {},
    h('td', {}, k.name), h('td', {}, t('acc_scope_' + k.scope)), h('td', {}, fmtDate(k.created)),
    h('td', {}, k.revoked ? t('acc_revoked') : h('button', { type: 'button', class: 'small-button undo', onclick: async () => {
      try { await api('/tokens/' + k.id, { method: 'DELETE' }); fill((await api('/account')).tokens); } catch (e) { shown.textContent = problemText(e); }
    } }, t('acc_revoke'))))));
  fill(a.tokens);
  const scope = h('select', { id: 'token-scope' }, h('option', { value: 'read' }, t('acc_scope_read')), h('option', { value: 'write' }, t('acc_scope_write')));
  const form = h('form', { id: 'token-form', class: 'inline-form' },
    field('token-name', t('acc_token_name'), { type: 'text', maxlength: '100', required: true }),
    h('p', { class: 'field' }, h('label', { for: 'token-scope' }, t('acc_scope')), scope),
    h('p', { class: 'field field-button' }, h('button', { type: 'submit' }, t('acc_token_create'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const k = await api('/tokens', { method: 'POST', body: { name: form.querySelector('#token-name').value, scope: scope.value } });
      shown.replaceChildren(h('p', {}, t('acc_token_once')), h('code', { id: 'token-value' }, k.token));
      form.reset();
      fill((await api('/account')).tokens);
    } catch (e) { shown.textContent = problemText(e); }
  });
  return card(t('acc_tokens'), 'acc-tokens', h('p', { class: 'small' }, t('acc_tokens_help')), form, shown,
    h('table', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('acc_token_name')), h('th', { scope: 'col' }, t('acc_scope')),
      h('th', { scope: 'col' }, t('acc_started')), h('th', { scope: 'col' }, ''))), list));
}

// ------------------------------------------------------------------ organisation

const ROLES = ['guest', 'viewer', 'officer', 'admin'];

async function orgPage(main, signal) {
  document.title = t('acc_org') + ' — maillage';
  if (needsSignIn(main)) return;
  let o;
  try { o = await api('/org', { signal }); } catch (e) {
    if (e.name !== 'AbortError') main.append(h('h1', {}, t('acc_org')), h('p', { class: 'error', role: 'alert' }, problemText(e)));
    return;
  }
  const admin = o.role === 'admin';
  const msg = status();
  const roleCell = (m) => {
    if (!admin || m.id === session.user.id) return t('role_' + m.role);
    const sel = h('select', { 'aria-label': t('acc_role_of', { email: m.email }) },
      ...ROLES.map((r) => h('option', { value: r, selected: r === m.role }, t('role_' + r))),
      h('option', { value: 'none' }, t('acc_remove')));
    sel.addEventListener('change', async () => {
      try {
        await api('/org/members/' + m.id, { method: 'POST', body: { role: sel.value } });
        msg.textContent = t('acc_member_changed', { email: m.email });
        msg.className = 'form-status ok';
      } catch (e) { msg.textContent = problemText(e); msg.className = 'form-status error'; }
    });
    return sel;
  };
  const members = h('table', { id: 'members' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('acc_email')), h('th', { scope: 'col' }, t('acc_name')), h('th', { scope: 'col' }, t('acc_role')))),
    h('tbody', {}, o.members.map((m) => h('tr', {}, h('td', {}, m.email), h('td', {}, m.name || t('none')),
      h('td', {}, roleCell(m), m.disabled ? ' ' + t('acc_disabled') : '')))));
  main.append(...[h('h1', {}, colon(t('acc_org')) + ' ' + o.name),
    card(t('acc_members'), 'org-members', members, msg),
    admin ? inviteCard(o) : null].filter(Boolean));
}

function inviteCard(o) {
  const out = h('div', { id: 'invite-shown', role: 'status', 'aria-live': 'polite' });
  const role = h('select', { id: 'invite-role' }, ...ROLES.map((r) => h('option', { value: r, selected: r === 'viewer' }, t('role_' + r))));
  const form = h('form', { id: 'invite-create', class: 'inline-form' },
    h('p', { class: 'field' }, h('label', { for: 'invite-role' }, t('acc_role')), role),
    field('invite-for', t('acc_invite_for'), { type: 'email' }),
    h('p', { class: 'field field-button' }, h('button', { type: 'submit' }, t('acc_invite_make'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const inv = await api('/org/invites', { method: 'POST', body: { role: role.value, email: form.querySelector('#invite-for').value || undefined } });
      const link = h('input', { id: 'invite-link', type: 'text', readonly: true, value: inv.link, size: '60', 'aria-label': t('acc_invite_link') });
      out.replaceChildren(h('p', {}, inv.mailed ? t('acc_invite_mailed') : t('acc_invite_copy', { date: fmtDate(inv.expires) })), link,
        h('button', { type: 'button', class: 'small-button', onclick: () => { link.select(); navigator.clipboard?.writeText(inv.link).catch(() => {}); } }, t('acc_copy')));
    } catch (e) { out.textContent = problemText(e); }
  });
  const pending = o.invitations.map((i) => h('li', {}, `${t('role_' + i.role)}${i.email ? ' — ' + i.email : ''} — `,
    i.used ? t('acc_invite_used', { email: i.account || '', date: fmtDate(i.used) }) : t('acc_invite_until', { date: fmtDate(i.expires) })));
  return card(t('acc_invite'), 'org-invite', h('p', { class: 'small' }, t('acc_invite_help')), form, out,
    pending.length ? h('ul', { id: 'invitations' }, pending) : null);
}
