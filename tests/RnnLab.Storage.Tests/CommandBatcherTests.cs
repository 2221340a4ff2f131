using Npgsql;
using RnnLab.Storage.Postgres;

namespace RnnLab.Storage.Tests;

/// <summary>Group commit on PostgreSQL: concurrent writes share batches, a bad one fails alone, cancelling is safe.</summary>
public sealed class CommandBatcherTests(PostgresStoreFixture fixture) : IClassFixture<PostgresStoreFixture>
{
    private CommandBatcher Batcher => fixture.Database.Batcher ?? throw new InvalidOperationException("PostgreSQL has a batcher.");

    [Fact]
    public async Task Concurrent_finishes_share_round_trips_and_the_loop_ends_when_idle()
    {
        var sweep = (await fixture.Stores.Sweeps.CreateAsync(new NewSweep("group", "spec"))).Sweep.Id;
        var trials = await fixture.Stores.Trials.AddRangeAsync(Enumerable.Range(0, 200).Select(n => new NewTrial(sweep, n, "{}")).ToList());
        var before = Batcher.BatchesSent;

        var accepted = await Task.WhenAll(trials.Select(t => fixture.Stores.Trials.TryFinishAsync(t.Id,
            new TrialOutcome(TrialState.Completed, "{}", 1, null, DateTime.UtcNow), [new MetricPoint(t.Id, 1, "loss", 1)])));
        var batches = Batcher.BatchesSent - before;

        Assert.All(accepted, Assert.True);
        Assert.InRange(batches, 1, 199);
        Assert.True(SpinWait.SpinUntil(() => !Batcher.IsLooping, TimeSpan.FromSeconds(10)), "The batch loop kept running with nothing queued.");
    }

    [Fact]
    public async Task A_failing_command_in_a_shared_batch_fails_only_its_caller()
    {
        await using var connection = new NpgsqlConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync();
        await Execute(connection, "CREATE TABLE batch_isolation (id integer PRIMARY KEY)");
        // The slow statement holds the loop so everything after it is queued and leaves in one batch.
        var slow = Batcher.ExecuteAsync(new NpgsqlBatchCommand("SELECT pg_sleep(0.3)"));
        var inserts = Enumerable.Range(1, 10).Select(i => Batcher.ExecuteAsync(Insert(i))).ToList();
        var duplicate = Batcher.ExecuteAsync(Insert(5));
        var more = Enumerable.Range(11, 10).Select(i => Batcher.ExecuteAsync(Insert(i))).ToList();

        await slow;
        var error = await Assert.ThrowsAsync<PostgresException>(() => duplicate);
        var affected = await Task.WhenAll(inserts.Concat(more));
        var count = await Scalar(connection, "SELECT count(*) FROM batch_isolation");

        Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);
        Assert.All(affected, a => Assert.Equal(1, a));
        Assert.Equal(20L, count);
    }

    [Fact]
    public async Task A_cancelled_caller_stops_waiting_and_the_loop_goes_on()
    {
        await using var connection = new NpgsqlConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync();
        await Execute(connection, "CREATE TABLE batch_cancel (id integer PRIMARY KEY)");
        var before = Batcher.BatchesSent;
        var slow = Batcher.ExecuteAsync(new NpgsqlBatchCommand("SELECT pg_sleep(0.3)"));
        Assert.True(SpinWait.SpinUntil(() => Batcher.BatchesSent > before, TimeSpan.FromSeconds(10)), "The slow batch never left.");
        using var cancellation = new CancellationTokenSource();
        var cancelled = Batcher.ExecuteAsync(new NpgsqlBatchCommand("INSERT INTO batch_cancel VALUES (1)"), cancellation.Token);
        var kept = Batcher.ExecuteAsync(new NpgsqlBatchCommand("INSERT INTO batch_cancel VALUES (2)"));

        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        await slow;
        Assert.Equal(1, await kept);
        Assert.Equal(1, await Batcher.ExecuteAsync(new NpgsqlBatchCommand("INSERT INTO batch_cancel VALUES (3)")));
        // The cancelled insert had not left yet, so it was dropped rather than written behind its caller's back.
        Assert.Equal(5L, await Scalar(connection, "SELECT sum(id) FROM batch_cancel"));
    }

    private static NpgsqlBatchCommand Insert(int id) =>
        new("INSERT INTO batch_isolation VALUES ($1)") { Parameters = { new NpgsqlParameter { Value = id } } };

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> Scalar(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
