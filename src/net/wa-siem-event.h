/* wa-siem-event.h
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  WA_SIEM_OUTCOME_SUCCESS,
  WA_SIEM_OUTCOME_FAILURE,
  WA_SIEM_OUTCOME_DENIED,
} WaSiemOutcome;

/* An audit event checked and normalised for export: the one place that
 * decides what a valid event is, so every format sees the same values.
 * The string members without a comment are borrowed from the JsonObject
 * the event was made from, which must outlive it.  Optional members that
 * were missing, null or empty are NULL. */
typedef struct
{
  gboolean       has_index;
  gint64         index;
  GDateTime     *time;          /* owned, UTC */
  char          *time_text;     /* owned, RFC 3339, UTC, six fraction digits */
  const char    *tenant;
  const char    *actor;
  const char    *device;
  const char    *event_type;
  const char    *resource;
  const char    *action;
  const char    *outcome;
  WaSiemOutcome  outcome_code;
  gboolean       has_risk_score;
  int            risk_score;
  const char    *session;
  const char    *user_role;
  const char    *plan_id;
  char          *ip;            /* owned, canonical text form */
  const char    *user_agent;
  JsonObject    *metadata;      /* owned reference */
  char          *metadata_json; /* owned, canonical JSON */
} WaSiemEvent;

WaSiemEvent *wa_siem_event_new                 (JsonObject        *object,
                                                GError           **error);
void         wa_siem_event_free                (WaSiemEvent       *event);
gint64       wa_siem_event_get_unix_ms         (const WaSiemEvent *event);
char        *wa_siem_event_dup_category        (const WaSiemEvent *event);
char        *wa_siem_event_dup_name            (const WaSiemEvent *event);
int          wa_siem_event_get_cef_severity    (const WaSiemEvent *event);
int          wa_siem_event_get_leef_severity   (const WaSiemEvent *event);
int          wa_siem_event_get_syslog_severity (const WaSiemEvent *event);
JsonNode    *wa_siem_event_to_json             (const WaSiemEvent *event);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WaSiemEvent, wa_siem_event_free)

G_END_DECLS
