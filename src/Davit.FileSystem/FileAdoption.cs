using Davit.Storage;

namespace Davit.FileSystem;

/// <summary>
/// Takes a finished upload's file (the engine's session file) as content: the file is moved into the staging area
/// and committed like any staged write, so a completed upload is renamed into place instead of copied a second
/// time. If the commit fails, the file goes back where it came from, so the upload can still be completed.
/// </summary>
internal static class FileAdoption
{
    /// <summary>Moves <paramref name="physicalPath"/> into staging, runs <paramref name="commit"/>, and puts the file
    /// back if that throws. False, with nothing changed, when the file cannot be moved (it is gone).</summary>
    public static bool TryAdopt(StagingArea staging, string physicalPath, Action<StagedFile> commit)
    {
        using var staged = staging.Reserve();
        try
        {
            // A rename on the same volume; across volumes .NET copies, which is still correct, only slower.
            File.Move(physicalPath, staged.FullPath);
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (Exception ex) when (IoErrors.IsFileSystemError(ex))
        {
            throw IoErrors.ToDav(ex, "Could not take the uploaded file.");
        }

        try
        {
            commit(staged);
            return true;
        }
        catch
        {
            TryReturn(staged.FullPath, physicalPath);
            throw;
        }
    }

    private static void TryReturn(string staged, string original)
    {
        try
        {
            if (File.Exists(staged))
            {
                File.Move(staged, original);
            }
        }
        catch (Exception ex) when (IoErrors.IsFileSystemError(ex))
        {
            // The upload then starts again from the beginning; nothing stored is harmed.
        }
    }
}
