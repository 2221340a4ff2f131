using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;

namespace RnnLab.Storage.Postgres;

/// <summary>
/// Group commit for PostgreSQL: the small writes of concurrent callers travel together as one
/// <see cref="NpgsqlBatch"/>, which costs one round trip and, being one implicit transaction, one WAL flush.
/// </summary>
/// <remarks>
/// A background loop starts when work arrives and ends when the queue is empty, so an idle or forgotten database
/// holds no task or connection. While one batch is on the wire the next callers queue up and leave together with
/// the following one; a lone caller is sent at once.
/// </remarks>
internal sealed class CommandBatcher(string connectionString, int maxCommandsPerBatch = CommandBatcher.DefaultMaxCommands)
{
    public const int DefaultMaxCommands = 500;

    // The same few statements run over and over: let the server keep their plans (a pool of its own, too).
    private readonly string _connectionString = WithAutoPrepare(connectionString);

    private readonly ConcurrentQueue<Unit> _queue = new();
    private int _looping;

    /// <summary>How many batches went to the server; lets tests see that concurrent writes were grouped.</summary>
    public long BatchesSent => Interlocked.Read(ref _batchesSent);

    private long _batchesSent;

    /// <summary>Whether the background loop is running; false once the queue is drained.</summary>
    public bool IsLooping => Volatile.Read(ref _looping) == 1;

    /// <summary>Runs one command with others queued at the same time; returns the rows it affected.</summary>
    public async Task<int> ExecuteAsync(NpgsqlBatchCommand command, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync([command], cancellationToken))[0];

    /// <summary>
    /// Runs commands that must commit together (all in the same batch, in this order); returns the rows each
    /// affected. A cancelled caller stops waiting, but commands already handed to the server still run.
    /// </summary>
    public Task<int[]> ExecuteAsync(IReadOnlyList<NpgsqlBatchCommand> commands, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commands);
        if (commands.Count == 0)
        {
            return Task.FromResult(Array.Empty<int>());
        }

        if (commands.Count > maxCommandsPerBatch)
        {
            throw new ArgumentException($"{commands.Count} commands exceed the batch limit of {maxCommandsPerBatch}.", nameof(commands));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var unit = new Unit(commands, cancellationToken);
        Trace(unit);
        _queue.Enqueue(unit);
        if (Interlocked.CompareExchange(ref _looping, 1, 0) == 0)
        {
            // The loop serves every caller, so it must not run inside the first one's trace.
            using (ExecutionContext.SuppressFlow())
            {
                _ = Task.Run(LoopAsync, CancellationToken.None);
            }
        }

        return unit.Completion.Task;
    }

    /// <summary>A span in the caller's trace from queueing the write until its batch committed.</summary>
    private static void Trace(Unit unit)
    {
        var caller = Activity.Current;
        var activity = StorageTelemetry.Source.StartActivity("postgresql batched write", ActivityKind.Client);
        // Not async: without this the span would stay current in the caller's flow after the call returns.
        Activity.Current = caller;
        if (activity is null)
        {
            return;
        }

        activity.SetTag("db.system", "postgresql");
        activity.SetTag("db.batch.size", unit.Commands.Count);
        unit.Completion.Task.ContinueWith(
            static (task, state) =>
            {
                var span = (Activity)state!;
                if (!task.IsCompletedSuccessfully)
                {
                    span.SetStatus(ActivityStatusCode.Error, task.Exception?.InnerException?.Message ?? "cancelled");
                }

                span.Dispose();
            },
            activity,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private async Task LoopAsync()
    {
        // One connection serves the whole run of batches, so back-to-back batches skip the pool's reset.
        NpgsqlConnection? connection = null;
        try
        {
            while (true)
            {
                var units = TakeBatch();
                if (units.Count > 0)
                {
                    connection = await SendAsync(connection, units);
                    continue;
                }

                Volatile.Write(ref _looping, 0);
                // A caller may have enqueued after the queue looked empty but before the flag dropped; it saw the
                // loop running and left the work to it, so take that work on unless another loop already did.
                if (_queue.IsEmpty || Interlocked.CompareExchange(ref _looping, 1, 0) != 0)
                {
                    return;
                }
            }
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private List<Unit> TakeBatch()
    {
        var units = new List<Unit>();
        var commands = 0;
        while (_queue.TryPeek(out var next) && (units.Count == 0 || commands + next.Commands.Count <= maxCommandsPerBatch))
        {
            _queue.TryDequeue(out _);
            if (next.Completion.Task.IsCompleted)
            {
                // Its caller cancelled before the work left; nobody waits for it any more.
                continue;
            }

            units.Add(next);
            commands += next.Commands.Count;
        }

        return units;
    }

    private static string WithAutoPrepare(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.MaxAutoPrepare = Math.Max(builder.MaxAutoPrepare, 32);
        return builder.ConnectionString;
    }

    /// <summary>Sends one batch and completes its callers; returns the connection to use for the next one.</summary>
    private async Task<NpgsqlConnection?> SendAsync(NpgsqlConnection? connection, List<Unit> units)
    {
        try
        {
            connection = await EnsureOpenAsync(connection);
            try
            {
                await RunAsync(connection, units);
                foreach (var unit in units)
                {
                    unit.Completion.TrySetResult([.. unit.Commands.Select(c => c.RecordsAffected)]);
                }

                return connection;
            }
            catch (Exception) when (units.Count > 1)
            {
                // The batch was one transaction, so nothing of it stayed. Run each caller's commands on their own:
                // the one that broke the batch gets its own error, the others their results.
            }

            foreach (var unit in units)
            {
                try
                {
                    connection = await EnsureOpenAsync(connection);
                    await RunAsync(connection, [unit]);
                    unit.Completion.TrySetResult([.. unit.Commands.Select(c => c.RecordsAffected)]);
                }
                catch (Exception e)
                {
                    unit.Completion.TrySetException(e);
                }
            }

            return connection;
        }
        catch (Exception e)
        {
            // No connection, or the lone unit failed: every caller of this batch sees why.
            foreach (var unit in units)
            {
                unit.Completion.TrySetException(e);
            }

            return connection;
        }
    }

    private async Task<NpgsqlConnection> EnsureOpenAsync(NpgsqlConnection? connection)
    {
        if (connection?.State == System.Data.ConnectionState.Open)
        {
            return connection;
        }

        if (connection is not null)
        {
            // Broken by the last batch: a fresh one from the pool.
            await connection.DisposeAsync();
        }

        connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        return connection;
    }

    private async Task RunAsync(NpgsqlConnection connection, IReadOnlyList<Unit> units)
    {
        await using var batch = new NpgsqlBatch(connection);
        foreach (var unit in units)
        {
            foreach (var command in unit.Commands)
            {
                batch.BatchCommands.Add(command);
            }
        }

        Interlocked.Increment(ref _batchesSent);
        try
        {
            await batch.ExecuteNonQueryAsync();
        }
        finally
        {
            // The commands may be sent again in another batch after a failure.
            batch.BatchCommands.Clear();
        }
    }

    /// <summary>One caller's commands and the place its result goes.</summary>
    private sealed class Unit
    {
        public Unit(IReadOnlyList<NpgsqlBatchCommand> commands, CancellationToken cancellationToken)
        {
            Commands = commands;
            if (cancellationToken.CanBeCanceled)
            {
                _registration = cancellationToken.Register(() => Completion.TrySetCanceled(cancellationToken));
                Completion.Task.ContinueWith(
                    static (_, state) => ((CancellationTokenRegistration)state!).Dispose(),
                    _registration, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }

        private readonly CancellationTokenRegistration _registration;

        public IReadOnlyList<NpgsqlBatchCommand> Commands { get; }

        // Continuations run off the loop so a slow caller never holds up the next batch.
        public TaskCompletionSource<int[]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
