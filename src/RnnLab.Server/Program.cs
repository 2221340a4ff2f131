using RnnLab.Server.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddRnnLabServer();
var app = builder.Build();
app.MapRnnLabServer();
app.Run();
