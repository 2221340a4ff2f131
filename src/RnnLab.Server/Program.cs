using RnnLab.Server.Hosting;

// Settings are read from the folder the server was installed in, whatever directory it was started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
WebApplication app;
try
{
    builder.AddRnnLabServer();
    GrpcEndpointSettings.Validate(builder.Configuration, builder.Environment.ContentRootPath);
    app = builder.Build();
}
catch (InvalidOperationException exception)
{
    // A configuration mistake: one line naming the key, not a stack trace.
    Console.Error.WriteLine($"rnnlab-server: {exception.Message}");
    return 2;
}

app.MapRnnLabServer();
app.Run();
return 0;
