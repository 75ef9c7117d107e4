using System.Security.Cryptography;
using System.Text;
using DuckDB.NET.Data;
using DuckDB.NET.Data.DataChunk.Reader;
using DuckDB.NET.Data.DataChunk.Writer;

namespace Fhirhouse.Query.Access;

/// <summary>Registers the guard's functions: <see cref="GuardedViewSql.HashFunction"/> (HMAC-SHA256 of the UTF-8 text under the guard's key, lowercase hex; NULL stays NULL) and its own.</summary>
internal static class GuardFunctions
{
    public static void Register(DuckDBConnection connection, ReadOnlyMemory<byte> key)
    {
        if (key.Length < 32)
        {
            throw new ArgumentException($"The hash mask's key must hold at least 32 bytes (got {key.Length}).", nameof(key));
        }

        var secret = key.ToArray();
        connection.RegisterScalarFunction<string, string>(GuardedViewSql.HashFunction, (readers, writer, rowCount) =>
        {
            Span<byte> digest = stackalloc byte[32];
            for (ulong row = 0; row < rowCount; row++)
            {
                if (!readers[0].IsValid(row))
                {
                    writer.WriteNull(row);
                    continue;
                }

                var text = readers[0].GetValue<string>(row);
                HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(text), digest);
                writer.WriteValue(Convert.ToHexStringLower(digest), row);
            }
        });
    }

    /// <summary>Registers a guard's own function of text.</summary>
    public static void Register(DuckDBConnection connection, GuardFunction function)
    {
        Action<IReadOnlyList<IDuckDBDataReader>, IDuckDBDataWriter, ulong> apply = (readers, writer, rowCount) =>
        {
            for (ulong row = 0; row < rowCount; row++)
            {
                var result = function.Apply(Text(readers[0], row), function.Arity == 2 ? Text(readers[1], row) : null);
                if (result is null)
                {
                    writer.WriteNull(row);
                }
                else
                {
                    writer.WriteValue(result, row);
                }
            }
        };
        if (function.Arity == 1)
        {
            connection.RegisterScalarFunction<string, string>(function.Name, apply);
        }
        else
        {
            connection.RegisterScalarFunction<string, string, string>(function.Name, apply);
        }
    }

    private static string? Text(IDuckDBDataReader reader, ulong row) => reader.IsValid(row) ? reader.GetValue<string>(row) : null;
}
