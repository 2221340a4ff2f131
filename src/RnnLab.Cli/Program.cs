using RnnLab.Cli;
using RnnLab.Cli.Api;
using Spectre.Console.Cli;

using var cancellation = new ConsoleCancellation();
var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("rnnlab");
    config.AddLocalCommands();
    config.AddApiCommands();
});
return app.Run(args, cancellation.Token);
