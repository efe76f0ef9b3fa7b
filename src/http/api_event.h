/* api_event.h — the API of business conventions (issue 14): handlers,
 * parameters, bodies and answer schemas that the rows of the route table
 * (api.c, tag "events") name. */
#ifndef ML_API_EVENT_H
#define ML_API_EVENT_H

#include "http.h"

int h_events(request *r);
int h_event_add(request *r);
int h_event_show(request *r);
int h_event_participant_add(request *r);
int h_event_participant_link(request *r);
int h_event_request_add(request *r);
int h_event_request_accept(request *r);
int h_event_suggestions(request *r);
int h_event_schedule(request *r);
int h_event_lock(request *r);
int h_event_agenda(request *r);
int h_event_agenda_ics(request *r);
int h_event_grid_xlsx(request *r);
int h_event_outcome(request *r);
int h_agenda_link(request *r);
int h_agenda_link_ics(request *r);
/* agendas: PDF agendas and the table plan (issue 14) */
int h_event_agenda_pdf(request *r);
int h_agenda_link_pdf(request *r);
int h_event_plan_pdf(request *r);
extern const param_spec p_ev_participant_pdf[], p_ev_event_pdf[], p_ev_token_pdf[];
/* agendas: publication and the changes after it (issue 14) */
int h_event_publish(request *r);
int h_event_changes(request *r);
int h_agenda_link_seen(request *r);
extern const param_spec p_ev_changes[];
extern const char s_ev_publish[], s_ev_changes[], s_ev_seen[];
int h_needs(request *r);
int h_need_add(request *r);
int h_need_show(request *r);
int h_need_evidence(request *r);
int h_need_award(request *r);
int h_need_decp(request *r);
int h_need_invite(request *r);

extern const param_spec p_ev_none[], p_ev_event[], p_ev_participant[], p_ev_token[], p_ev_need[],
    p_ev_need_show[];
extern const body_spec b_ev_event, b_ev_participant, b_ev_request, b_ev_pair, b_ev_schedule,
    b_ev_lock, b_ev_outcome, b_ev_need, b_ev_evidence, b_ev_award, b_ev_invite;
extern const char s_ev_list[], s_ev_event[], s_ev_show[], s_ev_participant[], s_ev_request[],
    s_ev_suggestions[], s_ev_schedule[], s_ev_ok[], s_ev_agenda[], s_ev_outcome[], s_ev_needs[],
    s_ev_need[], s_ev_need_show[], s_ev_decp[], s_ev_invite[];

/* CPV codes, a need's code, what outcomes teach (issue 14) */
int h_cpv_search(request *r);
int h_cpv_show(request *r);
int h_need_cpv(request *r);
int h_event_learning(request *r);
extern const param_spec p_ev_cpv_search[], p_ev_cpv[];
extern const body_spec b_ev_need_cpv;
extern const char s_ev_cpv_search[], s_ev_cpv[], s_ev_learning[];

#endif
