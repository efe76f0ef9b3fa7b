/* test_programme.c — programmes (lib/programme, issue 13): the ledger's
 * invariants under random sequences of decisions, payments, repayments and
 * cancellations dated in any order (nothing created or lost, no position
 * negative at any day, every position equal to a recomputation from the
 * entries accepted); repayment schedules against examples worked by hand;
 * the de minimis window at its edges; each refusal with its reason; who may
 * read and write a programme. Real SQLite in memory, the real fixtures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "maillage.h"

#define ASM  "91000001700012" /* large (1,000-1,999 employees), company 910000017 (ETI) */
#define NEAR "91000002500015" /* small (20-49), company 910000025 (PME) */
#define PRIV "91000006600019" /* restricted diffusion (statut P) */

static const ml_actor site = {.role = ML_ROLE_ADMIN, .name = "site", .site_admin = true};
static const ml_actor officer_a = {.user = 11, .org = 1, .role = ML_ROLE_OFFICER, .name = "Alice"};
static const ml_actor officer_b = {.user = 21, .org = 2, .role = ML_ROLE_OFFICER, .name = "Bob"};
static const ml_actor viewer_a = {.user = 12, .org = 1, .role = ML_ROLE_VIEWER, .name = "Vera"};

typedef struct fixture {
    ml_ctx *ctx;
    ml_db *db;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    fx->ctx = ml_ctx_new();
    const char *paths[] = {TESTS_DATA "/fixture_match.csv"};
    const char *units = TESTS_DATA "/fixture_unites.csv";
    int64_t id;
    if (ml_db_open(fx->ctx, ":memory:", ML_DB_CREATE, &fx->db) || ml_db_init(fx->db) ||
        ml_import_sirene(fx->db, paths, 1, NULL, NULL) ||
        ml_import_unites(fx->db, units, NULL, NULL) ||
        ml_org_add(fx->db, &site, "Agence A", "agency", &id) ||
        ml_org_add(fx->db, &site, "Région B", "agency", &id)) {
        fprintf(stderr, "setup: %s\n", ml_ctx_message(fx->ctx));
        return -1;
    }
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    ml_db_close(fx->db);
    ml_ctx_free(fx->ctx);
    free(fx);
    return 0;
}

static int64_t jint(json_t *o, const char *key)
{
    return json_integer_value(json_object_get(o, key));
}

/* A programme of org 1 with the envelopes given; returns its id. */
static int64_t programme(fixture *fx, const char *name, const ml_envelope_in *envs, size_t n)
{
    ml_programme_in in = {.name = name, .envelopes = envs, .nenvelopes = n};
    json_t *out = NULL;
    ml_err r = ml_programme_add(fx->db, &officer_a, &in, &out);
    if (r) fprintf(stderr, "%s\n", ml_ctx_message(fx->ctx));
    assert_int_equal(r, ML_OK);
    int64_t id = jint(out, "id");
    json_decref(out);
    return id;
}

static int64_t project(fixture *fx, const char *prog, const char *siret, int64_t cost)
{
    ml_project_in in = {.programme = prog, .siret = siret, .title = "Projet", .cost = cost};
    json_t *out = NULL;
    ml_err r = ml_project_add(fx->db, &officer_a, &in, &out);
    if (r) fprintf(stderr, "%s\n", ml_ctx_message(fx->ctx));
    assert_int_equal(r, ML_OK);
    int64_t id = jint(out, "id");
    json_decref(out);
    return id;
}

static ml_err decide(fixture *fx, int64_t project, const char *date, int64_t subsidy,
                     int64_t advance)
{
    ml_decision_in in = {.project = project,
                         .date = date,
                         .subsidy = subsidy,
                         .advance = advance,
                         .deferral = 12,
                         .instalments = 4,
                         .every = 6};
    json_t *out = NULL;
    ml_err r = ml_project_decide(fx->db, &officer_a, &in, &out);
    json_decref(out);
    return r;
}

static void assert_refused(fixture *fx, ml_err r, const char *reason)
{
    if (r != ML_REFUSED) fprintf(stderr, "expected a refusal for '%s', got %d\n", reason, r);
    assert_int_equal(r, ML_REFUSED);
    if (!strstr(ml_ctx_message(fx->ctx), reason)) {
        fprintf(stderr, "expected '%s' in '%s'\n", reason, ml_ctx_message(fx->ctx));
        fail();
    }
}

/* ------------------------------------------------------------ money, days */

static void test_euros_are_read_to_the_cent(void **state)
{
    (void)state;
    int64_t c;
    assert_int_equal(ml_euros_parse("1500000", &c), 0);
    assert_int_equal(c, 150000000);
    assert_int_equal(ml_euros_parse("1 500 000,5", &c), 0);
    assert_int_equal(c, 150000050);
    assert_int_equal(ml_euros_parse("0.07", &c), 0);
    assert_int_equal(c, 7);
    const char *bad[] = {"",   "1.234",  "-5",  "1e6",   "12,",
                         ",5", "1  000", "abc", "1.2.3", "10000000000000"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(ml_euros_parse(bad[i], &c), -1);
    char out[32];
    ml_euros_format(333333334, out, sizeof out);
    assert_string_equal(out, "3333333.34");
}

/* Worked by hand: 100,000.00 euros in 3 instalments is 10,000,000 cents =
 * 3 x 3,333,333 + 1: the first instalment takes the extra cent. A decision
 * on 31 January with one month of deferral and monthly instalments: each
 * due day counted from the decision, so the 31st stays the month's end. */
static void test_repayment_schedules_worked_by_hand(void **state)
{
    fixture *fx = *state;
    ml_envelope_in envs[] = {{.instrument = "advance", .amount = 100000000}};
    programme(fx, "Échéanciers", envs, 1);
    int64_t p = project(fx, "Échéanciers", NEAR, 50000000);
    ml_decision_in in = {.project = p,
                         .date = "2026-01-31",
                         .advance = 10000000,
                         .deferral = 1,
                         .instalments = 3,
                         .every = 1};
    json_t *out = NULL;
    assert_int_equal(ml_project_decide(fx->db, &officer_a, &in, &out), ML_OK);
    json_t *s = json_object_get(out, "schedule");
    assert_int_equal(json_array_size(s), 3);
    const char *due[] = {"2026-02-28", "2026-03-31", "2026-04-30"};
    int64_t amount[] = {3333334, 3333333, 3333333};
    for (size_t i = 0; i < 3; i++) {
        json_t *v = json_array_get(s, i);
        assert_string_equal(json_string_value(json_object_get(v, "due")), due[i]);
        assert_int_equal(jint(v, "amount"), amount[i]);
    }
    json_decref(out);
    /* Nothing paid out yet: nothing of the schedule is owed. */
    assert_int_equal(ml_project_show(fx->db, &officer_a, p, "2026-03-15", &out), ML_OK);
    s = json_object_get(out, "schedule");
    for (size_t i = 0; i < 3; i++)
        assert_string_equal(json_string_value(json_object_get(json_array_get(s, i), "state")),
                            "not_paid_out");
    json_decref(out);
    /* Paid in full, one instalment and 1 cent repaid: the first is paid, the
     * second (due 31 March) is late on 15 April and defaulted three months
     * after its due day; the third is due. */
    ml_entry_in pay = {.project = p, .kind = "pay", .amount = 10000000, .date = "2026-02-01"};
    assert_int_equal(ml_ledger_add(fx->db, &officer_a, &pay, &out), ML_OK);
    json_decref(out);
    ml_entry_in rep = {.project = p, .kind = "repay", .amount = 3333335, .date = "2026-02-28"};
    assert_int_equal(ml_ledger_add(fx->db, &officer_a, &rep, &out), ML_OK);
    json_decref(out);
    const char *at[] = {"2026-04-15", "2026-06-30", "2026-07-01"};
    const char *second[] = {"late", "defaulted", "defaulted"};
    const char *third[] = {"due", "late", "late"};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(ml_project_show(fx->db, &officer_a, p, at[i], &out), ML_OK);
        s = json_object_get(out, "schedule");
        assert_string_equal(json_string_value(json_object_get(json_array_get(s, 0), "state")),
                            "paid");
        assert_int_equal(jint(json_array_get(s, 1), "repaid"), 1);
        assert_string_equal(json_string_value(json_object_get(json_array_get(s, 1), "state")),
                            second[i]);
        assert_string_equal(json_string_value(json_object_get(json_array_get(s, 2), "state")),
                            third[i]);
        json_decref(out);
    }
    /* A second schedule: 150,000 euros, 12 months' deferral, 4 instalments
     * every 6 months from 31 March 2026: 37,500 euros on 31 March and 30
     * September 2027, 31 March and 30 September 2028. */
    int64_t q = project(fx, "Échéanciers", ASM, 50000000);
    ml_decision_in in2 = {.project = q,
                          .date = "2026-03-31",
                          .advance = 15000000,
                          .deferral = 12,
                          .instalments = 4,
                          .every = 6};
    assert_int_equal(ml_project_decide(fx->db, &officer_a, &in2, &out), ML_OK);
    s = json_object_get(out, "schedule");
    const char *due2[] = {"2027-03-31", "2027-09-30", "2028-03-31", "2028-09-30"};
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(json_string_value(json_object_get(json_array_get(s, i), "due")),
                            due2[i]);
        assert_int_equal(jint(json_array_get(s, i), "amount"), 3750000);
    }
    json_decref(out);
    /* Cancelling 10,000.01 euros of it splits what is left (139,999.99
     * euros = 13,999,999 cents) over the same days: 3,500,000 then three of
     * 3,499,999... no: 13,999,999 = 4 x 3,499,999 + 3, so three instalments
     * of 3,500,000 and one of 3,499,999. */
    ml_entry_in cancel = {.project = q, .kind = "cancel", .amount = 1000001, .date = "2026-04-01"};
    assert_int_equal(ml_ledger_add(fx->db, &officer_a, &cancel, &out), ML_OK);
    s = json_object_get(out, "schedule");
    int64_t after[] = {3500000, 3500000, 3500000, 3499999};
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(json_string_value(json_object_get(json_array_get(s, i), "due")),
                            due2[i]);
        assert_int_equal(jint(json_array_get(s, i), "amount"), after[i]);
    }
    json_decref(out);
}

/* Worked by hand: an advance of 90,000 euros in 3 instalments of 30,000
 * (the first a year after the decision of 1 March 2026, then every 6
 * months) of which 60,000 were paid out: on 15 May 2027 the first
 * instalment (due 1 March) is owed and 20,000 of it repaid: late, and
 * defaulted from 1 June;
 * the third is not paid out; on 15 September 2027, the first is defaulted
 * and the second (30,000, due 1 September) late. A subsidy of 50,000 to a
 * second project, of which 10,000 cancelled. Cost 300,000 + 200,000,
 * aid 90,000 + 40,000 = 130,000: leverage (500,000 - 130,000) / 130,000 =
 * 2.846...; 4 + 1 jobs created: 26,000 euros of aid per job. */
static void test_impact_worked_by_hand(void **state)
{
    fixture *fx = *state;
    ml_envelope_in envs[] = {{.instrument = "subsidy", .amount = 100000000},
                             {.instrument = "advance", .amount = 100000000}};
    programme(fx, "Impact", envs, 2);
    json_t *out = NULL;
    ml_project_in a_in = {.programme = "Impact",
                          .siret = NEAR,
                          .title = "A",
                          .cost = 30000000,
                          .jobs_created = 4,
                          .jobs_kept = 10};
    ml_project_in b_in = {
        .programme = "Impact", .siret = ASM, .title = "B", .cost = 20000000, .jobs_created = 1};
    ml_project_in c_in = {.programme = "Impact",
                          .siret = ASM,
                          .title = "C (not decided)",
                          .cost = 99900000,
                          .jobs_created = 50};
    assert_int_equal(ml_project_add(fx->db, &officer_a, &a_in, &out), ML_OK);
    int64_t a = jint(out, "id");
    json_decref(out);
    assert_int_equal(ml_project_add(fx->db, &officer_a, &b_in, &out), ML_OK);
    int64_t b = jint(out, "id");
    json_decref(out);
    assert_int_equal(ml_project_add(fx->db, &officer_a, &c_in, &out), ML_OK);
    json_decref(out);
    ml_decision_in d = {.project = a,
                        .date = "2026-03-01",
                        .advance = 9000000,
                        .deferral = 12,
                        .instalments = 3,
                        .every = 6};
    assert_int_equal(ml_project_decide(fx->db, &officer_a, &d, &out), ML_OK);
    json_decref(out);
    assert_int_equal(decide(fx, b, "2026-03-01", 5000000, 0), ML_OK);
    ml_entry_in in[] = {
        {.project = a, .kind = "pay", .amount = 6000000, .date = "2026-04-01"},
        {.project = a, .kind = "repay", .amount = 2000000, .date = "2027-03-15"},
        {.project = b, .kind = "cancel", .amount = 1000000, .date = "2026-05-01"},
    };
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(ml_ledger_add(fx->db, &officer_a, &in[i], &out), ML_OK);
        json_decref(out);
    }
    assert_int_equal(ml_programme_impact(fx->db, &officer_a, "Impact", "2027-05-15", &out), ML_OK);
    assert_int_equal(jint(out, "projects_decided"), 2);
    assert_int_equal(jint(out, "cost"), 50000000);
    assert_int_equal(jint(out, "aid"), 13000000);
    assert_int_equal(jint(out, "jobs_created"), 5);
    assert_int_equal(jint(out, "jobs_kept"), 10);
    assert_int_equal(jint(out, "aid_per_job_created"), 2600000);
    assert_true(fabs(json_real_value(json_object_get(out, "leverage")) - 37.0 / 13.0) < 1e-12);
    json_t *rp = json_object_get(out, "repayments");
    assert_int_equal(jint(rp, "due"), 3000000);
    assert_int_equal(jint(rp, "repaid_of_due"), 2000000);
    assert_int_equal(jint(rp, "late"), 1000000);
    assert_int_equal(jint(rp, "defaulted"), 0);
    json_decref(out);
    assert_int_equal(ml_programme_impact(fx->db, &officer_a, "Impact", "2027-09-15", &out), ML_OK);
    rp = json_object_get(out, "repayments");
    assert_int_equal(jint(rp, "due"), 6000000);
    assert_int_equal(jint(rp, "defaulted"), 1000000);
    assert_int_equal(jint(rp, "late"), 3000000);
    assert_true(fabs(json_real_value(json_object_get(rp, "rate")) - 1.0 / 3.0) < 1e-12);
    json_decref(out);
    assert_int_equal(ml_project_show(fx->db, &officer_a, a, "2027-09-15", &out), ML_OK);
    json_t *s = json_object_get(out, "schedule");
    const char *states[] = {"defaulted", "late", "not_paid_out"};
    int64_t owed[] = {3000000, 3000000, 0};
    for (size_t i = 0; i < 3; i++) {
        assert_string_equal(json_string_value(json_object_get(json_array_get(s, i), "state")),
                            states[i]);
        assert_int_equal(jint(json_array_get(s, i), "owed"), owed[i]);
    }
    json_decref(out);
    assert_int_equal(ml_programme_impact(fx->db, &officer_b, "Impact", NULL, &out), ML_NOTFOUND);
}

/* ------------------------------------------------------------ de minimis */

/* 200,000 euros recorded on 15 June 2023. The three years that end on 14
 * June 2026 begin on 15 June 2023: it counts, so 100,000 euros fit exactly
 * and one cent more does not. On 15 June 2026 it has left the window. */
static void test_de_minimis_at_the_edges_of_the_window(void **state)
{
    fixture *fx = *state;
    ml_envelope_in envs[] = {{.instrument = "subsidy", .amount = 100000000}};
    programme(fx, "De minimis", envs, 1);
    json_t *out = NULL;
    assert_int_equal(
        ml_aid_add(fx->db, &officer_a, "910000025", "2023-06-15", 20000000, "Région, 2023", &out),
        ML_OK);
    json_decref(out);
    int64_t a = project(fx, "De minimis", NEAR, 100000000);
    assert_refused(fx, decide(fx, a, "2026-06-14", 10000001, 0), "de minimis");
    assert_refused(fx, decide(fx, a, "2026-06-14", 10000001, 0), "at most 100000.00 euros");
    assert_int_equal(decide(fx, a, "2026-06-14", 10000000, 0), ML_OK);
    /* On 15 June 2026: the 2023 aid is out, A's 100,000 in: 200,000 more fit. */
    int64_t b = project(fx, "De minimis", NEAR, 100000000);
    assert_refused(fx, decide(fx, b, "2026-06-15", 20000001, 0), "de minimis");
    assert_int_equal(decide(fx, b, "2026-06-15", 20000000, 0), ML_OK);
    int64_t c = project(fx, "De minimis", NEAR, 100000000);
    assert_refused(fx, decide(fx, c, "2026-06-15", 1, 0), "de minimis");
    /* Cancelling aid gives the room back; three years after B, all is free. */
    ml_entry_in cancel = {.project = b, .kind = "cancel", .amount = 5000000, .date = "2026-07-01"};
    assert_int_equal(ml_ledger_add(fx->db, &officer_a, &cancel, &out), ML_OK);
    json_decref(out);
    assert_int_equal(ml_de_minimis(fx->db, &officer_a, "910000025", "2026-07-01", &out), ML_OK);
    assert_int_equal(jint(out, "programmes"), 25000000);
    assert_int_equal(jint(out, "other"), 0);
    assert_int_equal(jint(out, "left"), 5000000);
    json_decref(out);
    assert_int_equal(ml_de_minimis(fx->db, &officer_a, "910000025", "2029-06-15", &out), ML_OK);
    assert_int_equal(jint(out, "left"), ML_DE_MINIMIS_CENTS);
    json_decref(out);
    assert_int_equal(decide(fx, c, "2026-07-01", 5000000, 0), ML_OK);
}

/* ------------------------------------------------------------- refusals */

static void test_each_refusal_says_why(void **state)
{
    fixture *fx = *state;
    ml_envelope_in envs[] = {
        {.instrument = "subsidy", .amount = 5000000, .max_small = 40, .max_large = 10},
        {.instrument = "advance", .amount = 20000000, .max_project = 3000000}};
    programme(fx, "Règles", envs, 2);
    json_t *out = NULL;
    /* A firm with restricted diffusion, an unknown SIRET. */
    ml_project_in in = {.programme = "Règles", .siret = PRIV, .title = "X", .cost = 100};
    assert_int_equal(ml_project_add(fx->db, &officer_a, &in, &out), ML_PRIVATE);
    assert_non_null(strstr(ml_ctx_message(fx->ctx), "restricted diffusion (statut P)"));
    in.siret = "91000001700038";
    assert_int_equal(ml_project_add(fx->db, &officer_a, &in, &out), ML_NOTFOUND);
    int64_t small = project(fx, "Règles", NEAR, 10000000); /* 100,000 euros */
    int64_t large = project(fx, "Règles", ASM, 40000000);  /* 400,000 euros */
    /* Intensity: a small company 40 %, a large one 10 %. */
    assert_refused(fx, decide(fx, small, "2026-01-10", 4000001, 0), "aid intensity");
    assert_refused(fx, decide(fx, small, "2026-01-10", 4000001, 0), "small company");
    assert_refused(fx, decide(fx, large, "2026-01-10", 4000001, 0), "large company");
    /* The maximum per project. */
    assert_refused(fx, decide(fx, large, "2026-01-10", 0, 3000001), "the most one project");
    /* More aid than the eligible expenses. */
    int64_t tiny = project(fx, "Règles", "91000004100012", 100);
    assert_refused(fx, decide(fx, tiny, "2026-01-10", 101, 0), "exceeds the project's eligible");
    /* The envelope: 50,000 euros; 40,000 to the small firm, then 10,000.01
     * more is refused. */
    assert_int_equal(decide(fx, small, "2026-01-10", 4000000, 0), ML_OK);
    assert_refused(fx, decide(fx, small, "2026-01-11", 1, 0), "already decided");
    assert_refused(fx, decide(fx, large, "2026-01-11", 1000001, 0), "available");
    /* A commitment dated before one that used the envelope may not take
     * what that one took later. */
    int64_t other = project(fx, "Règles", "91000005800016", 10000000);
    assert_refused(fx, decide(fx, other, "2026-01-01", 1000001, 0), "and after");
    /* Ledger: pay more than committed, cancel what is paid, repay a subsidy. */
    ml_entry_in pay = {.project = small, .kind = "pay", .amount = 4000001, .date = "2026-02-01"};
    assert_refused(fx, ml_ledger_add(fx->db, &officer_a, &pay, &out), "committed and unpaid");
    pay.date = "2026-01-09";
    pay.amount = 1;
    assert_refused(fx, ml_ledger_add(fx->db, &officer_a, &pay, &out), "committed and unpaid");
    pay.date = "2026-02-01";
    pay.amount = 3000000;
    assert_int_equal(ml_ledger_add(fx->db, &officer_a, &pay, &out), ML_OK);
    json_decref(out);
    ml_entry_in cancel = {.project = small, .kind = "cancel", .amount = 1000001};
    assert_refused(fx, ml_ledger_add(fx->db, &officer_a, &cancel, &out), "what is paid");
    ml_entry_in repay = {.project = small, .kind = "repay", .amount = 1};
    assert_refused(fx, ml_ledger_add(fx->db, &officer_a, &repay, &out), "is not repaid");
    ml_entry_in commit = {.project = small, .kind = "commit", .amount = 1};
    assert_int_equal(ml_ledger_add(fx->db, &officer_a, &commit, &out), ML_INVALID);
    ml_entry_in none = {.project = large, .kind = "pay", .amount = 1};
    assert_refused(fx, ml_ledger_add(fx->db, &officer_a, &none, &out), "no commitment to pay");
    /* Stages: one on or back before the decision; decided only by a decision. */
    assert_refused(fx, ml_project_move(fx->db, &officer_a, large, "committee", &out),
                   "cannot move from detected to committee");
    assert_int_equal(ml_project_move(fx->db, &officer_a, large, "qualified", &out), ML_OK);
    json_decref(out);
    assert_refused(fx, ml_project_move(fx->db, &officer_a, large, "decided", &out),
                   "by a decision");
    assert_int_equal(ml_project_move(fx->db, &officer_a, large, "abandoned", &out), ML_OK);
    json_decref(out);
    assert_refused(fx, ml_project_move(fx->db, &officer_a, large, "qualified", &out), "final");
    assert_refused(fx, decide(fx, large, "2026-03-01", 1, 0), "already abandoned");
    assert_int_equal(ml_project_move(fx->db, &officer_a, small, "signed", &out), ML_OK);
    json_decref(out);
    assert_int_equal(ml_project_move(fx->db, &officer_a, small, "routed", &out), ML_REFUSED);
    /* No envelope of the instrument. */
    ml_envelope_in only[] = {{.instrument = "subsidy", .amount = 100}};
    programme(fx, "Sans avance", only, 1);
    int64_t p = project(fx, "Sans avance", NEAR, 10000);
    assert_refused(fx, decide(fx, p, "2026-01-10", 0, 50), "has no advance envelope");
}

/* ---------------------------------------------------------------- access */

static void test_only_the_programmes_organisations_read_it(void **state)
{
    fixture *fx = *state;
    ml_envelope_in envs[] = {{.instrument = "subsidy", .amount = 100000}};
    int64_t id = programme(fx, "Confidentiel", envs, 1);
    json_t *out = NULL;
    /* Org 2 sees nothing: not in the list, not by name, not its projects. */
    assert_int_equal(ml_programme_list(fx->db, &officer_b, &out), ML_OK);
    assert_int_equal(json_array_size(json_object_get(out, "programmes")), 0);
    json_decref(out);
    assert_int_equal(ml_programme_show(fx->db, &officer_b, "Confidentiel", &out), ML_NOTFOUND);
    assert_int_equal(ml_programme_position(fx->db, &officer_b, "Confidentiel", NULL, &out),
                     ML_NOTFOUND);
    int64_t p = project(fx, "Confidentiel", NEAR, 1000);
    assert_int_equal(ml_project_show(fx->db, &officer_b, p, NULL, &out), ML_NOTFOUND);
    assert_int_equal(ml_ledger_list(fx->db, &officer_b, "Confidentiel", &out), ML_NOTFOUND);
    /* A viewer of org 1 reads but does not write. */
    assert_int_equal(ml_programme_show(fx->db, &viewer_a, "Confidentiel", &out), ML_OK);
    assert_string_equal(json_string_value(json_object_get(out, "role")), "officer");
    json_decref(out);
    assert_int_equal(decide(fx, p, NULL, 1, 0), ML_OK);
    ml_decision_in d = {.project = p, .subsidy = 1};
    assert_int_equal(ml_project_decide(fx->db, &viewer_a, &d, &out), ML_INVALID);
    /* Made its funder, org 2 reads, and still does not write. */
    char ref[24];
    snprintf(ref, sizeof ref, "%lld", (long long)id);
    assert_int_equal(ml_programme_member(fx->db, &officer_a, ref, "Région B", "funder", &out),
                     ML_OK);
    json_decref(out);
    assert_int_equal(ml_programme_position(fx->db, &officer_b, "Confidentiel", NULL, &out), ML_OK);
    assert_int_equal(jint(json_array_get(json_object_get(out, "envelopes"), 0), "committed"), 1);
    json_decref(out);
    ml_project_in in = {.programme = "Confidentiel", .siret = NEAR, .title = "X", .cost = 100};
    assert_int_equal(ml_project_add(fx->db, &officer_b, &in, &out), ML_INVALID);
    assert_non_null(strstr(ml_ctx_message(fx->ctx), "yours is its funder"));
    assert_int_equal(ml_programme_member(fx->db, &officer_a, ref, "Région B", "owner", &out),
                     ML_INVALID);
}

/* ------------------------------------------------------- random ledger */

typedef struct shadow {
    int64_t env, project, amount;
    int kind; /* 0 commit, 1 pay, 2 repay, 3 cancel */
    char day[11];
} shadow;

static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* A day of 2026 to 2028 (from `from` on: later years for the ledger's
 * entries, so that most follow their decision). */
static void random_day(char out[11], int from)
{
    snprintf(out, 11, "%04d-%02d-%02d", 2026 + from + (int)(next() % (unsigned)(3 - from)),
             1 + (int)(next() % 12), 1 + (int)(next() % 28));
}

static size_t ledger_size(fixture *fx, int64_t programme_id)
{
    char ref[24];
    json_t *out = NULL;
    snprintf(ref, sizeof ref, "%lld", (long long)programme_id);
    assert_int_equal(ml_ledger_list(fx->db, &officer_a, ref, &out), ML_OK);
    size_t n = json_array_size(json_object_get(out, "entries"));
    json_decref(out);
    return n;
}

/* Positions from the shadow, compared with the library's; and the
 * invariants: per envelope and per project, committed >= paid >= repaid >=
 * 0, available >= 0, and amount = available + committed - repaid (revolving)
 * or available + committed. */
static void check_day(fixture *fx, const char *ref, const shadow *s, size_t n, const char *day,
                      const int64_t env_ids[2], const int64_t amounts[2], const bool revolving[2],
                      const int64_t *projects, size_t nprojects)
{
    json_t *out = NULL;
    assert_int_equal(ml_programme_position(fx->db, &officer_a, ref, day, &out), ML_OK);
    json_t *envs = json_object_get(out, "envelopes");
    for (size_t e = 0; e < 2; e++) {
        int64_t sum[4] = {0};
        for (size_t i = 0; i < n; i++)
            if (s[i].env == env_ids[e] && strcmp(s[i].day, day) <= 0) sum[s[i].kind] += s[i].amount;
        json_t *v = json_array_get(envs, e);
        assert_int_equal(jint(v, "id"), env_ids[e]);
        int64_t committed = sum[0] - sum[3];
        assert_int_equal(jint(v, "committed"), committed);
        assert_int_equal(jint(v, "paid"), sum[1]);
        assert_int_equal(jint(v, "repaid"), sum[2]);
        int64_t available = jint(v, "available");
        assert_int_equal(available + committed - (revolving[e] ? sum[2] : 0), amounts[e]);
        assert_true(available >= 0);
        assert_true(committed >= sum[1] && sum[1] >= sum[2] && sum[2] >= 0);
    }
    json_decref(out);
    for (size_t p = 0; p < nprojects; p++)
        for (size_t e = 0; e < 2; e++) {
            int64_t sum[4] = {0};
            for (size_t i = 0; i < n; i++)
                if (s[i].env == env_ids[e] && s[i].project == projects[p] &&
                    strcmp(s[i].day, day) <= 0)
                    sum[s[i].kind] += s[i].amount;
            assert_true(sum[0] - sum[3] >= sum[1] && sum[1] >= sum[2] && sum[2] >= 0);
        }
}

static void test_ledger_invariants_under_random_sequences(void **state)
{
    fixture *fx = *state;
    ml_envelope_in envs[] = {{.instrument = "subsidy", .amount = 20000000},
                             {.instrument = "advance", .amount = 10000000, .revolving = true}};
    int64_t id = programme(fx, "Aléatoire", envs, 2);
    char ref[24];
    snprintf(ref, sizeof ref, "%lld", (long long)id);
    json_t *out = NULL;
    assert_int_equal(ml_programme_show(fx->db, &officer_a, ref, &out), ML_OK);
    int64_t env_ids[2] = {jint(json_array_get(json_object_get(out, "envelopes"), 0), "id"),
                          jint(json_array_get(json_object_get(out, "envelopes"), 1), "id")};
    json_decref(out);
    const int64_t amounts[2] = {20000000, 10000000};
    const bool revolving[2] = {false, true};
    const char *firms[] = {
        ASM, NEAR, "91000003300019", "91000004100012", "91000005800016", "91000001700020"};
    enum { STEPS = 1000, PROJECTS = 80 };
    shadow *s = calloc(STEPS * 2, sizeof *s);
    int64_t projects[PROJECTS];
    size_t np = 0, n = 0, accepted = 0, refused = 0;
    for (int step = 0; step < STEPS; step++) {
        char day[11];
        int op = (int)(next() % 4);
        random_day(day, op && next() % 4 ? 1 : 0);
        size_t before = ledger_size(fx, id);
        ml_err r;
        if (op == 0 || np == 0) {
            if (np == PROJECTS) continue;
            int64_t p = project(fx, ref, firms[next() % 6], 100000000);
            projects[np++] = p;
            int64_t sub = (int64_t)(next() % 400000), adv = (int64_t)(next() % 300000);
            if (next() % 3 == 0) sub = 0;
            if (!sub && !adv) adv = 1000;
            r = decide(fx, p, day, sub, adv);
            if (!r) {
                if (sub) s[n++] = (shadow){env_ids[0], p, sub, 0, ""};
                if (sub) memcpy(s[n - 1].day, day, 11);
                if (adv) s[n++] = (shadow){env_ids[1], p, adv, 0, ""};
                if (adv) memcpy(s[n - 1].day, day, 11);
            }
        } else {
            int64_t p = projects[next() % np];
            int e = (int)(next() % 2);
            static const char *const kinds[] = {"", "pay", "repay", "cancel"};
            int kind = op;
            ml_entry_in in = {.project = p,
                              .kind = kinds[kind],
                              .instrument = e ? "advance" : "subsidy",
                              .amount = 1 + (int64_t)(next() % 120000),
                              .date = day};
            r = ml_ledger_add(fx->db, &officer_a, &in, &out);
            if (!r) {
                json_decref(out);
                s[n] = (shadow){env_ids[e], p, in.amount, kind, ""};
                memcpy(s[n++].day, day, 11);
            } else {
                assert_true(r == ML_REFUSED);
            }
        }
        if (r) {
            refused++;
            assert_true(r == ML_REFUSED);
            assert_int_equal(ledger_size(fx, id), before); /* a refusal writes nothing */
        } else {
            accepted++;
        }
        if (step % 20 == 19) {
            for (size_t i = 0; i < n; i++)
                check_day(fx, ref, s, n, s[i].day, env_ids, amounts, revolving, projects, np);
            check_day(fx, ref, s, n, "2099-12-31", env_ids, amounts, revolving, projects, np);
        }
    }
    assert_int_equal(ledger_size(fx, id), n);
    /* The daily sums the positions read (kept by triggers beside the
     * entries) equal the sums of the entries themselves. */
    int64_t mismatches = -1;
    assert_int_equal(ml_programme_sums_check(fx->db, &officer_a, ref, &mismatches), ML_OK);
    assert_int_equal(mismatches, 0);
    printf("# %zu operations accepted, %zu refused, %zu projects\n", accepted, refused, np);
    /* Both kinds of outcome happened, plenty of each. */
    assert_true(accepted > 200);
    assert_true(refused > 50);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_euros_are_read_to_the_cent),
        cmocka_unit_test_setup_teardown(test_repayment_schedules_worked_by_hand, setup, teardown),
        cmocka_unit_test_setup_teardown(test_impact_worked_by_hand, setup, teardown),
        cmocka_unit_test_setup_teardown(test_de_minimis_at_the_edges_of_the_window, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_each_refusal_says_why, setup, teardown),
        cmocka_unit_test_setup_teardown(test_only_the_programmes_organisations_read_it, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_ledger_invariants_under_random_sequences, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
