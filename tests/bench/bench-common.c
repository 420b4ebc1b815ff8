/* bench-common.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bench-common.h"

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <sqlite3.h>
#include <sys/statfs.h>
#include <sys/utsname.h>

#ifndef BENCH_BUILDTYPE
#define BENCH_BUILDTYPE "unknown"
#endif
#ifndef BENCH_OPTIMIZATION
#define BENCH_OPTIMIZATION "?"
#endif

double
bench_now (void)
{
  return g_get_monotonic_time () / (double) G_USEC_PER_SEC;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

double
bench_median (GArray *samples)
{
  guint n;

  g_return_val_if_fail (samples != NULL && samples->len > 0, 0.0);

  g_array_sort (samples, compare_double);
  n = samples->len;
  if (n % 2 == 1)
    return g_array_index (samples, double, n / 2);

  return (g_array_index (samples, double, n / 2 - 1) + g_array_index (samples, double, n / 2)) / 2.0;
}

static char *
read_cpu_model (void)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/cpuinfo", &contents, NULL, NULL))
    return g_strdup ("unknown");

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *colon;

      if (!g_str_has_prefix (lines[i], "model name"))
        continue;
      colon = strchr (lines[i], ':');
      if (colon != NULL)
        return g_strstrip (g_strdup (colon + 1));
    }

  return g_strdup ("unknown");
}

static guint64
read_total_memory_mib (void)
{
  g_autofree char *contents = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/meminfo", &contents, NULL, NULL))
    return 0;

  line = strstr (contents, "MemTotal:");
  if (line == NULL)
    return 0;

  return g_ascii_strtoull (line + strlen ("MemTotal:"), NULL, 10) / 1024;
}

void
bench_print_header (const char *title)
{
  g_autofree char *cpu = read_cpu_model ();
  struct utsname uts;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d %H:%M UTC");

  if (uname (&uts) != 0)
    memset (&uts, 0, sizeof uts);

  g_print ("== %s ==\n", title);
  g_print ("Machine:    %s, %u CPUs (nproc), %" G_GUINT64_FORMAT " MiB RAM, %s %s %s\n",
           cpu, g_get_num_processors (), read_total_memory_mib (),
           uts.sysname, uts.release, uts.machine);
  g_print ("Libraries:  GLib %u.%u.%u, libsodium %s (AVX2 %s), SQLite %s\n",
           glib_major_version, glib_minor_version, glib_micro_version,
           sodium_version_string (), sodium_runtime_has_avx2 () ? "yes" : "no",
           sqlite3_libversion ());
  g_print ("Build:      buildtype=%s, optimization=-O%s\n", BENCH_BUILDTYPE, BENCH_OPTIMIZATION);
  g_print ("Date:       %s\n", date);
  bench_print_load ("at start");
  g_print ("\n");
}

void
bench_print_load (const char *when)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) fields = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &contents, NULL, NULL))
    return;

  fields = g_strsplit (contents, " ", 4);
  if (g_strv_length (fields) < 3)
    return;

  g_print ("Load average %s: %s %s %s (1, 5, 15 min) on %u CPUs\n",
           when, fields[0], fields[1], fields[2], g_get_num_processors ());
  if (g_ascii_strtod (fields[0], NULL) >= 0.5 * g_get_num_processors ())
    g_print ("Warning: other work is running; the numbers will be lower and noisier than on an idle machine.\n");
}

const char *
bench_filesystem_name (const char *path)
{
  struct statfs buf;

  if (statfs (path, &buf) != 0)
    return "unknown";

  switch ((unsigned long) buf.f_type)
    {
    case 0xEF53UL :
      return "ext4";
    case 0x58465342UL :
      return "xfs";
    case 0x9123683EUL :
      return "btrfs";
    case 0x01021994UL :
      return "tmpfs (fsync is free: durability costs are not measured)";
    case 0x794C7630UL :
      return "overlayfs";
    case 0x2FC12FC1UL :
      return "zfs";
    case 0xF2F52010UL :
      return "f2fs";
    default :
      return "other";
    }
}

char *
bench_make_temp_dir (const char  *parent,
                     GError     **error)
{
  g_autofree char *template = NULL;

  if (parent == NULL)
    return g_dir_make_tmp ("webagent-bench-XXXXXX", error);

  template = g_build_filename (parent, "webagent-bench-XXXXXX", NULL);
  if (g_mkdtemp (template) == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Could not create a folder in %s: %s; pass a writable --dir",
                   parent, g_strerror (saved_errno));
      return NULL;
    }

  return g_steal_pointer (&template);
}

void
bench_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      dir = g_dir_open (path, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          bench_remove_tree (child);
        }
    }

  if (g_remove (path) != 0 && errno != ENOENT)
    g_printerr ("Could not remove %s: %s\n", path, g_strerror (errno));
}

const char *
bench_verdict (double ratio,
               double target)
{
  return ratio >= target ? "met" : "MISSED";
}
