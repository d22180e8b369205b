"""The entry list (search, filters) and the edit form. Filled in by step 1."""
from __future__ import annotations

from handlers.console import bp
from handlers.console.auth import login_required
from handlers.console.common import faq_on_disk, render


@bp.get("/entries")
@login_required()
def entries():
    return render("console/entries.html", title="条目", entries=faq_on_disk().entries)
