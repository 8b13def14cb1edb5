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
    public void The_Content_Cache_Is_On_By_Default_In_The_Users_Cache_Folder_With_1_GiB()
    {
        var cache = new ServerOptions().ContentCacheOptions();
        Assert.NotNull(cache);
        Assert.Equal(ServerOptions.DefaultContentCache(), cache.Directory);
        Assert.EndsWith(Path.Combine("davit", "content-cache"), cache.Directory, StringComparison.Ordinal);
        Assert.Equal(1L << 30, cache.MaxBytes);
    }

    [Theory]
    [InlineData("off")]
    [InlineData("OFF")]
    public void The_Content_Cache_Can_Be_Turned_Off(string value) => Assert.Null(new ServerOptions { ContentCache = value }.ContentCacheOptions());

    [Fact]
    public void The_Content_Cache_Takes_A_Folder_And_A_Size()
    {
        var cache = new ServerOptions { ContentCache = "/var/cache/davit", ContentCacheSize = "4GiB" }.ContentCacheOptions();
        Assert.Equal(Path.GetFullPath("/var/cache/davit"), cache!.Directory);
        Assert.Equal(4L << 30, cache.MaxBytes);
        Assert.Null(new ServerOptions { ContentCacheSize = "0" }.ContentCacheOptions());
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("-1GiB")]
    [InlineData("")]
    public void A_Content_Cache_Size_That_Is_Not_A_Size_Is_Rejected(string size) =>
        Assert.Contains(new ServerOptions { ContentCacheSize = size }.Validate(), e => e.StartsWith($"The content cache size '{size}'", StringComparison.Ordinal));

    [Fact]
    public void Unknown_Store_Is_Rejected_With_The_Accepted_Values()
    {
        var error = Assert.Single(new ServerOptions { Store = "s3" }.Validate());
        Assert.Equal("Unknown store 's3': use --store filesystem, memory or postgres (Davit:Store).", error);
    }

    [Fact]
    public void The_Postgres_Store_Needs_A_Connection_String_And_No_Root()
    {
        var error = Assert.Single(new ServerOptions { Store = "postgres", Root = "" }.Validate());
        Assert.StartsWith("The PostgreSQL store needs a connection string", error, StringComparison.Ordinal);
        Assert.Empty(new ServerOptions { Store = "postgres", Root = "", ConnectionString = "Host=/tmp;Database=davit" }.Validate());
        Assert.Equal("Davit:ConnectionString", ServerOptions.SwitchMappings["--connection-string"]);
    }

    [Fact]
    public void Switches_Map_Onto_The_Davit_Section()
    {
        Assert.Equal("Davit:Root", ServerOptions.SwitchMappings["--root"]);
        Assert.Equal("Davit:Prefix", ServerOptions.SwitchMappings["--prefix"]);
        Assert.Equal("Davit:LogFile", ServerOptions.SwitchMappings["--log-file"]);
        Assert.Equal("Davit:Store", ServerOptions.SwitchMappings["--store"]);
    }

    [Fact]
    public void Account_And_Certificate_Switches_Map_Onto_The_Davit_Section()
    {
        Assert.Equal("Davit:UsersFile", ServerOptions.SwitchMappings["--users"]);
        Assert.Equal("Davit:AnonymousRead", ServerOptions.SwitchMappings["--anonymous-read"]);
        Assert.Equal("Davit:AllowBasicOverHttp", ServerOptions.SwitchMappings["--allow-basic-over-http"]);
        Assert.Equal("Davit:Realm", ServerOptions.SwitchMappings["--realm"]);
        Assert.Equal("Davit:Certificate", ServerOptions.SwitchMappings["--cert"]);
        Assert.Equal("Davit:CertificateKey", ServerOptions.SwitchMappings["--cert-key"]);
        Assert.Equal("Davit:CertificatePassword", ServerOptions.SwitchMappings["--cert-password"]);
    }

    [Fact]
    public void By_Default_There_Are_No_Accounts_And_No_Certificate()
    {
        var options = new ServerOptions();
        Assert.Null(options.UsersFile);
        Assert.False(options.AnonymousRead);
        Assert.False(options.AllowBasicOverHttp);
        Assert.Null(options.Certificate);
        Assert.Equal(5, options.MaxFailedLogins);
        Assert.Equal(TimeSpan.FromMinutes(5), options.FailedLoginWindow);
    }

    [Theory]
    [InlineData("anonymous", "AnonymousRead needs a users file")]
    [InlineData("realm", "The realm")]
    [InlineData("failures", "MaxFailedLogins must be at least 1")]
    [InlineData("window", "FailedLoginWindow must be positive")]
    [InlineData("key", "without a certificate")]
    public void Account_And_Certificate_Problems_Are_Named(string problem, string expected)
    {
        var options = problem switch
        {
            "anonymous" => new ServerOptions { AnonymousRead = true },
            "realm" => new ServerOptions { Realm = "say \"hi\"" },
            "failures" => new ServerOptions { MaxFailedLogins = 0 },
            "window" => new ServerOptions { FailedLoginWindow = TimeSpan.Zero },
            _ => new ServerOptions { CertificateKey = "key.pem" },
        };
        Assert.Contains(options.Validate(), e => e.Contains(expected, StringComparison.Ordinal));
        Assert.Empty(new ServerOptions { UsersFile = "users.json", AnonymousRead = true }.Validate());
    }

    [Fact]
    public void Folder_Quotas_Are_Parsed_And_Bad_Ones_Named()
    {
        var good = new ServerOptions { Quotas = [new FolderQuotaOptions { Path = "/shared", Size = "10 GiB" }, new FolderQuotaOptions { Path = "teams/a", Size = "1000" }] };
        Assert.Empty(good.Validate());
        Assert.Equal([new Davit.Quotas.DavQuota(Davit.Storage.DavPath.Parse("shared"), 10L << 30), new Davit.Quotas.DavQuota(Davit.Storage.DavPath.Parse("teams/a"), 1000)], good.FolderQuotas());

        var bad = new ServerOptions { Quotas = [new FolderQuotaOptions { Path = "../x", Size = "1" }, new FolderQuotaOptions { Path = "/y", Size = "1.5 GB" }] };
        var errors = bad.Validate();
        Assert.Contains(errors, e => e.StartsWith("The quota path '../x'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("The quota size '1.5 GB' of '/y'", StringComparison.Ordinal));
    }
}
