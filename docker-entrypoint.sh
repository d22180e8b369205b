#!/bin/sh
# The image's entrypoint: make sure DATA_DIR is writable by the app user, then run the command
# (gunicorn by default) as that user.
#
# Started as root (the image's default): DATA_DIR is created if missing and whatever in it is
# not owned by the app user is handed over to it (a host folder bind-mounted with
# `-v /srv/zhuzhou-bot:/data` is root-owned), then privileges are dropped with setpriv
# (util-linux, in the base image). Started as another user (`docker run --user …`): nothing can
# be fixed, so an unwritable DATA_DIR stops the start with an explanation in Chinese instead of
# a Python traceback.
set -eu

DATA_DIR="${DATA_DIR:-/data}"
APP_USER="${APP_USER:-bot}"

explain_and_exit() {
    uid="$(id -u)"
    cat >&2 <<EOF
启动失败：数据目录 ${DATA_DIR} 不可写（当前用户 uid=${uid}）。
机器人要在这里保存消息记录、会话状态、索引缓存和用户标识密钥。
解决办法（任选其一）：
  1. 把宿主机上的目录交给容器用户（镜像内用户 bot 的 uid/gid 是 10001）：
       sudo chown -R 10001:10001 /srv/zhuzhou-bot
  2. 改用 Docker 命名卷，由 Docker 自动设置权限：
       docker run -v zhuzhou-bot-data:/data …
  3. 不要用 --user 启动容器：以默认方式启动时，入口脚本会自动修正目录权限后再降权运行。
EOF
    exit 78  # EX_CONFIG: a configuration problem, restarting will not help
}

if [ "$(id -u)" = "0" ]; then
    mkdir -p "$DATA_DIR"
    # Only what is not the app user's already: a large DATA_DIR is not walked twice.
    group="$(id -gn "$APP_USER")"
    find "$DATA_DIR" ! -user "$APP_USER" -exec chown "$APP_USER:$group" {} +
    HOME="$(getent passwd "$APP_USER" | cut -d: -f6)"
    export HOME
    exec setpriv --reuid="$APP_USER" --regid="$group" --init-groups -- "$@"
fi

mkdir -p "$DATA_DIR" 2>/dev/null || explain_and_exit
probe="$DATA_DIR/.write-test.$$"
( : > "$probe" ) 2>/dev/null || explain_and_exit
rm -f "$probe"
exec "$@"
