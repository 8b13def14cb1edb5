using System.Buffers;
using System.Data;
using Davit.Storage;
using Microsoft.Win32.SafeHandles;
using Npgsql;

namespace Davit.PostgreSql;

/// <summary>
/// Reading a byte range of a version: one statement over the chunks that overlap it, each cut to the part inside the
/// range by substring() (which, on an uncompressed out-of-line value, fetches only that part), streamed row by row
/// without holding a chunk in memory.
/// </summary>
internal static class ChunkReads
{
    /// <summary>
    /// The parts inside [$3, $4) of chunks $5, $5 + $7, ... up to $6 of version $1 (chunk size $2), as (idx, bytes).
    /// Each chunk is looked up by its key in a LATERAL step (LIMIT 1 keeps it one) over the series of indexes, so the
    /// rows come in the series' order as they are fetched. The plain form, a range of idx with ORDER BY, was planned
    /// as a scan and a sort whenever the table looked small: every chunk fetched and sorted (spilled to disk) before
    /// the first was sent, 2 to 3 times slower (measured with COPY of a 256 MiB version to /dev/null). A missing
    /// chunk is a missing row, which the reader sees as a gap in the indexes.
    /// </summary>
    public const string Slices = """
        SELECT g.i, c.slice FROM generate_series($5::bigint, $6::bigint, $7::bigint) AS g(i)
        CROSS JOIN LATERAL (
            SELECT substring(data FROM (greatest($3 - g.i * $2, 0) + 1)::integer FOR (least($4 - g.i * $2, $2) - greatest($3 - g.i * $2, 0))::integer) AS slice
            FROM chunks WHERE content_id = $1 AND idx = g.i LIMIT 1) AS c
        """;

    /// <summary>Starts the statement. Dispose the command after the reader; cancel it (<see cref="Abandon"/>) first when
    /// the reader is left before its end, or disposing the reader would read every remaining row off the wire.</summary>
    public static async ValueTask<(NpgsqlCommand Command, NpgsqlDataReader Reader)> OpenAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long contentId, int chunkSize, long offset, long end, CancellationToken cancellationToken)
    {
        var command = Sql.Command(connection, transaction, Slices)
            .With(contentId).With((long)chunkSize).With(offset).With(end).With(offset / chunkSize).With((end - 1) / chunkSize).With(1L);
        try
        {
            return (command, await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken));
        }
        catch
        {
            await command.DisposeAsync();
            throw;
        }
    }

    /// <summary>Asks the server to stop sending the rest of a result nobody will read.</summary>
    public static void Abandon(NpgsqlCommand command)
    {
        try
        {
            command.Cancel();
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or IOException)
        {
            // The connection is gone already.
        }
    }

    /// <summary>Copies bytes [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="count"/>) of a
    /// version to <paramref name="output"/>.</summary>
    /// <exception cref="IOException">A chunk is missing (the version was reclaimed while it was being read).</exception>
    public static async ValueTask CopyAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long contentId, int chunkSize, long offset, long count, Stream output, CancellationToken cancellationToken)
    {
        if (count <= 0)
        {
            return;
        }

        var (command, reader) = await OpenAsync(connection, transaction, contentId, chunkSize, offset, offset + count, cancellationToken);
        await using var commandLifetime = command;
        long copied = 0;
        try
        {
            await using (reader)
            {
                copied = await CopyRowsAsync(reader, offset / chunkSize, output, cancellationToken);
            }
        }
        catch
        {
            Abandon(command);
            throw;
        }

        if (copied != count)
        {
            throw new IOException($"Content {contentId} is missing bytes: {copied} of the {count} asked for from offset {offset} were found.");
        }
    }

    private static async ValueTask<long> CopyRowsAsync(NpgsqlDataReader reader, long expected, Stream output, CancellationToken cancellationToken)
    {
        long copied = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            if (reader.GetInt64(0) != expected++)
            {
                break;
            }

            await using var chunk = await reader.GetStreamAsync(1, cancellationToken);
            var before = copied;
            var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
            try
            {
                int read;
                while ((read = await chunk.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    copied += read;
                }
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }

            if (copied == before)
            {
                break;
            }
        }

        return copied;
    }
}

/// <summary>What an open version of a file is: its bytes and the metadata that goes with them (<paramref name="Created"/>:
/// when its content row was made, part of its name in the node's cache).</summary>
internal sealed record ContentVersion(long ContentId, int ChunkSize, long Length, string ETag, DateTimeOffset ModifiedUtc, string ContentType, long Created);

/// <summary>
/// One version of a file, open for reading. It pins the version's content id; every read is one statement on a
/// connection of the pool (or, inside a unit of work, on its transaction), so an open reader holds no connection
/// between reads. Outside a unit of work, a version with a copy in the node's cache is read from the copy, and a full
/// read of one without is copied there as it is sent.
/// </summary>
internal sealed class PgContentReader(PostgreSqlStore store, PgUnitOfWork? unit, ContentVersion version) : IContentReader
{
    private const int CopyBufferSize = 256 * 1024;
    private SafeFileHandle? copy;
    private bool looked;

    public long Length => version.Length;

    public string ETag => version.ETag;

    public DateTimeOffset ModifiedUtc => version.ModifiedUtc;

    public string ContentType => version.ContentType;

    public async ValueTask ReadAsync(Stream output, long offset, long count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + count, version.Length, nameof(count));
        if (count > 0 && store.Cache is { } cache && unit is not { IsActive: true } && version.Length >= cache.MinimumLength)
        {
            await store.EnsureReadyAsync(cancellationToken);
            var key = new CacheKey(store.StoreId, version.ContentId, version.Created, version.Length);
            if (!looked)
            {
                looked = true;
                copy = cache.TryOpen(key);
            }

            if (copy is not null)
            {
                var served = await ReadCopyAsync(copy, output, offset, count, cancellationToken);
                Log.CacheHit(store.Logger, key.FileName, offset, offset + served);
                if (served == count)
                {
                    return;
                }

                // Cut short behind the store's back: the rest comes from the rows, and the copy goes.
                copy.Dispose();
                copy = null;
                cache.Remove(key);
                offset += served;
                count -= served;
            }
            else if (offset == 0 && count == version.Length && cache.BeginFill(key) is { } fill)
            {
                await using (fill)
                {
                    await ReadRowsAsync(fill.Wrap(output), offset, count, cancellationToken);
                    await fill.CompleteAsync();
                }

                return;
            }
        }

        await ReadRowsAsync(output, offset, count, cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        copy?.Dispose();
        copy = null;
        return ValueTask.CompletedTask;
    }

    /// <summary>Copies from the cached copy; returns how many bytes it held (fewer than asked when it was cut).</summary>
    private static async ValueTask<long> ReadCopyAsync(SafeFileHandle handle, Stream output, long offset, long count, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            long served = 0;
            while (served < count)
            {
                var read = await RandomAccess.ReadAsync(handle, buffer.AsMemory(0, (int)Math.Min(buffer.Length, count - served)), offset + served, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                served += read;
            }

            return served;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async ValueTask ReadRowsAsync(Stream output, long offset, long count, CancellationToken cancellationToken)
    {
        if (unit is not { IsActive: true } && count > (long)ChunkPipeline.MinimumChunks * version.ChunkSize)
        {
            await store.EnsureReadyAsync(cancellationToken);
            await ChunkPipeline.CopyAsync(store.Database, version.ContentId, version.ChunkSize, offset, count, output, cancellationToken);
            return;
        }

        ISqlScope scope = unit is { IsActive: true } ? unit : store.Auto;
        await scope.ReadAsync(
            async (connection, transaction) =>
            {
                await ChunkReads.CopyAsync(connection, transaction, version.ContentId, version.ChunkSize, offset, count, output, cancellationToken);
                return 0;
            },
            cancellationToken);
    }
}

/// <summary>
/// The first <c>length</c> bytes of a version as a stream (an upload's saved bytes, staged bytes), read with one
/// statement on a connection of its own as the caller reads; disposing it gives the connection back.
/// </summary>
internal sealed class ChunkStream(Database database, long contentId, int chunkSize, long length) : ReadOnceStream
{
    private NpgsqlConnection? connection;
    private NpgsqlCommand? command;
    private NpgsqlDataReader? reader;
    private Stream? chunk;
    private long position;
    private long nextIndex;

    public override long Length => length;

    public override long Position
    {
        get => position;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (position >= length || buffer.IsEmpty)
        {
            return 0;
        }

        return await database.GuardAsync(async () =>
        {
            if (reader is null)
            {
                connection = await database.OpenAsync(cancellationToken);
                (command, reader) = await ChunkReads.OpenAsync(connection, null, contentId, chunkSize, 0, length, cancellationToken);
            }

            while (true)
            {
                if (chunk is null)
                {
                    if (!await reader.ReadAsync(cancellationToken) || reader.GetInt64(0) != nextIndex)
                    {
                        throw new IOException($"Content {contentId} is missing chunk {nextIndex}.");
                    }

                    nextIndex++;
                    chunk = await reader.GetStreamAsync(1, cancellationToken);
                }

                var want = (int)Math.Min(buffer.Length, length - position);
                var read = await chunk.ReadAsync(buffer[..want], cancellationToken);
                if (read > 0)
                {
                    position += read;
                    return read;
                }

                await chunk.DisposeAsync();
                chunk = null;
            }
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await CloseAsync();
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CloseAsync().AsTask().GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
    }

    private async ValueTask CloseAsync()
    {
        try
        {
            if (command is not null && position < length)
            {
                ChunkReads.Abandon(command);
            }

            if (chunk is not null)
            {
                await chunk.DisposeAsync();
            }

            if (reader is not null)
            {
                await reader.DisposeAsync();
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or IOException or InvalidOperationException)
        {
            // The connection goes back broken and the pool drops it.
        }
        finally
        {
            chunk = null;
            reader = null;
            if (command is not null)
            {
                await command.DisposeAsync();
                command = null;
            }

            if (connection is not null)
            {
                await connection.DisposeAsync();
                connection = null;
            }
        }
    }
}
