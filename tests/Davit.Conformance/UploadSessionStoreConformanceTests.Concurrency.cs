using Davit.Uploads;

namespace Davit.Conformance;

public abstract partial class UploadSessionStoreConformanceTests
{
    [Fact]
    public async Task Eight_Sessions_Written_In_Parallel_Stay_Separate()
    {
        const int count = 8;
        const int segment = 256 * 1024;
        var contents = Enumerable.Range(0, count).Select(i => TestBytes.Random(4 * segment + i * 1001, seed: 100 + i)).ToArray();
        var sessions = new UploadSession[count];
        for (var i = 0; i < count; i++)
        {
            sessions[i] = await CreateAsync($"parallel/{i}.bin", totalLength: contents[i].Length);
        }

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writers = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            await start.Task;
            var session = sessions[i];
            for (var offset = 0; offset < contents[i].Length; offset += segment)
            {
                var end = Math.Min(offset + segment, contents[i].Length);
                session = await WriteAsync(session, offset, contents[i][offset..end], contents[i].Length, maxPerRead: 4096 + i);

                // Readers of the progress REPORT look on while others write.
                Assert.NotEmpty(await ListAsync("parallel"));
            }

            return session;
        })).ToArray();
        start.SetResult();
        var finished = await Task.WhenAll(writers);

        for (var i = 0; i < count; i++)
        {
            Assert.True(finished[i].IsComplete);
            await AssertSavedAsync(finished[i], contents[i]);
        }

        AssertSessions(finished, await ListAsync("parallel"));
    }

    [Fact]
    public async Task Sessions_Created_And_Deleted_In_Parallel_Leave_Exactly_The_Survivors()
    {
        var tasks = Enumerable.Range(0, 32).Select(i => Task.Run(async () =>
        {
            var session = await WriteAsync(await CreateAsync($"churn/{i}"), 0, TestBytes.Random(1000 + i, seed: i));
            if (i % 2 == 1)
            {
                await Sessions.DeleteAsync(session, CancellationToken.None);
                return null;
            }

            return session;
        })).ToArray();
        var survivors = (await Task.WhenAll(tasks)).OfType<UploadSession>().ToArray();

        AssertSessions(survivors, await ListAsync("churn"));
        foreach (var session in survivors)
        {
            var index = int.Parse(session.Path.Name, System.Globalization.CultureInfo.InvariantCulture);
            await AssertSavedAsync(session, TestBytes.Random(1000 + index, seed: index));
        }
    }
}
