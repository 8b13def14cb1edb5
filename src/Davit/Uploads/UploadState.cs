using System.Buffers.Text;
using System.Text;

namespace Davit.Uploads;

/// <summary>
/// What tus and the IETF protocol remember about an upload beyond its bytes and length: which protocol made it, the
/// media type the file will have, whether it may only create the file (<c>Overwrite: F</c>), and tus's
/// <c>Upload-Metadata</c> as the client sent it (HEAD must echo it).
/// </summary>
/// <remarks>
/// It rides in the session's <see cref="UploadSession.ContentType"/>, a string every session store keeps and gives
/// back unchanged, so that it survives restarts and is shared between servers on every store without a change to the
/// storage contract. The string is marked (<c>davit-upload; ...</c>) so that a plain media type is never mistaken for
/// it, and <see cref="ForStorage"/> replaces it by the real media type before the bytes become the file.
/// </remarks>
/// <param name="Protocol">"tus", "ietf", or <see cref="FormProtocol"/>.</param>
/// <param name="MediaType">The media type of the file, or null to derive it from the name.</param>
/// <param name="CreateOnly">True when the upload may not replace an existing file.</param>
/// <param name="Metadata">tus's Upload-Metadata, or null.</param>
internal sealed record UploadState(string Protocol, string? MediaType, bool CreateOnly, string? Metadata)
{
    private const string Marker = "davit-upload";

    /// <summary>The protocol of the sessions a form POST stages its files in: their total is the whole POST's length,
    /// for the progress report, not the file's.</summary>
    public const string FormProtocol = "form";

    /// <summary>The session's media-type string carrying this state.</summary>
    public string Encode()
    {
        var text = new StringBuilder(Marker).Append("; protocol=").Append(Protocol);
        if (CreateOnly)
        {
            text.Append("; create-only=1");
        }

        if (MediaType is not null)
        {
            text.Append("; type=").Append(Base64Url.EncodeToString(Encoding.UTF8.GetBytes(MediaType)));
        }

        if (Metadata is not null)
        {
            text.Append("; metadata=").Append(Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Metadata)));
        }

        return text.ToString();
    }

    /// <summary>The state a session of <paramref name="protocol"/> carries, or null when it has none (another
    /// protocol's session, or one this protocol did not make).</summary>
    public static UploadState? Of(UploadSession session, string protocol) =>
        TryDecode(session.ContentType, out var state) && state.Protocol == protocol ? state : null;

    /// <summary>The session as the store should take it over: with the file's media type instead of this state.</summary>
    public static UploadSession ForStorage(UploadSession session) =>
        TryDecode(session.ContentType, out var state) ? session with { ContentType = state.MediaType } : session;

    private static bool TryDecode(string? value, out UploadState state)
    {
        state = null!;
        if (value is null || !value.StartsWith(Marker + ";", StringComparison.Ordinal))
        {
            return false;
        }

        string? protocol = null, type = null, metadata = null;
        var createOnly = false;
        foreach (var part in value[(Marker.Length + 1)..].Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return false;
            }

            var (key, text) = (part[..equals], part[(equals + 1)..]);
            switch (key)
            {
                case "protocol":
                    protocol = text;
                    break;
                case "create-only":
                    createOnly = text == "1";
                    break;
                case "type" when Decode(text) is { } decoded:
                    type = decoded;
                    break;
                case "metadata" when Decode(text) is { } decoded:
                    metadata = decoded;
                    break;
                default:
                    return false;
            }
        }

        if (protocol is null)
        {
            return false;
        }

        state = new UploadState(protocol, type, createOnly, metadata);
        return true;
    }

    private static string? Decode(string text)
    {
        var bytes = new byte[Base64Url.GetMaxDecodedLength(text.Length)];
        return Base64Url.TryDecodeFromChars(text, bytes, out var written) ? Encoding.UTF8.GetString(bytes, 0, written) : null;
    }
}
