# One image for web, worker and beat.
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VAR_DIR=/app/var \
    STATIC_MANIFEST=true

WORKDIR /app
RUN useradd --create-home --uid 1000 followthrough

COPY requirements.txt ./
RUN pip install --no-cache-dir --require-hashes --no-deps -r requirements.txt

COPY . .
# collectstatic imports settings; DEBUG lets it do so without the key that comes at run time.
RUN DEBUG=true python manage.py collectstatic --noinput \
    && mkdir -p /app/var && chown -R followthrough /app/var

USER followthrough
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-", "--forwarded-allow-ips", "*"]
