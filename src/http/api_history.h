/* api_history.h — the API of a firm's history (issue 11): the handlers,
 * parameters, bodies and answer schemas that the rows of the route table
 * (api.c) name. */
#ifndef ML_API_HISTORY_H
#define ML_API_HISTORY_H

#include "http.h"

#define HISTORY_UPLOAD_MAX (32 * 1000 * 1000) /* the transport's cap; the setting is lower */

int h_contacts(request *r);
int h_contact_add(request *r);
int h_contact_update(request *r);
int h_interactions(request *r);
int h_interaction_add(request *r);
int h_firm_followups(request *r);
int h_followup_add(request *r);
int h_followups(request *r);
int h_followup_done(request *r);
int h_documents(request *r);
int h_document_add(request *r);
int h_document_get(request *r);
int h_timeline(request *r);
int h_gdpr_export(request *r);
int h_gdpr_erase(request *r);
int h_gdpr_review(request *r);
int h_gdpr_erasures(request *r);

extern const param_spec p_hist_siret[], p_hist_firm_followups[], p_hist_followups[],
    p_hist_followup[], p_hist_contact[], p_hist_upload[], p_hist_document[], p_hist_none[];
extern const body_spec b_contact, b_contact_update, b_interaction, b_followup, b_followup_done,
    b_person;
extern const char s_hist_contacts[], s_hist_contact[], s_hist_interactions[], s_hist_interaction[],
    s_hist_followups[], s_hist_followup[], s_hist_documents[], s_hist_document[], s_hist_timeline[],
    s_hist_export[], s_hist_erase[], s_hist_review[], s_hist_erasures[];

#endif
