using System.Net;

namespace Davit.Conformance.Http;

public abstract partial class HttpConformanceTests
{
    [Fact]
    public async Task Copy_To_An_Absolute_Uri_Returns_201_And_Keeps_The_Source()
    {
        await Client.PutAsync("src.txt", "content");
        var copy = await Client.SendAsync("COPY", "src.txt", null, ("Destination", Server.Url("dst.txt").AbsoluteUri));
        Assert.Equal(HttpStatusCode.Created, copy.StatusCode);
        Assert.Equal("content", await Client.GetStringAsync("dst.txt"));
        Assert.Equal("content", await Client.GetStringAsync("src.txt"));
    }

    [Fact]
    public async Task Copy_To_An_Absolute_Path_Works()
    {
        await Client.PutAsync("src.txt", "content");
        var copy = await Client.SendAsync("COPY", "src.txt", null, ("Destination", Href("abs.txt")));
        Assert.Equal(HttpStatusCode.Created, copy.StatusCode);
        Assert.Equal("content", await Client.GetStringAsync("abs.txt"));
    }

    [Fact]
    public async Task Copy_Onto_An_Existing_File_Overwrites_By_Default_With_204_And_Refuses_With_Overwrite_F()
    {
        await Client.PutAsync("one.txt", "one");
        await Client.PutAsync("two.txt", "two");
        var refused = await Client.SendAsync("COPY", "one.txt", null, ("Destination", Href("two.txt")), ("Overwrite", "F"));
        Assert.Equal(HttpStatusCode.PreconditionFailed, refused.StatusCode);
        Assert.Equal("two", await Client.GetStringAsync("two.txt"));
        var replaced = await Client.SendAsync("COPY", "one.txt", null, ("Destination", Href("two.txt")));
        Assert.Equal(HttpStatusCode.NoContent, replaced.StatusCode);
        Assert.Equal("one", await Client.GetStringAsync("two.txt"));
    }

    [Fact]
    public async Task Copy_Of_A_File_Over_A_Folder_Replaces_The_Folder_Wholly()
    {
        await Client.PutAsync("file.txt", "f");
        await Client.SendAsync("MKCOL", "folder/");
        await Client.PutAsync("folder/inner.txt", "i");
        var copy = await Client.SendAsync("COPY", "file.txt", null, ("Destination", Href("folder")));
        Assert.Equal(HttpStatusCode.NoContent, copy.StatusCode);
        Assert.Equal("f", await Client.GetStringAsync("folder"));
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("folder/inner.txt")).StatusCode);
    }

    [Fact]
    public async Task Copy_Of_A_Folder_Is_Deep_By_Default_And_Shallow_With_Depth_0()
    {
        await Client.SendAsync("MKCOL", "c/");
        await Client.SendAsync("MKCOL", "c/d/");
        await Client.PutAsync("c/d/f.txt", "deep");
        var deep = await Client.SendAsync("COPY", "c/", null, ("Destination", Href("deep/")));
        Assert.Equal(HttpStatusCode.Created, deep.StatusCode);
        Assert.Equal("deep", await Client.GetStringAsync("deep/d/f.txt"));

        var shallow = await Client.SendAsync("COPY", "c/", null, ("Destination", Href("shallow/")), ("Depth", "0"));
        Assert.Equal(HttpStatusCode.Created, shallow.StatusCode);
        var listing = Dav.Hrefs(await Dav.MultistatusAsync(await Client.PropfindAsync("shallow/", "1")));
        Assert.Equal([Href("shallow/")], listing);
    }

    [Fact]
    public async Task Copy_With_Depth_1_Returns_400()
    {
        await Client.SendAsync("MKCOL", "c/");
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.SendAsync("COPY", "c/", null, ("Destination", Href("x/")), ("Depth", "1"))).StatusCode);
    }

    [Fact]
    public async Task Copy_Into_A_Missing_Folder_Returns_409()
    {
        await Client.PutAsync("src.txt", "x");
        Assert.Equal(HttpStatusCode.Conflict, (await Client.SendAsync("COPY", "src.txt", null, ("Destination", Href("missing/dst.txt")))).StatusCode);
    }

    [Fact]
    public async Task Copy_Onto_Itself_Or_Into_Itself_Returns_403()
    {
        await Client.SendAsync("MKCOL", "self/");
        await Client.PutAsync("self.txt", "x");
        Assert.Equal(HttpStatusCode.Forbidden, (await Client.SendAsync("COPY", "self.txt", null, ("Destination", Href("self.txt")))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Client.SendAsync("COPY", "self/", null, ("Destination", Href("self/inside/")))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Client.SendAsync("MOVE", "self/", null, ("Destination", Href("self/inside/")))).StatusCode);
    }

    [Fact]
    public async Task Copy_Or_Move_Without_A_Destination_Returns_400()
    {
        await Client.PutAsync("src.txt", "x");
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.SendAsync("COPY", "src.txt")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.SendAsync("MOVE", "src.txt", null, ("Destination", "not a uri"))).StatusCode);
        Assert.Equal("x", await Client.GetStringAsync("src.txt"));
    }

    [Fact]
    public async Task Move_To_A_Destination_Outside_The_Mount_Returns_502()
    {
        if (Server.Prefix.Length == 0)
        {
            // Mounted at the root, every path is inside the mount.
            return;
        }

        await Client.PutAsync("src.txt", "x");
        var move = await Client.SendAsync("MOVE", "src.txt", null, ("Destination", "/elsewhere/x.txt"));
        Assert.Equal(HttpStatusCode.BadGateway, move.StatusCode);
        Assert.Equal("x", await Client.GetStringAsync("src.txt"));
    }

    [Fact]
    public async Task Move_Renames_A_File_And_Replaces_With_204()
    {
        await Client.PutAsync("m1.txt", "one");
        await Client.PutAsync("m2.txt", "two");
        Assert.Equal(HttpStatusCode.Created, (await Client.SendAsync("MOVE", "m1.txt", null, ("Destination", Href("m3.txt")))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("m1.txt")).StatusCode);
        Assert.Equal("one", await Client.GetStringAsync("m3.txt"));
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Client.SendAsync("MOVE", "m3.txt", null, ("Destination", Href("m2.txt")), ("Overwrite", "F"))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.SendAsync("MOVE", "m3.txt", null, ("Destination", Href("m2.txt")))).StatusCode);
        Assert.Equal("one", await Client.GetStringAsync("m2.txt"));
    }

    [Fact]
    public async Task Move_Of_A_Folder_Takes_Its_Members()
    {
        await Client.SendAsync("MKCOL", "from/");
        await Client.PutAsync("from/f.txt", "x");
        Assert.Equal(HttpStatusCode.Created, (await Client.SendAsync("MOVE", "from/", null, ("Destination", Href("to/")))).StatusCode);
        Assert.Equal("x", await Client.GetStringAsync("to/f.txt"));
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PropfindAsync("from/", "0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.SendAsync("MOVE", "to/", null, ("Destination", Href("again/")), ("Depth", "0"))).StatusCode);
    }
}
