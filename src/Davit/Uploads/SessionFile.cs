using System.Text.Json;
using Davit.Storage;

namespace Davit.Uploads;

/// <summary>
/// The on-disk record of an upload session kept by <see cref="DirectoryUploadSessionStore"/>: a small JSON object.
/// The path is kept as its list of segments, never joined, so that any name (NFC or NFD, spaces, '%', control
/// characters) comes back exactly as it went in; non-ASCII characters are written as \u escapes.
/// </summary>
internal static class SessionFile
{
    private const int FormatVersion = 1;

    /// <summary>Records larger than this are not ours (or not intact): a path of a few thousand segments fits.</summary>
    public const int MaxLength = 1024 * 1024;

    /// <summary>The UTF-8 JSON record of <paramref name="session"/>.</summary>
    public static byte[] Serialize(UploadSession session)
    {
        using var buffer = new MemoryStream(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", FormatVersion);
            writer.WriteString("id", session.Id);
            writer.WriteStartArray("path");
            foreach (var segment in session.Path.Segments)
            {
                writer.WriteStringValue(segment);
            }

            writer.WriteEndArray();
            writer.WriteNumber("bytesSaved", session.BytesSaved);
            if (session.TotalLength is { } total)
            {
                writer.WriteNumber("totalLength", total);
            }
            else
            {
                writer.WriteNull("totalLength");
            }

            writer.WriteString("contentType", session.ContentType);
            writer.WriteString("createdUtc", session.CreatedUtc);
            writer.WriteString("lastChunkSavedUtc", session.LastChunkSavedUtc);
            writer.WriteString("expiresUtc", session.ExpiresUtc);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Reads a record written by <see cref="Serialize"/>. False for anything else: truncated or garbled JSON, an
    /// unknown version, a missing or mistyped field, an invalid path, or an id other than <paramref name="expectedId"/>
    /// (the file's name).
    /// </summary>
    public static bool TryParse(ReadOnlyMemory<byte> json, string expectedId, out UploadSession session)
    {
        session = null!;
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !TryGetInt64(root, "version", out var version) || version != FormatVersion
                || !TryGetString(root, "id", out var id) || id != expectedId
                || !TryGetPath(root, out var path)
                || !TryGetInt64(root, "bytesSaved", out var bytesSaved) || bytesSaved < 0
                || !TryGetOptionalInt64(root, "totalLength", out var totalLength) || totalLength < 0
                || !TryGetOptionalString(root, "contentType", out var contentType)
                || !TryGetTime(root, "createdUtc", out var created)
                || !TryGetTime(root, "lastChunkSavedUtc", out var lastChunkSaved)
                || !TryGetTime(root, "expiresUtc", out var expires))
            {
                return false;
            }

            session = new UploadSession(id, path, bytesSaved, totalLength, contentType, created, lastChunkSaved, expires);
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            // Garbled JSON, or a string that does not decode (a lone surrogate escape).
            return false;
        }
    }

    private static bool TryGetPath(JsonElement root, out DavPath path)
    {
        path = DavPath.Root;
        if (!root.TryGetProperty("path", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        var segments = new List<string>(array.GetArrayLength());
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            segments.Add(item.GetString()!);
        }

        return DavPath.TryCreate(segments, out path);
    }

    private static bool TryGetInt64(JsonElement root, string name, out long value)
    {
        value = 0;
        return root.TryGetProperty(name, out var element)
            && element.ValueKind == JsonValueKind.Number
            && element.TryGetInt64(out value);
    }

    private static bool TryGetOptionalInt64(JsonElement root, string name, out long? value)
    {
        value = null;
        if (!root.TryGetProperty(name, out var element))
        {
            return false;
        }

        if (element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var number))
        {
            value = number;
            return true;
        }

        return false;
    }

    private static bool TryGetString(JsonElement root, string name, out string value)
    {
        value = string.Empty;
        if (!root.TryGetProperty(name, out var element) || element.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        value = element.GetString()!;
        return true;
    }

    private static bool TryGetOptionalString(JsonElement root, string name, out string? value)
    {
        value = null;
        if (!root.TryGetProperty(name, out var element))
        {
            return false;
        }

        if (element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind == JsonValueKind.String)
        {
            value = element.GetString();
            return true;
        }

        return false;
    }

    private static bool TryGetTime(JsonElement root, string name, out DateTimeOffset value)
    {
        value = default;
        return root.TryGetProperty(name, out var element)
            && element.ValueKind == JsonValueKind.String
            && element.TryGetDateTimeOffset(out value);
    }
}
