"""The teaching app (`greensim classroom`): a class steers the township round by round.

`cards` (the lever cards, the lesson's shape, a class's schedule as a scenario, free play's
levers), `engine` (running rounds in this process through the experiments layer, summaries of
the runs for the screens, costs, the lock), `figures` (the township picture and its animation,
headline lines with bands, spending), `screens` (what each screen shows), `app` (the Dash app and
its callbacks), `export` (the saved lesson page), `serve` (binding and serving), `style` (the
page's CSS), `i18n` with `messages_zh` and `messages_en` (the words). Sits above the report
(reuses its water-class colours) and reads the model only through `sim.experiments`.
"""
