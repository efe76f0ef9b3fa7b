/* api_needs.h — the API of the needs grid (issue 12 part 6): handlers,
 * parameters, body and answer schema that the route table (api.c) names. */
#ifndef ML_API_NEEDS_H
#define ML_API_NEEDS_H

#include "http.h"

int h_needs_grid(request *r);
int h_needs_grid_set(request *r);

extern const param_spec p_needs_territory[], p_needs_firm[];
extern const body_spec b_need;
extern const char s_needs[];

#endif
