#!/usr/bin/env bash
# Start-up of the API container: wait for the database (bounded), apply the
# migrations, collect static files, then run the command given (gunicorn by
# default). Works the same outside a container, from the backend directory.
#
#   DB_WAIT_SECONDS   how long to wait for the database (default 60)
#   SKIP_MIGRATE=1    do not migrate (e.g. when a release job owns migrations)
#   DATABASE_DIRECT_URL  where migrations connect when DATABASE_URL is a pooler
#   SKIP_COLLECTSTATIC=1
set -euo pipefail
cd "$(dirname "$0")"

PYTHON="${PYTHON:-python}"
# Gunicorn reads WEB_CONCURRENCY itself and fails on an empty one; empty means default.
if [ -z "${WEB_CONCURRENCY:-}" ]; then unset WEB_CONCURRENCY; fi
DB_WAIT_SECONDS="${DB_WAIT_SECONDS:-60}"

if ! [[ "$DB_WAIT_SECONDS" =~ ^[0-9]+$ ]]; then
  echo "entrypoint: DB_WAIT_SECONDS must be a whole number of seconds, got '$DB_WAIT_SECONDS'" >&2
  exit 2
fi

# One Python process polls through Django's own connection, so this works for
# SQLite and PostgreSQL alike and honours DATABASE_URL exactly as the app does.
echo "entrypoint: waiting up to ${DB_WAIT_SECONDS}s for the database"
"$PYTHON" - "$DB_WAIT_SECONDS" <<'PY'
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django

django.setup()
from django.db import connection
from django.db.utils import OperationalError

budget = float(sys.argv[1])
deadline = time.monotonic() + budget
db = connection.settings_dict
if db.get("HOST"):
    where = f"{db['HOST']}:{db.get('PORT') or 'default port'}/{db['NAME']}"
else:
    where = str(db["NAME"])
attempt = 0
while True:
    attempt += 1
    try:
        connection.ensure_connection()
        break
    except OperationalError as exc:
        last_error = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        connection.close()
        if time.monotonic() + 1 > deadline:
            print(
                f"entrypoint: the database at {where} did not answer within {budget:g}s "
                f"({attempt} attempts). Last error: {last_error}. "
                "Check DATABASE_URL and that the database is running.",
                file=sys.stderr,
            )
            sys.exit(1)
        time.sleep(1)
print(f"entrypoint: database {connection.vendor} at {where} is ready")
PY

if [ "${SKIP_MIGRATE:-0}" != "1" ]; then
  # Migrations take locks and build indexes concurrently: give them a session of
  # their own, not PgBouncer's transaction pooling (DATABASE_DIRECT_URL when set).
  DATABASE_URL="${DATABASE_DIRECT_URL:-${DATABASE_URL:-}}" "$PYTHON" manage.py migrate --noinput
fi
if [ "${SKIP_COLLECTSTATIC:-0}" != "1" ]; then
  # Hashing and compressing every static file takes long on a busy machine, so
  # it is done only when the files found (names, sizes, times) or the storage
  # differ from the last collection: a restart of the same code skips it.
  "$PYTHON" - <<'PY'
import hashlib
import os
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django

django.setup()
from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command

entries = [settings.STORAGES["staticfiles"]["BACKEND"], settings.STATIC_URL]
for number, finder in enumerate(get_finders()):
    for path, storage in finder.list(["CVS", ".*", "*~"]):
        stat = os.stat(storage.path(path))
        prefix = getattr(storage, "prefix", None) or ""
        entries.append(f"{number}\0{prefix}\0{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
fingerprint = hashlib.sha256("\n".join(sorted(entries)).encode()).hexdigest()
stamp = Path(settings.STATIC_ROOT) / ".collected"
manifest = getattr(staticfiles_storage, "manifest_name", None)
current = stamp.is_file() and stamp.read_text() == fingerprint
if current and (manifest is None or staticfiles_storage.exists(manifest)):
    print("entrypoint: static files are up to date")
else:
    print("entrypoint: collecting static files")
    stamp.unlink(missing_ok=True)
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(fingerprint)
PY
fi

if [ "$#" -eq 0 ]; then
  set -- gunicorn -c gunicorn.conf.py config.wsgi
fi
echo "entrypoint: starting: $*"
exec "$@"
