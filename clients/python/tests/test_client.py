"""The Python client against a real server: the whole path a researcher takes from a notebook."""

from __future__ import annotations

from pathlib import Path

import pandas
import pytest

import rnnlab
import rnnlab._tables
from conftest import READ_KEY, WRITE_KEY, DroppingProxy, Server


def quadratic(name: str, trials: int = 9, epochs: int = 3, delay_ms: int = 0, lr: str = "[0.01, 1.0]") -> str:
    """A sweep on the `quadratic` task: the whole platform runs, no network trains (objective depends on lr)."""
    return f"""
name: {name}
task: {{ name: quadratic, options: {{ epochs: {epochs}, delay_ms: {delay_ms} }} }}
metric: {{ name: objective, direction: minimize }}
search:
  sampler: {{ type: stratified, by: cell, seed: 3 }}
  space:
    cell: {{ categorical: [rnn-tanh, lstm, gru] }}
    lr: {{ loguniform: {lr} }}
    hidden: {{ int: [20, 200] }}
budget: {{ trials: {trials}, parallelism: 2 }}
seed: 3
"""


def test_submit_watch_to_the_end_then_trials_metrics_and_analysis(server: Server, tmp_path: Path) -> None:
    spec = tmp_path / "quadratic.yaml"
    spec.write_text(quadratic("python-lifecycle"))
    with server.client(WRITE_KEY) as client:
        sweep = client.submit(str(spec))
        assert sweep is not None and sweep.name == "python-lifecycle"

        items = list(sweep.watch())
        assert isinstance(items[0], rnnlab.Snapshot) and items[0].sweep.id == sweep.id
        events = items[1:]
        assert all(isinstance(event, rnnlab.Event) for event in events)
        assert [event.sequence for event in events] == list(range(1, len(events) + 1))
        assert events[-1].kind == "sweep-finished"
        assert sum(event.kind == "trial-finished" for event in events) == 9
        assert sweep.state == "completed" and sweep.status.last_event == events[-1].sequence

        trials = sweep.trials(order_by="objective")
        assert len(trials) == 9
        assert {"id", "cell", "objective", "lr", "hidden", "state"} <= set(trials.columns)
        assert list(trials["objective"]) == sorted(trials["objective"])
        assert trials["objective"].iloc[0] == sweep.status.best_objective
        assert sorted(trials.groupby("cell").size().items()) == [("gru", 3), ("lstm", 3), ("rnn-tanh", 3)]

        # A trial's objective is its last epoch's metric.
        metrics = sweep.metrics(names=["objective"])
        assert len(metrics) == 9 * 3
        last = metrics[metrics["epoch"] == 3].set_index("trial_id")["value"]
        for row in trials.itertuples():
            assert last[row.id] == pytest.approx(row.objective, rel=1e-12)
        assert set(metrics["cell"]) == {"gru", "lstm", "rnn-tanh"}

        analysis = sweep.analyze(top=5)
        assert analysis.finished_trials == 9 and analysis.objective == "objective"
        assert list(analysis.leaderboard["id"]) == list(trials["id"].iloc[:5])
        assert list(analysis.cells["cell"]) == ["gru", "lstm", "rnn-tanh"]
        by_cell = analysis.cells.set_index("cell")
        assert pandas.isna(by_cell.loc["lstm", "p_value"])  # the baseline is not compared with itself
        assert 0 <= by_cell.loc["gru", "p_value"] <= 1
        assert by_cell.loc["gru", "mean_difference"] == pytest.approx(by_cell.loc["gru", "mean"] - by_cell.loc["lstm", "mean"])
        # The quadratic task's objective depends on lr alone, so fANOVA ranks it first.
        assert analysis.main_effects["parameters"].iloc[0] == "lr"

        # The page's charts from the server: every trial's curve (9 is under the limit), ending at its objective.
        charts = sweep.charts()
        assert charts.finished_trials == 9 and charts.baseline_cell == "lstm"
        assert set(charts.curves["trial_id"]) == set(trials["id"])
        ends = charts.curves.sort_values("epoch").groupby("trial_id")["value"].last()
        for row in trials.itertuples():
            assert ends[row.id] == pytest.approx(row.objective, rel=1e-12)
        chart_cells = charts.cells.set_index("cell")
        assert list(chart_cells.index) == ["lstm", "gru", "rnn-tanh"]
        assert chart_cells.loc["gru", "count"] == 3 and pandas.isna(chart_cells.loc["lstm", "p_value"])
        assert charts.importance["parameter"].iloc[0] == "lr"

        csv = sweep.export().strip().splitlines()
        assert {"trial_id", "objective", "param.lr"} <= set(csv[0].split(","))
        assert len(csv) == 10

        # The report: one HTML file at the path asked for, or Markdown with its figures beside it.
        html = sweep.report(tmp_path / "sweep.html")
        assert html == [tmp_path / "sweep.html"]
        assert "<html" in html[0].read_text(encoding="utf-8").lower()
        markdown = sweep.report(tmp_path / "md" / "sweep.md", format="markdown")
        assert tmp_path / "md" / "sweep.md" in markdown
        assert all(path.exists() and path.is_relative_to(tmp_path / "md") for path in markdown)


def test_tables_are_lists_of_dicts_without_pandas(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    with server.client(WRITE_KEY) as client:
        sweep = client.submit(quadratic("python-lists", trials=3, epochs=1), watch=True)
        assert sweep is not None and sweep.state == "completed"
        with_pandas = sweep.trials()
        monkeypatch.setattr(rnnlab._tables, "pandas", None)
        rows = sweep.trials()
        assert isinstance(rows, list) and len(rows) == 3
        assert [row["id"] for row in rows] == list(with_pandas["id"])
        assert all(isinstance(row["lr"], float) and row["state"] == "completed" for row in rows)


def test_a_validation_error_carries_every_field_path(server: Server) -> None:
    invalid = quadratic("python-invalid", lr="[0.0, 1.0]").replace("trials: 9", "trials: 0")
    with server.client(WRITE_KEY) as client:
        with pytest.raises(rnnlab.InvalidArgumentError) as raised:
            client.submit(invalid)
        error = raised.value
        assert "search.space.lr.loguniform[0]" in error.fields
        assert "budget.trials" in error.fields
        assert all(violation.description for violation in error.field_violations)
        assert "search.space.lr.loguniform[0]" in error.message

        # validate_only answers the same without creating anything; a dict spec is checked the same way.
        before = len(client.sweeps())
        with pytest.raises(rnnlab.InvalidArgumentError) as structured:
            client.submit({"name": "python-invalid", "task": {"name": "quadratic"},
                           "metric": {"name": "objective", "direction": "sideways"},
                           "search": {"space": {"lr": {"loguniform": [0.0, 1.0]}}}, "budget": {"trials": 1}},
                          validate_only=True)
        assert "search.space.lr.loguniform[0]" in structured.value.fields
        assert any(field.startswith("metric.direction") for field in structured.value.fields)
        assert len(client.sweeps()) == before

        with pytest.raises(FileNotFoundError):
            client.submit("experiments/does-not-exist.yaml")
        with pytest.raises(ValueError, match="states: 'finished' is not one of running, paused"):
            client.sweeps(states=["finished"])


def test_a_dropped_watch_resumes_without_losing_or_repeating_an_event(server: Server, proxy: DroppingProxy) -> None:
    with server.client(WRITE_KEY) as direct:
        sweep_id = direct.submit(quadratic("python-dropped", trials=4, epochs=4, delay_ms=150)).id
    with rnnlab.Client(proxy.address, api_key=WRITE_KEY) as client:
        sweep = client.sweep(sweep_id)
        events = []
        for item in sweep.watch(snapshot=False):
            events.append(item)
            if len(events) in (3, 12):
                proxy.drop()
        assert proxy.drops == 2
        assert sweep.reconnects >= 2
        assert [event.sequence for event in events] == list(range(1, len(events) + 1))
        assert events[-1].kind == "sweep-finished"
        assert sweep.state == "completed" and sweep.status.last_event == events[-1].sequence
        assert sum(event.kind == "epoch" for event in events) == 4 * 4


def test_keys_guard_mutating_calls_and_steering(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = quadratic("python-auth", trials=2, epochs=100, delay_ms=200)
    with server.client() as anonymous, server.client("not-a-key") as wrong, server.client(READ_KEY) as reader:
        with pytest.raises(rnnlab.AuthenticationError):
            anonymous.submit(spec)
        with pytest.raises(rnnlab.AuthenticationError):
            wrong.submit(spec)
        with pytest.raises(rnnlab.PermissionDeniedError):
            reader.submit(spec)

        # The client reads RNNLAB_SERVER and RNNLAB_API_KEY as the rnnlab command does.
        monkeypatch.setenv("RNNLAB_SERVER", server.address)
        monkeypatch.setenv("RNNLAB_API_KEY", WRITE_KEY)
        with rnnlab.Client() as writer:
            sweep = writer.submit(spec)
            assert sweep is not None

            # Reads are open to anonymous callers here (Api:AllowAnonymousReads); a wrong key is still refused.
            assert anonymous.sweep(sweep.id).name == "python-auth"
            with pytest.raises(rnnlab.AuthenticationError):
                wrong.sweep(sweep.id)
            with pytest.raises(rnnlab.PermissionDeniedError):
                reader.sweep(sweep.id).cancel()

            assert sweep.pause().state == "paused"
            assert sweep.resume().state == "running"
            assert sweep.cancel().state == "cancelled"
            with pytest.raises(rnnlab.FailedPreconditionError):
                sweep.cancel()
            with pytest.raises(rnnlab.NotFoundError):
                writer.sweep("00000000-0000-0000-0000-000000000001")


def test_the_quickstart_example_runs_and_draws_the_box_plot(server: Server, tmp_path: Path) -> None:
    """The example script end to end, on a quick quadratic sweep instead of the three-minute quickstart."""
    import os
    import subprocess
    import sys

    spec = tmp_path / "quick.yaml"
    spec.write_text(quadratic("python-example", trials=6, epochs=2))
    example = Path(__file__).resolve().parents[1] / "examples" / "quickstart.py"
    environment = dict(os.environ, RNNLAB_SERVER=server.address, RNNLAB_API_KEY=WRITE_KEY)
    run = subprocess.run([sys.executable, str(example), str(spec)], cwd=tmp_path, env=environment,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "sweep completed" in run.stdout
    plot = tmp_path / "quickstart-boxplot.png"
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
