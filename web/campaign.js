// campaign.js — a programme's interview campaigns and roadmap (issue 13,
// item 2), a section of the programme's dashboard made to be used on a
// tablet during a visit: the campaign chosen, the engineering budget's
// position, the firms on the list with their planned visits (plan, mark
// declined, open the interview form on the visit), the suggested firms
// with each reason and its data, a firm added by SIRET with a reason or
// removed with one, the campaign's synthesis, and the roadmap's actions
// with the document in PDF and Word. Every text a person wrote is put in
// the page as text, never as markup.

import { api, enc, ApiError, BASE } from './api.js';
import { t, getLang, fmtDate, fmtNum, fmtPct, sizeLabel } from './i18n.js';
import { h } from './dom.js';

let uid = 0;
function field(label, control) {
  const id = 'camp-f' + (++uid);
  control.id = id;
  return h('p', { class: 'prog-field' }, h('label', { for: id }, label), ' ', control);
}
const input = (name, attrs = {}) => h('input', { name, ...attrs });

function problem(e) {
  if (e && e.name === 'AbortError') return null;
  const text = e instanceof ApiError ? (e.detail || e.title || t('prog_error')) : t('prog_error');
  return h('p', { class: 'error', role: 'alert' }, text);
}

function formValues(form) {
  const v = {};
  for (const [k, val] of new FormData(form).entries()) if (String(val).trim() !== '') v[k] = String(val).trim();
  return v;
}

// Tenths of a person-day → "1,5 j" / "1.5 d".
function days(tenths) {
  const n = new Intl.NumberFormat(getLang() === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 1 }).format((Number(tenths) || 0) / 10);
  return t('camp_days', { n });
}

// A suggestion's reason in the page's language, from its figures (the
// server's English sentence when a figure is missing).
function reasonText(r) {
  const v = r.values || {};
  switch (r.code) {
    case 'size': return v.band ? sizeLabel(v.band) : r.text;
    case 'sector':
      if (typeof v.lq === 'number') return t('camp_r_sector_lq', { sector: v.a38, lq: fmtNum(v.lq, 2) }) + (v.lq >= 1.25 ? t('camp_r_specialised') : '');
      if (typeof v.share === 'number') return t('camp_r_sector_share', { sector: v.a38, share: fmtPct(v.share) });
      return r.text;
    case 'growth': return v.year ? t(v.employer ? 'camp_r_growth_employer' : 'camp_r_growth', { year: v.year }) : r.text;
    case 'external_decision': return t('camp_r_external', { category: t(v.category === 'GE' ? 'camp_r_ge' : 'camp_r_eti') });
    case 'territory_dependence': return typeof v.share === 'number' ? t('camp_r_weight', { share: fmtPct(v.share) }) : r.text;
    default: return r.text;
  }
}

// Where a reason comes from, in the page's language.
function reasonSource(r) {
  const v = r.values || {};
  const key = r.code === 'sector' ? (typeof v.lq === 'number' ? 'camp_src_sector_lq' : 'camp_src_sector_share') : 'camp_src_' + r.code;
  const s = t(key);
  return s === key ? r.source : s;
}

const THEMES = ['skills', 'land', 'access', 'ecosystem', 'innovation', 'digital', 'transition', 'finance', 'export'];

/**
 * A form for a project detected during interview `interview` (of `firm`):
 * the project is the interview's firm's and points back to it. `onDone`
 * runs after it is recorded.
 */
export function detectedProjectForm(interview, firm, onDone) {
  const st = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'prog-form camp-detected', id: 'camp-detected-form' },
    h('h3', {}, t('camp_detected_title', { firm: firm || '' })),
    field(t('prog_ptitle'), input('title', { required: true, maxlength: 200 })),
    field(t('prog_type'), h('select', { name: 'type' }, ...['investment', 'rd', 'industrialisation', 'recruitment', 'training', 'export']
      .map((v) => h('option', { value: v }, t('prog_type_' + v))))),
    field(t('prog_cost'), input('cost', { required: true, inputmode: 'decimal' })),
    field(t('prog_jobs_created'), input('jobs_created', { inputmode: 'numeric' })),
    field(t('prog_req_subsidy'), input('requested_subsidy', { inputmode: 'decimal' })),
    field(t('prog_req_advance'), input('requested_advance', { inputmode: 'decimal' })),
    h('button', { type: 'submit' }, t('camp_detected_add')), st);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    st.replaceChildren();
    try {
      const p = await api(`/interviews/${enc(interview)}/projects`, { method: 'POST', body: formValues(form) });
      form.reset();
      st.replaceChildren(h('p', {}, t('camp_detected_added', { title: p.title })));
      await onDone();
    } catch (e) { st.replaceChildren(problem(e) || ''); }
  });
  return form;
}

/**
 * The campaigns section of programme `id`. `openInterview(siret, visit,
 * firm)` fills the page's interview form for a visit and shows it.
 * Returns { el, reload }.
 */
export function campaignSection(id, signal, openInterview) {
  const status = h('div', { 'aria-live': 'polite' });
  const picker = h('select', { name: 'campaign', id: 'camp-picker' });
  const engBox = h('p', { id: 'camp-engineering', class: 'camp-eng' });
  const firmsBox = h('div', { id: 'camp-visits' });
  const suggestBox = h('div', { id: 'camp-suggestions' });
  const synBox = h('div', { id: 'camp-synthesis' });
  const actionsBox = h('div', { id: 'camp-actions' });
  let current = null;
  let campaigns = [];

  // ---- new campaign, budget
  const newStatus = h('div', { 'aria-live': 'polite' });
  const newForm = h('form', { class: 'prog-form camp-new', id: 'camp-new' },
    h('h3', {}, t('camp_new')),
    field(t('camp_name'), input('name', { required: true, maxlength: 200 })),
    field(t('prog_start'), input('start', { type: 'date' })),
    field(t('prog_end'), input('end', { type: 'date' })),
    h('button', { type: 'submit' }, t('camp_create')), newStatus);
  newForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    newStatus.replaceChildren();
    try {
      const c = await api(`/programmes/${enc(id)}/campaigns`, { method: 'POST', body: formValues(newForm) });
      newForm.reset();
      current = c.id;
      await reload();
    } catch (e) { newStatus.replaceChildren(problem(e) || ''); }
  });
  const budgetStatus = h('div', { 'aria-live': 'polite' });
  const budgetForm = h('form', { class: 'prog-form camp-inline', id: 'camp-budget' },
    field(t('camp_budget_days'), input('days', { inputmode: 'decimal', required: true, size: 6 })),
    h('button', { type: 'submit' }, t('camp_budget_set')), budgetStatus);
  budgetForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    budgetStatus.replaceChildren();
    try {
      await api(`/programmes/${enc(id)}/engineering`, { method: 'POST', body: formValues(budgetForm) });
      budgetForm.reset();
      await reload();
    } catch (e) { budgetStatus.replaceChildren(problem(e) || ''); }
  });

  // ---- the list and its visits
  const visitForm = (f) => {
    const st = h('div', { 'aria-live': 'polite' });
    const form = h('form', { class: 'prog-form camp-visit-form' },
      field(t('camp_visit_day'), input('date', { type: 'date', required: true, value: f.visit_day || '' })),
      field(t('camp_visit_time'), input('time', { type: 'time', value: f.visit_time || '' })),
      field(t('camp_consultant'), input('consultant', { maxlength: 200, value: f.consultant || '' })),
      field(t('camp_visit_days'), input('days', { inputmode: 'decimal', size: 4, value: f.tenths ? String(f.tenths / 10) : '1' })),
      h('button', { type: 'submit' }, t('camp_plan')), st);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      st.replaceChildren();
      try {
        await api(`/campaigns/${current}/visits`, { method: 'POST', body: { siret: f.siret, ...formValues(form) } });
        await reload();
      } catch (e) { st.replaceChildren(problem(e) || ''); }
    });
    return form;
  };
  const setStatus = async (f, value, box) => {
    try {
      await api(`/campaigns/${current}/status`, { method: 'POST', body: { siret: f.siret, status: value } });
      await reload();
    } catch (e) { box.replaceChildren(problem(e) || ''); }
  };
  const removeForm = (f) => {
    const st = h('div', { 'aria-live': 'polite' });
    const form = h('form', { class: 'prog-form camp-inline' },
      field(t('camp_reason'), input('reason', { maxlength: 200 })),
      h('button', { type: 'submit', class: 'camp-remove' }, t('camp_remove')), st);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try {
        await api(`/campaigns/${current}/removals`, { method: 'POST', body: { siret: f.siret, ...formValues(form) } });
        await reload();
      } catch (e) { st.replaceChildren(problem(e) || ''); }
    });
    return form;
  };
  const firmCard = (f) => {
    const box = h('div', { 'aria-live': 'polite' });
    const details = h('details', { class: 'camp-more' }, h('summary', {}, t('camp_plan_or_remove')), visitForm(f), removeForm(f));
    return h('li', { class: 'camp-firm', 'data-siret': f.siret, 'data-status': f.status },
      h('div', { class: 'camp-firm-head' },
        h('strong', {}, f.firm || f.siret), ' ', h('span', { class: 'small' }, [f.city, f.siret].filter(Boolean).join(' · ')),
        ' ', h('span', { class: 'camp-status camp-status-' + f.status }, t('camp_status_' + f.status))),
      f.visit_day ? h('div', { class: 'camp-when' }, t('camp_visit_on', {
        day: fmtDate(f.visit_day), time: f.visit_time || '', who: f.consultant || t('camp_nobody'), days: days(f.tenths) })) : null,
      f.note ? h('div', { class: 'small' }, f.note) : null,
      f.source === 'suggested' ? h('div', { class: 'small' }, t('camp_suggested_score', { score: f.score })) : null,
      h('div', { class: 'camp-actions-row' },
        f.status !== 'done' ? h('button', { type: 'button', class: 'camp-interview', onclick: () => openInterview(f.siret, f.id, f.firm) }, t('camp_interview')) : null,
        f.status !== 'done' && f.status !== 'declined' ? h('button', { type: 'button', class: 'camp-declined', onclick: () => setStatus(f, 'declined', box) }, t('camp_declined')) : null),
      f.status !== 'done' ? details : null, box);
  };

  // ---- suggestions
  const showSuggestions = async () => {
    suggestBox.replaceChildren(h('p', { class: 'loading' }, t('loading')));
    try {
      const s = await api(`/campaigns/${current}/suggestions?top=30`, { signal });
      const items = s.suggestions.map((x) => h('li', { class: 'camp-suggestion', 'data-siret': x.siret },
        h('div', {}, h('strong', {}, x.firm), ' ', h('span', { class: 'small' }, [x.city, x.siret].filter(Boolean).join(' · ')),
          ' ', h('span', { class: 'camp-score' }, t('camp_score', { score: x.score }))),
        h('ul', { class: 'camp-reasons' }, x.reasons.map((r) => h('li', {}, `+${r.points} `, t('camp_reason_' + r.code), ' — ', reasonText(r),
          ' ', h('span', { class: 'small' }, t('camp_source', { source: reasonSource(r) }))))),
        x.on_list ? h('span', { class: 'small' }, t('camp_on_list', { status: t('camp_status_' + x.on_list) }))
          : h('button', { type: 'button', class: 'camp-add-suggested', onclick: async (ev) => {
            ev.target.disabled = true;
            try {
              await api(`/campaigns/${current}/firms`, { method: 'POST', body: { siret: x.siret, reason: t('camp_reason_suggested', { score: x.score }) } });
              await reload();
              await showSuggestions();
            } catch (e) { suggestBox.prepend(problem(e) || ''); }
          } }, t('camp_add_to_list'))));
      suggestBox.replaceChildren(
        h('p', { class: 'small' }, t('camp_suggest_method', { n: s.considered, territory: s.territory_name })),
        items.length ? h('ol', { class: 'camp-suggestions' }, items) : h('p', {}, t('camp_no_suggestion')));
    } catch (e) { suggestBox.replaceChildren(problem(e) || ''); }
  };
  const addStatus = h('div', { 'aria-live': 'polite' });
  const addForm = h('form', { class: 'prog-form camp-inline', id: 'camp-add-firm' },
    field(t('prog_siret'), input('siret', { required: true, pattern: '[0-9]{14}', inputmode: 'numeric' })),
    field(t('camp_reason'), input('reason', { required: true, maxlength: 200 })),
    h('button', { type: 'submit' }, t('camp_add_to_list')), addStatus);
  addForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    addStatus.replaceChildren();
    try {
      await api(`/campaigns/${current}/firms`, { method: 'POST', body: formValues(addForm) });
      addForm.reset();
      await reload();
    } catch (e) { addStatus.replaceChildren(problem(e) || ''); }
  });

  // ---- roadmap actions
  const actionStatus = h('div', { 'aria-live': 'polite' });
  const actionForm = h('form', { class: 'prog-form', id: 'camp-action-form' },
    h('h3', {}, t('camp_action_new')),
    field(t('camp_action_title'), input('title', { required: true, maxlength: 200 })),
    field(t('camp_action_owner'), input('owner', { maxlength: 200 })),
    field(t('camp_action_due'), input('due', { type: 'date' })),
    field(t('camp_action_need'), h('select', { name: 'need' }, h('option', { value: '' }, '—'),
      THEMES.map((th) => h('option', { value: th }, t('prog_theme_' + th))))),
    field(t('camp_action_project'), input('project', { inputmode: 'numeric', size: 6 })),
    h('button', { type: 'submit' }, t('prog_add')), actionStatus);
  actionForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    actionStatus.replaceChildren();
    const body = formValues(actionForm);
    if (current) body.campaign = String(current);
    try {
      await api(`/programmes/${enc(id)}/actions`, { method: 'POST', body });
      actionForm.reset();
      await loadActions();
    } catch (e) { actionStatus.replaceChildren(problem(e) || ''); }
  });
  const loadActions = async () => {
    const a = await api(`/programmes/${enc(id)}/actions`, { signal });
    const rows = a.actions.map((x) => h('tr', { 'data-action': x.id },
      h('td', {}, x.title), h('td', {}, x.owner || '—'), h('td', {}, x.due ? fmtDate(x.due) : '—'),
      h('td', { class: x.late ? 'prog-stale' : '' }, t('camp_state_' + x.state) + (x.late ? ' · ' + t('camp_late') : '')),
      h('td', {}, x.project ? t('camp_action_for_project', { id: x.project }) : x.need ? t('prog_theme_' + x.need) : '—'),
      h('td', {}, h('button', { type: 'button', class: 'camp-action-toggle', onclick: async () => {
        try {
          await api(`/actions/${x.id}/state`, { method: 'POST', body: { state: x.state === 'done' ? 'open' : 'done' } });
          await loadActions();
        } catch (e) { actionStatus.replaceChildren(problem(e) || ''); }
      } }, x.state === 'done' ? t('camp_reopen') : t('camp_done')))));
    actionsBox.replaceChildren(
      h('table', { class: 'camp-action-table' },
        h('thead', {}, h('tr', {}, ...['camp_action_title', 'camp_action_owner', 'camp_action_due', 'camp_action_state', 'camp_action_link', 'camp_action_do']
          .map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: 6 }, t('camp_no_action'))))),
      h('p', {}, h('a', { href: `${BASE}/programmes/${enc(id)}/roadmap.pdf`, download: '', id: 'camp-roadmap-pdf' }, t('camp_roadmap_pdf')),
        ' · ', h('a', { href: `${BASE}/programmes/${enc(id)}/roadmap.docx`, download: '', id: 'camp-roadmap-docx' }, t('camp_roadmap_docx'))));
  };

  // ---- loading
  const loadCampaign = async () => {
    if (!current) {
      firmsBox.replaceChildren(h('p', {}, t('camp_none')));
      synBox.replaceChildren();
      return;
    }
    const c = await api(`/campaigns/${current}`, { signal });
    const listed = c.firms.map(firmCard);
    firmsBox.replaceChildren(
      h('p', { class: 'small' }, t('camp_counts', { n: c.firms.length, planned: c.counts.planned, done: c.counts.done, declined: c.counts.declined })),
      listed.length ? h('ul', { class: 'camp-firms' }, listed) : h('p', {}, t('camp_empty_list')),
      c.removed.length ? h('details', { class: 'camp-removed' }, h('summary', {}, t('camp_removed', { n: c.removed.length })),
        h('ul', {}, c.removed.map((f) => h('li', {}, (f.firm || f.siret) + (f.note ? ' — ' + f.note : ''))))) : '');
    const syn = await api(`/campaigns/${current}/synthesis`, { signal });
    const strong = THEMES.filter((th) => syn.needs[th].strong).map((th) => `${t('prog_theme_' + th)} (${syn.needs[th].strong})`);
    synBox.replaceChildren(
      h('p', {}, t('prog_synthesis_count', { n: syn.interviews, firms: syn.firms })),
      h('p', {}, t('camp_strong_needs', { list: strong.length ? strong.join(', ') : '—' })),
      h('p', {}, t('camp_projects_found', { n: syn.projects_by_type.reduce((a, x) => a + x.projects, 0) })));
  };
  const reload = async () => {
    try {
      const list = await api(`/programmes/${enc(id)}/campaigns`, { signal });
      campaigns = list.campaigns;
      const e = list.engineering;
      engBox.replaceChildren(t('camp_engineering', { budget: days(e.budget), consumed: days(e.consumed), reserved: days(e.reserved), left: days(e.left) }));
      if (!current && campaigns.length) current = campaigns[campaigns.length - 1].id;
      picker.replaceChildren(...campaigns.map((c) => h('option', { value: String(c.id), selected: c.id === current },
        c.name + (c.start ? ` (${fmtDate(c.start)} – ${c.end ? fmtDate(c.end) : '…'})` : '') + (c.generated ? ' — ' + t('prog_generated') : ''))));
      picker.hidden = !campaigns.length;
      await loadCampaign();
      await loadActions();
    } catch (e) { if (e.name !== 'AbortError') status.replaceChildren(problem(e) || ''); }
  };
  picker.addEventListener('change', async () => { current = Number(picker.value); suggestBox.replaceChildren(); await reload(); });

  const el = h('section', { class: 'card camp', id: 'prog-campaigns' },
    h('h2', {}, t('camp_title')), status,
    field(t('camp_pick'), picker), engBox, budgetForm,
    h('h3', {}, t('camp_visits')), firmsBox,
    h('details', { class: 'camp-add' }, h('summary', {}, t('camp_add_firm')), addForm),
    h('h3', {}, t('camp_suggestions')),
    h('p', {}, h('button', { type: 'button', id: 'camp-suggest', onclick: () => current && showSuggestions() }, t('camp_show_suggestions'))),
    suggestBox,
    h('h3', {}, t('camp_synthesis')), synBox,
    h('h3', {}, t('camp_roadmap')), actionsBox, actionForm,
    h('details', { class: 'camp-add' }, h('summary', {}, t('camp_new')), newForm));
  return { el, reload };
}
