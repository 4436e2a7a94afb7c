#!/bin/bash
# Runs once, when the database volume is first created (the postgres image runs
# /docker-entrypoint-initdb.d/* as the superuser). The API connects as
# APP_DB_USER: the owner of the database, not a superuser. pg_trgm is created
# here by the superuser (the migrations only create it if it is missing).
# CREATEDB lets `manage.py test` create its own test database.
set -euo pipefail

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  --set app_user="${APP_DB_USER:-ticket_app}" \
  --set app_password="$APP_DB_PASSWORD" \
  --set db="$POSTGRES_DB" <<'SQL'
CREATE ROLE :"app_user" LOGIN PASSWORD :'app_password' NOSUPERUSER NOCREATEROLE CREATEDB NOREPLICATION;
ALTER DATABASE :"db" OWNER TO :"app_user";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
SQL
