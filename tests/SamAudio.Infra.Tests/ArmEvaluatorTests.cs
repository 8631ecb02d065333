using System.Text.Json.Nodes;

namespace SamAudio.Infra.Tests;

/// <summary>The evaluator the infrastructure tests read templates with, on small hand-written templates.</summary>
public sealed class ArmEvaluatorTests
{
    private static ArmEvaluator Evaluator(string variables = "{}") =>
        ArmEvaluator.ForTemplate(new JsonObject { ["variables"] = JsonNode.Parse(variables) }, new Dictionary<string, JsonNode?>());

    [Fact]
    public void Format_with_an_escaped_quote_and_a_variable_member_gives_the_text()
    {
        var value = Evaluator("""{ "pool": { "name": "gpu" } }""").Resolve("[format('it''s {0}-{1}', variables('pool').name, mul(2, 3))]");

        Assert.Equal("it's gpu-6", ArmEvaluator.Text(value));
    }

    [Fact]
    public void Double_bracket_is_a_literal_and_unknown_functions_leave_the_expression_as_written()
    {
        Assert.Equal("[not an expression]", ArmEvaluator.Text(Evaluator().Resolve("[[not an expression]")));
        Assert.Equal("[environment().name]", ArmEvaluator.Text(Evaluator().Resolve("[environment().name]")));
    }

    [Fact]
    public void Resource_ids_interleave_types_and_names_and_references_name_their_source()
    {
        var value = Evaluator().Resolve("[reference(resourceId('Microsoft.Storage/storageAccounts/queueServices/queues', 'st', 'default', 'q'), '2023-05-01').primaryEndpoints.queue]");

        Assert.Equal($"reference({ArmEvaluator.ResourceGroupId}/providers/Microsoft.Storage/storageAccounts/st/queueServices/default/queues/q).primaryEndpoints.queue",
            ArmEvaluator.Text(value));
    }

    [Fact]
    public void Copy_loops_give_one_instance_per_element_inside_modules_too()
    {
        var template = JsonNode.Parse("""
            {
              "parameters": { "names": { "type": "array", "defaultValue": [ "a", "b" ] } },
              "resources": [ {
                "type": "Microsoft.Resources/deployments", "name": "m",
                "properties": {
                  "expressionEvaluationOptions": { "scope": "inner" },
                  "parameters": { "names": { "value": "[parameters('names')]" } },
                  "template": {
                    "parameters": { "names": { "type": "array" } },
                    "resources": [ {
                      "copy": { "name": "q", "count": "[length(parameters('names'))]" },
                      "type": "Microsoft.Storage/storageAccounts/queueServices/queues",
                      "name": "[format('st/default/{0}', parameters('names')[copyIndex()])]"
                    } ]
                  }
                }
              } ]
            }
            """)!.AsObject();

        var resources = ArmDeployment.Resources(template, new Dictionary<string, JsonNode?>());

        Assert.Equal(["st/default/a", "st/default/b"], resources.Select(r => ArmEvaluator.Text(r["name"])));
        Assert.EndsWith("/queues/b", ArmEvaluator.Text(resources[1]["id"]), StringComparison.Ordinal);
    }
}
