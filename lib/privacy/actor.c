/* actor.c — who may read a shared record (issue 11): the one visibility
 * rule of what organisations record (a firm's history, notes and verdicts on
 * suggested pairs), kept below the domains that apply it (lib/history,
 * lib/match). */
#include "maillage.h"

bool ml_actor_may_read(const ml_actor *who, int64_t org, int64_t author)
{
    if (!who || who->role == ML_ROLE_NONE) return false;
    /* A guest (a company contact, a public buyer) reads only what it wrote;
     * accounts may widen this to the records about its own firm. */
    if (who->role == ML_ROLE_GUEST) return who->user != 0 && author == who->user;
    if (org == who->org) return true;
    if (who->org == 0) return false; /* before accounts: organisation 0 only */
    for (size_t i = 0; i < who->norgs; i++)
        if (who->orgs && who->orgs[i] == org) return true;
    return false;
}
