using Microsoft.Extensions.Options;
using RnnLab.Dashboard.Hosting;

namespace RnnLab.Dashboard;

/// <summary>Runs the dashboard on its own: <c>RnnLab.Dashboard --server http://HOST:5180 [--urls http://0.0.0.0:5190]</c>.</summary>
public static class DashboardProgram
{
    public static int Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = Translate(args) });
        builder.Configuration.AddEnvironmentVariables("RNNLAB_");
        builder.AddRnnLabDashboard();
        var app = builder.Build();
        app.MapRnnLabDashboard();
        try
        {
            app.Run();
            return 0;
        }
        catch (OptionsValidationException exception)
        {
            Console.Error.WriteLine(exception.Message);
            return 2;
        }
    }

    /// <summary>--server URL and --api-key KEY are short for the configuration keys Dashboard:Server and Dashboard:ApiKey.</summary>
    internal static string[] Translate(string[] args) =>
        args.Select(arg => arg switch
        {
            "--server" => "--Dashboard:Server",
            "--api-key" => "--Dashboard:ApiKey",
            _ => arg,
        }).ToArray();
}
