// programme.js — programmes (issue 13): the list of the programmes the
// organisation runs and a form to create one; a programme's dashboard: each
// envelope's position on a day (computed by the server from the ledger), the
// pipeline board (a column per stage), the ledger, a form to add a project
// and one to decide a project's aid (a refusal shows the server's reason);
// the interview campaigns and roadmap (campaign.js) with the interview form.
// Money comes as integer cents and is shown in euros; every text a person
// wrote is put in the page as text (textContent), never as markup.

import { api, enc, ApiError, BASE } from './api.js';
import { t, getLang, fmtDate } from './i18n.js';
import { impactSections } from './impact.js';
import { committeeSection } from './committee.js';
import { schemeSection } from './scheme.js';
import { campaignSection, detectedProjectForm } from './campaign.js';
import { h } from './dom.js';

// 12345678 cents → "123 456,78 €" (fr) or "€123,456.78" (en).
export function euros(cents) {
  return new Intl.NumberFormat(getLang() === 'fr' ? 'fr-FR' : 'en-GB', { style: 'currency', currency: 'EUR' })
    .format((Number(cents) || 0) / 100);
}

let uid = 0;
function field(label, control) {
  const id = 'prog-f' + (++uid);
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

// ---------------------------------------------------------------- the list

async function listPage(main, signal) {
  main.append(h('h1', {}, t('prog_title')));
  const box = h('div', {}, h('p', { class: 'loading' }, t('loading')));
  main.append(box);
  try {
    const data = await api('/programmes', { signal });
    const items = data.programmes.map((p) => h('li', {},
      h('a', { href: '#/programme/' + p.id }, p.name), ' ',
      h('span', { class: 'small' }, t('prog_role_' + p.role), p.generated ? ' · ' + t('prog_generated') : '')));
    box.replaceChildren(items.length ? h('ul', { class: 'prog-list' }, items) : h('p', {}, t('prog_none')));
  } catch (e) {
    box.replaceChildren(problem(e) || '');
    if (e.name === 'AbortError') return;
  }
  const status = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'card prog-form', id: 'prog-new' },
    h('h2', {}, t('prog_new')),
    field(t('prog_name'), input('name', { required: true, maxlength: 200 })),
    field(t('prog_territory'), input('territory', { placeholder: '13, 200054807…' })),
    field(t('prog_start'), input('start', { type: 'date' })),
    field(t('prog_end'), input('end', { type: 'date' })),
    field(t('prog_env_subsidy'), input('subsidy', { inputmode: 'decimal' })),
    field(t('prog_env_advance'), input('advance', { inputmode: 'decimal' })),
    field(t('prog_max_project'), input('max_per_project', { inputmode: 'decimal' })),
    field(t('prog_revolving'), h('select', { name: 'revolving' }, h('option', { value: 'yes' }, t('prog_yes')), h('option', { value: 'no' }, t('prog_no')))),
    h('button', { type: 'submit' }, t('prog_create')), status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    status.replaceChildren();
    try {
      const p = await api('/programmes', { method: 'POST', body: formValues(form) });
      location.hash = '#/programme/' + p.id;
    } catch (e) { status.replaceChildren(problem(e) || ''); }
  });
  main.append(form);
}

// ------------------------------------------------------------ the dashboard

function positionTable(pos) {
  const head = ['prog_envelope', 'prog_amount', 'prog_committed', 'prog_paid', 'prog_repaid', 'prog_available']
    .map((k) => h('th', { scope: 'col' }, t(k)));
  const rows = pos.envelopes.map((e) => h('tr', {},
    h('th', { scope: 'row' }, t('prog_instr_' + e.instrument) + (e.funder ? ' — ' + e.funder : '') + (e.revolving ? ' ↺' : '')),
    ...['amount', 'committed', 'paid', 'repaid', 'available'].map((k) => h('td', { class: 'num' }, euros(e[k])))));
  return h('table', { class: 'prog-position' }, h('caption', {}, t('prog_position_at', { date: fmtDate(pos.at) })),
    h('thead', {}, h('tr', {}, h('td', {}), ...head.slice(1))), h('tbody', {}, rows));
}

function impactList(imp) {
  const rp = imp.repayments || {};
  const pct = (x) => (x === null || x === undefined ? '—' : new Intl.NumberFormat(getLang() === 'fr' ? 'fr-FR' : 'en-GB',
    { style: 'percent', maximumFractionDigits: 1 }).format(x));
  const num = (x, d = 0) => (x === null || x === undefined ? '—' : new Intl.NumberFormat(getLang() === 'fr' ? 'fr-FR' : 'en-GB',
    { maximumFractionDigits: d }).format(x));
  const rows = [
    ['prog_decided_projects', num(imp.projects_decided)], ['prog_aid', euros(imp.aid)],
    ['prog_leverage', num(imp.leverage, 2)], ['prog_jobs_declared', `${num(imp.jobs_created)} / ${num(imp.jobs_kept)}`],
    ['prog_aid_per_job', imp.aid_per_job_created === null ? '—' : euros(imp.aid_per_job_created)],
    ['prog_repay_due', euros(rp.due)], ['prog_repay_rate', pct(rp.rate)], ['prog_defaulted', euros(rp.defaulted)],
  ];
  return h('dl', { class: 'prog-impact' }, rows.flatMap(([k, v]) => [h('dt', {}, t(k)), h('dd', {}, v)]));
}

function board(data, onMove) {
  const shown = data.stages;
  const cols = shown.map((stage) => {
    const cards = data.projects.filter((p) => p.stage === stage).map((p) => h('li', { class: 'prog-card', 'data-project': p.id },
      h('strong', {}, p.title), p.stale ? h('span', { class: 'prog-stale' }, ' · ' + t('prog_stale')) : null,
      h('div', { class: 'small' }, p.firm || p.siret),
      h('div', { class: 'small' }, euros(p.cost) + (p.jobs_created ? ' · ' + t('prog_jobs', { n: p.jobs_created }) : '')),
      nextStage(stage) ? h('button', { type: 'button', class: 'prog-next', onclick: () => onMove(p.id, nextStage(stage)) },
        t('prog_to', { stage: t('prog_stage_' + nextStage(stage)) })) : null));
    return h('section', { class: 'prog-col', 'data-stage': stage, 'aria-label': t('prog_stage_' + stage) },
      h('h3', {}, t('prog_stage_' + stage), ' ', h('span', { class: 'small' }, '(' + cards.length + ')')),
      h('ul', {}, cards));
  });
  return h('div', { class: 'prog-board' }, cols);
}

// The next stage a card's button offers ('decided' comes from a decision).
function nextStage(stage) {
  const order = ['detected', 'qualified', 'routed', 'applied', 'instructed', 'committee', null,
    'signed', 'paid', 'completed', 'followed'];
  const i = order.indexOf(stage);
  if (stage === 'decided') return 'signed';
  return i >= 0 && i + 1 < order.length ? order[i + 1] : null;
}

function ledgerTable(led, projects) {
  const title = Object.fromEntries(projects.map((p) => [p.id, p.title]));
  const rows = led.entries.map((e) => h('tr', {},
    h('td', {}, fmtDate(e.day)), h('td', {}, t('prog_kind_' + e.kind)),
    h('td', {}, title[e.project] || '#' + e.project), h('td', {}, t('prog_instr_' + e.instrument)),
    h('td', { class: 'num' }, euros(e.amount)), h('td', {}, e.note || '')));
  return h('table', { class: 'prog-ledger' },
    h('thead', {}, h('tr', {}, ...['prog_day', 'prog_kind', 'prog_project', 'prog_instrument', 'prog_amount', 'prog_note']
      .map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: 6 }, t('prog_no_entry')))));
}

async function dashboard(id, main, signal) {
  const today = new Date().toISOString().slice(0, 10);
  main.append(h('p', {}, h('a', { href: '#/programme' }, t('prog_back'))));
  const title = h('h1', {}, t('loading'));
  const at = input('at', { type: 'date', value: today });
  const posBox = h('div', {}), boardBox = h('div', {}), ledgerBox = h('div', {}), status = h('div', { 'aria-live': 'polite' });
  const impactBox = h('div', {}), committeeBox = h('div', {}), committeesBox = h('div', { id: 'prog-committees' });
  const schemesBox = h('div', {});
  const exportLink = h('a', { download: '', id: 'prog-export' }, t('prog_export'));
  main.append(title, status,
    h('section', { class: 'card', id: 'prog-positions' }, h('h2', {}, t('prog_positions')), field(t('prog_at'), at), posBox,
      h('h3', {}, t('prog_impact')), impactBox, h('p', {}, exportLink)),
    h('section', { class: 'card', id: 'prog-pipeline' }, h('h2', {}, t('prog_pipeline')), boardBox),
    h('section', { class: 'card', id: 'prog-schemes' }, h('h2', {}, t('scheme_title')), schemesBox),
    h('section', { class: 'card', id: 'prog-committee' }, h('h2', {}, t('prog_committee')), committeeBox, committeesBox),
    h('section', { class: 'card', id: 'prog-ledger' }, h('h2', {}, t('prog_ledger')), ledgerBox));
  let projects = [], role = '';
  const load = async () => {
    try {
      const day = enc(at.value || today);
      const [prog, pos, list, led, imp] = await Promise.all([
        api(`/programmes/${enc(id)}`, { signal }), api(`/programmes/${enc(id)}/position?at=${day}`, { signal }),
        api(`/programmes/${enc(id)}/projects`, { signal }), api(`/programmes/${enc(id)}/ledger`, { signal }),
        api(`/programmes/${enc(id)}/impact?at=${day}`, { signal })]);
      const com = await api(`/programmes/${enc(id)}/committee?at=${day}`, { signal });
      committeeBox.replaceChildren(...[
        com.projects.length ? h('ul', {}, com.projects.map((p) => h('li', {}, h('strong', {}, p.title), ' — ', p.firm || p.siret, ' — ',
          t('prog_instr_subsidy') + ' ' + euros(p.requested_subsidy) + ', ' + t('prog_instr_advance') + ' ' + euros(p.requested_advance) + ' : ',
          p.passes ? h('span', { class: 'prog-pass' }, t('prog_passes')) : h('span', { class: 'prog-stale' }, t('prog_refused', { reason: p.reason })))))
          : h('p', {}, t('prog_no_committee')),
        h('p', { class: 'small' }, com.envelopes.map((e) => t('prog_after', { instrument: t('prog_instr_' + e.instrument),
          before: euros(e.available_before), after: euros(e.available_after) })).join(' · '))]);
      impactBox.replaceChildren(impactList(imp));
      exportLink.href = `${BASE}/programmes/${enc(id)}/export.xlsx?at=${day}`;
      projects = list.projects;
      role = prog.role;
      title.textContent = prog.name + (prog.generated ? ' — ' + t('prog_generated') : '');
      posBox.replaceChildren(positionTable(pos));
      boardBox.replaceChildren(board(list, move));
      ledgerBox.replaceChildren(ledgerTable(led, projects));
      decideSelect.replaceChildren(...projects.filter((p) => !['decided', 'signed', 'paid', 'completed', 'followed', 'rejected', 'abandoned'].includes(p.stage))
        .map((p) => h('option', { value: p.id }, `#${p.id} ${p.title}`)));
    } catch (e) {
      if (e.name !== 'AbortError') status.replaceChildren(problem(e) || '');
      if (title.textContent === t('loading')) title.textContent = t('prog_title');
    }
  };
  const move = async (project, stage) => {
    status.replaceChildren();
    try { await api(`/projects/${project}/stage`, { method: 'POST', body: { stage } }); await load(); } catch (e) { status.replaceChildren(problem(e) || ''); }
  };
  at.addEventListener('change', load);

  const addStatus = h('div', { 'aria-live': 'polite' });
  const addForm = h('form', { class: 'card prog-form', id: 'prog-project-form' }, h('h2', {}, t('prog_add_project')),
    field(t('prog_siret'), input('siret', { required: true, pattern: '[0-9]{14}', inputmode: 'numeric' })),
    field(t('prog_ptitle'), input('title', { required: true, maxlength: 200 })),
    field(t('prog_type'), h('select', { name: 'type' }, ...['investment', 'rd', 'industrialisation', 'recruitment', 'training', 'export', 'collaborative_rd']
      .map((v) => h('option', { value: v }, t('prog_type_' + v))))),
    field(t('prog_cost'), input('cost', { required: true, inputmode: 'decimal' })),
    field(t('prog_eligible'), input('eligible', { inputmode: 'decimal' })),
    field(t('prog_jobs_created'), input('jobs_created', { inputmode: 'numeric' })),
    field(t('prog_req_subsidy'), input('requested_subsidy', { inputmode: 'decimal' })),
    field(t('prog_req_advance'), input('requested_advance', { inputmode: 'decimal' })),
    h('button', { type: 'submit' }, t('prog_add')), addStatus);
  addForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    addStatus.replaceChildren();
    try {
      await api(`/programmes/${enc(id)}/projects`, { method: 'POST', body: formValues(addForm) });
      addForm.reset();
      addStatus.replaceChildren(h('p', {}, t('prog_added')));
      await load();
    } catch (e) { addStatus.replaceChildren(problem(e) || ''); }
  });

  const decideSelect = h('select', { name: 'project', required: true });
  const decideStatus = h('div', { 'aria-live': 'polite' });
  const decideForm = h('form', { class: 'card prog-form', id: 'prog-decide-form' }, h('h2', {}, t('prog_decide')),
    field(t('prog_project'), decideSelect),
    field(t('prog_date'), input('date', { type: 'date', value: today })),
    field(t('prog_env_subsidy'), input('subsidy', { inputmode: 'decimal' })),
    field(t('prog_env_advance'), input('advance', { inputmode: 'decimal' })),
    field(t('prog_deferral'), input('deferral', { inputmode: 'numeric', value: '12' })),
    field(t('prog_instalments'), input('instalments', { inputmode: 'numeric', value: '8' })),
    field(t('prog_every'), input('every', { inputmode: 'numeric', value: '3' })),
    h('button', { type: 'submit' }, t('prog_decide_button')), decideStatus);
  decideForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    decideStatus.replaceChildren();
    const v = formValues(decideForm);
    const project = v.project;
    delete v.project;
    try {
      const p = await api(`/projects/${enc(project)}/decision`, { method: 'POST', body: v });
      decideStatus.replaceChildren(h('p', {}, t('prog_decided', { title: p.title })));
      await load();
    } catch (e) {
      decideStatus.replaceChildren(h('p', { class: 'error', role: 'alert' },
        e instanceof ApiError && e.status === 409 ? t('prog_refused', { reason: e.detail }) : (e.detail || t('prog_error'))));
    }
  });
  // The interview form, for a tablet during a visit: large controls, one per theme.
  const THEMES = ['skills', 'land', 'access', 'ecosystem', 'innovation', 'digital', 'transition', 'finance', 'export'];
  const FLAGS = ['succession', 'key_customer', 'site_at_risk'];
  const ivStatus = h('div', { 'aria-live': 'polite' });
  const synthesisBox = h('div', { id: 'prog-synthesis' });
  const visitInput = input('visit', { type: 'hidden' });
  const visitNote = h('p', { class: 'small', id: 'prog-interview-visit' });
  const ivForm = h('form', { class: 'card prog-form prog-interview', id: 'prog-interview-form' }, h('h2', {}, t('prog_interview')),
    visitInput, visitNote,
    field(t('prog_siret'), input('siret', { required: true, pattern: '[0-9]{14}', inputmode: 'numeric' })),
    field(t('prog_visit_date'), input('date', { type: 'date', value: today })),
    h('fieldset', {}, h('legend', {}, t('prog_needs')),
      THEMES.map((th) => field(t('prog_theme_' + th), h('select', { name: 'score_' + th },
        h('option', { value: '' }, '—'), [0, 1, 2, 3].map((n) => h('option', { value: String(n) }, t('prog_score_' + n))))))),
    h('fieldset', {}, h('legend', {}, t('prog_flags')),
      FLAGS.map((f) => h('p', {}, h('label', {}, h('input', { type: 'checkbox', name: 'flag', value: f }), ' ', t('prog_flag_' + f))))),
    field(t('prog_notes'), h('textarea', { name: 'notes', rows: 4, maxlength: 4000 })),
    h('button', { type: 'submit' }, t('prog_interview_save')), ivStatus);
  ivForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    ivStatus.replaceChildren();
    const fd = new FormData(ivForm);
    const scores = THEMES.filter((th) => fd.get('score_' + th) !== '').map((th) => `${th}=${fd.get('score_' + th)}`).join(',');
    const body = { siret: String(fd.get('siret') || '').trim(), date: fd.get('date') || undefined, scores,
      flags: fd.getAll('flag').join(','), notes: String(fd.get('notes') || '').trim() || undefined,
      visit: visitInput.value || undefined };
    try {
      const iv = await api(`/programmes/${enc(id)}/interviews`, { method: 'POST', body });
      ivForm.reset();
      visitInput.value = '';
      visitNote.textContent = '';
      // What the visit brought up: projects detected, recorded on the interview.
      ivStatus.replaceChildren(h('p', {}, t('prog_interview_saved')),
        detectedProjectForm(iv.id, iv.firm, async () => { await load(); await campaigns.reload(); }));
      await loadSynthesis();
      await campaigns.reload();
    } catch (e) { ivStatus.replaceChildren(problem(e) || ''); }
  });
  const loadSynthesis = async () => {
    try {
      const syn = await api(`/programmes/${enc(id)}/synthesis`, { signal });
      const rows = THEMES.filter((th) => syn.needs[th].scored).map((th) => h('tr', {},
        h('th', { scope: 'row' }, t('prog_theme_' + th)),
        h('td', { class: 'num' }, new Intl.NumberFormat(getLang() === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 1 }).format(syn.needs[th].mean)),
        h('td', { class: 'num' }, String(syn.needs[th].strong))));
      synthesisBox.replaceChildren(...[
        h('p', {}, t('prog_synthesis_count', { n: syn.interviews, firms: syn.firms })),
        rows.length ? h('table', { class: 'prog-needs' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('prog_needs')),
          h('th', { scope: 'col' }, t('prog_mean')), h('th', { scope: 'col' }, t('prog_strong')))), h('tbody', {}, rows)) : null,
        h('p', {}, FLAGS.map((f) => `${t('prog_flag_' + f)}${getLang() === 'fr' ? '\u00a0:' : ':'} ${syn.red_flags[f]}`).join(' · '))]
        .filter(Boolean));
    } catch (e) { if (e.name !== 'AbortError') synthesisBox.replaceChildren(problem(e) || ''); }
  };
  // The campaigns (campaign.js): a visit's interview opens the form above on it.
  const campaigns = campaignSection(id, signal, (siret, visit, firm) => {
    ivForm.elements.siret.value = siret;
    visitInput.value = String(visit);
    visitNote.textContent = t('camp_interview_of', { firm: firm || siret });
    ivForm.scrollIntoView({ block: 'start' });
    ivForm.elements.siret.focus();
  });
  main.append(campaigns.el, ivForm, addForm, decideForm,
    h('section', { class: 'card', id: 'prog-synthesis-card' }, h('h2', {}, t('prog_synthesis')), synthesisBox));
  // The impact follow-up and the poles' R&D projects (impact.js), on the dashboard's day.
  at.addEventListener('change', impactSections(id, main, signal, () => at.value || today));
  await load();
  await loadSynthesis();
  // Aid schemes (scheme.js) and committees (committee.js): an officer of the programme changes them.
  schemeSection(projects, schemesBox, signal, role === 'officer' || role === 'admin', load);
  await committeeSection(id, committeesBox, signal, role === 'officer' || role === 'admin', load);
  await campaigns.reload();
}

/** The page at #/programme (the list) or #/programme/ID (a dashboard). */
export function programmePage(arg, main, signal) {
  if (arg) dashboard(arg, main, signal);
  else listPage(main, signal);
}
