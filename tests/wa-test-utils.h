/* wa-test-utils.h
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void    wa_test_remove_tree (const char *path);
GBytes *wa_test_read_file   (const char *path);

G_END_DECLS
