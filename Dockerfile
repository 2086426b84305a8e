# One image for web, worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

# pango for WeasyPrint (PDF reports), a CJK font for them, gettext for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-wqy-microhei gettext \
    && rm -rf /var/lib/apt/lists/*

COPY pyproject.toml README.md ./
COPY config ./config
COPY accounts ./accounts
COPY jobs ./jobs
COPY targets ./targets
COPY measures ./measures
COPY reporting ./reporting
COPY dashboard ./dashboard
COPY documents ./documents
COPY api ./api
RUN pip install .
COPY . .
# Static files are collected at build time and served by whitenoise from the image.
RUN DJANGO_SETTINGS_MODULE=config.settings.local python manage.py compilemessages --ignore=.venv \
    && DJANGO_SETTINGS_MODULE=config.settings.local python manage.py collectstatic --noinput

# Job results and uploads waiting for confirmation (MEDIA_ROOT): a volume in docker-compose.yml,
# shared by web and worker. Created here so the volume starts owned by appuser.
ENV MEDIA_ROOT=/app/media
RUN mkdir -p /app/media && useradd --system --home /app appuser && chown -R appuser /app
USER appuser
EXPOSE 8000
# Timeout, graceful timeout and workers, with the reasons: config/gunicorn.py.
CMD ["gunicorn", "-c", "config/gunicorn.py", "config.wsgi"]
