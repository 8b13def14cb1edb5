using Davit.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddWebDav().AddInMemoryStore();
var app = builder.Build();
app.MapWebDav("/");
app.Run();
