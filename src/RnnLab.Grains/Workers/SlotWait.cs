namespace RnnLab.Grains.Workers;

/// <summary>
/// Blocks a slot's thread on a task without the spinning of Task.Wait: a spinning slot takes the core the database
/// and the silo need to hand it its next trial.
/// </summary>
internal static class SlotWait
{
    /// <summary>The task's result on a slot's thread; its exception is thrown as is.</summary>
    public static T Block<T>(Task<T> task)
    {
        Until(task);
        return task.GetAwaiter().GetResult();
    }

    /// <summary>Blocks until the task ends and throws its exception, if any.</summary>
    public static void Block(Task task)
    {
        Until(task);
        task.GetAwaiter().GetResult();
    }

    /// <summary>Blocks until the task ends (the caller looks at its outcome).</summary>
    public static void Until(Task task)
    {
        if (task.IsCompleted)
        {
            return;
        }

        var gate = new object();
        task.ContinueWith(
            static (_, state) =>
            {
                lock (state!)
                {
                    Monitor.PulseAll(state);
                }
            },
            gate,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        lock (gate)
        {
            while (!task.IsCompleted)
            {
                Monitor.Wait(gate);
            }
        }
    }
}
