// event.js — business conventions (issue 14): the list of an organisation's
// events and the form to make one (#/events), the organiser's view of an
// event (#/event/ID: participants, requests, suggestions to accept, the
// schedule and its grid, outcomes), and a participant's agenda reached by
// their personal link (#/agenda/SECRET: only their meetings). Every name is
// put in the page as text (textContent), never as markup.

import { api, enc, BASE, ApiError } from './api.js';
import { t, colon, getLang } from './i18n.js';
import { h } from './dom.js';

export const EVENT_PAGES = ['events', 'event', 'agenda', 'needs', 'need'];

let uid = 0;
function field(label, control, hint) {
  const id = 'ev-f' + (++uid);
  control.id = id;
  return h('p', { class: 'hist-field' }, h('label', { for: id }, label), ' ', control,
    hint ? h('span', { class: 'small' }, ' ' + hint) : null);
}
const input = (name, attrs = {}) => h('input', { name, type: 'text', ...attrs });
function select(name, values) {
  return h('select', { name }, values.map(([v, label]) => h('option', { value: v }, label)));
}

// An error in the page's language, the server's words behind it.
function errorBox(e) {
  if (e && e.name === 'AbortError') return null;
  const key = e instanceof ApiError && e.code ? 'err_' + e.code.replace(/-/g, '_') : null;
  const known = key && t(key) !== key ? t(key) : t('error');
  return h('div', { class: 'error', role: 'alert' }, h('p', {}, known),
    e && e.detail ? h('p', { class: 'small' }, colon(t('error_detail')) + ' ' + e.detail) : null);
}

// The form's non-empty fields as a JSON body of strings.
function bodyOf(form) {
  const body = {};
  for (const [k, v] of new FormData(form).entries()) if (String(v).trim() !== '') body[k] = String(v).trim();
  return body;
}

// A form that posts its fields, shows the error in place, then calls done().
function postForm(form, path, done, signal) {
  const status = h('div', { role: 'status' });
  form.append(status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    status.replaceChildren();
    try {
      const r = await api(path, { method: 'POST', body: bodyOf(form), signal });
      done(r);
    } catch (e) {
      const box = errorBox(e);
      if (box) status.append(box);
    }
  });
  return form;
}

const navText = () => {
  const a = document.getElementById('nav-events');
  if (a) a.textContent = t('ev_nav');
};
navText();
document.getElementById('lang')?.addEventListener('click', navText);

export function eventPage(route, main, signal) {
  navText();
  if (route.page === 'agenda') return agendaPage(route.arg, main, signal);
  if (route.page === 'need' && route.arg) return needPage(route.arg, main, signal);
  if (route.page === 'needs') return needsPage(main, signal);
  if (route.page === 'event' && route.arg) return organiserPage(route.arg, main, signal);
  return eventsPage(main, signal);
}

// ------------------------------------------------------------ the list

async function eventsPage(main, signal) {
  main.append(h('h1', {}, t('ev_title')), h('p', { class: 'small' }, t('ev_intro')),
    h('p', {}, h('a', { href: '#/needs' }, t('nd_link'))));
  const list = h('div', {}, t('loading'));
  main.append(list);
  try {
    const r = await api('/events', { signal });
    list.replaceChildren(r.events.length
      ? h('table', { class: 'data' },
        h('thead', {}, h('tr', {}, [t('ev_name'), t('ev_date'), t('ev_participants'), t('ev_state')].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, r.events.map((e) => h('tr', {},
          h('td', {}, h('a', { href: '#/event/' + e.id }, e.name)), h('td', {}, e.date),
          h('td', { class: 'num' }, String(e.participants)),
          h('td', {}, e.scheduled ? t('ev_scheduled') : t('ev_not_scheduled'))))))
      : h('p', {}, t('ev_none')));
  } catch (e) {
    list.replaceChildren(errorBox(e) || '');
    // Not signed in, or no right to see events: no form that could only fail.
    if (e.status === 401 || e.status === 403) return;
  }
  const form = h('form', { class: 'hist-form' },
    h('h2', {}, t('ev_new')),
    field(t('ev_name'), input('name', { required: true, maxlength: 200 })),
    field(t('ev_date'), input('date', { type: 'date', required: true })),
    field(t('ev_start'), input('start', { type: 'time', required: true, value: '09:00' })),
    field(t('ev_slot_minutes'), input('slot_minutes', { type: 'number', min: 5, max: 240, value: '20', required: true })),
    field(t('ev_slots'), input('slots', { type: 'number', min: 1, max: 64, value: '12', required: true })),
    field(t('ev_tables'), input('tables', { type: 'number', min: 1, value: '10', required: true })),
    field(t('ev_breaks'), input('breaks', { placeholder: '4:30' }), t('ev_breaks_hint')),
    field(t('ev_place'), input('place', { maxlength: 200 })),
    field(t('ev_two_sided'), select('two_sided', [['yes', t('ev_yes')], ['no', t('ev_no')]]), t('ev_two_sided_hint')),
    h('button', { type: 'submit' }, t('ev_create')));
  main.append(postForm(form, '/events', (r) => { location.hash = '#/event/' + r.event.id; }, signal));
}

// ------------------------------------------------------------ the organiser's view

function partName(p) { return p ? p.name : '?'; }

async function organiserPage(id, main, signal) {
  const box = h('div', {}, t('loading'));
  main.append(box);
  let show;
  try {
    show = await api(`/events/${enc(id)}`, { signal });
  } catch (e) {
    box.replaceChildren(errorBox(e) || '');
    return;
  }
  const reload = () => { main.replaceChildren(); organiserPage(id, main, signal); };
  const e = show.event;
  const path = `/events/${enc(e.id)}`;
  box.replaceChildren(
    h('p', {}, h('a', { href: '#/events' }, t('ev_back'))),
    h('h1', {}, e.name),
    h('p', {}, t('ev_when', { date: e.date, start: e.start, slots: e.slots, minutes: e.slot_minutes, tables: e.tables }),
      ' · ', e.two_sided ? t('ev_two_sided_short') : t('ev_open_short'), e.place ? ' · ' + e.place : ''));

  // participants
  const sideOf = (p) => (p.side ? ' (' + p.side + ')' : '');
  main.append(h('section', {}, h('h2', {}, t('ev_participants')),
    show.participants.length ? h('table', { class: 'data' },
      h('thead', {}, h('tr', {}, ['#', t('ev_name'), t('ev_kind'), t('ev_side'), t('ev_avail'), t('ev_agenda')].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, show.participants.map((p) => h('tr', {},
        h('td', { class: 'num' }, String(p.id)),
        h('td', {}, p.siret ? h('a', { href: '#/firm/' + p.siret }, p.name) : p.name, p.cancelled ? ' — ' + t('ev_cancelled') : ''),
        h('td', {}, t('ev_kind_' + p.kind)), h('td', {}, p.side || '—'), h('td', {}, p.slots || t('ev_all_slots')),
        h('td', {}, h('a', { href: `${BASE}${path}/agenda/${enc(p.id)}/ics`, download: '' }, '.ics'), ' · ',
          h('a', { href: `${BASE}${path}/agenda/${enc(p.id)}/pdf?lang=${getLang()}`, download: '' }, 'PDF'))))))
      : h('p', {}, t('ev_no_participant'))));
  const addPart = h('form', { class: 'hist-form' }, h('h3', {}, t('ev_add_participant')),
    field(t('ev_siret'), input('siret', { inputmode: 'numeric', maxlength: 14 }), t('ev_siret_hint')),
    field(t('ev_guest'), input('guest', { maxlength: 200 })),
    field(t('ev_buyer'), select('buyer', [['no', t('ev_no')], ['yes', t('ev_yes')]])),
    e.two_sided ? field(t('ev_side'), select('side', [['A', t('ev_side_a')], ['B', t('ev_side_b')]])) : null,
    field(t('ev_avail'), input('slots', { placeholder: '1-6,9' }), t('ev_avail_hint')),
    field(t('ev_max'), input('max_meetings', { type: 'number', min: 1 })),
    h('button', { type: 'submit' }, t('ev_add')));
  const linkBox = h('div', { role: 'status' });
  main.append(postForm(addPart, `${path}/participants`, (r) => {
    const url = `${location.origin}${location.pathname}#/agenda/${r.link}`;
    linkBox.replaceChildren(h('p', {}, t('ev_link_once', { name: r.participant.name })), h('p', {}, h('code', {}, url)),
      h('button', { type: 'button', onclick: reload }, t('ev_continue')));
  }, signal), linkBox);

  // requests and suggestions
  main.append(h('section', {}, h('h2', {}, t('ev_requests')),
    show.requests.length ? h('ul', {}, show.requests.map((q) => h('li', {},
      partName(q.a), sideOf(q.a), ' ↔ ', partName(q.b), sideOf(q.b), ' — ', t('ev_prio_' + q.priority),
      q.accepted ? '' : [' — ', t('ev_pending'), ' ', h('button', {
        type: 'button', onclick: async () => {
          try { await api(`${path}/requests/accept`, { method: 'POST', body: { a: String(q.a.id), b: String(q.b.id) }, signal }); reload(); } catch (err) { main.prepend(errorBox(err) || ''); }
        },
      }, t('ev_accept'))],
      q.reason ? h('div', { class: 'small' }, q.reason) : null)))
      : h('p', {}, t('ev_no_request'))));
  const addReq = h('form', { class: 'hist-form' }, h('h3', {}, t('ev_add_request')),
    field('A', input('a', { required: true }), t('ev_who_hint')), field('B', input('b', { required: true })),
    field(t('ev_priority'), select('priority', [['wish', t('ev_prio_wish')], ['must', t('ev_prio_must')], ['avoid', t('ev_prio_avoid')]])),
    h('button', { type: 'submit' }, t('ev_add')));
  main.append(postForm(addReq, `${path}/requests`, reload, signal));
  const sugBox = h('section', {}, h('h2', {}, t('ev_suggestions')), h('p', { class: 'small' }, t('ev_suggestions_intro')));
  main.append(sugBox);
  api(`${path}/suggestions`, { signal }).then((s) => {
    sugBox.append(s.suggestions.length ? h('ul', {}, s.suggestions.map((x) => h('li', { class: 'ev-sug-' + (x.source || 'match') },
      x.source === 'need' ? t('ev_could_meet_need', { a: x.a.name, b: x.b.name, need: x.need.title }) : t('ev_could_buy', { a: x.a.name, b: x.b.name }), ' ',
      h('button', {
        type: 'button', onclick: async () => {
          try {
            await api(`${path}/requests`, { method: 'POST', body: { a: String(x.a.id), b: String(x.b.id), reason: x.reason_fr }, signal });
            reload();
          } catch (err) { sugBox.append(errorBox(err) || ''); }
        },
      }, t('ev_accept')),
      h('div', { class: 'small' }, getLang() === 'en' ? x.reason_en : x.reason_fr))))
      : h('p', {}, t('ev_no_suggestion')));
  }).catch((err) => sugBox.append(errorBox(err) || ''));
  // what past meetings teach the suggestions (the outcomes this organisation may read)
  const learnBox = h('section', { class: 'ev-learned' }, h('h3', {}, t('ev_learned')), h('p', { class: 'small' }, t('ev_learned_intro')));
  sugBox.append(learnBox);
  api('/meetings/learning', { signal }).then((l) => {
    const en = getLang() === 'en';
    learnBox.append(l.meetings ? h('p', {}, t('ev_learned_total', { n: l.meetings, s: l.successes })) : h('p', {}, t('ev_learned_none')),
      l.kinds.length ? h('ul', {}, l.kinds.map((k) => h('li', {}, en ? k.reason_en : k.reason_fr))) : '');
  }).catch((err) => learnBox.append(errorBox(err) || ''));

  // schedule and grid
  const sched = h('section', {}, h('h2', {}, t('ev_schedule')));
  main.append(sched);
  if (e.schedule) sched.append(h('p', {}, t('ev_schedule_state', { weight: e.schedule.weight, bound: e.schedule.upper_bound }),
    ' ', e.schedule.optimal ? h('strong', {}, t('ev_optimal')) : ''));
  const result = h('div', { role: 'status' });
  sched.append(h('button', {
    type: 'button', onclick: async () => {
      result.replaceChildren(t('loading'));
      try {
        const r = await api(`${path}/schedule`, { method: 'POST', body: {}, signal });
        result.replaceChildren(h('p', {}, t('ev_scheduled_now', { meetings: r.meetings, weight: r.weight, bound: r.upper_bound }),
          ' ', r.optimal ? h('strong', {}, t('ev_optimal')) : '', ' · ', t('ev_check', { check: r.check })),
        h('button', { type: 'button', onclick: reload }, t('ev_continue')));
      } catch (err) { result.replaceChildren(errorBox(err) || ''); }
    },
  }, t('ev_run_schedule')), result);
  if (show.meetings.length) {
    const times = e.slot_times;
    const ntables = show.grid[0] ? show.grid[0].length : 0;
    const pub = h('div', { role: 'status' });
    sched.append(e.published
      ? h('p', {}, t('ev_published_since', { date: new Date(e.published * 1000).toLocaleString(getLang() === 'en' ? 'en-GB' : 'fr-FR') }))
      : h('p', {}, h('button', {
        type: 'button', onclick: async () => {
          try { await api(`${path}/publish`, { method: 'POST', signal }); reload(); } catch (err) { pub.replaceChildren(errorBox(err) || ''); }
        },
      }, t('ev_publish')), ' ', h('span', { class: 'small' }, t('ev_publish_hint'))), pub);
    sched.append(h('p', {}, h('a', { href: `${BASE}${path}/grid.xlsx`, download: '' }, t('ev_grid_xlsx')), ' · ',
      h('a', { href: `${BASE}${path}/plan.pdf?lang=${getLang()}`, download: '' }, t('ev_plan_pdf'))),
      h('div', { class: 'table-wrap' }, h('table', { class: 'data ev-grid' }, h('caption', {}, t('ev_grid')),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('ev_slot')),
          Array.from({ length: ntables }, (_, i) => h('th', { scope: 'col' }, t('ev_table', { n: i + 1 }))))),
        h('tbody', {}, show.grid.map((row, s) => h('tr', {},
          h('th', { scope: 'row' }, `${times[s].start}–${times[s].end}`),
          row.map((c) => h('td', {}, c ? `${c.a} / ${c.b}` : '')))))))
    );
    // outcomes
    const out = h('form', { class: 'hist-form' }, h('h3', {}, t('ev_outcome')),
      field('A', input('a', { required: true }), t('ev_who_hint')), field('B', input('b', { required: true })),
      field(t('ev_met'), select('met', [['yes', t('ev_yes')], ['no', t('ev_no')]])),
      field(t('ev_result'), select('result', [['none', t('ev_result_none')], ['quote', t('ev_result_quote')], ['contract', t('ev_result_contract')]])),
      field(t('ev_amount'), input('amount', { type: 'number', min: 0 })),
      field(t('ev_jobs'), input('jobs', { type: 'number', min: 0 })),
      h('button', { type: 'submit' }, t('ev_record')));
    main.append(postForm(out, `${path}/outcomes`, reload, signal));
  }
}

// ------------------------------------------------------------ a participant's agenda

async function agendaPage(secret, main, signal) {
  const box = h('div', {}, t('loading'));
  main.append(box);
  try {
    const a = await api(`/agenda/${enc(secret)}`, { signal });
    // changes since publication, until the participant says they saw them
    const notices = (a.changes || []).length ? h('section', { class: 'notice ev-changes', role: 'status' },
      h('h2', {}, t('ev_changes_title')),
      h('ul', {}, a.changes.map((c) => h('li', {}, t('ev_change_' + c.kind, {
        with: c.with,
        before: c.before ? `${c.before.start}–${c.before.end}, ${t('ev_table', { n: c.before.table })}` : '',
        after: c.after ? `${c.after.start}–${c.after.end}, ${t('ev_table', { n: c.after.table })}` : '',
      })))),
      h('button', {
        type: 'button', onclick: async (ev) => {
          ev.target.disabled = true;
          try { await api(`/agenda/${enc(secret)}/seen`, { method: 'POST', signal }); notices.remove(); } catch (err) { ev.target.disabled = false; notices.append(errorBox(err) || ''); }
        },
      }, t('ev_changes_seen'))) : null;
    box.replaceChildren(h('h1', {}, t('ev_agenda_of', { name: a.participant.name })),
      notices || '',
      h('p', {}, a.event.name, ' — ', a.event.date, a.event.place ? ' — ' + a.event.place : ''),
      a.meetings.length ? h('table', { class: 'data' },
        h('thead', {}, h('tr', {}, [t('ev_time'), t('ev_table_col'), t('ev_with')].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, a.meetings.map((m) => h('tr', {}, h('td', {}, `${m.start}–${m.end}`),
          h('td', { class: 'num' }, String(m.table)), h('td', {}, m.with.name)))))
        : h('p', {}, a.scheduled ? t('ev_agenda_empty') : t('ev_agenda_not_yet')),
      h('p', {}, h('a', { href: `${BASE}/agenda/${enc(secret)}/ics`, download: 'agenda.ics' }, t('ev_add_calendar')), ' · ',
        h('a', { href: `${BASE}/agenda/${enc(secret)}/pdf?lang=${getLang()}`, download: 'agenda.pdf' }, t('ev_agenda_pdf'))),
      h('p', { class: 'small' }, t('ev_agenda_private')));
  } catch (e) {
    box.replaceChildren(errorBox(e) || '');
  }
}

// ------------------------------------------------------------ public buyers' innovation needs

// Find a CPV code by words: a box whose words (accents ignored) are looked
// up in the labels of the CPV 2008 (/cpv?q=), each code a button that puts
// it in `target` (the form's CPV field).
function cpvFinder(target, signal) {
  const list = h('ul', { class: 'cpv-results' });
  const status = h('p', { class: 'small', role: 'status' });
  let timer = 0, seq = 0;
  const look = async (q) => {
    const mine = ++seq;
    if (q.trim().length < 2) { list.replaceChildren(); status.textContent = ''; return; }
    try {
      const r = await api(`/cpv?q=${enc(q)}&limit=12`, { signal });
      if (mine !== seq) return;
      const en = getLang() === 'en';
      status.textContent = r.results.length ? t('nd_cpv_found', { n: r.results.length }) : t('nd_cpv_none');
      list.replaceChildren(...r.results.map((c) => h('li', {}, h('button', {
        type: 'button', class: 'cpv-pick', 'data-code': c.code8,
        onclick: () => { target.value = c.code8; target.dispatchEvent(new Event('change')); status.textContent = t('nd_cpv_chosen', { code: c.code }); },
      }, c.code), ' ', en && c.label_en ? c.label_en : c.label_fr)));
    } catch (e) {
      if (mine !== seq) return;
      list.replaceChildren();
      status.replaceChildren(errorBox(e) || '');
    }
  };
  const box = input('cpv_q', { type: 'search', placeholder: t('nd_cpv_find_ph'), autocomplete: 'off', form: 'cpv-no-form' });
  box.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => look(box.value), 250); });
  return h('div', { class: 'cpv-finder' }, field(t('nd_cpv_find'), box, t('nd_cpv_find_hint')), status, list);
}

// "CPV 34144900-7 — Véhicules électriques" (English labels in English).
function cpvText(n) {
  const c = n.cpv_label;
  if (!c) return n.cpv ? 'CPV ' + n.cpv : '';
  return `CPV ${c.code} — ${getLang() === 'en' && c.label_en ? c.label_en : c.label_fr}`;
}

async function needsPage(main, signal) {
  main.append(h('p', {}, h('a', { href: '#/events' }, t('ev_back'))), h('h1', {}, t('nd_title')),
    h('p', { class: 'small' }, t('nd_intro')));
  const list = h('div', {}, t('loading'));
  main.append(list);
  try {
    const r = await api('/needs', { signal });
    list.replaceChildren(r.needs.length ? h('ul', {}, r.needs.map((n) => h('li', {},
      h('a', { href: '#/need/' + n.id }, n.title), ' — ', n.buyer, ' — ', t('nd_budget_eur', { eur: n.budget }),
      n.contract ? ' — ' + t('nd_contract_done') : '')))
      : h('p', {}, t('nd_none')));
  } catch (e) {
    list.replaceChildren(errorBox(e) || '');
  }
  const cpvBox = input('cpv', { placeholder: '34144900' });
  const form = h('form', { class: 'hist-form' }, h('h2', {}, t('nd_new')),
    field(t('nd_buyer'), input('buyer', { required: true, maxlength: 200 })),
    field(t('nd_buyer_siret'), input('buyer_siret', { inputmode: 'numeric', maxlength: 14 })),
    field(t('nd_title_f'), input('title', { required: true, maxlength: 200 })),
    field(t('nd_text'), h('textarea', { name: 'text', rows: 4, maxlength: 4000 })),
    field(t('nd_cpv'), cpvBox), cpvFinder(cpvBox, signal),
    field(t('nd_naf'), input('naf', { placeholder: '29.32Z' })),
    field(t('nd_budget'), input('budget', { type: 'number', min: 1, required: true })),
    field(t('nd_deadline'), input('deadline', { type: 'date' })),
    field(t('nd_commune'), input('commune', { placeholder: '13001' })),
    h('button', { type: 'submit' }, t('nd_create')));
  main.append(postForm(form, '/needs', (r) => { location.hash = '#/need/' + r.need.id; }, signal));
}

async function needPage(id, main, signal) {
  const box = h('div', {}, t('loading'));
  main.append(box);
  let v;
  try {
    v = await api(`/needs/${enc(id)}`, { signal });
  } catch (e) {
    box.replaceChildren(errorBox(e) || '');
    return;
  }
  const reload = () => { main.replaceChildren(); needPage(id, main, signal); };
  const n = v.need, en = getLang() === 'en';
  const path = `/needs/${enc(n.id)}`;
  box.replaceChildren(h('p', {}, h('a', { href: '#/needs' }, t('nd_back'))), h('h1', {}, n.title),
    h('p', {}, n.buyer, ' — ', t('nd_budget_eur', { eur: n.budget }),
      n.deadline ? ' — ' + t('nd_by', { date: n.deadline }) : ''),
    h('p', { class: 'nd-cpv' }, n.cpv ? cpvText(n) : t('nd_cpv_unset')),
    n.text ? h('p', { class: 'hist-notes' }, n.text) : '');
  const cpvBox = input('cpv', { placeholder: '34144900', value: n.cpv || '' });
  main.append(postForm(h('form', { class: 'hist-form nd-cpv-form' }, h('h2', {}, t('nd_cpv_set')),
    h('p', { class: 'small' }, t('nd_cpv_set_intro')), field(t('nd_cpv'), cpvBox), cpvFinder(cpvBox, signal),
    h('button', { type: 'submit' }, t('nd_cpv_save'))), `${path}/cpv`, reload, signal));
  main.append(h('section', {}, h('h2', {}, t('nd_route')),
    h('p', {}, v.threshold.route_open ? h('strong', {}, t('nd_route_open')) : h('strong', {}, t('nd_route_closed'))),
    h('p', {}, en ? v.threshold.why_en : v.threshold.why_fr)));
  const list = h('ul', { class: 'nd-checklist' }, v.checklist.map((c) => {
    const box_ = h('input', {
      type: 'checkbox', checked: c.done, onchange: async (ev) => {
        try {
          await api(`${path}/evidence`, { method: 'POST', body: { key: c.key, done: ev.target.checked ? 'yes' : 'no' }, signal });
          reload();
        } catch (err) { main.prepend(errorBox(err) || ''); }
      },
    });
    return h('li', {}, h('label', {}, box_, ' ', en ? c.label_en : c.label_fr));
  }));
  main.append(h('section', {}, h('h2', {}, t('nd_checklist')), list,
    h('p', {}, v.ready ? h('strong', {}, t('nd_ready')) : t('nd_not_ready'))));
  main.append(h('section', {}, h('h2', {}, t('nd_firms')),
    v.suggestions_unavailable ? h('p', {}, t('nd_firms_unavailable'))
      : v.suggestions.length ? h('ul', {}, v.suggestions.map((f) => h('li', {},
        h('a', { href: '#/firm/' + f.siret }, f.name), h('div', { class: 'small' }, en ? f.reason_en : f.reason_fr))))
        : h('p', {}, t('nd_firms_none'))));
  const c = n.contract;
  const award = h('section', {}, h('h2', {}, t('nd_contract')));
  if (c) {
    award.append(h('p', {}, t('nd_contract_text', { siret: c.siret, eur: c.amount, date: c.notified, months: c.months })),
      h('p', {}, h('a', { href: `${BASE}${path}/decp`, download: `decp-${n.id}.json` }, t('nd_decp'))));
  } else {
    award.append(postForm(h('form', { class: 'hist-form' },
      field(t('nd_holder'), input('holder', { required: true, inputmode: 'numeric', maxlength: 14 })),
      field(t('nd_amount'), input('amount', { type: 'number', min: 1, required: true })),
      field(t('nd_notified'), input('date', { type: 'date', required: true })),
      field(t('nd_months'), input('months', { type: 'number', min: 1, required: true })),
      h('button', { type: 'submit' }, t('ev_record'))), `${path}/award`, reload, signal));
  }
  main.append(award);
  const invite = h('form', { class: 'hist-form' }, h('h2', {}, t('nd_conference')), h('p', { class: 'small' }, t('nd_conference_intro')),
    field(t('nd_event'), input('event', { required: true })), h('button', { type: 'submit' }, t('nd_invite')));
  main.append(postForm(invite, `${path}/invite`, (r) => { location.hash = '#/event/' + r.event; }, signal));
}
