/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "signpost-clinician.h"
#include "signpost-enums.h"
#include "signpost-patient.h"
#include "signpost-route.h"

G_BEGIN_DECLS

/*
 * The rules of care navigation (DOMAIN.md, "Triage vocabulary"), kept out
 * of the widgets so that they can be tested on their own and read in one
 * place: the red flags to ask about, what a ticked one means, Red / Amber /
 * Green and the urgency each is stored as, Pharmacy First, and continuity
 * of care. No GTK here; labels are translatable (libsignpost-core's domain).
 */

/* ---- red flags ------------------------------------------------------------ */

/**
 * SignpostRedFlagAction:
 * @SIGNPOST_RED_FLAG_CALL_999: an emergency: the caller should ring 999 (or
 *   the navigator does) now; the request is stored as `emergency`.
 * @SIGNPOST_RED_FLAG_DUTY_NOW: put the caller through to the duty doctor now;
 *   the request is stored as `same_day` at least.
 */
typedef enum {
  SIGNPOST_RED_FLAG_CALL_999,
  SIGNPOST_RED_FLAG_DUTY_NOW,
} SignpostRedFlagAction;

/**
 * SignpostRedFlagGroup:
 * @SIGNPOST_RED_FLAGS_ADULT: the flags for patients aged 16 and over.
 * @SIGNPOST_RED_FLAGS_CHILD: the flags for children under 16.
 * @SIGNPOST_RED_FLAGS_ALL: both (age not known: ask about everything).
 */
typedef enum {
  SIGNPOST_RED_FLAGS_ADULT = 1 << 0,
  SIGNPOST_RED_FLAGS_CHILD = 1 << 1,
  SIGNPOST_RED_FLAGS_ALL = SIGNPOST_RED_FLAGS_ADULT | SIGNPOST_RED_FLAGS_CHILD,
} SignpostRedFlagGroup;

/* Children's red flags are asked about below this age in whole years: see
 * signpost-navigation.c for why 16. */
#define SIGNPOST_CHILD_AGE_LIMIT 16

typedef struct {
  const char *key;            /* stable: stored in triage.red_flags */
  SignpostRedFlagGroup groups;
  SignpostRedFlagAction action;
} SignpostRedFlag;

const SignpostRedFlag *signpost_navigation_list_red_flags   (guint              *n_flags);
const SignpostRedFlag *signpost_navigation_find_red_flag    (const char         *key);
const char            *signpost_red_flag_get_label          (const SignpostRedFlag *flag);
SignpostRedFlagGroup   signpost_navigation_red_flag_group_for (const char        *date_of_birth,
                                                               GDateTime         *now,
                                                               GTimeZone         *tz);
/* Below this age in whole years a child's request is taken, as a rule,
 * from a parent or carer ringing for them. */
#define SIGNPOST_PARENT_CALLS_AGE_LIMIT 13

/* Who is most likely calling about a patient of @date_of_birth: a parent
 * or carer for a child under 13, else the patient (also when the age is
 * not known). The navigator asks and changes it. */
SignpostCallerRelationship signpost_navigation_default_caller (const char *date_of_birth,
                                                               GDateTime  *now,
                                                               GTimeZone  *tz);
/* The same question put to a patient, or to someone asking for them, on
 * the practice's online form: plain words, no clinical terms. */
const char            *signpost_red_flag_get_question       (const SignpostRedFlag *flag);
/* Why a "yes" cannot wait for an online request to be read. */
const char            *signpost_red_flag_get_why            (const SignpostRedFlag *flag);

/**
 * SignpostOnlineStop:
 * @SIGNPOST_ONLINE_STOP_999: call 999 now.
 * @SIGNPOST_ONLINE_STOP_111: call NHS 111 now (or the practice, if open).
 *
 * Where the online form sends someone who answers "yes" to a red flag.
 * Nothing is sent to the practice: a request waits to be read, these
 * cannot wait.
 */
typedef enum {
  SIGNPOST_ONLINE_STOP_999,
  SIGNPOST_ONLINE_STOP_111,
} SignpostOnlineStop;

SignpostOnlineStop     signpost_navigation_online_stop      (const char * const *keys);

/* The flags to ask about for @group, in the order to ask them. */
GPtrArray             *signpost_navigation_red_flags_for    (SignpostRedFlagGroup group);

/* The most urgent thing the ticked flags call for: 999 beats the duty
 * doctor. FALSE when none of @keys is a known red flag. */
gboolean               signpost_navigation_red_flag_action  (const char * const *keys,
                                                             SignpostRedFlagAction *action);
/* What a navigator does now, in plain words: "Call 999 now", then how. */
const char            *signpost_navigation_red_flag_headline (SignpostRedFlagAction action);
const char            *signpost_navigation_red_flag_advice  (SignpostRedFlagAction action);
/* The least urgent urgency the ticked flags allow: emergency for a 999
 * flag, same_day for the others, routine when none is ticked. */
SignpostUrgency        signpost_navigation_minimum_urgency  (const char * const *keys);
/* Refuses an urgency below what the flags allow (the record's own
 * validation refuses anything below same_day; this also holds 999 flags
 * to emergency). */
gboolean               signpost_navigation_check_urgency    (const char * const *keys,
                                                             SignpostUrgency     urgency,
                                                             GError            **error);

/* ---- Red / Amber / Green -------------------------------------------------- */

/**
 * SignpostRag:
 * @SIGNPOST_RAG_RED: seen or called back in the same session (stored as
 *   `same_day`, or `emergency` when a 999 red flag is ticked).
 * @SIGNPOST_RAG_AMBER: within one to two weeks (`within_2_weeks`).
 * @SIGNPOST_RAG_GREEN: the next routine appointment (`routine`).
 */
typedef enum {
  SIGNPOST_RAG_RED,
  SIGNPOST_RAG_AMBER,
  SIGNPOST_RAG_GREEN,
} SignpostRag;

SignpostRag      signpost_navigation_rag_for_urgency (SignpostUrgency urgency);
SignpostUrgency  signpost_navigation_urgency_for_rag (SignpostRag     rag,
                                                      gboolean        emergency);
const char      *signpost_navigation_rag_label       (SignpostRag     rag);
const char      *signpost_navigation_rag_meaning     (SignpostRag     rag);
const char      *signpost_navigation_urgency_label   (SignpostUrgency urgency);

/* ---- Pharmacy First ------------------------------------------------------- */

typedef enum {
  SIGNPOST_PHARMACY_FIRST_SINUSITIS,
  SIGNPOST_PHARMACY_FIRST_SORE_THROAT,
  SIGNPOST_PHARMACY_FIRST_ACUTE_OTITIS_MEDIA,
  SIGNPOST_PHARMACY_FIRST_INFECTED_INSECT_BITE,
  SIGNPOST_PHARMACY_FIRST_IMPETIGO,
  SIGNPOST_PHARMACY_FIRST_SHINGLES,
  SIGNPOST_PHARMACY_FIRST_UNCOMPLICATED_UTI,
  SIGNPOST_PHARMACY_FIRST_N_CONDITIONS
} SignpostPharmacyFirstCondition;

/**
 * SignpostPharmacyFirstFit:
 * @SIGNPOST_PHARMACY_FIRST_FITS: the words, age and sex fit: suggest it.
 * @SIGNPOST_PHARMACY_FIRST_TOO_YOUNG: below the condition's age band.
 * @SIGNPOST_PHARMACY_FIRST_TOO_OLD: above it.
 * @SIGNPOST_PHARMACY_FIRST_WRONG_SEX: the service is for women only.
 * @SIGNPOST_PHARMACY_FIRST_UNKNOWN: age or sex not recorded: ask first.
 */
typedef enum {
  SIGNPOST_PHARMACY_FIRST_FITS,
  SIGNPOST_PHARMACY_FIRST_TOO_YOUNG,
  SIGNPOST_PHARMACY_FIRST_TOO_OLD,
  SIGNPOST_PHARMACY_FIRST_WRONG_SEX,
  SIGNPOST_PHARMACY_FIRST_UNKNOWN,
} SignpostPharmacyFirstFit;

typedef struct {
  SignpostPharmacyFirstCondition condition;
  SignpostPharmacyFirstFit fit;
} SignpostPharmacyFirstMatch;

/* The stable key stored in triage.pharmacy_first ("sore_throat", …). */
const char *signpost_pharmacy_first_get_key       (SignpostPharmacyFirstCondition condition);
gboolean    signpost_pharmacy_first_from_key      (const char                    *key,
                                                   SignpostPharmacyFirstCondition *condition);
const char *signpost_pharmacy_first_get_label     (SignpostPharmacyFirstCondition condition);
/* "12 and over", "women aged 16 to 64" */
const char *signpost_pharmacy_first_get_who       (SignpostPharmacyFirstCondition condition);

/* Whether a patient of this age (whole years; -1 unknown) and sex may be
 * seen for @condition under Pharmacy First. */
SignpostPharmacyFirstFit signpost_pharmacy_first_check (SignpostPharmacyFirstCondition condition,
                                                        int                            age,
                                                        SignpostSex                    sex);
/* The conditions the patient's own words mention (keyword matching, no
 * more), each with whether this patient fits its band; the ones that fit
 * first. An array of SignpostPharmacyFirstMatch, maybe empty. */
GArray     *signpost_navigation_pharmacy_first    (const char                    *reason,
                                                   int                            age,
                                                   SignpostSex                    sex);
/* The condition to suggest, if any fits. */
gboolean    signpost_navigation_pharmacy_first_suggestion (const char                     *reason,
                                                           int                             age,
                                                           SignpostSex                     sex,
                                                           SignpostPharmacyFirstCondition *condition);

/* ---- continuity ----------------------------------------------------------- */

/* The route a new request starts with: the patient's usual GP when that is
 * a GP of the patient's practice and the request can wait for them
 * (Amber, Green); otherwise the duty doctor. @clinicians are
 * SignpostClinician records. */
SignpostRoute     *signpost_navigation_choose_route      (SignpostPatient   *patient,
                                                          GPtrArray         *clinicians,
                                                          SignpostUrgency    urgency);
/* The usual GP, if they are a GP of the patient's practice (else NULL). */
SignpostClinician *signpost_navigation_find_usual_gp     (SignpostPatient   *patient,
                                                          GPtrArray         *clinicians);
/* Who is duty doctor for @practice_id at @now, by the rota (else NULL). */
SignpostClinician *signpost_navigation_find_duty_doctor  (GPtrArray         *clinicians,
                                                          const char        *practice_id,
                                                          GDateTime         *now);

/* ---- outcome -------------------------------------------------------------- */

/* The status a navigator's outcome leaves the request in. */
SignpostTriageStatus signpost_navigation_status_for_outcome (SignpostTriageOutcome outcome);

G_END_DECLS
