"""What each screen shows, rendered from a tab's lesson state and its language (no callbacks
here: `sim.classroom.app` wires them). Every word comes from the catalogues (`i18n`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash import html

from sim.classroom.cards import CARDS, LessonConfig
from sim.classroom.engine import Engine
from sim.classroom.i18n import CATALOGUES, Tr

MAX_EVENTS = 8
MAX_LEVERS = 5


def initial_state(tab: str = "") -> dict[str, Any]:
    """A new lesson: the start screen, nothing chosen."""
    return {"mode": "start", "schedule": [], "selected": [], "message": None,
            "summary": None, "debrief": None, "tab": tab}


def choose_card(state: Mapping[str, Any], cid: str, engine: Engine) -> dict[str, Any]:
    """A click on card `cid` in the round screen: chosen, unchosen, or refused with the reason
    when it costs more than is left of the round's budget after the running costs of earlier
    cards and the cards already chosen (a card costing nothing always fits)."""
    state = dict(state)
    if state["mode"] != "round" or cid not in CARDS:
        return state
    selected = list(state["selected"])
    if any(cid in ids for ids in state["schedule"]):
        return state
    if cid in selected:
        selected.remove(cid)
        return {**state, "selected": selected, "message": None}
    left = engine.config.budget_wan - engine.round_cost(state["schedule"], selected)
    cost = engine.costs[cid][0]
    if cost > 0 and cost > left + 1e-9:
        return {**state, "message": {"key": "round.over_budget",
                                     "values": {"card": cid, "cost": cost,
                                                "left": max(left, 0.0)}}}
    return {**state, "selected": [c for c in CARDS if c in selected or c == cid],
            "message": None}


def over_budget(state: Mapping[str, Any], engine: Engine) -> dict[str, Any] | None:
    """The refusal of a round whose new cards cost more than its budget leaves, else None.
    Earlier cards' running costs may exceed the budget on their own: the round still plays
    (with no new card that costs money)."""
    paid = [c for c in state["selected"] if engine.costs[c][0] > 0]
    if paid and engine.round_cost(state["schedule"], paid) > engine.config.budget_wan + 1e-9:
        return {"key": "round.over_budget",
                "values": {"card": paid[-1], "cost": engine.costs[paid[-1]][0], "left": 0.0}}
    return None


def message_text(message: Mapping[str, Any] | None, tr: Tr) -> str:
    """A state's message (a catalogue key and its values) in the page's language."""
    if not message:
        return ""
    values = dict(message.get("values", {}))
    if "card" in values:
        values["card"] = tr(f"card.{values['card']}.title")
    for key in ("cost", "left"):
        if key in values:
            values[key] = tr.money_wan(float(values[key]))
    return tr(str(message["key"]), **values)


def start_lead(config: LessonConfig, tr: Tr) -> list[Any]:
    return [html.P(tr("start.lead"), className="lead"),
            html.P(tr("start.rounds", rounds=config.rounds, years=config.years_per_round,
                      first=config.first_year, last=config.last_year,
                      budget=tr.money_wan(config.budget_wan)), className="info"),
            html.P(tr("picture.villages") + tr.gap + tr("picture.legend"), className="note")]


def round_body(state: Mapping[str, Any], engine: Engine, tr: Tr) -> list[Any]:
    """The round screen: title, budget, message and the cards (chosen, free to choose, or in
    place since an earlier round)."""
    config = engine.config
    schedule: list[list[str]] = state["schedule"]
    k = len(schedule)
    first, last = config.round_years(min(k, config.rounds - 1))
    selected = list(state["selected"])
    running = engine.running_cost(schedule)
    chosen = sum(engine.costs[c][0] for c in selected)
    left = config.budget_wan - running - chosen
    played = {c: config.round_years(r)[0] for r, ids in enumerate(schedule) for c in ids}
    cards = []
    for cid in CARDS:
        first_cost, later = engine.costs[cid]
        classes = ["card"]
        if cid in played:
            classes.append("in-place")
            cost_line = [html.Div(tr("card.in_place", year=played[cid]), className="cost")]
        else:
            if cid in selected:
                classes.append("selected")
            cost_line = [html.Div(tr("card.cost", cost=tr.money_wan(first_cost))
                                  if first_cost > 0 else tr("card.free"), className="cost")]
            if later > 0:
                cost_line.append(html.Div(tr("card.running", cost=tr.money_wan(later)),
                                          className="later"))
        cards.append(html.Button(
            [html.H3(tr(f"card.{cid}.title")), html.Div(tr(f"card.{cid}.text"), className="text"),
             *cost_line],
            id={"type": "card", "id": cid}, className=" ".join(classes),
            disabled=cid in played, n_clicks=0, **_data(cid)))
    return [
        html.H2(tr("round.title", k=k + 1, n=config.rounds, first=first, last=last)),
        html.Div([html.Span(tr("round.choose")),
                  html.Span(tr("round.budget", budget=tr.money_wan(config.budget_wan)),
                            className="pill"),
                  html.Span(tr("round.running", cost=tr.money_wan(running)), className="pill"),
                  html.Span(tr("round.chosen", cost=tr.money_wan(chosen)), className="pill"),
                  html.Span(tr("round.left", cost=tr.money_wan(left)),
                            className="pill left" + (" low" if left < 0 else ""))],
                 className="budget"),
        html.Div(message_text(state.get("message"), tr), className="message", id="message"),
        html.Div(cards, className="cards"),
    ]


def _data(cid: str) -> Any:
    return {"data-card": cid}


def event_line(event: Mapping[str, Any], tr: Tr) -> str:
    """One event as a sentence (`event.<kind>[.<subject>]`)."""
    kind = str(event["kind"])
    values = {"subject": event.get("subject", ""), "n": event.get("n", 0),
              "value": event.get("value", 0.0)}
    if kind == "closure" and event.get("losses"):
        key = "event.closure.losses"
    elif kind in ("investment", "investor_admitted"):
        key = f"event.{kind}.{event['subject']}"
    else:
        key = f"event.{kind}"
        if values["n"] == 1 and f"{key}.one" in CATALOGUES[tr.lang]:  # English singular
            key += ".one"
    date = str(event["date"])
    when = f"{date[:4]}年{int(date[5:7])}月" if tr.lang == "zh" else _month_en(date)
    return f"{when}{tr.gap}{tr(key, **values)}"


def _month_en(date: str) -> str:
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
              "Dec")
    return f"{months[int(date[5:7]) - 1]} {date[:4]}"


def events_list(story: Sequence[Mapping[str, Any]], first: int, last: int, tr: Tr) -> list[Any]:
    lines = [e for e in story if first <= int(str(e["date"])[:4]) <= last]
    items = [html.Li(event_line(e, tr)) for e in lines[:MAX_EVENTS]]
    if len(lines) > MAX_EVENTS:
        items.append(html.Li(f"… +{len(lines) - MAX_EVENTS}", className="more"))
    if not items:
        items = [html.Li(tr("results.no_events"))]
    return [html.H3(tr("results.events")), html.Ul(items, className="events")]


def _number(village: str) -> str:
    digits = village.lstrip("V")
    return str(int(digits)) if digits.isdigit() else village


def _signed_money(yuan: float, tr: Tr) -> str:
    text = tr.money_wan(abs(yuan) / 1e4)
    return ("+" if yuan >= 0 else "−") + text


def winner_lines(debrief: Mapping[str, Any], tr: Tr) -> list[str]:
    """Who won and who lost, one sentence each: workers, farmers, hosts and villages, against
    doing nothing."""
    villages: dict[str, float] = debrief["villages"]
    up = sum(1 for v in villages.values() if v > 0)
    down = sum(1 for v in villages.values() if v < 0)
    best = max(villages, key=lambda k: villages[k]) if villages else "—"
    worst = min(villages, key=lambda k: villages[k]) if villages else "—"
    return [tr("win.jobs", sign=tr.signed(debrief["jobs"]["mean"])),
            tr("win.seekers", v=max(0.0, debrief["seekers_level"])),
            tr("win.farm", sign=_signed_money(debrief["farm_income"]["mean"], tr)),
            tr("win.tourism", sign=_signed_money(debrief["tourism"]["mean"], tr)),
            tr("win.villages", up=up, total=len(villages), down=down),
            tr("win.best", best=_number(best), sign_best=tr.signed(villages.get(best, 0.0))),
            tr("win.worst", worst=_number(worst),
               sign_worst=tr.signed(villages.get(worst, 0.0)))]


def winners_block(debrief: Mapping[str, Any], year: int, tr: Tr) -> list[Any]:
    return [html.H3(tr("debrief.winners", year=year)),
            html.Ul([html.Li(line) for line in winner_lines(debrief, tr)], className="facts")]


def money_sentences(ours: Mapping[str, list[float]], real: Mapping[str, list[float]],
                    debrief: Mapping[str, Any], config: LessonConfig, tr: Tr
                    ) -> tuple[str, list[str], str]:
    """What the money bought: the totals, the biggest items of ours, the COD kept out."""
    total = sum(sum(v) for v in ours.values())
    real_total = sum(sum(v) for v in real.values())
    spent = sorted(((sum(v), k) for k, v in ours.items() if sum(v) > 0), reverse=True)
    return (tr("money.total", ours=tr.money_wan(total), real=tr.money_wan(real_total),
               first=config.first_year, last=config.last_year),
            [tr("money.lever", lever=tr(f"lever.{k}"), cost=tr.money_wan(v))
             for v, k in spent[:MAX_LEVERS]],
            tr("money.cod", year=config.last_year, t=-debrief["cod"]["mean"] / 1000.0))


def money_lines(ours: Mapping[str, list[float]], real: Mapping[str, list[float]],
                debrief: Mapping[str, Any], config: LessonConfig, tr: Tr) -> list[Any]:
    total, items, cod = money_sentences(ours, real, debrief, config, tr)
    return [html.H3(tr("debrief.money")), html.P(total),
            html.Ul([html.Li(i) for i in items], className="facts"), html.P(cod)]


def questions_block(tr: Tr) -> list[Any]:
    return [html.H3(tr("debrief.questions")),
            html.Ol([html.Li(tr(f"question.{k}")) for k in (1, 2, 3)], className="questions")]


__all__ = ["choose_card", "event_line", "events_list", "initial_state", "message_text",
           "money_lines", "money_sentences", "over_budget", "questions_block", "round_body",
           "start_lead", "winner_lines", "winners_block"]
