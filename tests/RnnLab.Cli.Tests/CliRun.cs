using RnnLab.Cli;
using Spectre.Console;
using Spectre.Console.Cli;

namespace RnnLab.Cli.Tests;

/// <summary>Runs <c>rnnlab</c> in-process and captures what it prints (stdout, stderr and Spectre's console).</summary>
internal static class CliRun
{
    private static readonly Lock Gate = new();

    public static (int ExitCode, string Out, string Error) Run(params string[] args)
    {
        lock (Gate)
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
                Out = new AnsiConsoleOutput(stdout),
            });
            var (oldOut, oldError, oldConsole) = (Console.Out, Console.Error, AnsiConsole.Console);
            Console.SetOut(stdout);
            Console.SetError(stderr);
            AnsiConsole.Console = console;
            try
            {
                var app = new CommandApp();
                app.Configure(config =>
                {
                    config.Settings.Console = console;
                    config.AddLocalCommands();
                });
                var code = app.Run(args);
                return (code, stdout.ToString(), stderr.ToString());
            }
            finally
            {
                Console.SetOut(oldOut);
                Console.SetError(oldError);
                AnsiConsole.Console = oldConsole;
            }
        }
    }
}
