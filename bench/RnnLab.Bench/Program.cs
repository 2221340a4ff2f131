return args.FirstOrDefault() switch
{
    "api" => RnnLab.Bench.ApiBench.Run(args[1..]),
    "cells" => RnnLab.Bench.CellsBench.Run(args[1..]),
    "dashboard" => RnnLab.Bench.DashboardBench.Run(args[1..]),
    "fanova" => RnnLab.Bench.FanovaBench.Run(args[1..]),
    "orchestration" => RnnLab.Bench.OrchestrationBench.Run(args[1..]),
    "scheduler" => RnnLab.Bench.SchedulerBench.Run(args[1..]),
    "tasks" => RnnLab.Bench.TasksBench.Run(args[1..]),
    "corpus" => RnnLab.Bench.CorpusBench.Run(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: RnnLab.Bench <command> [options]; commands: api, cells, corpus, dashboard, fanova, orchestration, scheduler, tasks");
    return 2;
}
