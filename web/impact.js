// impact.js — two sections of a programme's dashboard (issue 13 parts 6, 7):
// "Impact": the follow-up milestones, the figures recorded at each, the
// follow-ups due and overdue, the indicators per project and for the
// programme (leverage, aid per job, repayment rate, jobs promised and
// realised) and the workbook for the funders; "Pôles": the R&D projects with
// their partners, TRL history and needs, and from TRL 6 the manufacturers
// the engine suggests, each with why. Money comes as cents, shown in euros;
// every text a person wrote goes into the page as text, never as markup.

import { api, enc, ApiError, BASE } from './api.js';
import { t, getLang, fmtDate } from './i18n.js';
import { h } from './dom.js';

const locale = () => (getLang() === 'fr' ? 'fr-FR' : 'en-GB');
const euros = (cents) => (cents === null || cents === undefined ? '—'
  : new Intl.NumberFormat(locale(), { style: 'currency', currency: 'EUR' }).format(Number(cents) / 100));
const num = (x, d = 0) => (x === null || x === undefined ? '—' : new Intl.NumberFormat(locale(), { maximumFractionDigits: d }).format(x));
const pct = (x) => (x === null || x === undefined ? '—' : new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 1 }).format(x));

let uid = 0;
function field(label, control) {
  const id = 'imp-f' + (++uid);
  control.id = id;
  return h('p', { class: 'prog-field' }, h('label', { for: id }, label), ' ', control);
}
const input = (name, attrs = {}) => h('input', { name, ...attrs });

function problem(e) {
  if (e && e.name === 'AbortError') return null;
  return h('p', { class: 'error', role: 'alert' }, e instanceof ApiError ? (e.detail || e.title || t('prog_error')) : t('prog_error'));
}

function formValues(form) {
  const v = {};
  for (const [k, val] of new FormData(form).entries()) if (String(val).trim() !== '') v[k] = String(val).trim();
  return v;
}

// ------------------------------------------------------------------ impact

function totals(rep) {
  const tot = rep.total;
  const rows = [
    ['imp_decided', num(tot.projects_decided)], ['imp_followed', num(tot.projects_followed)],
    ['imp_aid', euros(tot.aid)], ['imp_invested', euros(tot.invested)],
    ['imp_leverage', num(tot.leverage, 2)], ['imp_leverage_planned', num(tot.leverage_planned, 2)],
    ['imp_aid_per_job', euros(tot.aid_per_job)],
    ['imp_jobs_promised', `${num(tot.jobs_promised.created)} + ${num(tot.jobs_promised.kept)}`],
    ['imp_jobs_realised', `${num(tot.jobs_realised.created)} + ${num(tot.jobs_realised.kept)}`],
    ['imp_repay_rate', pct(tot.repayments.rate)],
  ];
  return h('dl', { class: 'imp-totals', id: 'imp-totals' }, rows.flatMap(([k, v]) => [h('dt', {}, t(k)), h('dd', { 'data-key': k }, v)]));
}

function projectsTable(rep) {
  const heads = ['imp_project', 'imp_aid', 'imp_jobs_promised', 'imp_jobs_realised', 'imp_invested', 'imp_leverage', 'imp_aid_per_job', 'imp_repay_rate'];
  const rows = rep.projects.map((p) => h('tr', { 'data-project': p.project },
    h('th', { scope: 'row' }, p.title, h('div', { class: 'small' }, p.firm || p.siret)),
    h('td', { class: 'num' }, euros(p.aid)),
    h('td', { class: 'num' }, `${num(p.jobs_promised.created)} + ${num(p.jobs_promised.kept)}`),
    h('td', { class: 'num' }, p.jobs_realised ? `${num(p.jobs_realised.created)} + ${num(p.jobs_realised.kept)}` : '—'),
    h('td', { class: 'num' }, euros(p.invested)), h('td', { class: 'num' }, num(p.leverage, 2)),
    h('td', { class: 'num' }, euros(p.aid_per_job)), h('td', { class: 'num' }, pct(p.repayments.rate))));
  // Eight columns: on a tablet the table scrolls inside its frame, not the page.
  return h('div', { class: 'table-wrap' }, h('table', { class: 'imp-table', id: 'imp-projects' },
    h('thead', {}, h('tr', {}, heads.map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: heads.length }, t('imp_no_decided'))))));
}

function dueTable(due) {
  const rows = due.followups.map((f) => h('tr', { class: 'imp-' + f.state },
    h('td', {}, f.title), h('td', { class: 'num' }, t('imp_months', { n: f.months })), h('td', {}, fmtDate(f.due)),
    h('td', {}, t('imp_state_' + f.state) + (f.recorded ? ' (' + fmtDate(f.recorded) + ')' : ''))));
  return h('div', {},
    h('p', {}, t('imp_due_counts', { due: due.counts.due, overdue: due.counts.overdue, upcoming: due.counts.upcoming, recorded: due.counts.recorded })),
    rows.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'imp-table', id: 'imp-due' },
      h('thead', {}, h('tr', {}, ['imp_project', 'imp_milestone', 'imp_due_day', 'imp_state'].map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, rows))) : h('p', {}, t('imp_nothing_due')));
}

function impactSection(id, main, signal, day) {
  const box = h('div', {}), dueBox = h('div', {}), status = h('div', { 'aria-live': 'polite' });
  const xlsx = h('a', { download: '', id: 'imp-export' }, t('imp_export'));
  const csv = h('a', { download: '', id: 'imp-export-csv' }, t('imp_export_csv'));
  const msForm = h('form', { class: 'prog-form', id: 'imp-milestones' },
    field(t('imp_milestones'), input('months', { required: true, placeholder: '12,24,36' })),
    h('button', { type: 'submit' }, t('imp_save')));
  const projectSel = h('select', { name: 'project', required: true });
  const monthSel = h('select', { name: 'months', required: true });
  const recStatus = h('div', { 'aria-live': 'polite' });
  const recForm = h('form', { class: 'prog-form', id: 'imp-record' }, h('h3', {}, t('imp_record')),
    field(t('imp_project'), projectSel), field(t('imp_milestone'), monthSel),
    field(t('imp_collected'), input('date', { type: 'date' })),
    field(t('imp_jobs_created'), input('jobs_created', { required: true, inputmode: 'numeric' })),
    field(t('imp_jobs_kept'), input('jobs_kept', { required: true, inputmode: 'numeric' })),
    field(t('imp_invested'), input('invested', { required: true, inputmode: 'decimal' })),
    field(t('prog_note'), input('note', { maxlength: 200 })),
    h('button', { type: 'submit' }, t('imp_save')), recStatus);
  const section = h('section', { class: 'card', id: 'prog-impact-followup' }, h('h2', {}, t('imp_title')), status,
    msForm, box, h('h3', {}, t('imp_due')), dueBox, recForm, h('p', {}, xlsx, ' · ', csv),
    h('p', { class: 'small' }, t('imp_method')));
  main.append(section);
  const load = async () => {
    try {
      const at = enc(day());
      const [rep, due] = await Promise.all([api(`/programmes/${enc(id)}/indicators?at=${at}`, { signal }),
        api(`/programmes/${enc(id)}/followups?at=${at}&all=true`, { signal })]);
      msForm.elements.months.value = rep.milestones.join(',');
      box.replaceChildren(totals(rep), projectsTable(rep));
      dueBox.replaceChildren(dueTable({ ...due, followups: due.followups.filter((f) => f.state !== 'upcoming') }));
      projectSel.replaceChildren(...rep.projects.map((p) => h('option', { value: p.project }, `#${p.project} ${p.title}`)));
      monthSel.replaceChildren(...rep.milestones.map((m) => h('option', { value: m }, t('imp_months', { n: m }))));
      xlsx.href = `${BASE}/programmes/${enc(id)}/impact.xlsx?at=${at}`;
      csv.href = `${BASE}/programmes/${enc(id)}/impact.csv?at=${at}`;
    } catch (e) { if (e.name !== 'AbortError') status.replaceChildren(problem(e) || ''); }
  };
  msForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    status.replaceChildren();
    try { await api(`/programmes/${enc(id)}/milestones`, { method: 'POST', body: formValues(msForm) }); await load(); } catch (e) { status.replaceChildren(problem(e) || ''); }
  });
  recForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    recStatus.replaceChildren();
    const v = formValues(recForm);
    const project = v.project;
    delete v.project;
    try {
      await api(`/projects/${enc(project)}/followups`, { method: 'POST', body: v });
      recStatus.replaceChildren(h('p', {}, t('imp_recorded')));
      await load();
    } catch (e) { recStatus.replaceChildren(problem(e) || ''); }
  });
  return load;
}

// ------------------------------------------------------------------- poles

function poleCard(p, reload) {
  const status = h('div', { 'aria-live': 'polite' }), sugBox = h('div', { class: 'imp-suggestions' });
  const post = async (path, body) => {
    status.replaceChildren();
    try { await api(`/projects/${p.id}/${path}`, { method: 'POST', body }); await reload(); } catch (e) { status.replaceChildren(problem(e) || ''); }
  };
  const partnerForm = h('form', { class: 'prog-form imp-inline' },
    field(t('pole_partner_siret'), input('siret', { pattern: '[0-9]{14}', inputmode: 'numeric' })),
    field(t('pole_partner_name'), input('name', { maxlength: 200 })),
    field(t('pole_role'), input('role', { required: true, maxlength: 200 })),
    h('button', { type: 'submit' }, t('pole_add_partner')));
  partnerForm.addEventListener('submit', (ev) => { ev.preventDefault(); post('partners', formValues(partnerForm)); });
  const trlForm = h('form', { class: 'prog-form imp-inline' },
    field(t('pole_trl'), h('select', { name: 'level' }, [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => h('option', { value: n }, 'TRL ' + n)))),
    field(t('pole_day'), input('date', { type: 'date' })), field(t('prog_note'), input('note', { maxlength: 200 })),
    h('button', { type: 'submit' }, t('pole_add_trl')));
  trlForm.addEventListener('submit', (ev) => { ev.preventDefault(); post('trl', formValues(trlForm)); });
  const needForm = h('form', { class: 'prog-form imp-inline' },
    field(t('pole_need_text'), input('text', { maxlength: 200 })), field(t('pole_need_naf'), input('naf', { placeholder: '25.62A' })),
    h('button', { type: 'submit' }, t('pole_add_need')));
  needForm.addEventListener('submit', (ev) => { ev.preventDefault(); post('needs', formValues(needForm)); });
  const suggest = async () => {
    sugBox.replaceChildren(h('p', { class: 'loading' }, t('loading')));
    try {
      const s = await api(`/projects/${p.id}/suggestions`);
      sugBox.replaceChildren(...[s.note ? h('p', { class: 'small' }, s.note) : null,
        ...s.needs.map((n) => h('div', {}, h('h4', {}, [n.need.text, n.need.naf].filter(Boolean).join(' · ')),
          n.suggestions.length ? h('ul', {}, n.suggestions.map((x) => h('li', {}, h('strong', {}, x.name), ' (' + x.siret + ')',
            h('div', { class: 'small' }, x.why)))) : h('p', {}, t('pole_none_found'))))].filter(Boolean));
    } catch (e) { sugBox.replaceChildren(problem(e) || ''); }
  };
  const trl = p.trl.map((x) => h('li', {}, `TRL ${x.level} — ${fmtDate(x.day)}`, x.note ? ' — ' + x.note : ''));
  return h('article', { class: 'card imp-pole', 'data-project': p.id },
    h('h3', {}, p.title, ' ', h('span', { class: 'small' }, t('prog_type_' + p.type))),
    h('p', {}, t('pole_lead'), ' ', p.lead.name || p.lead.siret),
    h('h4', {}, t('pole_partners')),
    p.partners.length ? h('ul', {}, p.partners.map((x) => h('li', {}, x.name, ' — ', x.role,
      x.siret ? h('span', { class: 'small' }, ' (' + x.siret + ')') : h('span', { class: 'small' }, ' (' + t('pole_kind_' + x.kind) + ')'))))
      : h('p', {}, t('pole_no_partner')),
    h('h4', {}, t('pole_trl_history')),
    trl.length ? h('ol', { class: 'imp-trl' }, trl) : h('p', {}, t('pole_no_trl')),
    p.trl_now ? h('p', {}, t('pole_trl_now', { n: p.trl_now }), p.near_industrial ? ' — ' + t('pole_near') : '') : null,
    h('h4', {}, t('pole_needs')),
    p.needs.length ? h('ul', {}, p.needs.map((x) => h('li', {}, [x.text, x.naf].filter(Boolean).join(' · ')))) : h('p', {}, t('pole_no_need')),
    p.type === 'collaborative_rd' ? partnerForm : null, trlForm, needForm,
    p.near_industrial ? h('p', {}, h('button', { type: 'button', class: 'imp-suggest', onclick: suggest }, t('pole_suggest'))) : null,
    sugBox, status);
}

function polesSection(id, main, signal) {
  const box = h('div', {});
  main.append(h('section', { class: 'card', id: 'prog-poles' }, h('h2', {}, t('pole_title')),
    h('p', { class: 'small' }, t('pole_intro')), box));
  const load = async () => {
    try {
      const list = await api(`/programmes/${enc(id)}/projects`, { signal });
      const rd = list.projects.filter((p) => ['collaborative_rd', 'rd', 'industrialisation'].includes(p.type));
      const views = await Promise.all(rd.map((p) => api(`/projects/${p.id}/pole`, { signal })));
      box.replaceChildren(...(views.length ? views.map((v) => poleCard(v, load)) : [h('p', {}, t('pole_none'))]));
    } catch (e) { if (e.name !== 'AbortError') box.replaceChildren(problem(e) || ''); }
  };
  return load;
}

/** Appends the Impact and Pôles sections to a programme's dashboard;
 * `day()` gives the dashboard's day. Returns a function that reloads them. */
export function impactSections(id, main, signal, day) {
  const a = impactSection(id, main, signal, day), b = polesSection(id, main, signal);
  const load = () => Promise.all([a(), b()]);
  load();
  return load;
}
