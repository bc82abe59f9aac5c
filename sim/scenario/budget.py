"""The township's yearly budget for lever spending (the plan it is checked against is in
`sim.scenario.plan`).

`budget.yuan_per_year` (default: none, no limit) caps what the township pays for its levers in a
calendar year. With `mode: error` a scenario whose plan spends more in some year is refused when
it is validated; with `mode: defer` the run pays what does not fit on 1 January of the next
year with room (in both modes a run defers what its own course adds over the budget).

"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sim.scenario.params import Frozen


class Budget(Frozen):
    """The township's budget for lever spending, per calendar year."""

    yuan_per_year: float | None = Field(
        default=None, ge=0,
        description="most the township pays for its levers in a calendar year, yuan (none: no "
                    "limit)")
    mode: Literal["error", "defer"] = Field(
        default="error",
        description="error: a plan over budget is refused at validation; defer: what a year "
                    "has no room for is paid on 1 January of the next year with room")
