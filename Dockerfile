# syntax=docker/dockerfile:1
# Cổng thông tin huyện: one image for web (gunicorn), worker and beat (scripts/entrypoint.sh).

# --- build: compile wheels once, so the runtime image needs no compiler --------------------------
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /build
COPY requirements.txt .
RUN python -m venv /opt/venv \
 && /opt/venv/bin/pip install --upgrade pip \
 && /opt/venv/bin/pip install -r requirements.txt

# --- runtime --------------------------------------------------------------------------------------
FROM python:3.11-slim AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=portal.settings.production \
    STATIC_ROOT=/app/var/static \
    MEDIA_ROOT=/app/var/media \
    PRIVATE_MEDIA_ROOT=/app/var/private \
    LOG_FORMAT=json \
    PORT=8000
# pg_dump/pg_restore for scripts/backup and scripts/restore; curl for the health check.
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 portal \
 && useradd --system --uid 10001 --gid portal --home-dir /app --shell /usr/sbin/nologin portal
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
# Code after dependencies: a code change does not reinstall them.
COPY --chown=portal:portal . /app
# Static files and compiled catalogues are part of the image. The build needs placeholders for
# the settings production refuses to start without; they are not kept in the image.
# Neither command connects to the database or Redis: the .invalid hosts are never resolved.
RUN export DJANGO_SECRET_KEY=build-only-placeholder-build-only-placeholder-build-only \
    DJANGO_ALLOWED_HOSTS=build.invalid \
    BASE_URL=https://build.invalid \
    DATABASE_URL=postgres://build@db.invalid:5432/build \
    REDIS_URL=redis://redis.invalid:6379/0 \
 && python manage.py compile_catalogues --verbosity 0 \
 && python manage.py collectstatic --noinput --verbosity 0 \
 && mkdir -p /app/var/media /app/var/private \
 && chown -R portal:portal /app/var
USER portal
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD curl -fsS -H "X-Forwarded-Proto: https" "http://127.0.0.1:${PORT}/healthz" || exit 1
ENTRYPOINT ["/app/scripts/entrypoint.sh"]
CMD ["web"]
