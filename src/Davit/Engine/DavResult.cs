using Davit.Properties;
using Davit.Storage;
using Microsoft.AspNetCore.Http;

namespace Davit.Engine;

/// <summary>
/// What a write answers, decided inside its unit of work and sent only once the unit of work is committed, so that
/// a commit that fails is never preceded by a 2xx.
/// </summary>
internal abstract class DavResult
{
    public abstract ValueTask ExecuteAsync(DavRequest request);

    /// <summary>False when the unit of work is to be rolled back rather than committed before this answer (a
    /// PROPPATCH that failed: its 207 reports the failure, and nothing may have changed).</summary>
    public virtual bool Commits => true;

    /// <summary>A status with no body.</summary>
    public static DavResult Status(int statusCode) => new StatusResult(statusCode, null);

    /// <summary>A status with no body and the validators of the content just written.</summary>
    public static DavResult Written(int statusCode, IFile file) =>
        new StatusResult(statusCode, (file.ETag, file.ModifiedUtc));

    /// <summary>An answer written by <paramref name="write"/> (a 207, a LOCK body).</summary>
    public static DavResult From(Func<DavRequest, ValueTask> write, bool commit = true) => new DelegateResult(write, commit);

    private sealed class StatusResult(int statusCode, (string ETag, DateTimeOffset Modified)? validators) : DavResult
    {
        public override ValueTask ExecuteAsync(DavRequest request)
        {
            var response = request.Response;
            response.StatusCode = statusCode;
            if (validators is { } written)
            {
                response.Headers.ETag = LiveProperties.QuoteETag(written.ETag);
                response.Headers.LastModified = LiveProperties.FormatHttpDate(written.Modified);
            }

            response.ContentLength = 0;
            return ValueTask.CompletedTask;
        }
    }

    private sealed class DelegateResult(Func<DavRequest, ValueTask> write, bool commit) : DavResult
    {
        public override bool Commits => commit;

        public override ValueTask ExecuteAsync(DavRequest request) => write(request);
    }
}
