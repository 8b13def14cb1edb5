using Davit.Storage;

namespace Davit.FileSystem;

/// <summary>Bytes staged by a <see cref="FileSystemStore"/>: a flushed file in its staging folder, renamed into place by
/// the write that takes it over, deleted when disposed otherwise.</summary>
internal sealed class FsStaged(StagedFile file, long length) : IStagedContent
{
    public StagedFile File { get; } = file;

    public long Length { get; } = length;

    public ValueTask<Stream> OpenReadAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<Stream>(new FileStream(File.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan));

    public ValueTask DisposeAsync()
    {
        File.Dispose();
        return ValueTask.CompletedTask;
    }
}
