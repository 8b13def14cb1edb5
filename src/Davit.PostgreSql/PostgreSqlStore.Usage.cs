using Davit.Storage;

namespace Davit.PostgreSql;

/// <summary>Quotas: the bytes below a folder, summed by the database instead of walked by the engine. Inside a write
/// unit of work the sum runs in its transaction, which holds the write lock, so the engine's check and the write it
/// guards are one step in the order of writes of every node.</summary>
public sealed partial class PostgreSqlStore : IUsageCounter
{
    /// <inheritdoc />
    public ValueTask<long> CountBytesAsync(DavPath path, CancellationToken cancellationToken) => CountBytesAsync(Auto, path, cancellationToken);

    internal async ValueTask<long> CountBytesAsync(ISqlScope scope, DavPath path, CancellationToken cancellationToken)
    {
        if (!Names.IsStorable(path))
        {
            return 0;
        }

        var segments = path.Segments.ToArray();
        return await scope.ReadAsync((connection, transaction) => Tree.CountBytesAsync(connection, transaction, segments, cancellationToken), cancellationToken);
    }
}
