using BenchmarkDotNet.Running;

// Each class is one hot path; BenchmarkDotNet asks which to run, or takes --filter.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
