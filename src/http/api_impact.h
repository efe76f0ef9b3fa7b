/* api_impact.h — the API of the impact follow-up and the poles' R&D
 * projects (issue 13 parts 6, 7): the handlers, parameters, bodies and
 * answer schemas that the rows of the route table (api.c) name. */
#ifndef ML_API_IMPACT_H
#define ML_API_IMPACT_H

#include "http.h"

int h_impact_milestones(request *r);
int h_impact_due(request *r);
int h_impact_report(request *r);
int h_impact_record(request *r);
int h_project_pole(request *r);
int h_project_partner_add(request *r);
int h_project_partner_delete(request *r);
int h_project_trl_add(request *r);
int h_project_need_add(request *r);
int h_project_need_delete(request *r);
int h_project_suggest(request *r);

extern const param_spec p_impact_due[], p_impact_report[], p_pole_partner[], p_pole_need[],
    p_pole_suggest[];
extern const body_spec b_impact_milestones, b_impact_record, b_pole_partner, b_pole_trl,
    b_pole_need;
extern const char s_impact_milestones[], s_impact_due[], s_impact_report[], s_pole[],
    s_pole_suggest[];

#endif
