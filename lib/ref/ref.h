/* ref.h — reference data: the official tables maillage ships in data/
 * (geography, NAF, input-output tables, legal forms, postcodes, search
 * vocabulary). lib/ref owns the list of files and reads them (with the CSV
 * reader); it writes through the store's ref_put slot, so a backend only
 * stores rows and never reads a file. See docs/architecture.md. */
#ifndef ML_REF_H
#define ML_REF_H

#include "store/store.h"

/* Replaces every reference table with the files under the context's data
 * directory, in one transaction: on error nothing changed and the context
 * says which file and line. Records the data directory and the program
 * version in the database's metadata. The public ml_db_init() calls it. */
ml_err ml_ref_load(ml_db *db);

#endif
