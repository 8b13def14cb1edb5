namespace Davit.Server.Tests;

public sealed class ServerOptionsTests
{
    [Fact]
    public void Defaults_Are_Valid_And_Serve_Data_At_The_Root_From_The_File_System()
    {
        var options = new ServerOptions();
        Assert.Empty(options.Validate());
        Assert.Equal("data", options.Root);
        Assert.Equal("/", options.Prefix);
        Assert.Null(options.LogFile);
        Assert.Equal("filesystem", options.Store);
    }

    [Theory]
    [InlineData("filesystem")]
    [InlineData("memory")]
    [InlineData("FileSystem")]
    [InlineData("Memory")]
    public void Known_Stores_Are_Accepted(string store) => Assert.Empty(new ServerOptions { Store = store }.Validate());

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Empty_Root_Is_Rejected(string root) =>
        Assert.Contains(new ServerOptions { Root = root }.Validate(), e => e.StartsWith("The root folder is empty", StringComparison.Ordinal));

    [Theory]
    [InlineData("/dav")]
    [InlineData("/dav/")]
    [InlineData("/a/b")]
    public void Path_Prefixes_Are_Accepted(string prefix) => Assert.Empty(new ServerOptions { Prefix = prefix }.Validate());

    [Theory]
    [InlineData("")]
    [InlineData("dav")]
    [InlineData("/dav?x=1")]
    [InlineData("/dav#top")]
    [InlineData("//dav")]
    [InlineData("/a\\b")]
    public void Prefixes_That_Are_Not_Paths_Are_Rejected(string prefix) =>
        Assert.Contains(new ServerOptions { Prefix = prefix }.Validate(), e => e.StartsWith($"The prefix '{prefix}'", StringComparison.Ordinal));

    [Fact]
    public void Unknown_Store_Is_Rejected_With_The_Accepted_Values()
    {
        var error = Assert.Single(new ServerOptions { Store = "s3" }.Validate());
        Assert.Equal("Unknown store 's3': use --store filesystem or --store memory (Davit:Store).", error);
    }

    [Fact]
    public void Switches_Map_Onto_The_Davit_Section()
    {
        Assert.Equal("Davit:Root", ServerOptions.SwitchMappings["--root"]);
        Assert.Equal("Davit:Prefix", ServerOptions.SwitchMappings["--prefix"]);
        Assert.Equal("Davit:LogFile", ServerOptions.SwitchMappings["--log-file"]);
        Assert.Equal("Davit:Store", ServerOptions.SwitchMappings["--store"]);
    }
}
