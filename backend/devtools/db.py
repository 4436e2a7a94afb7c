"""Databases made and dropped for a test, a benchmark or a load run, on a
PostgreSQL server given by URL. Only the named database is touched."""

from urllib.parse import urlsplit, urlunsplit

import psycopg2
from psycopg2 import sql


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for the database a Django connection uses (the test database)."""
    user = settings_dict.get("USER") or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgresql://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


def with_database(url: str, name: str) -> str:
    """`url` with its database name replaced by `name`."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _execute_on_server(server_url: str, *statements: sql.Composable) -> None:
    conn = psycopg2.connect(with_database(server_url, "postgres"))
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            for statement in statements:
                cur.execute(statement)
    finally:
        conn.close()


def _drop(name: str) -> sql.Composable:
    return sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))


def recreate_database(server_url: str, name: str) -> str:
    """Drop database `name` on the server of `server_url` if it exists, create it
    empty, and return its URL."""
    _execute_on_server(server_url, _drop(name), sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return with_database(server_url, name)


def drop_database(server_url: str, name: str) -> None:
    _execute_on_server(server_url, _drop(name))
