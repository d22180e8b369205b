"""Pending changes: approve (publish) or reject with a reason. Filled in by step 2."""
from __future__ import annotations

from handlers.console import bp
from handlers.console.auth import login_required
from handlers.console.common import render


@bp.get("/review")
@login_required()
def review():
    return render("console/message.html", title="审核发布", message="暂无待审核的修改。")
