"""概览 /console/: questions per day (a chart), answer rate, top entries, entries expiring in
the next 30 days, entries never asked in the period."""
from __future__ import annotations

from bot.staff import overview as figures
from bot.staff import queue as work_queue
from handlers.console import bp
from handlers.console.auth import login_required
from handlers.console.charts import NARROW, legend, per_day_svg
from handlers.console.common import faq_on_disk, render
from handlers.console.worktools import include_api_arg, messages_since, period_arg


@bp.get("/")
@login_required()
def overview():
    period = period_arg()
    since = work_queue.period_start(period)
    data = figures.build_overview(messages_since(since), faq_on_disk().entries, since, include_api=include_api_arg())
    return render("console/overview.html", title="概览", data=data, period=period, periods=work_queue.PERIODS,
                  include_api=include_api_arg(), chart=per_day_svg(data["per_day"]),
                  narrow_chart=per_day_svg(data["per_day"], NARROW, "chart narrow"), legend=legend(),
                  expiry_days=figures.EXPIRY_DAYS)
