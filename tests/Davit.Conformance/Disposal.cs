namespace Davit.Conformance;

/// <summary>Releases whatever a suite created, whichever way it can be released.</summary>
public static class Disposal
{
    /// <summary>Disposes <paramref name="instance"/> when it is (async) disposable; does nothing otherwise.</summary>
    public static async ValueTask DisposeIfDisposableAsync(object instance)
    {
        switch (instance)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }
}
