using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace FazAi.Functions.Http;

/// <summary>
/// Times on the wire: ISO 8601 UTC with milliseconds out; epoch milliseconds or ISO 8601 with an offset in.
/// </summary>
public static partial class WireTime
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    private static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Latest = new(9999, 12, 31, 23, 59, 59, 999, TimeSpan.Zero);

    public static string Write(DateTimeOffset time) =>
        time.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>Drops sub-millisecond ticks so a stored time reads back exactly as it was written out.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset time) =>
        new(time.UtcTicks - time.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);

    /// <summary>
    /// Parses a client time: digits are epoch milliseconds, anything else must be ISO 8601 with an offset.
    /// </summary>
    public static bool TryParse(string text, out DateTimeOffset time)
    {
        time = default;
        if (text.Length is 0 or > 40)
        {
            return false;
        }

        if (text.All(char.IsAsciiDigit))
        {
            if (text.Length > 15 || !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
            {
                return false;
            }

            return TryFromEpochMilliseconds(ms, out time);
        }

        // A full date and an offset (Z or ±hh:mm) are required: the parser would otherwise fill a missing date
        // with today's local date or read the time in the server's zone.
        if (!IsoWithOffset().IsMatch(text) || !DateTimeOffset.TryParse(
                text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed))
        {
            return false;
        }

        time = Truncate(parsed.ToUniversalTime());
        return time >= Earliest && time <= Latest;
    }

    /// <summary>A calendar date, a time to the minute or finer, then <c>Z</c> or <c>±hh:mm</c>.</summary>
    private const string IsoPattern =
        "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,7})?)?([Zz]|[+-][0-9]{2}:[0-9]{2})$";

    [GeneratedRegex(IsoPattern)]
    private static partial Regex IsoWithOffset();

    public static bool TryFromEpochMilliseconds(long ms, out DateTimeOffset time)
    {
        time = default;
        if (ms < Earliest.ToUnixTimeMilliseconds() || ms > Latest.ToUnixTimeMilliseconds())
        {
            return false;
        }

        time = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        return true;
    }
}

/// <summary>Serializes every <see cref="DateTimeOffset"/> in a response in the wire format.</summary>
public sealed class WireTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        WireTime.TryParse(reader.GetString() ?? "", out var time) ? time : throw new JsonException("Not a wire time.");

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(WireTime.Write(value));
}
