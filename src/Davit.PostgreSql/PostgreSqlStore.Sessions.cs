using Davit.Storage;
using Davit.Uploads;

namespace Davit.PostgreSql;

/// <summary>The store keeps uploads in progress in its database (see <see cref="UploadRows"/>): a segment may land on
/// any server, and a finished upload becomes its file's content by a row switch.</summary>
public sealed partial class PostgreSqlStore : IUploadSessionStore
{
    /// <inheritdoc />
    public ValueTask<UploadSession?> GetAsync(DavPath path, DateTimeOffset now, CancellationToken cancellationToken) =>
        Uploads.GetAsync(Auto, path, now, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<UploadSession>> ListAsync(DavPath path, DateTimeOffset now, CancellationToken cancellationToken) =>
        Uploads.ListAsync(Auto, path, now, cancellationToken);

    /// <inheritdoc />
    public async ValueTask<UploadSession> CreateAsync(DavPath path, long? totalLength, string? contentType, DateTimeOffset now, DateTimeOffset expiresUtc, CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken);
        return await Uploads.CreateAsync(path, totalLength, contentType, now, expiresUtc, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<UploadSession> WriteAsync(UploadSession session, long offset, Stream data, long? totalLength, TimeProvider clock, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(clock);
        await EnsureReadyAsync(cancellationToken);
        CheckStorable(session);
        await using var writer = await SessionWriter.OpenAsync(this, session, cancellationToken);
        return await writer.WriteAsync(offset, data, totalLength, clock, lifetime, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<UploadSession> TruncateAsync(UploadSession session, long bytesSaved, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        await EnsureReadyAsync(cancellationToken);
        CheckStorable(session);
        await using var writer = await SessionWriter.OpenAsync(this, session, cancellationToken);
        return await writer.TruncateAsync(bytesSaved, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<Stream> OpenReadAsync(UploadSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        CheckStorable(session);
        var found = await Auto.ReadAsync(
            async (connection, transaction) =>
                await Sql.Command(connection, transaction, """
                    SELECT u.content_id, c.chunk_size, u.bytes_saved FROM uploads u JOIN contents c ON c.id = u.content_id
                    WHERE u.path = $1 AND u.id = $2
                    """).With(session.Path.ToString()).With(session.Id).FirstAsync(r => Tuple.Create(r.GetInt64(0), r.GetInt32(1), r.GetInt64(2)), cancellationToken),
            cancellationToken);
        if (found is null || found.Item3 < session.BytesSaved)
        {
            throw new StoreException(StoreError.NotFound, $"The upload to '{session.Path}' no longer holds the bytes it had.");
        }

        return new ChunkStream(Database, found.Item1, found.Item2, session.BytesSaved);
    }

    /// <inheritdoc />
    public ValueTask DeleteAsync(UploadSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        return Uploads.DeleteAsync(Auto, session, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<UploadSession>> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        Uploads.DeleteExpiredAsync(Auto, now, cancellationToken);

    private static void CheckStorable(UploadSession session)
    {
        if (!Names.IsStorable(session.Path))
        {
            throw new StoreException(StoreError.NotFound, $"The upload to '{session.Path}' no longer exists.");
        }
    }
}
