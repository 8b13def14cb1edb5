using System.Buffers;
using System.Threading.Channels;
using Npgsql;

namespace Davit.PostgreSql;

/// <summary>
/// A long read outside any transaction, with the database working ahead of the response: <see cref="Lanes"/>
/// statements on connections of their own each read every <see cref="Lanes"/>-th chunk of the range into a pooled
/// buffer, while the chunk before it is being written to the output. The database's work for one chunk (fetching its
/// out-of-line parts and sending them) is what limits a single statement; two backends on two cores, each a chunk
/// ahead, overlap it with each other and with the writing. Memory stays bounded: each lane holds at most
/// <see cref="Ahead"/> chunks read and one being read, whatever the length of the file.
/// </summary>
internal static class ChunkPipeline
{
    /// <summary>How many statements read at once.</summary>
    public const int Lanes = 2;

    /// <summary>How many chunks a lane may have read that the output has not taken yet.</summary>
    private const int Ahead = 1;

    /// <summary>A read of at most this many chunks (a range, a small file) stays one statement on one connection.</summary>
    public const int MinimumChunks = 4;

    /// <summary>Copies bytes [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="count"/>) of a
    /// version to <paramref name="output"/>.</summary>
    /// <exception cref="IOException">A chunk is missing (the version was reclaimed while it was being read).</exception>
    public static async ValueTask CopyAsync(Database database, long contentId, int chunkSize, long offset, long count, Stream output, CancellationToken cancellationToken)
    {
        var end = offset + count;
        var first = offset / chunkSize;
        var last = (end - 1) / chunkSize;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var lanes = new Channel<Piece>[Lanes];
        var readers = new Task[Lanes];
        for (var lane = 0; lane < Lanes; lane++)
        {
            lanes[lane] = Channel.CreateBounded<Piece>(new BoundedChannelOptions(Ahead) { SingleReader = true, SingleWriter = true });
            readers[lane] = ReadLaneAsync(database, contentId, chunkSize, offset, end, first + lane, last, lanes[lane].Writer, stop.Token);
        }

        try
        {
            for (var index = first; index <= last; index++)
            {
                var channel = lanes[(index - first) % Lanes].Reader;
                if (!await channel.WaitToReadAsync(stop.Token) || !channel.TryRead(out var piece))
                {
                    // The lane ended early: its task says why (a missing chunk, a failed statement).
                    await readers[(index - first) % Lanes];
                    throw new IOException($"Content {contentId} is missing chunk {index}.");
                }

                try
                {
                    var expected = Math.Min(end, (index + 1) * chunkSize) - Math.Max(offset, index * chunkSize);
                    if (piece.Index != index || piece.Length != expected)
                    {
                        throw new IOException($"Content {contentId} is missing chunk {index}.");
                    }

                    await output.WriteAsync(piece.Buffer.AsMemory(0, piece.Length), cancellationToken);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(piece.Buffer);
                }
            }

            await Task.WhenAll(readers);
        }
        finally
        {
            await stop.CancelAsync();
            await DrainAsync(readers, lanes);
        }
    }

    private static async Task ReadLaneAsync(Database database, long contentId, int chunkSize, long offset, long end, long from, long last, ChannelWriter<Piece> writer,
        CancellationToken cancellationToken)
    {
        // Off the caller's stack at once, so that the lanes start together.
        await Task.Yield();
        try
        {
            await database.GuardAsync(async () =>
            {
                await using var connection = await database.OpenAsync(cancellationToken);
                await using var command = Sql.Command(connection, null, ChunkReads.Slices)
                    .With(contentId).With((long)chunkSize).With(offset).With(end).With(from).With(last).With((long)Lanes);
                var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken);
                var complete = false;
                try
                {
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        var buffer = ArrayPool<byte>.Shared.Rent(chunkSize);
                        try
                        {
                            var index = reader.GetInt64(0);
                            int length;
                            await using (var data = await reader.GetStreamAsync(1, cancellationToken))
                            {
                                length = await data.ReadAtLeastAsync(buffer.AsMemory(0, chunkSize), chunkSize, throwOnEndOfStream: false, cancellationToken);
                            }

                            await writer.WriteAsync(new Piece(index, buffer, length), cancellationToken);
                        }
                        catch
                        {
                            ArrayPool<byte>.Shared.Return(buffer);
                            throw;
                        }
                    }

                    complete = true;
                }
                finally
                {
                    if (!complete)
                    {
                        ChunkReads.Abandon(command);
                    }

                    try
                    {
                        await reader.DisposeAsync();
                    }
                    catch (Exception ex) when (!complete && ex is NpgsqlException or IOException or InvalidOperationException or OperationCanceledException)
                    {
                        // The statement was cancelled: the connection goes back to the pool broken, and is dropped.
                    }
                }

                return 0;
            });
        }
        finally
        {
            writer.TryComplete();
        }
    }

    /// <summary>Waits for the lanes to stop and gives back the buffers nobody took.</summary>
    private static async ValueTask DrainAsync(Task[] readers, Channel<Piece>[] lanes)
    {
        foreach (var reader in readers)
        {
            try
            {
                await reader;
            }
            catch (Exception)
            {
                // Reported by the copy already, or caused by its end.
            }
        }

        foreach (var lane in lanes)
        {
            while (lane.Reader.TryRead(out var piece))
            {
                ArrayPool<byte>.Shared.Return(piece.Buffer);
            }
        }
    }

    private readonly record struct Piece(long Index, byte[] Buffer, int Length);
}
