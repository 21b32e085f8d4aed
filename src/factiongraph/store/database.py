"""Opening a store: the database URL, the engine, and schema migrations."""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

ENV_VAR = "FACTIONGRAPH_DB"
DEFAULT_PATH = "factiongraph.db"


def resolve_url(target: str | os.PathLike[str] | None = None) -> str:
    """A database URL from a path, a URL, the ``FACTIONGRAPH_DB`` variable or the default.

    >>> resolve_url("kb.db")
    'sqlite:///kb.db'
    >>> resolve_url("postgresql+psycopg://u@localhost/fg")
    'postgresql+psycopg://u@localhost/fg'
    """
    value = os.fspath(target) if target is not None else os.environ.get(ENV_VAR, DEFAULT_PATH)
    if value == ":memory:":
        return "sqlite://"
    if "://" in value:
        return value
    return f"sqlite:///{value}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        if url != "sqlite://" and path:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        from sqlalchemy.pool import StaticPool

        kwargs: dict = {"connect_args": {"check_same_thread": False}}
        if url == "sqlite://":
            kwargs["poolclass"] = StaticPool  # one shared in-memory database
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", "factiongraph.store:migrations")
    cfg.attributes["engine"] = engine
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (a no-op when it is current)."""
    cfg = alembic_config(engine)
    head = ScriptDirectory.from_config(cfg).get_current_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    if current != head:
        command.upgrade(cfg, "head")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
