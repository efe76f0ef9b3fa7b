/* proj.h — official coordinates to WGS84 with PROJ: Lambert-93 for mainland
 * France and Corsica, the legal systems of each overseas territory. */
#ifndef ML_PROJ_H
#define ML_PROJ_H

#include "core/core.h"

typedef struct ml_proj ml_proj;

/* NULL on failure, with the message on ctx (PROJ database missing...). */
ml_proj *ml_proj_new(ml_ctx *ctx);
void ml_proj_free(ml_proj *p);

/* EPSG code of the projected system SIRENE uses for a département code. */
int ml_proj_epsg_for_departement(const char *dep);

/* Converts x/y (metres, the système of `dep`) to WGS84 latitude/longitude.
 * Returns 0, or -1 when the point cannot be transformed. */
int ml_proj_to_wgs84(ml_proj *p, const char *dep, double x, double y, double *lat, double *lon);

#endif
