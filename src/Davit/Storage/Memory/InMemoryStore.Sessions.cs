using Davit.Uploads;

namespace Davit.Storage.Memory;

// Uploads in progress live in the state with everything else; a finished one becomes its file's content as it is.
public sealed partial class InMemoryStore : IUploadSessionStore
{
    /// <inheritdoc />
    public ValueTask<UploadSession?> GetAsync(DavPath path, DateTimeOffset now, CancellationToken cancellationToken) =>
        ValueTask.FromResult(State.Sessions.Get(path, now));

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<UploadSession>> ListAsync(DavPath path, DateTimeOffset now, CancellationToken cancellationToken) =>
        ValueTask.FromResult(State.Sessions.List(path, now));

    /// <inheritdoc />
    public ValueTask<UploadSession> CreateAsync(DavPath path, long? totalLength, string? contentType, DateTimeOffset now, DateTimeOffset expiresUtc, CancellationToken cancellationToken) =>
        ValueTask.FromResult(State.Sessions.Create(path, totalLength, contentType, now, expiresUtc));

    /// <inheritdoc />
    public ValueTask<UploadSession> WriteAsync(UploadSession session, long offset, Stream data, long? totalLength, TimeProvider clock, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(data);
        return State.Sessions.WriteAsync(session, offset, data, totalLength, clock, lifetime, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<UploadSession> TruncateAsync(UploadSession session, long bytesSaved, CancellationToken cancellationToken) =>
        ValueTask.FromResult(State.Sessions.Truncate(session, bytesSaved));

    /// <inheritdoc />
    public ValueTask<Stream> OpenReadAsync(UploadSession session, CancellationToken cancellationToken) =>
        ValueTask.FromResult(State.Sessions.OpenRead(session));

    /// <inheritdoc />
    public ValueTask DeleteAsync(UploadSession session, CancellationToken cancellationToken)
    {
        State.Sessions.Delete(session);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<UploadSession>> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        ValueTask.FromResult(State.Sessions.DeleteExpired(now));
}
