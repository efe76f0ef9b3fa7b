// history.js — a firm's shared history on its page (issue 11): the timeline
// (interactions, contacts, follow-ups, documents, notes on suggested pairs,
// SIRENE changes, newest first), the contacts, the follow-ups, the documents,
// and the forms to add them. Every text a person wrote is put in the page as
// text (textContent), never as markup; documents are only ever downloaded.

import { api, enc, BASE, ApiError } from './api.js';
import { t, fmtDate, colon } from './i18n.js';
import { h } from './dom.js';

const KINDS = ['visit', 'call', 'meeting', 'email', 'event'];
const today = () => new Date().toISOString().slice(0, 10);
let uid = 0;

// A labelled field: [label, control]; `id` ties them.
function field(label, control, hint) {
  const id = 'hist-f' + (++uid);
  control.id = id;
  return h('p', { class: 'hist-field' }, h('label', { for: id }, label), ' ', control,
    hint ? h('span', { class: 'small' }, ' ' + hint) : null);
}

// Sends a file as the body (the API takes the bytes, its name in the query).
async function uploadFile(siret, file, signal) {
  const res = await fetch(`${BASE}/establishments/${enc(siret)}/documents?filename=${enc(file.name)}`, {
    method: 'POST', signal, body: file,
    headers: { 'Content-Type': 'application/octet-stream', Accept: 'application/json' },
  });
  let data = null;
  try { data = await res.json(); } catch (_) { data = null; }
  if (!res.ok) throw new ApiError(res.status, data && data.title, data && data.detail, data && data.code, data && data.parameter);
  return data;
}

function byLine(o) {
  return o.author ? ' — ' + t('hist_by', { name: o.author }) : '';
}

// One line of the timeline: its date, what it is, what it says.
function timelineItem(it) {
  const when = h('time', { datetime: it.at }, fmtDate(it.at));
  const what = h('span', { class: 'hist-kind' }, t('hist_kind_' + it.kind));
  let body;
  switch (it.kind) {
    case 'interaction':
      body = [t('hist_type_' + it.type), byLine(it),
        (it.contacts || []).length ? h('div', { class: 'small' }, colon(t('hist_with')) + ' ' + it.contacts.map((c) => c.name).join(', ')) : null,
        it.notes ? h('p', { class: 'hist-notes' }, it.notes) : null];
      break;
    case 'contact':
      body = [[it.name, it.position].filter(Boolean).join(', '), byLine(it)];
      break;
    case 'followup':
      body = [it.what, ' — ', t('hist_due', { date: fmtDate(it.due) }), ' · ',
        it.done ? t('hist_done') : it.overdue ? h('strong', { class: 'hist-overdue' }, t('hist_overdue')) : t('hist_todo'),
        it.owner ? ' · ' + t('hist_owner', { name: it.owner }) : null];
      break;
    case 'document':
      body = [h('a', { href: `${BASE}/documents/${enc(it.id)}`, download: '' }, it.name), byLine(it)];
      break;
    case 'note':
    case 'verdict': {
      const partner = it.partner ? h('a', { href: '#/firm/' + it.partner.siret }, it.partner.name || it.partner.siret) : null;
      body = [t('hist_verdict_' + it.verdict), partner ? [' — ', partner] : null, byLine(it),
        it.note ? h('p', { class: 'hist-notes' }, it.note) : null];
      break;
    }
    case 'sirene':
      body = [t('hist_sirene_' + it.change), it.insee_date && it.change !== 'created' ? ` (${fmtDate(it.insee_date)})` : null];
      break;
    default:
      body = [];
  }
  return h('li', { class: 'hist-item hist-' + it.kind }, when, ' ', what, ' ', h('span', {}, body));
}

// The history card of firm `siret` (an establishment that may be shown).
export function historySection(siret, { signal, errorBox, loadingBox }) {
  const E = `/establishments/${enc(siret)}`;
  const live = h('p', { class: 'hist-live', 'aria-live': 'polite' });
  const timelineBody = h('div', {}, loadingBox());
  const contactsBody = h('div');
  const followupsBody = h('div');
  const docsBody = h('div');
  let contacts = [];

  async function refresh() {
    try {
      const [tl, cs, fu, ds] = await Promise.all([
        api(E + '/timeline', { signal }), api(E + '/contacts', { signal }),
        api(E + '/follow-ups', { signal }), api(E + '/documents', { signal })]);
      contacts = cs.contacts || [];
      const items = tl.items || [];
      timelineBody.replaceChildren(items.length
        ? h('ol', { class: 'hist-timeline', id: 'hist-timeline' }, items.map(timelineItem))
        : h('p', {}, t('hist_empty')));
      contactsBody.replaceChildren(contacts.length
        ? h('ul', { class: 'hist-contacts', id: 'hist-contacts' }, contacts.map((c) => h('li', {},
          h('strong', {}, c.name), c.position ? ', ' + c.position : null,
          c.email ? [' · ', h('span', { class: 'mono' }, c.email)] : null, c.phone ? ' · ' + c.phone : null,
          h('div', { class: 'small' }, colon(t('hist_basis')) + ' ' + (c.basis || ''),
            c.siret ? null : ' · ' + t('hist_company_contact')))))
        : h('p', {}, t('hist_no_contact')));
      const fus = fu.followups || [];
      followupsBody.replaceChildren(fus.length
        ? h('ul', { class: 'hist-followups', id: 'hist-followups' }, fus.map((f) => h('li', {},
          f.what, ' — ', t('hist_due', { date: fmtDate(f.due) }), ' · ',
          f.done ? t('hist_done') : f.overdue ? h('strong', { class: 'hist-overdue' }, t('hist_overdue')) : t('hist_todo'), ' ',
          h('button', { type: 'button', class: 'small-button', onclick: () => markDone(f) }, f.done ? t('hist_undo') : t('hist_mark_done')))))
        : h('p', {}, t('hist_no_followup')));
      const docs = ds.documents || [];
      docsBody.replaceChildren(docs.length
        ? h('ul', { class: 'hist-documents', id: 'hist-documents' }, docs.map((d) => h('li', {},
          h('a', { href: `${BASE}/documents/${enc(d.id)}`, download: '' }, d.name), ' ',
          h('span', { class: 'small' }, `(${Math.max(1, Math.round(d.size / 1000))} ko · ${fmtDate(d.created)})`))))
        : h('p', {}, t('hist_no_document')));
      contactBoxes.replaceChildren(...contacts.map((c) => h('label', { class: 'hist-check' },
        h('input', { type: 'checkbox', value: String(c.id) }), ' ', c.name)));
    } catch (e) {
      if (e.name !== 'AbortError') timelineBody.replaceChildren(errorBox(e));
    }
  }

  async function markDone(f) {
    try {
      await api(`/follow-ups/${f.id}/done`, { signal, method: 'POST', body: { done: f.done ? 'no' : 'yes' } });
      live.textContent = f.done ? t('hist_saved_undone') : t('hist_saved_done');
      await refresh();
    } catch (e) { if (e.name !== 'AbortError') live.replaceChildren(errorBox(e)); }
  }

  // A form that posts, says so, and reloads the history.
  function form(id, title, fields, send, done) {
    const err = h('div', { class: 'hist-error' });
    const f = h('form', { class: 'hist-form', id, novalidate: true },
      h('h3', {}, title), ...fields, err, h('button', { type: 'submit' }, t('hist_save')));
    f.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      err.replaceChildren();
      try {
        await send();
        f.reset();
        if (done) done();
        live.textContent = t('hist_saved');
        await refresh();
      } catch (e) { if (e.name !== 'AbortError') err.replaceChildren(errorBox(e)); }
    });
    return f;
  }

  const kind = h('select', {}, KINDS.map((k) => h('option', { value: k }, t('hist_type_' + k))));
  const date = h('input', { type: 'date', value: today(), required: true });
  const notes = h('textarea', { rows: '3', maxlength: '8000' });
  const contactBoxes = h('div', { class: 'hist-checks' });
  const interactionForm = form('hist-add-interaction', t('hist_add_interaction'),
    [field(t('hist_f_kind'), kind), field(t('hist_f_date'), date), field(t('hist_f_notes'), notes),
      h('fieldset', {}, h('legend', {}, t('hist_f_contacts')), contactBoxes)],
    () => api(E + '/interactions', { signal, method: 'POST', body: {
      kind: kind.value, date: date.value || undefined, notes: notes.value.trim() || undefined,
      contacts: [...contactBoxes.querySelectorAll('input:checked')].map((x) => x.value).join(',') || undefined,
    } }), () => { date.value = today(); });

  const what = h('input', { type: 'text', maxlength: '1000', required: true });
  const due = h('input', { type: 'date', required: true });
  const owner = h('input', { type: 'text', maxlength: '200' });
  const followupForm = form('hist-add-followup', t('hist_add_followup'),
    [field(t('hist_f_what'), what), field(t('hist_f_due'), due), field(t('hist_f_owner'), owner, t('hist_f_owner_hint'))],
    () => api(E + '/follow-ups', { signal, method: 'POST', body: {
      what: what.value.trim(), due: due.value, owner: owner.value.trim() || undefined } }));

  const cname = h('input', { type: 'text', maxlength: '200', required: true, autocomplete: 'off' });
  const cpos = h('input', { type: 'text', maxlength: '200' });
  const cmail = h('input', { type: 'email', maxlength: '254', autocomplete: 'off' });
  const cphone = h('input', { type: 'tel', maxlength: '40', autocomplete: 'off' });
  const cbasis = h('input', { type: 'text', maxlength: '1000', required: true, value: t('hist_basis_default') });
  const csource = h('input', { type: 'text', maxlength: '200' });
  const contactForm = form('hist-add-contact', t('hist_add_contact'),
    [h('p', { class: 'small' }, t('hist_privacy_note')),
      field(t('hist_f_name'), cname), field(t('hist_f_position'), cpos), field(t('hist_f_email'), cmail),
      field(t('hist_f_phone'), cphone), field(t('hist_f_basis'), cbasis), field(t('hist_f_source'), csource)],
    () => api(E + '/contacts', { signal, method: 'POST', body: {
      name: cname.value.trim(), position: cpos.value.trim() || undefined, email: cmail.value.trim() || undefined,
      phone: cphone.value.trim() || undefined, basis: cbasis.value.trim(), source: csource.value.trim() || undefined } }),
    () => { cbasis.value = t('hist_basis_default'); });

  const file = h('input', { type: 'file', accept: '.pdf,.png,.jpg,.jpeg,.odt,.ods,.odp,.docx,.xlsx,.pptx,.csv,.txt' });
  const docForm = form('hist-add-document', t('hist_add_document'),
    [field(t('hist_f_file'), file, t('hist_f_file_hint'))],
    () => {
      if (!file.files.length) throw new ApiError(400, null, t('hist_f_file_missing'), 'hist_no_file');
      return uploadFile(siret, file.files[0], signal);
    });

  refresh();
  return h('section', { class: 'card', id: 'history', 'aria-labelledby': 'history-title' },
    h('h2', { id: 'history-title' }, t('hist_title')),
    h('p', { class: 'small' }, t('hist_intro')), live,
    h('h3', {}, t('hist_timeline')), timelineBody,
    h('div', { class: 'hist-columns' },
      h('div', {}, h('h3', {}, t('hist_contacts')), contactsBody),
      h('div', {}, h('h3', {}, t('hist_followups')), followupsBody),
      h('div', {}, h('h3', {}, t('hist_documents')), docsBody)),
    h('details', { class: 'hist-forms' }, h('summary', {}, t('hist_add')),
      interactionForm, followupForm, contactForm, docForm));
}
