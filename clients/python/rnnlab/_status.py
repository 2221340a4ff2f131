"""Reads the google.rpc.Status a server attaches to an error (trailer ``grpc-status-details-bin``).

googleapis-common-protos is not packaged by Debian, so the two messages needed here (google.rpc.Status
and google.rpc.BadRequest) are declared in a private descriptor pool: no dependency, and no clash with
that package when it is installed.
"""

from __future__ import annotations

from typing import Any, Iterable, List, Tuple

from google.protobuf import any_pb2, descriptor_pb2, descriptor_pool

_pool = descriptor_pool.DescriptorPool()


def _declare() -> Tuple[Any, Any]:
    from google.protobuf import message_factory

    _pool.AddSerializedFile(any_pb2.DESCRIPTOR.serialized_pb)
    file = descriptor_pb2.FileDescriptorProto(name="rnnlab/_rpc_status.proto", package="google.rpc", syntax="proto3")
    file.dependency.append(any_pb2.DESCRIPTOR.name)
    Field = descriptor_pb2.FieldDescriptorProto

    status = file.message_type.add(name="Status")
    status.field.add(name="code", number=1, type=Field.TYPE_INT32, label=Field.LABEL_OPTIONAL)
    status.field.add(name="message", number=2, type=Field.TYPE_STRING, label=Field.LABEL_OPTIONAL)
    status.field.add(name="details", number=3, type=Field.TYPE_MESSAGE, label=Field.LABEL_REPEATED, type_name=".google.protobuf.Any")

    bad_request = file.message_type.add(name="BadRequest")
    violation = bad_request.nested_type.add(name="FieldViolation")
    violation.field.add(name="field", number=1, type=Field.TYPE_STRING, label=Field.LABEL_OPTIONAL)
    violation.field.add(name="description", number=2, type=Field.TYPE_STRING, label=Field.LABEL_OPTIONAL)
    bad_request.field.add(
        name="field_violations", number=1, type=Field.TYPE_MESSAGE, label=Field.LABEL_REPEATED,
        type_name=".google.rpc.BadRequest.FieldViolation",
    )
    _pool.Add(file)

    def message_class(name: str) -> Any:
        descriptor = _pool.FindMessageTypeByName(name)
        if hasattr(message_factory, "GetMessageClass"):  # protobuf >= 4.21
            return message_factory.GetMessageClass(descriptor)
        return message_factory.MessageFactory(_pool).GetPrototype(descriptor)

    return message_class("google.rpc.Status"), message_class("google.rpc.BadRequest")


_Status, _BadRequest = _declare()
_BAD_REQUEST_TYPE = "type.googleapis.com/google.rpc.BadRequest"


def field_violations_from_trailers(trailers: Iterable[Tuple[str, Any]]) -> List[Tuple[str, str]]:
    """(field, description) of every BadRequest violation in the error's status details; empty when none."""
    for key, value in trailers:
        if key != "grpc-status-details-bin" or not isinstance(value, bytes):
            continue
        status = _Status.FromString(value)
        violations: List[Tuple[str, str]] = []
        for detail in status.details:
            if detail.type_url == _BAD_REQUEST_TYPE:
                bad_request = _BadRequest.FromString(detail.value)
                violations.extend((v.field, v.description) for v in bad_request.field_violations)
        return violations
    return []
