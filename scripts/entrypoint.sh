#!/bin/sh
# Start one process of the portal: `web` (default), `worker`, `beat`, or any other command.
#
#   web     migrate (unless MIGRATE=0), set up the staff roles, then exec gunicorn on $PORT
#   worker  exec a Celery worker (CELERY_CONCURRENCY, default 2)
#   beat    exec Celery beat (its schedule file under $BEAT_SCHEDULE_DIR)
#
# Runs the same inside the Docker image and on a plain machine with the virtualenv on PATH
# (tests/core/test_deploy.py starts it that way against PostgreSQL).
set -eu

cd "$(dirname "$0")/.."
: "${DJANGO_SETTINGS_MODULE:=portal.settings.production}"
export DJANGO_SETTINGS_MODULE
PYTHON="${PYTHON:-python}"

command="${1:-web}"
[ "$#" -gt 0 ] && shift

case "$command" in
  web)
    if [ "${MIGRATE:-1}" = "1" ]; then
      # Several web containers may start together: PostgreSQL serialises the migrations and
      # a second run finds nothing left to do.
      "$PYTHON" manage.py migrate --noinput
      "$PYTHON" manage.py setup_roles --verbosity 0
    fi
    if [ "${COLLECTSTATIC:-0}" = "1" ]; then
      "$PYTHON" manage.py collectstatic --noinput --verbosity 0
    fi
    exec "$PYTHON" -m gunicorn portal.wsgi:application \
      --bind "${BIND:-0.0.0.0}:${PORT:-8000}" \
      --workers "${WEB_CONCURRENCY:-3}" \
      --threads "${GUNICORN_THREADS:-1}" \
      --timeout "${GUNICORN_TIMEOUT:-30}" \
      --graceful-timeout 20 \
      --max-requests "${GUNICORN_MAX_REQUESTS:-2000}" \
      --max-requests-jitter 200 \
      --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}" \
      --access-logfile - \
      --no-control-socket \
      "$@"
    ;;
  worker)
    exec "$PYTHON" -m celery -A portal worker \
      --loglevel "${CELERY_LOG_LEVEL:-INFO}" \
      --concurrency "${CELERY_CONCURRENCY:-2}" \
      --without-gossip --without-mingle \
      "$@"
    ;;
  beat)
    schedule_dir="${BEAT_SCHEDULE_DIR:-/tmp}"
    exec "$PYTHON" -m celery -A portal beat \
      --loglevel "${CELERY_LOG_LEVEL:-INFO}" \
      --schedule "$schedule_dir/celerybeat-schedule" \
      --pidfile= \
      "$@"
    ;;
  *)
    exec "$command" "$@"
    ;;
esac
