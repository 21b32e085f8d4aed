"""Commands over the knowledge base: ingest, entities, show, relations, add, review, export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from factiongraph.cli.app import (
    DbOption,
    JsonOption,
    app,
    console,
    emit_json,
    err_console,
    fail,
    open_kb,
    table,
)
from factiongraph.models import Assertion, AssertionIn, EntityKind, EvidenceIn


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (read recursively).")],
    db: DbOption = None,
    title: Annotated[str | None, typer.Option(help="Title for the document(s).")] = None,
    author: Annotated[list[str] | None, typer.Option(help="Author; repeat for several.")] = None,
    published: Annotated[
        str | None, typer.Option(help="Publication date, e.g. 2017-12-14.")
    ] = None,
    publisher: Annotated[str | None, typer.Option(help="Publisher.")] = None,
    extract: Annotated[
        bool, typer.Option(help="Extract assertions as documents are stored.")
    ] = True,
    workers: Annotated[int, typer.Option(min=1, max=8, help="Processes for extraction.")] = 1,
    max_mb: Annotated[float, typer.Option(help="Refuse files larger than this (MB).")] = 50.0,
    json_out: JsonOption = False,
) -> None:
    """Read documents, store them, and extract their assertions.

    Same as ``factiongraph.ingest.ingest(kb, paths, ...)`` in Python.
    """
    from factiongraph.ingest import ingest as run_ingest
    from factiongraph.ingest import plan

    overrides = {"title": title, "authors": author, "published": published, "publisher": publisher}
    total = len(plan(paths))
    with open_kb(db) as kb:
        progress = Progress(
            TextColumn("[bold]ingest"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
            console=err_console,
            transient=True,
            disable=json_out,
        )
        with progress:
            task = progress.add_task("", total=total)

            def on_file(outcome) -> None:  # type: ignore[no-untyped-def]
                progress.update(task, advance=1, description=Path(outcome.path).name)
                if outcome.status == "failed":
                    progress.console.print(
                        f"[red]failed[/red] {outcome.path}: {outcome.reason}", highlight=False
                    )

            report = run_ingest(
                kb,
                [str(p) for p in paths],
                overrides=overrides,
                extract=extract,
                workers=workers,
                max_bytes=int(max_mb * 1024 * 1024),
                on_file=on_file,
            )
    if json_out:
        emit_json([o.__dict__ for o in report.outcomes])
    else:
        for o in report.outcomes:
            if o.status in ("new", "new_version"):
                label = "stored" if o.status == "new" else "stored new version of"
                console.print(f"{label} {o.key} ({o.assertions} assertions)", highlight=False)
        unchanged = report.count("unchanged")
        stored = report.stored
        if stored == 0 and unchanged and not report.failed:
            console.print(f"nothing to store: {unchanged} document(s) already stored unchanged")
        else:
            console.print(
                f"{stored} stored, {unchanged} unchanged, {len(report.failed)} failed",
                highlight=False,
            )
    if report.failed:
        raise typer.Exit(1)


@app.command()
def extract(
    db: DbOption = None,
    workers: Annotated[int, typer.Option(min=1, max=8, help="Processes for extraction.")] = 1,
) -> None:
    """Run extraction again over every stored document (e.g. after a gazetteer change).

    Machine assertions are replaced; analysts' assertions and decisions are kept.
    """
    from factiongraph.ingest import reextract

    with open_kb(db) as kb:
        total = reextract(
            kb,
            workers=workers,
            on_document=lambda key, n: console.print(f"{key}: {n} assertions", highlight=False),
        )
    console.print(f"{total} assertions stored")


@app.command()
def documents(
    versions: Annotated[bool, typer.Option(help="Every version, not only the latest.")] = False,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """List stored documents with their metadata and content hash."""
    with open_kb(db) as kb:
        docs = kb.documents(all_versions=versions)
    if json_out:
        emit_json([d.model_dump(mode="json") for d in docs])
        return
    table(
        f"{len(docs)} documents",
        ["id", "key", "version", "title", "authors", "published", "chars"],
        [
            [d.id, d.key, d.version, d.title, ", ".join(d.authors), d.published, d.chars]
            for d in docs
        ],
    )


def _entity_row(e) -> list:  # type: ignore[no-untyped-def]
    return [e.id, e.name, e.kind.value, e.category or "", e.parent or "", ", ".join(e.aliases[:6])]


@app.command()
def entities(
    query: Annotated[str | None, typer.Argument(help="Search by any name or alias.")] = None,
    kind: Annotated[EntityKind | None, typer.Option(help="Only this kind.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 200,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """List entities, or search them by any of their names."""
    with open_kb(db) as kb:
        found = (
            kb.search_entities(query, kind=kind, limit=limit) if query else kb.entities(kind=kind)
        )
    found = found[:limit]
    if json_out:
        emit_json([e.model_dump(mode="json") for e in found])
        return
    table(
        None,
        ["id", "name", "kind", "category", "parent", "aliases"],
        [_entity_row(e) for e in found],
    )


def _assertion_row(a: Assertion) -> list:
    return [
        a.id,
        a.subject,
        a.predicate.value,
        a.object,
        a.valid_time or "",
        a.modality.value + (f" ({a.claimant})" if a.claimant else ""),
        a.document_key or a.origin,
        a.review_status.value,
    ]


ASSERTION_COLUMNS = ["id", "subject", "predicate", "object", "when", "modality", "source", "review"]


@app.command()
def show(
    entity: Annotated[str, typer.Argument(help="Any name or alias of the entity.")],
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """An entity: aliases, parent and factions, and its assertions over time with evidence."""
    with open_kb(db) as kb:
        e = kb.find_entity(entity)
        factions = kb.factions(e.id)
        items = kb.assertions(e.id)
    if json_out:
        emit_json(
            {
                "entity": e.model_dump(mode="json"),
                "factions": [f.model_dump(mode="json") for f in factions],
                "assertions": [a.model_dump(mode="json") for a in items],
            }
        )
        return
    console.print(
        f"[bold]{e.name}[/bold]  ({e.kind.value}{', ' + e.category if e.category else ''})"
    )
    if e.aliases:
        console.print("aliases: " + ", ".join(e.aliases), highlight=False)
    if e.parent:
        console.print(f"part of: {e.parent}", highlight=False)
    if factions:
        console.print("factions: " + ", ".join(f.name for f in factions), highlight=False)
    if e.note:
        console.print(f"note: {e.note}", highlight=False)
    for a in items:
        when = a.valid_time or "undated"
        console.print(
            f"\n[bold]{when}[/bold]  {a.subject} [cyan]{a.predicate.value}[/cyan] {a.object}"
            f"  [dim]{a.modality.value}{' per ' + a.claimant if a.claimant else ''}; "
            f"#{a.id}; {a.review_status.value}[/dim]",
            highlight=False,
        )
        if a.quote:
            console.print(f"  “{a.quote}”  [dim]{a.document_key}[/dim]", highlight=False)


@app.command()
def relations(
    actor: Annotated[str | None, typer.Option(help="Assertions involving this entity.")] = None,
    between: Annotated[
        tuple[str, str] | None, typer.Option(help="Assertions linking two entities.")
    ] = None,
    factions: Annotated[bool, typer.Option(help="Include the entities' factions.")] = False,
    on: Annotated[str | None, typer.Option(help="Held on this date (YYYY[-MM[-DD]]).")] = None,
    from_: Annotated[str | None, typer.Option("--from", help="Window start date.")] = None,
    to: Annotated[str | None, typer.Option(help="Window end date.")] = None,
    predicate: Annotated[list[str] | None, typer.Option(help="Only these predicates.")] = None,
    modality: Annotated[list[str] | None, typer.Option(help="Only these modalities.")] = None,
    document: Annotated[str | None, typer.Option(help="Only from this document key.")] = None,
    undated: Annotated[bool, typer.Option(help="Keep undated ones in time queries.")] = False,
    rejected: Annotated[bool, typer.Option(help="Include rejected assertions.")] = False,
    limit: Annotated[int | None, typer.Option(help="At most this many.")] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Query assertions by actor, pair, date or window, predicate and modality."""
    with open_kb(db) as kb:
        items = kb.assertions(
            actor,
            include_factions=factions,
            between=between,
            predicate=predicate or None,
            modality=modality or None,
            on=on,
            start=from_,
            end=to,
            include_undated=undated,
            document=document,
            include_rejected=rejected,
            limit=limit,
        )
    if json_out:
        emit_json([a.model_dump(mode="json") for a in items])
        return
    table(f"{len(items)} assertions", ASSERTION_COLUMNS, [_assertion_row(a) for a in items])


@app.command()
def add(
    subject: Annotated[str, typer.Argument(help="Subject entity (name or alias).")],
    predicate: Annotated[str, typer.Argument(help="One of the 16 predicates.")],
    obj: Annotated[str, typer.Argument(metavar="OBJECT", help="Object entity (name or alias).")],
    when: Annotated[
        str | None, typer.Option(help="Valid time, EDTF (2017-10, 2015~/2016).")
    ] = None,
    modality: Annotated[
        str, typer.Option(help="asserted, reported, alleged or denied.")
    ] = "asserted",
    claimant: Annotated[str | None, typer.Option(help="Who says so.")] = None,
    place: Annotated[str | None, typer.Option(help="Where it held.")] = None,
    document: Annotated[str | None, typer.Option(help="Evidence document key or id.")] = None,
    quote: Annotated[str | None, typer.Option(help="Evidence quote.")] = None,
    start: Annotated[int | None, typer.Option(help="Evidence start offset.")] = None,
    end: Annotated[int | None, typer.Option(help="Evidence end offset.")] = None,
    analyst: Annotated[str, typer.Option(help="Who adds it.")] = "analyst",
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Add an analyst's assertion, with its evidence."""
    try:
        item = AssertionIn(
            subject=subject,
            predicate=predicate,
            object=obj,
            valid_time=when,
            modality=modality,
            claimant=claimant,
            place=place,
            evidence=EvidenceIn(quote=quote, start=start, end=end),
            origin=f"analyst:{analyst}",
        )
    except ValueError as exc:
        raise fail(_first_error(exc)) from None
    with open_kb(db) as kb:
        a = kb.add_assertion(item, document=document)
    if json_out:
        emit_json(a.model_dump(mode="json"))
    else:
        console.print(f"added assertion #{a.id}", highlight=False)


def _first_error(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        e = errors()[0]
        return f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
    return str(exc)


@app.command()
def review(
    assertion_id: Annotated[int, typer.Argument(help="Assertion id.")],
    decision: Annotated[str, typer.Argument(help="accept, reject or edit.")],
    predicate: Annotated[str | None, typer.Option(help="Edit: new predicate.")] = None,
    swap: Annotated[bool, typer.Option(help="Edit: reverse subject and object.")] = False,
    when: Annotated[str | None, typer.Option(help="Edit: new valid time (EDTF).")] = None,
    modality: Annotated[str | None, typer.Option(help="Edit: new modality.")] = None,
    note: Annotated[str | None, typer.Option(help="Why.")] = None,
    reviewer: Annotated[str | None, typer.Option(help="Who decides.")] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Accept, reject or edit an assertion; decisions survive re-extraction."""
    decisions = {"accept": "accepted", "reject": "rejected", "edit": "edited"}
    if decision not in decisions:
        raise fail(f"unknown decision {decision!r} (choose from: accept, reject, edit)")
    changes: dict = {}
    if predicate:
        changes["predicate"] = predicate
    if swap:
        changes["swap"] = True
    if when:
        changes["valid_time"] = when
    if modality:
        changes["modality"] = modality
    with open_kb(db) as kb:
        a = kb.review(
            assertion_id, decisions[decision], changes=changes, reviewer=reviewer, note=note
        )
    if json_out:
        emit_json(a.model_dump(mode="json"))
    else:
        console.print(f"#{a.id} {a.review_status.value}", highlight=False)


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="facts, csv, graphml, gexf or stix.")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="File (folder for csv).")] = None,
    db: DbOption = None,
) -> None:
    """Export the knowledge base: facts JSONL, CSV tables, GraphML, GEXF or STIX 2.1."""
    import sys

    from factiongraph.export import FORMATS

    if fmt not in FORMATS:
        raise fail(f"unknown format {fmt!r} (choose from: {', '.join(FORMATS)})")
    if fmt in ("csv", "graphml", "gexf") and out is None:
        raise fail(f"--out is required for {fmt}")
    with open_kb(db) as kb:
        if fmt == "facts":
            from factiongraph.export.facts import write_facts

            if out is None:
                n = write_facts(kb, sys.stdout)
            else:
                with out.open("w", encoding="utf-8") as f:
                    n = write_facts(kb, f)
        elif fmt == "csv":
            from factiongraph.export.tables import write_csv

            write_csv(kb, out)  # type: ignore[arg-type]
            n = None
        elif fmt == "graphml":
            from factiongraph.export.graphml import write_graphml

            n = write_graphml(kb, out).number_of_edges()  # type: ignore[arg-type]
        elif fmt == "gexf":
            from factiongraph.export.gexf import write_gexf

            n = write_gexf(kb, out).number_of_edges()  # type: ignore[arg-type]
        else:
            from factiongraph.export.stix import write_stix

            if out is None:
                n = write_stix(kb, sys.stdout)
            else:
                with out.open("w", encoding="utf-8") as f:
                    n = write_stix(kb, f)
    if out is not None:
        err_console.print(f"wrote {out}" + (f" ({n} relations)" if n is not None else ""))


@app.command("build-bundle")
def build_bundle(
    corpus: Annotated[Path, typer.Argument(help="Folder of the corpus (with catalog.json).")],
    workers: Annotated[int, typer.Option(min=1, max=8, help="Processes for extraction.")] = 1,
) -> None:
    """Regenerate the bundled default data set from a corpus and the review decisions file."""
    from factiongraph.bundled import DATASET, build_dataset

    unmatched: list[str] = []
    try:
        counts = build_dataset(corpus, workers=workers, unmatched=unmatched)
    except (OSError, ValueError) as exc:
        raise fail(str(exc)) from None
    console.print(
        f"wrote {DATASET}: " + ", ".join(f"{v} {k}" for k, v in counts.items()),
        highlight=False,
    )
    for rule in unmatched:
        err_console.print(f"no fact matches the decision: {rule}", highlight=False)
