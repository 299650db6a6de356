/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Every enum travels on the wire as its nick. The nicks are part of the
 * protocol: never rename one, only add. */

typedef enum { /*< prefix=SIGNPOST_RECORD >*/
  SIGNPOST_RECORD_PRACTICE,    /*< nick=practice >*/
  SIGNPOST_RECORD_USER,        /*< nick=user >*/
  SIGNPOST_RECORD_CLINICIAN,   /*< nick=clinician >*/
  SIGNPOST_RECORD_PATIENT,     /*< nick=patient >*/
  SIGNPOST_RECORD_CALL,        /*< nick=call >*/
  SIGNPOST_RECORD_TRIAGE,      /*< nick=triage >*/
  SIGNPOST_RECORD_SLOT,        /*< nick=slot >*/
  SIGNPOST_RECORD_APPOINTMENT, /*< nick=appointment >*/
} SignpostRecordKind;

typedef enum {
  SIGNPOST_ROLE_NAVIGATOR, /*< nick=navigator >*/
  SIGNPOST_ROLE_CLINICIAN, /*< nick=clinician >*/
  SIGNPOST_ROLE_MANAGER,   /*< nick=manager >*/
  SIGNPOST_ROLE_ADMIN,     /*< nick=admin >*/
} SignpostRole;

typedef enum {
  SIGNPOST_PROFESSION_GP,                   /*< nick=gp >*/
  SIGNPOST_PROFESSION_NURSE,                /*< nick=nurse >*/
  SIGNPOST_PROFESSION_HCA,                  /*< nick=hca >*/
  SIGNPOST_PROFESSION_CLINICAL_PHARMACIST,  /*< nick=clinical_pharmacist >*/
  SIGNPOST_PROFESSION_PHYSIO,               /*< nick=first_contact_physio >*/
  SIGNPOST_PROFESSION_PARAMEDIC,            /*< nick=paramedic >*/
  SIGNPOST_PROFESSION_MENTAL_HEALTH,        /*< nick=mental_health_practitioner >*/
  SIGNPOST_PROFESSION_SOCIAL_PRESCRIBER,    /*< nick=social_prescriber >*/
} SignpostProfession;

typedef enum {
  SIGNPOST_SEX_FEMALE,  /*< nick=female >*/
  SIGNPOST_SEX_MALE,    /*< nick=male >*/
  SIGNPOST_SEX_OTHER,   /*< nick=other >*/
  SIGNPOST_SEX_UNKNOWN, /*< nick=unknown >*/
} SignpostSex;

typedef enum {
  SIGNPOST_PHONE_KIND_MOBILE, /*< nick=mobile >*/
  SIGNPOST_PHONE_KIND_HOME,   /*< nick=home >*/
  SIGNPOST_PHONE_KIND_WORK,   /*< nick=work >*/
} SignpostPhoneKind;

typedef enum {
  SIGNPOST_ALERT_INTERPRETER, /*< nick=interpreter >*/
  SIGNPOST_ALERT_CARER,       /*< nick=carer >*/
  SIGNPOST_ALERT_HEARING,     /*< nick=hearing >*/
  SIGNPOST_ALERT_SIGHT,       /*< nick=sight >*/
  SIGNPOST_ALERT_VULNERABLE,  /*< nick=vulnerable >*/
  SIGNPOST_ALERT_TEXT_RELAY,  /*< nick=text_relay >*/
  SIGNPOST_ALERT_OTHER,       /*< nick=other >*/
} SignpostAlertKind;

typedef enum {
  SIGNPOST_CALL_RINGING,            /*< nick=ringing >*/
  SIGNPOST_CALL_QUEUED,             /*< nick=queued >*/
  SIGNPOST_CALL_ANSWERED,           /*< nick=answered >*/
  SIGNPOST_CALL_ENDED,              /*< nick=ended >*/
  SIGNPOST_CALL_ABANDONED,          /*< nick=abandoned >*/
  SIGNPOST_CALL_CALLBACK_REQUESTED, /*< nick=callback_requested >*/
  SIGNPOST_CALL_CALLBACK_DONE,      /*< nick=callback_done >*/
} SignpostCallState;

typedef enum {
  SIGNPOST_CALLBACK_OUTCOME_NONE,           /*< nick=none >*/
  SIGNPOST_CALLBACK_OUTCOME_REACHED,        /*< nick=reached >*/
  SIGNPOST_CALLBACK_OUTCOME_NO_ANSWER,      /*< nick=no_answer >*/
  SIGNPOST_CALLBACK_OUTCOME_FAILED_CONTACT, /*< nick=failed_contact >*/
} SignpostCallbackOutcome;

/* What the practice did after a failed contact (two callbacks unanswered):
 * the failed-contact policy's next steps. */
typedef enum {
  SIGNPOST_FOLLOW_UP_NONE,        /*< nick=none >*/
  SIGNPOST_FOLLOW_UP_TEXT,        /*< nick=text >*/
  SIGNPOST_FOLLOW_UP_LETTER,      /*< nick=letter >*/
  SIGNPOST_FOLLOW_UP_DUTY_REVIEW, /*< nick=duty_review >*/
  SIGNPOST_FOLLOW_UP_REACHED,     /*< nick=reached >*/
} SignpostFollowUp;

typedef enum {
  SIGNPOST_URGENCY_EMERGENCY,      /*< nick=emergency >*/
  SIGNPOST_URGENCY_SAME_DAY,       /*< nick=same_day >*/
  SIGNPOST_URGENCY_WITHIN_2_WEEKS, /*< nick=within_2_weeks >*/
  SIGNPOST_URGENCY_ROUTINE,        /*< nick=routine >*/
} SignpostUrgency;

typedef enum {
  SIGNPOST_ROUTE_CLINICIAN,  /*< nick=clinician >*/
  SIGNPOST_ROUTE_DUTY,       /*< nick=duty >*/
  SIGNPOST_ROUTE_PROFESSION, /*< nick=profession >*/
  SIGNPOST_ROUTE_SIGNPOST,   /*< nick=signpost >*/
} SignpostRouteKind;

typedef enum {
  SIGNPOST_SIGNPOST_COMMUNITY_PHARMACY,  /*< nick=community_pharmacy >*/
  SIGNPOST_SIGNPOST_PHARMACY_FIRST,      /*< nick=pharmacy_first >*/
  SIGNPOST_SIGNPOST_NHS_111,             /*< nick=nhs_111 >*/
  SIGNPOST_SIGNPOST_EMERGENCY_999,       /*< nick=emergency_999 >*/
  SIGNPOST_SIGNPOST_OPTOMETRIST,         /*< nick=optometrist >*/
  SIGNPOST_SIGNPOST_DENTIST,             /*< nick=dentist >*/
  SIGNPOST_SIGNPOST_SELF_CARE,           /*< nick=self_care >*/
  SIGNPOST_SIGNPOST_TALKING_THERAPIES,   /*< nick=talking_therapies >*/
  SIGNPOST_SIGNPOST_SOCIAL_PRESCRIBING,  /*< nick=social_prescribing >*/
  SIGNPOST_SIGNPOST_SEXUAL_HEALTH,       /*< nick=sexual_health >*/
} SignpostSignpost;

typedef enum {
  SIGNPOST_CONTACT_PHONE,     /*< nick=phone >*/
  SIGNPOST_CONTACT_TEXT,      /*< nick=text >*/
  SIGNPOST_CONTACT_VIDEO,     /*< nick=video >*/
  SIGNPOST_CONTACT_IN_PERSON, /*< nick=in_person >*/
} SignpostContactMethod;

typedef enum {
  SIGNPOST_TRIAGE_OPEN,          /*< nick=open >*/
  SIGNPOST_TRIAGE_AWAITING_DUTY, /*< nick=awaiting_duty >*/
  SIGNPOST_TRIAGE_REVIEWED,      /*< nick=reviewed >*/
  SIGNPOST_TRIAGE_BOOKED,        /*< nick=booked >*/
  SIGNPOST_TRIAGE_SIGNPOSTED,    /*< nick=signposted >*/
  SIGNPOST_TRIAGE_CLOSED,        /*< nick=closed >*/
} SignpostTriageStatus;

typedef enum {
  SIGNPOST_CALLER_SELF,   /*< nick=self >*/
  SIGNPOST_CALLER_PARENT, /*< nick=parent >*/
  SIGNPOST_CALLER_CARER,  /*< nick=carer >*/
  SIGNPOST_CALLER_OTHER,  /*< nick=other >*/
} SignpostCallerRelationship;

typedef enum {
  SIGNPOST_OUTCOME_NONE,           /*< nick=none >*/
  SIGNPOST_OUTCOME_BOOKED,         /*< nick=booked >*/
  SIGNPOST_OUTCOME_SIGNPOSTED,     /*< nick=signposted >*/
  SIGNPOST_OUTCOME_SENT_TO_DUTY,   /*< nick=sent_to_duty >*/
  SIGNPOST_OUTCOME_ADVICE_GIVEN,   /*< nick=advice_given >*/
  SIGNPOST_OUTCOME_FAILED_CONTACT, /*< nick=failed_contact >*/
  SIGNPOST_OUTCOME_EMERGENCY,      /*< nick=sent_to_emergency >*/
} SignpostTriageOutcome;

typedef enum {
  SIGNPOST_SLOT_MODE_FACE_TO_FACE, /*< nick=face_to_face >*/
  SIGNPOST_SLOT_MODE_TELEPHONE,    /*< nick=telephone >*/
  SIGNPOST_SLOT_MODE_VIDEO,        /*< nick=video >*/
  SIGNPOST_SLOT_MODE_HOME_VISIT,   /*< nick=home_visit >*/
} SignpostSlotMode;

typedef enum {
  SIGNPOST_SLOT_FREE,    /*< nick=free >*/
  SIGNPOST_SLOT_BOOKED,  /*< nick=booked >*/
  SIGNPOST_SLOT_BLOCKED, /*< nick=blocked >*/
} SignpostSlotStatus;

typedef enum {
  SIGNPOST_APPOINTMENT_BOOKED,         /*< nick=booked >*/
  SIGNPOST_APPOINTMENT_ARRIVED,        /*< nick=arrived >*/
  SIGNPOST_APPOINTMENT_SEEN,           /*< nick=seen >*/
  SIGNPOST_APPOINTMENT_DID_NOT_ATTEND, /*< nick=did_not_attend >*/
  SIGNPOST_APPOINTMENT_CANCELLED,      /*< nick=cancelled >*/
} SignpostAppointmentStatus;

typedef enum {
  SIGNPOST_OP_CREATE,   /*< nick=create >*/
  SIGNPOST_OP_UPDATE,   /*< nick=update >*/
  SIGNPOST_OP_DELETE,   /*< nick=delete >*/
  SIGNPOST_OP_BOOK,     /*< nick=book >*/
  SIGNPOST_OP_CANCEL,   /*< nick=cancel >*/
  SIGNPOST_OP_ANSWER,   /*< nick=answer >*/
  SIGNPOST_OP_COMPLETE, /*< nick=complete >*/
  SIGNPOST_OP_REVIEW,   /*< nick=review >*/
  SIGNPOST_OP_END,      /*< nick=end >*/
} SignpostOp;

typedef enum {
  SIGNPOST_RESULT_APPLIED,   /*< nick=applied >*/
  SIGNPOST_RESULT_DUPLICATE, /*< nick=duplicate >*/
  SIGNPOST_RESULT_CONFLICT,  /*< nick=conflict >*/
  SIGNPOST_RESULT_REJECTED,  /*< nick=rejected >*/
} SignpostResultStatus;

/* Where a navigation record came from: a call, the practice's own online
 * form, or another online-consultation product through the intake API. */
typedef enum {
  SIGNPOST_REQUEST_SOURCE_PHONE,  /*< nick=phone >*/
  SIGNPOST_REQUEST_SOURCE_ONLINE, /*< nick=online >*/
  SIGNPOST_REQUEST_SOURCE_INTAKE, /*< nick=intake >*/
} SignpostRequestSource;

typedef enum {
  SIGNPOST_REQUEST_TYPE_MEDICAL, /*< nick=medical >*/
  SIGNPOST_REQUEST_TYPE_ADMIN,   /*< nick=admin >*/
} SignpostRequestType;

typedef enum {
  SIGNPOST_ADMIN_TOPIC_REPEAT_PRESCRIPTION, /*< nick=repeat_prescription >*/
  SIGNPOST_ADMIN_TOPIC_FIT_NOTE,            /*< nick=fit_note >*/
  SIGNPOST_ADMIN_TOPIC_TEST_RESULTS,        /*< nick=test_results >*/
  SIGNPOST_ADMIN_TOPIC_LETTER_OR_FORM,      /*< nick=letter_or_form >*/
  SIGNPOST_ADMIN_TOPIC_OTHER,               /*< nick=other >*/
} SignpostAdminTopic;

typedef enum {
  SIGNPOST_CONTACT_TIME_MORNING,   /*< nick=morning >*/
  SIGNPOST_CONTACT_TIME_AFTERNOON, /*< nick=afternoon >*/
} SignpostContactTime;

/* In GDateWeekday's order less one (Monday is 0). */
typedef enum {
  SIGNPOST_WEEKDAY_MONDAY,    /*< nick=monday >*/
  SIGNPOST_WEEKDAY_TUESDAY,   /*< nick=tuesday >*/
  SIGNPOST_WEEKDAY_WEDNESDAY, /*< nick=wednesday >*/
  SIGNPOST_WEEKDAY_THURSDAY,  /*< nick=thursday >*/
  SIGNPOST_WEEKDAY_FRIDAY,    /*< nick=friday >*/
  SIGNPOST_WEEKDAY_SATURDAY,  /*< nick=saturday >*/
  SIGNPOST_WEEKDAY_SUNDAY,    /*< nick=sunday >*/
} SignpostWeekday;

const char *signpost_enum_to_nick   (GType       enum_type,
                                     int         value);
gboolean    signpost_enum_from_nick (GType       enum_type,
                                     const char *nick,
                                     int        *value);

G_END_DECLS
