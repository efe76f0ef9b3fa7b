// needs.js — the needs grid (issue 12 part 6) on the territory page and the
// firm page: for each need (skills and recruitment, land and premises, …)
// the latest level your organisation and its workspaces set, with its note,
// author and date; a form to set one (officers); the history of every level
// set. Notes are put in the page as text (textContent), never as markup.

import { api, enc } from './api.js';
import { t, fmtDate, colon, getLang } from './i18n.js';
import { h } from './dom.js';

const LEVELS = ['none', 'low', 'medium', 'high', 'critical'];
const label = (n) => (getLang() === 'en' ? n.label_en : n.label_fr);
const levelTag = (level) => (level
  ? h('span', { class: `need-level need-${level}` }, t('need_level_' + level))
  : h('span', { class: 'need-level need-unset' }, t('need_unset')));

// kind: 'territory' (code) or 'firm' (siret).
export function needsSection(kind, code, { signal, errorBox, loadingBox }) {
  const path = (kind === 'firm' ? '/establishments/' : '/territories/') + enc(code) + '/needs';
  const body = h('div', { id: 'needs-body' }, loadingBox());
  const live = h('p', { class: 'needs-live', 'aria-live': 'polite' });
  const needSel = h('select', { id: 'need-need', name: 'need' });
  const levelSel = h('select', { id: 'need-level', name: 'level' },
    LEVELS.map((l) => h('option', { value: l }, t('need_level_' + l))));
  const note = h('textarea', { id: 'need-note', name: 'note', rows: '2', maxlength: '4000' });
  const submit = h('button', { type: 'submit' }, t('need_save'));
  const form = h('form', { class: 'needs-form', id: 'needs-form' },
    h('p', {}, h('label', { for: 'need-need' }, t('need_need')), ' ', needSel, ' ',
      h('label', { for: 'need-level' }, t('need_level')), ' ', levelSel),
    h('p', {}, h('label', { for: 'need-note' }, t('need_note')), h('br'), note),
    h('p', {}, submit));
  const section = h('section', { class: 'needs', id: 'needs', 'aria-labelledby': 'needs-title' },
    h('h2', { id: 'needs-title' }, t(kind === 'firm' ? 'needs_title_firm' : 'needs_title')),
    h('p', { class: 'small' }, t('needs_intro')), body, form, live);

  const render = (g) => {
    if (!needSel.options.length)
      needSel.append(...g.needs.map((n) => h('option', { value: n.need }, label(n))));
    const rows = g.needs.map((n) => h('tr', { 'data-need': n.need },
      h('th', { scope: 'row' }, label(n)), h('td', {}, levelTag(n.level)),
      h('td', { class: 'need-note' }, n.note || ''),
      h('td', { class: 'small' }, n.level ? `${n.author || ''} · ${fmtDate(n.created)}` : '')));
    const history = g.history.length
      ? h('details', { class: 'needs-history' }, h('summary', {}, t('needs_history', { n: g.history.length })),
        h('ol', {}, g.history.map((x) => h('li', {}, `${fmtDate(x.created)} · ${label(x)} · `, levelTag(x.level),
          ` · ${x.author || ''}`, x.note ? h('div', { class: 'need-note' }, x.note) : null))))
      : null;
    body.replaceChildren(h('div', { class: 'table-wrap' }, h('table', { class: 'data needs-grid', id: 'needs-grid' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('need_need')), h('th', { scope: 'col' }, t('need_level')),
        h('th', { scope: 'col' }, t('need_note')), h('th', { scope: 'col' }, t('need_by')))),
      h('tbody', {}, rows))), ...(history ? [history] : [])); // (replaceChildren writes null as "null")
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    submit.disabled = true;
    try {
      const g = await api(path, { method: 'POST', body: { need: needSel.value, level: levelSel.value, note: note.value || undefined }, signal });
      note.value = '';
      render(g);
      live.textContent = t('need_saved');
    } catch (err) {
      if (err.name !== 'AbortError') live.textContent = `${colon(t('error'))} ${err.message}`;
    } finally {
      submit.disabled = false;
    }
  });

  (async () => {
    try { render(await api(path, { signal })); } catch (e) {
      if (e.name !== 'AbortError') body.replaceChildren(errorBox(e));
    }
  })();
  return section;
}
