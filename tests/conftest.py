"""Shared fixtures: the shipped graph, a CLI runner that goes through kgtool's own error handling."""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from typer.testing import CliRunner

from kgtool.cli import program
from kgtool.options import EngineName, InferMode
from kgtool.query import catalog
from kgtool.query.engines import make_engine
from kgtool.query.lookup import bind_all
from kgtool.query.prepared import PreparedQuery, prepare
from kgtool.query.result import Bindings, Result
from kgtool.store import graph_folder as kgmod
from kgtool.store.dataset import open_dataset

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: CI (.ci/run) sets KGTOOL_REQUIRE_TOOLS=1: a test that needs an outside tool then fails, never skips.
REQUIRE_TOOLS = os.environ.get("KGTOOL_REQUIRE_TOOLS") == "1"


def needs_tool(present: bool, missing: str) -> pytest.MarkDecorator:
    """Mark a test that needs an outside tool: skipped when it is missing, except under
    KGTOOL_REQUIRE_TOOLS=1, where the test runs (and fails)."""
    return pytest.mark.skipif(not present and not REQUIRE_TOOLS, reason=missing)


def require_tool(present: bool, missing: str) -> None:
    """Inside a test or fixture: skip when an outside tool is missing (`missing` says which and how to
    install it), or fail under KGTOOL_REQUIRE_TOOLS=1."""
    if present:
        return
    if REQUIRE_TOOLS:
        pytest.fail(f"KGTOOL_REQUIRE_TOOLS=1 but {missing}")
    pytest.skip(missing)


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


def run_cli(
    args: list[str], env: dict[str, str] | None = None, input: str | bytes | None = None
) -> CliResult:
    """Run kgtool in-process through typer's CliRunner isolation and kgtool's own `program()` edge."""
    runner = CliRunner()
    with runner.isolation(input=input, env=env) as streams:
        code = program([str(a) for a in args])
        out, err = streams[0], streams[1]
        return CliResult(code, out.getvalue().decode(), err.getvalue().decode())


@pytest.fixture
def cli():
    """`cli(["query", "timeline"])` -> CliResult(exit_code, stdout, stderr)."""
    return run_cli


class QueryRunner:
    """Runs queries through the library the way `kgtool query` and `kgtool sparql` do: prepare (the
    read-only check), bind the parameters, open the dataset, execute on the chosen engine. Engine and
    inference mode may be given as a user types them; they are parsed as the CLI edge parses them."""

    def text(
        self,
        kg: kgmod.KnowledgeGraph,
        text: str,
        bindings: Bindings | None = None,
        *,
        engine: str | EngineName = EngineName.OXIGRAPH,
        infer: str | InferMode = InferMode.NONE,
        source: str = "<query>",
    ) -> Result:
        """An ad-hoc query, with bindings already made RDF terms."""
        return self.prepared(kg, prepare(text, source), bindings or {}, engine=engine, infer=infer)

    def saved(
        self,
        kg: kgmod.KnowledgeGraph,
        name: str,
        values: dict[str, str] | None = None,
        *,
        engine: str | EngineName = EngineName.OXIGRAPH,
        infer: str | InferMode = InferMode.NONE,
    ) -> Result:
        """The graph's saved query `name`, with parameter values as a user types them."""
        return self.query(kg, catalog.load(kg.query_dir, name), values, engine=engine, infer=infer)

    def query(
        self,
        kg: kgmod.KnowledgeGraph,
        saved: catalog.SavedQuery,
        values: dict[str, str] | None = None,
        *,
        engine: str | EngineName = EngineName.OXIGRAPH,
        infer: str | InferMode = InferMode.NONE,
    ) -> Result:
        """A parsed saved query, with parameter values as a user types them (names looked up through
        the engine, as the CLI does)."""
        dataset = open_dataset(kg, InferMode.parse(infer))
        runner = make_engine(EngineName.parse(engine), dataset.store)
        known = {**dataset.prefixes, **saved.prefixes}
        bindings = bind_all(runner, saved.params, values or {}, known)
        return runner.execute(saved.prepared.for_run(dataset.prefixes), bindings)

    def prepared(
        self,
        kg: kgmod.KnowledgeGraph,
        query: PreparedQuery,
        bindings: Bindings,
        *,
        engine: str | EngineName,
        infer: str | InferMode,
    ) -> Result:
        store = open_dataset(kg, InferMode.parse(infer)).store
        return make_engine(EngineName.parse(engine), store).execute(query, bindings)


@pytest.fixture(scope="session")
def run() -> QueryRunner:
    """`run.saved(kg, "timeline", engine="rdflib")`, `run.text(kg, "ASK {}")`: queries run as the CLI does."""
    return QueryRunner()


EVENT_LABELS = """
PREFIX kgo: <https://w3id.org/kgtool/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?label WHERE { ?event kgo:eventType ?type ; rdfs:label ?label }
"""


@pytest.fixture(scope="session")
def event_labels(run, shipped_kg) -> list[str]:
    result = run.text(shipped_kg, EVENT_LABELS)
    labels = sorted(row[0].value for row in result.rows)
    assert len(labels) == 11
    return labels


@pytest.fixture(scope="session")
def shipped_kg() -> kgmod.KnowledgeGraph:
    """The graph shipped with kgtool (the checkout's ontology/, data/, queries/)."""
    return kgmod.locate(None)


@pytest.fixture
def kg_copy(tmp_path: Path, shipped_kg: kgmod.KnowledgeGraph) -> Path:
    """A writable copy of the shipped graph, for commands that change it."""
    dest = tmp_path / "kg"
    for part in ("ontology", "data", "queries"):
        src = shipped_kg.root / part
        if src.is_dir():
            shutil.copytree(src, dest / part)
    return dest


@pytest.fixture(autouse=True, scope="session")
def _session_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """No test writes kgtool's closure or index cache into the user's home folder."""
    before = os.environ.get("KGTOOL_CACHE")
    os.environ["KGTOOL_CACHE"] = str(tmp_path_factory.mktemp("kgtool-cache"))
    yield
    if before is None:
        os.environ.pop("KGTOOL_CACHE", None)
    else:
        os.environ["KGTOOL_CACHE"] = before


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty cache folder for this test alone."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("KGTOOL_CACHE", str(cache))
    return cache


@pytest.fixture(scope="session")
def generator() -> ModuleType:
    """benchmarks/generate.py, the synthetic graph generator of the benchmarks, loaded here once:
    `generator.generate(n, folder)` writes a graph of about n triples in the project's vocabulary."""
    spec = importlib.util.spec_from_file_location(
        "kgtool_benchmark_generate", ROOT / "benchmarks" / "generate.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- headless Chromium (Debian `chromium`, driven by Playwright: no browser download) ---------------

CHROMIUM = os.environ.get("KGTOOL_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """A Chromium profile of its own (a fresh --user-data-dir). Where Chromium is missing the tests
    skip, unless KGTOOL_REQUIRE_TOOLS=1 (as in .ci/run): then a missing browser fails."""
    require_tool(
        Path(CHROMIUM).is_file(), f"there is no Chromium at {CHROMIUM} (Debian: apt-get install chromium)"
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_FLAGS,
        )
        yield context
        context.close()


@pytest.fixture(scope="session")
def load_page(browser_context: Any) -> Callable[..., dict[str, list[str]]]:
    """`load_page(url)`: open a URL in a new tab; what it logged, threw, requested and showed
    (`text`: the body's visible text; `svg`: how many SVG elements; `dialogs`: alerts it opened;
    `fragment`: the text of the element a URL's #fragment names)."""

    def load(url: str) -> dict[str, list[str]]:
        page = browser_context.new_page()
        seen: dict[str, list[str]] = {k: [] for k in ("console", "errors", "requests", "failed", "dialogs")}
        page.on("console", lambda m: seen["console"].append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: seen["errors"].append(str(e)))
        page.on("request", lambda r: seen["requests"].append(r.url))
        page.on("requestfailed", lambda r: seen["failed"].append(r.url))
        page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
        page.goto(url, wait_until="load")
        page.wait_for_timeout(300)  # anything late (a font, an image) would show up here
        seen["text"] = [page.inner_text("body")]
        seen["svg"] = [str(page.locator("svg").count())]
        fragment = url.partition("#")[2]
        seen["fragment"] = [page.locator(f"[id='{fragment}']").inner_text()] if fragment else []
        page.close()
        return seen

    return load
