using Davit.Properties;
using Davit.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Davit.Engine;

/// <summary>The verdict of the conditional request headers: a value, not an exception.</summary>
internal enum PreconditionResult
{
    Proceed,
    NotModified,
    Failed,
}

/// <summary>
/// The conditional headers of RFC 9110 §13.2.2, in its order: If-Match, else If-Unmodified-Since; then
/// If-None-Match, else If-Modified-Since (GET and HEAD only). Evaluated once per request, for every method,
/// against the item the request URL names. If-Range is separate (<see cref="IfRangeMatches"/>): it only decides
/// between 206 and 200. Unparsable dates are ignored, as §13.1.3-4 require.
/// </summary>
internal static class Preconditions
{
    /// <param name="request">The request with the conditional headers.</param>
    /// <param name="exists">Whether the resource exists.</param>
    /// <param name="etagValue">Its entity tag's opaque value (files only), or null.</param>
    /// <param name="modifiedUtc">Its modification time, or null when it does not exist.</param>
    /// <param name="now">The current time.</param>
    public static PreconditionResult Evaluate(HttpRequest request, bool exists, string? etagValue, DateTimeOffset? modifiedUtc, DateTimeOffset now)
    {
        var headers = request.GetTypedHeaders();
        var etag = etagValue is null ? null : new EntityTagHeaderValue(LiveProperties.QuoteETag(etagValue));
        var isGetOrHead = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);

        // §13.1.1: If-Match is true for "*" when the resource exists, else on a strong match.
        var ifMatch = headers.IfMatch;
        if (ifMatch.Count > 0)
        {
            var matched = exists && ifMatch.Any(t => t.Equals(EntityTagHeaderValue.Any) || (etag is not null && t.Compare(etag, useStrongComparison: true)));
            if (!matched)
            {
                return PreconditionResult.Failed;
            }
        }
        else if (modifiedUtc is { } lastModified && headers.IfUnmodifiedSince is { } unmodifiedSince && Truncate(lastModified) > unmodifiedSince)
        {
            return PreconditionResult.Failed;
        }

        // §13.1.2: If-None-Match is false for "*" when the resource exists, else on a weak match.
        var ifNoneMatch = headers.IfNoneMatch;
        if (ifNoneMatch.Count > 0)
        {
            var matched = exists && ifNoneMatch.Any(t => t.Equals(EntityTagHeaderValue.Any) || (etag is not null && t.Compare(etag, useStrongComparison: false)));
            if (matched)
            {
                return isGetOrHead ? PreconditionResult.NotModified : PreconditionResult.Failed;
            }
        }
        else if (isGetOrHead && modifiedUtc is { } modified && headers.IfModifiedSince is { } modifiedSince
                 && modifiedSince <= now && Truncate(modified) <= modifiedSince)
        {
            return PreconditionResult.NotModified;
        }

        return PreconditionResult.Proceed;
    }

    /// <summary>
    /// If-Range (RFC 9110 §13.1.5): true when absent, or when it names the current entity-tag by strong comparison,
    /// or a date equal to Last-Modified that is a strong validator (at least a second older than now, §8.8.2.2).
    /// When false, the Range header is ignored and the whole current content is sent.
    /// </summary>
    public static bool IfRangeMatches(HttpRequest request, IContentReader file, DateTimeOffset now)
    {
        var ifRange = request.GetTypedHeaders().IfRange;
        if (ifRange is null)
        {
            return true;
        }

        if (ifRange.EntityTag is { } tag)
        {
            return !tag.IsWeak && tag.Compare(new EntityTagHeaderValue(LiveProperties.QuoteETag(file.ETag)), useStrongComparison: true);
        }

        if (ifRange.LastModified is { } date)
        {
            var modified = Truncate(file.ModifiedUtc);
            return modified == date && modified <= now.AddSeconds(-1);
        }

        return false;
    }

    // HTTP dates have whole seconds.
    private static DateTimeOffset Truncate(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
