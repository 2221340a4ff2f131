using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using RnnLab.Sweeps.Spec;

namespace RnnLab.Server.Grpc;

/// <summary>The RpcExceptions the API answers with; messages name what is wrong, never how the server failed.</summary>
internal static class ApiErrors
{
    public static RpcException NotFound(string what, string id) =>
        new(new global::Grpc.Core.Status(StatusCode.NotFound, $"{what} '{id}' does not exist"));

    public static RpcException FailedPrecondition(string message) =>
        new(new global::Grpc.Core.Status(StatusCode.FailedPrecondition, message));

    /// <summary>INVALID_ARGUMENT with a google.rpc.BadRequest detail holding one field violation per error.</summary>
    public static RpcException InvalidArgument(IEnumerable<(string Field, string Description)> violations)
    {
        var badRequest = new BadRequest();
        foreach (var (field, description) in violations)
        {
            badRequest.FieldViolations.Add(new BadRequest.Types.FieldViolation { Field = field, Description = description });
        }

        var lines = badRequest.FieldViolations.Select(v => $"{(v.Field.Length == 0 ? "(spec)" : v.Field)}: {v.Description}");
        var status = new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = "invalid request:\n" + string.Join("\n", lines),
            Details = { Any.Pack(badRequest) },
        };
        return status.ToRpcException();
    }

    public static RpcException InvalidArgument(string field, string description) =>
        InvalidArgument([(field, description)]);

    public static RpcException InvalidSpec(IEnumerable<SpecError> errors) =>
        InvalidArgument(errors.Select(e => (e.Path, e.Reason)));

    /// <summary>Parses a required id field, naming the field when it is missing or malformed.</summary>
    public static Guid ParseId(string value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw InvalidArgument(field, "is required");
        }

        return Guid.TryParse(value, out var id) ? id : throw InvalidArgument(field, $"'{Shorten(value)}' is not an id");
    }

    private static string Shorten(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
