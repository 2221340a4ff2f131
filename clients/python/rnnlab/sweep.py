"""A handle on one sweep: its status, its event stream, its trials and its analysis."""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Optional, Sequence, Union

import grpc

from ._tables import table
from .errors import from_rpc_error
from .models import (
    CELL_COLUMNS,
    CHART_CELL_COLUMNS,
    CHART_CURVE_COLUMNS,
    TRIAL_COLUMNS,
    Analysis,
    Charts,
    chart_cell_row,
    chart_curve_rows,
    Event,
    Snapshot,
    SweepStatus,
    cell_row,
    importance_row,
    state_value,
    trial_row,
)

if TYPE_CHECKING:
    from .client import Client

# Statuses after which a watch reconnects from the last event it saw, as the rnnlab CLI does.
_TRANSIENT = (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.INTERNAL, grpc.StatusCode.UNKNOWN, grpc.StatusCode.ABORTED)
MAX_RECONNECTS = 20


class Sweep:
    """One sweep on the server. ``status`` is what the server last said; :meth:`refresh` asks again."""

    def __init__(self, client: "Client", sweep: Any) -> None:
        self._client = client
        self.status = SweepStatus.from_proto(sweep)
        #: The number of the last event :meth:`watch` delivered; pass it as ``after_event`` to go on later.
        self.last_seen_event = 0
        #: How often :meth:`watch` reconnected after a dropped connection.
        self.reconnects = 0

    @property
    def id(self) -> str:
        return self.status.id

    @property
    def name(self) -> str:
        return self.status.name

    @property
    def state(self) -> str:
        """``running``, ``paused``, ``completed``, ``cancelled`` or ``failed``."""
        return self.status.state

    def __repr__(self) -> str:
        counts = self.status.trials
        return f"<Sweep {self.name} {self.id} {self.state}: {counts.finished}/{self.status.budget} trials>"

    def refresh(self) -> "Sweep":
        """Reads the sweep's status again."""
        from ._pb import sweeps_pb2

        self.status = SweepStatus.from_proto(self._client._call("GetSweep", sweeps_pb2.GetSweepRequest(sweep_id=self.id)))
        return self

    # -- following ------------------------------------------------------------------------------------

    def watch(self, after_event: int = 0, *, snapshot: bool = True) -> Iterator[Union[Snapshot, Event]]:
        """Yields a :class:`Snapshot` (unless ``snapshot=False``), then every :class:`Event` after
        ``after_event`` until the sweep finishes.

        A dropped connection is resumed after the last event seen, so no event is lost or repeated.
        Stopping the iteration leaves the sweep running.
        """
        from ._pb import progress_pb2

        last = after_event
        have_snapshot = not snapshot
        failures = 0
        while True:
            request = progress_pb2.WatchSweepRequest(sweep_id=self.id, after_event=last, skip_snapshot=have_snapshot)
            call = self._client._stream("WatchSweep", request)
            try:
                for item in call:
                    failures = 0
                    which = item.WhichOneof("item")
                    if which == "snapshot" and not have_snapshot:
                        have_snapshot = True
                        self.status = SweepStatus.from_proto(item.snapshot.sweep)
                        yield Snapshot(self.status, [trial_row(trial) for trial in item.snapshot.trials])
                    elif which == "event" and item.event.sequence > last:
                        last = self.last_seen_event = item.event.sequence
                        yield Event.from_proto(item.event)
                self.refresh()
                return
            except grpc.RpcError as error:
                if error.code() not in _TRANSIENT or failures >= MAX_RECONNECTS:
                    raise from_rpc_error(error) from None
                failures += 1
                self.reconnects += 1
                time.sleep(0.25 * min(failures, 8))
            finally:
                call.cancel()

    def wait(self) -> "Sweep":
        """Follows the sweep until it finishes; returns it with its final status."""
        for _ in self.watch(snapshot=False):
            pass
        return self

    # -- steering -------------------------------------------------------------------------------------

    def pause(self) -> "Sweep":
        """Running trials finish their current attempt; no new trial starts until :meth:`resume`."""
        return self._act("PauseSweep")

    def resume(self) -> "Sweep":
        return self._act("ResumeSweep")

    def cancel(self) -> "Sweep":
        """Stops every trial (FailedPreconditionError when the sweep already finished)."""
        return self._act("CancelSweep")

    def _act(self, method: str) -> "Sweep":
        from ._pb import sweeps_pb2

        self.status = SweepStatus.from_proto(self._client._call(method, sweeps_pb2.SweepActionRequest(sweep_id=self.id)))
        return self

    # -- results --------------------------------------------------------------------------------------

    def trials(self, states: Sequence[str] = (), cells: Sequence[str] = (), order_by: str = "number") -> Any:
        """The sweep's trials, one row each: id, number, state, cell, objective, attempt, worker, error, times,
        one column per hyperparameter and ``result.NAME`` per final metric.

        Args:
            states: only trials in these states (``"completed"``, ``"pruned"``...).
            cells: only trials of these cells (``"lstm"``...).
            order_by: ``"number"``, ``"objective"`` (best first) or ``"-objective"``.

        Returns:
            a pandas DataFrame when pandas is installed, else a list of dicts.
        """
        return table([trial_row(trial) for trial in self._trial_messages(states, cells, order_by)], TRIAL_COLUMNS)

    def metrics(self, names: Sequence[str] = ()) -> Any:
        """Every trial's metrics after every epoch, one row per (trial, epoch, metric):
        trial_id, number, cell, epoch, name, value. ``names`` keeps only those metrics.
        """
        from ._pb import analysis_pb2

        cells = {trial.id: trial.cell for trial in self._trial_messages((), (), "number")}
        text = self._export(analysis_pb2.ExportSweepRequest(sweep_id=self.id, table="metrics"))
        wanted = set(names)
        rows: List[Dict[str, Any]] = []
        for record in csv.DictReader(io.StringIO(text)):
            if wanted and record["name"] not in wanted:
                continue
            rows.append({
                "trial_id": record["trial_id"],
                "number": int(record["number"]),
                "cell": cells.get(record["trial_id"], ""),
                "epoch": int(record["epoch"]),
                "name": record["name"],
                "value": float(record["value"]),
            })
        return table(rows, ("trial_id", "number", "cell", "epoch", "name", "value"))

    def analyze(self, top: int = 10, baseline_cell: str = "") -> Analysis:
        """The leaderboard, each cell against the baseline cell (Welch's t-test; default ``lstm``) and fANOVA
        importance of the hyperparameters, over the trials finished so far."""
        from ._pb import analysis_pb2

        request = analysis_pb2.AnalyzeSweepRequest(sweep_id=self.id, top=top, baseline_cell=baseline_cell)
        analysis = self._client._call("AnalyzeSweep", request)
        return Analysis(
            sweep_id=analysis.sweep_id,
            objective=analysis.objective,
            maximize=analysis.maximize,
            baseline_cell=analysis.baseline_cell,
            finished_trials=analysis.finished_trials,
            leaderboard=table([trial_row(trial) for trial in analysis.leaderboard], TRIAL_COLUMNS),
            cells=table([cell_row(cell) for cell in analysis.cells], CELL_COLUMNS),
            main_effects=table([importance_row(i) for i in analysis.main_effects], ("parameters", "fraction")),
            pairwise_effects=table([importance_row(i) for i in analysis.pairwise_effects], ("parameters", "fraction")),
            notes=tuple(analysis.notes),
        )

    def charts(self, baseline_cell: str = "") -> Charts:
        """The sweep page's charts as the server computes them (``GetSweepCharts``): the best trials' learning
        curves, per-cell boxes against the baseline cell (default ``lstm``) and fANOVA importance, bounded whatever
        the sweep's size; a finished sweep's are computed once and kept."""
        from ._pb import charts_pb2

        charts = self._client._call("GetSweepCharts", charts_pb2.GetSweepChartsRequest(sweep_id=self.id, baseline_cell=baseline_cell))
        return Charts(
            sweep_id=charts.sweep_id,
            objective=charts.objective,
            maximize=charts.maximize,
            baseline_cell=charts.baseline_cell,
            finished_trials=charts.finished_trials,
            curves=table([row for curve in charts.curves for row in chart_curve_rows(curve)], CHART_CURVE_COLUMNS),
            cells=table([chart_cell_row(cell) for cell in charts.cells], CHART_CELL_COLUMNS),
            importance=table(
                [{"parameter": bar.parameter, "fraction": bar.fraction, "standard_deviation": bar.standard_deviation} for bar in charts.importance.bars],
                ("parameter", "fraction", "standard_deviation"),
            ),
            note=charts.importance.note,
        )

    def report(self, path: Union[str, Path], format: str = "html", baseline_cell: str = "") -> List[Path]:
        """Writes the sweep's report (``rnnlab report``): one self-contained HTML file, or with ``format="markdown"``
        a Markdown file plus its PNG figures beside it. ``path`` is the main document; returns every file written."""
        from ._pb import analysis_pb2

        target = Path(path)
        name = target.stem or "report"
        request = analysis_pb2.GetSweepReportRequest(sweep_id=self.id, format=format, baseline_cell=baseline_cell, name=name)
        report = self._client._call("GetSweepReport", request)
        written: List[Path] = []
        for file in report.files:
            relative = Path(file.path)
            # The main document takes the caller's path; figures keep their folder next to it.
            destination = target if relative.stem == name and relative.parent == Path(".") else target.parent / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(file.content)
            written.append(destination)
        return written

    def export(self, path: Union[str, Path, None] = None, table: str = "trials") -> str:
        """The sweep as CSV (``table="trials"`` or ``"metrics"``), also written to ``path`` when given."""
        from ._pb import analysis_pb2

        text = self._export(analysis_pb2.ExportSweepRequest(sweep_id=self.id, table=table))
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    def _export(self, request: Any) -> str:
        call = self._client._stream("ExportSweep", request)
        try:
            return b"".join(chunk.data for chunk in call).decode("utf-8")
        except grpc.RpcError as error:
            raise from_rpc_error(error) from None

    def _trial_messages(self, states: Sequence[str], cells: Sequence[str], order_by: str) -> Iterator[Any]:
        from ._pb import sweeps_pb2, trials_pb2

        wanted = [state_value(state, sweeps_pb2.TrialState, "TRIAL_STATE_", "states") for state in states]
        token = ""
        while True:
            request = trials_pb2.ListTrialsRequest(
                sweep_id=self.id, page_size=1000, page_token=token, states=wanted, cells=list(cells), order_by=order_by,
            )
            page = self._client._call("ListTrials", request)
            yield from page.trials
            token = page.next_page_token
            if not token:
                return
