"""CI output formats (sarif, github, junit) and ``--output``.

Counts are never pinned to the seeds (other rules will add findings there):
each test compares a format with the JSON output of the same run, or lints a
small draft written in ``tmp_path``.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from disclosure_lint.document.findings import Category, Finding, Severity
from disclosure_lint.document.text import Position, Span
from disclosure_lint.engine.lint import FileResult
from disclosure_lint.formatters import FORMATS, FormatContext, Summary
from disclosure_lint.formatters.github import escape_data, escape_property
from disclosure_lint.formatters.junit import JunitFormatter

from .conftest import EXAMPLES, SEEDS

DEFECTS = EXAMPLES / "defects-2021.txt"
SARIF_SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "data"
SARIF_SCHEMA = SARIF_SCHEMA / "sarif-schema-2.1.0.json"

# A minimal draft: a title, the period sentence and one TY003 typo per
# paragraph line, so tests can make as many warnings as they need.
HEAD = (
    "青山镇人民政府2021年政府信息公开工作年度报告\n"
    "本报告所列数据的统计期限自2021年1月1日起至2021年12月31日止。\n"
    "一、总体情况\n"
)
TYPO_LINE = "截止2021年底，共收到申请1件。\n"


def sarif_validator() -> jsonschema.protocols.Validator:
    if not SARIF_SCHEMA.is_file():
        pytest.fail(
            f"SARIF 2.1.0 schema not found at {SARIF_SCHEMA}: clone the repository "
            "with ../shared beside it (shared/data/sarif-schema-2.1.0.json)"
        )
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def assert_valid_sarif(log: dict) -> None:
    errors = sorted(sarif_validator().iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(
        f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors[:10]
    )


def json_findings(cli, *args) -> list[dict]:
    result = cli(*args, "--format", "json")
    return json.loads(result.out)["findings"]


# --------------------------------------------------------------------------
# SARIF


def test_sarif_validates_against_the_2_1_0_schema(cli, tmp_path) -> None:
    missing = tmp_path / "missing.txt"
    paths = (DEFECTS, SEEDS, missing)
    result = cli(*paths, "--format", "sarif", "--statistics")
    assert result.code == 2  # the missing file
    log = json.loads(result.out)
    assert_valid_sarif(log)

    run = log["runs"][0]
    assert log["version"] == "2.1.0"
    assert run["columnKind"] == "unicodeCodePoints"
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    for rule in rules:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert rule["properties"]["category"] in {c.value for c in Category}

    expected = json_findings(cli, *paths)
    results = run["results"]
    assert len(results) == len(expected)
    levels = {"error": "error", "warning": "warning", "info": "note"}
    for res, want in zip(results, expected, strict=True):
        assert res["ruleId"] == want["rule"]
        assert rules[res["ruleIndex"]]["id"] == want["rule"]
        assert res["level"] == levels[want["severity"]]
        assert res["message"]["text"] == want["message"]
        loc = res["locations"][0]["physicalLocation"]
        assert loc["region"] == {
            **loc["region"],
            "startLine": want["line"],
            "startColumn": want["column"],
            "endLine": want["end_line"],
            "endColumn": want["end_column"],
        }
        uri = loc["artifactLocation"]["uri"]
        assert not uri.startswith("/")
        fix = want.get("fix")
        if fix and fix["safe"]:
            (change,) = res["fixes"][0]["artifactChanges"]
            (replacement,) = change["replacements"]
            assert replacement["insertedContent"]["text"] == fix["replacement"]
            assert replacement["deletedRegion"]["startLine"] == fix["line"]
            assert replacement["deletedRegion"]["startColumn"] == fix["column"]
        else:
            assert "fixes" not in res
    # the file that could not be read
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and "missing.txt" in note["message"]["text"]
    stats = run["properties"]["statistics"]
    assert sum(stats.values()) == len(results)


def test_sarif_uris_are_relative_to_the_checkout(cli, tmp_path) -> None:
    (tmp_path / "报告").mkdir()
    draft = tmp_path / "报告" / "年度 报告.txt"
    draft.write_text(HEAD + TYPO_LINE, encoding="utf-8")
    with contextlib.chdir(tmp_path):
        log = json.loads(cli(draft.resolve(), "--format", "sarif").out)
    assert_valid_sarif(log)
    run = log["runs"][0]
    assert run["invocations"][0]["executionSuccessful"] is True
    location = run["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {
        "uri": "%E6%8A%A5%E5%91%8A/%E5%B9%B4%E5%BA%A6%20%E6%8A%A5%E5%91%8A.txt",
        "uriBaseId": "%SRCROOT%",
    }


def _fingerprints(cli, path: Path) -> list[tuple[str, str, int]]:
    # NOTE: relative to the draft's directory, like a CI checkout; the cli
    # fixture undoes monkeypatch after each call, so chdir here.
    with contextlib.chdir(path.parent):
        log = json.loads(cli(path.name, "--format", "sarif").out)
    return [
        (
            r["ruleId"],
            r["partialFingerprints"]["disclosureLint/v1"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in log["runs"][0]["results"]
    ]


def test_sarif_fingerprints_survive_edits_elsewhere(cli, tmp_path):
    draft = tmp_path / "draft.txt"
    lines = DEFECTS.read_text(encoding="utf-8").splitlines(keepends=True)
    draft.write_text("".join(lines), encoding="utf-8")
    before = _fingerprints(cli, draft)
    # a new paragraph above most findings (after the opening paragraph)
    lines.insert(8, "全年召开政务公开专题会议2次。\n")
    draft.write_text("".join(lines), encoding="utf-8")
    after = _fingerprints(cli, draft)

    assert len(before) == len(after) >= 5
    assert sorted((r, f) for r, f, _ in before) == sorted((r, f) for r, f, _ in after)
    moved = [(b, a) for b, a in zip(before, after, strict=True) if b[2] != a[2]]
    assert moved and all(a[2] == b[2] + 1 for b, a in moved)
    # and an edit of the flagged line itself does change its fingerprint
    changed = [line.replace("截止2021年底", "截止2021年末") for line in lines]
    draft.write_text("".join(changed), encoding="utf-8")
    edited = dict((r, f) for r, f, _ in _fingerprints(cli, draft))
    assert edited["TY003"] != dict((r, f) for r, f, _ in after)["TY003"]


def test_sarif_fingerprints_tell_identical_lines_apart(cli, tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text(HEAD + TYPO_LINE * 3, encoding="utf-8")
    prints = [f for rule, f, _ in _fingerprints(cli, draft) if rule == "TY003"]
    assert len(prints) == 3 and len(set(prints)) == 3


# --------------------------------------------------------------------------
# GitHub Actions


def test_github_escaping() -> None:
    assert escape_data("50% done\r\nnext: a,b") == "50%25 done%0D%0Anext: a,b"
    assert escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"


def test_github_annotations_match_findings(cli) -> None:
    result = cli(DEFECTS, "--format", "github", "--lang", "en")
    expected = json_findings(cli, DEFECTS, "--lang", "en")
    lines = result.out.splitlines()
    annotations = [line for line in lines if line.startswith("::")]
    assert len(annotations) == len(expected)
    kinds = [line[2 : line.index(" ")] for line in annotations]
    order = {"error": 0, "warning": 1, "notice": 2}
    assert kinds == sorted(kinds, key=order.__getitem__), "errors must come first"
    commands = {"error": "error", "warning": "warning", "info": "notice"}
    cwd = Path.cwd()
    path = DEFECTS.relative_to(cwd) if DEFECTS.is_relative_to(cwd) else DEFECTS
    for f in expected:
        assert (
            f"::{commands[f['severity']]} file={path.as_posix()},"
            f"line={f['line']},col={f['column']},endLine={f['end_line']},"
            f"endColumn={f['end_column']},title={f['rule']} {f['name']}::"
            + escape_data(f["message"])
        ) in annotations
    assert lines[-1].startswith(f"disclosure-lint: {len(expected)} finding(s)")


def test_github_cap_is_reported(cli, tmp_path) -> None:
    draft = tmp_path / "a,b:c.txt"
    draft.write_text(HEAD + TYPO_LINE * 13, encoding="utf-8")
    result = cli(draft, "--format", "github", "--lang", "en", "--statistics")
    lines = result.out.splitlines()
    annotations = [line for line in lines if line.startswith("::")]
    warnings = [line for line in annotations if line.startswith("::warning ")]
    errors = [line for line in annotations if line.startswith("::error ")]
    typos = [f for f in json_findings(cli, draft) if f["rule"] == "TY003"]
    assert len(warnings) >= len(typos) == 13
    escaped = str(draft).replace(",", "%2C").replace(":", "%3A")
    assert all(f"file={escaped}," in line for line in warnings + errors)
    hidden = max(0, len(errors) - 10) + len(warnings) - 10
    closing = lines[-1]
    assert closing.startswith("::notice title=disclosure-lint::")
    assert f"{hidden} annotation(s) beyond GitHub's limit of 10" in closing
    # statistics: plain log lines between the annotations and the closing line
    assert all(line.startswith("::") for line in lines[: len(annotations) - 1])
    stats = lines[len(annotations) - 1 : -1]
    assert f"{len(typos):>6}  TY003" in stats


# --------------------------------------------------------------------------
# JUnit


def _junit(cli, *args: object) -> ET.Element:
    result = cli(*args, "--format", "junit")
    assert result.out.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(result.out.encode("utf-8"))


@pytest.mark.parametrize("fail_on", ["error", "warning"])
def test_junit_one_suite_per_file_one_case_per_finding(cli, tmp_path, fail_on):
    clean = tmp_path / "clean.txt"
    shutil.copy(EXAMPLES / "clean-2021.txt", clean)
    missing = tmp_path / "missing.txt"
    paths = (DEFECTS, clean, missing)
    root = _junit(cli, *paths, "--fail-on", fail_on)
    findings = json_findings(cli, *paths)
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [str(p) for p in paths]

    rank = {"info": 1, "warning": 2, "error": 3}
    for suite in suites:
        mine = [f for f in findings if f["path"] == suite.get("name")]
        cases = suite.findall("testcase")
        failures = [c for c in cases if c.find("failure") is not None]
        want = [f for f in mine if rank[f["severity"]] >= rank[fail_on]]
        assert len(failures) == len(want) == int(suite.get("failures"))
        assert int(suite.get("tests")) == len(cases)
        for case, finding in zip(
            [c for c in cases if c.get("name") not in ("no findings", "read draft")],
            mine,
            strict=True,
        ):
            assert case.get("name") == (
                f"{finding['line']}:{finding['column']} "
                f"{finding['rule']} {finding['name']}"
            )
            body = case.find("failure")
            if body is None:
                body = case.find("system-out")
            assert finding["message"] in body.text
    _, clean_suite, missing_suite = suites
    if not [f for f in findings if f["path"] == str(clean)]:
        assert [c.get("name") for c in clean_suite] == ["no findings"]
    (error,) = missing_suite.iter("error")
    assert missing_suite.get("errors") == "1" and "missing.txt" in error.text
    assert root.get("tests") == str(sum(int(s.get("tests")) for s in suites))


def test_junit_escapes_markup_and_control_characters() -> None:
    import io

    nasty = 'a <b> & "c" \x0b\x01 ]]> 中文'
    finding = Finding(
        path='dir/"x"&<y>.txt',
        span=Span(0, 1),
        start=Position(1, 1),
        end=Position(1, 2),
        rule="TY001",
        name="known-typo",
        category=Category.TYPO,
        severity=Severity.ERROR,
        message=nasty,
    )
    out = io.StringIO()
    formatter = JunitFormatter(FormatContext(out=out))
    formatter.file(FileResult(finding.path, [finding], error=None))
    formatter.file(FileResult("bad.txt", [], error=nasty))
    formatter.finish(Summary())
    root = ET.fromstring(out.getvalue().encode("utf-8"))
    (failure,) = root.iter("failure")
    assert failure.get("message") == 'a <b> & "c" \\u000b\\u0001 ]]> 中文'
    assert root.find("testsuite").get("name") == 'dir/"x"&<y>.txt'
    (error,) = root.iter("error")
    assert "\\u000b" in error.get("message")


# --------------------------------------------------------------------------
# --statistics and --output


def test_statistics_in_every_format_that_has_a_place_for_them(cli) -> None:
    counts = {}
    for f in json_findings(cli, DEFECTS):
        counts[f["rule"]] = counts.get(f["rule"], 0) + 1
    sarif = json.loads(cli(DEFECTS, "-f", "sarif", "--statistics").out)
    assert sarif["runs"][0]["properties"]["statistics"] == counts
    data = json.loads(cli(DEFECTS, "-f", "json", "--statistics").out)
    assert data["statistics"] == counts
    for fmt in ("text", "github"):
        out = cli(DEFECTS, "-f", fmt, "--statistics", "--no-show-source").out
        for rule, count in counts.items():
            assert f"{count:>6}  {rule}" in out.splitlines(), (fmt, rule)
    html = cli(DEFECTS, "-f", "html", "--statistics").out
    assert 'id="statistics"' in html
    assert 'id="statistics"' not in cli(DEFECTS, "-f", "html").out


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_output_writes_the_same_report_to_a_file(cli, tmp_path, fmt) -> None:
    target = tmp_path / f"report.{fmt}"
    to_stdout = cli(DEFECTS, "--format", fmt, "--no-show-source")
    to_file = cli(DEFECTS, "--format", fmt, "--output", target)
    assert to_file.code == to_stdout.code == 1
    assert to_file.out == ""
    assert target.read_text(encoding="utf-8") == to_stdout.out
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temp file left


def test_output_keeps_the_old_report_when_the_run_fails(cli, tmp_path) -> None:
    target = tmp_path / "report.sarif"
    target.write_text("previous report\n", encoding="utf-8")
    pack = tmp_path / "broken"
    pack.mkdir()
    (pack / "pack.yaml").write_text("name: broken\nedtion: '2019'\n")
    result = cli(DEFECTS, "-f", "sarif", "--packs", pack, "-o", target)
    assert result.code == 2 and "pack" in result.err
    assert target.read_text(encoding="utf-8") == "previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken", "report.sarif"]


def test_output_errors_are_one_line(cli, tmp_path) -> None:
    draft = tmp_path / "draft.txt"
    shutil.copy(DEFECTS, draft)
    result = cli(draft, "-o", draft)
    assert result.code == 2 and "is one of the drafts" in result.err
    assert draft.read_bytes() == DEFECTS.read_bytes()
    result = cli(DEFECTS, "-o", tmp_path / "no" / "such" / "dir" / "r.json")
    assert result.code == 2
    assert result.err.count("\n") == 1 and "cannot write" in result.err
    result = cli(DEFECTS, "-o", tmp_path)
    assert result.code == 2 and "is a directory" in result.err


def test_output_file_gets_normal_permissions(cli, tmp_path) -> None:
    target = tmp_path / "r.json"
    old = os.umask(0o022)
    try:
        cli(DEFECTS, "-f", "json", "-o", target)
    finally:
        os.umask(old)
    assert target.stat().st_mode & 0o777 == 0o644


def test_only_the_html_format_imports_jinja2() -> None:
    code = (
        "import sys, io, contextlib\n"
        "from disclosure_lint.cli.app import main\n"
        "for fmt in ('sarif', 'github', 'junit'):\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        f"        main([{str(DEFECTS)!r}, '-f', fmt, '--select', 'ST'])\n"
        "print('jinja2' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


# --------------------------------------------------------------------------
# examples/ci: the workflows use real commands and flags


def _ci_commands(path: Path) -> tuple[dict, list[list[str]]]:
    """The workflow and every ``disclosure-lint`` command in its scripts."""
    from ruamel.yaml import YAML

    workflow = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    scripts: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "run" and isinstance(value, str):
                    scripts.append(value)
                elif key in ("script", "before_script") and isinstance(value, list):
                    scripts.extend(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(workflow)
    commands = []
    for script in scripts:
        words = shlex.split(script)
        while "disclosure-lint" in words:
            words = words[words.index("disclosure-lint") + 1 :]
            end = next((i for i, w in enumerate(words) if w in _SHELL_OPS), None)
            commands.append(words[:end])
    return workflow, commands


_SHELL_OPS = {"||", "&&", ";", "|"}


@pytest.mark.parametrize("name", ["github-actions.yml", "gitlab-ci.yml"])
def test_ci_examples_run_as_written(cli, tmp_path, name) -> None:
    workflow, commands = _ci_commands(EXAMPLES / "ci" / name)
    assert len(commands) >= 2
    outputs = {}
    with contextlib.chdir(tmp_path):
        for words in commands:
            args = [str(DEFECTS) if w == "$DRAFTS" else w for w in words]
            assert str(DEFECTS) in args, words
            result = cli(*args)
            assert result.code == 1, (words, result.err)  # findings, not misuse
            fmt = args[args.index("--format") + 1]
            if "--output" in args:
                outputs[fmt] = args[args.index("--output") + 1]
                assert (tmp_path / outputs[fmt]).stat().st_size > 0
            else:
                assert result.out.startswith("::error ")
    text = (EXAMPLES / "ci" / name).read_text(encoding="utf-8")
    if name == "github-actions.yml":
        steps = workflow["jobs"]["lint"]["steps"]
        uploads = {s.get("uses", "").split("@")[0]: s.get("with", {}) for s in steps}
        assert (
            uploads["github/codeql-action/upload-sarif"]["sarif_file"]
            == (outputs["sarif"])
        )
        assert uploads["actions/upload-artifact"]["path"] == outputs["html"]
        assert_valid_sarif(json.loads((tmp_path / outputs["sarif"]).read_text()))
        assert "pip install" in text
    else:
        job = workflow["disclosure-lint"]
        assert job["artifacts"]["reports"]["junit"] == outputs["junit"]
        assert outputs["html"] in job["artifacts"]["paths"]
        ET.parse(tmp_path / outputs["junit"])
        assert any("pip install" in line for line in job["before_script"])
