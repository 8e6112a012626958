"""Configuration files: discovery, precedence, validation, `config` command."""

from __future__ import annotations

import contextlib
import json
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from disclosure_lint.config.file import ConfigError, read_config
from disclosure_lint.config.resolve import ConfigResolver
from disclosure_lint.config.settings import Settings

# One TY003 (warning, safe fix) and one FM001 (warning) on known positions.
DRAFT = "截止2021年底，共收到申请0件。\n[bookmark: _GoBack]无。\n"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _rules(out: str) -> list[str]:
    data = json.loads(out)
    return sorted(f"{Path(f['path']).name}:{f['rule']}" for f in data["findings"])


@pytest.fixture
def project(tmp_path) -> Iterator[Path]:
    # NOTE: not monkeypatch.chdir: the cli fixture undoes that monkeypatch.
    with contextlib.chdir(tmp_path):
        yield tmp_path


def test_nearest_config_applies_per_file(cli, project) -> None:
    _write(project / ".disclosure-lint.yaml", "select: [TY003]\n")
    _write(project / "a" / "draft.txt", DRAFT)
    _write(project / "b" / ".disclosure-lint.yaml", "select: [FM001]\n")
    _write(project / "b" / "deep" / "draft2.txt", DRAFT)
    result = cli("a", "b", "--format", "json")
    assert _rules(result.out) == ["draft.txt:TY003", "draft2.txt:FM001"]


def test_yaml_wins_over_pyproject_and_pyproject_without_table_is_skipped(
    cli, project
) -> None:
    _write(project / "pyproject.toml", '[tool.disclosure-lint]\nselect = ["FM001"]\n')
    _write(project / "sub" / "pyproject.toml", "[project]\nname = 'x'\n")
    _write(project / "sub" / "draft.txt", DRAFT)
    assert _rules(cli("sub", "-f", "json").out) == ["draft.txt:FM001"]
    _write(project / "sub" / ".disclosure-lint.yaml", "select: [TY003]\n")
    assert _rules(cli("sub", "-f", "json").out) == ["draft.txt:TY003"]


def test_command_line_overrides_the_file(cli, project) -> None:
    _write(project / ".disclosure-lint.yaml", "select: [TY003]\nfail-on: warning\n")
    draft = _write(project / "draft.txt", DRAFT)
    assert cli(draft).code == 1  # fail-on warning from the file
    assert cli(draft, "--fail-on", "error").code == 0
    assert _rules(cli(draft, "--select", "FM001", "-f", "json").out) == [
        "draft.txt:FM001"
    ]


def test_config_option_and_isolated(cli, project) -> None:
    _write(project / ".disclosure-lint.yaml", "select: [TY003]\n")
    other = _write(project / "elsewhere" / "strict.yaml", "select: [FM001]\n")
    draft = _write(project / "draft.txt", DRAFT)
    assert _rules(cli(draft, "--config", other, "-f", "json").out) == [
        "draft.txt:FM001"
    ]
    isolated = _rules(cli(draft, "--isolated", "--select", "TY,FM", "-f", "json").out)
    assert isolated == ["draft.txt:FM001", "draft.txt:TY003"]
    missing = cli(draft, "--config", project / "nope.yaml")
    assert missing.code == 2
    assert "nope.yaml: configuration file not found" in missing.err
    assert cli(draft, "--config", other, "--isolated").code == 2


def test_unknown_key_names_file_line_and_suggestion(cli, project) -> None:
    _write(
        project / ".disclosure-lint.yaml", "# team settings\nlang: zh\nselct: [TY]\n"
    )
    draft = _write(project / "draft.txt", DRAFT)
    result = cli(draft)
    assert result.code == 2
    assert result.err == (
        "disclosure-lint: error: .disclosure-lint.yaml:3:1: unknown key 'selct' "
        "(did you mean 'select'?)\n"
    )
    assert result.out == ""  # stopped before any output


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("fail-on: warnin\n", ":1:10: 'fail-on' must be error, warning or info"),
        ("year: '2021'\n", ":1:7: 'year' must be a year like 2021"),
        ("year: 1900\n", ":1:7: 'year' 1900 is out of range"),
        ("lang: fr\n", ":1:7: 'lang' must be zh or en, not 'fr'"),
        ("select: 3\n", ":1:9: 'select' must be a list of strings"),
        ("edition: '21'\n", ":1:10: 'edition' must be an edition year"),
        ("publication-deadline: 02-30\n", ":1:23: 'publication-deadline' must be"),
        ("severity:\n  TY003: fatal\n", ":2:10: severity for 'TY003' must be"),
        ("select: [TY03]\n", ":1:10: 'TY03' in 'select' matches no rule (did you"),
        ("ignore:\n  - FM\n  - nosuch\n", ":3:5: 'nosuch' in 'ignore' matches no rule"),
        ("per-path-ignores:\n  'x/*': [QQ]\n", ":2:3: 'QQ' in 'per-path-ignores'"),
        ("edition: '2030'\n", ":1:1: unknown edition '2030'"),
        ("packs: [gov-anual-2021]\n", ":1:9: pack 'gov-anual-2021' is neither"),
        ("- select\n", ":1:1: configuration must be a mapping"),
        ("select: [TY\n", ": invalid YAML"),
    ],
)
def test_bad_values_exit_2_with_place(cli, project, text, message) -> None:
    _write(project / ".disclosure-lint.yaml", text)
    result = cli(_write(project / "draft.txt", DRAFT))
    assert result.code == 2
    assert ".disclosure-lint.yaml" in result.err
    assert message in result.err
    assert "Traceback" not in result.err


def test_pyproject_errors_name_the_line(cli, project) -> None:
    _write(
        project / "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.disclosure-lint]\nselect = ["TY003"]\n'
        'fail_on = "warning"\n',
    )
    result = cli(_write(project / "draft.txt", DRAFT))
    assert result.code == 2
    assert "pyproject.toml:6:1: unknown key 'fail_on' (did you mean 'fail-on'?)" in (
        result.err
    )


def test_per_path_ignores_are_relative_to_the_config(cli, project) -> None:
    _write(
        project / "reports" / ".disclosure-lint.yaml",
        "select: [TY003, FM001]\n"
        "per-path-ignores:\n"
        "  'archive/': [TY]\n"  # a directory, recursively
        "  '*-old.txt': [FM001]\n"  # no slash: any file of that name
        "  'drafts/**/final.txt': [typo, format]\n",  # categories
    )
    for name in ("archive/2019/a.txt", "x/b-old.txt", "drafts/q1/final.txt", "c.txt"):
        _write(project / "reports" / name, DRAFT)
    result = cli("reports", "-f", "json")
    assert _rules(result.out) == [
        "a.txt:FM001",
        "b-old.txt:TY003",
        "c.txt:FM001",
        "c.txt:TY003",
    ]


def test_severity_override_and_language(cli, project) -> None:
    _write(
        project / ".disclosure-lint.yaml",
        "select: [TY003]\nseverity:\n  typo: info\n  TY003: error\nlang: en\n",
    )
    result = cli(_write(project / "draft.txt", DRAFT), "--no-show-source")
    assert result.code == 1  # TY003 raised to error: the most specific wins
    assert "error TY003" in result.out
    assert "write 截至" in result.out  # English message


def test_year_edition_and_deadline(cli, project) -> None:
    _write(
        project / ".disclosure-lint.yaml",
        "year: 2020\nedition: '2019'\npublication-deadline: 2021-03-31\n",
    )
    draft = _write(project / "draft.txt", DRAFT)
    data = json.loads(cli(draft, "-f", "json").out)
    assert data["files"][0]["year"] == 2020
    assert data["files"][0]["edition"] == "2019"
    # the command line still wins
    data = json.loads(cli(draft, "-f", "json", "--edition", "2021").out)
    assert data["files"][0]["edition"] == "2021"


def test_local_pack_from_config_extends_the_edition(cli, project) -> None:
    pack = project / "team-rules" / "province"
    _write(
        pack / "pack.yaml",
        "name: province\nextends: [gov-annual-2021]\nedition: '2021'\n"
        "years: {from: 2021}\n",
    )
    rule = """\
        id: FM901
        name: no-draft-marker
        kind: pattern
        category: format
        severity: error
        summary: 草稿标记
        message: {zh: 删除“草稿”, en: delete 草稿}
        source: test
        params: {pattern: 草稿}
        examples:
          - {text: 正文, expect: []}
          - {text: 草稿, expect: ['1:1 FM901']}
        """
    _write(pack / "FM901.yaml", textwrap.dedent(rule))
    _write(
        project / "cfg" / ".disclosure-lint.yaml",
        "packs: [common, gov-annual-2019, gov-annual-2021, ../team-rules]\n"
        "select: [FM901, TY003]\n",
    )
    draft = _write(project / "cfg" / "draft.txt", "某镇2021年草稿\n截止2021年底无。\n")
    result = cli(draft, "-f", "json")
    assert _rules(result.out) == ["draft.txt:FM901", "draft.txt:TY003"]
    assert result.code == 1
    shown = json.loads(cli("config", draft, "-f", "json").out)
    assert shown["settings"]["packs"] == [
        "common",
        "gov-annual-2019",
        "gov-annual-2021",
        str(project / "team-rules"),
    ]


def test_packs_limits_the_bundled_packs(project) -> None:
    _write(project / ".disclosure-lint.yaml", "packs: [gov-annual-2019]\n")
    resolver = ConfigResolver(Settings())
    packset = resolver.packset_for(resolver.settings_for(project / "x.txt"))
    # the 2019 edition and what it extends; not the 2021 edition
    assert sorted(packset.packs) == ["common", "gov-annual-2019"]


def test_config_command_shows_file_and_every_key(cli, project) -> None:
    _write(
        project / ".disclosure-lint.yaml",
        "ignore: [FM]\nper-path-ignores:\n  'old/': [TY]\n",
    )
    result = cli("config", "old/draft.txt", "--format", "text")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[1] == "# configuration file: .disclosure-lint.yaml"
    assert 'ignore:               ["FM"]  # .disclosure-lint.yaml' in lines
    assert 'lang:                 "zh"  # default' in lines
    assert "# per-path-ignores for this path: TY" in lines
    for key in ("packs", "select", "severity", "fail-on", "year", "edition"):
        assert any(line.startswith(f"{key}:") for line in lines), key
    isolated = cli("config", "--isolated").out
    assert "# configuration file: --isolated" in isolated
    assert cli("config", "--format", "yaml").code == 2


def test_read_config_pyproject_without_table_is_none(tmp_path) -> None:
    path = _write(tmp_path / "pyproject.toml", "[tool.ruff]\nline-length = 88\n")
    assert read_config(path) is None
    broken = _write(tmp_path / "x" / "pyproject.toml", "[tool.disclosure-lint\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        read_config(broken)


def _readme_block(marker: str) -> str:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(
        encoding="utf-8"
    )
    start = readme.index(marker + "\n") + len(marker) + 1
    return readme[start : readme.index("```", start)]


def test_readme_configuration_examples_are_valid(cli, project) -> None:
    (project / "province-rules").mkdir()  # the example names a local pack dir
    _write(project / ".disclosure-lint.yaml", _readme_block("# .disclosure-lint.yaml"))
    _write(project / "py" / "pyproject.toml", _readme_block("# pyproject.toml"))
    for where in (".", "py"):
        result = cli("config", where, "--format", "json")
        assert result.code == 0, result.err
        assert json.loads(result.out)["settings"]["fail-on"] == "warning"


@pytest.mark.parametrize(
    "text",
    [
        '[project]\nname = "disclosure-lint"\n'
        '[project.scripts]\ndisclosure-lint = "x"\n',
        '[project]\ndependencies = ["disclosure-lint>=0.1"]\n[tool.ruff]\nx = 1\n',
    ],
)
def test_pyproject_naming_the_tool_outside_the_table_is_none(tmp_path, text) -> None:
    assert read_config(_write(tmp_path / "pyproject.toml", text)) is None


@pytest.mark.parametrize(
    "text",
    [
        '[tool]\ndisclosure-lint = { select = ["FM001"] }\n',
        'tool.disclosure-lint.select = ["FM001"]\n',
        '[ tool . "disclosure-lint" ]\nselect = ["FM001"]\n',
    ],
)
def test_every_toml_form_of_the_table_is_read(tmp_path, text) -> None:
    config = read_config(_write(tmp_path / "pyproject.toml", text))
    assert config is not None and config.values["select"] == ["FM001"]


def test_pyproject_with_a_bom_is_still_an_error(tmp_path) -> None:
    path = _write(tmp_path / "pyproject.toml", "\ufeff[tool.disclosure-lint]\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        read_config(path)
