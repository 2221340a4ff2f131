return args.FirstOrDefault() switch
{
    "tasks" => RnnLab.Bench.TasksBench.Run(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: RnnLab.Bench <command> [options]; commands: tasks");
    return 2;
}
