/* wa-json.h
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

char     *wa_json_canonicalize     (JsonNode    *node);
void      wa_json_append_string    (GString     *out,
                                    const char  *text);
JsonNode *wa_json_parse_object     (const char  *text,
                                    gssize       len,
                                    GError     **error);
gboolean  wa_json_write_file       (const char  *path,
                                    JsonNode    *node,
                                    GError     **error);

G_END_DECLS
