using Npgsql;

namespace RnnLab.Storage.Postgres;

/// <summary>Which PostgreSQL errors are broken data rules, reported as <see cref="StorageConflictException"/>.</summary>
internal static class ConstraintErrors
{
    public static bool IsConstraint(this PostgresException e) =>
        e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.ForeignKeyViolation;
}
