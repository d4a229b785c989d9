namespace Actorpool.Hosting.Tests;

/// <summary>The scan that keeps Akka's HOCON parser from looping forever on malformed lists, and its parse.</summary>
public sealed class HoconGuardTests
{
    [Theory]
    [InlineData("a = [ 1 }", "'}' inside a list at line 1, column 9")]
    [InlineData("a = [ = ]", "'=' inside a list at line 1, column 7")]
    [InlineData("x = 1\nb { a = [ c : d ] }", "':' inside a list at line 2, column 13")]
    [InlineData("a = [ \"s\" }", "'}' inside a list at line 1, column 11")]
    [InlineData("a = [ \"\"\"x\ny\"\"\" }", "'}' inside a list at line 2, column 6")]
    public void FindListProblem_NamesTheCharacterAndWhereItIs(string hocon, string expected)
    {
        Assert.Equal($"unexpected {expected}", HoconGuard.FindListProblem(hocon));
    }

    [Theory]
    [InlineData("a = [ \"}\", \"=\", \":\" ]")]
    [InlineData("a = [ \"\"\"}=:\"\"\" ]")]
    [InlineData("a = [ 1 # } = :\n ]")]
    [InlineData("a = [ 1 // } = :\n ]")]
    [InlineData("a = [ { b = 1, c : [ 2 ] } ]")]
    [InlineData("a = [ \"esc \\\" }\" ]")]
    [InlineData("akka.cluster.seed-nodes = [\"akka.tcp://s@127.0.0.1:1\"]\nb { c = 1 }")]
    public void FindListProblem_AcceptsStringsCommentsAndObjectsInsideLists(string hocon)
    {
        Assert.Null(HoconGuard.FindListProblem(hocon));
        Assert.NotNull(HoconGuard.Parse(hocon));
    }

    [Fact(Timeout = 30_000)]
    public async Task Parse_OfInputAkkaLoopsOn_ThrowsInsteadOfHanging()
    {
        var error = await Record.ExceptionAsync(() => Task.Run(() => HoconGuard.Parse("b { a = [ 1 } }")).WaitAsync(TimeSpan.FromSeconds(20)));

        var format = Assert.IsType<FormatException>(error);
        Assert.Contains("'}' inside a list at line 1, column 13", format.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OfInputAkkaRejects_KeepsAkkasMessage()
    {
        var error = Assert.Throws<FormatException>(() => HoconGuard.Parse("a = b:c"));

        Assert.NotNull(error.InnerException);
        Assert.Contains("assignment character", error.Message, StringComparison.Ordinal);
    }
}
