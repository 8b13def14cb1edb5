using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace Davit.Server.Tests;

/// <summary>
/// A power cut cannot be produced on demand, so this checks what makes a write survive one, in the system calls the
/// real server makes (traced with strace): the new bytes are flushed before the rename that publishes them, and the
/// folder that holds the new name is flushed after it, for PUT, MKCOL, MOVE and COPY on the file-system store; a write
/// that changes metadata (PROPPATCH) has the metadata log flushed before its answer.
/// </summary>
public sealed partial class DirectoryFlushTraceTests
{
    [Fact]
    public async Task Put_Mkcol_And_Move_Flush_The_Folders_Holding_The_New_Names()
    {
        RequireStrace();
        using var folder = new TempFolder();
        var root = folder.Combine("root");
        var trace = folder.Combine("trace.txt");
        await using (var server = await ServerProcess.StartWrappedAsync(Strace(trace), "--root", root))
        {
            using var client = server.CreateClient();
            Assert.Equal(HttpStatusCode.Created, (await client.PutAsync("a.txt", new StringContent("hello"))).StatusCode);
            var proppatch = new HttpRequestMessage(new HttpMethod("PROPPATCH"), "a.txt")
            {
                Content = new StringContent("""<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:" xmlns:Z="urn:z"><D:set><D:prop><Z:color>blue</Z:color></D:prop></D:set></D:propertyupdate>""", System.Text.Encoding.UTF8, "application/xml"),
            };
            Assert.Equal(HttpStatusCode.MultiStatus, (await client.SendAsync(proppatch)).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(new HttpRequestMessage(new HttpMethod("MKCOL"), "d"))).StatusCode);
            var move = new HttpRequestMessage(new HttpMethod("MOVE"), "a.txt");
            move.Headers.Add("Destination", new Uri(server.BaseAddress, "d/b.txt").ToString());
            Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(move)).StatusCode);
            Assert.Equal("hello", await client.GetStringAsync("d/b.txt"));
        }

        var calls = Parse(File.ReadAllLines(trace));

        // PUT: the staged file is flushed, renamed to a.txt, then the root folder is flushed.
        var put = Index(calls, c => c.Name.StartsWith("rename", StringComparison.Ordinal) && c.Paths.Count == 2 && c.Paths[1] == Path.Combine(root, "a.txt"), "the rename publishing a.txt");
        var staged = calls[put].Paths[0];
        Assert.True(FlushedBefore(calls, put, staged), $"{staged} was not flushed before it was renamed to a.txt");
        Assert.True(FlushedAfter(calls, put, root), "the root folder was not flushed after a.txt was renamed into it");

        // Its only metadata, the content's hashes, is recorded with the entity tag of the content and never read for
        // another, so it need not be durable before the answer (a power cut may lose it: the file is then served without
        // hashes, never with wrong ones); the file itself is, through the two flushes above.
        var answered = Index(calls, c => IsAnswer(c, "201"), "the answer to the PUT");
        Assert.True(answered > put, "the PUT was answered before a.txt was renamed");
        Assert.True(FlushedBetween(calls, put, answered, root), "the root folder was not flushed between the rename of a.txt and the answer");

        // PROPPATCH: a change of metadata is answered only after the database's log is flushed (shared with the writers
        // that committed meanwhile).
        var log = Path.Combine(root, ".davit", "davit.db-wal");
        var patched = Index(calls, c => IsAnswer(c, "207"), "the answer to the PROPPATCH");
        Assert.True(FlushedBetween(calls, answered, patched, log), "the metadata log was not flushed before the PROPPATCH was answered");

        // MKCOL: the folder holding the new one is flushed.
        var mkcol = Index(calls, c => c.Name.StartsWith("mkdir", StringComparison.Ordinal) && c.Paths.Contains(Path.Combine(root, "d")), "mkdir of d");
        Assert.True(FlushedAfter(calls, mkcol, root), "the root folder was not flushed after d was created");

        // MOVE: both folders are flushed.
        var moved = Index(calls, c => c.Name.StartsWith("rename", StringComparison.Ordinal) && c.Paths.Count == 2 && c.Paths[0] == Path.Combine(root, "a.txt"), "the rename of a.txt to d/b.txt");
        Assert.Equal(Path.Combine(root, "d", "b.txt"), calls[moved].Paths[1]);
        Assert.True(FlushedAfter(calls, moved, Path.Combine(root, "d")), "d was not flushed after b.txt was moved into it");
        Assert.True(FlushedAfter(calls, moved, root), "the root folder was not flushed after a.txt was moved out of it");
    }

    [Fact]
    public async Task Copy_Flushes_Every_Folder_And_File_Of_The_Copy_Before_Publishing_It()
    {
        RequireStrace();
        using var folder = new TempFolder();
        var root = folder.Combine("root");
        var trace = folder.Combine("trace.txt");
        await using (var server = await ServerProcess.StartWrappedAsync(Strace(trace), "--root", root))
        {
            using var client = server.CreateClient();
            foreach (var made in new[] { "d", "d/e", "d/e/f" })
            {
                Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(new HttpRequestMessage(new HttpMethod("MKCOL"), made))).StatusCode);
            }

            Assert.Equal(HttpStatusCode.Created, (await client.PutAsync("d/e/f/x.txt", new StringContent("deep"))).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await client.PutAsync("d/y.txt", new StringContent("top"))).StatusCode);
            var copy = new HttpRequestMessage(new HttpMethod("COPY"), "d/");
            copy.Headers.Add("Destination", new Uri(server.BaseAddress, "c/").ToString());
            Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(copy)).StatusCode);
            Assert.Equal("deep", await client.GetStringAsync("c/e/f/x.txt"));
            Assert.Equal("top", await client.GetStringAsync("c/y.txt"));
        }

        var calls = Parse(File.ReadAllLines(trace));

        // The copy is prepared elsewhere and published by one rename to c; everything in it is flushed before that.
        var publish = Index(calls, c => c.Name.StartsWith("rename", StringComparison.Ordinal) && c.Paths.Count == 2 && c.Paths[1] == Path.Combine(root, "c"), "the rename publishing c");
        var prepared = calls[publish].Paths[0];
        foreach (var inside in new[] { prepared, Path.Combine(prepared, "e"), Path.Combine(prepared, "e", "f") })
        {
            Assert.True(FlushedBefore(calls, publish, inside), $"the folder {inside} was not flushed before the copy was published");
        }

        foreach (var file in new[] { Path.Combine(prepared, "y.txt"), Path.Combine(prepared, "e", "f", "x.txt") })
        {
            Assert.True(FlushedBefore(calls, publish, file), $"the file {file} was not flushed before the copy was published");
        }

        Assert.True(FlushedAfter(calls, publish, root), "the root folder was not flushed after c was renamed into it");
    }

    private sealed record Call(int Thread, string Name, string Arguments, List<string> Paths, string Result)
    {
        public bool IsFlushOf(string descriptor) => Name is "fsync" or "fdatasync" && Arguments.Trim() == descriptor && Result == "0";
    }

    // The calls that create, rename and flush entries, and those that send answers, from every thread, into the file trace.
    private static string[] Strace(string trace) =>
        ["strace", "-f", "-qq", "-o", trace, "-e", "trace=openat,rename,renameat,renameat2,mkdir,mkdirat,fsync,fdatasync,sendto,sendmsg,write,writev"];

    private static void RequireStrace()
    {
        try
        {
            using var probe = Process.Start(new ProcessStartInfo("strace", ["-f", "-qq", "-o", "/dev/null", "true"]) { UseShellExecute = false, RedirectStandardError = true })!;
            var error = probe.StandardError.ReadToEnd();
            probe.WaitForExit(10_000);
            Assert.True(probe.ExitCode == 0, $"strace cannot trace here (ptrace refused?): {error}");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            Assert.Fail($"strace is not installed (scripts/test.sh installs it from Debian's packages): {ex.Message}");
        }
    }

    /// <summary>Reads strace -f output, joining calls that other threads interrupted ("unfinished" ... "resumed").</summary>
    private static List<Call> Parse(string[] lines)
    {
        var pending = new Dictionary<int, string>();
        var calls = new List<Call>();
        foreach (var line in lines)
        {
            var match = LinePattern().Match(line);
            if (!match.Success)
            {
                continue;
            }

            var thread = int.Parse(match.Groups["tid"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var text = match.Groups["rest"].Value;
            if (text.EndsWith("<unfinished ...>", StringComparison.Ordinal))
            {
                pending[thread] = text[..^"<unfinished ...>".Length];
                continue;
            }

            var resumed = ResumedPattern().Match(text);
            if (resumed.Success && pending.Remove(thread, out var start))
            {
                text = start + resumed.Groups["tail"].Value;
            }

            var call = CallPattern().Match(text);
            if (call.Success)
            {
                var paths = PathPattern().Matches(call.Groups["args"].Value).Select(m => Regex.Unescape(m.Groups[1].Value)).ToList();
                calls.Add(new Call(thread, call.Groups["name"].Value, call.Groups["args"].Value, paths, call.Groups["result"].Value.Trim()));
            }
        }

        return calls;
    }

    private static bool IsAnswer(Call call, string status) =>
        call.Name is "sendto" or "sendmsg" or "write" or "writev" && call.Arguments.Contains($"HTTP/1.1 {status}", StringComparison.Ordinal);

    private static int Index(List<Call> calls, Func<Call, bool> match, string what)
    {
        var index = calls.FindIndex(c => match(c));
        Assert.True(index >= 0, $"no {what} in the trace");
        return index;
    }

    /// <summary>On the thread of calls[at], after it: the folder opened, then that descriptor flushed.</summary>
    private static bool FlushedAfter(List<Call> calls, int at, string folder)
    {
        var thread = calls[at].Thread;
        var later = calls.Skip(at + 1).Where(c => c.Thread == thread).ToList();
        var opens = later.Select((c, i) => (c, i)).Where(x => x.c.Name == "openat" && x.c.Paths.Contains(folder) && int.TryParse(x.c.Result, out _));
        return opens.Any(open => later.Skip(open.i + 1).Any(c => c.IsFlushOf(open.c.Result)));
    }

    /// <summary>On any thread, between calls[from] and calls[to]: the file or folder opened, then that descriptor
    /// flushed (group commit: the flush may be another writer's).</summary>
    private static bool FlushedBetween(List<Call> calls, int from, int to, string path)
    {
        var between = calls.Skip(from + 1).Take(to - from - 1).ToList();
        var opens = between.Select((c, i) => (c, i)).Where(x => x.c.Name == "openat" && x.c.Paths.Contains(path) && int.TryParse(x.c.Result, out _));
        return opens.Any(open => between.Skip(open.i + 1).Any(c => c.IsFlushOf(open.c.Result)));
    }

    /// <summary>Before calls[at]: the file opened for writing, and that descriptor flushed.</summary>
    private static bool FlushedBefore(List<Call> calls, int at, string file)
    {
        var earlier = calls.Take(at).ToList();
        var opens = earlier.Select((c, i) => (c, i)).Where(x => x.c.Name == "openat" && x.c.Paths.Contains(file) && int.TryParse(x.c.Result, out _));
        return opens.Any(open => earlier.Skip(open.i + 1).Any(c => c.IsFlushOf(open.c.Result)));
    }

    [GeneratedRegex(@"^(?<tid>\d+)\s+(?<rest>.*)$")]
    private static partial Regex LinePattern();

    [GeneratedRegex(@"^<\.\.\. \w+ resumed>(?<tail>.*)$")]
    private static partial Regex ResumedPattern();

    [GeneratedRegex(@"^(?<name>\w+)\((?<args>.*)\)\s+=\s+(?<result>-?\d+)")]
    private static partial Regex CallPattern();

    [GeneratedRegex("\"((?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex PathPattern();
}
