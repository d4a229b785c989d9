using System.Text.RegularExpressions;

namespace Actorpool.Examples.Tests;

/// <summary>Every picture the Markdown files show (<c>![alt](path)</c>) is a file of the repository, with alt text.</summary>
public sealed partial class MarkdownImageTests
{
    [Fact]
    public void MarkdownImages_NameFilesThatExist_AndSayWhatTheyShow()
    {
        var root = RepositoryFiles.Root;
        var documents = new[] { "README.md", "bench/README.md" }
            .Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Select(f => "docs/" + Path.GetFileName(f)));
        var problems = new List<string>();
        var seen = 0;
        foreach (var document in documents)
        {
            foreach (Match image in Image().Matches(RepositoryFiles.Read(document)))
            {
                seen++;
                var target = image.Groups["path"].Value;
                var file = Path.GetFullPath(Path.Combine(root, Path.GetDirectoryName(document)!, target));
                if (!File.Exists(file))
                {
                    problems.Add($"{document}: picture '{target}' is not a file ({file})");
                }

                if (image.Groups["alt"].Value.Trim().Length < 20)
                {
                    problems.Add($"{document}: picture '{target}' has no alt text saying what it shows");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        Assert.True(seen > 0, "no Markdown picture found: the pattern no longer matches how the documents show them");
    }

    [GeneratedRegex(@"!\[(?<alt>[^\]]*)\]\((?<path>[^)\s]+)\)")]
    private static partial Regex Image();
}
