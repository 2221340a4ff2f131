using RnnLab.Cli.Api.Commands;
using Spectre.Console.Cli;

namespace RnnLab.Cli.Api;

/// <summary>Registers the server and client commands of <c>rnnlab</c>.</summary>
public static class ApiCommands
{
    public static IConfigurator AddApiCommands(this IConfigurator config)
    {
        config.AddCommand<RunCommand>("run").WithDescription("Run a sweep in this process (no server needed), then show its analysis.")
            .WithExample("run", "experiments/quickstart.yaml");
        config.AddCommand<ServeCommand>("serve").WithDescription("Serve the API with a worker and SQLite on localhost.");
        config.AddCommand<SubmitCommand>("submit").WithDescription("Submit a sweep spec to a server.")
            .WithExample("submit", "experiments/quickstart.yaml", "--watch");
        config.AddCommand<WatchCommand>("watch").WithDescription("Follow a sweep's progress (Ctrl-C leaves it running).");
        config.AddCommand<ListSweepsCommand>("ls").WithDescription("List sweeps.");
        config.AddCommand<ShowCommand>("show").WithDescription("Show one sweep.");
        config.AddCommand<TrialsCommand>("trials").WithDescription("List a sweep's trials.");
        config.AddCommand<AnalyzeCommand>("analyze").WithDescription("Leaderboard, cells against lstm, fANOVA importance.");
        config.AddCommand<ExportCommand>("export").WithDescription("Export a sweep as CSV.");
        config.AddCommand<ReportCommand>("report").WithDescription("Write a sweep's report: HTML, or Markdown plus PNG figures.")
            .WithExample("report", "SWEEP_ID", "-o", "report.html")
            .WithExample("report", "SWEEP_ID", "--db", "rnnlab.db", "--format", "md", "-o", "docs/report.md");
        config.AddCommand<CancelCommand>("cancel").WithDescription("Cancel a sweep.");
        config.AddCommand<PauseCommand>("pause").WithDescription("Pause a sweep.");
        config.AddCommand<ResumeCommand>("resume").WithDescription("Resume a paused sweep.");
        config.AddCommand<ExtendCommand>("extend").WithDescription("Add trials to a sweep, reopening it if it finished.")
            .WithExample("extend", "ID", "--trials", "10");
        config.AddCommand<RetryCommand>("retry").WithDescription("Run a sweep's failed (or other) trials again.")
            .WithExample("retry", "ID", "--states", "failed,cancelled");
        config.AddCommand<StopCommand>("stop").WithDescription("Stop one trial (cancelled, or pruned with --prune).");
        config.AddBranch("data", data =>
        {
            data.SetDescription("Datasets on the server: specs name them as task: sha256:HASH or task: dataset:NAME.");
            data.AddCommand<DataPushCommand>("push").WithDescription("Upload a music .json or text file as a dataset.")
                .WithExample("data", "push", "corpus.txt", "--name", "corpus");
            data.AddCommand<DataListCommand>("ls").WithDescription("List the datasets.");
            data.AddCommand<DataRemoveCommand>("rm").WithDescription("Remove a dataset.");
        });
        return config;
    }
}
