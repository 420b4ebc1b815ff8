/* wa-siem-event.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "wa-siem-event"

#include "config.h"

#include <string.h>
#include <gio/gio.h>

#include "wa-json.h"
#include "wa-siem-event.h"
#include "wa-siem-format.h"

/* Identifiers (tenant, actor, device, event type, session, role, plan id)
 * come from a closed vocabulary or are generated, and some of them end up
 * in format headers that cannot carry a line break, so a control
 * character in one is refused.  Free text (resource, action, user agent)
 * may hold anything that is valid UTF-8: each format escapes it. */
typedef enum
{
  MEMBER_IDENTIFIER,
  MEMBER_TEXT,
} MemberKind;

static const char * const known_members[] = {
  "index", "time", "tenant", "actor", "device", "event_type", "resource",
  "action", "outcome", "risk_score", "session", "user_role", "plan_id",
  "ip", "user_agent", "metadata",
};

void
wa_siem_event_free (WaSiemEvent *event)
{
  if (event == NULL)
    return;

  g_clear_pointer (&event->time, g_date_time_unref);
  g_free (event->time_text);
  g_free (event->ip);
  g_clear_pointer (&event->metadata, json_object_unref);
  g_free (event->metadata_json);
  g_free (event);
}

static gboolean
has_control_character (const char *text)
{
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (*p < 0x20 || *p == 0x7f)
        return TRUE;
    }

  return FALSE;
}

/* Reads the string member @name into @out.  A missing, null or empty
 * optional member leaves @out NULL. */
static gboolean
read_string_member (JsonObject  *object,
                    const char  *name,
                    gboolean     required,
                    MemberKind   kind,
                    const char **out,
                    GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  const char *value;

  *out = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        {
          g_set_error (error, WA_SIEM_FORMAT_ERROR, WA_SIEM_FORMAT_ERROR_INVALID_EVENT,
                       "The audit event cannot be exported because its “%s” member is missing", name);
          return FALSE;
        }
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, WA_SIEM_FORMAT_ERROR, WA_SIEM_FORMAT_ERROR_INVALID_EVENT,
                   "The audit event cannot be exported because its “%s” member is not a string", name);
      return FALSE;
    }

  value = json_node_get_string (node);

  if (!g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, WA_SIEM_FORMAT_ERROR, WA_SIEM_FORMAT_ERROR_INVALID_EVENT,
                   "The audit event cannot be exported because its “%s” member is not valid UTF-8", name);
      return FALSE;
    }

  if (*value == '\0')
    {
      if (required)
        {
          g_set_error (error, WA_SIEM_FORMAT_ERROR, WA_SIEM_FORMAT_ERROR_INVALID_EVENT,
                       "The audit event cannot be exported because its “%s” member is empty", name);
          return FALSE;
        }
      return TRUE;
    }

  if (kind == MEMBER_IDENTIFIER && has_control_character (value))
    {
      g_set_error (error, WA_SIEM_FORMAT_ERROR, WA_SIEM_FORMAT_ERROR_INVALID_EVENT,
                   "The audit event cannot be exported because its “%s” member contains a control character",
                   name);
      return FALSE;
    }

  *out = value;
  return TRUE;
}

/* Reads the integer member @name, which must lie in [@min, @max]. */
static gboolean
read_integer_member (JsonObject  *object,
                     const char  *name,
                     gint64       min,
                     gint64       max,
                     gboolean    *present,
                     gint64      *out,
                     GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  gint64 value;

  *present = FALSE;
  *out = 0;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_set_error (error, WA_SIEM_FORMAT_ERROR, WA_SIEM_FORMAT_ERROR_INVALID_EVENT,
                   "The audit event cannot be exported because its “%s” member is not an integer", name);
      return FALSE;
    }

  value = json_node_get_int (node);
  if (value < min || value > max)
    {
      g_set_error (error, WA_SIEM_FORMAT_ERROR, WA_SIEM_FORMAT_ERROR_INVALID_EVENT,
                   "The audit event cannot be exported because its “%s” member is %" G_GINT64_FORMAT
                   ", outside %" G_GINT64_FORMAT "–%" G_GINT64_FORMAT,
                   name, value, min, max);
      return FALSE;
    }

  *present = TRUE;
  *out = value;
  return TRUE;
}

/* Reads exactly @count ASCII digits. */
static gboolean
parse_digits (const char **p,
              int          count,
              int         *out)
{
  int value = 0;

  for (int i = 0; i < count; i++)
    {
      if (!g_ascii_isdigit ((*p)[i]))
        return FALSE;
      value = value * 10 + ((*p)[i] - '0');
    }

  *p += count;
  *out = value;
  return TRUE;
}

static gboolean
expect_char (const char **p,
             char         c)
{
  if (**p != c)
    return FALSE;
  (*p)++;
  return TRUE;
}

/* Parses an RFC 3339 §5.6 date-time and returns it in UTC.  Digits past
 * the sixth of a fraction are dropped: syslog (RFC 5424 §6.2.3) carries
 * microseconds at most.  A leap second (":60") is refused, since GLib
 * cannot represent it; the audit log never writes one. */
static GDateTime *
parse_rfc3339 (const char *text)
{
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) precise = NULL;
  const char *p = text;
  int year, month, day, hour, minute, second;
  int usec = 0;
  int offset = 0;

  if (!parse_digits (&p, 4, &year) || !expect_char (&p, '-') ||
      !parse_digits (&p, 2, &month) || !expect_char (&p, '-') ||
      !parse_digits (&p, 2, &day))
    return NULL;

  if (*p != 'T' && *p != 't')
    return NULL;
  p++;

  if (!parse_digits (&p, 2, &hour) || !expect_char (&p, ':') ||
      !parse_digits (&p, 2, &minute) || !expect_char (&p, ':') ||
      !parse_digits (&p, 2, &second))
    return NULL;

  if (month < 1 || month > 12 || day < 1 || day > 31 ||
      hour > 23 || minute > 59 || second > 59)
    return NULL;

  if (*p == '.')
    {
      int digits = 0;

      p++;
      if (!g_ascii_isdigit (*p))
        return NULL;
      for (; g_ascii_isdigit (*p); p++, digits++)
        {
          if (digits < 6)
            usec = usec * 10 + (*p - '0');
        }
      for (; digits < 6; digits++)
        usec *= 10;
    }

  if (*p == 'Z' || *p == 'z')
    {
      p++;
    }
  else if (*p == '+' || *p == '-')
    {
      int sign = *p == '-' ? -1 : 1;
      int offset_hour, offset_minute;

      p++;
      if (!parse_digits (&p, 2, &offset_hour) || !expect_char (&p, ':') ||
          !parse_digits (&p, 2, &offset_minute))
        return NULL;
      if (offset_hour > 23 || offset_minute > 59)
        return NULL;
      offset = sign * (offset_hour * 3600 + offset_minute * 60);
    }
  else
    {
      return NULL;
    }

  if (*p != '\0')
    return NULL;

  zone = g_time_zone_new_offset (offset);
  if (zone == NULL)
    return NULL;

  /* GDateTime refuses impossible dates such as February 30th. */
  local = g_date_time_new (zone, year, month, day, hour, minute, second);
  if (local == NULL)
    return NULL;

  precise = g_date_time_add (local, usec);
  if (precise == NULL)
    return NULL;

  return g_date_time_to_utc (precise);
}

static char *
format_utc_time (GDateTime *time)
{
  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d.%06dZ",
                          g_date_time_get_year (time),
                          g_date_time_get_month (time),
                          g_date_time_get_day_of_month (time),
                          g_date_time_get_hour (time),
                          g_date_time_get_minute (time),
                          g_date_time_get_second (time),
                          g_date_time_get_microsecond (time));
}

static gboolean
check_known_members (JsonObject  *object,
                     GError     **error)
{
  g_autoptr(GList) names = json_object_get_members (object);

  for (GList *l = names; l != NULL; l = l->next)
    {
      gboolean known = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (known_members) && !known; i++)
        known = g_str_equal (l->data, known_members[i]);

      if (!known)
        {
          g_set_error (error, WA_SIEM_FORMAT_ERROR, WA_SIEM_FORMAT_ERROR_INVALID_EVENT,
                       "The audit event cannot be exported because it has a member “%s” that has no SIEM mapping",
                       (const char *) l->data);
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * wa_siem_event_new:
 * @object: an audit event
 * @error: return location for a #WA_SIEM_FORMAT_ERROR
 *
 * Checks @object and normalises it: time in UTC with microseconds, the
 * IP address in its canonical text form, metadata as canonical JSON.
 *
 * Returns: (transfer full): the event, or %NULL with @error set
 */
WaSiemEvent *
wa_siem_event_new (JsonObject  *object,
                   GError     **error)
{
  g_autoptr(WaSiemEvent) event = g_new0 (WaSiemEvent, 1);
  const char *time_text;
  const char *ip_text;
  gboolean present;
  gint64 value;
  JsonNode *metadata;

  g_return_val_if_fail (object != NULL, NULL);

  if (!check_known_members (object, error))
    return NULL;

  /* The required members first, in the order the error names them. */
  if (!read_string_member (object, "time", TRUE, MEMBER_IDENTIFIER, &time_text, error) ||
      !read_string_member (object, "event_type", TRUE, MEMBER_IDENTIFIER, &event->event_type, error) ||
      !read_string_member (object, "outcome", TRUE, MEMBER_IDENTIFIER, &event->outcome, error) ||
      !read_string_member (object, "tenant", TRUE, MEMBER_IDENTIFIER, &event->tenant, error) ||
      !read_string_member (object, "device", TRUE, MEMBER_IDENTIFIER, &event->device, error))
    return NULL;

  event->time = parse_rfc3339 (time_text);
  if (event->time == NULL)
    {
      g_set_error (error, WA_SIEM_FORMAT_ERROR, WA_SIEM_FORMAT_ERROR_INVALID_EVENT,
                   "The audit event cannot be exported because its “time” member “%s” is not an RFC 3339 "
                   "time such as 2026-12-03T15:04:05.123456Z", time_text);
      return NULL;
    }
  event->time_text = format_utc_time (event->time);

  if (g_str_equal (event->outcome, "success"))
    event->outcome_code = WA_SIEM_OUTCOME_SUCCESS;
  else if (g_str_equal (event->outcome, "failure"))
    event->outcome_code = WA_SIEM_OUTCOME_FAILURE;
  else if (g_str_equal (event->outcome, "denied"))
    event->outcome_code = WA_SIEM_OUTCOME_DENIED;
  else
    {
      g_set_error (error, WA_SIEM_FORMAT_ERROR, WA_SIEM_FORMAT_ERROR_INVALID_EVENT,
                   "The audit event cannot be exported because its “outcome” member is “%s”, not “success”, "
                   "“failure” or “denied”", event->outcome);
      return NULL;
    }

  if (!read_string_member (object, "actor", FALSE, MEMBER_IDENTIFIER, &event->actor, error) ||
      !read_string_member (object, "session", FALSE, MEMBER_IDENTIFIER, &event->session, error) ||
      !read_string_member (object, "user_role", FALSE, MEMBER_IDENTIFIER, &event->user_role, error) ||
      !read_string_member (object, "plan_id", FALSE, MEMBER_IDENTIFIER, &event->plan_id, error) ||
      !read_string_member (object, "resource", FALSE, MEMBER_TEXT, &event->resource, error) ||
      !read_string_member (object, "action", FALSE, MEMBER_TEXT, &event->action, error) ||
      !read_string_member (object, "user_agent", FALSE, MEMBER_TEXT, &event->user_agent, error) ||
      !read_string_member (object, "ip", FALSE, MEMBER_IDENTIFIER, &ip_text, error))
    return NULL;

  if (!read_integer_member (object, "index", 0, G_MAXINT64, &present, &value, error))
    return NULL;
  event->has_index = present;
  event->index = value;

  if (!read_integer_member (object, "risk_score", 0, 100, &present, &value, error))
    return NULL;
  event->has_risk_score = present;
  event->risk_score = (int) value;

  if (ip_text != NULL)
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (ip_text);

      /* The value itself stays out of the message: it comes from the
       * decrypted body. */
      if (address == NULL)
        {
          g_set_error (error, WA_SIEM_FORMAT_ERROR, WA_SIEM_FORMAT_ERROR_INVALID_EVENT,
                       "The audit event cannot be exported because its “ip” member is not an IPv4 or IPv6 address");
          return NULL;
        }
      event->ip = g_inet_address_to_string (address);
    }

  metadata = json_object_get_member (object, "metadata");
  if (metadata != NULL && !JSON_NODE_HOLDS_NULL (metadata))
    {
      if (!JSON_NODE_HOLDS_OBJECT (metadata))
        {
          g_set_error (error, WA_SIEM_FORMAT_ERROR, WA_SIEM_FORMAT_ERROR_INVALID_EVENT,
                       "The audit event cannot be exported because its “metadata” member is not a JSON object");
          return NULL;
        }
      event->metadata = json_object_ref (json_node_get_object (metadata));
      event->metadata_json = wa_json_canonicalize (metadata);
      if (!g_utf8_validate (event->metadata_json, -1, NULL))
        {
          g_set_error (error, WA_SIEM_FORMAT_ERROR, WA_SIEM_FORMAT_ERROR_INVALID_EVENT,
                       "The audit event cannot be exported because its “metadata” member is not valid UTF-8");
          return NULL;
        }
    }

  return g_steal_pointer (&event);
}

/* Milliseconds since the Unix epoch, rounded down. */
gint64
wa_siem_event_get_unix_ms (const WaSiemEvent *event)
{
  return g_date_time_to_unix (event->time) * 1000 + g_date_time_get_microsecond (event->time) / 1000;
}

/* The event type up to its first dot: "auth" for "auth.unlock". */
char *
wa_siem_event_dup_category (const WaSiemEvent *event)
{
  const char *dot = strchr (event->event_type, '.');

  if (dot == NULL || dot == event->event_type)
    return g_strdup (event->event_type);

  return g_strndup (event->event_type, dot - event->event_type);
}

/* A readable name for the event type: dots and underscores become
 * spaces and the first letter is upper case, so "auth.unlock_failed"
 * reads "Auth unlock failed". */
char *
wa_siem_event_dup_name (const WaSiemEvent *event)
{
  char *name = g_strdup (event->event_type);

  for (char *p = name; *p != '\0'; p++)
    {
      if (*p == '.' || *p == '_')
        *p = ' ';
    }
  name[0] = g_ascii_toupper (name[0]);

  return name;
}

/* CEF severity, 0 (lowest) to 10 (highest):
 *
 *   risk_score present   round (risk_score / 10), halves up:
 *                          0–4 → 0, 5–14 → 1, …, 65–74 → 7, 95–100 → 10
 *   risk_score missing   success → 1, failure → 4, denied → 5
 *
 * ArcSight reads 0–3 as Low, 4–6 Medium, 7–8 High, 9–10 Very-High, so an
 * unscored failure or refusal is at least Medium. */
int
wa_siem_event_get_cef_severity (const WaSiemEvent *event)
{
  if (event->has_risk_score)
    return (event->risk_score + 5) / 10;

  if (event->outcome_code == WA_SIEM_OUTCOME_DENIED)
    return 5;
  if (event->outcome_code == WA_SIEM_OUTCOME_FAILURE)
    return 4;
  return 1;
}

/* LEEF "sev" runs from 1 to 10: the CEF severity, raised to 1. */
int
wa_siem_event_get_leef_severity (const WaSiemEvent *event)
{
  return MAX (1, wa_siem_event_get_cef_severity (event));
}

/* Syslog severity (RFC 5424 §6.2.1; lower is more severe):
 *
 *   risk_score     missing or 0–29   30–59     60–79   80–100
 *   success        5 Notice          4 Warning 3 Error 2 Critical
 *   failure/denied 4 Warning         4 Warning 3 Error 2 Critical
 *
 * Every audit event is at least a Notice ("normal but significant"); a
 * failure or refusal is at least a Warning.  Emergency and Alert are left
 * to the system itself: one audit event never makes it unusable. */
int
wa_siem_event_get_syslog_severity (const WaSiemEvent *event)
{
  int severity = 5;

  if (event->has_risk_score)
    {
      if (event->risk_score >= 80)
        severity = 2;
      else if (event->risk_score >= 60)
        severity = 3;
      else if (event->risk_score >= 30)
        severity = 4;
    }

  if (event->outcome_code != WA_SIEM_OUTCOME_SUCCESS)
    severity = MIN (severity, 4);

  return severity;
}

static void
set_optional_string (JsonObject *object,
                     const char *name,
                     const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, name, value);
}

/* The normalised event as a JSON object with the input's member names. */
JsonNode *
wa_siem_event_to_json (const WaSiemEvent *event)
{
  g_autoptr(JsonObject) object = json_object_new ();
  JsonNode *node;

  if (event->has_index)
    json_object_set_int_member (object, "index", event->index);
  set_optional_string (object, "time", event->time_text);
  set_optional_string (object, "tenant", event->tenant);
  set_optional_string (object, "actor", event->actor);
  set_optional_string (object, "device", event->device);
  set_optional_string (object, "event_type", event->event_type);
  set_optional_string (object, "resource", event->resource);
  set_optional_string (object, "action", event->action);
  set_optional_string (object, "outcome", event->outcome);
  if (event->has_risk_score)
    json_object_set_int_member (object, "risk_score", event->risk_score);
  set_optional_string (object, "session", event->session);
  set_optional_string (object, "user_role", event->user_role);
  set_optional_string (object, "plan_id", event->plan_id);
  set_optional_string (object, "ip", event->ip);
  set_optional_string (object, "user_agent", event->user_agent);
  if (event->metadata != NULL)
    json_object_set_object_member (object, "metadata", json_object_ref (event->metadata));

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, object);
  return node;
}
