namespace Davit.Engine;

/// <summary>Handles one HTTP method. Every handler has the same shape; the engine has already resolved
/// <see cref="DavContext.Item"/>. Expected failures are thrown as <see cref="Storage.DavException"/>.</summary>
internal interface IMethodHandler
{
    ValueTask HandleAsync(DavContext context);
}
