"""The connection to an RnnLab server."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable, Iterable, List, Mapping, Optional, Sequence, Tuple, Union
from urllib.parse import urlsplit

import grpc
from google.protobuf import struct_pb2

from .errors import from_rpc_error
from .models import state_value

DEFAULT_SERVER = "http://localhost:5180"
SpecLike = Union[str, "os.PathLike[str]", Mapping[str, Any]]


class Client:
    """A client of one RnnLab server's gRPC API.

    Args:
        server: the server's address, ``http://host:5180`` (h2c) or ``https://host:5443`` (TLS); defaults to
            RNNLAB_SERVER, else http://localhost:5180, as the ``rnnlab`` command does.
        api_key: sent as ``authorization: Bearer KEY``; defaults to RNNLAB_API_KEY. Servers without keys
            need none; with keys, reads may be open and mutating calls need a full key.
        timeout: seconds a unary call may take (watching a sweep has no limit).

    Use it as a context manager, or call :meth:`close`, to release the channel.
    """

    def __init__(self, server: Optional[str] = None, api_key: Optional[str] = None, *, timeout: Optional[float] = 60.0) -> None:
        from ._pb import sweep_service_pb2_grpc

        self.server = server or os.environ.get("RNNLAB_SERVER") or DEFAULT_SERVER
        key = api_key if api_key is not None else os.environ.get("RNNLAB_API_KEY")
        self._metadata: Tuple[Tuple[str, str], ...] = (("authorization", "Bearer " + key),) if key else ()
        self.timeout = timeout
        self._channel = _channel(self.server)
        self._stub = sweep_service_pb2_grpc.SweepServiceStub(self._channel)  # type: ignore[no-untyped-call]

    # -- sweeps ---------------------------------------------------------------------------------------

    def submit(
        self,
        spec_or_path: SpecLike,
        *,
        watch: bool = False,
        idempotency_key: str = "",
        validate_only: bool = False,
    ) -> "Optional[Sweep]":
        """Submits a sweep and returns it.

        Args:
            spec_or_path: a path to a YAML (or JSON) spec such as ``experiments/quickstart.yaml``, the spec's
                YAML text, or the spec as a dict.
            watch: follow the sweep until it finishes before returning (its events are read and dropped;
                iterate :meth:`Sweep.watch` to see them).
            idempotency_key: a retried submit with the same key returns the first sweep instead of another.
            validate_only: only validate the spec; returns None when it is valid.

        Raises:
            InvalidArgumentError: the spec is invalid; ``error.field_violations`` names every error's path.
        """
        from ._pb import sweeps_pb2

        request = sweeps_pb2.SubmitSweepRequest(idempotency_key=idempotency_key, validate_only=validate_only)
        if isinstance(spec_or_path, Mapping):
            spec = struct_pb2.Struct()
            spec.update(dict(spec_or_path))
            request.spec_struct.CopyFrom(spec)
        else:
            request.spec_yaml = _spec_text(spec_or_path)
        response = self._call("SubmitSweep", request)
        if validate_only:
            return None
        sweep = Sweep(self, response.sweep)
        if watch:
            sweep.wait()
        return sweep

    def sweep(self, sweep_id: str) -> "Sweep":
        """The sweep with this id (NotFoundError when there is none)."""
        from ._pb import sweeps_pb2

        return Sweep(self, self._call("GetSweep", sweeps_pb2.GetSweepRequest(sweep_id=sweep_id)))

    def sweeps(self, states: Sequence[str] = ()) -> "List[Sweep]":
        """Every sweep, newest first, optionally only those in ``states`` (``"running"``, ``"completed"``...)."""
        from ._pb import sweeps_pb2

        wanted = [state_value(state, sweeps_pb2.SweepState, "SWEEP_STATE_", "states") for state in states]
        sweeps: List[Sweep] = []
        token = ""
        while True:
            page = self._call("ListSweeps", sweeps_pb2.ListSweepsRequest(page_size=1000, page_token=token, states=wanted))
            sweeps.extend(Sweep(self, sweep) for sweep in page.sweeps)
            token = page.next_page_token
            if not token:
                return sweeps

    def generate_text(self, trial_id: str, prefix: str = "", length: int = 200, temperature: float = 1.0, seed: int = 0) -> str:
        """Text written by a character language model trial's latest checkpoint; the same seed gives the same text."""
        from ._pb import sweep_service_pb2

        request = sweep_service_pb2.GenerateTextRequest(
            trial_id=trial_id, prefix=prefix, length=length, temperature=temperature, seed=seed,
        )
        return str(self._call("GenerateText", request).text)

    def translate(self, trial_id: str, text: str, beam_width: int = 1) -> str:
        """A translation by a translate trial's latest checkpoint; beam width 1 is greedy decoding."""
        from ._pb import sweep_service_pb2

        request = sweep_service_pb2.TranslateRequest(trial_id=trial_id, text=text, beam_width=beam_width)
        return str(self._call("Translate", request).translation)

    # -- plumbing -------------------------------------------------------------------------------------

    def close(self) -> None:
        """Closes the channel."""
        self._channel.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Client(server={self.server!r})"

    def _call(self, method: str, request: Any, timeout: Optional[float] = None) -> Any:
        try:
            return getattr(self._stub, method)(request, metadata=self._metadata, timeout=timeout or self.timeout)
        except grpc.RpcError as error:
            raise from_rpc_error(error) from None

    def _stream(self, method: str, request: Any) -> Any:
        """A server-streaming call (iterate it; cancel it when done early). Errors surface while iterating."""
        return getattr(self._stub, method)(request, metadata=self._metadata)


def _spec_text(spec: Union[str, "os.PathLike[str]"]) -> str:
    if isinstance(spec, os.PathLike):
        return Path(spec).read_text(encoding="utf-8")
    if "\n" not in spec and (spec.endswith((".yaml", ".yml", ".json")) or os.path.exists(spec)):
        path = Path(spec)
        if not path.is_file():
            raise FileNotFoundError(f"spec file '{spec}' does not exist")
        return path.read_text(encoding="utf-8")
    return spec


def _channel(server: str) -> grpc.Channel:
    parts = urlsplit(server if "://" in server else "http://" + server)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"server: '{server}' is not an http:// or https:// address")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    target = f"{host}:{port}"
    options = [
        ("grpc.max_receive_message_length", 64 * 1024 * 1024),
        # A dropped watch reconnects within seconds rather than after grpc's default backoff of up to 2 minutes.
        ("grpc.initial_reconnect_backoff_ms", 250),
        ("grpc.max_reconnect_backoff_ms", 2000),
    ]
    if parts.scheme == "http":
        return grpc.insecure_channel(target, options=options)
    roots = None
    if os.environ.get("SSL_CERT_FILE"):
        roots = Path(os.environ["SSL_CERT_FILE"]).read_bytes()
    return grpc.secure_channel(target, grpc.ssl_channel_credentials(root_certificates=roots), options=options)


from .sweep import Sweep  # noqa: E402  (Sweep refers back to Client)
