using RnnLab.Cli;
using Spectre.Console.Cli;

using var cancellation = new ConsoleCancellation();
var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("rnnlab");
    config.AddLocalCommands();
});
return app.Run(args, cancellation.Token);
