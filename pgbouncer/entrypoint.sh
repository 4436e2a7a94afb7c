#!/bin/sh
# Writes pgbouncer.ini and the user list from the environment, then runs
# PgBouncer in the foreground. Transaction pooling: the API keeps no session
# state (its statement timeout is SET LOCAL per transaction, its streamed list
# reads a cursor inside one transaction); what needs a session (LISTEN, the
# migrations) uses DATABASE_DIRECT_URL instead.
set -eu
: "${DB_HOST:=db}" "${DB_PORT:=5432}" "${DB_USER:=postgres}" "${DB_PASSWORD:?DB_PASSWORD is required}"
: "${POOL_MODE:=transaction}" "${DEFAULT_POOL_SIZE:=20}" "${MAX_CLIENT_CONN:=500}" "${QUERY_WAIT_TIMEOUT:=10}"
dir=/tmp/pgbouncer
mkdir -p "$dir"
umask 077
printf '"%s" "%s"\n' "$DB_USER" "$DB_PASSWORD" > "$dir/userlist.txt"
cat > "$dir/pgbouncer.ini" <<INI
[databases]
* = host=$DB_HOST port=$DB_PORT
[pgbouncer]
listen_addr = 0.0.0.0
listen_port = 6432
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $dir/userlist.txt
pool_mode = $POOL_MODE
default_pool_size = $DEFAULT_POOL_SIZE
max_client_conn = $MAX_CLIENT_CONN
query_wait_timeout = $QUERY_WAIT_TIMEOUT
server_login_retry = 1
INI
exec pgbouncer "$dir/pgbouncer.ini"
