"""The classroom's Dash app: the screens' skeleton, the callbacks, and serving it.

Each browser tab holds its own lesson in a `dcc.Store` (in the tab's memory): the server keeps no
lesson, only what every lesson shares and never changes (the engine's references, card costs and
the township's layout). A round runs inside the click's callback, in this process; `running=`
greys the button while it runs (a double click runs the round once), and the engine's lock turns
a second tab's click away with a message instead of queueing it. A failed run shows a message;
the server keeps serving.
"""

from __future__ import annotations

import logging
from typing import Any

from dash import ALL, Dash, Input, Output, State, callback_context, dcc, html, no_update

from sim.classroom import screens
from sim.classroom.cards import FREE, free_scenario
from sim.classroom.engine import REFERENCES, Busy, Engine, changes, summarise
from sim.classroom.export import lesson_html
from sim.classroom.figures import CONFIG, headline_figure, township_picture, year_frame
from sim.classroom.i18n import Tr, tr
from sim.classroom.style import CSS

LOG = logging.getLogger("greensim.classroom")
SCREENS = ("start", "round", "results", "debrief", "free")
BUTTONS = {"start-play": "start.play", "start-free": "start.free", "play": "round.play",
           "replay": "results.replay", "save": "debrief.save", "again": "debrief.again",
           "free-back": "free.back"}
INDEX = """<!DOCTYPE html>
<html lang="zh">
<head>{%metas%}<title>{%title%}</title>{%favicon%}{%css%}<style>""" + CSS + """</style></head>
<body>{%app_entry%}<footer>{%config%}{%scripts%}{%renderer%}</footer></body>
</html>"""

KEYS_JS = """function (lang) {
  if (!window.greensimKeys) {
    window.greensimKeys = true;
    document.addEventListener('keydown', function (e) {
      if (e.key !== ' ' && e.code !== 'Space') { return; }
      const tag = ((e.target && e.target.tagName) || '').toLowerCase();
      if (tag === 'input' || tag === 'textarea' || tag === 'select') { return; }
      e.preventDefault();
      if (document.activeElement && document.activeElement.blur) { document.activeElement.blur(); }
      const b = document.querySelector('.screen:not(.hidden) .primary:not([disabled])');
      if (b) { b.click(); }
    });
  }
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh';
  return lang;
}"""
SCALE_JS = """function (lang, current) {
  // the charts' type grows with the window, as the page's does (1 at 1280×720)
  const k = Math.min(window.innerWidth / 1280, window.innerHeight / 720);
  const scale = Math.round(Math.min(Math.max(k, 1), 1.8) * 100) / 100;
  return scale === current ? window.dash_clientside.no_update : scale;
}"""
PLAY_JS = """function (figure, clicks) {
  // Step through the picture's frames (seasons) by name, one every 650 ms. A new figure (the
  // next round, the other language) or "watch again" starts a new run and stops the old one,
  // so a frame of the old figure is never drawn over the new one; leaving the screen stops it.
  const run = (window.greensimAnimation || 0) + 1;
  window.greensimAnimation = run;
  if (!figure || !figure.frames || !figure.frames.length) {
    return window.dash_clientside.no_update;
  }
  const names = figure.frames.map(function (f) { return f.name; });
  let k = 0;
  const step = function () {
    const gd = document.querySelector('#screen-results:not(.hidden) #results-picture '
                                      + '.js-plotly-plot');
    if (run !== window.greensimAnimation || !gd) { return; }  // replaced, or screen left
    const known = gd._transitionData && gd._transitionData._frameHash
                  && gd._transitionData._frameHash[names[k]];
    if (known) {  // the graph may not hold the new frames yet: then this season is skipped
      window.Plotly.animate(gd, [names[k]], {frame: {duration: 0, redraw: true},
                                            transition: {duration: 0}, mode: 'immediate'})
        .catch(function () { return null; });
    }
    k += 1;
    if (k < names.length) { setTimeout(step, 650); }
  };
  setTimeout(step, 400);
  return run;
}"""


def _graph(gid: str) -> dcc.Graph:
    return dcc.Graph(id=gid, config=CONFIG, style={"height": "100%", "width": "100%"},
                     className="fill")


def _button(bid: str, primary: bool = False) -> html.Button:
    return html.Button(id=bid, n_clicks=0, className="big primary" if primary else "big")


def _free_controls(engine: Engine) -> list[Any]:
    """A row per lever: on/off with its name and size (words set by a callback), the year it
    starts (a list: readable from the back) and its size (a slider)."""
    years = [{"label": str(y), "value": y} for y in range(2023, engine.config.last_year + 1)]
    rows = []
    for name, spec in FREE.items():
        size = (dcc.Slider(spec.low, spec.high, spec.step, value=spec.default,
                           id={"type": "free-size", "lever": name}, marks=None,
                           updatemode="mouseup", allow_direct_input=False)
                if spec.high > spec.low else html.Span())
        rows.append(html.Div([
            dcc.Checklist(id={"type": "free-on", "lever": name}, value=[],
                          options=[{"label": "", "value": "on"}]),
            dcc.Dropdown(years, engine.config.first_year, id={"type": "free-year", "lever": name},
                         clearable=False, searchable=False, className="year"),
            size], className="lever"))
    return rows


def layout(engine: Engine, lang: str) -> html.Div:
    """The skeleton of every screen; callbacks fill in the words and figures."""
    return html.Div(className="room", children=[
        dcc.Store(id="lang", data=lang), dcc.Store(id="lesson", data=screens.initial_state()),
        dcc.Store(id="free-result"), dcc.Store(id="keys"), dcc.Store(id="played"),
        dcc.Store(id="scale"),
        dcc.Download(id="download"),
        html.Header([html.H1(id="title"), html.Span(id="hint", className="hint"),
                     html.Button(id="lang-btn", n_clicks=0, className="lang")]),
        html.Div(id="screen-start", className="screen", children=[
            html.Div(id="start-lead"), html.Div(_graph("start-picture"), className="fill panel"),
            html.Div([_button("start-free"), _button("start-play", True)],
                     className="actions")]),
        html.Div(id="screen-round", className="screen hidden", children=[
            html.Div(id="round-body", className="screen"),
            html.Div(_button("play", True), className="actions")]),
        html.Div(id="screen-results", className="screen hidden", children=[
            html.H2(id="results-title"),
            html.Div(className="results", children=[
                html.Div(_graph("results-picture"), className="panel"),
                html.Div(id="results-events", className="panel"),
                html.Div(_graph("results-head"), className="panel head")]),
            html.Div([html.Span(id="results-band", className="note"), _button("replay"),
                      _button("next", True)], className="actions")]),
        html.Div(id="screen-debrief", className="screen hidden", children=[
            html.H2(id="debrief-title"),
            html.Div(className="debrief", children=[
                html.Div(_graph("debrief-head"), className="panel head"),
                html.Div(id="debrief-winners", className="panel"),
                html.Div(id="debrief-money", className="panel"),
                html.Div(id="debrief-questions", className="panel")]),
            html.Div([_button("again"), _button("save", True)], className="actions")]),
        html.Div(id="screen-free", className="screen hidden", children=[
            html.H2(id="free-title"),
            html.Div(className="free", children=[
                html.Div([html.Div([html.Span(id="free-base-label"),
                                    dcc.Dropdown([{"label": n, "value": n} for n in REFERENCES],
                                                 "as_reported", id="free-base",
                                                 clearable=False, searchable=False)],
                                   className="free-top"),
                          html.Div(id="free-note", className="note"),
                          html.Div(_free_controls(engine), className="levers")],
                         className="panel"),
                html.Div([html.Div(id="free-message", className="message"),
                          _graph("free-head")], className="panel",
                         style={"display": "flex", "flexDirection": "column"})]),
            html.Div(_button("free-back", True), className="actions")]),
    ])


def create_app(engine: Engine, lang: str = "zh") -> Dash:
    """The Dash app of a prepared engine, opening in `lang`. Everything it serves comes from
    the installed packages (no CDN); Dash's MCP and dev tools stay off."""
    app = Dash(__name__, title="greensim", serve_locally=True, enable_mcp=False,
               suppress_callback_exceptions=True, update_title="", assets_folder="/nonexistent")
    app.index_string = INDEX
    app.layout = layout(engine, lang)
    app.enable_dev_tools(debug=False, dev_tools_ui=False, dev_tools_props_check=False,
                         dev_tools_hot_reload=False, dev_tools_serve_dev_bundles=False)
    _callbacks(app, engine)
    app.server.config["GREENSIM_ENGINE"] = engine
    return app


def _callbacks(app: Dash, engine: Engine) -> None:  # noqa: C901 - one place for the wiring
    config = engine.config
    refs = engine.reference_summaries

    app.clientside_callback(KEYS_JS, Output("keys", "data"), Input("lang", "data"))
    app.clientside_callback(SCALE_JS, Output("scale", "data"), Input("lang", "data"),
                            State("scale", "data"))
    app.clientside_callback(PLAY_JS, Output("played", "data"),
                            Input("results-picture", "figure"), Input("replay", "n_clicks"))

    @app.callback(Output("lang", "data"), Input("lang-btn", "n_clicks"), State("lang", "data"),
                  prevent_initial_call=True)
    def switch(_: int, lang: str) -> str:
        return "en" if lang == "zh" else "zh"

    @app.callback([Output(f"screen-{s}", "className") for s in SCREENS]
                  + [Output("title", "children"), Output("hint", "children"),
                     Output("lang-btn", "children"), Output("next", "children")]
                  + [Output(b, "children") for b in BUTTONS],
                  Input("lesson", "data"), Input("lang", "data"))
    def frame(state: dict[str, Any], lang: str) -> list[Any]:
        t = tr(lang)
        done = len(state["schedule"]) >= config.rounds
        return ([("screen" if state["mode"] == s else "screen hidden") for s in SCREENS]
                + [t("app.title"), t("keys.hint"), t("lang.switch"),
                   t("results.debrief" if done else "results.next")]
                + [t(key) for key in BUTTONS.values()])

    @app.callback(Output("lesson", "data"),
                  Input("start-play", "n_clicks"), Input("start-free", "n_clicks"),
                  Input("next", "n_clicks"), Input("again", "n_clicks"),
                  Input("free-back", "n_clicks"),
                  Input({"type": "card", "id": ALL}, "n_clicks"), State("lesson", "data"),
                  prevent_initial_call=True)
    def act(*args: Any) -> Any:
        state = dict(args[-1])
        trigger = callback_context.triggered_id
        value = callback_context.triggered[0]["value"] if callback_context.triggered else None
        if not value:  # a card rendered afresh (n_clicks 0), not a click
            return no_update
        if trigger in ("start-play", "again"):
            return {**screens.initial_state(), "mode": "round"}
        if trigger == "start-free":
            return {**state, "mode": "free", "mode_before": state["mode"], "message": None}
        if trigger == "free-back":
            return {**state, "mode": state.get("mode_before") or "start"}
        if trigger == "next":
            done = len(state["schedule"]) >= config.rounds
            return {**state, "mode": "debrief" if done else "round", "message": None}
        if isinstance(trigger, dict) and trigger.get("type") == "card":
            return screens.choose_card(state, str(trigger["id"]), engine)
        return no_update

    @app.callback(Output("lesson", "data", allow_duplicate=True), Input("play", "n_clicks"),
                  State("lesson", "data"), prevent_initial_call=True,
                  running=[(Output("play", "disabled"), True, False)])
    def play(clicks: int, state: dict[str, Any]) -> Any:
        if not clicks or state["mode"] != "round" or len(state["schedule"]) >= config.rounds:
            return no_update
        selected = list(state["selected"])
        refused = screens.over_budget(state, engine)
        if refused is not None:
            return {**state, "message": refused}
        schedule = [*state["schedule"], selected]
        try:
            summary, tables = engine.play(schedule)
            debrief = None
            if len(schedule) == config.rounds:
                debrief = changes(tables, engine.references["no_transition"], config.last_year)
        except Busy:
            return {**state, "message": {"key": "round.busy"}}
        except Exception as exc:  # noqa: BLE001 - the page says so; the server keeps serving
            LOG.exception("a classroom round failed")
            return {**state, "message": {"key": "round.failed",
                                         "values": {"error": type(exc).__name__}}}
        return {**state, "mode": "results", "schedule": schedule, "selected": [],
                "message": None, "summary": summary, "debrief": debrief}

    @app.callback(Output("start-lead", "children"), Output("start-picture", "figure"),
                  Input("lesson", "data"), Input("lang", "data"), Input("scale", "data"))
    def start(state: dict[str, Any], lang: str, scale: float | None) -> Any:
        if state["mode"] != "start" or scale is None:
            return no_update, no_update
        t = tr(lang)
        frame = year_frame(refs["no_transition"]["seasons"], 2023)
        return (screens.start_lead(config, t),
                township_picture([frame], engine.layout, t, with_visits=False,
                                 title=t("picture.title", year=2023), scale=scale))

    @app.callback(Output("round-body", "children"), Input("lesson", "data"),
                  Input("lang", "data"))
    def round_screen(state: dict[str, Any], lang: str) -> Any:
        if state["mode"] != "round":
            return no_update
        return screens.round_body(state, engine, tr(lang))

    @app.callback(Output("results-title", "children"), Output("results-picture", "figure"),
                  Output("results-events", "children"), Output("results-head", "figure"),
                  Output("results-band", "children"),
                  Input("lesson", "data"), Input("lang", "data"), Input("scale", "data"))
    def results(state: dict[str, Any], lang: str, scale: float | None) -> Any:
        if state["mode"] != "results" or not state.get("summary") or scale is None:
            return (no_update,) * 5
        t = tr(lang)
        summary = state["summary"]
        k = len(state["schedule"]) - 1
        first, last = config.round_years(k)
        seasons = [f for f in summary["seasons"] if first <= f["year"] <= last]
        return (t("results.title", k=k + 1, n=config.rounds, first=first, last=last),
                township_picture(seasons, engine.layout, t, scale=scale),
                screens.events_list(summary["story"], first, last, t),
                headline_figure(summary, refs, t, config.last_year, scale=scale),
                t("results.band", n=summary["replicates"]))

    @app.callback(Output("debrief-title", "children"), Output("debrief-head", "figure"),
                  Output("debrief-winners", "children"), Output("debrief-money", "children"),
                  Output("debrief-questions", "children"),
                  Input("lesson", "data"), Input("lang", "data"), Input("scale", "data"))
    def debrief(state: dict[str, Any], lang: str, scale: float | None) -> Any:
        if state["mode"] != "debrief" or not state.get("debrief") or scale is None:
            return (no_update,) * 5
        t = tr(lang)
        summary = state["summary"]
        real = refs["as_reported"]["spending"]
        return (t("debrief.title", first=config.first_year, last=config.last_year),
                headline_figure(summary, refs, t, config.last_year, scale=scale),
                screens.winners_block(state["debrief"], config.last_year, t),
                screens.money_lines(summary["spending"], real, state["debrief"], config, t),
                screens.questions_block(t))

    @app.callback(Output("free-result", "data"), Input("lesson", "data"),
                  Input({"type": "free-on", "lever": ALL}, "value"),
                  Input({"type": "free-year", "lever": ALL}, "value"),
                  Input({"type": "free-size", "lever": ALL}, "value"))
    def free_run(state: dict[str, Any], on: list[Any], years: list[Any], sizes: list[Any]
                 ) -> Any:
        if state["mode"] != "free":
            return no_update
        sized = iter(sizes)
        settings = {}
        for name, o, y in zip(FREE, on, years, strict=True):
            spec = FREE[name]
            size = next(sized) if spec.high > spec.low else spec.default
            settings[name] = {"on": bool(o), "year": y, "size": size}
        try:
            tables = engine.run_locked(free_scenario(settings, config))
        except Busy:
            return {"message": {"key": "round.busy"}}
        except Exception as exc:  # noqa: BLE001 - the page says so; the server keeps serving
            LOG.exception("a free-play run failed")
            return {"message": {"key": "round.failed", "values": {"error": type(exc).__name__}}}
        return {"summary": summarise(tables, config)}

    @app.callback(Output("free-title", "children"), Output("free-base-label", "children"),
                  Output("free-base", "options"), Output("free-note", "children"),
                  Output("free-message", "children"), Output("free-head", "figure"),
                  Output({"type": "free-on", "lever": ALL}, "options"),
                  Input("free-result", "data"), Input("free-base", "value"),
                  Input("lang", "data"), Input({"type": "free-size", "lever": ALL}, "value"),
                  Input("scale", "data"))
    def free_screen(result: dict[str, Any] | None, base: str, lang: str,
                    sizes: list[Any], scale: float | None) -> Any:
        t = tr(lang)
        sized = iter(sizes)
        options = []
        for name, spec in FREE.items():
            label = t(f"free.{name}")
            if spec.high > spec.low:
                label += ("：" if lang == "zh" else ": ") + f"{next(sized):g}"
            options.append([{"label": label, "value": "on"}])
        summary = (result or {}).get("summary")
        chosen = {base: refs[base]} if base in refs else {}
        return (t("free.title"), t("free.base"),
                [{"label": t(f"scenario.{n}"), "value": n} for n in refs],
                t("free.note", n=config.replicates, last=config.last_year),
                screens.message_text((result or {}).get("message"), t),
                headline_figure(summary, chosen, t, config.last_year, cols=3,
                                scale=scale or 1.0),
                options)

    @app.callback(Output("download", "data"), Input("save", "n_clicks"),
                  State("lesson", "data"), State("lang", "data"), prevent_initial_call=True)
    def save(clicks: int, state: dict[str, Any], lang: str) -> Any:
        if not clicks or not state.get("debrief"):
            return no_update
        page = lesson_html(state, engine, Tr(lang if lang in ("zh", "en") else "zh"))
        return {"content": page, "filename": "greensim-lesson.html", "type": "text/html",
                "base64": False}


__all__ = ["create_app", "layout"]
