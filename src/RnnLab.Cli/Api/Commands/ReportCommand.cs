using System.ComponentModel;
using RnnLab.Contracts.V1;
using RnnLab.Reports;
using RnnLab.Server.Sweeping;
using RnnLab.Storage;
using Spectre.Console;
using Spectre.Console.Cli;

namespace RnnLab.Cli.Api.Commands;

/// <summary>
/// <c>rnnlab report ID -o report.html</c>: a self-contained report of a sweep (HTML, or Markdown plus PNG figures), from
/// a server (GetSweepReport) or straight from the SQLite file of an embedded run (<c>--db</c>).
/// </summary>
public sealed class ReportCommand : ApiCommand<ReportCommand.Settings>
{
    public sealed class Settings : SweepIdSettings
    {
        [CommandOption("-o|--output <FILE>")]
        [Description("The report file (default report.html, or report.md with --format md); Markdown figures go to FILE-figures/ beside it.")]
        public string? Output { get; init; }

        [CommandOption("--format <FORMAT>")]
        [Description("html (one self-contained file) or md (Markdown plus PNG figures and SVG drawings of cell graphs); default: from the output's extension, else html.")]
        public string? Format { get; init; }

        [CommandOption("--baseline <CELL>")]
        [Description("The cell the others are compared with (default lstm).")]
        [DefaultValue("lstm")]
        public string Baseline { get; init; } = "lstm";

        [CommandOption("--db <FILE>")]
        [Description("Read the sweep from this SQLite file (e.g. of a finished `rnnlab run`) instead of a server.")]
        public string? Database { get; init; }

        public ReportFormat ReportFormat => (Format?.ToLowerInvariant(), Path.GetExtension(Output ?? "").ToLowerInvariant()) switch
        {
            ("md" or "markdown", _) => ReportFormat.Markdown,
            ("html", _) => ReportFormat.Html,
            (null, ".md") => ReportFormat.Markdown,
            (null, _) => ReportFormat.Html,
            _ => throw new ArgumentException($"--format: '{Format}' is not a report format; use html or md"),
        };

        public override ValidationResult Validate() =>
            Format is null or "html" or "md" or "markdown"
                ? ValidationResult.Success()
                : ValidationResult.Error($"--format: '{Format}' is not a report format; use html or md");
    }

    protected override async Task<int> ExecuteAsync(ApiConnection connection, Settings settings, CancellationToken cancellationToken)
    {
        var format = settings.ReportFormat;
        var output = Path.GetFullPath(settings.Output ?? (format == ReportFormat.Markdown ? "report.md" : "report.html"));
        var name = Path.GetFileNameWithoutExtension(output);
        IReadOnlyList<(string Path, byte[] Content)> files;
        if (settings.Database is { } database)
        {
            if (!File.Exists(database))
            {
                throw new ArgumentException($"--db: no such file '{database}'");
            }

            if (!Guid.TryParse(settings.SweepId, out var id))
            {
                throw new ArgumentException($"'{settings.SweepId}' is not a sweep id");
            }

            // Read-only: a report never changes the database, even one a running sweep is writing.
            var stores = new RnnLabDatabase(new StorageOptions
            {
                Provider = StorageProvider.Sqlite,
                ConnectionString = $"Data Source={Path.GetFullPath(database)};Mode=ReadOnly",
                MigrateOnStartup = false,
            }).CreateStores();
            var rendered = await new SweepReporter(stores.Sweeps, stores.Trials)
                .RenderAsync(id, format, settings.Baseline, name, cancellationToken);
            if (rendered is null)
            {
                ApiErrorReport.PrintMessage($"no sweep {id} in {database}", settings.Json);
                return ExitCodes.NotFound;
            }

            files = rendered.Select(f => (f.Path, f.Content)).ToList();
        }
        else
        {
            var report = await connection.Sweeps.GetSweepReportAsync(new GetSweepReportRequest
            {
                SweepId = settings.SweepId,
                Format = format == ReportFormat.Markdown ? "markdown" : "html",
                BaselineCell = settings.Baseline,
                Name = name,
            }, cancellationToken: cancellationToken);
            files = report.Files.Select(f => (f.Path, f.Content.ToByteArray())).ToList();
        }

        var folder = Path.GetDirectoryName(output)!;
        foreach (var (path, content) in files)
        {
            var target = Path.GetFullPath(Path.Combine(folder, path));
            if (!target.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new ArgumentException($"the report names a file outside its folder: '{path}'");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await File.WriteAllBytesAsync(target, content, cancellationToken);
        }

        if (settings.Json)
        {
            Console.Out.WriteLine(new System.Text.Json.Nodes.JsonObject
            {
                ["report"] = output,
                ["files"] = new System.Text.Json.Nodes.JsonArray(files.Select(f => (System.Text.Json.Nodes.JsonNode)Path.Combine(folder, f.Path)).ToArray()),
            }.ToJsonString());
        }
        else
        {
            AnsiConsole.MarkupLineInterpolated($"wrote [green]{output}[/] ({files.Count} file{(files.Count == 1 ? "" : "s")})");
        }

        return ExitCodes.Ok;
    }
}
