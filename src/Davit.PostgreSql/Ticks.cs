namespace Davit.PostgreSql;

/// <summary>
/// Times are kept as UTC ticks in bigint columns: exact to the tick (the contracts round-trip <see cref="DateTimeOffset"/>
/// values, MaxValue included), with no time-zone conversion in the driver.
/// </summary>
internal static class Ticks
{
    public static long From(DateTimeOffset time) => time == DateTimeOffset.MaxValue ? long.MaxValue : time.UtcTicks;

    public static DateTimeOffset To(long ticks) =>
        ticks >= DateTimeOffset.MaxValue.UtcTicks ? DateTimeOffset.MaxValue : new DateTimeOffset(ticks, TimeSpan.Zero);
}
