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

/* campaigns and roadmaps (issue 13, item 2) */
int h_campaigns(request *r);
int h_campaign_add(request *r);
int h_campaign(request *r);
int h_campaign_suggestions(request *r);
int h_campaign_suggestions_save(request *r);
int h_campaign_firm_add(request *r);
int h_campaign_firm_remove(request *r);
int h_campaign_visit(request *r);
int h_campaign_status(request *r);
int h_campaign_workshop(request *r);
int h_campaign_synthesis(request *r);
int h_engineering(request *r);
int h_engineering_set(request *r);
int h_interview_project(request *r);
int h_actions(request *r);
int h_action_add(request *r);
int h_action_state(request *r);
int h_roadmap_pdf(request *r);
int h_roadmap_docx(request *r);
extern const param_spec p_campaign[], p_campaign_top[], p_interview[], p_action[];
extern const body_spec b_campaign, b_suggest, b_campaign_firm, b_visit, b_visit_status, b_workshop,
    b_engineering, b_interview_project, b_action, b_action_state;
extern const char s_campaigns[], s_campaign[], s_campaign_suggest[], s_campaign_firm[],
    s_workshop[], s_engineering[], s_actions[], s_action[];

#endif
