# Two stages: build a wheel, then a slim runtime with only what the bot needs.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot bot
COPY handlers handlers
COPY db db
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
RUN useradd --create-home --uid 1000 companion
WORKDIR /app
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/* && rm -rf /wheels
COPY content content
ENV CONTENT_PATH=/app/content \
    DATABASE_PATH=/data/bot.db \
    WEBHOOK_LISTEN=0.0.0.0 \
    PYTHONUNBUFFERED=1
# The data folder is the bot's user's alone (the process also sets umask 077 and makes the
# database, its log and backups 0600 itself).
RUN mkdir -m 700 /data && chown companion /data
VOLUME ["/data"]
USER companion
# The city index (bot/pure/place_index.py), built into the image so no start ever waits for it.
RUN python -m bot.pure.place_index
# Webhook mode listens here (WEBHOOK_PORT); polling needs no port.
EXPOSE 8080
# Settings, content and database, checked without starting a second bot (exit 0 or 2).
HEALTHCHECK --interval=60s --timeout=20s --start-period=30s --retries=3 \
    CMD ["python", "-m", "bot", "check"]
CMD ["python", "-m", "bot"]
