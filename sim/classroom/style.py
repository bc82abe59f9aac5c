"""The page's look for a projector: large type that scales with the window (1280×720 to
1920×1080 without scrolling), served inline with the page (nothing from the internet)."""

CSS = """
html { font-size: clamp(12px, min(1.25vw, 2.2vh), 30px); }
body { margin: 0; background: #f7f7f3; color: #111;
  font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei",
  "PingFang SC", sans-serif; }
.room { height: 100vh; box-sizing: border-box; padding: 0.3rem 0.8rem 0.4rem;
  display: flex; flex-direction: column; }
header { display: flex; align-items: center; gap: 1rem; min-height: 2.4rem; }
header h1 { font-size: 1.45rem; margin: 0; flex: 1; }
header .hint { font-size: 0.9rem; color: #555; }
.screen { flex: 1; min-height: 0; display: flex; flex-direction: column; gap: 0.3rem; }
.hidden { display: none !important; }
.fill { flex: 1; min-height: 0; }
.actions { display: flex; gap: 1rem; justify-content: flex-end; align-items: center;
  min-height: 3rem; }
button { font-family: inherit; }
.big { font-size: 1.25rem; padding: 0.3rem 1.2rem; border-radius: 0.4rem;
  border: 0.15rem solid #0072B2; background: #fff; color: #0072B2; cursor: pointer; }
.big.primary { background: #0072B2; color: #fff; }
.big:disabled { opacity: 0.45; cursor: wait; }
.lang { font-size: 1.05rem; padding: 0.15rem 0.8rem; border-radius: 0.4rem;
  border: 0.12rem solid #333; background: #fff; cursor: pointer; }
h2 { font-size: 1.4rem; margin: 0.1rem 0; }
h3 { font-size: 1.15rem; margin: 0.1rem 0 0.2rem; }
.lead { font-size: 1.3rem; margin: 0.2rem 0; }
.info { font-size: 1.15rem; margin: 0; font-weight: bold; }
.note { font-size: 0.9rem; margin: 0; color: #333; }
.budget { display: flex; flex-wrap: wrap; gap: 0.4rem 0.8rem; align-items: center;
  font-size: 1.05rem; }
.pill { background: #fff; border: 0.1rem solid #999; border-radius: 1rem; padding: 0 0.6rem; }
.pill.left { font-weight: bold; border-color: #0072B2; }
.pill.low { border-color: #a50026; color: #a50026; }
.message { font-size: 1.05rem; color: #a50026; font-weight: bold; min-height: 1.4rem; }
.cards { display: grid; grid-template-columns: repeat(4, 1fr); grid-auto-rows: 1fr;
  gap: 0.45rem; flex: 1; min-height: 0; }
.card { text-align: left; border: 0.18rem solid #aaa; border-radius: 0.5rem; background: #fff;
  padding: 0.3rem 0.6rem; display: flex; flex-direction: column; cursor: pointer;
  font-size: 0.92rem; color: #111; overflow: hidden; min-height: 0; }
.card h3 { font-size: 1.15rem; margin: 0 0 0.15rem; }
.card .text { line-height: 1.25; }
.card .cost { margin-top: auto; font-weight: bold; font-size: 1.05rem; }
.card .later { font-size: 0.9rem; color: #444; }
.card.selected { border-color: #0072B2; background: #e3f0f8;
  box-shadow: inset 0 0 0 0.15rem #0072B2; }
.card.in-place { background: #ececec; color: #555; border-style: dashed; cursor: default; }
.results { display: grid; grid-template-columns: 3fr 1.25fr; grid-template-rows: 1.2fr 1fr;
  gap: 0.35rem 0.6rem; flex: 1; min-height: 0; }
.results .head { grid-column: 1 / 3; }
.panel { background: #fff; border-radius: 0.4rem; min-height: 0; overflow: hidden;
  padding: 0.2rem 0.4rem; }
.events, .facts, .questions { margin: 0; padding-left: 1.2rem; font-size: 1rem; line-height: 1.35; }
.debrief { display: grid; grid-template-columns: 1.1fr 1fr 1fr; grid-template-rows: 1.05fr 1fr;
  gap: 0.35rem 0.6rem; flex: 1; min-height: 0; }
.debrief .head { grid-column: 1 / 4; }
.debrief p { margin: 0.15rem 0; font-size: 1rem; }
.free { display: grid; grid-template-columns: 1.05fr 2fr; gap: 0.6rem; flex: 1; min-height: 0; }
.levers { display: flex; flex-direction: column; gap: 0.05rem; overflow: hidden;
  font-size: 0.85rem; }
.lever { display: grid; grid-template-columns: 2.2fr 0.9fr 1.3fr; align-items: center;
  gap: 0.3rem; border-bottom: 0.06rem solid #e4e4e4; padding: 0.05rem 0; }
.lever .year { font-size: 0.85rem; }
.lever .dash-dropdown, .lever .Select-control { min-height: 1.6rem; }
.lever .rc-slider { margin: 0; }
.free-top { display: flex; gap: 0.8rem; align-items: center; font-size: 1rem; }
.free-top .Select, .free-top .dash-dropdown { min-width: 14rem; }
"""

__all__ = ["CSS"]
