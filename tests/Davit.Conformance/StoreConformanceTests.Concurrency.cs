using System.Xml.Linq;
using Davit.Storage;

namespace Davit.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task Parallel_Writers_And_Readers_Never_See_Mixed_Content()
    {
        const int files = 16;
        const int minimumRounds = 8;
        const int minimumReads = 200;
        const int size = 200_000;
        for (var i = 0; i < files; i++)
        {
            await Store.CreateFileAsync($"f{i}.bin", TestBytes.Uniform(size, 0));
        }

        var lastWritten = new byte[files];
        var writing = files;
        var reading = 8;
        var reads = 0;

        // Writers go on until the readers have had their share, so that reads overlap writes even on a machine
        // with few cores; each writes a body of one byte value, so a read that sees two values saw a torn write.
        var writers = Enumerable.Range(0, files).Select(i => RunOnOwnThread(async () =>
        {
            try
            {
                for (var round = 1; round <= minimumRounds || (Volatile.Read(ref reads) < minimumReads && Volatile.Read(ref reading) == 8 && round < 5_000); round++)
                {
                    var value = (byte)(1 + (round % 250));
                    var file = await Store.GetFileAsync($"f{i}.bin");
                    await file.WriteBytesAsync(TestBytes.Uniform(size, value));
                    lastWritten[i] = value;
                    await Task.Yield();
                }
            }
            finally
            {
                Interlocked.Decrement(ref writing);
            }
        }));
        var readers = Enumerable.Range(0, 8).Select(r => RunOnOwnThread(async () =>
        {
            try
            {
                var random = new Random(r);
                while (Volatile.Read(ref writing) > 0)
                {
                    var file = await Store.GetFileAsync($"f{random.Next(files)}.bin");
                    var content = await file.ReadAllBytesAsync();
                    Assert.Equal(size, content.Length);
                    BytesAssert.Uniform(content);
                    Interlocked.Increment(ref reads);
                    await Task.Yield();
                }
            }
            finally
            {
                // A reader that failed stops the writers, so the test ends with its failure instead of running on.
                Interlocked.Decrement(ref reading);
            }
        }));

        await Task.WhenAll([.. writers, .. readers]);

        Assert.True(reads >= minimumReads, $"Only {reads} reads overlapped the writes.");
        for (var i = 0; i < files; i++)
        {
            Assert.Equal(lastWritten[i], BytesAssert.Uniform(await Store.ReadFileAsync($"f{i}.bin")));
        }
    }

    // A dedicated thread per worker: with a store whose calls complete synchronously, pool threads would run the
    // workers one after another on a small machine, and nothing would overlap.
    private static Task RunOnOwnThread(Func<Task> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    [Fact]
    public async Task Parallel_Creates_Of_Distinct_Names_In_One_Folder_All_Succeed()
    {
        await Store.CreateFolderAsync("shared");

        await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(async () =>
            await Store.CreateFileAsync($"shared/f{i:D2}", TestBytes.Uniform(1_000 + i, (byte)i)))));

        var names = await (await Store.GetFolderAsync("shared")).ListNamesAsync();
        Assert.Equal(Enumerable.Range(0, 32).Select(i => $"f{i:D2}"), names);
        for (var i = 0; i < 32; i++)
        {
            await AssertContentAsync($"shared/f{i:D2}", TestBytes.Uniform(1_000 + i, (byte)i));
        }
    }

    [Fact]
    public async Task Parallel_Creates_Of_One_Name_Leave_Exactly_One_File_And_Refuse_The_Rest_With_405()
    {
        var root = await Store.GetFolderAsync("");
        var attempts = Enumerable.Range(1, 8).Select(i => Task.Run(async () =>
        {
            try
            {
                await root.CreateFileAsync("contested.bin", FileContent.FromStream(new MemoryStream(TestBytes.Uniform(100_000, (byte)i)), 100_000, null), CancellationToken.None);
                return 0;
            }
            catch (StoreException ex) when (ex.Error == StoreError.AlreadyExists)
            {
                return 405;
            }
        })).ToArray();

        var outcomes = await Task.WhenAll(attempts);

        Assert.Single(outcomes, status => status == 0);
        Assert.All(outcomes.Where(status => status != 0), status => Assert.Equal(405, status));
        var winner = (byte)(Array.IndexOf(outcomes, 0) + 1);
        Assert.Equal(winner, BytesAssert.Uniform(await Store.ReadFileAsync("contested.bin")));
    }

    [Fact]
    public async Task Parallel_Property_Updates_Of_Distinct_Names_Are_All_Kept()
    {
        await Store.CreateFileAsync("a.txt", TestBytes.Utf8("a"));

        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
            await (await Store.GetFileAsync("a.txt")).SetPropertiesAsync(new XElement(Test + $"p{i:D2}", i)))));

        var names = (await (await Store.GetFileAsync("a.txt")).GetAllPropertiesAsync()).Select(p => p.Name.LocalName).Order(StringComparer.Ordinal);
        Assert.Equal(Enumerable.Range(0, 16).Select(i => $"p{i:D2}"), names);
    }
}
