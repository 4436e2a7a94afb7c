"""What the tests, the benchmark and the load run share: the fake LLM server,
live servers (gunicorn, a throwaway PostgreSQL cluster), database set-up and
test markers. Development only; the application never imports it."""
