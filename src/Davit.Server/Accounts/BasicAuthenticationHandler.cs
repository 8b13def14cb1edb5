using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Davit.Server.Accounts;

/// <summary>Options of the Basic scheme.</summary>
internal sealed class BasicAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>The realm named in the challenge; clients show it when they ask for a password.</summary>
    public string Realm { get; set; } = "Davit";

    /// <summary>Accept Basic over plain HTTP from other machines too (behind a TLS-terminating proxy, say).</summary>
    public bool AllowBasicOverHttp { get; set; }
}

/// <summary>
/// HTTP Basic authentication (RFC 7617) against the users file. The challenge is 401 with
/// <c>WWW-Authenticate: Basic realm="...", charset="UTF-8"</c> (credentials are decoded as UTF-8). Over plain HTTP
/// from any address but loopback, Basic is refused unless <see cref="BasicAuthenticationOptions.AllowBasicOverHttp"/>:
/// the credentials are not even checked, and the challenge is 403 with a plain-text reason instead of a 401 that
/// would invite the client to send a password in clear. A throttled login (<see cref="LoginThrottle"/>) is
/// answered 429 with Retry-After.
/// </summary>
internal sealed class BasicAuthenticationHandler(
    IOptionsMonitor<BasicAuthenticationOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    Logins logins)
    : AuthenticationHandler<BasicAuthenticationOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "Basic";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private TimeSpan? retryAfter;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!IsSecureEnough())
        {
            Log.BasicOverHttpRefused(Logger, Context.Connection.RemoteIpAddress?.ToString() ?? "(unknown)");
            return Task.FromResult(AuthenticateResult.Fail("Basic authentication over plain HTTP is refused."));
        }

        if (!TryDecode(header.AsSpan(6).Trim(), out var name, out var password))
        {
            return Task.FromResult(AuthenticateResult.Fail("The Basic credentials are malformed."));
        }

        var result = logins.Verify(name, password, Context.Connection.RemoteIpAddress);
        switch (result.Outcome)
        {
            case LoginOutcome.Success:
                var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, result.Account!.Name)], SchemeName, ClaimTypes.Name, ClaimTypes.Role);
                return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
            case LoginOutcome.Throttled:
                retryAfter = result.RetryAfter;
                return Task.FromResult(AuthenticateResult.Fail("Too many failed logins."));
            default:
                return Task.FromResult(AuthenticateResult.Fail("Unknown user or wrong password."));
        }
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        await AuthenticateAsync(); // the result is cached; it tells whether this is a throttled login
        if (!IsSecureEnough())
        {
            await AnswerAsync(StatusCodes.Status403Forbidden,
                "This server accepts user names and passwords only over HTTPS (or from this machine). Use its https:// address.\n");
            return;
        }

        if (retryAfter is { } wait)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await AnswerAsync(StatusCodes.Status429TooManyRequests, $"Too many failed logins; try again in {seconds} s.\n");
            return;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"Basic realm=\"{Options.Realm}\", charset=\"UTF-8\"";
    }

    /// <summary>HTTPS, a loopback client, or an operator who said plain HTTP is fine.</summary>
    private bool IsSecureEnough()
    {
        if (Request.IsHttps || Options.AllowBasicOverHttp)
        {
            return true;
        }

        var address = Context.Connection.RemoteIpAddress;
        return address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
    }

    private async Task AnswerAsync(int status, string text)
    {
        Response.StatusCode = status;
        Response.ContentType = "text/plain; charset=utf-8";
        await Response.WriteAsync(text, Context.RequestAborted);
    }

    /// <summary>RFC 7617 §2: base64 of "name:password" in UTF-8; the name ends at the first colon.</summary>
    private static bool TryDecode(ReadOnlySpan<char> encoded, out string name, out string password)
    {
        name = password = string.Empty;
        var bytes = new byte[(encoded.Length * 3 / 4) + 3];
        if (encoded.Length > 4096 || !Convert.TryFromBase64Chars(encoded, bytes, out var length))
        {
            return false;
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(bytes, 0, length);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(bytes);
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == text.Length - 1)
        {
            return false;
        }

        name = text[..colon];
        password = text[(colon + 1)..];
        return true;
    }
}
