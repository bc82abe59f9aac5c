"""The township's books: every yuan the model moves, from a payer to a payee, for an item.

`Ledger.post(t, item, yuan)` appends one row of scalars where the money moves (payer and payee
are the item's, from `ITEMS`); `Ledger.frame` builds the `ledger` table once, at the end.
`Books.pay(t, item, yuan, on_paid)` is the township's
one door for lever spending: it posts the payment, or, when the year's budget has no room,
defers it to the next year with room (an event says so) and credits the payee then.

The vocabulary is fixed here (`Account`, `ITEMS`): an item names one flow, who pays it, who
receives it and, for the township's spending, the lever it belongs to. A new lever adds its
items to `ITEMS` and calls `Township.pay(t, item, yuan, on_paid)` (see docs/model.md, "The
books").
"""

from __future__ import annotations

import math
from bisect import bisect_left, insort
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import numpy as np
import pandas as pd

from sim.model.recorder import _repeated
from sim.model.timebase import date_of, day_of


class Account(StrEnum):
    """Who holds money in the model's books."""

    TOWNSHIP = "township"          # the township government: all lever spending
    COUNTY = "county"              # the county: collects the environmental fines
    HOUSEHOLDS = "households"      # the ~8,000 households (owners, workers, farmers, hosts)
    WORKSHOPS = "workshops"        # the riverside workshops (their owners take the profit)
    FARMS = "farms"                # the pig farms (their owners take the profit)
    OPERATOR = "operator"          # the shared plant's third-party operator
    TOURISM = "tourism"            # local tourism trade: homestays, camping, guides, meals
    VISITORS = "visitors"          # the visitors who spend in the township
    CREDIT_COOP = "credit_coop"    # the rural credit cooperative (the farms' loans)
    OUTSIDE = "outside"            # buyers, suppliers and builders beyond the township


@dataclass(frozen=True)
class ItemSpec:
    """One flow: who pays whom, and the lever whose spending it is (township items only)."""

    payer: Account
    payee: Account
    lever: str | None
    meaning: str


A = Account
ITEMS: dict[str, ItemSpec] = {
    # --- the township's lever spending (public spending, limited by the budget)
    "compensation": ItemSpec(A.TOWNSHIP, A.HOUSEHOLDS, "closures",
                             "closure compensation to the workshop's owner"),
    "facility_capex": ItemSpec(A.TOWNSHIP, A.OUTSIDE, "shared_facility",
                               "the plant's construction, monthly over the build, when the "
                               "township pays it"),
    "sewer_pipes": ItemSpec(A.TOWNSHIP, A.OUTSIDE, "shared_facility",
                            "a connected workshop's sewer to the plant"),
    "tourism_investment": ItemSpec(A.TOWNSHIP, A.OUTSIDE, "ecotourism",
                                   "trails, camping, public homestay beds, walks (cost_yuan)"),
    "marketing": ItemSpec(A.TOWNSHIP, A.OUTSIDE, "ecotourism",
                          "the marketing budget, a twelfth a month"),
    "interest_subsidy": ItemSpec(A.TOWNSHIP, A.CREDIT_COOP, "manure_retrofit",
                                 "the subsidised share of a retrofit loan's interest"),
    "coculture_subsidy": ItemSpec(A.TOWNSHIP, A.HOUSEHOLDS, "coculture",
                                  "the conversion subsidy per mu converted"),
    "coculture_training": ItemSpec(A.TOWNSHIP, A.OUTSIDE, "coculture",
                                   "the programme's class: cost per household trained"),
    "planting_subsidy": ItemSpec(A.TOWNSHIP, A.HOUSEHOLDS, "forest_economy",
                                 "the planting subsidy, to the forest villages' households"),
    "points": ItemSpec(A.TOWNSHIP, A.HOUSEHOLDS, "points_scheme",
                       "points awarded, at their yuan value (redeemed in the month)"),
    "clearing": ItemSpec(A.TOWNSHIP, A.OUTSIDE, "cleanup", "legacy rubbish cleared"),
    "greening": ItemSpec(A.TOWNSHIP, A.OUTSIDE, "cleanup", "green space planted"),
    "councils": ItemSpec(A.TOWNSHIP, A.OUTSIDE, "councils",
                         "councils' and patrols' running costs"),
    "issue_works": ItemSpec(A.TOWNSHIP, A.OUTSIDE, "councils",
                            "collection points and street lights built when residents' issues "
                            "are resolved (with or without councils)"),
    "sewage_capex": ItemSpec(A.TOWNSHIP, A.OUTSIDE, "rural_sewage",
                             "a village's sewage treatment station or septic retrofits, built"),
    "sewage_running": ItemSpec(A.TOWNSHIP, A.OUTSIDE, "rural_sewage",
                               "running the village stations, monthly"),
    # --- everything else that moves
    "fine": ItemSpec(A.FARMS, A.COUNTY, None, "a pig farm's fine after a failed deadline"),
    "livestock_margin": ItemSpec(A.OUTSIDE, A.FARMS, None,
                                 "pig sales net of feed and running costs (head × profit/head)"),
    "compost_sales": ItemSpec(A.OUTSIDE, A.FARMS, None, "organic fertiliser sold"),
    "retrofit_equipment": ItemSpec(A.FARMS, A.OUTSIDE, None,
                                   "a retrofit's capex less the free equipment (loan and cash)"),
    "retrofit_running": ItemSpec(A.FARMS, A.OUTSIDE, None, "a retrofitted farm's running cost"),
    "loan": ItemSpec(A.CREDIT_COOP, A.FARMS, None, "a retrofit loan paid out"),
    "loan_principal": ItemSpec(A.FARMS, A.CREDIT_COOP, None, "loan repayment: principal"),
    "loan_interest": ItemSpec(A.FARMS, A.CREDIT_COOP, None,
                              "loan repayment: the farm's own interest"),
    "farm_profit": ItemSpec(A.FARMS, A.HOUSEHOLDS, None,
                            "a farm's month to its owner (a loss: owner to farm)"),
    "workshop_sales": ItemSpec(A.OUTSIDE, A.WORKSHOPS, None,
                               "workshops' sales less costs other than treatment"),
    "treatment_fee": ItemSpec(A.WORKSHOPS, A.OPERATOR, None, "fee by volume at the shared plant"),
    "self_treatment": ItemSpec(A.WORKSHOPS, A.OUTSIDE, None, "treating wastewater on their own"),
    "workshop_profit": ItemSpec(A.WORKSHOPS, A.HOUSEHOLDS, None,
                                "a workshop's month to its owner (a loss: owner to workshop)"),
    "plant_costs": ItemSpec(A.OPERATOR, A.OUTSIDE, None,
                            "the operator's cost (capital recovery included if it financed the "
                            "plant); it keeps the margin"),
    "visitor_spending": ItemSpec(A.VISITORS, A.TOURISM, None, "what visitors spend"),
    "tourism_leakage": ItemSpec(A.TOURISM, A.OUTSIDE, None,
                                "the share of spending not kept locally"),
    "tourism_wages": ItemSpec(A.TOURISM, A.HOUSEHOLDS, None, "wages of tourism jobs"),
    "homestay_profit": ItemSpec(A.TOURISM, A.HOUSEHOLDS, None,
                                "homestay owners' share of the nights' profit"),
    "village_tourism_profit": ItemSpec(A.TOURISM, A.HOUSEHOLDS, None,
                                       "the rest of the local profit, to the host villages"),
    "homestay_investment": ItemSpec(A.HOUSEHOLDS, A.OUTSIDE, None,
                                    "a household opening a homestay pays its conversion"),
    "points_goods": ItemSpec(A.HOUSEHOLDS, A.OUTSIDE, None,
                             "goods the points buy at the love supermarket"),
    "coculture_conversion": ItemSpec(A.HOUSEHOLDS, A.OUTSIDE, None,
                                     "ditches, barriers, pipes for co-culture"),
    "rice_sales": ItemSpec(A.OUTSIDE, A.HOUSEHOLDS, None, "rice-only fields' net income"),
    "coculture_sales": ItemSpec(A.OUTSIDE, A.HOUSEHOLDS, None,
                                "co-culture fields: crayfish margin over rice (June), rice "
                                "(October); a loss runs the other way"),
    "forest_products": ItemSpec(A.OUTSIDE, A.HOUSEHOLDS, None,
                                "camellia oil and Polygonatum, net"),
}
del A

ACCOUNTS = tuple(a.value for a in Account)
ITEM_NAMES = tuple(ITEMS)
LEVERS = ("closures", "shared_facility", "ecotourism", "manure_retrofit", "coculture",
          "forest_economy", "points_scheme", "cleanup", "councils", "rural_sewage")
"""The levers whose spending the township table shows one by one (each lever item's `lever`
is one of them)."""
PASS_THROUGH = (Account.WORKSHOPS, Account.FARMS, Account.TOURISM)
"""Accounts that keep no money in the model: what comes in in a month goes out in it (to the
owners, the workers and the villages)."""

ACCOUNT_TYPE = pd.CategoricalDtype(list(ACCOUNTS))
ITEM_TYPE = pd.CategoricalDtype(list(ITEM_NAMES))
assert all(s.lever is None or s.lever in LEVERS for s in ITEMS.values())
_TOWNSHIP = ACCOUNTS.index(Account.TOWNSHIP)
_CODES = {name: (ACCOUNTS.index(s.payer), ACCOUNTS.index(s.payee), k, s.lever)
          for k, (name, s) in enumerate(ITEMS.items())}
"""Each item's payer, payee and own number, and its lever: what a posting stores."""


class Ledger:
    """Rows (t, payer, payee, item, yuan) appended where money moves; a frame built once.

    Amounts are positive: a flow that can change sign (a month's profit, a loss on crayfish)
    goes through `post_signed`, which turns a negative amount round. The township's spending
    is also indexed by time, so a month's spending by lever reads only that month's rows, added
    in the order they were made."""

    def __init__(self, start: date) -> None:
        self.start = start
        # (t, payer, payee, item, yuan), names as their numbers in ACCOUNTS and ITEM_NAMES
        self._rows: list[tuple[float, int, int, int, float]] = []
        self._spend: list[tuple[float, int, str, float]] = []  # (t, row, lever, yuan), sorted

    def post(self, t: float, item: str, yuan: float) -> None:
        """`yuan` (≥ 0) from the item's payer to its payee at time `t` (days)."""
        payer, payee, code, lever = _CODES[item]
        self._add(t, payer, payee, code, lever, yuan)

    def post_signed(self, t: float, item: str, yuan: float) -> None:
        """Like `post`, but a negative amount flows from the payee back to the payer."""
        payer, payee, code, lever = _CODES[item]
        if yuan >= 0:
            self._add(t, payer, payee, code, lever, yuan)
        else:
            self._add(t, payee, payer, code, lever, -yuan)

    def _add(self, t: float, payer: int, payee: int, item: int, lever: str | None,
             yuan: float) -> None:
        if not 0 <= yuan < math.inf:
            raise ValueError(f"ledger: {ITEM_NAMES[item]}: amount must be a finite number ≥ 0, "
                             f"got {yuan}")
        if yuan == 0:
            return
        if lever is not None and payer == _TOWNSHIP:
            insort(self._spend, (t, len(self._rows), lever, yuan))
        self._rows.append((t, payer, payee, item, yuan))

    def spending_between(self, t0: float, t1: float) -> dict[str, float]:
        """The township's spending with t0 <= t < t1, by lever (rows added in entry order)."""
        lo = bisect_left(self._spend, (t0, -1))
        hi = bisect_left(self._spend, (t1, -1))
        out: dict[str, float] = defaultdict(float)
        for _, _, lever, yuan in sorted(self._spend[lo:hi], key=lambda r: r[1]):
            out[lever] += yuan
        return dict(out)

    def frame(self, scenario: str, replicate: int, until: float = math.inf) -> pd.DataFrame:
        """The `ledger` table: one row per posting before `until` (the end of the run's last
        month: what happens after its books close belongs to no recorded month), by date
        (postings of a day in the order they were made; a payment scheduled ahead, like a
        plant's instalments, in its place)."""
        rows = np.array(self._rows, dtype=float).reshape(-1, 5)  # names' numbers: exact
        rows = rows[rows[:, 0] < until]
        rows = rows[np.argsort(rows[:, 0], kind="stable")]
        days = np.floor(rows[:, 0]).astype(np.int64)  # the day holding each time
        n = len(rows)

        def names(column: int, dtype: pd.CategoricalDtype) -> pd.Categorical:
            return pd.Categorical.from_codes(rows[:, column].astype(np.int64), dtype=dtype)

        return pd.DataFrame({
            "scenario": _repeated(scenario, n),
            "replicate": np.full(n, replicate, dtype=np.int64),
            "date": (np.datetime64(self.start, "D") + days).astype("datetime64[ns]"),
            "payer": names(1, ACCOUNT_TYPE),
            "payee": names(2, ACCOUNT_TYPE),
            "item": names(3, ITEM_TYPE),
            "yuan": rows[:, 4].copy(),
        })


class Books:
    """The run's ledger and the township's purse: `post` and `post_signed` book a flow,
    `pay` books the township's lever spending under its yearly budget (`budget.yuan_per_year`;
    None: no limit). What a year has no room for is deferred: it is paid on 1 January of the
    next year with room, arrears before that year's own spending, and the payee is credited
    then (an event says each deferral and each late payment)."""

    def __init__(self, start: date, limit_yuan_per_year: float | None = None,
                 last_year: int = 9999, log: Callable[..., None] | None = None,
                 schedule: Callable[[float, Callable[[float], None]], None] | None = None
                 ) -> None:
        self.ledger = Ledger(start)
        self.limit = limit_yuan_per_year
        self.last_year = last_year  # the run's last year: nothing is paid after it
        self.log = log if log is not None else (lambda *a: None)
        self.schedule = schedule  # call a function with the time, at that (later) time
        self.spent: dict[int, float] = defaultdict(float)  # by calendar year
        self.post = self.ledger.post
        self.post_signed = self.ledger.post_signed

    def pay(self, t: float, item: str, yuan: float,
            on_paid: Callable[[float, float], None] | None = None) -> None:
        """Pay `yuan` for lever item `item` at `t`; `on_paid(t, share)` credits the payee with the
        share of `yuan` paid at `t` (called at once, or when a deferred part is paid)."""
        if ITEMS[item].payer != Account.TOWNSHIP:
            raise ValueError(f"{item} is not paid by the township")
        if yuan <= 0:
            return
        if self.limit is None:  # no budget: paid at once (the usual case, kept cheap)
            self.ledger.post(t, item, yuan)
            if on_paid is not None:
                on_paid(t, 1.0)
            return
        year = date_of(self.ledger.start, t).year
        now = self._room(year, yuan)
        if now > 0:
            self._pay(t, year, item, now, on_paid, yuan)
        rest = yuan - now
        if rest > 0:
            if self.schedule is None:
                raise ValueError("books without a schedule cannot defer payments")
            self.log(t, "budget_deferred", item, f"over the {year} budget", rest)
            self._defer(year + 1, item, rest, on_paid, yuan)

    def _room(self, year: int, yuan: float) -> float:
        if self.limit is None:
            return yuan
        return min(yuan, max(0.0, self.limit - self.spent[year]))

    def _pay(self, t: float, year: int, item: str, yuan: float,
             on_paid: Callable[[float, float], None] | None, whole: float) -> None:
        self.spent[year] += yuan
        self.ledger.post(t, item, yuan)
        if on_paid is not None:
            on_paid(t, 1.0 if yuan == whole else yuan / whole)

    def _defer(self, year: int, item: str, yuan: float,
               on_paid: Callable[[float, float], None] | None, whole: float) -> None:
        """Reserve `yuan` on 1 January of `year` or the first later years with room (at once:
        arrears go before a year's own spending); each part is booked, logged and credited to
        the payee when its day comes (never, if the run ends first: it is still owed)."""
        while yuan > 0 and year <= self.last_year:
            now = self._room(year, yuan)
            if now > 0:
                self.spent[year] += now
                assert self.schedule is not None
                self.schedule(day_of(self.ledger.start, date(year, 1, 1)),
                              self._paid_later(year, item, now, on_paid, now / whole))
                yuan -= now
            year += 1

    def _paid_later(self, year: int, item: str, yuan: float,
                    on_paid: Callable[[float, float], None] | None, share: float
                    ) -> Callable[[float], None]:
        def pay(t: float) -> None:
            self.ledger.post(t, item, yuan)
            self.log(t, "budget_deferred_paid", item, f"paid in {year}", yuan)
            if on_paid is not None:
                on_paid(t, share)
        return pay


__all__ = ["ACCOUNTS", "ITEMS", "ITEM_NAMES", "LEVERS", "PASS_THROUGH", "Account", "ItemSpec",
           "Books", "Ledger"]
