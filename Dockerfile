# syntax=docker/dockerfile:1
# The portal's one image: docker-compose.yml runs it as web (gunicorn), worker and beat (Celery).

# --- Front-end packages (Bootstrap, bootstrap-icons, htmx) from npm, exactly as package-lock.json.
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

# --- The application.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Libraries WeasyPrint needs for the PDF reports (Pango, HarfBuzz, fontconfig) and fonts with
# Arabic glyphs, so reports in Arabic render right-to-left with real letters.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        libfontconfig1 \
        shared-mime-info \
        fonts-noto-core \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 unnm \
    && useradd --system --uid 10001 --gid unnm --home-dir /app --shell /usr/sbin/nologin unnm

WORKDIR /app

# Dependencies first (from pyproject.toml), so a code change does not reinstall them.
COPY pyproject.toml README.md ./
RUN pip install .

COPY --from=assets /build/node_modules ./node_modules
COPY . .

# Static files are collected (hashed and compressed for WhiteNoise) once, at build time. The values
# below exist only for this step: the running containers get theirs from the environment.
RUN SECRET_KEY=collectstatic-only-not-a-secret \
    DATABASE_URL=sqlite:////tmp/collectstatic.sqlite3 \
    REDIS_URL= \
    python manage.py collectstatic --no-input --verbosity 0 \
    && python -m compileall -q -x 'node_modules|staticfiles' . \
    && mkdir -p /app/media /app/private-media \
    && chown unnm:unnm /app/media /app/private-media

# The code is owned by root and read-only for the process; only uploads and stored files are
# writable.
USER unnm
EXPOSE 8000

# docker-compose.yml runs migrations before this for the web service, and overrides the command
# for the worker and beat services.
CMD ["gunicorn", "unnm.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "--timeout", "60", "--graceful-timeout", "30", "--max-requests", "1000", "--max-requests-jitter", "100", "--limit-request-line", "4094", "--limit-request-fields", "100", "--limit-request-field_size", "8190"]
