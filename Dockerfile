# The formula editor's browser files (MathLive, pinned by package-lock.json) are built in a
# Node stage and copied into the app's static folder; the final image has no Node.
FROM node:20-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm run vendor

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /srv/gradwork

COPY pyproject.toml README.md ./
COPY app ./app
COPY --from=assets /build/app/static/vendor ./app/static/vendor
COPY migrations ./migrations
COPY problems ./problems
# The Chinese catalogue is compiled before installing, so the package carries the .mo file.
RUN pip install 'babel>=2.12' && pybabel -q compile -d app/translations && pip install . \
    && useradd --system --uid 10001 gradwork \
    && mkdir -p /srv/gradwork/instance && chown gradwork /srv/gradwork/instance

USER gradwork
EXPOSE 8000
# The compose file gives the real command (migrate, then gunicorn); this default serves only.
CMD ["gunicorn", "--config", "python:app.gunicorn_conf", "--bind", "0.0.0.0:8000", "app:create_app()"]
