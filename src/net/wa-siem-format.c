/* wa-siem-format.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "wa-siem-format"

#include "config.h"

#include <string.h>

#include "wa-json.h"
#include "wa-siem-event.h"
#include "wa-siem-format.h"

/* The formats, and how the members of an audit event map onto them.
 * docs/siem-formats.md holds the same tables with the reasons.
 *
 * CEF (ArcSight Common Event Format, version 0)
 *
 *   CEF:0|WebAgent|WebAgent|<version>|<event_type>|<name>|<severity>|<extension>
 *
 *   member       CEF key                   dictionary name
 *   time         rt                        deviceReceiptTime (ms since epoch)
 *   event_type   cat                       deviceEventCategory (text before the first dot)
 *   action       act                       deviceAction
 *   outcome      outcome                   eventOutcome
 *   actor        suser                     sourceUserName
 *   user_role    spriv                     sourceUserPrivileges
 *   device       deviceExternalId          deviceExternalId
 *   ip           src                       sourceAddress
 *   user_agent   requestClientApplication  requestClientApplication
 *   tenant       cs1, cs1Label=tenant      deviceCustomString1
 *   session      cs2, cs2Label=session     deviceCustomString2
 *   plan_id      cs3, cs3Label=planId      deviceCustomString3
 *   resource     cs4, cs4Label=resource    deviceCustomString4
 *   metadata     cs5, cs5Label=metadata    deviceCustomString5 (canonical JSON)
 *   index        cn1, cn1Label=index       deviceCustomNumber1
 *   risk_score   cn2, cn2Label=riskScore   deviceCustomNumber2
 *
 * LEEF 2.0 (IBM QRadar), attributes separated by a tab, declared as 0x09
 *
 *   LEEF:2.0|WebAgent|WebAgent|<version>|<event_type>|0x09|<attributes>
 *
 *   member       LEEF key                  predefined?
 *   time         devTime, devTimeFormat    yes
 *   outcome      cat                       yes
 *   risk_score   sev (1–10)                yes
 *   actor        usrName                   yes
 *   ip           src and identSrc          yes
 *   user_role    role                      yes
 *   tenant       realm                     yes
 *   resource     resource                  yes
 *   action       action                    no
 *   device       deviceId                  no
 *   session      session                   no
 *   plan_id      planId                    no
 *   index        index                     no
 *   risk_score   riskScore                 no
 *   user_agent   userAgent                 no
 *   metadata     metadata                  no (canonical JSON)
 *
 * Syslog (RFC 5424): every member but metadata is an SD-PARAM of the same
 * name in one SD-ELEMENT; the MSG is the CEF line, which carries metadata
 * too.  MSGID is the event type, PROCID is the NILVALUE.
 *
 * A missing optional member leaves its key out of every format.
 */

#define LEEF_EVENT_ID_MAX   255
#define SYSLOG_HOSTNAME_MAX 255
#define SYSLOG_APP_NAME_MAX 48
#define SYSLOG_MSGID_MAX    32
#define SYSLOG_SD_NAME_MAX  32
#define SYSLOG_NILVALUE     "-"
#define UTF8_BOM            "\xef\xbb\xbf"

G_DEFINE_QUARK (wa_siem_format_error_quark, wa_siem_format_error)

static gboolean
check_product_version (const char  *product_version,
                       GError     **error)
{
  if (*product_version == '\0' || !g_utf8_validate (product_version, -1, NULL))
    {
      g_set_error (error, WA_SIEM_FORMAT_ERROR, WA_SIEM_FORMAT_ERROR_INVALID_PARAMETER,
                   "The product version for SIEM export must be non-empty UTF-8 text");
      return FALSE;
    }

  for (const guchar *p = (const guchar *) product_version; *p != '\0'; p++)
    {
      if (*p < 0x20 || *p == 0x7f)
        {
          g_set_error (error, WA_SIEM_FORMAT_ERROR, WA_SIEM_FORMAT_ERROR_INVALID_PARAMETER,
                       "The product version for SIEM export must not contain control characters");
          return FALSE;
        }
    }

  return TRUE;
}

/* CEF header fields escape "\" and "|" with a backslash (CEF
 * Implementation Standard, "Character Encoding").  A header cannot carry
 * a line break at all, so the event checks refuse control characters in
 * the members that reach it (event type, product version). */
static void
append_cef_header_field (GString    *out,
                         const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\\' || *p == '|')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
}

/* CEF extension values escape "\" and "=" with a backslash and write
 * CR and LF as "\r" and "\n"; a pipe or a space needs no escape. */
static void
append_cef_value (GString    *out,
                  const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '\\' :
          g_string_append (out, "\\\\");
          break;
        case '=' :
          g_string_append (out, "\\=");
          break;
        case '\r' :
          g_string_append (out, "\\r");
          break;
        case '\n' :
          g_string_append (out, "\\n");
          break;
        default :
          g_string_append_c (out, *p);
          break;
        }
    }
}

static void
append_cef_pair (GString    *extension,
                 const char *key,
                 const char *value)
{
  if (value == NULL)
    return;

  if (extension->len > 0)
    g_string_append_c (extension, ' ');
  g_string_append (extension, key);
  g_string_append_c (extension, '=');
  append_cef_value (extension, value);
}

static void
append_cef_labelled (GString    *extension,
                     const char *key,
                     const char *label,
                     const char *value)
{
  g_autofree char *label_key = NULL;

  if (value == NULL)
    return;

  label_key = g_strconcat (key, "Label", NULL);
  append_cef_pair (extension, key, value);
  append_cef_pair (extension, label_key, label);
}

static char *
build_cef (const WaSiemEvent *event,
           const char        *product_version)
{
  GString *out = g_string_new ("CEF:0|");
  g_autoptr(GString) extension = g_string_new (NULL);
  g_autofree char *name = wa_siem_event_dup_name (event);
  g_autofree char *category = wa_siem_event_dup_category (event);
  g_autofree char *rt = g_strdup_printf ("%" G_GINT64_FORMAT, wa_siem_event_get_unix_ms (event));
  g_autofree char *index = NULL;
  g_autofree char *risk_score = NULL;

  if (event->has_index)
    index = g_strdup_printf ("%" G_GINT64_FORMAT, event->index);
  if (event->has_risk_score)
    risk_score = g_strdup_printf ("%d", event->risk_score);

  append_cef_header_field (out, WA_SIEM_VENDOR);
  g_string_append_c (out, '|');
  append_cef_header_field (out, WA_SIEM_PRODUCT);
  g_string_append_c (out, '|');
  append_cef_header_field (out, product_version);
  g_string_append_c (out, '|');
  append_cef_header_field (out, event->event_type);
  g_string_append_c (out, '|');
  append_cef_header_field (out, name);
  g_string_append_printf (out, "|%d|", wa_siem_event_get_cef_severity (event));

  append_cef_pair (extension, "rt", rt);
  append_cef_pair (extension, "cat", category);
  append_cef_pair (extension, "act", event->action);
  append_cef_pair (extension, "outcome", event->outcome);
  append_cef_pair (extension, "suser", event->actor);
  append_cef_pair (extension, "spriv", event->user_role);
  append_cef_pair (extension, "deviceExternalId", event->device);
  append_cef_pair (extension, "src", event->ip);
  append_cef_pair (extension, "requestClientApplication", event->user_agent);
  append_cef_labelled (extension, "cs1", "tenant", event->tenant);
  append_cef_labelled (extension, "cs2", "session", event->session);
  append_cef_labelled (extension, "cs3", "planId", event->plan_id);
  append_cef_labelled (extension, "cs4", "resource", event->resource);
  append_cef_labelled (extension, "cs5", "metadata", event->metadata_json);
  append_cef_labelled (extension, "cn1", "index", index);
  append_cef_labelled (extension, "cn2", "riskScore", risk_score);

  g_string_append_len (out, extension->str, extension->len);

  return g_string_free (out, FALSE);
}

/**
 * wa_siem_format_cef:
 * @event: an audit event
 * @product_version: the WebAgent version for the header
 * @error: return location for a #WA_SIEM_FORMAT_ERROR
 *
 * Formats @event as one ArcSight CEF:0 line, without a line end.
 *
 * Returns: (transfer full): the line, or %NULL with @error set
 */
char *
wa_siem_format_cef (JsonObject  *event,
                    const char  *product_version,
                    GError     **error)
{
  g_autoptr(WaSiemEvent) normalised = NULL;

  g_return_val_if_fail (event != NULL, NULL);
  g_return_val_if_fail (product_version != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_product_version (product_version, error))
    return NULL;

  normalised = wa_siem_event_new (event, error);
  if (normalised == NULL)
    return NULL;

  return build_cef (normalised, product_version);
}

/* LEEF defines no escape sequence at all: a value runs to the next
 * delimiter and a header field to the next pipe.  So what LEEF cannot
 * carry is replaced by a space: a pipe in a header field, and the tab
 * delimiter, CR and LF in an attribute value.  The JSON form is the
 * lossless one. */
static void
append_leef_text (GString    *out,
                  const char *text,
                  gboolean    header)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\t' || *p == '\r' || *p == '\n' || (header && *p == '|'))
        g_string_append_c (out, ' ');
      else
        g_string_append_c (out, *p);
    }
}

static void
append_leef_pair (GString    *attributes,
                  const char *key,
                  const char *value)
{
  if (value == NULL)
    return;

  if (attributes->len > 0)
    g_string_append_c (attributes, '\t');
  g_string_append (attributes, key);
  g_string_append_c (attributes, '=');
  append_leef_text (attributes, value, FALSE);
}

/* devTime in the first pattern IBM suggests for devTimeFormat, with
 * English month names whatever the locale, in UTC. */
static char *
format_leef_time (GDateTime *time)
{
  static const char * const months[] = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun",
    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
  };

  return g_strdup_printf ("%s %02d %04d %02d:%02d:%02d.%03d GMT",
                          months[g_date_time_get_month (time) - 1],
                          g_date_time_get_day_of_month (time),
                          g_date_time_get_year (time),
                          g_date_time_get_hour (time),
                          g_date_time_get_minute (time),
                          g_date_time_get_second (time),
                          g_date_time_get_microsecond (time) / 1000);
}

static char *
build_leef (const WaSiemEvent *event,
            const char        *product_version)
{
  GString *out = g_string_new ("LEEF:2.0|");
  g_autoptr(GString) attributes = g_string_new (NULL);
  g_autofree char *event_id = NULL;
  g_autofree char *dev_time = format_leef_time (event->time);
  g_autofree char *severity = g_strdup_printf ("%d", wa_siem_event_get_leef_severity (event));
  g_autofree char *index = NULL;
  g_autofree char *risk_score = NULL;

  /* "The EventID field cannot exceed 255 characters." */
  if (g_utf8_strlen (event->event_type, -1) > LEEF_EVENT_ID_MAX)
    event_id = g_utf8_substring (event->event_type, 0, LEEF_EVENT_ID_MAX);
  else
    event_id = g_strdup (event->event_type);

  if (event->has_index)
    index = g_strdup_printf ("%" G_GINT64_FORMAT, event->index);
  if (event->has_risk_score)
    risk_score = g_strdup_printf ("%d", event->risk_score);

  append_leef_text (out, WA_SIEM_VENDOR, TRUE);
  g_string_append_c (out, '|');
  append_leef_text (out, WA_SIEM_PRODUCT, TRUE);
  g_string_append_c (out, '|');
  append_leef_text (out, product_version, TRUE);
  g_string_append_c (out, '|');
  append_leef_text (out, event_id, TRUE);
  g_string_append (out, "|0x09|");

  append_leef_pair (attributes, "devTime", dev_time);
  append_leef_pair (attributes, "devTimeFormat", "MMM dd yyyy HH:mm:ss.SSS z");
  append_leef_pair (attributes, "cat", event->outcome);
  append_leef_pair (attributes, "sev", severity);
  append_leef_pair (attributes, "usrName", event->actor);
  append_leef_pair (attributes, "src", event->ip);
  append_leef_pair (attributes, "identSrc", event->ip);
  append_leef_pair (attributes, "role", event->user_role);
  append_leef_pair (attributes, "realm", event->tenant);
  append_leef_pair (attributes, "resource", event->resource);
  append_leef_pair (attributes, "action", event->action);
  append_leef_pair (attributes, "deviceId", event->device);
  append_leef_pair (attributes, "session", event->session);
  append_leef_pair (attributes, "planId", event->plan_id);
  append_leef_pair (attributes, "index", index);
  append_leef_pair (attributes, "riskScore", risk_score);
  append_leef_pair (attributes, "userAgent", event->user_agent);
  append_leef_pair (attributes, "metadata", event->metadata_json);

  g_string_append_len (out, attributes->str, attributes->len);

  return g_string_free (out, FALSE);
}

/**
 * wa_siem_format_leef:
 * @event: an audit event
 * @product_version: the WebAgent version for the header
 * @error: return location for a #WA_SIEM_FORMAT_ERROR
 *
 * Formats @event as one IBM QRadar LEEF 2.0 line, without a line end.
 * Attributes are separated by a tab, the LEEF default, which the header
 * also declares as 0x09.
 *
 * Returns: (transfer full): the line, or %NULL with @error set
 */
char *
wa_siem_format_leef (JsonObject  *event,
                     const char  *product_version,
                     GError     **error)
{
  g_autoptr(WaSiemEvent) normalised = NULL;

  g_return_val_if_fail (event != NULL, NULL);
  g_return_val_if_fail (product_version != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_product_version (product_version, error))
    return NULL;

  normalised = wa_siem_event_new (event, error);
  if (normalised == NULL)
    return NULL;

  return build_leef (normalised, product_version);
}

static gboolean
is_printusascii (char c)
{
  return c >= 33 && c <= 126;
}

/* HOSTNAME and APP-NAME (RFC 5424 §6.2.4, §6.2.5) are NILVALUE or 1 to
 * @max_length printable US-ASCII characters.  They come from the
 * configuration, so a bad one is an error rather than silently changed:
 * a truncated host name would name another machine. */
static gboolean
check_header_field (const char  *value,
                    gsize        max_length,
                    const char  *what,
                    GError     **error)
{
  gsize length = strlen (value);

  if (length > max_length)
    {
      g_set_error (error, WA_SIEM_FORMAT_ERROR, WA_SIEM_FORMAT_ERROR_INVALID_PARAMETER,
                   "The syslog %s has %" G_GSIZE_FORMAT " characters, more than the %" G_GSIZE_FORMAT
                   " RFC 5424 allows", what, length, max_length);
      return FALSE;
    }

  for (const char *p = value; *p != '\0'; p++)
    {
      if (!is_printusascii (*p))
        {
          g_set_error (error, WA_SIEM_FORMAT_ERROR, WA_SIEM_FORMAT_ERROR_INVALID_PARAMETER,
                       "The syslog %s may only hold printable ASCII characters without spaces", what);
          return FALSE;
        }
    }

  return TRUE;
}

/* An SD-ID (RFC 5424 §6.3.2) is an SD-NAME: 1 to 32 printable US-ASCII
 * characters other than "=", space, "]" and '"'.  Names without an "@"
 * are reserved for IANA, so ours must be NAME@PEN, where the Private
 * Enterprise Number may have dotted sub-identifiers (§7.2.2). */
static gboolean
check_sd_id (const char  *sd_id,
             GError     **error)
{
  gsize length = strlen (sd_id);
  const char *at = strchr (sd_id, '@');
  gboolean valid = length >= 1 && length <= SYSLOG_SD_NAME_MAX && at != NULL && at != sd_id;

  for (const char *p = sd_id; valid && *p != '\0'; p++)
    valid = is_printusascii (*p) && *p != '=' && *p != ']' && *p != '"';

  if (valid)
    {
      const char *pen = at + 1;

      /* Digits, with single dots between groups. */
      valid = g_ascii_isdigit (*pen);
      for (const char *p = pen; valid && *p != '\0'; p++)
        valid = g_ascii_isdigit (*p) || (*p == '.' && g_ascii_isdigit (p[1]));
    }

  if (!valid)
    {
      g_set_error (error, WA_SIEM_FORMAT_ERROR, WA_SIEM_FORMAT_ERROR_INVALID_PARAMETER,
                   "The syslog SD-ID “%s” is not of the form name@enterprise-number, at most 32 characters",
                   sd_id);
      return FALSE;
    }

  return TRUE;
}

/* MSGID (RFC 5424 §6.2.7) is 1 to 32 printable US-ASCII characters.  It
 * comes from the event type, which an export must not fail over, so each
 * other character becomes "_" and the rest is cut; the SD-PARAM
 * event_type and the CEF in MSG keep the full value. */
static char *
make_msgid (const char *event_type)
{
  GString *msgid = g_string_new (NULL);

  for (const char *p = event_type; *p != '\0' && msgid->len < SYSLOG_MSGID_MAX; p = g_utf8_next_char (p))
    g_string_append_c (msgid, is_printusascii (*p) ? *p : '_');

  return g_string_free (msgid, FALSE);
}

/* PARAM-VALUE escapes '"', "\" and "]" with a backslash (RFC 5424
 * §6.3.3); everything else, line breaks included, is UTF-8 as is. */
static void
append_sd_param (GString    *out,
                 const char *name,
                 const char *value)
{
  if (value == NULL)
    return;

  g_string_append_printf (out, " %s=\"", name);
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\' || *p == ']')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static gboolean
is_ascii (const char *text)
{
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (*p >= 0x80)
        return FALSE;
    }

  return TRUE;
}

/**
 * wa_siem_format_syslog:
 * @event: an audit event
 * @hostname: (nullable): HOSTNAME, or %NULL or "" for the NILVALUE
 * @app_name: (nullable): APP-NAME, or %NULL or "" for the NILVALUE
 * @sd_id: (nullable): the SD-ID, or %NULL for %WA_SIEM_DEFAULT_SD_ID
 * @product_version: the WebAgent version for the CEF in MSG
 * @facility: the syslog facility, 0 to 23
 * @error: return location for a #WA_SIEM_FORMAT_ERROR
 *
 * Formats @event as one RFC 5424 syslog message, without framing:
 *
 *   <PRI>1 TIMESTAMP HOSTNAME APP-NAME - MSGID [SD-ID PARAMS] MSG
 *
 * PRI is @facility × 8 plus the severity the event's outcome and risk
 * score give.  TIMESTAMP is the event time in UTC with microseconds.
 * MSG is the CEF line of the event.  It starts with a UTF-8 byte order
 * mark when it holds a non-ASCII character, as §6.4 requires of MSG-UTF8;
 * an all-ASCII MSG is sent as MSG-ANY without one, so receivers that look
 * for "CEF:" at the start of MSG still find it.
 *
 * Returns: (transfer full): the message, or %NULL with @error set
 */
char *
wa_siem_format_syslog (JsonObject  *event,
                       const char  *hostname,
                       const char  *app_name,
                       const char  *sd_id,
                       const char  *product_version,
                       int          facility,
                       GError     **error)
{
  g_autoptr(WaSiemEvent) normalised = NULL;
  g_autofree char *msgid = NULL;
  g_autofree char *cef = NULL;
  g_autofree char *index = NULL;
  g_autofree char *risk_score = NULL;
  GString *out;

  g_return_val_if_fail (event != NULL, NULL);
  g_return_val_if_fail (product_version != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (hostname == NULL || *hostname == '\0')
    hostname = SYSLOG_NILVALUE;
  if (app_name == NULL || *app_name == '\0')
    app_name = SYSLOG_NILVALUE;
  if (sd_id == NULL)
    sd_id = WA_SIEM_DEFAULT_SD_ID;

  if (facility < 0 || facility > WA_SIEM_SYSLOG_FACILITY_MAX)
    {
      g_set_error (error, WA_SIEM_FORMAT_ERROR, WA_SIEM_FORMAT_ERROR_INVALID_PARAMETER,
                   "The syslog facility %d is not one of 0 to %d", facility, WA_SIEM_SYSLOG_FACILITY_MAX);
      return NULL;
    }

  if (!check_header_field (hostname, SYSLOG_HOSTNAME_MAX, "host name", error) ||
      !check_header_field (app_name, SYSLOG_APP_NAME_MAX, "app name", error) ||
      !check_sd_id (sd_id, error) ||
      !check_product_version (product_version, error))
    return NULL;

  normalised = wa_siem_event_new (event, error);
  if (normalised == NULL)
    return NULL;

  msgid = make_msgid (normalised->event_type);
  cef = build_cef (normalised, product_version);
  if (normalised->has_index)
    index = g_strdup_printf ("%" G_GINT64_FORMAT, normalised->index);
  if (normalised->has_risk_score)
    risk_score = g_strdup_printf ("%d", normalised->risk_score);

  out = g_string_new (NULL);
  g_string_append_printf (out, "<%d>1 %s %s %s %s %s [%s",
                          facility * 8 + wa_siem_event_get_syslog_severity (normalised),
                          normalised->time_text, hostname, app_name, SYSLOG_NILVALUE, msgid, sd_id);
  append_sd_param (out, "index", index);
  append_sd_param (out, "tenant", normalised->tenant);
  append_sd_param (out, "actor", normalised->actor);
  append_sd_param (out, "device", normalised->device);
  append_sd_param (out, "event_type", normalised->event_type);
  append_sd_param (out, "resource", normalised->resource);
  append_sd_param (out, "action", normalised->action);
  append_sd_param (out, "outcome", normalised->outcome);
  append_sd_param (out, "risk_score", risk_score);
  append_sd_param (out, "session", normalised->session);
  append_sd_param (out, "user_role", normalised->user_role);
  append_sd_param (out, "plan_id", normalised->plan_id);
  append_sd_param (out, "ip", normalised->ip);
  append_sd_param (out, "user_agent", normalised->user_agent);
  g_string_append (out, "] ");

  if (!is_ascii (cef))
    g_string_append (out, UTF8_BOM);
  g_string_append (out, cef);

  return g_string_free (out, FALSE);
}

/**
 * wa_siem_frame_octet_counting:
 * @message: a syslog message
 *
 * Frames @message for a stream transport by octet counting (RFC 6587
 * §3.4.1, the only framing RFC 5425 allows over TLS): MSG-LEN SP
 * SYSLOG-MSG, where MSG-LEN is the decimal number of octets of @message.
 *
 * Returns: (transfer full): the frame, without a terminating NUL
 */
GBytes *
wa_siem_frame_octet_counting (const char *message)
{
  gsize length;
  char *frame;

  g_return_val_if_fail (message != NULL, NULL);

  length = strlen (message);
  frame = g_strdup_printf ("%" G_GSIZE_FORMAT " %s", length, message);

  return g_bytes_new_take (frame, strlen (frame));
}

/**
 * wa_siem_format_json:
 * @event: an audit event
 * @error: return location for a #WA_SIEM_FORMAT_ERROR
 *
 * Formats the normalised @event as canonical JSON: keys sorted, no
 * whitespace, the input's member names, the time in UTC with six
 * fraction digits.  Splunk HEC and Azure Monitor transports send this.
 *
 * Returns: (transfer full): the JSON text, or %NULL with @error set
 */
char *
wa_siem_format_json (JsonObject  *event,
                     GError     **error)
{
  g_autoptr(WaSiemEvent) normalised = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (event != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  normalised = wa_siem_event_new (event, error);
  if (normalised == NULL)
    return NULL;

  node = wa_siem_event_to_json (normalised);
  return wa_json_canonicalize (node);
}
