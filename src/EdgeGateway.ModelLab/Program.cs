using EdgeGateway.ModelLab;
using EdgeGateway.ModelLab.Cli;

return LabCli.Run(args, Console.Out, Console.Error);
