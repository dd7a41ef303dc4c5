"""`flask --app wsgi rehab load-library`: create or update the built-in exercises."""

from __future__ import annotations

import click

from rehab.cli import rehab_cli


@rehab_cli.command("load-library")
@click.option(
    "--directory",
    type=click.Path(exists=True, file_okay=False),
    default=None,
    help="Library folder (default: the built-in library shipped with Rehab).",
)
def load_library_command(directory: str | None) -> None:
    """Load the built-in exercise library; safe to run again (it only applies changes)."""
    from rehab.exercises.services import LibraryError, load_library

    try:
        created, updated = load_library(directory)
    except LibraryError as exc:
        raise click.ClickException(f"The library files have problems:\n{exc}") from exc
    click.echo(f"Exercise library: {created} created, {updated} updated.")
