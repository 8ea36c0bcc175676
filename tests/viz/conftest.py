"""A real headless Chromium for the view tests, and helpers to load a page in it.

Locally a missing Chromium skips the browser tests (with the reason shown by ``-ra``);
with ``CI`` set it fails them, so CI cannot go green without having looked at a page.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from kg.viz.headless import CHROMEDRIVER, CHROMIUM, headless_chromium

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
READY_TIMEOUT_S = 180


def _missing() -> str | None:
    for path in (CHROMIUM, CHROMEDRIVER):
        if not (Path(path).is_file() or shutil.which(path)):
            return f"{path} not found (apt-get install chromium chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium not installed (pip install -e '.[dev]')"
    return None


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    reason = _missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests need Chromium in CI: {reason}")
        pytest.skip(f"browser tests skipped: {reason}")
    driver = headless_chromium(tmp_path_factory.mktemp("chromium-profile"), logs=True)
    driver.set_script_timeout(READY_TIMEOUT_S)
    yield driver
    driver.quit()


class Loaded:
    """A page after its layout finished: console messages and every URL it requested."""

    def __init__(self, driver: Any, path: Path) -> None:
        driver.get_log("browser")
        driver.get_log("performance")  # drop what the start page requested
        uri = path.resolve().as_uri()
        driver.get(uri)
        deadline = time.monotonic() + READY_TIMEOUT_S
        while driver.execute_script("return document.body.dataset.state") != "ready":
            if time.monotonic() > deadline:
                raise AssertionError(f"{path.name}: layout not finished in {READY_TIMEOUT_S}s")
            time.sleep(0.1)
        self.driver = driver
        self.console = driver.get_log("browser")
        # the browser's own start page may still be loading: keep what this page asked for
        self.requests = [
            msg["params"]["request"]["url"]
            for msg in (json.loads(e["message"])["message"] for e in driver.get_log("performance"))
            if msg["method"] == "Network.requestWillBeSent"
            and msg["params"].get("documentURL") == uri
        ]

    def js(self, script: str, *args: Any) -> Any:
        return self.driver.execute_script(script, *args)

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / name
        self.driver.save_screenshot(str(path))
        return path


@pytest.fixture
def load(browser: Any) -> Any:
    return lambda path: Loaded(browser, Path(path))


DEMO = ROOT / "pipelines" / "daily_papers.toml"


@pytest.fixture(scope="session")
def demo_view(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The page `make demo` writes: its pipeline run as is, in memory, with the view only."""
    from kg.jobs.pipeline import load_pipeline, run_pipeline

    pipe = load_pipeline(DEMO)
    assert pipe.view, f"{DEMO} has no [view]"
    out = tmp_path_factory.mktemp("demo") / "graph.html"
    run_pipeline(
        replace(
            pipe,
            sources=[str(ROOT / s) for s in pipe.sources],
            aliases=[str(ROOT / a) for a in pipe.aliases],
            store="memory",
            queries=[],
            exports=[],
            view={**pipe.view, "out": str(out)},
        ),
        echo=lambda _line: None,
    )
    return out
