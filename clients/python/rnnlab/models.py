"""Plain Python views of the API's messages: sweep status, trials, watch events and analysis."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional, Tuple

from google.protobuf import json_format

TRIAL_COLUMNS = (
    "id", "number", "state", "cell", "objective", "attempt", "worker", "error", "created_at", "started_at", "finished_at",
)
CELL_COLUMNS = (
    "cell", "trials", "mean", "std_dev", "median", "best", "mean_difference", "t_statistic", "degrees_of_freedom",
    "p_value", "significantly_better", "significantly_worse",
)


def state_name(value: int, enum: Any, prefix: str) -> str:
    """``TRIAL_STATE_COMPLETED`` -> ``completed``."""
    return str(enum.Name(value))[len(prefix):].lower()


def state_value(name: str, enum: Any, prefix: str, argument: str) -> Any:
    """``completed`` -> TRIAL_STATE_COMPLETED's number; a ValueError naming the argument and the choices otherwise."""
    choices = [key[len(prefix):].lower() for key in enum.keys() if not key.endswith("_UNSPECIFIED")]
    if name.lower() not in choices:
        raise ValueError(f"{argument}: '{name}' is not one of {', '.join(choices)}")
    return enum.Value(prefix + name.upper())


def timestamp(value: Any) -> Optional[datetime]:
    """A UTC datetime, or None for an unset timestamp."""
    if value.seconds == 0 and value.nanos == 0:
        return None
    return datetime.fromtimestamp(value.seconds + value.nanos / 1e9, tz=timezone.utc)


def optional(message: Any, name: str) -> Optional[float]:
    return getattr(message, name) if message.HasField(name) else None


@dataclass(frozen=True)
class TrialCounts:
    """How many trials of a sweep are in each state."""

    total: int = 0
    pending: int = 0
    running: int = 0
    completed: int = 0
    pruned: int = 0
    diverged: int = 0
    failed: int = 0
    cancelled: int = 0

    @property
    def finished(self) -> int:
        """Trials in a final state."""
        return self.completed + self.pruned + self.diverged + self.failed + self.cancelled


@dataclass(frozen=True)
class SweepStatus:
    """A sweep as the server last reported it."""

    id: str
    name: str
    state: str
    objective: str
    maximize: bool
    best_objective: Optional[float]
    trials: TrialCounts
    budget: int
    last_event: int
    created_at: Optional[datetime]
    finished_at: Optional[datetime]
    spec_text: str

    @property
    def finished(self) -> bool:
        """True once the sweep completed, failed or was cancelled."""
        return self.state in ("completed", "cancelled", "failed")

    @classmethod
    def from_proto(cls, sweep: Any) -> "SweepStatus":
        from ._pb import sweeps_pb2

        counts = sweep.trials
        return cls(
            id=sweep.id,
            name=sweep.name,
            state=state_name(sweep.state, sweeps_pb2.SweepState, "SWEEP_STATE_"),
            objective=sweep.objective,
            maximize=sweep.maximize,
            best_objective=optional(sweep, "best_objective"),
            trials=TrialCounts(
                counts.total, counts.pending, counts.running, counts.completed,
                counts.pruned, counts.diverged, counts.failed, counts.cancelled,
            ),
            budget=sweep.budget,
            last_event=sweep.last_event,
            created_at=timestamp(sweep.created_at),
            finished_at=timestamp(sweep.finished_at),
            spec_text=sweep.spec_text,
        )


def trial_row(trial: Any) -> Dict[str, Any]:
    """One trial as a flat row: its fields, one column per hyperparameter, ``result.NAME`` per final metric."""
    from ._pb import sweeps_pb2

    row: Dict[str, Any] = {
        "id": trial.id,
        "number": trial.number,
        "state": state_name(trial.state, sweeps_pb2.TrialState, "TRIAL_STATE_"),
        "cell": trial.cell,
        "objective": optional(trial, "objective"),
        "attempt": trial.attempt,
        "worker": trial.worker,
        "error": trial.error,
        "created_at": timestamp(trial.created_at),
        "started_at": timestamp(trial.started_at),
        "finished_at": timestamp(trial.finished_at),
    }
    for name, value in json_format.MessageToDict(trial.parameters).items():
        # The cell is a column already; any other clash keeps the parameter apart.
        if name not in row:
            row[name] = value
        elif row[name] != value:
            row["param." + name] = value
    for name, value in sorted(trial.result.items()):
        row["result." + name] = value
    return row


@dataclass(frozen=True)
class Snapshot:
    """The first item of a watch: the sweep and its trials that are not pending, as they were when it started."""

    sweep: SweepStatus
    trials: List[Dict[str, Any]]


@dataclass(frozen=True)
class Event:
    """One numbered progress event of a sweep (numbers start at 1 and have no gaps).

    ``kind`` is for example ``trial-started``, ``epoch``, ``trial-finished``, ``sweep-state`` or ``sweep-finished``.
    """

    sequence: int
    kind: str
    time: Optional[datetime]
    trial_id: str = ""
    trial_number: int = 0
    epoch: int = 0
    metrics: Dict[str, float] = field(default_factory=dict)
    trial_state: Optional[str] = None
    sweep_state: Optional[str] = None
    value: Optional[float] = None
    payload: Any = None

    @classmethod
    def from_proto(cls, event: Any) -> "Event":
        from ._pb import sweeps_pb2

        payload: Any = None
        if event.payload_json:
            try:
                payload = json.loads(event.payload_json)
            except ValueError:
                payload = event.payload_json
        return cls(
            sequence=event.sequence,
            kind=event.kind,
            time=timestamp(event.time),
            trial_id=event.trial_id,
            trial_number=event.trial_number,
            epoch=event.epoch,
            metrics=dict(event.metrics),
            trial_state=state_name(event.trial_state, sweeps_pb2.TrialState, "TRIAL_STATE_") if event.trial_state else None,
            sweep_state=state_name(event.sweep_state, sweeps_pb2.SweepState, "SWEEP_STATE_") if event.sweep_state else None,
            value=optional(event, "value"),
            payload=payload,
        )


@dataclass(frozen=True)
class Analysis:
    """What ``Sweep.analyze()`` returns: the Odyssey-style comparison of a sweep's finished trials.

    ``leaderboard`` (best trials first), ``cells`` (one row per cell, Welch's t-test against ``baseline_cell``),
    ``main_effects`` and ``pairwise_effects`` (fANOVA, largest first) are DataFrames when pandas is
    installed, lists of dicts otherwise.
    """

    sweep_id: str
    objective: str
    maximize: bool
    baseline_cell: str
    finished_trials: int
    leaderboard: Any
    cells: Any
    main_effects: Any
    pairwise_effects: Any
    notes: Tuple[str, ...]


@dataclass(frozen=True)
class Charts:
    """What ``Sweep.charts()`` returns: the sweep page's charts, computed on the server and bounded whatever the
    sweep's size (``GetSweepCharts``).

    ``curves`` has one row per drawn point (``trial_id``, ``trial_number``, ``cell``, ``epoch``, ``value``) of the best
    trials' thinned learning curves; ``cells`` one row per cell (box over all completed trials and over the best
    share, Welch's p-values against ``baseline_cell``); ``importance`` the fANOVA main effects, largest first
    (``note`` says why it is empty or sampled). DataFrames when pandas is installed, lists of dicts otherwise.
    """

    sweep_id: str
    objective: str
    maximize: bool
    baseline_cell: str
    finished_trials: int
    curves: Any
    cells: Any
    importance: Any
    note: str


CHART_CURVE_COLUMNS = ("trial_id", "trial_number", "cell", "epoch", "value")
CHART_CELL_COLUMNS = ("cell", "count", "mean", "median", "best_count", "best_median", "p_value", "best_p_value")


def chart_curve_rows(curve: Any) -> List[Dict[str, Any]]:
    return [
        {"trial_id": curve.trial_id, "trial_number": curve.trial_number, "cell": curve.cell, "epoch": epoch, "value": value}
        for epoch, value in zip(curve.epochs, curve.values)
    ]


def chart_cell_row(cell: Any) -> Dict[str, Any]:
    def p(test: str) -> Optional[float]:
        return getattr(cell, test).p_value if cell.HasField(test) else None

    return {
        "cell": cell.cell,
        "count": cell.all.count,
        "mean": cell.all.mean,
        "median": cell.all.median,
        "best_count": cell.best.count,
        "best_median": cell.best.median,
        "p_value": p("all_versus_baseline"),
        "best_p_value": p("best_versus_baseline"),
    }


def cell_row(cell: Any) -> Dict[str, Any]:
    return {
        "cell": cell.cell,
        "trials": cell.trials,
        "mean": cell.mean,
        "std_dev": cell.std_dev,
        "median": cell.median,
        "best": cell.best,
        "mean_difference": optional(cell, "mean_difference"),
        "t_statistic": optional(cell, "t_statistic"),
        "degrees_of_freedom": optional(cell, "degrees_of_freedom"),
        "p_value": optional(cell, "p_value"),
        "significantly_better": cell.significantly_better,
        "significantly_worse": cell.significantly_worse,
    }


def importance_row(importance: Any) -> Dict[str, Any]:
    return {"parameters": " × ".join(importance.parameters), "fraction": importance.fraction}
