using System.IO.Pipelines;
using Davit.Engine;
using Davit.Http;
using Davit.Storage;
using Microsoft.AspNetCore.Http;

namespace Davit.Uploads;

/// <summary>
/// Rewrites one byte range of an existing file, atomically, for any store: the new content (the old bytes before the
/// range, the request body, the old bytes after it) is streamed through a pipe into the store's ordinary atomic
/// write, so readers see the old file or the new one and a failed request changes nothing.
/// </summary>
internal static class PartialUpdate
{
    public static async ValueTask ApplyAsync(DavContext context, IFile file, UploadRange range)
    {
        var oldLength = file.ContentLength;
        var newLength = Math.Max(oldLength, range.Last + 1);
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024));
        var body = new ExactLengthStream(context.Request.Body, range.Length);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.Aborted);
        var producer = ProduceAsync(file, range, oldLength, body, pipe.Writer, stop.Token);
        try
        {
            // Disposing the reader's stream completes the pipe, so a producer still writing cannot block on it.
            await using var composed = pipe.Reader.AsStream();
            await file.WriteAsync(composed, context.Request.ContentType, 0, newLength, context.Aborted);
        }
        catch
        {
            await stop.CancelAsync();
            throw;
        }
        finally
        {
            await producer;
        }

        UploadCoordinator.Answer(context.Response, file, StatusCodes.Status204NoContent);
    }

    private static async Task ProduceAsync(IFile file, UploadRange range, long oldLength, Stream body, PipeWriter writer, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await using var target = writer.AsStream(leaveOpen: true);
            await file.ReadAsync(target, 0, range.First, cancellationToken);
            await body.CopyToAsync(target, cancellationToken);
            if (range.Last + 1 < oldLength)
            {
                await file.ReadAsync(target, range.Last + 1, oldLength - range.Last - 1, cancellationToken);
            }

            await writer.CompleteAsync();
        }
        catch (Exception ex)
        {
            await writer.CompleteAsync(ex);
        }
    }
}
