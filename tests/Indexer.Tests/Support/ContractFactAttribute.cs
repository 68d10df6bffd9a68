using Xunit.Abstractions;
using Xunit.Sdk;

namespace ExamNetWatch.Indexer.Tests.Support;

/// <summary>
/// A test of a contract suite. It runs like a <see cref="FactAttribute"/>, except in a test class marked
/// <see cref="RequiresEnvironmentAttribute"/> whose variable is not set: there it is reported as skipped, with the
/// reason, never as passed.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("ExamNetWatch.Indexer.Tests.Support.ContractFactDiscoverer", "ExamNetWatch.Indexer.Tests")]
public sealed class ContractFactAttribute : FactAttribute;

/// <summary>Marks a test class whose <see cref="ContractFactAttribute"/> tests need an environment variable (a server's URL).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresEnvironmentAttribute(string variable, string why) : Attribute
{
    public string Variable { get; } = variable;

    public string Why { get; } = why;
}

/// <summary>Discovers <see cref="ContractFactAttribute"/> tests, skipping them when their class's variable is missing.</summary>
public sealed class ContractFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        ArgumentNullException.ThrowIfNull(discoveryOptions);
        ArgumentNullException.ThrowIfNull(testMethod);
        var requirement = testMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresEnvironmentAttribute)).FirstOrDefault();
        var variable = requirement?.GetConstructorArguments().First() as string;
        var why = requirement?.GetConstructorArguments().Skip(1).First() as string;
        var skip = variable is not null && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable))
            ? $"{variable} is not set: {why}"
            : null;
        yield return new ContractTestCase(diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, skip);
    }
}

/// <summary>A test case whose skip reason can come from its class's environment requirement.</summary>
public sealed class ContractTestCase : XunitTestCase
{
    private string? _skip;

    [Obsolete("For deserialization only.")]
    public ContractTestCase()
    {
    }

    public ContractTestCase(IMessageSink sink, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod method, string? skip)
        : base(sink, display, options, method) => _skip = skip;

    public override void Serialize(IXunitSerializationInfo data)
    {
        ArgumentNullException.ThrowIfNull(data);
        base.Serialize(data);
        data.AddValue("ContractSkip", _skip);
    }

    public override void Deserialize(IXunitSerializationInfo data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _skip = data.GetValue<string>("ContractSkip");
        base.Deserialize(data);
    }

    protected override string? GetSkipReason(IAttributeInfo factAttribute) => _skip ?? base.GetSkipReason(factAttribute);
}
