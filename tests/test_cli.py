from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsevents.cli import main
from tests.conftest import REPO, SAMPLES, shared_path

COMMANDS = ["extract", "ingest", "articles", "events", "reports", "timeline", "network", "quotes", "sql", "dedup", "verify",
            "export", "serve", "rejected", "sources", "stats", "eval"]


@pytest.mark.parametrize("command", [[]] + [[c] for c in COMMANDS])
def test_every_command_has_help(command: list[str]) -> None:
    result = CliRunner().invoke(main, command + ["--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    assert len(result.output.splitlines()) > 3


def test_extract_seed_passes_the_article_checks_of_the_scorer(seed_path: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    result = CliRunner().invoke(main, ["extract", str(seed_path)])
    assert result.exit_code == 0, result.output
    out = tmp_path / "seed.json"
    out.write_text(result.stdout)
    data = json.loads(result.stdout)
    for key in ("article", "entities", "quotes", "events", "dates", "locations"):
        assert key in data
    score = subprocess.run(
        [sys.executable, str(shared_path("eval", "score.py")), str(shared_path("gold", "seed.gold.json")), str(out)],
        capture_output=True, text=True, check=True,
    ).stdout
    assert "article   {'url': True, 'published': True, 'related': True, 'clean_body': True}" in score


def test_extract_several_articles_prints_json_lines() -> None:
    result = CliRunner().invoke(main, ["extract", str(SAMPLES / "wire.jsonl")])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 5
    assert all(json.loads(line)["article"]["text"] for line in lines)


def test_extract_monadic_adds_events_with_one_known_party(tmp_path: Path) -> None:
    text = tmp_path / "blockade.txt"
    text.write_text("The Ruritanian navy imposed a blockade on the ports of the southern coast on Monday.\n"
                    "Two Malian soldiers were killed near Gao on Tuesday, the army said.\n")
    dyadic = json.loads(CliRunner().invoke(main, ["extract", str(text)]).stdout)
    monadic = json.loads(CliRunner().invoke(main, ["extract", "--monadic", str(text)]).stdout)
    assert not dyadic["events"]
    assert any(e["target"] is None and e["cameo"] == "191" for e in monadic["events"])  # the blockade
    assert any(e["source"]["code"] == "UAF" and e["target"]["country"] == "MLI" for e in monadic["events"])


def test_extract_of_nothing_usable_fails_with_a_message(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = CliRunner().invoke(main, ["extract", str(empty)])
    assert result.exit_code == 1
    assert f"rejected {empty}: empty file" in result.stderr
    assert "no article could be extracted" in result.stderr


def test_ingest_then_query(tmp_path: Path) -> None:
    db = tmp_path / "cli.duckdb"
    runner = CliRunner()
    result = runner.invoke(main, ["ingest", "-q", "--db", str(db), str(SAMPLES)])
    assert result.exit_code == 0, result.output
    assert re.search(r"stored \d+ new articles, 0 already stored, rejected 0", result.stdout)
    result = runner.invoke(main, ["articles", "--db", str(db), "--format", "json", "--source", "Globalwire"])
    rows = json.loads(result.stdout)
    assert rows and all(r["source"] == "Globalwire" for r in rows)
    result = runner.invoke(main, ["stats", "--db", str(db), "--format", "json"])
    assert json.loads(result.stdout)["articles"] == 9
    csv_out = runner.invoke(main, ["articles", "--db", str(db), "--format", "csv", "--limit", "2"]).stdout
    assert csv_out.splitlines()[0].startswith("id,published,source,title")
    assert len(csv_out.splitlines()) == 3


def test_bad_filter_gives_a_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "cli.duckdb"
    runner = CliRunner()
    runner.invoke(main, ["ingest", "-q", "--db", str(db), str(SAMPLES / "wire.jsonl")])
    result = runner.invoke(main, ["articles", "--db", str(db), "--since", "last tuesday"])
    assert result.exit_code == 1
    assert "since must be a date as YYYY-MM-DD" in result.output
    result = runner.invoke(main, ["events", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1 and "no newsevents database" in result.output


def _readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text()
    blocks = re.findall(r"```console\n(.*?)```", text, re.S)
    return [line[2:] for block in blocks for line in block.splitlines() if line.startswith("$ ")]


def test_readme_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    commands = _readme_commands()
    assert len(commands) >= 5
    monkeypatch.chdir(REPO)
    runner = CliRunner()
    for line in commands:
        args = shlex.split(line)
        assert args[0] == "newsevents"
        if args[1] == "watch":  # polls feeds until stopped: tests/test_watch.py runs it once against a local server
            continue
        # databases and export files go to a temporary directory, not the working tree
        args = [str(tmp_path / a) if a.endswith((".duckdb", ".tsv")) or a.startswith("export/") else a
                for a in args[1:]]
        result = runner.invoke(main, args)
        assert result.exit_code == 0, f"README example failed: {line}\n{result.output}"


def test_readme_python_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (REPO / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) >= 2
    monkeypatch.chdir(REPO)
    namespace: dict = {}
    for code in blocks:  # run in order, in one namespace, as a reader would paste them
        code = code.replace('"demo.duckdb"', repr(str(tmp_path / "demo.duckdb")))
        exec(compile(code, "README.md", "exec"), namespace)
    assert [(e.text, e.code) for e in namespace["analysis"].entities] == [("Minas Tirith", "GON"), ("Moscow", "RUSGOV")]


def test_across_article_commands(tmp_path: Path) -> None:
    db = tmp_path / "cli.duckdb"
    runner = CliRunner()
    result = runner.invoke(main, ["ingest", "-q", "--db", str(db), str(SAMPLES)])
    assert "across articles:" in result.stdout and "events from" in result.stdout
    stats = json.loads(runner.invoke(main, ["stats", "--db", str(db), "--format", "json"]).stdout)
    assert stats["events"] > 0 and stats["event_mentions"] >= stats["events"] and "duplicate_articles" in stats
    for fmt in ("table", "csv", "json"):
        for cmd in (["timeline"], ["network"], ["reports"], ["events", "--quad", "1"],
                    ["sql", "SELECT count(*) AS n FROM canonical_events"]):
            result = runner.invoke(main, [*cmd, "--db", str(db), "--format", fmt])
            assert result.exit_code == 0, (cmd, result.output)
    timeline = json.loads(runner.invoke(main, ["timeline", "--db", str(db), "--by", "month", "--format", "json"]).stdout)
    assert sum(r["events"] for r in timeline) <= stats["events"] and all(len(r["period"]) == 7 for r in timeline)
    network = json.loads(runner.invoke(main, ["network", "--db", str(db), "--format", "json"]).stdout)
    assert network and all(r["cooperation"] + r["conflict"] == r["events"] for r in network)
    result = runner.invoke(main, ["sql", "DELETE FROM articles", "--db", str(db)])
    assert result.exit_code == 1 and "only a single read-only SELECT" in result.output
    result = runner.invoke(main, ["sql", "SELECT 1; SELECT 2", "--db", str(db)])
    assert result.exit_code == 1
    result = runner.invoke(main, ["dedup", "--db", str(db)])
    assert result.exit_code == 0 and "up to date" in result.stdout
    result = runner.invoke(main, ["dedup", "--db", str(db), "--force"])
    assert result.exit_code == 0 and "stories" in result.stdout
    result = runner.invoke(main, ["events", "--db", str(db), "--root", "42"])
    assert result.exit_code == 1 and "root must be a CAMEO root code" in result.output
    focus = tmp_path / "focus.tsv"
    result = runner.invoke(main, ["sources", "--db", str(db), "--out", str(focus), "--min-articles", "1",
                                  "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows and all({"source", "articles", "focus"} <= set(r) for r in rows)
    assert focus.read_text().splitlines()[0] == "source\tcountry\tadmin1\tarticles\tnaming"
    assert len(focus.read_text().splitlines()) == 1 + sum(1 for r in rows if r["focus"])
    result = runner.invoke(main, ["ingest", "-q", "--db", str(tmp_path / "again.duckdb"), "--source-focus", str(focus),
                                  str(SAMPLES)])
    assert result.exit_code == 0, result.output
