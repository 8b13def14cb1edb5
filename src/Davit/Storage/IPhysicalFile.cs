namespace Davit.Storage;

/// <summary>
/// Optional capability: the file's content is a plain file on a local disk, so the engine reads it directly with
/// large positional reads (or hands it to the host's SendFileAsync, see
/// <see cref="Hosting.DavOptions.UseHostSendFile"/>) instead of calling <see cref="IContent.ReadAsync"/>.
/// </summary>
/// <remarks>Fallback when a file does not implement it: the engine calls <see cref="IContent.ReadAsync"/>.</remarks>
public interface IPhysicalFile
{
    /// <summary>The full path of the file whose bytes are exactly the content, or null when there is none right
    /// now (the engine then falls back to <see cref="IContent.ReadAsync"/>).</summary>
    string? PhysicalPath { get; }
}
