using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Davit.Conformance.Http;

public abstract partial class HttpConformanceTests
{
    [Fact]
    public async Task A_Form_Post_Stores_Every_File_In_The_Folder_And_Ignores_Plain_Fields()
    {
        await Client.SendAsync("MKCOL", "inbox/");
        await Client.PutAsync("inbox/old.txt", "old");
        var big = RandomNumberGenerator.GetBytes(3_000_000);
        using var form = new MultipartFormDataContent
        {
            { new StringContent("just a field"), "comment" },
            { new ByteArrayContent(big), "file1", "big.bin" },
            { new StringContent("replaced"), "file2", "old.txt" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes("accents")), "file3", "résumé.txt" },
        };
        var post = await Client.PostAsync("inbox/", form);
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
        Assert.Equal(big, await Client.GetByteArrayAsync("inbox/big.bin"));
        Assert.Equal("replaced", await Client.GetStringAsync("inbox/old.txt"));
        Assert.Equal("accents", await Client.GetStringAsync("inbox/r%C3%A9sum%C3%A9.txt"));
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("inbox/comment")).StatusCode);
        Assert.Equal(3 + 1, Dav.Hrefs(await Dav.MultistatusAsync(await Client.PropfindAsync("inbox/", "1"))).Count);
    }

    [Fact]
    public async Task A_Form_Posts_Progress_Shows_In_The_Folders_Report_While_It_Runs()
    {
        await Client.SendAsync("MKCOL", "progress/");
        var bytes = RandomNumberGenerator.GetBytes(1_000_000);
        const string boundary = "----davit-test-boundary";
        var head = Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"C:\\\\Users\\\\ann\\\\video.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n");
        var tail = Encoding.ASCII.GetBytes($"\r\n--{boundary}--\r\n");
        var length = head.Length + bytes.Length + tail.Length;

        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync("127.0.0.1", Server.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST {Server.Prefix}/progress/ HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {length}\r\n\r\n"));
        await stream.WriteAsync(head);
        await stream.WriteAsync(bytes.AsMemory(0, 400_000));
        await stream.FlushAsync();

        (long Bytes, long Total, DateTimeOffset Saved) seen = default;
        for (var i = 0; i < 100 && seen.Bytes == 0; i++)
        {
            await Task.Delay(50);
            (await ProgressAsync("progress/")).TryGetValue(Href("progress/video.bin"), out seen);
        }

        Assert.InRange(seen.Bytes, 1, 400_000);
        Assert.Equal(length, seen.Total);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("progress/video.bin")).StatusCode);

        await stream.WriteAsync(bytes.AsMemory(400_000));
        await stream.WriteAsync(tail);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        Assert.StartsWith("HTTP/1.1 201", await reader.ReadLineAsync());
        Assert.Equal(bytes, await Client.GetByteArrayAsync("progress/video.bin"));
        Assert.Empty(await ProgressAsync("progress/"));
    }

    [Fact]
    public async Task A_Post_That_Is_Not_A_Form_With_A_File_Is_Refused()
    {
        await Client.SendAsync("MKCOL", "forms/");
        await Client.PutAsync("forms/f.txt", "x");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await Client.PostAsync("forms/", new StringContent("x"))).StatusCode);
        using var onlyFields = new MultipartFormDataContent { { new StringContent("v"), "field" } };
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.PostAsync("forms/", onlyFields)).StatusCode);
        using var toFile = new MultipartFormDataContent { { new StringContent("v"), "file", "g.txt" } };
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await Client.PostAsync("forms/f.txt", toFile)).StatusCode);
        using var badName = new MultipartFormDataContent { { new StringContent("v"), "file", ".." } };
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.PostAsync("forms/", badName)).StatusCode);
        Assert.Equal([Href("forms/"), Href("forms/f.txt")], Dav.Hrefs(await Dav.MultistatusAsync(await Client.PropfindAsync("forms/", "1"))).Order(StringComparer.Ordinal));
    }
}
