using System.Text.Json.Nodes;

namespace SamAudio.Infra.Tests;

/// <summary>
/// The resources a compiled template would create, as <see cref="ArmEvaluator"/> sees them: one instance per element of
/// a copy loop, module deployments entered (their parameters evaluated outside, their template inside) instead of
/// listed, expressions replaced by values, and an <c>id</c> added to each instance.
/// </summary>
public static class ArmDeployment
{
    public static IReadOnlyList<JsonObject> Resources(JsonObject template, IReadOnlyDictionary<string, JsonNode?> parameters)
    {
        var list = new List<JsonObject>();
        Expand(template, ArmEvaluator.ForTemplate(template, parameters), list);
        return list;
    }

    private static void Expand(JsonObject template, ArmEvaluator evaluator, List<JsonObject> list)
    {
        var resources = template["resources"] switch
        {
            JsonObject symbolic => symbolic.Select(p => p.Value),
            JsonArray array => array,
            _ => [],
        };
        foreach (var resource in resources.Cast<JsonObject>())
        {
            var count = resource["copy"] is JsonObject copy ? ArmEvaluator.Integer(evaluator.Resolve(copy["count"])) : 1;
            for (var i = 0; i < count; i++)
            {
                var scope = resource["copy"] is null ? evaluator : evaluator.WithCopyIndex(i);
                if (resource["type"]!.GetValue<string>() == "Microsoft.Resources/deployments") Enter(resource, scope, list);
                else list.Add(Instance(resource, scope));
            }
        }
    }

    private static void Enter(JsonObject deployment, ArmEvaluator outer, List<JsonObject> list)
    {
        var properties = deployment["properties"]!;
        if (properties["expressionEvaluationOptions"]?["scope"]?.GetValue<string>() != "inner")
            throw new NotSupportedException("Only inner-scope module deployments (what Bicep writes) are expanded.");
        var values = ((JsonObject)outer.Resolve(properties["parameters"] ?? new JsonObject())!)
            .ToDictionary(p => p.Key, p => p.Value!["value"]);
        var template = (JsonObject)properties["template"]!;
        Expand(template, ArmEvaluator.ForTemplate(template, values), list);
    }

    private static JsonObject Instance(JsonObject resource, ArmEvaluator evaluator)
    {
        var instance = (JsonObject)evaluator.Resolve(resource)!;
        instance.Remove("copy");
        var type = instance["type"]!.GetValue<string>();
        var names = instance["name"]!.GetValue<string>().Split('/');
        instance["id"] = instance["scope"] is JsonValue scope
            ? ArmEvaluator.ResourceId(scope.GetValue<string>(), type, names)
            : ArmEvaluator.ResourceId(ArmEvaluator.ResourceGroupId, type, names);
        return instance;
    }
}
