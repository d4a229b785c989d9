namespace Actorpool.Reliability.Tests.BadInput;

/// <summary>Assertions for one row of the bad-input table: the exception type and the words that name the fault.</summary>
internal static class Expect
{
    internal static async Task Throws<TException>(Func<Task> act, params string[] mentions)
        where TException : Exception
    {
        var error = await Record.ExceptionAsync(() => Task.Run(act));
        Assert.NotNull(error);
        Assert.IsAssignableFrom<TException>(error);
        foreach (var mention in mentions)
        {
            Assert.Contains(mention, error.Message, StringComparison.Ordinal);
        }
    }

    internal static Task Throws<TException>(Action act, params string[] mentions)
        where TException : Exception => Throws<TException>(
            () =>
            {
                act();
                return Task.CompletedTask;
            },
            mentions);

    internal static async Task Succeeds(Action act) => await Task.Run(act);
}
