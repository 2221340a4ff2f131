using System.ComponentModel;
using RnnLab.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Cli;

namespace RnnLab.Cli.Api.Commands;

/// <summary><c>rnnlab data push FILE [--name NAME]</c>: uploads a dataset that specs can name as its task.</summary>
public sealed class DataPushCommand : ApiCommand<DataPushCommand.Settings>
{
    public sealed class Settings : ApiSettings
    {
        [CommandArgument(0, "<FILE>")]
        [Description("A polyphonic music .json file (Boulanger-Lewandowski format) or a UTF-8 text file.")]
        public string File { get; init; } = "";

        [CommandOption("--name <NAME>")]
        [Description("The name specs can use as dataset:NAME (default: the file name with a piece of its hash).")]
        public string? Name { get; init; }
    }

    protected override async Task<int> ExecuteAsync(ApiConnection connection, Settings settings, CancellationToken cancellationToken)
    {
        if (!System.IO.File.Exists(settings.File))
        {
            throw new ArgumentException($"FILE: '{settings.File}' does not exist");
        }

        var dataset = await DatasetUpload.PushAsync(connection, settings.File, settings.Name, cancellationToken);
        if (settings.Json)
        {
            JsonOutput.Write(dataset);
        }
        else
        {
            AnsiConsole.MarkupLineInterpolated($"[bold]{dataset.Name}[/] ({dataset.Format}, {dataset.Size} bytes): use [bold]task: {dataset.Reference}[/] or task: dataset:{dataset.Name}");
        }

        return ExitCodes.Ok;
    }
}

/// <summary><c>rnnlab data ls</c>: the datasets on the server.</summary>
public sealed class DataListCommand : ApiCommand<ApiSettings>
{
    protected override async Task<int> ExecuteAsync(ApiConnection connection, ApiSettings settings, CancellationToken cancellationToken)
    {
        var response = await connection.Datasets.ListDatasetsAsync(new ListDatasetsRequest(), cancellationToken: cancellationToken);
        if (settings.Json)
        {
            JsonOutput.Write(response);
            return ExitCodes.Ok;
        }

        var table = new Table().AddColumns("name", "format", "bytes", "reference", "uploaded");
        foreach (var d in response.Datasets)
        {
            table.AddRow(Markup.Escape(d.Name), d.Format, d.Size.ToString(System.Globalization.CultureInfo.InvariantCulture), d.Reference,
                d.CreatedAt.ToDateTime().ToString("u", System.Globalization.CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
        return ExitCodes.Ok;
    }
}

/// <summary><c>rnnlab data rm REF</c>: removes a dataset by sha256:HEX or dataset:NAME.</summary>
public sealed class DataRemoveCommand : ApiCommand<DataRemoveCommand.Settings>
{
    public sealed class Settings : ApiSettings
    {
        [CommandArgument(0, "<REF>")]
        [Description("sha256:HEX or dataset:NAME (a bare NAME means dataset:NAME).")]
        public string Reference { get; init; } = "";
    }

    protected override async Task<int> ExecuteAsync(ApiConnection connection, Settings settings, CancellationToken cancellationToken)
    {
        var reference = Storage.DatasetNames.IsReference(settings.Reference) ? settings.Reference : Storage.DatasetNames.NamePrefix + settings.Reference;
        await connection.Datasets.DeleteDatasetAsync(new DeleteDatasetRequest { Reference = reference }, cancellationToken: cancellationToken);
        if (!settings.Json)
        {
            AnsiConsole.MarkupLineInterpolated($"removed {reference}");
        }
        else
        {
            JsonOutput.Write(new DeleteDatasetResponse());
        }

        return ExitCodes.Ok;
    }
}
