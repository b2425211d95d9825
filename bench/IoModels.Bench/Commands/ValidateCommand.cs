using System.CommandLine;
using IoModels.Bench.Running;
using IoModels.Bench.Scenarios;

namespace IoModels.Bench.Commands;

/// <summary><c>validate</c>: checks the scenario file, and that every option it names is one the built server and load generator take.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var scenarioFile = CommonOptions.ScenarioFile();
        var command = new Command("validate", "checks the scenario file against its schema and the options the built server and load generator list in --help") { scenarioFile };
        command.SetAction(async (result, cancellationToken) =>
        {
            var (path, scenarios) = CommonOptions.LoadScenarios(result, scenarioFile);
            var layout = RepositoryLayout.Find();
            var serverHelp = await CommandOutput.RunAsync("dotnet", [layout.ServerDll, "--help"], TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
            var loadgenHelp = await CommandOutput.RunAsync("dotnet", [layout.LoadGenDll, "--help"], TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
            if (serverHelp is null || loadgenHelp is null || !File.Exists(layout.ServerDll) || !File.Exists(layout.LoadGenDll))
            {
                Console.Error.WriteLine($"{ToolName.Current}: build the tree first (dotnet build {RepositoryLayout.SolutionFile} -c Release): the options are checked against the built tools' --help");
                return 1;
            }

            try
            {
                OptionVocabulary.Check(
                    scenarios,
                    path,
                    OptionVocabulary.FromHelp("the server", serverHelp.StandardOutput + serverHelp.StandardError),
                    OptionVocabulary.FromHelp("the load generator", loadgenHelp.StandardOutput + loadgenHelp.StandardError));
            }
            catch (InvalidDataException e)
            {
                throw new UsageException(e.Message, e);
            }

            Console.WriteLine($"{path}: {scenarios.Scenarios.Count} scenarios, {scenarios.Servers.Count} servers beside the catalog, {scenarios.Ci.Count} CI lists: valid");
            return 0;
        });
        return command;
    }
}
