"""Packaging: the base install works without any extra, a missing extra is named in one line,
the lock file pins every dependency within its range, and a stale compiled module is reported."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import tomllib
import warnings
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

import form4
from form4 import _build
from form4.errors import MissingExtraError, ReadError
from form4.extras import MODULES, require
from tests.conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
UNLOCKED = {"bench"}  # run by hand, not installed by setup.sh or CI
BLOCKED = ("pypdfium2", "numpy", "PIL", "pytesseract", "psycopg", "psycopg_binary", "dask", "distributed",
           "fastapi", "uvicorn", "plotly", "pandas", "scipy")

# Runs Python as if only the base install were there: importing any extra's module fails as it
# does when the package is absent. Then runs form4's command line with the given arguments.
BOOTSTRAP = textwrap.dedent("""
    import sys

    BLOCKED = set(sys.argv[1].split(","))

    class NoExtras:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, NoExtras())
    for name in list(sys.modules):
        if name.split(".")[0] in BLOCKED:
            del sys.modules[name]
    code = sys.argv[2]
    sys.argv = ["form4", *sys.argv[3:]]
    if code == "cli":
        from form4.cli import app
        app()
    else:
        exec(code)
""")


def base_only(code: str, *args: str, blocked: tuple[str, ...] = BLOCKED) -> subprocess.CompletedProcess[str]:
    here = str(Path(form4.__file__).parents[1])  # the form4 these tests import: the source or the installed build
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (here, os.environ.get("PYTHONPATH"))))}
    return subprocess.run([sys.executable, "-c", BOOTSTRAP, ",".join(blocked), code, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_import_form4_loads_no_extra() -> None:
    done = base_only("import sys, form4; print(sorted({m.split('.')[0] for m in sys.modules}))")
    assert done.returncode == 0, done.stderr
    loaded = set(eval(done.stdout))
    assert "form4" in loaded and not loaded & set(BLOCKED)


def test_xml_parses_with_the_base_install() -> None:
    done = base_only("cli", "parse", "examples/filings/form4-snow.xml")
    assert done.returncode == 0, done.stderr
    assert '"form_type": "4"' in done.stdout


def test_pdf_without_the_pdf_extra_is_one_error_line_naming_it() -> None:
    done = base_only("cli", "--quiet", "parse", "examples/lossy/374WaterForm4.pdf",
                     "examples/filings/form4-snow.xml", "--format", "jsonl")
    assert done.returncode == 1
    assert done.stdout.count("\n") == 1 and '"form_type":"4"' in done.stdout  # the batch went on
    errors = [line for line in done.stderr.splitlines() if line.startswith("error")]
    assert errors == ["error examples/lossy/374WaterForm4.pdf: reading PDFs needs the pdf extra: "
                      "pip install 'form4[pdf]'"], done.stderr
    assert "Traceback" not in done.stderr


def test_read_of_a_pdf_without_the_extra_raises_a_read_error() -> None:
    done = base_only(textwrap.dedent("""
        import form4
        try:
            form4.read("examples/lossy/374WaterForm4.pdf")
        except form4.ReadError as exc:
            print(type(exc).__name__, exc.extra, exc)
    """))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("MissingExtraError pdf examples/lossy/374WaterForm4.pdf: reading PDFs needs")


def test_a_scan_without_the_ocr_extra_names_it() -> None:
    done = base_only(textwrap.dedent("""
        from form4.errors import MissingExtraError
        from form4.readers import pdf
        try:
            pdf._ocr_pages(None, None)  # the check comes before any page is rendered
        except MissingExtraError as exc:
            print(exc)
    """), blocked=("pytesseract",))
    assert done.stdout.strip() == "reading scanned PDFs needs the ocr extra: pip install 'form4[ocr]'", done.stderr


def test_a_postgresql_store_without_the_postgres_extra_names_it() -> None:
    done = base_only("cli", "ingest", "--db", "postgresql://x@127.0.0.1:1/x", "examples/filings/form4-snow.xml")
    assert done.returncode == 1
    assert done.stderr.strip() == "error a PostgreSQL store needs the postgres extra: pip install 'form4[postgres]'"


def test_the_dask_engine_without_the_dask_extra_names_it(tmp_path: Path) -> None:
    done = base_only("cli", "--quiet", "ingest", "--engine", "dask", "--db", str(tmp_path / "f.duckdb"),
                     "examples/filings/form4-snow.xml")
    assert done.returncode == 1
    assert done.stderr.strip() == "error the dask engine needs the dask extra: pip install 'form4[dask]'", done.stderr


def test_require_names_the_extra_and_lets_other_missing_modules_through() -> None:
    with pytest.raises(MissingExtraError, match=r"needs the pandas extra: pip install 'form4\[pandas\]'"):
        require("pandas.no_such_module_here", "pandas", "this")
    with pytest.raises(ModuleNotFoundError):  # not a package of that extra: a bug, raised as it is
        require("no_such_module_here", "pdf", "this")
    assert issubclass(MissingExtraError, ReadError)
    assert set(BLOCKED) <= {m for names in MODULES.values() for m in names}


# --- the lock file ----------------------------------------------------------------------------

def locked() -> dict[str, Version]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"requirements.lock: {line!r} is not name==version"
            pins[canonicalize_name(name)] = Version(version)
    return pins


def declared() -> list[Requirement]:
    project = PYPROJECT["project"]
    requirements = [Requirement(r) for r in project["dependencies"]]
    for extra, listed in project["optional-dependencies"].items():
        if extra not in UNLOCKED:
            requirements += [Requirement(r) for r in listed if Requirement(r).name != "form4"]
    return requirements


def test_the_lock_pins_every_dependency_within_its_range() -> None:
    pins = locked()
    for requirement in declared():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"requirements.lock lacks {requirement.name}: run scripts/lock.sh"
        assert requirement.specifier.contains(pins[name], prereleases=True), \
            f"requirements.lock has {name}=={pins[name]}, outside {requirement}: run scripts/lock.sh"
        for extra in requirement.extras:  # e.g. psycopg[binary] brings psycopg-binary
            if (name, extra) == ("psycopg", "binary"):
                assert "psycopg-binary" in pins


def test_every_dependency_is_a_range_and_the_build_is_pinned() -> None:
    for requirement in declared():
        assert any(s.operator in (">=", "~=") for s in requirement.specifier), f"{requirement} has no lower bound"
        assert not any(s.operator == "==" for s in requirement.specifier), f"{requirement} is pinned, not a range"
    assert all("==" in r for r in PYPROJECT["build-system"]["requires"])
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert {"pdf", "ocr", "postgres", "dask", "web", "pandas", "analytics", "all", "test", "bench"} <= set(extras)
    everything = re.fullmatch(r"form4\[(.+)\]", extras["all"][0])
    assert everything and set(everything.group(1).split(",")) == set(extras) - {"all", "test", "bench"}


def test_setup_installs_from_the_lock() -> None:
    assert 'pip install --quiet -c requirements.lock ".[all,test]"' in (ROOT / "scripts" / "setup.sh").read_text()


# --- stale compiled modules -------------------------------------------------------------------

def _package(tmp_path: Path, source_age: float) -> Path:
    package = tmp_path / "form4"
    (package / "readers").mkdir(parents=True)
    extension = package / "readers" / f"xml{_build.importlib.machinery.EXTENSION_SUFFIXES[0]}"
    source = package / "readers" / "xml.py"
    extension.write_bytes(b"")
    source.write_text("")
    built = extension.stat().st_mtime
    os.utime(source, (built + source_age, built + source_age))
    (package / "lonely.py").write_text("")  # pure modules have no extension beside them
    return package


def test_a_source_newer_than_its_compiled_module_warns(tmp_path: Path) -> None:
    package = _package(tmp_path, source_age=60)
    assert [m for m, _, _ in _build.stale_modules(package)] == ["form4.readers.xml"]
    with pytest.warns(_build.StaleBuildWarning, match=r"form4\.readers\.xml .*rebuild: pip install \."):
        _build.warn_if_stale(package)


def test_a_fresh_build_does_not_warn(tmp_path: Path) -> None:
    package = _package(tmp_path, source_age=0.5)  # written just after it, as pip installs a wheel
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _build.warn_if_stale(package)
    assert _build.stale_modules(package) == []


def test_an_editable_install_compiles_nothing() -> None:
    setup = (ROOT / "setup.py").read_text()
    assert '"editable_wheel"' in setup and "not EDITABLE" in setup
