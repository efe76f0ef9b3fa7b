// committee.js — the committees of a programme (issue 13 part 5), a section
// of the programme page: the meetings, a form to call one (its agenda is
// built by the server from the projects ready), and the selected meeting:
// members, the agenda with one sheet per project (the firm as the register
// may show it, the interviews, the request, every rule checked with pass or
// fail, the envelopes before and after), the votes, the decisions (a grant
// refused by a rule or by the votes shows the server's reason), and the
// minutes, letters and pack as PDF. Officers change things; a committee
// member's organisation reads. Every text a person wrote goes in as text.

import { api, enc, ApiError, BASE } from './api.js';
import { t, fmtDate } from './i18n.js';
import { euros } from './programme.js';
import { h } from './dom.js';

let uid = 0;
function field(label, control) {
  const id = 'com-f' + (++uid);
  control.id = id;
  return h('p', { class: 'prog-field' }, h('label', { for: id }, label), ' ', control);
}

function problem(e) {
  if (e && e.name === 'AbortError') return null;
  const text = e instanceof ApiError ? (e.detail || e.title || t('prog_error')) : t('prog_error');
  return h('p', { class: 'error', role: 'alert' }, text);
}

function firmLine(f) {
  const name = f.restricted || !f.name ? t('com_restricted', { siret: f.siret }) : f.name;
  return [h('strong', {}, name), ' — SIRET ', f.siret,
    f.naf ? ` · NAF ${f.naf}${f.naf_label ? ' ' + f.naf_label : ''}` : '',
    f.size_label ? ' · ' + f.size_label : '', f.category ? ' · ' + f.category : '',
    f.commune_name ? ' · ' + f.commune_name : ''];
}

function sheet(s, c, canWrite, act) {
  const checks = s.checks.length
    ? h('ul', { class: 'com-checks' }, s.checks.map((k) => h('li', { class: k.pass ? 'prog-pass' : 'prog-stale' },
      (k.pass ? '✓ ' : '✗ ') + t('com_rule_' + k.rule) + (k.instrument ? ' (' + t('prog_instr_' + k.instrument) + ')' : '') + ' — ', k.detail)))
    : h('p', { class: 'small' }, s.decision === 'granted' ? t('com_checked_at_decision') : t('com_nothing_asked'));
  const envs = h('table', { class: 'com-envelopes' },
    h('thead', {}, h('tr', {}, ...['prog_envelope', 'com_before', 'com_taken', 'com_after'].map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', {}, s.envelopes.map((e) => h('tr', {}, h('th', { scope: 'row' }, t('prog_instr_' + e.instrument) + (e.funder ? ' — ' + e.funder : '')),
      h('td', { class: 'num' }, euros(e.available_before)), h('td', { class: 'num' }, euros(e.taken)), h('td', { class: 'num' }, euros(e.available_after))))));
  const v = s.votes;
  const decision = s.decision
    ? h('p', { class: 'com-decision' }, h('strong', {}, t('com_decision_' + s.decision)), s.reason ? ' — ' + s.reason : '')
    : h('p', { class: 'com-decision small' }, t('com_undecided'));
  const parts = [
    h('h4', {}, `${s.seq}. ${s.title}`),
    h('p', {}, firmLine(s.firm)),
    h('p', { class: 'small' }, t('com_request', { subsidy: euros(s.request.subsidy), advance: euros(s.request.advance) }),
      ' · ', t('com_cost', { cost: euros(s.cost) })),
    s.interviews.length ? h('p', { class: 'small' }, s.interviews.map((i) => t('com_interview', { day: fmtDate(i.day), scores: i.scores || '—', flags: i.flags || '—' })).join(' · ')) : null,
    checks, envs,
    h('p', { class: 'small' }, t('com_votes', { for: v.for, against: v.against, abstain: v.abstain }),
      v.by_member.length ? ' (' + v.by_member.map((b) => `${b.name}: ${t('com_vote_' + b.vote)}`).join(', ') + ')' : ''),
    decision,
  ];
  if (canWrite && !s.decision) parts.push(controls(s, c, act));
  return h('article', { class: 'com-sheet', 'data-project': s.project }, parts);
}

function controls(s, c, act) {
  const member = h('select', { name: 'member' }, c.members.map((m) => h('option', { value: String(m.seq) }, m.name)));
  const vote = h('select', { name: 'vote' }, ['for', 'against', 'abstain'].map((x) => h('option', { value: x }, t('com_vote_' + x))));
  const voteBtn = h('button', { type: 'button', class: 'com-vote' }, t('com_vote_button'));
  voteBtn.addEventListener('click', () => act(`/committees/${c.id}/votes`, { project: String(s.project), member: member.value, vote: vote.value }));
  const subsidy = h('input', { name: 'subsidy', inputmode: 'decimal', value: String(s.request.subsidy / 100) });
  const advance = h('input', { name: 'advance', inputmode: 'decimal', value: String(s.request.advance / 100) });
  const instalments = h('input', { name: 'instalments', inputmode: 'numeric', value: '8', size: 4 });
  const deferral = h('input', { name: 'deferral', inputmode: 'numeric', value: '12', size: 4 });
  const every = h('input', { name: 'every', inputmode: 'numeric', value: '3', size: 4 });
  const grant = h('button', { type: 'button', class: 'com-grant' }, t('com_grant'));
  grant.addEventListener('click', () => {
    const body = { project: String(s.project), decision: 'grant', instalments: instalments.value || '1',
      deferral: deferral.value || '0', every: every.value || '3' };
    if (Number(subsidy.value) > 0) body.subsidy = subsidy.value;
    if (Number(advance.value) > 0) body.advance = advance.value;
    act(`/committees/${c.id}/decisions`, body);
  });
  const reason = h('input', { name: 'reason', maxlength: 1000 });
  const refuse = h('button', { type: 'button', class: 'com-refuse' }, t('com_refuse'));
  refuse.addEventListener('click', () => act(`/committees/${c.id}/decisions`, { project: String(s.project), decision: 'refuse', reason: reason.value.trim() }));
  const up = s.seq > 1 ? h('button', { type: 'button', class: 'com-up' }, t('com_up')) : null;
  if (up) up.addEventListener('click', () => {
    const ids = c.agenda.map((x) => x.project);
    const i = ids.indexOf(s.project);
    [ids[i - 1], ids[i]] = [ids[i], ids[i - 1]];
    act(`/committees/${c.id}/order`, { projects: ids.join(',') });
  });
  return h('div', { class: 'com-controls' },
    h('p', {}, field(t('com_member'), member), ' ', field(t('com_vote'), vote), ' ', voteBtn),
    h('p', {}, field(t('prog_env_subsidy'), subsidy), ' ', field(t('prog_env_advance'), advance), ' ',
      field(t('prog_deferral'), deferral), ' ', field(t('prog_instalments'), instalments), ' ', field(t('prog_every'), every), ' ', grant),
    h('p', {}, field(t('com_reason'), reason), ' ', refuse, ' ', up));
}

/** The committees of programme `id` in `box`; `canWrite`: the caller is its officer. */
export async function committeeSection(id, box, signal, canWrite, onChange) {
  const listBox = h('div', { id: 'com-list' }), showBox = h('div', { id: 'com-show' }), status = h('div', { 'aria-live': 'polite' });
  box.replaceChildren(h('h3', {}, t('com_title')), listBox, status, showBox);
  let current = null;
  const show = async (cid) => {
    current = cid;
    try {
      const c = await api(`/committees/${enc(cid)}`, { signal });
      render(c);
    } catch (e) { if (e.name !== 'AbortError') showBox.replaceChildren(problem(e) || ''); }
  };
  const act = async (path, body) => {
    status.replaceChildren();
    try {
      const c = await api(path, { method: 'POST', body });
      render(c);
      await refreshList();
      if (onChange) await onChange();
    } catch (e) {
      status.replaceChildren(h('p', { class: 'error', role: 'alert' },
        e instanceof ApiError && e.status === 409 ? t('prog_refused', { reason: e.detail }) : (e.detail || t('prog_error'))));
    }
  };
  const render = (c) => {
    const pdf = (what) => h('a', { href: `${BASE}/committees/${c.id}/${what}.pdf`, download: '', class: 'com-pdf', 'data-doc': what }, t('com_pdf_' + what));
    showBox.replaceChildren(
      h('h4', {}, t('com_meeting', { day: fmtDate(c.day) }) + (c.place ? ' — ' + c.place : '') + (c.held ? ' · ' + t('com_held') : '')),
      h('p', { class: 'small' }, t('com_members'), ' ', c.members.map((m) => `${m.name} (${m.organisation}, ${m.role})`).join(' · ')),
      h('p', {}, pdf('pack'), ' · ', pdf('minutes'), ' · ', pdf('letters')),
      c.agenda.length ? h('div', { class: 'com-agenda' }, c.agenda.map((s) => sheet(s, c, canWrite, act))) : h('p', {}, t('com_empty')),
      h('p', { class: 'small' }, c.envelopes.map((e) => t('prog_after', { instrument: t('prog_instr_' + e.instrument),
        before: euros(e.available_before), after: euros(e.available_after) })).join(' · ')));
  };
  const refreshList = async () => {
    try {
      const l = await api(`/programmes/${enc(id)}/committees`, { signal });
      listBox.replaceChildren(l.committees.length
        ? h('ul', { class: 'com-meetings' }, l.committees.map((m) => h('li', {},
          h('button', { type: 'button', class: 'link com-open', 'data-committee': m.id, onclick: () => show(m.id) },
            t('com_meeting', { day: fmtDate(m.day) }) + (m.place ? ' — ' + m.place : '')),
          ' ', h('span', { class: 'small' }, t('com_counts', { n: m.projects, decided: m.decided }) + (m.held ? ' · ' + t('com_held') : '')))))
        : h('p', {}, t('com_none')));
      if (!current && l.committees.length) await show(l.committees[l.committees.length - 1].id);
    } catch (e) { if (e.name !== 'AbortError') listBox.replaceChildren(problem(e) || ''); }
  };
  if (canWrite) {
    const formStatus = h('div', { 'aria-live': 'polite' });
    const form = h('form', { class: 'prog-form', id: 'com-new' }, h('h4', {}, t('com_new')),
      field(t('com_date'), h('input', { name: 'date', type: 'date', required: true })),
      field(t('com_place'), h('input', { name: 'place', maxlength: 200 })),
      field(t('com_members_input'), h('textarea', { name: 'members', rows: 3, required: true, placeholder: t('com_members_placeholder') })),
      h('button', { type: 'submit' }, t('com_create')), formStatus);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      formStatus.replaceChildren();
      const fd = new FormData(form);
      const members = String(fd.get('members') || '').split('\n').map((l) => l.split('|').map((x) => x.trim()).join('|')).filter((l) => l).join(';');
      const body = { date: String(fd.get('date') || ''), members };
      if (String(fd.get('place') || '').trim()) body.place = String(fd.get('place')).trim();
      try {
        const c = await api(`/programmes/${enc(id)}/committees`, { method: 'POST', body });
        form.reset();
        current = c.id;
        render(c);
        await refreshList();
      } catch (e) { formStatus.replaceChildren(problem(e) || ''); }
    });
    box.append(form);
  }
  await refreshList();
}
