"""The rule pack kept between runs (`proa.law.packcache`): same pack, rebuilt when anything
it is built from changes, never an error when the cache cannot be used."""

from __future__ import annotations

from pathlib import Path

import pytest

from proa.core.engine import Engine
from proa.law import RulePack, packcache
from tests.conftest import example_case


class Built:
    """Counts the builds."""

    count = 0

    def __init__(self) -> None:
        Built.count += 1
        self.value = "pack"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PROA_CACHE", str(tmp_path / "cache"))
    Built.count = 0
    return tmp_path / "cache"


def test_built_once_then_read(cache: Path) -> None:
    assert packcache.load(Built).value == "pack"
    assert packcache.load(Built).value == "pack"
    assert Built.count == 1
    (kept,) = cache.glob("pack-*.pickle")
    assert kept.stat().st_mode & 0o077 == 0  # the user's own


def test_a_changed_source_builds_afresh_and_the_latest_few_are_kept(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    packcache.load(Built)
    monkeypatch.setattr(packcache, "digest", lambda: "changed")
    packcache.load(Built)
    assert Built.count == 2
    assert len(list(cache.glob("pack-*.pickle"))) == 2  # another install's stays
    for n in range(packcache.KEEP + 3):
        monkeypatch.setattr(packcache, "digest", lambda n=n: f"version{n}")
        packcache.load(Built)
    kept = {p.name for p in cache.glob("pack-*.pickle")}
    assert len(kept) == packcache.KEEP
    assert f"pack-version{packcache.KEEP + 2}.pickle" in kept


def test_a_damaged_cache_is_rebuilt(cache: Path) -> None:
    packcache.load(Built)
    (kept,) = cache.glob("pack-*.pickle")
    kept.write_bytes(b"not a pickle")
    assert packcache.load(Built).value == "pack"
    assert Built.count == 2


def test_no_cache_where_it_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("PROA_CACHE", str(blocker / "cache"))  # under a file: unwritable
    Built.count = 0
    assert packcache.load(Built).value == "pack"
    assert packcache.load(Built).value == "pack"
    assert Built.count == 2
    monkeypatch.setenv("PROA_CACHE", "off")
    packcache.load(Built)
    assert Built.count == 3 and not list(tmp_path.rglob("pack-*"))


def test_the_kept_pack_is_the_pack(cache: Path) -> None:
    fresh = RulePack()
    kept = packcache.load(RulePack)  # built and written
    again = packcache.load(RulePack)  # read back
    assert again.version == kept.version == fresh.version
    case = example_case()
    kept_result = Engine(again).evaluate(case).model_dump(mode="json")
    assert kept_result == Engine(fresh).evaluate(case).model_dump(mode="json")


def test_the_digest_covers_the_law_and_the_engine() -> None:
    names = {p.name for source in packcache.SOURCES for p in source.rglob("*.yaml")}
    assert {"sources.yaml", "catalogue.yaml"} <= names
    assert len(packcache.digest()) == 24
