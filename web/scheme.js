// scheme.js — routing a project to aid schemes (issue 13 part 3), a section
// of the programme page: for a project chosen, the schemes of the catalogue
// it is eligible for (or to check), each condition met, unmet or unknown
// with the server's explanation, a link to the scheme's official page and,
// for an officer, a button that routes the project there. The catalogue is
// labelled as the starting one written by the maillage team, to check on
// each official page. Every text goes in as text.

import { api, enc, ApiError } from './api.js';
import { t } from './i18n.js';
import { h } from './dom.js';

const SAFE_URL = /^https?:\/\//;

/** The schemes of the projects (id, title) in `box`; `canWrite`: an officer routes. */
export function schemeSection(projects, box, signal, canWrite, onChange) {
  const select = h('select', { id: 'scheme-project', 'aria-label': t('scheme_project') },
    h('option', { value: '' }, '—'), projects.map((p) => h('option', { value: String(p.id) }, `#${p.id} ${p.title}`)));
  const out = h('div', { id: 'scheme-list', 'aria-live': 'polite' });
  box.replaceChildren(h('p', { class: 'small scheme-note' }, t('scheme_note')),
    h('p', {}, h('label', { for: 'scheme-project' }, t('scheme_project')), ' ', select), out);
  const load = async () => {
    if (!select.value) { out.replaceChildren(); return; }
    try {
      const e = await api(`/projects/${enc(select.value)}/schemes`, { signal });
      const items = e.schemes.filter((s) => s.verdict !== 'not_eligible').map((s) => {
        const route = canWrite ? h('button', { type: 'button', class: 'scheme-route', 'data-scheme': s.id }, t('scheme_route')) : null;
        if (route) route.addEventListener('click', async () => {
          try {
            await api(`/projects/${enc(select.value)}/routes`, { method: 'POST', body: { scheme: s.id } });
            route.replaceWith(h('span', { class: 'prog-pass' }, t('scheme_routed')));
            if (onChange) await onChange();
          } catch (err) { route.after(h('span', { class: 'error', role: 'alert' }, err instanceof ApiError ? err.detail : t('prog_error'))); }
        });
        return h('li', { class: 'scheme-item', 'data-verdict': s.verdict },
          h('strong', {}, s.title), ' — ', t('scheme_verdict_' + s.verdict), ' ',
          s.url && SAFE_URL.test(s.url) ? h('a', { href: s.url, rel: 'noopener noreferrer', target: '_blank' }, t('scheme_official')) : null, ' ', route,
          h('ul', { class: 'small' }, s.conditions.map((c) => h('li', { class: c.state === 'met' ? 'prog-pass' : c.state === 'unmet' ? 'prog-stale' : '' },
            `${t('scheme_state_' + c.state)} — ${c.explain}`))));
      });
      out.replaceChildren(items.length ? h('ul', { class: 'scheme-items' }, items) : h('p', {}, t('scheme_none')));
    } catch (err) { if (err.name !== 'AbortError') out.replaceChildren(h('p', { class: 'error', role: 'alert' }, err.detail || t('prog_error'))); }
  };
  select.addEventListener('change', load);
}
