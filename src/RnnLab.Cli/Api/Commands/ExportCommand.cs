using System.ComponentModel;
using Grpc.Core;
using RnnLab.Contracts.V1;
using Spectre.Console.Cli;

namespace RnnLab.Cli.Api.Commands;

/// <summary><c>rnnlab export ID</c>: the sweep's trials (or metric points) as CSV, to a file or stdout.</summary>
public sealed class ExportCommand : ApiCommand<ExportCommand.Settings>
{
    public sealed class Settings : SweepIdSettings
    {
        [CommandOption("--table <TABLE>")]
        [Description("trials (one row per trial, default) or metrics (one row per trial, epoch and metric).")]
        [DefaultValue("trials")]
        public string Table { get; init; } = "trials";

        [CommandOption("-o|--output <FILE>")]
        [Description("Write to this file instead of stdout.")]
        public string? Output { get; init; }
    }

    protected override async Task<int> ExecuteAsync(ApiConnection connection, Settings settings, CancellationToken cancellationToken)
    {
        using var call = connection.Sweeps.ExportSweep(
            new ExportSweepRequest { SweepId = settings.SweepId, Table = settings.Table }, cancellationToken: cancellationToken);
        await using var output = settings.Output is null ? Console.OpenStandardOutput() : File.Create(settings.Output);
        await foreach (var chunk in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            chunk.Data.WriteTo(output);
        }

        return ExitCodes.Ok;
    }
}
