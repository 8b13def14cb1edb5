namespace Davit.Conformance;

/// <summary>
/// A body whose request is cancelled midway: it hands out the first <c>cancelAfter</c> bytes of <c>data</c>, then
/// cancels <c>source</c> and throws <see cref="OperationCanceledException"/> for that token, as a request body does
/// when the client goes away.
/// </summary>
public sealed class CancellingStream(byte[] data, int cancelAfter, CancellationTokenSource source) : TestReadStream(data)
{
    /// <inheritdoc />
    protected override int Limit => Math.Min(cancelAfter, base.Limit);

    /// <inheritdoc />
    protected override int OnLimitReached()
    {
        source.Cancel();
        throw new OperationCanceledException(source.Token);
    }
}
