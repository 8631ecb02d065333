using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace SamAudio.Infra.Tests;

/// <summary>
/// Gives ARM template expressions the values the deployment engine would compute before any resource exists, in a
/// made-up subscription and resource group. Values known only at deployment time (<c>reference()</c> and what is read
/// from it) become text that names their source, e.g. <c>reference(/subscriptions/.../id-worker-x).principalId</c>.
/// A function the templates do not use throws <see cref="NotSupportedException"/>.
/// </summary>
public sealed class ArmEvaluator
{
    public const string SubscriptionId = "00000000-0000-0000-0000-000000000001";
    public const string ResourceGroupName = "rg-test";
    public const string ResourceGroupId = $"/subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroupName}";

    private readonly JsonObject _variableDefinitions;
    private readonly IReadOnlyDictionary<string, JsonNode?> _parameters;
    private readonly Dictionary<string, JsonNode?> _variables;
    private readonly int? _copyIndex;
    private readonly IReadOnlyDictionary<string, JsonNode?> _lambdaVariables;

    private ArmEvaluator(JsonObject variableDefinitions, IReadOnlyDictionary<string, JsonNode?> parameters, Dictionary<string, JsonNode?> variables,
        int? copyIndex, IReadOnlyDictionary<string, JsonNode?> lambdaVariables)
    {
        (_variableDefinitions, _parameters, _variables, _copyIndex, _lambdaVariables) = (variableDefinitions, parameters, variables, copyIndex, lambdaVariables);
    }

    /// <summary>An evaluator for <paramref name="template"/>: the given parameter values, and the defaults for the rest.</summary>
    public static ArmEvaluator ForTemplate(JsonObject template, IReadOnlyDictionary<string, JsonNode?> given)
    {
        var definitions = template["variables"] as JsonObject ?? [];
        var values = new Dictionary<string, JsonNode?>(given);
        foreach (var (name, declaration) in template["parameters"] as JsonObject ?? [])
        {
            if (values.ContainsKey(name)) continue;
            var fallback = declaration?["defaultValue"] ?? throw new ArgumentException($"No value for parameter '{name}'.", nameof(given));
            values[name] = new ArmEvaluator(definitions, values, [], null, new Dictionary<string, JsonNode?>()).Resolve(fallback);
        }
        return new ArmEvaluator(definitions, values, [], null, new Dictionary<string, JsonNode?>());
    }

    public ArmEvaluator WithCopyIndex(int index) => new(_variableDefinitions, _parameters, _variables, index, _lambdaVariables);

    /// <summary>
    /// A copy of <paramref name="node"/> with every expression (property names too) replaced by its value; a string
    /// whose expression uses a function this class does not know stays as written.
    /// </summary>
    public JsonNode? Resolve(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var result = new JsonObject();
                foreach (var (key, value) in obj) result[Text(Resolve(JsonValue.Create(key)))] = Resolve(value);
                return result;
            case JsonArray array:
                return new JsonArray([.. array.Select(Resolve)]);
            case JsonValue value when value.TryGetValue<string>(out var text) && text.StartsWith('['):
                if (!ArmExpression.IsExpression(text)) return JsonValue.Create(text[1..]);
                try { return Evaluate(ArmExpression.Parse(text))?.DeepClone(); }
                catch (NotSupportedException) { return JsonValue.Create(text); }
            default:
                return node?.DeepClone();
        }
    }

    public JsonNode? Evaluate(ArmExpression expression) => expression switch
    {
        ArmExpression.Literal literal => literal.Value?.DeepClone(),
        ArmExpression.Member member => Member(Evaluate(member.Target), member.Name),
        ArmExpression.Indexer indexer => Member(Evaluate(indexer.Target), Text(Evaluate(indexer.Key))),
        ArmExpression.Call call => Call(call.Name.ToLowerInvariant(), call.Arguments),
        _ => throw new ArgumentException("Unknown expression.", nameof(expression)),
    };

    public static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "True" : "False",
        _ => node.ToJsonString(),
    };

    public static long Integer(JsonNode? node) => long.Parse(Text(node), CultureInfo.InvariantCulture);

    /// <summary>The id of a resource of <paramref name="type"/> named by <paramref name="names"/>, under <paramref name="scope"/>.</summary>
    public static string ResourceId(string scope, string type, IEnumerable<string> names)
    {
        var types = type.Split('/');
        var segments = names.ToList();
        if (segments.Count != types.Length - 1) throw new ArgumentException($"{type} needs {types.Length - 1} names, got {segments.Count}.", nameof(names));
        var id = new StringBuilder(scope).Append("/providers/").Append(types[0]);
        for (var i = 0; i < segments.Count; i++) id.Append('/').Append(types[i + 1]).Append('/').Append(segments[i]);
        return id.ToString();
    }

    // Member of an object or element of an array; on a deployment-time value (text), the access is appended to the text.
    private static JsonNode? Member(JsonNode? target, string name) => target switch
    {
        JsonObject obj => obj.TryGetPropertyValue(name, out var value) ? value
            : obj.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)) is { Key: not null } match ? match.Value
            : throw new KeyNotFoundException($"No property '{name}' in {obj.ToJsonString()}."),
        JsonArray array => array[int.Parse(name, CultureInfo.InvariantCulture)],
        JsonValue value => JsonValue.Create(int.TryParse(name, out _) ? $"{Text(value)}[{name}]" : $"{Text(value)}.{name}"),
        _ => throw new KeyNotFoundException($"'{name}' of null."),
    };

    private JsonNode? Call(string name, IReadOnlyList<ArmExpression> arguments)
    {
        if (name == "map") return Map(arguments);
        var args = arguments.Select(Evaluate).ToList();
        string Arg(int i) => Text(args[i]);
        return name switch
        {
            "parameters" => _parameters.TryGetValue(Arg(0), out var p) ? p : throw new KeyNotFoundException($"No parameter '{Arg(0)}'."),
            "variables" => Variable(Arg(0)),
            "lambdavariables" => _lambdaVariables[Arg(0)],
            "copyindex" when args.Count <= 1 && _copyIndex is { } index => JsonValue.Create(index + (args.Count == 1 ? Integer(args[0]) : 0)),
            "format" => JsonValue.Create(string.Format(CultureInfo.InvariantCulture, Arg(0), [.. args.Skip(1).Select(Text)])),
            "tolower" => JsonValue.Create(Arg(0).ToLowerInvariant()),
            "string" => JsonValue.Create(Text(args[0])),
            "json" => JsonNode.Parse(Arg(0)),
            "mul" => JsonValue.Create(Integer(args[0]) * Integer(args[1])),
            "length" => JsonValue.Create((long)(args[0] switch { JsonArray a => a.Count, JsonObject o => o.Count, var v => Text(v).Length })),
            "createarray" => new JsonArray([.. args.Select(a => a?.DeepClone())]),
            "createobject" => new JsonObject(Enumerable.Range(0, args.Count / 2).Select(i => KeyValuePair.Create(Arg(2 * i), args[2 * i + 1]?.DeepClone()))),
            "union" => new JsonObject(args.Cast<JsonObject>().SelectMany(o => o).GroupBy(p => p.Key).Select(g => KeyValuePair.Create(g.Key, g.Last().Value?.DeepClone()))),
            "concat" when args[0] is JsonArray => new JsonArray([.. args.Cast<JsonArray>().SelectMany(a => a).Select(v => v?.DeepClone())]),
            "concat" => JsonValue.Create(string.Concat(args.Select(Text))),
            "items" => new JsonArray([.. ((JsonObject)args[0]!).Select(p => new JsonObject { ["key"] = p.Key, ["value"] = p.Value?.DeepClone() })]),
            "subscription" => new JsonObject { ["id"] = $"/subscriptions/{SubscriptionId}", ["subscriptionId"] = SubscriptionId },
            "resourcegroup" => new JsonObject { ["id"] = ResourceGroupId, ["name"] = ResourceGroupName, ["location"] = "testregion" },
            "resourceid" => JsonValue.Create(ResourceId(ResourceGroupId, Arg(0), args.Skip(1).Select(Text))),
            "subscriptionresourceid" => JsonValue.Create(ResourceId($"/subscriptions/{SubscriptionId}", Arg(0), args.Skip(1).Select(Text))),
            "extensionresourceid" => JsonValue.Create(ResourceId(Arg(0), Arg(1), args.Skip(2).Select(Text))),
            "reference" => JsonValue.Create($"reference({Arg(0)})"),
            "uniquestring" => JsonValue.Create(Hash(args)[..13]),
            "guid" => JsonValue.Create(new Guid(Convert.FromHexString(Hash(args)[..32])).ToString()),
            _ => throw new NotSupportedException($"ARM function {name} with {args.Count} arguments."),
        };
    }

    // map(array, lambda('x', body)): the body is evaluated once per element with lambdaVariables('x') bound to it.
    private JsonArray Map(IReadOnlyList<ArmExpression> arguments)
    {
        if (arguments is not [var source, ArmExpression.Call { Name: "lambda", Arguments: [ArmExpression.Literal variable, var body] }])
            throw new NotSupportedException("map with anything but a one-variable lambda.");
        var items = (JsonArray)Evaluate(source)!;
        return new JsonArray([.. items.Select(item =>
        {
            var bound = new Dictionary<string, JsonNode?>(_lambdaVariables) { [Text(variable.Value)] = item };
            return new ArmEvaluator(_variableDefinitions, _parameters, _variables, _copyIndex, bound).Evaluate(body)?.DeepClone();
        })]);
    }

    private JsonNode? Variable(string name)
    {
        if (_variables.TryGetValue(name, out var value)) return value;
        var definition = _variableDefinitions[name] ?? throw new KeyNotFoundException($"No variable '{name}'.");
        return _variables[name] = new ArmEvaluator(_variableDefinitions, _parameters, _variables, null, new Dictionary<string, JsonNode?>()).Resolve(definition);
    }

    private static string Hash(IEnumerable<JsonNode?> args) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('|', args.Select(Text)))));
}
