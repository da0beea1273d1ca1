"""The ``community`` command: set up, load the demo, serve, rebuild views, add users.

The command line is an outer edge like the web pages: ``serve`` is the one
place outside ``web`` that starts the web app, and it imports it only then.
"""

from __future__ import annotations

import getpass
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click
from tqdm import tqdm

from community.application import Community
from config import Settings
from config.collector import settle_after_start, settle_for_batch_work
from config.indicators import default_indicators
from domain.errors import DomainError
from domain.values import Role

if TYPE_CHECKING:
    from community.importing import Result

T = TypeVar("T")

def open_community() -> Community:
    return Community(Settings.from_environment())


@click.group()
def main() -> None:
    """Clinical Community: keep the network going after the programme ends."""


@main.command()
@click.option("--name", default="Improving Lung Cancer Outcomes Project (ILCOP)", show_default=True)
@click.option("--funding-ends-on", type=click.DateTime(["%Y-%m-%d"]), default="2012-03-31",
              show_default=True)
def init(name: str, funding_ends_on: datetime) -> None:
    """Create the store and start an empty programme (does nothing if one exists)."""
    app = open_community()
    if app.has_programme():
        click.echo(f"The store already holds the programme {app.programme().name!r}.")
        return
    _run(lambda: app.start_programme(name=name, funding_ends_on=funding_ends_on.date(),
                                     indicators=default_indicators()))
    click.echo(f"Started {name!r}; funding ends {funding_ends_on.date()}.")


@main.command()
@click.option("--seed", default=2012, show_default=True, help="Same seed, same community.")
@click.option("--if-empty", is_flag=True, help="Quietly do nothing when the store has data.")
def demo(seed: int, if_empty: bool) -> None:
    """Load the demo community into an empty store. Never wipes data."""
    from community.demo import load_demo

    app = open_community()
    if app.has_programme():
        if if_empty:
            click.echo("The store already has a community: serving what it holds.")
            return
        raise click.ClickException("the store is not empty; the demo loads only into an empty one")
    started = time.perf_counter()
    with tqdm(desc="Loading demo", unit=" aggregates") as bar:
        summary = load_demo(app, seed=seed, progress=bar.update)
    took = time.perf_counter() - started
    click.echo(", ".join(f"{v} {k.replace('_', ' ')}" for k, v in summary.items())
               + f" in {took:.1f} s.")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int, help="Per web process.")
@click.option("--workers", default=1, show_default=True, type=int,
              help="Web processes: above 1, gunicorn runs them (config/gunicorn.py).")
@click.option("--follower/--no-follower", default=None,
              help="Start the projection worker in its own process (default: on SQLite "
                   "only; on PostgreSQL run `community worker` beside the web processes).")
def serve(host: str, port: int, threads: int, workers: int, follower: bool | None) -> None:
    """Serve the web app and the API."""
    import os
    import sys

    from community.worker import FollowerProcess
    from config import logs

    logs.configure()
    settings = Settings.from_environment()
    if follower is None:
        follower = settings.database_url.startswith("sqlite")
    worker: FollowerProcess | None = None
    open_community().close()  # tables made once, before any other process opens the store
    if follower:
        # Its own process, so applying events never competes with requests for the
        # GIL; it exits with this one, and is started again if it dies. The web
        # processes then wait for it instead of catching the views up themselves.
        worker = FollowerProcess([sys.executable, "-m", "community.cli", "worker",
                                  "--exit-with-parent"])
        worker.start()
        os.environ["COMMUNITY_VIEWS_WORKER"] = "1"
    try:
        click.echo(f"Serving Clinical Community on http://{host}:{port}/ (Ctrl+C to stop)",
                   err=True)
        if workers > 1:
            from config.gunicorn import serve as gunicorn_serve

            gunicorn_serve("web:create_app()", bind=f"{host}:{port}", workers=workers,
                           threads=threads)
        else:
            import waitress

            from web import create_app

            app = create_app()
            settle_after_start()
            waitress.serve(app, host=host, port=port, threads=threads,
                           ident="clinical-community")
    finally:
        if worker is not None:
            worker.stop()


@main.command()
@click.option("--poll", default=0.01, show_default=True,
              help="Seconds between looks at the log when idle (SQLite; PostgreSQL is told).")
@click.option("--exit-with-parent", is_flag=True, hidden=True,
              help="Stop when the process that started this one is gone (`serve` uses it).")
def worker(poll: float, exit_with_parent: bool) -> None:
    """Keep the views up to date with the event log, live (one at a time: a second
    worker waits for the first's lock). Stop with Ctrl+C or SIGTERM."""
    import os
    import signal
    import threading

    from community.worker import follow
    from config import logs

    logs.configure()
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    app = open_community()
    settle_after_start()
    try:
        follow(app, stop, idle_poll=poll, parent=os.getppid() if exit_with_parent else None)
    finally:
        app.close()


@main.command()
@click.option("--view", "names", multiple=True, help="Only this view (repeatable).")
def rebuild(names: tuple[str, ...]) -> None:
    """Drop the views and replay the whole event log into them."""
    app = open_community()
    settle_for_batch_work()  # a replay makes and frees millions of objects
    known = {v.name for v in app.views.all}
    if unknown := set(names) - known:
        raise click.BadParameter(f"unknown view {sorted(unknown)}; views: {sorted(known)}")
    total = app.recorder.max_notification_id() or 0
    started = time.perf_counter()
    with tqdm(total=total, desc="Rebuilding views", unit=" events") as bar:
        # Split over two processes where it can (projections/split_rebuild.py): this
        # process has nothing else running, so it may fork.
        read = app.views.rebuild(names or None, progress=bar.update, split=True)
    took = time.perf_counter() - started
    rate = read / took if took else float("inf")
    click.echo(f"Replayed {read} events into {', '.join(names or sorted(known))} "
               f"in {took:.2f} s ({rate:,.0f} events/s).")


@main.command()
@click.option("--teams", default=156, show_default=True, help="Lung cancer MDTs.")
@click.option("--members", default=3000, show_default=True)
@click.option("--events", default=200_000, show_default=True,
              help="The total to make (met within a few per cent).")
@click.option("--years", default=10, show_default=True,
              help="From January 2010; about the first third is the funded programme.")
@click.option("--seed", default=14, show_default=True, help="Same options, same events.")
@click.option("--database-url", help="Where to write (default: the configured store).")
@click.option("--kinds", is_flag=True, help="Print the mix of event kinds as a table.")
@click.option("--no-views", is_flag=True,
              help="Only the events: the views wait for `community rebuild` (or the worker), "
                   "and nobody reads their notifications. For very large stores.")
def synth(teams: int, members: int, events: int, years: int, seed: int,
          database_url: str | None, kinds: bool, no_views: bool) -> None:
    """Load a deterministic synthetic national community into an empty store."""
    from dataclasses import replace

    from community.synth import Options, synthesise

    settings = Settings.from_environment()
    if database_url:
        settings = replace(settings, database_url=database_url)
    app = Community(settings)
    if app.recorder.max_notification_id():
        raise click.ClickException("the store is not empty; synth loads only into an empty one")
    options = Options(teams=teams, members=members, events=events, years=years, seed=seed)
    try:
        with tqdm(total=events, desc="Synthesising", unit=" events") as bar:
            summary = synthesise(app, options, progress=bar.update, views=not no_views)
    finally:
        app.close()
    click.echo(f"{summary.events:,} events ({teams} teams, {members:,} members, {years} years, "
               f"funding ended {options.funding_ends_on}) in {summary.seconds:.1f} s "
               f"({summary.rate:,.0f} events/s, views {'left' if no_views else 'included'}; "
               f"{summary.events / max(summary.cpu_seconds, 1e-9):,.0f} a second of CPU).")
    if kinds:
        click.echo(summary.table())


@main.command("add-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--team", "team_name", help="The team's name (not needed for organisers).")
@click.option("--organiser", is_flag=True, help="May run workshops and see network views.")
@click.option("--password", help="Asked for when not given.")
def add_user(email: str, name: str, role: str, team_name: str | None, organiser: bool,
             password: str | None) -> None:
    """Add a member who can log in."""
    app = open_community()
    if password is None:
        password = getpass.getpass("Password (10 or more characters): ")
    team_id = app.team_id_named(team_name) if team_name else None
    member_id = _run(lambda: app.join(email=email, name=name, role=Role(role), team_id=team_id,
                                      password=password, is_organiser=organiser))
    click.echo(f"Added {name} <{email}> as member {member_id}.")


@main.command()
@click.option("--as-of", help="Judge as of this date (YYYY-MM-DD); today when not given.")
@click.option("--qip-weeks", default=8, show_default=True,
              help="A QIP is quiet after this many weeks without a value.")
@click.option("--team-weeks", default=12, show_default=True,
              help="A team is quiet after this many weeks without activity.")
@click.option("--follow-up-weeks", default=3, show_default=True,
              help="A follow-up is waiting after this many weeks unanswered.")
def momentum(as_of: str | None, qip_weeks: int, team_weeks: int, follow_up_weeks: int) -> None:
    """Propose nudges, revisits and reminders for the organisers' outbox (daily; safe to rerun)."""
    from domain.momentum import Thresholds

    day = _as_of(as_of)
    app = open_community()
    try:
        report = _run(lambda: app.check_momentum(as_of=day, thresholds=Thresholds(
            qip_weeks=qip_weeks, team_weeks=team_weeks, follow_up_weeks=follow_up_weeks)))
        # The daily job also sends members the notifications they chose by e-mail.
        notified = _run(lambda: app.notify_by_email(proposed_on=day))
    finally:
        app.close()
    click.echo(report.summary())
    click.echo(notified.summary())


@main.command()
@click.option("--base-url", default="http://127.0.0.1:5000", show_default=True,
              help="Where members reach the site: the start of each link in the e-mails.")
def notify(base_url: str) -> None:
    """Put an e-mail in the outbox for each notification its member chose to get by
    e-mail (safe to rerun: each notification is e-mailed once)."""
    app = open_community()
    try:
        report = _run(lambda: app.notify_by_email(base_url=base_url))
    finally:
        app.close()
    click.echo(report.summary())


@main.command()
@click.option("--as-of", help="The day to run for (YYYY-MM-DD); today when not given.")
@click.option("--base-url", default="http://127.0.0.1:5000", show_default=True,
              help="Where members reach the site: the start of each link in the e-mails.")
def digest(as_of: str | None, base_url: str) -> None:
    """Put each member's daily or weekly digest in the outbox (run daily from cron;
    safe to rerun: each member gets one digest a period)."""
    day = _as_of(as_of)
    app = open_community()
    try:
        report = _run(lambda: app.send_digests(today=day, base_url=base_url))
    finally:
        app.close()
    click.echo(report.summary())


def _as_of(as_of: str | None) -> date | None:
    """The ``--as-of`` day; None (today) when not given."""
    try:
        return date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise click.BadParameter("give the date as YYYY-MM-DD", param_hint="--as-of") from None


# --- onboarding: importing the organisers' spreadsheets, and invitation links ----------

BASE_URL = "http://127.0.0.1:5000"
base_url_option = click.option(
    "--base-url", default=BASE_URL, show_default=True,
    help="Where members reach the site: the start of each invitation link.")


@main.group("import")
def import_() -> None:
    """Bring in teams and members from CSV files (UTF-8, commas between columns).

    Nothing is written unless every row is valid; importing the same file again
    changes nothing. Import teams.csv before the members.csv that names its teams.
    """


@import_.command("teams")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and write nothing.")
def import_teams_command(file: Path, dry_run: bool) -> None:
    """Register the teams in FILE: name, trust, region, latitude, longitude, caseload."""
    app = open_community()
    _report_import(app, app.import_teams(file.read_bytes(), dry_run=dry_run,
                                         filename=file.name), BASE_URL)


@import_.command("members")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and write nothing.")
@click.option("--teams", "teams_file", type=click.Path(exists=True, dir_okay=False,
                                                       path_type=Path),
              help="A teams.csv to import with the members, all or nothing.")
@base_url_option
def import_members_command(file: Path, dry_run: bool, teams_file: Path | None,
                           base_url: str) -> None:
    """Add the members in FILE: email, name, role, team, [expertise], [consents_to_contact].

    Prints a one-time link for each new member to set their password."""
    app = open_community()
    result = app.import_members(file.read_bytes(), dry_run=dry_run, filename=file.name,
                                teams=teams_file.read_bytes() if teams_file else None,
                                teams_filename=teams_file.name if teams_file else "teams.csv")
    _report_import(app, result, base_url)


def _report_import(app: Community, result: Result, base_url: str) -> None:
    """The problems as a table (line, field, message), a summary, exit code 1 when
    refused, and the invitation links of the new members."""
    from community.invitations import Invitations

    several_files = len(result.plans) > 1
    if result.problems:
        heading = (["file"] if several_files else []) + ["line", "field", "message"]
        rows = [([p.file] if several_files else []) + [str(p.line), p.field, p.message]
                for p in result.problems]
        widths = [max(len(r[i]) for r in [heading, *rows]) for i in range(len(heading) - 1)]
        for row in [heading, *rows]:
            click.echo("  ".join([c.ljust(w) for c, w in zip(row, widths, strict=False)] + [row[-1]]))
    for plan in result.plans:
        click.echo(f"{plan.file}: {len(plan.new)} new, {len(plan.unchanged)} unchanged, "
                   f"{sum(r.outcome == 'problem' for r in plan.rows)} rows with problems.")
    click.echo(result.summary())
    if not result.ok:
        raise click.exceptions.Exit(1)
    if new_members := result.new_member_ids:
        invitations = Invitations(app.settings.secret_key)
        click.echo(f"Send each new member their link to set a password (it works once, "
                   f"for {invitations.days:g} days):")
        for invitation in invitations.invite_all(app, new_members):
            click.echo(f"{invitation.email}  {invitation.link(base_url)}")


@main.command()
@click.option("--email", required=True, help="The member's e-mail address.")
@base_url_option
def invite(email: str, base_url: str) -> None:
    """Print a one-time link for a member without a password to set one."""
    from community.invitations import Invitations

    app = open_community()
    invitations = Invitations(app.settings.secret_key)
    try:
        member = app.member_by_email(email)
    except DomainError:
        raise click.ClickException(f"no member has the e-mail address {email}") from None
    invitation = _run(lambda: invitations.invite(member))
    click.echo(f"A link for {invitation.name} <{invitation.email}> to set a password "
               f"(it works once, for {invitations.days:g} days):")
    click.echo(invitation.link(base_url))


def _run(command: Callable[[], T]) -> T:
    """Run a command, turning domain errors into a clear message and exit code 1."""
    try:
        return command()
    except DomainError as error:
        raise click.ClickException(error.message) from None


@main.command("export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def export_command(file: Path) -> None:
    """Write the event log and documents to FILE as JSON lines with a checksum."""
    from community.backup import export_log

    app = open_community()
    total = app.recorder.max_notification_id() or 0
    if file.exists():
        raise click.ClickException(f"{file} exists; export never overwrites a file")
    # The file holds everything the store does, personal data included: owner-only.
    file.touch(mode=0o600)
    with file.open("w", encoding="utf-8") as out, \
            tqdm(total=total, desc="Exporting", unit=" events") as bar:
        summary = export_log(app, out, progress=bar.update)
    click.echo(f"Exported {summary.events:,} events and {summary.documents:,} documents "
               f"to {file} ({summary.checksum}).")


@main.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(file: Path) -> None:
    """Load an export into an empty store, then rebuild the views from it."""
    from community.backup import BackupRefused, restore_log

    app = open_community()
    try:
        with tqdm(desc="Restoring", unit=" events") as bar:
            summary = restore_log(app, lambda: file.open(encoding="utf-8"),
                                  progress=bar.update)
    except BackupRefused as refusal:
        raise click.ClickException(f"nothing restored: {refusal}") from None
    click.echo(f"Restored {summary.events:,} events and {summary.documents:,} documents "
               f"({summary.checksum}); the views are rebuilt.")


@main.command()
@click.argument("member_id")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def forget(member_id: str, yes: bool) -> None:
    """Forget a member (their id): destroy their key, then rebuild the views."""
    app = open_community()
    member = _run(lambda: app.member(member_id))
    if not yes:
        click.confirm(f"Forget {member.name} <{member.email}> for good? This cannot be undone",
                      abort=True)
    click.echo("Forgetting, then rebuilding the views from the log…")
    done = _run(lambda: app.forget_member(member.id, by=None))
    click.echo(f"Forgotten: {done.member_id} shows as a former member everywhere "
               f"({done.events_replayed:,} events replayed into the views).")


@main.command("export-member")
@click.argument("member_id")
def export_member(member_id: str) -> None:
    """Print everything held about a member (their id) as JSON: the right of access."""
    import json

    app = open_community()
    held = _run(lambda: app.everything_about(member_id))
    click.echo(json.dumps(held, indent=2, ensure_ascii=False))


@main.command()
@click.option("--from", "source", required=True, metavar="URL",
              help="The store to upgrade (read only), e.g. sqlite:///old.sqlite.")
@click.option("--to", "target", required=True, metavar="URL",
              help="A new, empty store to write, e.g. sqlite:///new.sqlite.")
def upgrade(source: str, target: str) -> None:
    """Copy a store into a new, empty one in today's shape by replaying its events:
    members get new random ids and the e-mail index keyed by this instance's secret."""
    from dataclasses import replace

    from community.upgrade import UpgradeError
    from community.upgrade import upgrade as upgrade_store

    started = time.perf_counter()
    app = Community(replace(Settings.from_environment(), database_url=target))
    try:
        done = upgrade_store(source, app)
    except UpgradeError as error:
        raise click.ClickException(str(error)) from None
    finally:
        app.close()
    click.echo(f"Copied {done.events_read:,} events into {done.events_written:,} "
               f"({done.members:,} members with new ids and their e-mail index entries, "
               f"{done.renamed:,} aggregates renamed, {done.documents:,} documents) "
               f"in {time.perf_counter() - started:.1f} s. Serve the new store with "
               f"COMMUNITY_DATABASE_URL={target}")


if __name__ == "__main__":  # `python -m community.cli`: how `serve` starts its worker
    main()
