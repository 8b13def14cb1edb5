namespace Davit.FileSystem;

/// <summary>The folder under the metadata folder where uploads are staged.</summary>
internal sealed class StagingArea
{
    public const string Extension = ".tmp";

    // Longer than any upload stays silent: a staged file still being written has a recent modification time.
    private static readonly TimeSpan Abandoned = TimeSpan.FromHours(1);

    private readonly string path;

    public StagingArea(string path, TimeProvider timeProvider)
    {
        this.path = path;
        RemoveAbandoned(timeProvider.GetUtcNow().UtcDateTime - Abandoned);
    }

    /// <summary>Reserves a new staged file (not created until written).</summary>
    public StagedFile Reserve() => new(path);

    // A crash or a kill between staging and renaming leaves files here; another store instance over the same
    // folder may be writing, hence only old ones go.
    private void RemoveAbandoned(DateTime olderThan)
    {
        foreach (var file in new DirectoryInfo(path).EnumerateFiles("*" + Extension))
        {
            try
            {
                if (file.LastWriteTimeUtc < olderThan)
                {
                    file.Delete();
                }
            }
            catch (Exception ex) when (IoErrors.IsFileSystemError(ex))
            {
                // Someone else removed or holds it; try again at the next start.
            }
        }
    }
}
