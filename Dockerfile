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
COPY targets ./targets
COPY measures ./measures
COPY reporting ./reporting
COPY dashboard ./dashboard
COPY reports ./reports
COPY api ./api
RUN pip install .
COPY . .
# Static files are collected at build time and served by whitenoise from the image.
RUN DJANGO_SETTINGS_MODULE=config.settings.local python manage.py compilemessages --ignore=.venv \
    && DJANGO_SETTINGS_MODULE=config.settings.local python manage.py collectstatic --noinput

RUN useradd --system --home /app appuser && chown -R appuser /app
USER appuser
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
