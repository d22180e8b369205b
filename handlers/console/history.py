"""Published changes with their diffs, and rollback. Filled in by step 3."""
from __future__ import annotations

from handlers.console import bp
from handlers.console.auth import login_required
from handlers.console.common import render


@bp.get("/history")
@login_required()
def history():
    return render("console/message.html", title="修改历史", message="暂无修改记录。")
