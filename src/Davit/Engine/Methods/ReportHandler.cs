using System.Globalization;
using System.Xml.Linq;
using Davit.Authorization;
using Davit.Properties;
using Davit.Storage;
using Davit.Uploads;
using Davit.Xml;
using Microsoft.AspNetCore.Http;

namespace Davit.Engine.Methods;

/// <summary>
/// REPORT (RFC 3253 §3.6) with the seed's upload-progress report, <c>&lt;upload-progress xmlns="ithit"/&gt;</c>: 207 with
/// ithit:bytes-uploaded, ithit:last-chunk-saved (RFC 1123) and ithit:total-content-length, all three in one 200
/// propstat per upload. On a file: its upload in progress, or the complete file; on a URL that exists only as an
/// upload in progress: that upload; on a folder: every upload in progress below it. 404 when there is neither a
/// resource nor an upload; 403 with DAV:supported-report for any other report; 400 for a body that is not one.
/// An unknown total (an upload whose segments all said "/*") is reported as -1.
/// </summary>
internal sealed class ReportHandler : IMethodHandler
{
    public static readonly XNamespace ITHit = "ithit";

    public async ValueTask HandleAsync(DavContext context)
    {
        var body = await XmlRequestReader.ReadAsync(context)
            ?? throw new DavException(StatusCodes.Status400BadRequest, "REPORT needs a body naming the report.");
        if (body.Root!.Name != ITHit + "upload-progress" || context.Uploads is not { } uploads)
        {
            throw new DavException(StatusCodes.Status403Forbidden, $"The report {body.Root.Name} is not supported.", DavNames.Dav + "supported-report");
        }

        var list = await CollectAsync(context, uploads);
        var readable = ReadFilter.For(context);
        using var writer = MultistatusWriter.Start(context);
        foreach (var upload in list)
        {
            if (!await readable.CanReadAsync(upload.Path))
            {
                continue;
            }

            WriteUpload(context, writer, upload);
            await writer.FlushIfNeededAsync();
        }

        await writer.CompleteAsync();
    }

    private static async ValueTask<IReadOnlyList<IResumableUpload>> CollectAsync(DavContext context, UploadServices uploads)
    {
        if (context.Item is IUploadProgress native)
        {
            return await native.GetUploadProgressAsync(context.Aborted);
        }

        if (context.Item is IFolder)
        {
            var sessions = await uploads.Sessions.ListAsync(context.Path, context.Now, context.Aborted);
            return sessions.Select(s => SessionUpload.Create(s, uploads)).ToList();
        }

        var session = await uploads.Sessions.GetAsync(context.Path, context.Now, context.Aborted);
        return (session, context.Item) switch
        {
            ({ } s, _) => [SessionUpload.Create(s, uploads)],
            (null, IFile file) => [new CompletedUpload(file)],
            _ => throw new DavException(StatusCodes.Status404NotFound, "There is no file and no upload in progress at this URL."),
        };
    }

    private static void WriteUpload(DavContext context, MultistatusWriter writer, IResumableUpload upload)
    {
        var xml = writer.Xml;
        xml.WriteStartElement(DavNames.Prefix, "response", DavNames.Namespace);
        writer.WriteHref(context.Href(upload.Path, false));
        PropfindHandler.BeginPropstat(xml);
        xml.WriteElementString("bytes-uploaded", ITHit.NamespaceName, upload.BytesUploaded.ToString(CultureInfo.InvariantCulture));
        xml.WriteElementString("last-chunk-saved", ITHit.NamespaceName, LiveProperties.FormatHttpDate(upload.LastChunkSavedUtc));
        xml.WriteElementString("total-content-length", ITHit.NamespaceName, (upload.TotalContentLength ?? -1).ToString(CultureInfo.InvariantCulture));
        PropfindHandler.EndPropstat(writer, StatusCodes.Status200OK);
        xml.WriteEndElement();
    }
}
