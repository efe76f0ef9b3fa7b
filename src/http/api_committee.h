/* api_committee.h — the API of aid schemes, routing and committees (issue
 * 13 parts 3 and 5): handlers, parameters, bodies and answer schemas the
 * rows of the route table (api.c) name. */
#ifndef ML_API_COMMITTEE_H
#define ML_API_COMMITTEE_H

#include "http.h"

int h_schemes(request *r);
int h_project_schemes(request *r);
int h_project_route(request *r);
int h_committees(request *r);
int h_committee_add(request *r);
int h_committee(request *r);
int h_committee_order(request *r);
int h_committee_vote(request *r);
int h_committee_decision(request *r);
int h_committee_minutes(request *r);
int h_committee_letters(request *r);
int h_committee_pack(request *r);

extern const param_spec p_com_none[], p_com_prog[], p_com_project[], p_com_project_at[], p_com_id[];
extern const body_spec b_com_route, b_committee, b_com_order, b_com_vote, b_com_decision;
extern const char s_com_schemes[], s_com_eligible[], s_com_routes[], s_com_list[], s_committee[];

#endif
