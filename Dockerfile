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
    PYTHONUNBUFFERED=1
RUN mkdir /data && chown companion /data
VOLUME ["/data"]
USER companion
CMD ["python", "-m", "bot"]
