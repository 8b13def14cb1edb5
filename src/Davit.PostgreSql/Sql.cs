using Npgsql;
using NpgsqlTypes;

namespace Davit.PostgreSql;

/// <summary>Commands with positional parameters ($1, $2, ...), typed so that a null still has a type.</summary>
internal static class Sql
{
    public static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string text) =>
        new(text, connection, transaction);

    public static NpgsqlCommand With(this NpgsqlCommand command, long value)
    {
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = value });
        return command;
    }

    public static NpgsqlCommand With(this NpgsqlCommand command, long? value)
    {
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = (object?)value ?? DBNull.Value });
        return command;
    }

    public static NpgsqlCommand With(this NpgsqlCommand command, int value)
    {
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = value });
        return command;
    }

    public static NpgsqlCommand With(this NpgsqlCommand command, bool value)
    {
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = value });
        return command;
    }

    public static NpgsqlCommand With(this NpgsqlCommand command, string? value)
    {
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value });
        return command;
    }

    public static NpgsqlCommand With(this NpgsqlCommand command, string[] value)
    {
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = value });
        return command;
    }

    public static NpgsqlCommand WithNullable(this NpgsqlCommand command, string[]? value)
    {
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value });
        return command;
    }

    public static NpgsqlCommand With(this NpgsqlCommand command, ReadOnlyMemory<byte> value)
    {
        command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { NpgsqlDbType = NpgsqlDbType.Bytea, TypedValue = value });
        return command;
    }

    public static async ValueTask<int> RunAsync(this NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using (command)
        {
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public static async ValueTask<T?> ScalarAsync<T>(this NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using (command)
        {
            var value = await command.ExecuteScalarAsync(cancellationToken);
            return value is null or DBNull ? default : (T)value;
        }
    }

    /// <summary>Runs a query and maps each row; the whole result is read before it returns.</summary>
    public static async ValueTask<List<T>> ListAsync<T>(this NpgsqlCommand command, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken)
    {
        await using (command)
        {
            var result = new List<T>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                result.Add(map(reader));
            }

            return result;
        }
    }

    public static async ValueTask<T?> FirstAsync<T>(this NpgsqlCommand command, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken)
        where T : class
    {
        await using (command)
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? map(reader) : null;
        }
    }

    public static long? NullableLong(this NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    public static string? NullableString(this NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
