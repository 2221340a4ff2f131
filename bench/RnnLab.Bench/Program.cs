return args.FirstOrDefault() switch
{
    "fanova" => RnnLab.Bench.FanovaBench.Run(args[1..]),
    "orchestration" => RnnLab.Bench.OrchestrationBench.Run(args[1..]),
    "tasks" => RnnLab.Bench.TasksBench.Run(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: RnnLab.Bench <command> [options]; commands: fanova, orchestration, tasks");
    return 2;
}
