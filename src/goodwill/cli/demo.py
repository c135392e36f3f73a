"""``goodwill demo``: fill an empty network with a realistic synthetic one."""

from __future__ import annotations

import time

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from .app import JSON_OPT, actor, app, console, err_console, print_json, today
from .render import table


@app.command()
def demo(
    people: int = typer.Option(2000, "--people", help="How many people (up to 2,000,000)."),
    seed: int = typer.Option(1, "--seed", help="Same seed, same network."),
    as_json: bool = JSON_OPT,
) -> None:
    """Fill an empty workspace with a deterministic, realistic demo network."""
    from goodwill.services.demo import build_demo

    started = time.perf_counter()
    columns = (BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    bar = Progress("building the demo network", *columns, console=err_console)
    task = bar.add_task("demo", total=3 * people)

    shown: list[bool] = []

    def progress(done: int, total: int) -> None:
        if not shown:  # on the first report: a refused demo prints only its error
            bar.start()
            shown.append(True)
        bar.update(task, completed=done, total=total)

    try:
        summary = build_demo(
            actor=actor(),
            today=today(),
            people=people,
            seed=seed,
            progress=None if as_json else progress,
        )
    finally:
        if shown:
            bar.stop()
    seconds = round(time.perf_counter() - started, 2)
    if as_json:
        print_json({**vars(summary), "seconds": seconds})
        return
    rows = [[key.replace("_", " "), f"{value:,}"] for key, value in vars(summary).items()]
    out = table(f"Demo network (seed {seed})", ["what", "count"], rows)
    out.caption = f"built in {seconds} s"
    console.print(out)
