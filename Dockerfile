# One image for web, worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

COPY pyproject.toml README.md ./
COPY config ./config
COPY accounts ./accounts
COPY targets ./targets
COPY measures ./measures
COPY reporting ./reporting
COPY dashboard ./dashboard
RUN pip install .
COPY . .
# Static files are collected at build time and served by whitenoise from the image.
RUN DJANGO_SETTINGS_MODULE=config.settings.local python manage.py collectstatic --noinput

RUN useradd --system --home /app appuser && chown -R appuser /app
USER appuser
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
