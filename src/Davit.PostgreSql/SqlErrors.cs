using System.Net.Sockets;
using Davit.Storage;
using Npgsql;

namespace Davit.PostgreSql;

/// <summary>
/// What a failure of the database means for a request, in the contract's terms: the database unreachable, down or
/// out of connections is <see cref="StoreError.Unavailable"/> (503 with Retry-After); a deadlock or a serialization
/// failure is <see cref="StoreError.Retry"/>; a full disk is <see cref="StoreError.InsufficientStorage"/>.
/// </summary>
internal static class SqlErrors
{
    /// <summary>The outcome for <paramref name="exception"/>, or null when it is a failure of the store (a 500).</summary>
    public static StoreError? Classify(Exception exception)
    {
        switch (exception)
        {
            case PostgresException pg:
                return pg.SqlState switch
                {
                    "40001" or "40P01" => StoreError.Retry,
                    "53100" => StoreError.InsufficientStorage,
                    "54000" => StoreError.NameNotSupported,
                    "53300" or "57P01" or "57P02" or "57P03" or "55006" => StoreError.Unavailable,
                    _ when pg.SqlState.StartsWith("08", StringComparison.Ordinal) => StoreError.Unavailable,
                    _ => null,
                };
            case NpgsqlException npgsql:
                // Npgsql's own failures: a refused or broken connection, a timeout, an exhausted pool.
                return npgsql.InnerException is PostgresException inner ? Classify(inner) : StoreError.Unavailable;
            case SocketException or TimeoutException:
                return StoreError.Unavailable;
            case IOException io when io.InnerException is SocketException:
                return StoreError.Unavailable;
            default:
                return null;
        }
    }

    /// <summary>True for a failure of the connection itself (the pool's idle connections are then suspect).</summary>
    public static bool IsConnectionFailure(Exception exception) => exception switch
    {
        PostgresException pg => pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState is "57P01" or "57P02" or "57P03",
        NpgsqlException npgsql => npgsql.InnerException is not PostgresException || IsConnectionFailure(npgsql.InnerException),
        SocketException or IOException => true,
        _ => false,
    };
}
