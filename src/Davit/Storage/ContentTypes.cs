using Microsoft.AspNetCore.StaticFiles;

namespace Davit.Storage;

/// <summary>Media types by file extension, from ASP.NET Core's maintained table.</summary>
public static class ContentTypes
{
    private static readonly FileExtensionContentTypeProvider Provider = new();

    /// <summary>The default for unknown extensions.</summary>
    public const string Default = "application/octet-stream";

    /// <summary>The media type for <paramref name="fileName"/>'s extension, or application/octet-stream.</summary>
    public static string FromName(string fileName) =>
        Provider.TryGetContentType(fileName, out var type) ? type : Default;
}
