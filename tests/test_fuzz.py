"""A short run of the fuzzer (``benchmarks/fuzz.py``); the README has the long one."""

from __future__ import annotations

import importlib.util
import sys

from .conftest import ROOT


def _fuzz_module():
    path = ROOT / "benchmarks" / "fuzz.py"
    spec = importlib.util.spec_from_file_location("disclosure_lint_fuzz", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_short_fuzz_run_holds_every_invariant() -> None:
    fuzz = _fuzz_module()
    counts = fuzz.run(examples=40, seed=20260101)
    assert set(counts) == {"loader", "outline", "tables", "engine"}
    engine = counts["engine"][1]
    # the run really exercised the engine, not only the decoder's errors
    assert engine["documents"] >= 20 and engine["findings"] > 0


def test_fuzz_command_line(capsys) -> None:
    fuzz = _fuzz_module()
    assert fuzz.main(["--examples", "5", "--target", "loader", "--seed", "1"]) == 0
    assert "loader: 5 inputs, 0 failures" in capsys.readouterr().out
