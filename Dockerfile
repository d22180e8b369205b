FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATA_DIR=/data \
    FAQ_DIR=/app/faq_data

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY bot/ bot/
COPY handlers/ handlers/
COPY faq_data/ faq_data/
COPY server.py docker-entrypoint.sh ./

# The app runs as an unprivileged user; only DATA_DIR (sqlite, index cache, hash key) is writable.
RUN useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin bot \
    && mkdir -p /data && chown bot:bot /data && chmod 755 docker-entrypoint.sh
USER bot
# Build the bundled FAQ's search index into /data now: a new named volume starts with it, so the
# first start needs no segmenting (a FAQ with errors fails the image build, which is wanted).
RUN python -m bot faq reload --no-examples
VOLUME ["/data"]
EXPOSE 8000

# The container starts as root only for docker-entrypoint.sh: it hands a root-owned bind mount
# (`-v /srv/zhuzhou-bot:/data`) to bot, then runs the command as bot (setpriv). Started with
# `--user`, it checks that DATA_DIR is writable and explains in Chinese what to do when not.
USER root
ENTRYPOINT ["/app/docker-entrypoint.sh"]

# slim has no curl: probe with the standard library.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import urllib.request, sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"

# /metrics sums the workers' figures kept in this directory (multiprocess mode); `-c python:server`
# gives gunicorn the hooks in server.py that empty it at start and drop a dead worker's gauges.
ENV PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus

# --timeout above WeChat's 5 s so a slow answer still finishes and is stored for the retry.
# The access log shows the path only (%(U)s): WeChat puts the sender's OpenID in the query string.
# --no-control-socket: gunicorn ≥ 25.1 opens one under $HOME (/app, not writable) and logs
# "Control server error: Permission denied" otherwise; nothing here uses gunicornc.
CMD ["gunicorn", "-w", "2", "-b", "0.0.0.0:8000", "--timeout", "30", "--no-control-socket", \
     "--access-logfile", "-", "--access-logformat", "%(h)s \"%(m)s %(U)s\" %(s)s %(b)s %(L)ss", \
     "-c", "python:server", "server:create_app()"]
