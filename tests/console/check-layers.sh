#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The console's layers, checked on its sources:
#
# - Outside src/console/sync nothing speaks the wire protocol: no JSON
#   built or read, no REST paths, no raw GETs, no outbox commands, no
#   HTTP and no SQL. Pages act through SignpostActions and read the
#   cache's models.
# - The pages and shared widgets (every folder but the shell, which owns
#   the sync engine, and the model helpers) reach the engine and the outbox
#   only through SignpostActions: they name neither, except the outbox's
#   typed items (SignpostOutboxItem), which the change list holds.
#
#   check-layers.sh SOURCE_DIR
set -euo pipefail
cd "${1:-$(dirname "$0")/../..}/src/console"
status=0

report() {
  local what=$1 hits=$2
  if [[ -n $hits ]]; then
    printf '%s\n%s\n\n' "$what" "$hits"
    status=1
  fi
}

sources=$(find . -path ./sync -prune -o -type f \( -name '*.c' -o -name '*.h' \) -print | sort)
[[ -n $sources ]] || { echo "no console sources found under $PWD"; exit 1; }

# shellcheck disable=SC2086
report "Wire names outside src/console/sync (build them in SignpostActions):" \
  "$(grep -nE 'json_|Json[A-Z]|JSON_NODE|_get_json_async|_get_bytes_async|_send_command_async|signpost_outbox_command|"/?api/|[?&][a-z_]+=%|soup_|Soup[A-Z]|sqlite3|signpost_db_' $sources || true)"

page_dirs=$(find . -mindepth 1 -maxdepth 1 -type d ! -name sync ! -name shell ! -name model | sort)
# shellcheck disable=SC2086
pages=$(find $page_dirs -type f \( -name '*.c' -o -name '*.h' \) | sort)
[[ -n $pages ]] || { echo "no page sources found under $PWD"; exit 1; }

# shellcheck disable=SC2086
report "Pages reaching past SignpostActions to the engine or the outbox:" \
  "$(grep -nP 'signpost_sync_engine_|SIGNPOST_SYNC_ENGINE\b|signpost_outbox_(?!item_)|SIGNPOST_OUTBOX\b' $pages || true)"

exit $status
