"""Fixtures shared by the web and browser tests: the demo course in a database, built once."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from integrity.demo import build_demo, demo_accounts
from integrity.store import Store

DEMO = Path(__file__).resolve().parent.parent / "examples" / "demo_course"


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """The demo course analysed, with its demo accounts (password integrity.demo.DEMO_PASSWORD)."""
    folder = tmp_path_factory.mktemp("demo")
    path = folder / "demo.db"
    store = Store(path)
    build_demo(store, DEMO, folder / "reports")
    demo_accounts(store, DEMO)
    store.db.conn.close()
    return path


def copy_db(source: Path, target: Path) -> Path:
    """A private copy of a database (its write-ahead log folded in first), for tests that change it."""
    with sqlite3.connect(source) as conn:
        conn.execute("pragma wal_checkpoint(truncate)")
    shutil.copy(source, target)
    return target


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Each phase's report on the test item (browser tests take a screenshot when the call failed)."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
