using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Davit.Server.Tests;

/// <summary>
/// A finished upload becomes its file without its bytes being written a second time: the real server runs under
/// strace, every system call that writes bytes anywhere (files and sockets alike, and the kernel-side copies) is
/// counted, and a 1 GiB upload, in segments or as one plain PUT, costs 1 GiB of writes and not 2.
/// </summary>
public sealed partial class UploadsNotCopiedTests
{
    private const long Size = 1L << 30;
    private const int Segment = 8 * 1024 * 1024;

    // SQLite's journal, response heads and log lines: a few MiB at most; a second copy would be another GiB.
    private const long Slack = 64L * 1024 * 1024;

    [Fact]
    public async Task A_Segmented_Upload_Of_1_GiB_Is_Written_Once()
    {
        var (written, hash, onDisk) = await TraceAsync(async client =>
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[Segment];
            for (long offset = 0; offset < Size; offset += Segment)
            {
                Fill(buffer, offset);
                sha.AppendData(buffer);
                using var request = new HttpRequestMessage(HttpMethod.Put, "big.bin") { Content = new ByteArrayContent(buffer) };
                request.Content.Headers.ContentRange = new ContentRangeHeaderValue(offset, offset + Segment - 1, Size);
                using var response = await client.SendAsync(request);
                Assert.Equal(offset + Segment == Size ? HttpStatusCode.Created : (HttpStatusCode)308, response.StatusCode);
            }

            return sha.GetHashAndReset();
        });

        Assert.Equal(Convert.ToHexString(hash), Convert.ToHexString(onDisk));
        Assert.InRange(written, Size, Size + Slack);
    }

    [Fact]
    public async Task A_Plain_Put_Of_1_GiB_Is_Written_Once()
    {
        var (written, hash, onDisk) = await TraceAsync(async client =>
        {
            var body = new PatternContent(Size);
            using var response = await client.PutAsync("big.bin", body);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return body.Hash!;
        });

        Assert.Equal(Convert.ToHexString(hash), Convert.ToHexString(onDisk));
        Assert.InRange(written, Size, Size + Slack);
    }

    private static async Task<(long Written, byte[] Hash, byte[] OnDisk)> TraceAsync(Func<HttpClient, Task<byte[]>> upload)
    {
        RequireStrace();
        using var folder = new TempFolder();
        var root = folder.Combine("root");
        var trace = folder.Combine("trace.txt");
        string[] strace = ["strace", "-f", "-qq", "--seccomp-bpf", "-s", "0", "-o", trace, "-e", "trace=write,pwrite64,writev,pwritev,pwritev2,copy_file_range,sendfile,splice"];
        byte[] hash;
        await using (var server = await ServerProcess.StartWrappedAsync(strace, "--root", root))
        {
            using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
            hash = await upload(client);
        }

        long written = 0;
        foreach (var line in File.ReadLines(trace))
        {
            var match = ResultPattern().Match(line);
            if (match.Success)
            {
                written += long.Parse(match.Groups["bytes"].Value, CultureInfo.InvariantCulture);
            }
        }

        await using var stored = File.OpenRead(Path.Combine(root, "big.bin"));
        return (written, hash, await SHA256.HashDataAsync(stored));
    }

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

    // Deterministic bytes for any offset, so that nothing the size of the upload is ever held in memory.
    private static void Fill(Span<byte> buffer, long offset)
    {
        for (var i = 0; i < buffer.Length; i += 8)
        {
            BitConverter.TryWriteBytes(buffer[i..], (ulong)(offset + i) * 0x9E3779B97F4A7C15UL);
        }
    }

    // A write call's result, for the lines that carry one ("... = 131072"; a resumed call counts once).
    [GeneratedRegex(@"^\d+\s+(?:\w+\(|<\.\.\. \w+ resumed>).*\)\s+=\s+(?<bytes>\d+)")]
    private static partial Regex ResultPattern();

    /// <summary>A body of <c>length</c> pattern bytes, hashed as it is sent.</summary>
    private sealed class PatternContent(long length) : HttpContent
    {
        public byte[]? Hash { get; private set; }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[1024 * 1024];
            for (long offset = 0; offset < length; offset += buffer.Length)
            {
                Fill(buffer, offset);
                sha.AppendData(buffer);
                await stream.WriteAsync(buffer);
            }

            Hash = sha.GetHashAndReset();
        }

        protected override bool TryComputeLength(out long result)
        {
            result = length;
            return true;
        }
    }
}
