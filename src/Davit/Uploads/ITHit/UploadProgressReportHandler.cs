using System.Globalization;
using System.Xml.Linq;
using Davit.Authorization;
using Davit.Engine;
using Davit.Properties;
using Davit.Storage;
using Davit.Xml;
using Microsoft.AspNetCore.Http;

namespace Davit.Uploads.ITHit;

/// <summary>
/// REPORT (RFC 3253 §3.6) with IT Hit's upload-progress report, <c>&lt;upload-progress xmlns="ithit"/&gt;</c>: 207 with
/// ithit:bytes-uploaded, ithit:last-chunk-saved (RFC 1123) and ithit:total-content-length, all three in one 200
/// propstat per upload. On a file: its upload in progress, or the complete file; on a URL that exists only as an
/// upload in progress: that upload; on a folder: every upload in progress below it. 404 when there is neither a
/// resource nor an upload; 403 with DAV:supported-report for any other report; 400 for a body that is not one.
/// An unknown total (an upload whose segments all said "/*") is reported as -1.
/// </summary>
internal sealed class UploadProgressReportHandler : IReadHandler
{
    public static readonly XNamespace ITHit = "ithit";

    public async ValueTask HandleAsync(DavRequest request)
    {
        var body = await XmlRequestReader.ReadAsync(request)
            ?? throw new DavException(StatusCodes.Status400BadRequest, "REPORT needs a body naming the report.");
        if (body.Root!.Name != ITHit + "upload-progress")
        {
            throw new DavException(StatusCodes.Status403Forbidden, $"The report {body.Root.Name} is not supported.", DavNames.Dav + "supported-report");
        }

        var list = await CollectAsync(request);
        var readable = ReadFilter.For(request);
        using var writer = MultistatusWriter.Start(request);
        foreach (var upload in list)
        {
            if (!await readable.CanReadAsync(upload.Path))
            {
                continue;
            }

            WriteUpload(request, writer, upload);
            await writer.FlushIfNeededAsync();
        }

        await writer.CompleteAsync();
    }

    private static async ValueTask<IReadOnlyList<IResumableUpload>> CollectAsync(DavRequest request)
    {
        if (request.Item is IUploadProgress native)
        {
            return await native.GetUploadProgressAsync(request.Aborted);
        }

        var sessions = request.Sessions;
        if (request.Item is IFolder)
        {
            return sessions is null ? [] : [.. (await sessions.ListAsync(request.Path, request.Now, request.Aborted)).Select(s => new SessionUpload(s, sessions))];
        }

        var session = sessions is null ? null : await sessions.GetAsync(request.Path, request.Now, request.Aborted);
        return (session, request.Item) switch
        {
            ({ } s, _) => [new SessionUpload(s, sessions!)],
            (null, IFile file) => [new CompletedUpload(file)],
            _ => throw new DavException(StatusCodes.Status404NotFound, "There is no file and no upload in progress at this URL."),
        };
    }

    private static void WriteUpload(DavRequest request, MultistatusWriter writer, IResumableUpload upload)
    {
        var xml = writer.Xml;
        writer.BeginResponse(request.Href(upload.Path, false));
        writer.BeginPropstat();
        xml.WriteElementString("bytes-uploaded", ITHit.NamespaceName, upload.BytesUploaded.ToString(CultureInfo.InvariantCulture));
        xml.WriteElementString("last-chunk-saved", ITHit.NamespaceName, LiveProperties.FormatHttpDate(upload.LastChunkSavedUtc));
        xml.WriteElementString("total-content-length", ITHit.NamespaceName, (upload.TotalContentLength ?? -1).ToString(CultureInfo.InvariantCulture));
        writer.EndPropstat(StatusCodes.Status200OK);
        writer.EndResponse();
    }
}
