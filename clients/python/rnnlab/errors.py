"""Exceptions for failed calls: one class per status a caller handles differently."""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Sequence

import grpc

from ._status import field_violations_from_trailers


@dataclass(frozen=True)
class FieldViolation:
    """One invalid field of a request: its path (``search.space.lr.loguniform[0]``) and what is wrong."""

    field: str
    description: str

    def __str__(self) -> str:
        return f"{self.field or '(spec)'}: {self.description}"


class RnnLabError(Exception):
    """A call the server refused or could not answer.

    Attributes:
        code: the gRPC status code.
        message: the server's message.
        field_violations: for INVALID_ARGUMENT, every invalid field (from the google.rpc.BadRequest detail).
    """

    def __init__(self, code: grpc.StatusCode, message: str, field_violations: Sequence[FieldViolation] = ()) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field_violations: List[FieldViolation] = list(field_violations)

    @property
    def fields(self) -> List[str]:
        """The paths of the invalid fields, in the server's order."""
        return [violation.field for violation in self.field_violations]

    def __str__(self) -> str:
        return f"{self.code.name}: {self.message}"


class InvalidArgumentError(RnnLabError):
    """The request (usually the sweep spec) is invalid; ``field_violations`` names each error's path."""


class NotFoundError(RnnLabError):
    """The sweep or trial does not exist."""


class AuthenticationError(RnnLabError):
    """The call needs an API key, or the key is not valid (set ``api_key`` or RNNLAB_API_KEY)."""


class PermissionDeniedError(RnnLabError):
    """The API key may only read."""


class FailedPreconditionError(RnnLabError):
    """The call does not fit the sweep's state (for example cancelling a finished sweep)."""


class UnavailableError(RnnLabError):
    """The server does not answer (is it running? is ``server``/RNNLAB_SERVER right?)."""


_BY_CODE = {
    grpc.StatusCode.INVALID_ARGUMENT: InvalidArgumentError,
    grpc.StatusCode.NOT_FOUND: NotFoundError,
    grpc.StatusCode.UNAUTHENTICATED: AuthenticationError,
    grpc.StatusCode.PERMISSION_DENIED: PermissionDeniedError,
    grpc.StatusCode.FAILED_PRECONDITION: FailedPreconditionError,
    grpc.StatusCode.UNAVAILABLE: UnavailableError,
}


def from_rpc_error(error: grpc.RpcError) -> RnnLabError:
    """The exception for a failed call, with the field paths of its BadRequest detail when it has one."""
    code: Optional[grpc.StatusCode] = getattr(error, "code", lambda: None)()
    message: str = getattr(error, "details", lambda: None)() or str(error)
    trailers = getattr(error, "trailing_metadata", lambda: None)() or ()
    violations = [FieldViolation(field, description) for field, description in field_violations_from_trailers(trailers)]
    code = code or grpc.StatusCode.UNKNOWN
    return _BY_CODE.get(code, RnnLabError)(code, message, violations)
