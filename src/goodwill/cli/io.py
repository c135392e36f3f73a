"""Import, export, backup, restore, duplicates and merge."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.text import Text

from .app import JSON_OPT, actor, app, console, err_console, print_json, today
from .render import table


def _read(path: Path) -> bytes:
    from goodwill.services.errors import BadInput

    try:
        return sys.stdin.buffer.read() if str(path) == "-" else path.read_bytes()
    except OSError as exc:
        raise BadInput(f"cannot read {path}: {exc.strerror or exc}") from None


@app.command("import")
def import_cmd(
    kind: str = typer.Argument(..., help="linkedin, vcard, google or csv."),
    file: Path = typer.Argument(..., help="The file to import ('-' for stdin)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would happen; write nothing."),
    strict: bool = typer.Option(False, "--strict", help="Import nothing if any record is bad."),
    merge: bool = typer.Option(False, "--merge", help="Merge fuzzy name + organization matches."),
    map_: list[str] = typer.Option([], "--map", help='"Column=field" (repeatable; csv).'),
    as_json: bool = JSON_OPT,
) -> None:
    """Import contacts; the same email or profile URL updates, never duplicates."""
    from goodwill.services.importing import import_file

    data = _read(file)
    with Progress(
        TextColumn("importing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=err_console, transient=True, disable=as_json or not err_console.is_terminal,
    ) as bar:  # fmt: skip
        task = bar.add_task("import", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        result = import_file(
            actor=actor(), today=today(), kind=kind.lower(), data=data, mapping=map_,
            dry_run=dry_run, strict=strict, merge=merge, progress=progress,
        )  # fmt: skip
    if as_json:
        out: dict[str, object] = {
            "created": result.created, "updated": result.updated, "merged": result.merged,
            "skipped": result.skipped, "errors": result.errors, "candidates": result.candidates,
            "dry_run": result.dry_run,
        }  # fmt: skip
        if dry_run and result.columns:
            out["mapping"] = result.mapping
        if dry_run:
            out["preview"] = result.preview
        print_json(out)
        return
    if dry_run and result.mapping:
        rows = [[col, field or "(ignored)"] for col, field in result.mapping.items()]
        console.print(table("Column mapping", ["column", "field"], rows))
    verb = "Would import" if dry_run else "Imported"
    console.print(
        Text(
            f"{verb}: {result.created} created, {result.updated} updated, "
            f"{result.merged} merged, {result.skipped} skipped, {len(result.errors)} errors."
        )
    )
    for note in result.notes:
        console.print(Text(note, style="dim"))
    if result.candidates and not merge:
        rows = [
            [c.line, c.name, f"{c.person['id']} {c.person['name']}", c.score]
            for c in result.candidates[:50]
        ]
        console.print(
            table(
                "Possible duplicates (use --merge, or goodwill merge)",
                ["line", "imported", "resembles", "score"],
                rows,
            )
        )
    if result.errors:
        console.print(
            table("Errors", ["line", "message"], [[e.line, e.message] for e in result.errors[:200]])
        )


@app.command()
def export(
    format: str = typer.Argument(..., help="json, csv, vcard, ics or deals."),
    output: Path = typer.Option(
        None, "-o", "--output", help="Write to this file (default stdout)."
    ),
) -> None:
    """Export the workspace: json (everything), csv and vcard (people), ics, deals."""
    from goodwill.services.exporting import export as run_export

    body = run_export(actor=actor(), today=today(), format=format.lower())
    if output is None:
        sys.stdout.write(body.content.decode("utf-8"))
        sys.stdout.flush()
    else:
        output.write_bytes(body.content)
        err_console.print(Text(f"Wrote {output} ({len(body.content)} bytes)."))


@app.command()
def backup(
    file: Path = typer.Argument(..., help="Where to write the copy."),
    as_json: bool = JSON_OPT,
) -> None:
    """A consistent copy of the whole database, even while the app is writing (SQLite)."""
    from goodwill.services.backup import backup_database

    backup_database(path=file)
    if as_json:
        print_json({"ok": True})
    else:
        console.print(Text(f"Backed up to {file}."))


@app.command()
def restore(
    file: Path = typer.Argument(..., help="A JSON export or a SQLite backup file."),
    as_json: bool = JSON_OPT,
) -> None:
    """Restore a JSON export (into an empty local workspace) or a SQLite backup file."""
    from goodwill.services.backup import restore_file

    restore_file(actor=actor(), data=_read(file))
    if as_json:
        print_json({"ok": True})
    else:
        console.print(Text(f"Restored {file}."))


@app.command()
def duplicates(
    limit: int = typer.Option(200, help="Show at most this many pairs."),
    as_json: bool = JSON_OPT,
) -> None:
    """People who are probably one person: same email or URL, or similar name + organization."""
    from goodwill.services.duplicates import find_duplicates

    pairs = find_duplicates(actor=actor(), limit=limit)
    if as_json:
        print_json(pairs)
        return
    rows = [
        [
            f"{p.a.id} {p.a.name}",
            p.a.organization,
            f"{p.b.id} {p.b.name}",
            p.b.organization,
            p.score,
            "; ".join(p.reasons),
        ]
        for p in pairs
    ]
    console.print(
        table(
            "Possible duplicates (goodwill merge A B keeps A)",
            ["a", "org", "b", "org", "score", "why"],
            rows,
        )
    )


@app.command()
def merge(
    keep: str = typer.Argument(..., help="The person to keep."),
    drop: str = typer.Argument(..., help="The person merged into it (then removed)."),
    as_json: bool = JSON_OPT,
) -> None:
    """Merge B into A, keeping every interaction, favour, deal and stage change of both."""
    from goodwill.services.merge import merge_by_ref

    kept, dropped = merge_by_ref(actor=actor(), keep=keep, drop=drop)
    if as_json:
        print_json({"id": kept.pk, "merged": dropped})
    else:
        console.print(Text(f"Merged {dropped} into {kept.name} (id {kept.pk})."))
