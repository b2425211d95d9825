using IoModels.Bench.Ab;

namespace IoModels.Tests.Bench.Ab;

public sealed class RefBuildTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "iomodels-refbuild-tests-" + Guid.NewGuid().ToString("N"));

    public RefBuildTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void TheServerProjectsOwnOutputIsPreferredOverCopiesAndDebugBuildsAreIgnored()
    {
        Touch("tests/IoModels.Tests/bin/Release/net10.0/IoModels.Server.dll");
        Touch("servers/IoModels.Server/bin/Debug/net10.0/IoModels.Server.dll");
        Touch("servers/IoModels.Server/bin/Release/net10.0/IoModels.Server.dll");

        Assert.Equal(Path.Combine(_root, "servers/IoModels.Server/bin/Release/net10.0/IoModels.Server.dll"), RefBuild.FindServer(_root));
    }

    [Fact]
    public void AnOlderLayoutIsFoundByTheAssemblyName()
    {
        Touch("src/IoModels.Server/bin/Release/net9.0/IoModels.Server.dll");
        Touch("src/IoModels.Server/obj/Release/net9.0/IoModels.Server.dll");

        Assert.Equal(Path.Combine(_root, "src/IoModels.Server/bin/Release/net9.0/IoModels.Server.dll"), RefBuild.FindServer(_root));
        Assert.Null(RefBuild.FindServer(Path.Combine(_root, "src/IoModels.Server/obj")));
    }

    [Fact]
    public void TheSolutionIsIoModelsSlnThenAnySlnThenAnySlnx()
    {
        Assert.Null(RefBuild.FindSolution(_root));
        Touch("Other.slnx");
        Assert.Equal(Path.Combine(_root, "Other.slnx"), RefBuild.FindSolution(_root));
        Touch("Old.sln");
        Assert.Equal(Path.Combine(_root, "Old.sln"), RefBuild.FindSolution(_root));
        Touch("IoModels.sln");
        Assert.Equal(Path.Combine(_root, "IoModels.sln"), RefBuild.FindSolution(_root));
    }

    [Fact]
    public void TheServerProjectNearestTheRootIsBuiltRatherThanTheSolution()
    {
        Touch("IoModels.sln");
        Assert.Equal(Path.Combine(_root, "IoModels.sln"), RefBuild.FindBuildTarget(_root));
        Touch("tests/fixtures/copy/IoModels.Server/IoModels.Server.csproj");
        Touch("servers/IoModels.Server/IoModels.Server.csproj");
        Touch("servers/IoModels.Server/obj/IoModels.Server.csproj");
        Assert.Equal(Path.Combine(_root, "servers/IoModels.Server/IoModels.Server.csproj"), RefBuild.FindBuildTarget(_root));
    }

    [Fact]
    public async Task AnUnknownRefIsAUsageErrorNamingIt()
    {
        var repository = await CommittedRepositoryAsync("not a solution");
        var error = await Assert.ThrowsAsync<AbUsageException>(
            () => RefBuild.BuildRefAsync(repository, "no-such-ref", Path.Combine(_root, "logs"), CancellationToken.None));
        Assert.Contains("'no-such-ref'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARefThatDoesNotBuildIsAUsageErrorNamingTheLogAndItsWorktreeIsRemoved()
    {
        var repository = await CommittedRepositoryAsync("this is not a solution file");
        var logs = Path.Combine(_root, "logs");
        var error = await Assert.ThrowsAsync<AbUsageException>(
            () => RefBuild.BuildRefAsync(repository, "HEAD", logs, CancellationToken.None));

        Assert.Contains("'HEAD' does not build", error.Message, StringComparison.Ordinal);
        var log = Assert.Single(Directory.GetFiles(logs));
        Assert.Contains(log, error.Message, StringComparison.Ordinal);
        var (_, worktrees) = await GitAsync(repository, "worktree", "list", "--porcelain");
        Assert.Single(worktrees.Split('\n'), line => line.StartsWith("worktree ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARefThatBuildsYieldsItsServerAndItsWorktreeGoesWithIt()
    {
        // A repository of one project named like the server, in a layout of its own: found by what the tree holds.
        var repository = await CommittedRepositoryAsync(TempRepository.TinyServer);
        string server;
        await using (var build = await RefBuild.BuildRefAsync(repository, "HEAD", Path.Combine(_root, "logs"), CancellationToken.None))
        {
            server = build.ServerPath;
            Assert.True(File.Exists(server), server);
            Assert.EndsWith(Path.Combine("old", "IoModels.Server", "bin", "Release", "net10.0", "IoModels.Server.dll"), server, StringComparison.Ordinal);
            Assert.False(server.StartsWith(repository, StringComparison.Ordinal), "built in its own worktree, not in the repository");
        }

        Assert.False(File.Exists(server), "the worktree is removed on dispose");
        var (_, worktrees) = await GitAsync(repository, "worktree", "list", "--porcelain");
        Assert.Single(worktrees.Split('\n'), line => line.StartsWith("worktree ", StringComparison.Ordinal));
    }

    private void Touch(string relative)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "");
    }

    private Task<string> CommittedRepositoryAsync(string solutionText) =>
        TempRepository.CreateAsync(Path.Combine(_root, "repo"), ("IoModels.sln", solutionText));

    private Task<string> CommittedRepositoryAsync(params (string Path, string Text)[] files) =>
        TempRepository.CreateAsync(Path.Combine(_root, "repo"), files);

    private static Task<(int Exit, string Output)> GitAsync(string repository, params string[] arguments) =>
        TempRepository.GitAsync(repository, arguments);
}
