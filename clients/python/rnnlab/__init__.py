"""Python client of RnnLab: submit sweeps of recurrent-network trials, follow them, read their results.

    import rnnlab

    client = rnnlab.Client()                      # RNNLAB_SERVER / RNNLAB_API_KEY, as the rnnlab command
    sweep = client.submit("experiments/quickstart.yaml")
    for event in sweep.watch():                   # resumes by itself after a dropped connection
        print(event)
    trials = sweep.trials()                       # a pandas DataFrame when pandas is installed
    print(sweep.analyze().cells)
"""

from .client import DEFAULT_SERVER, Client
from .errors import (
    AuthenticationError,
    FailedPreconditionError,
    FieldViolation,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    RnnLabError,
    UnavailableError,
)
from .models import Analysis, Charts, Event, Snapshot, SweepStatus, TrialCounts
from .sweep import Sweep

__all__ = [
    "DEFAULT_SERVER",
    "Analysis",
    "AuthenticationError",
    "Charts",
    "Client",
    "Event",
    "FailedPreconditionError",
    "FieldViolation",
    "InvalidArgumentError",
    "NotFoundError",
    "PermissionDeniedError",
    "RnnLabError",
    "Snapshot",
    "Sweep",
    "SweepStatus",
    "TrialCounts",
    "UnavailableError",
]
__version__ = "0.1.0"
