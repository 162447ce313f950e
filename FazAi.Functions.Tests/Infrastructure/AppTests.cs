namespace FazAi.Functions.Tests.Infrastructure;

/// <summary>
/// A test class whose every test gets a fresh app and its HTTP client, started before the test and disposed after.
/// </summary>
public abstract class AppTests : IAsyncLifetime
{
    protected TestApp App { get; private set; } = null!;

    protected HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await TestApp.StartAsync();
        Client = await App.HttpAsync();
        await ArrangeAsync();
    }

    public async Task DisposeAsync() => await App.DisposeAsync();

    /// <summary>
    /// What every test of the class needs beyond the app and client, such as saved groups or a login.
    /// </summary>
    protected virtual Task ArrangeAsync() => Task.CompletedTask;
}
