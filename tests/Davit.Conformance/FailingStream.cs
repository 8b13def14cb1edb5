namespace Davit.Conformance;

/// <summary>
/// A body that breaks off: it hands out the first <c>failAfter</c> bytes of <c>data</c>, then every further read
/// throws <see cref="IOException"/>, as a request body does when the connection drops.
/// </summary>
public sealed class FailingStream(byte[] data, int failAfter) : TestReadStream(data)
{
    /// <inheritdoc />
    protected override int Limit => Math.Min(failAfter, base.Limit);

    /// <inheritdoc />
    protected override int OnLimitReached() => throw new IOException("The test body failed on purpose.");
}
