using FazAi.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FazAi.Functions.Logins;

/// <summary>
/// Token checks for <c>/user/</c>: the token is the <c>_id</c> of an online login within the session lifetime.
/// </summary>
public sealed class Sessions(
    LoginStore logins, IOptions<FazAiOptions> options, TimeProvider clock, ILogger<Sessions> logger)
{
    /// <summary>
    /// The token from header <c>token</c> or <c>Authorization: Bearer</c>; 401 when absent or malformed.
    /// </summary>
    public static string TokenOf(HttpRequest request)
    {
        string? token = request.Headers["token"];
        if (string.IsNullOrEmpty(token))
        {
            string? authorization = request.Headers.Authorization;
            if (authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                token = authorization["Bearer ".Length..].Trim();
            }
        }

        return Ids.IsValid(token)
            ? token!
            : throw new ApiException(
                ApiFailure.Unauthorized,
                "A valid token (header 'token' or 'Authorization: Bearer') is required.");
    }

    /// <summary>
    /// One point read: the login behind the token, which must be online, fresh and of <paramref name="wxuin"/>.
    /// </summary>
    public async Task<Account> AuthorizeAsync(string token, string wxuin, CancellationToken cancel)
    {
        var login = await logins.ReadAsync(token, cancel);
        if (login is null || login.Status != LoginStatus.Online || login.WxUin is null ||
            login.Time + options.Value.SessionLifetime <= clock.GetUtcNow())
        {
            throw new ApiException(ApiFailure.Unauthorized, "The token is not an active login; log in again.");
        }

        if (login.WxUin != wxuin)
        {
            logger.LogWarning("Token {LoginId} of another account asked for account data", login.Id);
            throw new ApiException(ApiFailure.Forbidden, "The token belongs to another account.");
        }

        return new Account(login.WxUin, login.WxName, login.Id);
    }
}
