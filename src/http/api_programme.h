/* api_programme.h — the API of programmes (issue 13): the handlers,
 * parameters, bodies and answer schemas that the rows of the route table
 * (api.c) name. */
#ifndef ML_API_PROGRAMME_H
#define ML_API_PROGRAMME_H

#include "http.h"

int h_programmes(request *r);
int h_programme_add(request *r);
int h_programme(request *r);
int h_programme_position(request *r);
int h_programme_ledger(request *r);
int h_programme_impact(request *r);
int h_interviews(request *r);
int h_interview_add(request *r);
int h_programme_synthesis(request *r);
int h_programme_committee(request *r);
int h_projects(request *r);
int h_project_add(request *r);
int h_project(request *r);
int h_project_edit(request *r);
int h_project_stage(request *r);
int h_project_decision(request *r);
int h_project_entry(request *r);

extern const param_spec p_prog_none[], p_prog[], p_prog_position[], p_prog_projects[],
    p_prog_project[], p_prog_project_at[];
extern const body_spec b_programme, b_project, b_project_edit, b_interview, b_project_stage, b_decision, b_entry;
extern const char s_prog_list[], s_prog[], s_prog_position[], s_prog_impact[], s_prog_interviews[],
    s_prog_interview[], s_prog_synthesis[], s_prog_committee[], s_prog_ledger[],
    s_prog_projects[], s_prog_project[];

#endif
